"""Tests of the unitary paper (Emami et al. 2019): construction, simulation, theory, claims.

The equivalence checks here use their own few-line simulator (``_run``), independent of both the
construction and ``numerics.unitary.simulate``.
"""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics import InputError, RNNSpec
from numerics import unitary as U
from theory import unitary as T

EPS = np.finfo(float).eps


def _run(W, F, b, C, d, h, X):
    """Plain ReLU recursion h <- max(W h + F x + b, 0), y = C h + d (the test's own witness)."""
    ys, hs = [], []
    for x in X:
        h = np.maximum(W @ h + F @ x + b, 0.0)
        hs.append(h)
        ys.append(C @ h + d)
    return np.array(hs), np.array(ys)


def _spec_run(spec, X):
    d = np.zeros(spec.k) if spec.d is None else spec.d
    return _run(spec.W, spec.input_matrix(), spec.bias(), spec.C, d,
                np.zeros(spec.n) if spec.h0 is None else spec.h0, X)


def _ball(rng, T_, n_x, M):
    g = rng.standard_normal((T_, n_x))
    return g / np.linalg.norm(g, axis=1, keepdims=True) * M * rng.random((T_, 1)) ** (1 / n_x)


# -- the construction ------------------------------------------------------------------------------
@st.composite
def contractive_rnns(draw):
    n = draw(st.integers(1, 8))
    n_x = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rho = draw(st.one_of(st.just(0.0), st.floats(0.0, 1 - 1e-6)))
    M = draw(st.one_of(st.just(0.0), st.floats(1e-3, 10.0)))
    rng = np.random.default_rng(seed)
    return U.random_relu_rnn(rng, n, rho, n_x=n_x, n_y=2), M, rng


@settings(max_examples=25)
@given(contractive_rnns())
def test_theorem1_property(case):
    spec, M, rng = case
    cons = U.relu_rnn_to_urnn(spec, M)
    n = spec.n
    assert cons.urnn.n == 2 * n
    assert cons.orthogonality_error <= 100 * n * EPS
    Wt = cons.urnn.W
    assert np.abs(Wt.T @ Wt - np.eye(2 * n)).max() <= 100 * n * EPS
    for X in (_ball(rng, 80, spec.m, M), np.tile(M * np.linalg.svd(spec.B)[2][0], (80, 1))):
        H, Y = _spec_run(spec, X)
        Ht, Yt = _spec_run(cons.urnn, X)
        assert np.all(Ht[:, n:] == 0.0)
        assert np.abs(Yt - Y).max() <= 1e-12 * (np.abs(Y).max() + 1)


def test_extra_states_switch_on_beyond_bound():
    rng = np.random.default_rng(5)
    spec = U.random_relu_rnn(rng, 4, 0.8)
    cons = U.relu_rnn_to_urnn(spec, 1.0)
    X = 50 * rng.standard_normal((100, spec.m))
    assert U.extra_state_margin(cons, X) > 0
    Ht, Yt = _spec_run(cons.urnn, X)
    _, Y = _spec_run(spec, X)
    assert np.abs(Ht[:, 4:]).max() > 0
    assert np.abs(Yt - Y).max() > 1e-6 * (np.abs(Y).max() + 1)
    res = U.check_io_equivalence(spec, cons.urnn, [X], input_bound=1.0)
    assert not res["equivalent"] and "exceeds the bound M=1" in res["warning"]


def test_reduced_and_finite_horizon():
    rng = np.random.default_rng(2)
    s = np.array([1.0, 1.0, 0.5, 0.2])
    spec = U.random_relu_rnn(rng, 4, 1.0, sigma=s)
    with pytest.raises(InputError, match="horizon"):
        U.relu_rnn_to_urnn(spec, 1.0)
    cons = U.relu_rnn_to_urnn(spec, 1.0, reduced=True, horizon=40)
    assert cons.r == 2 and cons.urnn.n == 6
    assert cons.orthogonality_error <= 100 * 4 * EPS
    X = _ball(rng, 40, spec.m, 1.0)
    Ht, Yt = _spec_run(cons.urnn, X)
    _, Y = _spec_run(spec, X)
    assert np.all(Ht[:, 4:] == 0) and np.abs(Yt - Y).max() <= 1e-12 * (np.abs(Y).max() + 1)
    # contractive W: the reduced variant never drops states
    spec2 = U.random_relu_rnn(rng, 3, 0.9)
    assert U.relu_rnn_to_urnn(spec2, 1.0, reduced=True).r == 3


