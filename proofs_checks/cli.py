"""The ``rnnproof`` command line (also ``python -m proofs_checks``).

Built-in subcommands: ``list``, ``run``, ``derive``, ``latex``, ``experiment``. Paper-specific
subcommands (``linearize``, ``urnn``, ...) live one per module in :mod:`proofs_checks.commands`,
each exposing ``register(subparsers)``; experiments live in :mod:`proofs_checks.experiments`, each
module exposing ``EXPERIMENTS = {name: (configure_parser, run)}``. All work is done by library
functions; this module only parses, dispatches and maps bad input to exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import time
from typing import Optional, Sequence

from numerics.errors import InputError

from .latexdoc import LatexError
from .papers import PAPERS
from .registry import PROFILES
from proofs_checks.argtypes import nonnegative_int as _nonnegative_int, positive_int as _positive_int

__all__ = ["main", "UsageError", "CommandParser"]


class UsageError(InputError):
    """A malformed command line (exit status 2)."""


class CommandParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and a :class:`UsageError` (exit 2, no traceback)."""

    def error(self, message):  # noqa: D401 (argparse API)
        raise UsageError(f"{self.prog}: {message}")


def _plugins(package: str):
    pkg = importlib.import_module(package)
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"{package}.{info.name}")


def _experiments() -> dict:
    found = {}
    for module in _plugins("proofs_checks.experiments"):
        found.update(getattr(module, "EXPERIMENTS", {}))
    return found


# -- list ----------------------------------------------------------------------------------------
def _cmd_list(args) -> int:
    from .registry import all_claims
    if args.paper and args.paper not in PAPERS:
        raise UsageError(f"unknown paper {args.paper!r}; choose from {', '.join(PAPERS)}")
    claims = all_claims(args.paper)
    if args.json:
        print(json.dumps([{"id": c.id, "paper": c.paper, "title": c.title, "reference": c.reference,
                           "hypotheses": list(c.hypotheses),
                           "tolerance": {"class": c.tolerance.kind, "rule": c.tolerance.rule,
                                         "reason": c.tolerance.reason},
                           "symbolic": c.symbolic is not None, "network": c.network is not None}
                          for c in claims], indent=2))
    else:
        width = max((len(c.id) for c in claims), default=10)
        for c in claims:
            print(f"{c.id.ljust(width)}  {c.title}")
        print(f"{len(claims)} claims")
    return 0


# -- run -----------------------------------------------------------------------------------------
def _selected_claims(args):
    from .registry import all_claims, get_claim
    for paper in args.paper or ():
        if paper not in PAPERS:
            raise UsageError(f"unknown paper {paper!r}; choose from {', '.join(PAPERS)}")
    args.paper = list(dict.fromkeys(args.paper or ())) or None
    ids = []
    for cid in args.claim or ():
        try:
            ids.append(get_claim(cid).id)
        except KeyError as exc:
            raise UsageError(exc.args[0]) from None
    if args.paper or not ids:
        papers = args.paper or list(PAPERS)
        ids += [c.id for p in papers for c in all_claims(p) if c.id not in ids]
    if not ids:
        raise UsageError("no claims selected (the chosen papers have no registered claims yet)")
    return ids


def _mnist_path(args):
    if not getattr(args, "mnist", None):
        return None
    import os
    if not os.path.exists(args.mnist):
        raise InputError(f"--mnist: no such file or folder: {args.mnist}")
    return os.path.abspath(args.mnist)


def _replay_path(args, ids):
    """``--replay FILE``: one claim's instance saved by ``rnnproof search`` (schema rnnproof.instance/1)."""
    import os
    if not args.replay:
        return None
    from .instances import load_draws
    if len(ids) != 1:
        raise InputError("--replay: replays one claim's instance; give exactly one --claim ID")
    load_draws(args.replay, ids[0])  # validates the file: a bad replay file exits 2 before any work
    return os.path.abspath(args.replay)


def _figures_dir(args):
    import os
    if not getattr(args, "figures", None):
        return None
    if not args.html:
        raise InputError("--figures: only used with --html; add --html report.html")
    if not os.path.isdir(args.figures):
        raise InputError(f"--figures: no such folder: {args.figures}")
    return args.figures


