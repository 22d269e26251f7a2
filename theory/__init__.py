"""Symbolic models and derivations (SymPy only; never imports numerics or proofs_checks).

One module per paper, imported explicitly (``from theory import linearization``):
    linearization       Pagan, Valente, Ostojic & Brody 2023 -- activation vs activity frames
    unitary             Emami et al. 2019 -- contractive ReLU RNN = unitary RNN with 2n states
    linear_recurrence   Orvieto et al. 2024 -- Vandermonde structure of linear recurrences
    response            Lim 2021 -- Volterra series of stochastic RNNs
    geometry            Horoi, Lajoie & Wolf 2020 -- hidden-state geometry

Shared helpers
    derive(topic, n=None, activation=None)  -- the (label, expression) list behind ``rnnproof derive``
    topics()                                 -- every derivable topic with a one-line description
    to_latex(expr)                           -- LaTeX of an expression, relation or Derivation
    Derivation                               -- a named, printable, LaTeX-able derived result
    TopicError                               -- unknown topic or unsupported option (a ValueError)

A paper module takes part in ``derive`` by defining ``TOPICS = {"<paper>[.<sub>]": "description"}``
and ``derivations(topic, n, activation) -> list[(label, sympy object)]``; it raises
:class:`TopicError` for options it does not support.
"""

from __future__ import annotations

import importlib
import importlib.util

from ._common import Derivation, TopicError, to_latex

__all__ = ["derive", "topics", "to_latex", "Derivation", "TopicError", "PAPER_MODULES"]

PAPER_MODULES = ("linearization", "unitary", "linear_recurrence", "response", "geometry")


def _module(paper: str):
    if paper not in PAPER_MODULES or importlib.util.find_spec(f"{__name__}.{paper}") is None:
        return None
    return importlib.import_module(f"{__name__}.{paper}")


def topics() -> dict:
    """Every derivable topic (``paper`` or ``paper.sub``) with its description."""
    out = {}
    for paper in PAPER_MODULES:
        module = _module(paper)
        if module is not None:
            out.update(getattr(module, "TOPICS", {}))
    return out


def derive(topic: str, n=None, activation=None) -> list:
    """The derived formulas of ``topic`` as ``(label, sympy object)`` pairs.

    ``n`` asks for explicit size-n matrices where the topic supports it (general-n MatrixSymbol
    forms otherwise); ``activation`` names phi (``tanh``, ``sigmoid``, ``softplus``, ``relu``) or
    leaves it a generic SymPy ``Function``. Unknown topics raise :class:`TopicError`.
    """
    module = _module(topic.split(".", 1)[0])
    known = topics()
    if module is None or topic not in known:
        listing = ", ".join(sorted(known)) or "none yet"
        raise TopicError(f"unknown topic {topic!r}; known topics: {listing}")
    return module.derivations(topic, n, activation)
