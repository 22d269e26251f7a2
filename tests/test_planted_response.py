"""Search has power on the response claims: realistic bugs planted in theory or numerics (by
monkeypatching one function) are found by ``rnnproof search`` within a modest budget and shrunk to
a small instance. Each search is derandomized (fixed Hypothesis seed, no example database)."""

import numpy as np
import pytest
import sympy as sp

from numerics import response as N
from numerics import signatures as SG
from numerics.response import activation_derivatives
from proofs_checks.search import search_claim
from theory import response as T


def _found(claim_id, budget=40, seed=0):
    record = search_claim(claim_id, budget=budget, seed=seed)
    assert record["found"], f"{claim_id}: the planted bug was not found ({record['tried']} instances)"
    return record["counterexample"]


def test_jacobian_with_the_gain_on_the_wrong_side(monkeypatch):
    """DF(h) = −Γ + W·diag(a') (the gain applied after W instead of before): equal for n = 1, so the
    smallest counterexample has n = 2."""
    def jacobian(self, h):
        z = self.W @ np.asarray(h, float) + self.b
        return -self.Gamma + self.W * activation_derivatives(self.activation, z, 1)[1][None, :]
    monkeypatch.setattr(N.SRNN, "jacobian", jacobian)
    cx = _found("response.fixed_point_design")
    assert cx["kind"] == "fail" and cx["info"]["n"] <= 3, cx


def test_forward_kernel_with_the_lags_swapped(monkeypatch):
    """The forward (density) form propagates by τ₁ first instead of τ₂: K⁽²⁾ forward ≠ backward."""
    import scipy.linalg as sla

    def chain_kernel2(G, B, pi, f, tau1, tau2, form="backward"):
        E1, E2 = sla.expm(tau1 * np.asarray(G, float)), sla.expm(tau2 * np.asarray(G, float))
        if form == "backward":
            return float(pi @ (B @ (E2 @ (B @ (E1 @ f)))))
        return float(pi @ B @ E1 @ B @ E2 @ f)
    monkeypatch.setattr(N, "chain_kernel2", chain_kernel2)
    cx = _found("response.volterra_series")
    assert cx["kind"] == "fail" and cx["info"]["states"] == 3, cx   # the smallest chain drawn


@pytest.mark.skipif(not SG.have_backend(), reason="no signature backend (roughpy) installed")
def test_chen_product_in_the_wrong_order(monkeypatch):
    """(a ⊗ b)_k = Σ b_{k−i} ⊗ a_i: the factors of Chen's product swapped (equal when d = 1 or when
    the pieces commute), so the check needs two channels and two pieces."""
    def tensor_product(a, b, depth=None):
        depth = len(a) - 1 if depth is None else depth
        out = []
        for k in range(depth + 1):
            acc = sum(np.multiply.outer(np.asarray(b[k - i]), np.asarray(a[i])) for i in range(k + 1))
            out.append(acc if k else float(acc))
        return out
    monkeypatch.setattr(SG, "tensor_product", tensor_product)
    cx = _found("response.signature_chen")
    assert cx["kind"] in ("fail", "error") and cx["info"].get("d", 2) == 2, cx


def test_designed_jacobian_missing_the_square(monkeypatch):
    """theory: J = −Γ + diag(1 − T)W instead of diag(1 − T²)W (a missing power): right at h* = 0,
    wrong as soon as Γh* ≠ 0 and W ≠ 0 (the search shrinks it to n ≤ 3)."""
    original = T.designed_fixed_point

    def designed_fixed_point(Gamma, W, h_star):
        out = dict(original(Gamma, W, h_star))
        Tm = sp.Matrix(Gamma) * sp.Matrix(h_star)
        out["J"] = -sp.Matrix(Gamma) + sp.diag(*[1 - abs(t) for t in Tm]) * sp.Matrix(W)
        return out
    monkeypatch.setattr(T, "designed_fixed_point", designed_fixed_point)
    cx = _found("response.fixed_point_design")
    assert cx["kind"] == "fail" and cx["info"]["n"] <= 3, cx