def _cmd_run(args) -> int:
    from .progress import Progress
    from .report import build_report, format_table, markdown_report, summary_line, write_json, write_atomic
    from .runner import run_claims
    if args.network:
        from numerics import load_network
        load_network(args.network)  # validate once, up front: bad files exit 2 before any work
    mnist = _mnist_path(args)
    ids = _selected_claims(args)
    replay = _replay_path(args, ids)
    figures = _figures_dir(args)
    start = time.perf_counter()
    with Progress(len(ids), unit="claim", quiet=args.quiet) as bar:
        results = run_claims(ids, seed=args.seed, examples=args.examples, profile=args.profile,
                             network_path=args.network, jobs=args.jobs, scheduler=args.scheduler,
                             mnist_path=mnist, replay_path=replay,
                             progress=lambda r: bar.advance(f"{r['id']}: {r['status']} ({r['seconds']:.2f} s)"))
    report = build_report(results, seed=args.seed, profile=args.profile,
                          seconds=time.perf_counter() - start)
    if args.json:
        write_json(args.json, report)
    if args.markdown:
        write_atomic(args.markdown, markdown_report(report))
    if args.html:
        from .html_report import collect_figures, render_html
        write_atomic(args.html, render_html(report, figures=collect_figures(figures) if figures else None))
    print(f"rnnproof run: seed {args.seed}, profile {args.profile}, {report['seconds']:.1f} s")
    print(format_table(results))
    print(summary_line(report["summary"]))
    summary = report["summary"]
    return 1 if summary["failed"] or summary["errors"] else 0


# -- sweep ---------------------------------------------------------------------------------------
def _cmd_sweep(args) -> int:
    from .progress import Progress
    from .registry import STATISTICAL_CHECKS_BUDGET, statistical_alpha, statistical_checks_per_run
    from .report import environment, write_json
    from .sweep import SWEEP_SCHEMA, format_sweep, parse_seeds, run_sweep, sweep_summary_line
    seeds = parse_seeds(args.seeds)
    args.network = None
    ids = _selected_claims(args)
    start = time.perf_counter()
    with Progress(len(ids) * len(seeds), unit="task", quiet=args.quiet) as bar:
        sweep = run_sweep(ids, seeds, profile=args.profile, examples=args.examples, jobs=args.jobs,
                          scheduler=args.scheduler,
                          progress=lambda r: bar.advance(f"{r['id']} seed {r['seed']}: {r['status']}"))
    seconds = time.perf_counter() - start
    alpha = statistical_alpha()
    report = {"schema": SWEEP_SCHEMA, "seeds": seeds, "profile": args.profile,
              "examples": args.examples, "seconds": round(seconds, 3),
              "statistical": {"alpha_per_check": alpha, "checks_per_thorough_run": statistical_checks_per_run(),
                              "budget": STATISTICAL_CHECKS_BUDGET, "run_false_alarm_bound": alpha * statistical_checks_per_run()},
              "environment": environment(), **sweep,
              "summary": sweep_summary_line(sweep["claims"])}
    if args.json:
        write_json(args.json, report)
    print(f"rnnproof sweep: seeds {args.seeds} ({len(seeds)}), profile {args.profile}, "
          f"{len(ids)} claims, {seconds:.1f} s; statistical checks at α = {alpha:.2g} each")
    print(format_sweep(sweep["claims"]))
    print(sweep_summary_line(sweep["claims"]))
    bad = any(c["failed"] or c["errors"] for c in sweep["claims"])
    return 1 if bad else 0


# -- derive --------------------------------------------------------------------------------------
def _cmd_derive(args) -> int:
    import theory
    if args.topic == "list":
        for name, description in theory.topics().items():
            print(f"{name}: {description}")
        return 0
    try:
        items = theory.derive(args.topic, n=args.n, activation=args.activation)
    except theory.TopicError as exc:
        raise UsageError(str(exc)) from None
    if args.latex:
        for label, expr in items:
            print(f"% {label}")
            print(theory.to_latex(expr))
            print()
    else:
        import sympy
        for label, expr in items:
            print(f"{label}:")
            print(sympy.pretty(expr, use_unicode=True))
            print()
    return 0


# -- latex ---------------------------------------------------------------------------------------
def _cmd_latex(args) -> int:
    from .latexdoc import build_document, compile_pdf
    from .report import write_atomic
    for paper in args.paper or ():
        if paper not in PAPERS:
            raise UsageError(f"unknown paper {paper!r}; choose from {', '.join(PAPERS)}")
    results = None
    if args.results:
        try:
            with open(args.results, encoding="utf-8") as handle:
                results = json.load(handle)
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(f"--results: cannot read the JSON report {args.results}: {exc}") from None
        if not isinstance(results, dict) or results.get("schema") != "rnnproof.report/1":
            raise InputError(f"--results: {args.results} is not an rnnproof.report/1 JSON report")
    if args.pdf:
        import shutil
        if shutil.which("pdflatex") is None:
            raise InputError("--pdf needs pdflatex, which is not installed "
                             "(e.g. apt-get install texlive-latex-base texlive-latex-recommended)")
    text = build_document(args.paper or list(PAPERS), results=results)
    write_atomic(args.out, text)
    print(f"wrote {args.out}")
    if args.pdf:
        pdf = compile_pdf(args.out)
        print(f"wrote {pdf}")
    return 0


