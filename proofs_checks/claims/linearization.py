r"""Claims 1–16 of the linearization paper (models and frames, relations, eigenvectors and invariants).

Pagan, Valente, Ostojic & Brody (2023), arXiv:2309.04030. Each claim pairs a SymPy derivation from
:mod:`theory.linearization` with an independent numeric witness from :mod:`numerics.linearization`
(finite differences, ``solve_ivp``, ``expm``, LAPACK eigensolvers, mpmath references). Claims
17–32 (part B) live in ``_linearization_singular`` and register after these.

Conventions: $A_x=-I+JD$, $A_r=-I+DJ$, $D=\operatorname{diag}(\phi'(x^*))$, ε = 2⁻⁵².
"""

from __future__ import annotations

import importlib
import importlib.util
from functools import lru_cache

import numpy as np
import scipy.linalg as sla
import sympy
from scipy.integrate import solve_ivp
from scipy.optimize import root

from numerics import InputError
from numerics import linearization as N
from proofs_checks.registry import Claim, NotApplicable, Proof, Sides, Tolerance, register
from theory import linearization as T

EPS = N.EPS
REF = "Pagan, Valente, Ostojic & Brody 2023 (arXiv:2309.04030); rnnproof claim {} of the paper"
PAPER = "linearization"


# ------------------------------------------------------------------------------------------------
# shared helpers
# ------------------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _jacobian_functions(n: int):
    """Lambdified theory Jacobians $(A_x, A_r)(J, D)$ at size n (MatrixSymbol -> numpy)."""
    Jn, Dn = sympy.MatrixSymbol("J", n, n), sympy.MatrixSymbol("D", n, n)
    fx = sympy.lambdify([Jn, Dn], T.activation_jacobian(Jn, Dn), "numpy")
    fr = sympy.lambdify([Jn, Dn], T.activity_jacobian(Jn, Dn), "numpy")
    return fx, fr


def _theory_jacobians(J, d):
    fx, fr = _jacobian_functions(J.shape[0])
    Dm = np.diag(d)
    return np.asarray(fx(J, Dm), float), np.asarray(fr(J, Dm), float)


@lru_cache(maxsize=None)
def _activity_pointwise(activation: str):
    expr, r_, s_ = T.activity_pointwise(activation)
    return sympy.lambdify([r_, s_], expr, "numpy")


def _require_zero(*exprs) -> bool:
    out = True
    for e in exprs:
        if isinstance(e, sympy.MatrixBase):
            out &= bool(e.is_zero_matrix)
        elif isinstance(e, sympy.MatrixExpr):
            out &= bool(e.is_ZeroMatrix)
        else:
            out &= sympy.expand(e) == 0
    return out


def _generator_cycle(ctx, gens, start=0):
    """Yield (name, instance) cycling through ``gens`` (list of (name, fn(rng)))."""
    for i, rng in enumerate(ctx.instances(start=start)):
        name, fn = gens[i % len(gens)]
        yield name, fn(rng)


def network_fixed_points(ctx, spec):
    """Every fixed point Newton finds for the user's network, as linearization instances (each
    noted in the report with its start, residual and silent units); ``NotApplicable`` if none.
    Shared by the network hooks of claims 1–16 and 17–32."""
    try:
        insts, fps = N.instance_from_spec(spec, rng=ctx.rng(), n_random=2)
    except InputError as exc:
        raise NotApplicable(f"fixed point: {exc}") from None
    if not insts:
        raise NotApplicable(f"Newton found no fixed point (best residual {fps[0].residual:.3g} from "
                            f"start {fps[0].start}); the claims need F(x*) = 0")
    for inst in insts:
        ctx.note(f"fixed point from start {inst.info['start']}, residual {inst.residual:.2e}, "
                 f"{len(inst.silent)} silent unit(s)")
    return insts


def _network_hook(check, *, continuous_only=False, all_gains_nonzero=False):
    """Run the per-instance ``check(ctx, inst)`` on a user's network at each of its fixed points."""

    def hook(ctx, spec):
        if continuous_only and spec.time != "continuous":
            raise NotApplicable("a statement about the continuous-time ODE; this network is discrete "
                                "(see linearization.discrete_vanilla / discrete_leaky)")
        for inst in network_fixed_points(ctx, spec):
            if all_gains_nonzero and np.any(inst.gains == 0):
                ctx.skip("singular gains; the intertwining holds, and the Jordan structure at −1 may "
                         "differ: see linearization.jordan_at_minus_one")
                continue
            check(ctx, inst)

    return hook


def _norm2(A):
    return float(np.linalg.norm(A, 2))


# Safety factor on the finite-difference bound of numerics.fd_jacobian_bound: its Richardson term
# is the h² error to leading order (the h⁴ remainder is over-covered 5×), and its rounding term is
# a worst-case γ bound; 2 covers the O(h²)-relative slack of the leading-order estimate.
FD_SAFETY = 2.0
FD_RULE = ("finite differences, entrywise: 2·(|D_2h − D_h|/3 + ρ_i/h_j + ε|D_ij|(1+|x_j|)/h_j) "
           "+ 4ε(1 + |A_ij|), h_j = ε^{1/3}(1+|x_j|)")
FD_REASON = ("central differences have error Ch² + O(h⁴) (the Richardson difference of steps h and "
             "2h estimates Ch²) plus rounding: ρ_i bounds one evaluation of the field (γ bound on "
             "its sums) and the quotient divides it by h_j; the exact side rounds once per entry")


def fd_check(ctx, fd, bound, exact, **info) -> bool:
    """Record the worst entry of ``|fd − exact|`` against ``FD_SAFETY·bound + 4ε(1 + |exact|)``
    (``bound`` from :func:`numerics.linearization.fd_jacobian_bound`). Shared by claims 1–32."""
    fd, exact = np.atleast_2d(fd), np.atleast_2d(np.asarray(exact, dtype=float))
    err = np.abs(fd - exact)
    tol = FD_SAFETY * np.atleast_2d(bound) + 4 * EPS * (1.0 + np.abs(exact))
    k = np.unravel_index(int(np.argmax(err / tol)), err.shape)
    return ctx.record(err[k], tol[k], entry=[int(k[0]), int(k[1])], **info)


def fd_max_tolerance(bound, exact) -> float:
    """The largest tolerance :func:`fd_check` would use on these arrays."""
    return float(np.max(FD_SAFETY * np.atleast_2d(bound) + 4 * EPS * (1.0 + np.abs(np.atleast_2d(exact)))))


# ------------------------------------------------------------------------------------------------
# 1. activity_ode
# ------------------------------------------------------------------------------------------------
def _activity_ode_symbolic():
    generic = T.chain_rule_identity()
    tanh = T.chain_rule_identity("tanh")
    expr, r_, s_ = T.activity_pointwise("tanh")
    tanh_form = sympy.simplify(expr - (1 - r_ ** 2) * (s_ - sympy.atanh(r_)))
    ok = _require_zero(generic, tanh, tanh_form)
    return Proof(ok, "τ d/dt φ(x_i) − φ′(x_i)F_i = 0 by the chain rule for an undefined Function φ "
                     "(componentwise, so every n); for tanh φ′ = 1 − φ², giving (1−r²)(s − artanh r)")


def _activity_ode_instance(ctx, inst, rng):
    if not inst.act.strictly_monotone or inst.activation == "linear":
        raise NotApplicable("activity form is not closed in r; silent units need x")
    g = _activity_pointwise(inst.activation)
    tau = inst.tau_vector
    K = inst.B.shape[1]
    omega = rng.uniform(0.5, 3.0, K)
    phase = rng.uniform(0, 2 * np.pi, K)
    amp = 0.5

    def u(t):
        return inst.u0 + amp * np.sin(omega * t + phase)

    x0 = np.clip(inst.x_star + 0.3 * rng.standard_normal(inst.n), -2.5, 2.5)
    t_end = 3.0
    t_eval = np.linspace(0.0, t_end, 61)
    r0 = inst.act.phi(x0)

    def solve(rtol, atol):
        kw = dict(method="DOP853", rtol=rtol, atol=atol, t_eval=t_eval)
        sx = solve_ivp(lambda t, x: N.activation_field(inst, x, u(t)) / tau, (0, t_end), x0, **kw)
        sr = solve_ivp(lambda t, r: g(r, inst.J @ r + inst.B @ u(t) + inst.h) / tau, (0, t_end), r0, **kw)
        return sx, sr

    sx, sr = solve(1e-13, 1e-15)
    cx, cr = solve(1e-11, 1e-13)            # 100× looser: an a posteriori error level
    if not all(s.success for s in (sx, sr, cx, cr)):
        ctx.skip(f"integrator failed: {sx.message} / {sr.message}")
        return
    xmax = float(np.max(np.abs(sx.y)))
    err = float(np.max(np.abs(inst.act.phi(sx.y) - sr.y)))
    # Truncation: the global error decreases with the tolerance, so |y_coarse − y_fine| bounds the
    # error of the coarse run and hence (≈100× over) that of the fine one; the x error reaches r
    # through φ′ ≤ max φ′(x(t)) (mean value theorem); rounding floor 8ε(1 + |r|).
    dphi_max = float(np.max(inst.act.dphi(sx.y)))
    est = dphi_max * np.abs(cx.y - sx.y).max(axis=0) + np.abs(cr.y - sr.y).max(axis=0)
    tol = float(np.max(est + 8 * EPS * (1.0 + np.abs(sr.y).max(axis=0))))
    ctx.record(err, tol, n=inst.n, activation=inst.activation, max_abs_x=xmax)


def _activity_ode_numeric(ctx):
    for rng in ctx.instances():
        inst = N.g_smooth(rng, n=int(rng.integers(2, 16)), a_range=(0.1, 2.0))
        _activity_ode_instance(ctx, inst, rng)


def _activity_ode_network(ctx, spec):
    if spec.time != "continuous":
        raise NotApplicable("a statement about the continuous-time ODE; this network is discrete")
    act = spec.act
    if not act.strictly_monotone or spec.activation == "linear":
        raise NotApplicable("activity form is not closed in r; silent units need x")
    insts, fps = N.instance_from_spec(spec, rng=ctx.rng(), n_random=0)
    if not insts:
        raise NotApplicable(f"no fixed point found (residual {fps[0].residual:.3g})")
    _activity_ode_instance(ctx, insts[0], ctx.rng(1))


register(Claim(
    id="linearization.activity_ode", paper=PAPER,
    title="Activation and activity ODEs describe the same trajectories",
    reference=REF.format(1),
    statement=T.STATEMENTS["linearization.activity_ode"],
    hypotheses=("φ is C¹ with φ′ > 0", "u is piecewise continuous",
                "r = φ(x) stays in the range of φ"),
    tolerance=Tolerance("max_t ‖φ(x(t)) − r(t)‖_∞ ≤ max_t(max φ′·|x_c − x_f| + |r_c − r_f|) + 8ε(1+|r|), "
                        "f: DOP853 at rtol 10⁻¹³, c: at rtol 10⁻¹¹",
                        "a posteriori integrator error: the global error falls with the tolerance, so "
                        "the difference of a 100× looser run bounds the looser run's error and hence "
                        "(about 100× over) the fine runs'; x errors reach r through φ′",
                        kind="truncation"),
    sides=Sides(symbolic=("theory.linearization.chain_rule_identity", "theory.linearization.activity_pointwise"),
                numeric=("numerics.linearization.g_smooth", "numerics.linearization.activation_field"),
                lambdified=("theory.linearization.activity_pointwise",),
                reference="solve_ivp (DOP853) of the activation ODE mapped by φ, against solve_ivp of the "
                          "activity ODE whose right-hand side is the lambdified SymPy form"),
    symbolic=_activity_ode_symbolic, numeric=_activity_ode_numeric, network=_activity_ode_network,
    expressions=lambda: {"activity model (n = 2, tanh)": T.activity_model(2, "tanh").equation(),
                         "chain rule": T.STATEMENTS["linearization.activity_ode"]()},
    note="Supporting; the premise of the abstract. Instances draw a ∈ [0.1, 2].",
    cost=2.0,
))


