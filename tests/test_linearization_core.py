"""Linearization paper, part A: numerics (generators, Newton, spectra), theory (derivations) and
claims 1–16 (models, frames, relations, eigenvectors, invariants)."""

from __future__ import annotations

import time

import numpy as np
import pytest
import sympy
from hypothesis import given, strategies as st

from numerics import InputError, RNNSpec, save_network
from numerics import linearization as N
from proofs_checks.registry import all_claims
from proofs_checks.runner import run_claim
from theory import TopicError
from theory import linearization as T

MY_CLAIMS = [
    "activity_ode", "rate_model_equivalence", "hetero_tau", "two_linearizations", "intertwining",
    "similarity", "push_through", "linear_prediction", "same_spectrum", "right_eigvec_map",
    "left_eigvec_map", "biorthonormality", "transfer_function", "modal_gains",
    "frame_dependent_quantities", "symmetric_real_spectrum",
]


# -- registry order ------------------------------------------------------------------------------
def test_claims_1_to_16_registered_first_in_catalogue_order():
    ids = [c.id for c in all_claims("linearization")]
    assert ids[:16] == [f"linearization.{s}" for s in MY_CLAIMS]


# -- generators ----------------------------------------------------------------------------------
@pytest.mark.parametrize("gen", [N.g_smooth, N.g_saturated, N.g_gains, N.g_silent,
                                 lambda rng: N.g_silent(rng, relu=True)])
def test_generators_plant_a_fixed_point_and_are_reproducible(gen):
    a, b = gen(np.random.default_rng(7)), gen(np.random.default_rng(7))
    assert np.array_equal(a.J, b.J) and np.array_equal(a.x_star, b.x_star)
    assert a.residual <= 1e-13 * (1 + np.max(np.abs(a.x_star)))
    assert a.J.shape == (a.n, a.n) and a.B.shape[0] == a.n and a.u0.shape == (a.B.shape[1],)


def test_generator_ranges():
    rng = np.random.default_rng(3)
    sat = [N.g_saturated(rng, n=30) for _ in range(5)]
    assert min(i.gains.min() for i in sat) < 1e-4           # a ∈ [3, 8] saturates tanh
    gg = N.g_gains(rng, n=50, d_min=1e-8)
    assert gg.gains.min() >= 1e-8 * (1 - 1e-6) and gg.gains.max() <= 1.0
    sil = N.g_silent(rng, n=10)
    assert 0 < sil.silent.size < 10 and np.all(sil.gains[sil.gains > 0] >= 0.1)
    relu = N.g_silent(rng, n=10, relu=True)
    assert set(np.unique(relu.gains)) == {0.0, 1.0}
    assert np.min(np.abs(relu.x_star)) >= 0.1               # defined with a margin


@pytest.mark.parametrize("call, needle", [
    (lambda: N.g_smooth(np.random.default_rng(0), n=0), "n must be"),
    (lambda: N.g_smooth(np.random.default_rng(0), activation="cosh"), "activation must be one of"),
    (lambda: N.g_gains(np.random.default_rng(0), d_min=0.0), "d_min"),
    (lambda: N.g_silent(np.random.default_rng(0), n=3, silent=[0, 1, 2]), "silent must be"),
    (lambda: N.g_smooth(np.random.default_rng(0), n=3).with_tau(-1.0), "tau must be positive"),
    (lambda: N.g_smooth(np.random.default_rng(0), n=3).with_tau(np.ones(4)), "tau must be a scalar"),
    (lambda: N.find_fixed_points(np.ones((2, 3))), "J must be a nonempty square"),
    (lambda: N.find_fixed_points(np.eye(2), B=np.ones((3, 1))), "B must have shape"),
    (lambda: N.find_fixed_points(np.eye(2), B=np.ones((2, 1)), u0=[1.0, 2.0]), "u0"),
    (lambda: N.find_fixed_points(np.array([[np.nan, 0], [0, 0]])), "NaN"),
    (lambda: N.find_fixed_points(np.eye(2), activation="relu", relu_gain_at_zero=2), "relu_gain_at_zero"),
    (lambda: N.find_fixed_points(np.eye(2), starts=[np.ones(3)]), "starts[0]"),
    (lambda: N.match_eigenvalues([1, 2], [1]), "same length"),
    (lambda: N.activity_field(N.g_silent(np.random.default_rng(0), n=3, relu=True), np.zeros(3)),
     "strictly monotone"),
])
def test_bad_input_names_the_argument(call, needle):
    with pytest.raises(InputError, match=None) as info:
        call()
    assert needle in str(info.value)


