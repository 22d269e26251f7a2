"""Conformance: a network read by numerics.readers, simulated by our simulator, equals the
framework's own forward pass to 1e-12 relative (float64) on random input sequences.

Tolerance: both sides evaluate the same T-step recurrence in float64; each step's rounding is a
few ε per product of a row of W with h (n ≤ 8 terms, ‖W‖ ≤ a few) and contracts or grows at most
by ‖W‖ per step, so T = 20 steps stay below 1e-13 relative. 1e-12 is the issue's bound.

Live tests skip when their framework is absent; the torch fixtures (tests/fixtures/make_fixtures.py)
run everywhere the safetensors package is installed.
"""

import os
import pathlib

import numpy as np
import pytest

from numerics.fixed_points import simulate as simulate_any
from numerics.readers import read_network
from numerics.unitary import simulate as simulate_elman

FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"
RTOL = 1e-12


def rel_err(ours, theirs):
    theirs = np.asarray(theirs, dtype=float)
    return float(np.max(np.abs(np.asarray(ours) - theirs)) / max(np.max(np.abs(theirs)), 1e-300))


def run_spec(spec, X):
    """Our outputs on a batch X (batch, T, m): the Elman simulator of the unitary module for
    plain networks, numerics.fixed_points.simulate for leaky ones."""
    sim = simulate_elman if spec.alpha is None else simulate_any
    return np.stack([sim(spec, x)[1] for x in X])


# -- torch (live) ------------------------------------------------------------------------------
@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("readout", [False, True])
@pytest.mark.parametrize("container", ["pt", "safetensors"])
def test_torch_rnn_live(tmp_path, nonlinearity, readout, container):
    torch = pytest.importorskip("torch")
    torch.manual_seed(3)
    rnn = torch.nn.RNN(3, 7, nonlinearity=nonlinearity, batch_first=True, dtype=torch.float64)
    fc = torch.nn.Linear(7, 2, dtype=torch.float64)
    x = torch.randn(4, 20, 3, dtype=torch.float64)
    with torch.no_grad():
        y, _ = rnn(x)
        if readout:
            y = fc(y)
    sd = {f"rnn.{k}": v for k, v in rnn.state_dict().items()}
    if readout:
        sd.update({f"fc.{k}": v for k, v in fc.state_dict().items()})
    if container == "pt":
        path = tmp_path / "net.pt"
        torch.save({"state_dict": sd, "nonlinearity": nonlinearity}, path)
    else:
        from safetensors.torch import save_file
        path = tmp_path / "net.safetensors"
        save_file(sd, str(path), metadata={"nonlinearity": nonlinearity})
    spec = read_network(path, readout="fc" if readout else None)
    assert spec.activation == nonlinearity and spec.time == "discrete"
    assert rel_err(run_spec(spec, x.numpy()), y.numpy()) <= RTOL


def test_torch_rnncell_and_layers_live(tmp_path):
    torch = pytest.importorskip("torch")
    torch.manual_seed(4)
    cell = torch.nn.RNNCell(2, 5, dtype=torch.float64)
    x = torch.randn(15, 2, dtype=torch.float64)
    h, hs = torch.zeros(5, dtype=torch.float64), []
    with torch.no_grad():
        for t in range(15):
            h = cell(x[t], h)
            hs.append(h.numpy().copy())
    torch.save(cell.state_dict(), tmp_path / "cell.pth")
    spec = read_network(tmp_path / "cell.pth")
    assert rel_err(simulate_elman(spec, x.numpy())[0], np.array(hs)) <= RTOL
    # A two-layer nn.RNN: layer 1 reads layer 0's states.
    rnn = torch.nn.RNN(2, 6, num_layers=2, batch_first=True, dtype=torch.float64)
    xb = torch.randn(3, 12, 2, dtype=torch.float64)
    with torch.no_grad():
        y, _ = rnn(xb)
    torch.save(rnn.state_dict(), tmp_path / "deep.pt")
    s0, s1 = read_network(tmp_path / "deep.pt", layer=0), read_network(tmp_path / "deep.pt", layer=1)
    ours = np.stack([simulate_elman(s1, simulate_elman(s0, xi)[0])[0] for xi in xb.numpy()])
    assert rel_err(ours, y.numpy()) <= RTOL


# -- torch (committed fixtures, no torch needed) ------------------------------------------------
@pytest.mark.parametrize("case", ["tanh_readout", "relu_plain", "tanh_two_layers"])
def test_torch_fixtures(case):
    pytest.importorskip("safetensors")
    path = FIXTURES / f"torch_{case}.safetensors"
    with np.load(FIXTURES / f"torch_{case}_forward.npz", allow_pickle=False) as data:
        x, y, top = data["x"], data["y"], int(data["layer"])
    readout = "fc" if case.endswith("readout") else None
    specs = [read_network(path, layer=k, readout=readout if k == top else None) for k in range(top + 1)]
    out = []
    for xi in x:
        for spec in specs[:-1]:
            xi = simulate_elman(spec, xi)[0]
        out.append(simulate_elman(specs[-1], xi)[1])
    assert rel_err(np.stack(out), y) <= RTOL


