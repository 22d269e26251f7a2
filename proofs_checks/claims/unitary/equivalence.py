"""§3 (Theorem 1, the equivalence): the 2n-state ReLU URNN, the n + r reduction, the free blocks,
the complex variant, the role of the input bound M and the ‖W‖₂ = 1 finite-horizon extension."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from numerics import RNNSpec
from numerics import unitary as N
from numerics.reference_rnn import reference_simulate
from proofs_checks.registry import Claim, NotApplicable, Proof, Tolerance, register
from theory import unitary as T

from ._checks import EPS, PAPER, REF, _out_err, _raises, _state_bound, _sym, _u_theory
from ._instances import _M, _rnn_instance


def _thm1_statement():
    nn, p = T.n, sp.Symbol("p", integer=True, positive=True)
    W, W12, W21, W22 = (sp.MatrixSymbol(s_, nn, nn) for s_ in ("W", "W_12", "W_21", "W_22"))
    F, x, b, h = sp.MatrixSymbol("F", nn, p), sp.MatrixSymbol("x", p, 1), sp.MatrixSymbol("b", nn, 1), sp.MatrixSymbol("h", nn, 1)
    beta, one, z = _sym("beta"), sp.OneMatrix(nn, 1), sp.ZeroMatrix(nn, 1)
    lhs = sp.MatAdd(sp.MatMul(sp.BlockMatrix([[W, W12], [W21, W22]]), sp.BlockMatrix([[h], [z]]), evaluate=False),
                    sp.MatMul(sp.BlockMatrix([[F], [sp.ZeroMatrix(nn, p)]]), x, evaluate=False),
                    sp.BlockMatrix([[b], [-beta * one]]), evaluate=False)
    return sp.Eq(lhs, T.theorem1_block_step()["preactivation"], evaluate=False)



def _equiv_check(ctx, spec, M, T_len, n_seq, rng, label):
    cons = N.relu_rnn_to_urnn(spec, M)
    ctx.record(cons.orthogonality_error, 100 * spec.n * EPS, n=spec.n, check="orthogonality defect", kind=label)
    xs = N.sample_bounded_inputs(rng, spec.m, T_len, M, n_seq, F=spec.B,
                                 complex_inputs=bool(np.iscomplexobj(spec.W)))
    worst = 0.0
    for X in xs:
        Ht, Yt = N.simulate(cons.urnn, X)
        # The original runs through the plain reference loop, so a bug in simulate cannot cancel.
        H, Y = reference_simulate(spec.W, spec.input_matrix() if spec.m else None, spec.bias(), spec.C, spec.d,
                                  X, "relu", h0=spec.h0)
        ctx.require(bool(np.all(Ht[:, spec.n:] == 0)), "extra states exactly 0.0", n=spec.n, M=M, kind=label)
        err, tol = _out_err(Y, Yt, spec, X, H)
        ctx.record(err, tol, n=spec.n, M=M, rho=cons.rho, kind=label)
        worst = max(worst, err / tol * 1e-12)
    return cons, xs, worst


def _thm1_symbolic():
    st = T.theorem1_block_step()
    sb = _state_bound()
    ok = st["first_ok"] and st["second_ok"] and st["free_blocks_absent"] and sb["agree"]
    return Proof(ok, "block_collapse: Wᵤ[h;0] + Fᵤx + bᵤ = [Wh + Fx + b; W₂₁h − β1] (W₁₂, W₂₂ never enter), "
                     "Cᵤ[h;0] = Ch; with β ≥ H* ≥ ‖h⁽ᵏ⁻¹⁾‖ the induction keeps hᵤ = [h; 0]")


def _thm1_expansive(ctx):
    r"""``--relax contractivity``: expansive ReLU networks (‖W‖₂ > 1) with a certificate that no ReLU
    URNN of any size is equivalent on X_M.

    With W, F, b, h₋₁ and the constant input x entrywise ≥ 0, every pre-activation is ≥ 0, so ReLU
    is the identity and h⁽ᵏ⁾ = Wh⁽ᵏ⁻¹⁾ + u, u = Fx + b, for every k. A positive ℓ with ℓᵀW ≥ μℓᵀ
    entrywise (Collatz–Wielandt; ℓ from the Perron left eigenvector) gives
    ℓᵀh⁽ᵏ⁾ ≥ μ^{k+1}ℓᵀh₋₁ + ℓᵀu·(μ^{k+1} − 1)/(μ − 1), and y₁ = 1ᵀh ≥ ℓᵀh/max ℓ. For μ > 1 the
    output grows geometrically, while a ReLU URNN's grows at most linearly on X_M
    (‖h̃⁽ᵏ⁾‖ ≤ ‖h̃⁽ᵏ⁻¹⁾‖ + ‖F̃‖₂M + ‖b̃‖, unitary.state_bound at ρ = 1): the conclusion of
    Theorem 1 fails. Instances without the certificate are skipped (undecided)."""
    for rng in ctx.instances():
        n, n_x = int(rng.integers(1, 4)), int(rng.integers(1, 3))
        W = rng.uniform(0, 2, (n, n))
        rho = float(np.linalg.norm(W, 2))
        if not rho > 1:
            ctx.skip("‖W‖₂ ≤ 1: inside the hypothesis")
            continue
        F, b, h0 = rng.uniform(0, 1, (n, n_x)), rng.uniform(0, 1, n), rng.uniform(0, 1, n)
        C = np.vstack([np.ones((1, n)), rng.uniform(0, 1, (1, n))])
        M = float(rng.uniform(0, 5))
        x = np.full(n_x, M / math.sqrt(n_x))  # ‖x‖₂ = M
        u = F @ x + b
        vals, vecs = np.linalg.eig(W.T)
        ell = np.abs(vecs[:, int(np.argmax(vals.real))].real)
        ell = np.maximum(ell, 1e-3 * ell.max())
        growth = (ell @ W) / ell
        mu = float(growth.min())
        margin = 4 * n * EPS * float(growth.max())  # rounding of ℓᵀW and of the ratios
        start = float(ell @ h0) + float(ell @ u)
        if not (mu - 1 > margin and start > 0):
            ctx.skip("no growth certificate (μ ≤ 1 or nothing excited): undecided")
            continue
        # the simulated network obeys the certificate's lower bound (ReLU never clips)
        Tn = 40
        spec = RNNSpec(W=W, B=F, b=b, C=C, h0=h0, activation="relu", time="discrete")
        H, Y = N.simulate(spec, np.tile(x, (Tn, 1)))
        k = np.arange(Tn)
        lower = mu ** (k + 1) * float(ell @ h0) + float(ell @ u) * (mu ** (k + 1) - 1) / (mu - 1)
        seen = H @ ell
        ctx.record(float(np.max((lower - seen) / np.maximum(seen, 1e-300))), 4 * (n + 2) * Tn * EPS,
                   n=n, check="simulated ℓᵀh⁽ᵏ⁾ ≥ the certificate's lower bound")
        ctx.edge("n = 1", n == 1)
        ctx.record(mu - 1, margin, n=n, rho=rho, mu=mu, M=M, y_last=float(Y[-1, 0]),
                   check="outputs grow at most linearly on X_M (needed for any ReLU URNN equivalent)")


def _thm1_numeric(ctx):
    if "contractivity" in ctx.relaxed:
        return _thm1_expansive(ctx)
    rows = []
    for rng in ctx.instances():
        spec = _rnn_instance(rng)
        M = _M(rng)
        Tn = int(rng.integers(1, 501)) if ctx.thorough else int(rng.integers(1, 201))
        cons, xs, worst = _equiv_check(ctx, spec, M, Tn, 6, rng, "random")
        H_first = reference_simulate(spec.W, spec.input_matrix() if spec.m else None, spec.bias(), spec.C, spec.d,
                                     xs[0], "relu", h0=spec.h0)[0]
        ctx.edge("n = 1", spec.n == 1)
        ctx.edge("ρ = 0 (W = 0)", not np.any(spec.W))
        ctx.edge("M = 0", M == 0)
        ctx.edge("‖W‖₂ just below 1 (1 − ρ ≤ 1e−3)", cons.rho >= 1 - 1e-3)
        ctx.edge("b = 0", not np.any(spec.b))
        ctx.edge("a silent ReLU unit (a state exactly 0)", bool(np.any(H_first == 0)))
        ctx.edge("T = 1", Tn == 1)
        red = N.relu_rnn_to_urnn(spec, M, reduced=True, verify=False)
        ctx.require(red.r == spec.n, "contractive W: the reduced variant keeps all n extra states", n=spec.n)
        mu = max(N.extra_state_margin(cons, X) for X in xs)
        big = [50 * max(M, 1.0) * X / max(M, 1e-300) if M > 0 else 50 * rng.standard_normal(X.shape) for X in xs]
        mu_out = max(N.extra_state_margin(cons, X) for X in big)
        rows.append(f"n={spec.n} sizes 2n={2 * spec.n}, n+r={spec.n + red.r}; ρ={cons.rho:.4f} β={cons.beta:.4g} "
                    f"defect={cons.orthogonality_error:.1e} μ={mu:.3g} max rel err={worst:.1e}; "
                    f"inputs ×50 beyond M: μ={mu_out:.3g}")
    # edges; a search (one instance per example) draws one family per example, run does all
    rng = ctx.rng()
    pick = None if ctx.source is None else int(rng.integers(0, 4))
    if pick in (None, 0):
        spec = _rnn_instance(rng, n_x=0)
        _equiv_check(ctx, spec, 1.0, 50, 2, rng, "n_x = 0")
    if pick in (None, 1, 3):
        spec1 = _rnn_instance(rng, n=1)
    if pick in (None, 1):
        _equiv_check(ctx, spec1, 2.0, 100, 3, rng, "n = 1")
        specF0 = spec1.replace(B=np.zeros_like(spec1.B))
        _equiv_check(ctx, specF0, 2.0, 50, 2, rng, "F = 0")
    if pick in (None, 2):
        near = _rnn_instance(rng, rho=1 - 1e-6)
        cons, _, _ = _equiv_check(ctx, near, 1.0, 300, 3, rng, "ρ = 1 − 1e−6")
        ctx.note(f"near ρ → 1: ρ = 1 − 1e−6 gives β = {cons.beta:.3g}; outputs still match")
    if pick in (None, 3):
        one = _rnn_instance(rng, rho=1.0)
        ctx.require(_raises(lambda: N.relu_rnn_to_urnn(one, 1.0), "not contractive", "horizon"),
                    "ρ = 1 refused with the horizon hint")
        exp_ = _rnn_instance(rng, rho=1.2)
        ctx.require(_raises(lambda: N.relu_rnn_to_urnn(exp_, 1.0), "||W||_2 = 1.", "no orthogonal dilation"),
                    "ρ > 1 refused, printing the norm")
        for bad in (None, -1.0, math.inf, math.nan):
            ctx.require(_raises(lambda: N.relu_rnn_to_urnn(spec1, bad), "M"), f"M = {bad} refused naming M")
        ctx.require(_raises(lambda: N.relu_rnn_to_urnn(spec1.replace(activation="tanh"), 1.0), "relu"),
                    "tanh refused")
        ctx.require(_raises(lambda: N.relu_rnn_to_urnn(spec1.replace(time="continuous"), 1.0), "discrete"),
                    "continuous time refused")
    # R1: the W = 0 swap example
    n = 2
    swap = RNNSpec(W=np.zeros((n, n)), B=np.eye(n), C=np.eye(n), activation="relu", time="discrete")
    cs = N.relu_rnn_to_urnn(swap, 1.0)
    rows.append(f"W = 0 swap example n={n}: 2n={2 * n}, β={cs.beta:.6g}, defect={cs.orthogonality_error:.1e}")
    ctx.note("R1 constructive-equivalence table: " + " || ".join(rows))


def _thm1_network(ctx, spec):
    if spec.time != "discrete" or spec.activation != "relu":
        raise NotApplicable("the network is not a discrete ReLU network")
    rho = float(np.linalg.norm(spec.W, 2))
    if rho >= 1 - 1e-12:
        raise NotApplicable(f"the network is not contractive: ‖W‖₂ = {rho:.6g}")
    for rng in ctx.instances():
        _equiv_check(ctx, spec, 1.0, 200, 6, rng, "user network, M = 1")


register(Claim(
    id="unitary.relu_equivalence_2n", paper=PAPER,
    title="Theorem 1: a contractive ReLU RNN equals a 2n-state ReLU URNN on inputs with ‖x⁽ᵏ⁾‖₂ ≤ M",
    reference=REF + ", claim unitary.relu_equivalence_2n (Theorem 1)",
    statement=lambda: _thm1_statement(),
    hypotheses=("ReLU, discrete time", "ρ = ‖W‖₂ < 1", "‖x⁽ᵏ⁾‖₂ ≤ M", "β ≥ H*(M)", "h₋₁ arbitrary (negative entries allowed)"),
    tolerance=Tolerance("extra states exactly 0.0; max|yᵤ − y| ≤ outputs within ‖C‖₂·(2n + m + 2)ε·√(2n)(ρ max‖h‖ + max‖Fx + b‖)·min(T, 1/(1 − ρ)) + 4ε max|y| (see _out_err); defect ≤ 100·n·ε",
                        "only the summation order of the longer dot product differs; contraction damps it", kind="roundoff+exact"),
    symbolic=_thm1_symbolic, numeric=_thm1_numeric, network=_thm1_network,
    relaxable={"contractivity": "draws expansive (‖W‖₂ > 1) nonnegative ReLU networks whose outputs provably "
                                "grow geometrically on a constant input in X_M, which no ReLU URNN of any size can match"},
    expressions=lambda: dict(T.urnn_parameters_symbolic(), beta=(1 + _sym("delta")) * _sym("H^*")),
    cost=3.0))


def _reduced_symbolic():
    ok = True
    for nn, seed in ((2, 4), (3, 5)):
        U, V = T.rational_orthogonal(nn, seed), T.rational_orthogonal(nn, seed + 1, det=-1)
        d = T.reduced_dilation_exact(U, T.pythagorean_pairs(nn, include_one=True), V)
        ok &= d["r"] == nn - 1 and T.is_orthogonal(d["Wt"]) and d["gram"] == sp.eye(nn)
    return Proof(bool(ok), "exact rational (n + r)-dilation with one σ = 1 (r = n − 1) is orthogonal, n = 2, 3; "
                           "WᵀW + V_rS_r²V_rᵀ = I exactly; any dilation has XᵀX = I − WᵀW so m ≥ n + r")


def _reduced_numeric(ctx):
    for rng in ctx.instances():
        n = int(rng.integers(1, 11))
        k = int(rng.integers(0, n + 1))
        s = rng.random(n) * 0.99
        s[:k] = 1.0
        W = N.contractive_matrix(rng, n, 1.0, sigma=s)
        Wt, info = N.reduced_dilation(W)
        ctx.require(info["r"] == n - k, "r = n − #(σ = 1)", n=n, k=k, r=info["r"])
        ctx.edge("n = 1", n == 1)
        ctx.edge("every σ = 1 (r = 0, W orthogonal)", k == n)
        ctx.edge("no σ = 1 (r = n)", k == 0)
        ctx.record(N.orthogonality_defect(Wt), 100 * n * EPS, n=n, k=k)
        # the minimum-size argument: the first block column of any dilation has XᵀX = I − WᵀW
        lam = np.linalg.eigvalsh(np.eye(n) - W.T @ W)  # ‖I − WᵀW‖ ≤ 1: absolute threshold
        ctx.require(int((lam > 1e-10).sum()) == n - k, "rank(I − WᵀW) = n − k", n=n, k=k)
        spec = N.random_relu_rnn(rng, n, 1.0, sigma=s)
        Tn = 60
        cons = N.relu_rnn_to_urnn(spec, 1.0, reduced=True, horizon=Tn)
        for X in N.sample_bounded_inputs(rng, spec.m, Tn, 1.0, 3, F=spec.B):
            Ht, Yt = N.simulate(cons.urnn, X)
            H, Y = N.simulate(spec, X)
            ctx.require(bool(np.all(Ht[:, n:] == 0)), "extra states exactly 0 (reduced, horizon T)")
            err, tol = _out_err(Y, Yt, spec, X, H)
            ctx.record(err, tol, n=n, k=k, check="reduced URNN output")
    ctx.note("rank decision σ < 1 − tol with tol = 1e−12 (returned as rank_tol); σ within tol of 1 counts as 1")


register(Claim(
    id="unitary.reduced_n_plus_r", paper=PAPER,
    title="n + rank(I − WᵀW) states suffice and are the minimum dilation size",
    reference=REF + ", claim unitary.reduced_n_plus_r",
    statement=lambda: sp.Eq(_sym("m_min"), T.n + sp.Function("rank")(
        sp.Identity(T.n) - sp.MatrixSymbol("W", T.n, T.n).T * sp.MatrixSymbol("W", T.n, T.n)), evaluate=False),
    hypotheses=("‖W‖₂ ≤ 1", "r = #{σᵢ(W) < 1}"),
    tolerance=Tolerance("defect ≤ 100·n·ε; outputs within ‖C‖₂·(2n + m + 2)ε·√(2n)(ρ max‖h‖ + max‖Fx + b‖)·min(T, 1/(1 − ρ)) + 4ε max|y| (see _out_err); extra states exactly 0",
                        "one SVD; σ within 1e−12 of 1 counts as 1 (defect ≤ 2·tol)", kind="roundoff+exact"),
    symbolic=_reduced_symbolic, numeric=_reduced_numeric, cost=1.0))


def _freedom_numeric(ctx):
    from scipy.linalg import cholesky
    for rng in ctx.instances():
        n = int(rng.integers(1, 8))
        spec = _rnn_instance(rng, n=n, rho=float(rng.uniform(0.1, 0.95)))
        M = float(rng.uniform(0.5, 3))
        cons = N.relu_rnn_to_urnn(spec, M)
        xs = N.sample_bounded_inputs(rng, spec.m, 80, M, 3, F=spec.B)
        ctx.edge("n = 1", n == 1)
        ctx.edge("C = 0", not np.any(spec.C))
        sims = [N.simulate(spec, X) for X in xs]
        base, base_states = [y for _, y in sims], [h for h, _ in sims]
        S_r = cons.W21
        variants = {}
        W21_q = N.haar_orthogonal(rng, n) @ S_r
        W21_c = cholesky(np.eye(n) - spec.W.T @ spec.W, lower=True).T  # (Lᵀ)ᵀLᵀ = LLᵀ = I − WᵀW
        for name, W21 in (("W21 = Q S_r", W21_q), ("W21 = Lᵀ (Cholesky)", W21_c)):
            Q = N.complete_orthogonal(np.vstack([spec.W, W21]), rng)
            variants[name] = cons.urnn.replace(W=Q)
        Ct = cons.urnn.C.copy()
        Ct[:, n:] = rng.standard_normal((Ct.shape[0], n))
        variants["C~ second block"] = cons.urnn.replace(C=Ct)
        bt = cons.urnn.b.copy()
        bt[n:] = -cons.beta - rng.uniform(0, 5, n)
        variants["b~2 ≤ −β"] = cons.urnn.replace(b=bt)
        F2 = rng.standard_normal((n, spec.m))
        Ft = cons.urnn.B.copy()
        Ft[n:] = F2
        bt2 = cons.urnn.b.copy()
        bt2[n:] = -(1 + 1e-8) * (cons.H_star + np.linalg.norm(F2, 2) * M)
        variants["F2 with β ≥ H* + ‖F₂‖M"] = cons.urnn.replace(B=Ft, b=bt2)
        for name, urnn in variants.items():
            ctx.record(N.orthogonality_defect(urnn.W), 1e-12, n=n, variant=name, check="orthogonal")
            for X, Y, H in zip(xs, base, base_states):
                err, tol = _out_err(Y, N.simulate(urnn, X)[1], spec, X, H)
                ctx.record(err, tol, n=n, variant=name)
        if not np.any(spec.C):
            ctx.skip("C = 0: every network has the same (zero) outputs, nothing is forced")
            continue
        # A second initial block h₂ shifts the first-block pre-activation at step 0 by W₁₂h₂ (W₁₂ = S_l
        # is invertible for ρ < 1). Shift it to t_j = a(1 + e_j), j = 0…n (e₀ = 0), with a large
        # enough that every pre-activation is positive: then h⁽⁰⁾ = z + t_j, and since
        # C(t_j − t_0) = aCe_j, C ≠ 0 makes some t_j change y⁽⁰⁾ by at least a·max|C|/2.
        X0 = xs[0]
        z = spec.W @ spec.h0 + spec.input_matrix() @ X0[0] + spec.bias()
        a = 2 * float(np.abs(z).max()) + 1.0
        sep = 0.0
        for j in range(n + 1):
            target = a * (np.ones(n) + (np.eye(n)[j - 1] if j else 0.0))
            h0 = cons.urnn.h0.copy()
            h0[n:] = np.linalg.solve(cons.urnn.W[:n, n:], target)
            sep = max(sep, float(np.abs(base[0] - N.simulate(cons.urnn.replace(h0=h0), X0)[1]).max()))
        # y⁽⁰⁾ = Ch⁽⁰⁾ + d rounds by at most (n + 1)ε(n·max|C|·max|h⁽⁰⁾| + max|d|), |h⁽⁰⁾| ≤ 3a, per network
        c_max = float(np.abs(spec.C).max())
        d_max = 0.0 if spec.d is None else float(np.abs(spec.d).max())
        slack = 2 * (n + 1) * EPS * (n * c_max * 3 * a + d_max)
        ctx.require(sep >= 0.5 * a * c_max - slack,
                    "a nonzero second initial block changes the outputs (by ≥ a·max|C|/2)", n=n, separation=sep)


register(Claim(
    id="unitary.unused_block_freedom", paper=PAPER,
    title="Which parts of the Theorem 1 construction are free (W₁₂, W₂₂, W₂₁ factor, Cᵤ₂, bᵤ₂, F₂) and which are forced (hᵤ₋₁ second block = 0)",
    reference=REF + ", claim unitary.unused_block_freedom",
    statement=lambda: sp.Eq(_sym(r"[\tilde{W} \tilde{h} + \tilde{F} x + \tilde{b}]_{1}"),
                            T.theorem1_block_step()["preactivation"].blocks[0, 0], evaluate=False),
    hypotheses=("the construction of Theorem 1 with ρ < 1", "free blocks varied one at a time",
                "C ≠ 0 for the forced block (with C = 0 every network has the same outputs)"),
    tolerance=Tolerance("outputs within ‖C‖₂·(2n + m + 2)ε·√(2n)(ρ max‖h‖ + max‖Fx + b‖)·min(T, 1/(1 − ρ)) + 4ε max|y| (see _out_err); orthogonality 1e−12; separation > 1e−8",
                        "each variation changes only exact zeros or sign-certain ReLU inputs", kind="roundoff+exact"),
    symbolic=lambda: Proof(T.theorem1_block_step()["free_blocks_absent"],
                           "the block pre-activation with general MatrixSymbols W₁₂, W₂₂ does not contain them"),
    numeric=_freedom_numeric, cost=1.5))


def _complex_symbolic():
    ok = T.complex_scalar_unitary()
    for nn, seed in ((1, 1), (2, 3)):
        d = T.svd_dilation(T.gaussian_unitary(nn, seed), T.pythagorean_pairs(nn), T.gaussian_unitary(nn, seed + 1))
        ok = ok and T.is_orthogonal(d["Wt"]) and d["Sl2_ok"]
    return Proof(bool(ok), "[[w, s], [s, −w̄]] unitary with s² = 1 − |w|²; exact Gaussian-rational "
                           "ᴴ-dilations (Cayley of skew-Hermitian S) unitary for n = 1, 2")


def _complex_numeric(ctx):
    for rng in ctx.instances():
        spec = _rnn_instance(rng, complex_=True, n=int(rng.integers(1, 9)))
        M = float(rng.uniform(0.1, 5))
        _equiv_check(ctx, spec, M, 150, 4, rng, "complex split-ReLU")
        ctx.edge("n = 1", spec.n == 1)
        ctx.edge("ρ = 0 (W = 0)", not np.any(spec.W))
        We, info = N.halmos_dilation(spec.W, "eigh")  # Hermitian-symmetrised eigh roots, second route
        lam = info["lam_min_kept"]
        ctx.record(N.orthogonality_defect(We), 100 * spec.n * EPS * max(1.0, 1.0 / math.sqrt(lam)), n=spec.n,
                   method="eigh (Hermitian)", lam_min_kept=lam)
    ctx.note("modReLU acts on the modulus with its own bias: not applicable (not covered by this construction)")


register(Claim(
    id="unitary.complex_unitary_variant", paper=PAPER,
    title="The ᴴ-dilation of a complex contraction is unitary; the split-ReLU complex URNN is equivalent (extension)",
    reference=REF + ", claim unitary.complex_unitary_variant (toolkit extension)",
    statement=lambda: sp.Eq(sp.Adjoint(sp.MatrixSymbol(r"\tilde{W}", 3, 3)) * sp.MatrixSymbol(r"\tilde{W}", 3, 3),
                            sp.Identity(3), evaluate=False),
    hypotheses=("complex W with ‖W‖₂ < 1", "φ(z) = ReLU(Re z) + i·ReLU(Im z)", "bᵤ₂ = −β(1 + i)·1"),
    tolerance=Tolerance("as Theorem 1: extra states exactly 0, outputs within ‖C‖₂·(2n + m + 2)ε·√(2n)(ρ max‖h‖ + max‖Fx + b‖)·min(T, 1/(1 − ρ)) + 4ε max|y| (see _out_err), defect 100·n·ε",
                        "complex arithmetic rounds like real", kind="roundoff+exact"),
    symbolic=_complex_symbolic, numeric=_complex_numeric, cost=1.0))


def _bound_required_numeric(ctx):
    demonstrated = 0
    for rng in ctx.instances():
        spec = _rnn_instance(rng, rho=float(rng.uniform(0.2, 0.95)))
        M = float(rng.uniform(0.5, 2))
        cons = N.relu_rnn_to_urnn(spec, M)
        n = spec.n
        cands = [50 * M * rng.standard_normal((100, spec.m)) for _ in range(3)]
        # constant input along the direction maximising the linearised steady state of (W21 h)_i
        G = cons.W21 @ np.linalg.solve(np.eye(n) - spec.W, spec.B)
        i = int(np.argmax(np.linalg.norm(G, axis=1)))
        v = G[i] / np.linalg.norm(G[i])
        cands += [np.tile(s * 50 * M * v, (100, 1)) for s in (1, -1)]
        found = None
        for X in cands:
            mu = N.extra_state_margin(cons, X)
            res = N.check_io_equivalence(spec, cons.urnn, [X], input_bound=M)
            Ht, _ = N.simulate(cons.urnn, X)
            ctx.require(res["exceeds_bound"] and "exceeds the bound" in res["warning"],
                        "inputs beyond M are flagged")
            if mu > 0 and res["max_rel"] > 1e-6:
                found = (mu, res["max_rel"], float(np.abs(Ht[:, n:]).max()))
                break
        if found is None:
            ctx.skip("not demonstrated for this instance")
            continue
        demonstrated += 1
        ctx.edge("n = 1", n == 1)
        ctx.require(found[2] > 0, "the extra states switch on (μ > 0)", n=n, margin=found[0],
                    rel_output_difference=found[1])
    ctx.note(f"inputs ×50 beyond M: extra states switched on and outputs differed in {demonstrated} instances")


register(Claim(
    id="unitary.input_bound_required", paper=PAPER,
    title="The construction is M-specific: inputs beyond M can switch the extra states on",
    reference=REF + ", claim unitary.input_bound_required",
    statement=lambda: sp.StrictGreaterThan(_sym("mu"), 0, evaluate=False),
    hypotheses=("URNN built for bound M", "inputs with some ‖x⁽ᵏ⁾‖ > M (Gaussian ×50, aligned constants)"),
    tolerance=Tolerance("demonstration: μ > 0 and relative output difference > 1e−6",
                        "a counterexample search, not an identity", kind="roundoff+exact"),
    symbolic=None, numeric=_bound_required_numeric, cost=1.0))


def _finite_horizon_symbolic():
    sb = _state_bound()
    ok = sp.simplify(sb["u_rho1"] - (sb["h"] + (sb["k"] + 1) * sb["c"])) == 0 and \
        sp.simplify(sb["beta_T_rho1"] - (sb["h"] + (sb["T"] - 1) * sb["c"])) == 0
    return Proof(bool(ok), "lim_{ρ→1} u_k = ‖h₋₁‖ + (k+1)c; β_T = u_{T−2} = ‖h₋₁‖ + (T−1)c at ρ = 1")


def _finite_horizon_numeric(ctx):
    for rng in ctx.instances():
        n = int(rng.integers(1, 9))
        k = int(rng.integers(1, n + 1))
        s = rng.random(n) * 0.9
        s[:k] = 1.0
        spec = N.random_relu_rnn(rng, n, 1.0, sigma=s)
        Tn = int(rng.integers(2, 301 if ctx.thorough else 120))
        M = float(rng.uniform(0.1, 3))
        cons = N.relu_rnn_to_urnn(spec, M, reduced=True, horizon=Tn)
        ctx.record(cons.orthogonality_error, 100 * n * EPS, n=n, k=k, check="defect")
        ctx.edge("n = 1", n == 1)
        ctx.edge("W orthogonal (every σ = 1, r = 0)", k == n)
        ctx.edge("T = 2", Tn == 2)
        sbn = N.state_bound(spec.W, spec.B, spec.b, spec.h0, M)
        bt = float(_u_theory(1.0, sbn.c, sbn.h, Tn - 2))
        ctx.record(abs(cons.H_star - max(sbn.h, bt)), 1e-12 * bt, check="β_T from the ρ = 1 closed form")
        for X in N.sample_bounded_inputs(rng, spec.m, Tn, M, 4, F=spec.B):
            Ht, Yt = N.simulate(cons.urnn, X)
            H, Y = N.simulate(spec, X)
            ctx.require(bool(np.all(Ht[:, n:] == 0)), "extra states exactly 0 up to the horizon", n=n, T=Tn)
            err, tol = _out_err(Y, Yt, spec, X, H)
            ctx.record(err, tol, n=n, T=Tn, r=cons.r)


register(Claim(
    id="unitary.nonexpansive_finite_horizon", paper=PAPER,
    title="‖W‖₂ = 1: the (n + r)-state construction with β_T is equivalent up to horizon T (extension)",
    reference=REF + ", claim unitary.nonexpansive_finite_horizon (toolkit extension, not in the paper)",
    statement=lambda: sp.Eq(_sym("beta_T"), _state_bound()["beta_T_rho1"], evaluate=False),
    hypotheses=("‖W‖₂ ≤ 1 (= 1 allowed)", "x ∈ X_M", "sequences of length ≤ T"),
    tolerance=Tolerance("extra states exactly 0; outputs within ‖C‖₂·(2n + m + 2)ε·√(2n)(ρ max‖h‖ + max‖Fx + b‖)·min(T, 1/(1 − ρ)) + 4ε max|y| (see _out_err); defect 100·n·ε",
                        "as Theorem 1; T ≤ 300 steps", kind="roundoff+exact"),
    symbolic=_finite_horizon_symbolic, numeric=_finite_horizon_numeric,
    expressions=lambda: {"beta_T": _state_bound()["beta_T"]}, cost=1.0))
