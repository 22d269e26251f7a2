"""Nodes on and near the unit circle: real degrees of freedom of complex states, roots of unity
(VᴴV = N·I, κ₂ = 1), roots shrunk to radius r (the derived κ₂ = max(r, 1/r)^{L−1}) and the S4D-Lin
ZOH nodes, which are shrunk roots of unity at Δ = 2/N (LRU §4)."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp

from numerics import InputError
from numerics import linear_recurrence as NL
from numerics import vandermonde as NV
from proofs_checks.registry import Proof, Sides, Tolerance
from theory import linear_recurrence as T

from ._checks import REF, register_claim, searching, shrunk_cond_fn, size_cap
from ._instances import roots_exact


# linear_recurrence.real_dof_counting
def _sym_realdof():
    s = T.roots_of_unity_sum()
    ok = sp.simplify(s.subs(T.m, 0)) == T.N
    r = T.r
    grams = all(sp.simplify(T.half_shifted_roots_gram(LL) - sp.Rational(LL, 2) * sp.diag(*[r ** (2 * jj) for jj in range(LL)])) == sp.zeros(LL)
                for LL in (2, 4, 6))
    LL = 4
    ones = sp.ones(LL, LL)
    a = sp.Matrix([(-1) ** jj for jj in range(LL)])
    rf = T.rfft_nodes_gram(LL) == (LL * sp.eye(LL) + ones + a * a.T) / 2
    return Proof(ok and grams and rf, "Σω^{nm} = N·[ω^m = 1] (summation, Piecewise); exact AᵀA = (L/2)diag(r^{2j}) "
                 "for half-shifted roots, L ∈ {2, 4, 6}; rfft Gram = (LI + 11ᵀ + aaᵀ)/2 for L = 4")


def _num_realdof(ctx):
    for rng in ctx.instances():
        L = 2 * int(rng.integers(1, size_cap(ctx, 1024 if ctx.thorough else 256, 16) + 1))
        r = float(rng.choice([1.0, rng.uniform(0.9, 1.0)]))
        z = NL.half_shifted_roots(L, r)
        A = NL.real_stacked(NL.state_matrix(z, L))
        G = A.T @ A
        ctx.record(np.abs(G - L / 2 * np.diag(r ** (2 * np.arange(L)))).max(), 1e-12 * L, part="c Gram", L=L, r=r)
        s = np.linalg.svd(A, compute_uv=False)
        formula = float(shrunk_cond_fn()(r, L))
        ctx.record(abs(s[0] / s[-1] - formula) / formula, 1e-12 if r == 1 else 1e-8, part="c cond", L=L, r=r)
        if r == 1.0:
            S = rng.choice(L // 2, size=int(rng.integers(1, L // 2 + 1)), replace=False)
            AS = NL.real_stacked(NL.state_matrix(z[S], L))
            ctx.record(np.abs(AS @ AS.T - L / 2 * np.eye(2 * S.size)).max(), 1e-12 * L, part="c subset AAᵀ")
        # (d) rfft nodes
        Lr = int(rng.integers(2, size_cap(ctx, 512, 32) + 1))
        zr = NL.rfft_nodes(Lr) if Lr % 2 == 0 else NL.half_shifted_roots(Lr)
        Ar = NL.real_stacked(NL.state_matrix(zr, Lr))
        sr = np.linalg.svd(Ar, compute_uv=False)
        sr = sr[sr > 1e-8 * sr[0]]
        # AᵀA = (LI + 11ᵀ + aaᵀ)/2 has eigenvalue L on span(1, a) and L/2 on its complement, which
        # is empty at L = 2: there AᵀA = 2I and κ₂ = 1 (for odd L ≥ 3 the half-shifted set also gives √2)
        expected = math.sqrt(2) if Lr >= 3 else 1.0
        ctx.edge("(d) L = 2 (κ₂ = 1, not √2)", Lr == 2)
        ctx.record(abs(sr[0] / sr[-1] - expected), 1e-12 * max(1, Lr / 64), part="d cond √2 (1 at L = 2)", L=Lr)
        if Lr % 2 == 0:
            u = rng.standard_normal(Lr)
            x = NL.simulate(zr, None, u)
            ctx.record(np.abs(x - np.conj(np.fft.rfft(u[::-1]))).max(), 1e-12 * np.abs(u).sum(), part="d rfft")
        # (a) conjugate nodes and weights give the conjugate state
        N = int(rng.integers(1, 33))
        lam = NL.ring_sample(rng, N, 0.0, 1.0)
        b = rng.standard_normal(N) + 1j * rng.standard_normal(N)
        u = rng.standard_normal(int(rng.integers(1, 200)))
        ctx.record(np.abs(NL.simulate(lam.conj(), b.conj(), u) - NL.simulate(lam, b, u).conj()).max(), 0.0,
                   part="a conjugate")
        # (b) ρ: 1 per real node, 2 per non-real node up to conjugation (mpmath rank)
        nr, nc = int(rng.integers(0, 3)), int(rng.integers(1, 4))
        comp = NL.ring_sample(rng, nc, 0.5, 1.0, np.pi)
        comp = comp[np.abs(comp.imag) > 1e-3]
        nodes = np.concatenate([rng.uniform(-0.9, 0.9, nr), comp, comp[:1].conj()])
        rho = nr + 2 * comp.size
        Lb = int(rng.integers(1, 2 * rho + 3))
        # ρ counts distinct nodes up to conjugation: the draw must not repeat one (separation 1e-3
        # also keeps σ_min of A far above the 50-digit threshold)
        distinct = np.concatenate([nodes[:nr], comp])
        sep = np.min(np.abs(distinct[:, None] - distinct[None, :]) + 9 * np.eye(distinct.size)) if distinct.size > 1 else 9.0
        ctx.edge("(b) a real node", nr > 0)
        if rho == 0 or sep < 1e-3:
            ctx.skip(f"(b) {rho} usable nodes, separation {sep:.1e}: ρ needs distinct nodes (≥ 1e-3 apart)")
            continue
        with mpmath.mp.workdps(50):
            Am = mpmath.matrix(NL.real_stacked(NL.state_matrix(nodes, Lb)).tolist())
            s = mpmath.svd_r(Am, compute_uv=False)
            rank = sum(1 for v in s if v > mpmath.mpf(10) ** -25 * max(s))
        # numerics.real_dof (behind `rnnproof vandermonde`) must count the same ρ
        ctx.require(rank == min(Lb, rho) and NL.real_dof(nodes) == rho,
                    "rank_R A = min(L, ρ) (conjugate pair adds nothing)", rho=rho, L=Lb, rank=rank)


# linear_recurrence.roots_of_unity
def _sym_roots():
    s, at0, nz = T.roots_gram()
    return Proof(at0 == T.N and nz == 0, "Σ_n ω^{nm} = N for m = 0 and (1 − ω^{mN})/(1 − ω^m) = 0 for 0 < |m| < N, "
                 "so (VᴴV)_{jk} = Nδ_{jk} for j, k < L ≤ N")


def _num_roots(ctx):
    for rng in ctx.instances():
        L = int(rng.integers(1, size_cap(ctx, 1024 if ctx.thorough else 256, 32) + 1))
        N = int(rng.integers(L, 2 * L + 1))
        if "N ≥ L" in ctx.relaxed:
            L = max(L, 2)
            N = int(rng.integers(1, L))   # fewer nodes than powers: columns j and j + N alias
        ctx.edge("N = L", N == L)
        ctx.edge("L = 1", L == 1)
        V = roots_exact(N, L)
        ctx.record(np.abs(V.conj().T @ V / N - np.eye(L)).max(), 1e-12, part="Gram", N=N, L=L)
        s = np.linalg.svd(V, compute_uv=False)
        ctx.record(abs(s[0] / s[-1] - 1), 1e-12, part="cond", N=N, L=L)
        u = rng.standard_normal(L)
        ctx.record(np.abs(V @ u - N * np.fft.ifft(u, n=N)).max(), 1e-12 * np.abs(u).sum(), part="ifft")
        # pinv = Vᴴ/N
        ctx.record(np.abs(np.linalg.pinv(V) - V.conj().T / N).max() * N, 1e-10, part="V⁺ = Vᴴ/N")
        if L >= 3:
            Ns = int(rng.integers(1, L))
            Va = roots_exact(Ns, L)
            ctx.require(np.allclose(Va[:, 0], Va[:, Ns]) and NV.vandermonde_rank(Va[:, 1], L) == Ns,
                        "N < L: columns j and j+N coincide (aliasing), rank N", N=Ns, L=L)


# linear_recurrence.shrunk_roots_cond
def _sym_shrunk():
    kap = T.shrunk_roots_cond()
    ok = kap.args[0][1] == (T.r < 1)
    checks = []
    for nn in (2, 3, 4):
        G = T.shrunk_roots_gram(nn, nn)
        checks.append(sp.simplify(G - nn * sp.diag(*[T.r ** (2 * jj) for jj in range(nn)])) == sp.zeros(nn))
        for rv in (sp.Rational(1, 2), sp.Integer(2)):
            ev = [sp.sqrt(e) for e in G.subs(T.r, rv).eigenvals()]
            checks.append(sp.simplify(max(ev) / min(ev) - kap.subs({T.r: rv, T.L: nn})) == 0)
    r_min, _ = T.radius_for_condition()
    checks.append(sp.simplify(kap.args[0][0].subs(T.r, r_min) - T.kappa) == 0)
    return Proof(ok and all(checks), "derived κ₂ = Piecewise((r^{1−L}, r < 1), (r^{L−1}, True)) from σ_j = √N r^j; "
                 "matches exact Gram/eigenvalues for N = L ∈ {2, 3, 4} at r ∈ {1/2, 2}; r_min = κ^{−1/(L−1)} solves κ₂ = κ")


def _num_shrunk(ctx):
    f = shrunk_cond_fn()
    for rng in ctx.instances():
        big = ctx.instance == ctx.examples - 1 or ctx.instance % 8 == 7
        if searching(ctx):
            big = rng.random() > 0.8   # the slow high-precision path; shrinking (to 0) leaves it
        if not big:
            L = int(rng.integers(2, size_cap(ctx, 512, 48) + 1))
            N = int(rng.integers(L, 2 * L + 1))
            r = float(rng.uniform(0.9, 1.0))
            formula = float(f(r, L))
            if formula > 1e12:
                r = float(1e12 ** (-1 / (L - 1)) + (1 - 1e12 ** (-1 / (L - 1))) * rng.random())
                formula = float(f(r, L))
            ctx.edge("r = 1 (nodes on the unit circle)", r == 1.0)
            ctx.edge("N = L", N == L)
            s = np.linalg.svd(r ** np.arange(L)[None, :] * roots_exact(N, L), compute_uv=False)
            ctx.record(abs(s[0] / s[-1] - formula) / formula, 1e-8, path="float64", N=N, L=L, r=r)
        else:
            # beyond 1e12: high-precision κ₂ (numerics.vandermonde.cond2), square and tall
            if searching(ctx):
                # κ₂ > 1e12 at small L needs small r (the closed form holds for every r > 0)
                L, r_lo = int(rng.integers(16, 25)), 0.05
            elif NV.have_flint() or ctx.thorough:
                L = int(rng.integers(265, 300))   # 0.9^{-(L-1)} > 1e12 needs L > 263
                r_lo = 0.9
            else:
                # pure-mpmath fallback: Traub at L ≈ 270 takes ~20 s, so reach κ₂ > 1e12 with
                # smaller L and r ∈ [0.6, …] (the closed form holds for every r > 0)
                L, r_lo = int(rng.integers(60, 80)), 0.6
            # tall systems go through the Gram inverse (O(L³)): thorough profile only
            N = L if (not ctx.thorough or rng.random() < 0.5) else L + int(rng.integers(1, 8))
            r = float(rng.uniform(r_lo, 1e12 ** (-1 / (L - 1))))
            formula = float(f(r, L))
            res = NV.cond2(r * np.exp(2j * np.pi * np.arange(N) / N), L, float64_trust=0.0)
            ctx.record(float(abs(res.cond2 - formula) / formula), 1e-10, path="high precision", N=N, L=L, r=r,
                       kappa=formula, dps=res.dps_used)
    try:
        NL.roots_of_unity(4, 0.0)
        ctx.require(False, "r = 0 raises InputError naming r")
    except InputError as exc:
        ctx.require("r" in str(exc), "r = 0 raises InputError naming r")


# linear_recurrence.s4d_lin_link
def _sym_s4d():
    return Proof(T.s4d_lin_zoh_nodes()[1] == 0, "exp((2/N)(−1/2 + iπn)) − e^{−1/N}ω^n simplifies to 0; κ₂ then "
                 "follows from shrunk_roots_cond with r = e^{−1/N}")


def _num_s4d(ctx):
    f = shrunk_cond_fn()
    for rng in ctx.instances():
        N = int(rng.integers(2, size_cap(ctx, 256, 48) + 1))
        L = int(rng.integers(2, N + 1))
        z = NL.s4d_lin_nodes(N, 2.0 / N)
        ctx.edge("N = L", N == L)
        ctx.edge("N = 2", N == 2)
        ctx.record(np.abs(z - NL.roots_of_unity(N, math.exp(-1 / N))).max(), 1e-13, part="a nodes", N=N)
        s = np.linalg.svd(NL.state_matrix(z, L), compute_uv=False)
        formula = float(f(math.exp(-1 / N), L))
        ctx.record(abs(s[0] / s[-1] - formula) / formula, 1e-8, part="a cond", N=N, L=L)
        ctx.record(abs(formula - math.exp((L - 1) / N)) / formula, 1e-12, part="a e^{(L-1)/N}", N=N, L=L)
    # (b) small Δ: nodes on a short arc, κ₂ explodes (high precision); (c) the ZOH rows
    # fixed Δ and n, no drawn value: the search leaves them to `run`
    for Delta, n in () if searching(ctx) else ((1e-3, 32), (1e-2, 32)) + (((1e-3, 64), (1e-2, 64)) if ctx.thorough else ()):
        z = NL.s4d_lin_nodes(n, Delta)
        kV = NV.cond2(z, n)
        a = -0.5 + 1j * np.pi * np.arange(n)
        bz = (z - 1) / a
        kB = NV.cond2(z, n, b=bz)
        ctx.record(1e12 / float(kV.cond2), 1.0, part="b κ₂ > 1e12", Delta=Delta, n=n)
        ctx.note(f"S4D-Lin Δ={Delta:g}, N=L={n}: κ₂(V) = 10^{kV.log10:.1f}, κ₂(diag(b)V) = 10^{kB.log10:.1f}")
    try:
        NL.s4d_lin_nodes(8, 1.0)
        ctx.require(False, "coinciding nodes (Δ(n−n') even) raise InputError naming Delta")
    except InputError as exc:
        ctx.require("Delta" in str(exc), "coinciding nodes raise InputError naming Delta")


# ------------------------------------------------------------------------------------------------
# Registration, in report order.
register_claim("real_dof_counting", "Real vs complex states: count real degrees of freedom", "Toolkit; " + REF,
       ("real inputs, complex states", "(b) distinct nodes up to conjugation (separation ≥ 1e-3)",
        "(c) half-shifted roots of unity at radius r", "(d) rfft nodes, L ≥ 3 for κ₂ = √2 (κ₂ = 1 at L = 2)"),
       Tolerance("Gram entrywise 10⁻¹² L; κ₂ within 1e-12 of 1 (r = 1) or rtol 1e-8; √2 within 1e-12",
                 "Gram entries are sums of L unit-size terms; LAPACK singular values are relatively accurate here", kind="roundoff"),
       _num_realdof, _sym_realdof, cost=1.5,
       source="toolkit extension",
       sides=Sides(
        symbolic=("theory.linear_recurrence.roots_of_unity_sum", "theory.linear_recurrence.half_shifted_roots_gram", "theory.linear_recurrence.rfft_nodes_gram"),
        numeric=("numerics.linear_recurrence.half_shifted_roots", "numerics.linear_recurrence.state_matrix", "numerics.linear_recurrence.real_stacked", "numerics.linear_recurrence.rfft_nodes", "numerics.linear_recurrence.simulate", "numerics.linear_recurrence.ring_sample", "numerics.linear_recurrence.real_dof"),
        lambdified=("theory.linear_recurrence.shrunk_roots_cond",),
       ))
register_claim("roots_of_unity", "Roots of unity: VᴴV = N·I, κ₂ = 1, V⁺ = Vᴴ/N", "Córdova–Gautschi–Ruscheweyh 1990; " + REF,
       ("λ_n = e^{2πin/N}", "N ≥ L"),
       Tolerance("‖VᴴV/N − I‖_max ≤ 1e-12; |κ₂ − 1| ≤ 1e-12; ifft identity 1e-12 ‖u‖₁",
                 "entries computed from exact integer phases nj mod N; sums of N unit terms", kind="roundoff"),
       _num_roots, _sym_roots, cost=1.5,
       expressions=lambda: {"sum": T.roots_of_unity_sum()},
       relaxable={"N ≥ L": "draws N < L roots for L powers: columns j and j + N alias, so VᴴV ≠ N·I"},
       source="Córdova, Gautschi & Ruscheweyh 1990 (Numer. Math. 57); Orvieto et al. 2024, complex eigenvalues on the unit circle (reconstructed)",
       commands=("rnnproof vandermonde NODES.npy --L L",),
       sides=Sides(
        symbolic=("theory.linear_recurrence.roots_gram",),
        numeric=("numerics.vandermonde.vandermonde_rank",),
       ))
register_claim("shrunk_roots_cond", "Radius-r roots of unity: κ₂ = max(r, 1/r) to the power L − 1 (derived closed form)", "Toolkit",
       ("λ_n = r e^{2πin/N}", "N ≥ L", "r > 0"),
       Tolerance("rtol 1e-8 (float64 SVD) while κ₂ ≤ 1e12; beyond, rtol 1e-10 against the high-precision κ₂",
                 "orthogonal graded columns: LAPACK is relatively accurate; beyond 1e12 cond2's σ_max steps are "
                 "float64 on exact scaled matrices (≈ √(NL)ε relative), rather than rtol 1e-20 (which needs an "
                 "O(L³) mpmath SVD at L ≈ 300)", kind="roundoff"),
       _num_shrunk, _sym_shrunk, cost=2.0,
       expressions=lambda: {"kappa_2": T.shrunk_roots_cond(), "r_min": T.radius_for_condition()[0]},
       source="toolkit extension (closed form derived symbolically)",
       commands=("rnnproof vandermonde NODES.npy --L L",),
       sides=Sides(
        symbolic=("theory.linear_recurrence.shrunk_roots_gram", "theory.linear_recurrence.radius_for_condition"),
        numeric=("numerics.vandermonde.have_flint", "numerics.vandermonde.cond2", "numerics.linear_recurrence.roots_of_unity"),
       ))
register_claim("s4d_lin_link", "S4D-Lin ZOH eigenvalues at Δ = 2/N are roots of unity shrunk by e^{−1/N}", "LRU §4; toolkit",
       ("ã_n = −1/2 + iπn", "ZOH λ = e^{Δã}", "(a) Δ = 2/N, N ≥ L"),
       Tolerance("(a) nodes 1e-13, κ₂ rtol 1e-8; (b) κ₂ > 1e12 (sanity floor)",
                 "exp of a float64 argument is correctly rounded to a few ulp", kind="roundoff"),
       _num_s4d, _sym_s4d, cost=1.5,
       expressions=lambda: {"lambda_n": T.s4d_lin_zoh_nodes()[0]},
       source="LRU §4 (S4D-Lin); toolkit extension",
       sides=Sides(
        symbolic=("theory.linear_recurrence.s4d_lin_zoh_nodes",),
        numeric=("numerics.linear_recurrence.s4d_lin_nodes", "numerics.linear_recurrence.roots_of_unity", "numerics.linear_recurrence.state_matrix", "numerics.vandermonde.cond2"),
       ))
