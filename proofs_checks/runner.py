"""Run claims: symbolic check, then numeric check on seeded instances, then one result record.

``run_claim`` is a pure function of (claim ID, seed, examples, profile, network path), so a claim
gives the same result alone, in any order, and in a worker process (``--jobs``).
"""

from __future__ import annotations

import math
import os
import shlex
import statistics
import time
import traceback
from contextlib import contextmanager
from typing import Callable, Iterable, Optional

from dataclasses import asdict

from .engine import Task, execute
from .registry import CheckContext, NotApplicable, PROFILES, get_claim, statistical_alpha

__all__ = ["run_claim", "run_claims", "run_task", "reproduce_command", "ratio_summary"]


def reproduce_command(claim_id: str, seed: int, examples: int, profile: str,
                      network: Optional[str] = None, mnist: Optional[str] = None,
                      replay: Optional[str] = None) -> str:
    """The exact command that re-runs one claim with the same instances."""
    parts = ["rnnproof", "run", "--claim", claim_id]
    if replay:
        parts += ["--replay", replay]
    else:
        parts += ["--seed", str(seed), "--examples", str(examples), "--profile", profile]
    if network:
        parts += ["--network", network]
    if mnist:
        parts += ["--mnist", mnist]
    return " ".join(shlex.quote(p) for p in parts)


def ratio_summary(ratios) -> Optional[dict]:
    """``{count, min, median, max}`` of error/tolerance ratios (``None`` when there are none)."""
    ratios = [r for r in ratios if math.isfinite(r)]
    if not ratios:
        return None
    return {"count": len(ratios), "min": min(ratios), "median": statistics.median(ratios),
            "max": max(ratios)}


@contextmanager
def _mnist_environment(path: Optional[str]):
    # The geometry claims read the user's MNIST location from RNNPROOF_MNIST.
    if path is None:
        yield
        return
    old = os.environ.get("RNNPROOF_MNIST")
    os.environ["RNNPROOF_MNIST"] = os.path.abspath(path)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("RNNPROOF_MNIST", None)
        else:
            os.environ["RNNPROOF_MNIST"] = old


