"""``rnnproof linearize`` in a subprocess: tanh (incl. saturated), ReLU with silent units (similar
and not similar), discrete time, and bad input (one line, exit 2, no JSON left behind)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import sympy

from numerics import RNNSpec, save_network


def _run(*args):
    return subprocess.run([sys.executable, "-m", "proofs_checks", "linearize", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def _net(tmp_path, name, **kw):
    path = tmp_path / name
    save_network(path, RNNSpec(**kw))
    return path


def _independent_fixed_point_check(W, b, B, u0, x, phi):
    """Residual of x = W phi(x) + B u0 + b computed here, not by the code under test."""
    return np.max(np.abs(-x + W @ phi(x) + b + (B @ u0 if B is not None else 0)))


def test_tanh_network_with_saturated_units(tmp_path):
    rng = np.random.default_rng(3)
    n = 25
    W = 1.1 * rng.standard_normal((n, n)) / np.sqrt(n)
    b = rng.standard_normal(n)
    b[:4] = [9.0, -9.0, 12.0, -10.0]                     # saturated units: gains ≈ 1e-7 .. 1e-10
    B = rng.standard_normal((n, 2))
    net = _net(tmp_path, "tanh.npz", W=W, b=b, B=B)
    u0 = np.array([0.3, -0.2])
    np.save(tmp_path / "u.npy", u0)
    out_path = tmp_path / "out.json"
    proc = _run(net, "--input", tmp_path / "u.npy", "--json", out_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(out_path.read_text())
    assert out["schema"] == "rnnproof.linearize/1"
    x = np.array(out["fixed_point"])
    assert _independent_fixed_point_check(W, b, B, u0, x, np.tanh) < 1e-12
    assert out["residual"] < 1e-12
    d = 1 - np.tanh(x) ** 2
    assert np.allclose(out["gains"], d, rtol=1e-12, atol=0)
    assert min(out["gains"]) < 1e-6 and out["silent_units"] == []
    assert out["similar"] is True and out["verdict"].startswith("similar")
    # spectra against an independent LAPACK call on −I + DW (activity frame)
    ref = np.linalg.eigvals(-np.eye(n) + d[:, None] * W)
    for frame in ("activation", "activity"):
        got = np.array([complex(re, im) for re, im in out["eigenvalues"][frame]])
        dist = np.abs(got[:, None] - ref[None, :])
        assert np.max(np.min(dist, axis=1)) < 1e-10
    assert out["eigvec_maps"]["right"]["ok"] and out["eigvec_maps"]["left"]["ok"]


def test_relu_network_not_similar(tmp_path):
    """Unit 1 is silent and driven by the input; −I + JD = −I but −I + DJ is a Jordan block."""
    W = np.array([[0.0, 1.0], [0.0, 0.0]])
    net = _net(tmp_path, "relu_ns.npz", W=W, B=np.array([[0.0], [1.0]]), b=np.array([1.0, 0.0]),
               activation="relu")
    np.save(tmp_path / "u.npy", np.array([-1.0]))
    out_path = tmp_path / "out.json"
    proc = _run(net, "--input", tmp_path / "u.npy", "--json", out_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(out_path.read_text())
    assert out["fixed_point"] == [1.0, -1.0] and out["silent_units"] == [1]
    assert out["similar"] is False and out["verdict"].startswith("not similar")
    assert out["eigenvalues"]["activation"] == [[-1.0, 0.0], [-1.0, 0.0]]
    # exact arithmetic from the reported gains: Jordan forms differ
    Dq = sympy.diag(*[sympy.Rational(g) for g in out["gains"]])
    Jq = sympy.Matrix([[0, 1], [0, 0]])
    assert (-sympy.eye(2) + Jq * Dq).jordan_form()[1] != (-sympy.eye(2) + Dq * Jq).jordan_form()[1]
    assert sorted(out["partitions"]["activation"]) == [1, 1] and out["partitions"]["activity"] == [2]


def test_relu_network_with_silent_units_similar(tmp_path):
    rng = np.random.default_rng(8)
    n = 10
    W = 0.7 * rng.standard_normal((n, n)) / np.sqrt(n)
    b = rng.standard_normal(n)
    net = _net(tmp_path, "relu.npz", W=W, b=b, activation="relu")
    out_path = tmp_path / "out.json"
    proc = _run(net, "--json", out_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(out_path.read_text())
    x = np.array(out["fixed_point"])
    assert _independent_fixed_point_check(W, b, None, None, x, lambda v: np.maximum(v, 0)) < 1e-13
    silent = np.flatnonzero(x < 0).tolist()
    assert out["silent_units"] == silent and len(silent) > 0
    ev = np.array([complex(*p) for p in out["eigenvalues"]["activity"]])
    assert np.sum(np.abs(ev + 1) < 1e-10) >= len(silent)      # cluster of |S| at −1
    assert out["similar"] is True


def test_discrete_leaky_network(tmp_path):
    rng = np.random.default_rng(1)
    n = 6
    W = rng.standard_normal((n, n)) / np.sqrt(n)
    net = _net(tmp_path, "leaky.npz", W=W, b=rng.standard_normal(n), time="discrete", alpha=0.2)
    proc = _run(net, "--json", tmp_path / "o.json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads((tmp_path / "o.json").read_text())
    d = np.array(out["gains"])
    ref = np.linalg.eigvals(0.8 * np.eye(n) + 0.2 * d[:, None] * W)
    got = np.array([complex(*p) for p in out["eigenvalues"]["activation"]])
    assert np.max(np.min(np.abs(got[:, None] - ref[None, :]), axis=1)) < 1e-12
    assert out["special_eigenvalue"] == pytest.approx(0.8)


def _bad_cases(tmp_path):
    good = _net(tmp_path, "good.npz", W=0.5 * np.eye(2), B=np.ones((2, 1)))
    kink = _net(tmp_path, "kink.npz", W=np.zeros((2, 2)), b=np.array([0.0, 1.0]), activation="relu")
    np.save(tmp_path / "u2.npy", np.array([1.0, 2.0]))
    np.save(tmp_path / "unan.npy", np.array([np.nan]))
    np.save(tmp_path / "uobj.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    np.savez(tmp_path / "nan_net.npz", W=np.array([[np.nan, 0.0], [0.0, 0.0]]))
    return [
        ([tmp_path / "missing.npz"], "not found"),
        ([good, "--input", tmp_path / "nope.npy"], "--input: file not found"),
        ([good, "--input", tmp_path / "u2.npy"], "must hold m = 1"),
        ([good, "--input", tmp_path / "unan.npy"], "NaN"),
        ([good, "--input", tmp_path / "uobj.npy"], "pickles"),
        ([tmp_path / "nan_net.npz"], "NaN"),
        ([kink], "gain undefined at 0"),
    ]


def test_bad_input_one_line_exit_2_no_json(tmp_path):
    for args, needle in _bad_cases(tmp_path):
        out_path = tmp_path / "never.json"
        proc = _run(*args, "--json", out_path)
        assert proc.returncode == 2, (args, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and needle in lines[0], (args, proc.stderr)
        assert "Traceback" not in proc.stderr
        assert not out_path.exists()


def test_relu_gain_convention_flag(tmp_path):
    kink = _net(tmp_path, "kink.npz", W=np.zeros((2, 2)), b=np.array([0.0, 1.0]), activation="relu")
    proc = _run(kink, "--relu-gain-at-zero", "0", "--json", tmp_path / "k.json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads((tmp_path / "k.json").read_text())
    assert out["gains"] == [0.0, 1.0] and out["silent_units"] == [0]
