"""Odd symmetry: an odd network with an odd readout has vanishing even-order kernels.

Claims of Lim 2021, JMLR 22(47) (arXiv:2006.11052); the statements are the toolkit's
reconstruction (see :data:`proofs_checks.claims.response._checks.NOTE`).
"""

from __future__ import annotations

import math

import numpy as np

from numerics import response as N
from proofs_checks.registry import Sides, Tolerance, annotate
from theory import response as T

from ._checks import _claim, _n, _proof
from ._instances import _oned, _oned_chain, _oned_domain, _oned_model, _sinusoids


def _odd_numeric(ctx):
    for rng in ctx.instances(_n(ctx, 2)):
        p = _oned(rng, b=0.0)
        L0, L1 = _oned_domain(p)
        L = max(abs(L0), abs(L1))
        ch = _oned_chain(p, nx=201, L=(-L, L))       # symmetric grid
        k1 = np.max(np.abs(ch.kernel1(np.array([0.1, 0.5, 1.0]))))
        k2 = max(abs(ch.kernel2(a, b)) for a, b in ((0.1, 0.3), (0.5, 0.2), (1.0, 1.0)))
        ctx.record(k2 / k1, 1e-12, check="chain: |K2| / |K1|", **p)
        # deterministic odd network, h* = 0: y(eps) + y(-eps) = 0 for the full ODE
        n = int(rng.integers(1, 4))
        gam = rng.uniform(0.5, 2, n)
        model = N.SRNN(Gamma=np.diag(gam), W=0.8 * gam.min() * rng.standard_normal((n, n)) / math.sqrt(n) / 2,
                       b=np.zeros(n), C=rng.uniform(-1, 1, (n, 2)), sigma=np.zeros((n, n)), A=rng.uniform(-1, 1, (1, n)))
        inp = _sinusoids(rng, 2)
        e = 0.3
        yp, ym = N.ode_outputs(model, np.zeros(n), inp, [e, -e])[:, -1, 0]
        ctx.record(abs(yp + ym), 1e-10 * (1 + abs(yp)), check="σ = 0: y(ε) + y(−ε) = 0")
    # Monte Carlo with CRN: Y2 within z se of 0
    rng = ctx.rng()
    p = _oned(rng, b=0.0)
    model = _oned_model(p)
    dt, K = 0.01, 100
    h0 = N.em_burn_in(model, 20000, 500, dt, rng)
    u = np.sin(np.arange(K) * dt * 2.0)[:, None] + 0.3
    vals = N.em_crn(model, h0, u, dt, [-0.3, 0.0, 0.3], rng)
    est, se = N.crn_coefficients(vals, 0.3, 2)
    zscore = abs(est[1, 0]) / se[1, 0]
    ctx.record(abs(est[1, 0]), ctx.z_threshold() * se[1, 0], check="MC: |Ŷ2| ≤ z_α·se", z=zscore, se=se[1, 0])


_claim("odd_symmetry", "Odd network and odd readout ⇒ even-order kernels vanish",
       ("a odd, b = 0, f odd", "ρ∞ symmetric (automatic if unique); σ = 0: h₀ = h* = 0", "grid symmetric about 0"),
       Tolerance("chain 1e-12 relative to |K⁽¹⁾|; ODE 1e-10; Monte Carlo z_α standard errors",
                 "reflection symmetry is exact on a symmetric grid up to rounding; DOP853 rtol 1e-12", kind="roundoff+truncation+statistical"),
       _odd_numeric, lambda: _proof(T.odd_symmetry_check(), "ε² and ε⁴ coefficients of F(Σεⁱδᵢ) vanish at h* = 0, b = 0 (n = 2)"),
       cost=2.0, statistical_checks=1)


# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces
# the numeric checks and fails on a call into theory that is not listed as lambdified).
_SIDES = {
    "response.odd_symmetry": Sides(
        symbolic=("theory.response.odd_symmetry_check",),
        numeric=("numerics.response.oned_log_density", "numerics.response.grid_chain", "numerics.response.kernel1", "numerics.response.ode_outputs", "numerics.response.em_burn_in", "numerics.response.em_crn", "numerics.response.crn_coefficients"),
    ),
}
for _id, _sides in _SIDES.items():
    annotate(_id, sides=_sides)
