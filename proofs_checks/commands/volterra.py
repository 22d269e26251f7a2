"""``rnnproof volterra NETWORK.npz --input INPUT.npz --order N [--json PATH]`` (brief ``response``).

Finds the network's fixed point and reports the Volterra coefficients $Y_1..Y_N$ of the output at the
final time ($y(t)=y^*+\\sum_n\\varepsilon^nY_n(t)$ for input $\\varepsilon u$) and the order-1 kernel on
the input grid. INPUT.npz holds ``t`` (increasing, starting at 0) and ``u`` (len(t) × m, linear
between samples). JSON schema ``rnnproof.volterra/1``.
"""

from __future__ import annotations

from proofs_checks.argtypes import positive_int as _order

SCHEMA = "rnnproof.volterra/1"


def register(subparsers):
    p = subparsers.add_parser("volterra", help="Volterra coefficients of an SRNN's output for a given input")
    p.add_argument("network", metavar="NETWORK.npz", help="network file with form=srnn (gamma, optional sigma)")
    p.add_argument("--input", required=True, metavar="INPUT.npz", help="t (increasing, from 0) and u (len(t) x m)")
    p.add_argument("--order", required=True, type=_order, metavar="N", help="highest order N >= 1")
    p.add_argument("--json", metavar="PATH", help="write the JSON result here (atomically)")
    p.add_argument("--paths", type=int, default=20000, help="Monte Carlo paths when sigma > 0 and n >= 2")
    p.add_argument("--seed", type=int, default=0, help="Monte Carlo seed")
    p.set_defaults(handler=_run)


def load_input(path):
    """Read INPUT.npz into a :class:`numerics.response.PiecewiseLinearInput` (errors name the key)."""
    import os
    import zipfile

    import numpy as np

    from numerics import InputError
    from numerics.response import PiecewiseLinearInput
    if not os.path.exists(path):
        raise InputError(f"--input: file not found: {path}")
    try:
        with np.load(path, allow_pickle=False) as data:
            if not hasattr(data, "files"):
                raise InputError(f"--input: {path} must be an .npz archive with keys t and u")
            missing = [k for k in ("t", "u") if k not in data.files]
            if missing:
                raise InputError(f"--input: {path} lacks key(s) {', '.join(missing)}; it needs t and u")
            t, u = data["t"], data["u"]
    except InputError:
        raise
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
        raise InputError(f"--input: {path} is not a readable .npz file ({exc})") from None
    for name, arr in (("t", t), ("u", u)):
        if arr.dtype.kind not in "iuf":
            raise InputError(f"--input: {name} must be a real numeric array, got dtype {arr.dtype}")
    return PiecewiseLinearInput(t, u)


def _run(args) -> int:
    import numpy as np

    from numerics import InputError, load_network
    from numerics.response import srnn_from_spec, volterra_report
    from proofs_checks.report import write_json
    if args.paths < 100:
        raise InputError(f"--paths must be at least 100, got {args.paths}")
    spec = load_network(args.network)
    model = srnn_from_spec(spec)
    inp = load_input(args.input)
    result = volterra_report(model, inp, args.order, paths=args.paths, rng=np.random.default_rng(args.seed))
    result = {"schema": SCHEMA, "network": args.network, "input": args.input, **result}
    print(f"rnnproof volterra: n = {model.n}, m = {model.m}, outputs = {model.p}, "
          f"sigma {'= 0' if model.deterministic else '> 0'}, T = {inp.T:g}")
    print(f"fixed point h* = {np.array2string(np.array(result['fixed_point']), precision=6)}, "
          f"spectral abscissa of J = {result['spectral_abscissa']:.6g}")
    for k, (vals, unc, method) in enumerate(zip(result["coefficients"], result["uncertainty"], result["methods"]), 1):
        shown = ", ".join(f"{v:.10g} ± {u:.2g}" for v, u in zip(vals, unc))
        print(f"Y_{k}(T) = [{shown}]  ({method})")
    if args.json:
        write_json(args.json, result)
        print(f"wrote {args.json}")
    return 0
