"""The origin of the zero-input map h ↦ tanh(Wh): a fixed point, linearised by W, and its stability
(claims geometry.zero_state_fixed_point and geometry.origin_stability; toolkit extensions)."""

from __future__ import annotations

import functools
import math

import numpy as np
import scipy.linalg as sla
import sympy as sp

from numerics import geometry as N
from proofs_checks.registry import Claim, NotApplicable, Proof, Sides, Tolerance, annotate, register
from theory import geometry as T

from ._checks import EPS, PAPER, REF, _bias_free, _discrete_tanh_like
from ._instances import SATURATING_GAIN, _nonnormal_stable, search_gain, search_size


# ================================================================================================
# geometry.zero_state_fixed_point
# ================================================================================================
@functools.lru_cache(maxsize=None)
def _jacobian_fn(H: int):
    W = T.symbolic_weights(H, 1)[0]
    h = sp.Matrix(H, 1, lambda i, j: sp.Symbol(f"h_{i}"))
    J = T.autonomous_jacobian(W, h)
    return sp.lambdify((list(W), list(h)), J, "numpy")


def _fd_jacobian(f, h, step=1e-6):
    H = h.size
    E = np.eye(H) * step
    return ((f(h + E) - f(h - E)) / (2 * step)).T  # row j of f(h ± E) is f(h ± step e_j)


def _fd_tolerance_at_zero(W, step=1e-6) -> float:
    """Bound on |central difference − W_ij| for tanh(W h) at h = 0: truncation step²/6·|d³/ds³
    tanh(W_ij s)| ≤ step²|W_ij|³/3 (|tanh'''| ≤ 2), rounding ≈ ε|W_ij| per value; twice their sum,
    and never below the 1e-8 that covers every W of the seeded draws (|W_ij| ≲ 15 there)."""
    w = float(np.max(np.abs(W))) if W.size else 0.0
    return max(1e-8, 2 * (step ** 2 * w ** 3 / 3 + 4 * EPS * w))


def _zero_symbolic() -> Proof:
    ok = T.zero_state_matrix_proof()
    residuals = [T.zero_state_residuals(H) for H in (2, 3)]
    ok = ok and all(f0.is_zero_matrix and dJ.is_zero_matrix for f0, dJ in residuals)
    return Proof(ok, "W·0 + U·0 = 0 with MatrixSymbols and tanh(0) = 0; for symbolic W (H = 2, 3) "
                     "tanh(W·0) = 0 and jacobian(tanh(W h), h) at h = 0 minus W simplifies to 0")


def _zero_numeric(ctx):
    for rng in ctx.instances():
        H = search_size(ctx, rng, 1, 257)
        gain = float(rng.uniform(0.1, 3.0))
        gain = search_gain(ctx, rng, gain)
        W = rng.standard_normal((H, H)) * gain / math.sqrt(H)
        f0 = N.autonomous_map(W, np.zeros(H))
        ctx.require(np.array_equal(f0, np.zeros(H)), "tanh(W·0) == 0 exactly", H=H, gain=gain)
        J = _fd_jacobian(lambda h: N.autonomous_map(W, h), np.zeros(H))
        ctx.edge("W = 0 (zero gain)", gain == 0)
        ctx.edge("saturating gain", gain == SATURATING_GAIN)
        ctx.edge("H = 1", H == 1)
        ctx.record(np.max(np.abs(J - W)), _fd_tolerance_at_zero(W), check="finite-difference Df(0) vs W",
                   H=H, gain=gain)
    for rng in ctx.instances(start=100):
        H = int(rng.integers(1, 4))
        W = rng.standard_normal((H, H)) * 1.5 / math.sqrt(H)
        h = rng.uniform(-1, 1, H)
        J_sym = np.asarray(_jacobian_fn(H)(list(W.ravel()), list(h)), dtype=float)
        J_fd = _fd_jacobian(lambda z: N.autonomous_map(W, z), h)
        ctx.record(np.max(np.abs(J_sym - J_fd)), 1e-8,
                   check="lambdified SymPy Jacobian diag(1 − tanh²(Wh))W vs finite differences", H=H)