def _short_exc(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" (at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno})" if frame else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _finite_or_none(x):
    return None if x is None or not math.isfinite(x) else x


def run_claim(claim_id: str, seed: int = 0, examples: Optional[int] = None, profile: str = "quick",
              network_path: Optional[str] = None, mnist_path: Optional[str] = None,
              keep_ratios: bool = False, replay_path: Optional[str] = None) -> dict:
    """Run one claim and return its report record (see the README's report format).

    With ``keep_ratios`` the record also holds ``ratio_values``, every error/tolerance ratio (the
    sweep merges them over seeds). With ``replay_path`` the numeric check runs once, on the draws a
    search recorded (:class:`proofs_checks.instances.ReplayGenerator`)."""
    with _mnist_environment(mnist_path):
        return _run_claim(claim_id, seed, examples, profile, network_path, mnist_path, keep_ratios,
                          replay_path)


def _run_claim(claim_id, seed, examples, profile, network_path, mnist_path, keep_ratios,
               replay_path=None) -> dict:
    claim = get_claim(claim_id)
    examples = PROFILES[profile] if examples is None else examples
    source, relaxed = None, frozenset()
    if replay_path is not None:
        from .instances import ReplayGenerator, load_draws, replay_relaxed
        source, examples = ReplayGenerator(load_draws(replay_path, claim.id)), 1
        relaxed = replay_relaxed(replay_path, claim)
    network = None
    if network_path is not None:
        from numerics import load_network
        network = load_network(network_path)
    start = time.perf_counter()
    details: list[str] = []
    status = None
    # Symbolic side.
    if claim.symbolic is None:
        symbolic = "numeric_only"
    else:
        try:
            proof = claim.symbolic()
            symbolic = "proved" if proof.holds else "disproved"
            if proof.detail:
                details.append(f"symbolic: {proof.detail}")
            if not proof.holds:
                status = "fail"
        except NotApplicable as exc:
            symbolic = "not_applicable"
            details.append(f"symbolic not applicable: {exc}")
        except Exception as exc:  # an exception in a check is an 'error' outcome, never a crash
            symbolic = "error"
            status = "error"
            details.append(f"symbolic check raised {_short_exc(exc)}")
    # Numeric side.
    ctx = CheckContext(claim_id=claim.id, seed=seed, examples=examples, profile=profile, network=network,
                       source=source, relaxed=relaxed)
    numeric_na = None
    if network is not None and claim.network is None:
        numeric_na = "this claim does not take a user network (it is checked on generated instances)"
    elif claim.numeric is not None or network is not None:
        try:
            if network is not None:
                claim.network(ctx, network)
            else:
                claim.numeric(ctx)
        except NotApplicable as exc:
            numeric_na = str(exc)
        except Exception as exc:
            status = "error"
            details.append(f"numeric check raised {_short_exc(exc)}")
    if numeric_na:
        details.append(f"not applicable: {numeric_na}")
    if getattr(source, "padded", 0):
        details.append(f"replay: the check drew {source.padded} value(s) past the end of the file (it was "
                       "recorded by a version of the check that stopped earlier); they were given their "
                       "simplest values, as Hypothesis pads a short example")
    if ctx.skipped:
        shown = "; ".join(ctx.skipped[:3]) + (f"; ... ({len(ctx.skipped)} in all)" if len(ctx.skipped) > 3 else "")
        details.append(f"{len(ctx.skipped)} instance(s) not applicable: {shown}")
    details.extend(ctx.notes)
    if status is None:
        if ctx.failures:
            status = "fail"
        elif ctx.cases:
            status = "pass"
        elif numeric_na or ctx.skipped:
            status = "not_applicable"
        elif claim.numeric is None and symbolic == "proved":
            status = "pass"
        else:
            status = "error"
            details.append("the numeric check recorded no case (a check must compare something)")
    worst = ctx.worst_failure or ctx.worst
    counterexample = None
    if status == "fail" and ctx.worst_failure is not None:
        counterexample = dict(ctx.worst_failure.info, error=_finite_or_none(ctx.worst_failure.error),
                              tol=ctx.worst_failure.tol)
        details.append(f"{ctx.failures} of {ctx.cases} comparisons failed; worst: "
                       + ", ".join(f"{k}={v}" for k, v in counterexample.items()))
    record = {
        "id": claim.id,
        "paper": claim.paper,
        "title": claim.title,
        "status": status,
        "symbolic": symbolic,
        "cases": ctx.cases,
        "not_applicable_cases": len(ctx.skipped),
        "max_error": None if worst is None else _finite_or_none(worst.error),
        "tolerance": {"value": None if worst is None else worst.tol, "class": claim.tolerance.kind,
                      "rule": claim.tolerance.rule, "reason": claim.tolerance.reason},
        "ratios": ratio_summary(ctx.ratios),
        "statistical_tests": ctx.statistical_tests,
        "alpha": statistical_alpha() if ctx.statistical_tests else None,
        "seconds": round(time.perf_counter() - start, 4),
        "detail": " | ".join(details),
        "counterexample": counterexample,
        "seed": seed,
        "reproduce": reproduce_command(claim.id, seed, examples, profile, network_path, mnist_path,
                                       replay_path),
    }
    if keep_ratios:
        record["ratio_values"] = [r for r in ctx.ratios if math.isfinite(r)]
    return record


def run_task(task: Task) -> dict:
    """Run one engine task (the function every executor calls)."""
    return run_claim(**asdict(task))


def run_claims(claim_ids: Iterable[str], seed: int = 0, examples: Optional[int] = None,
               profile: str = "quick", network_path: Optional[str] = None, jobs: int = 1,
               progress: Optional[Callable[[dict], None]] = None, scheduler: Optional[str] = None,
               mnist_path: Optional[str] = None, replay_path: Optional[str] = None) -> list[dict]:
    """Run several claims at one seed through :func:`proofs_checks.engine.execute`; results in
    input order, whatever the executor (serial, ``jobs`` processes, or a Dask ``scheduler``)."""
    claim_ids = list(dict.fromkeys(claim_ids))
    tasks = [Task(cid, seed, examples, profile, network_path, mnist_path, replay_path=replay_path)
             for cid in claim_ids]
    results: dict[str, dict] = {}
    for result in execute(run_task, tasks, jobs=jobs, scheduler=scheduler):
        results[result["id"]] = result
        if progress:
            progress(result)
    return [results[cid] for cid in claim_ids]
