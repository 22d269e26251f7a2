"""Figures of ``rnnproof experiment geometry.digits`` (issue 10: they lacked axis labels and a colour
key): every axes of every figure has an x label, a y label, a legend and a title, the figure a
title, and the class colours are the Okabe–Ito palette of the reproductions' house style."""

from __future__ import annotations

import os

import pytest
from matplotlib.colors import to_hex

from proofs_checks.cli import main
from proofs_checks.reproduce.style import OKABE_ITO


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    from proofs_checks.experiments import geometry

    out = tmp_path_factory.mktemp("geometry") / "figs"
    seen = {}
    original = geometry._save

    def record(fig, out_dir, name):
        seen[name] = fig
        return original(fig, out_dir, name)

    mp = pytest.MonkeyPatch()
    mp.setattr(geometry, "_save", record)
    try:
        code = main(["experiment", "geometry.digits", "--hidden", "8", "--epochs", "1", "--drift", "1",
                     "--out", str(out), "--quiet"])
    finally:
        mp.undo()
    assert code == 0
    return out, seen


def test_every_figure_is_written(figures):
    out, seen = figures
    assert sorted(seen) == ["accuracy.png", "autonomous.png", "spectrum.png", "states_pca.png"]
    assert sorted(os.listdir(out)) == sorted(list(seen) + ["eigenvalues.csv"])
    for name in seen:
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", ["accuracy.png", "states_pca.png", "spectrum.png", "autonomous.png"])
def test_every_axes_is_labelled_and_keyed(figures, name):
    fig = figures[1][name]
    assert fig._suptitle is not None and fig._suptitle.get_text().startswith("geometry.digits (seed 0")
    assert fig.axes
    for ax in fig.axes:
        assert ax.get_xlabel().strip(), (name, ax.get_title())
        assert ax.get_ylabel().strip(), (name, ax.get_title())
        assert ax.get_legend() is not None, (name, ax.get_title())
        assert ax.get_title() or len(fig.axes) == 1, name


def test_the_pca_key_names_every_digit_in_okabe_ito_colours(figures):
    fig = figures[1]["states_pca.png"]
    T, drift = 8, 1
    assert len(fig.axes) == T + drift  # one panel per time step, no empty panel left
    for ax in fig.axes:
        legend = ax.get_legend()
        assert [t.get_text() for t in legend.get_texts()] == [str(d) for d in range(10)]
        colours = {to_hex(c.get_facecolor()[0]).upper() for c in ax.collections}
        assert colours <= {c.upper() for c in OKABE_ITO}, colours
