r"""Claims 17–32 of the linearization paper: off fixed points, singular gains, context
effects and discrete time. Imported at the end of :mod:`proofs_checks.claims.linearization`.

Each claim compares the SymPy result of :mod:`theory._linearization_singular` (proved, or lambdified
on the instance) with an independent numpy/scipy/mpmath computation.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from numerics import get_activation
from numerics import linearization as NA
from numerics import linearization_singular as NS
from proofs_checks.registry import Claim, NotApplicable, Proof, Sides, Tolerance, register
# Loaded by the end of proofs_checks.claims.linearization, whose helpers are defined by then.
from proofs_checks.claims.linearization import (FD_REASON, FD_RULE, fd_check, fd_max_tolerance,
                                                network_fixed_points)
from theory import _linearization_singular as T

EPS = float(np.finfo(float).eps)
REF = "Pagan, Valente, Ostojic & Brody 2023 (arXiv:2309.04030); rnnproof claim {} of the paper"
PAPER = "linearization"
DPS = 50


def _map_rounding(inst, v, alpha, u=None):
    """Rounding of one evaluation of v ↦ φ(v + αF(v, u)) (φ′ ≤ 1 for every supported φ): the
    argument's ε|v| + αρ_F + ε|v + αF|, then 4ε|φ|."""
    F = NA.activation_field(inst, v, u)
    arg = v + alpha * F
    return EPS * np.abs(v) + alpha * NA.activation_field_rounding(inst, v, u) + EPS * np.abs(arg) \
        + 4 * EPS * np.abs(inst.act.phi(arg))


def _rel(a, b, scale=None):
    a, b = np.asarray(a), np.asarray(b)
    scale = max(np.max(np.abs(b)), 1.0) if scale is None else scale
    return float(np.max(np.abs(a - b)) / scale)


def _col(name):
    return sp.MatrixSymbol(name, sp.Symbol("N", integer=True, positive=True), 1)


def _charpoly_statement():
    N = sp.Symbol("N", integer=True, positive=True)
    lam, I = sp.Symbol("lambda"), sp.Identity(N)
    J, D = sp.MatrixSymbol("J", N, N), sp.MatrixSymbol("D", N, N)
    return sp.Eq(sp.Determinant(lam * I - (-I + J * D)), sp.Determinant(lam * I - (-I + D * J)), evaluate=False)


def _jordan_expressions():
    N = sp.Symbol("N", integer=True, positive=True)
    k = sp.Symbol("k", integer=True, nonnegative=True)
    J, D = sp.MatrixSymbol("J", N, N), sp.MatrixSymbol("D", N, N)
    Nx, Nr = sp.MatrixSymbol("N_x", N, N), sp.MatrixSymbol("N_r", N, N)
    return {"N_x^(k+1)": sp.Eq(sp.MatPow(Nx, k + 1), J * sp.MatPow(Nr, k) * D, evaluate=False),
            "N_r^(k+1)": sp.Eq(sp.MatPow(Nr, k + 1), D * sp.MatPow(Nx, k) * J, evaluate=False)}


def _n_small(rng, lo=2, hi=8):
    return int(rng.integers(lo, hi + 1))


def _on_network(check, *, time=None, leaky=None, max_n=None, needs_io=False):
    """Network hook: run ``check(ctx, inst, spec)`` at every fixed point Newton finds for the user's
    network (``--network``). ``time``/``leaky`` restrict the network form; ``max_n`` bounds the size
    for 50-digit work; ``needs_io`` requires an input column of B and a readout row of C."""

    def hook(ctx, spec):
        if time is not None and spec.time != time:
            raise NotApplicable(f"a statement about {time}-time networks; this network is {spec.time}")
        if leaky is not None and (spec.alpha is not None) != leaky:
            raise NotApplicable("needs a leaky discrete network (alpha set)" if leaky else
                                "a statement about the vanilla (non-leaky) discrete network; alpha is set")
        if max_n is not None and spec.n > max_n:
            raise NotApplicable(f"n = {spec.n} exceeds {max_n}, the size this 50-digit check supports")
        if needs_io and (spec.m == 0 or spec.C is None):
            raise NotApplicable("needs an input matrix B and a readout C in the network file")
        for inst in network_fixed_points(ctx, spec):
            if inst.silent.size:   # claim 23: with singular D, state both Jordan structures at −1
                v = NS.similarity_verdict(inst.J, inst.gains, DPS)
                ctx.note(f"Jordan blocks at −1: A_x {v['partitions']['activation']}, "
                         f"A_r {v['partitions']['activity']} ({v['verdict'].split(':')[0]})")
            check(ctx, inst, spec)

    return hook


# ==================================================================================================
# D. Off fixed points
# ==================================================================================================

@functools.lru_cache(maxsize=None)
def _trajectory_entry_fns(phi):
    """Lambdified entries of the activity Jacobian derived by SymPy (theory side)."""
    dd, do, (ri, Jii, Jij, F) = T.trajectory_entries(phi)
    fd = sp.lambdify((ri, Jii, F), dd, "numpy")
    fo = sp.lambdify((ri, Jij), do, "numpy")
    return fd, fo


def _symbolic_activity_jacobian(phi, r, J, F):
    fd, fo = _trajectory_entry_fns(phi)
    A = fo(r[:, None], J) * np.ones_like(J)
    A[np.diag_indices_from(A)] = fd(r, np.diag(J), F)
    return A


def _sym_17():
    ok = all(T.trajectory_entries_proof(p) for p in ("tanh", "sigmoid", "softplus"))
    _, _, diff = T.trajectory_jacobian("tanh", 3)
    ok &= diff == sp.zeros(3, 3)
    return Proof(bool(ok), "entrywise ∂f_i/∂r_j of φ′(φ⁻¹r)⊙(−φ⁻¹r+Jr+c) simplifies to "
                           "−δ_ij+φ′(x_i)J_ij+δ_ijψ(x_i)F_i for tanh, σ, softplus; n = 3 tanh Jacobian "
                           "equals −I+DJ−2diag(r⊙F)")


_TIMES = np.array([0.4, 0.9, 1.5, 2.2])


def _num_17(ctx):
    for rng in ctx.instances():
        phi = NA.SMOOTH_ACTIVATIONS[int(rng.integers(3))]
        inst = NA.g_smooth(rng, n=_n_small(rng, 2, 8), activation=phi, a=float(rng.uniform(0.1, 2.0)),
                           g=float(rng.uniform(0.3, 1.2)))
        _trajectory_instance(ctx, inst)


def _trajectory_instance(ctx, inst, spec=None):
    phi, act = inst.activation, inst.act
    if phi not in NA.SMOOTH_ACTIVATIONS:
        ctx.skip(f"φ = {phi}: the activity form needs φ′ > 0 (ReLU: D(t) jumps at crossing times)")
        return
    if inst.B.shape[1] == 0:
        ctx.skip("no input matrix B: nothing drives the trajectory")
        return
    X, U = NS.driven_trajectory(inst, _TIMES, amplitude=1.0, omega=2.0)
    used, biggest = 0, 0.0
    for x, u in zip(X, U):
        if np.max(np.abs(x)) > 3:
            ctx.skip("|x| > 3 at a sample (finite-difference witnesses are restricted to |x| ≤ 3)")
            continue
        r = act.phi(x)
        F = NA.activation_field(inst, x, u)
        fd, bound = NS.fd_activity_jacobian_bound(inst, x, u)
        sym = _symbolic_activity_jacobian(phi, r, inst.J, F)
        fd_check(ctx, fd, bound, sym, n=inst.n, activation=phi, part="continuous")
        fixed = -np.eye(inst.n) + act.dphi(x)[:, None] * inst.J
        # how far −I + DJ alone is, in units of the largest tolerance of this sample
        biggest = max(biggest, float(np.max(np.abs(fd - fixed))) / fd_max_tolerance(bound, sym))
        used += 1
        # discrete analogue: the induced r-map of the leaky map has Jacobian D_{t+1} J_x D_t^{-1}
        alpha = 0.2
        xn = x + alpha * F
        # differenced in x and mapped (as for the continuous field): r ↦ r′ seen as x ↦ φ(x + αF(x))
        G, bnd = NA.fd_jacobian_bound(lambda v: act.phi(v + alpha * NA.activation_field(inst, v, u)), x,
                                      _map_rounding(inst, x, alpha, u))
        dx = act.dphi(x)[None, :]
        Jx = (1 - alpha) * np.eye(inst.n) + alpha * inst.J * act.dphi(x)[None, :]
        pred = act.dphi(xn)[:, None] * Jx / act.dphi(x)[None, :]
        fd_check(ctx, G / dx, bnd / dx, pred, n=inst.n, activation=phi, part="leaky map")
    if used:
        # the extra term is visible: −I + DJ alone misses the finite-difference Jacobian by more than
        # 10× the tolerance at some sample (the check could fail without the trajectory term)
        ctx.require(biggest > 10.0, "finite-difference Jacobian differs from −I+DJ by the "
                    "trajectory term (> 10× the tolerance)", size=biggest)


register(Claim(
    id="linearization.trajectory_term", paper=PAPER,
    title="Off fixed points the activity Jacobian gains diag(φ″/φ′ ⊙ F)",
    reference=REF.format(17),
    statement=T.trajectory_statement,
    hypotheses=("φ is C² with φ′ > 0 (tanh, σ, softplus)", "x(t) solves τẋ = F(x, u(t))",
                "D(t) = diag(φ′(x(t)))"),
    tolerance=Tolerance(FD_RULE, FD_REASON + "; taken in x coordinates and mapped by D⁻¹ (columns "
                        "and bound alike); samples restricted to |x| ≤ 3", kind="truncation+roundoff"),
    sides=Sides(symbolic=("theory._linearization_singular.trajectory_entries_proof",
                          "theory._linearization_singular.trajectory_jacobian"),
                numeric=("numerics.linearization.g_smooth", "numerics.linearization_singular.driven_trajectory",
                         "numerics.linearization_singular.fd_activity_jacobian_bound",
                         "numerics.linearization.fd_jacobian_bound", "numerics.linearization.activation_field"),
                lambdified=("theory._linearization_singular.trajectory_entries",),
                reference="finite differences of the activity field along a solve_ivp trajectory against "
                          "the lambdified SymPy entries of −I + DJ + diag(ψ⊙F)"),
    symbolic=_sym_17, numeric=_num_17, network=_on_network(_trajectory_instance, time="continuous"),
    expressions=lambda: {"A_r(t)": T.trajectory_statement(), "psi_tanh": T.psi("tanh"),
                         "psi_sigmoid": T.psi_of_r("sigmoid"), "psi_softplus": T.psi_of_r("softplus")},
    note="Extension. Discrete analogue (leaky map, α = 0.2) checked on the same samples.",
    cost=2.0,
))


# ---------------------------------------------------------------------------- 18 slow_point_mismatch

@functools.lru_cache(maxsize=None)
def _psi_fn(phi):
    return sp.lambdify(sp.Symbol("x", real=True), T.psi(phi), "numpy")


@functools.lru_cache(maxsize=None)
def _psi_bound_value(phi) -> float:
    """L_φ = sup|ψ| derived by SymPy, lambdified (a constant)."""
    return float(sp.lambdify((), T.psi_bound(phi), "numpy")())


# Tightness of |ψ| ≤ L_φ: the supremum is approached as |x| → ∞: tanh |ψ| = 2tanh|x| ≥ 2 − 4e^{−2|x|};
# σ: |1 − 2σ(x)| ≥ 1 − 2e^{−|x|}; softplus: 1 − σ(−|x|) ≥ 1 − e^{−|x|}. So on a grid out to |x| = X
# the largest |φ″/φ′| (numerics' own φ″, φ′, no SymPy) lies within tail = 2L_φe^{−kX} of L_φ (k = 2
# for tanh, 1 otherwise); the tolerance is 2·tail + 4εL_φ (the tail bound is nearly attained).
_PSI_GRID_X = 15.0


def _psi_tightness(ctx, phi):
    act = get_activation(phi)
    x = np.linspace(-_PSI_GRID_X, _PSI_GRID_X, 601)
    sup_num = float(np.max(np.abs(act.ddphi(x) / act.dphi(x))))
    L = _psi_bound_value(phi)
    tail = 2 * L * np.exp(-(2.0 if phi == "tanh" else 1.0) * _PSI_GRID_X)
    ctx.record(abs(L - sup_num), 2 * tail + 4 * EPS * L, activation=phi,
               part="tightness: sup|φ″/φ′| on |x| ≤ 15 reaches L_φ", sup_numeric=sup_num)


def _bauer_fike_tightness(ctx, rng):
    """Bauer–Fike is attained for a normal (here diagonal) matrix and a diagonal perturbation: with J
    diagonal, −I + DJ and diag(ψ⊙F) are diagonal, κ(V) = 1, and the largest eigenvalue shift is exactly
    max|ψF| when the eigenvalues are more than 2max|ψF| apart."""
    phi = NA.SMOOTH_ACTIVATIONS[int(rng.integers(3))]
    n = 4
    J = np.diag(np.array([-2.0, -0.5, 0.5, 2.0]) + 0.1 * rng.uniform(-1, 1, n))
    xs = rng.uniform(-1.0, 1.0, n)
    act = get_activation(phi)
    c = xs - J @ act.phi(xs) + rng.uniform(-0.01, 0.01, n)    # a slow point: F(x_s) = δ, |δ| ≤ 0.01
    inst = NA.LinInstance(J, np.zeros((n, 0)), np.zeros(n), c, np.zeros(0), xs, phi)
    F = NA.activation_field(inst, xs)
    d = inst.act.dphi(xs)
    similar = -np.eye(n) + d[:, None] * J
    psiF = _psi_fn(phi)(xs) * F
    w = np.diag(similar)
    if np.min(np.abs(w[:, None] - w[None, :]) + np.diag(np.full(n, np.inf))) <= 2 * np.max(np.abs(psiF)):
        ctx.skip("tightness instance: eigenvalues closer than 2max|ψF|")
        return
    w_num, V = np.linalg.eig(similar)
    mu = np.linalg.eigvals(similar + np.diag(psiF))
    dist = np.max(np.min(np.abs(mu[:, None] - w_num[None, :]), axis=1))
    bound = np.linalg.cond(V) * np.max(np.abs(psiF))
    ctx.record(abs(dist - bound), 4 * EPS * (np.max(np.abs(w)) + np.max(np.abs(psiF))), activation=phi,
               part="tightness: Bauer–Fike attained (diagonal J)", kappa_V=float(np.linalg.cond(V)))