# -- experiment ----------------------------------------------------------------------------------
def _cmd_experiment(args) -> int:
    experiments = _experiments()
    if args.name not in experiments:
        names = ", ".join(sorted(experiments)) or "none yet"
        raise UsageError(f"unknown experiment {args.name!r}; available: {names}")
    configure, run = experiments[args.name]
    parser = CommandParser(prog=f"rnnproof experiment {args.name}")
    configure(parser)
    return run(parser.parse_args(args.rest))


def build_parser() -> CommandParser:
    parser = CommandParser(prog="rnnproof", description="Derive and check the claims of five RNN papers.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=CommandParser)

    p = sub.add_parser("list", help="list the registered claims")
    p.add_argument("--paper", metavar="KEY")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(handler=_cmd_list)

    p = sub.add_parser("run", help="check claims on seeded random instances (or on --network)")
    p.add_argument("--paper", action="append", metavar="KEY", help=f"one of {', '.join(PAPERS)} (repeatable)")
    p.add_argument("--claim", action="append", metavar="ID", help="a claim ID (repeatable)")
    p.add_argument("--seed", type=_nonnegative_int, default=0,
                   help="run seed, a non-negative integer (default 0); every instance derives from it")
    p.add_argument("--examples", type=_positive_int, help="random instances per claim (default: by profile)")
    p.add_argument("--profile", choices=sorted(PROFILES), default="quick")
    p.add_argument("--jobs", type=_positive_int, default=1, help="worker processes (default 1)")
    p.add_argument("--network", metavar="FILE.npz", help="check the claims on this network file")
    p.add_argument("--json", metavar="PATH", help="write the JSON report here (atomically)")
    p.add_argument("--markdown", metavar="PATH", help="write a Markdown report here")
    p.add_argument("--html", metavar="PATH", help="write one self-contained HTML report page here")
    p.add_argument("--figures", metavar="DIR", help="with --html: inline every PNG below DIR")
    p.add_argument("--replay", metavar="FILE.json",
                   help="re-check the instance saved by `rnnproof search` (with one --claim ID)")
    p.add_argument("--mnist", metavar="PATH",
                   help="sequential-MNIST data for geometry.mnist_variant (IDX folder or .npz)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run the claims on a Dask cluster: a scheduler address, or local:N to start "
                        "N local workers (needs the distributed extra)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(handler=_cmd_run)

    p = sub.add_parser("sweep", help="check claims over many seeds; per claim the worst seed")
    p.add_argument("--seeds", default="0..9", metavar="A..B",
                   help="seeds: A..B inclusive, a comma list, or one seed (default 0..9)")
    p.add_argument("--paper", action="append", metavar="KEY", help=f"one of {', '.join(PAPERS)} (repeatable)")
    p.add_argument("--claim", action="append", metavar="ID", help="a claim ID (repeatable)")
    p.add_argument("--profile", choices=sorted(PROFILES), default="quick",
                   help="instances per claim and seed: quick (4) or thorough (40)")
    p.add_argument("--examples", type=_positive_int, help="random instances per claim and seed")
    p.add_argument("--jobs", type=_positive_int, default=1, help="worker processes (default 1)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="a Dask scheduler address, or local:N for a LocalCluster of N workers")
    p.add_argument("--json", metavar="PATH", help="write the sweep report here (atomically)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(handler=_cmd_sweep)

    p = sub.add_parser("derive", help="print derived formulas (pretty or LaTeX)")
    p.add_argument("topic", help="e.g. linearization, linearization.jacobians; 'rnnproof derive list'")
    p.add_argument("--n", type=_positive_int, help="explicit size (default: general n where derived)")
    p.add_argument("--activation", help="tanh, sigmoid, softplus, relu or generic (default generic)")
    p.add_argument("--latex", action="store_true")
    p.set_defaults(handler=_cmd_derive)

    p = sub.add_parser("latex", help="export a standalone LaTeX document of the claims")
    p.add_argument("--paper", action="append", metavar="KEY")
    p.add_argument("--out", default="rnnproof.tex", metavar="FILE.tex")
    p.add_argument("--results", metavar="REPORT.json", help="include the statuses of this run report")
    p.add_argument("--pdf", action="store_true", help="also compile FILE.pdf with pdflatex")
    p.set_defaults(handler=_cmd_latex)

    p = sub.add_parser("experiment", help="run a reproduction study: rnnproof experiment NAME [options]")
    p.add_argument("name")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(handler=_cmd_experiment)

    for module in _plugins("proofs_checks.commands"):
        module.register(sub)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 a claim failed or errored, 2 bad input)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        return args.handler(args)
    except InputError as exc:  # includes UsageError
        print(f"rnnproof: error: {exc}", file=sys.stderr)
        return 2
    except LatexError as exc:
        print(f"rnnproof: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("rnnproof: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `rnnproof derive ... | head`): stop quietly, as cat does.
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
