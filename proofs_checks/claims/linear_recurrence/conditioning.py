"""Vandermonde conditioning away from the circle: Gautschi's 1962 bound on ‖V⁻¹‖₁ (equality on a
ray), the exponential growth of κ₂ for real nodes, and real against complex nodes at equal N."""

from __future__ import annotations

import functools
import math

import mpmath
import numpy as np
import sympy as sp

from numerics import linear_recurrence as NL
from numerics import vandermonde as NV
from proofs_checks.registry import NotApplicable, Proof, Sides, Tolerance
from theory import linear_recurrence as T

from ._checks import register_claim, searching, shrunk_cond_fn


# linear_recurrence.gautschi_bound
def _sym_gautschi():
    xs = sp.symbols("x0:3")
    V = T.vandermonde(xs, 3)
    Vinv = V.inv()
    lag = all(sp.simplify(Vinv[jj, i] - T.lagrange_coefficients(xs, i)[jj]) == 0 for i in range(3) for jj in range(3))
    ray = all(e == 0 for e in T.ray_coefficients(4))
    res, mod = T.roots_derivative_identity(4)
    return Proof(lag and ray and all(e == 0 for e in res) and mod == T.N,
                 "columns of V⁻¹ = Lagrange coefficients (n = 3, symbolic); on a ray the coefficients of "
                 "Π(z − ρ_k e^{iθ}) are (−e^{iθ})^m e_m(ρ) (n = 4); Π_{k≠i}|ω^i − ω^k| = |P'(ω^i)| = N")


def _num_gautschi(ctx):
    for rng in ctx.instances():
        n = int(rng.integers(2, 17 if ctx.thorough else 9))
        if searching(ctx) and rng.random() < 0.2:
            n = 2
        bound_fn = _gautschi_fn(n)
        with mpmath.mp.workdps(80):
            theta = mpmath.mpf(float(rng.uniform(0, 2 * np.pi)))
            rho_f = rng.uniform(0.01, 1.0, n) if rng.random() < 0.5 else np.arange(1, n + 1) / n
        # The inverse loses log10 κ₂ ≤ log10(n‖V‖₁G) digits (G Gautschi's bound, the same on the
        # ray as for the moduli): 80 digits while G ≤ 1e30, else log10 G + 50, so that 1e-30 holds.
        lg_ray = NV.log10_gautschi_bound(rho_f)
        ctx.edge("n = 2", n == 2)
        ctx.edge("equispaced moduli on the ray", bool(np.allclose(np.diff(rho_f), 1 / n)))
        if not math.isfinite(lg_ray):
            ctx.skip("repeated nodes on the ray: V is singular (the bound needs distinct nodes)")
            continue
        with mpmath.mp.workdps(_digits(lg_ray)):
            rho = [mpmath.mpf(float(v)) for v in rho_f]
            nodes = [p * mpmath.expj(theta) for p in rho]
            inv = mpmath.inverse(mpmath.matrix([[x ** j for j in range(n)] for x in nodes]))
            ratio = mpmath.mnorm(inv, 1) / bound_fn(*nodes)
            ctx.record(float(abs(ratio - 1)), 1e-30, part="ray equality", n=n)
            w = [mpmath.expjpi(mpmath.mpf(2 * i) / n) for i in range(n)]
            invw = mpmath.inverse(mpmath.matrix([[x ** j for j in range(n)] for x in w]))
            ctx.record(float(abs(mpmath.mnorm(invw, 1) - 1)), 1e-30, part="roots ‖V⁻¹‖₁ = 1", n=n)
            bw = bound_fn(*w)
            ctx.record(float(abs(bw - mpmath.mpf(2) ** (n - 1) / n)), 1e-30 * bw, part="roots bound 2^{n-1}/n", n=n)
            zc = NL.ring_sample(rng, n, 0.2, 1.0)
        if searching(ctx) and rng.random() < 0.3:
            zc = np.abs(zc) * np.exp(1j * np.angle(zc[0]))   # all on one ray: the bound is attained
        lg_c = NV.log10_gautschi_bound(zc)
        if not math.isfinite(lg_c):
            ctx.skip("repeated random nodes: V is singular (the bound needs distinct nodes)")
            continue
        ctx.edge("random nodes on one ray (equality)", bool(np.all(np.angle(zc) == np.angle(zc[0]))))
        with mpmath.mp.workdps(_digits(lg_c)):
            dps = mpmath.mp.dps
            nodes = NV.mp_nodes(zc)
            invc = mpmath.inverse(mpmath.matrix([[x ** j for j in range(n)] for x in nodes]))
            # ≤ 1, with equality on a ray: allow the ratio's rounding, 10^(log10 κ₂ + 5 − dps)
            ctx.record(float(mpmath.mnorm(invc, 1) / bound_fn(*nodes)), 1.0 + 10.0 ** (lg_c + 5 - dps),
                       part="random complex: bound holds", n=n)
            # log-space bound of numerics agrees with the symbolic one
            ctx.record(abs(NV.log10_gautschi_bound(zc) - float(mpmath.log10(bound_fn(*nodes)))), 1e-10,
                       part="log-space bound")
    ctx.require(math.isinf(NV.log10_gautschi_bound([0.5, 0.5])), "duplicate nodes: infinite bound")