# ------------------------------------------------------------------------------------------------
# 2. rate_model_equivalence
# ------------------------------------------------------------------------------------------------
def _rate_symbolic():
    ok = True
    for n in (2, 3):
        sysm = T.linear_systems(T.rate_model(n))
        A, b, _ = sysm["activity"]
        d = sysm["gains"]
        m = T.rate_model(n)
        ok &= _require_zero(A - T.activity_jacobian(m.J, d), b - sympy.diag(*d) * m.b)
    ok &= _require_zero(T.rate_model_ydot_identity(2), T.rate_model_ydot_identity(3, "tanh"))
    return Proof(ok, "Matrix.jacobian of −r + φ(Jr + bu + h) is −I + diag(φ′(y))J with input vector "
                     "diag(φ′(y))b (n = 2, 3, generic φ); τ dy/dt = −y + Jφ(y) + Bu + h + τB du/dt by substitution")


def _rate_instance(ctx, inst):
    act = inst.act
    c = inst.B @ inst.u0 + inst.h
    if inst.activation == "relu":
        r_star = act.phi(inst.x_star)       # planted: y* = x*, r* = relu(x*)
    else:
        sol = root(lambda r: N.rate_field(inst, r), np.zeros(inst.n), method="hybr", tol=1e-15)
        if not sol.success:
            ctx.skip(f"rate-model root finder did not converge: {sol.message}")
            return
        r_star = sol.x
        for _ in range(2):   # polish with the finite-difference Jacobian of the rate field
            Jfd = N.fd_jacobian(lambda r: N.rate_field(inst, r), r_star)
            r_star = r_star - np.linalg.solve(Jfd, N.rate_field(inst, r_star))
    y_star = inst.J @ r_star + c
    F = N.activation_field(inst, y_star)
    # F(y*) = J(φ(y*) − r*) = J q with q = rate_field(r*), plus the rounding of forming y* and of
    # evaluating F: |F_i| ≤ (|J||q|)_i + ρ_q + γ(|J||r*| + |c|)_i + ρ_F,i.
    m = inst.n + inst.B.shape[1] + 4
    S_y = np.abs(inst.J) @ np.abs(r_star) + np.abs(c)
    rho_rate = EPS * np.abs(r_star) + m * EPS * S_y + 4 * EPS * np.abs(act.phi(y_star))
    q = np.abs(N.rate_field(inst, r_star)) + rho_rate
    tol = np.abs(inst.J) @ q + m * EPS * S_y + N.activation_field_rounding(inst, y_star)
    i = int(np.argmax(np.abs(F) / tol))
    ctx.record(abs(F[i]), tol[i], check="|F(y*)| of the mapped rate fixed point", n=inst.n,
               activation=inst.activation)
    d = act.dphi(y_star)
    if inst.activation == "relu" and np.min(np.abs(y_star)) < 1e-3:
        ctx.skip("ReLU unit within the margin of 0: gain undefined")
        return
    A_theory = _theory_jacobians(inst.J, d)[1]

    def rate_rounding(r, u):
        # −r + φ(Jr + Bu + h): φ′ ≤ 1 for every supported φ carries the argument's γ bound
        S = np.abs(inst.J) @ np.abs(r) + np.abs(inst.B) @ np.abs(u) + np.abs(inst.h)
        return EPS * np.abs(r) + m * EPS * S + 4 * EPS * (1.0 + np.abs(r))

    A_fd, bound = N.fd_jacobian_bound(lambda r: N.rate_field(inst, r), r_star, rate_rounding(r_star, inst.u0))
    fd_check(ctx, A_fd, bound, A_theory, check="FD Jacobian of the rate field vs −I + D(y*)J", n=inst.n,
             activation=inst.activation)
    if inst.B.shape[1]:
        b_fd, bound = N.fd_jacobian_bound(lambda u: N.rate_field(inst, r_star, u), inst.u0,
                                          rate_rounding(r_star, inst.u0))
        fd_check(ctx, b_fd, bound, d[:, None] * inst.B, check="FD input matrix vs D(y*)B", n=inst.n)


def _rate_numeric(ctx):
    gens = [("G-smooth", lambda rng: N.g_smooth(rng, g=float(rng.uniform(0.3, 0.9)))),
            ("G-silent ReLU", lambda rng: N.g_silent(rng, relu=True))]
    for _, inst in _generator_cycle(ctx, gens):
        _rate_instance(ctx, inst)


register(Claim(
    id="linearization.rate_model_equivalence", paper=PAPER,
    title="τ dr/dt = −r + φ(Jr+Bu) is the activation model in disguise",
    reference=REF.format(2),
    statement=T.STATEMENTS["linearization.rate_model_equivalence"],
    hypotheses=("r* is a fixed point of τ dr/dt = −r + φ(Jr + Bu₀ + h)", "φ is C¹ (ReLU: away from 0)"),
    tolerance=Tolerance("|F(y*)_i| ≤ (|J||q|)_i + γ(|J||r*| + |c|)_i + ρ_F,i with q = rate residual at r*; "
                        "Jacobians: " + FD_RULE,
                        "F(y*) = J(φ(y*) − r*) = Jq exactly, so the rate residual and the rounding of "
                        "y* and of F bound it; " + FD_REASON,
                        kind="truncation+roundoff"),
    sides=Sides(symbolic=("theory.linearization.linear_systems", "theory.linearization.rate_model",
                          "theory.linearization.activity_jacobian", "theory.linearization.rate_model_ydot_identity"),
                numeric=("numerics.linearization.g_smooth", "numerics.linearization.g_silent",
                         "numerics.linearization.rate_field", "numerics.linearization.activation_field",
                         "numerics.linearization.fd_jacobian_bound"),
                lambdified=("theory.linearization.activation_jacobian", "theory.linearization.activity_jacobian"),
                reference="scipy root of the rate field mapped to y* = Jr* + c and checked in the "
                          "activation field; finite-difference Jacobians of the rate field against "
                          "the lambdified −I + DJ"),
    symbolic=_rate_symbolic, numeric=_rate_numeric,
    expressions=lambda: {"rate model (n = 2)": T.rate_model(2).equation(),
                         "y": T.STATEMENTS["linearization.rate_model_equivalence"]()},
    note="Extension (Miller & Fumarola 2012). G-smooth draws use g ≤ 0.9 so the rate map has a "
         "fixed point the root finder reaches from 0; the time-varying dy/dt identity is symbolic only.",
))


# ------------------------------------------------------------------------------------------------
# 3. hetero_tau
# ------------------------------------------------------------------------------------------------
def _hetero_symbolic():
    res = T.hetero_tau_residuals(3)
    return Proof(all(m.is_zero_matrix for m in res.values()),
                 "n = 3, diagonal symbols d_i, τ_i: D T⁻¹A_x = T⁻¹A_r D, and the mapped vectors' "
                 "residuals equal (I+λT)⁻¹ times the r-frame residual (exact rational functions)")


def _hetero_instance(ctx, inst):
    taus = inst.tau_vector
    d = inst.gains
    A_x, A_r = N.jacobians(inst)
    Jx, Jr = A_x / taus[:, None], A_r / taus[:, None]
    nJ = _norm2(inst.J)
    scale = max(_norm2(Jx), _norm2(Jr))
    for frame, (Ja, Jb) in (("x->r", (Jx, Jr)), ("r->x", (Jr, Jx))):
        lam, V = np.linalg.eig(Ja)
        for k in range(inst.n):
            den = np.min(np.abs(1 + lam[k] * taus))
            if den < 1e-8:
                ctx.skip(f"eigenpair {k}: 1 + λτ_i = 0 for some i; the D⁻¹-free map is not applicable")
                continue
            amp = max(1.0, nJ / den)
            v = V[:, k]
            if frame == "x->r":
                mapped = d * v
            else:
                mapped = (inst.J @ v) / (1 + lam[k] * taus)
            nm = np.linalg.norm(mapped)
            if nm == 0:
                ctx.skip(f"eigenpair {k}: Dv = 0 (silent eigenvector)")
                continue
            res = np.linalg.norm(Jb @ mapped - lam[k] * mapped) / (scale * nm)
            # Relative residual of the mapped vector; the map amplifies rounding by ‖v‖/‖Dv‖ ≤ amp.
            amp_k = max(amp, np.linalg.norm(v) / nm * (np.max(np.abs(d)) if frame == "x->r" else 1.0))
            ctx.record(res, 10 * (inst.n + 1) * EPS * amp_k, frame=frame, n=inst.n, amp=amp_k,
                       tau_range=[float(taus.min()), float(taus.max())])
    # left maps: u_x = D u_r; u_r = (T^{-1} + λ)^{-1} J^T T^{-1} u_x
    lam, VL = sla.eig(Jx, left=True, right=False)
    for k in range(inst.n):
        den = np.min(np.abs(1 / taus + lam[k]) * taus)
        if den < 1e-8:
            continue
        ux = VL[:, k].conj()
        ur = (inst.J.T @ (ux / taus)) / (1 / taus + lam[k])
        nr = np.linalg.norm(ur)
        res = np.linalg.norm(Jr.T @ ur - lam[k] * ur) / (scale * nr)
        amp_k = max(1.0, nJ / den)
        ctx.record(res, 10 * (inst.n + 1) * EPS * amp_k, frame="left x->r", n=inst.n, amp=amp_k)


def _hetero_numeric(ctx):
    for rng in ctx.instances():
        inst = N.g_smooth(rng)
        inst = inst.with_tau(10.0 ** rng.uniform(-1.0, 1.0, inst.n))
        _hetero_instance(ctx, inst)


register(Claim(
    id="linearization.hetero_tau", paper=PAPER,
    title="Per-unit time constants keep the intertwining; eigenvector maps",
    reference=REF.format(3),
    statement=T.STATEMENTS["linearization.hetero_tau"],
    hypotheses=("T = diag(τ_i) with τ_i > 0", "1 + λτ_i ≠ 0 for the mapped eigenpair"),
    tolerance=Tolerance("‖Jac v − λv‖/(‖Jac‖‖v‖) ≤ 10·(N+1)·ε·amp, amp = max(1, ‖J‖·max_i|1+λτ_i|⁻¹, "
                        "‖D‖‖v‖/‖Dv‖)",
                        "eig is backward stable (residual ≲ Nε‖A‖‖v‖, the size factor N from its "
                        "Householder steps and the residual's matrix–vector product); the reverse maps "
                        "multiply it by at most ‖J‖·max_i|1+λτ_i|⁻¹, the forward map v_r = Dv_x by ‖D‖‖v‖/‖Dv‖",
                        kind="roundoff"),
    sides=Sides(symbolic=("theory.linearization.hetero_tau_residuals",),
                numeric=("numerics.linearization.g_smooth", "numerics.linearization.jacobians"),
                reference="LAPACK eigenpairs of T⁻¹A_x (and of its transpose), mapped by D or by "
                          "(I+λT)⁻¹J, give small residuals in T⁻¹A_r"),
    symbolic=_hetero_symbolic, numeric=_hetero_numeric,
    network=_network_hook(_hetero_instance, continuous_only=True),
    expressions=lambda: {k: d.relation() for k, d in T.hetero_tau_eigvec_maps().items()},
    note="Extension. τ_i log-uniform in [0.1, 10].",
))