def test_activity_field_rejects_r_outside_the_range_of_tanh():
    inst = N.g_smooth(np.random.default_rng(0), n=3, activation="tanh")
    with pytest.raises(InputError, match="r must lie in"):
        N.activity_field(inst, np.array([0.5, 1.0, 0.0]))


# -- Newton ----------------------------------------------------------------------------------------
def test_newton_recovers_planted_fixed_points():
    rng = np.random.default_rng(11)
    for _ in range(5):
        inst = N.g_smooth(rng, g=0.5)
        fps = N.find_fixed_points(inst.J, inst.B, inst.u0, inst.h, inst.activation)
        assert fps[0].converged and fps[0].residual <= 1e-13 * (1 + np.abs(fps[0].x).max())
        assert np.allclose(fps[0].x, inst.x_star, atol=1e-10)     # contraction: unique fixed point
        assert fps[0].sigma_min > 0


def test_newton_finds_and_deduplicates_several_fixed_points():
    # x = 2 tanh(x) has three roots: 0 and ±1.9150080...
    fps = N.find_fixed_points(np.array([[2.0]]), starts=[np.array([3.0]), np.array([-3.0]),
                                                         np.array([3.1])])
    roots = sorted(float(f.x[0]) for f in fps)
    assert len(roots) == 3
    assert roots[0] == pytest.approx(-1.9150080481545, abs=1e-12)
    assert roots[1] == pytest.approx(0.0, abs=1e-14)
    assert [f.start for f in fps][:2] == ["user 0", "user 1"]


def test_newton_reports_unconverged_attempt():
    fps = N.find_fixed_points(np.array([[2.0]]), h=np.array([5.0]), starts=[np.array([30.0])],
                              max_iter=1)
    assert len(fps) == 1 and not fps[0].converged and fps[0].residual > 1e-8


def test_relu_pattern_solver_and_margin_rule():
    inst = N.g_silent(np.random.default_rng(5), n=8, relu=True)
    fps = N.find_fixed_points(inst.J, inst.B, inst.u0, inst.h, "relu", starts=[inst.x_star])
    assert fps[0].converged and np.allclose(fps[0].x, inst.x_star, atol=1e-12)
    # a unit exactly at 0: gain undefined unless a convention is passed
    J, h = np.zeros((2, 2)), np.array([0.0, 1.0])
    with pytest.raises(InputError, match="gain undefined at 0"):
        N.find_fixed_points(J, h=h, activation="relu")
    fp = N.find_fixed_points(J, h=h, activation="relu", relu_gain_at_zero=0)[0]
    assert fp.converged and fp.x.tolist() == [0.0, 1.0]


def test_mp_refinement_agrees_with_float64_newton():
    inst = N.g_smooth(np.random.default_rng(2), n=4, activation="tanh", g=0.8)
    x, res = N.mp_refine_fixed_point(inst, dps=40)
    assert float(res) < 1e-35
    assert np.allclose(np.array([float(v) for v in x]), inst.x_star, atol=1e-14)


# -- spectra -----------------------------------------------------------------------------------------
def test_assignment_pairs_conjugates_that_sorting_would_mispair():
    a = np.array([1 + 1e-9 + 1j, 1 - 1j, 1 + 1j * 1e-3])
    b = np.array([1 - 1j + 1e-12, 1 + 1j * 1e-3, 1 + 1j])
    perm, dist = N.match_eigenvalues(a, b)
    assert perm.tolist() == [2, 0, 1] and dist.max() < 2e-9