def _zero_network(ctx, spec):
    _discrete_tanh_like(spec, "the zero-state fixed point")
    if not _bias_free(spec):
        raise NotApplicable("the network has a recurrent bias b ≠ 0: the origin is not a fixed point")
    if spec.act.phi(np.zeros(1))[0] != 0:
        raise NotApplicable(f"origin is not a fixed point: {spec.activation}(0) ≠ 0")
    H = spec.n
    f = lambda h: spec.act.phi(h @ spec.W.T)  # noqa: E731
    ctx.require(np.array_equal(f(np.zeros(H)), np.zeros(H)), "φ(W·0) == 0 exactly", n=H)
    if spec.activation in ("tanh", "linear"):
        J = _fd_jacobian(f, np.zeros(H))
        ctx.record(np.max(np.abs(J - spec.W)), 1e-8, check="finite-difference Df(0) vs W", n=H)
    else:
        ctx.note(f"{spec.activation}: φ'(0) is not 1 or not defined; only f(0) = 0 was checked")


register(Claim(
    id="geometry.zero_state_fixed_point", paper=PAPER,
    title="Without bias, h = 0 is a fixed point of the zero-input dynamics; its linearisation is W",
    reference=REF,
    source="toolkit extension (an exact structural fact of bias-free tanh RNNs)",
    statement=T.zero_state_statement,
    hypotheses=("h_t = tanh(W h_{t−1} + U x_t), no recurrent bias", "φ(0) = 0 (tanh, ReLU)",
                "W finite"),
    tolerance=Tolerance("f(0) = 0 exactly; finite-difference Jacobian within max(1e-8, "
                        "2(step²·max|W|³/3 + 4ε·max|W|)) of W (step 1e-6)",
                        "central difference: truncation ≈ 1e-12·|W|³/3, rounding ≈ ε·|W|/1e-6·1e-6; "
                        "1e-8 leaves a margin of several orders", kind="truncation+roundoff+exact"),
    symbolic=_zero_symbolic, numeric=_zero_numeric, network=_zero_network,
    expressions=lambda: {"recurrence": T.recurrence_statement(),
                         "Df(h)": T.autonomous_jacobian(T.symbolic_weights(2, 1)[0],
                                                        sp.Matrix(sp.symbols("h_0 h_1")))},
    cost=1.0,
))


# ================================================================================================
# geometry.origin_stability
# ================================================================================================
def _stability_symbolic() -> Proof:
    g0, dg, odd = T.tanh_bound_proof()
    ok = g0 == 0 and dg == 0 and odd == 0
    return Proof(ok, "g(a) = a − tanh a: g(0) = 0, g'(a) − tanh²a = 0 (so g' ≥ 0), tanh odd ⇒ "
                     "|tanh a| ≤ |a|; hence ‖tanh(Wh)‖ ≤ ‖W‖₂‖h‖ and the bound ‖W‖₂ᵗ‖h₀‖ by induction")


@functools.lru_cache(maxsize=None)
def _bound_fn():
    c, t, h = sp.symbols("c t h", positive=True)
    return sp.lambdify((c, t, h), T.contraction_bound(c, t, h), "numpy")


def _check_contraction(ctx, W, h0, steps, **info):
    c = np.linalg.norm(W, 2)
    run = N.autonomous_run(W, h0, steps)[:, 0]
    norms = _norms(run)
    bound = _bound_fn()(c, np.arange(steps + 1), norms[0])
    # (a): ‖h_t‖ ≤ c^t ‖h_0‖ (1 + 1e-12): a relative slack for the rounding of the iterates.
    excess = np.max((norms - bound) / np.maximum(bound, np.finfo(float).tiny))
    ctx.record(max(excess, 0.0), 1e-12, check="‖h_t‖ ≤ ‖W‖₂ᵗ‖h₀‖ (1 + 1e-12)", norm_W=c, **info)


def _norms(rows) -> np.ndarray:
    """Euclidean norm of each row, scaled by its largest entry first: ‖x‖ = m‖x/m‖. The plain
    sqrt(Σx²) underflows once the entries fall below ~1e-154 (a contracting run reaches that in a
    few hundred steps) and then exceeds the bound ‖W‖₂ᵗ‖h₀‖ by up to 1/3 of itself."""
    rows = np.asarray(rows, dtype=float)
    scale = np.max(np.abs(rows), axis=1)
    safe = np.where(scale > 0, scale, 1.0)
    return scale * np.sqrt(np.sum((rows / safe[:, None]) ** 2, axis=1))


MAX_UNSTABLE_STEPS = 100_000


