r"""Discrete time: claims 30–32 of the linearization paper.

Elman and leaky RNN Jacobians in the two frames, and Euler discretisation commuting with
linearization at fixed points.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from numerics import linearization as NA
from numerics import linearization_singular as NS
from proofs_checks.registry import Claim, Proof, Sides, Tolerance, register
from theory import _linearization_singular as T
from ._checks import DPS, EPS, FD_REASON, FD_RULE, PAPER, REF, _on_network, _rel, fd_check, fd_max_tolerance
from ._instances import _half, _n_small, instance_edges, searching


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
        instance_edges(ctx, inst)
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
        instance_edges(ctx, inst)
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
        alpha = _check_alpha(alphas[i] if i < 2 and not searching(ctx) else float(rng.uniform(1e-3, 1.0)))
        phi = NA.SMOOTH_ACTIVATIONS[int(rng.integers(3))]
        inst = NA.g_smooth(rng, n=_n_small(rng, 2, 10), activation=phi, a=float(rng.uniform(0.1, 2.0)))
        instance_edges(ctx, inst)
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
        instance_edges(ctx, inst)
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
        instance_edges(ctx, inst)
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
    if searching(ctx) and not np.max(np.abs(v1 - v2)) > 10 * used_tol:
        ctx.skip("off the fixed point the two r-maps agree to 10× the tolerance on this draw (uninformative)")
        return
    ctx.require(np.max(np.abs(v1 - v2)) > 10 * used_tol,
                "off a fixed point the two r-maps differ by more than 10× the commutation tolerance",
                difference=float(np.max(np.abs(v1 - v2))), tolerance=used_tol, F=float(np.max(np.abs(F))))
    ctx.note(f"off the fixed point (‖F‖∞ = {np.max(np.abs(F)):.2g}, α = {a2:.2g}) the r-maps differ by "
             f"{np.max(np.abs(v1 - v2)):.2g}: commutation not applicable there")


def _euler_krylov(ctx):
    for rng in ctx.instances(count=_half(ctx), start=100):
        ex = NS.g_exact(rng)
        instance_edges(ctx, ex)
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
