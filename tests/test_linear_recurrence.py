"""Library tests of the linear-recurrence paper: Björck–Pereyra, the precision rule, κ₂ beyond 1e16,
the reconstruction pipeline, and the theory module (paper ``linear_recurrence``)."""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from numerics import InputError
from numerics import linear_recurrence as NL
from numerics import vandermonde as NV
from theory import linear_recurrence as T

BACKENDS = ["mpmath"] + (["flint"] if NV.have_flint() else [])


def _svd_cond(nodes, L, dps):
    """Reference κ₂ from mpmath's SVD of V built at ``dps`` digits (independent of cond2)."""
    with mpmath.mp.workdps(dps):
        xs = [mpmath.mpmathify(complex(v)) if np.iscomplexobj(nodes) else mpmath.mpf(float(v)) for v in nodes]
        A = mpmath.matrix([[x ** j for j in range(L)] for x in xs])
        s = (mpmath.svd_c if np.iscomplexobj(nodes) else mpmath.svd_r)(A, compute_uv=False)
        return max(s) / min(s)


# -- Björck–Pereyra ------------------------------------------------------------------------------
@given(n=st.integers(1, 40), seed=st.integers(0, 2 ** 31), m=st.integers(1, 3))
def test_bjorck_pereyra_float64_matches_lapack(n, seed, m):
    rng = np.random.default_rng(seed)
    z = NL.roots_of_unity(n, rng.uniform(0.95, 1.0)) * np.exp(1j * rng.uniform(0, 6.3))
    V = np.vander(z, n, increasing=True)
    F = rng.standard_normal((n, m))
    assert np.linalg.norm(NV.bjorck_pereyra(z, F) - np.linalg.solve(V, F)) <= 1e-10 * np.linalg.norm(np.linalg.solve(V, F))


def test_leja_order_keeps_1024_roots_accurate_in_float64():
    z = np.exp(1j * np.pi * (2 * np.arange(1024) + 1) / 1024)
    u = np.random.default_rng(0).standard_normal(1024)
    assert np.abs(NV.bjorck_pereyra(z, np.vander(z, 1024, increasing=True) @ u) - u).max() < 1e-9


@pytest.mark.parametrize("backend", BACKENDS)
def test_bjorck_pereyra_mp_is_exact_on_binary_data(backend):
    # nodes and coefficients are binary fractions: p(λ) is exact at 60 digits, so is the solve
    nodes = [0.5, -0.25, 0.75, 0.125, -0.875]
    coef = [1.0, -2.0, 0.5, 3.0, -1.5]
    with mpmath.mp.workdps(60):
        f = [sum(mpmath.mpf(c) * mpmath.mpf(x) ** j for j, c in enumerate(coef)) for x in nodes]
    got = NV.bjorck_pereyra_mp(nodes, f, 60, backend=backend)
    assert max(abs(g - c) for g, c in zip(got, coef)) < mpmath.mpf(10) ** -50


def test_backends_agree_and_beat_float64_on_real_nodes():
    z = np.linspace(0.9, 0.999, 24)
    u = np.random.default_rng(2).standard_normal(24)
    res = NV.cond2(z, 24)
    dps = NV.choose_dps_log10(res.log10)
    outs = [NV.reconstruct_mp(z, NV.hp_state(z, u, dps, backend=b), dps, backend=b) for b in BACKENDS]
    for got in outs:
        assert max(abs(float(mpmath.re(g)) - v) for g, v in zip(got, u)) < 1e-15
    V = np.vander(z, 24, increasing=True)
    assert np.linalg.norm(np.linalg.solve(V, V @ u) - u) / np.linalg.norm(u) > 1e-3   # float64 fails


def test_float64_state_to_the_mp_path_warns():
    z = np.array([0.5, 0.25])
    with pytest.warns(RuntimeWarning, match="upcasting cannot restore"):
        NV.reconstruct_mp(z, np.vander(z, 2, increasing=True) @ np.ones(2), 30)


def test_bjorck_pereyra_refuses_duplicates():
    with pytest.raises(InputError, match="nodes"):
        NV.bjorck_pereyra([0.5, 0.5], [1.0, 1.0])
    with pytest.raises(InputError, match="nodes"):
        NV.bjorck_pereyra_mp([0.5, 0.5], [1.0, 1.0], 30)


# -- precision rule and condition numbers --------------------------------------------------------
def test_choose_dps_matches_the_symbolic_rule():
    rule = sp.lambdify(T.kappa, T.precision_rule(), "mpmath")
    for k in ("1", "1e5", "1e16", "3.2e47", "1e400"):
        assert NV.choose_dps(mpmath.mpf(k)) == int(rule(mpmath.mpf(k)))


@pytest.mark.parametrize("backend", BACKENDS)
def test_cond2_real_nodes_beyond_1e16_match_mpmath_svd(backend):
    z = np.linspace(0.05, 0.95, 20)
    res = NV.cond2(z, 20, backend=backend)
    ref = _svd_cond(z, 20, 120)
    assert res.log10 > 16 and res.dps_used >= math.ceil(res.log10) + 20
    assert abs(res.cond2 / ref - 1) < 1e-10


@pytest.mark.parametrize("backend", BACKENDS)
def test_cond2_tall_system(backend):
    z = np.linspace(0.9, 0.999, 18)
    res = NV.cond2(z, 10, backend=backend)
    assert abs(res.cond2 / _svd_cond(z, 10, 150) - 1) < 1e-10


def test_cond2_shrunk_roots_closed_form_far_beyond_1e16():
    kap = sp.lambdify((T.r, T.L), T.shrunk_roots_cond(), "mpmath")
    for r, L, N in ((0.5, 64, 64), (0.5, 40, 47), (2.0, 30, 30)):
        z = r * np.exp(2j * np.pi * np.arange(N) / N)
        res = NV.cond2(z, L)
        assert abs(res.cond2 / kap(mpmath.mpf(r), L) - 1) < 1e-10, (r, L, N)


