"""Mutation study: how many realistic bugs do `rnnproof run` and `rnnproof search` catch?

Each mutant is a small patch under ``benchmarks/mutants/<paper>/NN-name.patch`` (a unified diff
against the tree, made with ``git diff``), planting one realistic bug in ``theory``, ``numerics``
or the code behind the commands: a sign, a transpose, an off-by-one index or power, a wrong factor
or factorial, a wrong norm, time step or evaluation point, a product taken in the wrong order, a
bound or margin slightly too small. For each mutant, in a scratch copy of the tree:

1. the quick ``rnnproof run --paper P`` (plus the mutant's ``# command:`` lines, if any): killed if
   it exits non-zero;
2. otherwise ``rnnproof search --paper P --budget B``: killed if it finds a counterexample.

A mutant that survives both is either a gap in the checks or equivalent (it cannot change any
result); an equivalent mutant says why in a ``# equivalent:`` line of its patch header and is not
counted. The script prints a table per paper and overall, and exits 1 below the target kill rate.

    python benchmarks/bench_mutation.py [--paper KEY] [--budget 30] [--jobs 2] [--target 0.95]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "benchmarks" / "mutants"
ENV = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", MPLBACKEND="Agg")


@dataclass
class Mutant:
    paper: str
    name: str
    path: Path
    description: str
    equivalent: str
    commands: list


def load_mutants(paper=None) -> list:
    mutants = []
    for path in sorted(MUTANTS.glob("*/*.patch")):
        if paper and path.parent.name != paper:
            continue
        header = [line[1:].strip() for line in path.read_text(encoding="utf-8").splitlines()
                  if line.startswith("#")]
        field = lambda key: next((h.split(":", 1)[1].strip() for h in header if h.startswith(key + ":")), "")  # noqa: E731
        mutants.append(Mutant(path.parent.name, path.stem, path, field("mutant"), field("equivalent"),
                              [h.split(":", 1)[1].strip() for h in header if h.startswith("command:")]))
    return mutants


def _scratch_copy() -> Path:
    scratch = Path(tempfile.mkdtemp(prefix="rnnproof-mutant-"))
    for name in ("theory", "numerics", "proofs_checks"):
        shutil.copytree(ROOT / name, scratch / name, ignore=shutil.ignore_patterns("__pycache__"))
    return scratch


def _run(scratch: Path, args: list, timeout: float) -> int:
    env = dict(ENV, PYTHONPATH=str(scratch))
    try:
        return subprocess.run([sys.executable, "-m", "proofs_checks", *args], cwd=scratch, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        return -1  # a mutant that hangs a check is caught by the time limit, counted as killed


def study(mutant: Mutant, budget: int, timeout: float) -> dict:
    scratch = _scratch_copy()
    start = time.perf_counter()
    try:
        patch = subprocess.run(["git", "apply", "--unidiff-zero", str(mutant.path)], cwd=scratch,
                               capture_output=True, text=True)
        if patch.returncode:
            return {"mutant": mutant, "result": "does not apply", "by": patch.stderr.strip()[:200]}
        rc = _run(scratch, ["run", "--paper", mutant.paper, "--quiet"], timeout)
        if rc != 0:
            return {"mutant": mutant, "result": "killed", "by": "run", "seconds": time.perf_counter() - start}
        for command in mutant.commands:
            if _run(scratch, command.split()[1:], timeout) != 0:
                return {"mutant": mutant, "result": "killed", "by": command, "seconds": time.perf_counter() - start}
        rc = _run(scratch, ["search", "--paper", mutant.paper, "--budget", str(budget), "--quiet",
                            "--counterexamples", str(scratch / "cx")], timeout)
        if rc != 0:
            return {"mutant": mutant, "result": "killed", "by": "search", "seconds": time.perf_counter() - start}
        return {"mutant": mutant, "result": "equivalent" if mutant.equivalent else "survived",
                "by": mutant.equivalent, "seconds": time.perf_counter() - start}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paper")
    parser.add_argument("--budget", type=int, default=30, help="search instances per claim")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per command")
    parser.add_argument("--target", type=float, default=0.95)
    args = parser.parse_args(argv)
    mutants = load_mutants(args.paper)
    if not mutants:
        print("no mutants found under benchmarks/mutants/")
        return 1
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        rows = list(pool.map(lambda m: study(m, args.budget, args.timeout), mutants))
    print(f"{'mutant':52} {'result':14} by")
    for r in rows:
        m = r["mutant"]
        print(f"{m.paper + '/' + m.name:52} {r['result']:14} {r['by']}")
    print()
    print(f"{'paper':20} {'mutants':>8} {'by run':>7} {'by search':>9} {'survived':>8} {'equiv.':>6} {'kill rate':>9}")
    overall = {"counted": 0, "killed": 0}
    for paper in sorted({r["mutant"].paper for r in rows}) + ["all"]:
        sel = [r for r in rows if paper == "all" or r["mutant"].paper == paper]
        by_run = sum(r["result"] == "killed" and r["by"] == "run" for r in sel)
        killed = sum(r["result"] == "killed" for r in sel)
        survived = sum(r["result"] in ("survived", "does not apply") for r in sel)
        equivalent = sum(r["result"] == "equivalent" for r in sel)
        counted = killed + survived
        rate = killed / counted if counted else 1.0
        print(f"{paper:20} {len(sel):8d} {by_run:7d} {killed - by_run:9d} {survived:8d} {equivalent:6d} {rate:9.1%}")
        if paper == "all":
            overall = {"counted": counted, "killed": killed}
    rate = overall["killed"] / overall["counted"] if overall["counted"] else 1.0
    print(f"\nmutation study: {rate:.1%} killed (target {args.target:.0%}), {time.perf_counter() - start:.0f} s")
    return 0 if rate >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