def _sym_18():
    ok = all(T.trajectory_entries_proof(p) and T.psi_bound_proof(p) for p in ("tanh", "sigmoid", "softplus"))
    return Proof(bool(ok), "A_r^true − DA_xD⁻¹ = diag(ψ⊙F) entrywise; ψ monotone with sup|ψ| = 2, 1, 1 "
                           "for tanh, σ, softplus")


def _num_18(ctx):
    for rng in ctx.instances():
        phi = NA.SMOOTH_ACTIVATIONS[int(rng.integers(3))]
        inst = NA.g_smooth(rng, n=_n_small(rng, 2, 10), activation=phi, a=float(rng.uniform(0.1, 2.0)))
        _slow_instance(ctx, inst, 10.0 ** rng.uniform(-6, -1), rng)
    for phi in NA.SMOOTH_ACTIVATIONS:
        _psi_tightness(ctx, phi)
    _bauer_fike_tightness(ctx, ctx.rng(20_000))


def _slow_network(ctx, inst, spec):
    if inst.activation not in NA.SMOOTH_ACTIVATIONS:
        raise NotApplicable(f"φ = {inst.activation}: needs a C² activation with φ′ > 0")
    rng = ctx.rng(2)
    for q in (1e-5, 1e-3, 1e-2):
        _slow_instance(ctx, inst, q, rng)


def _slow_instance(ctx, inst, q_target, rng):
    phi = inst.activation
    if phi not in NA.SMOOTH_ACTIVATIONS:
        ctx.skip(f"φ = {phi}: needs a C² activation with φ′ > 0")
        return
    act = inst.act
    xs, q, method = NS.slow_point(inst, q_target, rng)
    if np.max(np.abs(xs)) > 3:
        ctx.skip(f"slow point with |x| > 3 ({method}): outside the finite-difference domain")
        return
    if q <= 1e3 * EPS * (1 + np.max(np.abs(xs))):
        ctx.skip("q = 0 within rounding: the claim is trivially true")
        return
    d = act.dphi(xs)
    F = NA.activation_field(inst, xs)
    true, bound = NS.fd_activity_jacobian_bound(inst, xs)
    similar = -np.eye(inst.n) + d[:, None] * inst.J          # D A_x D⁻¹ by elementwise scaling
    psiF = _psi_fn(phi)(xs) * F                              # ψ from SymPy, lambdified
    # the difference true − similar carries the FD error of `true` and one rounding of `similar`
    fd_check(ctx, true - similar, bound + 2 * EPS * np.abs(similar), np.diag(psiF), n=inst.n, q=q,
             activation=phi, part="difference is diag(ψ⊙F)", method=method)
    L = _psi_bound_value(phi)
    ctx.record(max(0.0, np.max(np.abs(psiF)) - L * q), 4 * EPS * L * q, q=q, part="≤ L_φ q")
    # Bauer–Fike: spec(−I+DJ+diag(ψF)) within κ₂(V)‖diag(ψF)‖₂ of spec(A_x) = spec(−I+DJ)
    w, V = np.linalg.eig(similar)
    kV = np.linalg.cond(V)
    if not np.isfinite(kV) or kV > 1e12:
        ctx.skip("D A_x D⁻¹ numerically non-diagonalizable: Bauer–Fike part not applicable")
        return
    mu = np.linalg.eigvals(similar + np.diag(psiF))
    dist = np.max(np.min(np.abs(mu[:, None] - w[None, :]), axis=1))
    bound = kV * np.max(np.abs(psiF)) + 1e2 * EPS * kV * np.linalg.norm(similar)
    ctx.record(dist, bound, kappa_V=kV, part="Bauer–Fike")


register(Claim(
    id="linearization.slow_point_mismatch", paper=PAPER,
    title="Frame mismatch at a slow point is bounded by L_φ‖F‖_∞",
    reference=REF.format(18),
    statement=T.slow_point_statement,
    hypotheses=("φ is C² with φ′ > 0", "x_s is any point with q = ‖F(x_s)‖_∞ > 0"),
    tolerance=Tolerance("difference: " + FD_RULE + "; bound: 4ε·L_φq; Bauer–Fike: κ₂(V)·max|ψF| + "
                        "10²εκ₂(V)‖A‖; tightness: sup|φ″/φ′| on |x| ≤ 15 within 4L_φe^{−15k} + 4εL_φ of L_φ (k = 2 for tanh, else 1), "
                        "Bauer–Fike attained to 4ε(‖A‖ + max|ψF|) on diagonal J",
                        FD_REASON + "; ψ is evaluated in one rounding; eigenvalues of the unperturbed "
                        "matrix carry their own backward error; |ψ| tends to L_φ exponentially in |x|, "
                        "and a normal matrix with a diagonal perturbation attains Bauer–Fike. The "
                        "one-sided checks record 0 when the bound holds with room",
                        kind="truncation+roundoff"),
    sides=Sides(symbolic=("theory._linearization_singular.trajectory_entries_proof",
                          "theory._linearization_singular.psi_bound_proof"),
                numeric=("numerics.linearization.g_smooth", "numerics.linearization_singular.slow_point",
                         "numerics.linearization_singular.fd_activity_jacobian_bound",
                         "numerics.linearization.activation_field"),
                lambdified=("theory._linearization_singular.psi", "theory._linearization_singular.psi_bound"),
                reference="finite differences of the activity field at a slow point against the similar "
                          "matrix plus the lambdified diag(ψ⊙F); eigvals for Bauer–Fike; a grid sup of "
                          "numerics' φ″/φ′ against the derived L_φ"),
    symbolic=_sym_18, numeric=_num_18, network=_on_network(_slow_network, time="continuous"),
    expressions=lambda: {"statement": T.slow_point_statement(), "L_tanh": T.psi_bound("tanh")},
    note="Extension. Slow points from a truncated Newton run (fallback: x* + ηξ scaled to ‖F‖_∞ ≈ q), "
         "q log-uniform in [10⁻⁶, 10⁻¹].",
    cost=1.0,
))


# ==================================================================================================
# E. Singular gains
# ==================================================================================================

