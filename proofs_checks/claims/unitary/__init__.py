"""Claims of Emami, Sahraee-Ardakan, Rangan & Fletcher, "Input-output equivalence of unitary and
contractive RNNs" (NeurIPS 2019, arXiv:1910.13672), one module per topic of the paper:

- ``dynamics``: §2, forgetting the initial state, the state bound, reparameterization;
- ``dilation``: §3, the Halmos dilation, the expansive obstruction, the silent extra block;
- ``equivalence``: §3, Theorem 1 and its refinements (n + r, free blocks, complex, M, ‖W‖₂ = 1);
- ``tightness``: §4, Theorem 2 (the W = 0 example needs 2n states);
- ``smooth``: §5, Theorem 3 (smooth activations: no URNN equivalent) and the ReLU contrast;
- ``teacher``: §6, the experiments' R², teacher matrices and projections.

The import order below is the report order. Shared instance builders are in ``_instances``,
shared helpers in ``_checks``, the claim cards' sides in ``_sides``.

Every claim checks the SymPy side (``theory.unitary``: word-rewriting proofs with MatrixSymbols,
exact rational Cayley instances, ``rsolve``) and, independently, the numeric side
(``numerics.unitary``: the construction, a plain simulator, LAPACK ranks), comparing lambdified
symbolic formulas with direct numeric computations. The cheap reproduction R1 (constructive
equivalence table) is part of ``unitary.relu_equivalence_2n``; the teacher-student training
reproductions R2/R3 are not run here.
"""

from . import dynamics, dilation, equivalence, tightness, smooth, teacher  # noqa: F401  (registration order)
from . import _sides  # noqa: F401  (annotates the registered claims)
from ._checks import EPS, PAPER, REF  # noqa: F401
