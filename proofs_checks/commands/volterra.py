"""``rnnproof volterra NETWORK.npz --input INPUT.npz --order N [--json PATH]`` (Lim 2021; claims ``response.*``).

Finds the network's fixed point and reports the Volterra coefficients $Y_1..Y_N$ of the output at the
final time ($y(t)=y^*+\\sum_n\\varepsilon^nY_n(t)$ for input $\\varepsilon u$) and the order-1 kernel on
the input grid. INPUT.npz holds ``t`` (increasing, starting at 0) and ``u`` (len(t) × m, linear
between samples). JSON schema ``rnnproof.volterra/1``.
"""

from __future__ import annotations

import math

from proofs_checks.argtypes import bounded_int, seed as _seed
from proofs_checks.network_options import add_network_options, reader_options

# Order N needs central differences at ±ε..±(N/2)ε (Monte Carlo) or N coupled variational levels; far
# beyond 12 the finite differences lose every digit (ε⁻ᴺ·10⁻¹⁶ with ε = 0.1) and the hierarchy grows
# like the partitions of N.
MAX_ORDER = 12

SCHEMA = "rnnproof.volterra/1"


def register(subparsers):
    p = subparsers.add_parser("volterra", help="Volterra coefficients of an SRNN's output for a given input")
    p.add_argument("network", metavar="NETWORK.npz", help="network file with form=srnn (gamma, optional sigma)")
    p.add_argument("--input", required=True, metavar="INPUT.npz", help="t (increasing, from 0) and u (len(t) x m)")
    p.add_argument("--order", required=True, type=bounded_int(1, MAX_ORDER, "Volterra order"), metavar="N",
                   help=f"highest order N, 1..{MAX_ORDER}")
    p.add_argument("--json", metavar="PATH", help="write the JSON result here (atomically)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--paths", type=bounded_int(100, 10 ** 8, "Monte Carlo paths"), default=20000,
                   help="Monte Carlo paths when sigma > 0 and n >= 2 (default 20000, at least 100)")
    p.add_argument("--seed", type=_seed, default=0, help="Monte Carlo seed (default 0)")
    add_network_options(p)
    p.set_defaults(handler=_run)


def load_input(path):
    """Read INPUT.npz into a :class:`numerics.response.PiecewiseLinearInput` (errors name the key)."""
    from numerics import InputError
    from numerics.response import PiecewiseLinearInput
    from proofs_checks.inputs import read_npz_argument
    data = read_npz_argument(path, "--input", ("t", "u"), real=True, finite=False)
    try:
        return PiecewiseLinearInput(data["t"], data["u"])
    except InputError as exc:
        raise InputError(f"--input: {exc}") from None


def _run(args) -> int:
    import numpy as np

    from numerics.response import srnn_from_spec, volterra_report
    from proofs_checks import inputs
    from proofs_checks.progress import Progress
    from proofs_checks.report import write_json
    inputs.check_outputs({"--json": args.json}, inputs={"NETWORK": args.network, "--input": args.input})
    spec = inputs.read_network_argument(args.network, "NETWORK", **reader_options(args))
    model = srnn_from_spec(spec)
    inp = load_input(args.input)
    _estimate(inputs, model, inp, args)
    with Progress(1, unit="step", label="volterra", quiet=bool(getattr(args, "quiet", False))) as bar:
        result = volterra_report(model, inp, args.order, paths=args.paths, rng=np.random.default_rng(args.seed),
                                 progress=lambda done, total, what: bar.update_to(done, total, what))
    result = {"schema": SCHEMA, "network": args.network, "input": args.input, **result}
    print(f"rnnproof volterra: n = {model.n}, m = {model.m}, outputs = {model.p}, "
          f"sigma {'= 0' if model.deterministic else '> 0'}, T = {inp.T:g}")
    print(f"fixed point h* = {np.array2string(np.array(result['fixed_point']), precision=6)}, "
          f"spectral abscissa of J = {result['spectral_abscissa']:.6g}")
    for k, (vals, unc, method) in enumerate(zip(result["coefficients"], result["uncertainty"], result["methods"]), 1):
        shown = ", ".join(f"{v:.10g} ± {u:.2g}" for v, u in zip(vals, unc))
        print(f"Y_{k}(T) = [{shown}]  ({method})")
    if args.json:
        with inputs.transaction():
            write_json(args.json, result)
        print(f"wrote {args.json}")
    return 0


def _estimate(inputs, model, inp, args) -> None:
    """Memory and time of :func:`numerics.response.volterra_report` before it starts.

    Monte Carlo (σ > 0, n ≥ 2): Euler–Maruyama with dt ≤ 0.01 over [0, T] plus a burn-in, on
    ``paths`` × (2⌈N/2⌉ + 1) common-random-number copies of the n states.
    """
    n, N = model.n, args.order
    copies = 2 * ((N + 1) // 2) + 1
    if model.deterministic or model.activation == "linear" or n == 1:
        memory = 8 * (len(inp.t) * (n * N + model.m) * 8 + 64 * n * n * N)
        seconds = 1e-6 * len(inp.t) * N * n * n
        what = f"order {N} on {len(inp.t)} input samples"
    else:
        steps = math.ceil(inp.T / 0.01) + 1000
        memory = 8 * (6 * args.paths * n * copies + steps * model.m)
        seconds = steps * args.paths * copies * (4e-9 * n * n + 2e-8)
        what = f"Monte Carlo with --paths {args.paths} over {steps} steps at order {N}"
    inputs.require_resources(what, memory=memory, seconds=seconds, lower="--paths/--order or the input's T")
