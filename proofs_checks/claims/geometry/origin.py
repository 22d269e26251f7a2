"""The origin of the zero-input map h ↦ tanh(Wh): a fixed point, linearised by W, and its stability
(claims geometry.zero_state_fixed_point and geometry.origin_stability; toolkit extensions)."""

from __future__ import annotations

import functools
import math

import numpy as np
import sympy as sp

from numerics import geometry as N
from proofs_checks.registry import Claim, NotApplicable, Proof, Sides, Tolerance, annotate, register
from theory import geometry as T

from ._checks import PAPER, REF, _bias_free, _discrete_tanh_like
from ._instances import _nonnormal_stable


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


def _zero_symbolic() -> Proof:
    ok = T.zero_state_matrix_proof()
    residuals = [T.zero_state_residuals(H) for H in (2, 3)]
    ok = ok and all(f0.is_zero_matrix and dJ.is_zero_matrix for f0, dJ in residuals)
    return Proof(ok, "W·0 + U·0 = 0 with MatrixSymbols and tanh(0) = 0; for symbolic W (H = 2, 3) "
                     "tanh(W·0) = 0 and jacobian(tanh(W h), h) at h = 0 minus W simplifies to 0")


def _zero_numeric(ctx):
    for rng in ctx.instances():
        H = int(rng.integers(1, 257))
        gain = float(rng.uniform(0.1, 3.0))
        W = rng.standard_normal((H, H)) * gain / math.sqrt(H)
        f0 = N.autonomous_map(W, np.zeros(H))
        ctx.require(np.array_equal(f0, np.zeros(H)), "tanh(W·0) == 0 exactly", H=H, gain=gain)
        J = _fd_jacobian(lambda h: N.autonomous_map(W, h), np.zeros(H))
        # Symbolic result Df(0) = W; central difference, step 1e-6: truncation ≤ 1e-12·|W|³/3,
        # rounding ≈ ε·|W|/step ≈ 2e-10·|W|; 1e-8 leaves a margin of ~50.
        ctx.record(np.max(np.abs(J - W)), 1e-8, check="finite-difference Df(0) vs W", H=H, gain=gain)
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
    tolerance=Tolerance("f(0) = 0 exactly; finite-difference Jacobian within 1e-8 of W (step 1e-6)",
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
    norms = np.linalg.norm(run, axis=1)
    bound = _bound_fn()(c, np.arange(steps + 1), norms[0])
    # (a): ‖h_t‖ ≤ c^t ‖h_0‖ (1 + 1e-12): a relative slack for the rounding of the iterates.
    excess = np.max((norms - bound) / np.maximum(bound, np.finfo(float).tiny))
    ctx.record(max(excess, 0.0), 1e-12, check="‖h_t‖ ≤ ‖W‖₂ᵗ‖h₀‖ (1 + 1e-12)", norm_W=c, **info)


def _check_unstable(ctx, W, rng, **info):
    rho = N.spectral_radius(W)
    H = W.shape[0]
    h0 = rng.standard_normal(H)
    h0 *= 1e-8 / np.linalg.norm(h0)
    steps = math.ceil(2 * math.log(1e4) / math.log(rho)) + 50
    peak = float(np.max(np.linalg.norm(N.autonomous_run(W, h0, steps)[:, 0], axis=1)))
    # ‖h_t‖ must exceed 1e-4 within `steps`: recorded as 1e-4/peak ≤ 1.
    ctx.record(1e-4 / peak, 1.0, check="max_t ‖h_t‖ > 1e-4 from ‖h₀‖ = 1e-8", rho=rho, steps=steps,
               peak=peak, **info)


def _check_local_stable(ctx, W, rng, **info):
    H = W.shape[0]
    P = np.eye(H)
    growth = 1.0
    for _ in range(500):
        P = P @ W
        growth = max(growth, np.linalg.norm(P, 2))
    h0 = rng.standard_normal(H)
    h0 *= 1e-6 / growth / np.linalg.norm(h0)
    norms = np.linalg.norm(N.autonomous_run(W, h0, 500)[:, 0], axis=1)
    ctx.note(f"(b) H = {H}: transient peak max_t ‖h_t‖/‖h₀‖ = {norms.max() / norms[0]:.3g} "
             f"(max_t ‖Wᵗ‖₂ = {growth:.3g}, ‖W‖₂ = {np.linalg.norm(W, 2):.3g})")
    ctx.record(norms.min(), 1e-10, check="min_{t≤500} ‖h_t‖ < 1e-10 from ‖h₀‖ = 1e-6/max‖Wᵗ‖₂",
               rho=N.spectral_radius(W), norm_W=np.linalg.norm(W, 2),
               transient_peak=float(norms.max() / norms[0]), **info)


def _stability_numeric(ctx):
    for rng in ctx.instances():                       # (a) contraction
        H = int(rng.integers(1, 101))
        c = float(rng.uniform(0.1, 0.99))
        W = rng.standard_normal((H, H))
        W *= c / np.linalg.norm(W, 2)
        _check_contraction(ctx, W, rng.uniform(-1, 1, H), 200, H=H, c=c)
    for rng in ctx.instances(start=100):              # (b) local stability, non-normal W
        H = int(rng.integers(2, 21))
        rho = float(rng.uniform(0.5, 0.9))
        W = _nonnormal_stable(rng, H, rho)
        _check_local_stable(ctx, W, rng, H=H)
    for rng in ctx.instances(start=200):              # (c) instability
        H = int(rng.integers(1, 101))
        rho = float(rng.uniform(1.1, 3.0))
        W = rng.standard_normal((H, H))
        W *= rho / N.spectral_radius(W)
        _check_unstable(ctx, W, rng, H=H)


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
                "ρ(W) = 1 is inconclusive"),
    tolerance=Tolerance("(a) ‖h_t‖ ≤ ‖W‖₂ᵗ‖h₀‖(1 + 1e-12), t ≤ 200; (b) ‖h_t‖ < 1e-10 within 500 steps; "
                        "(c) ‖h_t‖ > 1e-4 within ⌈2 ln 10⁴/ln ρ⌉ + 50 steps",
                        "(a) rounding of a few ulps per step; (b) start scaled by max‖Wᵗ‖₂ keeps the "
                        "transient linear; (c) ρ² margin over the needed growth 10⁴", kind="roundoff"),
    symbolic=_stability_symbolic, numeric=_stability_numeric, network=_stability_network,
    expressions=lambda: {"bound": T.stability_statement()},
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
