"""Regression tests for the degenerate instances ``rnnproof search`` found in the linearization
claims: each shrunk counterexample is replayed and must now pass (or be not applicable, with the
reason), and the numeric pieces behind each fix are tested on their own."""

import json
import math

import numpy as np
import pytest

from numerics import linearization as N
from numerics import linearization_singular as NS
from proofs_checks.claims.linearization._checks import pow2_normalized
from proofs_checks.claims.linearization.off_fixed_points import _UnderflowSafeDirections
from proofs_checks.instances import save_draws
from proofs_checks.runner import run_claim

Z6 = [0.0] * 6
FINDINGS = {
    # |F(y*)| of the mapped rate fixed point: Jr + Bu₀ + h rounds before Bu₀ + h cancels to 0
    "rate_model_equivalence": [
        ["integers", 0], ["uniform", 0.5], ["integers", 6], ["integers", 1], ["integers", 0], ["uniform", 1.0],
        ["standard_normal", [[0, 0, 0, 0, 0, 1.0], [0, 0, 0, 0, 0, 1.0], [0, 0, 0, 0, 0, 1.0], Z6,
                             [0, 0, 1.0, 0, 0, 0], [-1.0, 0, 0, 0, 0, 0]]],
        ["standard_normal", [[0.0], [0.0], [1.0], [1.0], [0.0], [0.0]]], ["standard_normal", Z6],
        ["standard_normal", [1.0]], ["uniform", [1.0, 0, 0, 0, 0, 0]]],
    # B = 0: the input gains were 0/0
    "modal_gains": [
        ["integers", 1], ["integers", 2], ["integers", 1], ["choice", [0]], ["uniform", 1.0], ["integers", 3],
        ["standard_normal", [[0.0, 0.0], [0.0, 1.0]]], ["standard_normal", [[0.0] * 3, [0.0] * 3]],
        ["standard_normal", [0.0, 1.0]], ["standard_normal", [0.0] * 3], ["uniform", [1.0, 1.0]]],
    # a readout w = (0, 2·10⁻²⁴⁶): ‖w‖₂ underflowed to 0
    "modal_gains/tiny readout": [
        ["integers", 0], ["integers", 2], ["integers", 3], ["integers", 0], ["uniform", 1.0], ["uniform", 1.0],
        ["standard_normal", [[0.0, 0.0], [0.0, 1.0]]], ["standard_normal", [[0.0] * 3, [0.0] * 3]],
        ["standard_normal", [0.0, 2.2780831630053883e-246]], ["standard_normal", [0.0] * 3],
        ["uniform", [0.0, 0.0]]],
    # b = (1, 0, 6.5·10⁻²⁸⁹), J = 0, d = (0, 1, 1): Hankel ranks 0 and 1 at a norm-product level
    "krylov_controllability": [
        ["integers", 3], ["integers", 1], ["choice", [0]], ["uniform", 1.0], ["integers", 3],
        ["standard_normal", [[0.0] * 3] * 3],
        ["standard_normal", [[1.0, 0.0, 0.0], [0.0] * 3, [6.495053047919427e-289, 0.0, 0.0]]],
        ["standard_normal", [0.0, 0.0, 1.0]], ["standard_normal", [0.0] * 3], ["uniform", [1.0] * 3],
        ["uniform", [1.0] * 3], ["integers", 2], ["integers", [[0, 0], [0, 0]]], ["integers", [0, 0]],
        ["integers", [0, 0]], ["integers", [0, 0]]],
    # ξ = (0, 4·10⁻²³⁹): ξ/‖ξ‖₂ was NaN and eig crashed (the last four draws feed the tightness part)
    "slow_point_mismatch": [
        ["integers", 0], ["integers", 2], ["uniform", 1.0], ["integers", 1], ["uniform", 1.0],
        ["standard_normal", [[0.0, 0.0], [0.0, 0.0]]], ["standard_normal", [[0.0], [0.0]]],
        ["standard_normal", [0.0, 0.0]], ["standard_normal", [0.0]], ["uniform", [0.0, 0.0]], ["uniform", -1.0],
        ["standard_normal", [0.0, 4.1165475524536e-239]], ["integers", 0], ["uniform", [0.0] * 4],
        ["uniform", [0.0] * 4], ["uniform", [0.0] * 4]],
    # B = 0: H(s) was 0/0
    "transfer_function": [
        ["integers", 0], ["integers", 2], ["integers", 1], ["integers", 0], ["uniform", 1.0], ["uniform", 1.0],
        ["standard_normal", [[0.0, 0.0], [0.0, 0.0]]], ["standard_normal", [[0.0], [0.0]]],
        ["standard_normal", [0.0, 1.0]], ["standard_normal", [0.0]], ["uniform", [0.0, 0.0]]]
        + [["standard_normal", 0.0]] * 10,
    # B = 0, J = 0, x* = 0: the input step does nothing and the fitted order was log₂(0/0)
    "linear_prediction": [
        ["integers", 2], ["uniform", 1.0], ["integers", 1], ["integers", 0], ["uniform", 1.0],
        ["standard_normal", [[0.0, 0.0], [0.0, 0.0]]], ["standard_normal", [[0.0], [0.0]]],
        ["standard_normal", [0.0, 0.0]], ["standard_normal", [0.0]], ["uniform", [0.0, 0.0]], ["uniform", 1.0],
        ["standard_normal", [0.0, 1.0]]],
    # ξ = (1.1·10⁻³⁰⁸, 0): ξ/‖ξ‖₂ was NaN and the integrator refused the start
    "linear_prediction/subnormal direction": [
        ["integers", 2], ["uniform", 1.0], ["integers", 1], ["integers", 0], ["uniform", 1.0],
        ["standard_normal", [[0.0, 0.0], [0.0, 0.0]]], ["standard_normal", [[0.0], [0.0]]],
        ["standard_normal", [0.0, 0.0]], ["standard_normal", [0.0]], ["uniform", [0.0, 0.0]], ["uniform", 1.0],
        ["standard_normal", [1.1125369292536007e-308, 0.0]]],
}


