r"""Models and their linearizations at a fixed point: claims 1–4 of the linearization paper.

The activation and activity ODEs, the rate model, per-unit time constants, and the two
linear systems (A, b, c) at a fixed point.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp
import scipy.linalg as sla
from scipy.optimize import root
import sympy

from numerics import linearization as N
from proofs_checks.registry import Claim, NotApplicable, Proof, Sides, Tolerance, register
from theory import linearization as T
from ._checks import (EPS, FD_REASON, FD_RULE, PAPER, REF, _activity_pointwise, _network_hook, _norm2,
                      _require_zero, _theory_jacobians, fd_check)
from ._instances import _generator_cycle, instance_edges, search_sized


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
        instance_edges(ctx, inst)
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
    # evaluating F: |F_i| ≤ (|J||q|)_i + ρ_q + γ(|J||r*| + |B||u₀| + |h|)_i + ρ_F,i. The sum is taken
    # over the terms before cancellation: rate_field rounds Jr + Bu₀ + h, and c = Bu₀ + h rounds
    # on its own, so |c| (which may cancel to 0) would drop an error of order ε(|B||u₀| + |h|).
    m = inst.n + inst.B.shape[1] + 4
    S_y = np.abs(inst.J) @ np.abs(r_star) + np.abs(inst.B) @ np.abs(inst.u0) + np.abs(inst.h)
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
    tolerance=Tolerance("|F(y*)_i| ≤ (|J||q|)_i + γ(|J||r*| + |B||u₀| + |h|)_i + ρ_F,i with q = rate residual at r*; "
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
        inst = N.g_smooth(search_sized(ctx, rng))
        inst = inst.with_tau(10.0 ** rng.uniform(-1.0, 1.0, inst.n))
        instance_edges(ctx, inst)
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
        inst = N.g_smooth(search_sized(ctx, rng))
        instance_edges(ctx, inst)
        _two_instance(ctx, inst)


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
