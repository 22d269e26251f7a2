"""§3 (Theorem 1, the construction): the Halmos dilation, the obstruction for expansive W, and
the choice of β that keeps the extra block silent."""

from __future__ import annotations

import functools
import math

import numpy as np
import sympy as sp

from numerics import unitary as N
from proofs_checks.registry import Claim, Proof, Tolerance, register
from theory import unitary as T

from ._checks import EPS, PAPER, REF, _raises, _sym
from ._instances import _M, _SIGMA_KINDS, _family, _haar_sigma, _rnn_instance


# =====================================================================================================
# 3. Theorem 1
# =====================================================================================================
@functools.lru_cache(maxsize=None)
def _halmos_proof():
    return T.halmos_dilation_symbolic().prove_orthogonal()


def _halmos_symbolic():
    proof = _halmos_proof()
    mono = T.intertwining_monomials(5)
    scal = T.scalar_dilation()
    scal_ok = sp.simplify(scal.T * scal - sp.eye(2)) == sp.zeros(2)
    exact = []
    for nn, seed in ((1, 1), (2, 2), (3, 3)):
        U, V = T.rational_orthogonal(nn, seed), T.rational_orthogonal(nn, seed + 10, det=-1)
        d = T.svd_dilation(U, T.pythagorean_pairs(nn, include_one=nn == 3, include_zero=nn == 2), V)
        exact.append(T.is_orthogonal(d["Wt"]) and d["Sl2_ok"] and d["Sr2_ok"])
    ok = proof.holds and mono and scal_ok and all(exact)
    return Proof(ok, "all 8 blocks of WᵤᵀWᵤ and WᵤWᵤᵀ reduce to I or 0 under the lemmas (general n); "
                     "Wᵀ(WWᵀ)ᵏ = (WᵀW)ᵏWᵀ for k ≤ 5; scalar case; exact rational Wᵤ (Cayley U, V, "
                     "Pythagorean σ incl. 0 and 1) orthogonal for n = 1, 2, 3 with (USUᵀ)² = I − WWᵀ")


def _halmos_numeric(ctx):
    for i, rng in enumerate(ctx.instances(count=max(ctx.examples, 5))):
        kind = _SIGMA_KINDS[_family(ctx, rng, i, len(_SIGMA_KINDS))]
        n = int(rng.integers(1, 13))
        W = N.contractive_matrix(rng, n, 1.0, sigma=_haar_sigma(rng, n, kind))
        Wt, info = N.halmos_dilation(W, "svd")
        ctx.record(N.orthogonality_defect(Wt), 100 * n * EPS, n=n, sigma=kind, method="svd")
        s_W = np.linalg.svd(W, compute_uv=False)
        ctx.edge("n = 1", n == 1)
        ctx.edge("W = 0", not np.any(W))
        ctx.edge("‖W‖₂ = 1 (singular I − WᵀW)", bool(s_W[0] >= 1 - 1e-12))
        ctx.edge("‖W‖₂ just below 1 (1 − 10⁻ᵘ, u ≥ 6)", bool(1 - 1e-6 <= s_W[0] < 1 - 1e-12))
        ctx.edge("repeated singular values", bool(n > 1 and np.min(np.abs(np.diff(s_W))) <= 1e-12))
        ctx.require(bool(np.array_equal(Wt[:n, :n], W)), "top-left block is W bit for bit", n=n)
        We, info_e = N.halmos_dilation(W, "eigh")
        lam = info_e["lam_min_kept"]
        tol_e = 100 * n * EPS * max(1.0, 1.0 / math.sqrt(lam)) if lam > 0 else 100 * n * EPS
        ctx.record(N.orthogonality_defect(We), tol_e, n=n, sigma=kind, method="eigh", lam_min_kept=lam)
    rng = ctx.rng()
    big = N.contractive_matrix(rng, 3, 1.5)
    ctx.require(_raises(lambda: N.halmos_dilation(big), "W", "||W||_2 = 1."), "‖W‖ > 1 refused, naming W and printing ‖W‖₂")
    ctx.require(_raises(lambda: N.halmos_dilation(np.ones((2, 3))), "W"), "non-square W refused")
    ctx.require(_raises(lambda: N.halmos_dilation(np.array([[np.nan]])), "W"), "NaN refused")


register(Claim(
    id="unitary.halmos_dilation", paper=PAPER,
    title="For ‖W‖₂ ≤ 1 the Halmos block matrix [[W, S_l], [S_r, −Wᵀ]] is orthogonal",
    reference=REF + ", claim unitary.halmos_dilation",
    statement=lambda: sp.Eq(T.halmos_dilation_symbolic().matrix.T * T.halmos_dilation_symbolic().matrix,
                            sp.Identity(2 * T.n), evaluate=False),
    hypotheses=("‖W‖₂ ≤ 1", "S_r = (I − WᵀW)^{1/2}, S_l = (I − WWᵀ)^{1/2} (PSD roots)"),
    tolerance=Tolerance("defect ≤ 100·n·ε (SVD assembly); 100·n·ε·max(1, 1/√λ⁺) (eigh roots)",
                        "the square root is not Lipschitz at 0: eigh roots lose accuracy on singular I − WᵀW", kind="roundoff"),
    symbolic=_halmos_symbolic, numeric=_halmos_numeric,
    expressions=lambda: {"W~": T.halmos_dilation_symbolic().matrix, "2x2": T.scalar_dilation()}, cost=2.0))


