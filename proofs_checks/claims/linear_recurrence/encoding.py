"""Lossless encoding by the state map: the Vandermonde determinant and rank of diag(b)V, one
linear decoder (diag(b)V)⁺ for every prefix, the Krylov rank condition N ≥ L·M for M-dimensional
inputs, and N ≥ P for inputs in a P-dimensional subspace (the paper's "N ≥ dim 𝒱")."""

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

from ._checks import REF, is_zero, rank_digits, register_claim, relerr, searching, size_cap, worst_of
from ._instances import prefix_nodes


# linear_recurrence.vandermonde_determinant
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
        size = size_cap(ctx, 12 if not ctx.thorough else 24, 8)
        N, L = int(rng.integers(2, size + 1)), int(rng.integers(2, size + 1))
        nodes = pool[rng.integers(0, pool.size, N)]
        b = rng.standard_normal(N)
        b[rng.random(N) < 0.15] = 0.0
        # (a) determinant of a square sub-system of distinct nodes
        sq = np.unique(pool)[: min(8, N)]
        n = sq.size
        ctx.edge("n = 1 (a single distinct node)", n == 1)
        ctx.edge("repeated nodes", np.unique(nodes).size < N)
        ctx.edge("a zero weight b_n", bool(np.any(b == 0)))
        V = NL.state_matrix(sq, n)
        kap = np.linalg.cond(V)
        log_prod = sum(math.log(abs(sq[j] - sq[i])) for i in range(n) for j in range(i + 1, n))
        if not kap <= 1e14:
            # float64 κ₂ saturates near 1e16: take the digits from the high-precision κ₂
            kap = NV.cond2(sq, n).cond2
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
        dps = rank_digits(nodes, L, b)
        if dps > 2000:
            ctx.skip(f"(b) usable nodes or weights {dps // 2} digits apart: beyond the SVD's reach")
            continue
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


# linear_recurrence.prefix_decoder
def _sym_prefix():
    return Proof(is_zero(T.prefix_decoder_difference()),
                 "V⁻¹diag(b)⁻¹x_k − ū^(k) simplifies to 0 for k = 1, 2, 3 (N = L = 3, symbolic)")


def _num_prefix(ctx):
    for rng in ctx.instances():
        # float64 path
        L = int(rng.integers(2, size_cap(ctx, 64, 12) + 1))
        N = int(rng.integers(L, 2 * L + 1))
        relaxed = "N ≥ L" in ctx.relaxed
        if relaxed:
            N = int(rng.integers(1, L))   # fewer states than steps: no left inverse exists
        fam, lam = prefix_nodes(rng, N, searching(ctx))
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
            err = worst_of(relerr((D @ xs[kk - 1]).real, NL.reversed_prefix(u, kk, L)) for kk in range(1, L + 1))
            ctx.record(err, 1e-5, path="float64", family=fam, N=N, L=L, kappa=kap)
        if relaxed:
            continue
        # mpmath path: nodes exact (float64 values), x at the rule's digits
        Lm = int(rng.integers(2, size_cap(ctx, 24 if ctx.thorough else 12, 6) + 1))
        Nm = int(rng.integers(Lm, 2 * Lm + 1))
        fam, lam = prefix_nodes(rng, Nm, searching(ctx))
        um = rng.standard_normal(Lm)
        ctx.edge("nodes on the unit circle", bool(np.all(np.abs(np.abs(lam) - 1) < 1e-15)))
        ctx.edge("N = L (square state map)", Nm == Lm)
        sep_m = np.min(np.abs(lam[:, None] - lam[None, :]) + np.eye(Nm) * 9)
        if sep_m < 1e-3:
            ctx.skip(f"mpmath path: {fam} nodes, separation {sep_m:.1e} < 1e-3")
            continue
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
            # u = 0: x = 0 and the decoder returns 0 exactly (error 0 against tolerance 0)
            ratio = float(err / tol) if tol > 0 else (0.0 if err == 0 else math.inf)
            ctx.record(ratio, 1.0, path="mpmath", family=fam, N=Nm, L=Lm, k=kk, dps=dps,
                       log10_kappa=cr.log10)


