"""Helpers shared by the ``linear_recurrence`` claim modules: the registration wrapper, SymPy zero
tests, relative errors and the derived closed form of κ₂ that several topics lambdify."""

from __future__ import annotations

import functools
import math

import numpy as np
import sympy as sp

from proofs_checks.registry import Claim, register
from theory import linear_recurrence as T

PAPER = "linear_recurrence"
REF = "Orvieto et al. 2024 (arXiv:2307.11888)"
LRU = "Orvieto et al. 2023, LRU (arXiv:2303.06349)"
EPS = np.finfo(float).eps
# The spacing of float64 at zero (gradual underflow): the absolute part of every rounding.
TINY = float(np.nextafter(0.0, 1.0))


def register_claim(slug, title, reference, hypotheses, tolerance, numeric, symbolic=None, cost=1.0, note="",
                   statistical_checks=0, *, sides, source, expressions=None, commands=(), relaxable=None):
    """Register ``linear_recurrence.<slug>``; its statement is ``theory.linear_recurrence.statement(slug)``."""
    return register(Claim(id=f"{PAPER}.{slug}", paper=PAPER, title=title, reference=reference,
                          statement=lambda: T.statement(slug), hypotheses=tuple(hypotheses),
                          tolerance=tolerance, numeric=numeric, symbolic=symbolic, cost=cost,
                          expressions=expressions, note=note, statistical_checks=statistical_checks,
                          sides=sides, source=source, commands=tuple(commands),
                          relaxable=dict(relaxable or {})))


def is_zero(expr) -> bool:
    """True when a SymPy expression, matrix or list of them simplifies to 0."""
    if isinstance(expr, (list, tuple)):
        return all(is_zero(e) for e in expr)
    if isinstance(expr, sp.MatrixBase):
        return all(sp.simplify(e) == 0 for e in expr)
    if getattr(expr, "is_ZeroMatrix", False):
        return True
    return sp.simplify(expr) == 0


def relerr(a, b) -> float:
    """‖a − b‖ / ‖b‖ (Frobenius), with ‖b‖ floored at 1e-300."""
    a, b = np.asarray(a), np.asarray(b)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


@functools.lru_cache(maxsize=None)
def shrunk_cond_fn():
    """The derived Piecewise κ₂(r, L) of ``linear_recurrence.shrunk_roots_cond``, lambdified (numpy)."""
    return sp.lambdify((T.r, T.L), T.shrunk_roots_cond(), "numpy")


def searching(ctx) -> bool:
    """True under ``rnnproof search`` (and its ``--replay``): one instance whose draws Hypothesis
    steers. Checks then draw the edge structure the seeded stream of ``rnnproof run`` never asks
    for, so that stream, and every seeded result, stays as it was."""
    return ctx.source is not None


def rank_digits(nodes, L: int, b=None) -> int:
    r"""Digits at which an SVD with threshold $10^{-\mathrm{dps}/2}\sigma_{\max}$ resolves the rank
    $r=\min(L,d)$ of $\mathrm{diag}(b)V$ (d distinct nodes with $b_n\ne0$), at least 60.

    $\sigma_r$ is at least $\sigma_r$ of the $r$-column block, and $\sigma_{\max}\le\sqrt L$ times
    that block's Frobenius norm for $|\lambda|\le1$, so $\log_{10}(\sigma_{\max}/\sigma_r)\le g$ with
    $g$ = ``log10_cond2_upper_bound(nodes, r, b)`` $+\tfrac12\log_{10}L$. With dps $\ge2(g+10)$ the
    threshold lies ten digits below $\sigma_r$ and ten digits above the rounding of the SVD."""
    from numerics import vandermonde as NV
    d = NV.distinct_count(nodes, b)
    if d == 0:
        return 60
    r = min(int(L), d)
    g = NV.log10_cond2_upper_bound(nodes, r, b) + 0.5 * np.log10(L)
    return max(60, int(np.ceil(2 * (g + 10))))


def size_cap(ctx, full: int, small: int) -> int:
    """The largest size a check draws: ``full`` under ``rnnproof run``, ``min(full, small)`` under
    search, whose edges (n = 1, N = L, repeated nodes, nodes on the circle) live at small sizes and
    whose budget is a few seconds per claim; the seeded run keeps the large sizes."""
    return min(full, small) if searching(ctx) else full


def worst_of(values) -> float:
    """The largest of ``values`` as a float, NaN when any is NaN (Python's ``max`` would skip a NaN
    that is not first, and a NaN error must fail its check)."""
    values = [float(v) for v in values]
    return math.nan if any(math.isnan(v) for v in values) else max(values)
