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
    import os

    from numerics.errors import InputError

    from .. import inputs
    from ..html_report import collect_figures, render_html
    from ..report import write_atomic
    inputs.check_outputs({"--html": args.html}, inputs={"REPORT.json": args.report})
    report = inputs.read_json_report(args.report, "REPORT.json", schemas=("rnnproof.report/1", "rnnproof.sweep/1"))
    figures = None
    if args.figures:
        if not os.path.isdir(args.figures):
            raise InputError(f"--figures: no such folder: {args.figures}")
        figures = collect_figures(args.figures)
    write_atomic(args.html, render_html(report, figures=figures, title=args.title))
    print(f"wrote {args.html}")
    return 0
