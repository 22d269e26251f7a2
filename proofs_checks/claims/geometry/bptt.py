"""The hand-written BPTT gradient of the cross-entropy, against finite differences and SymPy
(claim geometry.bptt_gradient)."""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from numerics import geometry as N
from proofs_checks.registry import Claim, Proof, Sides, Tolerance, annotate, register
from theory import geometry as T

from ._checks import EPS, PAPER, REF


# ================================================================================================
# geometry.bptt_gradient
# ================================================================================================
@functools.lru_cache(maxsize=None)
def _symbolic_grad_fn(H=2, D=1, Tn=2, C=2, y=0):
    params, grads, xs = T.loss_gradient_symbolic(H, D, Tn, C, y)
    args = [list(params[k]) for k in ("W", "U", "V", "c")] + [[e for x in xs for e in x]]
    return sp.lambdify(args, [grads[k] for k in ("W", "U", "V", "c")], "numpy")


def _bptt_symbolic() -> Proof:
    res = T.bptt_residuals(2, 1, 2, 2)
    return Proof(all(r == 0 for r in res),
                 f"H = 2, D = 1, T = 2, C = 2, symbolic weights: expand(diff(loss) − BPTT) = 0 for all "
                 f"{len(res)} gradient entries")


def _bptt_numeric(ctx):
    for rng in ctx.instances():
        H, Tn, D, C = (int(rng.integers(lo, hi + 1)) for lo, hi in ((2, 16), (1, 6), (1, 5), (2, 4)))
        batch = int(rng.integers(1, 9))
        gain = float(rng.uniform(0.5, 2.0))
        params = N.init_params(rng, H, D, C)
        params["W"] *= gain
        params["c"] = rng.standard_normal(C) * 0.1
        x = rng.uniform(0, 1, (batch, Tn, D))
        y = rng.integers(0, C, batch)
        _, grads = N.loss_and_grad(params, x, y)
        theta = N.flatten_params(params)
        d = rng.standard_normal(theta.size)
        d /= np.linalg.norm(d)
        step = 1e-5
        fd = (N.cross_entropy(N.unflatten_params(theta + step * d, params), x, y)
              - N.cross_entropy(N.unflatten_params(theta - step * d, params), x, y)) / (2 * step)
        gd = float(N.flatten_params(grads) @ d)
        ctx.record(abs(fd - gd) / max(abs(gd), 1e-6), 1e-6, check="central difference vs BPTT along "
                   "a random unit direction", H=H, T=Tn, D=D, C=C, batch=batch, gain=gain)
    for rng in ctx.instances(start=100):
        params = N.init_params(rng, 2, 1, 2)
        params["c"] = rng.standard_normal(2)
        x = rng.uniform(0, 1, (1, 2, 1))
        _, grads = N.loss_and_grad(params, x, np.array([0]))
        sym = _symbolic_grad_fn()(*[list(params[k].ravel()) for k in ("W", "U", "V", "c")], list(x.ravel()))
        sym = np.concatenate([np.asarray(g, dtype=float).ravel() for g in sym])
        num = N.flatten_params(grads)
        # Both are O(1) expressions of ~50 operations: 64ε relative to the largest entry.
        ctx.record(np.max(np.abs(sym - num)) / max(np.max(np.abs(num)), 1e-300), 64 * EPS,
                   check="lambdified SymPy diff(loss) vs numpy BPTT", H=2, D=1, T=2, C=2)


register(Claim(
    id="geometry.bptt_gradient", paper=PAPER,
    title="Hand-written BPTT gradient equals finite differences",
    reference=REF,
    source="toolkit extension (the stand-in's training code: BPTT written by hand, checked "
           "against finite differences and SymPy)",
    statement=T.bptt_statement,
    hypotheses=("batch-mean cross-entropy of softmax(V h_T + c)", "float64 throughout", "T ≥ 1",
                "labels in [0, C)"),
    tolerance=Tolerance("|fd − ⟨g, d⟩| / max(|⟨g, d⟩|, 1e-6) ≤ 1e-6 (step 1e-5); SymPy gradient vs BPTT "
                        "within 64ε relative",
                        "central-difference truncation ≈ 1e-10·|f'''| and rounding ≈ ε/1e-5 ≈ 1e-11: "
                        "typical 1e-8, a 100× margin", kind="truncation+roundoff"),
    symbolic=_bptt_symbolic, numeric=_bptt_numeric,
    expressions=lambda: {f"BPTT {i + 1}": e for i, e in enumerate(T.bptt_equations()[:3])},
    cost=2.0,
))


# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces
# the numeric checks and fails on a call into theory that is not listed as lambdified).
_SIDES = {
    "geometry.bptt_gradient": Sides(
        symbolic=("theory.geometry.bptt_residuals",),
        numeric=("numerics.geometry.init_params", "numerics.geometry.loss_and_grad", "numerics.geometry.flatten_params", "numerics.geometry.unflatten_params", "numerics.geometry.cross_entropy"),
        lambdified=("theory.geometry.loss_gradient_symbolic",),
    ),
}
for _id, _sides in _SIDES.items():
    annotate(_id, sides=_sides)