def _check_unstable(ctx, W, rng, budget_rho=None, **info):
    """Case (c): from ‖h₀‖ = 1e-8, ‖h_t‖ exceeds 1e-4 within ⌈2 ln 10⁴/ln ρ⌉ + 50 steps
    (``budget_rho`` replaces ρ in the step budget: the relaxed search keeps the budget of ρ = 1.1)."""
    rho = N.spectral_radius(W)
    H = W.shape[0]
    h0 = rng.standard_normal(H)
    if not np.any(h0):
        ctx.skip("h₀ = 0 is the fixed point itself, not a perturbation of it")
        return
    h0 *= 1e-8 / np.linalg.norm(h0)
    rate = rho if budget_rho is None else budget_rho
    steps = math.ceil(2 * math.log(1e4) / math.log(rate)) + 50 if rate > 1 else math.inf
    if steps > MAX_UNSTABLE_STEPS:
        ctx.skip(f"ρ(W) = {rho:.15g} is too close to 1: the growth to 1e-4 would take more than "
                 f"{MAX_UNSTABLE_STEPS} steps")
        return
    if budget_rho is None and _linear_peak(W, h0, steps) < 1e5 * np.linalg.norm(h0):
        # The hypothesis is a generic start: one with a component on the unstable directions of W,
        # which the linearisation grows like ρᵗ (10⁸-fold in `steps`). A start on (or within 10⁻³
        # of) the stable invariant subspace is not a perturbation the statement is about.
        ctx.skip("h₀ lies (almost) on the stable invariant subspace of W: even the linearisation "
                 "grows it less than 10⁵-fold")
        return
    peak = float(np.max(np.linalg.norm(N.autonomous_run(W, h0, steps)[:, 0], axis=1)))
    # ‖h_t‖ must exceed 1e-4 within `steps`: recorded as 1e-4/peak ≤ 1.
    ctx.record(1e-4 / peak, 1.0, check="max_t ‖h_t‖ > 1e-4 from ‖h₀‖ = 1e-8", rho=rho, steps=steps,
               peak=peak, **info)


def _check_radius(ctx, W, **info):
    """ρ(W) from ``numpy.linalg.eigvals`` (LAPACK geev, with balancing) against ρ from the complex
    Schur form (scipy.linalg.schur: gees, no balancing): the witness of the hypothesis ρ(W) > 1
    that case (c) relies on. Each routine is backward stable: its eigenvalues are exact for W + E,
    with Wilkinson's a priori bound ‖E‖_F ≤ n²·u·‖W‖_F for the O(n) Householder similarity
    transformations of the reduction and the QR iteration. To first order an eigenvalue moves by
    at most κᵢ‖E‖₂ (κᵢ = ‖xᵢ‖‖yᵢ‖/|yᵢᴴxᵢ|, right and left eigenvectors), and forming |λ| rounds
    by 2u|λ| in each routine, so |ρ₁ − ρ₂| ≤ 2n²·u·‖W‖_F·maxᵢ κᵢ + 4u·ρ. (A linear n·u·‖W‖_F
    failed at n = 3, by 1.2×: seed 405.) Where the first-order term reaches 10⁻³ρ (a nearly
    defective W) it no longer bounds the difference, and the instance is not applicable."""
    n = W.shape[0]
    rho = N.spectral_radius(W)
    schur_form = sla.schur(W.astype(complex), output="complex")[0]
    rho_schur = float(np.max(np.abs(np.diag(schur_form))))
    _, left, right = sla.eig(W, left=True, right=True)
    overlap = np.abs(np.sum(left.conj() * right, axis=0))
    kappa_max = float(np.max(np.linalg.norm(left, axis=0) * np.linalg.norm(right, axis=0)
                             / np.maximum(overlap, np.finfo(float).tiny)))
    first_order = n * n * EPS * np.linalg.norm(W, "fro") * kappa_max  # EPS = 2u
    if not first_order < 1e-3 * rho_schur:
        ctx.skip(f"W is nearly defective (max κ(λ) = {kappa_max:.3g}): first-order perturbation "
                 "theory does not bound two computations of ρ(W)")
        return
    ctx.record(abs(rho - rho_schur), first_order + 2 * EPS * rho_schur,
               check="ρ(W) by eigvals (geev) = ρ(W) by the Schur form (gees)",
               rho=rho, rho_schur=rho_schur, kappa_max=kappa_max, **info)


