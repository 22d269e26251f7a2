r"""Pointwise activations with their first two derivatives and inverse.

Each activation is a frozen record of vectorised numpy callables: $\phi$, $\phi'$, $\phi''$ and
(where $\phi$ is strictly monotone) $\phi^{-1}$, plus $L_\phi=\sup|\phi''/\phi'|$ (the
constant of the ``linearization`` claims off fixed points).

Examples
--------
>>> act = get_activation("tanh")
>>> x = np.linspace(-2.0, 2.0, 5)
>>> bool(np.allclose(act.dphi(x), 1.0 - np.tanh(x) ** 2))
True
>>> bool(np.allclose(act.inverse(act.phi(x)), x))
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np
from scipy.special import expit

from .errors import InputError

__all__ = ["Activation", "ACTIVATIONS", "get_activation"]

ArrayFn = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Activation:
    """A pointwise nonlinearity $\\phi$ with $\\phi'$, $\\phi''$, optional $\\phi^{-1}$ and $L_\\phi$."""

    name: str
    phi: ArrayFn
    dphi: ArrayFn
    ddphi: ArrayFn
    inverse: Optional[ArrayFn]
    strictly_monotone: bool
    psi_bound: Optional[float]  # L_phi = sup |phi''/phi'|; None where phi' vanishes


def _softplus(x):
    return np.logaddexp(0.0, x)


def _softplus_inverse(r):
    r = np.asarray(r, dtype=float)
    if np.any(r <= 0):
        raise InputError("r must be positive for the inverse of softplus")
    return r + np.log(-np.expm1(-r))


def _tanh_inverse(r):
    r = np.asarray(r)
    if np.any(np.abs(r) >= 1):
        raise InputError("r must lie in (-1, 1) for the inverse of tanh")
    return np.arctanh(r)


def _sigmoid_inverse(r):
    r = np.asarray(r, dtype=float)
    if np.any((r <= 0) | (r >= 1)):
        raise InputError("r must lie in (0, 1) for the inverse of the logistic sigmoid")
    return np.log(r) - np.log1p(-r)


def _relu_dphi(x):
    # phi'(0) is undefined; callers that care enforce a margin around 0 (the
    # linearization claims draw pre-activations away from the kink).
    return (np.asarray(x) > 0).astype(float)


ACTIVATIONS = {
    "tanh": Activation(
        "tanh", np.tanh, lambda x: 1.0 - np.tanh(x) ** 2,
        lambda x: -2.0 * np.tanh(x) * (1.0 - np.tanh(x) ** 2), _tanh_inverse, True, 2.0),
    "sigmoid": Activation(
        "sigmoid", expit, lambda x: expit(x) * (1.0 - expit(x)),
        lambda x: expit(x) * (1.0 - expit(x)) * (1.0 - 2.0 * expit(x)), _sigmoid_inverse, True, 1.0),
    "softplus": Activation(
        "softplus", _softplus, expit, lambda x: expit(x) * (1.0 - expit(x)), _softplus_inverse,
        True, 1.0),
    "relu": Activation(
        "relu", lambda x: np.maximum(x, 0.0), _relu_dphi, lambda x: np.zeros_like(np.asarray(x, float)),
        None, False, None),
    "linear": Activation(
        "linear", lambda x: np.asarray(x) * 1.0, lambda x: np.ones_like(np.asarray(x, float)),
        lambda x: np.zeros_like(np.asarray(x, float)), lambda r: np.asarray(r) * 1.0, True, 0.0),
}


def get_activation(name: str) -> Activation:
    """Return the activation called ``name``; the error lists the supported names."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise InputError(
            f"activation must be one of {', '.join(ACTIVATIONS)}, got {name!r}") from None
