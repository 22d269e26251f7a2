r"""Eigenvalues and eigenvectors in the two frames: claims 9–12 of the linearization paper.

Same spectrum with multiplicities, the right and left eigenvector maps v_r = D v_x,
v_x = J v_r/(λ+1), and biorthonormal bases carried by the maps.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
import sympy

from numerics import RNNSpec
from numerics import linearization as N
from proofs_checks.registry import Claim, Proof, Sides, Tolerance, register
from theory import linearization as T
from ._checks import EPS, PAPER, REF, _eigvec_symbolic, _network_hook, _norm2
from ._instances import _generator_cycle, family, instance_edges, search_sized


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
        name, fn = gens[family(ctx, rng, i, 3)]
        inst = fn(search_sized(ctx, rng))
        instance_edges(ctx, inst)
        _same_spectrum_instance(ctx, inst, use_mp=(name == "G-saturated"))


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


def _right_symbolic():
    return Proof(_eigvec_symbolic(), "MatrixSymbol: (A_r−λ)(Dv) = D(A_x−λ)v, (A_x−λ)(Jv) = J(A_r−λ)v and "
                                     "D(Jv) − (λ+1)v = (A_r−λ)v expand to identities")


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


def _linearize_report(ctx, rng):
    """The code behind ``rnnproof linearize`` on a G-smooth network: Newton converges, both
    eigenvector maps (v_r = D v_x and the left map u_r = Jᵀu_x/(λ+1)) pass the command's residual
    checks, and its activity-frame eigenvalues are those of an independent eig(−I + DJ)."""
    inst = N.g_smooth(rng, n=int(rng.integers(2, 9)))
    spec = RNNSpec(W=inst.J, B=inst.B, b=inst.h, C=inst.w[None, :], activation=inst.activation)
    out = N.linearize(spec, u0=inst.u0, rng=rng)
    ctx.require(bool(out["converged"]), "rnnproof linearize: Newton converged", n=inst.n)
    if not out["converged"]:
        return
    maps = out["eigvec_maps"]
    ctx.require(maps["right"]["ok"] and maps["left"]["ok"], "rnnproof linearize: both eigenvector maps pass",
                right=maps["right"]["max_relative_residual"], left=maps["left"]["max_relative_residual"])
    d = np.asarray(out["gains"], float)
    A_r = -np.eye(inst.n) + d[:, None] * inst.J
    w, _, _, s = N.eig_condition(A_r)
    reported = np.array([complex(*z) if isinstance(z, (list, tuple)) else complex(z)
                         for z in out["eigenvalues"]["activity"]])
    _, dist = N.match_eigenvalues(reported, w)
    tol = N.eigenvalue_tolerances(A_r, s, 100.0)
    k = int(np.argmax(dist / tol))
    ctx.record(dist[k], tol[k], part="rnnproof linearize: activity eigenvalues", n=inst.n)


def _left_numeric(ctx):
    gens = [("G-smooth", N.g_smooth), ("G-silent", N.g_silent), ("G-saturated", N.g_saturated)]
    for name, inst in _generator_cycle(ctx, gens):
        _left_instance(ctx, inst, regression=(name == "G-saturated"))
    _linearize_report(ctx, ctx.rng(20_000))


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
                         "numerics.linearization.eig_condition", "numerics.linearization.linearize",
                         "numerics.linearization.match_eigenvalues"),
                reference="LAPACK left eigenvectors mapped by D and by Jᵀ/(λ+1) leave small left "
                          "residuals in the other frame; the rnnproof linearize report on a G-smooth "
                          "network passes its map checks and lists the eigenvalues of eig(−I + DJ)"),
    symbolic=_left_symbolic, numeric=_left_numeric, network=_network_hook(_left_instance),
    expressions=lambda: {k: d.relation() for k, d in T.left_eigvec_map().items()},
    note="Core. G-saturated notes how the D⁻¹ form compares with the Jᵀ form.",
    commands=("rnnproof linearize NET.npz",),
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
