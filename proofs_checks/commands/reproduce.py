"""``rnnproof reproduce PAPER|all [--only R2 ...] [--quick | --full] [--out DIR] [--seed S] [--jobs N]``.

Runs the paper's reproductions (:mod:`proofs_checks.reproduce`) and writes into DIR, all or nothing
(everything is built in a sibling temporary directory, then moved into place): one PNG (and PDF)
figure per reproduction, its data as CSV and JSON, and ``summary.md`` with the headline numbers
beside the paper's values or expected outcomes and a verdict per row. Exit 0 when the run completed
(a row that differs is reported, not an error), 1 when a reproduction raised (its row says so; the
others still ran), 2 for bad input.
"""

from __future__ import annotations

import os

from proofs_checks.argtypes import positive_int as _positive_int

PAPERS_CHOICES = ("linearization", "unitary", "linear_recurrence", "response", "geometry", "all")


def register(subparsers):
    p = subparsers.add_parser("reproduce", help="regenerate a paper's experiments as figures, data and a "
                              "summary table (rnnproof reproduce PAPER|all)")
    p.add_argument("paper", help="one of " + ", ".join(PAPERS_CHOICES))
    p.add_argument("--only", nargs="+", metavar="RK", default=(), help="only these reproductions (R2 or unitary.R2)")
    scale = p.add_mutually_exclusive_group()
    scale.add_argument("--quick", action="store_true", help="small sizes (about a minute per paper)")
    scale.add_argument("--full", action="store_true", help="the authors' full scale where it differs "
                       "from the default (unitary R2: 30 teacher draws, T = 1000, 100 epochs; hours)")
    p.add_argument("--out", default="reproductions", metavar="DIR", help="output directory (default reproductions)")
    p.add_argument("--seed", type=int, default=0, help="seed of every random draw (default 0)")
    p.add_argument("--jobs", type=_positive_int, default=1, help="worker processes (default 1)")
    p.add_argument("--no-pdf", action="store_true", help="write PNG figures only")
    p.set_defaults(handler=_run)


def _worker(args):
    rep_id, tmp, seed, scale, jobs, pdf = args
    from proofs_checks.reproduce import _REGISTRY, execute, reproductions
    reproductions(rep_id.split(".")[0])
    return execute(_REGISTRY[rep_id], tmp, seed=seed, scale=scale, jobs=jobs, pdf=pdf)


def _check_out(out: str) -> str:
    from numerics import InputError
    out = os.path.abspath(out)
    parent = os.path.dirname(out)
    if not os.path.isdir(parent):
        raise InputError(f"--out: parent directory {parent} does not exist; create it first")
    if os.path.exists(out):
        if not os.path.isdir(out):
            raise InputError(f"--out: {out} exists and is not a directory; choose another path")
        if os.listdir(out) and not os.path.exists(os.path.join(out, "summary.md")):
            raise InputError(f"--out: {out} is a non-empty directory not written by rnnproof reproduce; "
                             "choose an empty or new directory")
    return out


def run_reproductions(paper: str, out: str, only=(), scale: str = "default", seed: int = 0, jobs: int = 1,
                      pdf: bool = True, quiet: bool = False) -> list:
    """Library function behind the command: returns the records; writes DIR all-or-nothing."""
    import shutil
    import tempfile
    import time

    from proofs_checks.progress import Progress
    from proofs_checks.report import write_atomic
    from proofs_checks.reproduce import execute, reproductions
    from proofs_checks.reproduce.summary import summary_markdown

    out = _check_out(out)
    chosen = reproductions(paper, only)
    start = time.perf_counter()
    tmp = tempfile.mkdtemp(prefix=".reproduce-", dir=os.path.dirname(out))
    previous = _exit_on_sigterm()
    try:
        records = {}
        with Progress(len(chosen), unit="reproduction", label=f"reproduce {paper}", quiet=quiet) as bar:
            if jobs > 1 and len(chosen) > 1:
                from concurrent.futures import ProcessPoolExecutor, as_completed
                with ProcessPoolExecutor(max_workers=min(jobs, len(chosen))) as pool:
                    futures = {pool.submit(_worker, (r.id, tmp, seed, scale, 1, pdf)): r.id for r in chosen}
                    for fut in as_completed(futures):
                        records[futures[fut]] = fut.result()
                        bar.advance(f"{futures[fut]} done")
            else:
                for r in chosen:
                    records[r.id] = execute(r, tmp, seed=seed, scale=scale, jobs=jobs, pdf=pdf)
                    bar.advance(f"{r.id} done")
        ordered = [records[r.id] for r in chosen]
        write_atomic(os.path.join(tmp, "summary.md"),
                     summary_markdown(ordered, seed, scale, time.perf_counter() - start))
        if os.path.exists(out):
            old = out + ".old-" + os.path.basename(tmp)
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        _restore_sigterm(previous)
    return ordered


def _exit_on_sigterm():
    """SIGTERM raises SystemExit, so the temporary directory is removed (all or nothing)."""
    import signal
    import sys
    import threading
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def _restore_sigterm(previous):
    import signal
    if previous is not None:
        signal.signal(signal.SIGTERM, previous)


def _run(args) -> int:
    from numerics import InputError
    from proofs_checks.reproduce.summary import verdict_counts
    if args.paper not in PAPERS_CHOICES:
        raise InputError(f"unknown paper {args.paper!r}; choose from {', '.join(PAPERS_CHOICES)}")
    scale = "quick" if args.quick else "full" if args.full else "default"
    records = run_reproductions(args.paper, args.out, only=tuple(args.only), scale=scale, seed=args.seed,
                                jobs=args.jobs, pdf=not args.no_pdf)
    for rec in records:
        for row in rec["rows"]:
            print(f"{rec['id']:22s} {row['verdict']:11s} {row['quantity']}: {row['ours']} "
                  f"(expected {row['expected']})")
    counts = verdict_counts(records)
    print(f"{len(records)} reproductions: {counts['as expected']} rows as expected, {counts['differs']} differ, "
          f"{counts['reported']} reported; wrote {os.path.abspath(args.out)}/summary.md")
    errors = [rec["id"] for rec in records if rec.get("error")]
    if errors:
        print(f"errors in: {', '.join(errors)}")
    return 1 if errors else 0
