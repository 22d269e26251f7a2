"""Claims of Orvieto, De, Gulcehre, Pascanu & Smith, "Universality of linear recurrences followed by
non-linear projections" (ICML 2024, arXiv:2307.11888) and the LRU paper's Lemma 2 / Prop. 3;
specification ``shared/briefs/linear_recurrence.md`` (21 claims, §4).

Symbolic side: ``theory.linear_recurrence`` (MatrixSymbol unrolling, explicit Vandermonde
determinants, the derived closed form of κ₂ for shrunk roots of unity, LRU integrals). Numeric side:
``numerics.linear_recurrence`` (simulation, decoders, Monte Carlo) and ``numerics.vandermonde``
(Björck–Pereyra, high-precision κ₂). Each numeric check compares a lambdified theory result or a
direct computation with an independent route (simulation vs closed form, float64 vs mpmath,
LAPACK vs formula).
"""

from __future__ import annotations

import functools
import math

import mpmath
import numpy as np
import sympy as sp

from numerics import InputError
from numerics import linear_recurrence as NL
from numerics import vandermonde as NV
from proofs_checks.registry import Claim, NotApplicable, Proof, Sides, Tolerance, annotate, register
from theory import linear_recurrence as T

PAPER = "linear_recurrence"
REF = "Orvieto et al. 2024 (arXiv:2307.11888); brief linear_recurrence"
LRU = "Orvieto et al. 2023, LRU (arXiv:2303.06349); brief linear_recurrence"
EPS = np.finfo(float).eps


def _claim(slug, title, reference, hypotheses, tolerance, numeric, symbolic=None, cost=1.0, note="",
           statistical_checks=0):
    register(Claim(id=f"{PAPER}.{slug}", paper=PAPER, title=title, reference=reference,
                   statement=lambda: T.statement(slug), hypotheses=tuple(hypotheses),
                   tolerance=tolerance, numeric=numeric, symbolic=symbolic, cost=cost,
                   expressions=_EXPRESSIONS.get(slug), note=note, statistical_checks=statistical_checks))


def _zero(expr) -> bool:
    if isinstance(expr, (list, tuple)):
        return all(_zero(e) for e in expr)
    if isinstance(expr, sp.MatrixBase):
        return all(sp.simplify(e) == 0 for e in expr)
    if getattr(expr, "is_ZeroMatrix", False):
        return True
    return sp.simplify(expr) == 0


