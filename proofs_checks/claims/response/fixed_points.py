"""Setting and fixed points: contraction, dissipativity, inverse design of h*.

Claims of Lim 2021, JMLR 22(47) (arXiv:2006.11052); the statements are the toolkit's
reconstruction (see :data:`proofs_checks.claims.response._checks.NOTE`).
"""

from __future__ import annotations


import math

import numpy as np

from numerics import response as N
from proofs_checks.registry import NotApplicable, Sides, Tolerance, annotate
from theory import response as T

from ._checks import EPS, _claim, _proof, _searching, _user_model
from ._instances import _contracting, _designed


RELAX_CONTRACTION = "L‖W‖₂ < γ_min"


def _contraction_numeric(ctx):
    for rng in ctx.instances():
        if RELAX_CONTRACTION in ctx.relaxed:
            _contraction_relaxed(ctx, rng)
            continue
        model = _contracting(rng)
        ctx.edge("n = 1", model.n == 1)
        ctx.edge("zero gain W = 0", not np.any(model.W))
        ctx.edge("L‖W‖₂ ≥ 0.8·γ_min (near the contraction limit)",
                 np.linalg.norm(model.W, 2) >= 0.8 * np.min(np.diag(model.Gamma)))
        _contraction_check(ctx, model, rng)


def _contraction_relaxed(ctx, rng):
    """``--relax "L‖W‖₂ < γ_min"``: W = κγ_min G/‖G‖₂ with κ ∈ [1, 4], and the conclusion checked
    is uniqueness: trajectories from several starts that settle (|F| ≤ 1e-9 at T = 60) all settle
    at the same point."""
    from scipy.integrate import solve_ivp
    model = _contracting(rng, kappa=(1.0, 4.0))
    ends = []
    for _ in range(4):
        h0 = 3 * rng.standard_normal(model.n)
        end = solve_ivp(lambda t, h: model.drift(h), (0, 60), h0, method="LSODA", rtol=1e-10, atol=1e-12).y[:, -1]
        if np.max(np.abs(model.drift(end))) <= 1e-9:
            ends.append(end)
    if len(ends) < 2:
        ctx.skip("fewer than two trajectories settled at a fixed point by T = 60")
        return
    spread = max(np.linalg.norm(a - b) for a in ends for b in ends)
    ctx.record(spread, 1e-6, check="every settled trajectory ends at the same fixed point", n=model.n,
               ends=[e.tolist() for e in ends])

def _contraction_network(ctx, spec):
    model = _user_model(spec)
    if model.activation not in ("tanh", "sigmoid", "softplus", "linear"):
        raise NotApplicable(f"activation {model.activation} not covered")
    L = {"tanh": 1.0, "sigmoid": 0.25, "softplus": 1.0, "linear": 1.0}[model.activation]
    kappa = N.log_norm_bound(model.Gamma, model.W, L)
    if kappa <= 0:
        raise NotApplicable(f"contraction hypothesis fails: γ_min − L‖W‖₂ = {kappa:.4g} ≤ 0 (a unique fixed point "
                            "may still exist, but it is not certified)")
    _contraction_check(ctx, model, ctx.rng(), L)


def _contraction_check(ctx, model, rng, L=1.0):
    from scipy.integrate import solve_ivp
    kappa = N.log_norm_bound(model.Gamma, model.W, L)
    # The margin itself: κ = λ_min(sym Γ) − L·σ_max(W), σ_max from the SVD (the sampled μ₂ check
    # below is rarely tight, so a wrong norm would pass it).
    sym_min = float(np.linalg.eigvalsh(0.5 * (model.Gamma + model.Gamma.T)).min())
    sigma_max = float(np.linalg.svd(model.W, compute_uv=False).max())
    ctx.record(abs(kappa - (sym_min - L * sigma_max)), 8 * EPS * (abs(sym_min) + L * sigma_max),
               check="κ = λ_min(sym Γ) − L‖W‖₂ (SVD)")
    # Under a search 40 + 5 sample points and 2 starts (200 + 5 and 5 otherwise).
    samples, starts = (40, 2) if _searching(ctx) else (200, 5)
    hs = np.concatenate([3 * rng.standard_normal((samples, model.n)), 1e3 * rng.standard_normal((5, model.n))])
    lam = max(np.linalg.eigvalsh(0.5 * (model.jacobian(h) + model.jacobian(h).T)).max() for h in hs)
    ctx.record(max(lam + kappa, 0.0), 1e-12, check="mu2(DF(h)) <= -kappa", kappa=kappa, n=model.n)
    h_star, J = N.fixed_point(model)
    ctx.record(np.max(np.abs(model.drift(h_star))), 1e-13 * (1 + np.max(np.abs(model.Gamma @ h_star))),
               check="Newton residual")
    ctx.record(max(N.spectral_abscissa(J) + kappa, 0.0), 1e-12, check="Re eig(J) <= -kappa")
    worst = 0.0
    for _ in range(starts):
        h0 = h_star + rng.standard_normal(model.n) * 2
        ts = np.linspace(0, 8, 81)
        sol = solve_ivp(lambda t, h: model.drift(h), (0, 8), h0, method="DOP853", t_eval=ts, rtol=1e-12, atol=1e-14)
        dist = np.linalg.norm(sol.y.T - h_star, axis=1)
        worst = max(worst, float(np.max(dist - np.exp(-kappa * ts) * np.linalg.norm(h0 - h_star))))
    ctx.record(max(worst, 0.0), 1e-9, check="envelope e^{-kappa t}")


