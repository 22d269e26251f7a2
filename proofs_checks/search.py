"""``rnnproof search``: Hypothesis hunting for the smallest instance that breaks a claim.

Each selected claim's numeric check runs on instances whose every draw is a Hypothesis
``data.draw`` (:class:`proofs_checks.instances.HypothesisGenerator`), one instance per example.
Hypothesis steers generation toward bounds, zeros, ±1 and small sizes, keeps a database of
failures (``--database``) and shrinks a failure to a simple instance. An instance the check skips
(a hypothesis does not hold) is rejected, not counted. A failure is reported with its draws, the
case's description, its error against its tolerance, and a replay file for
``rnnproof run --claim ID --replay FILE``.

``--relax NAME`` searches beyond a hypothesis the claim declares relaxable (``Claim.relaxable``):
the check then draws instances that violate it, and the smallest one where the conclusion fails
shows why the hypothesis is needed.
"""

from __future__ import annotations

import contextlib
import time
import warnings
from typing import Callable, Optional

import numpy as np

from numerics.errors import InputError

from .instances import HypothesisGenerator
from .registry import CheckContext, NotApplicable, get_claim

__all__ = ["search_claim", "SEARCH_SCHEMA"]

SEARCH_SCHEMA = "rnnproof.search/1"


class _Found(Exception):
    """Raised inside the Hypothesis test when an instance breaks the claim (so it shrinks)."""


def search_claim(claim_id: str, budget: int = 100, seed: int = 0, database: Optional[str] = None,
                 relax: Optional[str] = None, on_example: Optional[Callable[[], None]] = None) -> dict:
    """Search one claim; returns a JSON-ready record (``found``, ``counterexample``, coverage)."""
    from hypothesis import HealthCheck, Phase, Verbosity, given, settings, strategies as st
    from hypothesis import seed as hypothesis_seed
    from hypothesis.database import DirectoryBasedExampleDatabase
    from hypothesis.errors import Unsatisfiable

    claim = get_claim(claim_id)
    if relax is not None and relax not in claim.relaxable:
        names = ", ".join(sorted(claim.relaxable)) or "none"
        raise InputError(f"--relax {relax!r}: {claim.id} declares no such relaxable hypothesis "
                         f"(it declares: {names})")
    record = {"id": claim.id, "paper": claim.paper, "relaxed": relax, "budget": budget, "seed": seed,
              "tried": 0, "rejected": 0, "found": False, "counterexample": None, "edges": {},
              "generic_edges": {"smallest size drawn": 0, "an exact 0 drawn": 0, "an exact ±1 drawn": 0}}
    if claim.numeric is None:
        record["status"] = "not_applicable"
        record["reason"] = "symbolic-only claim: there is no numeric instance to search"
        return record
    last_failure: dict = {}
    timing = {"check": 0.0}

    def probe(data):
        generator = HypothesisGenerator(data)
        ctx = CheckContext(claim_id=claim.id, seed=seed, examples=1, profile="quick", source=generator,
                           relaxed=frozenset([relax]) if relax else frozenset())
        start = time.perf_counter()
        try:
            # Edge instances make numpy warn (0/0 in a ratio, overflow); the verdict says it all.
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                claim.numeric(ctx)
        except NotApplicable:
            ctx.skipped.append("not applicable")
        except InputError:
            # The drawn instance is outside what the check accepts (e.g. a shape the check's own
            # validation refuses): not a counterexample.
            ctx.skipped.append("instance refused")
        except Exception as exc:  # a check that crashes on an instance is a finding too
            last_failure.clear()
            last_failure.update(kind="error", error=f"{type(exc).__name__}: {exc}",
                                draws=list(generator.draws), info={})
            raise _Found() from exc
        finally:
            timing["check"] += time.perf_counter() - start
            if on_example:
                on_example()
        if not ctx.cases:
            record["rejected"] += 1
            from hypothesis import reject
            reject()
        record["tried"] += 1
        for name, hits in ctx.edges.items():
            record["edges"][name] = record["edges"].get(name, 0) + (1 if hits else 0)
        _count_generic_edges(record["generic_edges"], generator.draws)
        if ctx.failures:
            worst = ctx.worst_failure
            last_failure.clear()
            last_failure.update(kind="fail", error=worst.error if np.isfinite(worst.error) else None,
                                tol=worst.tol, info=dict(worst.info),
                                draws=list(generator.draws))
            raise _Found()

    # Every setting that decides what is drawn is set here, so a search (and a planted-bug test) is
    # the same whatever Hypothesis profile is loaded: the seed decides, never `derandomize`.
    settings_kwargs = dict(max_examples=budget, deadline=None, derandomize=False, suppress_health_check=list(HealthCheck),
                           verbosity=Verbosity.quiet, report_multiple_bugs=False, print_blob=False,
                           database=DirectoryBasedExampleDatabase(database) if database else None,
                           phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink))
    test = settings(**settings_kwargs)(hypothesis_seed(seed)(given(st.data())(probe)))
    started = time.perf_counter()
    try:
        with _without_source_constants():
            test()
    except _Found:
        record["found"] = True
        record["counterexample"] = dict(last_failure)
    except Unsatisfiable:
        pass  # every instance was rejected: reported below through tried == 0
    record["seconds"] = round(time.perf_counter() - started, 3)
    record["seconds_in_checks"] = round(timing["check"], 3)
    if record["found"]:
        record["status"] = "counterexample"
    elif record["tried"] == 0:
        record["status"] = "not_applicable"
        record["reason"] = f"no drawn instance satisfied the claim's hypotheses ({record['rejected']} rejected)"
    else:
        record["status"] = "nothing_found"
    return record


