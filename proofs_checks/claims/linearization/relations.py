r"""How the two linearizations relate: claims 5–8 of the linearization paper.

Intertwining D A_x = A_r D, similarity when every gain is nonzero, flows and resolvents
pushed through D, and the O(η²) linear prediction of the nonlinear flow.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp
import scipy.linalg as sla

from numerics import linearization as N
from numerics import linearization_singular as NS
from proofs_checks.registry import Claim, NotApplicable, Proof, Sides, Tolerance, register
from theory import linearization as T
from ._checks import EPS, ETA, PAPER, REF, _network_hook, _norm2, _require_zero, pow2_normalized
from ._instances import _generator_cycle, family, instance_edges, search_sized


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
    # diagonal: one more rounding (of −1 + d_i J_ii) in each frame; + 4η where a product is nonzero
    # (underflow), while exact zeros (a silent unit) must stay exact
    nonzero = (d[:, None] != 0) & ((J != 0) & (d[None, :] != 0) | (eye > 0))
    tol = 4 * EPS * (dJd + np.abs(d)[:, None] * eye) + 2 * EPS * eye * dJd + 4 * ETA * nonzero
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
    tol2 = 2 * n * EPS * (aJ @ (np.abs(d)[:, None] * aJ) + aJ) + 4 * n * ETA
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
    tolerance=Tolerance("entrywise 4ε(|d_i J_ij d_j| + |d_i|δ_ij) + 2εδ_ij|d_iJ_iid_i| + 4η; "
                        "for A_xJ = JA_r: 2Nε(|J||D||J| + |J|)_ij + 4Nη (η = 2⁻¹⁰⁷⁴; exact zeros stay exact)",
                        "diagonal scalings are exact up to one rounding each (the diagonal has one more, "
                        "from −1 + d_iJ_ii); the dense products obey the standard γ_N|A||B| bound, and "
                        "|A_x||J| ≤ |J| + |J||D||J|, so the −J term enters too; η bounds one rounding in the "
                        "subnormal range, where the relative bound underflows", kind="roundoff"),
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
    # η: a product may underflow (absolute error η per rounding); the division by d_j then
    # scales the η of J_ij d_j and of d_i(·) by 1/|d_j|
    ad = np.abs(d)
    tol = 4 * EPS * (adJ + eye) + 2 * EPS * eye * (adJ + 1) + 4 * ETA * (1 + (1 + ad[:, None]) / ad[None, :])
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


def _similarity_relaxed(ctx):
    """``--relax "nonzero gains"``: G-exact draws with a zero gain. A_x and A_r are similar iff
    rank (JD)^k = rank (DJ)^k for every k (claim 23c), decided in exact rational arithmetic; the
    smallest failure (J = [[0, 1], [0, 0]], d = (1, 0)) shows why D must be invertible."""
    for rng in ctx.instances():
        inst = NS.g_exact(rng)
        instance_edges(ctx, inst)
        silent = int(np.sum(inst.d == 0))
        if silent == 0:
            ctx.skip("every gain nonzero: inside the hypothesis")
            continue
        rx, rr = NS.exact_rank_sequences(inst.J, inst.d)
        ctx.edge("a silent unit", True)
        ctx.require(rx == rr, "A_x = −I + JD similar to A_r = −I + DJ (rank (JD)^k = rank (DJ)^k)",
                    n=inst.n, J=inst.J, d=inst.d, ranks_JD=rx, ranks_DJ=rr)


def _similarity_numeric(ctx):
    if "nonzero gains" in ctx.relaxed:
        return _similarity_relaxed(ctx)
    gens = [("G-smooth", N.g_smooth), ("G-saturated", N.g_saturated)]
    for i, rng in enumerate(ctx.instances()):
        name, fn = gens[family(ctx, rng, i, 2)]
        inst = fn(search_sized(ctx, rng))
        _similarity_instance(ctx, inst)
        if name == "G-smooth":
            _similarity_general_D(ctx, inst, rng)


register(Claim(
    id="linearization.similarity", paper=PAPER,
    title="A_r = D A_x D⁻¹ when all gains are nonzero",
    reference=REF.format(6),
    statement=T.STATEMENTS["linearization.similarity"],
    hypotheses=("every gain d_i = φ′(x*_i) is nonzero",),
    tolerance=Tolerance("entrywise 4ε(|d_iJ_ij| + δ_ij) + 2εδ_ij(|d_iJ_ii| + 1) + 4η(1 + (1 + |d_i|)/|d_j|) "
                        "(η = 2⁻¹⁰⁷⁴, underflow); non-diagonal D: "
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
    relaxable={"nonzero gains": "draws integer networks (G-exact) with at least one zero gain and "
                                "asks whether A_x and A_r are still similar, by exact Jordan ranks"},
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
        inst = gens[family(ctx, rng, i, 2)][1](search_sized(ctx, rng))
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
    if not np.any(xi):
        ctx.skip("ξ = 0: the perturbation needs a direction")   # only a search draws an exact 0
        return
    xi = pow2_normalized(xi)       # exact; ‖ξ‖₂ of a subnormal draw would underflow to 0
    xi /= np.linalg.norm(xi)
    Ex, Er = sla.expm(t * Jx), sla.expm(t * Jr)
    K = inst.B.shape[1]
    step = K > 0 and bool(np.any(inst.B[:, 0]))
    if K and not step:     # only a search draws B[:, 0] = 0
        ctx.skip("b = B[:, 0] = 0: an input step does not move the state (no input-step runs)")
    if step:
        e0 = np.zeros(K)
        e0[0] = 1.0
        b = inst.B[:, 0]
        Sx, Sr = _step_response(Jx, b / taus, t), _step_response(Jr, d * b / taus, t)
    # All perturbations (4 η for the initial kick, 4 η for the input step) in one stacked ODE:
    # one integrator call instead of eight; each block evolves independently.
    runs = [("", eta * xi, inst.u0) for eta in _ETAS]
    if step:
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
        if not np.all(errs > 0):
            ctx.skip(f"{frame}: the linear prediction is exact to the last bit at some η (e = 0, "
                     "no second-order term to fit an order to)")
            continue
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
        instance_edges(ctx, inst)
        _prediction_instance(ctx, inst, rng)


register(Claim(
    id="linearization.linear_prediction", paper=PAPER,
    title="Both linearizations predict the nonlinear flow to O(η²)",
    reference=REF.format(8),
    statement=T.STATEMENTS["linearization.linear_prediction"],
    hypotheses=("φ is C²", "‖ξ‖ = 1, x(0) = x* + ηξ, u = u₀", "t fixed in [0.5τ, 3τ]",
                "input step u₀ + ηe₁: b = B[:, 0] ≠ 0"),
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
