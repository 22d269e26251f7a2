"""Claims of the response-theory paper (Lim 2021, JMLR 22(47); arXiv:2006.11052).

Each claim pairs a SymPy derivation from :mod:`theory.response` with an independent numeric
computation from :mod:`numerics.response` / :mod:`numerics.signatures`. One module per topic;
importing them in this order registers the claims in report order:

- :mod:`.fixed_points`: contraction, dissipativity, inverse design of h*;
- :mod:`.volterra`: the Volterra series, ordered vs symmetric kernels, causality, K⁽¹⁾(0);
- :mod:`.fading_memory`, :mod:`.symmetry`: kernel decay and odd symmetry;
- :mod:`.correlations`: the FDT, the Girsanov (Hermite chaos) form, the tail bound;
- :mod:`.deterministic`: σ = 0 kernels and the variational hierarchy;
- :mod:`.exact_models`: OU, the 1-D density, the generator chain, the small-noise limit;
- :mod:`.monte_carlo`: CRN central differences and the Euler–Maruyama bias;
- :mod:`.features`: Lie brackets, the response feature, time augmentation, the exponential basis;
- :mod:`.kernel_machine`, :mod:`.signatures`: the kernel machine; shuffle and Chen identities.

Shared instance builders live in :mod:`._instances`, shared check helpers in :mod:`._checks`.
"""

from . import fixed_points  # noqa: F401  (registration order = report order)
from . import volterra  # noqa: F401
from . import fading_memory  # noqa: F401
from . import symmetry  # noqa: F401
from . import correlations  # noqa: F401
from . import deterministic  # noqa: F401
from . import exact_models  # noqa: F401
from . import monte_carlo  # noqa: F401
from . import features  # noqa: F401
from . import kernel_machine  # noqa: F401
from . import signatures  # noqa: F401