def _half(ctx):
    """Instance count for a claim's secondary family (at least 2)."""
    return max(2, ctx.examples // 2)


def _n_max(ctx, quick=100):
    """Largest G-lowrank size: 400 in the thorough profile, ``quick`` otherwise."""
    return 400 if ctx.thorough else quick


def _silent_instance(rng, n_hi=6):
    return NA.g_silent(rng, n=_n_small(rng, 2, n_hi), relu=bool(rng.integers(2)))


def _sym_19():
    ok, lines = True, []
    lam = None
    for n, S in ((3, (0,)), (3, (0, 2)), (4, (1, 3))):
        px, pr, lam = T.silent_charpoly(n, S)
        ok &= sp.expand(px - pr) == 0
        ok &= sp.rem(px, (lam + 1) ** len(S), lam) == 0
        J, D = T._jd(n, set(S))
        ok &= sum(1 for j in range(n) if (J * D)[:, j].is_zero_matrix) >= len(S)
        lines.append(f"n={n},S={list(S)}")
    return Proof(bool(ok), "charpolys of −I+JD and −I+DJ equal and divisible by (λ+1)^|S|; JD has |S| zero "
                           "columns so rank(JD) ≤ |A| (" + "; ".join(lines) + ")")


def _charpoly_checks(ctx, J, d, S, tag):
    n = J.shape[0]
    # −I + JD and −I + DJ formed exactly in mpmath (float64 products would round differently)
    cx = NS.mp_charpoly(J, DPS, right=d, shift=-1.0)
    cr = NS.mp_charpoly(J, DPS, left=d, shift=-1.0)
    scale = (1.0 + np.linalg.norm(J) * np.max(np.abs(d)) + np.sqrt(n)) ** n
    # Faddeev–LeVerrier: n steps of one matrix product and a trace, each entry with relative rounding
    # 10^−DPS; with the coefficients normalised by (1 + ‖A‖_F)^n ≥ their size, the error is
    # ≲ n²·10^−DPS (n for the steps, n for the length of each dot product).
    tol = n * n * 10.0 ** (-DPS)
    ctx.record(max(float(abs(a - b)) for a, b in zip(cx, cr)) / scale, tol, n=n, silent=len(S),
               part=f"{tag}: charpolys equal at 50 digits")
    if len(S):
        tay = NS.mp_taylor_at(cx, -1, DPS)
        ctx.record(max(float(abs(a)) for a in tay[:len(S)]) / scale, tol, n=n, silent=len(S),
                   part=f"{tag}: (λ+1)^|S| divides the charpoly")
    return cx


def _singular_charpoly_instance(ctx, J, d, tag):
    S = np.flatnonzero(d == 0)
    if S.size == J.shape[0]:
        ctx.note(f"{tag}: every unit silent: A_x = A_r = −I, trivially true")
    _charpoly_checks(ctx, J, d, S, tag)
    for name, lr_ in (("JD", {"right": d}), ("DJ", {"left": d})):
        res = NS.mp_rank(J, DPS, **lr_)
        if res.rank is None:
            ctx.skip(f"rank({name}) undetermined (no 10²⁰ gap)")
            continue
        ctx.require(J.shape[0] - res.rank >= S.size, f"geometric multiplicity of −1 ≥ |S| ({name})",
                    rank=res.rank, silent=int(S.size))


def _num_19(ctx):
    for rng in ctx.instances():
        inst = _silent_instance(rng)
        _singular_charpoly_instance(ctx, inst.J, inst.gains, "G-silent")
    for rng in ctx.instances(count=_half(ctx), start=100):
        ex = NS.g_exact(rng)
        S = np.flatnonzero(ex.d == 0)
        if S.size == 0:
            ctx.note("a G-exact draw had S empty: that case is claim linearization.same_spectrum")
        if S.size == ex.n:
            ctx.note("a G-exact draw had every unit silent: A_x = A_r = −I, trivially true")
        Ax = -np.eye(ex.n) + ex.J * ex.d[None, :]
        cx = _charpoly_checks(ctx, ex.J, ex.d, S, "G-exact")
        exact = NS.exact_charpoly(Ax)
        # integer matrices: Faddeev–LeVerrier at 50 digits only forms integers below 10^20: exact
        ctx.record(max(abs(float(a) - float(b)) for a, b in zip(cx, exact)), 0.0,
                   n=ex.n, part="G-exact: mpmath charpoly = exact rational charpoly")
        rx, rr = NS.exact_rank_sequences(ex.J, ex.d)
        for name, N, exact_rank in (("JD", ex.J * ex.d[None, :], rx[1]), ("DJ", ex.d[:, None] * ex.J, rr[1])):
            res = NS.mp_rank(N, DPS)
            ctx.require(res.rank == exact_rank, f"mpmath rank({name}) = exact rational rank",
                        mp=res.rank, exact=exact_rank)
            ctx.require(ex.n - exact_rank >= S.size, f"N − rank({name}) ≥ |S| (exact)")


register(Claim(
    id="linearization.singular_charpoly", paper=PAPER,
    title="With zero gains: same characteristic polynomial, −1 of multiplicity ≥ |S|",
    reference=REF.format(19),
    statement=lambda: _charpoly_statement(),
    hypotheses=("D diagonal with silent set S = {i : d_i = 0}",),
    tolerance=Tolerance("n²·10⁻⁵⁰ relative to (1+‖A‖_F)ⁿ for charpoly coefficients; ranks exact or gap-tested",
                        "Faddeev–LeVerrier at 50 digits: n steps of length-n dot products, each with "
                        "relative rounding 10⁻⁵⁰ of numbers below the normalisation; G-exact integer "
                        "charpolys are exact on both sides (mostly 0 error: the silent columns are "
                        "exact zeros)", kind="roundoff+exact"),
    sides=Sides(symbolic=("theory._linearization_singular.silent_charpoly",),
                numeric=("numerics.linearization.g_silent", "numerics.linearization_singular.g_exact",
                         "numerics.linearization_singular.mp_charpoly", "numerics.linearization_singular.mp_taylor_at",
                         "numerics.linearization_singular.mp_rank", "numerics.linearization_singular.exact_charpoly",
                         "numerics.linearization_singular.exact_rank_sequences"),
                reference="mpmath Faddeev–LeVerrier charpolys of both frames at 50 digits, gap-tested "
                          "mpmath ranks, and exact rational charpolys and ranks (fractions)"),
    symbolic=_sym_19, numeric=_num_19,
    network=_on_network(lambda ctx, inst, spec: _singular_charpoly_instance(ctx, inst.J, inst.gains, "network"),
                        max_n=12),
    expressions=lambda: {"p_x(n=3,S={1})": T.silent_charpoly(3, [0])[0]},
    note="Core for singular D. S empty reduces to claim 9; S = all units gives A_x = A_r = −I.",
    cost=2.0,
))


# ----------------------------------------------------------------------------- 20 silent_unit_eigvecs

def _sym_20():
    ok = all(a.is_zero_matrix and b.is_zero_matrix
             for n in (3, 4) for i in range(n) for a, b in [T.silent_unit_identity(n, i)])
    return Proof(bool(ok), "column i of JD is d_iJe_i = 0 and row i of DJ is d_ie_iᵀJ = 0 (n = 3, 4, every i)")


def _silent_unit_instance(ctx, inst, spec=None):
    if inst.silent.size == 0:
        ctx.skip("no silent unit at this fixed point (every gain nonzero)")
        return
    Ax, Ar = NA.jacobians(inst)
    for i in inst.silent:
        e = np.zeros(inst.n)
        e[i] = 1.0
        # products with d_i = 0 are exact in floating point: tolerance 0
        ctx.record(np.max(np.abs(Ax @ e + e)), 0.0, n=inst.n, unit=int(i), part="A_x e_i = −e_i")
        ctx.record(np.max(np.abs(e @ Ar + e)), 0.0, n=inst.n, unit=int(i), part="e_iᵀA_r = −e_iᵀ")


def _num_20(ctx):
    for rng in ctx.instances():
        _silent_unit_instance(ctx, _silent_instance(rng, 12))
    for rng in ctx.instances(start=100):
        inst = NA.g_saturated(rng, n=_n_small(rng, 4, 12))
        Ax, Ar = NA.jacobians(inst)
        i = int(np.argmin(inst.gains))
        e = np.zeros(inst.n)
        e[i] = 1.0
        predicted = inst.gains[i] * np.max(np.abs(inst.J[:, i]))
        res = np.max(np.abs(Ax @ e + e))
        ctx.record(abs(res - predicted), 4 * EPS * (predicted + 1.0), gain=float(inst.gains[i]),
                   part="saturated unit: residual |d_i|·‖Je_i‖_∞, not 0")
        ctx.note(f"saturated (not silent) unit with gain {inst.gains[i]:.1e}: residual {res:.1e}")


register(Claim(
    id="linearization.silent_unit_eigvecs", paper=PAPER,
    title="e_i (i silent) is a right eigenvector of A_x and a left one of A_r, at −1",
    reference=REF.format(20),
    statement=lambda: sp.Eq(sp.MatrixSymbol("A_x", 3, 3) * sp.MatrixSymbol("e_i", 3, 1),
                            -sp.MatrixSymbol("e_i", 3, 1), evaluate=False),
    hypotheses=("d_i = 0 (unit i silent)",),
    tolerance=Tolerance("0 (exact); saturated unit: 4ε(|d_i|‖Je_i‖_∞ + 1)",
                        "products with d_i = 0 are exact in floating point; a saturated "
                        "unit (d_i ≈ 10⁻⁷) instead gives residual |d_i|‖Je_i‖_∞ to 4ε", kind="exact+roundoff"),
    sides=Sides(symbolic=("theory._linearization_singular.silent_unit_identity",),
                numeric=("numerics.linearization.g_silent", "numerics.linearization.g_saturated",
                         "numerics.linearization.jacobians"),
                reference="float64 products A_x e_i and e_iᵀA_r"),
    symbolic=_sym_20, numeric=_num_20, network=_on_network(_silent_unit_instance),
    expressions=lambda: {"A_x e_1 + e_1": T.silent_unit_identity(3, 0)[0]},
    note="Extension.",
    cost=0.5,
))


# -------------------------------------------------------------------------- 21 silent_block_structure

def _sym_21():
    DJ, JD = T.silent_block_form(2, 1)
    ok = DJ.blocks[1, 0].is_ZeroMatrix and DJ.blocks[1, 1].is_ZeroMatrix
    ok &= JD.blocks[0, 1].is_ZeroMatrix and JD.blocks[1, 1].is_ZeroMatrix
    ok &= DJ.blocks[0, 0] == sp.MatrixSymbol("D_A", 2, 2) * sp.MatrixSymbol("J_AA", 2, 2)
    return Proof(bool(ok), "block_collapse: DJ = [[D_AJ_AA, D_AJ_AS], [0, 0]], JD = [[J_AAD_A, 0], [J_SAD_A, 0]]")


def _num_21(ctx):
    for rng in ctx.instances():
        _block_instance(ctx, _silent_instance(rng, 12))


def _block_instance(ctx, inst, spec=None):
    S, A = inst.silent, np.flatnonzero(inst.gains != 0)
    if S.size == 0 or A.size == 0:
        ctx.skip("|S| = 0 or |A| = 0: degenerate blocks, the claim holds trivially")
        return
    d = inst.gains
    Ax, Ar = NA.jacobians(inst)
    # structural zeros: rows S of A_r + I and columns S of A_x + I
    ctx.record(np.max(np.abs((Ar + np.eye(inst.n))[S])), 0.0, part="{δr_S = 0} is A_r-invariant")
    ctx.record(np.max(np.abs((Ax + np.eye(inst.n))[:, S])), 0.0, part="span{e_S} is A_x-invariant")
    block = -np.eye(A.size) + d[A][:, None] * inst.J[np.ix_(A, A)]
    wb = np.linalg.eigvals(block)
    for name, M in (("A_x", Ax), ("A_r", Ar)):
        w, VL, VR, s = NA.eig_condition(M)
        delta = 1e-6 * (1 + np.linalg.norm(M))
        near = np.abs(w + 1) <= delta
        near_b = np.abs(wb + 1) <= delta
        ctx.require(near.sum() == S.size + near_b.sum(), f"{name}: |S| eigenvalues at −1 (count)",
                    count=int(near.sum()), silent=int(S.size))
        if near.sum() != S.size + near_b.sum():
            continue
        rest, rest_b = w[~near], wb[~near_b]
        if rest.size:
            perm, dist = NA.match_eigenvalues(rest, rest_b)
            tol = NA.eigenvalue_tolerances(M, s[~near])
            worst = int(np.argmax(dist / tol))
            ctx.record(dist[worst], tol[worst], n=inst.n, frame=name, part="active block spectrum")
            if inst.activation == "relu" and name == "A_r":
                ctx.note(f"R3 ReLU n={inst.n}: {int(near.sum())} eigenvalues at −1 (|S| = {S.size}); "
                         f"active block matched to {dist.max():.1e} (max 1/s_i = {1 / s[~near].min():.2g})")


register(Claim(
    id="linearization.silent_block_structure", paper=PAPER,
    title="Block-triangular form; spectrum = active block ∪ {−1}^{|S|}",
    reference=REF.format(21),
    statement=T.silent_block_statement,
    hypotheses=("units ordered (A, S) with D_A invertible and D_S = 0",),
    tolerance=Tolerance("structural zeros exact; eigenvalues 10²·ε·‖A‖_F/s_i after assignment; −1 by count",
                        "per-eigenvalue tolerance (first-order perturbation); the −1 cluster is compared by count "
                        "within 10⁻⁶(1+‖A‖), never by pairing vectors inside it; the structural "
                        "zeros are exact (d_S = 0 products)", kind="exact+roundoff"),
    sides=Sides(symbolic=("theory._linearization_singular.silent_block_form",),
                numeric=("numerics.linearization.g_silent", "numerics.linearization.jacobians",
                         "numerics.linearization.eig_condition", "numerics.linearization.match_eigenvalues",
                         "numerics.linearization.eigenvalue_tolerances"),
                reference="LAPACK spectra of A_x, A_r and of the active block −I + D_AJ_AA, matched by "
                          "assignment"),
    symbolic=_sym_21, numeric=_num_21, network=_on_network(_block_instance),
    expressions=lambda: dict(zip(("DJ", "JD"), T.silent_block_form(2, 1))),
    note="Extension. Only the active subnetwork sets the nontrivial dynamics.",
    cost=0.5,
))


# --------------------------------------------------------------------------- 22 silent_eigvecs_vanish

def _sym_22():
    lam = sp.Symbol("lambda")
    ok = all(sp.expand(T.silent_eigvec_equation(3, i) + (lam + 1) * sp.Symbol(f"v{i + 1}")) == 0
             for i in range(3))
    return Proof(bool(ok), "row i ∈ S of (A_r − λI)v is −(λ+1)v_i, so v_i = 0 for λ ≠ −1 (left vectors of "
                           "A_x by transposition)")


def _num_22(ctx):
    for rng in ctx.instances():
        _vanish_instance(ctx, _silent_instance(rng, 12))


def _vanish_instance(ctx, inst, spec=None):
    S = inst.silent
    if S.size == 0:
        ctx.skip("no silent unit at this fixed point")
        return
    Ax, Ar = NA.jacobians(inst)
    checked = 0
    for name, M, left in (("A_r right", Ar, False), ("A_x left", Ax, True)):
        w, VL, VR, s = NA.eig_condition(M)
        V = VL if left else VR
        nrm = np.linalg.norm(M)
        for k in range(w.size):
            gap = abs(w[k] + 1)
            if gap <= 1e-8:
                continue
            checked += 1
            v = V[:, k]
            err = np.max(np.abs(v[S])) / np.linalg.norm(v)
            tol = 1e2 * EPS * (1.0 / s[k] + nrm / gap)
            ctx.record(err, tol, n=inst.n, frame=name, lam=complex(w[k]))
    if not checked:
        ctx.skip("every eigenvalue lies within 10⁻⁸ of −1: the vanishing is ill-determined")


register(Claim(
    id="linearization.silent_eigvecs_vanish", paper=PAPER,
    title="For λ ≠ −1, v_r and u_x vanish on silent units",
    reference=REF.format(22),
    statement=lambda: sp.Eq(sp.Symbol("v_{r,S}"), 0, evaluate=False),
    hypotheses=("λ ≠ −1 is an eigenvalue", "S is the silent set"),
    tolerance=Tolerance("max_{i∈S}|v_i|/‖v‖ ≤ 10²·ε·(κ_λ + ‖A‖_F/|λ+1|)",
                        "row i ∈ S gives (λ+1)v_i = residual ≤ ε‖A‖‖v‖ for a backward-stable eig, so "
                        "10²εκ_λ gets the 1/|λ+1| amplification of that residual added. LAPACK's "
                        "Hessenberg reduction keeps the exact zero rows, so most errors are exactly 0",
                        kind="roundoff"),
    sides=Sides(symbolic=("theory._linearization_singular.silent_eigvec_equation",),
                numeric=("numerics.linearization.g_silent", "numerics.linearization.jacobians",
                         "numerics.linearization.eig_condition"),
                reference="LAPACK right eigenvectors of A_r and left ones of A_x, read on the silent units"),
    symbolic=_sym_22, numeric=_num_22, network=_on_network(_vanish_instance),
    expressions=lambda: {"row_1": T.silent_eigvec_equation(3, 0)},
    note="Extension. Eigenpairs with |λ+1| ≤ 10⁻⁸ are skipped (vanishing ill-determined).",
    cost=0.5,
))


# ----------------------------------------------------------------------------- 23 jordan_at_minus_one

# Fixed not-similar core (J = [[0,1],[0,0]], d = (1,0)) embedded in a larger network by a random
# permutation and a zero-coupled extra block; exact partitions at −1: A_x [1,1,...], A_r [2,...].
def _not_similar_instance(rng):
    n = int(rng.integers(3, 6))
    J = np.zeros((n, n))
    J[0, 1] = 1.0
    d = np.zeros(n)
    d[0] = 1.0
    extra = np.arange(2, n)
    J[np.ix_(extra, extra)] = rng.integers(-2, 3, (n - 2, n - 2))
    d[extra] = rng.integers(1, 3, n - 2)
    p = rng.permutation(n)
    return J[np.ix_(p, p)], d[p]


def _extend(seq, length):
    seq = list(seq)
    return seq + [seq[-1]] * (length + 2 - len(seq))


def _sym_23():
    ok = T.jordan_power_identities(6)
    px, pr = T.jordan_partitions_exact([[0, 1], [0, 0]], [1, 0])
    ok &= (px, pr) == ([1, 1], [2])
    return Proof(bool(ok), "N_x^{k+1} = J N_r^k D and N_r^{k+1} = D N_x^k J (k ≤ 6, free algebra); exact "
                           "jordan_form for J = [[0,1],[0,0]], d = (1,0): A_x blocks [1,1], A_r [2]")


def _num_23(ctx):
    def check(J, d, tag):
        n = J.shape[0]
        rx_e, rr_e = NS.exact_rank_sequences(J, d)
        out = NS.similarity_verdict(J, d, DPS)
        ranks = out["ranks"]
        if ranks is not None and all(r is not None for r in ranks["activation"] + ranks["activity"]):
            ctx.require(_extend(ranks["activation"], n)[:n + 1] == rx_e and
                        _extend(ranks["activity"], n)[:n + 1] == rr_e,
                        f"{tag}: mpmath rank sequences = exact rational ones", mp=ranks, exact=[rx_e, rr_e])
        # (b) rank interlacing on the exact sequences and on the mpmath ones
        for rx, rr, src in ((rx_e, rr_e, "exact"),) + (
                ((_extend(ranks["activation"], n), _extend(ranks["activity"], n), "mpmath"),)
                if ranks and None not in ranks["activation"] + ranks["activity"] else ()):
            ok = all(rx[k + 1] <= rr[k] and rr[k + 1] <= rx[k] for k in range(n))
            ctx.require(ok, f"{tag}: rank(N_x^(k+1)) ≤ rank(N_r^k) and vice versa ({src})")
        px_e, pr_e = NS.jordan_partition(rx_e), NS.jordan_partition(rr_e)
        ctx.require(out["similar"] == (px_e == pr_e), f"{tag}: verdict agrees with exact partitions",
                    verdict=out["verdict"], exact=[px_e, pr_e])
        # Flanders: paired sizes differ by at most one
        a, b = sorted(px_e, reverse=True), sorted(pr_e, reverse=True)
        m = max(len(a), len(b))
        a, b = a + [0] * (m - len(a)), b + [0] * (m - len(b))
        ctx.require(all(abs(x - y) <= 1 for x, y in zip(a, b)), f"{tag}: paired block sizes differ by ≤ 1")
        ctx.note(f"{tag} n={n}: {out['verdict']}")
        return out

    for rng in ctx.instances():
        ex = NS.g_exact(rng)
        check(ex.J, ex.d, "G-exact")
        # (a) for λ ≠ −1 the structure agrees: ranks of (JD − μI)^k, μ = λ + 1, on repeated clusters
        Ax = -np.eye(ex.n) + ex.J * ex.d[None, :]
        w = NS.mp_eigenvalues(Ax, DPS)
        seen = []
        for lam in w:
            if abs(lam + 1) < 1e-10 or any(abs(lam - s_) < 1e-8 for s_ in seen):
                continue
            seen.append(lam)
            mult = int(np.sum(np.abs(w - lam) < 1e-8))
            if mult < 2 or abs(lam.imag) > 1e-12:
                continue  # a simple eigenvalue has one block of size 1 in both frames
            mu = float(lam.real) + 1.0
            if mu != round(mu):
                ctx.skip("repeated non-integer eigenvalue: exact shift not representable")
                continue
            Nx = ex.J * ex.d[None, :] - mu * np.eye(ex.n)
            Nr = ex.d[:, None] * ex.J - mu * np.eye(ex.n)
            sx, sr = NS.rank_sequence(Nx, DPS), NS.rank_sequence(Nr, DPS)
            if None in sx or None in sr:
                ctx.skip("rank undetermined at a repeated eigenvalue ≠ −1")
                continue
            ctx.require(_extend(sx, ex.n) == _extend(sr, ex.n), "(a) equal Jordan structure at λ ≠ −1",
                        lam=lam)
    for rng in ctx.instances(count=2, start=100):
        J, d = _not_similar_instance(rng)
        out = check(J, d, "constructed")
        ctx.require(out["similar"] is False, "constructed instance is reported not similar")
        # tightness of "paired block sizes differ by ≤ 1": attained here (A_x [1,1,…] vs A_r [2,…])
        px_e, pr_e = (NS.jordan_partition(r) for r in NS.exact_rank_sequences(J, d))
        a, b = sorted(px_e, reverse=True), sorted(pr_e, reverse=True)
        m = max(len(a), len(b))
        a, b = a + [0] * (m - len(a)), b + [0] * (m - len(b))
        ctx.require(max(abs(x - y) for x, y in zip(a, b)) == 1, "constructed: the ≤ 1 bound is attained",
                    exact=[px_e, pr_e])


def _jordan_network(ctx, inst, spec):
    out = NS.similarity_verdict(inst.J, inst.gains, DPS)
    ctx.note(f"Jordan blocks at −1: A_x {out['partitions']['activation']}, A_r "
             f"{out['partitions']['activity']}: {out['verdict']}")
    ranks = out["ranks"]
    if out["similar"] is None or ranks is None:
        ctx.skip(out["verdict"])
        return
    n = inst.n
    rx, rr = _extend(ranks["activation"], n), _extend(ranks["activity"], n)
    ctx.require(all(rx[k + 1] <= rr[k] and rr[k + 1] <= rx[k] for k in range(len(rx) - 2)),
                "rank(N_x^(k+1)) ≤ rank(N_r^k) and vice versa", ranks=ranks)
    px, pr = out["partitions"]["activation"], out["partitions"]["activity"]
    a, b = sorted(px, reverse=True), sorted(pr, reverse=True)
    m = max(len(a), len(b))
    a, b = a + [0] * (m - len(a)), b + [0] * (m - len(b))
    ctx.require(all(abs(x - y) <= 1 for x, y in zip(a, b)), "paired block sizes differ by ≤ 1")


register(Claim(
    id="linearization.jordan_at_minus_one", paper=PAPER,
    title="Jordan structure equal for λ ≠ −1; at −1 it may differ (block sizes by ≤ 1)",
    reference=REF.format(23),
    statement=lambda: sp.Eq(sp.MatPow(sp.MatrixSymbol("J", 3, 3) * sp.MatrixSymbol("D", 3, 3), 3),
                            sp.MatrixSymbol("J", 3, 3) * sp.MatPow(sp.MatrixSymbol("D", 3, 3)
                                                                    * sp.MatrixSymbol("J", 3, 3), 2)
                            * sp.MatrixSymbol("D", 3, 3), evaluate=False),
    hypotheses=("D diagonal, possibly singular", "ranks from exact arithmetic or 50-digit SVD with a 10²⁰ gap"),
    tolerance=Tolerance("exact equality of rank sequences",
                        "ranks are integers: exact (rational arithmetic) on G-exact, and the mpmath gap "
                        "test must agree; the ≤ 1 bound on paired block sizes is attained on the "
                        "constructed not-similar instances", kind="exact"),
    sides=Sides(symbolic=("theory._linearization_singular.jordan_power_identities",
                          "theory._linearization_singular.jordan_partitions_exact"),
                numeric=("numerics.linearization_singular.g_exact", "numerics.linearization_singular.similarity_verdict",
                         "numerics.linearization_singular.exact_rank_sequences",
                         "numerics.linearization_singular.jordan_partition",
                         "numerics.linearization_singular.mp_eigenvalues", "numerics.linearization_singular.rank_sequence"),
                reference="50-digit gap-tested rank sequences of (JD)^k and (DJ)^k against exact rational "
                          "ones, and the Jordan partitions they imply"),
    symbolic=_sym_23, numeric=_num_23, network=_on_network(_jordan_network),
    expressions=lambda: _jordan_expressions(),
    note="Extension and a required diagnostic: with singular D every report states both Jordan "
         "structures at −1. (c) is reported, and asserted on constructed not-similar instances.",
    cost=2.0,
))


# --------------------------------------------------------------------------- 24 krylov_controllability

def _sym_24():
    ok = T.krylov_relation(6) and T.observability_relation(6)
    return Proof(bool(ok), "A_r^kDb = DA_x^kb and wᵀDA_x^k = wᵀA_r^kD for k ≤ 6 in the free algebra "
                           "(noncommuting J, D, b, w): K_r = DK_x, O_x = O_rD")


def _ranks(Ax, Ar, b, w, d):
    return {"K_x": NS.mp_krylov_rank(Ax, b, DPS).rank, "K_r": NS.mp_krylov_rank(Ar, d * b, DPS).rank,
            "O_x": NS.mp_krylov_rank(Ax.T, d * w, DPS).rank, "O_r": NS.mp_krylov_rank(Ar.T, w, DPS).rank,
            "H_x": NS.mp_hankel_rank(Ax, b, d * w, DPS).rank, "H_r": NS.mp_hankel_rank(Ar, d * b, w, DPS).rank}


def _num_24(ctx):
    table = []
    for rng in ctx.instances():
        inst = NA.g_silent(rng, n=_n_small(rng, 3, 6), relu=True)
        r = _krylov_instance(ctx, inst)
        if r is not None:
            table.append(("ReLU", inst.n, len(inst.silent), r))
    _krylov_exact(ctx, table)


def _krylov_instance(ctx, inst, spec=None):
    d, b, w = inst.gains, inst.B[:, 0], inst.w
    Ax, Ar = NA.jacobians(inst)
    Kx, Kr = NS.krylov_matrix(Ax, b), NS.krylov_matrix(Ar, d * b)
    Ox, Or = NS.observability_matrix(Ax, d * w), NS.observability_matrix(Ar, w)
    nA = max(np.linalg.norm(Ax, 2), 1.0)
    pw = nA ** np.arange(inst.n)
    tolK = 1e2 * EPS * pw * np.linalg.norm(b) * np.max(np.abs(d)) * inst.n
    errK = np.linalg.norm(Kr - d[:, None] * Kx, axis=0)
    k = int(np.argmax(errK / tolK))
    ctx.record(errK[k], tolK[k], n=inst.n, part="K_r = D K_x")
    tolO = 1e2 * EPS * pw * np.linalg.norm(w) * np.max(np.abs(d)) * inst.n
    errO = np.linalg.norm(Ox - Or * d[None, :], axis=1)
    k = int(np.argmax(errO / tolO))
    ctx.record(errO[k], tolO[k], n=inst.n, part="O_x = O_r D")
    r = _ranks(Ax, Ar, b, w, d)
    if None in r.values():
        ctx.skip(f"a Krylov rank is undetermined at 50 digits: {r}")
        return None
    ctx.require(r["K_r"] <= r["K_x"] and r["O_x"] <= r["O_r"], "rank K_r ≤ rank K_x, rank O_x ≤ rank O_r",
                ranks=r)
    ctx.require(r["H_x"] == r["H_r"], "McMillan degree (Hankel rank) equal in both frames", ranks=r)
    r = dict(r, verdict=NS.similarity_verdict(inst.J, d, DPS)["verdict"].split(":")[0])
    if spec is not None:
        ctx.note(f"ranks K_x={r['K_x']} K_r={r['K_r']} O_x={r['O_x']} O_r={r['O_r']} (input B[:,0], readout C[0]); "
                 f"Jordan verdict at −1: {r['verdict']}")
    return r


def _krylov_exact(ctx, table):
    for rng in ctx.instances(count=_half(ctx), start=100):
        ex = NS.g_exact(rng)
        Ax, Ar = -np.eye(ex.n) + ex.J * ex.d[None, :], -np.eye(ex.n) + ex.d[:, None] * ex.J
        exact = NS.exact_krylov_ranks(ex.J, ex.d, ex.b, ex.w)
        r = _ranks(Ax, Ar, ex.b, ex.w, ex.d)
        ctx.require(r == exact, "mpmath Krylov ranks = exact rational ranks", mp=r, exact=exact)
        ctx.require(exact["K_r"] <= exact["K_x"] and exact["O_x"] <= exact["O_r"], "rank inequalities (exact)")
        ctx.require(exact["H_x"] == exact["H_r"], "McMillan degree equal in both frames (exact)")
        # PBH: controllable iff rank[A − λI, b] = n at every eigenvalue
        for name, A, v, key in (("x", Ax, ex.b, "K_x"), ("r", Ar, ex.d * ex.b, "K_r")):
            defs = NS.pbh_deficiencies(A, v, DPS)
            if any(dfc is None for _, dfc in defs):
                ctx.skip(f"PBH rank undetermined in frame {name} (defective eigenvalue)")
                continue
            ctx.require((exact[key] == ex.n) == all(dfc == 0 for _, dfc in defs),
                        f"PBH ({name} frame) agrees with the Krylov rank", ranks=exact, pbh=defs)
        table.append(("G-exact", ex.n, int(np.sum(ex.d == 0)),
                      dict(exact, verdict=NS.similarity_verdict(ex.J, ex.d, DPS)["verdict"].split(":")[0])))
    for src, n, s, r in table:
        ctx.note(f"R6 {src} n={n} |S|={s}: rank K_x={r['K_x']} K_r={r['K_r']} O_x={r['O_x']} O_r={r['O_r']} "
                 f"McMillan {r['H_x']}; "
                 f"Jordan at −1: {r['verdict']}")


register(Claim(
    id="linearization.krylov_controllability", paper=PAPER,
    title="K_r = D K_x and O_x = O_r D; rank relations",
    reference=REF.format(24),
    statement=lambda: sp.Eq(sp.MatrixSymbol("K_r", 3, 3),
                            sp.MatrixSymbol("D", 3, 3) * sp.MatrixSymbol("K_x", 3, 3), evaluate=False),
    hypotheses=("D diagonal", "b_r = Db, c_x = Dw"),
    tolerance=Tolerance("column k: 10²·ε·N·‖A‖₂ᵏ‖b‖‖D‖; ranks exact or 50-digit gap-tested",
                        "Krylov columns are k matrix-vector products (N-term sums each); ranks never "
                        "from float64. ReLU gains are 0 or 1, so both sides perform the same "
                        "floating-point operations and the column errors are exactly 0",
                        kind="roundoff+exact"),
    sides=Sides(symbolic=("theory._linearization_singular.krylov_relation",
                          "theory._linearization_singular.observability_relation"),
                numeric=("numerics.linearization.g_silent", "numerics.linearization_singular.g_exact",
                         "numerics.linearization_singular.krylov_matrix",
                         "numerics.linearization_singular.observability_matrix",
                         "numerics.linearization_singular.mp_krylov_rank", "numerics.linearization_singular.mp_hankel_rank",
                         "numerics.linearization_singular.pbh_deficiencies",
                         "numerics.linearization_singular.exact_krylov_ranks",
                         "numerics.linearization_singular.similarity_verdict"),
                reference="float64 Krylov and observability matrices in both frames, 50-digit gap-tested "
                          "ranks and PBH tests, against exact rational ranks"),
    symbolic=_sym_24, numeric=_num_24, network=_on_network(_krylov_instance, max_n=12, needs_io=True),
    expressions=lambda: {"K_r": sp.MatrixSymbol("D", 3, 3) * sp.MatrixSymbol("K_x", 3, 3)},
    note="Extension. Reproduction R6 (ranks over seeds) is printed in the detail.",
    cost=2.0,
))


# ==================================================================================================
# F. Context
# ==================================================================================================

@functools.lru_cache(maxsize=None)
def _split_fns():
    total, mi, ms, _ = T.selection_decomposition(4)
    syms = sorted(total.free_symbols | mi.free_symbols | ms.free_symbols, key=lambda s: s.name)
    return syms, sp.lambdify(syms, mi, "numpy"), sp.lambdify(syms, ms, "numpy")


def _sym_25():
    return Proof(T.selection_decomposition(4)[3] == 0,
                 "s⁽¹⁾·b⁽¹⁾ − s⁽²⁾·b⁽²⁾ − Δb·s̄ − b̄·Δs expands to 0 (n = 4, symbolic entries)")


def _num_25(ctx):
    syms, f_inp, f_sel = _split_fns()
    for rng in ctx.instances():
        n = int(rng.integers(2, 60))
        s1, b1, s2, b2 = (rng.standard_normal(n) for _ in range(4))
        mi, ms, total = NS.selection_split(s1, b1, s2, b2)
        if total == 0:
            ctx.skip("total = 0: the proportion is not applicable")
            continue
        scale = np.abs(s1) @ np.abs(b1) + np.abs(s2) @ np.abs(b2)
        ctx.record(abs(mi + ms - total) / abs(total), 1e2 * EPS * scale / abs(total), n=n, part="split sums to total")
        # the lambdified SymPy split on the first 4 coordinates against the numeric split
        vals = {f"s1_{i + 1}": s1[i] for i in range(4)} if n >= 4 else None
        if vals is not None:
            vals.update({f"s2_{i + 1}": s2[i] for i in range(4)})
            vals.update({f"b1_{i + 1}": b1[i] for i in range(4)})
            vals.update({f"b2_{i + 1}": b2[i] for i in range(4)})
            args = [vals[s.name] for s in syms]
            mi4, ms4, _ = NS.selection_split(s1[:4], b1[:4], s2[:4], b2[:4])
            sc4 = np.abs(s1[:4]) @ np.abs(b1[:4]) + np.abs(s2[:4]) @ np.abs(b2[:4])
            ctx.record(abs(f_inp(*args) - mi4) + abs(f_sel(*args) - ms4), 1e2 * EPS * sc4,
                       part="SymPy terms = numeric terms (n = 4)")


register(Claim(
    id="linearization.selection_decomposition", paper=PAPER,
    title="Exact split Δ(s·b) = Δb·s̄ + b̄·Δs",
    reference=REF.format(25) + "; Zhang, Feng & Min 2025",
    statement=lambda: sp.Eq(sp.Symbol(r"s^{(1)} \cdot b^{(1)} - s^{(2)} \cdot b^{(2)}"),
                            sp.Symbol(r"\Delta b \cdot \bar s") + sp.Symbol(r"\bar b \cdot \Delta s"),
                            evaluate=False),
    hypotheses=("any vectors s⁽¹⁾, s⁽²⁾, b⁽¹⁾, b⁽²⁾",),
    tolerance=Tolerance("relative 10²·ε·(Σ|s||b|)/|total|", "dot products of length n; rounding relative "
                                                           "to the absolute-value sums", kind="roundoff"),
    sides=Sides(symbolic=("theory._linearization_singular.selection_decomposition",),
                numeric=("numerics.linearization_singular.selection_split",),
                lambdified=("theory._linearization_singular.selection_decomposition",),
                reference="the numeric split Δb·s̄ + b̄·Δs against the directly computed total and "
                          "against the lambdified SymPy terms"),
    symbolic=_sym_25, numeric=_num_25,
    expressions=lambda: dict(zip(("total", "mod_inp", "mod_sel"), T.selection_decomposition(2)[:3])),
    note="Supporting (the definition used by the application area).",
    cost=0.3,
))


# ------------------------------------------------------------------------- 26 activation_input_mod_zero

def _sym_26():
    _, dbx = T.activation_input_derivative(3)
    total, mi, ms, _ = T.selection_decomposition(3)
    b = [sp.Symbol(f"b1_{i}") for i in range(1, 4)]
    same = {sp.Symbol(f"b2_{i}"): b[i - 1] for i in range(1, 4)}
    ok = dbx.is_zero_matrix and sp.expand(mi.subs(same)) == 0 and sp.expand((ms - total).subs(same)) == 0
    return Proof(bool(ok), "∂b_x/∂x* = 0 for the activation model (n = 3); with b⁽¹⁾ = b⁽²⁾ the split gives "
                           "mod_inp = 0 and mod_sel = total")


def _num_26(ctx):
    for rng in ctx.instances():
        inst = NS.g_lowrank(rng, n_max=_n_max(ctx))
        sys = [NS.linear_systems(inst.J, inst.b[:, None], inst.w, inst.gains(c)) for c in (0, 1)]
        dbx = sys[0]["b_x"] - sys[1]["b_x"]
        dbr = sys[0]["b_r"] - sys[1]["b_r"]
        ctx.record(np.max(np.abs(dbx)), 0.0, n=inst.n, part="Δb_x = 0 bit for bit")
        ctx.require(np.max(np.abs(dbr)) > 1e-3 * np.max(np.abs(inst.b)), "Δb_r ≠ 0 (the check can fail)",
                    delta_b_r=float(np.max(np.abs(dbr))))
        modes = [NS.slow_mode(s["A_x"], s["c_x"], fallback=inst.M[:, 0]) for s in sys]
        if any(m.reason for m in modes):
            ctx.skip("; ".join(m.reason for m in modes if m.reason))
            continue
        mi, ms, total = NS.selection_split(modes[0].s, sys[0]["b_x"][:, 0], modes[1].s, sys[1]["b_x"][:, 0])
        ctx.record(abs(mi), 0.0, part="mod_inp^(x) = 0 exactly")
        scale = sum(np.abs(m.s) @ np.abs(inst.b) for m in modes)
        ctx.record(abs(ms - total), 1e2 * EPS * scale, part="mod_sel^(x) = total")


register(Claim(
    id="linearization.activation_input_mod_zero", paper=PAPER,
    title="Input modulation is identically 0 in the activation frame",
    reference=REF.format(26),
    statement=lambda: sp.Eq(sp.Symbol(r"\mathrm{mod}_{inp}^{(x)}"), 0, evaluate=False),
    hypotheses=("inputs enter additively before φ (the model class of §3)", "two contexts with their own "
                                                                            "fixed points"),
    tolerance=Tolerance("0 (bit for bit) for Δb_x and mod_inp; 10²·ε·Σ|s||b| for mod_sel = total",
                        "b_x does not depend on the operating point, so the same code path returns "
                        "identical arrays; the remaining sum is one rounding per product",
                        kind="exact+roundoff"),
    sides=Sides(symbolic=("theory._linearization_singular.activation_input_derivative",
                          "theory._linearization_singular.selection_decomposition"),
                numeric=("numerics.linearization_singular.g_lowrank", "numerics.linearization_singular.linear_systems",
                         "numerics.linearization_singular.slow_mode", "numerics.linearization_singular.selection_split"),
                reference="the input vectors of two context operating points and the split of their "
                          "slow modes' totals"),
    symbolic=_sym_26, numeric=_num_26,
    expressions=lambda: {"b_x": T.activation_input_derivative(2)[0]},
    note="Core: 'some context effects are apparent only after the nonlinearity'. Multiplicative gating "
         "is outside the model class (not applicable).",
    cost=1.0,
))


# ----------------------------------------------------------------------------- 27 frame_invariant_total

def _sym_27():
    ratio, rem = T.unit_rho_ratio()
    ok = T.consistent_total_identity() and rem == 0
    return Proof(bool(ok), "s_rᵀ(Db) = (Ds_r)ᵀb (MatrixSymbol, D diagonal); unit ρ and s·ρ = 1 give "
                           f"s_r·b_r = {ratio}·(s_x·b) with ν = ‖Dρ_x‖")


def _totals(ctx, J, b, w, d, tag, **info):
    ls = NS.linear_systems(J, b[:, None], w, d)
    bb = ls["b_r"][:, 0]
    mx = NS.slow_mode(ls["A_x"], ls["c_x"])
    mr = NS.slow_mode(ls["A_r"], ls["c_r"])
    if mx.reason or mr.reason:
        ctx.skip(f"{tag}: {mx.reason or mr.reason}")
        return None
    lam = mx.lam
    if abs(lam + 1) <= 1e-8:
        ctx.skip(f"{tag}: slow eigenvalue is −1")
        return None
    kappa = max(mx.kappa, mr.kappa)
    tol = 1e3 * EPS * kappa * max(np.linalg.norm(J, 2), 1.0) / abs(lam + 1)
    Drho = d * mx.rho
    nu = np.linalg.norm(Drho)
    # unit ρ: s_r·b_r = ‖Dρ_x‖ (s_x·b)
    scale = nu * np.linalg.norm(mx.s) * np.linalg.norm(b)
    ctx.record(abs(mr.s @ bb - nu * (mx.s @ b)) / scale, tol, frame_pair=tag, kappa=kappa, part="unit ρ ratio", **info)
    # consistent scaling: ρ_r = Dρ_x, s_r = Jᵀs_x/(λ+1)
    s_cons = J.T @ mx.s / (lam + 1)
    ctx.record(abs(s_cons @ Drho - mx.s @ mx.rho), tol, part="s_r·ρ_r = s_x·ρ_x (consistent)")
    ctx.record(abs(s_cons @ bb - mx.s @ b) / (np.linalg.norm(mx.s) * np.linalg.norm(b)), tol,
               part="s_r·(Db) = s_x·b (consistent)")
    # readout level, any normalisation
    lhs, rhs = (ls["c_r"] @ mr.rho) * (mr.s @ bb), (ls["c_x"] @ mx.rho) * (mx.s @ b)
    ctx.record(abs(lhs - rhs) / (np.linalg.norm(w) * np.max(np.abs(d)) * np.linalg.norm(mx.s) * np.linalg.norm(b)),
               tol, part="readout level")
    return mx, mr, nu


def _num_27(ctx):
    for rng in ctx.instances():
        inst = NA.g_smooth(rng, n=_n_small(rng, 2, 12))
        _totals(ctx, inst.J, inst.B[:, 0], inst.w, inst.gains, "G-smooth", n=inst.n)
        sil = NA.g_silent(rng, n=_n_small(rng, 3, 12))
        _totals(ctx, sil.J, sil.B[:, 0], sil.w, sil.gains, "G-silent", n=sil.n)
    for rng in ctx.instances(count=2, start=100):
        lr = NS.g_lowrank(rng, n_max=_n_max(ctx))
        _totals(ctx, lr.J, lr.b, lr.w, lr.gains(0), "G-lowrank", n=lr.n)


register(Claim(
    id="linearization.frame_invariant_total", paper=PAPER,
    title="Integrated amount: equal (consistent scaling) or ratio ‖Dρ_x‖ (unit ρ)",
    reference=REF.format(27),
    statement=lambda: sp.Eq(_col("s_r").T * _col("b_r"), sp.Symbol("nu") * _col("s_x").T * _col("b"),
                            evaluate=False),
    hypotheses=("the slow eigenvalue λ ≠ −1 is real and simple", "‖ρ‖ = 1, s·ρ = 1, readout-positive",
                "ν = ‖Dρ_x‖ (unit ρ); ν = 1 under consistent scaling"),
    tolerance=Tolerance("relative 10³·ε·κ_λ·max(‖J‖₂, 1)/|λ+1|",
                        "κ_λ is the larger eigenvalue condition number of the two frames; the map "
                        "Jᵀ/(λ+1) amplifies rounding by ‖J‖/|λ+1| (at least 1)", kind="roundoff"),
    sides=Sides(symbolic=("theory._linearization_singular.unit_rho_ratio",
                          "theory._linearization_singular.consistent_total_identity"),
                numeric=("numerics.linearization.g_smooth", "numerics.linearization.g_silent",
                         "numerics.linearization_singular.g_lowrank", "numerics.linearization_singular.linear_systems",
                         "numerics.linearization_singular.slow_mode"),
                reference="the LAPACK slow modes of A_x and A_r, normalised (‖ρ‖ = 1, s·ρ = 1), give totals "
                          "in the ratio ‖Dρ_x‖"),
    symbolic=_sym_27, numeric=_num_27,
    network=_on_network(lambda ctx, inst, spec: _totals(ctx, inst.J, inst.B[:, 0], inst.w, inst.gains, "network"),
                        time="continuous", needs_io=True),
    expressions=lambda: {"ratio": T.unit_rho_ratio()[0]},
    note="Core in substance: the readout-level amount and the consistently scaled total are physical; "
         "the unit-ρ totals differ by the context-dependent factor ‖D_cρ_x‖.",
    cost=1.0,
))


# ------------------------------------------------------------------------------- 28 rank_one_context

def _sym_28():
    out = T.rank_one_eigensystem()
    return Proof(all(v == 0 for v in out["checks"].values()),
                 "MatrixSymbol m, n, D: nᵀA_r = λnᵀ, A_rDm = λDm, A_xm = λm, (Dn)ᵀA_x = λ(Dn)ᵀ with "
                 "λ = −1 + nᵀDm/N")


def _mode_errors(A, mode):
    """First-order error bounds of a LAPACK slow mode (claims 28, 29): eig returns the exact eigenpair
    of A + E with ‖E‖ ≤ Nε‖A‖_F; a simple eigenvector then turns by at most θ = ‖E‖κ_λ/gap (the
    separation from the rest of the spectrum, with κ_λ = 1/s_λ allowing for non-normality), so the unit
    ρ is off by θ and s = u/(u·ρ), which divides by u·ρ = 1/κ_λ, by θ(1 + 2κ_λ) relative."""
    n = A.shape[0]
    theta = n * EPS * np.linalg.norm(A) * mode.kappa / mode.gap
    return theta, theta + 4 * n * EPS, theta * (1 + 2 * mode.kappa) + 4 * n * EPS


def _sine(a, b):
    a, b = a / np.linalg.norm(a), b / np.linalg.norm(b)
    return float(np.linalg.norm(a - (b @ a) * b))


def _product_error(*pairs):
    """Absolute error bound of a product Π v_i from (|v_i|, error_i) pairs, to first order."""
    vals = [abs(v) for v, _ in pairs]
    total = 0.0
    for i, (_, e) in enumerate(pairs):
        total += e * float(np.prod([v for j, v in enumerate(vals) if j != i]))
    return total


def _rank_one_context(ctx, lr, c, tag):
    N = lr.n
    d = lr.gains(c)
    m, nv = lr.M[:, 0], lr.Y[:, 0]
    ls = NS.linear_systems(lr.J, lr.b[:, None], lr.w, d)
    Ar, Ax = ls["A_r"], ls["A_x"]
    Dm = d * m
    ndm = nv @ Dm
    if ndm == 0 or not np.any(Dm):
        raise NotApplicable("nᵀD_cm = 0 or D_cm = 0: the outlier merges with −1")
    lam = -1 + ndm / N
    tol_res = 1e2 * EPS * np.sqrt(N) * (1 + np.linalg.norm(nv) * np.linalg.norm(Dm) / N)
    for name, lhs, v in (("nᵀA_r", nv @ Ar, nv), ("A_r D m", Ar @ Dm, Dm), ("A_x m", Ax @ m, m),
                         ("(Dn)ᵀA_x", (d * nv) @ Ax, d * nv)):
        ctx.record(np.linalg.norm(lhs - lam * v) / np.linalg.norm(v), tol_res * max(np.linalg.norm(Ar), 1),
                   n=N, context=c, part=name, source=tag)
    sv = np.linalg.svd(Ar + np.eye(N), compute_uv=False)
    ctx.require(sv[1] <= 1e2 * N * EPS * sv[0], "rank(A_r + I) = 1 by an SVD gap", ratio=float(sv[1] / sv[0]))
    mr, mx = NS.slow_mode(Ar, ls["c_r"], fallback=m), NS.slow_mode(Ax, ls["c_x"], fallback=m)
    if mr.reason or mx.reason:
        ctx.skip(mr.reason or mx.reason)
        return None
    if abs(mr.lam - lam) > 1e-8 * (1 + abs(lam)):
        ctx.skip(f"slow mode is not the outlier (λ_c = {lam:.3g} < −1?): the attractor is not slow")
        return None
    # closed forms (sign fixed by the orientation rule: ρ and s flip together)
    sgn_r = np.sign(ls["c_r"] @ Dm) or 1.0
    rho_r = sgn_r * Dm / np.linalg.norm(Dm)
    s_r = sgn_r * np.linalg.norm(Dm) / ndm * nv
    sgn_x = np.sign(ls["c_x"] @ m) or 1.0
    rho_x = sgn_x * m / np.linalg.norm(m)
    s_x = sgn_x * np.linalg.norm(m) * d * nv / ndm
    th_r, tr_rho, tr_s = _mode_errors(Ar, mr)
    th_x, tx_rho, tx_s = _mode_errors(Ax, mx)
    # the closed forms round too: ‖Dm‖ and nᵀDm are length-N sums (relative Nε|n||Dm|/|nᵀDm|)
    cf = 4 * N * EPS + N * EPS * (np.abs(nv) @ np.abs(Dm)) / abs(ndm)
    for name, a, b_, tol in (("ρ_r", mr.rho, rho_r, tr_rho + cf), ("s_r", mr.s, s_r, tr_s + cf),
                             ("ρ_x", mx.rho, rho_x, tx_rho + cf), ("s_x", mx.s, s_x, tx_s + cf)):
        ctx.record(np.linalg.norm(a - b_) / np.linalg.norm(b_), tol, part=f"closed form {name}",
                   kappa=max(mr.kappa, mx.kappa))
    ctx.record(_sine(mr.s, nv), th_r + 4 * N * EPS, part="sin∠(s_r, n) = 0")
    return mr, mx, ls


def _num_28(ctx):
    for rng in ctx.instances():
        lr = NS.g_lowrank(rng, rank=1, n_max=_n_max(ctx))
        for c in (0, 1):
            try:
                _rank_one_context(ctx, lr, c, "G-lowrank")
            except NotApplicable as exc:
                ctx.skip(str(exc))
    # Reproduction R1 (N = 200 in the quick profile, N = 1000 in thorough): the frames
    # disagree on the split.
    rng = ctx.rng()
    N_r1 = 1000 if ctx.thorough else 200
    lr = NS.rank_one_network(rng, n=N_r1)
    res = []
    for c in (0, 1):
        out = _rank_one_context(ctx, lr, c, "R1")
        if out is None:
            ctx.note("R1: a context had no usable slow mode")
            return
        res.append(out)
    (mr1, mx1, ls1), (mr2, mx2, ls2) = res
    IB = np.asarray(lr.info["I_B"])
    errs = {id(m): _mode_errors(ls[k], m) for (m_r, m_x, ls_) in res
            for m, k, ls in ((m_r, "A_r", ls_), (m_x, "A_x", ls_))}
    Nn = lr.n
    ctx.record(_sine(mr1.s, mr2.s), errs[id(mr1)][0] + errs[id(mr2)][0] + 8 * Nn * EPS,
               part="R1: s_r does not rotate between contexts")
    for name, bvec in (("I_A", lr.b), ("I_B", IB)):
        d1, d2 = lr.gains(0), lr.gains(1)
        xi, xs_, xt = NS.selection_split(mx1.s, bvec, mx2.s, bvec)
        ri, rs_, rt = NS.selection_split(mr1.s, d1 * bvec, mr2.s, d2 * bvec)
        ctx.record(abs(xi), 0.0, part=f"R1 {name}: x-frame input modulation = 0")
        for mr, mx, d in ((mr1, mx1, d1), (mr2, mx2, d2)):
            nu = np.linalg.norm(d * mx.rho)
            tot_r, tot_x = mr.s @ (d * bvec), mx.s @ bvec
            _, er_rho, er_s = errs[id(mr)]
            _, ex_rho, ex_s = errs[id(mx)]
            db = d * bvec
            # first-order propagation of the vectors' errors (and one length-N dot product each)
            e_tr = er_s * np.linalg.norm(mr.s) * np.linalg.norm(db) + Nn * EPS * (np.abs(mr.s) @ np.abs(db))
            e_tx = ex_s * np.linalg.norm(mx.s) * np.linalg.norm(bvec) + Nn * EPS * (np.abs(mx.s) @ np.abs(bvec))
            e_nu = np.max(np.abs(d)) * ex_rho + Nn * EPS * nu
            tol = (e_tr + _product_error((nu, e_nu), (tot_x, e_tx))) / (abs(nu * tot_x) + 1e-300)
            ctx.record(abs(tot_r - nu * tot_x) / (abs(nu * tot_x) + 1e-300), tol,
                       part=f"R1 {name}: r/x total ratio = ‖D_cρ_x‖")
            cr_, cx_ = lr.w @ mr.rho, (d * lr.w) @ mx.rho
            e_cr = np.linalg.norm(lr.w) * er_rho + Nn * EPS * (np.abs(lr.w) @ np.abs(mr.rho))
            e_cx = np.linalg.norm(d * lr.w) * ex_rho + Nn * EPS * (np.abs(d * lr.w) @ np.abs(mx.rho))
            tol = (_product_error((cr_, e_cr), (tot_r, e_tr)) + _product_error((cx_, e_cx), (tot_x, e_tx))) \
                / (abs(cx_ * tot_x) + 1e-300)
            ctx.record(abs(cr_ * tot_r - cx_ * tot_x) / (abs(cx_ * tot_x) + 1e-300), tol,
                       part=f"R1 {name}: readout-level amounts agree")
        prop_x = xs_ / (xi + xs_) if xi + xs_ else float("nan")
        prop_r = rs_ / (ri + rs_) if ri + rs_ else float("nan")
        ctx.note(f"R1 N={N_r1} input {name}: x frame mod_inp={xi:.3g} mod_sel={xs_:.3g} (selection share "
                 f"{prop_x:.2f}); r frame mod_inp={ri:.3g} mod_sel={rs_:.3g} (selection share {prop_r:.2f}); "
                 f"fixed points from starts {lr.start}")


register(Claim(
    id="linearization.rank_one_context", paper=PAPER,
    title="Rank one: s_r ∥ n in every context; the x-frame picture is pure selection",
    reference=REF.format(28) + "; Zhang, Feng & Min 2025",
    statement=lambda: sp.Eq(sp.Symbol("s_r"), sp.Symbol(r"\sigma_c") * sp.MatrixSymbol("n", 3, 1), evaluate=False),
    hypotheses=("J = m nᵀ/N with m, n ≠ 0", "nᵀD_cm ≠ 0 and D_cm ≠ 0", "the outlier is the slow mode"),
    tolerance=Tolerance("residuals 10²·ε·√N·(1 + ‖n‖‖D_cm‖/N)·‖A‖; closed forms: ρ to θ + 4Nε, s to "
                        "θ(1 + 2κ_λ) + 4Nε, θ = Nε‖A‖_Fκ_λ/gap; sin∠(s_r, n) ≤ θ + 4Nε; totals by "
                        "first-order propagation of these",
                        "rank-one products round once per entry; eig returns the exact eigenpair of "
                        "A + E, ‖E‖ ≤ Nε‖A‖_F, and a simple eigenvector turns by ‖E‖κ_λ/gap; s·ρ = 1 "
                        "divides by 1/κ_λ", kind="roundoff"),
    sides=Sides(symbolic=("theory._linearization_singular.rank_one_eigensystem",),
                numeric=("numerics.linearization_singular.g_lowrank", "numerics.linearization_singular.rank_one_network",
                         "numerics.linearization_singular.linear_systems", "numerics.linearization_singular.slow_mode",
                         "numerics.linearization_singular.selection_split"),
                reference="LAPACK slow modes of rank-one networks in two contexts against the closed "
                          "forms ρ_r ∝ Dm, s_r ∝ n, ρ_x ∝ m, s_x ∝ Dn"),
    symbolic=_sym_28, numeric=_num_28,
    expressions=lambda: {k: v for k, v in T.rank_one_eigensystem().items() if k in ("A_r", "A_x")},
    note="Core (the rank-one argument attributed to this note by Zhang et al. 2025). Includes "
         "reproduction R1 at N = 200 (quick) or N = 1000 (thorough).",
    cost=2.0,
))


# ------------------------------------------------------------------------------- 29 low_rank_context

def _sym_29():
    eig = T.low_rank_eigensystem(2)
    ok = all(v == 0 for v in eig.values()) and T.low_rank_charpoly(3, 1) == (0, 0) and \
        T.low_rank_charpoly(3, 2) == (0, 0)
    return Proof(bool(ok), "MatrixSymbol M, Y (N×2): the four eigenvector identities reduce to Kp − μp and "
                           "aᵀK − μaᵀ; det(λI − A) = (λ+1)^{N−R}det((λ+1)I − K) at N = 3, R = 1, 2")


def _num_29(ctx):
    for rng in ctx.instances():
        lr = NS.g_lowrank(rng, n_max=_n_max(ctx))
        N, R = lr.n, lr.M.shape[1]
        import scipy.linalg as sla
        for c in (0, 1):
            d = lr.gains(c)
            ls = NS.linear_systems(lr.J, lr.b[:, None], lr.w, d)
            K = lr.Y.T @ (d[:, None] * lr.M) / N
            mu, AL, AR = sla.eig(K, left=True, right=True)
            k = int(np.argmax(mu.real))
            if abs(mu[k].imag) > 1e-12 or np.min(np.abs(np.delete(mu, k) - mu[k]), initial=np.inf) < 1e-6:
                ctx.skip("slow μ of K_c complex or repeated")
                continue
            p, a, lam = AR[:, k].real, AL[:, k].real, -1 + mu[k].real
            # orientation rule (§5.F): ρ_x ∝ Mp with c_xᵀρ_x > 0 (then c_rᵀ(DMp) > 0 too)
            p = p * (np.sign(ls["c_x"] @ (lr.M @ p)) or 1.0)
            tol_res = 1e2 * EPS * np.sqrt(N) * (1 + np.linalg.norm(lr.Y) * np.linalg.norm(d[:, None] * lr.M) / N)
            vecs = {"r right": (ls["A_r"], d * (lr.M @ p), False), "r left": (ls["A_r"], lr.Y @ a, True),
                    "x right": (ls["A_x"], lr.M @ p, False), "x left": (ls["A_x"], d * (lr.Y @ a), True)}
            for name, (A, v, left) in vecs.items():
                Av = v @ A if left else A @ v
                ctx.record(np.linalg.norm(Av - lam * v) / (np.linalg.norm(v) * max(np.linalg.norm(A), 1)), tol_res,
                           n=N, R=R, context=c, part=name)
            # outliers of A matched to −1 + μ
            w, VL, VR, s = NA.eig_condition(ls["A_r"])
            out_idx = np.argsort(-np.abs(w + 1))[:R]
            perm, dist = NA.match_eigenvalues(w[out_idx], -1 + mu)
            tol = NA.eigenvalue_tolerances(ls["A_r"], s[out_idx])
            j = int(np.argmax(dist / tol))
            ctx.record(dist[j], tol[j], part="outliers = −1 + eig(K_c)")
            mx = NS.slow_mode(ls["A_x"], ls["c_x"], fallback=lr.M[:, 0])
            mr = NS.slow_mode(ls["A_r"], ls["c_r"], fallback=lr.M[:, 0])
            if mx.reason or mr.reason:
                ctx.skip(mx.reason or mr.reason)
                continue
            den = a @ lr.Y.T @ (d * (lr.M @ p))
            if den == 0:
                ctx.skip("aᵀYᵀD_cMp = 0")
                continue
            num = a @ lr.Y.T @ (d * lr.b)
            sx_b = np.linalg.norm(lr.M @ p) * num / den
            sr_b = np.linalg.norm(d * (lr.M @ p)) * num / den
            # closed forms are sign-free: ρ and s flip together, so s·b is orientation-invariant
            # eig errors of the slow modes (first order, see _mode_errors) and of the R×R problem for K_c
            th_x, ex_rho, ex_s = _mode_errors(ls["A_x"], mx)
            th_r, er_rho, er_s = _mode_errors(ls["A_r"], mr)
            kK = 1.0 / max(abs(a @ p) / (np.linalg.norm(a) * np.linalg.norm(p)), 1e-300)
            gapK = np.min(np.abs(np.delete(mu, k) - mu[k]), initial=np.inf)
            thK = R * EPS * np.linalg.norm(K) * kK / gapK
            # the closed form: a, p from eig(K_c) turn by θ_K; its products are length-N sums
            cf = 2 * thK * (1 + kK) + 4 * N * EPS * (np.abs(a) @ np.abs(lr.Y.T) @ np.abs(d * (lr.M @ p))) / abs(den)
            sc = np.linalg.norm(mx.s) * np.linalg.norm(lr.b)
            ctx.record(abs(mx.s @ lr.b - sx_b) / sc, ex_s + cf + 2 * N * EPS, part="closed form s_x·b",
                       kappa=mx.kappa)
            scr = np.linalg.norm(mr.s) * np.linalg.norm(d * lr.b)
            ctx.record(abs(mr.s @ (d * lr.b) - sr_b) / scr, er_s + cf + 2 * N * EPS, part="closed form s_r·b_r",
                       kappa=mr.kappa)
            nu = np.linalg.norm(d * mx.rho)
            tol_nu = er_s + ex_s + np.max(np.abs(d)) * ex_rho / nu + 4 * N * EPS
            ctx.record(abs(mr.s @ (d * lr.b) - nu * (mx.s @ lr.b)) / (nu * sc), tol_nu, part="r/x ratio = ‖D_cρ_x‖")
            Q, _ = np.linalg.qr(lr.Y)
            ctx.record(np.linalg.norm(mr.s - Q @ (Q.T @ mr.s)) / np.linalg.norm(mr.s), th_r + 4 * N * EPS,
                       part="s_r ∈ span{n_k}")
            ctx.note(f"N={N} R={R} context {c}: κ_λ = {max(mx.kappa, mr.kappa):.2g}")


register(Claim(
    id="linearization.low_rank_context", paper=PAPER,
    title="Rank R: eigenpairs from K = YᵀDM/N; closed-form s·b in both frames",
    reference=REF.format(29),
    statement=lambda: sp.Eq(sp.MatrixSymbol("K_c", 2, 2),
                            sp.MatrixSymbol("Y", 4, 2).T * sp.MatrixSymbol("D_c", 4, 4) * sp.MatrixSymbol("M", 4, 2)
                            / sp.Symbol("N"), evaluate=False),
    hypotheses=("J = MYᵀ/N with M, Y ∈ ℝ^{N×R}", "the slow μ of K_c is real and simple",
                "aᵀYᵀD_cMp ≠ 0"),
    tolerance=Tolerance("residuals 10²·ε·√N·(1 + ‖Y‖‖D_cM‖/N) relative to ‖A‖‖v‖; closed forms: "
                        "θ(1 + 2κ_λ) + 2θ_K(1 + κ_K) + Nε terms, θ = Nε‖A‖_Fκ_λ/gap, θ_K = Rε‖K‖κ_K/gap_K",
                        "first-order eigenvector perturbation of the N×N slow modes and of the R×R "
                        "eigenproblem of K_c (see linearization.rank_one_context); the sums are γ_N-bounded",
                        kind="roundoff"),
    sides=Sides(symbolic=("theory._linearization_singular.low_rank_eigensystem",
                          "theory._linearization_singular.low_rank_charpoly"),
                numeric=("numerics.linearization_singular.g_lowrank", "numerics.linearization_singular.linear_systems",
                         "numerics.linearization_singular.slow_mode", "numerics.linearization.eig_condition",
                         "numerics.linearization.match_eigenvalues", "numerics.linearization.eigenvalue_tolerances"),
                reference="LAPACK eigenpairs of the R×R K_c lifted to N dimensions, against the N×N "
                          "eigenproblems of A_x and A_r"),
    symbolic=_sym_29, numeric=_num_29,
    expressions=lambda: {"charpoly difference (N=3,R=1)": T.low_rank_charpoly(3, 1)[0]},
    note="Extension generalising claim 28; supports reproduction R2.",
    cost=2.0,
))


# ==================================================================================================
# G. Discrete time
# ==================================================================================================

def _derivs_to_gains(M, points, gains):
    """Replace φ′ evaluated at ``points[i]`` (a ``Subs`` or ``Derivative`` of the generic φ) by the
    symbol ``gains[i]``, so that the SymPy Jacobian can be evaluated with numeric gains."""
    pts = list(points)

    def is_gain(e):
        return (isinstance(e, sp.Subs) and e.point[0] in pts) or \
            (isinstance(e, sp.Derivative) and e.variables[0] in pts)

    def to_gain(e):
        return gains[pts.index(e.point[0] if isinstance(e, sp.Subs) else e.variables[0])]

    out = M.replace(is_gain, to_gain)
    if any(isinstance(a, (sp.Subs, sp.Derivative)) for a in out.atoms(sp.Subs, sp.Derivative)):
        raise RuntimeError("a derivative of φ was not replaced by a gain symbol")
    return out


def _entry_laws(M, n, W, g, extra=()):
    """Entry laws of an explicit-n Jacobian: the (0, 1) entry in (w, g_row, g_col) and the (0, 0)
    entry in (w, g), checked to hold for *every* entry (the maps are permutation-equivariant, so
    the law found at n = 3 is the law at every n). Returns lambdified ``(diag, off)``."""
    w, gr, gc = sp.symbols("w g_row g_col")
    Wm = sp.Matrix(n, n, W)

    def law(i, j):
        sub = {Wm[i, j]: w, g[i]: gr} if i == j else {Wm[i, j]: w, g[i]: gr, g[j]: gc}
        return sp.expand(M[i, j].subs(sub))

    diag_law, off_law = law(0, 0), law(0, 1)
    allowed = {w, gr, gc, *extra}
    ok = all(law(i, i) == diag_law for i in range(n)) and \
        all(law(i, j) == off_law for i in range(n) for j in range(n) if i != j) and \
        diag_law.free_symbols <= allowed and off_law.free_symbols <= allowed
    if not ok:
        raise RuntimeError("the Jacobian entries do not follow one law (symbolic side)")
    args = list(extra) + [w, gr, gc]
    return sp.lambdify(args, diag_law, "numpy"), sp.lambdify(args, off_law, "numpy")


def _apply_laws(laws, W, g, *extra):
    fd, fo = laws
    n = W.shape[0]
    out = np.asarray(fo(*extra, W, g[:, None], g[None, :]), float) * np.ones((n, n))
    out[np.diag_indices(n)] = np.asarray(fd(*extra, np.diag(W), g, g), float) * np.ones(n)
    return out


@functools.lru_cache(maxsize=None)
def _vanilla_laws():
    """Entry laws of the generic-φ Jacobians of :func:`theory.vanilla_jacobians` at n = 3, with φ′
    replaced by gain symbols."""
    n = 3
    jh, _, ja, _, v, _ = T.vanilla_jacobians(n)
    W = [sp.Symbol(f"W{i + 1}{j + 1}", real=True) for i in range(n) for j in range(n)]
    c = sp.Matrix(sp.symbols(f"c1:{n + 1}", real=True))
    g = list(sp.symbols(f"g1:{n + 1}"))
    pre = list(sp.Matrix(n, n, W) * v + c)
    return (_entry_laws(_derivs_to_gains(jh, pre, g), n, W, g),
            _entry_laws(_derivs_to_gains(ja, list(v), g), n, W, g))


def _sym_30():
    ok = True
    for n in (2, 3):
        jh, DW, ja, WD, _, _ = T.vanilla_jacobians(n)
        ok &= (jh - DW).applyfunc(sp.expand).is_zero_matrix and (ja - WD).applyfunc(sp.expand).is_zero_matrix
    return Proof(bool(ok), "Matrix.jacobian with generic φ (n = 2, 3): ∂h′/∂h = diag(φ′(a))W and "
                           "∂a′/∂a = W diag(φ′(a))")


def _num_30(ctx):
    for rng in ctx.instances():
        phi = NA.SMOOTH_ACTIVATIONS[int(rng.integers(3))]
        n = _n_small(rng, 2, 10)
        inst = NA.g_smooth(rng, n=n, activation=phi, g=float(rng.uniform(0.3, 1.5)), a=float(rng.uniform(0.1, 2.0)))
        _vanilla_instance(ctx, inst)
    _vanilla_silent(ctx)


def _vanilla_instance(ctx, inst, spec=None):
    if inst.activation == "relu" and np.min(np.abs(inst.x_star)) < 1e-3:
        ctx.skip("ReLU unit within 10⁻³ of the kink: finite differences would cross it")
        return
    n, phi = inst.n, inst.activation
    act = inst.act
    W, c = inst.J, inst.B @ inst.u0 + inst.h          # a* = x* is a fixed point of a ↦ Wφ(a) + c
    a_star, h_star = inst.x_star, act.phi(inst.x_star)
    laws_h, laws_a = _vanilla_laws()
    d = act.dphi(a_star)                              # numeric gains φ′(a*) fed to SymPy's Jacobian
    Jh = _apply_laws(laws_h, W, d)
    Ja = _apply_laws(laws_a, W, d)
    # rounding of one evaluation: γ_{N+K+4} times the absolute sums of the argument, φ′ ≤ 1, then 4ε|φ|
    m = n + inst.B.shape[1] + 4
    aW, ac = np.abs(W), np.abs(c)
    rho_h = m * EPS * (aW @ np.abs(h_star) + ac) + 4 * EPS * np.abs(act.phi(a_star))
    rho_a = m * EPS * (aW @ np.abs(act.phi(a_star)) + ac)
    rho_u = m * EPS * (aW @ np.abs(h_star) + np.abs(inst.B) @ np.abs(inst.u0) + np.abs(inst.h)) \
        + 4 * EPS * np.abs(act.phi(a_star))
    fd_h, b_h = NA.fd_jacobian_bound(lambda v: act.phi(W @ v + c), h_star, rho_h)
    fd_a, b_a = NA.fd_jacobian_bound(lambda v: W @ act.phi(v) + c, a_star, rho_a)
    fd_check(ctx, fd_h, b_h, Jh, n=n, activation=phi, part="∂h′/∂h = DW")
    fd_check(ctx, fd_a, b_a, Ja, n=n, activation=phi, part="∂a′/∂a = WD")
    fd_u, b_u = NA.fd_jacobian_bound(lambda u: act.phi(W @ h_star + inst.B @ u + inst.h), inst.u0, rho_u)
    fd_check(ctx, fd_u, b_u, d[:, None] * inst.B, part="input vector DB")
    wh, _, _, sh = NA.eig_condition(Jh)
    wa, _, VRa, sa = NA.eig_condition(Ja)
    perm, dist = NA.match_eigenvalues(wh, wa)
    tol = NA.eigenvalue_tolerances(Jh, np.minimum(sh, sa[perm]))
    j = int(np.argmax(dist / tol))
    ctx.record(dist[j], tol[j], part="spectra of DW and WD coincide")
    # eigenvector map v_a = W v_h / λ (λ ≠ 0)
    _, Vh = np.linalg.eig(Jh)
    for k in range(n):
        if abs(wh[k]) < 1e-8:
            continue
        va = W @ Vh[:, k] / wh[k]
        res = np.linalg.norm(Ja @ va - wh[k] * va) / (np.linalg.norm(Ja) * np.linalg.norm(va))
        ctx.record(res, 1e2 * EPS * np.linalg.norm(W) * np.linalg.norm(Vh[:, k]) / (abs(wh[k]) * np.linalg.norm(va))
                   + 1e2 * EPS, part="v_a = Wv_h/λ")


def _vanilla_silent(ctx):
    for rng in ctx.instances(count=2, start=100):
        inst = NA.g_silent(rng, n=_n_small(rng, 3, 10), relu=True)
        d = inst.gains
        DW = d[:, None] * inst.J
        w = np.linalg.eigvals(DW)
        cnt = int(np.sum(np.abs(w) <= 1e-10 * (1 + np.linalg.norm(DW))))
        ctx.require(cnt >= len(inst.silent), "silent units give eigenvalue 0 (count ≥ |S|)", count=cnt,
                    silent=len(inst.silent))


register(Claim(
    id="linearization.discrete_vanilla", paper=PAPER,
    title="Elman RNN: Jacobians DW vs WD, inputs DB vs B",
    reference=REF.format(30),
    statement=lambda: sp.Eq(sp.Symbol(r"\partial h_{t+1} / \partial h_{t}"),
                            sp.MatrixSymbol("D", 3, 3) * sp.MatrixSymbol("W", 3, 3), evaluate=False),
    hypotheses=("(h*, a*) fixed point under constant u", "D = diag(φ′(a*))"),
    tolerance=Tolerance(FD_RULE + "; eigenvalues 10²·ε·‖A‖_F/s_i",
                        FD_REASON + "; assignment-matched spectra within first-order eigenvalue "
                        "perturbation", kind="truncation+roundoff+exact"),
    sides=Sides(symbolic=("theory._linearization_singular.vanilla_jacobians",),
                numeric=("numerics.linearization.g_smooth", "numerics.linearization.g_silent",
                         "numerics.linearization.fd_jacobian_bound", "numerics.linearization.eig_condition",
                         "numerics.linearization.match_eigenvalues", "numerics.linearization.eigenvalue_tolerances"),
                lambdified=("theory._linearization_singular.vanilla_jacobians",),
                reference="finite differences of the Elman maps h ↦ φ(Wh + c) and a ↦ Wφ(a) + c against "
                          "the lambdified SymPy entry laws of DW and WD"),
    symbolic=_sym_30, numeric=_num_30, network=_on_network(_vanilla_instance, time="discrete", leaky=False),
    expressions=lambda: {"dh'/dh": T.vanilla_jacobians(2)[0]},
    note="Extension: the discrete-time version of the core relations; 0 plays the role of −1.",
    cost=1.0,
))


# ------------------------------------------------------------------------------- 31 discrete_leaky

@functools.lru_cache(maxsize=None)
def _leaky_laws():
    """Entry laws of the generic-φ Euler-map Jacobian (theory, n = 3) in (α, J_ij, gains)."""
    n = 3
    jac, _, x = T.euler_map_jacobian(n)
    J = [sp.Symbol(f"W{i + 1}{j + 1}", real=True) for i in range(n) for j in range(n)]
    g = list(sp.symbols(f"g1:{n + 1}"))
    al = sp.Symbol("alpha", positive=True)
    return _entry_laws(_derivs_to_gains(jac, list(x), g), n, J, g, extra=(al,))


def _check_alpha(alpha):
    NS.leaky_jacobians(np.zeros((1, 1)), np.ones(1), alpha)     # validates alpha (InputError)
    return float(alpha)


@functools.lru_cache(maxsize=None)
def _euler_jacobians_proved() -> bool:
    jac, pred, _ = T.euler_map_jacobian(3)
    ok = (jac - pred).applyfunc(sp.expand).is_zero_matrix
    _, _, diff = T.induced_activity_map_jacobian(3, "tanh")
    return bool(ok and diff.is_zero_matrix)


def _sym_31():
    ok = _euler_jacobians_proved()
    return Proof(bool(ok), "n = 3: Jacobian of x ↦ x + α(−x + Jφ(x) + c) is (1−α)I + αJD; the induced r-map "
                           "φ((1−α)φ⁻¹(r) + α(Jr + c)) has Jacobian (1−α)I + αDJ at the fixed point (tanh)")


def _inverse_error(inst, r):
    """|fl(φ⁻¹(r)) − φ⁻¹(r)| ≲ 4ε|x| + 2ε|r|/φ′(x): the inverse's own rounding and r's ulp through (φ⁻¹)′."""
    x = inst.act.inverse(r)
    return x, 4 * EPS * np.abs(x) + 2 * EPS * np.abs(r) / inst.act.dphi(x)


def _xmap_rounding(inst, x, alpha):
    """Rounding of x ↦ x + αF(x): ε|x| + αρ_F + ε|x + αF|."""
    F = NA.activation_field(inst, x)
    return EPS * np.abs(x) + alpha * NA.activation_field_rounding(inst, x) + EPS * np.abs(x + alpha * F)


def _rmap_rounding(inst, r, alpha):
    """Rounding of r ↦ φ((1−α)φ⁻¹(r) + α(Jr + c)) (φ′ ≤ 1): the inverse's error times (1−α), the
    γ-bounded sum Jr + Bu₀ + h times α, the argument's ulp, then 4ε|φ|."""
    x, dx = _inverse_error(inst, r)
    m = inst.n + inst.B.shape[1] + 4
    lin = np.abs(inst.J) @ np.abs(r) + np.abs(inst.B) @ np.abs(inst.u0) + np.abs(inst.h)
    arg = (1 - alpha) * x + alpha * (inst.J @ r + inst.B @ inst.u0 + inst.h)
    return (1 - alpha) * dx + alpha * m * EPS * lin + 2 * EPS * np.abs(arg) + 4 * EPS * np.abs(inst.act.phi(arg))


def _leaky_maps(inst, alpha):
    act = inst.act
    xmap = lambda x: x + alpha * NA.activation_field(inst, x)  # noqa: E731
    rmap = lambda r: act.phi((1 - alpha) * act.inverse(r) + alpha * (inst.J @ r + inst.B @ inst.u0 + inst.h))  # noqa: E731
    return xmap, rmap


def _num_31(ctx):
    alphas = [0.2, 0.1]
    for i, rng in enumerate(ctx.instances()):
        alpha = _check_alpha(alphas[i] if i < 2 else float(rng.uniform(1e-3, 1.0)))
        phi = NA.SMOOTH_ACTIVATIONS[int(rng.integers(3))]
        inst = NA.g_smooth(rng, n=_n_small(rng, 2, 10), activation=phi, a=float(rng.uniform(0.1, 2.0)))
        _leaky_instance(ctx, inst, alpha)
    _leaky_silent(ctx)


def _leaky_instance(ctx, inst, alpha):
    n = inst.n
    if inst.activation == "relu" and np.min(np.abs(inst.x_star)) < 1e-3:
        ctx.skip("ReLU unit within 10⁻³ of the kink: finite differences would cross it")
        return
    if alpha > 1:
        ctx.note(f"alpha = {alpha:g} > 1: accepted for the algebra, outside the leaky-RNN convention")
    xmap, rmap = _leaky_maps(inst, alpha)
    Jx_sym = _apply_laws(_leaky_laws(), inst.J, inst.gains, alpha)
    fd, bnd = NA.fd_jacobian_bound(xmap, inst.x_star, _xmap_rounding(inst, inst.x_star, alpha))
    fd_check(ctx, fd, bnd, Jx_sym, n=n, alpha=alpha, part="J_x")
    d = inst.gains
    _, Jr = NS.leaky_jacobians(inst.J, d, alpha)
    if inst.act.inverse is not None and inst.activation != "linear":
        fd, bnd = NA.fd_jacobian_bound(rmap, inst.r_star, _rmap_rounding(inst, inst.r_star, alpha))
        fd_check(ctx, fd, bnd, Jr, n=n, alpha=alpha, part="J_r (induced r-map)")
    ctx.record(_rel(d[:, None] * Jx_sym, Jr @ np.diag(d)), 1e2 * EPS, part="D J_x = J_r D")
    Ax, _ = NA.jacobians(inst)
    wA = np.linalg.eigvals(Ax)
    wd, _, _, s = NA.eig_condition(Jx_sym)
    perm, dist = NA.match_eigenvalues(wd, 1 + alpha * wA)
    tol = NA.eigenvalue_tolerances(Jx_sym, s)
    j = int(np.argmax(dist / tol))
    ctx.record(dist[j], tol[j], part="λ_d = 1 + αλ")


def _leaky_silent(ctx):
    for rng in ctx.instances(count=2, start=100):
        alpha = 0.2
        inst = NA.g_silent(rng, n=_n_small(rng, 3, 10))
        Jx, _ = NS.leaky_jacobians(inst.J, inst.gains, alpha)
        w = np.linalg.eigvals(Jx)
        cnt = int(np.sum(np.abs(w - (1 - alpha)) <= 1e-10))
        ctx.require(cnt >= len(inst.silent), "silent units give λ_d = 1 − α", count=cnt, silent=len(inst.silent))


register(Claim(
    id="linearization.discrete_leaky", paper=PAPER,
    title="Leaky RNN: (1−α)I + αDJ vs (1−α)I + αJD; λ_d = 1 + αλ",
    reference=REF.format(31),
    statement=lambda: sp.Eq(sp.Symbol("J_r"), (1 - sp.Symbol("alpha")) * sp.Identity(3)
                            + sp.Symbol("alpha") * sp.MatrixSymbol("D", 3, 3) * sp.MatrixSymbol("J", 3, 3),
                            evaluate=False),
    hypotheses=("α ∈ (0, 1] (α > 1 accepted for the algebra)", "x* a fixed point"),
    tolerance=Tolerance(FD_RULE + "; D J_x = J_r D to 10²ε relative; eigenvalues 10²·ε·‖A‖_F/s_i",
                        FD_REASON + " (the r-map's rounding includes φ⁻¹'s, amplified by (φ⁻¹)′); "
                        "diagonal scalings round once per entry; assignment-matched spectra",
                        kind="truncation+roundoff+exact"),
    sides=Sides(symbolic=("theory._linearization_singular.euler_map_jacobian",
                          "theory._linearization_singular.induced_activity_map_jacobian"),
                numeric=("numerics.linearization.g_smooth", "numerics.linearization.g_silent",
                         "numerics.linearization.fd_jacobian_bound", "numerics.linearization_singular.leaky_jacobians",
                         "numerics.linearization.eig_condition", "numerics.linearization.match_eigenvalues"),
                lambdified=("theory._linearization_singular.euler_map_jacobian",),
                reference="finite differences of the leaky map in x and of the induced r-map against the "
                          "lambdified SymPy entry law and the numeric (1−α)I + αDJ"),
    symbolic=_sym_31, numeric=_num_31,
    network=_on_network(lambda ctx, inst, spec: _leaky_instance(ctx, inst, _check_alpha(spec.alpha)),
                        time="discrete", leaky=True),
    expressions=lambda: {"J_x": T.euler_map_jacobian(2)[1]},
    note="Extension. α = 0.2 and 0.1 are always among the tested values.",
    cost=1.0,
))


# ------------------------------------------------------------------------------- 32 euler_commutes

def _sym_32():
    ok = _euler_jacobians_proved() and T.euler_krylov_relation(4)
    return Proof(bool(ok), "Euler map Jacobians I + αA_x and (induced) I + αA_r at the fixed point (n = 3); "
                           "(I+αA)ᵐαb = Σ C(m,j)α^{j+1}Aʲb in the free algebra (m ≤ 4): triangular with "
                           "diagonal α^{m+1} ≠ 0, so the Krylov spaces coincide")


def _num_32(ctx):
    for rng in ctx.instances():
        alpha = float(10 ** rng.uniform(-2, 0))
        phi = NA.SMOOTH_ACTIVATIONS[int(rng.integers(3))]
        inst = NA.g_smooth(rng, n=_n_small(rng, 2, 8), activation=phi, a=float(rng.uniform(0.1, 2.0)))
        _euler_instance(ctx, inst, alpha, rng)
    _euler_krylov(ctx)


def _euler_instance(ctx, inst, alpha, rng):
    act, n = inst.act, inst.n
    if inst.activation not in NA.SMOOTH_ACTIVATIONS:
        ctx.skip(f"the r-coordinate maps need a smooth, strictly monotone φ; got {inst.activation}")
        return
    Ax, Ar = NA.jacobians(inst)
    xmap = lambda x: x + alpha * NA.activation_field(inst, x)  # noqa: E731
    r_euler = lambda r: r + alpha * NA.activity_field(inst, r)  # noqa: E731
    r_image = lambda r: act.phi(xmap(act.inverse(r)))  # noqa: E731
    I = np.eye(n)
    Ex_sym = _apply_laws(_leaky_laws(), inst.J, inst.gains, alpha)    # SymPy's Euler-map Jacobian
    fd, bnd = NA.fd_jacobian_bound(xmap, inst.x_star, _xmap_rounding(inst, inst.x_star, alpha))
    fd_check(ctx, fd, bnd, Ex_sym, alpha=alpha, part="E_x: I + αA_x")
    used_tol = fd_max_tolerance(bnd, Ex_sym)
    ctx.record(_rel(Ex_sym, I + alpha * Ax), 1e2 * EPS, part="SymPy law = I + αA_x")
    # r ↦ r + α g(r) with g the activity field: ε|r| + α ρ_g + the sum's ulp
    rho_e = EPS * np.abs(inst.r_star) + alpha * NA.activity_field_rounding(inst, inst.r_star) \
        + EPS * np.abs(inst.r_star + alpha * NA.activity_field(inst, inst.r_star))
    fd, bnd = NA.fd_jacobian_bound(r_euler, inst.r_star, rho_e)
    fd_check(ctx, fd, bnd, I + alpha * Ar, alpha=alpha, part="Euler in r: I + αA_r")
    used_tol = max(used_tol, fd_max_tolerance(bnd, I + alpha * Ar))
    # r ↦ φ(E_x(φ⁻¹(r))): φ⁻¹'s error carried through |I + αA_x|, E_x's rounding, then 4ε|φ|
    _, dx = _inverse_error(inst, inst.r_star)
    rho_i = np.abs(I + alpha * Ax) @ dx + _xmap_rounding(inst, inst.x_star, alpha) + 4 * EPS * np.abs(inst.r_star)
    fd, bnd = NA.fd_jacobian_bound(r_image, inst.r_star, rho_i)
    fd_check(ctx, fd, bnd, I + alpha * Ar, alpha=alpha, part="r-image of E_x: I + αA_r")
    used_tol = max(used_tol, fd_max_tolerance(bnd, I + alpha * Ar))
    # away from the fixed point the two r-maps differ (O(α²)), far above the tolerance
    a2 = max(alpha, 0.3)
    for _ in range(50):
        xs = inst.x_star + rng.standard_normal(n)
        F = NA.activation_field(inst, xs)
        if np.max(np.abs(F)) >= 0.1 and np.max(np.abs(xs)) <= 3 and np.max(np.abs(xs + a2 * F)) <= 8:
            break
    else:
        ctx.skip("no non-fixed point with ‖F‖ ≥ 0.1 and |x| ≤ 3 found in 50 draws")
        return
    rs = act.phi(xs)
    v1 = rs + a2 * NA.activity_field(inst, rs)
    v2 = act.phi(xs + a2 * F)
    # Not vacuous: off a fixed point the two maps differ by −(α²/2)φ″(x)F² + O(α³), which must exceed
    # 10× the largest tolerance the commutation checks above used (else those checks could not tell).
    ctx.require(np.max(np.abs(v1 - v2)) > 10 * used_tol,
                "off a fixed point the two r-maps differ by more than 10× the commutation tolerance",
                difference=float(np.max(np.abs(v1 - v2))), tolerance=used_tol, F=float(np.max(np.abs(F))))
    ctx.note(f"off the fixed point (‖F‖∞ = {np.max(np.abs(F)):.2g}, α = {a2:.2g}) the r-maps differ by "
             f"{np.max(np.abs(v1 - v2)):.2g}: commutation not applicable there")


def _euler_krylov(ctx):
    for rng in ctx.instances(count=_half(ctx), start=100):
        ex = NS.g_exact(rng)
        alpha = 0.25                                             # exact in binary: powers stay exact
        for name, A, b in (("x", -np.eye(ex.n) + ex.J * ex.d[None, :], ex.b),
                           ("r", -np.eye(ex.n) + ex.d[:, None] * ex.J, ex.d * ex.b)):
            r1 = NS.mp_krylov_rank(A, b, DPS).rank
            r2 = NS.mp_krylov_rank(np.eye(ex.n) + alpha * A, alpha * b, DPS).rank
            if r1 is None or r2 is None:
                ctx.skip("Krylov rank undetermined at 50 digits")
                continue
            ctx.require(r1 == r2, f"rank K(A, b) = rank K(I + αA, αb) ({name} frame)", ranks=[r1, r2])


register(Claim(
    id="linearization.euler_commutes", paper=PAPER,
    title="Euler discretisation commutes with linearization at fixed points",
    reference=REF.format(32) + "; Caruso & Jarne 2023",
    statement=lambda: sp.Eq(sp.Symbol(r"\partial_{x} E_{\alpha}(x^{*})"), sp.Identity(3) + sp.Symbol("alpha")
                            * sp.MatrixSymbol("A_x", 3, 3), evaluate=False),
    hypotheses=("F(x*) = 0", "α = Δt/τ > 0"),
    tolerance=Tolerance(FD_RULE + "; Krylov ranks gap-tested at 50 digits",
                        FD_REASON + " (r-coordinate maps include φ⁻¹'s rounding, amplified by (φ⁻¹)′); "
                        "ranks never from float64", kind="truncation+roundoff+exact"),
    sides=Sides(symbolic=("theory._linearization_singular.euler_map_jacobian",
                          "theory._linearization_singular.induced_activity_map_jacobian",
                          "theory._linearization_singular.euler_krylov_relation"),
                numeric=("numerics.linearization.g_smooth", "numerics.linearization.fd_jacobian_bound",
                         "numerics.linearization.activation_field", "numerics.linearization.activity_field",
                         "numerics.linearization_singular.g_exact", "numerics.linearization_singular.mp_krylov_rank"),
                lambdified=("theory._linearization_singular.euler_map_jacobian",),
                reference="finite differences of the Euler maps in x and in r (and of the r-image of the "
                          "x-map) against I + αA; 50-digit Krylov ranks before and after discretisation"),
    symbolic=_sym_32, numeric=_num_32,
    network=_on_network(lambda ctx, inst, spec: _euler_instance(ctx, inst, 0.1, ctx.rng(1)), time="continuous"),
    expressions=lambda: {"E_x Jacobian": T.euler_map_jacobian(2)[1]},
    note="Extension. Off fixed points the r-coordinate Euler map and the image of the x-coordinate one "
         "differ; the check shows it, so the commutation test is not vacuous.",
    cost=1.0,
))
