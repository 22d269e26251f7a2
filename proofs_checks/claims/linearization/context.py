r"""Context-dependent inputs and low-rank networks: claims 25–29 of the linearization paper.

The selection/modulation split of s·b, input modulation in the activation frame, the
frame-invariant integrated amount, and rank-one and rank-R context networks.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from numerics import linearization as NA
from numerics import linearization_singular as NS
from proofs_checks.registry import Claim, NotApplicable, Proof, Sides, Tolerance, register
from theory import _linearization_singular as T
from ._checks import EPS, PAPER, REF, _col, _on_network
from ._instances import _n_max, _n_small, instance_edges, lowrank_degenerate, searching


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
        informative = np.max(np.abs(dbr)) > 1e-3 * np.max(np.abs(inst.b))
        if searching(ctx) and not informative:
            # Outside the hypothesis: the two contexts leave the gains (almost) equal.
            ctx.skip("the two contexts give (almost) equal gains: Δb_r ≈ 0")
            continue
        ctx.record(np.max(np.abs(dbx)), 0.0, n=inst.n, part="Δb_x = 0 bit for bit")
        # Seeded draws have distinct contexts by construction; a failure here means they do not.
        ctx.require(informative, "Δb_r ≠ 0 (the check can fail)", delta_b_r=float(np.max(np.abs(dbr))))
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
    hypotheses=("inputs enter additively before φ (the activation model of claim 1)", "two contexts with their own "
                                                                            "fixed points and gains"),
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
    if not np.any(b) or not np.any(w) or not np.any(d):
        # The errors are relative to ‖b‖, ‖w‖ and max|d|: outside the hypotheses (a zero pulse,
        # no readout or every unit silent integrate nothing in either frame).
        ctx.skip(f"{tag}: b = 0, w = 0 or D = 0")
        return None
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
        instance_edges(ctx, inst)
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
                "ν = ‖Dρ_x‖ (unit ρ); ν = 1 under consistent scaling", "b ≠ 0, w ≠ 0 and D ≠ 0"),
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
        if lowrank_degenerate(lr):
            ctx.skip(lowrank_degenerate(lr))
            continue
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
            # the orientation rule of NS.slow_mode: ρ_x ∝ Mp with c_xᵀρ_x > 0 (then c_rᵀ(DMp) > 0 too)
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
    hypotheses=("J = MYᵀ/N with M, Y ∈ ℝ^{N×R} of rank R; b, w ≠ 0", "the slow μ of K_c is real and simple",
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
