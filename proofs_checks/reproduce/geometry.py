"""Reproductions of Horoi, Lajoie & Wolf 2020 (hidden-state geometry of a trained tanh RNN).

geometry.R1 wraps the ``geometry.digits`` study (``rnnproof experiment geometry.digits``): a bias-free
tanh RNN trained by numpy BPTT + Adam on scikit-learn's bundled 8×8 digits fed row by row (T = 8),
an offline stand-in for the paper's sequential MNIST, so its numbers are not the paper's. It measures,
per time step through the input and a zero-input drift, the trained readout's accuracy, refit probes,
raw-pixel probes, the participation ratio and the between/within class distance ratio; the T-fitted
probe under drift; the prepend experiment; and the spectra of W before and after training.
"""

from __future__ import annotations

import warnings

from . import Reproduction, Result, Row, register, style

PAPER = "geometry"


def _run_r1(ctx) -> Result:
    import numpy as np

    from numerics import InputError
    from numerics import geometry as N
    from proofs_checks.experiments.geometry import analyze, prepend_experiment

    if not N.digits_available():
        raise InputError(f"geometry.R1 needs {N.SKLEARN_MISSING}; pip install scikit-learn")
    hidden, epochs = ctx.pick((48, 12), (200, 40))
    seeds = ctx.pick([ctx.seed], [ctx.seed, ctx.seed + 1, ctx.seed + 2])
    reports = []
    for s in seeds:
        ctx.progress(f"geometry.R1 training seed {s}")
        config = N.GeometryConfig(seed=s, hidden=hidden, epochs=epochs, drift=12)
        run = N.run_digits(config)
        if run.diverged:
            continue
        p = run.params
        xtr, ytr, xte, yte = run.data
        rep = analyze(p["W"], p["U"], p["V"], p["c"], xtr, ytr, xte, yte, drift=config.drift, lam=config.ridge,
                      rng=np.random.default_rng([s, 2]), W_initial=run.train.initial["W"])
        rep["prepend"] = prepend_experiment(p, xte, yte, np.random.default_rng([s, 4]))
        rep["_W"], rep["_W0"] = p["W"], run.train.initial["W"]
        reports.append(rep)
    res = Result(scale_note=f"{hidden} hidden units, {epochs} epochs, training seeds {seeds} (the study's "
                            "data split and initialisation seeds); digits stand-in, not MNIST")
    if not reports:
        res.rows.append(Row("training", "diverged for every seed", "converges", False, ""))
        return res
    T, chance = reports[0]["T"], reports[0]["chance_accuracy"]
    steps = [r["t"] for r in reports[0]["per_step"]]

    def series(key):
        return np.array([[np.nan if rec[key] is None else rec[key] for rec in r["per_step"]] for r in reports])

    readout, probe, pixel = series("readout_accuracy"), series("probe_accuracy"), series("pixel_probe_accuracy")
    pr, ratio, ratio_sh = series("participation_ratio"), series("distance_ratio"), series("distance_ratio_shuffled")
    def m(a):
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # the pixel probe is undefined under drift
            return np.nanmean(a, axis=0)

    se = lambda a: (np.nanstd(a, axis=0, ddof=1) / np.sqrt(a.shape[0]) if a.shape[0] > 1  # noqa: E731
                    else np.zeros(a.shape[1]))
    fitted = np.array([r["fitted_probe_under_drift"] for r in reports])
    t_end = len(steps)  # last drift step

    fig, axes = style.figure(ctx.id, ctx.seed, ctx.scale, ncols=2, nrows=2, width=5.0, height=3.5,
                             subtitle="digits stand-in (8×8, rows as steps)")
    ax = axes[0][0]
    style.band(ax, steps, m(readout), se(readout), "trained readout", 0)
    style.band(ax, steps, m(probe), se(probe), "refit linear probe on $h_t$", 1)
    tp = steps[:T]
    style.band(ax, tp, m(pixel)[:T], se(pixel)[:T], "probe on raw rows 1..t", 2)
    style.band(ax, list(range(T, T + fitted.shape[1])), fitted.mean(0),
               fitted.std(0, ddof=1) / np.sqrt(len(fitted)) if len(fitted) > 1 else 0 * fitted[0],
               "probe fitted at T, applied later", 3, ls="--")
    ax.axhline(chance, color="grey", ls=":", lw=1, label="chance")
    ax.axvline(T + 0.5, color="k", lw=0.8, ls="--")
    ax.set(xlabel="time step t (input 1..T, then zero-input drift)", ylabel="test accuracy (fraction)",
           ylim=(0, 1.02), title="who can read the class from $h_t$")
    ax = axes[0][1]
    style.band(ax, steps, m(pr), se(pr), "participation ratio", 0)
    ax.set(xlabel="time step t", ylabel="participation ratio (dimensions)", title="dimension of the test states")
    ax.axvline(T + 0.5, color="k", lw=0.8, ls="--")
    ax2 = axes[1][0]
    style.band(ax2, steps, m(ratio), se(ratio), "between/within distance ratio", 1)
    style.band(ax2, steps, m(ratio_sh), se(ratio_sh), "same, shuffled labels (control)", 4)
    ax2.axhline(1.5, color="grey", ls=":", lw=1, label="1.5")
    ax2.axvline(T + 0.5, color="k", lw=0.8, ls="--")
    ax2.set(xlabel="time step t", ylabel="distance ratio (dimensionless)", title="class separation")
    ax3 = axes[1][1]
    theta = np.linspace(0, 2 * np.pi, 300)
    ax3.plot(np.cos(theta), np.sin(theta), color="grey", lw=0.8, label="unit circle")
    for i, (key, name) in enumerate((("_W0", "initial"), ("_W", "trained"))):
        ev = np.linalg.eigvals(reports[0][key])
        ax3.scatter(ev.real, ev.imag, s=6, color=style.color(i), marker=style.MARKERS[i],
                    label=f"{name} W (ρ = {np.max(np.abs(ev)):.2f})")
    ax3.set_aspect("equal", adjustable="datalim")
    ax3.set(xlabel="Re λ (dimensionless)", ylabel="Im λ (dimensionless)", title=f"eigenvalues of W, seed {seeds[0]}")
    res.figures[""] = style.finish(fig)

    mr, mp_, mpix, mpr, mratio = m(readout), m(probe), m(pixel), m(pr), m(ratio)
    early = float(np.nanmean(mr[:T - 2]))
    res.rows += [
        Row("trained readout accuracy at t = T", f"{mr[T - 1]:.3f}", "well above chance "
            f"({chance:.2f})", bool(mr[T - 1] > chance + 0.5), f"{mr[T - 1] - chance:+.2f} vs chance"),
        Row("readout mean accuracy at t ≤ T−2", f"{early:.3f}", f"near chance ({chance:.2f}), < chance + 0.25",
            bool(early < chance + 0.25), f"{early - chance:+.2f}"),
        Row("readout peak step", str(int(np.nanargmax(mr)) + 1), f"T = {T}", bool(int(np.nanargmax(mr)) + 1 == T), ""),
        Row("readout at the end of the drift / at T", f"{mr[t_end - 1] / mr[T - 1]:.2f}", "collapses (< 0.5)",
            bool(mr[t_end - 1] / mr[T - 1] < 0.5), ""),
        Row("probe accuracy t = 1 → T", f"{mp_[0]:.2f} → {mp_[T - 1]:.2f}", "rises with t",
            bool(mp_[T - 1] > mp_[0] + 0.2), f"{mp_[T - 1] - mp_[0]:+.2f}"),
        Row("steps with probe ≥ raw-pixel probe (t ≤ T)", f"{int(np.sum(mp_[:T] >= mpix[:T] - 1e-12))}/{T}",
            "probe above the pixels", bool(np.sum(mp_[:T] >= mpix[:T] - 0.02) >= T - 1), ""),
        Row("probe at the end of the drift / at T", f"{mp_[t_end - 1] / mp_[T - 1]:.2f}",
            "decays only slowly (≥ 0.5)", bool(mp_[t_end - 1] / mp_[T - 1] >= 0.5), ""),
        Row("T-fitted probe after the drift / at T", f"{fitted.mean(0)[-1] / fitted.mean(0)[0]:.2f}",
            "collapses (< 0.5)", bool(fitted.mean(0)[-1] / fitted.mean(0)[0] < 0.5), ""),
        Row("participation ratio t = 1 → T", f"{mpr[0]:.2f} → {mpr[T - 1]:.2f}", "rises during the input",
            bool(mpr[T - 1] > mpr[0]), f"{mpr[T - 1] - mpr[0]:+.2f}"),
        Row("distance ratio t = 1 → T", f"{mratio[0]:.2f} → {mratio[T - 1]:.2f}", "from about 1 to > 1.5 by T",
            bool(mratio[T - 1] > 1.5), f"{mratio[T - 1] - 1.5:+.2f} vs 1.5"),
        Row("prepended blank steps: states equal", str(all(r["prepend"]["exactly_equal"] for r in reports)),
            "exactly equal (bias-free tanh, h₀ = 0)", all(r["prepend"]["exactly_equal"] for r in reports), "0"),
        Row("prepended blank steps with a bias: max |Δh_T|",
            f"{max(max(r['prepend']['max_state_change_with_bias']) for r in reports):.2g}", "> 0 (the invariance breaks)",
            bool(max(max(r['prepend']['max_state_change_with_bias']) for r in reports) > 0), ""),
    ]
    res.tables["per_step"] = [
        {"t": t, "readout": mr[i], "probe": mp_[i], "pixel_probe": mpix[i], "participation_ratio": mpr[i],
         "distance_ratio": mratio[i], "distance_ratio_shuffled": m(ratio_sh)[i]} for i, t in enumerate(steps)]
    for r in reports:
        for k in ("_W", "_W0"):
            r.pop(k)
    res.data = {"seeds": seeds, "reports": reports}
    return res


register(Reproduction(
    id="geometry.R1", paper=PAPER, title="per-time-step readout, probes, PR and class separation; drift; prepend; spectra",
    expected="readout near chance until the last steps, peaks at T, collapses under drift; probes rise, stay above "
             "the raw pixels and decay slowly; the T-fitted probe collapses; PR rises; distance ratio > 1.5 by T; "
             "prepended blank steps change nothing without a bias",
    source="Horoi et al. 2020 §3–4 (stand-in: 8×8 digits)", run=_run_r1))
