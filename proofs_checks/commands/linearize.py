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
from proofs_checks.network_options import add_network_options, reader_options

SCHEMA = "rnnproof.linearize/1"


def register(subparsers):
    p = subparsers.add_parser("linearize",
                              help="fixed point, both linearizations, spectra and a similarity verdict")
    p.add_argument("network", metavar="NETWORK.npz", help="the network file (continuous or discrete)")
    p.add_argument("--input", metavar="U.npy", help="constant input u0 (.npy vector of length m; default 0)")
    p.add_argument("--json", metavar="PATH", help="write the result as JSON here (atomically)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--seed", type=_seed, default=0, help="seed of the random Newton starts (default 0)")
    p.add_argument("--relu-gain-at-zero", type=int, choices=(0, 1), default=None,
                   help="convention for φ′(0) when a ReLU unit sits at 0 (default: error)")
    p.add_argument("--starts", metavar="STATES.npy|auto", default=None,
                   help="find every fixed and slow point by minimising q = ½‖F(x) − x‖² from these states "
                        "((N, n) or (trials, T, n) .npy, in the network's state coordinates), or 'auto': "
                        "states sampled from simulating the network under --input")
    p.add_argument("--n-starts", type=int, default=1024, help="number of starts with --starts auto (default 1024)")
    p.add_argument("--q-tol", type=float, default=1e-6,
                   help="keep points with q ≤ this; those above the fixed-point tolerance are slow points "
                        "(default 1e-6)")
    p.add_argument("--plot", metavar="DIR", default=None,
                   help="with --starts: write points.png (points on the trajectories' principal components)")
    add_network_options(p)
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


def _quiet(args) -> bool:
    return bool(getattr(args, "quiet", False))


def _fmt(x):
    return "n/a" if x is None else f"{x:.3g}"


def _run(args) -> int:
    import numpy as np

    from numerics.linearization import linearize
    from proofs_checks import inputs
    from proofs_checks.progress import Progress
    from proofs_checks.report import write_json

    inputs.check_outputs({"--json": args.json}, inputs={"NETWORK": args.network, "--input": args.input})
    # eigendecompositions of both n×n frames (complex), their eigenvector maps and Newton steps
    spec = inputs.read_network_argument(args.network, "NETWORK",
                                        work=lambda n: (16 * 40 * n * n, 2e-9 * 400 * n ** 3),
                                        **reader_options(args))
    u0 = _load_input(args.input, spec.m) if args.input else None
    if args.starts is not None:
        return _run_points(args, spec, u0)
    if args.plot:
        from numerics import InputError
        raise InputError("--plot draws the points found with --starts; add --starts auto or --starts STATES.npy")
    with Progress(1, unit="step", label="linearize", quiet=_quiet(args)) as bar:
        out = linearize(spec, u0=u0, rng=np.random.default_rng(args.seed),
                        relu_gain_at_zero=args.relu_gain_at_zero,
                        progress=lambda done, total, what: bar.update_to(done, total, what))
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


POINTS_SCHEMA = "rnnproof.linearize.points/1"


