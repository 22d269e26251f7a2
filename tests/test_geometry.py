"""Tests of the representation-geometry paper (Horoi, Lajoie & Wolf 2020): numerics, theory, claims, CLI.

The stand-in network is trained once per pytest process (the claims module caches it), so the claim
tests here and ``test_claims_all`` share one training run.
"""

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import theory
from numerics import InputError, RNNSpec, save_network
from numerics import geometry as N
from proofs_checks.cli import main
from proofs_checks.registry import all_claims
from proofs_checks.runner import run_claim
from theory import geometry as T

IDS = [
    "geometry.zero_state_fixed_point", "geometry.origin_stability", "geometry.prepend_zero_invariance",
    "geometry.prepend_breaks_with_bias", "geometry.append_changes_state", "geometry.bptt_gradient",
    "geometry.participation_ratio", "geometry.class_distance_ratio", "geometry.final_accuracy",
    "geometry.early_label_information", "geometry.readout_only_at_trained_step",
    "geometry.drift_persistence", "geometry.class_separation_growth", "geometry.spectral_radius_growth",
    "geometry.autonomous_oscillation", "geometry.mnist_variant",
]
needs_sklearn = pytest.mark.skipif(not N.digits_available(), reason=N.SKLEARN_MISSING)


# ---------------------------------------------------------------------------------------------
# numerics
# ---------------------------------------------------------------------------------------------
def _tanh_loop(W, U, x):
    """Plain per-sample loop (independent of the batched, time-major implementation)."""
    out = np.zeros((x.shape[0], x.shape[1] + 1, W.shape[0]))
    for n in range(x.shape[0]):
        h = np.zeros(W.shape[0])
        for t in range(x.shape[1]):
            h = np.tanh(W @ h + U @ x[n, t])
            out[n, t + 1] = h
    return out


def test_rnn_states_matches_plain_loop():
    rng = np.random.default_rng(1)
    W, U = N.random_tanh_rnn(rng, 7, 3, 1.3)
    x = rng.uniform(-1, 1, (4, 5, 3))
    assert np.allclose(N.rnn_states(W, U, x), _tanh_loop(W, U, x), rtol=0, atol=1e-14)


@settings(max_examples=20)
@given(H=st.integers(1, 12), D=st.integers(1, 5), T_=st.integers(1, 8), n_pre=st.integers(0, 10),
       gain=st.floats(0.1, 3.0), seed=st.integers(0, 2**32 - 1))
def test_prepend_invariance_property(H, D, T_, n_pre, gain, seed):
    rng = np.random.default_rng(seed)
    W, U = N.random_tanh_rnn(rng, H, D, gain)
    x = rng.uniform(-1, 1, (3, T_, D))
    pre = N.rnn_states(W, U, np.concatenate([np.zeros((3, n_pre, D)), x], axis=1))
    assert np.array_equal(pre[:, n_pre + 1:], N.rnn_states(W, U, x)[:, 1:])


def test_bias_breaks_prepend():
    rng = np.random.default_rng(2)
    W, U = N.random_tanh_rnn(rng, 6, 2, 1.0)
    b = np.full(6, 0.3)
    x = rng.uniform(-1, 1, (2, 3, 2))
    pre = N.rnn_states(W, U, np.concatenate([np.zeros((2, 1, 2)), x], axis=1), b=b)
    assert np.max(np.abs(pre[:, 2:] - N.rnn_states(W, U, x, b=b)[:, 1:])) > 1e-6


