"""Instance builders shared by the unitary claims (every draw through the generator given)."""

from __future__ import annotations

import numpy as np

from numerics import unitary as N


def _haar_sigma(rng, n, kind):
    """Singular values for unitary.halmos_dilation: uniform in [0, 1], near one (1 − 10⁻ᵘ, u ∈ [1, 15]),
    exactly 1 on a random subset, all zero, or all one."""
    if kind == "uniform":
        return rng.random(n)
    if kind == "near_one":
        return 1 - 10.0 ** (-rng.uniform(1, 15, n))
    if kind == "some_one":
        s = rng.random(n)
        s[rng.random(n) < 0.5] = 1.0
        s[0] = 1.0
        return s
    if kind == "zero":
        return np.zeros(n)
    return np.ones(n)


_SIGMA_KINDS = ("uniform", "near_one", "some_one", "zero", "one")


def _rnn_instance(rng, rho=None, n=None, complex_=False, n_x=None, sigma=None):
    n = int(rng.integers(1, 11)) if n is None else n
    n_x = int(rng.integers(1, 5)) if n_x is None else n_x
    n_y = int(rng.integers(1, 5))
    if rho is None:
        rho = 0.0 if rng.random() < 0.15 else rng.uniform(0, 1 - 1e-6)
    return N.random_relu_rnn(rng, n, rho, n_x=n_x, n_y=n_y, with_d=bool(rng.random() < 0.5),
                             complex_=complex_, sigma=sigma)


def _M(rng):
    return 0.0 if rng.random() < 0.15 else float(rng.uniform(1e-3, 10))


def _family(ctx, rng, index: int, count: int) -> int:
    """Which of ``count`` instance families instance ``index`` belongs to.

    ``rnnproof run`` cycles through them by index (its seeded instances are unchanged); a search
    (or its replay) sees one instance per example, so it draws the family, and every family is
    searched."""
    return index % count if ctx.source is None else int(rng.integers(0, count))
