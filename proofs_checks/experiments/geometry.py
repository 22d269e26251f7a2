"""``rnnproof experiment geometry.digits``: train the vanilla tanh RNN on the digits stand-in and
measure, per time step, what its hidden states know and who can read it (Horoi, Lajoie & Wolf 2020, on the 8×8 digits stand-in).

Prints the per-time-step table (input steps t = 1..T, then the zero-input drift steps), writes the
JSON report (schema ``rnnproof.geometry/1``) and PNG figures. The stand-in is scikit-learn's bundled
8×8 digits, not the paper's MNIST: its numbers are not the paper's numbers.
"""

from __future__ import annotations

import os
import time

SCHEMA = "rnnproof.geometry/1"
CHANCE_NOTE = "chance accuracy ≈ 1/number of classes"


def configure(parser):
    parser.description = ("Train a bias-free tanh RNN (numpy BPTT + Adam) on scikit-learn's bundled 8×8 "
                          "digits fed row by row, then report per time step the trained readout's "
                          "accuracy, refit linear probes, raw-pixel probes, participation ratio and "
                          "class distance ratio, through the input and a zero-input drift.")
    parser.add_argument("--seed", type=int, default=0, help="seed of the data split, initialisation "
                        "and batches (default 0)")
    parser.add_argument("--hidden", type=int, default=200, help="hidden units H (default 200)")
    parser.add_argument("--epochs", type=int, default=40, help="training epochs (default 40)")
    parser.add_argument("--drift", type=int, default=12, help="zero-input steps appended after T (default 12)")
    parser.add_argument("--out", default="geometry-digits", metavar="DIR",
                        help="directory for the PNG figures and the eigenvalue CSV (default geometry-digits)")
    parser.add_argument("--json", metavar="PATH", help="write the JSON report here (atomically)")
    parser.add_argument("--markdown", metavar="PATH", help="write the per-time-step table as Markdown")
    parser.add_argument("--seeds", metavar="A..B|A,B,...",
                        help="seed sweep instead of one run: every stand-in statistic per seed and the "
                             "pass rates against the strict and relaxed thresholds (JSON schema "
                             "rnnproof.geometry-sweep/1; no figures)")
    parser.add_argument("--quiet", action="store_true", help="no progress count on stderr")


def _check_output_paths(args):
    from numerics import InputError

    for flag in ("json", "markdown"):
        path = getattr(args, flag, None)
        if path and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            raise InputError(f"--{flag}: directory {os.path.dirname(os.path.abspath(path))} does not exist")
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        raise InputError(f"--out: {args.out} exists and is not a directory")


def run(args) -> int:
    import numpy as np

    from numerics import InputError
    from numerics import geometry as N

    from ..progress import Progress
    from ..report import write_json

    _check_output_paths(args)
    seeds = _parse_seeds(args.seeds) if args.seeds else None
    config = N.GeometryConfig(seed=args.seed, hidden=args.hidden, epochs=args.epochs, drift=args.drift)
    if not N.digits_available():
        raise InputError(f"the digits stand-in needs {N.SKLEARN_MISSING}; pip install scikit-learn")
    quiet = bool(getattr(args, "quiet", False))
    if seeds is not None:
        return sweep(config, seeds, args.json, quiet=quiet)
    start = time.perf_counter()
    with Progress(config.epochs, unit="epoch", label="training", quiet=quiet) as bar:
        trained = N.run_digits(config, progress=lambda done, total: bar.update_to(done, total, "epochs"))
    train_seconds = time.perf_counter() - start
    if trained.diverged:
        print(f"training diverged (non-finite loss) for seed {args.seed}; no analysis is reported")
        return 1
    p = trained.params
    xtr, ytr, xte, yte = trained.data
    report = analyze(p["W"], p["U"], p["V"], p["c"], xtr, ytr, xte, yte, drift=config.drift,
                     lam=config.ridge, rng=np.random.default_rng([config.seed, 2]),
                     W_initial=trained.train.initial["W"])
    report.update(
        config={"seed": config.seed, "hidden": config.hidden, "epochs": config.epochs, "batch": config.batch,
                "lr": config.lr, "drift": config.drift, "ridge": config.ridge, "n_train": config.n_train,
                "n_test": int(len(yte)), "data": "sklearn.datasets.load_digits (8×8, rows as steps, pixels/16)"},
        training={"final_loss": trained.train.losses[-1], "losses": trained.train.losses,
                  "seconds": round(train_seconds, 3)},
        prepend=prepend_experiment(p, xte, yte, np.random.default_rng([config.seed, 4])),
        note="stand-in (scikit-learn's bundled 8×8 digits), not the paper's MNIST: not the paper's numbers",
    )
    report["figures"] = write_figures(args.out, report, p["W"], trained.train.initial["W"])
    report["seconds"] = round(time.perf_counter() - start, 3)
    print_summary(report)
    if args.json:
        write_json(args.json, report)
        print(f"wrote {args.json}")
    if args.markdown:
        from ..report import write_atomic

        write_atomic(args.markdown, markdown_table(report))
        print(f"wrote {args.markdown}")
    return 0


