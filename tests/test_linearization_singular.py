"""Tests for the linearization claims 17–32: gap-tested ranks, Jordan verdicts at −1 (with
"not similar" instances confirmed in exact arithmetic), Krylov/PBH ranks, context eigensystems,
generators, input validation, and every claim of part B run end to end."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics import InputError
from numerics import linearization_singular as NS
from theory import _linearization_singular as T

# --------------------------------------------------------------------------------------------------
# Jordan structure at −1: instances that are NOT similar, each confirmed by SymPy jordan_form
# --------------------------------------------------------------------------------------------------

NOT_SIMILAR = [
    # (J, d, blocks of A_x at −1, blocks of A_r at −1)
    ([[0, 1], [0, 0]], [1, 0], [1, 1], [2]),
    ([[0, 0], [1, 0]], [1, 0], [2], [1, 1]),
    ([[0, 1, 0], [0, 0, 1], [0, 0, 0]], [1, 1, 0], [2, 1], [3]),
    ([[0, 1, 0], [0, 0, 1], [0, 0, 0]], [0, 1, 1], [3], [2, 1]),
    ([[0, -1, 1], [0, 0, 0], [0, -2, 2]], [1, 0, 0], [1, 1, 1], [2, 1]),
]


def _exact_blocks(J, d):
    """Jordan blocks at −1 of −I+JD and −I+DJ straight from SymPy's ``jordan_form`` (the theory
    helper), independent of the rank-sequence code in theory and of the mpmath code in numerics."""
    return list(T.jordan_partitions_exact(J, d))


@pytest.mark.parametrize("J, d, bx, br", NOT_SIMILAR)
def test_not_similar_instances_confirmed_exactly(J, d, bx, br):
    ex_x, ex_r = _exact_blocks(J, d)
    assert (ex_x, ex_r) == (bx, br)
    assert ex_x != ex_r
    # same characteristic polynomial although not similar
    Jm, D = sp.Matrix(J), sp.diag(*d)
    lam = sp.Symbol("lam")
    n = Jm.shape[0]
    assert sp.expand((-sp.eye(n) + Jm * D).charpoly(lam).as_expr()
                     - (-sp.eye(n) + D * Jm).charpoly(lam).as_expr()) == 0
    out = NS.similarity_verdict(np.array(J, float), np.array(d, float))
    assert out["similar"] is False
    assert out["partitions"] == {"activation": bx, "activity": br}
    assert out["verdict"].startswith("not similar")


def test_not_similar_found_among_g_exact_draws():
    """Not-similar instances exist and are found (claim 23): search G-exact draws with
    the mpmath verdict and confirm each hit with SymPy jordan_form."""
    hits = 0
    for seed in range(400):
        ex = NS.g_exact(np.random.default_rng(seed), n=int(np.random.default_rng(seed).integers(2, 5)))
        if np.all(ex.d != 0):
            continue
        out = NS.similarity_verdict(ex.J, ex.d)
        if out["similar"] is False:
            bx, br = _exact_blocks(ex.J.astype(int).tolist(), ex.d.astype(int).tolist())
            assert bx != br
            assert out["partitions"] == {"activation": bx, "activity": br}
            hits += 1
            if hits == 3:
                break
    assert hits == 3


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2 ** 32 - 1))
def test_mpmath_verdict_matches_exact_ranks(seed):
    ex = NS.g_exact(np.random.default_rng(seed))
    rx, rr = T.jordan_rank_sequences(ex.J.astype(int).tolist(), ex.d.astype(int).tolist())
    px, pr = NS.jordan_partition(rx), NS.jordan_partition(rr)
    out = NS.similarity_verdict(ex.J, ex.d)
    assert out["similar"] == (px == pr)
    if out["partitions"]["activation"] is not None and np.any(ex.d == 0):
        assert out["partitions"] == {"activation": px, "activity": pr}
    # Flanders: paired block sizes differ by at most one
    a, b = sorted(px, reverse=True), sorted(pr, reverse=True)
    m = max(len(a), len(b))
    a, b = a + [0] * (m - len(a)), b + [0] * (m - len(b))
    assert all(abs(x - y) <= 1 for x, y in zip(a, b))


def test_similar_when_gains_nonzero_and_fast_path_for_large_relu():
    rng = np.random.default_rng(0)
    J = rng.standard_normal((5, 5))
    assert NS.similarity_verdict(J, rng.uniform(0.1, 1, 5))["similar"] is True
    n = 300
    J = rng.standard_normal((n, n)) / np.sqrt(n)
    d = (rng.random(n) < 0.5).astype(float)
    out = NS.similarity_verdict(J, d)
    k = int(np.sum(d == 0))
    assert out["similar"] is True and out["partitions"]["activation"] == [1] * k


def test_jordan_partitions_exact_agrees_with_rank_route():
    for J, d, bx, br in NOT_SIMILAR:
        rx, rr = T.jordan_rank_sequences(J, d)
        assert (NS.jordan_partition(rx), NS.jordan_partition(rr)) == (bx, br)
        assert T.jordan_partitions_exact(J, d) == (bx, br)


# --------------------------------------------------------------------------------------------------
# ranks with a gap test
# --------------------------------------------------------------------------------------------------

def test_rank_gap_test_reports_undetermined():
    assert NS.mp_rank(np.diag([1.0, 1e-30])).rank is None        # no 10^20 gap: undetermined
    assert NS.mp_rank(np.diag([1.0, 1e-15])).rank == 2           # float64 entries are exact inputs
    assert NS.mp_rank(np.diag([1.0, 0.0])).rank == 1
    assert NS.mp_rank(np.zeros((3, 3))).rank == 0
    # the product J·diag(d) must be formed exactly: the float64-rounded product is not singular
    J, d = np.array([[1.0, 3.0], [3.0, 9.0]]), np.array([0.1, 0.7])
    assert NS.mp_rank(J, right=d).rank == 1
    assert NS.mp_rank(J * d[None, :]).rank == 2


def test_rank_sequence_and_partition():
    N = np.zeros((4, 4))
    N[0, 1] = N[1, 2] = 1.0                                      # blocks [3, 1] at 0
    ranks = NS.rank_sequence(N)
    assert ranks == [4, 2, 1, 0] or ranks[:3] == [4, 2, 1]
    assert NS.jordan_partition(ranks) == [3, 1]
    assert NS.jordan_partition([3, None]) is None


def test_mp_charpoly_matches_numpy_and_taylor():
    rng = np.random.default_rng(1)
    A = rng.standard_normal((5, 5))
    c = [float(v) for v in NS.mp_charpoly(A)]
    assert np.allclose(c, np.poly(A), rtol=1e-10, atol=1e-10)
    J = rng.integers(-2, 3, (4, 4)).astype(float)
    d = np.array([1.0, 0.0, 2.0, 0.0])
    tay = NS.mp_taylor_at(NS.mp_charpoly(J, right=d, shift=-1.0), -1)
    assert float(abs(tay[0])) == 0.0 and float(abs(tay[1])) == 0.0   # (λ+1)^2 divides exactly


def test_krylov_and_pbh_against_exact():
    rng = np.random.default_rng(5)
    checked = 0
    for _ in range(12):
        ex = NS.g_exact(rng, n=4)
        A = -np.eye(4) + ex.J * ex.d[None, :]
        exact = sp.Matrix(NS.krylov_matrix(A, ex.b).astype(int).tolist()).rank()
        assert NS.mp_krylov_rank(A, ex.b).rank == exact
        defs = NS.pbh_deficiencies(A, ex.b)
        if all(v is not None for _, v in defs):
            assert (exact == 4) == all(v == 0 for _, v in defs)
            checked += 1
    assert checked >= 6
    ranks = T.exact_krylov_ranks([[0, 1], [1, 0]], [1, 0], [1, 1], [1, 1])
    assert ranks["K_r"] < ranks["K_x"] and ranks["O_x"] < ranks["O_r"]


# --------------------------------------------------------------------------------------------------
# context eigensystems and generators
# --------------------------------------------------------------------------------------------------

def test_slow_mode_normalisation_and_orientation():
    rng = np.random.default_rng(2)
    V = rng.standard_normal((6, 6))
    A = V @ np.diag([-0.2, -0.7, -1.0, -1.5, -2.0, -3.0]) @ np.linalg.inv(V)   # real, distinct
    c = rng.standard_normal(6)
    m = NS.slow_mode(A, c)
    assert m.reason == "" and abs(m.lam + 0.2) < 1e-12
    assert abs(np.linalg.norm(m.rho) - 1) < 1e-14 and abs(m.s @ m.rho - 1) < 1e-12 and c @ m.rho > 0
    assert np.linalg.norm(A @ m.rho - m.lam * m.rho) < 1e-12
    assert np.linalg.norm(m.s @ A - m.lam * m.s) < 1e-12 * np.linalg.norm(m.s)
    rot = np.array([[0.0, -1.0], [1.0, 0.0]])
    assert "complex" in NS.slow_mode(rot, np.ones(2)).reason
    assert "not simple" in NS.slow_mode(np.eye(2), np.ones(2)).reason


def test_selection_split_identity():
    rng = np.random.default_rng(3)
    s1, b1, s2, b2 = (rng.standard_normal(10) for _ in range(4))
    mi, ms, tot = NS.selection_split(s1, b1, s2, b2)
    assert abs(mi + ms - tot) < 1e-13
    mi, ms, tot = NS.selection_split(s1, b1, s2, b1)            # same input: pure selection
    assert mi == 0.0 and abs(ms - tot) < 1e-13


def test_lowrank_generator_is_deterministic_and_converged():
    a = NS.g_lowrank(np.random.default_rng(7), n=60, rank=2)
    b = NS.g_lowrank(np.random.default_rng(7), n=60, rank=2)
    assert np.array_equal(a.x[0], b.x[0]) and a.start == b.start
    assert max(a.residual) < 1e-10
    r1 = NS.rank_one_network(np.random.default_rng(0), n=40)
    assert r1.M.shape == (40, 1) and max(r1.residual) < 1e-10


def test_rank_one_closed_forms_against_eig():
    lr = NS.g_lowrank(np.random.default_rng(11), n=80, rank=1)
    d = lr.gains(0)
    m, nv = lr.M[:, 0], lr.Y[:, 0]
    Ar = -np.eye(lr.n) + d[:, None] * lr.J
    lam = -1 + nv @ (d * m) / lr.n
    w = np.linalg.eigvals(Ar)
    assert np.min(np.abs(w - lam)) < 1e-12
    assert np.sum(np.abs(w + 1) < 1e-10) == lr.n - 1


# --------------------------------------------------------------------------------------------------
# symbolic side spot checks (independent of the claims' own symbolic checks)
# --------------------------------------------------------------------------------------------------

def test_trajectory_term_tanh_symbolic_and_numeric():
    jac, closed, diff = T.trajectory_jacobian("tanh", 2)
    assert diff == sp.zeros(2, 2)
    # evaluate the SymPy Jacobian at a point and compare with a direct finite difference
    r = sp.Matrix(sp.symbols("r1:3", real=True))
    c = sp.Matrix(sp.symbols("c1:3", real=True))
    Js = [sp.Symbol(f"J{i}{j}", real=True) for i in (1, 2) for j in (1, 2)]
    f = sp.lambdify(list(r) + list(c) + Js, jac, "numpy")
    Jn, cn, rn = np.array([[0.3, -0.8], [0.5, 0.2]]), np.array([0.4, -0.1]), np.array([0.2, -0.6])
    field = lambda v: (1 - v ** 2) * (-np.arctanh(v) + Jn @ v + cn)  # noqa: E731
    h = 1e-6
    fd = np.column_stack([(field(rn + h * e) - field(rn - h * e)) / (2 * h) for e in np.eye(2)])
    assert np.allclose(np.asarray(f(*rn, *cn, *Jn.ravel()), float), fd, atol=1e-8)


@pytest.mark.parametrize("phi, L", [("tanh", 2), ("sigmoid", 1), ("softplus", 1)])
def test_psi_bounds(phi, L):
    assert T.psi_bound(phi) == L and T.psi_bound_proof(phi)
    f = sp.lambdify(sp.Symbol("x", real=True), T.psi(phi), "numpy")
    xs = np.linspace(-30, 30, 2001)
    assert np.max(np.abs(f(xs))) <= L


def test_symbolic_identities():
    assert T.jordan_power_identities(4) and T.krylov_relation(4) and T.observability_relation(4)
    assert T.selection_decomposition(3)[3] == 0
    assert T.low_rank_charpoly(3, 1) == (0, 0)
    assert all(v == 0 for v in T.rank_one_eigensystem()["checks"].values())
    assert T.induced_activity_map_jacobian(2, "sigmoid")[2] == sp.zeros(2, 2)


# --------------------------------------------------------------------------------------------------
# input validation: one table, the message names the argument
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, word", [
    (lambda: NS.mp_rank(np.eye(2), dps=16), "dps"),
    (lambda: NS.similarity_verdict(np.eye(2), np.ones(2), dps=15), "dps"),
    (lambda: NS.similarity_verdict(np.ones((2, 3)), np.ones(2)), "J"),
    (lambda: NS.similarity_verdict(np.eye(2), np.ones(3)), "gains"),
    (lambda: NS.similarity_verdict(np.eye(2), np.array([1.0, np.nan])), "gains"),
    (lambda: NS.similarity_verdict(np.array([[1.0, np.inf], [0, 1]]), np.ones(2)), "J"),
    (lambda: NS.rank_sequence(np.ones((2, 3))), "N"),
    (lambda: NS.mp_krylov_rank(np.eye(3), np.ones(2)), "b"),
    (lambda: NS.g_exact(np.random.default_rng(0), n=9), "n"),
    (lambda: NS.g_lowrank(np.random.default_rng(0), n=10, rank=0), "rank"),
    (lambda: NS.rank_one_network(np.random.default_rng(0), n=5), "n"),
    (lambda: NS.leaky_jacobians(np.eye(2), np.ones(2), 0.0), "alpha"),
    (lambda: NS.leaky_jacobians(np.eye(2), np.ones(2), float("inf")), "alpha"),
    (lambda: NS.leaky_jacobians(np.eye(2), np.ones(3), 0.2), "gains"),
    (lambda: NS.mp_hankel_rank(np.eye(2), np.ones(2), np.ones(3)), "c"),
])
def test_bad_input_names_argument(call, word):
    with pytest.raises(InputError, match=rf"\b{word}\b"):
        call()


# --------------------------------------------------------------------------------------------------
# every part-B claim end to end (another seed than the CLI default)
# --------------------------------------------------------------------------------------------------

PART_B = ["trajectory_term", "slow_point_mismatch", "singular_charpoly", "silent_unit_eigvecs",
          "silent_block_structure", "silent_eigvecs_vanish", "jordan_at_minus_one",
          "krylov_controllability", "selection_decomposition", "activation_input_mod_zero",
          "frame_invariant_total", "rank_one_context", "low_rank_context", "discrete_vanilla",
          "discrete_leaky", "euler_commutes"]


def test_part_b_registry_order():
    from proofs_checks.registry import all_claims
    ids = [c.id for c in all_claims("linearization")]
    mine = [i for i in ids if i.split(".", 1)[1] in PART_B]
    assert mine == [f"linearization.{k}" for k in PART_B]


@pytest.mark.parametrize("slug", PART_B)
def test_part_b_claim_passes(slug):
    from proofs_checks.runner import run_claim
    res = run_claim(f"linearization.{slug}", seed=3, examples=2, profile="quick")
    assert res["status"] == "pass", res["detail"]
    assert res["cases"] > 0


# --------------------------------------------------------------------------------------------------
# network hooks (--network): a ReLU network whose two Jacobians are not similar, a leaky network
# --------------------------------------------------------------------------------------------------

def _save(tmp_path, name, **kw):
    from numerics import RNNSpec, save_network
    path = str(tmp_path / name)
    save_network(path, RNNSpec(**kw))
    return path


def test_network_hooks_not_similar_relu(tmp_path):
    from proofs_checks.runner import run_claim
    path = _save(tmp_path, "nsim.npz", W=np.array([[0, 1.0, 0], [0, 0, 0], [0, 0, 0]]),
                 b=np.array([1.0, -1.0, 0.5]), activation="relu")
    res = run_claim("linearization.jordan_at_minus_one", network_path=path)
    assert res["status"] == "pass" and "not similar" in res["detail"]
    for slug in ("singular_charpoly", "silent_unit_eigvecs", "silent_block_structure"):
        assert run_claim(f"linearization.{slug}", network_path=path)["status"] == "pass"
    assert run_claim("linearization.silent_eigvecs_vanish", network_path=path)["status"] == "not_applicable"
    assert run_claim("linearization.discrete_vanilla", network_path=path)["status"] == "not_applicable"


def test_network_hooks_discrete(tmp_path):
    from proofs_checks.runner import run_claim
    rng = np.random.default_rng(0)
    W = rng.standard_normal((6, 6)) / np.sqrt(6)
    common = dict(W=W, B=rng.standard_normal((6, 1)), C=rng.standard_normal((1, 6)), b=rng.standard_normal(6),
                  time="discrete")
    leaky = _save(tmp_path, "leaky.npz", alpha=0.2, **common)
    vanilla = _save(tmp_path, "vanilla.npz", **common)
    assert run_claim("linearization.discrete_leaky", network_path=leaky)["status"] == "pass"
    assert run_claim("linearization.discrete_vanilla", network_path=leaky)["status"] == "not_applicable"
    assert run_claim("linearization.discrete_vanilla", network_path=vanilla)["status"] == "pass"


@pytest.mark.parametrize("topic", sorted(T.PART_B_TOPICS))
def test_part_b_derive_topics_render(topic):
    out = T.part_b_derivations(topic)
    assert out and all(isinstance(label, str) and sp.latex(expr) for label, expr in out)


def test_mp_eigenvalues_survive_qr_stall():
    """mpmath.eig stalls on this G-exact A_x (seed 23 of the thorough run); the robust route does not."""
    A = np.array([[3., -4, 0, 0, 0], [4, 3, 0, 1, 0], [-2, 4, -1, 2, 0], [0, 0, 0, 1, 0], [2, -4, 0, 0, -1]])
    w = NS.mp_eigenvalues(A)
    assert np.allclose(np.sort_complex(w), np.sort_complex(np.linalg.eigvals(A)))
    defs = NS.pbh_deficiencies(A, np.array([1.0, 0, 0, 1, 0]))
    assert all(d is not None for _, d in defs)


def test_exact_rational_helpers_agree_with_sympy():
    # numerics' fractions-based ranks and charpolys are the numeric side's exact witness; SymPy's
    # exact routines (theory) are the other side.
    import sympy as sp
    rng = np.random.default_rng(5)
    for _ in range(15):
        ex = NS.g_exact(rng)
        Ji, di = ex.J.astype(int).tolist(), ex.d.astype(int).tolist()
        assert list(NS.exact_rank_sequences(ex.J, ex.d)) == list(T.jordan_rank_sequences(Ji, di))
        assert NS.exact_krylov_ranks(ex.J, ex.d, ex.b, ex.w) == T.exact_krylov_ranks(
            Ji, di, ex.b.astype(int).tolist(), ex.w.astype(int).tolist())
        Ax = -np.eye(ex.n) + ex.J * ex.d[None, :]
        exact = sp.Matrix(Ax.astype(int).tolist()).charpoly(sp.Symbol("lam")).all_coeffs()
        assert [int(c) for c in NS.exact_charpoly(Ax)] == [int(c) for c in exact]
    assert NS.exact_rank([[1.0, 2.0], [2.0, 4.0 + 2.0 ** -40]]) == 2     # exact, no tolerance


def test_rank_one_scalar_bracket_gives_a_fixed_point():
    # The fallback start for rank-one context networks: x = mκ + h with κ a root of the scalar map.
    from numerics.linearization_singular import _rank_one_start
    rng = np.random.default_rng(8)
    n = 80
    m, nv = rng.standard_normal(n), rng.standard_normal(n) + 2.0 * rng.standard_normal(n)
    h = np.where(rng.random(n) < 0.5, 3.0 * rng.standard_normal(n), 0.0)
    x = _rank_one_start(m, nv, h, "tanh")
    F = -x + np.outer(m, nv) / n @ np.tanh(x) + h
    assert np.max(np.abs(F)) < 1e-12
