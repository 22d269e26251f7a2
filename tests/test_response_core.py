"""Unit tests of the response-theory building blocks (numerics.response, numerics.signatures,
theory.response): each compares two independent computations or checks a validation message."""

import math

import numpy as np
import pytest
import scipy.linalg as sla
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics import InputError
from numerics import response as N
from numerics import signatures as SG
from theory import response as T


# -- activations and the hierarchy -----------------------------------------------------------
@pytest.mark.parametrize("name", ["tanh", "sigmoid", "softplus"])
def test_activation_derivatives_match_sympy(name):
    z = sympy.Symbol("z")
    expr = {"tanh": sympy.tanh(z), "sigmoid": 1 / (1 + sympy.exp(-z)), "softplus": sympy.log(1 + sympy.exp(z))}[name]
    pts = np.array([-1.3, -0.2, 0.0, 0.4, 2.1])
    got = N.activation_derivatives(name, pts, 4)
    for k in range(5):
        ref = sympy.lambdify(z, sympy.diff(expr, z, k))(pts) * np.ones_like(pts)
        np.testing.assert_allclose(got[k], ref, rtol=1e-12, atol=1e-13)


def test_relu_rejected_naming_activation():
    with pytest.raises(InputError, match="activation"):
        N.activation_derivatives("relu", np.zeros(2), 2)


def test_compositions_agree_with_theory():
    for n in range(1, 6):
        for j in range(1, n + 1):
            assert N.compositions(n, j) == T.compositions(n, j)


def test_hierarchy_orders_match_ode_in_two_channels():
    # asymmetric two-channel input; residual of the order-3 truncation scales like eps^4
    rng = np.random.default_rng(3)
    n = 2
    W = rng.standard_normal((n, n)) * 0.6
    model = N.SRNN(Gamma=np.diag([1.0, 1.4]), W=W, b=rng.uniform(-0.3, 0.3, n), C=rng.standard_normal((n, 2)),
                   sigma=np.zeros((n, n)), A=rng.standard_normal((1, n)))
    h, _ = N.fixed_point(model)
    t = np.linspace(0, 2, 41)
    inp = N.PiecewiseLinearInput(t, np.stack([np.sin(3 * t), 0.5 * t], 1))
    Y, _ = N.hierarchy(model, h, inp, 3)
    y0 = model.readout(h)[0]
    res = []
    for e in (0.1, 0.05):
        y = N.ode_outputs(model, h, inp, [e])[0, -1, 0]
        res.append(abs(y - y0 - sum(e ** k * Y[k - 1, -1, 0] for k in (1, 2, 3))))
    assert 12 < res[0] / res[1] < 20


@pytest.mark.parametrize("kwargs,fragment", [
    (dict(t=[0.1, 1.0], u=[[0.0], [1.0]]), "start at 0"),
    (dict(t=[0.0, 1.0, 1.0], u=[[0.0], [1.0], [2.0]]), "strictly increasing"),
    (dict(t=[0.0, 1.0], u=[[0.0], [1.0], [2.0]]), "shape"),
    (dict(t=[0.0, 1.0], u=[[np.nan], [1.0]]), "NaN"),
    (dict(t=[0.0], u=[[0.0]]), "at least 2"),
])
def test_input_validation(kwargs, fragment):
    with pytest.raises(InputError, match=fragment):
        N.PiecewiseLinearInput(np.array(kwargs["t"]), np.array(kwargs["u"]))


def test_design_bias_rejects_saturated_h_star():
    with pytest.raises(InputError, match="h_star"):
        N.design_bias(np.eye(2), np.zeros((2, 2)), np.array([1.2, 0.0]))


def test_ou_requires_hurwitz():
    with pytest.raises(InputError, match="W and Gamma"):
        N.ou_stationary(np.eye(2) * 0.1, np.zeros(2), np.eye(2))


# -- grid chain ----------------------------------------------------------------------------
def test_grid_chain_spectral_kernels_match_dense_expm():
    F = lambda x: -x + np.tanh(1.5 * x + 0.3)  # noqa: E731
    ch = N.grid_chain(F, 0.7, 0.8, (-4.5, 4.5), 181)
    G, B = ch.G.toarray(), ch.B.toarray()
    taus = np.array([0.0, 0.4, 1.3])
    dense = [ch.pi @ B @ sla.expm(t * G) @ ch.x for t in taus]
    np.testing.assert_allclose(ch.kernel1(taus), dense, rtol=1e-10, atol=1e-13)
    assert abs(ch.kernel2(0.2, 0.7) - N.chain_kernel2(G, B, ch.pi, ch.x, 0.2, 0.7)) < 1e-11
    assert np.max(np.abs(ch.pi @ G)) < 1e-13


