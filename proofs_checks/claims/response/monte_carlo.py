"""Monte Carlo: central differences with common random numbers, and the Euler–Maruyama
weak bias.

Claims of Lim 2021, JMLR 22(47) (arXiv:2006.11052); the statements are the toolkit's
reconstruction (see :data:`proofs_checks.claims.response._checks.NOTE`).
"""

from __future__ import annotations

import math

import numpy as np

from numerics import InputError
from numerics import response as N
from proofs_checks.registry import Proof, Sides, Tolerance, annotate
from theory import response as T

from ._checks import EPS, _claim, _crn_rounding, _n, _order_check, _search_chain_pair, _searching
from ._instances import _oned, _oned_chain, _oned_model


def _burnt_in_law(chain, T_burn):
    """The chain's law after ``T_burn`` at ε = 0 from h₀ = 0: the initial law of the Monte Carlo runs.

    The runs start at h = 0 and burn in for T_burn = 5/γ only (1/γ under a search), while the drift −γh + tanh(wh + b)
    contracts at the rate κ = γ − max(w, 0) ≥ 0.2γ (monostable draws), so e^{−κT_burn} can be
    ~0.2 and the runs are not stationary. The reference Y_n is therefore taken from the law the
    runs actually start in, not from π (the central-difference series holds for any initial law).
    h = 0 is split linearly between its two grid neighbours (O(dx²), the grid's own order)."""
    from scipy.sparse.linalg import expm_multiply

    x = chain.x
    i = int(np.searchsorted(x, 0.0)) - 1
    if not 0 <= i < x.size - 1:
        raise RuntimeError(f"h = 0 lies outside the chain domain [{x[0]:.3g}, {x[-1]:.3g}]")
    w = (0.0 - x[i]) / (x[i + 1] - x[i])
    p0 = np.zeros(x.size)
    p0[i], p0[i + 1] = 1.0 - w, w
    law = np.clip(expm_multiply(T_burn * chain.G.T, p0), 0.0, None)
    return law / law.sum()


def _mc_numeric(ctx):
    for rng in ctx.instances(_n(ctx, 1)):
        p = _oned(rng, monostable=True)
        model = _oned_model(p)
        # Under a search 2000 paths, a horizon of 25 steps and a burn-in of 1/γ (20000, 50 and
        # 5/γ otherwise): the reference is the chain started in the burnt-in law, so any burn-in is exact.
        dt, K, e = 0.02, (25 if _searching(ctx) else 50), 0.2
        u = (np.sin(1.5 * np.arange(K) * dt) + 0.5)[:, None]
        P = 2000 if _searching(ctx) else 20000
        burn = int((1 if _searching(ctx) else 5) / (p["gamma"] * dt))
        seed = int(rng.integers(2 ** 31))
        ests = []
        for sub in (1, 2):
            # independent streams per level, so Var(2Ŷ(dt/2) − Ŷ(dt)) = 4se(dt/2)² + se(dt)²
            r2 = np.random.default_rng([seed, sub])
            h0 = N.em_burn_in(model, P, burn * sub, dt / sub, r2)
            vals = N.em_crn(model, h0, u, dt, [-e, 0.0, e], r2, substeps=sub)
            ests.append(N.crn_coefficients(vals, e, 2))
            last = vals
        (y_dt, se_dt), (y_h, se_h) = ests

        def chain_response(nx):
            ch = _oned_chain(p, nx=nx)
            return N.chain_block_response(ch.G, ch.B, _burnt_in_law(ch, burn * dt), ch.x, u[:, 0],
                                          np.full(K, dt), 4)
        # Under a search a smaller chain plus its estimated grid error (see _search_chain_pair).
        pair = _search_chain_pair(ctx, p, chain_response)
        Ych, grid = pair if pair is not None else (chain_response(401), np.zeros(5))
        for n_ in (1, 2):
            # Ŷ(dt/2) − Y = D̂ + (2n(dt/2) − n(dt)) + r, D̂ = Ŷ(dt) − Ŷ(dt/2) the Richardson estimate of
            # the O(dt) EM bias at dt/2, n(·) the Monte Carlo errors of the two independent levels and
            # r the O(dt²) remainder, allowed one more |D̂| (asymptotic regime). The noise of D̂ is in
            # the statistical term: D̂ ≈ 0 by chance does not make the EM bias small.
            d_hat = abs(y_dt[n_ - 1, 0] - y_h[n_ - 1, 0])
            beta_em = 2 * d_hat
            beta_tr = e ** 2 * abs(Ych[n_ + 2])
            err = abs(y_h[n_ - 1, 0] - Ych[n_])
            se = math.sqrt(4 * se_h[n_ - 1, 0] ** 2 + se_dt[n_ - 1, 0] ** 2)
            rounding = _crn_rounding(last, e, n_, K * 2)
            ctx.record(err, ctx.z_threshold() * se + beta_tr + beta_em + rounding + grid[n_], check=f"CRN Ŷ{n_} vs chain",
                       z=err / se if se > 0 else 0.0, se=se, beta_trunc=beta_tr, beta_em=beta_em, rounding=rounding,
                       seed=seed)
        ctx.edge("zero gain w = 0 (linear drift)", p["w"] == 0)
        # without CRN the +-eps runs would be independent: se = sqrt(var f+ + var f-) / (2 eps sqrt P)
        se_nocrn = math.sqrt(last[2, :, 0].var() + last[0, :, 0].var()) / (2 * e * math.sqrt(last.shape[1]))
        ctx.note(f"instance seed {seed}: se(Ŷ1) with CRN {se_dt[0, 0]:.3g}, without CRN ≈ {se_nocrn:.3g}")
    try:
        N.crn_coefficients(np.zeros((3, 2, 1)), 1e-7, 1)
        ctx.require(False, "eps < 1e-6 rejected")
    except InputError as exc:
        ctx.require("eps" in str(exc), "eps < 1e-6 rejected naming eps")


