"""``rnnproof experiment linear_recurrence.reconstruction``: reconstruction error vs N, the
main experiment of Orvieto et al. 2024 (arXiv:2307.11888) as the toolkit reconstructs it.

For every horizon L, eigenvalue initialisation, state size N (complex units; real dimension 2N),
input family, noise level and decoder: encode ``--trials`` random sequences into $x_L$ (real-stacked
state map $A\\in\\mathbb R^{2N\\times L}$), decode, and report the median relative error, the
exact-recovery rate (relative error < 1e-8) and κ₂(A). The pseudo-inverse is computed once per
(init, N) cell and reused. Outputs in ``--out DIR``: ``table.md``, ``results.json``
(schema ``rnnproof.experiment.linear_recurrence.reconstruction/1``) and ``figure.png``.

This is where a user sees under which setups "N = 512 is nearly perfect" and "linear beats
non-linear at smaller N" hold: they come from a secondary summary whose setup is unknown, so
they are not encoded as claims.
"""

from __future__ import annotations

import math
import os
from proofs_checks.argtypes import positive_int as _pos_int, nonnegative_float as _nonneg_float

SCHEMA = "rnnproof.experiment.linear_recurrence.reconstruction/1"
INITS = ("half_roots", "roots", "ring", "ring_pi10", "s4d", "real")
INPUTS = ("gaussian", "sparse", "smooth")
DECODERS = ("linear", "ridge", "omp", "mlp")