# ------------------------------------------------------------------------------------------------
# 4. two_linearizations
# ------------------------------------------------------------------------------------------------
def _two_symbolic():
    sysm = T.linear_systems(T.activation_model(3))
    d = sysm["gains"]
    m = T.activation_model(3)
    A_x, b_x, c_x = sysm["activation"]
    A_r, b_r, c_r = sysm["activity"]
    Dm = sympy.diag(*d)
    ok = _require_zero(A_x - T.activation_jacobian(m.J, d), A_r - T.activity_jacobian(m.J, d),
                       b_x - m.b, b_r - Dm * m.b, c_x - Dm * m.w, c_r - m.w)
    return Proof(ok, "n = 3, undefined φ: Matrix.jacobian gives −I + J diag(φ′); the activity field "
                     "φ′(x)⊙F differentiated by the chain rule at F = 0 gives −I + diag(φ′)J; ∂/∂u "
                     "gives b and diag(φ′)b")


def _two_instance(ctx, inst):
    if inst.residual > 1e-13 * (1 + np.max(np.abs(inst.x_star))):
        ctx.skip(f"residual {inst.residual:.2e} > 10⁻¹³: see linearization.slow_point_mismatch")
        return
    d = inst.gains
    A_x, A_r = _theory_jacobians(inst.J, d)
    rho_F = N.activation_field_rounding(inst, inst.x_star)
    Fx, bound = N.fd_jacobian_bound(lambda x: N.activation_field(inst, x), inst.x_star, rho_F)
    fd_check(ctx, Fx, bound, A_x, frame="activation", n=inst.n, activation=inst.activation)
    if inst.act.strictly_monotone and inst.activation != "linear":
        if np.max(np.abs(inst.x_star)) > 3.0:
            ctx.skip("|x*| > 3: the r-frame finite-difference witness is restricted to |x| ≤ 3, where "
                     "artanh′ stays below 10²")
        else:
            # Difference the activity field along r = φ(x) in x coordinates and map the columns by
            # dr = D dx (artanh′ blows up near |r| = 1, so r-coordinate steps lose digits).
            act = inst.act
            rho_g = N.activity_field_rounding(inst, inst.r_star, x_coordinates=True)
            G, bound = N.fd_jacobian_bound(lambda x: N.activity_field(inst, act.phi(x)), inst.x_star, rho_g)
            fd_check(ctx, G / d[None, :], bound / d[None, :], A_r, frame="activity", n=inst.n,
                     activation=inst.activation, min_gain=float(d.min()))
            if inst.B.shape[1]:
                bx, bbx = N.fd_jacobian_bound(lambda u: N.activation_field(inst, inst.x_star, u), inst.u0, rho_F)
                br, bbr = N.fd_jacobian_bound(lambda u: N.activity_field(inst, inst.r_star, u), inst.u0,
                                              N.activity_field_rounding(inst, inst.r_star))
                fd_check(ctx, bx, bbx, inst.B, frame="input b_x", n=inst.n)
                fd_check(ctx, br, bbr, d[:, None] * inst.B, frame="input b_r", n=inst.n)


def _two_numeric(ctx):
    for rng in ctx.instances():
        _two_instance(ctx, N.g_smooth(rng))


register(Claim(
    id="linearization.two_linearizations", paper=PAPER,
    title="The two linear systems (A, b, c) at a fixed point",
    reference=REF.format(4),
    statement=T.STATEMENTS["linearization.two_linearizations"],
    hypotheses=("F(x*, u₀) = 0", "φ is C²", "residual ‖F(x*)‖_∞ ≤ 10⁻¹³"),
    tolerance=Tolerance(FD_RULE, FD_REASON + "; the activity field is differenced in x and its "
                        "columns divided by d_j, which divides the bound by d_j too",
                        kind="truncation+roundoff"),
    sides=Sides(symbolic=("theory.linearization.linear_systems", "theory.linearization.activation_model",
                          "theory.linearization.activation_jacobian", "theory.linearization.activity_jacobian"),
                numeric=("numerics.linearization.g_smooth", "numerics.linearization.activation_field",
                         "numerics.linearization.activity_field", "numerics.linearization.fd_jacobian_bound"),
                lambdified=("theory.linearization.activation_jacobian", "theory.linearization.activity_jacobian"),
                reference="central finite differences of the nonlinear activation and activity fields "
                          "against the lambdified SymPy Jacobians"),
    symbolic=_two_symbolic, numeric=_two_numeric, network=_network_hook(_two_instance),
    expressions=lambda: {"A_x, A_r (n = 2)": sympy.And(
        sympy.Eq(sympy.Symbol("A_x"), T.linear_systems(T.activation_model(2))["activation"][0], evaluate=False),
        sympy.Eq(sympy.Symbol("A_r"), T.linear_systems(T.activation_model(2))["activity"][0], evaluate=False))},
    note="Core. With a user network the fixed point comes from Newton (zero input).",
))


# ------------------------------------------------------------------------------------------------
# 5. intertwining
# ------------------------------------------------------------------------------------------------
def _intertwining_symbolic():
    a, b = T.intertwining_difference()
    return Proof(_require_zero(a, b), "expand(D(−I+JD) − (−I+DJ)D) = 0 and expand((−I+JD)J − J(−I+DJ)) = 0 "
                                      "for MatrixSymbol D, J (any N×N D)")


def _intertwining_instance(ctx, inst):
    d = inst.gains
    J = inst.J
    n = inst.n
    A_x, A_r = N.jacobians(inst)
    lhs = d[:, None] * A_x
    rhs = A_r * d[None, :]
    dJd = np.abs(d[:, None] * J * d[None, :])
    eye = np.eye(n)
    # diagonal: one more rounding (of −1 + d_i J_ii) in each frame
    tol = 4 * EPS * (dJd + np.abs(d)[:, None] * eye) + 2 * EPS * eye * dJd
    diff = np.abs(lhs - rhs)
    bad = (tol == 0) & (diff > 0)            # exact zeros (silent units) must stay exact
    if bad.any():
        i, j = np.argwhere(bad)[0]
    else:
        ratio = np.divide(diff, tol, out=np.zeros_like(diff), where=tol > 0)
        i, j = np.unravel_index(np.argmax(ratio), ratio.shape)
    ctx.record(abs(lhs[i, j] - rhs[i, j]), tol[i, j], identity="D A_x = A_r D", entry=[int(i), int(j)],
               n=n, d_min=float(np.min(d)))
    L2 = A_x @ J
    R2 = J @ A_r
    aJ = np.abs(J)
    tol2 = 2 * n * EPS * (aJ @ (np.abs(d)[:, None] * aJ) + aJ)
    ratio2 = np.abs(L2 - R2) / tol2
    i, j = np.unravel_index(np.argmax(ratio2), ratio2.shape)
    ctx.record(abs(L2[i, j] - R2[i, j]), tol2[i, j], identity="A_x J = J A_r", entry=[int(i), int(j)], n=n)


def _intertwining_numeric(ctx):
    gens = [("G-gains", N.g_gains), ("G-silent", N.g_silent), ("G-saturated", N.g_saturated)]
    for _, inst in _generator_cycle(ctx, gens):
        _intertwining_instance(ctx, inst)


register(Claim(
    id="linearization.intertwining", paper=PAPER,
    title="D A_x = A_r D and A_x J = J A_r for every D",
    reference=REF.format(5),
    statement=T.STATEMENTS["linearization.intertwining"],
    hypotheses=("J is any square matrix", "D is any N×N matrix, singular or not"),
    tolerance=Tolerance("entrywise 4ε(|d_i J_ij d_j| + |d_i|δ_ij) + 2εδ_ij|d_iJ_iid_i|; "
                        "for A_xJ = JA_r: 2Nε(|J||D||J| + |J|)_ij",
                        "diagonal scalings are exact up to one rounding each (the diagonal has one more, "
                        "from −1 + d_iJ_ii); the dense products obey the standard γ_N|A||B| bound, and "
                        "|A_x||J| ≤ |J| + |J||D||J|, so the −J term enters too", kind="roundoff"),
    sides=Sides(symbolic=("theory.linearization.intertwining_difference",),
                numeric=("numerics.linearization.g_gains", "numerics.linearization.g_silent",
                         "numerics.linearization.g_saturated", "numerics.linearization.jacobians"),
                reference="float64 products D·A_x against A_r·D and A_x·J against J·A_r, entrywise"),
    symbolic=_intertwining_symbolic, numeric=_intertwining_numeric,
    network=_network_hook(_intertwining_instance),
    expressions=lambda: {"D A_x = A_r D": T.intertwining_identity()[0],
                         "A_x J = J A_r": T.intertwining_identity()[1]},
    note="Core, as the inverse-free form of the relation the abstract announces.",
))


# ------------------------------------------------------------------------------------------------
# 6. similarity
# ------------------------------------------------------------------------------------------------
def _similarity_symbolic():
    rel = T.similarity_identity()
    return Proof(_require_zero((rel.lhs - rel.rhs).expand()),
                 "expand(D(−I+JD)D⁻¹ − (−I+DJ)) = 0 for MatrixSymbol D (invertible), J")


def _similarity_instance(ctx, inst):
    d = inst.gains
    if np.any(d == 0):
        ctx.skip("singular gains; the intertwining holds, and the Jordan structure at −1 may differ: "
                 "see linearization.jordan_at_minus_one")
        return
    A_x, A_r = N.jacobians(inst)
    sim = d[:, None] * A_x / d[None, :]       # D A_x D⁻¹ by elementwise division, never an inverse
    eye = np.eye(inst.n)
    adJ = np.abs(d[:, None] * inst.J)
    tol = 4 * EPS * (adJ + eye) + 2 * EPS * eye * (adJ + 1)
    ratio = np.abs(sim - A_r) / tol
    i, j = np.unravel_index(np.argmax(ratio), ratio.shape)
    kappa = float(np.max(np.abs(d)) / np.min(np.abs(d)))
    if kappa > 1e8:
        ctx.note(f"κ(D) = {kappa:.1e} > 10⁸: eigenvector maps should use the D⁻¹-free forms")
    ctx.record(abs(sim[i, j] - A_r[i, j]), tol[i, j], entry=[int(i), int(j)], n=inst.n, kappa_D=kappa)