def _relerr(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


@functools.lru_cache(maxsize=None)
def _cond_fn():
    """The derived Piecewise κ₂(r, L), lambdified (numpy)."""
    return sp.lambdify((T.r, T.L), T.shrunk_roots_cond(), "numpy")


@functools.lru_cache(maxsize=None)
def _blowup_fns():
    a, b = T.a_, T.b_
    return (sp.lambdify((a, b), T.blowup_factor(), "mpmath"),
            sp.lambdify((a, b), T.blowup_second_moment(), "mpmath"),
            sp.lambdify(b, T.blowup_limit(), "mpmath"))


_EXPRESSIONS = {
    "unrolling": lambda: {"x_3": T.unroll_linear_recurrence(3)[1]},
    "vandermonde_factorization": lambda: {"V": T.vandermonde(sp.symbols("lambda0:3"), 3)},
    "vandermonde_determinant": lambda: {"det V (n=3)": T.vandermonde_det(3)},
    "krylov_rank": lambda: {"K (L=2, M=2)": T.block_krylov(2, 2, symbolic=True)[0]},
    "roots_of_unity": lambda: {"sum": T.roots_of_unity_sum()},
    "shrunk_roots_cond": lambda: {"kappa_2": T.shrunk_roots_cond(), "r_min": T.radius_for_condition()[0]},
    "s4d_lin_link": lambda: {"lambda_n": T.s4d_lin_zoh_nodes()[0]},
    "ring_sampling": lambda: {"cdf": T.ring_radius_cdf()[0]},
    "forward_blowup": lambda: {"E f": T.blowup_factor(), "limit": T.blowup_limit(),
                               "E f^2": T.blowup_second_moment()},
    "high_precision_reconstruction": lambda: {"dps": T.precision_rule()},
}


# ================================================================================================
# 1. unrolling
def _sym_unrolling():
    ok = all(_zero(T.unrolling_difference(kk)) for kk in range(1, 7))
    ind = T.induction_step() == 0
    diag = all(lhs == rhs for lhs, rhs in T.diagonalized_system(4))
    return Proof(ok and ind and diag, "recursion = Σ Λ^j B u_{k-j} for k ≤ 6 (MatrixSymbols); induction step "
                 "by index shift for general k; P⁻¹(PΛP⁻¹)^j = Λ^j P⁻¹ for j ≤ 4 (MatrixSymbols)")


def _num_unrolling(ctx):
    for rng in ctx.instances():
        N, M, k = int(rng.integers(1, 65)), int(rng.integers(1, 5)), int(rng.integers(1, 257))
        lam = NL.ring_sample(rng, N, 0.0, 1.0)
        B = rng.standard_normal((N, M)) + 1j * rng.standard_normal((N, M))
        u = rng.standard_normal((k, M))
        x_sim = NL.simulate(lam, B, u)
        x_cf, scale = NL.unrolled_state(lam, B, u, k)
        ctx.record(np.linalg.norm(x_sim - x_cf), 1e-12 * scale, part="a", N=N, M=M, k=k)
        # (b) a real Glorot A, its eigendecomposition, the same outputs
        n = int(rng.integers(2, 9))
        A = rng.standard_normal((n, n)) / math.sqrt(n)
        w, P = np.linalg.eig(A)
        kP = np.linalg.cond(P)
        if kP > 1e8:
            ctx.skip(f"κ₂(P) = {kP:.1e} > 1e8")
            continue
        Bn, C = rng.standard_normal((n, M)), rng.standard_normal((2, n))
        ys = NL.simulate(A, Bn, u[:64], return_all=True) @ C.T
        yd = (NL.simulate(w, np.linalg.solve(P, Bn), u[:64], return_all=True) @ (C @ P).T)
        scale_y = max(np.abs(ys).max(), 1.0)
        ctx.record(np.abs(ys - yd.real).max() / scale_y, 1e-9 * kP, part="b", n=n, kappa_P=kP)


# 2. vandermonde_factorization
def _sym_vfact():
    return Proof(_zero(T.vandermonde_factorization_difference(3, 5)),
                 "x_k − diag(b)Vū^(k) expands to 0 for N = 3, L = 5, every k ≤ 5 (symbolic λ, b, u)")


def _num_vfact(ctx):
    for rng in ctx.instances():
        N, L = int(rng.integers(1, 65)), int(rng.integers(1, 129))
        lam = NL.ring_sample(rng, N, 0.0, 1.0)
        b = rng.standard_normal(N) + 1j * rng.standard_normal(N)
        u = rng.standard_normal(L)
        xs = NL.simulate(lam, b, u, return_all=True)
        V = NL.state_matrix(lam, L)
        worst = 0.0
        for kk in range(1, L + 1):
            ub = NL.reversed_prefix(u, kk, L)
            scale = np.abs(b)[:, None] * np.abs(V) @ np.abs(ub)
            worst = max(worst, float(np.max(np.abs(xs[kk - 1] - b * (V @ ub)) / np.maximum(scale, 1e-300))))
        ctx.record(worst, 1e-12, N=N, L=L)
    try:
        NL.reversed_prefix(np.ones(3), 4, 3)
        ctx.require(False, "k > L raises InputError naming k")
    except InputError as exc:
        ctx.require("k" in str(exc), "k > L raises InputError naming k")


# 3. vandermonde_determinant
def _sym_vdet():
    ok = all(T.vandermonde_det_difference(nn) == 0 for nn in range(2, 6))
    # (b) exact rank over the Gaussian rationals, repeated nodes and a zero weight
    nodes = [sp.Rational(1, 2), sp.I / 3, sp.Rational(1, 2), -1, 1 + sp.I, sp.I / 3]
    b = [1, 2, 3, 0, 1, 1]
    ranks = []
    for LL in (2, 3, 4, 5):
        A = sp.diag(*b) * T.vandermonde(nodes, LL)
        ranks.append(A.rank() == min(LL, 3))  # distinct usable nodes: 1/2, i/3, 1+i
    return Proof(ok and all(ranks), "det V − Π(λ_j − λ_i) expands to 0 for n ≤ 5; exact rank of diag(b)V "
                 "= min(L, 3) for 6 Gaussian-rational nodes with repeats and a zero b_n")


def _num_vdet(ctx):
    for rng in ctx.instances():
        pool = NL.ring_sample(rng, 8, 0.5, 1.0)
        size = 12 if not ctx.thorough else 24
        N, L = int(rng.integers(2, size + 1)), int(rng.integers(2, size + 1))
        nodes = pool[rng.integers(0, pool.size, N)]
        b = rng.standard_normal(N)
        b[rng.random(N) < 0.15] = 0.0
        # (a) determinant of a square sub-system of distinct nodes
        sq = np.unique(pool)[: min(8, N)]
        n = sq.size
        V = NL.state_matrix(sq, n)
        kap = np.linalg.cond(V)
        log_prod = sum(math.log(abs(sq[j] - sq[i])) for i in range(n) for j in range(i + 1, n))
        if kap <= 1e8:
            sign, logdet = np.linalg.slogdet(V)
            ctx.record(abs(logdet - log_prod) / max(abs(log_prod), 1.0), 1e-8, part="a", n=n, kappa=kap)
        else:
            dps = NV.choose_dps(kap * 1e4)
            with mpmath.mp.workdps(dps):
                xs = NV.mp_nodes(sq)
                det = mpmath.det(mpmath.matrix([[x ** j for j in range(n)] for x in xs]))
                prod = mpmath.fprod([xs[j] - xs[i] for i in range(n) for j in range(i + 1, n)])
                ctx.record(float(abs(det - prod) / abs(prod)), 10.0 ** (-dps / 2), part="a-mp", n=n)
        # (b) rank: mpmath SVD (threshold 10^(-dps/2) σ_max) vs the exact formula min(L, d)
        expected = NV.vandermonde_rank(nodes, L, b)
        dps = 60
        with mpmath.mp.workdps(dps):
            xs, bs = NV.mp_nodes(nodes), NV.mp_nodes(b)
            A = mpmath.matrix([[bn * x ** j for j in range(L)] for x, bn in zip(xs, bs)])
            s = mpmath.svd_c(A, compute_uv=False) if any(isinstance(x, mpmath.mpc) for x in xs) \
                else mpmath.svd_r(A, compute_uv=False)
            smax = max(s)
            rank = sum(1 for v in s if v > mpmath.mpf(10) ** (-dps // 2) * smax) if smax > 0 else 0
        ctx.require(rank == expected, "mpmath SVD rank = min(L, distinct usable nodes)", N=N, L=L,
                    rank=int(rank), expected=expected)
    r = NV.cond2([0.3, 0.3, 0.7], 3)
    ctx.require(r.singular and r.rank == 2, "repeated nodes: reported singular with rank 2, not a tiny κ")


# 4. prefix_decoder
def _sym_prefix():
    return Proof(_zero(T.prefix_decoder_difference()),
                 "V⁻¹diag(b)⁻¹x_k − ū^(k) simplifies to 0 for k = 1, 2, 3 (N = L = 3, symbolic)")


def _prefix_nodes(rng, N):
    fam = rng.choice(["roots", "ring", "s4d"])
    if fam == "roots":
        return fam, NL.roots_of_unity(N, float(rng.uniform(0.95, 1.0)))
    if fam == "ring":
        return fam, NL.ring_sample(rng, N, 0.9, 1.0)
    return fam, NL.s4d_lin_nodes(N, 2.0 / N)


def _num_prefix(ctx):
    for rng in ctx.instances():
        # float64 path
        L = int(rng.integers(2, 65))
        N = int(rng.integers(L, 2 * L + 1))
        fam, lam = _prefix_nodes(rng, N)
        b = rng.uniform(0.5, 1.5, N) * np.exp(1j * rng.uniform(0, 2 * np.pi, N))
        if N > L and rng.random() < 0.5:     # a zero b_n: that state carries nothing; drop its row
            zero = int(rng.integers(N))
            b[zero] = 0.0
            keep = np.flatnonzero(b != 0)
            ctx.note(f"instance {ctx.instance}: b_{zero} = 0, row dropped (N = {N} → {N - 1})")
            lam, b, N = lam[keep], b[keep], N - 1
        sep = np.min(np.abs(lam[:, None] - lam[None, :]) + np.eye(N) * 9)
        Mx = NL.state_matrix(lam, L, b)
        kap = np.linalg.cond(Mx)
        u = rng.standard_normal(L)
        if sep < 1e-3 or kap > 1e10:
            ctx.skip(f"float64 path: {fam} nodes, separation {sep:.1e}, κ₂ {kap:.1e} (needs κ₂ ≤ 1e10)")
        else:
            D = np.linalg.pinv(Mx, rcond=1e-15)
            xs = NL.simulate(lam, b, u, return_all=True)
            err = max(_relerr((D @ xs[kk - 1]).real, NL.reversed_prefix(u, kk, L)) for kk in range(1, L + 1))
            ctx.record(err, 1e-5, path="float64", family=fam, N=N, L=L, kappa=kap)
        # mpmath path: nodes exact (float64 values), x at the rule's digits
        Lm = int(rng.integers(2, (24 if ctx.thorough else 12) + 1))
        Nm = int(rng.integers(Lm, 2 * Lm + 1))
        fam, lam = _prefix_nodes(rng, Nm)
        um = rng.standard_normal(Lm)
        cr = NV.cond2(lam, Lm)
        dps = NV.choose_dps_log10(cr.log10)
        for kk in sorted({1, max(1, Lm // 2), Lm}):
            ub = NL.reversed_prefix(um, kk, Lm)
            x = NV.hp_state(lam, ub, dps)
            if Nm == Lm:
                got = NV.reconstruct_mp(lam, x, dps)
            else:
                got = NV.reconstruct_lstsq_mp(lam, x, Lm, dps)
            with mpmath.mp.workdps(dps):
                err = mpmath.sqrt(sum(abs(g - mpmath.mpf(v)) ** 2 for g, v in zip(got, ub)))
                tol = mpmath.mpf(10) ** (-(dps - cr.log10 - 5)) * mpmath.sqrt(sum(mpmath.mpf(v) ** 2 for v in um))
            ctx.record(float(err / tol), 1.0, path="mpmath", family=fam, N=Nm, L=Lm, k=kk, dps=dps,
                       log10_kappa=cr.log10)


# 5. krylov_rank
def _mp_krylov_rank(lam, B, L, dps=60):
    """Rank of K built in mpmath from the exact float64 nodes and B (threshold 1e-30 σ_max):
    forming λ^j B_nm in float64 would break exact row dependencies at the 1e-16 level."""
    with mpmath.mp.workdps(dps):
        xs = NV.mp_nodes(lam)
        Bm = [[mpmath.mpc(complex(v)) for v in row] for row in np.atleast_2d(B)]
        M = len(Bm[0])
        A = mpmath.matrix([[xs[n] ** j * Bm[n][m] for j in range(L) for m in range(M)] for n in range(len(xs))])
        s = mpmath.svd_c(A, compute_uv=False)
        top = max(s)
        return sum(1 for v in s if v > mpmath.mpf(10) ** -(dps // 2) * top)


def _sym_krylov():
    ranks = all(T.block_krylov(LL, MM)[0].rank() == LL * MM for LL, MM in ((2, 2), (3, 2), (2, 3)))
    ok_det = True
    for LL, MM in ((2, 2), (3, 2), (2, 3)):
        K, nodes, _ = T.block_krylov(LL, MM, symbolic=True)
        # columns jM + m reordered as (m, j): exactly block-diagonal with Vandermonde blocks
        perm = [jj * MM + mm for mm in range(MM) for jj in range(LL)]
        Kp = K[:, perm]
        blocks = [T.vandermonde(nodes[mm * LL:(mm + 1) * LL], LL) for mm in range(MM)]
        ok_det &= Kp == sp.diag(*blocks)
        dets = [sp.factor(Bk.det()) for Bk in blocks]
        ok_det &= all(d != 0 for d in dets)
    return Proof(ranks and ok_det, "block construction has exact rank LM for (L,M) ∈ {(2,2),(3,2),(2,3)}; "
                 "at the block-indicator B, K is a column permutation of diag(V₁, …, V_M), so det K = ± Π det V_m "
                 "≠ 0 for distinct symbolic nodes: det K is a nonzero polynomial in B (genericity)")


def _num_krylov(ctx):
    for rng in ctx.instances():
        L, M = (int(rng.integers(1, 7)), int(rng.integers(1, 9))) if ctx.thorough else \
            (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        LM = L * M
        N = int(rng.integers(1, 2 * LM + 1))
        lam = NL.ring_sample(rng, N, 0.9, 1.0)
        B = rng.standard_normal((N, M)) + 1j * rng.standard_normal((N, M))
        K = NL.krylov_matrix(lam, B, L)
        u = rng.standard_normal((L, M))
        xL = NL.simulate(lam, B, u)
        ustack = u[::-1].reshape(-1)
        ctx.record(np.linalg.norm(K @ ustack - xL), 1e-12 * float(np.sum(np.abs(K) @ np.abs(ustack))),
                   part="x_L = K u", N=N, L=L, M=M)
        rank = _mp_krylov_rank(lam, B, L)
        ctx.require(rank == min(N, LM), "generic B: rank K = min(N, LM) (mpmath SVD)", N=N, L=L, M=M, rank=rank)
        # shared nodes: rows that share a node span at most M dimensions
        distinct = NL.ring_sample(rng, max(1, N // 3), 0.9, 1.0)
        shared = distinct[rng.integers(0, distinct.size, N)]
        bound = sum(min(int(np.sum(shared == v)), M) for v in np.unique(shared))
        rank_s = _mp_krylov_rank(shared, B, L)
        ctx.require(rank_s == min(N, LM, bound), "shared nodes: rank K = min(LM, Σ min(mult(λ), M))",
                    rank=rank_s, bound=bound, N=N, L=L, M=M)
    for bad in ((np.ones(2), np.ones((2, 1)), 0),):
        try:
            NL.krylov_matrix(*bad)
            ctx.require(False, "L = 0 raises InputError")
        except InputError:
            ctx.require(True, "L = 0 raises InputError")


# 6. subspace_inputs
def _sym_subspace():
    minor, cb = T.subspace_minor()
    return Proof(minor != 0 and sp.expand(minor - cb) == 0,
                 "det(VΦ) for L = 4, P = 2, N = 2 equals its Cauchy–Binet expansion and is a nonzero polynomial")


def _num_subspace(ctx):
    from numpy.polynomial import legendre
    for rng in ctx.instances():
        P = int(rng.integers(1, (12 if ctx.thorough else 6) + 1))
        L = int(rng.integers(max(P, 8), (256 if ctx.thorough else 64) + 1))
        Phi = legendre.legvander(np.linspace(-1, 1, L), P - 1)[::-1]
        for N in (P, P + 1, 2 * P):
            lam = NL.ring_sample(rng, N, 0.9, 1.0)
            with mpmath.mp.workdps(60):
                xs = NV.mp_nodes(lam)
                Vm = mpmath.matrix([[x ** j for j in range(L)] for x in xs])
                Pm = mpmath.matrix(Phi.tolist())
                s = mpmath.svd_c(Vm * Pm, compute_uv=False)
                smax, smin = max(s), min(s)
                rank = sum(1 for v in s if v > mpmath.mpf(10) ** -30 * smax)
                kap = float(smax / smin) if smin > 0 else math.inf
            ctx.require(rank == P, "rank(VΦ) = P for generic nodes with N ≥ P (mpmath)", N=N, P=P, L=L,
                        kappa=kap)
            if kap <= 1e10:
                c = rng.standard_normal(P)
                A = NL.state_matrix(lam, L) @ Phi
                x = NL.simulate(lam, None, (Phi @ c)[::-1])
                chat = np.linalg.lstsq(NL.real_stacked(A), NL.real_stacked(x[:, None])[:, 0], rcond=None)[0]
                ctx.record(_relerr(chat, c), 1e2 * kap * 1e-16 * max(L, 1), N=N, P=P, L=L, kappa=kap)
            ctx.note(f"κ₂(VΦ) at N={N}, P={P}, L={L}: {kap:.2e}") if ctx.instance == 0 else None


# 7. real_dof_counting
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
        L = 2 * int(rng.integers(1, (1024 if ctx.thorough else 256) + 1))
        r = float(rng.choice([1.0, rng.uniform(0.9, 1.0)]))
        z = NL.half_shifted_roots(L, r)
        A = NL.real_stacked(NL.state_matrix(z, L))
        G = A.T @ A
        ctx.record(np.abs(G - L / 2 * np.diag(r ** (2 * np.arange(L)))).max(), 1e-12 * L, part="c Gram", L=L, r=r)
        s = np.linalg.svd(A, compute_uv=False)
        formula = float(_cond_fn()(r, L))
        ctx.record(abs(s[0] / s[-1] - formula) / formula, 1e-12 if r == 1 else 1e-8, part="c cond", L=L, r=r)
        if r == 1.0:
            S = rng.choice(L // 2, size=int(rng.integers(1, L // 2 + 1)), replace=False)
            AS = NL.real_stacked(NL.state_matrix(z[S], L))
            ctx.record(np.abs(AS @ AS.T - L / 2 * np.eye(2 * S.size)).max(), 1e-12 * L, part="c subset AAᵀ")
        # (d) rfft nodes
        Lr = int(rng.integers(2, 513))
        zr = NL.rfft_nodes(Lr) if Lr % 2 == 0 else NL.half_shifted_roots(Lr)
        Ar = NL.real_stacked(NL.state_matrix(zr, Lr))
        sr = np.linalg.svd(Ar, compute_uv=False)
        sr = sr[sr > 1e-8 * sr[0]]
        ctx.record(abs(sr[0] / sr[-1] - math.sqrt(2)), 1e-12 * max(1, Lr / 64), part="d cond √2", L=Lr)
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
        with mpmath.mp.workdps(50):
            Am = mpmath.matrix(NL.real_stacked(NL.state_matrix(nodes, Lb)).tolist())
            s = mpmath.svd_r(Am, compute_uv=False)
            rank = sum(1 for v in s if v > mpmath.mpf(10) ** -25 * max(s))
        ctx.require(rank == min(Lb, rho), "rank_R A = min(L, ρ) (conjugate pair adds nothing)", rho=rho, L=Lb,
                    rank=rank)


# 8. roots_of_unity
def _sym_roots():
    s, at0, nz = T.roots_gram()
    return Proof(at0 == T.N and nz == 0, "Σ_n ω^{nm} = N for m = 0 and (1 − ω^{mN})/(1 − ω^m) = 0 for 0 < |m| < N, "
                 "so (VᴴV)_{jk} = Nδ_{jk} for j, k < L ≤ N")


def _roots_exact(N, L):
    idx = (np.arange(N)[:, None] * np.arange(L)[None, :]) % N   # exact integer reduction
    return np.exp(2j * np.pi * idx / N)


def _num_roots(ctx):
    for rng in ctx.instances():
        L = int(rng.integers(1, (1024 if ctx.thorough else 256) + 1))
        N = int(rng.integers(L, 2 * L + 1))
        V = _roots_exact(N, L)
        ctx.record(np.abs(V.conj().T @ V / N - np.eye(L)).max(), 1e-12, part="Gram", N=N, L=L)
        s = np.linalg.svd(V, compute_uv=False)
        ctx.record(abs(s[0] / s[-1] - 1), 1e-12, part="cond", N=N, L=L)
        u = rng.standard_normal(L)
        ctx.record(np.abs(V @ u - N * np.fft.ifft(u, n=N)).max(), 1e-12 * np.abs(u).sum(), part="ifft")
        # pinv = Vᴴ/N
        ctx.record(np.abs(np.linalg.pinv(V) - V.conj().T / N).max() * N, 1e-10, part="V⁺ = Vᴴ/N")
        if L >= 3:
            Ns = int(rng.integers(1, L))
            Va = _roots_exact(Ns, L)
            ctx.require(np.allclose(Va[:, 0], Va[:, Ns]) and NV.vandermonde_rank(Va[:, 1], L) == Ns,
                        "N < L: columns j and j+N coincide (aliasing), rank N", N=Ns, L=L)


# 9. shrunk_roots_cond
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
    f = _cond_fn()
    for rng in ctx.instances():
        big = ctx.instance == ctx.examples - 1 or ctx.instance % 8 == 7
        if not big:
            L = int(rng.integers(2, 513))
            N = int(rng.integers(L, 2 * L + 1))
            r = float(rng.uniform(0.9, 1.0))
            formula = float(f(r, L))
            if formula > 1e12:
                r = float(1e12 ** (-1 / (L - 1)) + (1 - 1e12 ** (-1 / (L - 1))) * rng.random())
                formula = float(f(r, L))
            s = np.linalg.svd(r ** np.arange(L)[None, :] * _roots_exact(N, L), compute_uv=False)
            ctx.record(abs(s[0] / s[-1] - formula) / formula, 1e-8, path="float64", N=N, L=L, r=r)
        else:
            # beyond 1e12: high-precision κ₂ (numerics.vandermonde.cond2), square and tall
            if NV.have_flint() or ctx.thorough:
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


# 10. s4d_lin_link
def _sym_s4d():
    return Proof(T.s4d_lin_zoh_nodes()[1] == 0, "exp((2/N)(−1/2 + iπn)) − e^{−1/N}ω^n simplifies to 0; κ₂ then "
                 "follows from shrunk_roots_cond with r = e^{−1/N}")


def _num_s4d(ctx):
    f = _cond_fn()
    for rng in ctx.instances():
        N = int(rng.integers(2, 257))
        L = int(rng.integers(2, N + 1))
        z = NL.s4d_lin_nodes(N, 2.0 / N)
        ctx.record(np.abs(z - NL.roots_of_unity(N, math.exp(-1 / N))).max(), 1e-13, part="a nodes", N=N)
        s = np.linalg.svd(NL.state_matrix(z, L), compute_uv=False)
        formula = float(f(math.exp(-1 / N), L))
        ctx.record(abs(s[0] / s[-1] - formula) / formula, 1e-8, part="a cond", N=N, L=L)
        ctx.record(abs(formula - math.exp((L - 1) / N)) / formula, 1e-12, part="a e^{(L-1)/N}", N=N, L=L)
    # (b) small Δ: nodes on a short arc, κ₂ explodes (high precision); (c) the ZOH rows
    for Delta, n in ((1e-3, 32), (1e-2, 32)) + (((1e-3, 64), (1e-2, 64)) if ctx.thorough else ()):
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


# 11. gautschi_bound
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
        bound_fn = _gautschi_fn(n)
        with mpmath.mp.workdps(80):
            theta = mpmath.mpf(float(rng.uniform(0, 2 * np.pi)))
            rho = [mpmath.mpf(float(v)) for v in (rng.uniform(0.01, 1.0, n) if rng.random() < 0.5
                                                  else np.arange(1, n + 1) / n)]
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
            nodes = NV.mp_nodes(zc)
            invc = mpmath.inverse(mpmath.matrix([[x ** j for j in range(n)] for x in nodes]))
            ctx.record(float(mpmath.mnorm(invc, 1) / bound_fn(*nodes)), 1.0, part="random complex: bound holds", n=n)
            # log-space bound of numerics agrees with the symbolic one
            ctx.record(abs(NV.log10_gautschi_bound(zc) - float(mpmath.log10(bound_fn(*nodes)))), 1e-10,
                       part="log-space bound")
    ctx.require(math.isinf(NV.log10_gautschi_bound([0.5, 0.5])), "duplicate nodes: infinite bound")


@functools.lru_cache(maxsize=None)
def _gautschi_fn(n):
    xs = sp.symbols(f"x0:{n}")
    return sp.lambdify(xs, T.gautschi_bound(list(xs)), "mpmath")


# 12. real_node_growth
def _num_growth(ctx):
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
    bad = NV.cond2(np.linspace(0.9, 0.999, 24), 24)
    ctx.require(bad.dps_used > 16 and bad.log10 > 16, "beyond 1e14 the float64 estimate is refused (mpmath used)",
                log10_kappa=bad.log10)


# 13. real_vs_complex_cond
def _num_realcomplex(ctx):
    f = _cond_fn()
    for rng in ctx.instances():
        n = int(rng.choice([12, 16]))
        rmax = float(rng.uniform(0.9, 1.0))
        rmin = float(rng.uniform(0.0, rmax - 0.05))
        kr = NV.cond2(np.linspace(rmin, rmax, n), n)
        kc = float(f(rmax, n))
        ctx.record(1e6 * kc / float(kr.cond2), 1.0, n=n, r_min=rmin, r_max=rmax, log10_real=kr.log10)
        s = np.linalg.svd(NL.state_matrix(NL.roots_of_unity(n, rmax), n), compute_uv=False)
        ctx.record(abs(s[0] / s[-1] / kc - 1), 1e-8, part="complex κ₂ vs formula", n=n)


# 14. ring_sampling
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
        rmin = float(rng.uniform(0.0, rmax)) if rng.random() < 0.8 else 0.0
        thmax = float(rng.choice([2 * np.pi, np.pi / 10]))
        n = 10_000
        lam = NL.ring_sample(rng, n, rmin, rmax, thmax)
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


# 15. forward_blowup
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


def _num_blowup(ctx):
    fE, fE2, flim = _blowup_fns()
    for rng in ctx.instances():
        rmax = float(rng.uniform(0.5, 0.999))
        rmin = float(rng.uniform(0.0, rmax))
        a, b = rmin ** 2, rmax ** 2
        n = 20_000
        mean, _ = NL.blowup_factor_mc(rng, rmin, rmax, n)
        mu = float(fE(a, b))
        se = math.sqrt(max(float(fE2(a, b)) - mu ** 2, 0.0) / n)
        ctx.record(abs(mean - mu), ctx.z_threshold() * se, part="Monte Carlo", r_min=rmin, r_max=rmax)
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
        e4 = sum(q2 ** (2 * j) for j in range(kk)) * 2 + e_theory ** 2  # E|x|⁴ for Gaussian sums
        ctx.record(abs(np.mean(np.abs(x) ** 2) - e_theory), ctx.z_threshold() * math.sqrt((e4 - e_theory ** 2) / paths),
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
        with mpmath.mp.workdps(30):
            a, b = mpmath.mpf(rmin) ** 2, mpmath.mpf(rmax) ** 2
            quad = mpmath.quad(lambda p: 2 * p / (b - a) / (1 - p ** 2), [mpmath.mpf(rmin), mpmath.mpf(rmax)])
            ctx.record(float(abs(quad / fE(a, b) - 1)), 1e-20, part="quadrature, r_max > 0.999", r_max=rmax)
    factor = NL.arc_phase_average(0.99, np.pi / 10) * (1 - 0.99 ** 2)
    ctx.note(f"constant input, phase [0, π/10], r = 0.99: arc average / (1/(1−r²)) = {factor:.2f} "
             "(white-noise formula does not apply)")


# 16. noise_amplification
def _sym_noise():
    return Proof(T.noise_amplification_equality() == 0, "A = diag(σ₁, σ₂), u = e₁, δx = εe₂: relative error "
                 "ε/σ₂ = κ‖δx‖/‖x‖ (the bound is attained)")


def _num_noise(ctx):
    f = _cond_fn()
    for rng in ctx.instances():
        fam = ["roots", "ring", "real"][ctx.instance % 3]
        L = int(rng.integers(2, 11 if fam == "real" else 65))
        N = {"roots": int(rng.integers(L, 2 * L + 1)), "ring": int(rng.integers(2 * L, 3 * L + 1)), "real": L}[fam]
        lam = {"roots": NL.roots_of_unity(N), "ring": NL.ring_sample(rng, N, 0.9, 1.0),
               "real": rng.uniform(0.1, 1.0, N)}[fam]
        A = NL.state_matrix(lam, L)
        U, s, Vh = np.linalg.svd(A, full_matrices=False)
        kap = s[0] / s[-1]
        if fam == "roots":
            ctx.record(abs(kap - float(f(1.0, L))), 1e-12, part="κ₂ = 1 (formula)")
        if kap > 1e8:
            ctx.skip(f"{fam}: κ₂ = {kap:.1e} > 1e8 (rounding would compete with the injected noise)")
            continue
        level = 10 ** rng.uniform(-6, -2)
        u = rng.standard_normal(L)
        x = A @ u
        dx = rng.standard_normal(N) + 1j * rng.standard_normal(N)
        dx *= level * np.linalg.norm(x) / np.linalg.norm(dx)
        uhat = np.linalg.lstsq(A, x + dx, rcond=None)[0]
        ratio = (np.linalg.norm(uhat - u) / np.linalg.norm(u)) / (kap * level)
        ctx.record(ratio, 1 + 1e-6, part="bound", family=fam, N=N, L=L, kappa=kap)
        # worst case: u along the top right singular vector, δx along the bottom left one
        u = Vh[0].conj()
        x = A @ u
        dx = level * np.linalg.norm(x) * U[:, -1]
        uhat = np.linalg.lstsq(A, x + dx, rcond=None)[0]
        ratio = (np.linalg.norm(uhat - u) / np.linalg.norm(u)) / (kap * level)
        ctx.record(1 - ratio, 1e-6, part="tight", family=fam, N=N, L=L, kappa=kap)


# 17. linear_decoder_mse
def _sym_mse():
    A = sp.Matrix([[1, 2, 3], [2, 4, 6], [0, 1, 1]])
    tr, expected = T.linear_decoder_mse(A)
    s2, sg2 = sp.symbols("s2 sigma2", positive=True)
    A2 = sp.Matrix([[1, 0, 0], [0, 2, 0]])
    W, err = T.gaussian_mmse_decoder(A2, s2, sg2)
    formula = s2 * ((3 - 2) + sum(sg2 / (sg2 + s2 * sv ** 2) for sv in (1, 2)))
    return Proof(tr == expected and sp.simplify(err - formula) == 0,
                 "tr(I − A⁺A) = L − rank A (3×3 rank 2); Gaussian conditioning gives the ridge decoder with "
                 "error s²[(L − r) + Σσ²/(σ² + s²σ_i²)] (2×3 A)")


def _num_mse(ctx):
    s2_, sg2_ = sp.symbols("s2 sigma2", positive=True)
    for rng in ctx.instances():
        L = 2 * int(rng.integers(4, 33))
        z = NL.half_shifted_roots(L)
        S = rng.choice(L // 2, size=int(rng.integers(1, L // 2)), replace=False)
        A = NL.real_stacked(NL.state_matrix(z[S], L))
        r = 2 * S.size
        n = 2000
        for kind in ("gaussian", "sparse"):
            if kind == "gaussian":
                U = rng.standard_normal((L, n))
            else:  # 4-sparse, uniformly random support (k smallest of L uniforms per column)
                U = np.zeros((L, n))
                support = np.argsort(rng.random((L, n)), axis=0)[:4]
                np.put_along_axis(U, support, rng.standard_normal((4, n)), axis=0)
            Uh = NL.linear_decode(A, A @ U)
            e = np.sum((U - Uh) ** 2, axis=0)
            target = (1 - r / L) * np.sum(U ** 2, axis=0)
            d = e - target
            ctx.record(abs(d.mean()), ctx.z_threshold() * d.std(ddof=1) / math.sqrt(n) + 1e-12, part=f"(a) {kind}", L=L, rank=r)
        # (b) Gaussian with noise: Wiener decoder error vs the theory formula; OMP is not better
        sigma2, s2 = 10 ** rng.uniform(-2, 0), 1.0
        U = rng.standard_normal((L, n))
        X = A @ U + math.sqrt(sigma2) * rng.standard_normal((A.shape[0], n))
        W = NL.wiener_decode(A, X, s2, sigma2)
        e = np.sum((U - W) ** 2, axis=0)
        sv = np.linalg.svd(A, compute_uv=False)
        mmse = s2 * ((L - r) + sum(sigma2 / (sigma2 + s2 * v ** 2) for v in sv[:r]))
        ctx.record(abs(e.mean() - mmse), ctx.z_threshold() * e.std(ddof=1) / math.sqrt(n), part="(b) Wiener MSE", L=L, rank=r)
        no = 200  # OMP is the slow part; 200 samples, the 5-SE margin uses the same n
        Uo = NL.omp_decode(A, X[:, :no], k=max(1, r // 2))
        eo = np.sum((U[:, :no] - Uo) ** 2, axis=0)
        # one-sided: OMP's mean error may not fall below the MMSE by more than z_α standard errors
        ctx.record(mmse - eo.mean(), ctx.z_threshold(two_sided=False) * eo.std(ddof=1) / math.sqrt(no),
                   part="(b) OMP ≥ MMSE − z_α·SE", omp=float(eo.mean()), mmse=mmse)
        if ctx.thorough:
            mlp = NL.MLPDecoder(hidden=128, max_iter=200, seed=int(rng.integers(1 << 30))).fit(X.T, U.T)
            Ut = rng.standard_normal((L, n))
            Xt = A @ Ut + math.sqrt(sigma2) * rng.standard_normal((A.shape[0], n))
            em = np.sum((Ut - mlp.predict(Xt.T).T) ** 2, axis=0)
            ctx.record(mmse - em.mean(), ctx.z_threshold(two_sided=False) * em.std(ddof=1) / math.sqrt(n),
                       part="(b) MLP ≥ MMSE − z_α·SE", mlp=float(em.mean()), mmse=mmse)


# 18. sparse_recovery_advantage
def _num_sparse(ctx):
    L, k, N, trials = 128, 4, 16, 50
    for rng in ctx.instances():
        z = NL.half_shifted_roots(L)[rng.choice(L // 2, N, replace=False)]
        A = NL.real_stacked(NL.state_matrix(z, L))
        ring = NL.ring_sample(rng, N, 0.9, 0.999)
        Ar = NL.real_stacked(NL.state_matrix(ring, L))
        ok = ok_ring = 0
        lin = []
        for _ in range(trials):
            u = np.zeros(L)
            u[rng.choice(L, k, replace=False)] = rng.standard_normal(k)
            uo = NL.omp_decode(A, A @ u, k=k)
            ok += _relerr(uo, u) < 1e-8
            ok_ring += _relerr(NL.omp_decode(Ar, Ar @ u, k=k), u) < 1e-8
            lin.append(_relerr(NL.linear_decode(A, A @ u), u))
        rate = ok / trials
        # Binomial tests at the run's α: "OMP recovers with probability ≥ 0.9" is refuted only when
        # fewer successes are seen than Binomial(trials, 0.9) gives with probability α; "the linear
        # decoder's median error is ≥ 0.8" only when more errors fall below 0.8 than Binomial(trials,
        # 1/2) gives with probability α.
        from scipy.stats import binom
        need = int(binom.ppf(ctx.alpha(), trials, 0.9))
        ctx.record(need - ok, 0.5, part="OMP exact recovery: successes ≥ Binomial(50, 0.9) α-quantile",
                   rate=rate, needed=need)
        below = int(np.sum(np.array(lin) < 0.8))
        allowed = int(binom.isf(ctx.alpha(), trials, 0.5))
        med = float(np.median(lin))
        ctx.record(below - allowed, 0.5, part="linear decoder: errors below 0.8 ≤ Binomial(50, 1/2) (1 − α)-quantile",
                   median=med, below=below, allowed=allowed)
        ctx.note(f"instance {ctx.instance}: OMP exact {rate:.0%} (unit circle) vs {ok_ring / trials:.0%} "
                 f"(ring [0.9, 0.999]); linear median rel. error {med:.3f} (theory ≈ {math.sqrt(1 - 2 * N / L):.3f})")


# 19. readout_composition
def _sym_readout():
    sk, inc = T.time_index_channel()
    geo = sp.simplify(sk.args[1][0] - (1 - T.lam_c ** T.k) / (1 - T.lam_c)) == 0
    return Proof(geo and inc == T.lam_c ** T.k and inc.is_positive,
                 "constant channel: s_k = (1 − λ_c^k)/(1 − λ_c) (k at λ_c = 1), s_{k+1} − s_k = λ_c^k > 0")


def _num_readout(ctx):
    sk_fn = sp.lambdify((T.lam_c, T.k), T.time_index_channel()[0].args[1][0], "numpy")
    for rng in ctx.instances():
        L = int(rng.integers(2, 49))
        N = int(rng.integers(L, 2 * L + 1))
        r = float(rng.uniform(max(0.9, 1e6 ** (-1 / max(L - 1, 1))), 1.0))
        lam = NL.roots_of_unity(N, r)
        Mx = NL.state_matrix(lam, L)
        s = np.linalg.svd(Mx, compute_uv=False)
        kap = s[0] / s[-1]
        D = np.linalg.pinv(Mx)
        W1, W2 = rng.standard_normal((16, L)), rng.standard_normal((1, 16))
        Fs = {"sum of squares": lambda v: np.sum(v ** 2), "running max": lambda v: np.max(v),
              "tanh net": lambda v: (W2 @ np.tanh(W1 @ v)).item()}
        u = rng.standard_normal(L)
        xs = NL.simulate(lam, None, u, return_all=True)
        for name, F in Fs.items():
            err, scale = 0.0, 0.0
            for kk in range(1, L + 1):
                ub = NL.reversed_prefix(u, kk, L)
                err = max(err, abs(F((D @ xs[kk - 1]).real) - F(ub)))
                scale = max(scale, abs(F(ub)), np.linalg.norm(ub) ** 2)
            ctx.record(err, 1e-10 * kap * max(scale, 1.0), F=name, N=N, L=L, kappa=kap)
        # Lipschitz: |g(x) − g(x')| ≤ Lip(F)/σ_min ‖x − x'‖ for the tanh net
        lipF = np.linalg.norm(W2, 2) * np.linalg.norm(W1, 2)
        for _ in range(5):
            x1, x2 = Mx @ rng.standard_normal(L), Mx @ rng.standard_normal(L)
            g = lambda x: Fs["tanh net"]((D @ x).real)
            ctx.record(abs(g(x1) - g(x2)) / (lipF / s[-1] * np.linalg.norm(x1 - x2)), 1 + 1e-9, part="Lipschitz")
        # time channel: simulated state vs the derived geometric sum, strictly increasing
        lc = float(rng.uniform(0.8, 0.99))   # λ_c^k ≥ 2e-5 ≫ ε·s_k: increments stay resolvable
        sim = NL.simulate(np.array([lc]), None, np.ones(L), return_all=True)[:, 0]
        ctx.record(np.abs(sim - sk_fn(lc, np.arange(1, L + 1))).max(), 1e-13 * L, part="time channel")
        ctx.require(bool(np.all(np.diff(sim) > 0)), "time channel strictly increasing")


# 20. high_precision_reconstruction
def _sym_hp():
    ok = True
    for nn in (2, 3):
        c, v = T.bjorck_pereyra_symbolic(nn)
        ok &= all(sp.cancel(e) == 0 for e in c - v)   # rational functions: cancel decides 0
    c, v = T.bjorck_pereyra_symbolic(4, [sp.Rational(1, 2), -1, 3, sp.Rational(2, 3)])
    ok &= _zero(c - v)
    return Proof(bool(ok), "both Björck–Pereyra stages equal V⁻¹f: symbolic nodes and data for n ≤ 3, symbolic data "
                 "with rational nodes for n = 4 (fully symbolic n = 4 takes ~2 min in simplify)")


def _num_hp(ctx):
    rule = sp.lambdify(T.kappa, T.precision_rule(), "mpmath")
    for rng in ctx.instances():
        # float64 BP vs LAPACK, roots and shrunk roots with κ₂ ≤ 1e6
        n = int(rng.integers(2, 257))
        r = float(rng.uniform(max(0.9, 1e6 ** (-1 / (n - 1))), 1.0))
        z = NL.roots_of_unity(n, r) * np.exp(1j * rng.uniform(0, 2 * np.pi))
        V = NL.state_matrix(z, n)
        x = V @ rng.standard_normal(n)
        c = NV.bjorck_pereyra(z, x)
        # Both solvers are normwise forward stable to c·n·ε·κ₂(V) (Higham, ch. 22 for Björck–Pereyra)
        kappa = float(np.linalg.cond(V))
        ctx.record(_relerr(c, np.linalg.solve(V, x)), 10 * n * EPS * kappa, part="float64 BP vs solve", n=n, r=r,
                   kappa=kappa)
        if r == 1.0 or np.allclose(np.abs(z), 1):
            ctx.record(_relerr(c, V.conj().T @ x / n), 10 * n * EPS * kappa, part="roots: Vᴴx/N")
        # mpmath BP vs mpmath.lu_solve at twice the digits
        m = int(rng.integers(2, 17))
        zm = NL.ring_sample(rng, m, 0.5, 1.0)
        cr = NV.cond2(zm, m)
        dps = NV.choose_dps_log10(cr.log10)
        um = rng.standard_normal(m)
        xm = NV.hp_state(zm, um, dps)        # x = V·um at dps digits from exact nodes
        got = NV.bjorck_pereyra_mp(zm, xm, dps)
        with mpmath.mp.workdps(2 * dps):
            xs = NV.mp_nodes(zm)
            ref = mpmath.lu_solve(mpmath.matrix([[x ** j for j in range(m)] for x in xs]), mpmath.matrix(xm))
            err = max(abs(g - ref[i]) for i, g in enumerate(got)) / max(abs(v) for v in ref)
        ctx.record(float(err), 10.0 ** (-(dps - cr.log10 - 5)), part="BP (mp) vs lu_solve(2·dps)", n=m, dps=dps)
        if NV.have_flint():
            alt = NV.bjorck_pereyra_mp(zm, xm, dps, backend="mpmath")
            with mpmath.mp.workdps(dps):
                d = max(abs(a - b) for a, b in zip(alt, got)) / max(abs(v) for v in alt)
            ctx.record(float(d), 10.0 ** (-(dps - cr.log10 - 5)), part="flint vs mpmath backend", n=m)
        kap = mpmath.mpf(10) ** float(rng.uniform(0, 400))
        ctx.record(abs(int(rule(kap)) - NV.choose_dps(kap)), 0, part="choose_dps = precision rule")
    for n in ((8, 16, 24, 32) if ctx.thorough else (8, 16, 24)):
        z = np.linspace(0.9, 0.999, n)
        u = np.random.default_rng(n).standard_normal(n)
        cr = NV.cond2(z, n)
        dps = NV.choose_dps_log10(cr.log10)
        got = NV.reconstruct_mp(z, NV.hp_state(z, u, dps), dps)
        err = max(abs(float(mpmath.re(g)) - v) for g, v in zip(got, u)) / np.abs(u).max()
        # At dps digits the decoded inputs carry κ₂·10^−dps; converting them to float64 adds 2ε.
        ctx.record(err, 4 * EPS + 10.0 ** (cr.log10 - dps), part="real nodes: precision rule", n=n, dps=dps,
                   log10_kappa=cr.log10)
        e64 = _relerr(np.linalg.solve(NL.state_matrix(z, n), NL.state_matrix(z, n) @ u), u)
        if n >= 16:
            ctx.require(e64 > 1e-3, "float64 solve fails without noise (rel. error > 1e-3)", n=n, float64_error=e64)
    for bad, what in (([0.5, 0.5], "nodes"),):
        try:
            NV.bjorck_pereyra(bad, [1.0, 2.0])
            ctx.require(False, "duplicate nodes raise InputError")
        except InputError as exc:
            ctx.require(what in str(exc), "duplicate nodes raise InputError naming nodes")


# 21. finite_width_universality
def _num_universality(ctx):
    raise NotApplicable("statement recorded from the abstract and a third-party summary; hypotheses and "
                        "constants of the theorem are unknown (encoder half: prefix_decoder, krylov_rank, "
                        "subspace_inputs; readout regularity: readout_composition)")


# ================================================================================================
EXACT = "exact identity: rounding only"
_claim("unrolling", "Unrolled state xₖ = Σⱼ Λʲ B uₖ₋ⱼ (j < k) and diagonal equivalence", "LRU §3.2.1; " + LRU,
       ("x₀ = 0", "|λ| ≤ 1 (no overflow)", "(b) A = PΛP⁻¹ diagonalisable, κ₂(P) ≤ 1e8"),
       Tolerance("10⁻¹² Σ_j ‖Λʲ B u_{k−j}‖; (b) 10⁻⁹ κ₂(P) relative to max|y|",
                 "the closed form sums k terms with no growth when |λ| ≤ 1; (b) eig's vectors carry κ₂(P)·ε", kind="roundoff"),
       _num_unrolling, _sym_unrolling)
_claim("vandermonde_factorization", "Scalar-input state x_k = diag(b) V ū⁽ᵏ⁾ for every k ≤ L", REF,
       ("M = 1", "1 ≤ k ≤ L"),
       Tolerance("entrywise 10⁻¹² Σ_j |b_n λ_nʲ u_{k−j}|", "one rounding per term of a sum of at most L terms", kind="roundoff"),
       _num_vfact, _sym_vfact)
_claim("vandermonde_determinant", "det V = Π_{i<j}(λ_j − λ_i); rank diag(b)V = min(L, d)", "Classical; " + REF,
       ("square V for (a)", "d = distinct nodes with b_n ≠ 0"),
       Tolerance("(a) rtol 1e-8 on log|det| when κ₂ ≤ 1e8, else mpmath at the precision rule; (b) exact rank",
                 "slogdet is backward stable; mpmath SVD rank with threshold 10^(−dps/2) σ_max at 60 digits", kind="roundoff+exact"),
       _num_vdet, _sym_vdet, cost=2.0)
_claim("prefix_decoder", "One linear decoder D = (diag(b)V)⁺ recovers every prefix ū⁽ᵏ⁾", REF,
       ("N ≥ L", "b_n ≠ 0", "L distinct nodes, separation ≥ 1e-3"),
       Tolerance("float64: rtol 1e-5 when κ₂ ≤ 1e10; mpmath: 10^−(dps − log10 κ₂ − 5) ‖u‖",
                 "relative error ≈ κ₂·1e-16 in float64 (margin 10); mpmath loses log10 κ₂ digits", kind="roundoff"),
       _num_prefix, _sym_prefix, cost=2.0)
_claim("krylov_rank", "Multi-input: lossless iff rank K = L·M, which needs N ≥ L·M", REF,
       ("distinct nodes, generic (complex Gaussian) B", "L, M ≥ 1"),
       Tolerance("x_L = K u: 10⁻¹² Σ|K||u|; ranks exact (mpmath SVD, threshold 1e-30 σ_max at 60 digits)",
                 "ring nodes in [0.9, 1] with LM ≤ 12 keep σ_min far above 1e-30 σ_max", kind="roundoff+exact"),
       _num_krylov, _sym_krylov, cost=2.0)
_claim("subspace_inputs", "Inputs in a P-dimensional subspace need only N ≥ P", REF + " (via summary)",
       ("ū = Φc with rank Φ = P", "generic nodes", "N ≥ P"),
       Tolerance("rank exact (mpmath); coefficient recovery 10² κ₂(VΦ) L ε when κ₂ ≤ 1e10",
                 "least squares loses κ₂ digits; the L-term sums add L roundings", kind="roundoff+exact"),
       _num_subspace, _sym_subspace, cost=2.0)
_claim("real_dof_counting", "Real vs complex states: count real degrees of freedom", "Toolkit; " + REF,
       ("real inputs, complex states", "(c) half-shifted roots of unity at radius r", "(d) rfft nodes"),
       Tolerance("Gram entrywise 10⁻¹² L; κ₂ within 1e-12 of 1 (r = 1) or rtol 1e-8; √2 within 1e-12",
                 "Gram entries are sums of L unit-size terms; LAPACK singular values are relatively accurate here", kind="roundoff"),
       _num_realdof, _sym_realdof, cost=1.5)
_claim("roots_of_unity", "Roots of unity: VᴴV = N·I, κ₂ = 1, V⁺ = Vᴴ/N", "Córdova–Gautschi–Ruscheweyh 1990; " + REF,
       ("λ_n = e^{2πin/N}", "N ≥ L"),
       Tolerance("‖VᴴV/N − I‖_max ≤ 1e-12; |κ₂ − 1| ≤ 1e-12; ifft identity 1e-12 ‖u‖₁",
                 "entries computed from exact integer phases nj mod N; sums of N unit terms", kind="roundoff"),
       _num_roots, _sym_roots, cost=1.5)
_claim("shrunk_roots_cond", "Radius-r roots of unity: κ₂ = max(r, 1/r) to the power L − 1 (derived closed form)", "Toolkit",
       ("λ_n = r e^{2πin/N}", "N ≥ L", "r > 0"),
       Tolerance("rtol 1e-8 (float64 SVD) while κ₂ ≤ 1e12; beyond, rtol 1e-10 against the high-precision κ₂",
                 "orthogonal graded columns: LAPACK is relatively accurate; beyond 1e12 cond2's σ_max steps are "
                 "float64 on exact scaled matrices (≈ √(NL)ε relative), not the brief's 1e-20 (which needs an "
                 "O(L³) mpmath SVD at L ≈ 300)", kind="roundoff"),
       _num_shrunk, _sym_shrunk, cost=2.0)
_claim("s4d_lin_link", "S4D-Lin ZOH eigenvalues at Δ = 2/N are roots of unity shrunk by e^{−1/N}", "LRU §4; toolkit",
       ("ã_n = −1/2 + iπn", "ZOH λ = e^{Δã}", "(a) Δ = 2/N, N ≥ L"),
       Tolerance("(a) nodes 1e-13, κ₂ rtol 1e-8; (b) κ₂ > 1e12 (sanity floor)",
                 "exp of a float64 argument is correctly rounded to a few ulp", kind="roundoff"),
       _num_s4d, _sym_s4d, cost=1.5)
_claim("gautschi_bound", "Gautschi: ‖V⁻¹‖₁ ≤ maxᵢ Πₖ (1+|xₖ|)/|xᵢ−xₖ| (k ≠ i), equality on a ray", "Gautschi 1962",
       ("distinct nodes", "square V, rows = nodes"),
       Tolerance("ratio to the bound = 1 within 1e-30 on rays; roots: ‖V⁻¹‖₁ = 1 within 1e-30",
                 "mpmath at 80 digits, n ≤ 16: the inverse loses at most log10 κ₂ < 20 digits", kind="roundoff"),
       _num_gautschi, _sym_gautschi, cost=1.5)
_claim("real_node_growth", "Real nodes: κ₂ grows exponentially (Chebyshev rate ≈ 1 + √2)", "Beckermann 2000 (rates only)",
       ("real nodes in [−1, 1] or [0, 1]", "8-step geometric-mean rates"),
       Tolerance("Chebyshev rate in [2.3, 2.5]; other families ≥ 2.3 per node",
                 "κ₂ exact to ~1e-13 in high precision; single-step ratios oscillate with parity", kind="truncation+roundoff"),
       _num_growth, None, cost=2.0)
_claim("real_vs_complex_cond", "Real nodes are worse than complex nodes at equal N (factor > 10⁶)", "Toolkit",
       ("N = L = n ∈ {12, 16}", "r_max ∈ [0.9, 1]", "0 ≤ r_min ≤ r_max − 0.05"),
       Tolerance("κ₂(real) ≥ 10⁶ r_max^{−(n−1)}", "observed margins exceed two more orders of magnitude", kind="truncation+roundoff"),
       _num_realcomplex, None)
_claim("ring_sampling", "LRU Lemma 2: the ring sampler is uniform on the annulus", "LRU Lemma 2; " + LRU,
       ("u₁, u₂ ~ U[0, 1] independent", "0 ≤ r_min ≤ r_max ≤ 1"),
       Tolerance("KS p > α (two tests); mean and variance of |λ|² within z_α SE",
                 "tests at the run's per-test α (Bonferroni over a thorough run); SE from the uniform law", kind="statistical"),
       _num_ring, _sym_ring, statistical_checks=4 * 40)
_claim("forward_blowup", "LRU Prop. 3: forward blow-up E‖x∞‖²/E‖Bu‖² = log((1−a)/(1−b))/(b − a), a = r_min², b = r_max²",
       "LRU Prop. 3; " + LRU,
       ("λ uniform on the ring, full phase", "white-noise input", "r_max ≤ 0.999 for Monte Carlo"),
       Tolerance("z_α·SE with SE = √((E f² − μ²)/n) from the analytic moments; Poisson average 1e-12 + 16ε(1 + r)/(1 − r)",
                 "z-tests at the run's per-test α (f is heavy-tailed, so no fixed percentage); the quadrature runs at epsrel 1e-13 and the integrand rounds near its peak 1/(1 − r)²", kind="statistical+roundoff"),
       _num_blowup, _sym_blowup, statistical_checks=2 * 40)
_claim("noise_amplification", "Decoding error ≤ κ₂ × relative state noise (attained)", "Toolkit",
       ("A full column rank", "x = Au, û = A⁺(x + δx)"),
       Tolerance("ratio ≤ 1 + 1e-6; worst case ≥ 1 − 1e-6 of the bound", "κ₂ ≤ 1e8 keeps rounding far below the noise", kind="roundoff"),
       _num_noise, _sym_noise)
_claim("linear_decoder_mse", "Linear decoder MSE = (1 − r/L) E‖ū‖²; Gaussian MMSE is linear", "Toolkit",
       ("E[ūūᵀ] = s²I", "(b) Gaussian ū and noise"),
       Tolerance("z_α sample SE over 2000 samples (one-sided for 'not better than the MMSE')",
                 "z-tests at the run's per-test α; rank exact (half-shifted roots, rank 2|S|)", kind="statistical+exact"),
       _num_mse, _sym_mse, cost=1.5, statistical_checks=5 * 40)
_claim("sparse_recovery_advantage", "OMP beats every linear decoder below N = L for sparse inputs", "Toolkit",
       ("k-sparse ū, L = 128, k = 4", "N = 16 unit-circle conjugate-free nodes"),
       Tolerance("binomial tests at α: OMP successes (< 1e-8) ≥ the α-quantile of Binomial(50, 0.9); linear errors below 0.8 ≤ the (1 − α)-quantile of Binomial(50, 1/2)",
                 "probabilistic recovery: 'exact with probability ≥ 0.9' and 'median linear error ≥ 0.8' (theory ≈ √(1 − 32/128) = 0.87) tested at the run's per-test α", kind="statistical"),
       _num_sparse, None, statistical_checks=2 * 40)
_claim("readout_composition", "Separation of concerns: the time-invariant readout F∘D realises F(ū⁽ᵏ⁾)", REF,
       ("hypotheses of prefix_decoder", "roots of unity at radius r with κ₂ ≤ 1e6"),
       Tolerance("10⁻¹⁰ κ₂ scale(F); Lipschitz ratio ≤ 1 + 1e-9", "D = pinv carries κ₂ ε relative error", kind="roundoff"),
       _num_readout, _sym_readout)
_claim("high_precision_reconstruction", "Björck–Pereyra O(N²) solver and the precision rule dps ≥ log10 κ₂ + 20",
       "Björck–Pereyra 1970; toolkit",
       ("N = L distinct nodes, b_n ≠ 0", "x computed at the working precision from exact nodes and inputs"),
       Tolerance("float64: 10·n·ε·κ₂(V) relative; mpmath 10^−(dps − log10 κ₂ − 5); real nodes 4ε + κ₂·10^−dps",
                 "both solvers are normwise forward stable to c·n·ε·κ₂ (Higham, Accuracy and Stability, ch. 22); at dps digits the forward error is about κ₂·10^−dps", kind="roundoff"),
       _num_hp, _sym_hp, cost=2.0)
_claim("finite_width_universality", "Reported finite-width bounds (N ≥ dim 𝒱, MLP width ~ L/ε²)",
       "Orvieto et al. 2024 (secondary sources)", ("Barron-type regular causal target", "inputs in a linear space 𝒱"),
       Tolerance("none (documented only)", "the theorem's hypotheses and constants could not be consulted", kind="exact"),
       _num_universality, None, cost=0.1)


# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces
# the numeric checks and fails on a call into theory that is not listed as lambdified).
_SIDES = {
    "linear_recurrence.unrolling": Sides(
        symbolic=("theory.linear_recurrence.unrolling_difference", "theory.linear_recurrence.induction_step", "theory.linear_recurrence.diagonalized_system"),
        numeric=("numerics.linear_recurrence.ring_sample", "numerics.linear_recurrence.simulate", "numerics.linear_recurrence.unrolled_state"),
    ),
    "linear_recurrence.vandermonde_factorization": Sides(
        symbolic=("theory.linear_recurrence.vandermonde_factorization_difference",),
        numeric=("numerics.linear_recurrence.ring_sample", "numerics.linear_recurrence.simulate", "numerics.linear_recurrence.state_matrix", "numerics.linear_recurrence.reversed_prefix"),
    ),
    "linear_recurrence.vandermonde_determinant": Sides(
        symbolic=("theory.linear_recurrence.vandermonde_det_difference", "theory.linear_recurrence.vandermonde"),
        numeric=("numerics.linear_recurrence.ring_sample", "numerics.linear_recurrence.state_matrix", "numerics.vandermonde.vandermonde_rank", "numerics.vandermonde.mp_nodes", "numerics.vandermonde.cond2"),
    ),
    "linear_recurrence.prefix_decoder": Sides(
        symbolic=("theory.linear_recurrence.prefix_decoder_difference",),
        numeric=("numerics.linear_recurrence.s4d_lin_nodes", "numerics.linear_recurrence.state_matrix", "numerics.linear_recurrence.simulate", "numerics.linear_recurrence.reversed_prefix", "numerics.linear_recurrence.ring_sample", "numerics.vandermonde.cond2", "numerics.vandermonde.choose_dps_log10", "numerics.vandermonde.hp_state", "numerics.vandermonde.reconstruct_lstsq_mp"),
    ),
    "linear_recurrence.krylov_rank": Sides(
        symbolic=("theory.linear_recurrence.block_krylov", "theory.linear_recurrence.vandermonde"),
        numeric=("numerics.linear_recurrence.ring_sample", "numerics.linear_recurrence.krylov_matrix", "numerics.linear_recurrence.simulate", "numerics.vandermonde.mp_nodes"),
    ),
    "linear_recurrence.subspace_inputs": Sides(
        symbolic=("theory.linear_recurrence.subspace_minor",),
        numeric=("numerics.linear_recurrence.ring_sample", "numerics.vandermonde.mp_nodes", "numerics.linear_recurrence.state_matrix", "numerics.linear_recurrence.simulate", "numerics.linear_recurrence.real_stacked"),
    ),
    "linear_recurrence.real_dof_counting": Sides(
        symbolic=("theory.linear_recurrence.roots_of_unity_sum", "theory.linear_recurrence.half_shifted_roots_gram", "theory.linear_recurrence.rfft_nodes_gram"),
        numeric=("numerics.linear_recurrence.half_shifted_roots", "numerics.linear_recurrence.state_matrix", "numerics.linear_recurrence.real_stacked", "numerics.linear_recurrence.rfft_nodes", "numerics.linear_recurrence.simulate", "numerics.linear_recurrence.ring_sample"),
        lambdified=("theory.linear_recurrence.shrunk_roots_cond",),
    ),
    "linear_recurrence.roots_of_unity": Sides(
        symbolic=("theory.linear_recurrence.roots_gram",),
        numeric=("numerics.vandermonde.vandermonde_rank",),
    ),
    "linear_recurrence.shrunk_roots_cond": Sides(
        symbolic=("theory.linear_recurrence.shrunk_roots_gram", "theory.linear_recurrence.radius_for_condition"),
        numeric=("numerics.vandermonde.have_flint", "numerics.vandermonde.cond2", "numerics.linear_recurrence.roots_of_unity"),
    ),
    "linear_recurrence.s4d_lin_link": Sides(
        symbolic=("theory.linear_recurrence.s4d_lin_zoh_nodes",),
        numeric=("numerics.linear_recurrence.s4d_lin_nodes", "numerics.linear_recurrence.roots_of_unity", "numerics.linear_recurrence.state_matrix", "numerics.vandermonde.cond2"),
    ),
    "linear_recurrence.gautschi_bound": Sides(
        symbolic=("theory.linear_recurrence.vandermonde", "theory.linear_recurrence.lagrange_coefficients", "theory.linear_recurrence.ray_coefficients", "theory.linear_recurrence.roots_derivative_identity"),
        numeric=("numerics.linear_recurrence.ring_sample", "numerics.vandermonde.mp_nodes", "numerics.vandermonde.log10_gautschi_bound"),
        lambdified=("theory.linear_recurrence.gautschi_bound",),
    ),
    "linear_recurrence.real_node_growth": Sides(
        symbolic=(),
        numeric=("numerics.linear_recurrence.chebyshev_nodes", "numerics.vandermonde.cond2"),
    ),
    "linear_recurrence.real_vs_complex_cond": Sides(
        symbolic=(),
        numeric=("numerics.vandermonde.cond2", "numerics.linear_recurrence.roots_of_unity", "numerics.linear_recurrence.state_matrix"),
    ),
    "linear_recurrence.ring_sampling": Sides(
        symbolic=("theory.linear_recurrence.ring_radius_cdf",),
        numeric=("numerics.linear_recurrence.ring_sample",),
        lambdified=("theory.linear_recurrence.ring_radius_cdf",),
    ),
    "linear_recurrence.forward_blowup": Sides(
        symbolic=("theory.linear_recurrence.blowup_factor", "theory.linear_recurrence.blowup_limit", "theory.linear_recurrence.blowup_second_moment", "theory.linear_recurrence.state_energy_1d", "theory.linear_recurrence.poisson_phase_average"),
        numeric=("numerics.linear_recurrence.blowup_factor_mc", "numerics.linear_recurrence.ring_sample", "numerics.linear_recurrence.arc_phase_average"),
        lambdified=("theory.linear_recurrence.blowup_factor", "theory.linear_recurrence.blowup_second_moment", "theory.linear_recurrence.blowup_limit"),
    ),
    "linear_recurrence.noise_amplification": Sides(
        symbolic=("theory.linear_recurrence.noise_amplification_equality",),
        numeric=("numerics.linear_recurrence.roots_of_unity", "numerics.linear_recurrence.ring_sample", "numerics.linear_recurrence.state_matrix"),
    ),
    "linear_recurrence.linear_decoder_mse": Sides(
        symbolic=("theory.linear_recurrence.linear_decoder_mse", "theory.linear_recurrence.gaussian_mmse_decoder"),
        numeric=("numerics.linear_recurrence.half_shifted_roots", "numerics.linear_recurrence.state_matrix", "numerics.linear_recurrence.real_stacked", "numerics.linear_recurrence.linear_decode", "numerics.linear_recurrence.wiener_decode", "numerics.linear_recurrence.omp_decode"),
    ),
    "linear_recurrence.sparse_recovery_advantage": Sides(
        symbolic=(),
        numeric=("numerics.linear_recurrence.half_shifted_roots", "numerics.linear_recurrence.state_matrix", "numerics.linear_recurrence.real_stacked", "numerics.linear_recurrence.ring_sample", "numerics.linear_recurrence.omp_decode", "numerics.linear_recurrence.linear_decode"),
    ),
    "linear_recurrence.readout_composition": Sides(
        symbolic=("theory.linear_recurrence.time_index_channel",),
        numeric=("numerics.linear_recurrence.roots_of_unity", "numerics.linear_recurrence.state_matrix", "numerics.linear_recurrence.simulate", "numerics.linear_recurrence.reversed_prefix"),
        lambdified=("theory.linear_recurrence.time_index_channel",),
    ),
    "linear_recurrence.high_precision_reconstruction": Sides(
        symbolic=("theory.linear_recurrence.bjorck_pereyra_symbolic",),
        numeric=("numerics.linear_recurrence.roots_of_unity", "numerics.linear_recurrence.state_matrix", "numerics.vandermonde.bjorck_pereyra", "numerics.linear_recurrence.ring_sample", "numerics.vandermonde.cond2", "numerics.vandermonde.choose_dps_log10", "numerics.vandermonde.hp_state", "numerics.vandermonde.bjorck_pereyra_mp", "numerics.vandermonde.mp_nodes", "numerics.vandermonde.have_flint", "numerics.vandermonde.choose_dps", "numerics.vandermonde.reconstruct_mp"),
        lambdified=("theory.linear_recurrence.precision_rule",),
    ),
    "linear_recurrence.finite_width_universality": Sides(
        symbolic=(),
        numeric=("documented only: the check reports not applicable",),
    ),
}
for _id, _sides in _SIDES.items():
    annotate(_id, sides=_sides)
