"""Planted bugs in the geometry paper's theory and numerics: `rnnproof search` finds each one and
shrinks it to a small instance.

Each test monkeypatches one function of ``theory.geometry`` or ``numerics.geometry`` with a
realistic mistake (a gain taken at the wrong point, a transpose, an off-by-one exponent, a
missing centring, a sign), runs :func:`proofs_checks.search.search_claim` with a fixed seed and a
budget of at most 100, and asserts that a counterexample is found whose network has at most
3 units (or, for the participation ratio, data of dimension at most 3). The docstring of each
test says whether the seeded quick ``rnnproof run`` also catches the bug.
"""

import numpy as np
import pytest
import sympy

from numerics import geometry as N
from proofs_checks.claims.geometry import bptt as bptt_claims
from proofs_checks.claims.geometry import origin as origin_claims
from proofs_checks.runner import run_claim
from proofs_checks.search import search_claim
from theory import geometry as T


def _found_small(record, size_key="H", limit=3):
    assert record["found"], record
    info = record["counterexample"]["info"]
    assert record["counterexample"]["kind"] == "fail", record["counterexample"]
    # A failure of a fixed-size check (e.g. the InputError cases) carries no size: it is small.
    assert info.get(size_key, 0) <= limit, info
    return info


@pytest.fixture
def fresh_lambdified():
    """The claims cache their lambdified SymPy results; a planted theory bug needs fresh ones."""
    caches = (origin_claims._jacobian_fn, origin_claims._bound_fn)
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


def test_jacobian_taken_at_the_origin(monkeypatch, fresh_lambdified):
    """Df(h) evaluated at h = 0 instead of at h (a gain at the wrong point): diag(1 − tanh²(W·0))W = W.
    The symbolic side (which works at h = 0) still proves; the lambdified Jacobian at random h
    differs from finite differences. The seeded quick run catches it too."""
    correct = T.autonomous_jacobian
    monkeypatch.setattr(T, "autonomous_jacobian", lambda W, h: correct(W, sympy.zeros(W.rows, 1)))
    record = search_claim("geometry.zero_state_fixed_point", budget=100, seed=0)
    _found_small(record)


def test_bptt_weight_gradient_transposed(monkeypatch):
    """∂W returned as (Σ a_t h_{t−1}ᵀ)ᵀ (a transpose): wrong for every H ≥ 2 with W non-symmetric.
    The seeded quick run catches it too."""
    core = N._bptt

    def transposed(*args):
        loss, grads = core(*args)
        return loss, dict(grads, W=grads["W"].T)

    monkeypatch.setattr(N, "_bptt", transposed)
    bptt_claims._symbolic_grad_fn.cache_clear()
    record = search_claim("geometry.bptt_gradient", budget=100, seed=0)
    _found_small(record)


def test_contraction_bound_exponent_off_by_one(monkeypatch, fresh_lambdified):
    """‖W‖₂^(t+1)‖h₀‖ instead of ‖W‖₂ᵗ‖h₀‖ (an off-by-one exponent: a bound too small, already at
    t = 0). The seeded quick run catches it too."""
    monkeypatch.setattr(T, "contraction_bound", lambda W_norm, t, h0_norm: W_norm ** (t + 1) * h0_norm)
    record = search_claim("geometry.origin_stability", budget=100, seed=0)
    _found_small(record)


def test_participation_ratio_without_centring(monkeypatch):
    """The covariance of uncentred data (a missing step): PR is no longer translation invariant and
    differs from the SVD route of the centred data. Shows for d ≥ 2 (for d = 1, PR = 1 whatever
    the covariance). The seeded quick run catches it too."""
    def uncentred(states):
        X = np.asarray(states, dtype=float)
        if X.ndim != 2 or X.shape[0] < 2:
            raise N.InputError("states must be an (n, d) array with n >= 2 samples")
        mu = np.clip(np.linalg.eigvalsh(X.T @ X / (X.shape[0] - 1)), 0.0, None)
        s2 = float(np.sum(mu ** 2))
        if s2 == 0.0:
            raise N.InputError("states have zero covariance")
        return float(np.sum(mu)) ** 2 / s2

    monkeypatch.setattr(N, "participation_ratio", uncentred)
    record = search_claim("geometry.participation_ratio", budget=100, seed=0)
    _found_small(record, size_key="d")


def test_input_drive_sign(monkeypatch):
    """h_t = tanh(W h_{t−1} − U x_t) (a sign): the prepend invariance still holds (both runs share
    the bug), but the numpy recurrence no longer matches the lambdified SymPy unrolling.
    The seeded quick run catches it too."""
    core = N.rnn_states

    def flipped(W, U, x, b=None, h0=None):
        return core(W, -np.asarray(U), x, b=b, h0=h0)

    monkeypatch.setattr(N, "rnn_states", flipped)
    record = search_claim("geometry.prepend_zero_invariance", budget=100, seed=0)
    _found_small(record)


@pytest.mark.parametrize("claim_id", ["geometry.zero_state_fixed_point", "geometry.bptt_gradient",
                                      "geometry.origin_stability", "geometry.participation_ratio"])
def test_correct_code_passes_the_same_searches(claim_id):
    """The searches above find nothing on the correct code (so each test's failure is the bug's)."""
    record = search_claim(claim_id, budget=30, seed=0)
    assert not record["found"], record["counterexample"]
