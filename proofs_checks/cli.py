"""The ``rnnproof`` command line (also ``python -m proofs_checks``).

Built-in subcommands: ``list``, ``run``, ``derive``, ``latex``, ``experiment``. Paper-specific
subcommands (``linearize``, ``urnn``, ...) live one per module in :mod:`proofs_checks.commands`,
each exposing ``register(subparsers)``; experiments live in :mod:`proofs_checks.experiments`, each
module exposing ``EXPERIMENTS = {name: (configure_parser, run)}``. All work is done by library
functions; this module only parses, dispatches and maps bad input to exit status 2. File
arguments are read, outputs checked and sizes estimated by :mod:`proofs_checks.inputs`; every
(sub)command takes ``--max-memory``, ``--max-seconds`` and ``--debug``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from typing import Optional, Sequence

from numerics.errors import InputError

from .latexdoc import LatexError
from .papers import PAPERS
from .registry import PROFILES
from proofs_checks.argtypes import bounded_int, positive_float, positive_int as _positive_int, seed as _seed
from . import inputs
from .network_options import add_network_options, native_network_path, reader_options

# --examples: claims draw their instances one by one, so the cap is on run time (see _estimate_run).
_MAX_EXAMPLES = 10 ** 6
# Seconds per example and unit of a claim's declared cost (measured: the quick profile, all claims).
_SECONDS_PER_EXAMPLE_COST = 0.05

__all__ = ["main", "UsageError", "CommandParser"]


class UsageError(InputError):
    """A malformed command line (exit status 2); ``prog`` is the command that refused it."""

    def __init__(self, message, prog=None):
        super().__init__(message)
        self.prog = prog


class CommandParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and a :class:`UsageError` (exit 2, no traceback)."""

    def error(self, message):  # noqa: D401 (argparse API)
        raise UsageError(message, prog=self.prog)