def test_complex_split_relu_variant():
    rng = np.random.default_rng(3)
    spec = U.random_relu_rnn(rng, 3, 0.9, complex_=True)
    cons = U.relu_rnn_to_urnn(spec, 2.0)
    W = cons.urnn.W
    assert np.abs(W.conj().T @ W - np.eye(6)).max() <= 100 * 3 * EPS
    xs = U.sample_bounded_inputs(rng, spec.m, 100, 2.0, 3, complex_inputs=True)
    for X in xs:
        H, Y = U.simulate(spec, X)
        Ht, Yt = U.simulate(cons.urnn, X)
        assert np.all(Ht[:, 3:] == 0)
        assert np.abs(Yt - Y).max() <= 1e-12 * (np.abs(Y).max() + 1)


def test_svd_and_eigh_roots_agree():
    rng = np.random.default_rng(4)
    W = U.contractive_matrix(rng, 6, 0.7)
    A, _ = U.halmos_dilation(W, "svd")
    B, info = U.halmos_dilation(W, "eigh")
    assert np.abs(A - B).max() <= 1e-13
    assert np.array_equal(A[:6, :6], W) and np.array_equal(B[:6, :6], W)


_SPEC = RNNSpec(W=[[0.5, 0.1], [0.0, 0.3]], B=[[1.0], [0.5]], C=[[1.0, 1.0]], activation="relu",
                time="discrete")


@pytest.mark.parametrize("kwargs, spec, match", [
    ({"M": None}, _SPEC, "M"),
    ({"M": -1.0}, _SPEC, "M"),
    ({"M": math.nan}, _SPEC, "M"),
    ({"M": math.inf}, _SPEC, "M"),
    ({"M": 1.0}, _SPEC.replace(activation="tanh"), "relu"),
    ({"M": 1.0}, _SPEC.replace(time="continuous"), "discrete"),
    ({"M": 1.0}, _SPEC.replace(W=[[1.0, 0.0], [0.0, 0.5]]), r"\|\|W\|\|_2 = 1 .*horizon"),
    ({"M": 1.0}, _SPEC.replace(W=[[1.5, 0.0], [0.0, 0.5]]), r"\|\|W\|\|_2 = 1.5 > 1.*no orthogonal"),
    ({"M": 1.0, "horizon": 0}, _SPEC, "horizon"),
    ({"M": 1.0, "norm": "fro"}, _SPEC, "norm"),
])
def test_construction_refusals(kwargs, spec, match):
    kwargs = dict(kwargs)
    M = kwargs.pop("M")
    with pytest.raises(InputError, match=match):
        U.relu_rnn_to_urnn(spec, M, **kwargs)


@pytest.mark.parametrize("W, match", [
    (np.ones((2, 3)), "square"), (np.array([[np.nan]]), "NaN"), (2 * np.eye(2), "no orthogonal")])
def test_dilation_refusals(W, match):
    with pytest.raises(InputError, match=match):
        U.halmos_dilation(W)


def test_require_orthogonal_names_W():
    with pytest.raises(InputError, match=r"W of the URNN is not orthogonal: max\|W\^T W - I\|"):
        U.require_orthogonal(1.01 * np.eye(3))


def test_reparameterize_refuses_ill_conditioned_T():
    with pytest.raises(InputError, match="T is singular"):
        U.reparameterize(_SPEC, np.diag([1.0, 1e-14]))


def test_inf_norm_bound_is_converted():
    cons2 = U.relu_rnn_to_urnn(_SPEC, 1.0)
    consi = U.relu_rnn_to_urnn(_SPEC, 1.0, norm="inf")
    assert consi.norm == "inf" and consi.H_star == pytest.approx(cons2.H_star)  # n_x = 1: sqrt(1) = 1


def test_krylov_and_certificate():
    rng = np.random.default_rng(8)
    Q = U.haar_orthogonal(rng, 5)
    A = 0.2 * Q
    B = rng.standard_normal((5, 1))
    K = U.orthonormal_krylov(A, B, 5)
    assert np.abs(K.T @ K - np.eye(K.shape[1])).max() < 1e-12
    assert np.linalg.norm(B - K @ (K.T @ B)) < 1e-8 * np.linalg.norm(B)
    from scipy.special import expit
    J = U.smooth_jacobians(Q, rng.standard_normal((5, 1)), rng.standard_normal(5), np.zeros(5), expit,
                           lambda z: expit(z) * (1 - expit(z)), 7)
    res, _ = U.memoryless_certificate(J, 7)
    assert res > 1e-6


