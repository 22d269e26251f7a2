"""Exactly solvable oracles: the linear (OU) SRNN, the 1-D stationary density, the
finite-difference generator chain, and the small-noise limit.

Claims of Lim 2021, JMLR 22(47) (arXiv:2006.11052); the statements are the toolkit's
reconstruction (see :data:`proofs_checks.claims.response._checks.NOTE`).
"""

from __future__ import annotations

import math

import numpy as np

from numerics import response as N
from proofs_checks.registry import Proof, Sides, Tolerance, annotate
from theory import response as T

from ._checks import _claim, _is_zero, _n, _next_term_check, _oned_edges, _order_check, _proof, _searching
from ._instances import _oned, _oned_F, _oned_chain, _oned_domain, _oned_model, _oned_nx, _ou


def _ou_numeric(ctx):
    for rng in ctx.instances():
        model = _ou(rng)
        M = model.W - model.Gamma
        Sig = model.Sigma()
        m_inf, S = N.ou_stationary(M, model.b, Sig)
        ctx.record(np.max(np.abs(M @ S + S @ M.T + Sig)), 1e-12 * np.linalg.norm(Sig), check="Lyapunov residual")
        knots = 11 if _searching(ctx) else 21      # each knot is a kink every moment-ODE solve stops at
        tt = np.linspace(0, rng.uniform(0.5, 3), knots)
        inp = N.PiecewiseLinearInput(tt, rng.uniform(-1, 1, (knots, model.m)))
        t = inp.T
        delta = N.ou_mean_shift(M, model.C, inp, t)
        A, Q = model.A[0], model.Q[0]

        def series(e, m_, S_):
            return A @ m_ + 0.5 * m_ @ Q @ m_ + 0.5 * np.trace(Q @ S_) + e * (A + m_ @ Q) @ delta + e ** 2 * 0.5 * delta @ Q @ delta

        base, ymax = None, 0.0
        for scale in (0.1, 1.0):
            sig = model.sigma * scale
            m_inf, S = N.ou_stationary(M, model.b, sig @ sig.T)
            resp, means = [], []
            for e in (0.4, -0.4, 0.0):
                m_t, S_t = N.ou_moment_ode(M, model.b, model.C, sig @ sig.T, m_inf, S, inp, e, t)
                means.append(m_t)
                y = A @ m_t + 0.5 * m_t @ Q @ m_t + 0.5 * np.trace(Q @ S_t)
                # magnitude of the terms summed into y (S can be large for slow, non-normal M)
                size = 1 + np.abs(A) @ np.abs(m_t) + 0.5 * np.abs(m_t) @ np.abs(Q) @ np.abs(m_t) + 0.5 * np.sum(np.abs(Q * S_t))
                ctx.record(abs(y - series(e, m_inf, S)), 1e-10 * size, check="moment ODE vs series (exact at ε = ±0.4)")
                resp.append(y)
                ymax = max(ymax, size)
            r = np.array(resp[:2]) - resp[2]
            if base is None:
                base = r
            else:
                ctx.record(np.max(np.abs(r - base)), 1e-10 * (1 + ymax), check="response independent of σ (degree 2)")
        # The closed form behind `rnnproof volterra` (linear readout): Y₁ = A δ(t), against the moment
        # ODE's central difference, exact for a mean linear in ε (each mean carries DOP853's 1e-10
        # relative error, divided by 2ε = 0.8).
        report = N.volterra_report(model.replace(Q=None), inp, 2)
        y1_ode = A @ (means[0] - means[1]) / 0.8
        ctx.record(abs(report["coefficients"][0][0] - y1_ode),
                   1e-10 * (1 + np.abs(A) @ (np.abs(means[0]) + np.abs(means[1]))) / 0.8,
                   check="volterra_report Y₁ (OU closed form) vs the moment ODE")
        ctx.require(report["coefficients"][1][0] == 0.0, "volterra_report: Y₂ = 0 for a linear readout")
        ctx.edge("n = 1", model.n == 1)


