"""Run every benchmark script in this folder, single-threaded, and print their outputs.

    python benchmarks/run_all.py            # all of them
    python benchmarks/run_all.py run_quick  # only scripts whose name contains 'run_quick'

Each script compares our code with a baseline timed in the same process and prints the ratio and
the target; this runner only collects them and exits 1 if any script reports FAIL or crashes.
"""

import os
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent


def main(argv):
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               MPLBACKEND="Agg")
    scripts = sorted(p for p in HERE.glob("bench_*.py") if not argv or any(a in p.name for a in argv))
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        proc = subprocess.run([sys.executable, str(script)], env=env, text=True, capture_output=True)
        print(proc.stdout, end="")
        if proc.returncode != 0 or "FAIL" in proc.stdout:
            failed.append(script.name)
            print(proc.stderr[-2000:], end="")
    print(f"{len(scripts) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