_claim("contraction_fixed_point", "Log-norm contraction gives a unique, globally exponentially stable fixed point",
       ("Γ has symmetric part ⪰ γ_min I, γ_min > 0", "sup|a'| ≤ L (L = 1 for tanh)", "L‖W‖₂ < γ_min"),
       Tolerance("1e-12 on μ₂ and Re λ(J); Newton residual ≤ 1e-13(1+‖Γh*‖); envelope slack 1e-9; κ vs SVD 8ε(|λ_min| + L‖W‖₂)",
                 "eigvalsh and Newton are backward stable; DOP853 at rtol 1e-12", kind="roundoff+truncation"),
       _contraction_numeric, lambda: _proof(T.jacobian_check(2), "DF(h) = −Γ + diag(a'(Wh+b))W by jacobian, n = 2, generic a"),
       network=_contraction_network,
       note="Under rnnproof search μ₂ is sampled at 45 points instead of 205 and the envelope from 2 starts instead of 5.",
       relaxable={RELAX_CONTRACTION: "draws L‖W‖₂ ∈ [γ_min, 4γ_min] and checks that every trajectory settles at "
                                     "one fixed point (a bistable network has two)"})


def _dissipativity_numeric(ctx):
    import scipy.linalg as sla
    for rng in ctx.instances():
        n = int(rng.integers(1, 4))
        G = np.diag(rng.uniform(0.5, 2.0, n)) + 0.3 * rng.standard_normal((n, n))
        if np.min(np.linalg.eigvals(G).real) <= 0.05:
            ctx.skip("Γ not positive stable after the off-diagonal draw")
            continue
        W = rng.standard_normal((n, n))
        sig = rng.standard_normal((n, n)) * 0.5
        model = N.SRNN(Gamma=G, W=W, b=rng.uniform(-0.5, 0.5, n), C=np.zeros((n, 1)), sigma=sig, A=np.eye(n))
        P = sla.solve_continuous_lyapunov(G.T, np.eye(n))       # G^T P + P G = I
        ctx.record(np.max(np.abs(P @ G + G.T @ P - np.eye(n))), 1e-12, check="Lyapunov residual")
        lmax = np.linalg.eigvalsh(P).max()
        alpha = 1 / (2 * lmax)
        beta = 2 * n * np.linalg.norm(P, 2) ** 2 + np.trace(P @ model.Sigma())
        hs = np.concatenate([rng.standard_normal((9000, n)) * 3, rng.standard_normal((1000, n)) * 1e3])
        F = model.drift(hs)
        L0V = 2 * np.einsum("ki,ij,kj->k", F, P, hs) + np.trace(P @ model.Sigma())
        V = np.einsum("ki,ij,kj->k", hs, P, hs)
        excess = L0V - (-alpha * V + beta)
        scale = 1e-12 * (1 + np.abs(V) * np.linalg.norm(P, 2) + np.abs(L0V))
        ctx.record(float(np.max(excess / scale)), 1.0, check="L0 V <= -alpha V + beta (scaled by roundoff)",
                   alpha=alpha, beta=beta)


