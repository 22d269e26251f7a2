"""§2 of the paper: basic dynamics (forgetting, the state bound, URNN non-expansiveness) and
reparameterization (identity activation, ReLU with T = DP)."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from numerics import RNNSpec
from numerics import unitary as N
from proofs_checks.registry import Claim, Proof, Tolerance, register
from theory import unitary as T

from ._checks import EPS, PAPER, REF, _H_theory, _L, _out_err, _raises, _state_bound, _sym, _u_theory
from ._instances import _family


# =====================================================================================================
# 2. Basic dynamics and reparameterization
# =====================================================================================================
def _forgets_symbolic():
    fb = T.forgetting_bound()
    ok = fb["step_residual"] == 0 and fb["initial"] == 0
    return Proof(ok, "b_k = (Lρ)^{k+1} e solves b_k = Lρ b_{k-1}, b_{-1} = e (powsimp residual 0); "
                     "one-step Lipschitz ‖φ(Wh+u)−φ(Wh'+u)‖ ≤ Lρ‖h−h'‖ then induction")


def _forgets_numeric(ctx):
    fb = T.forgetting_bound()
    bound = sp.lambdify((fb["L"], fb["rho"], fb["e"], fb["k"]), fb["bound"], "numpy")
    acts = ("relu", "tanh", "sigmoid")
    for i, rng in enumerate(ctx.instances()):
        act = acts[_family(ctx, rng, i, 3)]
        n = int(rng.integers(1, 11))
        rho = float(rng.uniform(0, 0.999))
        Tn = 300 if ctx.thorough else 120
        spec = RNNSpec(W=N.contractive_matrix(rng, n, rho), B=rng.standard_normal((n, 2)),
                       b=rng.standard_normal(n), activation=act, time="discrete")
        X = rng.standard_normal((Tn, 2))
        h1, h2 = 3 * rng.standard_normal(n), 3 * rng.standard_normal(n)
        H1, _ = N.simulate(spec, X, h0=h1)
        H2, _ = N.simulate(spec, X, h0=h2)
        e0 = float(np.linalg.norm(h1 - h2))
        dist = np.linalg.norm(H1 - H2, axis=1)
        b = bound(_L[act], rho, e0, np.arange(Tn))
        floor = 4 * n * EPS * max(1.0, float(np.abs(H1).max())) / (1 - _L[act] * rho)
        ctx.record(float(np.max(dist - b)), 1e-12 * e0 + floor, n=n, rho=rho, activation=act)
        ctx.edge("n = 1", n == 1)
        ctx.edge("ρ = 0", rho == 0)
        ctx.edge("ρ at the top of its range (0.999)", rho >= 0.999)
        ctx.edge("h₋₁ = h′₋₁", e0 == 0)
    ctx.note("edge: for Lρ ≥ 1 (e.g. an orthogonal W with tanh) the bound is valid but uninformative")


register(Claim(
    id="unitary.forgets_initial_state", paper=PAPER,
    title="Contractive RNNs forget the initial state geometrically: ‖h⁽ᵏ⁾ − h′⁽ᵏ⁾‖ ≤ (Lρ)ᵏ⁺¹‖h₋₁ − h′₋₁‖",
    reference=REF + ", claim unitary.forgets_initial_state",
    statement=lambda: sp.Le(_sym(r"\|h^{(k)} - h'^{(k)}\|"),
                            (_sym("L") * _sym("rho")) ** (_sym("k") + 1) * _sym(r"\|h_{-1} - h'_{-1}\|"),
                            evaluate=False),
    hypotheses=("φ is L-Lipschitz (ReLU, tanh: L = 1; sigmoid: L = 1/4)", "ρ = ‖W‖₂",
                "both copies receive the same inputs"),
    tolerance=Tolerance("1e−12·‖h₋₁ − h′₋₁‖ + 4nε·max|h|/(1 − Lρ)",
                        "relative slack for round-off; below the floor distances are rounding noise "
                        "that the contraction keeps at ε‖h‖/(1 − Lρ)", kind="roundoff"),
    symbolic=_forgets_symbolic, numeric=_forgets_numeric,
    expressions=lambda: {"bound": T.forgetting_bound()["bound"]}, cost=1.0))


def _state_bound_symbolic():
    sb = _state_bound()
    ok = sb["agree"] and sb["convex"] == 0 and sp.simplify(sb["u_rho1"] - (sb["h"] + (sb["k"] + 1) * sb["c"])) == 0
    return Proof(bool(ok), "rsolve(u_k = ρu_{k−1} + c, u_{−1} = h) = ρ^{k+1}h + c(1−ρ^{k+1})/(1−ρ) "
                           "= λh + (1−λ)c/(1−ρ) with λ = ρ^{k+1} ∈ [0,1], so u_k ≤ H*; ρ → 1 gives h + (k+1)c")


def _state_bound_numeric(ctx):
    for i, rng in enumerate(ctx.instances()):
        fam = _family(ctx, rng, i, 4)
        act = "tanh" if fam % 2 else "relu"
        rho = 1.0 if fam == 3 else float(rng.uniform(0, 0.999))
        n, n_x = int(rng.integers(1, 11)), int(rng.integers(1, 4))
        M = float(rng.uniform(0.1, 5))
        W = N.contractive_matrix(rng, n, rho, sigma=np.r_[rho, rng.uniform(0, rho, n - 1)])
        spec = RNNSpec(W=W, B=rng.standard_normal((n, n_x)), b=rng.standard_normal(n),
                       h0=3 * rng.standard_normal(n), activation=act, time="discrete")
        sbn = N.state_bound(W, spec.B, spec.b, spec.h0, M)
        Tn = 200
        v = np.linalg.svd(spec.B)[2][0]
        xs = [np.tile(M * v, (Tn, 1)), np.tile(-M * v, (Tn, 1))]
        xs += N.sample_bounded_inputs(rng, n_x, Tn, M, 3)
        u = _u_theory(sbn.rho, sbn.c, sbn.h, np.arange(Tn))
        worst = max(float(np.max(np.linalg.norm(N.simulate(spec, X)[0], axis=1) / np.maximum(u, 1e-300) - 1))
                    for X in xs)
        ctx.record(worst, 1e-12, n=n, rho=rho, M=M, activation=act)
        ctx.edge("ρ = 1", rho == 1.0)
        ctx.edge("ρ = 0", rho == 0)
        ctx.edge("n = 1", n == 1)
        ctx.edge("b = 0", not np.any(spec.b))
        if rho < 1:
            Hs = _H_theory(sbn.rho, sbn.c, sbn.h)
            ctx.record(abs(Hs - sbn.H_star), 1e-12 * Hs, check="symbolic H* = numeric H*")
    ctx.require(_raises(lambda: N.state_bound(np.eye(1) * .5, None, None, None, -1.0), "M"), "M < 0 names M")
    ctx.require(_raises(lambda: N.state_bound(np.eye(1) * .5, None, None, None, math.nan), "M"), "M = NaN names M")
    ctx.skip("sigmoid: not applicable: φ(0) ≠ 0 (sigmoid states are trivially bounded by √n)")


register(Claim(
    id="unitary.state_bound", paper=PAPER,
    title="State bound on bounded inputs: ‖h⁽ᵏ⁾‖ ≤ u_k ≤ H* = max(‖h₋₁‖, c/(1 − ρ))",
    reference=REF + ", claim unitary.state_bound",
    statement=lambda: sp.Le(_sym(r"\|h^{(k)}\|"), _state_bound()["u_closed"], evaluate=False),
    hypotheses=("φ is 1-Lipschitz with φ(0) = 0", "ρ = ‖W‖₂ ≤ 1", "‖x⁽ᵏ⁾‖₂ ≤ M, c = ‖F‖₂M + ‖b‖₂"),
    tolerance=Tolerance("‖h⁽ᵏ⁾‖ ≤ u_k(1 + 1e−12)", "round-off only; u_k is lambdified from the rsolve closed form", kind="roundoff"),
    symbolic=_state_bound_symbolic, numeric=_state_bound_numeric,
    expressions=lambda: {"u_k": _state_bound()["u_closed"], "H*": _state_bound()["H_star"],
                         "u_k (rho=1)": _state_bound()["u_rho1"]}, cost=1.0))


def _nonexp_numeric(ctx):
    acts = ("relu", "tanh", "sigmoid", "linear")
    for i, rng in enumerate(ctx.instances()):
        act = acts[_family(ctx, rng, i, 4)]
        m = int(rng.integers(1, 11))
        Q = N.haar_orthogonal(rng, m)
        spec = RNNSpec(W=Q, B=rng.standard_normal((m, 2)), b=rng.standard_normal(m), activation=act,
                       time="discrete")
        X = rng.standard_normal((50, 2))
        H1, _ = N.simulate(spec, X, h0=rng.standard_normal(m))
        H2, _ = N.simulate(spec, X, h0=rng.standard_normal(m))
        d = np.linalg.norm(H1 - H2, axis=1)
        # one step rounds each state by about mε·(‖Wᵤh‖ + ‖Fx + b‖): an absolute round-off floor
        floor = 8 * m * EPS * (max(np.abs(H1).max(), np.abs(H2).max()) * math.sqrt(m)
                               + float(np.abs(X @ spec.B.T + spec.b).max()) * math.sqrt(m) + 1.0)
        ctx.record(float(np.max(d[1:] - _L[act] * d[:-1])), floor, m=m, activation=act)
        ctx.edge("m = 1", m == 1)
        ctx.edge("identity activation (equality)", act == "linear")
        if act == "linear":
            ctx.record(float(np.abs(d[1:] - d[:-1]).max()), floor, m=m, check="equality for the identity activation")
    rng = ctx.rng()
    bad = N.haar_orthogonal(rng, 4) * 1.01
    ctx.require(_raises(lambda: N.require_orthogonal(bad, "W"), "W", "max|W^T W - I|"),
                "a non-orthogonal URNN W is refused, naming W and printing the defect")


register(Claim(
    id="unitary.urnn_nonexpansive", paper=PAPER,
    title="An orthogonal Wᵤ with an L-Lipschitz φ never expands state distances by more than L",
    reference=REF + ", claim unitary.urnn_nonexpansive",
    statement=lambda: sp.Eq(sp.MatMul(sp.MatrixSymbol("v", 3, 1).T, sp.MatrixSymbol(r"\tilde{W}", 3, 3).T,
                                      sp.MatrixSymbol(r"\tilde{W}", 3, 3), sp.MatrixSymbol("v", 3, 1)),
                            sp.MatMul(sp.MatrixSymbol("v", 3, 1).T, sp.MatrixSymbol("v", 3, 1)), evaluate=False),
    hypotheses=("WᵤᵀWᵤ = I", "φ L-Lipschitz, applied entrywise", "same inputs"),
    tolerance=Tolerance("‖Δh⁽ᵏ⁾‖ − L‖Δh⁽ᵏ⁻¹⁾‖ ≤ 8mε·(√m·max|h| + √m·max|Fx + b| + 1)",
                        "absolute round-off of one matrix-vector product per step (ratios of tiny distances are noise)", kind="roundoff"),
    symbolic=lambda: Proof(T.nonexpansive_isometry(), "‖Wᵤv‖² = vᵀWᵤᵀWᵤv → vᵀv by the rule WᵤᵀWᵤ = I"),
    numeric=_nonexp_numeric, cost=0.5))


def _reparam_identity_statement():
    Tm, W, h = sp.MatrixSymbol("T", 3, 3), sp.MatrixSymbol("W", 3, 3), sp.MatrixSymbol("h", 3, 1)
    return sp.Eq(sp.MatMul(Tm, W, sp.Inverse(Tm), Tm, h, evaluate=False), sp.MatMul(Tm, W, h, evaluate=False),
                 evaluate=False)


def _reparam_id_numeric(ctx):
    for rng in ctx.instances():
        n = int(rng.integers(1, 9))
        spec = RNNSpec(W=N.contractive_matrix(rng, n, rng.uniform(0, 0.95)), B=rng.standard_normal((n, 2)),
                       b=rng.standard_normal(n), C=rng.standard_normal((2, n)), h0=rng.standard_normal(n),
                       activation="linear", time="discrete")
        s = 10 ** rng.uniform(0, 3, n)
        s[0] = 1.0
        Tm = (N.haar_orthogonal(rng, n) * s) @ N.haar_orthogonal(rng, n).T
        other = N.reparameterize(spec, Tm)
        X = rng.standard_normal((100, 2))
        _, y1 = N.simulate(spec, X)
        _, y2 = N.simulate(other, X)
        cond = float(np.linalg.cond(Tm))
        scale = float(np.abs(y1).max()) + 1
        ctx.record(float(np.abs(y1 - y2).max()) / scale, 1e-10 * cond, n=n, cond=cond)
        ctx.edge("n = 1", n == 1)
        ctx.edge("cond(T) ≥ 100", cond >= 100)
    ctx.require(_raises(lambda: N.reparameterize(spec, np.diag([1.0] + [1e-13] * (spec.n - 1)) if spec.n > 1
                                                 else np.zeros((1, 1))), "T"),
                "singular or ill-conditioned T is refused, naming T")


register(Claim(
    id="unitary.reparam_identity", paper=PAPER,
    title="Identity activation: any invertible T gives an equivalent network (TWT⁻¹, TF, Tb, CT⁻¹, Th₋₁)",
    reference=REF + ", claim unitary.reparam_identity",
    statement=lambda: _reparam_identity_statement(),
    hypotheses=("φ = identity", "T invertible (cond(T) ≤ 1e12)"),
    tolerance=Tolerance("relative output error ≤ 1e−10·cond(T)", "the inverse amplifies round-off by cond(T)", kind="roundoff"),
    symbolic=lambda: Proof(all(isinstance(e, sp.ZeroMatrix) for e in T.reparam_identity_proof()),
                           "TWT⁻¹(Th) + TFx + Tb − T(Wh + Fx + b) = 0 and CT⁻¹T − C = 0 (MatrixSymbols)"),
    numeric=_reparam_id_numeric, cost=0.5))


def _relu_dp_statement():
    d1, d2 = sp.symbols("d1 d2", positive=True)
    z1, z2 = sp.symbols("z1 z2", real=True)
    DP = sp.Matrix([[0, d1], [d2, 0]])
    return sp.Eq(sp.Matrix([sp.Max(d1 * z2, 0, evaluate=False), sp.Max(d2 * z1, 0, evaluate=False)]),
                 sp.MatMul(DP, sp.Matrix([sp.Max(z1, 0), sp.Max(z2, 0)]), evaluate=False), evaluate=False)


def _reparam_relu_symbolic():
    ok2, sep = T.reparam_relu_check(2)
    ok3, _ = T.reparam_relu_check(3)
    return Proof(ok2 and ok3 and sep["difference"] != sp.zeros(2, 1),
                 "ReLU(DPz) = DP·ReLU(z) for every permutation and sign pattern, n = 2, 3 (positive symbols); "
                 f"T = [[1,1],[0,1]], z = (1,−1): ReLU(Tz) − T·ReLU(z) = {list(sep['difference'])}")


def _reparam_relu_numeric(ctx):
    grew = shrank = 0
    for rng in ctx.instances():
        n = int(rng.integers(2, 9))
        spec = N.random_relu_rnn(rng, n, rng.uniform(0.3, 0.95))
        D = np.diag(rng.uniform(0.5, 2.0, n))
        P = np.eye(n)[rng.permutation(n)]
        other = N.reparameterize(spec, D @ P)
        X = rng.standard_normal((100, 2))
        _, y1 = N.simulate(spec, X)
        _, y2 = N.simulate(other, X)
        ctx.record(float(np.abs(y1 - y2).max()) / (float(np.abs(y1).max()) + 1), 1e-12, n=n, check="T = DP")
        ctx.edge("n = 2", n == 2)
        ctx.edge("P = I", bool(np.array_equal(P, np.eye(n))))
        Tg = rng.standard_normal((n, n))
        _, y3 = N.simulate(N.reparameterize(spec, Tg), X)
        sep = float(np.abs(y1 - y3).max()) / (float(np.abs(y1).max()) + 1)
        if ctx.source is None:
            ctx.require(sep > 1e-3, "a generic Gaussian T separates (relative output difference > 1e-3)",
                        separation=sep)
        else:
            # a search draws structured T and networks on purpose (T = I, C = 0, zero inputs):
            # separation is a statement about generic ones and is left to the seeded instances
            ctx.skip("separation by a generic T: not checked on a search's structured draws")
        r1, r2 = np.linalg.norm(spec.W, 2), np.linalg.norm(other.W, 2)
        grew += r2 > r1
        shrank += r2 < r1
    balanced = 0
    for rng in ctx.instances(start=100):
        n = int(rng.integers(2, 7))
        base = N.random_relu_rnn(rng, n, float(rng.uniform(0.3, 0.9)))
        d = np.exp(rng.uniform(-2.5, 2.5, n))
        spec = N.reparameterize(base, np.diag(d))  # an equivalent, usually expansive, parameterization
        rho = float(np.linalg.norm(spec.W, 2))
        if rho < 1:
            ctx.skip("the rescaled network happens to be contractive")
            continue
        ctx.require(_raises(lambda: N.relu_rnn_to_urnn(spec, 1.0), "not contractive"), "refused without balancing")
        cons = N.relu_rnn_to_urnn(spec, 1.0, balance=True)
        ctx.require(cons.balance_D is not None and cons.rho < 1, "balancing finds a contractive rescaling",
                    rho_before=rho, rho_after=cons.rho)
        kappa = float(cons.balance_D.max() / cons.balance_D.min())
        for X in N.sample_bounded_inputs(rng, spec.m, 100, 1.0, 3, F=spec.B):
            H0, Y0 = N.simulate(spec, X)
            err, tol = _out_err(Y0, N.simulate(cons.urnn, X)[1], spec, X, H0)
            ctx.record(err, tol * kappa, n=n, check="balanced URNN ≡ the expansive original", kappa_D=kappa)
        balanced += 1
    ctx.note(f"contractivity is not invariant under DP: ‖DPWP⁻¹D⁻¹‖₂ grew in {grew} and shrank in {shrank} "
             f"instances; the optional diagonal-balancing pre-pass made {balanced} expansive rescalings of "
             "contractive networks constructible (reported as balance_D)")


register(Claim(
    id="unitary.reparam_relu", paper=PAPER,
    title="ReLU: T = (positive diagonal)·(permutation) gives an equivalent network; a generic T does not",
    reference=REF + ", claim unitary.reparam_relu",
    statement=lambda: _relu_dp_statement(),
    hypotheses=("D positive diagonal, P a permutation", "φ = ReLU",
                "separation: a generic (Gaussian) T and a generic network; structured draws (T = DP, C = 0, "
                "zero inputs) need not separate"),
    tolerance=Tolerance("relative output error ≤ 1e−12 (DP; ×κ(D) after balancing); > 1e−3 separation (generic T)",
                        "DP scales and permutes exactly up to one rounding; rescaling by D amplifies round-off by κ(D)", kind="roundoff"),
    symbolic=_reparam_relu_symbolic, numeric=_reparam_relu_numeric, cost=0.5))