def test_grid_chain_validation():
    F = lambda x: -3 * x  # noqa: E731
    with pytest.raises(InputError, match="dx"):
        N.grid_chain(F, 0.3, 1.0, (-2, 2), 11)
    with pytest.raises(InputError, match="domain"):
        N.grid_chain(F, 1.0, 1.0, (-0.5, 0.5), 101)


def test_oned_density_w_zero_limit_and_normalisation():
    xs = np.linspace(-8, 8, 4001)
    for w in (0.0, 1e-8):
        rho = N.oned_density(xs, 1.0, w, 0.4, 0.7)
        assert abs(np.trapezoid(rho, xs) - 1) < 1e-8
    with pytest.raises(InputError, match="gamma"):
        N.oned_log_density(xs, -1.0, 1.0, 0.0, 1.0)


def test_chain_block_response_vs_exact_perturbed_generator():
    rng = np.random.default_rng(1)
    k = 6
    R = rng.uniform(0.1, 2, (k, k))
    np.fill_diagonal(R, 0)
    G = R - np.diag(R.sum(1))
    Bm = rng.standard_normal((k, k))
    np.fill_diagonal(Bm, 0)
    B = Bm - np.diag(Bm.sum(1))
    pi, f = N.chain_stationary(G), rng.standard_normal(k)
    us, ws = np.array([0.7, -0.4]), np.array([0.5, 0.8])
    Y = N.chain_block_response(G, B, pi, f, us, ws, 8)
    for e in (0.3, -0.2):
        exact = pi @ sla.expm(ws[0] * (G + e * us[0] * B)) @ sla.expm(ws[1] * (G + e * us[1] * B)) @ f
        assert abs(exact - sum(e ** j * Y[j] for j in range(9))) < 1e-9


def test_reducible_chain_rejected():
    G = np.zeros((3, 3))
    with pytest.raises(InputError, match="G"):
        N.chain_stationary(G)


# -- Monte Carlo helpers --------------------------------------------------------------------
def test_fd_weights_are_exact_on_polynomials():
    for order in (1, 2, 3):
        w = N.fd_weights(order, np.arange(-2, 3))
        x = np.arange(-2, 3, dtype=float)
        for deg in range(5):
            assert abs(w @ x ** deg - (math.factorial(deg) if deg == order else 0.0)) < 1e-12


def test_crn_on_linear_network_is_exact_pathwise():
    # linear drift: h(eps) = h(0) + eps * delta on every path, so Y1 has zero standard error
    model = N.SRNN(Gamma=[[1.0]], W=[[0.0]], b=[0.0], C=[[1.0]], sigma=[[0.5]], A=[[1.0]], activation="linear")
    rng = np.random.default_rng(0)
    h0 = N.em_burn_in(model, 500, 100, 0.01, rng)
    vals = N.em_crn(model, h0, np.ones((50, 1)), 0.01, [-0.1, 0.0, 0.1], rng)
    est, se = N.crn_coefficients(vals, 0.1, 2)
    assert abs(est[0, 0] - (1 - 0.99 ** 50)) < 1e-10 and se[0, 0] < 1e-12


def test_em_dt_above_stability_limit_rejected():
    model = N.SRNN(Gamma=[[10.0]], W=[[0.0]], b=[0.0], C=[[1.0]], sigma=[[0.5]], A=[[1.0]])
    with pytest.raises(InputError, match="dt"):
        N.em_burn_in(model, 10, 2, 0.5, np.random.default_rng(0))


# -- signatures -----------------------------------------------------------------------------
@settings(max_examples=15, deadline=None)
@given(st.integers(2, 3), st.integers(1, 12), st.integers(0, 2 ** 31 - 1))
def test_backend_matches_chen_reference(d, segments, seed):
    if not SG.have_backend():
        pytest.skip("roughpy not installed")
    path = np.cumsum(np.random.default_rng(seed).standard_normal((segments + 1, d)), axis=0)
    a, b = SG.signature(path, 3), SG.reference_signature(path, 3)
    scale = max(np.max(np.abs(x)) for x in a[1:])
    for x, y in zip(a[1:], b[1:]):
        assert np.max(np.abs(x - y)) <= 1e-12 * scale