_claim("dissipativity", "Quadratic Lyapunov drift bound L₀V ≤ −αV + β (existence of ρ∞)",
       ("Γ positive stable", "|a(z)| ≤ 1 componentwise (tanh)", "P ≻ 0 solves PΓ + ΓᵀP = I"),
       Tolerance("residual ≤ 1e-12; drift excess ≤ 1e-12(1 + |V|‖P‖ + |L₀V|)",
                 "one Lyapunov solve; the inequality is checked up to the rounding of the quadratic forms", kind="roundoff"),
       _dissipativity_numeric,
       lambda: _proof(list(T.dissipativity_check()), "L₀V expanded with the Lyapunov solution (n = 2); Young step as a square"),
       note="Uniqueness and exponential ergodicity under A3 (Harris-type argument) are not checked.")


# Suprema of the tanh derivatives over ℝ, as polynomials in t = tanh z ∈ (−1, 1):
# tanh″ = −2t(1−t²) peaks at t² = 1/3; tanh''' = (1−t²)(6t²−2) peaks at t = 0 (value −2);
# tanh'''' = 8t(1−t²)(2−3t²) peaks at t² = (15 − √105)/30.
_TANH_D2_SUP = 4 / (3 * math.sqrt(3))
_TANH_D3_SUP = 2.0
_T4_PEAK = (15 - math.sqrt(105)) / 30
_TANH_D4_SUP = 8 * math.sqrt(_T4_PEAK) * (1 - _T4_PEAK) * (2 - 3 * _T4_PEAK)


def _argument_rounding(model, h, direction, step):
    """|fl(z) − z| componentwise for z = W(h ± step·direction) + b: the shift, the n-term product and the
    bias each round (claim response.fixed_point_design)."""
    n = model.n
    shifted = np.abs(h) + step * np.abs(direction)
    return (n + 2) * EPS * (np.abs(model.W) @ shifted + np.abs(model.b))


def _jacobian_difference_bound(model, h, step):
    """Error of (F(h + s e_j) − F(h − s e_j))/(2s) as an estimate of DF(h) e_j, entrywise: the
    truncation s²/6 · sup|tanh'''| · |W_ij|³ (Taylor remainder along s·W e_j) plus the rounding of the
    two drift evaluations (−Γh with n terms; tanh(z) with ε plus sup|tanh′| = 1 times the argument
    error), divided by 2s, plus the rounding of the result."""
    n = model.n
    Wabs = np.abs(model.W)
    trunc = step ** 2 / 6 * _TANH_D3_SUP * Wabs ** 3
    rounding = np.empty((n, n))
    for j, e in enumerate(np.eye(n)):
        drift_err = ((n + 1) * EPS * (np.abs(model.Gamma) @ (np.abs(h) + step * e)) + EPS
                     + _argument_rounding(model, h, e, step))
        rounding[:, j] = 2 * drift_err / (2 * step)
    return trunc + rounding + EPS * (np.abs(model.Gamma) + Wabs)


def _hessian_difference_bound(model, h, x, y, step, D2):
    """Error of (DF(h + s y) − DF(h − s y)) x / (2s) against D²F(h)[x, y], componentwise. For tanh,
    (DF(h ± s y) x)_i = −(Γx)_i + tanh′(z_i ± s(Wy)_i)(Wx)_i, so the truncation is at most
    s²/6 · sup|tanh''''| · (|W||y|)_i³ (|W||x|)_i; the rounding is that of the two Jacobians (each entry
    ε(|Γ| + |W|) from the product and sum, plus |W| times the error of tanh′ = 1 − tanh², 3ε plus
    sup|tanh″| times the argument error) applied to |x| and divided by 2s, plus the n-term products
    with x and the contraction of the exact D²F with x and y (n² terms)."""
    n = model.n
    Wabs, Gabs = np.abs(model.W), np.abs(model.Gamma)
    xa, ya = np.abs(x), np.abs(y)
    trunc = step ** 2 / 6 * _TANH_D4_SUP * (Wabs @ ya) ** 3 * (Wabs @ xa)
    deriv_err = 3 * EPS + _TANH_D2_SUP * _argument_rounding(model, h, y, step)
    entry_err = EPS * (Gabs + Wabs) + deriv_err[:, None] * Wabs
    difference = np.abs(model.jacobian(h + step * y) - model.jacobian(h - step * y))
    rounding = (2 * entry_err @ xa + n * EPS * (difference @ xa)) / (2 * step)
    contraction = (n ** 2 + 1) * EPS * np.einsum("ijk,j,k->i", np.abs(D2), xa, ya)
    return trunc + rounding + contraction


