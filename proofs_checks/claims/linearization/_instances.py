r"""Instance builders shared by the topic modules of the linearization claims.

Every draw goes through the generator a check gets from ``ctx.instances()``: seeded numpy under
``rnnproof run``, Hypothesis under ``rnnproof search``.
"""

from __future__ import annotations

from numerics import InputError
from numerics import linearization as N
from proofs_checks.registry import NotApplicable


def _generator_cycle(ctx, gens, start=0):
    """Yield (name, instance) cycling through ``gens`` (list of (name, fn(rng)))."""
    for i, rng in enumerate(ctx.instances(start=start)):
        name, fn = gens[i % len(gens)]
        yield name, fn(rng)


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
    """Largest G-lowrank size: 400 in the thorough profile, ``quick`` otherwise."""
    return 400 if ctx.thorough else quick


def _silent_instance(rng, n_hi=6):
    return N.g_silent(rng, n=_n_small(rng, 2, n_hi), relu=bool(rng.integers(2)))