def _similarity_general_D(ctx, inst, rng):
    """A non-diagonal invertible D: D(−I+JD)D⁻¹ = −I+DJ, with D⁻¹ applied by an LU solve."""
    n = inst.n
    Dg = np.eye(n) + 0.5 * rng.standard_normal((n, n)) / np.sqrt(n)
    A_x = -np.eye(n) + inst.J @ Dg
    A_r = -np.eye(n) + Dg @ inst.J
    sim = sla.solve(Dg.T, (Dg @ A_x).T).T              # (D A_x) D⁻¹ without forming D⁻¹
    kappa = float(np.linalg.cond(Dg))
    err = _norm2(sim - A_r) / max(_norm2(A_r), 1.0)
    tol = 100 * n * EPS * kappa * (1 + _norm2(inst.J) * _norm2(Dg)) / max(_norm2(A_r), 1.0)
    ctx.record(err, tol, D="non-diagonal (user-supplied form)", kappa_D=kappa, n=n)


def _similarity_numeric(ctx):
    gens = [("G-smooth", N.g_smooth), ("G-saturated", N.g_saturated)]
    for i, rng in enumerate(ctx.instances()):
        name, fn = gens[i % 2]
        inst = fn(rng)
        _similarity_instance(ctx, inst)
        if name == "G-smooth":
            _similarity_general_D(ctx, inst, rng)


register(Claim(
    id="linearization.similarity", paper=PAPER,
    title="A_r = D A_x D⁻¹ when all gains are nonzero",
    reference=REF.format(6),
    statement=T.STATEMENTS["linearization.similarity"],
    hypotheses=("every gain d_i = φ′(x*_i) is nonzero",),
    tolerance=Tolerance("entrywise 4ε(|d_iJ_ij| + δ_ij) + 2εδ_ij(|d_iJ_ii| + 1); non-diagonal D: "
                        "10²·N·ε·κ(D)·(1 + ‖J‖‖D‖)/‖A_r‖ relative",
                        "D⁻¹ applied by elementwise division: three roundings against one, independent "
                        "of κ(D); the diagonal adds the rounding of −1 + d_iJ_ii in each frame. A "
                        "non-diagonal D needs a solve, which loses about log₁₀κ(D) digits", kind="roundoff"),
    sides=Sides(symbolic=("theory.linearization.similarity_identity",),
                numeric=("numerics.linearization.g_smooth", "numerics.linearization.g_saturated",
                         "numerics.linearization.jacobians"),
                reference="D A_x D⁻¹ by elementwise division (and by an LU solve for a non-diagonal D) "
                          "against A_r"),
    symbolic=_similarity_symbolic, numeric=_similarity_numeric,
    network=_network_hook(_similarity_instance),
    expressions=lambda: {"similarity": T.similarity_identity()},
    note="Core.",
))


# ------------------------------------------------------------------------------------------------
# 7. push_through
# ------------------------------------------------------------------------------------------------
def _push_symbolic():
    ok = all(T.push_through_difference(k) == 0 for k in range(1, 9))
    res = (T.D * (T.mu * T.I - T.activation_jacobian(T.J, T.D))
           - (T.mu * T.I - T.activity_jacobian(T.J, T.D)) * T.D).expand()
    ok &= _require_zero(res) and T.adjugate_identity(3).is_zero_matrix
    return Proof(ok, "D(−I+JD)^k = (−I+DJ)^k D for k ≤ 8 in the free algebra of J, D; "
                     "(μI−A_r)D = D(μI−A_x) with MatrixSymbols; adjugate form exact at n = 3")


def _push_instance(ctx, inst, rng):
    d = inst.gains
    A_x, A_r = N.jacobians(inst)
    nA = max(_norm2(A_x), _norm2(A_r))
    nD = float(np.max(np.abs(d)))
    t = float(rng.uniform(0.0, 5.0))
    Ex, Er = sla.expm(t * A_x), sla.expm(t * A_r)
    err = _norm2(d[:, None] * Ex - Er * d[None, :])
    # max‖e^{sA}‖ over the squaring stages s = t/2^j (and s = 0): scaling and squaring multiplies
    # these intermediate exponentials, so their norms (the transient hump), not ‖e^{tA}‖ alone,
    # bound the growth of rounding.
    hump = max(1.0, max(_norm2(sla.expm(t / 2 ** j * A)) for j in range(1, 9) for A in (A_x, A_r)),
               _norm2(Ex), _norm2(Er))
    tol = 100 * EPS * (1 + t * nA) * hump * nD
    ctx.record(err, tol, identity="D e^{tA_x} = e^{tA_r} D", t=t, n=inst.n)
    lam = np.linalg.eigvals(A_x)
    for _ in range(20):
        mu = (1 + nA) * (rng.standard_normal() + 1j * rng.standard_normal())
        if np.min(np.abs(lam - mu)) >= 0.1 * (1 + nA):
            break
    else:
        ctx.skip("could not draw μ away from the spectrum")
        return
    eye = np.eye(inst.n)
    Mx, Mr = mu * eye - A_x, mu * eye - A_r
    Rx, Rr = np.linalg.inv(Mx), np.linalg.inv(Mr)
    err = _norm2(d[:, None] * Rx - Rr * d[None, :]) / (max(nD, 1e-300) * max(_norm2(Rx), _norm2(Rr)))
    kappa = max(np.linalg.cond(Mx), np.linalg.cond(Mr))
    ctx.record(err, 100 * EPS * kappa, identity="D(μ−A_x)⁻¹ = (μ−A_r)⁻¹D", kappa=kappa, n=inst.n)


def _push_numeric(ctx):
    gens = [("G-gains", N.g_gains), ("G-silent", N.g_silent)]
    for i, rng in enumerate(ctx.instances()):
        inst = gens[i % 2][1](rng)
        _push_instance(ctx, inst, rng)


register(Claim(
    id="linearization.push_through", paper=PAPER,
    title="Flows and resolvents intertwine: D e^{tA_x} = e^{tA_r} D",
    reference=REF.format(7),
    statement=T.STATEMENTS["linearization.push_through"],
    hypotheses=("D diagonal (singular allowed)", "μ ∉ spec(A_x) = spec(A_r)"),
    tolerance=Tolerance("flow: 10²·ε·(1 + t‖A‖)·max_{s ∈ {0, t/2^j}}‖e^{sA}‖·‖D‖; resolvent: "
                        "10²·ε·max κ(μI − A) relative",
                        "expm (scaling and squaring) is backward stable in this sense, with the "
                        "intermediate exponentials' norms bounding the squaring phase; a linear "
                        "solve loses about log₁₀κ digits", kind="roundoff"),
    sides=Sides(symbolic=("theory.linearization.push_through_difference", "theory.linearization.activation_jacobian",
                          "theory.linearization.activity_jacobian", "theory.linearization.adjugate_identity"),
                numeric=("numerics.linearization.g_gains", "numerics.linearization.g_silent",
                         "numerics.linearization.jacobians"),
                reference="scipy expm of tA_x and tA_r, and LU inverses of μI − A, intertwined by D"),
    symbolic=_push_symbolic, numeric=_push_numeric,
    network=_network_hook(lambda ctx, inst: _push_instance(ctx, inst, ctx.rng(7))),
    expressions=lambda: {"flow": T.STATEMENTS["linearization.push_through"](),
                         "resolvent": T.resolvent_identity()},
    note="Supporting.",
    cost=1.5,
))


# ------------------------------------------------------------------------------------------------
# 8. linear_prediction
# ------------------------------------------------------------------------------------------------
_ETAS = np.array([1e-3, 5e-4, 2.5e-4, 1.25e-4])


def _step_response(Jac, g, t):
    """∫₀ᵗ e^{sJac} ds · g by the Van Loan block exponential (no inverse of Jac needed)."""
    n = Jac.shape[0]
    M = np.zeros((n + 1, n + 1))
    M[:n, :n], M[:n, n] = Jac, g
    return sla.expm(t * M)[:n, n]


def _prediction_instance(ctx, inst, rng):
    taus = inst.tau_vector
    A_x, A_r = N.jacobians(inst)
    Jx, Jr = A_x / taus[:, None], A_r / taus[:, None]      # physical-time Jacobians T⁻¹A
    d = inst.gains
    t = float(rng.uniform(0.5, 3.0)) * float(np.mean(taus))
    rate = np.max(np.linalg.eigvals(Jx).real)
    if rate * t > np.log(1e6):
        t_new = np.log(1e6) / rate
        ctx.note(f"unstable A: t shortened from {t:.2f} to {t_new:.2f}")
        t = t_new
    xi = rng.standard_normal(inst.n)
    xi /= np.linalg.norm(xi)
    Ex, Er = sla.expm(t * Jx), sla.expm(t * Jr)
    K = inst.B.shape[1]
    if K:
        e0 = np.zeros(K)
        e0[0] = 1.0
        b = inst.B[:, 0]
        Sx, Sr = _step_response(Jx, b / taus, t), _step_response(Jr, d * b / taus, t)
    # All perturbations (4 η for the initial kick, 4 η for the input step) in one stacked ODE:
    # one integrator call instead of eight; each block evolves independently.
    runs = [("", eta * xi, inst.u0) for eta in _ETAS]
    if K:
        runs += [(", input step", np.zeros(inst.n), inst.u0 + eta * e0) for eta in _ETAS]
    U = np.array([u for _, _, u in runs])
    C = U @ inst.B.T + inst.h                         # per-run constant drive B u + h
    n_runs = len(runs)

    def rhs(s, y):
        X = inst.x_star + y.reshape(n_runs, inst.n)
        return ((-X + inst.act.phi(X) @ inst.J.T + C) / taus).ravel()

    y0 = np.concatenate([dx0 for _, dx0, _ in runs])
    sol = solve_ivp(rhs, (0, t), y0, method="DOP853", rtol=1e-12, atol=1e-16)
    coarse = solve_ivp(rhs, (0, t), y0, method="DOP853", rtol=1e-10, atol=1e-14)
    if not (sol.success and coarse.success):
        ctx.skip(f"integrator failed: {sol.message}")
        return
    if inst.activation == "relu" and np.min(np.abs(inst.x_star + sol.y.T.reshape(-1, n_runs, inst.n))) < 1e-9:
        raise NotApplicable("a ReLU unit crosses 0 during the window")
    final = sol.y[:, -1].reshape(n_runs, inst.n)
    final_c = coarse.y[:, -1].reshape(n_runs, inst.n)
    # Rounding floor of one run: the right-hand side rounds by γ(|x| + |J||φ| + |C|) per step, which
    # the flow carries with growth max(1, ‖e^{tA}‖) over the window; dr = φ(x* + dx) − r* adds 4ε|r*|.
    S = np.abs(inst.x_star) + np.abs(inst.J) @ np.abs(inst.r_star) + np.max(np.abs(C), axis=0)
    growth = max(1.0, _norm2(Ex), _norm2(Er))
    floor_x = (inst.n + 4) * EPS * np.linalg.norm(S) * max(t, 1.0) * growth
    floor_r = floor_x + 4 * EPS * np.linalg.norm(np.abs(inst.r_star) + 1.0)
    cases = {"activation": [], "activity": [], "activation, input step": [], "activity, input step": []}
    for (label, dx0, _), dx, dxc, eta in zip(runs, final, final_c, np.tile(_ETAS, 2)):
        dr = inst.act.phi(inst.x_star + dx) - inst.r_star
        drc = inst.act.phi(inst.x_star + dxc) - inst.r_star
        if label:
            lin_x, lin_r = eta * Sx, eta * Sr
        else:
            lin_x, lin_r = Ex @ dx0, Er @ (d * dx0)
        # ν: the 100× looser run's distance bounds the fine run's integrator error (a posteriori)
        cases["activation" + label].append((np.linalg.norm(dx - lin_x), np.linalg.norm(dx - dxc) + floor_x))
        cases["activity" + label].append((np.linalg.norm(dr - lin_r), np.linalg.norm(dr - drc) + floor_r))
    for frame, pairs in cases.items():
        if not pairs:
            continue
        errs, nus = np.array(pairs).T
        if np.any(nus > 0.05 * errs):
            ctx.skip(f"{frame}: the linearization error is within 20× of the integrator's resolution "
                     f"(dynamics nearly linear; smallest error {errs.min():.1e}, noise {nus.max():.1e})")
            continue
        # Local orders over the halvings, p_k = log₂(e_k/e_{k+1}). With e = Cη^p(1 + aη + bη² + …),
        # p_k = p + a'η_k + b'η_k² + …; Richardson on the halving gives p∞ = 2p₃ − p₂ = p + O(η²) with
        # remainder estimated by |p₁ − 3p₂ + 2p₃|/3, and each p_k moves by at most
        # (ν_k/e_k + ν_{k+1}/e_{k+1})/ln 2 under integrator noise ν. For the two-term model the
        # extrapolated order is ≥ p whatever a (2f(η/2) − f(η) ≥ 0), so an O(η³) error (a term that
        # vanishes by symmetry) passes: only an order below 2 counts as an error.
        ps = np.log2(errs[:-1] / errs[1:])
        dps = (nus[:-1] / errs[:-1] + nus[1:] / errs[1:]) / np.log(2.0)
        p_inf = 2 * ps[2] - ps[1]
        remainder = abs(ps[0] - 3 * ps[1] + 2 * ps[2]) / 3
        noise = 2 * dps[2] + dps[1]
        tol = 4.0 * (remainder + noise)
        ctx.record(max(0.0, 2.0 - p_inf), tol, frame=frame, order=float(p_inf),
                   local_orders=[float(p) for p in ps], t=t, n=inst.n, activation=inst.activation)


