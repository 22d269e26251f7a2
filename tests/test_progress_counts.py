"""Long commands show a moving ``[k/N]`` count on stderr also when it is not a terminal (issue 10,
defect 6): ``experiment geometry.digits`` (training epochs), ``volterra`` (Monte Carlo steps and the
high-order hierarchy's segments) and ``linearize`` (Newton starts, then the linearization steps).

stderr is captured (not a tty), so :class:`proofs_checks.progress.Progress` prints count lines; the
interval between lines is set to 0 so that runs of a second show every count.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import proofs_checks.progress as progress
from numerics import RNNSpec, save_network
from proofs_checks.cli import main

COUNT = re.compile(r"\[(\d+)/(\d+)\]")


@pytest.fixture(autouse=True)
def every_count(monkeypatch):
    monkeypatch.setattr(progress, "INTERVAL", 0.0)


def _counts(err, label):
    """(k, N) of the count lines of ``label`` in ``err``."""
    out = []
    for line in err.splitlines():
        if line.startswith(label + ": "):
            match = COUNT.search(line)
            assert match, line
            out.append((int(match.group(1)), int(match.group(2))))
    return out


def _assert_advancing(counts):
    ks = [k for k, _ in counts]
    assert len(set(ks)) >= 2, counts
    assert ks == sorted(ks), counts
    assert counts[-1][0] == counts[-1][1], counts  # the last count is the total


def test_short_jobs_print_no_count_and_long_ones_do():
    import io

    stream = io.StringIO()
    with progress.Progress(3, stream=stream, interval=3600.0) as bar:
        for _ in range(3):
            bar.advance("x")
    assert stream.getvalue() == ""  # shorter than one interval: silent (an error stays one line)
    stream = io.StringIO()
    with progress.Progress(2, stream=stream, interval=0.0) as bar:
        bar.update_to(1, 4, "a")
        bar.update_to(4, text="b")
    assert stream.getvalue().splitlines() == ["[1/4] a", "[4/4] b"]


def _srnn(tmp_path, sigma):
    rng = np.random.default_rng(3)
    n = 2
    spec = RNNSpec(W=0.4 * rng.standard_normal((n, n)) / math.sqrt(n), B=rng.standard_normal((n, 1)),
                   b=rng.uniform(-0.5, 0.5, n), C=rng.standard_normal((1, n)), form="srnn",
                   gamma=np.ones(n), sigma=None if sigma is None else np.array(sigma))
    save_network(tmp_path / "net.npz", spec)
    t = np.linspace(0.0, 0.5, 6)
    np.savez(tmp_path / "inp.npz", t=t, u=np.sin(3 * t)[:, None])
    return [str(tmp_path / "net.npz"), "--input", str(tmp_path / "inp.npz")]


def test_volterra_monte_carlo_counts_euler_maruyama_steps(tmp_path, capsys):
    argv = ["volterra", *_srnn(tmp_path, 0.3), "--order", "2", "--paths", "100"]
    assert main(argv) == 0
    counts = _counts(capsys.readouterr().err, "volterra")
    _assert_advancing(counts)
    # burn-in 10/|abscissa| time units plus T = 0.5, at dt <= 0.01: over a thousand steps
    assert counts[-1][1] > 50 + 1000


def test_volterra_high_order_counts_hierarchy_segments(tmp_path, capsys):
    assert main(["volterra", *_srnn(tmp_path, None), "--order", "6"]) == 0
    counts = _counts(capsys.readouterr().err, "volterra")
    _assert_advancing(counts)
    assert counts[-1][1] == 2 * 5  # five input segments, solved at two tolerances


def test_linearize_counts_newton_starts_then_steps(tmp_path, capsys):
    rng = np.random.default_rng(5)
    n = 4
    save_network(tmp_path / "c.npz", RNNSpec(W=0.5 * rng.standard_normal((n, n)) / math.sqrt(n),
                                             b=rng.uniform(-0.5, 0.5, n)))
    assert main(["linearize", str(tmp_path / "c.npz")]) == 0
    err = capsys.readouterr().err
    counts = _counts(err, "linearize")
    _assert_advancing(counts)
    assert counts[-1][1] == 6 + 4  # Bu0+h, zero and four seeded random starts; four steps after
    assert "Newton starts" in err and "similarity verdict" in err


class _StopAfterTraining(Exception):
    pass


def _train_only(monkeypatch, capsys, extra):
    """Run the experiment's training (H = 8, three epochs) and stop before the analysis."""
    from proofs_checks import cli
    from proofs_checks.experiments import geometry

    def stop(*args, **kwargs):
        raise _StopAfterTraining

    monkeypatch.setattr(geometry, "analyze", stop)
    parser = cli.CommandParser(prog="rnnproof experiment geometry.digits")
    geometry.configure(parser)
    options = parser.parse_args(["--hidden", "8", "--epochs", "3", "--drift", "1", *extra])
    with pytest.raises(_StopAfterTraining):
        geometry.run(options)
    return capsys.readouterr().err


def test_experiment_counts_training_epochs(tmp_path, monkeypatch, capsys):
    err = _train_only(monkeypatch, capsys, ["--out", str(tmp_path / "figs")])
    counts = _counts(err, "training")
    _assert_advancing(counts)
    assert [k for k, _ in counts] == [1, 2, 3] and counts[-1][1] == 3


def test_experiment_quiet_silences_the_count(tmp_path, monkeypatch, capsys):
    err = _train_only(monkeypatch, capsys, ["--out", str(tmp_path / "figs"), "--quiet"])
    assert not COUNT.search(err), err


def test_volterra_and_linearize_quiet_print_no_count(tmp_path, capsys):
    assert main(["volterra", *_srnn(tmp_path, None), "--order", "6", "--quiet"]) == 0
    assert _counts(capsys.readouterr().err, "volterra") == []
    rng = np.random.default_rng(5)
    save_network(tmp_path / "c.npz", RNNSpec(W=0.5 * rng.standard_normal((4, 4)) / 2.0, b=rng.uniform(-0.5, 0.5, 4)))
    assert main(["linearize", str(tmp_path / "c.npz"), "--quiet"]) == 0
    assert _counts(capsys.readouterr().err, "linearize") == []