def _design_numeric(ctx):
    import sympy
    for rng in ctx.instances():
        model, hs = _designed(rng)
        n = model.n
        ctx.record(np.max(np.abs(model.drift(hs))), 1e-14 * (1 + np.max(np.abs(model.Gamma @ hs))) * 4,
                   check="F(h*) = 0", n=n)
        ctx.edge("n = 1", n == 1)
        ctx.edge("h* = 0 (b = 0, the symmetric network)", not np.any(hs))
        ctx.edge("zero gain W = 0", not np.any(model.W))
        # symbolic J (rational in Gamma, W, h*) evaluated exactly at the instance
        d = T.designed_fixed_point(sympy.Matrix(model.Gamma), sympy.Matrix(model.W), sympy.Matrix(hs))
        J_sym = np.array(d["J"].evalf(20), dtype=float)
        J_num = model.jacobian(hs)
        ctx.record(np.max(np.abs(J_sym - J_num)) / (1 + np.max(np.abs(J_num))), 1e-13, check="J symbolic vs numeric", n=n)
        step = 1e-6
        J_fd = np.column_stack([(model.drift(hs + step * e) - model.drift(hs - step * e)) / (2 * step) for e in np.eye(n)])
        J_bound = _jacobian_difference_bound(model, hs, step)
        ctx.record(float(np.max(np.abs(J_fd - J_sym) / J_bound)), 1.0,
                   check="J vs central differences (over its truncation + rounding bound)", n=n)
        # D2F against differences of the numeric Jacobian
        D2 = np.array(d["D2"].tolist(), dtype=float)
        x, y = rng.standard_normal(n), rng.standard_normal(n)
        D2_fd = (model.jacobian(hs + step * y) - model.jacobian(hs - step * y)) @ x / (2 * step)
        D2_bound = _hessian_difference_bound(model, hs, x, y, step, D2)
        # The bound vanishes only for x = 0, where both sides are sums of products with 0 (exactly 0):
        # there any nonzero error is a genuine failure.
        D2_err = np.abs(np.einsum("ijk,j,k->i", D2, x, y) - D2_fd)
        D2_ratio = np.where(D2_bound > 0, D2_err / np.where(D2_bound > 0, D2_bound, 1.0), np.where(D2_err == 0, 0.0, np.inf))
        ctx.record(float(np.max(D2_ratio)), 1.0, check="D2F vs differences of DF (over its truncation + rounding bound)", n=n)


_claim("fixed_point_design", "Exact fixed point by inverse design b := artanh(Γh*) − Wh*",
       ("|(Γh*)ᵢ| < 1 for all i", "tanh activation"),
       Tolerance("‖F(h*)‖∞ ≤ 4·1e-14(1+‖Γh*‖); J exact-vs-float 1e-13; central differences (step s = 1e-6) entrywise within "
                 "their bound: DF, s²/6·sup|tanh'''|·|W_ij|³ + rounding; D²F[x,y], s²/6·sup|tanh''''|·((|W||y|)_i)³(|W||x|)_i + rounding",
                 "artanh/tanh round trip costs a few ulps; the central-difference truncation is the Taylor remainder with "
                 "sup|tanh'''| = 2 and sup|tanh''''| ≈ 4.086 (at tanh²z = (15 − √105)/30); the rounding is ε(|Γ| + |W| + the "
                 "argument error) per evaluated drift or Jacobian, divided by 2s", kind="roundoff+truncation"),
       _design_numeric,
       lambda: _proof(T.design_check(2), "F(h*) ≡ 0 and DF, D²F, D³F at h* equal the rational formulas (n = 2)"),
       prov="R✓")


# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces
# the numeric checks and fails on a call into theory that is not listed as lambdified).
_SIDES = {
    "response.contraction_fixed_point": Sides(
        symbolic=("theory.response.jacobian_check",),
        numeric=("numerics.response.log_norm_bound", "numerics.response.fixed_point", "numerics.response.spectral_abscissa"),
    ),
    "response.dissipativity": Sides(
        symbolic=("theory.response.dissipativity_check",),
        numeric=("numerics.response.SRNN", "scipy.linalg.solve_continuous_lyapunov"),
    ),
    "response.fixed_point_design": Sides(
        symbolic=("theory.response.design_check",),
        numeric=("numerics.response.design_bias", "numerics.response.spectral_abscissa"),
        lambdified=("theory.response.designed_fixed_point",),
    ),
}
for _id, _sides in _SIDES.items():
    annotate(_id, sides=_sides)
