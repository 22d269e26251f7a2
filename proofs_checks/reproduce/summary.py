"""``summary.md``: every reproduction's headline numbers beside the paper's value or expected
outcome, with a verdict per row (as expected / differs / reported) and the size of the difference."""

from __future__ import annotations

__all__ = ["summary_markdown", "verdict_counts", "close_to", "at_most", "at_least"]

from . import Row


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def close_to(quantity: str, ours: float, target: float, tol: float, fmt: str = ".3f", why: str = "") -> Row:
    """Row: ``ours`` against a known number ``target`` within ``tol`` (the stated uncertainty)."""
    diff = ours - target
    return Row(quantity, format(ours, fmt), f"{target:{fmt}} ± {tol:{fmt}}" + (f" ({why})" if why else ""),
               bool(abs(diff) <= tol), f"{diff:+{fmt}}")


def at_most(quantity: str, ours: float, bound: float, fmt: str = ".2e", what: str = "") -> Row:
    return Row(quantity, format(ours, fmt), f"≤ {bound:{fmt}}" + (f" ({what})" if what else ""),
               bool(ours <= bound), f"ratio {ours / bound:.2g}" if bound else "")


def at_least(quantity: str, ours: float, bound: float, fmt: str = ".3g", what: str = "") -> Row:
    return Row(quantity, format(ours, fmt), f"≥ {bound:{fmt}}" + (f" ({what})" if what else ""),
               bool(ours >= bound), f"{ours - bound:+{fmt}}")


def verdict_counts(records) -> dict:
    counts = {"as expected": 0, "differs": 0, "reported": 0}
    for rec in records:
        for row in rec["rows"]:
            counts[row["verdict"]] += 1
    return counts


def summary_markdown(records, seed: int, scale: str, seconds: float) -> str:
    """The Markdown summary of a ``rnnproof reproduce`` run (records from ``execute``)."""
    counts = verdict_counts(records)
    lines = ["# rnnproof reproduce: summary", "",
             f"seed {seed}, {scale} scale, {len(records)} reproductions, {seconds:.0f} s; rows: "
             f"{counts['as expected']} as expected, {counts['differs']} differ, {counts['reported']} reported "
             "without a known value.", ""]
    paper = None
    for rec in records:
        if rec["paper"] != paper:
            paper = rec["paper"]
            lines += [f"## {paper}", ""]
        lines += [f"### {rec['id']}: {rec['title']}", "",
                  f"Expected: {rec['expected']}", ""]
        if rec.get("scale_note"):
            lines += [f"Scale: {rec['scale_note']}", ""]
        lines += ["| quantity | ours | paper / expected | verdict | difference |", "|---|---|---|---|---|"]
        for row in rec["rows"]:
            lines.append("| " + " | ".join(_cell(row[k]) for k in ("quantity", "ours", "expected", "verdict",
                                                                     "difference")) + " |")
        lines.append("")
        for note in rec.get("notes", []):
            lines.append(f"- {note}")
        figs = [f for f in rec.get("files", []) if f.endswith(".png")]
        if figs:
            lines.append(f"- figures: {', '.join(figs)}; {rec['seconds']:.1f} s")
        lines.append("")
    return "\n".join(lines)