_claim("ou_closed_form", "Linear SRNN (OU): closed form, Lyapunov equation, termination at the readout's degree",
       ("a(z) = z, M = W − Γ Hurwitz", "readout of degree ≤ 2 for σ-independence"),
       Tolerance("1e-10 relative to the terms |A||m| + ½|m||Q||m| + ½Σ|Q∘S|; Lyapunov residual ≤ 1e-12‖Σ‖; volterra_report Y₁ 1e-10(1 + |A|(|m₊| + |m₋|))/(2ε)",
                 "DOP853 at rtol 1e-12 on the moment ODEs (errors scale with m and S, which can be large for slow "
                 "non-normal M); one Lyapunov solve", kind="truncation+roundoff"),
       _ou_numeric, commands=("rnnproof volterra NET.npz --input U.npz --order 2",),
       note="Under rnnproof search the piecewise-linear input has 11 knots instead of 21.",
       symbolic=lambda: Proof(_is_zero(T.ou_quadratic_mean_check()) and _is_zero(T.ou_sigma_independence_check()[0])
                     and not _is_zero(T.ou_sigma_independence_check()[1]),
                     "Gaussian moment expansion of Ah + hᵀQh; ∂σK = 0 for degree 2, ≠ 0 for f = h³"))


def _oned_density_numeric(ctx):
    for rng in ctx.instances(_n(ctx, 2)):
        p = _oned(rng)
        L = _oned_domain(p)
        nx0 = _oned_nx(p, L, 101 if _searching(ctx) else 201)      # the refined grids start here
        x0 = np.array([0.0])
        logZ = float(N.oned_log_density(x0, p["gamma"], p["w"], p["b"], p["sigma"])[0]
                     - np.log(N.oned_density(x0, p["gamma"], p["w"], p["b"], p["sigma"])[0]))   # mpmath.quad, once
        errs = []
        for nx in (nx0, 2 * nx0 - 1, 4 * nx0 - 3):
            ch = N.grid_chain(_oned_F(p), p["sigma"], p["c"], L, nx)
            rho = np.exp(N.oned_log_density(ch.x, p["gamma"], p["w"], p["b"], p["sigma"]) - logZ)
            errs.append(np.max(np.abs(ch.pi / ch.dx - rho)[::(nx - 1) // (nx0 - 1)]))
        # The closed form's normaliser comes from mpmath.quad: ~1e-14 relative.
        _order_check(ctx, errs, 2.0, 2, "chain π vs closed form on refined grids",
                     floor=1e-12 * np.max(rho), **p)


def _oned_ks(ctx):
    # Kolmogorov-Smirnov distance of an EM sample (independent paths after burn-in) to the closed-form
    # CDF, against the level-1e-3 critical value plus the EM bias 2 sup|F_dt - F_dt/2| (coupled runs)
    rng = ctx.rng(500)
    p = _oned(rng, monostable=True)
    model = _oned_model(p)
    P, dt = (2000 if _searching(ctx) else 20000), 0.01
    steps = int(8 / (p["gamma"] * dt))
    seed = int(rng.integers(2 ** 31))
    samples = []
    for sub in (1, 2):
        r2 = np.random.default_rng(seed)
        samples.append(np.sort(N.em_burn_in(model, P, steps * sub, dt / sub, r2)[:, 0]))
    L = _oned_domain(p)
    xs = np.linspace(L[0], L[1], 20001)
    x0 = np.array([0.0])
    logZ = float(N.oned_log_density(x0, p["gamma"], p["w"], p["b"], p["sigma"])[0]
                 - np.log(N.oned_density(x0, p["gamma"], p["w"], p["b"], p["sigma"])[0]))
    rho = np.exp(N.oned_log_density(xs, p["gamma"], p["w"], p["b"], p["sigma"]) - logZ)
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * (rho[1:] + rho[:-1]) * np.diff(xs))])
    ecdf = lambda s, x: np.searchsorted(s, x, side="right") / len(s)  # noqa: E731
    D = float(np.max(np.abs(ecdf(samples[1], xs) - cdf)))
    bias = 2 * float(np.max(np.abs(ecdf(samples[0], xs) - ecdf(samples[1], xs))))
    # Two-sided KS critical value at the run's per-test level α (the DKW bound, exact for any F).
    crit = math.sqrt(-math.log(ctx.alpha() / 2) / 2) / math.sqrt(P)
    ctx.record(D, crit + bias, check="EM sample vs closed form: KS distance", crit=crit, beta_em=bias, seed=seed, **p)