_claim("mc_crn_central_differences", "Monte Carlo with common random numbers and central differences",
       ("the ±ε and 0 runs share h₀ (burnt in at ε = 0 from h = 0 for 5/γ, 1/γ under rnnproof search) and every Brownian increment",
        "the reference Y_n from the chain started in the burnt-in law (the runs need not be stationary)",
        "EM in its asymptotic regime: the O(dt²) weak remainder at dt/2 below |Ŷ(dt) − Ŷ(dt/2)|", "ε ≥ 1e-6"),
       Tolerance("z_α·√(4se(dt/2)² + se(dt)²) + ε²|Y_{n+2}| + β_EM + the CRN rounding floor, β_EM = 2|Ŷ(dt) − Ŷ(dt/2)| (z_α the two-sided normal quantile at the per-test α)",
                 "a Monte Carlo estimate passes within z_α standard errors plus every bias it carries; truncation bias from the chain, EM bias by Richardson over two independent dt-levels (whose noise is in the standard error)", kind="statistical+truncation"),
       _mc_numeric, lambda: Proof(str(T.central_difference_bias(1, 5)) == "Y1 + Y3*epsilon**2 + Y5*epsilon**4" and
                                  str(T.central_difference_bias(2, 5)) == "Y2 + Y4*epsilon**2",
                                  "series of the central differences: Ŷ₁ = Y₁ + ε²Y₃ + …, Ŷ₂ = Y₂ + ε²Y₄ + …"),
       prov="R✓", cost=4.0, statistical_checks=2 * 40,
       note="Under rnnproof search the Monte Carlo uses 2000 paths instead of 20000, 25 steps instead of 50 and a "
            "burn-in of 1/γ instead of 5/γ (the tests stay at the per-test α), and the reference chain has fewer "
            "than 401 nodes, its grid error (2/3)|Y(2dx) − Y(dx)| added to the tolerance.")


def _em_numeric(ctx):
    import scipy.linalg as sla
    import sympy
    v_sym, _ = T.em_ou_stationary_variance()
    byname = {s.name: s for s in v_sym.free_symbols}
    v_fn = sympy.lambdify([byname["M"], byname["sigma"], byname["dt"]], v_sym)
    for rng in ctx.instances():
        M, sig = -rng.uniform(0.5, 2.0), rng.uniform(0.3, 1.0)
        errs = []
        for dt in (0.1, 0.05, 0.025):
            v = sla.solve_discrete_lyapunov(np.array([[1 + dt * M]]), np.array([[sig ** 2 * dt]]))[0, 0]
            # v = σ²dt/(1 − a²), a = 1 + dtM: the subtraction amplifies rounding by 1/(1 − a²).
            ctx.record(abs(v - v_fn(M, sig, dt)) / v, 16 * EPS / (1 - (1 + dt * M) ** 2),
                       check="EM variance: discrete Lyapunov vs closed form")
            errs.append(abs(v - (-sig ** 2 / (2 * M) + sig ** 2 * dt / 4)))
        _order_check(ctx, errs, 2.0, 2, "EM variance series error O(dt²)", floor=1e-13 * sig ** 2)
        # weak bias of E h_T^2 (exact EM moment recursion vs exact OU moments), input on
        c, T_ = rng.uniform(-1, 1), 2.0
        bias = []
        m_ex = c * (math.exp(M * T_) - 1) / M
        v_ex = -sig ** 2 / (2 * M)
        for dt in (0.04, 0.02):
            m, v = 0.0, sla.solve_discrete_lyapunov(np.array([[1 + dt * M]]), np.array([[sig ** 2 * dt]]))[0, 0]
            for _ in range(int(round(T_ / dt))):
                m = (1 + dt * M) * m + dt * c
            bias.append((m * m + v) - (m_ex ** 2 + v_ex))
        _order_check(ctx, [abs(b) for b in bias], 2.0, 1, "EM weak bias O(dt)", floor=1e-13 * (1 + v_ex + m_ex ** 2))
        _em_substep_variance(ctx, rng, -M, sig)
    model = _oned_model(_oned(ctx.rng(3), monostable=True))
    J = N.fixed_point(model)[1]
    limit = N.em_stability_limit(J)
    # The limit is attained: max|1 + dt·λ| = 1 at dt = limit (a tightness check of the bound).
    lam = np.linalg.eigvals(J)
    ctx.record(abs(np.max(np.abs(1 + limit * lam)) - 1), 8 * EPS * (1 + limit * np.max(np.abs(lam))),
               check="stability limit attained: max|1 + dt λ| = 1 at dt = limit")
    try:
        N.em_burn_in(model, 10, 1, 1.1 * limit, ctx.rng(4))
        ctx.require(False, "dt above the stability limit rejected")
    except InputError as exc:
        ctx.require("dt" in str(exc), "dt above the stability limit rejected naming dt")