def markdown_table(report) -> str:
    """The per-time-step table as Markdown (one row per time step)."""
    lines = [f"# rnnproof geometry: per-time-step analysis (T = {report['T']}, drift {report['drift']})", "",
             report.get("note", ""), "",
             f"chance accuracy ≈ {report['chance_accuracy']:.2f}; final accuracy "
             f"{_fmt(report['final_accuracy'], '.4f')}; spectral radius of W "
             f"{_fmt(report['spectral_radius']['initial'], '.3f')} → {_fmt(report['spectral_radius']['trained'], '.3f')}",
             "", "| t | phase | readout | probe | raw pixels | PR | R | R (shuffled) |",
             "|---|---|---|---|---|---|---|---|"]
    for r in report["per_step"]:
        lines.append(f"| {r['t']} | {r['phase']} | {_fmt(r['readout_accuracy'])} | {_fmt(r['probe_accuracy'])} | "
                     f"{_fmt(r['pixel_probe_accuracy'])} | {_fmt(r['participation_ratio'], '.2f')} | "
                     f"{_fmt(r['distance_ratio'], '.2f')} | {_fmt(r['distance_ratio_shuffled'], '.2f')} |")
    return "\n".join(lines) + "\n"


def _parse_seeds(text):
    from numerics import InputError

    try:
        if ".." in text:
            lo, hi = (int(v) for v in text.split(".."))
            seeds = list(range(lo, hi + 1))
        else:
            seeds = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise InputError(f"--seeds must be A..B or a comma-separated list of integers, got {text!r}") from None
    if not seeds:
        raise InputError(f"--seeds selects no seed: {text!r}")
    return seeds


def sweep(config, seeds, json_path=None, quiet=False) -> int:
    """Seed sweep: train each seed, tabulate every stand-in statistic, report the pass rates."""
    from dataclasses import replace

    from numerics import geometry as N

    from ..progress import Progress
    from ..report import write_json

    start = time.perf_counter()
    rows = []
    bar = Progress(len(seeds) * config.epochs, unit="epoch", label="training", quiet=quiet)
    for number, seed in enumerate(seeds):
        done_before = number * config.epochs
        run_ = N.run_digits(replace(config, seed=seed), progress=lambda done, total, base=done_before:
                            bar.update_to(base + done, text=f"seed {seed}"))
        bar.update_to(done_before + config.epochs)  # a diverged run stops early
        if run_.diverged:
            rows.append({"seed": seed, "diverged": True})
            print(f"seed {seed}: training diverged")
            continue
        stats = N.standin_statistics(run_)
        row = {"seed": seed, "diverged": False, **stats,
               "strict": N.standin_verdicts(stats, 0), "relaxed": N.standin_verdicts(stats, 1)}
        rows.append(row)
        print(f"seed {seed:3d}: acc {stats['final_accuracy']:.3f}  probe(T/2) {stats['probe_half']:.3f} "
              f"pixels {stats['pixel_half']:.3f}  early readout {stats['early_readout_mean']:.3f}  "
              f"drift readout/probe {stats['drift_readout']:.3f}/{stats['drift_probe']:.3f}  "
              f"R {stats['R1']:.2f}->{stats['RT']:.2f}  rho {stats['rho_initial']:.2f}->"
              f"{stats['rho_trained']:.2f}  step {stats['step_ratio']:.3f} norm {stats['mean_norm']:.2f}  "
              f"{stats['classification']}", flush=True)
    bar.close()
    ok_rows = [r for r in rows if not r["diverged"]]
    claims = list(ok_rows[0]["strict"]) if ok_rows else []
    rates = {tier: {cid: sum(r[tier][cid] for r in ok_rows) / len(rows) for cid in claims}
             for tier in ("strict", "relaxed")}
    print(f"pass rates over {len(rows)} seeds (diverged runs count as failures):")
    for cid in claims:
        print(f"  {cid:40s} strict {rates['strict'][cid]:.2f}  relaxed {rates['relaxed'][cid]:.2f}")
    report = {"schema": "rnnproof.geometry-sweep/1", "seeds": seeds, "runs": rows, "pass_rates": rates,
              "thresholds": {k: {"strict": v[0], "relaxed": v[1]} for k, v in N.STANDIN_THRESHOLDS.items()},
              "config": {"hidden": config.hidden, "epochs": config.epochs, "drift": config.drift},
              "seconds": round(time.perf_counter() - start, 3),
              "note": "stand-in (scikit-learn's bundled 8×8 digits), not the paper's MNIST"}
    if json_path:
        write_json(json_path, report)
        print(f"wrote {json_path}")
    return 0