@given(st.integers(2, 12), st.integers(0, 2 ** 32 - 1))
def test_assignment_recovers_a_random_permutation(n, seed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    p = rng.permutation(n)
    perm, dist = N.match_eigenvalues(a, a[p] + 1e-13)
    assert np.all(a[p][perm] == a) and dist.max() <= 2e-13


def test_condition_numbers_and_mpmath_reference():
    A = np.array([[1.0, 1e4], [0.0, 1.0 + 1e-3]])      # strongly non-normal
    w, VL, VR, s = N.eig_condition(A)
    assert s.max() < 1e-6
    assert np.allclose(N.eig_condition(np.diag([1.0, 2.0]))[3], 1.0)
    B = np.random.default_rng(0).standard_normal((5, 5))
    perm, dist = N.match_eigenvalues(np.linalg.eigvals(B), N.mp_eigvals(B, 30))
    assert dist.max() < 1e-12


def test_fd_jacobian_is_accurate_to_1e7():
    inst = N.g_smooth(np.random.default_rng(4), n=6, activation="softplus")
    A_x, _ = N.jacobians(inst)
    fd = N.fd_jacobian(lambda x: N.activation_field(inst, x), inst.x_star)
    assert np.max(np.abs(fd - A_x)) / np.max(np.abs(A_x)) < 1e-7


# -- theory ----------------------------------------------------------------------------------------
def test_theory_activity_jacobian_matches_finite_differences_of_numeric_field():
    """The symbolic A_r (derived by Matrix.jacobian + chain rule at F = 0) vs numeric FD."""
    sysm = T.linear_systems(T.activation_model(3, "tanh"))
    A_r_sym, d_syms = sysm["activity"][0], sysm["gains"]
    m = T.activation_model(3)
    f = sympy.lambdify([list(m.J), list(d_syms)], A_r_sym, "numpy")
    inst = N.g_smooth(np.random.default_rng(9), n=3, activation="tanh", a=1.5)
    A_r = np.asarray(f(list(inst.J.ravel()), list(inst.gains)), float)
    fd = N.fd_jacobian(lambda r: N.activity_field(inst, r), inst.r_star)
    assert np.max(np.abs(fd - A_r)) / np.max(np.abs(A_r)) < 1e-7
    assert sympy.simplify(sysm["gain"] - (1 - sympy.tanh(sympy.Symbol("z")) ** 2)) == 0


def test_relations_are_identities():
    assert all(e == 0 or e.is_ZeroMatrix for e in T.intertwining_difference())
    rel = T.similarity_identity()
    assert (rel.lhs - rel.rhs).expand().is_ZeroMatrix
    assert all(T.push_through_difference(k) == 0 for k in range(1, 6))
    assert T.adjugate_identity(3, silent=(1,)).is_zero_matrix
    px, pr = T.charpoly_pair(3, silent=(0, 2))
    assert sympy.expand(px - pr) == 0
    assert sympy.rem(sympy.Poly(px, T.lam), sympy.Poly((T.lam + 1) ** 2, T.lam)).is_zero


def test_identities_detect_a_wrong_relation():
    """The checks can fail: D A_x = A_x D is not an identity, nor is A_r = A_x."""
    A_x, A_r = T.activation_jacobian(T.J, T.D), T.activity_jacobian(T.J, T.D)
    assert (T.D * A_x - A_x * T.D).expand() != 0
    Jm = T.activation_model(2).J
    d = sympy.symbols("d_1 d_2")
    assert any(e != 0 for e in (T.activation_jacobian(Jm, d) - T.activity_jacobian(Jm, d)))


def test_derive_topics_speed_and_output():
    t0 = time.perf_counter()
    items = T.derivations("linearization")
    assert time.perf_counter() - t0 < 1.0 + 1.0   # target < 1 s; margin for a shared machine
    labels = [label for label, _ in items]
    assert "intertwining" in labels and "A_x (activation frame)" in labels
    for _, expr in items:
        assert isinstance(sympy.latex(expr), str)
    t0 = time.perf_counter()
    items = T.derivations("linearization.jacobians", n=4, activation="tanh")
    assert time.perf_counter() - t0 < 5.0
    A_r = dict(items)["A_r (activity frame, chain rule at F = 0)"].rhs
    assert A_r.shape == (4, 4)
    assert "1 - r_{1}^{2}" in T.latex(T.activity_model(2, "tanh"))


@pytest.mark.parametrize("call", [
    lambda: T.derivations("linearization.nonsense"),
    lambda: T.derivations("linearization", n=7),
    lambda: T.derivations("linearization", activation="cosh"),
    lambda: T.derivations("linearization.jacobians", n=2, activation="relu"),
    lambda: T.activity_model(2, "relu"),
    lambda: T.latex("linearization.no_such_claim"),
])
def test_theory_bad_options_raise_topic_error(call):
    with pytest.raises(TopicError):
        call()


def test_latex_and_repr_latex():
    assert T.latex("linearization.intertwining") == sympy.latex(T.intertwining_identity()[0])
    d = T.right_eigvec_map()["inverse_free"]
    assert d._repr_latex_().startswith("$\\displaystyle") and "\\lambda + 1" in d.latex()
    assert T.activation_model(2)._repr_latex_().startswith("$")


# -- the non-similar ReLU network, in exact arithmetic ---------------------------------------------
def test_relu_network_with_silent_unit_receiving_input_is_not_similar_exactly():
    W = np.array([[0.0, 1.0], [0.0, 0.0]])
    B = np.array([[0.0], [1.0]])
    b = np.array([1.0, 0.0])
    fp = N.find_fixed_points(W, B, np.array([-1.0]), b, "relu")[0]
    d = (fp.x > 0).astype(int)
    assert d.tolist() == [1, 0]                                 # unit 1 is silent, driven by u
    Jq = sympy.Matrix(W.astype(int).tolist())
    Dq = sympy.diag(*d.tolist())
    A_x, A_r = -sympy.eye(2) + Jq * Dq, -sympy.eye(2) + Dq * Jq
    assert A_x.charpoly() == A_r.charpoly()
    _, Jx = A_x.jordan_form()
    _, Jr = A_r.jordan_form()
    assert Jx != Jr                                             # blocks [1, 1] vs [2]
    assert (A_x + sympy.eye(2)).rank() == 0 and (A_r + sympy.eye(2)).rank() == 1


# -- claims 1–16 on another seed and on a user network ----------------------------------------------
@pytest.mark.parametrize("slug", MY_CLAIMS)
def test_claim_passes_on_seed_1(slug):
    res = run_claim(f"linearization.{slug}", seed=1, examples=3)
    assert res["status"] == "pass", res["detail"]
    assert res["cases"] > 0


def test_claims_on_a_user_network(tmp_path):
    rng = np.random.default_rng(0)
    n = 12
    path = tmp_path / "net.npz"
    save_network(path, RNNSpec(W=0.9 * rng.standard_normal((n, n)) / np.sqrt(n),
                               B=rng.standard_normal((n, 2)), b=rng.standard_normal(n),
                               C=rng.standard_normal((1, n))))
    for slug in ("two_linearizations", "intertwining", "similarity", "same_spectrum",
                 "right_eigvec_map", "left_eigvec_map", "transfer_function", "modal_gains"):
        res = run_claim(f"linearization.{slug}", seed=0, network_path=str(path))
        assert res["status"] == "pass", (slug, res["detail"])
    res = run_claim("linearization.symmetric_real_spectrum", seed=0, network_path=str(path))
    assert res["status"] == "not_applicable" and "not symmetric" in res["detail"]


# -- derived tolerances (issue: trustworthy verdicts) -----------------------------------------------
def test_fd_bound_covers_and_estimates_the_truncation_error():
    # f(x) = x³ per component: the central difference is exact up to h² (f‴/6 = 1), so the error is
    # h² exactly and the Richardson term |D_2h − D_h|/3 equals it (up to rounding).
    x = np.array([0.3, -1.2, 2.0])
    D, bound = N.fd_jacobian_bound(lambda v: v ** 3, x, 4 * N.EPS * np.abs(x) ** 3)
    h = N.EPS ** (1 / 3) * (1 + np.abs(x))
    err = np.abs(np.diag(D) - 3 * x ** 2)
    assert np.all(err <= np.diag(bound))
    assert np.all(np.diag(bound) <= 3 * h ** 2 + 1e-9)       # the bound is not a loose constant
    assert np.all(np.diag(bound) >= 0.9 * h ** 2)


def test_fd_bound_rejects_a_wrong_jacobian():
    inst = N.g_smooth(np.random.default_rng(11), n=5, activation="tanh")
    Fx, bound = N.fd_jacobian_bound(lambda v: N.activation_field(inst, v), inst.x_star,
                                    N.activation_field_rounding(inst, inst.x_star))
    A_x, _ = N.jacobians(inst)
    assert np.all(np.abs(Fx - A_x) <= 2 * bound + 4 * N.EPS * (1 + np.abs(A_x)))
    wrong = A_x.copy()
    wrong[0, 1] *= 1 + 1e-6                                    # a relative slip of 10⁻⁶ is visible
    assert np.any(np.abs(Fx - wrong) > 2 * bound + 4 * N.EPS * (1 + np.abs(wrong)))


def test_linear_prediction_passes_when_the_second_order_term_vanishes(tmp_path):
    # The README-style network: tanh, b = 0, so x* = 0 and φ″(0) = 0: the error is O(η³), which is O(η²).
    rng = np.random.default_rng(123)
    n = 50
    path = tmp_path / "odd.npz"
    save_network(path, RNNSpec(W=1.5 * rng.normal(size=(n, n)) / np.sqrt(n), B=rng.normal(size=(n, 2)),
                               b=np.zeros(n), C=rng.normal(size=(1, n))))
    res = run_claim("linearization.linear_prediction", seed=0, network_path=str(path))
    assert res["status"] == "pass", res["detail"]


def test_every_claim_declares_tolerance_class_and_sides():
    for claim in all_claims("linearization"):
        assert claim.tolerance.kind, claim.id
        assert claim.sides is not None and claim.sides.reference, claim.id
        assert claim.statistical_checks == 0           # no statistical test in this paper
        assert all(name.startswith("numerics.") for name in claim.sides.numeric), claim.id
        assert all(name.startswith("theory.") for name in claim.sides.symbolic + claim.sides.lambdified)