def test_optimal_r2_values():
    assert U.optimal_r2(20) == pytest.approx(100 / 101, abs=1e-15)
    assert U.optimal_r2(math.inf) == 1.0 and U.optimal_r2(-math.inf) == 0.0
    with pytest.raises(InputError, match="snr_db"):
        U.optimal_r2(math.nan)


# -- theory ----------------------------------------------------------------------------------------
def test_halmos_proof_steps():
    proof = T.halmos_dilation_symbolic().prove_orthogonal()
    assert proof.holds and len(proof.steps) == 8


def test_rewriting_detects_a_wrong_lemma():
    """The proof engine can fail: without the intertwining rules the off-diagonal blocks do not vanish."""
    H = T.halmos_dilation_symbolic()
    G = sp.block_collapse(H.matrix.T * H.matrix)
    subst, rules = H._subst_rules()
    reduced = T._rewrite(T._terms(G.blocks[0, 1]), subst, rules[:2])
    assert reduced != {}


@pytest.mark.parametrize("n_", [1, 2, 3])
def test_exact_rational_dilation(n_):
    Uq, Vq = T.rational_orthogonal(n_, 1), T.rational_orthogonal(n_, 2, det=-1)
    assert Vq.det() == -1 and T.is_orthogonal(Uq) and T.is_orthogonal(Vq)
    d = T.svd_dilation(Uq, T.pythagorean_pairs(n_, include_one=True), Vq)
    assert T.is_orthogonal(d["Wt"]) and d["Sl2_ok"] and d["Sr2_ok"]
    assert not T.is_orthogonal(d["Wt"] + sp.eye(2 * n_) / 7)


def test_state_bound_matches_numeric():
    sb = T.state_bound_recurrence()
    u = sp.lambdify((sb["rho"], sb["c"], sb["h"], sb["k"]), sb["u_closed"])
    nb = U.StateBound(rho=0.7, c=1.3, h=2.0)
    k = np.arange(-1, 20)
    assert np.allclose(u(0.7, 1.3, 2.0, k), nb.u(k), rtol=1e-14)
    assert sb["agree"] and sb["u_rho1"] == sb["c"] * sb["k"] + sb["c"] + sb["h"]


def test_theorem2_and_3_exact():
    assert all(sol == [] for _, sol in T.tightness_n1_exhaustive())
    assert T.dimension_lemma_exact(2)["violations"] == 0
    assert T.memoryless_no_readout_exact(2, seed=2)["solutions"] == sp.EmptySet


def test_derive_topics_cli(capsys):
    from proofs_checks.cli import main
    for topic in T.TOPICS:
        assert main(["derive", topic, "--latex"]) == 0
    assert main(["derive", "unitary.dilation", "--n", "2"]) == 0
    assert main(["derive", "unitary.state_bound", "--n", "2"]) == 2
    assert main(["derive", "unitary", "--activation", "bogus"]) == 2
    assert "H^{*}" in capsys.readouterr().out


def test_balancing_prepass_and_warnings():
    rng = np.random.default_rng(21)
    base = U.random_relu_rnn(rng, 4, 0.8)
    spec = U.reparameterize(base, np.diag([1.0, 20.0, 0.05, 3.0]))
    assert np.linalg.norm(spec.W, 2) > 1
    with pytest.raises(InputError, match="not contractive"):
        U.relu_rnn_to_urnn(spec, 1.0)
    cons = U.relu_rnn_to_urnn(spec, 1.0, balance=True)
    assert cons.balance_D is not None and cons.rho < 1 and cons.to_json()["balanced"]
    X = _ball(rng, 60, spec.m, 1.0)
    _, Y = _spec_run(spec, X)
    _, Yt = _spec_run(cons.urnn, X)
    kappa = cons.balance_D.max() / cons.balance_D.min()
    assert np.abs(Y - Yt).max() <= 1e-12 * kappa * (np.abs(Y).max() + 1)
    res = U.check_io_equivalence(spec, cons, [X, 3 * X])
    assert res["margin"] > -np.inf and any("exceeds the bound" in w for w in res["warnings"])
    short = U.relu_rnn_to_urnn(U.random_relu_rnn(rng, 2, 1.0, sigma=[1.0, 0.3]), 1.0, horizon=10, reduced=True)
    assert any("horizon T=10" in w for w in short.input_warnings(np.zeros((11, 2))))
