"""§4 (Theorem 2): the memoryless W = 0 example and the lower bound m ≥ 2n."""

from __future__ import annotations

import numpy as np
import sympy as sp

from numerics import RNNSpec
from numerics import unitary as N
from proofs_checks.registry import Claim, Proof, Tolerance, register
from theory import unitary as T

from ._checks import EPS, PAPER, REF


# =====================================================================================================
# 4. Theorem 2
# =====================================================================================================
def _tight_example_symbolic():
    ok = True
    for nn in (1, 2):
        I, Z = sp.eye(nn), sp.zeros(nn)
        Wt = sp.Matrix(sp.BlockMatrix([[Z, I], [I, Z]]).as_explicit())
        ok &= T.is_orthogonal(Wt)
        h = sp.Matrix(sp.symbols(f"h1:{nn + 1}", nonnegative=True))
        x = sp.Matrix(sp.symbols(f"x1:{nn + 1}", real=True))
        beta = sp.Symbol("beta", nonnegative=True)
        pre = Wt * sp.Matrix.vstack(h, Z[:, :1]) + sp.Matrix.vstack(I, Z) * x + sp.Matrix.vstack(Z[:, :1], -beta * sp.ones(nn, 1))
        ok &= pre == sp.Matrix.vstack(x, h - beta * sp.ones(nn, 1))
        # h = ReLU(x_prev) has ‖h‖ ≤ M = β, so every h_i − β ≤ 0: check at the extreme h_i = β
        ok &= all(sp.simplify((hi - beta).subs(hi, beta)) == 0 for hi in h)
    return Proof(bool(ok), "Wᵤ = [[0, I], [I, 0]] is orthogonal; pre-activation Wᵤ[h; 0] + Fᵤx + bᵤ = [x; h − β1] "
                           "(n = 1, 2) and hᵢ ≤ ‖h‖ ≤ M = β, so hᵤ = [ReLU(x); 0] and yᵤ = ReLU(x)")


def _tight_example_numeric(ctx):
    for i, rng in enumerate(ctx.instances()):
        n = int(rng.integers(1, 7))
        M = 0.0 if (i == 0 if ctx.source is None else rng.random() < 0.25) else float(rng.uniform(0.1, 5))
        spec = RNNSpec(W=np.zeros((n, n)), B=np.eye(n), C=np.eye(n), activation="relu", time="discrete")
        cons = N.relu_rnn_to_urnn(spec, M)
        swap = np.block([[np.zeros((n, n)), np.eye(n)], [np.eye(n), np.zeros((n, n))]])
        ctx.require(bool(np.array_equal(cons.urnn.W, swap)), "Wᵤ is exactly the swap", n=n)
        ctx.require(cons.beta >= M, "β ≥ M = H*", n=n, M=M)
        ctx.edge("M = 0", M == 0)
        ctx.edge("n = 1", n == 1)
        ctx.record(abs(cons.beta - (1 + 1e-8) * M), 4 * EPS * M + 1e-300, n=n, M=M,
                   check="β = (1 + 1e−8)·M: β = M = H* with the safety factor")
        for X in N.sample_bounded_inputs(rng, n, 100, M, 3):
            Ht, Yt = N.simulate(cons.urnn, X)
            ctx.require(bool(np.all(Ht[:, n:] == 0)), "extra states exactly 0", n=n, M=M)
            ctx.record(float(np.abs(Yt - np.maximum(X, 0)).max(initial=0.0)), 0.0, n=n, M=M,
                       check="yᵤ = ReLU(x) exactly")


register(Claim(
    id="unitary.tightness_example", paper=PAPER,
    title="Memoryless W = 0 RNN (y = ReLU(x)): the swap URNN with 2n states matches on X_M",
    reference=REF + ", claim unitary.tightness_example",
    statement=lambda: sp.Eq(sp.MatrixSymbol(r"\tilde{W}", 4, 4),
                            sp.Matrix(sp.BlockMatrix([[sp.zeros(2), sp.eye(2)], [sp.eye(2), sp.zeros(2)]]).as_explicit()),
                            evaluate=False),
    hypotheses=("W = 0, F = Iₙ, b = 0, C = Iₙ, h₋₁ = 0", "β = M (M = 0 allowed)"),
    tolerance=Tolerance("outputs exactly ReLU(x); extra states exactly 0", "no arithmetic beyond copies and one subtraction", kind="exact"),
    symbolic=_tight_example_symbolic, numeric=_tight_example_numeric, cost=0.5))