def _run_points(args, spec, u0) -> int:
    """``--starts``: every fixed and slow point (numerics.fixed_points), each linearized in both frames.

    JSON (schema ``rnnproof.linearize.points/1``): ``points`` (each with ``kind`` fixed/slow, ``q``,
    ``start`` and ``starts`` (row indices of the starts), ``unstable_modes``, ``state``, both
    spectra, ``similar`` and ``verdict``), ``n_starts``, ``q_tol``, ``fixed_q_tol``, ``dedup_tol``,
    ``state_coordinates`` and the search's ``info``. Exit 0 when at least one point was found and
    every point's right-eigenvector map v_r = D v_x holds to 10⁻⁸ relative, 1 otherwise.
    """
    import os

    import numpy as np

    from numerics import InputError
    from numerics.arrays import load_npy
    from numerics.fixed_points import auto_starts, find_fixed_points, linearize_points, state_kind
    from proofs_checks.progress import Progress
    from proofs_checks.report import write_json

    if not (np.isfinite(args.q_tol) and args.q_tol > 0):
        raise InputError(f"--q-tol must be positive and finite, got {args.q_tol!r}")
    if args.plot and os.path.exists(args.plot) and not os.path.isdir(args.plot):
        raise InputError(f"--plot: {args.plot} exists and is not a folder")
    trajectories = None
    if args.starts == "auto" and args.n_starts < 1:
        raise InputError(f"--n-starts must be at least 1, got {args.n_starts}")
    # numerics.fixed_points takes no progress callback: the count is per phase of the search
    with Progress(3, unit="phase", label="linearize --starts", quiet=_quiet(args)) as bar:
        if args.starts == "auto":
            starts, trajectories = auto_starts(spec, u0, n_starts=args.n_starts,
                                               rng=np.random.default_rng(args.seed))
        else:
            starts = load_npy(args.starts, "--starts")
        bar.advance("starts ready")
        search = find_fixed_points(spec, starts, u=u0, q_tol=args.q_tol)
        bar.advance("fixed and slow points found")
        points = linearize_points(spec, search)
        bar.advance("points linearized")
    ok = bool(points) and all((p["eigvec_map_right_max_residual"] or 0.0) <= 1e-8 for p in points)
    out = {"schema": POINTS_SCHEMA, "network": spec.source, "n": spec.n, "activation": spec.activation,
           "time": spec.time, "input": (u0.tolist() if u0 is not None else [0.0] * spec.m),
           "state_coordinates": state_kind(spec), "n_starts": int(len(search.q_end)),
           "q_tol": search.q_tol, "fixed_q_tol": search.fixed_q_tol, "dedup_tol": search.dedup_tol,
           "fixed_points": len(search.fixed), "slow_points": len(search.slow),
           "starts_assigned": int(np.sum(search.assigned >= 0)), "info": search.info,
           "points": points, "seed": args.seed, "ok": ok}
    if args.plot:
        os.makedirs(args.plot, exist_ok=True)
        _plot_points(os.path.join(args.plot, "points.png"), spec, search, points,
                     trajectories if trajectories is not None else np.asarray(starts, float).reshape(-1, spec.n))
    if args.json:
        write_json(args.json, out)
    print(f"rnnproof linearize: {spec.n} units, {spec.activation}, {spec.time}; {out['n_starts']} starts "
          f"({'auto' if args.starts == 'auto' else args.starts}), q-tol {search.q_tol:g}")
    print(f"{len(search.fixed)} fixed point(s), {len(search.slow)} slow point(s) "
          f"(fixed: q ≤ {search.fixed_q_tol:.2g}); {out['starts_assigned']} of {out['n_starts']} starts reached one")
    for p in points:
        print(f"  #{p['index']} {p['kind']:5s} q={p['q']:.2e} unstable modes {p['unstable_modes']:3d}  "
              f"from start {p['start']} ({p['n_starts']} starts)  spectra matched to "
              f"{p['spectrum_max_distance']:.1e}; {p['verdict'].split(':')[0]}")
    if points:
        print(f"Jacobians: {points[0]['jacobians']}")
    if args.plot:
        print(f"wrote {os.path.join(args.plot, 'points.png')}")
    if args.json:
        print(f"wrote {args.json}")
    return 0 if ok else 1


def _plot_points(path, spec, search, points, trajectories):
    """Points on the first two principal components of the trajectories, coloured by stability,
    with each point's leading eigenvector (activity frame, mapped to state coordinates) drawn."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from sklearn.decomposition import PCA

    from numerics.arrays import write_atomic
    flat = np.asarray(trajectories, float).reshape(-1, spec.n)
    pca = PCA(n_components=min(2, spec.n)).fit(flat)
    proj = lambda X: np.pad(pca.transform(np.atleast_2d(X)), ((0, 0), (0, max(0, 2 - spec.n))))  # noqa: E731
    fig, ax = plt.subplots(figsize=(6, 5))
    T = proj(flat)
    ax.plot(T[:, 0], T[:, 1], ".", ms=1, color="0.8", label="trajectory states")
    span = float(np.ptp(T[:, 0]) + 1e-12) * 0.08
    for p, lin in zip(search.points, points):
        xy = proj(p.state)[0]
        colour = "tab:blue" if lin["unstable_modes"] == 0 else "tab:red"
        marker = "o" if p.kind == "fixed" else "x"
        ax.plot(xy[0], xy[1], marker, color=colour, ms=7)
        w, V = np.linalg.eig(_update_jacobian(spec, p))
        v = np.real(V[:, int(np.argmax(np.abs(w) if spec.time == "discrete" else w.real))])
        tip = proj(p.state + span * v / max(np.linalg.norm(pca.components_ @ v), 1e-12))[0]
        ax.plot([xy[0], tip[0]], [xy[1], tip[1]], "-", color=colour, lw=1)
    ax.plot([], [], "o", color="tab:blue", label="stable")
    ax.plot([], [], "o", color="tab:red", label="unstable")
    ax.plot([], [], "x", color="k", label="slow point")
    ax.set_xlabel("PC 1")
    ax.set_ylabel("PC 2")
    ax.set_title("fixed and slow points; lines: leading eigenvector")
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    write_atomic(path, lambda handle: fig.savefig(handle, format="png", dpi=120))
    plt.close(fig)


def _update_jacobian(spec, point):
    import numpy as np

    from numerics import get_activation
    d = get_activation(spec.activation).dphi(point.activation)
    W = np.asarray(spec.W)
    if spec.time == "discrete" and spec.alpha is None:
        return d[:, None] * W                          # h ↦ φ(Wh + c): D W
    A = W * d[None, :] - np.eye(spec.n)
    if spec.time == "discrete":
        return np.eye(spec.n) + spec.alpha * A
    return A / spec.tau_vector()[:, None]
