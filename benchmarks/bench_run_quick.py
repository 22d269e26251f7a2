"""`rnnproof run --paper KEY --profile quick` wall time per paper, against the issues' targets.

Timed as a subprocess (what a user types), single-threaded BLAS. The baseline for context is the
interpreter start-up plus importing sympy, numpy and scipy, timed in the same run.
"""

import os
import subprocess
import sys
import time

TARGETS = {"linearization": 20.0, "unitary": 20.0, "linear_recurrence": 30.0, "response": 40.0,
           "geometry": 30.0}


def timed(args):
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True)
    return time.perf_counter() - start, proc


def main():
    env_cmd = [sys.executable, "-c", "import sympy, numpy, scipy"]
    base, _ = timed(env_cmd)
    print(f"baseline: python + import sympy/numpy/scipy = {base:.2f} s")
    bad = 0
    for paper, target in TARGETS.items():
        seconds, proc = timed([sys.executable, "-m", "proofs_checks", "run", "--paper", paper,
                               "--profile", "quick", "--quiet"])
        last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr.strip()
        ok = seconds < target and proc.returncode == 0
        bad += not ok
        print(f"{paper:18s} {seconds:6.1f} s (target < {target:.0f} s, {seconds / base:5.1f}x baseline) "
              f"[{last}] {'PASS' if ok else 'FAIL'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
