r"""What the frame changes and what it does not: claims 13–16 of the linearization paper.

Transfer function and Markov parameters, modal gains and spectral projectors (invariant);
norms, angles, κ(V), ‖e^{tA}‖ (frame-dependent); symmetric J with positive gains.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
import sympy

from numerics import linearization as N
from proofs_checks.registry import Claim, NotApplicable, Proof, Sides, Tolerance, register
from theory import linearization as T
from ._checks import EPS, PAPER, REF, _eigvec_symbolic, _network_hook, _norm2, _sep, pow2_normalized
from ._instances import _generator_cycle, family, instance_edges, search_sized, searching


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
    # H(s) is linear in B and in w: powers of two keep its relative error bitwise and stop the norms
    # of tiny B or w (a search draws 10⁻²⁴⁰) from underflowing to 0
    B_h, w_h = pow2_normalized(inst.B), pow2_normalized(inst.w)
    worst = None
    for _ in range(5):
        for _ in range(20):
            s = (1 + nA) * (rng.standard_normal() + 1j * rng.standard_normal())
            if np.min(np.abs(lam - s)) >= 0.1 * (1 + nA):
                break
        else:
            continue
        Mx, Mr = s * eye - A_x, s * eye - A_r
        Hx = (d * w_h) @ np.linalg.solve(Mx, B_h)
        Hr = w_h @ np.linalg.solve(Mr, d[:, None] * B_h)
        scale = np.linalg.norm(w_h) * max(np.abs(d).max(), 1e-300) * np.linalg.norm(B_h) * \
            max(np.linalg.norm(np.linalg.inv(Mx), 2), np.linalg.norm(np.linalg.inv(Mr), 2))
        # scale = 0 only for B = 0 (w ≠ 0): both H are solves with a zero right-hand side, exactly 0
        err = float(np.max(np.abs(Hx - Hr)) / scale) if scale > 0 else float(np.max(np.abs(Hx - Hr)))
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
        _transfer_instance(ctx, gens[family(ctx, rng, i, 2)](search_sized(ctx, rng)), rng)


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
    # b and w by powers of two: the gains are linear in each, and their norms must not underflow
    b = pow2_normalized(inst.B[:, 0])
    w = pow2_normalized(inst.w)
    wx, VLx, VRx, sx = N.eig_condition(A_x)
    wr, VLr, VRr, sr = N.eig_condition(A_r)
    worst = {}

    def keep(key, err, tol):
        if key not in worst or err / tol > worst[key][0] / worst[key][1]:
            worst[key] = (err, tol)

    sep = _sep(wx)
    has_input = bool(np.any(b))
    if not has_input:    # both input-side gains are exactly 0; their relative error would be 0/0
        ctx.skip("input column b = 0: the input gains and projector readouts vanish in both frames "
                 "(only the output gains and the cluster projector are compared)")
    for k in range(inst.n if has_input else 0):
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
        # scale = 0 means Dw = 0 and Db = 0 (b, w ≠ 0): both readouts are products with a zero
        # vector, exactly 0, and their absolute difference is the error
        err = abs(ro_x - ro_r) / scale if scale > 0 else abs(ro_x - ro_r)
        keep("projector readout cᵀPb", err, 1e3 * EPS * amp * nA / sx[k])
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
    hypotheses=("λ simple", "λ ≠ −1 (or D invertible)",
                "an input column b ≠ 0 for the input gains and projector readouts, a readout w ≠ 0"),
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
    inst = N.g_smooth(search_sized(ctx, rng))
    instance_edges(ctx, inst)
    c = float(rng.uniform(0.1, 1.0))
    A_x, A_r = N.jacobians(inst, np.full(inst.n, c))
    ctx.record(float(np.max(np.abs(A_x - A_r))), 0.0, check="D = cI gives A_x = A_r", n=inst.n)
    found = None
    for i, rng in enumerate(ctx.instances(count=10, start=1)):
        inst = N.g_smooth(search_sized(ctx, rng), a_range=(1.0, 3.0))
        instance_edges(ctx, inst)
        q = _frame_quantities(inst)
        kx, kr = q["x"]["kappa"], q["r"]["kappa"]
        if abs(kx - kr) > 0.1 * min(kx, kr) and abs(q["x"]["cos"] - q["r"]["cos"]) > 1e-3:
            found = (i, inst, q)
            break
    if found is None and searching(ctx):
        # Under search one draw stands for the ten: a draw that is no witness does not refute an
        # existence (genericity) statement; the D = cI part above is still checked.
        ctx.skip("this draw is not a frame-dependence witness")
        return
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


def _symmetric_relaxed(ctx):
    """``--relax "symmetric J"``: a non-symmetric J (G-smooth); the spectrum then need not be real,
    and the smallest failure is a 2-unit network with a rotation-like J."""
    for rng in ctx.instances():
        inst = N.g_smooth(rng, n=int(rng.integers(2, 5)))   # small, so every entry of J shrinks
        instance_edges(ctx, inst)
        d = inst.gains
        if np.any(d <= 0):
            ctx.skip("some d_i = 0")
            continue
        kD = float(np.sqrt(d.max() / d.min()))
        for frame, A in zip(("x", "r"), N.jacobians(inst)):
            w = np.linalg.eigvals(A)
            ctx.record(float(np.max(np.abs(w.imag))), 100 * EPS * np.linalg.norm(A) * kD,
                       check="max|Im λ|", frame=frame, n=inst.n, J=inst.J, d=d)


def _symmetric_numeric(ctx):
    if "symmetric J" in ctx.relaxed:
        return _symmetric_relaxed(ctx)
    for rng in ctx.instances():
        inst = N.g_smooth(search_sized(ctx, rng), symmetric=True)
        instance_edges(ctx, inst)
        _symmetric_instance(ctx, inst)


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
    relaxable={"symmetric J": "draws a non-symmetric J (G-smooth) and checks that the spectrum is real"},
    note="Extension.",
))