def _prediction_numeric(ctx):
    for rng in ctx.instances():
        inst = N.g_smooth(rng, n=int(rng.integers(2, 16)), g=float(rng.uniform(0.3, 1.2)))
        _prediction_instance(ctx, inst, rng)


register(Claim(
    id="linearization.linear_prediction", paper=PAPER,
    title="Both linearizations predict the nonlinear flow to O(η²)",
    reference=REF.format(8),
    statement=T.STATEMENTS["linearization.linear_prediction"],
    hypotheses=("φ is C²", "‖ξ‖ = 1, x(0) = x* + ηξ, u = u₀", "t fixed in [0.5τ, 3τ]"),
    tolerance=Tolerance("observed order p∞ = 2p₃ − p₂ ≥ 2 − 4(|p₁ − 3p₂ + 2p₃|/3 + 2δp₃ + δp₂), "
                        "p_k = log₂(e(η_k)/e(η_k/2)), η = 10⁻³ … 1.25·10⁻⁴",
                        "fitted convergence order: Richardson extrapolation of the local orders over "
                        "the halvings removes the O(η) bend, its O(η²) remainder is estimated from the "
                        "three local orders, δp_k = (ν_k/e_k + ν_{k+1}/e_{k+1})/ln 2 with ν the "
                        "integrator error (from a 100× looser run). One-sided: a higher order (a "
                        "vanishing second-order term, e.g. tanh at x* = 0) records 0",
                        kind="truncation"),
    sides=Sides(numeric=("numerics.linearization.g_smooth", "numerics.linearization.jacobians"),
                reference="solve_ivp (DOP853) of the nonlinear flow from x* + ηξ (and under an input "
                          "step) against expm of the linearization and the Van Loan step response"),
    symbolic=None, numeric=_prediction_numeric,
    network=_network_hook(lambda ctx, inst: _prediction_instance(ctx, inst, ctx.rng(8)),
                          continuous_only=True),
    expressions=lambda: {"first order": T.STATEMENTS["linearization.linear_prediction"]()},
    note="Supporting; numeric only (a statement about the nonlinear flow). The input-step variant "
         "uses b = B[:, 0] and the Van Loan block exponential for ∫e^{sA}ds·b.",
    cost=2.0,
))


# ------------------------------------------------------------------------------------------------
# 9. same_spectrum
# ------------------------------------------------------------------------------------------------
def _same_spectrum_symbolic():
    ok = True
    for n in (2, 3, 4):
        px, pr = T.charpoly_pair(n)
        ok &= sympy.expand(px - pr) == 0
        for k in range(n):
            ok &= sympy.expand((px - pr).subs(sympy.Symbol(f"d_{k + 1}"), 0)) == 0
    return Proof(ok, "det(λI − A_x) = det(λI − A_r) identically in J_ij, d_i for n = 2, 3, 4, "
                     "and after each substitution d_k = 0")


def _same_spectrum_instance(ctx, inst, use_mp=False):
    A_x, A_r = N.jacobians(inst)
    wx, _, _, sx = N.eig_condition(A_x)
    nA = np.linalg.norm(A_x)
    if use_mp:
        wr = N.mp_eigvals(A_r, 50)
        perm, dist = N.match_eigenvalues(wx, wr)
        tol = N.eigenvalue_tolerances(A_x, sx, 100.0)
        k = int(np.argmax(dist / tol))
        ctx.record(dist[k], tol[k], reference="mpmath 50 digits (A_r)", n=inst.n,
                   kappa_D=float(inst.gains.max() / inst.gains.min()))
        return
    wr, _, _, sr = N.eig_condition(A_r)
    silent = inst.silent
    if silent.size:
        rho = 10 * np.sqrt(EPS) * max(1.0, nA)
        cx, cr = np.abs(wx + 1) <= rho, np.abs(wr + 1) <= rho
        ctx.require(cx.sum() == cr.sum() and cx.sum() >= silent.size,
                    "−1 cluster: equal counts, at least |S|", count_x=int(cx.sum()), count_r=int(cr.sum()),
                    silent=int(silent.size))
        if cx.sum() == cr.sum():
            ctx.record(abs(wx[cx].mean() - wr[cr].mean()), rho, check="−1 cluster means", n=inst.n)
            wx, sx, wr, sr = wx[~cx], sx[~cx], wr[~cr], sr[~cr]
        else:
            return
    if wx.size == 0:
        return
    perm, dist = N.match_eigenvalues(wx, wr)
    tol = N.eigenvalue_tolerances(A_x, np.minimum(sx, sr[perm]), 100.0)
    k = int(np.argmax(dist / tol))
    ctx.record(dist[k], tol[k], n=inst.n, s_min=float(np.min(np.minimum(sx, sr[perm]))))


def _same_spectrum_numeric(ctx):
    gens = [("G-smooth", N.g_smooth), ("G-silent", N.g_silent),
            ("G-saturated", lambda rng: N.g_saturated(rng, n=int(rng.integers(2, 9))))]
    for i, rng in enumerate(ctx.instances()):
        name, fn = gens[i % 3]
        _same_spectrum_instance(ctx, fn(rng), use_mp=(name == "G-saturated"))


register(Claim(
    id="linearization.same_spectrum", paper=PAPER,
    title="Identical eigenvalues with algebraic multiplicities",
    reference=REF.format(9),
    statement=T.STATEMENTS["linearization.same_spectrum"],
    hypotheses=("D diagonal (singular allowed)",),
    tolerance=Tolerance("|λ_i − μ_π(i)| ≤ 10²·ε·‖A‖_F/s_i (s_i the smaller condition number of the "
                        "two frames); −1 cluster: counts equal, means within 10·√ε·‖A‖",
                        "first-order eigenvalue perturbation; the −1 cluster may be defective (block "
                        "size ≤ 2 spreads it by √ε); G-saturated uses a 50-digit mpmath reference for "
                        "A_r, whose rounding is a relative perturbation of J, so the x-frame s applies",
                        kind="roundoff"),
    sides=Sides(symbolic=("theory.linearization.charpoly_pair",),
                numeric=("numerics.linearization.g_smooth", "numerics.linearization.g_silent",
                         "numerics.linearization.g_saturated", "numerics.linearization.jacobians",
                         "numerics.linearization.eig_condition", "numerics.linearization.match_eigenvalues",
                         "numerics.linearization.eigenvalue_tolerances", "numerics.linearization.mp_eigvals"),
                reference="LAPACK eigenvalues of A_x and of A_r (or mpmath at 50 digits), paired by "
                          "optimal assignment"),
    symbolic=_same_spectrum_symbolic, numeric=_same_spectrum_numeric,
    network=_network_hook(_same_spectrum_instance),
    expressions=lambda: {"charpoly": T.STATEMENTS["linearization.same_spectrum"]()},
    note="Core. Eigenvalues are paired by optimal assignment, never by sorting.",
    cost=1.5,
))


# ------------------------------------------------------------------------------------------------
# 10. right_eigvec_map
# ------------------------------------------------------------------------------------------------
def _eigvec_symbolic():
    res = T.eigvec_map_residuals()
    ok = all(e == 0 or getattr(e, "is_ZeroMatrix", False) for e in res.values())
    return ok


def _right_symbolic():
    return Proof(_eigvec_symbolic(), "MatrixSymbol: (A_r−λ)(Dv) = D(A_x−λ)v, (A_x−λ)(Jv) = J(A_r−λ)v and "
                                     "D(Jv) − (λ+1)v = (A_r−λ)v expand to identities")


def _sep(w):
    n = w.size
    if n < 2:
        return np.full(n, np.inf)
    dist = np.abs(w[:, None] - w[None, :]) + np.diag(np.full(n, np.inf))
    return dist.min(axis=1)


