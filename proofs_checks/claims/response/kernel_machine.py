"""The kernel machine: readout-only ridge training is kernel ridge regression.

Claims of Lim 2021, JMLR 22(47) (arXiv:2006.11052); the statements are the toolkit's
reconstruction (see :data:`proofs_checks.claims.response._checks.NOTE`).
"""

from __future__ import annotations


import numpy as np

from numerics import InputError
from numerics import response as N
from proofs_checks.registry import Proof, Sides, Tolerance, annotate
from theory import response as T

from ._checks import EPS, _claim, _is_zero, _n, _order_check, _searching
from ._instances import _contracting, _designed, _sinusoids


def _kernel_numeric(ctx):
    from sklearn.kernel_ridge import KernelRidge
    from sklearn.linear_model import Ridge
    for rng in ctx.instances(_n(ctx, 1)):
        model = _contracting(rng, quadratic=False)
        n = model.n
        hs, _ = N.fixed_point(model)
        # Under a search 6 training and 2 test inputs (each feature is one ODE solve); the
        # tolerance below is computed from the instance's own N and κ.
        count, tests = (6, 2) if _searching(ctx) else (20, 6)
        T_ = 2.0
        feats = []
        for _ in range(count + tests):
            inp = _sinusoids(rng, model.m, T=T_)
            h = N.ode_outputs(model.replace(A=np.eye(n), Q=None, d=None), hs, inp, [1.0], rtol=1e-10, atol=1e-12)[0, -1]
            feats.append(np.concatenate([h, [1.0]]))
        Phi = np.array(feats)
        y = Phi[:count] @ rng.standard_normal(n + 1) + 0.01 * rng.standard_normal(count)
        Kt = Phi[:count] @ Phi[:count].T
        lam = 1e-6 * np.trace(Kt) / count
        primal = Ridge(alpha=lam, fit_intercept=False, solver="cholesky").fit(Phi[:count], y).predict(Phi[count:])
        dual = KernelRidge(alpha=lam, kernel="precomputed").fit(Kt, y).predict(Phi[count:] @ Phi[:count].T)
        beta = N.kernel_ridge(Kt, y, lam)
        mine = (Phi[count:] @ Phi[:count].T) @ beta
        if not np.any(y):
            # Zero targets (e.g. all-zero draws): each route solves a system with a zero right-hand
            # side, so every prediction is exactly 0 and there is no relative error to compare.
            ctx.require(not (np.any(primal) or np.any(dual) or np.any(mine)), "y ≡ 0: every ridge route predicts exactly 0")
            continue
        # relative to the largest prediction; absolute if every prediction is 0 (y ≠ 0, so β ≠ 0)
        scale = np.max(np.abs(primal)) or 1.0
        # Each route solves a λ-regularised system with condition number κ = cond(K + λI) (the primal
        # system ΦᵀΦ + λI has the same nonzero spectrum plus λ): forward error ≤ c·N·ε·κ·‖β‖, seen
        # through the test kernel rows.
        kappa = np.linalg.cond(Kt + lam * np.eye(count))
        tol = 10 * count * EPS * kappa * np.linalg.norm(Phi[count:] @ Phi[:count].T, 2) * np.linalg.norm(beta) / scale
        ctx.record(np.max(np.abs(primal - dual)) / scale, tol, check="readout ridge = kernel ridge (sklearn)", kappa=kappa)
        ctx.record(np.max(np.abs(mine - primal)) / scale, tol, check="numerics.kernel_ridge = readout ridge", kappa=kappa)
    # Phi(eps u) against the truncated signature functional h* + eps <Q_t, S(X)> (N = 1, P from the
    # psi-tail bound): the residual is the eps-truncation eps^2 Y2 + ..., so it quarters when eps halves
    rng = ctx.rng(300)
    model, hs = _designed(rng, m=2, quadratic=False)
    t = min(1.5, 3.0 / np.linalg.norm(model.jacobian(hs), 2))
    # Under a search one drawn feature j (each is two ODE solves and a signature).
    for j in ([int(rng.integers(0, model.n))] if _searching(ctx) else range(model.n)):
        feat = model.replace(A=np.eye(model.n)[j:j + 1])
        inp = _sinusoids(rng, 2, T=t)
        Q1, _ = N.feature_coefficients(feat, hs, t, 30)
        # Under a search Chebyshev degree 60 (120 otherwise): the integrands s^p/p!·u(s), p ≤ 30,
        # t ≤ 1.5, frequencies ≤ 3, are resolved to rounding well below degree 60.
        S1, _ = N.x_signature_levels(inp, t, 30, deg=60 if _searching(ctx) else 120)
        lin = float((Q1 * S1).sum())
        res = [abs(N.ode_outputs(feat, hs, inp, [e])[0, -1, 0] - hs[j] - e * lin) for e in (0.02, 0.01)]
        _order_check(ctx, res, 2.0, 2, "Φ_j vs truncated signature functional", floor=1e-11, feature=j)
    try:
        N.kernel_ridge(np.ones((3, 3)), np.ones(3), 0.0)
        ctx.require(False, "singular K with ridge 0 rejected")
    except InputError as exc:
        ctx.require("ridge" in str(exc), "singular K with ridge 0 rejected naming ridge")


_claim("kernel_machine", "Readout-only ridge training = kernel ridge with k = ⟨S, 𝒬S⟩",
       ("hidden weights fixed; readout linear in α", "λ ≥ 1e-8 tr K/N"),
       Tolerance("ridge routes: 10·N·ε·κ(K + λI)·‖K_test‖‖β‖ relative; truncated functional: observed order of the residual ≥ 2 − 1/2",
                 "two λ-regularised solves lose log₁₀κ digits each; the truncated functional misses ε²Y₂, so its residual is O(ε²) (a wrong first-order term leaves O(ε))", kind="roundoff+truncation"),
       _kernel_numeric,
       lambda: Proof(_is_zero(T.push_through_check()) and _is_zero(T.noise_regulariser_check()),
                     "push-through (ΦᵀΦ+λI)Φᵀ = Φᵀ(ΦΦᵀ+λI); E(y−αᵀφ)² = (y−αᵀΦ)² + αᵀCov α"),
       note="Φ(u) = E φ(h_T) from exact ODEs (σ = 0); its signature form is response_feature_expansion. "
            "The untruncated RKHS inclusion (weighted signature kernel) is a note, not checked. "
            "Under rnnproof search the ridge routes use 6 training and 2 test inputs (20 and 6 otherwise) "
            "and the truncated functional one drawn feature with Chebyshev degree 60 (120 otherwise).", prov="P+R")


# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces
# the numeric checks and fails on a call into theory that is not listed as lambdified).
_SIDES = {
    "response.kernel_machine": Sides(
        symbolic=("theory.response.push_through_check", "theory.response.noise_regulariser_check"),
        numeric=("numerics.response.fixed_point", "numerics.response.ode_outputs", "numerics.response.kernel_ridge", "numerics.response.design_bias", "numerics.response.spectral_abscissa", "numerics.response.feature_coefficients", "numerics.response.x_signature_levels"),
    ),
}
for _id, _sides in _SIDES.items():
    annotate(_id, sides=_sides)
