"""``rnnproof linearize NETWORK.npz [--input U.npy] [--json PATH] [--seed S] [--relu-gain-at-zero {0,1}]``.

Finds the fixed point of the network under the constant input ``U`` (Newton; residual reported),
builds the activation- and activity-frame linearizations, matches their spectra, checks the
D⁻¹-free eigenvector maps and gives a similarity verdict (Pagan et al. 2023, §2; claims
``linearization.*``). The work is done by :func:`numerics.linearization.linearize`.

JSON (schema ``rnnproof.linearize/1``): ``fixed_point``, ``start``, ``residual``, ``iterations``,
``sigma_min``, ``converged``, ``fixed_points_found``, ``gains``, ``silent_units`` (0-based),
``jacobians`` (the convention), ``special_eigenvalue`` (the one silent units produce),
``eigenvalues`` (``{"activation": [[re, im], ...], "activity": [[re, im], ...]}``, paired),
``spectrum`` (how A_r's spectrum was obtained and the matched distance), ``eigvec_maps``,
``similar`` (true / false / null), ``verdict``, ``partitions`` (Jordan block sizes at the silent
eigenvalue, or null) and ``ok``. Exit 0 when a fixed point was found and every check passed,
1 otherwise, 2 on bad input (no JSON is written then).
"""

from __future__ import annotations


from proofs_checks.argtypes import seed as _seed

SCHEMA = "rnnproof.linearize/1"


def register(subparsers):
    p = subparsers.add_parser("linearize",
                              help="fixed point, both linearizations, spectra and a similarity verdict")
    p.add_argument("network", metavar="NETWORK.npz", help="the network file (continuous or discrete)")
    p.add_argument("--input", metavar="U.npy", help="constant input u0 (.npy vector of length m; default 0)")
    p.add_argument("--json", metavar="PATH", help="write the result as JSON here (atomically)")
    p.add_argument("--seed", type=_seed, default=0, help="seed of the random Newton starts (default 0)")
    p.add_argument("--relu-gain-at-zero", type=int, choices=(0, 1), default=None,
                   help="convention for φ′(0) when a ReLU unit sits at 0 (default: error)")
    p.set_defaults(handler=_run)


def _load_input(path, m):
    import numpy as np

    from numerics import InputError
    from proofs_checks.inputs import read_npy_argument
    arr = read_npy_argument(path, "--input", real=True, finite=False)
    if arr.ndim > 1:
        raise InputError(f"--input: must be a vector of length m = {m}, got shape {arr.shape}")
    arr = arr.astype(float).reshape(-1)
    if m == 0:
        raise InputError("--input given, but the network has no input matrix B")
    if arr.size != m:
        raise InputError(f"--input: must hold m = {m} values (one per column of B), got {arr.size}")
    if not np.all(np.isfinite(arr)):
        raise InputError("--input: contains NaN or Inf; every entry must be finite")
    return arr


def _fmt(x):
    return "n/a" if x is None else f"{x:.3g}"


def _run(args) -> int:
    import numpy as np

    from numerics.linearization import linearize
    from proofs_checks import inputs
    from proofs_checks.report import write_json

    inputs.check_outputs({"--json": args.json}, inputs={"NETWORK": args.network, "--input": args.input})
    # eigendecompositions of both n×n frames (complex), their eigenvector maps and Newton steps
    spec = inputs.read_network_argument(args.network, "NETWORK",
                                        work=lambda n: (16 * 40 * n * n, 2e-9 * 400 * n ** 3))
    u0 = _load_input(args.input, spec.m) if args.input else None
    out = linearize(spec, u0=u0, rng=np.random.default_rng(args.seed),
                    relu_gain_at_zero=args.relu_gain_at_zero)
    out["schema"] = SCHEMA
    out["seed"] = args.seed
    if args.json:
        with inputs.transaction():
            write_json(args.json, out)
    print(f"rnnproof linearize: {spec.n} units, {spec.activation}, {spec.time}")
    if out["converged"]:
        print(f"fixed point: residual {out['residual']:.2e} after {out['iterations']} Newton step(s) "
              f"from start {out['start']}; σ_min(A_x) = {_fmt(out['sigma_min'])}; "
              f"{out['fixed_points_found']} distinct fixed point(s) found")
        silent = out["silent_units"]
        print(f"gains: min {min(out['gains']):.3g}, max {max(out['gains']):.3g}; "
              f"silent units: {silent if len(silent) <= 20 else f'{len(silent)} units'}")
        print(f"Jacobians: {out['jacobians']}; spectrum of A_r: {out['spectrum']['method']}, "
              f"max matched distance {_fmt(out['spectrum']['max_distance'])}")
        maps = out["eigvec_maps"]
        for side in ("right", "left"):
            m = maps[side]
            res = "n/a" if m["max_relative_residual"] is None else f"{m['max_relative_residual']:.2e}"
            print(f"{side} eigenvector map {m['map']}: {m['checked']} checked, max relative residual "
                  f"{res} ({'ok' if m['ok'] else 'FAILED'})")
    print(f"verdict: {out['verdict']}")
    if args.json:
        print(f"wrote {args.json}")
    return 0 if out["ok"] else 1