@contextlib.contextmanager
def _without_source_constants():
    """Hypothesis (≥ 6.131) mixes literal constants harvested from every loaded non-library module
    into its draws, so a search's instances would change with any edit anywhere in the tree (or
    with which modules happen to be imported). A search must depend on its seed and its claim only:
    draw from Hypothesis' global constants alone. Hypothesis has no setting for this, hence the
    patch of its provider hook (skipped if a future version drops it)."""
    try:
        from hypothesis.internal.conjecture import providers
        hook = providers._get_local_constants
        empty = providers.Constants()
    except (ImportError, AttributeError, TypeError):
        yield
        return
    def clear_cache():  # the allowed-constants cache would otherwise keep harvested values
        cache = getattr(providers, "CONSTANTS_CACHE", None)
        if cache is not None and hasattr(cache, "cache"):
            cache.cache.clear()
    providers._get_local_constants = lambda: empty
    clear_cache()
    try:
        yield
    finally:
        providers._get_local_constants = hook
        clear_cache()


def _count_generic_edges(counts: dict, draws: list) -> None:
    import numpy as np
    sizes = [v for m, v in draws if m == "integers" and isinstance(v, int)]
    floats = [np.ravel(np.asarray(v, dtype=float)) for m, v in draws
              if m in ("uniform", "standard_normal", "random") and not isinstance(v, dict)]
    flat = np.concatenate(floats) if floats else np.zeros(0)
    counts["smallest size drawn"] += int(bool(sizes) and min(sizes) <= 1)
    counts["an exact 0 drawn"] += int(bool(np.any(flat == 0.0)))
    counts["an exact ±1 drawn"] += int(bool(np.any(np.abs(flat) == 1.0)))


def describe_draws(draws: list, limit: int = 12) -> list[str]:
    """The draws as lines a person can read (arrays shown whole when small)."""
    import numpy as np
    lines = []
    for i, (method, value) in enumerate(draws[:limit]):
        if isinstance(value, dict):
            text = f"array of shape {tuple(value['shape'])} from seed {tuple(value['seed'])}"
        else:
            array = np.asarray(value)
            text = np.array2string(array, precision=4, separator=", ", max_line_width=100) if array.ndim else repr(value)
        lines.append(f"  draw {i + 1} {method}: {text}")
    if len(draws) > limit:
        lines.append(f"  ... {len(draws) - limit} more draws (all in the replay file)")
    return lines