def _oned_density_all(ctx):
    # A search draws one of the two parts per instance (the KS part with 2000 paths; its DKW
    # critical value is exact for any P).
    part = int(ctx.rng().integers(0, 2)) if _searching(ctx) else None
    if part in (None, 0):
        _oned_density_numeric(ctx)
    if part in (None, 1):
        _oned_ks(ctx)


_claim("oned_stationary_density", "1-D SRNN: closed-form stationary density ρ∞ ∝ exp(−2V/σ²)",
       ("n = 1, F(h) = −γh + tanh(wh + b)", "γ > 0, σ > 0"),
       Tolerance("observed grid order of π ≥ 2 − 1/2; KS distance ≤ √(ln(2/α)/2)/√P + 2 sup|F_dt − F_dt/2|",
                 "the chain's π is an O(dx²) approximation; the KS bound is Dvoretzky–Kiefer–Wolfowitz at the per-test α, plus the EM bias from coupled dt-halving", kind="truncation+statistical"),
       _oned_density_all, lambda: _proof(list(T.oned_density_check()), "V' = −F, zero flux, w → 0 limit"),
       note="The EM sample is 2·10⁴ independent paths after burn-in (rather than one long "
            "correlated path), which makes the KS level exact. Under rnnproof search each instance is one part "
            "(the grid or the KS test, with 2000 paths), and the refined grids start at 101 nodes instead of 201.",
       prov="R✓", statistical_checks=1)


def _chain_numeric(ctx):
    for rng in ctx.instances(_n(ctx, 2)):
        p = _oned(rng)
        _oned_edges(ctx, p)
        L = _oned_domain(p)
        # Under a search the refined grids start at 101 nodes and the series part uses a 101-node
        # chain (201 otherwise): the series is the chain's own, exact for any grid with positive rates.
        base_nx = 101 if _searching(ctx) else 201
        nx0 = _oned_nx(p, L, base_nx)
        taus = np.linspace(0, 2, 11)
        Ks = []
        for nx in (nx0, 2 * nx0 - 1, 4 * nx0 - 3):
            ch = N.grid_chain(_oned_F(p), p["sigma"], p["c"], L, nx)
            ctx.record(np.max(np.abs(ch.G @ np.ones(nx))), 1e-12 * abs(ch.G).max(), check="rows of G sum to 0")
            Ks.append(ch.kernel1(taus))
        scale = np.max(np.abs(Ks[-1]))
        _order_check(ctx, [np.max(np.abs(Ks[0] - Ks[1])), np.max(np.abs(Ks[1] - Ks[2]))], 2.0, 2,
                     "K1 on refined grids (O(dx²))", floor=1e-12 * (1 + scale), **p)
        ch = _oned_chain(p, nx=base_nx)
        K, dt = 10, 0.15
        u = rng.uniform(-1, 1, K)
        Y = N.chain_block_response(ch.G, ch.B, ch.pi, ch.x, u, np.full(K, dt), 4)
        # expm_multiply over K steps: about K·1e-14 relative to the output's scale.
        floor = 1e-12 * (1 + np.max(np.abs(ch.x)))
        for Nn in (0, 1):
            def remainder(e, Nn=Nn):
                return abs(_chain_exact(ch, u, dt, e) - sum(e ** k * Y[k] for k in range(0, Nn + 1)))
            _next_term_check(ctx, remainder, list(Y), Nn, (0.1, 0.05, 0.025, 0.0125), floor, f"chain, N = {Nn}")


def _chain_exact(ch, u, dt, e):
    from scipy.sparse.linalg import expm_multiply
    row = ch.pi.copy()
    for uj in u:
        row = expm_multiply(dt * (ch.G + e * uj * ch.B).T, row)
    return row @ ch.x