@settings(max_examples=15)
@given(H=st.integers(2, 10), T_=st.integers(1, 5), D=st.integers(1, 4), C=st.integers(2, 4),
       batch=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_bptt_matches_central_differences(H, T_, D, C, batch, seed):
    rng = np.random.default_rng(seed)
    params = N.init_params(rng, H, D, C)
    x, y = rng.uniform(0, 1, (batch, T_, D)), rng.integers(0, C, batch)
    _, g = N.loss_and_grad(params, x, y)
    theta = N.flatten_params(params)
    d = rng.standard_normal(theta.size)
    d /= np.linalg.norm(d)
    f = lambda v: N.cross_entropy(N.unflatten_params(v, params), x, y)  # noqa: E731
    fd = (f(theta + 1e-5 * d) - f(theta - 1e-5 * d)) / 2e-5
    gd = N.flatten_params(g) @ d
    assert abs(fd - gd) / max(abs(gd), 1e-6) <= 1e-6


def test_float32_training_path_matches_float64_gradient():
    rng = np.random.default_rng(3)
    params = N.init_params(rng, 16, 4, 3)
    x, y = rng.uniform(0, 1, (8, 5, 4)), rng.integers(0, 3, 8)
    _, g64 = N.loss_and_grad(params, x, y)
    _, g32 = N._bptt(*(params[k].astype(np.float32) for k in ("W", "U", "V", "c")), x.astype(np.float32), y)
    for k in g64:
        assert g32[k].dtype == np.float32
        assert np.max(np.abs(g32[k] - g64[k])) <= 1e-5 * (1 + np.max(np.abs(g64[k])))


@needs_sklearn
def test_bundled_digits_read_directly_equal_load_digits():
    from sklearn.datasets import load_digits

    pixels, labels = N._digits_arrays()
    digits = load_digits()
    assert np.array_equal(pixels, digits.data) and np.array_equal(labels, digits.target)


def test_participation_ratio_known_values():
    # Covariance eigenvalues (4, 1) from points ±2 e1 and ±e2: PR = 25/17.
    X = np.array([[2.0, 0], [-2, 0], [0, 1], [0, -1]])
    assert math.isclose(N.participation_ratio(X), 25 / 17, rel_tol=1e-14)


def test_class_distance_ratio_known_value():
    # Centroids (0, .5) and (4, .5); within-class distances all 0.5: R = 4 / 0.5.
    X = np.array([[0.0, 0], [0, 1], [4, 0], [4, 1]])
    assert N.class_distance_ratio(X, np.array([0, 0, 1, 1])) == pytest.approx(8.0, rel=1e-15)


def test_ridge_probe_separates_linearly_separable_classes():
    rng = np.random.default_rng(4)
    y = rng.integers(0, 3, 300)
    Z = rng.standard_normal((300, 5)) * 0.1 + np.eye(5)[y] * 3
    assert np.mean(N.ridge_probe(Z, y)(Z) == y) == 1.0


def test_autonomous_dynamics_fixed_point_and_rotation():
    out = N.autonomous_dynamics(0.5 * np.eye(3), np.ones((2, 3)), steps=30, burn_in=30, lyap_steps=50,
                                max_period=5)
    assert out["classification"] == "fixed point" and out["collapsed_to_origin"]
    theta = 2 * np.pi / 7
    rot = 3.0 * np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    out = N.autonomous_dynamics(rot, np.array([[0.5, 0.1]]), steps=100, burn_in=400, lyap_steps=500,
                                max_period=20)
    assert out["classification"] != "fixed point" and out["step_ratio"] > 0.1


@pytest.mark.parametrize("call, word", [
    (lambda: N.rnn_states(np.ones((2, 3)), np.ones((2, 1)), np.ones((1, 2, 1))), "W"),
    (lambda: N.rnn_states(np.array([[np.nan]]), np.ones((1, 1)), np.ones((1, 2, 1))), "W"),
    (lambda: N.rnn_states(np.eye(2), np.ones((3, 1)), np.ones((1, 2, 1))), "U"),
    (lambda: N.loss_and_grad(N.init_params(np.random.default_rng(0), 2, 1, 2), np.ones((1, 0, 1)),
                             np.array([0])), "T"),
    (lambda: N.loss_and_grad(N.init_params(np.random.default_rng(0), 2, 1, 2), np.ones((1, 2, 1)),
                             np.array([2])), "y"),
    (lambda: N.participation_ratio(np.ones((1, 3))), "states"),
    (lambda: N.participation_ratio(np.ones((4, 3))), "undefined"),
    (lambda: N.class_distance_ratio(np.ones((3, 2)), np.zeros(3, int)), "labels"),
    (lambda: N.class_distance_ratio(np.array([[0.0], [0], [1], [1]]), np.array([0, 0, 1, 1])), "infinite"),
    (lambda: N.GeometryConfig(hidden=0), "hidden"),
    (lambda: N.GeometryConfig(drift=-1), "drift"),
    (lambda: N.check_sequence_data(np.ones((3, 2, 2)), np.zeros(2, int), np.ones((3, 2, 2)),
                                   np.zeros(3, int)), "y_train"),
    (lambda: N.check_sequence_data(np.ones((3, 2)), np.zeros(3, int), np.ones((3, 2, 2)),
                                   np.zeros(3, int)), "x_train"),
    (lambda: N.check_sequence_data(np.ones((3, 2, 2)), np.array([0, 1, 0]), np.ones((3, 2, 3)),
                                   np.zeros(3, int)), "x_test"),
    (lambda: N.check_sequence_data(np.ones((3, 2, 2)), np.array([0, 1, 0.5]), np.ones((3, 2, 2)),
                                   np.zeros(3, int)), "y_train"),
    (lambda: N.check_sequence_data(np.ones((3, 2, 2)), np.array([0, 1, 5]), np.ones((3, 2, 2)),
                                   np.zeros(3, int), n_outputs=3), "y_train"),
])
def test_bad_input_names_the_argument(call, word):
    with pytest.raises(InputError, match=word):
        call()


def test_float32_input_to_gradient_warns_and_casts():
    params = N.init_params(np.random.default_rng(0), 3, 2, 2)
    with pytest.warns(RuntimeWarning, match="float64"):
        N.loss_and_grad(params, np.ones((2, 3, 2), dtype=np.float32), np.array([0, 1]))


# ---------------------------------------------------------------------------------------------
# theory
# ---------------------------------------------------------------------------------------------
def test_symbolic_identities():
    assert all(r == 0 for r in T.bptt_residuals(2, 1, 2, 2))
    assert T.tanh_difference_identity() == 0
    assert all(r == 0 for r in T.distance_ratio_invariance_residuals())
    assert all(T.lagrange_identity(r) == 0 for r in range(1, 9))
    f0, dJ = T.zero_state_residuals(3)
    assert f0.is_zero_matrix and dJ.is_zero_matrix


def test_bptt_claim_catches_a_wrong_gradient(monkeypatch):
    """The check can fail: a BPTT that forgets the tanh derivative at the last step is caught."""
    real = N.loss_and_grad

    def wrong(params, x, y):
        loss, g = real(params, x, y)
        return loss, dict(g, W=g["W"] * 1.001)

    monkeypatch.setattr(N, "loss_and_grad", wrong)
    monkeypatch.setattr(N, "digits_available", lambda: False)
    assert run_claim("geometry.bptt_gradient", seed=0)["status"] == "fail"


@pytest.mark.parametrize("topic", ["geometry", "geometry.dynamics", "geometry.prepend", "geometry.bptt",
                                   "geometry.measures"])
def test_derive_topics_render_latex(topic):
    items = theory.derive(topic)
    assert items and all(theory.to_latex(expr) for _, expr in items)


def test_derive_rejects_other_activations():
    with pytest.raises(theory.TopicError, match="tanh"):
        theory.derive("geometry", activation="relu")


# ---------------------------------------------------------------------------------------------
# claims
# ---------------------------------------------------------------------------------------------
def test_claims_registered_in_order_with_renderable_statements():
    claims = all_claims("geometry")
    assert [c.id for c in claims] == IDS
    for c in claims:
        assert sp.latex(c.statement())
        if c.expressions is not None:
            assert all(sp.latex(v) for v in c.expressions().values())


@pytest.mark.parametrize("claim_id", IDS[:8])
def test_structural_claims_pass_on_another_seed(claim_id, monkeypatch):
    monkeypatch.setattr(N, "digits_available", lambda: False)  # structural part only
    result = run_claim(claim_id, seed=11, profile="quick")
    assert result["status"] == "pass", result["detail"]


@pytest.mark.parametrize("claim_id", IDS[8:15])
def test_standin_claims_not_applicable_without_sklearn(claim_id, monkeypatch):
    monkeypatch.setattr(N, "digits_available", lambda: False)
    result = run_claim(claim_id, seed=0)
    assert result["status"] == "not_applicable"
    assert "scikit-learn not installed" in result["detail"]


def test_diverged_training_fails_with_message(monkeypatch):
    from proofs_checks.claims.geometry import _instances as G

    cfg = N.GeometryConfig(seed=987)
    fake = N.DigitsRun(config=cfg, data=(), train=N.TrainResult(params={}, initial={}, diverged=True),
                       T=8, n_classes=10)
    monkeypatch.setattr(N, "run_digits", lambda config: fake)
    monkeypatch.setattr(G, "_CACHE", {})
    result = run_claim("geometry.final_accuracy", seed=987)
    assert result["status"] == "fail" and "training diverged" in result["detail"]


def test_mnist_variant_not_applicable_without_data(monkeypatch):
    monkeypatch.delenv("RNNPROOF_MNIST", raising=False)
    result = run_claim("geometry.mnist_variant", seed=0)
    assert result["status"] == "not_applicable" and "MNIST data not supplied" in result["detail"]


@needs_sklearn
def test_standin_claims_pass_strict_seed():
    for claim_id in IDS[8:15]:
        result = run_claim(claim_id, seed=0)
        assert result["status"] == "pass", (claim_id, result["detail"])
        assert "strict thresholds" in result["detail"]


@needs_sklearn
@pytest.mark.skipif(not os.environ.get("RNNPROOF_SLOW"), reason="slow seed sweep: set RNNPROOF_SLOW=1")
@pytest.mark.parametrize("seed", range(1, 11))
def test_standin_seed_sweep_relaxed(seed):
    for claim_id in IDS[8:15]:
        result = run_claim(claim_id, seed=seed)
        assert result["status"] == "pass", (claim_id, seed, result["detail"])


def test_network_hooks(tmp_path):
    rng = np.random.default_rng(5)
    W, U = N.random_tanh_rnn(rng, 6, 2, 0.8)
    free = tmp_path / "free.npz"
    save_network(free, RNNSpec(W=W, B=U, time="discrete"))
    biased = tmp_path / "biased.npz"
    save_network(biased, RNNSpec(W=W, B=U, b=np.full(6, 0.2), time="discrete"))
    for cid in ("geometry.zero_state_fixed_point", "geometry.origin_stability",
                "geometry.prepend_zero_invariance", "geometry.append_changes_state"):
        assert run_claim(cid, network_path=str(free))["status"] == "pass", cid
    assert run_claim("geometry.prepend_breaks_with_bias", network_path=str(biased))["status"] == "pass"
    r = run_claim("geometry.prepend_zero_invariance", network_path=str(biased))
    assert r["status"] == "not_applicable" and "bias" in r["detail"]
    assert run_claim("geometry.prepend_breaks_with_bias", network_path=str(free))["status"] == "not_applicable"


# ---------------------------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------------------------
@needs_sklearn
def test_experiment_small_config_writes_json_and_figures(tmp_path, capsys):
    out, js = tmp_path / "figs", tmp_path / "geo.json"
    md = tmp_path / "table.md"
    code = main(["experiment", "geometry.digits", "--seed", "3", "--hidden", "24", "--epochs", "2",
                 "--drift", "3", "--out", str(out), "--json", str(js), "--markdown", str(md)])
    assert code == 0
    assert md.read_text().count("\n| ") == 1 + 11  # header, then one row per time step
    data = json.loads(js.read_text())
    assert data["schema"] == "rnnproof.geometry/1" and data["T"] == 8
    assert [r["t"] for r in data["per_step"]] == list(range(1, 12))
    assert {"readout_accuracy", "probe_accuracy", "pixel_probe_accuracy", "participation_ratio",
            "distance_ratio"} <= set(data["per_step"][0])
    assert set(data["spectral_radius"]) == {"initial", "trained"}
    assert 0 <= data["final_accuracy"] <= 1 and data["prepend"]["exactly_equal"]
    for name in ("accuracy.png", "states_pca.png", "spectrum.png"):
        assert (out / name).read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("argv, word", [
    (["--hidden", "0"], "hidden"), (["--drift", "-2"], "drift"), (["--epochs", "0"], "epochs"),
    (["--json", "/nonexistent-dir/x.json"], "--json"),
])
def test_experiment_bad_input_exit_2(argv, word, tmp_path, capsys):
    code = main(["experiment", "geometry.digits", "--out", str(tmp_path / "o")] + argv)
    err = capsys.readouterr().err
    assert code == 2 and word in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def _probe_files(tmp_path):
    rng = np.random.default_rng(6)
    H, D, Tn = 12, 3, 5
    W, U = N.random_tanh_rnn(rng, H, D, 1.2)
    x = rng.uniform(0, 1, (120, Tn, D))
    y = (x[:, :, 0].sum(axis=1) > Tn / 2).astype(int)
    net = tmp_path / "net.npz"
    save_network(net, RNNSpec(W=W, B=U, C=rng.standard_normal((2, H)), d=np.zeros(2), time="discrete"))
    data = tmp_path / "data.npz"
    np.savez(data, x_train=x[:80], y_train=y[:80], x_test=x[80:], y_test=y[80:])
    return net, data, (W, U, x, y)


def test_probe_command(tmp_path, capsys):
    net, data, _ = _probe_files(tmp_path)
    js = tmp_path / "probe.json"
    assert main(["probe", str(net), "--data", str(data), "--drift", "2", "--json", str(js)]) == 0
    rep = json.loads(js.read_text())
    assert rep["schema"] == "rnnproof.geometry/1" and rep["T"] == 5
    assert [r["t"] for r in rep["per_step"]] == list(range(1, 8))
    assert rep["spectral_radius"]["initial"] is None and rep["spectral_radius"]["trained"] > 0


def test_probe_readout_accuracy_matches_direct_computation(tmp_path):
    net, data, (W, U, x, y) = _probe_files(tmp_path)
    js = tmp_path / "p.json"
    main(["probe", str(net), "--data", str(data), "--drift", "0", "--json", str(js)])
    from numerics import load_network

    spec = load_network(net)
    states = _tanh_loop(W, U, x[80:])
    direct = [float(np.mean(np.argmax(states[:, t] @ spec.C.T, axis=1) == y[80:])) for t in range(1, 6)]
    got = [r["readout_accuracy"] for r in json.loads(js.read_text())["per_step"]]
    assert got == pytest.approx(direct, abs=0)


@pytest.mark.parametrize("mutate, word", [
    (lambda d: d.update(x_test=np.where(np.arange(3)[None, None, :] == 0, np.nan, d["x_test"])), "NaN"),
    (lambda d: d.update(y_train=d["y_train"][:-1]), "y_train"),
    (lambda d: d.update(x_test=d["x_test"][:, :, :2]), "x_"),
    (lambda d: d.update(y_test=d["y_test"] + 5), "y_test"),
    (lambda d: d.pop("y_test"), "y_test"),
])
def test_probe_bad_data_exit_2(mutate, word, tmp_path, capsys):
    net, data, _ = _probe_files(tmp_path)
    d = dict(np.load(data))
    mutate(d)
    bad = tmp_path / "bad.npz"
    np.savez(bad, **d)
    js = tmp_path / "out.json"
    code = main(["probe", str(net), "--data", str(bad), "--json", str(js)])
    err = capsys.readouterr().err
    assert code == 2 and word in err and len(err.strip().splitlines()) == 1
    assert not js.exists()


def test_probe_rejects_non_discrete_tanh(tmp_path, capsys):
    _, data, (W, U, _, _) = _probe_files(tmp_path)
    for kwargs in ({"time": "continuous"}, {"time": "discrete", "activation": "relu"}):
        net = tmp_path / "n.npz"
        save_network(net, RNNSpec(W=W, B=U, **kwargs))
        assert main(["probe", str(net), "--data", str(data)]) == 2
        assert "discrete tanh" in capsys.readouterr().err


def test_probe_subprocess_exit_code(tmp_path):
    net, data, _ = _probe_files(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "proofs_checks", "probe", str(net), "--data",
                           str(tmp_path / "missing.npz")], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1


@needs_sklearn
def test_experiment_seed_sweep_small(tmp_path):
    js = tmp_path / "sweep.json"
    assert main(["experiment", "geometry.digits", "--hidden", "24", "--epochs", "2", "--drift", "4",
                 "--seeds", "1,2", "--json", str(js)]) == 0
    data = json.loads(js.read_text())
    assert data["schema"] == "rnnproof.geometry-sweep/1" and data["seeds"] == [1, 2]
    assert set(data["pass_rates"]) == {"strict", "relaxed"}
    assert all(0 <= v <= 1 for v in data["pass_rates"]["relaxed"].values())


def _write_idx(path, array):
    import gzip
    import struct

    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(">" + "I" * array.ndim, *array.shape)
    with gzip.open(path, "wb") as handle:
        handle.write(header + array.astype(np.uint8).tobytes())


def test_load_mnist_idx_directory_and_npz(tmp_path):
    rng = np.random.default_rng(7)
    x, y = rng.integers(0, 256, (30, 28, 28)), rng.integers(0, 10, 30)
    for stem, arr in (("train-images-idx3-ubyte", x[:20]), ("train-labels-idx1-ubyte", y[:20]),
                      ("t10k-images-idx3-ubyte", x[20:]), ("t10k-labels-idx1-ubyte", y[20:])):
        _write_idx(tmp_path / (stem + ".gz"), arr)
    xtr, ytr, xte, yte = N.load_mnist(tmp_path)
    assert xtr.shape == (20, 28, 28) and np.allclose(xtr * 255, x[:20]) and np.array_equal(yte, y[20:])
    npz = tmp_path / "m.npz"
    np.savez(npz, x_train=x[:20].reshape(20, 784), y_train=y[:20], x_test=x[20:], y_test=y[20:])
    assert np.allclose(N.load_mnist(npz)[0], xtr)
    with pytest.raises(InputError, match="t10k-labels"):
        (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
        N.load_mnist(tmp_path)


def test_mnist_variant_with_user_data(tmp_path, monkeypatch):
    rng = np.random.default_rng(8)
    npz = tmp_path / "m.npz"
    np.savez(npz, x_train=rng.integers(0, 256, (60, 28, 28)), y_train=rng.integers(0, 10, 60),
             x_test=rng.integers(0, 256, (30, 28, 28)), y_test=rng.integers(0, 10, 30))
    monkeypatch.setenv("RNNPROOF_MNIST", str(npz))
    monkeypatch.setenv("RNNPROOF_MNIST_TRAIN", "60")
    monkeypatch.setenv("RNNPROOF_MNIST_EPOCHS", "1")
    result = run_claim("geometry.mnist_variant", seed=0)
    assert result["status"] == "pass" and "report only" in result["detail"]


def test_probe_with_bias_skips_autonomous(tmp_path):
    net, data, (W, U, _, _) = _probe_files(tmp_path)
    biased = tmp_path / "b.npz"
    save_network(biased, RNNSpec(W=W, B=U, b=np.full(W.shape[0], 0.1), time="discrete"))
    js = tmp_path / "b.json"
    assert main(["probe", str(biased), "--data", str(data), "--drift", "1", "--json", str(js)]) == 0
    rep = json.loads(js.read_text())
    assert "autonomous" not in rep and rep["network"]["bias"] and rep["final_accuracy"] is None