# -- Keras SimpleRNN (JAX backend, live) ---------------------------------------------------------
@pytest.fixture(scope="module")
def keras64():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "jax":
        pytest.skip("the Keras test runs on the JAX backend")
    import jax
    jax.config.update("jax_enable_x64", True)
    old = keras.config.floatx()
    keras.config.set_floatx("float64")
    yield keras
    keras.config.set_floatx(old)


def _keras_float32_bound(spec, X):
    """A priori bound on |Keras float32 − exact| for the outputs (tanh case, see below).

    Each pre-activation z = Wh + Bx + b summed in float32 errs by at most γ·Σ|terms| with
    γ = (n + m + 1)ε₃₂/(1 − (n + m + 1)ε₃₂), tanh adds ε₃₂|φ(z)|, and an error e in h reaches the next
    state as at most ‖W‖_∞e (|tanh'| ≤ 1); the weights themselves are stored in float32 (ε₃₂ relative).
    The readout adds ‖C‖_∞e plus its own γ-term. Returns the bound per output sequence (max over t).
    """
    eps = float(np.finfo(np.float32).eps)
    n, m = spec.n, spec.m
    gamma = (n + m + 1) * eps / (1 - (n + m + 1) * eps)
    W, B, b, C, d = (np.abs(a) for a in (spec.W, spec.B, spec.b, spec.C, spec.d))
    L = np.max(np.sum(W, axis=1))
    bounds = []
    for x in X:
        H = simulate_elman(spec, x)[0]
        e, worst = 0.0, 0.0
        prev = np.zeros(n)
        for k in range(x.shape[0]):
            terms = W @ np.abs(prev) + B @ np.abs(x[k]) + b
            e = L * e + (gamma + 2 * eps) * np.max(terms) + eps
            out = np.max(C @ np.abs(H[k]) + d)
            worst = max(worst, np.max(np.sum(C, axis=1)) * e + (gamma + 2 * eps) * out)
            prev = H[k]
        bounds.append(worst)
    return max(bounds)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("how", ["keras", "weights.h5"])
def test_keras_simplernn_live(tmp_path, keras64, activation, how):
    """relu: float64 end to end, 1e-12 relative. tanh: Keras 3 on JAX casts float64 to float32 in
    ops.tanh (its dtype lattice maps float64 to float32 on every backend but TensorFlow), so a
    float64 SimpleRNN(tanh) does not run; that case runs Keras in float32 and checks our float64
    simulation of the same (float32) weights against the a priori float32 rounding bound."""
    keras = keras64
    keras.utils.set_random_seed(5)
    dtype = "float64" if activation == "relu" else "float32"
    model = keras.Sequential([keras.Input((None, 3), dtype=dtype),
                              keras.layers.SimpleRNN(6, activation=activation, return_sequences=True,
                                                     bias_initializer="random_normal", dtype=dtype),
                              keras.layers.Dense(2, bias_initializer="random_normal", dtype=dtype)])
    x = np.random.default_rng(5).standard_normal((4, 20, 3)).astype(dtype)
    y = np.asarray(model(x), dtype=float)
    if how == "keras":
        model.save(tmp_path / "m.keras")
        spec = read_network(tmp_path / "m.keras")
    else:
        model.save_weights(tmp_path / "m.weights.h5")
        spec = read_network(tmp_path / "m.weights.h5", activation=activation)
    assert spec.activation == activation and spec.k == 2
    ours = run_spec(spec, x.astype(float))
    if activation == "relu":
        assert rel_err(ours, y) <= RTOL
    else:
        assert float(np.max(np.abs(ours - y))) <= _keras_float32_bound(spec, x.astype(float))


# -- Flax SimpleCell (live) ----------------------------------------------------------------------
@pytest.mark.parametrize("residual", [False, True])
def test_flax_simplecell_live(tmp_path, residual):
    pytest.importorskip("flax")
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    from flax import linen as nn
    from flax.serialization import to_bytes

    class Model(nn.Module):
        @nn.compact
        def __call__(self, x):
            h = nn.RNN(nn.SimpleCell(features=6, residual=residual, param_dtype=jnp.float64,
                                     dtype=jnp.float64))(x)
            return nn.Dense(2, param_dtype=jnp.float64, dtype=jnp.float64)(h)

    x = np.random.default_rng(6).standard_normal((4, 20, 3))
    params = Model().init(jax.random.PRNGKey(6), jnp.asarray(x))
    params = jax.tree_util.tree_map(lambda a: a + 0.1, params)   # nonzero biases
    y = np.asarray(Model().apply(params, jnp.asarray(x)))
    (tmp_path / "p.msgpack").write_bytes(to_bytes(params))
    spec = read_network(tmp_path / "p.msgpack", readout="Dense_0", residual=residual or False)
    assert rel_err(run_spec(spec, x), y) <= RTOL