def _em_substep_variance(ctx, rng, gamma, sig, dt=0.1, substeps=2, K=40):
    r"""The simulator's own stationary law: ``em_crn`` with ``substeps`` on an OU drift (w = 0).

    With w = 0 the drift −γh + tanh(b) is linear, and EM with step δ = dt/substeps is the AR(1)
    chain h ← (1 − δγ)h + δ tanh(b) + √δ σ ξ, whose stationary law is exactly
    N(tanh(b)/γ, v_δ), v_δ = σ²δ/(1 − (1 − δγ)²). Started in that law it stays there, so
    P·s²/v_δ ~ χ²_P exactly (s² about the known mean); the check is the two-sided χ² test at the
    per-test α. A step that used the coarse √dt in the substeps doubles the variance."""
    from scipy.stats import chi2

    b = float(rng.uniform(-1, 1))
    delta = dt / substeps
    mean, var = math.tanh(b) / gamma, sig ** 2 * delta / (1 - (1 - delta * gamma) ** 2)
    P = 2000 if _searching(ctx) else 20000
    paths = np.random.default_rng([int(rng.integers(2 ** 31)), 7])  # large arrays: seeded, not drawn
    model = _oned_model(dict(gamma=gamma, w=0.0, b=b, sigma=sig, c=1.0))
    h0 = mean + math.sqrt(var) * paths.standard_normal((P, 1))
    hT = N.em_crn(model, h0, np.zeros((K, 1)), dt, [0.0], paths, substeps=substeps)[0, :, 0]
    ratio = float(np.mean((hT - mean) ** 2) / var)
    a = ctx.alpha()
    lo, hi = chi2.ppf(a / 2, P) / P, chi2.isf(a / 2, P) / P
    # rounding of K·substeps steps and of the sum of P squares: ≲ (K·substeps + P)ε relative, ≪ the χ² width
    rounding = (K * substeps + P) * EPS
    ctx.record(abs(ratio - 1), (hi - 1 if ratio >= 1 else 1 - lo) + rounding,
               check=f"em_crn substeps = {substeps}: stationary variance of the OU chain (χ²_P test)",
               ratio=ratio, paths=P)


_claim("em_weak_bias", "Euler–Maruyama weak bias O(dt); stability limit",
       ("smooth f, drift with bounded derivatives", "|1 + dt λ| < 1 for every eigenvalue of J"),
       Tolerance("EM variance: 16ε/(1 − (1 + dtM)²) relative; observed orders ≥ 2 − 1/2 (series) and ≥ 1 − 1/2 (weak bias); simulated substep variance inside the two-sided χ²_P interval at the per-test α",
                 "closed forms for OU (the Lyapunov subtraction amplifies rounding by 1/(1 − a²)); a wrong order-k term leaves an order ≤ k − 1, so the midpoints separate; higher observed orders pass; started in its exact Gaussian stationary law, the simulated OU chain's P·s²/v is χ²_P", kind="truncation+roundoff+statistical"),
       _em_numeric,
       lambda: Proof(sympy_eq(T.em_ou_stationary_variance()[1]), "EM OU stationary variance = −σ²/(2M) + σ²dt/4 + O(dt²)"),
       prov="R✓", statistical_checks=40)


def sympy_eq(series):
    import sympy
    M, sig, dt = sympy.Symbol("M", negative=True), sympy.Symbol("sigma", positive=True), sympy.Symbol("dt", positive=True)
    return sympy.simplify(series - (-sig ** 2 / (2 * M) + sig ** 2 * dt / 4)) == 0


# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces
# the numeric checks and fails on a call into theory that is not listed as lambdified).
_SIDES = {
    "response.mc_crn_central_differences": Sides(
        symbolic=("theory.response.central_difference_bias",),
        numeric=("numerics.response.em_burn_in", "numerics.response.em_crn", "numerics.response.crn_coefficients", "numerics.response.oned_log_density", "numerics.response.grid_chain", "numerics.response.chain_block_response"),
    ),
    "response.em_weak_bias": Sides(
        symbolic=("theory.response.em_ou_stationary_variance",),
        numeric=("numerics.response.fixed_point", "numerics.response.em_stability_limit", "numerics.response.em_burn_in", "numerics.response.em_crn"),
        lambdified=("theory.response.em_ou_stationary_variance",),
    ),
}
for _id, _sides in _SIDES.items():
    annotate(_id, sides=_sides)