# linear_recurrence.krylov_rank
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
        if searching(ctx):
            # "generic B" holds off a null set that an adversarial search would find (B = 0, equal
            # rows): under search B is a complex Gaussian draw from a seed the search picks.
            g = np.random.default_rng(int(rng.integers(0, 2**32)))
            B = g.standard_normal((N, M)) + 1j * g.standard_normal((N, M))
        sep = np.min(np.abs(lam[:, None] - lam[None, :]) + np.eye(N) * 9)
        ctx.edge("N = L·M (square K)", N == LM)
        ctx.edge("N = 1 or L = 1 or M = 1", min(N, L, M) == 1)
        if sep < 1e-3:
            ctx.skip(f"nodes {sep:.1e} apart: the hypothesis asks for distinct nodes, separation ≥ 1e-3")
            continue
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
        ctx.edge("a node shared by more than M rows", any(int(np.sum(shared == v)) > M for v in np.unique(shared)))
        levels = np.unique(shared)
        if levels.size > 1 and np.min(np.abs(levels[:, None] - levels[None, :]) + np.eye(levels.size) * 9) < 1e-3:
            ctx.skip("shared nodes: two distinct nodes closer than 1e-3")
            continue
        rank_s = _mp_krylov_rank(shared, B, L)
        ctx.require(rank_s == min(N, LM, bound), "shared nodes: rank K = min(LM, Σ min(mult(λ), M))",
                    rank=rank_s, bound=bound, N=N, L=L, M=M)
    for bad in ((np.ones(2), np.ones((2, 1)), 0),):
        try:
            NL.krylov_matrix(*bad)
            ctx.require(False, "L = 0 raises InputError")
        except InputError:
            ctx.require(True, "L = 0 raises InputError")


# linear_recurrence.subspace_inputs
def _sym_subspace():
    minor, cb = T.subspace_minor()
    return Proof(minor != 0 and sp.expand(minor - cb) == 0,
                 "det(VΦ) for L = 4, P = 2, N = 2 equals its Cauchy–Binet expansion and is a nonzero polynomial")


def _num_subspace(ctx):
    from numpy.polynomial import legendre
    for rng in ctx.instances():
        P = int(rng.integers(1, (12 if ctx.thorough else 6) + 1))
        L = int(rng.integers(max(P, 8), size_cap(ctx, 256 if ctx.thorough else 64, 16) + 1))
        Phi = legendre.legvander(np.linspace(-1, 1, L), P - 1)[::-1]
        ctx.edge("P = 1", P == 1)
        for N in (P, P + 1, 2 * P):
            lam = NL.ring_sample(rng, N, 0.9, 1.0)
            sep = np.min(np.abs(lam[:, None] - lam[None, :]) + np.eye(N) * 9)
            if sep < 1e-3:
                ctx.skip(f"N = {N}: nodes {sep:.1e} apart (generic nodes: separation ≥ 1e-3)")
                continue
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
                A = (NL.state_matrix(lam, L) @ Phi).astype(complex)
                x = NL.simulate(lam, None, (Phi @ c)[::-1]).astype(complex)
                chat = np.linalg.lstsq(NL.real_stacked(A), NL.real_stacked(x[:, None])[:, 0], rcond=None)[0]
                ctx.record(relerr(chat, c), 1e2 * kap * 1e-16 * max(L, 1), N=N, P=P, L=L, kappa=kap)
            ctx.note(f"κ₂(VΦ) at N={N}, P={P}, L={L}: {kap:.2e}") if ctx.instance == 0 else None


# ------------------------------------------------------------------------------------------------
# Registration, in report order.
register_claim("vandermonde_determinant", "det V = Π_{i<j}(λ_j − λ_i); rank diag(b)V = min(L, d)", "Classical; " + REF,
       ("square V for (a)", "d = distinct nodes with b_n ≠ 0",
        "(b) nodes and weights resolvable: at most 1000 digits between σ_max and σ_r (else not checked)"),
       Tolerance("(a) rtol 1e-8 on log|det| when κ₂ ≤ 1e8, else mpmath at the precision rule; (b) exact rank",
                 "slogdet is backward stable; mpmath SVD rank with threshold 10^(−dps/2) σ_max, dps = max(60, 2(g + 10)) with "
                 "g ≥ log10(σ_max/σ_r) from Gautschi's bound on the r usable rows", kind="roundoff+exact"),
       _num_vdet, _sym_vdet, cost=2.0,
       expressions=lambda: {"det V (n=3)": T.vandermonde_det(3)},
       source="classical (the Vandermonde determinant)",
       commands=("rnnproof vandermonde NODES.npy --L L",),
       sides=Sides(
        symbolic=("theory.linear_recurrence.vandermonde_det_difference", "theory.linear_recurrence.vandermonde"),
        numeric=("numerics.linear_recurrence.ring_sample", "numerics.linear_recurrence.state_matrix", "numerics.vandermonde.vandermonde_rank", "numerics.vandermonde.mp_nodes", "numerics.vandermonde.cond2"),
       ))
