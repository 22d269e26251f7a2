"""Shared instance builders of the geometry claims: the trained stand-in network (trained at most
once per process and configuration, read by every stand-in claim), random orthogonal matrices and
non-normal stable recurrent matrices."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from numerics import geometry as N
from proofs_checks.registry import NotApplicable


# ----------------------------------------------------------------------------------------------
# The trained stand-in, cached per process and configuration
# ----------------------------------------------------------------------------------------------
@dataclass(eq=False)
class _StandIn:
    run: N.DigitsRun
    records: list = field(default_factory=list)
    test_states: Optional[np.ndarray] = None
    autonomous: Optional[dict] = None
    rho_initial: float = math.nan
    rho_trained: float = math.nan


_CACHE: dict[str, _StandIn] = {}


def standin(seed: int) -> _StandIn:
    """The trained reference configuration for ``seed`` (trained at most once per process)."""
    if not N.digits_available():
        raise NotApplicable(N.SKLEARN_MISSING)
    config = N.GeometryConfig(seed=seed)
    key = config.key()
    if key not in _CACHE:
        run = N.run_digits(config)
        item = _StandIn(run=run)
        if not run.diverged:
            p = run.params
            xtr, ytr, xte, yte = run.data
            item.records, item.test_states = N.per_step_analysis(
                p["W"], p["U"], p["V"], p["c"], xtr, ytr, xte, yte, drift=config.drift,
                lam=config.ridge, rng=np.random.default_rng([seed, 2]))
            item.rho_initial = N.spectral_radius(run.train.initial["W"])
            item.rho_trained = N.spectral_radius(p["W"])
        _CACHE[key] = item
    return _CACHE[key]


def _trained(ctx) -> Optional[_StandIn]:
    """The stand-in, or None after recording the "training diverged" failure."""
    item = standin(ctx.seed)
    if item.run.diverged:
        ctx.require(False, "training diverged (non-finite loss); no threshold is compared on NaNs",
                    seed=ctx.seed)
        return None
    return item


# ----------------------------------------------------------------------------------------------
# Random matrices
# ----------------------------------------------------------------------------------------------
def _orthogonal(rng, n):
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def _nonnormal_stable(rng, H, rho):
    """W = Q R Qᵀ, R upper triangular with |eigenvalues| ≤ rho (one equal), ‖W‖₂ > 1.2; None when the
    drawn strictly upper part is 0 or so tiny that the scaling would overflow."""
    eig = rng.uniform(-rho, rho, H)
    eig[0] = rho * (1 if rng.random() < 0.5 else -1)
    upper = np.triu(rng.standard_normal((H, H)), 1) / math.sqrt(H)
    if not np.any(upper):
        return None  # W would be normal: ‖W‖₂ = ρ < 1.2 for every scale
    scale = 1.0
    R = np.diag(eig) + scale * upper
    while np.linalg.norm(R, 2) <= 1.2:
        scale *= 1.5
        if scale > 1e300:
            return None  # a (sub)normal-tiny upper part: the scaling would overflow first
        R = np.diag(eig) + scale * upper
    Q = _orthogonal(rng, H)
    return Q @ R @ Q.T



# ----------------------------------------------------------------------------------------------
# Edge cases that only a search draws (the seeded stream of `rnnproof run` is unchanged)
# ----------------------------------------------------------------------------------------------
SATURATING_GAIN = 30.0


def search_gain(ctx, rng, gain: float, saturating: bool = True) -> float:
    """The drawn ``gain`` under ``rnnproof run``; under ``rnnproof search`` (``ctx.source`` set) one
    more draw makes it 0 (a zero gain, W = 0) or, with ``saturating``, SATURATING_GAIN (saturated
    tanh units), each with probability 1/4. The draw shrinks toward keeping ``gain``."""
    if ctx.source is None:
        return gain
    pick = int(rng.integers(0, 4))
    if pick == 2:
        return 0.0
    if pick == 3 and saturating:
        return SATURATING_GAIN
    return gain


def search_size(ctx, rng, low: int, high: int, small: int = 3) -> int:
    """``rng.integers(low, high)`` under ``rnnproof run``. Under a search, one more draw first sends
    3 instances in 4 to the smallest sizes [low, low + small) and the rest to the whole range: a
    size drawn large does not shrink (the draws after it change shape), so the small networks
    where most bugs already show must be drawn, not reached by shrinking."""
    if ctx.source is None:
        return int(rng.integers(low, high))
    if int(rng.integers(0, 4)) < 3:
        return int(rng.integers(low, min(high, low + small)))
    return int(rng.integers(low, high))