def _digits(log10_bound: float) -> int:
    """Working digits for the 1e-30 checks: 80, or log10 G + 50 when Gautschi's bound G > 1e30."""
    return 80 if log10_bound <= 30 else int(math.ceil(log10_bound)) + 50


@functools.lru_cache(maxsize=None)
def _gautschi_fn(n):
    xs = sp.symbols(f"x0:{n}")
    return sp.lambdify(xs, T.gautschi_bound(list(xs)), "mpmath")


# linear_recurrence.real_node_growth
def _num_growth(ctx):
    if searching(ctx):
        raise NotApplicable("a fixed set of node families and sizes: no drawn instance to search")
    fams = {"chebyshev": NL.chebyshev_nodes, "equi[0,1]": lambda n: np.linspace(0, 1, n),
            "equi[-1,1]": lambda n: np.linspace(-1, 1, n), "equi[0.9,0.999]": lambda n: np.linspace(0.9, 0.999, n)}
    ns = (16, 24, 32, 40) if ctx.thorough else (16, 24)
    for name, fn in fams.items():
        for n in ns:
            k1, k2 = NV.cond2(fn(n), n), NV.cond2(fn(n + 8), n + 8)
            rate = 10 ** ((k2.log10 - k1.log10) / 8)
            if name == "chebyshev":
                ctx.record(max(2.3 - rate, rate - 2.5, 0.0), 0.0, family=name, n=n, rate=rate)
            else:
                ctx.record(max(2.3 - rate, 0.0), 0.0, family=name, n=n, rate=rate)
            ctx.note(f"{name}: (κ₂({n + 8})/κ₂({n}))^(1/8) = {rate:.3f}")
    # the high-precision κ₂ itself, against mpmath's SVD (an independent route)
    x = NL.chebyshev_nodes(16)
    with mpmath.mp.workdps(60 + 2 * 16):
        s = mpmath.svd_r(mpmath.matrix([[mpmath.mpf(v) ** j for j in range(16)] for v in x]), compute_uv=False)
        ref = max(s) / min(s)
    ctx.record(float(abs(NV.cond2(x, 16).cond2 / ref - 1)), 1e-10, part="cond2 vs mpmath SVD", n=16)
    # Between cond2's float64 trust level and 1e14, where a float64 SVD loses up to κ₂·ε relative:
    # equispaced [0, 1], n = 16, κ₂ ≈ 3e12. cond2's high-precision κ₂ is σ_max(M)·σ_max(M⁻¹), two
    # float64 LAPACK σ_max of the rounded matrices, each relatively accurate to n²ε; the mpmath
    # reference at 2·log10 κ₂ + 40 digits adds 10^(log10 κ₂ + 1 − dps).
    x = np.linspace(0.0, 1.0, 16)
    graded = NV.cond2(x, 16)
    ref_dps = int(2 * graded.log10) + 40
    with mpmath.mp.workdps(ref_dps):
        s = mpmath.svd_r(mpmath.matrix([[mpmath.mpf(v) ** j for j in range(16)] for v in x]), compute_uv=False)
        ref = max(s) / min(s)
    eps = float(np.finfo(float).eps)
    ctx.record(float(abs(graded.cond2 / ref - 1)), 2 * 16 ** 2 * eps + 10.0 ** (graded.log10 + 1 - ref_dps),
               part="cond2 vs mpmath SVD beyond the float64 trust level", n=16, log10_kappa=graded.log10)
    bad = NV.cond2(np.linspace(0.9, 0.999, 24), 24)
    ctx.require(bad.dps_used > 16 and bad.log10 > 16, "beyond 1e14 the float64 estimate is refused (mpmath used)",
                log10_kappa=bad.log10)


