"""The LRU ring initialisation: uniform sampling on the annulus r_min ≤ |λ| ≤ r_max (LRU Lemma 2)
and the forward-pass blow-up factor E‖x_∞‖²/E‖Bu‖² of that initialisation (LRU Prop. 3)."""

from __future__ import annotations

import functools
import math

import mpmath
import numpy as np
import sympy as sp

from numerics import InputError
from numerics import linear_recurrence as NL
from proofs_checks.registry import Proof, Sides, Tolerance
from theory import linear_recurrence as T

from ._checks import EPS, LRU, register_claim, searching


# linear_recurrence.ring_sampling
@functools.lru_cache(maxsize=None)
def _ring_cdf_fn():
    return sp.lambdify((T.rmin, T.rmax, T.rho_), T.ring_radius_cdf()[0], "numpy")


def _sym_ring():
    c1, c2 = T.ring_radius_cdf()
    return Proof(sp.simplify(c1 - c2) == 0, "P(|λ| ≤ ρ) from the sampler (|λ|² affine in u₁) equals the annulus "
                 "area CDF (ρ² − r_min²)/(r_max² − r_min²)")


def _num_ring(ctx):
    from scipy import stats
    cdf = _ring_cdf_fn()
    for rng in ctx.instances():
        rmax = float(rng.uniform(0.1, 1.0))
        if searching(ctx) and rng.random() < 0.2:
            rmax = 1.0
        rmin = float(rng.uniform(0.0, rmax)) if rng.random() < 0.8 else 0.0
        thmax = float(rng.choice([2 * np.pi, np.pi / 10]))
        n = 10_000
        lam = NL.ring_sample(rng, n, rmin, rmax, thmax)
        ctx.edge("r_min = 0 (a disk)", rmin == 0.0)
        ctx.edge("r_max = 1 (the unit circle)", rmax == 1.0)
        ctx.edge("a thin ring, r_max² − r_min² < 1e-8 r_max²", rmax ** 2 - rmin ** 2 < 1e-8 * rmax ** 2)
        if rmax ** 2 - rmin ** 2 < 1e-8 * rmax ** 2:
            # |λ|² rounds by about 2ε r_max², which a spread below 1e-8 r_max² no longer dwarfs (the KS
            # and moment tests would test rounding): check that every |λ| lies on [r_min, r_max] instead
            out = np.maximum(np.maximum(rmin - np.abs(lam), np.abs(lam) - rmax), 0.0).max()
            ctx.record(out, 4 * EPS * rmax, part="thin ring: r_min ≤ |λ| ≤ r_max", r_min=rmin, r_max=rmax)
            continue
        p1 = stats.kstest(np.abs(lam), lambda x: np.clip(cdf(rmin, rmax, x), 0, 1)).pvalue
        p2 = stats.kstest(np.mod(np.angle(lam), 2 * np.pi), stats.uniform(0, thmax).cdf).pvalue
        alpha = ctx.alpha()
        ctx.alpha()  # two KS tests
        ctx.require(p1 > alpha and p2 > alpha, "KS tests of |λ| (derived CDF) and arg λ, p > α",
                    p_radius=p1, p_phase=p2, alpha=alpha)
        a, b = rmin ** 2, rmax ** 2
        s2 = np.abs(lam) ** 2
        var = (b - a) ** 2 / 12
        ctx.record(abs(s2.mean() - (a + b) / 2), ctx.z_threshold() * math.sqrt(var / n), part="mean |λ|²")
        se_var = math.sqrt(((b - a) ** 4 / 80 - var ** 2) / n)
        ctx.record(abs(s2.var(ddof=1) - var), ctx.z_threshold() * se_var, part="var |λ|²")
    for args in ((0.9, 0.5), (0.5, 1.1)):
        try:
            NL.ring_sample(np.random.default_rng(0), 3, *args)
            ctx.require(False, f"r_min, r_max = {args} raises InputError")
        except InputError:
            ctx.require(True, f"r_min, r_max = {args} raises InputError")
    z = NL.ring_sample(np.random.default_rng(0), 5, 0.7, 0.7)
    ctx.record(np.abs(np.abs(z) - 0.7).max(), 4 * EPS * 0.7, part="r_min = r_max: deterministic radius")


# linear_recurrence.forward_blowup
@functools.lru_cache(maxsize=None)
def _blowup_fns():
    a, b = T.a_, T.b_
    return (sp.lambdify((a, b), T.blowup_factor(), "mpmath"),
            sp.lambdify((a, b), T.blowup_second_moment(), "mpmath"),
            sp.lambdify(b, T.blowup_limit(), "mpmath"))