_claim("oned_generator_chain", "Finite-difference generator: kernels without Monte Carlo error",
       ("1-D SRNN", "rates positive: dx < σ²/max|F|", "boundary mass ≤ 1e-12"),
       Tolerance("observed grid order of K1 ≥ 2 − 1/2; |res_N/ε^{N+1} − |Y_{N+1}|| ≤ 2(ε|Y_{N+2}| + ε²|Y_{N+3}|) + floor/ε^{N+1}",
                 "O(dx²) scheme (a wrong scheme is O(dx) or worse); the chain's series is entire, and the remainder is compared with its next coefficient only where that one dominates the one after it (else a smaller ε); floor 1e-12 from expm_multiply", kind="truncation"),
       _chain_numeric, lambda: _proof(list(T.chain_construction_check()), "G1 = 0; G and B exact on quadratics at interior nodes"),
       prov="R✓", cost=2.0,
       note="Under rnnproof search the refined grids start at 101 nodes and the series chain has 101 "
            "(201 otherwise; more where positive rates need them).")


def _small_noise_numeric(ctx):
    gamma, w, b, c = 1.0, 0.5, 0.5, 1.0
    model = N.SRNN(Gamma=[[gamma]], W=[[w]], b=[b], C=[[c]], sigma=[[0.0]], A=[[1.0]])
    hs, J = N.fixed_point(model)
    J = float(J[0, 0])
    taus = np.linspace(0, 5, 51)
    Kdet = np.exp(J * taus) * c
    sigmas = np.array([0.4, 0.2, 0.1, 0.05])
    ds = []
    F = lambda x: -gamma * x + np.tanh(w * x + b)  # noqa: E731
    for sg in sigmas:
        half = 10 * sg / math.sqrt(2 * abs(J))
        L = (hs[0] - half, hs[0] + half)
        Fmax = np.max(np.abs(F(np.linspace(*L, 101))))
        dx = min(sg / 20, sg ** 2 / (2 * Fmax))
        nx = int(math.ceil(2 * half / dx)) + 1
        K1 = N.grid_chain(F, sg, c, L, nx).kernel1(taus)
        K2 = N.grid_chain(F, sg, c, L, 2 * nx - 1).kernel1(taus)
        K = (4 * K2 - K1) / 3          # Richardson in dx: grid error O(dx^4)
        ds.append(np.max(np.abs(K - Kdet)))
    ds = np.array(ds)
    _order_check(ctx, ds, 2.0, 2, "d_σ = max|K_σ − K_det| as σ halves", floor=1e-10, d=ds.tolist())


_claim("small_noise_limit", "Kernels → deterministic kernels at O(σ²)",
       ("Σ = σ²Σ₀", "σ = 0 system has a unique, globally attracting, exponentially stable h*"),
       Tolerance("observed order of d_σ in σ ≥ 2 − 1/2 (a higher order passes)",
                 "the claim is d_σ = O(σ²); a wrong limit leaves O(1) and a missing symmetry O(σ); chain kernels Richardson-extrapolated in dx (O(dx⁴)) keep the grid error below the 1e-10 floor", kind="truncation"),
       _small_noise_numeric, None,
       note="Checked for the first-order kernel of a 1-D network (the σ → 0 limit at rate σ²); higher orders and uniformity are the toolkit's extension.",
       prov="R✓", cost=2.0)


# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces
# the numeric checks and fails on a call into theory that is not listed as lambdified).
_SIDES = {
    "response.ou_closed_form": Sides(
        symbolic=("theory.response.ou_quadratic_mean_check", "theory.response.ou_sigma_independence_check"),
        numeric=("numerics.response.spectral_abscissa", "numerics.response.ou_stationary", "numerics.response.ou_mean_shift", "numerics.response.ou_moment_ode"),
    ),
    "response.oned_stationary_density": Sides(
        symbolic=("theory.response.oned_density_check",),
        numeric=("numerics.response.oned_log_density", "numerics.response.oned_density", "numerics.response.grid_chain", "numerics.response.em_burn_in"),
    ),
    "response.oned_generator_chain": Sides(
        symbolic=("theory.response.chain_construction_check",),
        numeric=("numerics.response.oned_log_density", "numerics.response.grid_chain", "numerics.response.kernel1", "numerics.response.chain_block_response"),
    ),
    "response.small_noise_limit": Sides(
        symbolic=(),
        numeric=("numerics.response.fixed_point", "numerics.response.grid_chain", "numerics.response.kernel1"),
    ),
}
for _id, _sides in _SIDES.items():
    annotate(_id, sides=_sides)