def _linear_peak(W, h, steps) -> float:
    """max_{t ≤ steps} ‖Wᵗ h‖ (the linearisation at the origin, iterated in float64)."""
    peak = np.linalg.norm(h)
    for _ in range(steps):
        h = W @ h
        peak = max(peak, np.linalg.norm(h))
        if not np.isfinite(peak):
            break
    return float(peak)


def _check_local_stable(ctx, W, rng, **info):
    H = W.shape[0]
    P = np.eye(H)
    growth = 1.0
    for _ in range(500):
        P = P @ W
        growth = max(growth, np.linalg.norm(P, 2))
    h0 = rng.standard_normal(H)
    if not np.any(h0):
        ctx.skip("h₀ = 0 is the fixed point itself, not a perturbation of it")
        return
    if np.linalg.norm(P, 2) > 1e-5 * growth:
        # ‖W⁵⁰⁰‖₂ ≤ 10⁻⁵ max_t‖Wᵗ‖₂ is what lets the linearisation reach 10⁻¹⁰ from the scaled start
        # within the 500-step window; a longer non-normal transient needs a longer window.
        ctx.skip("the non-normal transient of W outlasts the 500-step window (‖W⁵⁰⁰‖₂ > 10⁻⁵ max‖Wᵗ‖₂)")
        return
    h0 *= 1e-6 / growth / np.linalg.norm(h0)
    norms = np.linalg.norm(N.autonomous_run(W, h0, 500)[:, 0], axis=1)
    ctx.note(f"(b) H = {H}: transient peak max_t ‖h_t‖/‖h₀‖ = {norms.max() / norms[0]:.3g} "
             f"(max_t ‖Wᵗ‖₂ = {growth:.3g}, ‖W‖₂ = {np.linalg.norm(W, 2):.3g})")
    ctx.record(norms.min(), 1e-10, check="min_{t≤500} ‖h_t‖ < 1e-10 from ‖h₀‖ = 1e-6/max‖Wᵗ‖₂",
               rho=N.spectral_radius(W), norm_W=np.linalg.norm(W, 2),
               transient_peak=float(norms.max() / norms[0]), **info)


def _stability_numeric(ctx):
    if RELAX_UNSTABLE in ctx.relaxed:
        _unstable_relaxed(ctx)
        return
    for rng in ctx.instances():                       # (a) contraction
        H = search_size(ctx, rng, 1, 101)
        c = float(rng.uniform(0.1, 0.99))
        W = rng.standard_normal((H, H))
        norm = np.linalg.norm(W, 2)
        if norm > 0:
            W *= c / norm
        # else W = 0: the zero gain, a contraction with ‖W‖₂ = 0 that the bound must cover too
        ctx.edge("W = 0 (zero gain)", norm == 0)
        ctx.edge("H = 1", H == 1)
        ctx.edge("‖W‖₂ just below 1 (≥ 0.98)", norm > 0 and c >= 0.98)
        _check_contraction(ctx, W, rng.uniform(-1, 1, H), 200, H=H, c=c if norm > 0 else 0.0)
    for rng in ctx.instances(start=100):              # (b) local stability, non-normal W
        H = search_size(ctx, rng, 2, 21)
        rho = float(rng.uniform(0.5, 0.9))
        W = _nonnormal_stable(rng, H, rho)
        if W is None:
            ctx.skip("the drawn strictly upper part is 0: W is normal, ‖W‖₂ = ρ(W) < 1 is case (a)")
            continue
        _check_local_stable(ctx, W, rng, H=H)
    for rng in ctx.instances(start=200):              # (c) instability
        H = search_size(ctx, rng, 1, 101)
        rho = float(rng.uniform(1.1, 3.0))
        W = rng.standard_normal((H, H))
        radius = N.spectral_radius(W)
        if radius == 0:
            ctx.skip("the drawn W is nilpotent (ρ(W) = 0): it cannot be scaled to ρ(W) > 1")
            continue
        W *= rho / radius
        ctx.edge("H = 1", H == 1)
        _check_radius(ctx, W, H=H)
        _check_unstable(ctx, W, rng, H=H)


# `rnnproof search --relax`: case (c) with ρ(W) ≤ 1, where the conclusion must fail.
RELAX_UNSTABLE = "ρ(W) > 1"