def _sym_blowup():
    a, b = T.a_, T.b_
    f = T.blowup_factor()
    # 0 < a < b < 1, so the logs of positive quantities may be split (force=True)
    ok = sp.simplify(sp.expand_log(f - sp.log((1 - a) / (1 - b)) / (b - a), force=True)) == 0
    ok &= sp.simplify(T.blowup_limit() - 1 / (1 - b)) == 0
    ok &= sp.simplify(T.blowup_second_moment() - (1 / (1 - b) - 1 / (1 - a)) / (b - a)) == 0
    e1, q = T.state_energy_1d()
    ok &= sp.simplify(e1 - (1 - q ** (2 * T.k)) / (1 - q ** 2)) == 0
    ok &= sp.simplify(T.poisson_phase_average() - 1 / (1 - T.r ** 2)) == 0
    return Proof(bool(ok), "E f = log((1−a)/(1−b))/(b−a) by t = 1 − s; limit 1/(1−b); E f² = (1/(1−b) − 1/(1−a))/(b−a); "
                 "E|x_k|² geometric sum; Poisson average 1/(1−r²) by the residue at z = r")


def _blowup_moments_thin(fE, fE2, flim, a, b, n):
    """(μ, SE) of the blow-up factor on a thin ring, b − a ≤ 1e-3 b, at enough digits."""
    if a == b:
        return float(flim(b)), 0.0
    with mpmath.mp.workdps(20 + math.ceil(math.log10(b / (b - a)))):
        A, Bm = mpmath.mpf(a), mpmath.mpf(b)
        mu = fE(A, Bm)
        return float(mu), float(mpmath.sqrt(max(fE2(A, Bm) - mu ** 2, 0) / n))


def _num_blowup(ctx):
    fE, fE2, flim = _blowup_fns()
    for rng in ctx.instances():
        rmax = float(rng.uniform(0.5, 0.999))
        rmin = float(rng.uniform(0.0, rmax))
        a, b = rmin ** 2, rmax ** 2
        n = 20_000
        mean, _ = NL.blowup_factor_mc(rng, rmin, rmax, n)
        ctx.edge("r_min = r_max (a circle)", rmin == rmax)
        ctx.edge("r_min = 0", rmin == 0.0)
        if b - a > 1e-3 * b:
            mu = float(fE(a, b))
            se = math.sqrt(max(float(fE2(a, b)) - mu ** 2, 0.0) / n)
            rounding = 0.0   # below 1e-7 of z_α·SE while b − a > 1e-6 b (see the thin-ring branch)
        else:
            # log((1 − a)/(1 − b))/(b − a) loses log10(b/(b − a)) digits: evaluate with that many more,
            # and at a = b take the limit 1/(1 − b), where f = 1/(1 − |λ|²) no longer varies
            mu, se = _blowup_moments_thin(fE, fE2, flim, a, b, n)
            # each f rounds by 2ε|λ|²/(1 − |λ|²) relative, the mean by ε log2 n
            rounding = mu * EPS * (4 * b / (1 - b) + math.log2(n))
        ctx.record(abs(mean - mu), ctx.z_threshold() * se + rounding, part="Monte Carlo", r_min=rmin, r_max=rmax)
        # 1-D white-noise energy: simulate many paths vs the geometric sum
        lam = complex(NL.ring_sample(rng, 1, rmin, rmax)[0])
        kk = int(rng.integers(1, 60))
        paths = 4000
        u = rng.standard_normal((kk, paths))
        x = np.zeros(paths, dtype=complex)
        for t in range(kk):
            x = lam * x + u[t]
        q2 = abs(lam) ** 2
        e_theory = (1 - q2 ** kk) / (1 - q2)
        # x = Σ_j c_j u_j, c_j = λ^j, u real: a non-circular complex Gaussian, so
        # Var|x|² = 2 tr(C²) for the 2×2 covariance C of (Re x, Im x), and 2 tr(C²) = e² + |p|²
        # with e = Σ|c_j|² = tr C and the pseudo-variance p = E x² = Σ λ^{2j} (|p| = e for real λ).
        # The test is two-sided, so the skewness of |x|² (≤ 2√2, over √paths for the mean) cancels
        # between the tails at first order (Edgeworth); the z-test stands at the run's α.
        pseudo = abs(sum(lam ** (2 * j) for j in range(kk)))
        var_energy = e_theory ** 2 + pseudo ** 2
        ctx.record(abs(np.mean(np.abs(x) ** 2) - e_theory), ctx.z_threshold() * math.sqrt(var_energy / paths),
                   part="E|x_k|²", k=kk)
        # constant input: Poisson average by quadrature
        r = float(rng.uniform(0.1, 0.99))
        # quad at epsrel 1e-13 (numerics.arc_phase_average), plus the integrand's rounding near its
        # peak 1/(1 − r)², relative to the mean 1/(1 − r²): 16ε(1 + r)/(1 − r).
        ctx.record(abs(NL.arc_phase_average(r, 2 * np.pi) * (1 - r * r) - 1), 1e-12 + 16 * EPS * (1 + r) / (1 - r),
                   part="Poisson average", r=r)
    ctx.record(abs(float(flim(0.9 ** 2)) - 1 / (1 - 0.81)), 16 * EPS / (1 - 0.81), part="r_min = r_max limit")
    # r_max > 0.999: Monte Carlo is heavy-tailed there, so integrate the radial density instead
    rng = ctx.rng()
    for _ in range(2):
        rmax = 1 - 10 ** float(rng.uniform(-6, -3))
        rmin = float(rng.uniform(0.0, rmax))
        if rmin == rmax:
            ctx.skip("quadrature with r_min = r_max: the radial density degenerates (its limit is checked above)")
            continue
        spread = rmax ** 2 / (rmax ** 2 - rmin ** 2)
        # a, b − a and the log ratio lose log10(b/(b − a)) digits to cancellation
        with mpmath.mp.workdps(30 if spread <= 1e6 else 30 + math.ceil(math.log10(spread))):
            a, b = mpmath.mpf(rmin) ** 2, mpmath.mpf(rmax) ** 2
            quad = mpmath.quad(lambda p: 2 * p / (b - a) / (1 - p ** 2), [mpmath.mpf(rmin), mpmath.mpf(rmax)])
            ctx.record(float(abs(quad / fE(a, b) - 1)), 1e-20, part="quadrature, r_max > 0.999", r_max=rmax)
    factor = NL.arc_phase_average(0.99, np.pi / 10) * (1 - 0.99 ** 2)
    ctx.note(f"constant input, phase [0, π/10], r = 0.99: arc average / (1/(1−r²)) = {factor:.2f} "
             "(white-noise formula does not apply)")


