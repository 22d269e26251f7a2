"""Instance builders shared by the ``linear_recurrence`` claim modules. Every random draw goes
through the generator the check gets from ``ctx.instances()``."""

from __future__ import annotations

import numpy as np

from numerics import linear_recurrence as NL


def prefix_nodes(rng, N, search=False):
    """A node family for the prefix decoder: roots of unity at radius r ∈ [0.95, 1], LRU ring
    nodes in [0.9, 1], or S4D-Lin nodes at Δ = 2/N. Returns (family name, nodes).

    ``search``: one more draw decides whether roots or ring nodes lie exactly on the unit circle
    (an edge the seeded stream reaches with probability 0)."""
    fam = rng.choice(["roots", "ring", "s4d"])
    on_circle = search and fam != "s4d" and rng.random() < 0.5
    if fam == "roots":
        return fam, NL.roots_of_unity(N, 1.0 if on_circle else float(rng.uniform(0.95, 1.0)))
    if fam == "ring":
        return fam, NL.ring_sample(rng, N, 1.0, 1.0) if on_circle else NL.ring_sample(rng, N, 0.9, 1.0)
    return fam, NL.s4d_lin_nodes(N, 2.0 / N)


def roots_exact(N, L):
    """V of the N-th roots of unity over L powers, with the phases nj reduced mod N in integers
    (so V[n, j] is exact to one rounding of exp)."""
    idx = (np.arange(N)[:, None] * np.arange(L)[None, :]) % N   # exact integer reduction
    return np.exp(2j * np.pi * idx / N)