def _right_instance(ctx, inst):
    d = inst.gains
    A_x, A_r = N.jacobians(inst)
    nx, nr, nJ, nD = _norm2(A_x), _norm2(A_r), _norm2(inst.J), float(np.max(np.abs(d)))
    wx, VLx, VRx, sx = N.eig_condition(A_x)
    wr, VLr, VRr, sr = N.eig_condition(A_r)
    worst_fwd = worst_back = worst_D = worst_align = None
    amps = []
    for k in range(inst.n):                       # forward: v_r = D v_x
        v = VRx[:, k]
        Dv = d * v
        nDv = np.linalg.norm(Dv)
        if nDv == 0:
            continue
        err = np.linalg.norm(A_r @ Dv - wx[k] * Dv) / (nr * nDv)
        tol = 100 * EPS * (nx * nD * np.linalg.norm(v) / (nr * nDv) + inst.n)
        amps.append(np.linalg.norm(v) / nDv)
        if worst_fwd is None or err / tol > worst_fwd[0] / worst_fwd[1]:
            worst_fwd = (err, tol, k)
    for k in range(inst.n):                       # back: v_x = J v_r/(λ+1)
        lam1 = abs(wr[k] + 1)
        if lam1 < 1e-6 * max(1.0, nr):
            continue                               # λ = −1: reverse map not applicable
        v = VRr[:, k]
        vx = inst.J @ v / (wr[k] + 1)
        nvx = np.linalg.norm(vx)
        amp = nJ * np.linalg.norm(v) / (lam1 * nvx)
        err = np.linalg.norm(A_x @ vx - wr[k] * vx) / (nx * nvx)
        tol = 100 * EPS * (amp * nr / nx + inst.n)
        if worst_back is None or err / tol > worst_back[0] / worst_back[1]:
            worst_back = (err, tol, k)
        errD = np.linalg.norm(d * vx - v) / np.linalg.norm(v)
        tolD = 100 * EPS * (nr / lam1 + 1) * max(1.0, nJ * nD / max(lam1, 1e-300))
        if worst_D is None or errD / tolD > worst_D[0] / worst_D[1]:
            worst_D = (errD, tolD, k)
    # Alignment of D v_x with an independently computed v_r, as the sine of their angle. First-order
    # eigenvector perturbation: eig returns the exact eigenvector of A + E, ‖E‖ ≤ Nε‖A‖_F, and
    # δv_k = Σ_{j≠k} u_jᴴEv_k/((λ_k − λ_j)u_jᴴv_j)·v_j, so ‖Dδv_k‖ ≤ ‖E‖Σ_{j≠k}‖Dv_j‖/(|λ_k − λ_j|s_j)
    # (unit u, v): the angle of Dv_x moves by that over ‖Dv_k‖, the angle of v_r by
    # ‖E_r‖Σ_{j≠k}1/(|μ_k − μ_j|s_j). Eigenpairs where this first-order bound exceeds 10⁻⁴ (near
    # clusters, the −1 cluster of silent units) are left out: the linear bound no longer holds there.
    perm, dist = N.match_eigenvalues(wx, wr)
    Ex, Er = inst.n * EPS * np.linalg.norm(A_x), inst.n * EPS * np.linalg.norm(A_r)
    nDV = np.linalg.norm(d[:, None] * VRx, axis=0) / np.linalg.norm(VRx, axis=0)
    for k in range(inst.n):
        Dv = d * VRx[:, k] / np.linalg.norm(VRx[:, k])
        if nDV[k] == 0:
            continue
        others = np.arange(inst.n) != k
        theta_x = Ex * np.sum(nDV[others] / (np.abs(wx[k] - wx[others]) * sx[others])) / nDV[k]
        kr = perm[k]
        others_r = np.arange(inst.n) != kr
        theta_r = Er * np.sum(1.0 / (np.abs(wr[kr] - wr[others_r]) * sr[others_r]))
        bound = theta_x + theta_r
        if not np.isfinite(bound) or bound > 1e-4:
            continue
        vr = VRr[:, kr] / np.linalg.norm(VRr[:, kr])
        sine = np.linalg.norm(Dv - np.vdot(vr, Dv) * vr) / nDV[k]
        tol = bound + 4 * inst.n * EPS              # the projection itself rounds once per entry
        if worst_align is None or sine / tol > worst_align[0] / worst_align[1]:
            worst_align = (sine, tol, k)
    if worst_fwd:
        ctx.record(worst_fwd[0], worst_fwd[1], map="v_r = D v_x", n=inst.n, eig=int(worst_fwd[2]))
    if worst_back:
        ctx.record(worst_back[0], worst_back[1], map="v_x = J v_r/(λ+1)", n=inst.n)
        ctx.record(worst_D[0], worst_D[1], map="D v_x = v_r", n=inst.n)
    if worst_align:
        ctx.record(worst_align[0], worst_align[1], map="alignment sin∠(D v_x, v_r)", n=inst.n,
                   eig=int(worst_align[2]))
    if amps:
        ctx.note(f"n = {inst.n}: amplification ‖v‖/‖Dv‖ up to {max(amps):.2e}")


def _right_numeric(ctx):
    gens = [("G-smooth", N.g_smooth), ("G-silent", N.g_silent), ("G-saturated", N.g_saturated)]
    for _, inst in _generator_cycle(ctx, gens):
        _right_instance(ctx, inst)


register(Claim(
    id="linearization.right_eigvec_map", paper=PAPER,
    title="v_r = D v_x and v_x = J v_r/(λ+1)",
    reference=REF.format(10),
    statement=T.STATEMENTS["linearization.right_eigvec_map"],
    hypotheses=("D diagonal", "λ ≠ −1 for the reverse map"),
    tolerance=Tolerance("relative residual ‖Av − λv‖/(‖A‖‖v‖) ≤ 10²·ε·(‖A_x‖‖D‖‖v‖/(‖A_r‖‖Dv‖) + N); "
                        "reverse with amplification ‖J‖‖v_r‖/(|λ+1|‖v_x‖); alignment sin∠(Dv_x, v_r) ≤ "
                        "Nε(‖A_x‖_F Σ_{j≠k}‖Dv_j‖/(|λ_k−λ_j|s_j‖Dv_k‖) + ‖A_r‖_F Σ_{j≠k}1/(|μ_k−μ_j|s_j)) + 4Nε",
                        "eig is backward stable; the map amplifies its residual by ‖v‖/‖Dv‖ "
                        "(resp. ‖J‖/|λ+1|), and forming Av adds N·ε‖A‖‖v‖; an eigenvector moves under a "
                        "backward error E by Σ_j u_jᴴEv_k/((λ_k−λ_j)s_j) (first-order perturbation, "
                        "the gap to every other eigenvalue weighted by its condition)", kind="roundoff"),
    sides=Sides(symbolic=("theory.linearization.eigvec_map_residuals",),
                numeric=("numerics.linearization.g_smooth", "numerics.linearization.g_silent",
                         "numerics.linearization.g_saturated", "numerics.linearization.jacobians",
                         "numerics.linearization.eig_condition", "numerics.linearization.match_eigenvalues"),
                reference="LAPACK eigenvectors of A_x mapped by D (and of A_r mapped by J/(λ+1)) leave "
                          "small residuals in the other frame and align with that frame's own eigenvectors"),
    symbolic=_right_symbolic, numeric=_right_numeric, network=_network_hook(_right_instance),
    expressions=lambda: {k: d.relation() for k, d in T.right_eigvec_map().items()},
    note="Core. The D⁻¹-free form is the preferred version.",
))


# ------------------------------------------------------------------------------------------------
# 11. left_eigvec_map
# ------------------------------------------------------------------------------------------------
def _left_symbolic():
    return Proof(_eigvec_symbolic(), "MatrixSymbol, transposed: (A_xᵀ−λ)(Du) = D(A_rᵀ−λ)u and "
                                     "(A_rᵀ−λ)(Jᵀu) = Jᵀ(A_xᵀ−λ)u with Dᵀ = D")


def _left_instance(ctx, inst, regression=False):
    d = inst.gains
    A_x, A_r = N.jacobians(inst)
    nx, nr, nJ, nD = _norm2(A_x), _norm2(A_r), _norm2(inst.J), float(np.max(np.abs(d)))
    wr, VLr, _, _ = N.eig_condition(A_r)
    wx, VLx, _, _ = N.eig_condition(A_x)
    worst = {}

    def keep(key, err, tol):
        if key not in worst or err / tol > worst[key][0] / worst[key][1]:
            worst[key] = (err, tol)

    for k in range(inst.n):                     # forward: u_x = D u_r
        ur = VLr[:, k].conj()                   # u^T A = λ u^T
        ux = d * ur
        nux = np.linalg.norm(ux)
        if nux == 0:
            continue
        err = np.linalg.norm(A_x.T @ ux - wr[k] * ux) / (nx * nux)
        keep("u_x = D u_r", err, 100 * EPS * (nr * nD * np.linalg.norm(ur) / (nx * nux) + inst.n))
    digits = []
    for k in range(inst.n):                     # back: u_r = J^T u_x/(λ+1)
        lam1 = abs(wx[k] + 1)
        if lam1 < 1e-6 * max(1.0, nx):
            continue
        ux = VLx[:, k].conj()
        ur = inst.J.T @ ux / (wx[k] + 1)
        nur = np.linalg.norm(ur)
        err = np.linalg.norm(A_r.T @ ur - wx[k] * ur) / (nr * nur)
        amp = nJ * np.linalg.norm(ux) / (lam1 * nur)
        keep("u_r = Jᵀu_x/(λ+1)", err, 100 * EPS * (amp * nx / nr + inst.n))
        errD = np.linalg.norm(d * ur - ux)
        keep("D u_r = u_x", errD, 100 * EPS * (1 + nJ * nD) * np.linalg.norm(ux) / lam1 * inst.n)
        if regression and np.all(d > 0):
            ur_inv = ux / d                      # the D⁻¹ form, for comparison only
            e_inv = np.linalg.norm(A_r.T @ ur_inv - wx[k] * ur_inv) / (nr * np.linalg.norm(ur_inv))
            digits.append((e_inv, err))
    for key, (err, tol) in worst.items():
        ctx.record(err, tol, map=key, n=inst.n)
    if digits:
        e_inv = max(e for e, _ in digits)
        e_jt = max(e for _, e in digits)
        kappa = float(d.max() / d.min())
        ctx.note(f"G-saturated (κ(D) = {kappa:.1e}): D⁻¹ form residual {e_inv:.1e} vs Jᵀ form {e_jt:.1e}")


def _left_numeric(ctx):
    gens = [("G-smooth", N.g_smooth), ("G-silent", N.g_silent), ("G-saturated", N.g_saturated)]
    for name, inst in _generator_cycle(ctx, gens):
        _left_instance(ctx, inst, regression=(name == "G-saturated"))


register(Claim(
    id="linearization.left_eigvec_map", paper=PAPER,
    title="u_x = D u_r and u_r = Jᵀu_x/(λ+1)",
    reference=REF.format(11),
    statement=T.STATEMENTS["linearization.left_eigvec_map"],
    hypotheses=("D diagonal", "λ ≠ −1 for the reverse map"),
    tolerance=Tolerance("as linearization.right_eigvec_map; ‖Du_r − u_x‖ ≤ 10²·N·ε·(1+‖J‖‖D‖)‖u_x‖/|λ+1|",
                        "Du_r − u_x = (A_xᵀ − λ)u_x/(λ+1), the left residual divided by |λ+1|",
                        kind="roundoff"),
    sides=Sides(symbolic=("theory.linearization.eigvec_map_residuals",),
                numeric=("numerics.linearization.g_smooth", "numerics.linearization.g_silent",
                         "numerics.linearization.g_saturated", "numerics.linearization.jacobians",
                         "numerics.linearization.eig_condition"),
                reference="LAPACK left eigenvectors mapped by D and by Jᵀ/(λ+1) leave small left "
                          "residuals in the other frame"),
    symbolic=_left_symbolic, numeric=_left_numeric, network=_network_hook(_left_instance),
    expressions=lambda: {k: d.relation() for k, d in T.left_eigvec_map().items()},
    note="Core. G-saturated notes how the D⁻¹ form compares with the Jᵀ form.",
))


# ------------------------------------------------------------------------------------------------
# 12. biorthonormality
# ------------------------------------------------------------------------------------------------
def _biorth_symbolic():
    e = T.eigvec_map_residuals()["biorth"]
    return Proof(e == 0 or bool(getattr(e, "is_ZeroMatrix", False)),
                 "MatrixSymbol: u_rᵀ(Dv_x) − (Du_r)ᵀv_x = 0 with Dᵀ = D")


