"""Helpers shared by the ``linear_recurrence`` claim modules: the registration wrapper, SymPy zero
tests, relative errors and the derived closed form of κ₂ that several topics lambdify."""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from proofs_checks.registry import Claim, register
from theory import linear_recurrence as T

PAPER = "linear_recurrence"
REF = "Orvieto et al. 2024 (arXiv:2307.11888)"
LRU = "Orvieto et al. 2023, LRU (arXiv:2303.06349)"
EPS = np.finfo(float).eps


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
