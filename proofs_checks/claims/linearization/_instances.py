r"""Instance builders shared by the topic modules of the linearization claims.

Every draw goes through the generator a check gets from ``ctx.instances()``: seeded numpy under
``rnnproof run``, Hypothesis under ``rnnproof search``.
"""

from __future__ import annotations

import numpy as np

from numerics import InputError
from numerics import linearization as N
from proofs_checks.registry import NotApplicable


def _generator_cycle(ctx, gens, start=0):
    """Yield (name, instance) cycling through ``gens`` (list of (name, fn(rng))); each instance's
    edge cases are counted for ``rnnproof search`` (:func:`instance_edges`)."""
    for i, rng in enumerate(ctx.instances(start=start)):
        name, fn = gens[family(ctx, rng, i, len(gens))]
        inst = fn(search_sized(ctx, rng))
        instance_edges(ctx, inst)
        yield name, inst


def instance_edges(ctx, inst) -> None:
    """Count the edge cases of this paper that an instance hits (``ctx.edge``): the smallest
    network, zero and saturated gains (silent units, singular D), J = 0, a repeated eigenvalue of
    A_x = −I + JD (a rounding-level tie: defective or derogatory spectra), no input (B u₀ = 0)."""
    J = np.asarray(inst.J)
    d = np.asarray(inst.gains if hasattr(inst, "gains") and not callable(inst.gains) else inst.d, float)
    n = J.shape[0]
    ctx.edge("n ≤ 2", n <= 2)
    ctx.edge("a zero gain (silent unit, singular D)", bool(np.any(d == 0)))
    ctx.edge("a saturated gain (0 < d_i < 10⁻⁶)", bool(np.any((d > 0) & (d < 1e-6))))
    ctx.edge("J = 0", not np.any(J))
    if n <= 12:
        w = np.linalg.eigvals(-np.eye(n) + J * d[None, :])
        gaps = np.abs(w[:, None] - w[None, :])
        np.fill_diagonal(gaps, np.inf)
        ctx.edge("a repeated eigenvalue", bool(n > 1 and gaps.min() <= 1e-8 * (1 + np.abs(w).max())))
    B, u0 = getattr(inst, "B", None), getattr(inst, "u0", None)
    if B is not None and u0 is not None:
        ctx.edge("no input (B u₀ = 0)", not np.any(np.asarray(B) @ np.asarray(u0)))


def network_fixed_points(ctx, spec):
    """Every fixed point Newton finds for the user's network, as linearization instances (each
    noted in the report with its start, residual and silent units); ``NotApplicable`` if none.
    Shared by the network hooks of claims 1–16 and 17–32."""
    try:
        insts, fps = N.instance_from_spec(spec, rng=ctx.rng(), n_random=2)
    except InputError as exc:
        raise NotApplicable(f"fixed point: {exc}") from None
    if not insts:
        raise NotApplicable(f"Newton found no fixed point (best residual {fps[0].residual:.3g} from "
                            f"start {fps[0].start}); the claims need F(x*) = 0")
    for inst in insts:
        ctx.note(f"fixed point from start {inst.info['start']}, residual {inst.residual:.2e}, "
                 f"{len(inst.silent)} silent unit(s)")
    return insts


def _n_small(rng, lo=2, hi=8):
    return int(rng.integers(lo, hi + 1))


def _half(ctx):
    """Instance count for a claim's secondary family (at least 2)."""
    return max(2, ctx.examples // 2)


def _n_max(ctx, quick=100):
    """Largest G-lowrank size: 400 in the thorough profile, ``quick`` otherwise, and the smallest
    (50) under ``rnnproof search``, whose shrinker re-runs the check hundreds of times."""
    if ctx.source is not None:
        return 50
    return 400 if ctx.thorough else quick


def searching(ctx) -> bool:
    """True under ``rnnproof search`` or ``--replay``: the instance comes from Hypothesis, which
    also draws the degenerate values (all-zero arrays, equal contexts) that seeded draws miss."""
    return ctx.source is not None


def _silent_instance(ctx, rng, n_hi=6):
    """A G-silent draw of size in [2, n_hi], ReLU or algebraic gains; its edges are counted."""
    inst = N.g_silent(rng, n=_n_small(rng, 2, n_hi), relu=bool(rng.integers(2)))
    instance_edges(ctx, inst)
    return inst


class _SmallSizes:
    """A generator whose scalar integer draws above ``cap`` are capped (the network size n)."""

    def __init__(self, rng, cap):
        self._rng, self._cap = rng, cap

    def integers(self, low, high=None, size=None, **kwargs):
        if size is None and high is not None and low <= self._cap < high - 1:
            high = self._cap + 1
        return self._rng.integers(low, high, size=size, **kwargs)

    def __getattr__(self, name):
        return getattr(self._rng, name)


def search_sized(ctx, rng, cap: int = 8):
    """``rng`` under ``rnnproof run``; under search, the generator with network sizes drawn from
    [low, cap], so that J has at most 64 entries and each one shrinks on its own (larger arrays
    come from one drawn seed). The seeded instances of ``run`` are unchanged."""
    return _SmallSizes(rng, cap) if searching(ctx) else rng


def family(ctx, rng, i: int, count: int) -> int:
    """Which of ``count`` instance families instance ``i`` uses: ``i mod count`` under ``run``; under
    search (one instance per example) a drawn index, so that every family is searched."""
    return int(rng.integers(count)) if searching(ctx) else i % count


def lowrank_degenerate(lr):
    """Why a G-lowrank draw is outside the low-rank hypotheses (a zero column of M or Y, so J has
    rank < R; a zero input b or readout w), or None. Seeded Gaussian draws are never degenerate."""
    if not np.all(np.any(lr.M, axis=0)) or not np.all(np.any(lr.Y, axis=0)):
        return "a zero column of M or Y: J = MYᵀ/N has rank < R"
    if not np.any(lr.b) or not np.any(lr.w):
        return "b = 0 or w = 0"
    return None