def _expansive_symbolic():
    gram, stmt = T.expansive_obstruction()
    W, X = sp.MatrixSymbol("W", T.n, T.n), sp.MatrixSymbol("X", sp.Symbol("m", integer=True, positive=True), T.n)
    ok = T._terms(gram - (W.T * W + X.T * X)) == {}
    return Proof(ok, "[W; X] orthonormal columns ⇒ WᵀW + XᵀX = I (block_collapse) ⇒ vᵀ(I − WᵀW)v = ‖Xv‖² ≥ 0 ⇒ ‖W‖₂ ≤ 1")


def _expansive_numeric(ctx):
    for rng in ctx.instances():
        m = int(rng.integers(2, 13))
        nn = int(rng.integers(1, m))
        Q = N.haar_orthogonal(rng, m)
        ctx.record(float(np.linalg.norm(Q[:nn, :nn], 2)) - 1.0, 1e-12, m=m, n=nn)
        ctx.edge("n = 1", nn == 1)
        ctx.edge("m = n + 1", m == nn + 1)
        W = N.contractive_matrix(rng, nn, float(rng.uniform(1.01, 3)))
        ctx.require(_raises(lambda: N.halmos_dilation(W), "no orthogonal"), "expansive W refused")


register(Claim(
    id="unitary.no_dilation_if_expansive", paper=PAPER,
    title="‖W‖₂ > 1 ⇒ no orthogonal matrix of any size has W as its top-left block",
    reference=REF + ", claim unitary.no_dilation_if_expansive",
    statement=lambda: sp.Le(_sym(r"\|P^T \tilde{W} P\|_2"), _sym(r"\|\tilde{W}\|_2"), evaluate=False),
    hypotheses=("Wᵤ orthogonal m×m, m ≥ n", "P = [Iₙ; 0]"),
    tolerance=Tolerance("σ_max(top-left block) ≤ 1 + 1e−12", "one SVD of a block of a Haar matrix", kind="roundoff"),
    symbolic=_expansive_symbolic, numeric=_expansive_numeric,
    note="Says nothing about other URNNs: unitary.reparam_relu shows an expansive parameterization can be "
         "equivalent to a contractive one.", cost=0.5))


def _silent_symbolic():
    ch = T.extra_block_chain()
    return Proof(ch["w21_le_1"] and ch["invariance"] == 0,
                 "‖W₂₁‖² = 1 − σ_min² ≤ 1; (W₂₁h)ᵢ ≤ ‖W₂₁‖H* ≤ H* ≤ β; (ρH* + c − H*) + ((1−ρ)H* − c) = 0")


def _silent_numeric(ctx):
    for rng in ctx.instances():
        spec = _rnn_instance(rng)
        M = _M(rng)
        cons = N.relu_rnn_to_urnn(spec, M)
        s_min = float(np.linalg.svd(spec.W, compute_uv=False)[-1])
        w21 = float(np.linalg.norm(cons.W21, 2))
        ctx.record(abs(w21 - math.sqrt(max(0.0, 1 - s_min ** 2))), 1e-12, n=spec.n, check="‖W₂₁‖₂ = √(1 − σ_min²)")
        xs = N.sample_bounded_inputs(rng, spec.m, 150, M, 6, F=spec.B)
        mu = max(N.extra_state_margin(cons, X) for X in xs)
        ctx.require(mu <= 0, "margin μ ≤ 0 on bounded inputs", n=spec.n, M=M, margin=mu)
        ctx.edge("M = 0", M == 0)
        ctx.edge("ρ = 0 (W = 0)", not np.any(spec.W))
        ctx.edge("n = 1", spec.n == 1)
        ctx.edge("‖W‖₂ just below 1 (1 − ρ ≤ 1e−3)", cons.rho >= 1 - 1e-3)
        for X in xs[:2]:
            H, _ = N.simulate(spec, X)
            prev = np.vstack([cons.rnn.h0[None], H[:-1]])
            ctx.record(float(np.linalg.norm(prev @ cons.W21.T, axis=1).max()) - w21 * cons.H_star,
                       1e-12 * max(cons.H_star, 1.0), check="‖W₂₁h‖ ≤ ‖W₂₁‖H*")


register(Claim(
    id="unitary.extra_block_silent", paper=PAPER,
    title="β ≥ H* keeps every extra pre-activation W₂₁h⁽ᵏ⁻¹⁾ − β ≤ 0",
    reference=REF + ", claim unitary.extra_block_silent",
    statement=lambda: sp.Le(_sym(r"(W_{21} h^{(k-1)})_i - \beta"), 0, evaluate=False),
    hypotheses=("ρ < 1, x ∈ X_M", "W₂₁ᵀW₂₁ = I − WᵀW", "β = (1 + 1e−8)H*"),
    tolerance=Tolerance("μ ≤ 0 exactly; ‖W₂₁h‖ − ‖W₂₁‖H* ≤ 1e−12·H*", "the relative safety 1e−8 absorbs round-off", kind="roundoff+exact"),
    symbolic=_silent_symbolic, numeric=_silent_numeric,
    expressions=lambda: {"margin": sp.Eq(_sym("mu"), _sym(r"\max_{k,i} (W_{21} h^{(k-1)})_i") - _sym("beta"),
                                         evaluate=False)}, cost=1.0))
