"""``rnnproof equivalent A.npz B.npz --input-bound M [--steps T] [--trials K] [--seed S] [--json PATH]``.

Checks that two discrete networks have the same input-output map on input sequences with
||x_k||_2 <= M: the zero sequence, then K seeded sequences uniform in the ball, on the sphere of
radius M and constant along the top right singular vectors of both input matrices. Exit 0 when
every output agrees within ``--rtol`` (max|y_A - y_B| <= rtol·(1 + max|y_A|)), 1 when a
counterexample is found (saved as an .npz with ``x``, ``y_a``, ``y_b``, ``time`` to
``--counterexample``, default ``counterexample.npz``), 2 on bad input. Sampling can refute
equivalence but never prove it; for a URNN built by ``rnnproof urnn`` the proof is Theorem 1.

JSON (schema ``rnnproof.equivalent/1``): ``equivalent``, ``input_bound``, ``steps``, ``trials``,
``seed``, ``rtol``, ``sequences_tried``, ``max_abs_error``, ``max_rel_error``, ``first_failure``
(``{"sequence", "time"}`` or null), ``counterexample_file`` (or null) and ``note``.
"""

from __future__ import annotations

from proofs_checks.argtypes import bounded_int, open_unit_float as _rtol, positive_float as _bound, seed as _seed
from proofs_checks.network_options import add_network_options, options_for_file, reader_options, require_used

SCHEMA = "rnnproof.equivalent/1"


def register(subparsers):
    p = subparsers.add_parser(
        "equivalent", help="check that two discrete networks agree on inputs with ||x_k||_2 <= M")
    p.add_argument("a", metavar="A.npz", help="the first discrete network file")
    p.add_argument("b", metavar="B.npz", help="the second discrete network file")
    p.add_argument("--input-bound", type=_bound, required=True, metavar="M",
                   help="bound M on ||x_k||_2 of the sampled input sequences")
    p.add_argument("--steps", type=bounded_int(1, 10 ** 9, "sequence length"), default=50, metavar="T",
                   help="sequence length (default 50)")
    p.add_argument("--trials", type=bounded_int(1, 10 ** 9, "random sequences"), default=64, metavar="K",
                   help="random sequences (default 64)")
    p.add_argument("--seed", type=_seed, default=0, help="seed of the sampled sequences (default 0)")
    p.add_argument("--rtol", type=_rtol, default=1e-9,
                   help="relative output tolerance (default 1e-9: round-off over long horizons)")
    p.add_argument("--counterexample", default="counterexample.npz", metavar="PATH",
                   help="where a counterexample is saved (default counterexample.npz)")
    p.add_argument("--json", metavar="PATH", help="write the JSON result here (atomically)")
    add_network_options(p)
    p.set_defaults(handler=_run)


def _save_npz(path, **arrays):
    import numpy as np

    from numerics.arrays import write_atomic
    write_atomic(path, lambda handle: np.savez(handle, **arrays))


def _run(args) -> int:
    import numpy as np

    from numerics import InputError
    from numerics import unitary as U
    from proofs_checks import inputs
    from proofs_checks.report import write_json

    inputs.check_outputs({"--json": args.json, "--counterexample": args.counterexample},
                         inputs={"A.npz": args.a, "B.npz": args.b})
    nets = []
    options = reader_options(args)
    require_used((args.a, args.b), options)    # each file takes the options its format uses
    for path, name in ((args.a, "A.npz"), (args.b, "B.npz")):
        spec = inputs.read_network_argument(path, name, **options_for_file(path, options))
        if spec.time != "discrete" or spec.form != "rnn" or spec.alpha is not None:
            raise InputError(f"{path}: equivalence is checked for plain discrete-time networks "
                             f"(time=discrete, no alpha), got time={spec.time}")
        nets.append(spec)
    a, b = nets
    if a.m != b.m:
        raise InputError(f"{args.b} has {b.m} inputs but {args.a} has {a.m}; the networks must take "
                         "the same input dimension")
    ka, kb = (s.k if s.C is not None else s.n for s in nets)
    if ka != kb:
        raise InputError(f"{args.b} has {kb} outputs but {args.a} has {ka}; the networks must have the "
                         "same output dimension")
    n_total, m = a.n + b.n, max(a.m, 1)
    # every sequence is drawn up front (complex: 16 bytes), then both networks are simulated
    inputs.require_resources(f"--steps {args.steps} × --trials {args.trials}",
                             memory=16 * (args.trials + 1) * args.steps * (m + 2 * n_total),
                             seconds=(args.trials + 1) * args.steps * (2e-5 + 2e-9 * n_total ** 2),
                             lower="--steps/--trials")
    rng = np.random.default_rng(args.seed)
    res = U.search_counterexample(a, b, args.input_bound, args.steps, args.trials, rng,
                                  rtol=args.rtol, atol=args.rtol)
    data = {"schema": SCHEMA, "a": args.a, "b": args.b, "equivalent": res["equivalent"],
            "input_bound": args.input_bound, "steps": args.steps, "trials": args.trials,
            "seed": args.seed, "rtol": args.rtol, "sequences_tried": res["sequences_tried"],
            "max_abs_error": res["max_abs"], "max_rel_error": res["max_rel"],
            "first_failure": None, "counterexample_file": None, "note": res["note"]}
    if not res["equivalent"]:
        seq, t = res["first_failure"]
        x = res["counterexample"]
        _, ya = U.simulate(a, x)
        _, yb = U.simulate(b, x)
        data["first_failure"] = {"sequence": seq, "time": t}
        data["counterexample_file"] = args.counterexample
    with inputs.transaction():
        if not res["equivalent"]:
            _save_npz(args.counterexample, x=x, y_a=ya, y_b=yb, time=np.array(t),
                      input_bound=np.array(args.input_bound))
        if args.json:
            write_json(args.json, data)
    if res["equivalent"]:
        print(f"equivalent on {res['sequences_tried']} sequences of length {args.steps} with "
              f"||x_k||_2 <= {args.input_bound:g}: max relative output error {res['max_rel']:.2e} "
              f"(sampling cannot prove equivalence)")
        return 0
    print(f"NOT equivalent: outputs differ by {res['max_abs']:.3e} (relative {res['max_rel']:.3e}) first at "
          f"time {t} of sequence {seq} with ||x_k||_2 <= {args.input_bound:g}; counterexample saved to "
          f"{args.counterexample} (arrays x, y_a, y_b, time)")
    return 1
