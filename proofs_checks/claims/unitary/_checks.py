"""Shared pieces of the unitary claims: constants, the state-bound closed form lambdified from
theory.unitary, and the output round-off bound of two equivalent simulations."""

from __future__ import annotations

import functools
import math

import numpy as np
import sympy as sp

from numerics import InputError
from numerics import unitary as N
from theory import unitary as T


PAPER = "unitary"
REF = "Emami, Sahraee-Ardakan, Rangan & Fletcher, NeurIPS 2019 (arXiv:1910.13672)"
EPS = N.EPS
_L = {"relu": 1.0, "tanh": 1.0, "sigmoid": 0.25, "linear": 1.0}


def _sym(name):
    return sp.Symbol(name)


@functools.lru_cache(maxsize=None)
def _state_bound():
    return T.state_bound_recurrence()


@functools.lru_cache(maxsize=None)
def _u_fn():
    sb = _state_bound()
    return sp.lambdify((sb["rho"], sb["c"], sb["h"], sb["k"]), sb["u_closed"], "numpy")


@functools.lru_cache(maxsize=None)
def _u1_fn():
    sb = _state_bound()
    return sp.lambdify((sb["c"], sb["h"], sb["k"]), sb["u_rho1"], "numpy")


def _u_theory(rho, c, h, k):
    """u_k from the symbolic rsolve closed form, lambdified (ρ = 1 uses its limit)."""
    k = np.asarray(k, dtype=float)
    if rho >= 1.0:
        return _u1_fn()(c, h, k) * np.ones_like(k)
    return _u_fn()(rho, c, h, k) * np.ones_like(k)


def _H_theory(rho, c, h):
    sb = _state_bound()
    return float(sb["H_star"].subs({sb["rho"]: sp.Float(rho, 30), sb["c"]: sp.Float(c, 30),
                                    sb["h"]: sp.Float(h, 30)}))


def _raises(fn, *words):
    try:
        fn()
    except InputError as exc:
        return all(w in str(exc) for w in words)
    return False


def _out_err(ya, yb, spec, X, H):
    r"""Max output difference of two simulations of equivalent networks, and its round-off bound.

    Both compute the same first-block sums (the unitary network adds exact zeros) in another order,
    so per step the states differ by at most γ√(2n)(ρ max‖h‖ + max‖Fx + b‖), γ = (2n + m + 2)ε;
    the recursion damps an earlier difference by ρ = ‖W‖₂ per step, so over T steps the state
    error is that times min(T, 1/(1 − ρ)); the readout multiplies it by ‖C‖₂ and rounds once more."""
    X = np.asarray(X).reshape(len(H), -1) if spec.m else np.zeros((len(H), 0))
    n, m, T = spec.n, spec.m, len(H)
    rho = float(np.linalg.norm(spec.W, 2))
    F, b = spec.input_matrix(), spec.bias()
    drive = float(np.max(np.linalg.norm(X @ F.T + b, axis=1))) if m else float(np.linalg.norm(b))
    hmax = float(np.max(np.linalg.norm(H, axis=1), initial=0.0))
    steps = T if rho >= 1 else min(T, 1.0 / (1.0 - rho))
    state = (2 * n + m + 2) * EPS * math.sqrt(2 * n) * (rho * hmax + drive) * steps
    c_norm = 1.0 if spec.C is None else float(np.linalg.norm(spec.C, 2))
    tol = c_norm * state + 4 * EPS * float(np.abs(ya).max(initial=0.0)) + 1e-300
    return float(np.abs(ya - yb).max(initial=0.0)), tol