def test_signature_orientation_and_depth_guards():
    S = SG.reference_signature(np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]), 2)
    assert S[2][0, 1] == 1.0 and S[2][1, 0] == 0.0
    with pytest.raises(InputError, match="depth"):
        SG.tensor_product(SG.tensor_exp(np.ones(2), 2), SG.tensor_exp(np.ones(2), 3))
    with pytest.raises(InputError, match="1e7"):
        SG.reference_signature(np.zeros((2, 4)), 12)


def test_time_augmentation_two_channels_is_order_sensitive():
    # m = 2, different channels: S(X)^{(1,0)(0,1)} != S(X)^{(0,1)(1,0)} and both match S(t, U)
    brk = np.array([0.0, 0.3, 0.7, 1.2])
    vals = np.array([[1.0, -0.5], [0.2, 0.9], [-0.7, 0.4]])
    path = np.zeros((4, 3))
    path[1:, 0] = brk[1:]
    path[1:, 1:] = np.cumsum(vals * np.diff(brk)[:, None], axis=0)
    S = SG.reference_signature(path, 3)
    got = {}
    for w in (((1, 0), (0, 1)), ((0, 1), (1, 0))):
        direct = N.x_word_signature_piecewise_constant(brk, vals, w)
        via = sum(c * SG.signature_word(S, [0] * a[0] + [w[0][1] + 1] + [0] * a[1] + [w[1][1] + 1])
                  for a, c in T.time_augmentation(w).items())
        assert abs(direct - via) < 1e-13
        got[w] = direct
    assert abs(got[((1, 0), (0, 1))] - got[((0, 1), (1, 0))]) > 1e-3


def test_feature_expansion_first_order_matches_kernel():
    rng = np.random.default_rng(2)
    G, W, hs = np.diag([1.0, 1.3]), 0.4 * rng.standard_normal((2, 2)), np.array([0.2, -0.1])
    model = N.SRNN(Gamma=G, W=W, b=N.design_bias(G, W, hs), C=rng.standard_normal((2, 2)), sigma=np.zeros((2, 2)),
                   A=rng.standard_normal((1, 2)))
    inp = N.SmoothInput(lambda s: np.stack([np.sin(2 * s), np.cos(s) + 0.1], -1), 1.5, 2)
    Q1, _ = N.feature_coefficients(model, hs, 1.5, 30)
    S1, _ = N.x_signature_levels(inp, 1.5, 30)
    Y, _ = N.hierarchy(model, hs, inp, 1, rtol=1e-12, atol=1e-14)
    assert abs((Q1 * S1).sum() - Y[0, -1, 0]) < 1e-9


def test_kernel_ridge_rejects_singular_without_ridge():
    with pytest.raises(InputError, match="ridge"):
        N.kernel_ridge(np.ones((2, 2)), np.ones(2), 0.0)


# -- theory ---------------------------------------------------------------------------------
def test_every_statement_renders_and_every_topic_derives():
    from proofs_checks.registry import all_claims
    claims = all_claims("response")
    assert len(claims) == 28
    for c in claims:
        assert sympy.latex(c.statement())
        for expr in (c.expressions() or {}).values():
            assert sympy.latex(expr)
    for topic in T.TOPICS:
        assert T.derivations(topic, 2, None)


def test_theory_rejects_unsupported_options():
    from theory import TopicError
    with pytest.raises(TopicError):
        T.derivations("response.design", 2, "relu")
    with pytest.raises(TopicError):
        T.derivations("response.design", 5, None)


def test_equilibrium_fdt_fails_for_nonsymmetric_m():
    E, E_sym = T.equilibrium_fdt_condition()
    assert E_sym.is_zero_matrix and not E.is_zero_matrix


def test_cubic_readout_kernel_depends_on_sigma():
    d_quad, d_cubic = T.ou_sigma_independence_check()
    assert d_quad == 0 and d_cubic != 0


def test_design_warns_when_b_is_ill_conditioned():
    with pytest.warns(RuntimeWarning, match="h_star"):
        N.design_bias(np.eye(1), np.zeros((1, 1)), np.array([1 - 1e-9]))
