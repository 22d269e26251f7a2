"""Unrolling the recurrence x_k = Λx_{k−1} + Bu_k (claims ``linear_recurrence.unrolling`` and
``linear_recurrence.vandermonde_factorization``): the closed form x_k = Σ_{j<k} Λʲ B u_{k−j}, the
diagonal equivalence of (A, B, C) and (Λ, P⁻¹B, CP) (LRU §3.2.1), and for scalar inputs the
Vandermonde factorisation x_k = diag(b) V ū⁽ᵏ⁾ (rows of V are nodes, columns powers)."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from numerics import InputError
from numerics import linear_recurrence as NL
from proofs_checks.registry import Proof, Sides, Tolerance
from theory import linear_recurrence as T

from ._checks import EPS, LRU, REF, TINY, is_zero, register_claim, searching, size_cap, worst_of


# linear_recurrence.unrolling
def _sym_unrolling():
    ok = all(is_zero(T.unrolling_difference(kk)) for kk in range(1, 7))
    ind = T.induction_step() == 0
    diag = all(lhs == rhs for lhs, rhs in T.diagonalized_system(4))
    return Proof(ok and ind and diag, "recursion = Σ Λ^j B u_{k-j} for k ≤ 6 (MatrixSymbols); induction step "
                 "by index shift for general k; P⁻¹(PΛP⁻¹)^j = Λ^j P⁻¹ for j ≤ 4 (MatrixSymbols)")


def _num_unrolling(ctx):
    for rng in ctx.instances():
        N, M, k = (int(rng.integers(1, size_cap(ctx, 64, 12) + 1)), int(rng.integers(1, 5)),
                   int(rng.integers(1, size_cap(ctx, 256, 24) + 1)))
        lam = NL.ring_sample(rng, N, 0.0, 1.0)
        B = rng.standard_normal((N, M)) + 1j * rng.standard_normal((N, M))
        u = rng.standard_normal((k, M))
        x_sim = NL.simulate(lam, B, u)
        x_cf, scale = NL.unrolled_state(lam, B, u, k)
        ctx.edge("k = 1", k == 1)
        ctx.edge("N = 1", N == 1)
        ctx.edge("a zero node", bool(np.any(lam == 0)))
        ctx.edge("nodes on the unit circle", bool(np.any(np.abs(lam) == 1)))
        # Each rounding is ε relative plus TINY absolute (gradual underflow): 4kM(M + 1) of those
        # bound the subnormal part, far below 1e-12·scale unless every term underflows.
        ctx.record(np.linalg.norm(x_sim - x_cf), 1e-12 * scale + 4 * k * (M + 1) * math.sqrt(N) * TINY,
                   part="a", N=N, M=M, k=k)
        # (b) a real Glorot A, its eigendecomposition, the same outputs
        n = int(rng.integers(2, 9))
        A = rng.standard_normal((n, n)) / math.sqrt(n)
        if searching(ctx) and rng.random() < 0.4:
            # repeated eigenvalues (diagonalisable, A = QWQ⁻¹) or a Jordan block (defective)
            Q = A + 2 * np.eye(n)
            W = np.diag(rng.choice([-0.5, 0.5, 1.0], size=n))
            A = Q @ W @ np.linalg.inv(Q) if rng.random() < 0.7 else W + np.diag(np.ones(n - 1), 1)
        w, P = np.linalg.eig(A)
        kP = np.linalg.cond(P)
        ctx.edge("A defective or nearly (κ₂(P) > 1e8, skipped)", not kP <= 1e8)
        ctx.edge("a repeated eigenvalue", np.unique(w).size < n)
        if not kP <= 1e8:
            ctx.skip(f"κ₂(P) = {kP:.1e} > 1e8")
            continue
        # The check trusts LAPACK's eigendecomposition, which is backward stable:
        # ‖AP − PΛ‖₂ ≤ 10nε‖A‖₂‖P‖₂. geev's balancing breaks that on entries near the underflow
        # threshold (A = [[0, 3e-293], [0.7, 0.7]] returns P = I): such an instance is not checked.
        residual = np.linalg.norm(A @ P - P * w, 2)
        if residual > 10 * n * EPS * np.linalg.norm(A, 2) * np.linalg.norm(P, 2) + n * TINY:
            ctx.skip(f"(b) LAPACK eig residual {residual:.1e}: the eigendecomposition is not accurate")
            continue
        Bn, C = rng.standard_normal((n, M)), rng.standard_normal((2, n))
        ys = NL.simulate(A, Bn, u[:64], return_all=True) @ C.T
        yd = (NL.simulate(w, np.linalg.solve(P, Bn), u[:64], return_all=True) @ (C @ P).T)
        scale_y = max(np.abs(ys).max(), 1.0)
        ctx.record(np.abs(ys - yd.real).max() / scale_y, 1e-9 * kP, part="b", n=n, kappa_P=kP)


# linear_recurrence.vandermonde_factorization
def _sym_vfact():
    return Proof(is_zero(T.vandermonde_factorization_difference(3, 5)),
                 "x_k − diag(b)Vū^(k) expands to 0 for N = 3, L = 5, every k ≤ 5 (symbolic λ, b, u)")


def _num_vfact(ctx):
    for rng in ctx.instances():
        N, L = int(rng.integers(1, size_cap(ctx, 64, 12) + 1)), int(rng.integers(1, size_cap(ctx, 128, 24) + 1))
        lam = NL.ring_sample(rng, N, 0.0, 1.0)
        b = rng.standard_normal(N) + 1j * rng.standard_normal(N)
        u = rng.standard_normal(L)
        xs = NL.simulate(lam, b, u, return_all=True)
        V = NL.state_matrix(lam, L)
        ctx.edge("N = 1 or L = 1", min(N, L) == 1)
        ctx.edge("a zero node", bool(np.any(lam == 0)))
        worst = 0.0
        for kk in range(1, L + 1):
            ub = NL.reversed_prefix(u, kk, L)
            scale = np.abs(b)[:, None] * np.abs(V) @ np.abs(ub)
            worst = worst_of([worst, np.max(np.abs(xs[kk - 1] - b * (V @ ub)) / np.maximum(scale, 1e-300))])
        ctx.record(worst, 1e-12, N=N, L=L)
    try:
        NL.reversed_prefix(np.ones(3), 4, 3)
        ctx.require(False, "k > L raises InputError naming k")
    except InputError as exc:
        ctx.require("k" in str(exc), "k > L raises InputError naming k")


# ------------------------------------------------------------------------------------------------
# Registration, in report order.
register_claim("unrolling", "Unrolled state xₖ = Σⱼ Λʲ B uₖ₋ⱼ (j < k) and diagonal equivalence", "LRU §3.2.1; " + LRU,
       ("x₀ = 0", "|λ| ≤ 1 (no overflow)", "(b) A = PΛP⁻¹ diagonalisable, κ₂(P) ≤ 1e8",
        "(b) the computed eigendecomposition is accurate: ‖AP − PΛ‖₂ ≤ 10nε‖A‖₂‖P‖₂ (LAPACK's balancing "
        "fails on entries near the underflow threshold; those draws are not checked)"),
       Tolerance("10⁻¹² Σ_j ‖Λʲ B u_{k−j}‖ + 4k(M + 1)√N·η (η = 2⁻¹⁰⁷⁴); (b) 10⁻⁹ κ₂(P) relative to max|y|",
                 "the closed form sums k terms with no growth when |λ| ≤ 1, each rounding ε relative plus η absolute "
                 "(gradual underflow); (b) eig's vectors carry κ₂(P)·ε", kind="roundoff"),
       _num_unrolling, _sym_unrolling,
       expressions=lambda: {"x_3": T.unroll_linear_recurrence(3)[1]},
       source="LRU §3.2.1 (diagonalisation of the recurrence)",
       sides=Sides(
        symbolic=("theory.linear_recurrence.unrolling_difference", "theory.linear_recurrence.induction_step", "theory.linear_recurrence.diagonalized_system"),
        numeric=("numerics.linear_recurrence.ring_sample", "numerics.linear_recurrence.simulate", "numerics.linear_recurrence.unrolled_state"),
       ))
register_claim("vandermonde_factorization", "Scalar-input state x_k = diag(b) V ū⁽ᵏ⁾ for every k ≤ L", REF,
       ("M = 1", "1 ≤ k ≤ L"),
       Tolerance("entrywise 10⁻¹² Σ_j |b_n λ_nʲ u_{k−j}|", "one rounding per term of a sum of at most L terms", kind="roundoff"),
       _num_vfact, _sym_vfact,
       expressions=lambda: {"V": T.vandermonde(sp.symbols("lambda0:3"), 3)},
       source="Orvieto et al. 2024, the Vandermonde argument for memorisation (reconstructed by the toolkit)",
       sides=Sides(
        symbolic=("theory.linear_recurrence.vandermonde_factorization_difference",),
        numeric=("numerics.linear_recurrence.ring_sample", "numerics.linear_recurrence.simulate", "numerics.linear_recurrence.state_matrix", "numerics.linear_recurrence.reversed_prefix"),
       ))
