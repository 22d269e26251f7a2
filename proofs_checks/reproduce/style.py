"""One house style for every reproduction figure (matplotlib, Agg backend).

- colours: the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies);
- every axis labelled, with its unit (or "(dimensionless)");
- log scales where a quantity spans decades (``log_if_decades``);
- a legend on every axis that has labelled artists;
- a title naming the reproduction ID, its seed and its scale;
- bands / error bars over seeds or draws (``band``, ``errorbar``).
"""

from __future__ import annotations

import os

__all__ = ["OKABE_ITO", "MARKERS", "figure", "band", "errorbar", "finish", "log_if_decades", "save",
           "color"]

OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


def color(i: int) -> str:
    return OKABE_ITO[i % len(OKABE_ITO)]


def _plt():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def figure(repro_id: str, seed: int, scale: str, ncols: int = 1, nrows: int = 1, width: float = 5.2,
           height: float = 3.8, subtitle: str = ""):
    """A figure with ``nrows × ncols`` axes (always a 2-D array) and the house title."""
    plt = _plt()
    plt.rcParams.update({"axes.prop_cycle": plt.cycler(color=OKABE_ITO), "font.size": 9,
                         "axes.titlesize": 9, "legend.fontsize": 7, "axes.grid": True,
                         "grid.alpha": 0.3})
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False)
    title = f"{repro_id} (seed {seed}, {scale} scale)"
    fig.suptitle(title + (f"\n{subtitle}" if subtitle else ""), fontsize=10)
    return fig, axes


def band(ax, x, mean, spread, label: str, i: int, marker: bool = True, ls: str = "-"):
    """A line with a shaded band mean ± spread (spread = standard error over seeds or draws)."""
    import numpy as np
    x, mean, spread = (np.asarray(v, float) for v in (x, mean, spread))
    ax.plot(x, mean, ls, color=color(i), marker=MARKERS[i % len(MARKERS)] if marker else None,
            ms=4, label=label)
    ax.fill_between(x, mean - spread, mean + spread, color=color(i), alpha=0.2, lw=0)


def errorbar(ax, x, mean, err, label: str, i: int, ls: str = "none"):
    ax.errorbar(x, mean, yerr=err, fmt=MARKERS[i % len(MARKERS)], ls=ls, color=color(i), ms=4,
                capsize=2, label=label)


def log_if_decades(ax, values, axis: str = "y", decades: float = 2.0) -> bool:
    """Log scale on ``axis`` when the positive values span more than ``decades`` decades."""
    import numpy as np
    v = np.abs(np.asarray(values, float).ravel())
    v = v[np.isfinite(v) & (v > 0)]
    if v.size and np.log10(v.max() / v.min()) > decades:
        (ax.set_yscale if axis == "y" else ax.set_xscale)("log")
        return True
    return False


def finish(fig, axes=None, legend: bool = True):
    """Legends on every axis with labelled artists, tight layout; checks every axis is labelled."""
    for ax in fig.axes if axes is None else list(getattr(axes, "flat", axes)):
        if not ax.get_visible() or not ax.has_data():
            continue
        if not ax.get_xlabel() or not ax.get_ylabel():
            raise ValueError(f"figure axis {ax.get_title()!r} lacks an axis label (house style)")
        if legend and ax.get_legend_handles_labels()[1] and ax.get_legend() is None:
            ax.legend(framealpha=0.85)
        from matplotlib.ticker import NullFormatter
        for axis, scale in ((ax.xaxis, ax.get_xscale()), (ax.yaxis, ax.get_yscale())):
            if scale == "log":
                axis.set_minor_formatter(NullFormatter())  # minor labels collide on short log ranges
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    return fig


def save(fig, out_dir: str, stem: str, pdf: bool = True, dpi: int = 110) -> list:
    """Write ``stem.png`` (and ``stem.pdf``) into ``out_dir``; closes the figure; returns the paths."""
    plt = _plt()
    paths = [os.path.join(out_dir, stem + ".png")]
    fig.savefig(paths[0], dpi=dpi)
    if pdf:
        paths.append(os.path.join(out_dir, stem + ".pdf"))
        fig.savefig(paths[1])
    plt.close(fig)
    return paths
