"""`rnnproof urnn` and `rnnproof equivalent`: files, JSON, exit codes, refusals (no file left behind)."""

import json
import subprocess
import sys

import numpy as np
import pytest

from numerics import RNNSpec, load_network, save_network
from numerics import unitary as U
from proofs_checks.cli import main


def _relu_run(spec, X):
    """The test's own ReLU simulator (independent of the construction and of numerics.simulate)."""
    h = np.zeros(spec.n) if spec.h0 is None else spec.h0.copy()
    d = 0.0 if spec.d is None else spec.d
    out = []
    for x in X:
        h = np.maximum(spec.W @ h + spec.B @ x + spec.bias(), 0.0)
        out.append(spec.C @ h + d)
    return np.array(out)


@pytest.fixture
def nets(tmp_path):
    rng = np.random.default_rng(11)
    spec = U.random_relu_rnn(rng, 5, 0.9, n_x=3, n_y=2)
    path = tmp_path / "rnn.npz"
    save_network(path, spec)
    return tmp_path, path, spec, rng


def test_urnn_writes_orthogonal_equivalent_network(nets):
    tmp, path, spec, rng = nets
    out, js = tmp / "urnn.npz", tmp / "urnn.json"
    assert main(["urnn", str(path), "--input-bound", "2", "--out", str(out), "--json", str(js)]) == 0
    urnn = load_network(out)
    assert urnn.time == "discrete" and urnn.activation == "relu" and urnn.n == 10
    assert np.abs(urnn.W.T @ urnn.W - np.eye(10)).max() < 1e-14
    data = json.loads(js.read_text())
    assert data["schema"] == "rnnproof.urnn/1"
    assert data["states"] == 10 and data["input_bound"] == 2.0
    assert data["orthogonality_error"] < 1e-14 and data["beta"] >= data["H_star"] > 0
    assert data["check"]["extra_states_max"] == 0.0
    for _ in range(5):
        g = rng.standard_normal((150, 3))
        X = 2.0 * g / np.linalg.norm(g, axis=1, keepdims=True) * rng.random((150, 1))
        y, yt = _relu_run(spec, X), _relu_run(urnn, X)
        assert np.abs(y - yt).max() <= 1e-12 * (np.abs(y).max() + 1)


def test_equivalent_exit_codes_and_counterexample(nets):
    tmp, path, spec, rng = nets
    out = tmp / "urnn.npz"
    assert main(["urnn", str(path), "--input-bound", "1", "--out", str(out), "--reduced"]) == 0
    js = tmp / "eq.json"
    assert main(["equivalent", str(path), str(out), "--input-bound", "1", "--trials", "16",
                 "--json", str(js)]) == 0
    data = json.loads(js.read_text())
    assert data["schema"] == "rnnproof.equivalent/1" and data["equivalent"] is True
    cex = tmp / "cex.npz"
    code = main(["equivalent", str(path), str(out), "--input-bound", "100", "--trials", "16",
                 "--counterexample", str(cex), "--json", str(js)])
    assert code == 1
    data = json.loads(js.read_text())
    assert data["equivalent"] is False and data["counterexample_file"] == str(cex)
    with np.load(cex) as f:
        X = f["x"]
        assert np.linalg.norm(X, axis=1).max() <= 100 * (1 + 1e-12)
        urnn = load_network(out)
        assert np.abs(_relu_run(spec, X) - _relu_run(urnn, X)).max() > 1e-6


def _bad_net(tmp, name, **changes):
    base = dict(W=0.5 * np.eye(2), B=np.ones((2, 1)), C=np.ones((1, 2)), activation="relu", time="discrete")
    base.update(changes)
    p = tmp / name
    save_network(p, RNNSpec(**base))
    return p


@pytest.mark.parametrize("changes, extra, message", [
    ({"time": "continuous"}, [], "discrete"),
    ({"activation": "tanh"}, [], "relu"),
    ({"W": np.diag([1.0, 0.5])}, [], "||W||_2 = 1"),
    ({"W": np.diag([1.25, 0.5])}, [], "||W||_2 = 1.25 > 1"),
    ({}, ["--input-bound", "0"], "input-bound"),
    ({}, ["--input-bound", "-2"], "input-bound"),
    ({}, ["--input-bound", "nan"], "input-bound"),
    ({}, None, "--input-bound"),
])
def test_urnn_refusals(tmp_path, capsys, changes, extra, message):
    path = _bad_net(tmp_path, "bad.npz", **changes)
    out = tmp_path / "out.npz"
    args = ["urnn", str(path), "--out", str(out), "--json", str(tmp_path / "o.json")]
    args += ["--input-bound", "1"] if extra == [] else (extra or [])
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert not out.exists() and not (tmp_path / "o.json").exists()


def test_urnn_refuses_shape_mismatch_and_nan_files(tmp_path, capsys):
    bad = tmp_path / "shape.npz"
    np.savez(bad, W=0.5 * np.eye(2), B=np.ones((3, 1)), activation=np.array("relu"), time=np.array("discrete"))
    nan = tmp_path / "nan.npz"
    np.savez(nan, W=np.array([[np.nan]]), activation=np.array("relu"), time=np.array("discrete"))
    for p, word in ((bad, "B must have"), (nan, "NaN")):
        assert main(["urnn", str(p), "--input-bound", "1", "--out", str(tmp_path / "o.npz")]) == 2
        assert word in capsys.readouterr().err
    assert not (tmp_path / "o.npz").exists()


def test_equivalent_refuses_mismatched_inputs(tmp_path, capsys):
    a = _bad_net(tmp_path, "a.npz")
    b = _bad_net(tmp_path, "b.npz", B=np.ones((2, 2)))
    assert main(["equivalent", str(a), str(b), "--input-bound", "1"]) == 2
    assert "inputs" in capsys.readouterr().err


def test_cli_subprocess_round_trip(nets):
    tmp, path, spec, rng = nets
    out = tmp / "u.npz"
    cmd = [sys.executable, "-m", "proofs_checks"]
    proc = subprocess.run(cmd + ["urnn", str(path), "--input-bound", "1", "--out", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(cmd + ["equivalent", str(path), str(out), "--input-bound", "50", "--trials", "8",
                                 "--counterexample", str(tmp / "c.npz")], capture_output=True, text=True)
    assert proc.returncode == 1 and "counterexample saved to" in proc.stdout
