"""``rnnproof urnn NETWORK.npz --input-bound M --out URNN.npz [--reduced] [--json PATH]``.

Theorem 1 of Emami et al. (claim ``unitary.relu_equivalence_2n``): writes the unitary (orthogonal)
ReLU network with 2n states (n + r with ``--reduced``) that reproduces a contractive discrete ReLU
network on every input sequence with ||x_k||_2 <= M. The URNN is M-specific: beyond M its extra
states can switch on (check with ``rnnproof equivalent``).

JSON (schema ``rnnproof.urnn/1``): ``states``, ``original_states``, ``extra_states``,
``orthogonality_error`` (max|W~ᵀW~ - I|, both products), ``beta``, ``H_star``, ``input_bound``,
``norm``, ``horizon``, ``rho`` (= ||W||_2), ``method``, ``balanced`` and ``balance_D`` (``--balance``:
the positive diagonal D of the rescaling, original state h = D^-1 h'), ``input``, ``output`` and ``check`` (an
independent re-simulation of both networks on sampled bounded inputs: ``max_rel_error``,
``margin`` mu <= 0, ``extra_states_max`` = 0.0).
"""

from __future__ import annotations

import math

from proofs_checks.argtypes import bounded_int, positive_float as _bound, positive_int as _horizon, seed as _seed
from proofs_checks.network_options import add_network_options, reader_options

SCHEMA = "rnnproof.urnn/1"


def register(subparsers):
    p = subparsers.add_parser(
        "urnn", help="build the unitary ReLU RNN equivalent to a contractive ReLU RNN on ||x_k|| <= M")
    p.add_argument("network", metavar="NETWORK.npz", help="discrete ReLU network file (.npz) with ||W||_2 < 1")
    p.add_argument("--input-bound", type=_bound, required=True, metavar="M",
                   help="bound M on ||x_k||_2 (the URNN is equivalent only on such inputs)")
    p.add_argument("--out", required=True, metavar="URNN.npz", help="where to write the URNN network file")
    p.add_argument("--reduced", action="store_true",
                   help="n + rank(I - WᵀW) states instead of 2n (fewer only if some σ_i(W) = 1)")
    p.add_argument("--horizon", type=_horizon, metavar="T",
                   help="finite-horizon mode: accept ||W||_2 = 1, equivalence for sequences of length <= T")
    p.add_argument("--norm", choices=("2", "inf"), default="2", help="norm of the bound M (default 2)")
    p.add_argument("--balance", action="store_true",
                   help="if ||W||_2 >= 1, first try a positive diagonal rescaling D W D^-1 (exact for ReLU)")
    p.add_argument("--method", choices=("svd", "eigh"), default="svd",
                   help="square roots from one SVD (default) or two eigh calls")
    p.add_argument("--check-trials", type=bounded_int(0, 100_000, "re-simulated sequences"), default=8, metavar="K",
                   help="bounded input sequences for the independent re-simulation (default 8; 0 skips)")
    p.add_argument("--seed", type=_seed, default=0, help="seed of the re-simulation inputs (default 0)")
    p.add_argument("--json", metavar="PATH", help="write the JSON summary here (atomically, with --out)")
    add_network_options(p)
    p.set_defaults(handler=_run)


def _finite(x):
    return x if x is None or math.isfinite(x) else None


def _run(args) -> int:
    import numpy as np

    from numerics import InputError, save_network
    from numerics import unitary as U
    from proofs_checks import inputs
    from proofs_checks.report import write_json

    inputs.check_outputs({"--out": args.out, "--json": args.json}, inputs={"NETWORK": args.network})
    T = args.horizon or 100
    spec = inputs.read_network_argument(args.network, "NETWORK", **reader_options(args))
    n, trials = spec.n, args.check_trials
    # the dilation's SVD (2n × 2n), then K re-simulated sequences of T steps through both networks
    inputs.require_resources(f"a URNN of {2 * n} states re-simulated on {trials} sequences of {T} steps",
                             memory=8 * (40 * n * n + 4 * trials * T * (4 * n + spec.m + spec.k)),
                             seconds=3e-8 * n ** 3 + trials * T * (2e-5 + 1e-8 * n * n),
                             lower="--horizon/--check-trials")
    if spec.time != "discrete":
        raise InputError(f"{args.network}: the network must be discrete-time (time=discrete), got "
                         f"time={spec.time}")
    if spec.activation != "relu":
        raise InputError(f"{args.network}: the network must use activation relu, got {spec.activation} "
                         "(smooth activations have no URNN equivalent in general: claim unitary.smooth_no_urnn)")
    bound = U.state_bound(spec.W, spec.B, spec.b, spec.h0, args.input_bound, args.norm)
    if not math.isfinite(bound.c) or (bound.rho < 1 and not math.isfinite(2 * bound.H_star)):
        raise InputError(f"--input-bound: M = {args.input_bound:g} makes the state bound H* = c/(1 - ||W||_2) "
                         "overflow float64 (c = ||B||_2 M + ||b||_2); give a smaller M")
    cons = U.relu_rnn_to_urnn(spec, args.input_bound, reduced=args.reduced, horizon=args.horizon,
                              norm=args.norm, method=args.method, balance=args.balance)
    check = None
    if args.check_trials:
        rng = np.random.default_rng(args.seed)
        M2 = cons.M * (np.sqrt(spec.m) if args.norm == "inf" else 1.0)
        xs = U.sample_bounded_inputs(rng, spec.m, T, M2, args.check_trials, F=spec.B,
                                     complex_inputs=bool(np.iscomplexobj(cons.urnn.W)))
        res = U.check_io_equivalence(spec, cons.urnn, xs, rtol=1e-10, atol=1e-12)  # the user's network
        extra = max((float(np.abs(U.simulate(cons.urnn, x)[0][:, spec.n:]).max(initial=0.0)) for x in xs),
                    default=0.0)
        check = {"sequences": len(xs), "steps": T, "max_rel_error": res["max_rel"],
                 "max_abs_error": res["max_abs"], "equivalent": res["equivalent"],
                 "margin": _finite(max(U.extra_state_margin(cons, x) for x in xs)),
                 "extra_states_max": extra,
                 "note": "independent re-simulation on sampled inputs; the proof is Theorem 1 plus margin <= 0"}
    data = {"schema": SCHEMA, "input": args.network, "output": args.out}
    data.update({k: (_finite(v) if isinstance(v, float) else v) for k, v in cons.to_json().items()})
    data["check"] = check
    with inputs.transaction():
        save_network(args.out, cons.urnn)
        if args.json:
            write_json(args.json, data)
    if cons.balance_D is not None:
        print(f"diagonal balancing applied: ||D W D^-1||_2 = {cons.rho:.6g} < 1 (||W||_2 = "
              f"{np.linalg.norm(spec.W, 2):.6g}); the URNN's first block is D h (JSON balance_D)")
    print(f"wrote {args.out}: {cons.urnn.n} states ({cons.n} + {cons.r}), ||W||_2 = {cons.rho:.6g}, "
          f"beta = {cons.beta:.6g}, orthogonality error {cons.orthogonality_error:.2e}, "
          f"equivalent for ||x_k||_{args.norm} <= {cons.M:g}"
          + (f" and sequences of length <= {cons.horizon}" if cons.horizon else ""))
    if check is not None:
        print(f"re-simulated {check['sequences']} bounded sequences: max relative output error "
              f"{check['max_rel_error']:.2e}, extra states max {check['extra_states_max']:g}")
    if args.json:
        print(f"wrote {args.json}")
    return 0
