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
from ._instances import search_size


# ================================================================================================
# geometry.bptt_gradient
# ================================================================================================
@functools.lru_cache(maxsize=None)
def _symbolic_grad_fn(H=2, D=1, Tn=2, C=2, y=0):
    params, grads, xs = T.loss_gradient_symbolic(H, D, Tn, C, y)
    args = [list(params[k]) for k in ("W", "U", "V", "c")] + [[e for x in xs for e in x]]
    return sp.lambdify(args, [grads[k] for k in ("W", "U", "V", "c")], "numpy")


def _gradient_scale(params, x, y):
    r"""Entrywise scale $M$ of a first-order rounding bound $|\hat g - g| \le c\,\varepsilon M$ for the
    BPTT gradient (flattened like :func:`numerics.geometry.flatten_params`).

    The recursion of claim geometry.bptt_gradient run on magnitudes: every quantity q carries m_q,
    its rounding error in units of ε, propagated to first order (a product adds |q|, a sum adds the
    magnitudes of its terms, tanh is 1-Lipschitz with tanh' = 1 − h², the softmax perturbs p_i by
    p_i(|dz_i| + Σ_j p_j|dz_j|)). Where p − e_y or 1 − h² cancel, M stays at the size of the
    operands, which a bound relative to the largest gradient entry misses."""
    W, U, V, c = (np.asarray(params[k], dtype=float) for k in ("W", "U", "V", "c"))
    aW, aU, aV = np.abs(W), np.abs(U), np.abs(V)
    batch, steps, _ = x.shape
    h = np.zeros((batch, W.shape[0]))
    m = np.zeros_like(h)
    hs, ms = [h], [m]
    for t in range(steps):
        scale = np.abs(h) @ aW.T + np.abs(x[:, t]) @ aU.T + m @ aW.T
        h = np.tanh(h @ W.T + x[:, t] @ U.T)
        m = (1 - h * h) * scale + np.abs(h)
        hs.append(h)
        ms.append(m)
    logit_err = np.abs(h) @ aV.T + np.abs(c) + m @ aV.T
    z = h @ V.T + c
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    g = p.copy()
    g[np.arange(batch), y] -= 1.0
    m_g = p * (logit_err + np.sum(p * logit_err, axis=1, keepdims=True)) + p + np.abs(g)
    g, m_g = g / batch, m_g / batch
    GV = m_g.T @ np.abs(hs[-1]) + np.abs(g).T @ (ms[-1] + np.abs(hs[-1]))
    Gc = m_g.sum(axis=0)
    delta, m_delta = g @ V, m_g @ aV + np.abs(g) @ aV
    GW, GU = np.zeros_like(W), np.zeros_like(U)
    for t in range(steps, 0, -1):
        s = 1 - hs[t] * hs[t]
        m_s = 2 * np.abs(hs[t]) * ms[t] + 1 + hs[t] * hs[t]
        a = delta * s
        m_a = m_delta * np.abs(s) + np.abs(delta) * m_s + np.abs(a)
        GW += m_a.T @ np.abs(hs[t - 1]) + np.abs(a).T @ (ms[t - 1] + np.abs(hs[t - 1]))
        GU += (m_a + np.abs(a)).T @ np.abs(x[:, t - 1])
        delta, m_delta = a @ W, m_a @ aW + np.abs(a) @ aW
    return np.concatenate([GW.ravel(), GU.ravel(), GV.ravel(), Gc.ravel()])


def _bptt_symbolic() -> Proof:
    res = T.bptt_residuals(2, 1, 2, 2)
    return Proof(all(r == 0 for r in res),
                 f"H = 2, D = 1, T = 2, C = 2, symbolic weights: expand(diff(loss) − BPTT) = 0 for all "
                 f"{len(res)} gradient entries")


def _bptt_numeric(ctx):
    for rng in ctx.instances():
        H = search_size(ctx, rng, 2, 17)
        Tn, D, C = (int(rng.integers(lo, hi + 1)) for lo, hi in ((1, 6), (1, 5), (2, 4)))
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
        # Entrywise against the first-order rounding scale M of each entry (_gradient_scale): two
        # evaluations of the same data flow, each within a few ε·M (products of length ≤ 2); 16ε
        # leaves a margin of ~18 over the worst of 3000 instances with zero, unit and saturating
        # weights. A bound relative to the largest entry fails where p − e_y cancels (large c).
        # + 16·tiny: below the normal range a rounding error is absolute (≤ 2⁻¹⁰⁷⁴ = ε·tiny per op).
        scale = _gradient_scale(params, x, np.array([0])) + 16 * np.finfo(float).tiny
        diff = np.abs(sym - num)
        relative = np.divide(diff, scale, out=np.where(diff > 0, np.inf, 0.0), where=scale > 0)
        ctx.record(np.max(relative), 16 * EPS,
                   check="lambdified SymPy diff(loss) vs numpy BPTT, entrywise / rounding scale M",
                   H=2, D=1, T=2, C=2)
        ctx.edge("saturated logits (max |p − e_y| < 10⁻²)", np.max(np.abs(num[-2:])) < 1e-2)


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
                        "within 16ε·M entrywise, M the first-order rounding scale of the entry",
                        "central-difference truncation ≈ 1e-10·|f'''| and rounding ≈ ε/1e-5 ≈ 1e-11: "
                        "typical 1e-8, a 100× margin; M propagates the operands' magnitudes through the "
                        "BPTT recursion, so cancellation in p − e_y or 1 − h² does not shrink it",
                        kind="truncation+roundoff"),
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
