r"""Singular gains (silent units, D not invertible): claims 19–24 of the linearization paper.

Characteristic polynomials, eigenvectors of silent units, block structure, the Jordan structure
at −1 and Krylov ranks when some φ′(x*_i) = 0.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from numerics import linearization as NA
from numerics import linearization_singular as NS
from proofs_checks.registry import Claim, Proof, Sides, Tolerance, register
from theory import _linearization_singular as T
from ._checks import DPS, EPS, PAPER, REF, _charpoly_statement, _jordan_expressions, _on_network
from ._instances import _half, _n_small, _silent_instance, instance_edges


# ==================================================================================================
# E. Singular gains
# ==================================================================================================


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
        inst = _silent_instance(ctx, rng)
        _singular_charpoly_instance(ctx, inst.J, inst.gains, "G-silent")
    for rng in ctx.instances(count=_half(ctx), start=100):
        ex = NS.g_exact(rng)
        instance_edges(ctx, ex)
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
        _silent_unit_instance(ctx, _silent_instance(ctx, rng, 12))
    for rng in ctx.instances(start=100):
        inst = NA.g_saturated(rng, n=_n_small(rng, 4, 12))
        instance_edges(ctx, inst)
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
        _block_instance(ctx, _silent_instance(ctx, rng, 12))


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
        _vanish_instance(ctx, _silent_instance(ctx, rng, 12))


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
        instance_edges(ctx, ex)
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
    # A single Jordan block of full size: J the upper shift, d = 1, so JD = DJ is nilpotent of index
    # n and the rank sequence [n, n−1, …, 0] must give one block [n] at −1 in both frames (the
    # partition uses every rank step, the last one included); the verdict must say "similar".
    rng = ctx.rng(30_000)
    n = int(rng.integers(2, 7))
    J, d = np.eye(n, k=1), np.ones(n)
    rx_e, rr_e = NS.exact_rank_sequences(J, d)
    ctx.require(NS.jordan_partition(rx_e) == [n] and NS.jordan_partition(rr_e) == [n],
                "one nilpotent block: partition [n] at −1 in both frames", n=n, ranks=[rx_e, rr_e])
    ctx.require(NS.similarity_verdict(J, d, DPS)["similar"] is True, "one nilpotent block: similar", n=n)


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
    """50-digit gap-tested ranks with entrywise rounding levels (the majorants |A|ᵏ|b| agree in the
    two frames for D ≥ 0, a norm product does not); Db and Dw are formed in mpmath, exactly."""
    krylov, hankel = NA.mp_krylov_rank_entrywise, NA.mp_hankel_rank_entrywise
    return {"K_x": krylov(Ax, b, DPS).rank, "K_r": krylov(Ar, b, DPS, b_scale=d).rank,
            "O_x": krylov(Ax.T, w, DPS, b_scale=d).rank, "O_r": krylov(Ar.T, w, DPS).rank,
            "H_x": hankel(Ax, b, w, DPS, c_scale=d).rank, "H_r": hankel(Ar, b, w, DPS, b_scale=d).rank}


def _num_24(ctx):
    table = []
    for rng in ctx.instances():
        inst = NA.g_silent(rng, n=_n_small(rng, 3, 6), relu=True)
        instance_edges(ctx, inst)
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
        instance_edges(ctx, ex)
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
    tolerance=Tolerance("column k: 10²·ε·N·‖A‖₂ᵏ‖b‖‖D‖; ranks exact or 50-digit gap-tested, "
                        "rounding level entrywise: (2N² + 2)·10⁻⁵⁰·|c|ᵀ|A|ᵏ|b| per Markov parameter",
                        "Krylov columns are k matrix-vector products (N-term sums each); ranks never "
                        "from float64. ReLU gains are 0 or 1, so both sides perform the same "
                        "floating-point operations and the column errors are exactly 0. An entry "
                        "of a 50-digit product errs by at most γ times its entrywise majorant, and "
                        "with D ≥ 0 the majorants of the two frames agree (|−I+DJ|ᵏD = D|−I+JD|ᵏ), "
                        "so both ranks are decided at the same level; a norm product would differ "
                        "by ‖Dw‖‖b‖/(‖w‖‖Db‖) between the frames",
                        kind="roundoff+exact"),
    sides=Sides(symbolic=("theory._linearization_singular.krylov_relation",
                          "theory._linearization_singular.observability_relation"),
                numeric=("numerics.linearization.g_silent", "numerics.linearization_singular.g_exact",
                         "numerics.linearization_singular.krylov_matrix",
                         "numerics.linearization_singular.observability_matrix",
                         "numerics.linearization.mp_krylov_rank_entrywise",
                         "numerics.linearization.mp_hankel_rank_entrywise",
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
