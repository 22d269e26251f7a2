"""Report layer: the results table, the summary line, the JSON and Markdown reports.

All printing of ``rnnproof run`` happens here. Files are written atomically (temporary file in the
same directory, then ``os.replace``), so an interrupted run never leaves a partial report.
"""

from __future__ import annotations

import json
import math
import os
import platform
import sys
from typing import Iterable

from numerics.arrays import write_atomic as _write_atomic

__all__ = ["REPORT_SCHEMA", "summarize", "summary_line", "format_table", "build_report",
           "write_atomic", "write_json", "markdown_report", "environment", "format_number", "format_error"]

REPORT_SCHEMA = "rnnproof.report/1"


def format_number(x) -> str:
    return "-" if x is None else f"{x:.2e}"


def format_error(x) -> str:
    """An error for the table: a signed error below zero (the claim's side is exceeded by nothing)
    is shown as ``≤ 0``, never as a negative "max error"."""
    if x is not None and x < 0:
        return "≤ 0"
    return format_number(x)


def summarize(results: Iterable[dict]) -> dict:
    results = list(results)
    count = lambda s: sum(r["status"] == s for r in results)  # noqa: E731
    return {"passed": count("pass"), "failed": count("fail"),
            "not_applicable": count("not_applicable"), "errors": count("error")}


def summary_line(summary: dict) -> str:
    """``N passed, N failed, N not applicable, N errors`` (the last line of ``rnnproof run``)."""
    return (f"{summary['passed']} passed, {summary['failed']} failed, "
            f"{summary['not_applicable']} not applicable, {summary['errors']} errors")


_COLUMNS = (("claim", "id"), ("status", "status"), ("symbolic", "symbolic"), ("cases", "cases"),
            ("max error", "max_error"), ("tolerance", "tol"), ("seconds", "seconds"))


def _row(r: dict) -> list[str]:
    return [r["id"], r["status"], r["symbolic"], str(r["cases"]), format_error(r["max_error"]),
            format_number(r["tolerance"]["value"]), f"{r['seconds']:.2f}"]


def format_table(results: list[dict]) -> str:
    """A plain-text table (one row per claim), then one line per not-applicable claim with its
    reason, then one block per failure with its command."""
    rows = [[c[0] for c in _COLUMNS]] + [_row(r) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    not_applicable = [r for r in results if r["status"] == "not_applicable"]
    if not_applicable:
        lines.append("")
        lines += [f"not applicable {r['id']}: {_reason(r['detail'])}" for r in not_applicable]
    for r in results:
        if r["status"] in ("fail", "error"):
            lines.append("")
            lines.append(f"{r['status'].upper()} {r['id']}: {r['detail']}")
            lines.append(f"  reproduce: {r['reproduce']}")
    return "\n".join(lines)


def _reason(detail: str) -> str:
    parts = [p.strip() for p in str(detail or "").split(" | ")]
    chosen = [p[len("not applicable: "):] if p.startswith("not applicable: ") else p
              for p in parts if "not applicable" in p] or parts
    return "; ".join(p for p in chosen if p) or "no reason given"


def environment() -> dict:
    import mpmath
    import numpy
    import scipy
    import sympy
    return {"python": platform.python_version(), "platform": platform.platform(),
            "numpy": numpy.__version__, "scipy": scipy.__version__, "sympy": sympy.__version__,
            "mpmath": mpmath.__version__, "argv": sys.argv[1:],
            "threads": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                                       "MKL_NUM_THREADS")}}


def build_report(results: list[dict], seed: int, profile: str, seconds: float, **extra) -> dict:
    report = {"schema": REPORT_SCHEMA, "seed": seed, "profile": profile, "seconds": round(seconds, 3),
              "environment": environment(), "claims": results, "summary": summarize(results)}
    report.update(extra)
    return report


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` atomically (see :func:`numerics.arrays.write_atomic`)."""
    _write_atomic(path, lambda handle: handle.write(text), mode="w")


def _finite_json(value):
    """JSON has no inf/NaN: a non-finite float (an infinite gap, an unbounded ratio) is written as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite_json(v) for v in value]
    return value


def write_json(path: str, data: dict) -> None:
    write_atomic(path, json.dumps(_finite_json(data), indent=2, allow_nan=False, default=str) + "\n")


def markdown_report(report: dict) -> str:
    lines = ["# rnnproof report", "",
             f"seed {report['seed']}, profile {report['profile']}, {report['seconds']:.1f} s; "
             + summary_line(report["summary"]), "",
             "| claim | status | symbolic | cases | max error | tolerance | reason |",
             "|---|---|---|---|---|---|---|"]
    for r in report["claims"]:
        reason = r["tolerance"]["reason"].replace("|", "\\|")
        lines.append(f"| `{r['id']}` | {r['status']} | {r['symbolic']} | {r['cases']} | "
                     f"{format_error(r['max_error'])} | {format_number(r['tolerance']['value'])} | {reason} |")
    bad = [r for r in report["claims"] if r["status"] in ("fail", "error")]
    if bad:
        lines += ["", "## Failures and errors", ""]
        for r in bad:
            lines += [f"- `{r['id']}` ({r['status']}): {r['detail']}",
                      f"  reproduce: `{r['reproduce']}`"]
    return "\n".join(lines) + "\n"
