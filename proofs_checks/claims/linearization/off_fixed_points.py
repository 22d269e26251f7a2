r"""Away from fixed points: claims 17–18 of the linearization paper.

The extra trajectory term of the activity Jacobian, and the frame mismatch at a slow point.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from numerics import get_activation
from numerics import linearization as NA
from numerics import linearization_singular as NS
from proofs_checks.registry import Claim, NotApplicable, Proof, Sides, Tolerance, register
from theory import _linearization_singular as T
from ._checks import (EPS, FD_REASON, FD_RULE, PAPER, REF, _map_rounding, _on_network, fd_check,
                      fd_max_tolerance)
from ._instances import _n_small, instance_edges, searching


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
        instance_edges(ctx, inst)
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
    if used and searching(ctx) and not biggest > 10.0:
        # A drawn instance on which the trajectory term is tiny (F ≈ 0, ψ ≈ 0) says nothing about
        # it; seeded draws are informative by construction, so there the guard below must hold.
        ctx.skip("the trajectory term is below 10× the tolerance on this draw (uninformative)")
    elif used:
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
        instance_edges(ctx, inst)
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


class _UnderflowSafeDirections:
    """``rng`` whose normal vectors are rescaled by a power of two when their 2-norm would
    underflow. ``slow_point`` uses only the direction ξ/‖ξ‖₂ of its draw, and ‖ξ‖₂ = √Σξᵢ² loses
    every digit once max|ξᵢ| < √(smallest normal) ≈ 1.5·10⁻¹⁵⁴ (a search draws ξ = (0, 4·10⁻²³⁹):
    ‖ξ‖₂ = 0, so ξ/‖ξ‖₂ is NaN). Multiplying by 2^(−e), max|ξᵢ| = m·2^e, is exact and keeps the
    direction; seeded Gaussian draws never come near the threshold, so the run stream is unchanged."""

    _THRESHOLD = float(np.sqrt(np.finfo(float).tiny))

    def __init__(self, rng):
        self._rng = rng

    def standard_normal(self, size=None, **kwargs):
        xi = self._rng.standard_normal(size, **kwargs)
        top = float(np.max(np.abs(xi))) if np.size(xi) else 0.0
        if 0.0 < top < self._THRESHOLD:
            xi = np.ldexp(xi, -int(np.frexp(top)[1]))
        return xi

    def __getattr__(self, name):
        return getattr(self._rng, name)


def _slow_instance(ctx, inst, q_target, rng):
    phi = inst.activation
    if phi not in NA.SMOOTH_ACTIVATIONS:
        ctx.skip(f"φ = {phi}: needs a C² activation with φ′ > 0")
        return
    act = inst.act
    xs, q, method = NS.slow_point(inst, q_target, _UnderflowSafeDirections(rng))
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