# ------------------------------------------------------------------------------------------------
# Registration, in report order.
register_claim("ring_sampling", "LRU Lemma 2: the ring sampler is uniform on the annulus", "LRU Lemma 2; " + LRU,
       ("u₁, u₂ ~ U[0, 1] independent", "0 ≤ r_min ≤ r_max ≤ 1",
        "KS and moment tests need r_max² − r_min² ≥ 1e-8 r_max² (a thinner ring is checked as r_min ≤ |λ| ≤ r_max)"),
       Tolerance("KS p > α (two tests); mean and variance of |λ|² within z_α SE",
                 "tests at the run's per-test α (Bonferroni over a thorough run); SE from the uniform law", kind="statistical"),
       _num_ring, _sym_ring, statistical_checks=4 * 40,
       expressions=lambda: {"cdf": T.ring_radius_cdf()[0]},
       source="LRU Lemma 2",
       sides=Sides(
        symbolic=("theory.linear_recurrence.ring_radius_cdf",),
        numeric=("numerics.linear_recurrence.ring_sample",),
        lambdified=("theory.linear_recurrence.ring_radius_cdf",),
       ))
register_claim("forward_blowup", "LRU Prop. 3: forward blow-up E‖x∞‖²/E‖Bu‖² = log((1−a)/(1−b))/(b − a), a = r_min², b = r_max²",
       "LRU Prop. 3; " + LRU,
       ("λ uniform on the ring, full phase", "white-noise input", "r_max ≤ 0.999 for Monte Carlo",
        "r_min ≤ r_max; at r_min = r_max the factor is its limit 1/(1 − r²)"),
       Tolerance("z_α·SE with SE = √((E f² − μ²)/n) from the analytic moments (+ με(4b/(1 − b) + log₂ n) on a thin ring, b − a ≤ 1e-3 b); E|x_k|² within z_α√((e² + |Σλ^{2j}|²)/paths) (Var|x_k|² of a non-circular complex Gaussian); Poisson average 1e-12 + 16ε(1 + r)/(1 − r)",
                 "z-tests at the run's per-test α (f is heavy-tailed, so no fixed percentage); the quadrature runs at epsrel 1e-13 and the integrand rounds near its peak 1/(1 − r)²", kind="statistical+roundoff"),
       _num_blowup, _sym_blowup, statistical_checks=2 * 40,
       expressions=lambda: {"E f": T.blowup_factor(), "limit": T.blowup_limit(),
                               "E f^2": T.blowup_second_moment()},
       source="LRU Prop. 3; toolkit extension (constant input, 1-D white-noise energy)",
       sides=Sides(
        symbolic=("theory.linear_recurrence.blowup_factor", "theory.linear_recurrence.blowup_limit", "theory.linear_recurrence.blowup_second_moment", "theory.linear_recurrence.state_energy_1d", "theory.linear_recurrence.poisson_phase_average"),
        numeric=("numerics.linear_recurrence.blowup_factor_mc", "numerics.linear_recurrence.ring_sample", "numerics.linear_recurrence.arc_phase_average"),
        lambdified=("theory.linear_recurrence.blowup_factor", "theory.linear_recurrence.blowup_second_moment", "theory.linear_recurrence.blowup_limit"),
       ))
