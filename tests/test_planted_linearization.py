"""Search has power on the linearization claims: realistic bugs planted in theory and numerics
(by monkeypatching one function) are found by ``rnnproof search`` and shrunk to a small instance.

Each test plants one bug, runs :func:`proofs_checks.search.search_claim` with a fixed Hypothesis
seed and a modest budget, and asserts a counterexample at small n. The search keeps no example
database here, so the tests are derandomized and independent of each other.
"""

import numpy as np
import pytest

from numerics import linearization as N
from numerics import linearization_singular as NS
from proofs_checks.claims.linearization import _checks
from proofs_checks.search import search_claim
from theory import linearization as T


def _found_small(record, max_n=3):
    assert record["found"], f"search missed the planted bug ({record['tried']} instances tried)"
    info = record["counterexample"]["info"]
    assert info.get("n", 0) <= max_n, f"not shrunk to n ≤ {max_n}: {info}"
    return record["counterexample"]


def test_transposed_activity_jacobian_is_found(monkeypatch):
    """A transpose: A_r = −I + (DJ)ᵀ instead of −I + DJ (numerics.linearization.jacobians)."""
    def jacobians(inst, gains=None):
        d = inst.gains if gains is None else np.asarray(gains, dtype=float)
        eye = np.eye(inst.n)
        return -eye + inst.J * d[None, :], -eye + (d[:, None] * inst.J).T

    monkeypatch.setattr(N, "jacobians", jacobians)
    cx = _found_small(search_claim("linearization.intertwining", budget=60, seed=0))
    assert cx["kind"] == "fail" and cx["info"]["n"] == 2


def test_leaky_gain_on_the_wrong_side_is_found(monkeypatch):
    """A product in the wrong order: J_r = (1−α)I + αJD in the activity frame (the gain at the
    wrong point), in numerics.linearization_singular.leaky_jacobians."""
    right = NS.leaky_jacobians

    def leaky_jacobians(J, gains, alpha):
        Jx, _ = right(J, gains, alpha)
        return Jx, Jx.copy()

    monkeypatch.setattr(NS, "leaky_jacobians", leaky_jacobians)
    _found_small(search_claim("linearization.discrete_leaky", budget=60, seed=0))


def test_transposed_theory_activity_jacobian_is_found(monkeypatch):
    """A transpose on the theory side: A_r = −I + DJᵀ (the J_ij convention, weight j → i, read
    the wrong way round); the lambdified Jacobian then disagrees with the finite-difference
    Jacobian of the activity field. The cache of lambdified Jacobians is cleared around it."""
    right = T.activity_jacobian
    monkeypatch.setattr(T, "activity_jacobian", lambda Jm, gains: right(Jm.T, gains))
    _checks._jacobian_functions.cache_clear()
    try:
        _found_small(search_claim("linearization.two_linearizations", budget=60, seed=0))
    finally:
        _checks._jacobian_functions.cache_clear()


def test_selection_modulation_sign_is_found(monkeypatch):
    """A sign: mod_sel = −b̄·Δs in numerics.linearization_singular.selection_split."""
    def selection_split(s1, b1, s2, b2):
        s1, b1, s2, b2 = (np.asarray(v, float) for v in (s1, b1, s2, b2))
        mod_inp = float((b1 - b2) @ ((s1 + s2) / 2))
        mod_sel = float(((b1 + b2) / 2) @ (s2 - s1))
        return mod_inp, mod_sel, float(s1 @ b1 - s2 @ b2)

    monkeypatch.setattr(NS, "selection_split", selection_split)
    _found_small(search_claim("linearization.selection_decomposition", budget=60, seed=0))


@pytest.mark.parametrize("claim_id", ["linearization.intertwining", "linearization.discrete_leaky",
                                      "linearization.two_linearizations",
                                      "linearization.selection_decomposition"])
def test_search_finds_nothing_without_a_bug(claim_id):
    record = search_claim(claim_id, budget=30, seed=0)
    assert not record["found"], record["counterexample"]
