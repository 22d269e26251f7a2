"""Planted bugs in the unitary paper's theory and numerics: ``rnnproof search`` finds each one and
shrinks it to a small instance (search power, not luck). Each bug is a realistic slip planted by
monkeypatching one function; the search seed is fixed, so the tests are deterministic."""

import numpy as np
import pytest

import numerics.unitary as N
import theory.unitary as T
from proofs_checks.search import search_claim


def _found_small(claim_id, budget=60, seed=0, max_n=3):
    record = search_claim(claim_id, budget=budget, seed=seed)
    assert record["found"], record
    cx = record["counterexample"]
    assert cx["kind"] == "fail", cx  # a wrong verdict, not a crash
    assert cx["info"].get("n", cx["info"].get("m", 0)) <= max_n, cx["info"]
    return cx


def test_sign_of_the_bottom_right_block(monkeypatch):
    """Halmos dilation with +Wᵀ instead of −Wᵀ in the (2, 2) block (a sign)."""
    original = N.halmos_dilation

    def planted(W, method="svd", tol=1e-12, _svd=None):
        Wt, info = original(W, method, tol, _svd)
        n = Wt.shape[0] // 2
        Wt[n:, n:] = -Wt[n:, n:]
        return Wt, info

    monkeypatch.setattr(N, "halmos_dilation", planted)
    _found_small("unitary.halmos_dilation", max_n=1)  # shows as soon as W ≠ 0, at n = 1


def test_state_bound_without_the_bias(monkeypatch):
    """c = ‖F‖₂M, the ‖b‖₂ term forgotten: the bound u_k is too small."""
    original = N.state_bound
    monkeypatch.setattr(N, "state_bound", lambda W, F, b, h0, M, norm="2", rho=None:
                        original(W, F, None, h0, M, norm, rho))
    _found_small("unitary.state_bound", max_n=3)


def test_state_bound_exponent_off_by_one(monkeypatch):
    """u_k = ρ^{k+2}‖h₋₁‖ + c(1 − ρ^{k+2})/(1 − ρ) in the symbolic closed form (an off-by-one
    exponent): too small exactly when the state starts above c/(1 − ρ)."""
    from proofs_checks.claims.unitary import _checks
    original = T.state_bound_recurrence

    def planted():
        sb = dict(original())
        sb["u_closed"] = sb["u_closed"].subs(sb["k"], sb["k"] + 1)
        return sb

    monkeypatch.setattr(T, "state_bound_recurrence", planted)
    for cached in (_checks._state_bound, _checks._u_fn, _checks._u1_fn):
        cached.cache_clear()  # the lambdified closed form is cached per process
    try:
        _found_small("unitary.state_bound", budget=100, max_n=3)
    finally:
        monkeypatch.undo()
        for cached in (_checks._state_bound, _checks._u_fn, _checks._u1_fn):
            cached.cache_clear()


def test_square_root_missing_a_factor(monkeypatch):
    """√(1 − σ) instead of √((1 − σ)(1 + σ)) in the dilation's off-diagonal blocks (a missing
    factor). It is exact at σ = 0 and σ = 1, so the W = 0 and ‖W‖₂ = 1 edges miss it; a search
    must find a singular value strictly inside (0, 1)."""
    monkeypatch.setattr(N, "_sqrt_one_minus_sq", lambda s: np.sqrt(np.clip(1.0 - s, 0.0, None)))
    _found_small("unitary.halmos_dilation", max_n=1)


@pytest.mark.parametrize("claim_id", ["unitary.halmos_dilation", "unitary.state_bound"])
def test_the_correct_code_survives_the_same_search(claim_id):
    """The same searches find nothing on the unplanted code (the tests above are not vacuous)."""
    assert not search_claim(claim_id, budget=60, seed=0)["found"]


def test_relaxed_contractivity_gives_a_small_counterexample():
    """``--relax contractivity``: an expansive network whose outputs grow geometrically, which no
    ReLU URNN of any size matches, found on a small instance."""
    record = search_claim("unitary.relu_equivalence_2n", budget=100, seed=0, relax="contractivity")
    assert record["found"] and record["counterexample"]["kind"] == "fail", record
    info = record["counterexample"]["info"]
    assert info.get("n", info.get("m")) <= 3, info
