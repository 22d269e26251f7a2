"""Claims of Orvieto, De, Gulcehre, Pascanu & Smith, "Universality of linear recurrences followed
by non-linear projections" (ICML 2024, arXiv:2307.11888), with the LRU paper's Lemma 2 and Prop. 3
(Orvieto et al. 2023, arXiv:2303.06349): 21 claims, catalogued in ``docs/claims/linear_recurrence.md``.

Symbolic side: ``theory.linear_recurrence`` (MatrixSymbol unrolling, explicit Vandermonde
determinants, the derived closed form of κ₂ for shrunk roots of unity, LRU integrals). Numeric side:
``numerics.linear_recurrence`` (simulation, decoders, Monte Carlo) and ``numerics.vandermonde``
(Björck–Pereyra, high-precision κ₂). Each numeric check compares a lambdified theory result or a
direct computation with an independent route (simulation vs closed form, float64 vs mpmath,
LAPACK vs formula).

One module per topic; the import order below is the report order.
"""

from . import unrolling, encoding, unit_circle, conditioning, ring_blowup, decoders, reconstruction  # noqa: F401