def _tight_lower_symbolic():
    tj = T.tightness_jacobians()
    n1 = T.tightness_n1_exhaustive()
    dims = [T.dimension_lemma_exact(k, seed=k) for k in (1, 2, 3)]
    ok = tj["arithmetic_ok"] and all(sol == [] for _, sol in n1) and all(d["violations"] == 0 for d in dims)
    return Proof(bool(ok), "∂hᵤ⁽ᵏ⁺¹⁾/∂x⁽ᵏ⁾ = P_{k+1}WᵤP_kFᵤ; (s − n) − (n − (m − s)) = m − 2n; n = m = 1: solve((a)–(c)) "
                           "empty for all 8 patterns and w̃ = ±1; exact dimension lemma for m = 2n − 1, n ≤ 3 over "
                           f"{sum(d['checked'] for d in dims)} pattern pairs (Cayley Wᵤ × signed permutation): 0 violations")


def _tight_lower_numeric(ctx):
    for rng in ctx.instances():
        n = int(rng.integers(1, 7))
        m = int(rng.integers(n, 2 * n))
        Wt = N.haar_orthogonal(rng, m)
        ctx.edge("n = 1", n == 1)
        ctx.edge("m = 2n − 1", m == 2 * n - 1)
        for _ in range(5):
            pk = np.zeros(m)
            pk[rng.choice(m, int(rng.integers(n, m + 1)), replace=False)] = 1
            pk1 = np.zeros(m)
            pk1[rng.choice(m, int(rng.integers(n, m + 1)), replace=False)] = 1
            Ft = rng.standard_normal((m, n))
            if np.any(Ft) and np.abs(Ft).max() < 2.0 ** -100:
                Ft = np.ldexp(Ft, -np.frexp(np.abs(Ft).max())[1])  # exact; ranks are scale-invariant
            V = pk[:, None] * Ft
            rv, gv = N.svd_rank(V)
            if rv != n:
                ctx.skip("rank(P_kFᵤ) < n")
                continue
            s = int(pk1.sum())
            if N.svd_rank(pk1[:, None] * Ft)[0] != n:
                # (b) CᵤP_{k+1}Fᵤ = I needs rank(P_{k+1}Fᵤ) = n: no network has these patterns
                ctx.skip("rank(P_{k+1}Fᵤ) < n: condition (b) cannot hold")
                continue
            A = pk1[:, None] * (Wt @ V)
            r1, g1 = N.svd_rank(A)
            Ct = np.linalg.pinv(pk1[:, None] * Ft)  # solves (b): CᵤP_{k+1}Fᵤ = I
            R = np.eye(m)[:, pk1 == 1]  # basis of range P_{k+1}
            rk, gk = N.svd_rank(Ct @ R)
            dim_ker = s - rk
            ctx.require(r1 >= n - (m - s), "rank(P_{k+1}WᵤV) ≥ n − (m − s)", n=n, m=m, s=s, gap=g1)
            ctx.require(dim_ker == s - n, "dim(ker Cᵤ ∩ range P_{k+1}) = s − n", n=n, m=m, s=s, gap=gk)
            ctx.require(r1 > dim_ker, "P_{k+1}WᵤV ⊄ ker Cᵤ: (b) and (c) cannot both hold when m < 2n", n=n, m=m)
        # the swap URNN (m = 2n) satisfies (a)-(c) exactly
        I, Z = np.eye(n), np.zeros((n, n))
        Ws = np.block([[Z, I], [I, Z]])
        P = np.diag(np.r_[np.ones(n), np.zeros(n)])
        Fs, Cs = np.vstack([I, Z]), np.hstack([I, Z])
        e = max(np.abs(Cs @ P @ Fs - I).max(), np.abs(Cs @ P @ Ws @ P @ Fs).max())
        ctx.record(float(e), 0.0, n=n, check="swap URNN satisfies (a)–(c) exactly")
    ctx.note("horizon T = 1: not applicable (a single step has no memory to test); no optimisation is used as evidence")


register(Claim(
    id="unitary.tightness_lower_bound", paper=PAPER,
    title="Theorem 2: every ReLU network with invertible Wᵤ equivalent to the W = 0 example has m ≥ 2n states",
    reference=REF + ", claim unitary.tightness_lower_bound (Theorem 2)",
    statement=lambda: T.tightness_jacobians()["conclusion"],
    hypotheses=("n ≥ 1, M > 0, horizon T ≥ 2", "Wᵤ ∈ ℝ^{m×m} invertible (orthogonal in particular)",
                "activation patterns with rank(P_kFᵤ) = rank(P_{k+1}Fᵤ) = n (otherwise (a) or (b) cannot hold)"),
    tolerance=Tolerance("SVD ranks with relative tolerance 1e−10 (gap reported); swap conditions exactly 0",
                        "rank decisions on well-separated Gaussian instances", kind="roundoff+exact"),
    symbolic=_tight_lower_symbolic, numeric=_tight_lower_numeric,
    expressions=lambda: {f"({c})": e for c, e in zip("abc", T.tightness_jacobians()["conditions"])},
    cost=2.0))
