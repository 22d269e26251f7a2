"""``rnnproof report REPORT.json --html OUT.html [--figures DIR]``: the HTML page of a saved run
or sweep report (:mod:`proofs_checks.html_report`), one self-contained file that works offline."""

from __future__ import annotations


def register(subparsers):
    p = subparsers.add_parser("report", help="render a saved run or sweep JSON report as one HTML page")
    p.add_argument("report", metavar="REPORT.json", help="from rnnproof run --json or rnnproof sweep --json")
    p.add_argument("--html", required=True, metavar="OUT.html", help="the page to write (atomically)")
    p.add_argument("--figures", metavar="DIR", help="inline every PNG below DIR (reproduce/experiment output)")
    p.add_argument("--title", help="page title (default: rnnproof report)")
    p.set_defaults(handler=_run)


def _run(args) -> int:
    import json
    import os

    from numerics.errors import InputError

    from ..html_report import collect_figures, render_html
    from ..report import write_atomic
    if os.path.realpath(args.report) == os.path.realpath(args.html):
        raise InputError("--html: the output would overwrite the input report; choose another path")
    try:
        with open(args.report, encoding="utf-8") as handle:
            report = json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"REPORT.json: cannot read {args.report}: {exc}") from None
    if not isinstance(report, dict) or report.get("schema") not in ("rnnproof.report/1", "rnnproof.sweep/1"):
        raise InputError(f"REPORT.json: {args.report} is not an rnnproof.report/1 or rnnproof.sweep/1 report")
    if not isinstance(report.get("claims"), list) or not all(isinstance(c, dict) for c in report["claims"]):
        raise InputError(f"REPORT.json: {args.report} has no list of claim records")
    figures = None
    if args.figures:
        if not os.path.isdir(args.figures):
            raise InputError(f"--figures: no such folder: {args.figures}")
        figures = collect_figures(args.figures)
    write_atomic(args.html, render_html(report, figures=figures, title=args.title))
    print(f"wrote {args.html}")
    return 0
