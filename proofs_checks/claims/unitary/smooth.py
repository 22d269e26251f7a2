"""§5 (Theorem 3): smooth activations — invertible linearizations, Krylov invariance, the sigmoid
RNN with no URNN equivalent, the sigmoid fixed point, the minimal-realization condition, and the
ReLU contrast."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from numerics import RNNSpec
from numerics import unitary as N
from proofs_checks.registry import Claim, Proof, Tolerance, register
from theory import unitary as T

from ._checks import EPS, PAPER, REF, _sym
from ._instances import _family


# =====================================================================================================
# 5. Theorem 3
# =====================================================================================================
def _det_symbolic():
    a = T.smooth_linearization_det(3, seed=1, det=1)
    b = T.smooth_linearization_det(3, seed=2, det=-1)
    return Proof(a["residual"] == 0 and b["residual"] == 0,
                 f"det(diag(d)Wᵤ) = {a['det']} (det Wᵤ = 1) and −d1·d2·d3 (det Wᵤ = −1), exact Cayley Wᵤ")


def _det_numeric(ctx):
    acts = ("sigmoid", "tanh", "softplus")
    from numerics import get_activation
    for i, rng in enumerate(ctx.instances()):
        act = get_activation(acts[_family(ctx, rng, i, 3)])
        m = int(rng.integers(1, 11))
        Q = N.haar_orthogonal(rng, m)
        z = 3 * rng.standard_normal(m)
        slopes = act.dphi(z)
        if not np.all(slopes > 0):
            # φ′(z) > 0 in exact arithmetic, but it underflows to 0 in float64 (tanh′ for |z| ≳ 19)
            ctx.skip(f"φ′(zᵢ) underflows to 0 in float64 (max |z| = {float(np.abs(z).max()):.3g})")
            continue
        sign, logdet = np.linalg.slogdet(slopes[:, None] * Q)
        ctx.edge("m = 1", m == 1)
        ctx.edge("z = 0 (largest slopes)", not np.any(z))
        ctx.record(abs(logdet - float(np.sum(np.log(slopes)))), 1e-10, m=m, activation=act.name)


register(Claim(
    id="unitary.smooth_linearization_invertible", paper=PAPER,
    title="φ′ > 0 ⇒ diag(φ′(z))Wᵤ is invertible with |det| = Πφ′(zᵢ)",
    reference=REF + ", claim unitary.smooth_linearization_invertible",
    statement=lambda: sp.Eq(sp.Abs(sp.Function("det")(sp.MatrixSymbol("D", 3, 3) * sp.MatrixSymbol(r"\tilde{W}", 3, 3))),
                            sp.Product(sp.Indexed("d", sp.Symbol("i")), (sp.Symbol("i"), 1, sp.Symbol("m"))),
                            evaluate=False),
    hypotheses=("φ C¹ with φ′ > 0 (sigmoid, tanh, softplus), φ′(zᵢ) representable (> 0) in float64", "Wᵤ orthogonal"),
    tolerance=Tolerance("|slogdet − Σ log φ′(zᵢ)| ≤ 1e−10", "LU of a well-conditioned m ≤ 10 matrix", kind="roundoff"),
    symbolic=_det_symbolic, numeric=_det_numeric,
    expressions=lambda: {"det": T.smooth_linearization_det(3)["det"]}, cost=0.5))


def _krylov_symbolic():
    ok = True
    for m, seed in ((2, 1), (3, 2), (4, 3), (5, 4)):
        r = __import__("random").Random(seed)
        D = sp.diag(*[sp.Rational(r.randint(1, 8), 32) for _ in range(m)])
        A = D * T.rational_orthogonal(m, seed, det=1 if seed % 2 else -1)
        B = sp.Matrix(m, 1, lambda i, j: sp.Rational(r.randint(-3, 3), 1))
        res = T.krylov_invariance_exact(A, B)
        ok &= res["invertible"] and res["rank_shifted"] == res["rank_full"]
    return Proof(bool(ok), "rank_ℚ[AB … AᵐB] = rank_ℚ[B AB … AᵐB] for A = D·Wᵤ (Cayley, rational slopes ≤ 1/4), m = 2…5")


def _krylov_numeric(ctx):
    from scipy.special import expit
    for rng in ctx.instances():
        m = int(rng.integers(1, 9))
        p = int(rng.integers(1, 3))
        z = rng.standard_normal(m)
        slopes = expit(z) * (1 - expit(z))
        if "A invertible" in ctx.relaxed:  # silent units: slope 0 on a random nonempty subset
            slopes = np.where(rng.random(m) < 0.5, 0.0, slopes)
            slopes[int(rng.integers(0, m))] = 0.0
        A = slopes[:, None] * N.haar_orthogonal(rng, m)
        B = rng.standard_normal((m, p))
        if np.any(B) and not 2.0 ** -100 <= np.abs(B).max() <= 2.0 ** 100:
            B = np.ldexp(B, -np.frexp(np.abs(B).max())[1])  # exact; the claim is scale-invariant
        Q = N.orthonormal_krylov(A, B, m)
        ctx.edge("B = 0 or a zero column of B", bool(np.any(np.linalg.norm(B, axis=0) == 0)))
        if not np.any(B):  # 0 lies in every span; the relative residual is undefined
            ctx.record(float(np.linalg.norm(Q @ (Q.T @ B))), 0.0, m=m, p=p, check="B = 0")
            continue
        # Projecting B on the computed basis of span{AB, …, AᵐB} errs by about ε·κ of that basis
        # (columns normalised), times the m·p orthogonalisation steps. A zero column of AʲB (B has
        # a zero column) is no direction of the span; κ is taken over the span's numerical rank
        # (the Arnoldi keeps directions above 1e−12 relative), so an A-invariant span{B} of lower
        # dimension (repeated slopes, B an eigenvector) keeps a finite, meaningful κ.
        K = np.hstack([np.linalg.matrix_power(A, j) @ B for j in range(1, m + 1)])
        norms = np.linalg.norm(K, axis=0)
        if not np.all(norms > 0):
            K, norms = K[:, norms > 0], norms[norms > 0]
        K = K / norms
        sv = np.linalg.svd(K[:, :m] if K.shape[1] > m else K, compute_uv=False) if K.size else np.ones(1)
        kappa = float(sv[0] / sv[sv > 1e-12 * sv[0]][-1])
        ctx.edge("span{AB, …, AᵐB} of dimension < m", bool(K.shape[1] < m or sv[-1] <= 1e-12 * sv[0]))
        ctx.record(float(np.linalg.norm(B - Q @ (Q.T @ B)) / np.linalg.norm(B)), 16 * m * p * EPS * max(kappa, 1.0),
                   m=m, p=p, kappa=kappa)
    ctx.note("singular A: not applicable (the implication fails in general; see unitary.relu_contrast)")


register(Claim(
    id="unitary.krylov_invariance", paper=PAPER,
    title="A invertible and CᵤAʲB = 0 for 1 ≤ j ≤ m imply CᵤB = 0 (B ∈ span{AB, …, AᵐB})",
    reference=REF + ", claim unitary.krylov_invariance",
    statement=lambda: sp.Eq(sp.MatrixSymbol("B", 3, 1),
                            sp.MatrixSymbol("Q", 3, 3) * sp.MatrixSymbol("Q", 3, 3).T * sp.MatrixSymbol("B", 3, 1),
                            evaluate=False),
    hypotheses=("A ∈ ℝ^{m×m} invertible", "B ∈ ℝ^{m×p}"),
    tolerance=Tolerance("‖B − QQᵀB‖ ≤ 16·m·p·ε·κ(K)‖B‖ with Q an orthonormal (twice re-orthogonalised) Krylov basis, K = [AB … AᵐB] column-normalised",
                        "raw powers decay like 4⁻ʲ; orthonormal bases keep the test well conditioned", kind="roundoff"),
    symbolic=_krylov_symbolic, numeric=_krylov_numeric, cost=0.5,
    relaxable={"A invertible": "sets the slope of a nonempty subset of units to 0 (silent units), so A is singular"}))


def _smooth_symbolic():
    ok = all(T.memoryless_no_readout_exact(m, seed=m)["solutions"] == sp.EmptySet for m in (1, 2, 3))
    # contrast: the ReLU swap URNN with 0/1 slopes P = diag(1, 0) has a solution
    Wt = sp.Matrix([[0, 1], [1, 0]])
    P = sp.diag(1, 0)
    con = T.memoryless_no_readout_exact(2, slopes=(Wt, sp.Matrix([1, 0]), [P] * 4, 1))
    ok = ok and con["solutions"] != sp.EmptySet
    return Proof(bool(ok), "exact rational instances, m = 1, 2, 3, time-varying slopes: the linear system "
                           "CᵤJ_{t,s} = 0 (s < t), CᵤJ_{t,t} = 1/4, t ≤ m + 1, has no solution (linsolve = ∅); "
                           "ReLU swap contrast with slopes diag(1, 0) is solvable")


def _jacobian_vs_differences(ctx, J, Wt, Ft, bt, h0, phi, m):
    r"""An independent witness of the exact Jacobians: central differences of the simulated
    recursion, ∂h̃⁽ᵗ⁾/∂x⁽⁰⁾ for t = 1 and t = m + 1 along x = 0. Central differences are second
    order, so the error of FD(δ/2) is about |FD(δ) − FD(δ/2)|/3; the tolerance is that difference
    itself (a factor 3 of margin) plus the round-off (t + 1)·m·ε/(δ/2) of states in (0, 1)."""
    def state(t, kick):
        h = np.asarray(h0, float)
        for step in range(t + 1):
            h = phi(Wt @ h + Ft[:, 0] * (kick if step == 0 else 0.0) + bt)
        return h
    delta = 1e-4
    for t in (1, m + 1):
        coarse, fine = ((state(t, d) - state(t, -d)) / (2 * d) for d in (delta, delta / 2))
        ctx.record(float(np.abs(fine - J[(t, 0)][:, 0]).max()),
                   float(np.abs(coarse - fine).max()) + 4 * (t + 1) * m * EPS / delta,
                   m=m, t=t, check="exact Jacobian ∂h̃⁽ᵗ⁾/∂x⁽⁰⁾ vs central differences")


def _smooth_numeric(ctx):
    from scipy.special import expit
    act_phi, act_d = expit, (lambda z: expit(z) * (1 - expit(z)))
    smallest = math.inf
    for rng in ctx.instances():
        m = int(rng.integers(1, 9))
        Wt = N.haar_orthogonal(rng, m)
        Ft, bt, h0 = rng.standard_normal((m, 1)), rng.standard_normal(m), rng.standard_normal(m)
        J = N.smooth_jacobians(Wt, Ft, bt, h0, act_phi, act_d, m + 2)
        _jacobian_vs_differences(ctx, J, Wt, Ft, bt, h0, act_phi, m)
        res, _ = N.memoryless_certificate(J, m + 2, 0.25)
        if res < 1e-8:
            res, _ = N.memoryless_certificate(J, m + 2, 0.25, dps=50)
            ctx.note(f"instance m={m}: residual below 1e-8 in double, mpmath (50 digits) gives {res:.3g}")
        smallest = min(smallest, res)
        ctx.edge("m = 1", m == 1)
        ctx.require(res > 0, "least-squares residual > 0: no read-out reproduces y = σ(x)", m=m, residual=res)
    # contrast: the ReLU swap URNN (n = 1, m = 2) reproduces y = ReLU(x) exactly around x̄ > 0
    Ws = np.array([[0.0, 1.0], [1.0, 0.0]])
    J = N.smooth_jacobians(Ws, np.array([[1.0], [0.0]]), np.array([0.0, -1.0]), np.zeros(2),
                           lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float), 4, xbar=np.array([0.5]))
    res, _ = N.memoryless_certificate(J, 4, 1.0)
    ctx.record(res, 1e-14, check="ReLU swap URNN least-squares residual (round-off of lstsq only)")
    Cs = np.array([1.0, 0.0])
    exact = max(abs(float(Cs @ J[(t, s)].ravel()) - (1.0 if s == t else 0.0)) for (t, s) in J)
    ctx.record(exact, 0.0, check="ReLU swap URNN with Cᵤ = [1, 0] matches the Jacobians exactly")
    ctx.note(f"smallest sigmoid residual {smallest:.3g}; ReLU/hard-tanh (φ′ = 0 somewhere): not applicable, "
             "see unitary.relu_contrast; the theorem forbids exact (not approximate) equivalence")


register(Claim(
    id="unitary.smooth_no_urnn", paper=PAPER,
    title="Theorem 3: the contractive sigmoid RNN y = σ(x) has no equivalent URNN with a φ′ > 0 activation, at any size m",
    reference=REF + ", claim unitary.smooth_no_urnn (Theorem 3)",
    statement=lambda: sp.StrictGreaterThan(_sym(r"\min_{\tilde{C}} \mathcal{R}(\tilde{C})"), 0, evaluate=False),
    hypotheses=("RNN: n = 1, W = 0, F = 1, b = 0, C = 1, sigmoid", "URNN: Wᵤ orthogonal m×m, φ C¹ with φ′ > 0",
                "sequences of length m + 2, inputs near 0"),
    tolerance=Tolerance("residual > 0 (mpmath at 50 digits below 1e−8); ReLU contrast residual exactly 0; "
                        "Jacobians within |FD(δ) − FD(δ/2)| + (t + 1)mε/(δ/2) of central differences FD (δ = 1e−4)",
                        "exact Jacobians by forward recursion; central differences, checked a posteriori by "
                        "halving δ, witness them independently", kind="truncation+roundoff+exact"),
    symbolic=_smooth_symbolic, numeric=_smooth_numeric,
    expressions=lambda: dict(zip(("recursion", "dimension"), T.memoryless_subspace_recursion())), cost=1.0))


def _fp_symbolic():
    s = T.sigmoid_slope_max()
    return Proof(s["critical"] == [0] and s["max"] == sp.Rational(1, 4) and s["second"] < 0,
                 "σ′ = σ(1 − σ) has its only stationary point at 0, σ′(0) = 1/4, σ‴(0) = −1/8 < 0: "
                 "the map is a 1/4-contraction since ‖Wᵤ‖ = 1")


def _fp_numeric(ctx):
    from scipy.special import expit
    for rng in ctx.instances():
        m = int(rng.integers(1, 9))
        Wt = N.haar_orthogonal(rng, m)
        Ft, bt = rng.standard_normal((m, 2)), rng.standard_normal(m)
        x = rng.standard_normal(2)
        hbar = N.sigmoid_fixed_point(Wt, Ft, bt, x)
        h = 10 * rng.standard_normal(m)
        d0 = float(np.linalg.norm(h - hbar))
        worst = -math.inf
        ctx.edge("m = 1", m == 1)
        ctx.edge("Wᵤ = I", bool(np.array_equal(Wt, np.eye(m))))
        for _ in range(25):
            hn = expit(Wt @ h + Ft @ x + bt)
            d1 = float(np.linalg.norm(hn - hbar))
            worst = max(worst, d1 - 0.25 * float(np.linalg.norm(h - hbar)))
            h = hn
        ctx.record(worst, 1e-12 * d0 + 8 * m * EPS, m=m, check="‖h⁽ᵏ⁾ − h̄‖ ≤ ‖h⁽ᵏ⁻¹⁾ − h̄‖/4")
        # fixed point from Newton vs the 25-step iteration limit (two routes)
        ctx.record(float(np.linalg.norm(h - hbar)), 4.0 ** -25 * d0 + 8 * m * EPS, m=m, check="iteration → Newton h̄")
    ctx.note("tanh URNNs are 1-Lipschitz, not strict contractions: the fixed-point form is not applicable there")


register(Claim(
    id="unitary.sigmoid_fixed_point", paper=PAPER,
    title="Sigmoid URNN under constant input: unique globally attracting fixed point, rate 1/4",
    reference=REF + ", claim unitary.sigmoid_fixed_point",
    statement=lambda: sp.Le(_sym(r"\|h^{(k)} - \bar{h}\|"), 4 ** (-(_sym("k") + 1)) * _sym(r"\|h_{-1} - \bar{h}\|"),
                            evaluate=False),
    hypotheses=("Wᵤ orthogonal", "φ = sigmoid (Lipschitz 1/4)", "constant input x"),
    tolerance=Tolerance("step ratio excess ≤ 1e−12·‖h₋₁ − h̄‖ + 8mε", "states lie in (0, 1): absolute round-off ≈ ε per entry", kind="roundoff"),
    symbolic=_fp_symbolic, numeric=_fp_numeric, cost=0.5))


def _hankel_symbolic():
    # A = S Λ S⁻¹ with a planted zero eigenvalue, observable or not
    S = sp.Matrix([[1, 1, 0], [0, 1, 1], [1, 0, 1]])
    Lam = sp.diag(0, sp.Rational(1, 2), sp.Rational(-1, 3))
    A = S * Lam * S.inv()
    B = S * sp.Matrix([1, 1, 1])
    C_obs = sp.Matrix([[1, 1, 1]]) * S.inv()
    C_unobs = sp.Matrix([[0, 1, 1]]) * S.inv()
    r1 = T.hankel_condition_exact(A, B, C_obs)
    r2 = T.hankel_condition_exact(A, B, C_unobs)
    w0 = T.hankel_condition_exact(sp.zeros(1), sp.Matrix([[sp.Rational(1, 4)]]), sp.Matrix([[1]]))
    ok = (not r1["nonsingular"]) and r2["nonsingular"] and not w0["nonsingular"]
    return Proof(ok, f"planted zero eigenvalue, observable: rank H = {r1['rank_H']}, rank Hσ = {r1['rank_Hs']} "
                     f"(A_min singular); unobservable: {r2['rank_H']} = {r2['rank_Hs']}; W = 0 example: "
                     f"rank H = {w0['rank_H']} > rank Hσ = {w0['rank_Hs']}")


def _hankel_numeric(ctx):
    for i, rng in enumerate(ctx.instances()):
        n = int(rng.integers(2, 6))
        planted = _family(ctx, rng, i, 2) == 1
        if planted:  # a zero mode, exact in the float data (triangular), controllable and observable
            A = np.triu(rng.standard_normal((n, n)) * 0.3, 1) + np.diag(np.r_[0.0, rng.uniform(0.2, 0.8, n - 1)])
            Q = np.eye(n)[rng.permutation(n)]  # a permutation keeps the zero eigenvalue exact
            A = Q @ A @ Q.T
            B, C = rng.standard_normal((n, 1)), rng.standard_normal((1, n))
            # PBH: the zero mode (right eigenvector Qe₁, left eigenvector w) is controllable iff
            # wᵀB ≠ 0 and observable iff CQe₁ ≠ 0 (the draws are Gaussian: almost surely both)
            from scipy.linalg import null_space
            w, v = null_space(A.T)[:, 0], Q[:, 0]
            seen = min(abs(float(w @ B[:, 0])) / max(float(np.linalg.norm(B)), 1e-300),
                       abs(float(C[0] @ v)) / max(float(np.linalg.norm(C)), 1e-300))
            ctx.edge("planted zero mode uncontrollable or unobservable", seen < 1e-8)
            if seen < 1e-8:
                ctx.skip("the planted zero mode is (numerically) uncontrollable or unobservable")
                continue
        else:  # the linearization of a tanh RNN at its fixed point under a constant input
            spec = RNNSpec(W=N.contractive_matrix(rng, n, 0.8), B=rng.standard_normal((n, 1)),
                           b=0.3 * rng.standard_normal(n), C=rng.standard_normal((1, n)), activation="tanh",
                           time="discrete")
            H, _ = N.simulate(spec, np.full((400, 1), 0.3))
            z = spec.W @ H[-1] + spec.B[:, 0] * 0.3 + spec.b
            Dg = 1 - np.tanh(z) ** 2
            A, B, C = Dg[:, None] * spec.W, Dg[:, None] * spec.B, spec.C
            # the expected verdict (A_min nonsingular) rests on A = diag(tanh′)W nonsingular: the
            # eigenvalues of A_min are among those of A; float64 cannot tell a singular A from one
            # with σ_min/σ_max below the staircase's ambiguity window (1e−6)
            sv_A = np.linalg.svd(A, compute_uv=False)
            ctx.edge("tanh linearization numerically singular", bool(sv_A[-1] < 1e-6 * sv_A[0]))
            if sv_A[-1] < 1e-6 * sv_A[0]:
                ctx.skip("W numerically singular: outside the generic tanh family (A_min may be singular)")
                continue
        # Hankel singular values decay fast: decide at 50 digits (float data taken as exact)
        hk = N.hankel_rank_test(A, B, C, rtol=1e-30, dps=50)
        if not hk["conclusive"]:
            ctx.skip(f"inconclusive: Hankel singular-value gap {min(hk['gap_H'], hk['gap_Hs']):.2g} < 1e4 at 50 digits")
            continue
        ctx.require(hk["nonsingular"] == (not planted), "planted zero mode detected / generic tanh RNN passes",
                    n=n, planted_zero=planted, rank_H=hk["rank_H"], rank_Hs=hk["rank_Hs"])
        # second route: float64 orthonormal staircase, compared only where its own decision is clear
        Am, _, _ = N.minimal_realization(A, B, C)
        # an empty A_min (all Markov parameters 0, e.g. B = 0 or C = 0) is vacuously nonsingular,
        # as rank Hσ = rank H = 0 says
        ctx.edge("empty minimal realization (zero Markov parameters)", Am.size == 0)
        if Am.size:
            # singular relative to the data's scale ‖A‖₂ (a 1×1 A_min of 1e−180 from ‖A‖₂ = 1 is 0
            # to float64), not to A_min's own largest singular value
            sv = np.linalg.svd(Am, compute_uv=False)
            rel = float(sv.min() / max(float(np.linalg.norm(A, 2)), 1e-300))
        else:
            rel = 1.0
        if 1e-12 < rel < 1e-6:
            ctx.note(f"instance {i}: staircase σ_min(A_min)/σ_max = {rel:.1e} ambiguous in double; not compared")
            continue
        ctx.require((rel >= 1e-6) == hk["nonsingular"], "Hankel rank test and staircase minimal realization agree",
                    n=n, planted_zero=planted, staircase_rel_sigma_min=rel)
        d64 = N.hankel_rank_test(A, B, C)
        if d64["conclusive"] and d64["nonsingular"] != hk["nonsingular"]:
            ctx.note(f"instance {i}: the float64 Hankel test misclassifies (gap {min(d64['gap_H'], d64['gap_Hs']):.1e}); "
                     "the 50-digit test decides")
    ctx.note("ReLU RNN with a pre-activation at 0 at the fixed point: not applicable (not differentiable there)")


register(Claim(
    id="unitary.minimal_realization_nonsingular", paper=PAPER,
    title="Necessary condition for a sigmoid-URNN equivalent: the minimal state matrix of the RNN linearization is nonsingular",
    reference=REF + ", claim unitary.minimal_realization_nonsingular (reconstructed, not known to be in the paper)",
    statement=lambda: sp.Eq(sp.Function("rank")(_sym(r"H^{\sigma}")), sp.Function("rank")(_sym("H")), evaluate=False),
    hypotheses=("RNN: ρ < 1, 1-Lipschitz φ, differentiable at the fixed point", "URNN: C¹ activation, φ′ > 0, Lipschitz < 1",
                "same constant input x̄",
                "checked on two families: a planted simple zero eigenvalue that is controllable and observable "
                "(expected: A_min singular), and tanh linearizations with W nonsingular (expected: A_min nonsingular)"),
    tolerance=Tolerance("ranks at 50 digits, relative tolerance 1e−30, singular-value gap ≥ 1e4 (else inconclusive)",
                        "Hankel singular values decay fast; float64 rank tests misclassify some random instances", kind="roundoff+exact"),
    symbolic=_hankel_symbolic, numeric=_hankel_numeric, cost=0.5))


def _contrast_numeric(ctx):
    for rng in ctx.instances():
        n = int(rng.integers(1, 6))
        I, Z = np.eye(n), np.zeros((n, n))
        Wt = np.block([[Z, I], [I, Z]])
        P = np.diag(np.r_[np.ones(n), np.zeros(n)])
        B, Ct = P @ np.vstack([I, Z]), np.hstack([I, Z])
        ctx.record(float(np.abs(Ct @ B - I).max()), 0.0, n=n, check="CᵤB = I")
        ctx.edge("n = 1", n == 1)
        A = P @ Wt
        Aj = np.eye(2 * n)
        for j in range(1, 6):
            Aj = Aj @ A
            ctx.record(float(np.abs(Ct @ Aj @ B).max()), 0.0, n=n, j=j, check="Cᵤ(PWᵤ)ʲB = 0")
        ctx.require(np.linalg.matrix_rank(A) < 2 * n, "PWᵤ singular", n=n)


register(Claim(
    id="unitary.relu_contrast", paper=PAPER,
    title="ReLU makes PWᵤ singular: the swap URNN realizes a memoryless map exactly",
    reference=REF + ", claim unitary.relu_contrast",
    statement=lambda: sp.Eq(sp.MatrixSymbol(r"\tilde{C}", 2, 4) * (sp.MatrixSymbol("P", 4, 4) * sp.MatrixSymbol(r"\tilde{W}", 4, 4)) ** _sym("j")
                            * sp.MatrixSymbol("B", 4, 2), sp.ZeroMatrix(2, 2), evaluate=False),
    hypotheses=("P = diag(Iₙ, 0)", "Wᵤ the swap", "j ≥ 1"),
    tolerance=Tolerance("exactly 0", "products of 0/1 matrices are exact in floating point", kind="exact"),
    symbolic=lambda: Proof(T.relu_contrast_powers(2)["ok"] and T.relu_contrast_powers(3)["ok"],
                           "exact block powers: CᵤB = Iₙ, Cᵤ(PWᵤ)ʲB = 0 for j = 1…4, n = 2, 3"),
    numeric=_contrast_numeric, cost=0.3))