@pytest.mark.parametrize("name", sorted(FINDINGS))
def test_search_counterexample_replays_clean(name, tmp_path):
    claim_id = "linearization." + name.split("/")[0]
    path = tmp_path / "draws.json"
    save_draws(str(path), claim_id, [tuple(d) for d in FINDINGS[name]])
    result = run_claim(claim_id, replay_path=str(path))
    assert result["status"] in ("pass", "not_applicable"), result["detail"]
    if result["status"] == "not_applicable":
        assert result["detail"]
    assert result["max_error"] is None or math.isfinite(result["max_error"])
    tol = result["tolerance"]["value"]
    assert (tol is None) == (result["status"] == "not_applicable") and (tol is None or math.isfinite(tol))
    json.dumps(result, allow_nan=False)


def test_entrywise_hankel_rank_sees_a_subnormal_scale_markov_parameter():
    # c_x = Dw = (0, 0, 1), b = (1, 0, 6.5e-289), A = −I: every Markov parameter is ±6.5e-289 ≠ 0,
    # so the McMillan degree is 1 in both frames (b_r = Db = (0, 0, 6.5e-289), c_r = w)
    b, w, d = np.array([1.0, 0.0, 6.495053047919427e-289]), np.array([0.0, 0.0, 1.0]), np.array([0.0, 1.0, 1.0])
    A = -np.eye(3)
    assert N.mp_hankel_rank_entrywise(A, b, w, c_scale=d).rank == 1
    assert N.mp_hankel_rank_entrywise(A, b, w, b_scale=d).rank == 1


def test_entrywise_krylov_rank_keeps_tiny_components():
    A = np.diag([-1.0, -2.0, -3.0])
    b = np.array([1.0, 1e-289, 1e-289])
    d = np.array([0.0, 1.0, 1.0])
    assert N.mp_krylov_rank_entrywise(A, b).rank == 3             # distinct eigenvalues, b ≠ 0 in each
    assert N.mp_krylov_rank_entrywise(A, b, b_scale=d).rank == 2  # D removes one direction
    # an exactly rank-deficient Krylov matrix stays deficient
    assert N.mp_krylov_rank_entrywise(np.eye(3), np.array([1.0, 2.0, 3.0])).rank == 1
    assert N.mp_hankel_rank_entrywise(np.eye(2), np.zeros(2), np.ones(2)).rank == 0


def test_entrywise_ranks_agree_with_exact_rational_ranks():
    rng = np.random.default_rng(5)
    for _ in range(6):
        ex = NS.g_exact(rng)
        Ax, Ar = -np.eye(ex.n) + ex.J * ex.d[None, :], -np.eye(ex.n) + ex.d[:, None] * ex.J
        exact = NS.exact_krylov_ranks(ex.J, ex.d, ex.b, ex.w)
        assert N.mp_krylov_rank_entrywise(Ax, ex.b).rank == exact["K_x"]
        assert N.mp_krylov_rank_entrywise(Ar, ex.b, b_scale=ex.d).rank == exact["K_r"]
        assert N.mp_hankel_rank_entrywise(Ax, ex.b, ex.w, c_scale=ex.d).rank == exact["H_x"]
        assert N.mp_hankel_rank_entrywise(Ar, ex.b, ex.w, b_scale=ex.d).rank == exact["H_r"]


def test_pow2_normalized_is_exact_and_keeps_relative_errors_bitwise():
    rng = np.random.default_rng(0)
    v = rng.standard_normal(5)
    s = pow2_normalized(v)
    assert 0.5 <= np.max(np.abs(s)) < 1.0
    ratio = s / v
    assert np.all(ratio == ratio[0]) and math.frexp(ratio[0])[0] == 0.5    # one power of two
    u = rng.standard_normal(5)
    assert abs(u @ s) / np.linalg.norm(s) == abs(u @ v) / np.linalg.norm(v)
    tiny = np.array([0.0, 2.2780831630053883e-246])
    assert np.linalg.norm(tiny) == 0.0 and np.linalg.norm(pow2_normalized(tiny)) > 0.5
    assert not np.any(pow2_normalized(np.zeros(3)))


class _Fixed:
    def __init__(self, value):
        self.value = np.asarray(value, float)

    def standard_normal(self, size=None):
        return self.value.copy()


def test_underflow_safe_directions_rescale_only_underflowing_draws():
    safe = _UnderflowSafeDirections(_Fixed([0.0, 4.1165475524536e-239]))
    xi = safe.standard_normal(2)
    assert np.linalg.norm(xi) > 0.5 and xi[0] == 0.0
    plain = [0.3, -1.2, 1e-200]
    assert np.array_equal(_UnderflowSafeDirections(_Fixed(plain)).standard_normal(3), plain)