register_claim("prefix_decoder", "One linear decoder D = (diag(b)V)⁺ recovers every prefix ū⁽ᵏ⁾", REF,
       ("N ≥ L", "b_n ≠ 0", "L distinct nodes, separation ≥ 1e-3"),
       Tolerance("float64: rtol 1e-5 when κ₂ ≤ 1e10; mpmath: 10^−(dps − log10 κ₂ − 5) ‖u‖",
                 "relative error ≈ κ₂·1e-16 in float64 (margin 10); mpmath loses log10 κ₂ digits", kind="roundoff"),
       _num_prefix, _sym_prefix, cost=2.0,
       relaxable={"N ≥ L": "draws N < L states: diag(b)V has rank N < L, so no decoder recovers every prefix"},
       source="Orvieto et al. 2024, abstract: the recurrence encodes its input losslessly (reconstructed by the toolkit)",
       commands=("rnnproof reconstruct NODES.npy INPUTS.npy",),
       sides=Sides(
        symbolic=("theory.linear_recurrence.prefix_decoder_difference",),
        numeric=("numerics.linear_recurrence.s4d_lin_nodes", "numerics.linear_recurrence.state_matrix", "numerics.linear_recurrence.simulate", "numerics.linear_recurrence.reversed_prefix", "numerics.linear_recurrence.ring_sample", "numerics.vandermonde.cond2", "numerics.vandermonde.choose_dps_log10", "numerics.vandermonde.hp_state", "numerics.vandermonde.reconstruct_lstsq_mp"),
       ))
register_claim("krylov_rank", "Multi-input: lossless iff rank K = L·M, which needs N ≥ L·M", REF,
       ("distinct nodes, separation ≥ 1e-3", "generic B: complex Gaussian (under search, drawn from a seed the search "
        "picks, so that B = 0 or equal rows, a null set, are not drawn)", "L, M ≥ 1"),
       Tolerance("x_L = K u: 10⁻¹² Σ|K||u|; ranks exact (mpmath SVD, threshold 1e-30 σ_max at 60 digits)",
                 "ring nodes in [0.9, 1] with LM ≤ 12 keep σ_min far above 1e-30 σ_max", kind="roundoff+exact"),
       _num_krylov, _sym_krylov, cost=2.0,
       expressions=lambda: {"K (L=2, M=2)": T.block_krylov(2, 2, symbolic=True)[0]},
       source="Orvieto et al. 2024, lossless encoding of M-dimensional inputs (reconstructed by the toolkit)",
       commands=("rnnproof reconstruct NODES.npy INPUTS.npy",),
       sides=Sides(
        symbolic=("theory.linear_recurrence.block_krylov", "theory.linear_recurrence.vandermonde"),
        numeric=("numerics.linear_recurrence.ring_sample", "numerics.linear_recurrence.krylov_matrix", "numerics.linear_recurrence.simulate", "numerics.vandermonde.mp_nodes"),
       ))
register_claim("subspace_inputs", "Inputs in a P-dimensional subspace need only N ≥ P", REF + " (via summary)",
       ("ū = Φc with rank Φ = P", "generic nodes, separation ≥ 1e-3", "N ≥ P"),
       Tolerance("rank exact (mpmath); coefficient recovery 10² κ₂(VΦ) L ε when κ₂ ≤ 1e10",
                 "least squares loses κ₂ digits; the L-term sums add L roundings", kind="roundoff+exact"),
       _num_subspace, _sym_subspace, cost=2.0,
       source="Orvieto et al. 2024, width N ≥ dim 𝒱 for inputs in a linear space 𝒱, as a secondary summary reports it (reconstructed by the toolkit)",
       sides=Sides(
        symbolic=("theory.linear_recurrence.subspace_minor",),
        numeric=("numerics.linear_recurrence.ring_sample", "numerics.vandermonde.mp_nodes", "numerics.linear_recurrence.state_matrix", "numerics.linear_recurrence.simulate", "numerics.linear_recurrence.real_stacked"),
       ))
