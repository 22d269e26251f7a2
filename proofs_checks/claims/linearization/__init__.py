r"""The claims of the linearization paper, one module per topic, registered in report order.

Pagan, Valente, Ostojic & Brody (2023), "A new look at the linearization of recurrent neural
networks", arXiv:2309.04030. Each claim pairs a SymPy derivation from :mod:`theory.linearization`
with an independent numeric witness from :mod:`numerics.linearization` and
:mod:`numerics.linearization_singular` (finite differences, ``solve_ivp``, ``expm``, LAPACK
eigensolvers, mpmath and exact rational references).

Conventions: $A_x=-I+JD$ (activation frame), $A_r=-I+DJ$ (activity frame),
$D=\operatorname{diag}(\phi'(x^*))$, ε = 2⁻⁵².

=====================  ======  =========================================================
module                 claims  topic
=====================  ======  =========================================================
``fixed_point``        1–4     models and the two linearizations at a fixed point
``relations``          5–8     intertwining, similarity, push-through, linear prediction
``eigvecs``            9–12    spectrum and eigenvector maps
``invariants``         13–16   frame-invariant and frame-dependent quantities
``off_fixed_points``   17–18   trajectory term and slow points
``singular``           19–24   silent units: charpoly, Jordan structure at −1, Krylov ranks
``context``            25–29   context-dependent inputs, low-rank networks
``discrete``           30–32   Elman and leaky RNNs, Euler discretisation
=====================  ======  =========================================================
"""

# The import order is the registration order, hence the report order.
from . import fixed_point, relations, eigvecs, invariants  # noqa: F401  (claims 1–16)
from . import off_fixed_points, singular, context, discrete  # noqa: F401  (claims 17–32)