def _biorth_instance(ctx, inst):
    d = inst.gains
    A_x, _ = N.jacobians(inst)
    w, VL, VR = sla.eig(A_x, left=True, right=True)
    U = VL.conj()
    U = U / np.sum(U * VR, axis=0)[None, :]          # U_x^T V_x = I
    keep = np.abs(w + 1) > 1e-6 * max(1.0, _norm2(A_x))
    if not keep.any():
        ctx.skip("every eigenvalue is −1")
        return
    if (~keep).any():
        ctx.note(f"n = {inst.n}: {int((~keep).sum())} column(s) at λ = −1 left out (D singular)")
    Vr = d[:, None] * VR[:, keep]
    Ur = inst.J.T @ U[:, keep] / (w[keep] + 1)[None, :]
    G = Ur.T @ Vr
    err = float(np.max(np.abs(G - np.eye(G.shape[0]))))
    kappa = np.linalg.cond(VR)
    if not np.isfinite(kappa) or kappa > 1e10:
        ctx.skip(f"V_x numerically singular (κ = {kappa:.1e}): no eigenbasis")
        return
    amp = max(1.0, float(np.max(_norm2(inst.J) / np.abs(w[keep] + 1))))
    ctx.record(err, 10 * inst.n * EPS * kappa * amp, n=inst.n, kappa_V=kappa, amp=amp)


def _biorth_numeric(ctx):
    gens = [("G-smooth", N.g_smooth), ("G-silent", N.g_silent)]
    for _, inst in _generator_cycle(ctx, gens):
        _biorth_instance(ctx, inst)


register(Claim(
    id="linearization.biorthonormality", paper=PAPER,
    title="The maps preserve biorthonormal eigenbases",
    reference=REF.format(12),
    statement=T.STATEMENTS["linearization.biorthonormality"],
    hypotheses=("A_x diagonalizable", "λ_k ≠ −1 for the mapped columns (or D invertible)"),
    tolerance=Tolerance("‖U_rᵀV_r − I‖_max ≤ 10·N·ε·κ(V_x)·max_k ‖J‖/|λ_k+1|",
                        "U_xᵀV_x = I holds to Nε·κ(V_x) (inner products of length N of vectors with "
                        "backward error ε‖A‖); the map to U_r amplifies by ‖J‖/|λ+1|", kind="roundoff"),
    sides=Sides(symbolic=("theory.linearization.eigvec_map_residuals",),
                numeric=("numerics.linearization.g_smooth", "numerics.linearization.g_silent",
                         "numerics.linearization.jacobians"),
                reference="the LAPACK biorthonormal eigenbasis of A_x, mapped by D and Jᵀ/(λ+1), "
                          "stays biorthonormal"),
    symbolic=_biorth_symbolic, numeric=_biorth_numeric, network=_network_hook(_biorth_instance),
    expressions=lambda: {"biorthonormality": T.STATEMENTS["linearization.biorthonormality"]()},
    note="Supporting. With silent units the −1 columns are left out; the block of the others is checked.",
))


# ------------------------------------------------------------------------------------------------
# 13. transfer_function
# ------------------------------------------------------------------------------------------------
def _transfer_symbolic():
    ok = all(T.markov_difference(k) == 0 for k in range(0, 7))
    for silent in ((), (0,)):
        (nx, dx), (nr, dr) = T.transfer_function_pair(3, silent)
        ok &= sympy.expand(nx * dr - nr * dx) == 0
    return Proof(ok, "wᵀD(−1+JD)^k b = wᵀ(−1+DJ)^k Db for k ≤ 6 in the free algebra; at n = 3 the "
                     "rational functions H_x(s), H_r(s) agree exactly, also with d₁ = 0")


def _transfer_instance(ctx, inst, rng):
    if inst.B.shape[1] == 0 or not np.any(inst.w):
        ctx.skip("the network has no input matrix B or no readout C: H(s) needs both")
        return
    d = inst.gains
    A_x, A_r = N.jacobians(inst)
    n = inst.n
    cx, br = d * inst.w, d[:, None] * inst.B
    lam = np.linalg.eigvals(A_x)
    nA = max(_norm2(A_x), _norm2(A_r))
    eye = np.eye(n)
    worst = None
    for _ in range(5):
        for _ in range(20):
            s = (1 + nA) * (rng.standard_normal() + 1j * rng.standard_normal())
            if np.min(np.abs(lam - s)) >= 0.1 * (1 + nA):
                break
        else:
            continue
        Mx, Mr = s * eye - A_x, s * eye - A_r
        Hx = cx @ np.linalg.solve(Mx, inst.B)
        Hr = inst.w @ np.linalg.solve(Mr, br)
        scale = np.linalg.norm(inst.w) * max(np.abs(d).max(), 1e-300) * np.linalg.norm(inst.B) * \
            max(np.linalg.norm(np.linalg.inv(Mx), 2), np.linalg.norm(np.linalg.inv(Mr), 2))
        err = float(np.max(np.abs(Hx - Hr)) / scale)
        tol = 100 * EPS * max(np.linalg.cond(Mx), np.linalg.cond(Mr))
        if worst is None or err / tol > worst[0] / worst[1]:
            worst = (err, tol, s)
    if worst:
        ctx.record(worst[0], worst[1], check="H_x(s) = H_r(s)", s=complex(worst[2]), n=n)
    aAx, aAr = np.abs(A_x), np.abs(A_r)
    px, pr = inst.B.copy(), br.copy()
    ax, ar = np.abs(inst.B), np.abs(br)
    for k in range(6):
        mx, mr = cx @ px, inst.w @ pr
        scale = np.abs(cx) @ ax + np.abs(inst.w) @ ar
        tol = 2 * (k + 2) * n * EPS * np.maximum(scale, np.finfo(float).tiny)
        ratio = np.abs(mx - mr) / tol
        j = int(np.argmax(ratio))
        ctx.record(abs(mx[j] - mr[j]), tol[j], check=f"Markov parameter k = {k}", n=n)
        px, pr, ax, ar = A_x @ px, A_r @ pr, aAx @ ax, aAr @ ar


def _transfer_numeric(ctx):
    gens = [N.g_smooth, N.g_silent]
    for i, rng in enumerate(ctx.instances()):
        _transfer_instance(ctx, gens[i % 2](rng), rng)


register(Claim(
    id="linearization.transfer_function", paper=PAPER,
    title="Same transfer function and Markov parameters",
    reference=REF.format(13),
    statement=T.STATEMENTS["linearization.transfer_function"],
    hypotheses=("D diagonal (singular allowed)", "s ∉ spec(A)"),
    tolerance=Tolerance("H: 10²·ε·max κ(sI − A) relative to ‖w‖‖D‖‖B‖‖(sI−A)⁻¹‖; Markov k: "
                        "2(k+2)Nε·(|c_x|ᵀ|A_x|ᵏ|b_x| + |c_r|ᵀ|A_r|ᵏ|b_r|)",
                        "a linear solve loses about log₁₀κ digits; k matrix–vector products obey "
                        "the componentwise γ bound", kind="roundoff"),
    sides=Sides(symbolic=("theory.linearization.markov_difference", "theory.linearization.transfer_function_pair"),
                numeric=("numerics.linearization.g_smooth", "numerics.linearization.g_silent",
                         "numerics.linearization.jacobians"),
                reference="LU solves of (sI − A) in each frame and repeated matrix–vector products "
                          "for the Markov parameters"),
    symbolic=_transfer_symbolic, numeric=_transfer_numeric,
    network=_network_hook(lambda ctx, inst: _transfer_instance(ctx, inst, ctx.rng(13))),
    expressions=lambda: {"H(s)": T.STATEMENTS["linearization.transfer_function"](),
                         "Markov k = 2": T.markov_parameters(2)},
    note="Core in substance: why the two linearizations agree on behaviour. With a user network "
         "the readout is the first row of C (zeros without C) and B the network's input matrix.",
))


# ------------------------------------------------------------------------------------------------
# 14. modal_gains
# ------------------------------------------------------------------------------------------------
def _modal_symbolic():
    diffs = T.modal_gains()["differences"]
    ok = all(e == 0 or getattr(e, "is_ZeroMatrix", False) for e in diffs)
    ok &= _eigvec_symbolic()
    return Proof(ok, "MatrixSymbol: u_rᵀ(Db) = (Du_r)ᵀb and wᵀ(Dv_x) = (Dw)ᵀv_x with Dᵀ = D; the maps "
                     "turn an eigenvector of one frame into one of the other (claims 10–11)")


def _modal_instance(ctx, inst):
    if inst.B.shape[1] == 0 or not np.any(inst.w):
        ctx.skip("the network has no input matrix B or no readout C: modal gains need both")
        return
    d = inst.gains
    A_x, A_r = N.jacobians(inst)
    nJ = _norm2(inst.J)
    nA = max(_norm2(A_x), _norm2(A_r))
    b = inst.B[:, 0]
    w = inst.w
    wx, VLx, VRx, sx = N.eig_condition(A_x)
    wr, VLr, VRr, sr = N.eig_condition(A_r)
    worst = {}

    def keep(key, err, tol):
        if key not in worst or err / tol > worst[key][0] / worst[key][1]:
            worst[key] = (err, tol)

    sep = _sep(wx)
    for k in range(inst.n):
        lam1 = abs(wx[k] + 1)
        if lam1 < 1e-6 * max(1.0, nA) or sep[k] < 1e-6 * max(1.0, nA):
            continue                                  # λ = −1 or not simple: not applicable
        amp = max(1.0, nJ / lam1)
        # input gain: u_x from eig(A_x); u_r = J^T u_x/(λ+1)
        ux = VLx[:, k].conj()
        ur = inst.J.T @ ux / (wx[k] + 1)
        err = abs(ur @ (d * b) - ux @ b) / (np.linalg.norm(ux) * np.linalg.norm(b))
        keep("input gain u_rᵀDb = u_xᵀb", err, 1e3 * EPS * amp * nA)
        # readout of the projected pulse, c^T P b, normalisation-free (x-frame vectors mapped)
        vx = VRx[:, k]
        vr = d * vx
        ro_x = (d * w) @ vx * (ux @ b) / (ux @ vx)
        ro_r = w @ vr * (ur @ (d * b)) / (ur @ vr) if abs(ur @ vr) > 0 else np.nan
        scale = np.linalg.norm(d * w) * np.linalg.norm(b) / sx[k] + np.linalg.norm(w) * np.linalg.norm(d * b) / sx[k]
        keep("projector readout cᵀPb", abs(ro_x - ro_r) / scale, 1e3 * EPS * amp * nA / sx[k])
    perm, _ = N.match_eigenvalues(wx, wr)
    for k in range(inst.n):                           # output gain: v_r from eig(A_r); v_x = J v_r/(λ+1)
        lam = wr[k]
        lam1 = abs(lam + 1)
        if lam1 < 1e-6 * max(1.0, nA):
            continue
        vr = VRr[:, k]
        vx = inst.J @ vr / (lam + 1)
        err = abs(w @ vr - (d * w) @ vx) / (np.linalg.norm(w) * np.linalg.norm(vr))
        keep("output gain wᵀv_r = (Dw)ᵀv_x", err, 1e3 * EPS * max(1.0, nJ / lam1) * nA)
    for key, (err, tol) in worst.items():
        ctx.record(err, tol, gain=key, n=inst.n)
    _cluster_projectors(ctx, inst, A_x, A_r)