def test_flax_without_flax_package(tmp_path, monkeypatch):
    """The plain-msgpack path reads the same file as flax.serialization does."""
    pytest.importorskip("flax")
    import sys

    import jax
    import jax.numpy as jnp
    from flax import linen as nn
    from flax.serialization import to_bytes
    cell = nn.SimpleCell(features=4)
    params = cell.init(jax.random.PRNGKey(0), jnp.zeros((1, 4)), jnp.zeros((1, 3)))
    (tmp_path / "c.msgpack").write_bytes(to_bytes(params))
    with_flax = read_network(tmp_path / "c.msgpack")
    monkeypatch.setitem(sys.modules, "flax.serialization", None)
    without = read_network(tmp_path / "c.msgpack")
    assert np.array_equal(with_flax.W, without.W) and np.array_equal(with_flax.B, without.B)


# -- PsychRNN-style leaky network (hand-written reference from PsychRNN's equations) -------------
def psychrnn_reference(w, x, alpha):
    """PsychRNN Basic.forward_pass with noise off, written from its equations (Dale's law on)."""
    relu = lambda v: np.maximum(v, 0.0)  # noqa: E731
    W_rec = (np.abs(w["W_rec"]) * w["rec_connectivity"]) @ w["Dale_rec"]
    W_in = np.abs(w["W_in"]) * w["input_connectivity"]
    W_out = (np.abs(w["W_out"]) * w["output_connectivity"]) @ w["Dale_out"]
    state = np.repeat(w["init_state"], x.shape[0], axis=0)
    outs = []
    for t in range(x.shape[1]):
        state = (1 - alpha) * state + alpha * (relu(state) @ W_rec.T + x[:, t] @ W_in.T + w["b_rec"])
        outs.append(relu(state) @ W_out.T + w["b_out"])
    return np.transpose(np.array(outs), (1, 0, 2))


@pytest.mark.parametrize("dale", [True, False])
def test_psychrnn_leaky(tmp_path, dale):
    rng = np.random.default_rng(7)
    n, m, k = 10, 2, 3
    sign = np.where(np.arange(n) < 8, 1.0, -1.0)
    w = {"W_in": rng.standard_normal((n, m)), "W_rec": rng.standard_normal((n, n)) / np.sqrt(n),
         "W_out": rng.standard_normal((k, n)), "b_rec": 0.1 * rng.standard_normal(n),
         "b_out": rng.standard_normal(k), "init_state": 0.1 * rng.standard_normal((1, n)),
         "Dale_rec": np.diag(sign), "Dale_out": np.diag(sign),
         "input_connectivity": (rng.random((n, m)) < 0.8) * 1.0,
         "rec_connectivity": (rng.random((n, n)) < 0.7) * 1.0,
         "output_connectivity": np.ones((k, n))}
    np.savez(tmp_path / "w.npz", **w, **({"dale_ratio": np.array(0.8)} if dale else {}))
    if not dale:  # PsychRNN writes dale_ratio=None as a pickled object: recognised, never unpickled
        np.savez(tmp_path / "w.npz", **w, dale_ratio=np.array(None, dtype=object))
        w = dict(w, W_rec=w["W_rec"], Dale_rec=np.eye(n))
    x = rng.standard_normal((3, 25, m))
    spec = read_network(tmp_path / "w.npz", dt=10.0, tau=100.0)
    assert spec.alpha == pytest.approx(0.1) and spec.activation == "relu"
    if dale:
        ref = psychrnn_reference(w, x, 0.1)
    else:
        relu = lambda v: np.maximum(v, 0.0)  # noqa: E731
        Wr, Wi, Wo = w["W_rec"] * w["rec_connectivity"], w["W_in"] * w["input_connectivity"], w["W_out"]
        state, outs = np.repeat(w["init_state"], 3, axis=0), []
        for t in range(25):
            state = 0.9 * state + 0.1 * (relu(state) @ Wr.T + x[:, t] @ Wi.T + w["b_rec"])
            outs.append(relu(state) @ Wo.T + w["b_out"])
        ref = np.transpose(np.array(outs), (1, 0, 2))
    assert rel_err(run_spec(spec, x), ref) <= RTOL
