"""``rnnproof sweep``: every selected claim at many seeds, because a claim is only as good as its
worst seed.

The tasks are the (claim, seed) pairs of :mod:`proofs_checks.engine`; the per-claim summary gives
the outcome counts, the worst error/tolerance ratio and the seed it came from, the distribution
(min, median, max) of error/tolerance over every case of every seed, and the reproduce command of
every failure. The report does not depend on the executor (results are sorted by claim, then seed).
"""

from __future__ import annotations

import math
import statistics
from typing import Callable, Optional, Sequence

from numerics.errors import InputError

from .engine import Task, execute
from .runner import run_task

__all__ = ["SWEEP_SCHEMA", "parse_seeds", "run_sweep", "format_sweep", "sweep_summary_line"]

SWEEP_SCHEMA = "rnnproof.sweep/1"
MAX_SEEDS = 100_000


def parse_seeds(text: str) -> list[int]:
    """``0..99`` (inclusive), ``3,7,11``, ``5``, or a mix: ``0..9,100``. Seeds are ≥ 0."""
    seeds: list[int] = []
    for part in str(text).split(","):
        part = part.strip()
        try:
            if ".." in part:
                lo_text, hi_text = part.split("..", 1)
                lo, hi = int(lo_text), int(hi_text)
                if hi < lo:
                    raise ValueError
            else:
                lo = hi = int(part)
        except ValueError:
            raise InputError(f"--seeds {text!r}: write A..B (inclusive, A ≤ B), a comma list, "
                             "or one seed") from None
        if hi - lo + 1 + len(seeds) > MAX_SEEDS:
            raise InputError(f"--seeds {text!r}: at most {MAX_SEEDS} seeds")
        seeds.extend(range(lo, hi + 1))
    if any(s < 0 for s in seeds):
        raise InputError(f"--seeds {text!r}: seeds must be non-negative integers")
    return list(dict.fromkeys(seeds))


def run_sweep(claim_ids: Sequence[str], seeds: Sequence[int], profile: str = "quick",
              examples: Optional[int] = None, jobs: int = 1, scheduler: Optional[str] = None,
              progress: Optional[Callable[[dict], None]] = None) -> dict:
    """Run every (claim, seed) task and return the sweep's claims and runs (no timings inside
    ``claims`` except ``seconds``)."""
    claim_ids = list(dict.fromkeys(claim_ids))
    tasks = [Task(cid, seed, examples, profile, keep_ratios=True) for cid in claim_ids for seed in seeds]
    results: dict[tuple, dict] = {}
    for result in execute(run_task, tasks, jobs=jobs, scheduler=scheduler):
        results[(result["id"], result["seed"])] = result
        if progress:
            progress(result)
    claims = [_claim_summary(cid, [results[(cid, s)] for s in seeds]) for cid in claim_ids]
    runs = [{"id": cid, "seed": s, "status": results[(cid, s)]["status"],
             "worst_ratio": _worst_ratio(results[(cid, s)]), "seconds": results[(cid, s)]["seconds"]}
            for cid in claim_ids for s in seeds]
    return {"claims": claims, "runs": runs}


def _worst_ratio(result: dict) -> Optional[float]:
    values = result.get("ratio_values") or []
    return max(values) if values else None


def _claim_summary(claim_id: str, results: list[dict]) -> dict:
    counts = {"passed": 0, "failed": 0, "not_applicable": 0, "errors": 0}
    key = {"pass": "passed", "fail": "failed", "not_applicable": "not_applicable", "error": "errors"}
    ratios: list[float] = []
    worst, worst_seed = None, None
    failures = []
    for r in results:
        counts[key[r["status"]]] += 1
        values = r.get("ratio_values") or []
        ratios.extend(values)
        top = max(values) if values else None
        if r["status"] == "fail" and r.get("counterexample"):
            # A failed boolean fact has ratio ∞ and is not in the ratio list.
            top = math.inf if top is None or top <= 1 else top
        if top is not None and (worst is None or top > worst):
            worst, worst_seed = top, r["seed"]
        if r["status"] in ("fail", "error"):
            failures.append({"seed": r["seed"], "status": r["status"], "detail": r["detail"],
                             "reproduce": r["reproduce"]})
    first = results[0]
    return {
        "id": claim_id, "paper": first["paper"], "title": first["title"],
        "tolerance": {k: first["tolerance"][k] for k in ("class", "rule", "reason")},
        "seeds": len(results), **counts,
        "worst_ratio": None if worst is None or not math.isfinite(worst) else worst,
        "worst_ratio_text": _ratio_text(worst), "worst_seed": worst_seed,
        "ratios": None if not ratios else {"count": len(ratios), "min": min(ratios),
                                           "median": statistics.median(ratios), "max": max(ratios)},
        "statistical_tests": sum(r.get("statistical_tests", 0) for r in results),
        "failures": failures,
        "seconds": round(sum(r["seconds"] for r in results), 3),
    }


def _ratio_text(x) -> str:
    if x is None:
        return "-"
    return "inf" if math.isinf(x) else f"{x:.3g}"


def sweep_summary_line(claims: list[dict]) -> str:
    total = {k: sum(c[k] for c in claims) for k in ("passed", "failed", "not_applicable", "errors")}
    bad = sum(1 for c in claims if c["failed"] or c["errors"])
    return (f"{total['passed']} passed, {total['failed']} failed, {total['not_applicable']} not applicable, "
            f"{total['errors']} errors ({len(claims)} claims, {bad} with a failure or error)")


def format_sweep(claims: list[dict], top: int = 5) -> str:
    """Per claim: outcome counts, worst error/tolerance and its seed, the ratio distribution; then
    the claims closest to their tolerance and the reproduce command of every failure."""
    header = ["claim", "class", "pass", "fail", "n/a", "err", "worst e/tol", "seed", "min", "median", "max"]
    rows = [header]
    for c in claims:
        d = c["ratios"] or {}
        rows.append([c["id"], c["tolerance"]["class"] or "?", str(c["passed"]), str(c["failed"]),
                     str(c["not_applicable"]), str(c["errors"]), c["worst_ratio_text"],
                     "-" if c["worst_seed"] is None else str(c["worst_seed"]),
                     _ratio_text(d.get("min")), _ratio_text(d.get("median")), _ratio_text(d.get("max"))])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    ranked = sorted((c for c in claims if c["worst_ratio_text"] != "-"),
                    key=lambda c: -(math.inf if c["worst_ratio_text"] == "inf" else c["worst_ratio"]))
    if ranked:
        lines += ["", f"closest to their tolerance (worst error/tolerance over all seeds):"]
        lines += [f"  {c['id']}: {c['worst_ratio_text']} (seed {c['worst_seed']})" for c in ranked[:top]]
    for c in claims:
        for f in c["failures"]:
            lines += ["", f"{f['status'].upper()} {c['id']} seed {f['seed']}: {f['detail']}",
                      f"  reproduce: {f['reproduce']}"]
    return "\n".join(lines)