def test_cond2_rank_deficient_cases():
    assert NV.cond2([0.3, 0.3, 0.7], 3).rank == 2
    assert NV.cond2([0.3, 0.7], 3).singular and NV.cond2([0.3, 0.7], 3).rank == 2
    assert NV.cond2([0.3, 0.7, 0.1], 3, b=[1.0, 0.0, 1.0]).rank == 2


def test_gautschi_bound_is_attained_on_a_ray():
    z = np.array([0.1, 0.35, 0.6, 0.95]) * np.exp(0.7j)
    with mpmath.mp.workdps(50):
        inv = mpmath.inverse(mpmath.matrix([[mpmath.mpc(complex(x)) ** j for j in range(4)] for x in z]))
        norm1 = mpmath.mnorm(inv, 1)
    assert abs(float(mpmath.log10(norm1)) - NV.log10_gautschi_bound(z)) < 1e-12


def test_upper_bound_is_an_upper_bound():
    for z in (np.linspace(0.1, 0.9, 12), NL.ring_sample(np.random.default_rng(1), 16, 0.5, 1.0)):
        assert NV.log10_cond2_upper_bound(z, z.size) >= NV.cond2(z, z.size).log10 - 1e-9


# -- the recurrence and the pipeline -------------------------------------------------------------
def test_simulate_equals_unrolled_sum():
    rng = np.random.default_rng(4)
    lam = NL.ring_sample(rng, 7, 0.0, 1.0)
    B, u = rng.standard_normal((7, 2)), rng.standard_normal((30, 2))
    x, scale = NL.unrolled_state(lam, B, u, 30)
    assert np.linalg.norm(NL.simulate(lam, B, u) - x) <= 1e-12 * scale


@pytest.mark.parametrize("case", ["roots_r0.5", "real", "ring", "tall", "krylov", "stacked"])
def test_reconstruct_linear_is_exact(case):
    rng = np.random.default_rng(7)
    B = None
    if case == "roots_r0.5":
        z, u = 0.5 * np.exp(2j * np.pi * np.arange(40) / 40), rng.standard_normal(40)
    elif case == "real":
        z, u = rng.uniform(0.0, 1.0, 24), rng.standard_normal(24)
    elif case == "ring":
        z, u = NL.ring_sample(rng, 32, 0.9, 0.999), rng.standard_normal(32)
    elif case == "tall":
        z, u = NL.ring_sample(rng, 30, 0.5, 1.0), rng.standard_normal(20)
    elif case == "krylov":
        z, u, B = NL.ring_sample(rng, 12, 0.8, 1.0), rng.standard_normal((5, 2)), rng.standard_normal((12, 2))
    else:
        z, u = NL.half_shifted_roots(32), rng.standard_normal(32)   # 16 complex nodes, 32 real inputs
    res = NL.reconstruct(z, u, B=B)
    assert res.decoded.shape == np.atleast_2d(u.T).T.shape
    assert res.relative_error < 1e-12, (case, res.relative_error, res.method)
    assert res.dps_used >= min(30, math.ceil(res.log10_cond2) + 20)


def test_reconstruct_refusals_name_the_problem():
    with pytest.raises(InputError, match="repeated"):
        NL.reconstruct([0.5, 0.5, 0.2], np.ones(3))
    with pytest.raises(InputError, match="at most 3 of the 8"):
        NL.reconstruct([0.1, 0.2, 0.3], np.ones(8))
    with pytest.raises(InputError, match="--B must have shape"):
        NL.reconstruct([0.1, 0.2, 0.3], np.ones(3), B=np.ones((2, 1)))
    with pytest.raises(InputError, match="NaN"):
        NL.reconstruct([0.1, 0.2], np.array([1.0, np.nan]))
    with pytest.raises(InputError, match="1-D"):
        NL.reconstruct(np.eye(2), np.ones(2))


def test_omp_recovers_sparse_inputs_below_n_equals_l():
    rng = np.random.default_rng(5)
    z = NL.half_shifted_roots(128)[rng.choice(64, 16, replace=False)]
    u = np.zeros(128)
    u[rng.choice(128, 4, replace=False)] = rng.standard_normal(4)
    res = NL.reconstruct(z, u, decoder="omp", sparsity=4)
    assert res.relative_error < 1e-8


def test_node_generators_validate():
    with pytest.raises(InputError, match="r_min"):
        NL.ring_sample(np.random.default_rng(0), 3, 0.9, 0.5)
    with pytest.raises(InputError, match="Delta"):
        NL.s4d_lin_nodes(8, 1.0)
    with pytest.raises(InputError, match="r must be positive"):
        NL.half_shifted_roots(8, 0.0)
    assert np.all(NL.ring_sample(np.random.default_rng(0), 4, 0.0, 0.0) == 0)


# -- theory --------------------------------------------------------------------------------------
def test_shrunk_roots_cond_is_derived_piecewise():
    kap = T.shrunk_roots_cond()
    assert kap.subs({T.r: sp.Rational(1, 2), T.L: 4}) == 8
    assert kap.subs({T.r: 2, T.L: 4}) == 8
    r_min, first = T.radius_for_condition()
    assert sp.simplify(r_min.subs({T.kappa: 8, T.L: 4}) - sp.Rational(1, 2)) == 0


def test_every_statement_renders_and_topics_derive():
    for cid in T.STATEMENTS:
        assert sp.latex(T.statement(cid))
    for topic in T.TOPICS:
        assert T.derivations(topic)