# linear_recurrence.real_vs_complex_cond
def _num_realcomplex(ctx):
    f = shrunk_cond_fn()
    for rng in ctx.instances():
        n = int(rng.choice([12, 16]))
        rmax = float(rng.uniform(0.9, 1.0))
        rmin = float(rng.uniform(0.0, rmax - 0.05))
        ctx.edge("r_min = 0 (a zero node)", rmin == 0.0)
        ctx.edge("r_max = 1 (on the unit circle)", rmax == 1.0)
        kr = NV.cond2(np.linspace(rmin, rmax, n), n)
        kc = float(f(rmax, n))
        ctx.record(1e6 * kc / float(kr.cond2), 1.0, n=n, r_min=rmin, r_max=rmax, log10_real=kr.log10)
        s = np.linalg.svd(NL.state_matrix(NL.roots_of_unity(n, rmax), n), compute_uv=False)
        ctx.record(abs(s[0] / s[-1] / kc - 1), 1e-8, part="complex κ₂ vs formula", n=n)


# ------------------------------------------------------------------------------------------------
# Registration, in report order.
register_claim("gautschi_bound", "Gautschi: ‖V⁻¹‖₁ ≤ maxᵢ Πₖ (1+|xₖ|)/|xᵢ−xₖ| (k ≠ i), equality on a ray", "Gautschi 1962",
       ("distinct nodes", "square V, rows = nodes"),
       Tolerance("ratio to the bound = 1 within 1e-30 on rays; roots: ‖V⁻¹‖₁ = 1 within 1e-30",
                 "mpmath at 80 digits, or log10 G + 50 when Gautschi's bound G exceeds 1e30: the inverse loses at most "
                 "log10 κ₂ ≤ log10(nG) digits; the random-node ratio ≤ 1 allows its rounding 10^(log10 G + 5 − dps)", kind="roundoff"),
       _num_gautschi, _sym_gautschi, cost=1.5,
       source="Gautschi 1962 (Numer. Math. 4)",
       sides=Sides(
        symbolic=("theory.linear_recurrence.vandermonde", "theory.linear_recurrence.lagrange_coefficients", "theory.linear_recurrence.ray_coefficients", "theory.linear_recurrence.roots_derivative_identity"),
        numeric=("numerics.linear_recurrence.ring_sample", "numerics.vandermonde.mp_nodes", "numerics.vandermonde.log10_gautschi_bound"),
        lambdified=("theory.linear_recurrence.gautschi_bound",),
       ))
register_claim("real_node_growth", "Real nodes: κ₂ grows exponentially (Chebyshev rate ≈ 1 + √2)", "Beckermann 2000 (rates only)",
       ("real nodes in [−1, 1] or [0, 1]", "8-step geometric-mean rates"),
       Tolerance("Chebyshev rate in [2.3, 2.5]; other families ≥ 2.3 per node; κ₂ of equispaced [0, 1] "
                 "(n = 16, κ₂ ≈ 3e12) vs an mpmath SVD within 2n²ε",
                 "κ₂ exact to ~1e-13 in high precision (two float64 σ_max of rounded matrices, n²ε each); "
                 "single-step ratios oscillate with parity", kind="truncation+roundoff"),
       _num_growth, None, cost=2.0,
       source="Beckermann 2000 (Numer. Math. 85), growth rates only",
       commands=("rnnproof vandermonde NODES.npy --L L",),
       sides=Sides(
        symbolic=(),
        numeric=("numerics.linear_recurrence.chebyshev_nodes", "numerics.vandermonde.cond2"),
       ))
register_claim("real_vs_complex_cond", "Real nodes are worse than complex nodes at equal N (factor > 10⁶)", "Toolkit",
       ("N = L = n ∈ {12, 16}", "r_max ∈ [0.9, 1]", "0 ≤ r_min ≤ r_max − 0.05"),
       Tolerance("κ₂(real) ≥ 10⁶ r_max^{−(n−1)}", "observed margins exceed two more orders of magnitude", kind="truncation+roundoff"),
       _num_realcomplex, None,
       source="toolkit extension",
       sides=Sides(
        symbolic=(),
        numeric=("numerics.vandermonde.cond2", "numerics.linear_recurrence.roots_of_unity", "numerics.linear_recurrence.state_matrix"),
       ))
