"""Reproductions of Orvieto, De, Gulcehre, Pascanu & Smith 2024 (linear recurrences as encoders).

linear_recurrence.R1 wraps the ``linear_recurrence.reconstruction`` study (reconstruction error vs
N); R2–R6 are the conditioning, shrunk-roots, real-node, blow-up and Gautschi reproductions.
x_k = Λx_{k−1} + Bu_k, x_0 = 0; the encoder of L inputs is the N×L Vandermonde matrix V_{n,j} = λ_nʲ.
"""

from __future__ import annotations

import math

from . import Reproduction, Result, Row, register, style
from .summary import at_least, at_most, close_to

PAPER = "linear_recurrence"


def _lr_r1(ctx) -> Result:
    import numpy as np

    from proofs_checks.experiments.linear_recurrence import run_study
    Ls = ctx.pick([64], [512, 1024])
    trials = ctx.pick(12, 20)
    inits = ["half_roots", "ring", "ring_pi10", "s4d", "real"]
    rows = []
    for L in Ls:
        ctx.progress(f"linear_recurrence.R1 L={L}")
        rows += run_study([L], None, inits, ["gaussian", "sparse"], ["linear", "omp"], [0.0], trials,
                          seed=ctx.seed, sparsity=4)
    rows = [r for r in rows if "skipped" not in r]
    res = Result(scale_note=f"L ∈ {Ls}, N ∈ {{L/16, L/8, L/4, L/2, L, 2L}}, {trials} sequences per cell, "
                            "no noise, k = 4 sparse inputs")
    fig, axes = style.figure(ctx.id, ctx.seed, ctx.scale, ncols=2, nrows=len(Ls), width=5.0, height=3.4,
                             subtitle="median relative reconstruction error vs N")
    for i, L in enumerate(Ls):
        for j, fam in enumerate(("gaussian", "sparse")):
            ax = axes[i][j]
            for k, init in enumerate(inits):
                for dec, ls in (("linear", "-"), ("omp", "--")):
                    pts = sorted((r["N"], max(r["median_rel_error"], 1e-17)) for r in rows
                                 if r["L"] == L and r["inputs"] == fam and r["init"] == init and r["decoder"] == dec)
                    if pts:
                        ax.plot([p[0] for p in pts], [p[1] for p in pts], ls, color=style.color(k),
                                marker=style.MARKERS[k], ms=3, label=f"{init}, {dec}")
            if fam == "gaussian":
                N = np.arange(1, L // 2 + 1)
                ax.plot(N, np.sqrt(np.maximum(1 - 2 * N / L, 1e-17)), ":", color="k", lw=1, label="√(1 − 2N/L)")
            ax.axvline(L / 2, color="grey", lw=0.8, ls=":")
            ax.set_xscale("log", base=2)
            ax.set_yscale("log")
            ax.set(xlabel="N (complex units); dotted line: 2N = L", ylabel="median relative error (dimensionless)",
                   title=f"L = {L}, {fam} inputs")
            ax.legend(fontsize=5, ncol=2)
    res.figures[""] = style.finish(fig)
    res.tables["cells"] = rows

    def err(L, init, fam, dec, N):
        for r in rows:
            if (r["L"], r["init"], r["inputs"], r["decoder"], r["N"]) == (L, init, fam, dec, N):
                return r["median_rel_error"]
        return math.nan

    L = Ls[-1]
    # ‖P⊥u‖²/‖u‖² ~ Beta((L−2N)/2, N) for Gaussian u: at f = 1 − 2N/L its variance is f(1−f)/(L/2+1);
    # the ratio's standard deviation follows by the delta method, the median's by the factor √(π/2)/√trials
    f = 0.5
    se = math.sqrt(f * (1 - f) / (L / 2 + 1)) / (2 * math.sqrt(f)) * math.sqrt(math.pi / 2) / math.sqrt(trials)
    res.rows += [
        at_most(f"half-shifted roots, linear, Gaussian, N = L/2 (L = {L})", err(L, "half_roots", "gaussian", "linear", L // 2),
                1e-8, what="machine precision at 2N = L"),
        close_to(f"half-shifted roots, linear, Gaussian, N = L/4 (L = {L})",
                 err(L, "half_roots", "gaussian", "linear", L // 4), math.sqrt(f), 4 * se,
                 why="√(1 − 2N/L); band: 4 standard errors of the median"),
        at_most(f"random-phase ring, linear, Gaussian, N = 2L (L = {L})", err(L, "ring", "gaussian", "linear", 2 * L),
                1e-6, what="near perfect when oversampled"),
        at_least(f"ring, phases in [0, π/10], linear, smallest error over N (L = {L})",
                 min(err(L, "ring_pi10", "gaussian", "linear", N) for N in (L // 2, L, 2 * L)), 1e-3,
                 what="plateau well above 0"),
        at_least(f"real nodes U[0.9, 0.999], linear, smallest error over N (L = {L})",
                 min(err(L, "real", "gaussian", "linear", N) for N in (L // 2, L, 2 * L)), 1e-3, what="plateau well above 0"),
        at_most(f"half-shifted roots, OMP, 4-sparse, N = L/8 (L = {L})", err(L, "half_roots", "sparse", "omp", L // 8),
                1e-8, what="OMP exact far below N = L/2"),
        at_least(f"half-shifted roots, linear, 4-sparse, N = L/8 (L = {L})", err(L, "half_roots", "sparse", "linear", L // 8),
                 0.1, what="linear is not exact there"),
        Row(f"Gaussian inputs, N < L/2: linear ≤ OMP in every init (L = {L})",
            f"{sum(err(L, i, 'gaussian', 'linear', N) <= err(L, i, 'gaussian', 'omp', N) * (1 + 1e-9) for i in inits for N in (L // 16, L // 8, L // 4))}/{3 * len(inits)}",
            "linear optimal for Gaussian inputs",
            all(err(L, i, "gaussian", "linear", N) <= err(L, i, "gaussian", "omp", N) * (1 + 1e-9)
                for i in inits for N in (L // 16, L // 8, L // 4)), ""),
    ]
    return res


register(Reproduction(
    id="linear_recurrence.R1", paper=PAPER, title="reconstruction error vs N (linear and OMP decoders)",
    expected="half-shifted roots: linear error √(1 − 2N/L), machine precision at N = L/2; random ring: near perfect "
             "only when oversampled; short arcs, S4D-Lin and real nodes plateau above 0; Gaussian inputs: linear "
             "beats OMP; sparse inputs with unit-modulus nodes: OMP exact far below N = L/2",
    source="Orvieto et al. 2024 §3–4", run=_lr_r1))
