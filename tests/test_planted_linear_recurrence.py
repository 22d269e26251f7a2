"""Search has power on the linear-recurrence claims: realistic bugs planted in ``numerics`` and
``theory`` are found by ``rnnproof search`` with a modest budget and shrunk to small instances.

Each test monkeypatches one function the claims use (not the claim itself) and searches with a
fixed Hypothesis seed, so the tests are derandomised."""

import numpy as np
import pytest

from numerics import linear_recurrence as NL
from numerics.errors import InputError
from numerics import vandermonde as NV
from proofs_checks.claims.linear_recurrence import _checks
from proofs_checks.search import search_claim
from theory import linear_recurrence as T

BUDGET = 60


def _found(claim_id, **kwargs):
    record = search_claim(claim_id, budget=BUDGET, seed=0, **kwargs)
    assert record["found"], record
    return record["counterexample"]


def test_decreasing_powers_in_the_state_matrix(monkeypatch):
    """numpy.vander's default order (decreasing powers) instead of V_{n,j} = λ_n^j."""
    monkeypatch.setattr(NL, "state_matrix",
                        lambda nodes, L, b=None: (np.vander(NV.as_nodes(nodes), L) if b is None
                                                  else np.asarray(b)[:, None] * np.vander(NV.as_nodes(nodes), L)))
    c = _found("linear_recurrence.vandermonde_factorization")
    assert c["kind"] == "fail" and c["info"]["L"] == 2, c   # the bug needs two powers


def test_sign_in_bjorck_pereyra_stage_two(monkeypatch):
    """Newton-to-monomial stage with c_i + λ_k c_{i+1} instead of c_i − λ_k c_{i+1}."""
    def planted(nodes, f):
        x = NV.as_nodes(nodes)
        c = np.array(f, dtype=np.result_type(x.dtype, np.asarray(f).dtype, float), copy=True)
        n = x.size
        if np.unique(x).size != n:
            raise InputError("nodes must be distinct")
        perm = NV.leja_order(x)
        x, c = x[perm], c[perm]
        for k in range(1, n):
            c[k:] = (c[k:] - c[k - 1:n - 1]) / (x[k:] - x[:n - k])
        for k in range(n - 2, -1, -1):
            c[k:n - 1] = c[k:n - 1] + x[k] * c[k + 1:n]
        return c
    monkeypatch.setattr(NV, "bjorck_pereyra", planted)
    c = _found("linear_recurrence.high_precision_reconstruction")
    assert c["kind"] == "fail" and c["info"]["n"] <= 3, (c["info"], c["draws"][:6])


def test_off_by_one_exponent_in_the_derived_condition_number(monkeypatch):
    """κ₂ = r^{−L} instead of r^{−(L−1)} (an off-by-one power in the theory's closed form)."""
    original = T.shrunk_roots_cond
    monkeypatch.setattr(T, "shrunk_roots_cond", lambda: original().subs(T.L, T.L + 1))
    _checks.shrunk_cond_fn.cache_clear()
    try:
        c = _found("linear_recurrence.shrunk_roots_cond")
    finally:
        monkeypatch.undo()
        _checks.shrunk_cond_fn.cache_clear()
    assert c["kind"] == "fail" and c["info"]["L"] <= 3, c


def test_half_shifted_roots_without_the_half_shift(monkeypatch):
    """Upper half of the L-th roots of unity, e^{2πik/L}, instead of the roots of −1, e^{iπ(2k+1)/L}."""
    def planted(L, r=1.0):
        return r * np.exp(2j * np.pi * np.arange((L + 1) // 2) / L)
    monkeypatch.setattr(NL, "half_shifted_roots", planted)
    c = _found("linear_recurrence.real_dof_counting")
    assert c["kind"] == "fail" and c["info"].get("L", 2) <= 4, c


def test_ring_sampler_without_the_square_root(monkeypatch):
    """|λ|² uniform on [r_min², r_max²] needs |λ| = √s; the planted sampler returns |λ| = s."""
    def planted(rng, N, r_min, r_max, max_phase=2 * np.pi):
        u1, u2 = rng.uniform(size=N), rng.uniform(size=N)
        s = u1 * (r_max ** 2 - r_min ** 2) + r_min ** 2
        return s * np.exp(1j * max_phase * u2)
    monkeypatch.setattr(NL, "ring_sample", planted)
    c = _found("linear_recurrence.ring_sampling")
    assert c["kind"] == "fail", c


def test_powers_in_log_space_break_at_a_zero_node(monkeypatch):
    """λʲ as exp(j log λ) (log-space powers, to dodge overflow): NaN at λ = 0, where λ⁰ = 1.

    The seeded run never draws a node exactly 0 (it passes); the search reaches it."""
    def planted(nodes, L, b=None):
        x = NV.as_nodes(nodes).astype(complex)
        with np.errstate(all="ignore"):
            M = np.exp(np.arange(L)[None, :] * np.log(x)[:, None])
        return M if b is None else np.asarray(b)[:, None] * M
    monkeypatch.setattr(NL, "state_matrix", planted)
    c = _found("linear_recurrence.vandermonde_factorization")
    assert c["kind"] == "fail" and c["info"]["N"] <= 3 and c["info"]["L"] <= 3, c