def analyze(W, U, V, c, xtr, ytr, xte, yte, drift, lam=1e-2, rng=None, b=None, h0=None, W_initial=None,
            autonomous=True):
    """The per-time-step analysis shared by the experiment and ``rnnproof probe`` (a JSON-ready dict)."""
    import numpy as np

    from numerics import geometry as N

    T = int(xtr.shape[1])
    records, states = N.per_step_analysis(W, U, V, c, xtr, ytr, xte, yte, drift=drift, lam=lam, b=b,
                                          h0=h0, rng=rng)
    classes = np.unique(ytr)
    report = {
        "schema": SCHEMA,
        "T": T,
        "drift": int(drift),
        "chance_accuracy": float(1.0 / classes.size),
        "final_accuracy": records[T - 1]["readout_accuracy"],
        "per_step": records,
        "fitted_probe_under_drift": N.fitted_probe_under_drift(W, U, xtr, ytr, xte, yte, drift=drift, lam=lam,
                                                               b=b, h0=h0),
        "spectral_radius": {"initial": None if W_initial is None else N.spectral_radius(W_initial),
                            "trained": N.spectral_radius(W)},
    }
    if autonomous and b is None:
        auto = N.autonomous_dynamics(W, states[:, T])
        report["autonomous"] = auto
    report["_states"] = states  # removed before writing JSON; used by the figures
    report["_labels"] = yte
    return report


def prepend_experiment(p, xte, yte, rng, max_blank=4):
    """Test accuracy with 0..max_blank blank steps prepended, without and with an added bias."""
    import numpy as np

    from numerics import geometry as N

    H, D = p["W"].shape[0], xte.shape[2]
    b = rng.standard_normal(H)
    b *= 0.5 / np.linalg.norm(b)  # ‖b‖ = 0.5
    out = {"blank_steps": list(range(max_blank + 1)), "accuracy": [], "accuracy_with_bias": [],
           "max_state_change_with_bias": [], "bias_norm": float(np.linalg.norm(b)), "exactly_equal": True}
    base = base_b = None
    for k in range(max_blank + 1):
        x = np.concatenate([np.zeros((len(xte), k, D)), xte], axis=1)
        hT = N.rnn_states(p["W"], p["U"], x)[:, -1]
        hb = N.rnn_states(p["W"], p["U"], x, b=b)[:, -1]
        if base is None:
            base, base_b = hT, hb
        out["exactly_equal"] = bool(out["exactly_equal"] and np.array_equal(hT, base))
        out["max_state_change_with_bias"].append(float(np.max(np.abs(hb - base_b))))
        out["accuracy"].append(N.readout_accuracy(p["V"], p["c"], hT, yte))
        out["accuracy_with_bias"].append(N.readout_accuracy(p["V"], p["c"], hb, yte))
    return out


def _fmt(x, spec=".3f"):
    return "-" if x is None else format(x, spec)