def _schur_projector(A, select):
    """Spectral projector onto the eigenvalues picked by ``select``, from two ordered Schur forms
    (right invariant subspace of A, left one from A^H): P = V (U^H V)^{-1} U^H; also sep(T11, T22)."""
    T, Z, k = sla.schur(A, output="complex", sort=select)
    _, Z2, k2 = sla.schur(A.conj().T, output="complex", sort=lambda z: select(np.conj(z)))
    if k != k2 or k in (0, A.shape[0]):
        return None
    V, U = Z[:, :k], Z2[:, :k]
    P = V @ np.linalg.solve(U.conj().T @ V, U.conj().T)
    T11, T22 = T[:k, :k], T[k:, k:]
    K = np.kron(np.eye(T22.shape[0]), T11) - np.kron(T22.T, np.eye(k))
    sep = float(np.linalg.svd(K, compute_uv=False)[-1])
    return P, sep, k


def _cluster_projectors(ctx, inst, A_x, A_r):
    """D P_x = P_r D for the spectral set right of the widest gap in real parts."""
    w = np.linalg.eigvals(A_x)
    re = np.sort(w.real)
    if re.size < 2:
        return
    gaps = np.diff(re)
    j = int(np.argmax(gaps))
    cut = 0.5 * (re[j] + re[j + 1])
    if gaps[j] < 1e-3 * max(1.0, _norm2(A_x)):
        return
    if np.any(np.abs(w[w.real > cut] + 1) < 1e-6):
        return                                   # the set must not contain −1 (singular D)
    px, pr = _schur_projector(A_x, lambda z: z.real > cut), _schur_projector(A_r, lambda z: z.real > cut)
    if px is None or pr is None:
        return
    (Px, sx, k), (Pr, sr, _) = px, pr
    d = inst.gains
    nP = max(_norm2(Px), _norm2(Pr))
    err = _norm2(d[:, None] * Px - Pr * d[None, :]) / (max(np.abs(d).max(), 1e-300) * nP)
    nA = max(np.linalg.norm(A_x), np.linalg.norm(A_r))
    tol = 100 * EPS * nA * (1 + nP) ** 2 / min(sx, sr)
    ctx.record(err, tol, gain="cluster projector D P_x = P_r D", cluster=k, sep=min(sx, sr), n=inst.n)


def _modal_numeric(ctx):
    gens = [("G-smooth", N.g_smooth), ("G-silent", N.g_silent)]
    for _, inst in _generator_cycle(ctx, gens):
        _modal_instance(ctx, inst)


register(Claim(
    id="linearization.modal_gains", paper=PAPER,
    title="Modal input/output gains and projector readouts are frame-invariant",
    reference=REF.format(14),
    statement=T.STATEMENTS["linearization.modal_gains"],
    hypotheses=("λ simple", "λ ≠ −1 (or D invertible)"),
    tolerance=Tolerance("10³·ε·‖A‖·max(1, ‖J‖/|λ+1|) relative (projector readout: also ÷ s_λ); "
                        "cluster projector: 10²·ε·‖A‖_F·(1 + ‖P‖)²/sep(T₁₁, T₂₂) relative to ‖D‖‖P‖",
                        "the difference of the two gains is the eigen-residual divided by λ+1; the "
                        "projector divides by uᵀv = s_λ‖u‖‖v‖; a spectral projector moves by about "
                        "‖E‖‖P‖²/sep under a perturbation E", kind="roundoff"),
    sides=Sides(symbolic=("theory.linearization.modal_gains", "theory.linearization.eigvec_map_residuals"),
                numeric=("numerics.linearization.g_smooth", "numerics.linearization.g_silent",
                         "numerics.linearization.jacobians", "numerics.linearization.eig_condition",
                         "numerics.linearization.match_eigenvalues"),
                reference="LAPACK eigenvectors and ordered Schur forms in each frame give equal modal "
                          "gains and intertwined spectral projectors"),
    symbolic=_modal_symbolic, numeric=_modal_numeric, network=_network_hook(_modal_instance),
    expressions=lambda: {"input gain": T.modal_gains()["input"], "output gain": T.modal_gains()["output"]},
    note="Core in substance. Projectors of simple eigenvalues from v uᵀ/(uᵀv); for the cluster right "
         "of the widest gap in real parts, from two ordered Schur forms.",
))


# ------------------------------------------------------------------------------------------------
# 15. frame_dependent_quantities
# ------------------------------------------------------------------------------------------------
def _frame_quantities(inst):
    d = inst.gains
    A_x, A_r = N.jacobians(inst)
    b = inst.B[:, 0]
    out = {}
    for frame, A, bb in (("x", A_x, b), ("r", A_r, d * b)):
        w, VL, VR = sla.eig(A, left=True, right=True)
        k = int(np.argmax(w.real))
        s_vec = VL[:, k].conj()
        nF = np.linalg.norm(A)
        out[frame] = {"kappa": float(np.linalg.cond(VR)),
                      "cos": float(abs(s_vec @ bb) / (np.linalg.norm(s_vec) * np.linalg.norm(bb))),
                      "henrici": float(np.sqrt(max(nF ** 2 - np.sum(np.abs(w) ** 2), 0.0)) / nF)}
    return out


def _transient(A, ts=(0.25, 0.5, 1.0, 2.0, 4.0)):
    return max(_norm2(sla.expm(t * A)) for t in ts)


def _frame_numeric(ctx):
    rng = ctx.rng(0)
    inst = N.g_smooth(rng)
    c = float(rng.uniform(0.1, 1.0))
    A_x, A_r = N.jacobians(inst, np.full(inst.n, c))
    ctx.record(float(np.max(np.abs(A_x - A_r))), 0.0, check="D = cI gives A_x = A_r", n=inst.n)
    found = None
    for i, rng in enumerate(ctx.instances(count=10, start=1)):
        inst = N.g_smooth(rng, a_range=(1.0, 3.0))
        q = _frame_quantities(inst)
        kx, kr = q["x"]["kappa"], q["r"]["kappa"]
        if abs(kx - kr) > 0.1 * min(kx, kr) and abs(q["x"]["cos"] - q["r"]["cos"]) > 1e-3:
            found = (i, inst, q)
            break
    ctx.require(found is not None, "an instance with κ(V) differing by >10% and cos∠(s,b) by >10⁻³ "
                                   "within 10 draws")
    if found:
        i, inst, q = found
        A_x, A_r = N.jacobians(inst)
        ctx.note(f"draw {i + 1}: n = {inst.n}, κ(V_x) = {q['x']['kappa']:.3g}, κ(V_r) = {q['r']['kappa']:.3g}, "
                 f"cos∠(s,b): x {q['x']['cos']:.4f}, r {q['r']['cos']:.4f}; departure from normality "
                 f"(Henrici, relative): x {q['x']['henrici']:.3f}, r {q['r']['henrici']:.3f}; "
                 f"max_t‖e^(tA)‖: x {_transient(A_x):.3g}, r {_transient(A_r):.3g}")


register(Claim(
    id="linearization.frame_dependent_quantities", paper=PAPER,
    title="Norms, angles, κ(V), ‖e^{tA}‖ depend on the frame",
    reference=REF.format(15),
    statement=T.STATEMENTS["linearization.frame_dependent_quantities"],
    hypotheses=("D has non-constant diagonal", "N ≥ 2"),
    tolerance=Tolerance("D = cI: exact equality; otherwise a witness within 10 draws",
                        "d_iJ_ij and J_ijd_j are the same floating-point product when d is constant",
                        kind="exact"),
    sides=Sides(numeric=("numerics.linearization.g_smooth", "numerics.linearization.jacobians"),
                reference="κ(V), cos∠(s, b), Henrici departure and ‖e^{tA}‖ computed in each frame by "
                          "LAPACK and expm"),
    symbolic=None, numeric=_frame_numeric,
    expressions=lambda: {"frame dependence": T.STATEMENTS["linearization.frame_dependent_quantities"]()},
    note="Supporting; numeric only (a genericity statement). Every quantity is tagged with its frame.",
))


# ------------------------------------------------------------------------------------------------
# 16. symmetric_real_spectrum
# ------------------------------------------------------------------------------------------------
def _symmetric_symbolic():
    diff, asym = T.symmetric_form(3)
    return Proof(diff.is_zero_matrix and asym.is_zero_matrix,
                 "n = 3, positive d_i, symmetric J: D^{1/2}A_xD^{−1/2} = −I + D^{1/2}JD^{1/2}, symmetric")


def _symmetric_instance(ctx, inst):
    d = inst.gains
    if np.any(d <= 0):
        ctx.skip("some d_i = 0: the spectrum is real but diagonalizability may fail")
        return
    if not np.array_equal(inst.J, inst.J.T):
        raise NotApplicable("J is not symmetric")
    A_x, A_r = N.jacobians(inst)
    sq = np.sqrt(d)
    S = -np.eye(inst.n) + sq[:, None] * inst.J * sq[None, :]
    ev = sla.eigh(S, eigvals_only=True)
    kD = float(np.sqrt(d.max() / d.min()))
    for frame, A in (("x", A_x), ("r", A_r)):
        w, _, _, s_ = N.eig_condition(A)
        nA = np.linalg.norm(A)
        ctx.record(float(np.max(np.abs(w.imag))), 100 * EPS * nA * kD, check="max|Im λ|", frame=frame,
                   n=inst.n)
        perm, dist = N.match_eigenvalues(w, ev)
        tol = N.eigenvalue_tolerances(A, s_, 100.0)
        k = int(np.argmax(dist / tol))
        ctx.record(dist[k], tol[k], check="eig(A) vs eigh(S)", frame=frame, n=inst.n)


def _symmetric_numeric(ctx):
    for rng in ctx.instances():
        _symmetric_instance(ctx, N.g_smooth(rng, symmetric=True))


register(Claim(
    id="linearization.symmetric_real_spectrum", paper=PAPER,
    title="Symmetric J and positive gains give a real, diagonalizable spectrum",
    reference=REF.format(16),
    statement=T.STATEMENTS["linearization.symmetric_real_spectrum"],
    hypotheses=("J = Jᵀ", "D ≻ 0"),
    tolerance=Tolerance("max|Im λ| ≤ 10²·ε·‖A‖·κ(D^{1/2}); |λ_i − μ_i| ≤ 10²·ε·‖A‖_F/s_i",
                        "A is a κ(D^{1/2})-conditioned similarity of a symmetric matrix; LAPACK returns "
                        "an imaginary part of exactly 0 unless rounding splits a close pair, so most "
                        "Im-part errors are 0", kind="roundoff"),
    sides=Sides(symbolic=("theory.linearization.symmetric_form",),
                numeric=("numerics.linearization.g_smooth", "numerics.linearization.jacobians",
                         "numerics.linearization.eig_condition", "numerics.linearization.match_eigenvalues",
                         "numerics.linearization.eigenvalue_tolerances"),
                reference="LAPACK eig of A_x and A_r against eigh of the symmetrised D^{1/2}JD^{1/2} − I"),
    symbolic=_symmetric_symbolic, numeric=_symmetric_numeric,
    network=_network_hook(_symmetric_instance),
    expressions=lambda: {"symmetrisation": T.STATEMENTS["linearization.symmetric_real_spectrum"]()},
    note="Extension.",
))


# Part B's claims 17–32 register after these.
if importlib.util.find_spec("proofs_checks.claims._linearization_singular"):
    importlib.import_module("proofs_checks.claims._linearization_singular")