def _unstable_relaxed(ctx):
    """Case (c) drawn with ρ(W) ∈ [0.5, 1]: the conclusion "the origin is unstable" fails."""
    for rng in ctx.instances(start=200):
        # The smallest networks (H ≤ 3): every entry an individual draw, which the search shrinks.
        H = int(rng.integers(1, 4))
        rho = float(rng.uniform(0.5, 1.0))
        W = rng.standard_normal((H, H))
        radius = N.spectral_radius(W)
        if radius == 0:
            ctx.skip("the drawn W is nilpotent (ρ(W) = 0)")
            continue
        W *= rho / radius
        _check_unstable(ctx, W, rng, budget_rho=1.1, H=H, relaxed_rho=rho)


def _stability_network(ctx, spec):
    _discrete_tanh_like(spec, "origin stability")
    if spec.activation != "tanh" or not _bias_free(spec):
        raise NotApplicable("origin stability is stated for the bias-free tanh map h ↦ tanh(Wh)")
    W = spec.W
    norm, rho = np.linalg.norm(W, 2), N.spectral_radius(W)
    if abs(rho - 1.0) <= 1e-12:
        raise NotApplicable(f"ρ(W) = {rho:.15g} = 1: linearisation inconclusive")
    rng = ctx.rng()
    if norm < 1:
        _check_contraction(ctx, W, rng.uniform(-1, 1, spec.n), 200, case="a")
    elif rho < 1:
        _check_local_stable(ctx, W, rng, case="b")
    else:
        _check_radius(ctx, W, case="c")
        _check_unstable(ctx, W, rng, case="c")
    ctx.note(f"user network: ‖W‖₂ = {norm:.4g}, ρ(W) = {rho:.4g}")


register(Claim(
    id="geometry.origin_stability", paper=PAPER,
    title="Stability of the origin: contraction if ‖W‖₂ < 1, unstable if ρ(W) > 1",
    reference=REF,
    source="toolkit extension (an exact structural fact of bias-free tanh RNNs)",
    statement=T.stability_statement,
    hypotheses=("f(h) = tanh(Wh), no bias", "(a) ‖W‖₂ < 1: global contraction",
                "(b) ρ(W) < 1: local asymptotic stability", "(c) ρ(W) > 1: the origin is unstable",
                "ρ(W) = 1 is inconclusive",
                "(b), (c): a generic start h₀ ≠ 0, not on the stable invariant subspace of W, and a "
                "non-normal transient shorter than the 500-step window"),
    tolerance=Tolerance("(a) ‖h_t‖ ≤ ‖W‖₂ᵗ‖h₀‖(1 + 1e-12), t ≤ 200; (b) ‖h_t‖ < 1e-10 within 500 steps; "
                        "(c) ‖h_t‖ > 1e-4 within ⌈2 ln 10⁴/ln ρ⌉ + 50 steps, ρ(W) by eigvals and by the "
                        "Schur form within 2n²·u·‖W‖_F·max κ(λ) + 4u·ρ",
                        "(a) rounding of a few ulps per step; (b) start scaled by max‖Wᵗ‖₂ keeps the "
                        "transient linear; (c) ρ² margin over the needed growth 10⁴; ρ(W): first-order "
                        "eigenvalue perturbation of two backward-stable routines", kind="roundoff"),
    symbolic=_stability_symbolic, numeric=_stability_numeric, network=_stability_network,
    expressions=lambda: {"bound": T.stability_statement()},
    relaxable={RELAX_UNSTABLE: "case (c) drawn with ρ(W) ∈ [0.5, 1] (step budget of ρ = 1.1): a small "
                               "start no longer grows past 10⁻⁴"},
    cost=2.0,
))


# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces
# the numeric checks and fails on a call into theory that is not listed as lambdified).
_SIDES = {
    "geometry.zero_state_fixed_point": Sides(
        symbolic=("theory.geometry.zero_state_matrix_proof", "theory.geometry.zero_state_residuals"),
        numeric=("numerics.geometry.autonomous_map",),
        lambdified=("theory.geometry.symbolic_weights", "theory.geometry.autonomous_jacobian"),
    ),
    "geometry.origin_stability": Sides(
        symbolic=("theory.geometry.tanh_bound_proof",),
        numeric=("numerics.geometry.autonomous_run", "numerics.geometry.spectral_radius"),
        lambdified=("theory.geometry.contraction_bound",),
    ),
}
for _id, _sides in _SIDES.items():
    annotate(_id, sides=_sides)