def print_summary(report):
    T = report["T"]
    print(f"rnnproof geometry: schema {report['schema']}, T = {T}, drift = {report['drift']}, "
          f"chance ≈ {report['chance_accuracy']:.2f}")
    if "note" in report:
        print(report["note"])
    print(f"{'t':>3}  {'phase':5}  {'readout':>7}  {'probe':>6}  {'pixels':>6}  {'PR':>6}  {'R':>6}  {'R shuf':>6}")
    for r in report["per_step"]:
        print(f"{r['t']:>3}  {r['phase']:5}  {_fmt(r['readout_accuracy']):>7}  {_fmt(r['probe_accuracy']):>6}  "
              f"{_fmt(r['pixel_probe_accuracy']):>6}  {_fmt(r['participation_ratio'], '.2f'):>6}  "
              f"{_fmt(r['distance_ratio'], '.2f'):>6}  {_fmt(r['distance_ratio_shuffled'], '.2f'):>6}")
    print(f"final accuracy (t = T): {_fmt(report['final_accuracy'], '.4f')}")
    rho = report["spectral_radius"]
    print(f"spectral radius of W: initial {_fmt(rho['initial'], '.4f')}, trained {_fmt(rho['trained'], '.4f')}")
    print("probe fitted at T, applied at T + k (k = 0, 1, ...): "
          + ", ".join(f"{a:.2f}" for a in report["fitted_probe_under_drift"]))
    if "prepend" in report:
        pre = report["prepend"]
        print(f"prepended blank steps 0..{pre['blank_steps'][-1]}: accuracy "
              + ", ".join(f"{a:.4f}" for a in pre["accuracy"])
              + f" (exactly equal states: {pre['exactly_equal']}); with a bias of norm {pre['bias_norm']:.2f}: "
              + ", ".join(f"{a:.4f}" for a in pre["accuracy_with_bias"])
              + " (max |Δh_T| vs no blank step: " + ", ".join(f"{d:.2g}" for d in pre["max_state_change_with_bias"])
              + ")")
    if "autonomous" in report:
        a = report["autonomous"]
        print(f"autonomous dynamics: {a['classification']}; mean step/mean norm {a['step_ratio']:.3f}, mean "
              f"norm {a['mean_norm']:.2f}; near-return lag {a['near_return_lag']}; Lyapunov estimates within "
              f"±{a['lyapunov_max_abs']:.3g} per step")
    for f in report.get("figures", []):
        print(f"wrote {f}")


def _pca2(X):
    """Top-2 principal-component scores (numpy SVD of the centred data)."""
    import numpy as np

    Xc = X - X.mean(axis=0)
    U, s, _ = np.linalg.svd(Xc, full_matrices=False)
    return U[:, :2] * s[:2]