def configure(parser):
    parser.description = ("Reconstruction error vs state size N for linear diagonal recurrences "
                          "(the main experiment of Orvieto et al. 2024).")
    parser.add_argument("--L", type=_pos_int, nargs="+", default=[512, 1024], help="horizons (default 512 1024)")
    parser.add_argument("--N", type=_pos_int, nargs="+", help="complex state sizes (default L/16 … 2L)")
    parser.add_argument("--init", nargs="+", choices=INITS, default=["half_roots", "ring", "ring_pi10", "s4d", "real"],
                        help="eigenvalue initialisations")
    parser.add_argument("--radius", type=float, default=1.0, help="radius r of roots / half_roots (default 1)")
    parser.add_argument("--inputs", nargs="+", choices=INPUTS, default=["gaussian", "sparse"])
    parser.add_argument("--sparsity", type=_pos_int, default=4, help="k of the sparse inputs (default 4)")
    parser.add_argument("--decoder", nargs="+", choices=DECODERS, default=["linear", "omp"],
                        help="linear (min-norm), ridge (Wiener, noise > 0), omp (k atoms on sparse inputs, "
                             "at most 64 otherwise), mlp (scikit-learn, 128 units, 100 epochs)")
    parser.add_argument("--noise", type=_nonneg_float, nargs="+", default=[0.0], help="relative state noise levels")
    parser.add_argument("--trials", type=_pos_int, default=20, help="sequences per cell (default 20)")
    parser.add_argument("--rcond", type=float, default=1e-12, help="pseudo-inverse cutoff (reported)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="lr_reconstruction", metavar="DIR")


def _inputs(rng, family, L, T, k):
    import numpy as np
    from numpy.polynomial import legendre
    if family == "gaussian":
        return rng.standard_normal((L, T))
    if family == "sparse":
        U = np.zeros((L, T))
        support = np.argsort(rng.random((L, T)), axis=0)[: min(k, L)]
        np.put_along_axis(U, support, rng.standard_normal(support.shape), axis=0)
        return U
    P = min(8, L)
    return legendre.legvander(np.linspace(-1, 1, L), P - 1) @ rng.standard_normal((P, T))


def run_study(Ls, Ns, inits, inputs, decoders, noises, trials, seed=0, radius=1.0, sparsity=4, rcond=1e-12,
              progress=None) -> list:
    """The study's rows (one dict per cell); library function behind the command."""
    import numpy as np

    from numerics import InputError
    from numerics import linear_recurrence as NL
    rows = []
    for L in Ls:
        grid = sorted(set(Ns)) if Ns else sorted({max(1, L // 16), max(1, L // 8), max(1, L // 4),
                                                   max(1, L // 2), L, 2 * L})
        for init in inits:
            for N in grid:
                rng = np.random.default_rng([seed, L, N, INITS.index(init)])
                fam = "half_roots" if init == "half_roots" else init
                try:
                    nodes = NL.make_nodes(fam, N, L, rng, r=radius)
                except InputError as exc:
                    rows.append({"L": L, "init": init, "N": N, "skipped": str(exc)})
                    continue
                A = NL.real_stacked(NL.state_matrix(nodes, L))
                with np.errstate(all="ignore"):
                    U_, s, Vh = np.linalg.svd(A, full_matrices=False)
                keep = s > rcond * s[0]
                Apinv = (Vh[keep].T / s[keep]) @ U_[:, keep].T
                kappa = float(s[0] / s[-1]) if s[-1] > 0 and A.shape[0] >= L else math.inf
                for family in inputs:
                    U = _inputs(rng, family, L, trials, sparsity)
                    X0 = A @ U
                    for noise in noises:
                        E = rng.standard_normal(X0.shape)
                        X = X0 + noise * E * (np.linalg.norm(X0, axis=0) / np.maximum(np.linalg.norm(E, axis=0), 1e-300))
                        for dec in decoders:
                            if dec == "ridge" and noise == 0:
                                continue
                            if dec == "linear":
                                Uh = Apinv @ X
                            elif dec == "ridge":
                                s2 = float(np.mean(U ** 2))
                                sig2 = float(np.mean((X - X0) ** 2))
                                Uh = NL.wiener_decode(A, X, s2, sig2)
                            elif dec == "omp":
                                # sparse inputs: k known; other families: at most 64 atoms (OMP cannot be
                                # exact there, and L-atom OMP at L = 1024 would dominate the run time)
                                k = sparsity if family == "sparse" else min(64, L, A.shape[0])
                                Uh = NL.omp_decode(A, X, k=k)
                            else:
                                train = _inputs(rng, family, L, 2000, sparsity)
                                Xt = A @ train
                                mlp = NL.MLPDecoder(hidden=128, max_iter=100, seed=seed).fit(Xt.T, train.T)
                                Uh = mlp.predict(X.T).T
                            rel = np.linalg.norm(Uh - U, axis=0) / np.maximum(np.linalg.norm(U, axis=0), 1e-300)
                            rows.append({"L": L, "init": init, "N": N, "real_dim": int(A.shape[0]), "inputs": family,
                                         "noise": noise, "decoder": dec, "median_rel_error": float(np.median(rel)),
                                         "exact_rate": float(np.mean(rel < 1e-8)),
                                         "cond2": kappa if math.isfinite(kappa) else None,
                                         "effective_rank": int(keep.sum()), "rcond": rcond, "trials": trials})
                            if progress:
                                progress(rows[-1])
    return rows


def _table(rows) -> str:
    lines = ["| L | init | N | real dim | inputs | noise | decoder | median rel. error | exact (<1e-8) | κ₂(A) | eff. rank |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "skipped" in r:
            lines.append(f"| {r['L']} | {r['init']} | {r['N']} | | | | | skipped: {r['skipped']} | | | |")
            continue
        k = "∞" if r["cond2"] is None else f"{r['cond2']:.2e}"
        lines.append(f"| {r['L']} | {r['init']} | {r['N']} | {r['real_dim']} | {r['inputs']} | {r['noise']:g} | "
                     f"{r['decoder']} | {r['median_rel_error']:.2e} | {r['exact_rate']:.0%} | {k} | "
                     f"{r['effective_rank']} |")
    return "\n".join(lines) + "\n"


def _figure(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    rows = [r for r in rows if "skipped" not in r]
    Ls = sorted({r["L"] for r in rows})
    fams = sorted({r["inputs"] for r in rows})
    fig, axes = plt.subplots(len(fams), len(Ls), figsize=(5.5 * len(Ls), 4 * len(fams)), squeeze=False)
    for i, fam in enumerate(fams):
        for j, L in enumerate(Ls):
            ax = axes[i][j]
            sel = [r for r in rows if r["L"] == L and r["inputs"] == fam]
            for key in sorted({(r["init"], r["decoder"], r["noise"]) for r in sel}):
                pts = sorted((r["N"], max(r["median_rel_error"], 1e-17)) for r in sel
                             if (r["init"], r["decoder"], r["noise"]) == key)
                label = f"{key[0]}, {key[1]}" + (f", noise {key[2]:g}" if key[2] else "")
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=label,
                        linestyle="-" if key[1] == "linear" else "--")
            ax.set_xscale("log", base=2)
            ax.set_yscale("log")
            ax.axvline(L / 2, color="grey", lw=0.8, ls=":")
            ax.set_title(f"L = {L}, {fam} inputs")
            ax.set_xlabel("N (complex units); dotted: 2N = L")
            ax.set_ylabel("median relative error")
            ax.legend(fontsize=6)
    fig.tight_layout()
    tmp = path + ".tmp.png"
    fig.savefig(tmp, dpi=110)
    plt.close(fig)
    os.replace(tmp, path)


def run(args) -> int:
    import sys

    from numerics import InputError
    from proofs_checks.report import write_atomic, write_json
    if not args.radius > 0:
        raise InputError(f"--radius must be positive, got {args.radius}")
    if not 0 < args.rcond < 1:
        raise InputError(f"--rcond must lie in (0, 1), got {args.rcond}")
    if "mlp" in args.decoder and max(args.L) > 256:
        print("note: the MLP decoder trains one network per cell (2000 sequences, 100 epochs); budget minutes",
              file=sys.stderr)
    rows = run_study(args.L, args.N, args.init, args.inputs, args.decoder, args.noise, args.trials, seed=args.seed,
                     radius=args.radius, sparsity=args.sparsity, rcond=args.rcond,
                     progress=lambda r: print(f"L={r['L']} {r['init']} N={r['N']} {r['inputs']} {r['decoder']}: "
                                              f"{r['median_rel_error']:.2e}", file=sys.stderr))
    os.makedirs(args.out, exist_ok=True)
    table = _table(rows)
    write_atomic(os.path.join(args.out, "table.md"), table)
    write_json(os.path.join(args.out, "results.json"), {"schema": SCHEMA, "seed": args.seed, "rows": rows})
    _figure(rows, os.path.join(args.out, "figure.png"))
    print(table)
    print(f"wrote {args.out}/table.md, {args.out}/results.json, {args.out}/figure.png")
    return 0


EXPERIMENTS = {"linear_recurrence.reconstruction": (configure, run)}