def add_common_options(parser) -> None:
    """``--max-memory``, ``--max-seconds`` and ``--debug`` on every (sub)command."""
    group = parser.add_argument_group("limits and debugging")
    group.add_argument("--max-memory", type=inputs.parse_size, default=argparse.SUPPRESS, metavar="SIZE",
                       help="refuse work estimated to need more memory than this, e.g. 8G "
                            "(default: half of the machine's memory)")
    group.add_argument("--max-seconds", type=positive_float, default=argparse.SUPPRESS, metavar="S",
                       help="refuse work estimated to take longer than this (default 21600, six hours)")
    group.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="print the Python traceback of an internal error")



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
    import json

    from .registry import all_claims
    if args.paper and args.paper not in PAPERS:
        raise UsageError(f"unknown paper {args.paper!r}; choose from {', '.join(PAPERS)}")
    claims = all_claims(args.paper)
    if args.json:
        print(json.dumps([{"id": c.id, "paper": c.paper, "title": c.title, "reference": c.reference,
                           "hypotheses": list(c.hypotheses), "relaxable": dict(c.relaxable),
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
            cid = get_claim(cid).id
        except KeyError as exc:
            raise UsageError(exc.args[0]) from None
        if cid not in ids:
            ids.append(cid)
    if args.paper or not ids:
        papers = args.paper or list(PAPERS)
        ids += [c.id for p in papers for c in all_claims(p) if c.id not in ids]
    if not ids:
        raise UsageError("no claims selected (the chosen papers have no registered claims yet)")
    return ids


_MNIST_KEYS = ("x_train", "y_train", "x_test", "y_test")


def _mnist_path(args, ids):
    """``--mnist PATH`` checked here, before the run: a malformed data set is an input error (exit 2)."""
    if not getattr(args, "mnist", None):
        return None
    import os
    path = args.mnist
    if not os.path.exists(path):
        raise InputError(f"--mnist: no such file or folder: {path}")
    if os.path.isdir(path):
        total = sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path)
                    if os.path.isfile(os.path.join(path, f)))
        # IDX bytes become float64 (8x), then scaled and checked (another copy).
        inputs.require_resources(f"--mnist: {path}", memory=24 * total)
    else:
        from numerics.arrays import npz_headers
        headers = npz_headers(path, "--mnist", allowed=_MNIST_KEYS, required=_MNIST_KEYS,
                              what="an .npz with x_train, y_train, x_test, y_test, or an IDX folder")
        entries = sum(h[2] // max(h[1].itemsize, 1) for h in headers.values())
        inputs.require_resources(f"--mnist: {path}", memory=3 * 8 * entries)
    if "geometry.mnist_variant" in ids:
        from numerics.geometry import load_mnist
        try:
            load_mnist(path)
        except InputError as exc:
            raise InputError(f"--mnist: {exc}") from None
        except (ValueError, TypeError, OSError, EOFError) as exc:
            raise InputError(f"--mnist: {path} is not a readable MNIST data set ({' '.join(str(exc).split())[:160]})") from None
    return os.path.abspath(path)


# A worker process imports SymPy, SciPy and the claims: about this much resident memory each.
_WORKER_BYTES = 400 * 2 ** 20


def _estimate_run(ids, examples, profile, seeds=1, jobs=1) -> None:
    """Refuse ``--jobs`` workers that cannot fit in ``--max-memory`` and ``--examples`` (× seeds)
    whose estimated run time exceeds ``--max-seconds``."""
    workers = min(jobs, len(ids) * seeds)
    if workers > 1:
        inputs.require_resources(f"--jobs {jobs} worker processes", memory=workers * _WORKER_BYTES,
                                 lower="--jobs")
    if examples is None:
        return
    from .registry import get_claim
    cost = sum(get_claim(cid).cost for cid in ids)
    seconds = _SECONDS_PER_EXAMPLE_COST * cost * examples * seeds
    inputs.require_resources(f"--examples {examples} on {len(ids)} claim(s)", seconds=seconds,
                             lower="--examples")


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


def _output_checks(args, outputs, input_names=()):
    """Every output option of ``args`` checked against each other and the input options, up front."""
    inputs.check_outputs({o: getattr(args, o.lstrip("-").replace("-", "_"), None) for o in outputs},
                         inputs={o: getattr(args, o.lstrip("-").replace("-", "_"), None) for o in input_names})


def _cmd_run(args) -> int:
    from .progress import Progress
    from .report import build_report, format_table, markdown_report, summary_line, write_json, write_atomic
    from .runner import run_claims
    _output_checks(args, ("--json", "--markdown", "--html"), ("--network", "--replay", "--mnist"))
    ids = _selected_claims(args)
    if args.network:
        from .registry import get_claim
        on_network = sum(get_claim(cid).network is not None for cid in ids)
        # up front: bad files exit 2 before any work; each network check factorises n×n matrices
        network = inputs.read_network_argument(args.network, "--network",
                                               work=lambda n: (16 * 40 * n * n, 1e-8 * n ** 3 * on_network),
                                               **reader_options(args))
        # the claims re-read the network by path: a trained-network file goes as an rnnproof copy
        args.network = native_network_path(args.network, network)
    elif reader_options(args):
        raise InputError(f"{', '.join(f'--{k}' for k in reader_options(args))}: reader options apply to "
                         "--network FILE; give the network file or drop them")
    mnist = _mnist_path(args, ids)
    replay = _replay_path(args, ids)
    figures = _figures_dir(args)
    _estimate_run(ids, args.examples, args.profile, jobs=args.jobs)
    start = time.perf_counter()
    with Progress(len(ids), unit="claim", quiet=args.quiet) as bar:
        results = run_claims(ids, seed=args.seed, examples=args.examples, profile=args.profile,
                             network_path=args.network, jobs=args.jobs, scheduler=args.scheduler,
                             mnist_path=mnist, replay_path=replay,
                             progress=lambda r: bar.advance(f"{r['id']}: {r['status']} ({r['seconds']:.2f} s)"))
    report = build_report(results, seed=args.seed, profile=args.profile,
                          seconds=time.perf_counter() - start)
    print(f"rnnproof run: seed {args.seed}, profile {args.profile}, {report['seconds']:.1f} s")
    print(format_table(results))
    print(summary_line(report["summary"]))
    with inputs.transaction():
        if args.json:
            write_json(args.json, report)
        if args.markdown:
            write_atomic(args.markdown, markdown_report(report))
        if args.html:
            from .html_report import collect_figures, render_html
            write_atomic(args.html, render_html(report, figures=collect_figures(figures) if figures else None))
    summary = report["summary"]
    return 1 if summary["failed"] or summary["errors"] else 0


# -- sweep ---------------------------------------------------------------------------------------
def _cmd_sweep(args) -> int:
    from .progress import Progress
    from .registry import STATISTICAL_CHECKS_BUDGET, statistical_alpha, statistical_checks_per_run
    from .report import environment, write_json
    from .sweep import SWEEP_SCHEMA, format_sweep, parse_seeds, run_sweep, sweep_summary_line
    _output_checks(args, ("--json",))
    _check_seed_count(args.seeds)
    seeds = parse_seeds(args.seeds)
    args.network = None
    ids = _selected_claims(args)
    _estimate_run(ids, args.examples, args.profile, seeds=len(seeds), jobs=args.jobs)
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
        with inputs.transaction():
            write_json(args.json, report)
    print(f"rnnproof sweep: seeds {args.seeds} ({len(seeds)}), profile {args.profile}, "
          f"{len(ids)} claims, {seconds:.1f} s; statistical checks at α = {alpha:.2g} each")
    print(format_sweep(sweep["claims"]))
    print(sweep_summary_line(sweep["claims"]))
    bad = any(c["failed"] or c["errors"] for c in sweep["claims"])
    return 1 if bad else 0


def _check_seed_count(text) -> None:
    """``--seeds A..B`` with more seeds than a sweep takes is refused before the list is built."""
    from .sweep import MAX_SEEDS
    count = 0
    for part in str(text).split(","):
        lo, sep, hi = part.strip().partition("..")
        if sep and lo.strip().lstrip("-").isdigit() and hi.strip().lstrip("-").isdigit() \
                and len(lo.strip()) < 30 and len(hi.strip()) < 30:
            count += max(0, int(hi) - int(lo) + 1)
    if count > MAX_SEEDS:
        raise InputError(f"--seeds {text!r}: {count} seeds, at most {MAX_SEEDS} in one sweep")


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
    import os
    for paper in args.paper or ():
        if paper not in PAPERS:
            raise UsageError(f"unknown paper {paper!r}; choose from {', '.join(PAPERS)}")
    papers = list(dict.fromkeys(args.paper or ())) or list(PAPERS)
    if not args.out.endswith(".tex"):
        raise InputError(f"--out must end in .tex, got {args.out}")
    pdf_path = os.path.splitext(args.out)[0] + ".pdf" if args.pdf else None
    inputs.check_outputs({"--out": args.out, "--pdf": pdf_path}, inputs={"--results": args.results})
    results = inputs.read_json_report(args.results, "--results") if args.results else None
    if args.pdf:
        import shutil
        if shutil.which("pdflatex") is None:
            raise InputError("--pdf needs pdflatex, which is not installed "
                             "(e.g. apt-get install texlive-latex-base texlive-latex-recommended)")
    text = build_document(papers, results=results)
    with inputs.transaction():
        write_atomic(args.out, text)
        if args.pdf:
            compile_pdf(args.out, text=text)
    print(f"wrote {args.out}")
    if args.pdf:
        print(f"wrote {pdf_path}")
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
    _harden_experiment_parser(parser)
    add_common_options(parser)
    options = parser.parse_args(args.rest)
    if hasattr(options, "max_memory") or hasattr(options, "max_seconds"):
        inputs.set_limits(getattr(options, "max_memory", None), getattr(options, "max_seconds", None))
    folders = {"--out": getattr(options, "out", None)}
    inputs.check_outputs({o: getattr(options, o[2:], None) for o in ("--json", "--markdown")}, folders=folders)
    estimate = _EXPERIMENT_ESTIMATES.get(args.name)
    if estimate is not None:
        estimate(options)
    with inputs.transaction(folders=[folders["--out"]]):
        return run(options)


# Upper limits for the experiments' integer options: sizes beyond them cannot fit in memory or time.
_EXPERIMENT_LIMITS = {"seed": (0, 2 ** 63 - 1, "a seed"), "hidden": (1, 100_000, "hidden units"),
                      "epochs": (1, 100_000, "training epochs"), "drift": (0, 100_000, "zero-input steps"),
                      "trials": (1, 100_000, "sequences per cell"), "sparsity": (1, 100_000, "nonzeros")}


_GENERIC_HELP = {"seed": "seed of every random draw (default %(default)s)",
                 "out": "output folder (default %(default)s)"}


def _harden_experiment_parser(parser) -> None:
    """Give the experiments' integer options the shared validators (``--seed -1`` is a usage error)
    and a help text to every option."""
    for action in parser._actions:
        name = getattr(action.type, "__name__", "")
        if action.dest in _EXPERIMENT_LIMITS and (action.type is None or name in ("int", "positive_int",
                                                                                   "nonnegative_int")):
            low, high, what = _EXPERIMENT_LIMITS[action.dest]
            action.type = _seed if action.dest == "seed" else bounded_int(low, high, what)
        if not action.help:
            action.help = _GENERIC_HELP.get(action.dest, action.dest.replace("_", " ") + " (default %(default)s)")


def _estimate_geometry_digits(options) -> None:
    """Training the H-unit tanh RNN on 8×8 digits (T = 8 rows, ~1400 sequences, BPTT + Adam)."""
    H, T = options.hidden, 8 + options.drift
    samples = 1797
    # states and gradients of every sequence and step, Adam moments of W, eigendecompositions of W.
    memory = 8 * (6 * samples * T * H + 30 * H * H)
    seconds = 2e-9 * options.epochs * samples * T * H * (H + 64) + 1e-8 * H ** 3
    inputs.require_resources(f"geometry.digits with --hidden {H}, --drift {options.drift}",
                             memory=memory, seconds=seconds, lower="--hidden/--epochs/--drift")


def _estimate_reconstruction(options) -> None:
    """linear_recurrence.reconstruction: per cell an N×L complex Vandermonde system and its SVD."""
    L = max(options.L)
    N = max(options.N) if options.N else 2 * L
    memory = 16 * 8 * N * L + 16 * 4 * options.trials * L
    seconds = 1e-9 * len(options.L) * len(options.init) * len(options.inputs) * len(options.decoder) \
        * len(options.noise) * (16 * N * L * min(N, L) + options.trials * N * L)
    inputs.require_resources(f"linear_recurrence.reconstruction with L up to {L}, N up to {N}",
                             memory=memory, seconds=seconds, lower="--L/--N/--trials")


_EXPERIMENT_ESTIMATES = {"geometry.digits": _estimate_geometry_digits,
                         "linear_recurrence.reconstruction": _estimate_reconstruction}


def build_parser() -> CommandParser:
    from importlib.metadata import PackageNotFoundError, version
    try:
        release = version("rnnproof")
    except PackageNotFoundError:  # pragma: no cover (a source checkout without install)
        release = "unknown"
    parser = CommandParser(prog="rnnproof", description="Derive and check the claims of five RNN papers.")
    parser.add_argument("--version", action="version", version=f"rnnproof {release}",
                        help="print the version and exit")
    parser.add_argument("--debug", action="store_true", help="print the Python traceback of an internal error")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=CommandParser, metavar="COMMAND")

    p = sub.add_parser("list", help="list the registered claims")
    p.add_argument("--paper", metavar="KEY", help=f"only this paper: one of {', '.join(PAPERS)}")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(handler=_cmd_list)

    p = sub.add_parser("run", help="check claims on seeded random instances (or on --network)")
    p.add_argument("--paper", action="append", metavar="KEY", help=f"one of {', '.join(PAPERS)} (repeatable)")
    p.add_argument("--claim", action="append", metavar="ID", help="a claim ID (repeatable)")
    p.add_argument("--seed", type=_seed, default=0,
                   help="run seed, a non-negative integer (default 0); every instance derives from it")
    p.add_argument("--examples", type=bounded_int(1, _MAX_EXAMPLES, "instances per claim"),
                   help="random instances per claim (default: by profile)")
    p.add_argument("--profile", choices=sorted(PROFILES), default="quick",
                   help="instances per claim: quick (4) or thorough (40)")
    p.add_argument("--jobs", type=_positive_int, default=1, help="worker processes (default 1)")
    p.add_argument("--network", metavar="FILE", help="check the claims on this network file (rnnproof .npz, "
                   "or a PyTorch/Keras/Flax/PsychRNN file read with the network file options)")
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
    add_network_options(p)
    p.set_defaults(handler=_cmd_run)

    p = sub.add_parser("sweep", help="check claims over many seeds; per claim the worst seed")
    p.add_argument("--seeds", default="0..9", metavar="A..B",
                   help="seeds: A..B inclusive, a comma list, or one seed (default 0..9)")
    p.add_argument("--paper", action="append", metavar="KEY", help=f"one of {', '.join(PAPERS)} (repeatable)")
    p.add_argument("--claim", action="append", metavar="ID", help="a claim ID (repeatable)")
    p.add_argument("--profile", choices=sorted(PROFILES), default="quick",
                   help="instances per claim and seed: quick (4) or thorough (40)")
    p.add_argument("--examples", type=bounded_int(1, _MAX_EXAMPLES, "instances per claim"),
                   help="random instances per claim and seed")
    p.add_argument("--jobs", type=_positive_int, default=1, help="worker processes (default 1)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="a Dask scheduler address, or local:N for a LocalCluster of N workers")
    p.add_argument("--json", metavar="PATH", help="write the sweep report here (atomically)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(handler=_cmd_sweep)

    p = sub.add_parser("derive", help="print derived formulas (pretty or LaTeX)")
    p.add_argument("topic", help="e.g. linearization, linearization.jacobians; 'rnnproof derive list'")
    p.add_argument("--n", type=bounded_int(1, 12, "explicit symbolic sizes grow factorially"), help="explicit size (default: general n where derived)")
    p.add_argument("--activation", help="tanh, sigmoid, softplus, relu or generic (default generic)")
    p.add_argument("--latex", action="store_true", help="print LaTeX instead of pretty text")
    p.set_defaults(handler=_cmd_derive)

    p = sub.add_parser("latex", help="export a standalone LaTeX document of the claims")
    p.add_argument("--paper", action="append", metavar="KEY",
                   help=f"only this paper (repeatable): one of {', '.join(PAPERS)}")
    p.add_argument("--out", default="rnnproof.tex", metavar="FILE.tex", help="the .tex file to write (default rnnproof.tex)")
    p.add_argument("--results", metavar="REPORT.json", help="include the statuses of this run report")
    p.add_argument("--pdf", action="store_true", help="also compile FILE.pdf with pdflatex")
    p.set_defaults(handler=_cmd_latex)

    names = ", ".join(sorted(_experiments())) or "none yet"
    p = sub.add_parser("experiment", help="run a reproduction study: rnnproof experiment NAME [options]",
                       description=f"Run a reproduction study. Experiments: {names}. "
                                   "`rnnproof experiment NAME --help` lists its options.")
    p.add_argument("name", metavar="NAME", help=f"one of: {names}")
    p.add_argument("rest", nargs=argparse.REMAINDER, metavar="...", help="the experiment's own options")
    p.set_defaults(handler=_cmd_experiment)

    for module in _plugins("proofs_checks.commands"):
        module.register(sub)
    for name, subparser in sub.choices.items():
        if name != "experiment":  # the experiment's own parser gets them (its options follow NAME)
            add_common_options(subparser)
    return parser


def _one_line(exc) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 a claim failed or errored, 2 bad input,
    3 an internal error: a bug, reported in one line, with the traceback under ``--debug``)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    prog = "rnnproof"
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        prog = f"rnnproof {args.command}" + (f" {args.name}" if args.command == "experiment" else "")
        inputs.set_limits(getattr(args, "max_memory", None), getattr(args, "max_seconds", None))
        inputs.set_command(prog)
        return args.handler(args)
    except InputError as exc:  # includes UsageError
        print(f"{getattr(exc, 'prog', None) or prog}: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except MemoryError:
        print(f"{prog}: error: out of memory (the estimate before the work was too low); lower the "
              "sizes or --max-memory", file=sys.stderr)
        return 2
    except LatexError as exc:
        print(f"{prog}: error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `rnnproof derive ... | head`): stop quietly, as cat does.
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug in rnnproof, not the user's input
        if debug:
            import traceback
            traceback.print_exc()
        print(f"{prog}: internal error: {type(exc).__name__}: {_one_line(exc)[:200]}; this is a bug in "
              "rnnproof, please report it with the command line"
              + ("" if debug else " (add --debug for the traceback)"), file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