# Okabe–Ito has eight colours; classes 8 and 9 reuse the first two with a square marker.
def _class_style(index: int):
    from ..reproduce import style

    return style.color(index), "os^Dv"[(index // len(style.OKABE_ITO)) % 5]


def write_figures(out_dir, report, W=None, W_initial=None, prefix=""):
    """PNG figures (matplotlib, Agg, the reproductions' house style): accuracy curves, per-step 2-D
    PCA of the test states, the spectra of W and the long zero-input trajectory; plus
    ``eigenvalues.csv``. Every file goes through :func:`numerics.arrays.write_atomic`, so inside a
    transaction none replaces an existing file before the command's commit. Returns the paths."""
    import numpy as np

    from ..reproduce import style

    os.makedirs(out_dir, exist_ok=True)
    written = []
    recs = report["per_step"]
    T = report["T"]
    t = [r["t"] for r in recs]
    config = report.get("config", {})
    seed = config.get("seed", 0)
    scale = f"H = {config['hidden']}, 8×8 digits stand-in" if "hidden" in config else "8×8 digits stand-in"
    name = "geometry.digits"
    step_label = "time step t (steps; input rows 1..T, then zero-input drift)"

    fig, axes = style.figure(name, seed, scale, width=8.5, height=4.2,
                             subtitle="test accuracy per time step")
    ax = axes[0, 0]
    if any(r["readout_accuracy"] is not None for r in recs):
        ax.plot(t, [r["readout_accuracy"] for r in recs], "o-", color=style.color(0), ms=4, label="trained readout")
    ax.plot(t, [r["probe_accuracy"] for r in recs], "s-", color=style.color(1), ms=4,
            label="refit linear probe on $h_t$")
    tp = [r["t"] for r in recs if r["pixel_probe_accuracy"] is not None]
    ax.plot(tp, [r["pixel_probe_accuracy"] for r in recs if r["pixel_probe_accuracy"] is not None], "^-",
            color=style.color(2), ms=4, label="probe on raw rows $1..t$")
    if report.get("fitted_probe_under_drift"):
        fp = report["fitted_probe_under_drift"]
        ax.plot(range(T, T + len(fp)), fp, "x--", color=style.color(3), label="probe fitted at $T$")
    ax.axhline(report["chance_accuracy"], color="grey", lw=1, ls=":", label="chance")
    ax.axvline(T + 0.5, color="k", lw=1, ls="--", label="end of input (t = T)")
    ax.set_xlabel(step_label)
    ax.set_ylabel("test accuracy (fraction correct)")
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), framealpha=0.9)
    style.finish(fig)
    written.append(_save(fig, out_dir, prefix + "accuracy.png"))

    states, labels = report.get("_states"), report.get("_labels")
    if states is not None:
        steps = states.shape[1] - 1
        cols = min(steps, 4)
        rows = -(-steps // cols)
        classes = np.unique(labels)
        fig, axes = style.figure(name, seed, scale, ncols=cols, nrows=rows, width=3.0, height=3.0,
                                 subtitle="test hidden states $h_t$, 2-D PCA per time step; colour and marker = digit")
        for k in range(rows * cols):
            ax = axes[k // cols][k % cols]
            if k >= steps:
                fig.delaxes(ax)
                continue
            Z = _pca2(states[:, k + 1])
            for i, cls in enumerate(classes):
                colour, marker = _class_style(i)
                sel = labels == cls
                ax.scatter(Z[sel, 0], Z[sel, 1], s=4, color=colour, marker=marker, label=str(cls), lw=0)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_xlabel("PC 1 of $h_t$ (dimensionless)", fontsize=7)
            ax.set_ylabel("PC 2 of $h_t$ (dimensionless)", fontsize=7)
            ax.set_title(f"t = {k + 1}" + (" (drift)" if k + 1 > T else ""), fontsize=8)
            ax.legend(title="digit", fontsize=5, title_fontsize=6, ncol=5, loc="upper center",
                      markerscale=1.5, handletextpad=0.1, columnspacing=0.6, borderpad=0.3, framealpha=0.7)
        style.finish(fig)
        written.append(_save(fig, out_dir, prefix + "states_pca.png"))

    if W is not None:
        import csv
        import io

        fig, axes = style.figure(name, seed, scale, width=5.0, height=5.0, subtitle="eigenvalues of W")
        ax = axes[0, 0]
        theta = np.linspace(0, 2 * np.pi, 400)
        ax.plot(np.cos(theta), np.sin(theta), color="grey", lw=1, label="unit circle |λ| = 1")
        rows_csv = []
        for i, (which, M, marker) in enumerate((("initial", W_initial, "."), ("trained", W, "x"))):
            if M is None:
                continue
            ev = np.linalg.eigvals(M)
            ax.scatter(ev.real, ev.imag, s=10, marker=marker, color=style.color(i),
                       label=f"{which} W (ρ = {np.max(np.abs(ev)):.2f})")
            rows_csv += [(which, float(e.real), float(e.imag)) for e in ev]
        ax.set_aspect("equal")
        ax.set_xlabel("Re λ (per step)")
        ax.set_ylabel("Im λ (per step)")
        ax.legend(fontsize=8)
        style.finish(fig)
        written.append(_save(fig, out_dir, prefix + "spectrum.png"))
        text = io.StringIO(newline="")
        writer = csv.writer(text)
        writer.writerow(["matrix", "real", "imag"])
        writer.writerows(rows_csv)
        path = os.path.join(out_dir, prefix + "eigenvalues.csv")
        _write_atomic(path, lambda handle: handle.write(text.getvalue()), mode="w")
        written.append(path)
        if states is not None and "autonomous" in report:
            from numerics import geometry as N

            traj = N.autonomous_run(W, states[0, T], 600)[200:, 0]  # one test sample, after burn-in
            Z = _pca2(traj)
            fig, axes = style.figure(name, seed, scale, width=5.0, height=5.0,
                                     subtitle="zero-input trajectory of one test state (steps 200..600)")
            ax = axes[0, 0]
            ax.plot(Z[:, 0], Z[:, 1], lw=0.6, color=style.color(0), label="$h_{T+k}$, k = 200..600")
            ax.plot(Z[:1, 0], Z[:1, 1], "o", color=style.color(1), label="k = 200")
            ax.plot(Z[-1:, 0], Z[-1:, 1], "s", color=style.color(2), label="k = 600")
            ax.set_xlabel("PC 1 of the trajectory (dimensionless)")
            ax.set_ylabel("PC 2 of the trajectory (dimensionless)")
            ax.legend(fontsize=7)
            style.finish(fig)
            written.append(_save(fig, out_dir, prefix + "autonomous.png"))
    import matplotlib.pyplot as plt

    plt.close("all")
    report.pop("_states", None)
    report.pop("_labels", None)
    return written


def _write_atomic(path, write, mode="wb"):
    from numerics.arrays import write_atomic

    write_atomic(path, write, mode=mode)


def _save(fig, out_dir, name):
    """``fig`` as PNG through the atomic (and, inside a transaction, staged) writer."""
    import matplotlib.pyplot as plt

    path = os.path.join(out_dir, name)
    _write_atomic(path, lambda handle: fig.savefig(handle, format="png", dpi=110))
    plt.close(fig)
    return path


EXPERIMENTS = {"geometry.digits": (configure, run)}
