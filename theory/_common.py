"""Helpers shared by the theory modules: a printable derivation record and LaTeX output."""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

__all__ = ["Derivation", "TopicError", "to_latex"]


class TopicError(ValueError):
    """Unknown derivation topic or an option a derivation does not support."""


def to_latex(obj) -> str:
    """LaTeX of a SymPy object, a :class:`Derivation`, or a sequence of them (one per line)."""
    if isinstance(obj, Derivation):
        return obj.latex()
    if isinstance(obj, (list, tuple)):
        return r" \\ ".join(to_latex(o) for o in obj)
    return sympy.latex(obj)


@dataclass(frozen=True, eq=False)
class Derivation:
    """A named derived result: ``lhs = rhs`` (or a bare expression), with the assumptions used.

    Pretty-prints in a terminal, gives ``.latex()`` and ``_repr_latex_`` for notebooks.

    >>> x = sympy.Symbol("x")
    >>> d = Derivation("derivative", sympy.diff(sympy.tanh(x), x), lhs=sympy.Symbol("y"))
    >>> print(d.latex())
    y = 1 - \\tanh^{2}{\\left(x \\right)}
    """

    name: str
    expr: object
    lhs: object = None
    assumptions: tuple = field(default=())

    def relation(self):
        return self.expr if self.lhs is None else sympy.Eq(self.lhs, self.expr, evaluate=False)

    def latex(self) -> str:
        return sympy.latex(self.relation())

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.latex()}$"

    def __str__(self) -> str:
        return f"{self.name}:\n{sympy.pretty(self.relation(), use_unicode=True)}"

    __repr__ = __str__
