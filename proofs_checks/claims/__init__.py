"""One module per paper registers its claims, in :data:`proofs_checks.papers.PAPERS` order.

A paper whose module does not exist yet simply contributes no claims.
"""

import importlib
import importlib.util

from ..papers import PAPERS

for _key in PAPERS:
    if importlib.util.find_spec(f"{__name__}.{_key}") is not None:
        importlib.import_module(f"{__name__}.{_key}")
