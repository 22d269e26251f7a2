"""Linearization paper (part A) benchmarks against the issue's targets, single-threaded BLAS.

1. ``rnnproof linearize`` on an n-unit tanh network (default 2000) vs two ``numpy.linalg.eig``
   calls on an n×n matrix, timed in the same run: target ratio ≤ 3. Timed both as the library
   call (:func:`numerics.linearization.linearize`) and as the command (a subprocess writing JSON).
2. Symbolic derivations: MatrixSymbol topics < 1 s; explicit n = 4 with tanh < 5 s (cold caches,
   in a fresh interpreter).
3. ``rnnproof run --paper linearization --profile quick`` < 20 s, and claims 1–16 alone (≲ 8 s).

Usage: ``python benchmarks/bench_linearization.py [--n 2000] [--skip-run]``.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from numerics import RNNSpec, save_network  # noqa: E402
from numerics.linearization import linearize  # noqa: E402

MY_CLAIMS = [
    "activity_ode", "rate_model_equivalence", "hetero_tau", "two_linearizations", "intertwining",
    "similarity", "push_through", "linear_prediction", "same_spectrum", "right_eigvec_map",
    "left_eigvec_map", "biorthonormality", "transfer_function", "modal_gains",
    "frame_dependent_quantities", "symmetric_real_spectrum",
]

_SYMBOLIC = r"""
import time, theory
t = time.perf_counter(); items = theory.derive("linearization"); a = time.perf_counter() - t
import sympy
for _, e in items: sympy.latex(e)
t = time.perf_counter(); theory.derive("linearization.jacobians", n=4, activation="tanh")
b = time.perf_counter() - t
t = time.perf_counter(); theory.derive("linearization.models", n=4, activation="tanh")
c = time.perf_counter() - t
print(a, b, c)
"""


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def bench_linearize(n):
    rng = np.random.default_rng(0)
    W = 1.5 * rng.standard_normal((n, n)) / np.sqrt(n)
    b = 2.0 * rng.standard_normal(n)
    spec = RNNSpec(W=W, b=b)
    A = rng.standard_normal((n, n))
    t_eig, _ = timed(lambda: (np.linalg.eig(A), np.linalg.eig(A)))
    t_lib, out = timed(lambda: linearize(spec, rng=np.random.default_rng(0)))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "net.npz")
        save_network(path, spec)
        t_cmd, proc = timed(lambda: subprocess.run(
            [sys.executable, "-m", "proofs_checks", "linearize", path, "--json", os.path.join(tmp, "o.json")],
            capture_output=True, text=True))
    print(f"[linearize] n = {n} tanh: two numpy.linalg.eig = {t_eig:.2f} s")
    print(f"[linearize] library linearize() = {t_lib:.2f} s  ratio {t_lib / t_eig:.2f} (target ≤ 3) "
          f"{'PASS' if t_lib <= 3 * t_eig else 'FAIL'}; Newton {out['iterations']} steps, residual "
          f"{out['residual']:.1e}, min gain {min(out['gains']):.1e}, verdict: {out['verdict'][:40]}")
    print(f"[linearize] command (subprocess, JSON) = {t_cmd:.2f} s  ratio {t_cmd / t_eig:.2f} (target ≤ 3) "
          f"{'PASS' if t_cmd <= 3 * t_eig and proc.returncode == 0 else 'FAIL'} (exit {proc.returncode})")
    return t_lib <= 3 * t_eig and t_cmd <= 3 * t_eig and proc.returncode == 0


def bench_symbolic():
    proc = subprocess.run([sys.executable, "-c", _SYMBOLIC], capture_output=True, text=True)
    a, b, c = map(float, proc.stdout.split())
    ok = a < 1.0 and b < 5.0 and c < 5.0
    print(f"[derive] MatrixSymbol topics (linearization) = {a:.3f} s (target < 1 s); explicit n = 4 tanh: "
          f"jacobians {b:.3f} s, models {c:.3f} s (target < 5 s) {'PASS' if ok else 'FAIL'}")
    return ok


def bench_run():
    t_all, proc = timed(lambda: subprocess.run(
        [sys.executable, "-m", "proofs_checks", "run", "--paper", "linearization", "--profile", "quick",
         "--quiet"], capture_output=True, text=True))
    last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr.strip()
    args = [a for s in MY_CLAIMS for a in ("--claim", f"linearization.{s}")]
    t_mine, proc2 = timed(lambda: subprocess.run(
        [sys.executable, "-m", "proofs_checks", "run", *args, "--profile", "quick", "--quiet"],
        capture_output=True, text=True))
    last2 = proc2.stdout.strip().splitlines()[-1] if proc2.stdout.strip() else proc2.stderr.strip()
    t_base, _ = timed(lambda: subprocess.run([sys.executable, "-c", "import sympy, numpy, scipy"]))
    print(f"[run] baseline python + import sympy/numpy/scipy = {t_base:.2f} s")
    print(f"[run] rnnproof run --paper linearization --profile quick = {t_all:.1f} s (target < 20 s) "
          f"[{last}] {'PASS' if t_all < 20 and proc.returncode == 0 else 'FAIL'}")
    print(f"[run] claims 1–16 only = {t_mine:.1f} s (budget ≲ 8 s) [{last2}]")
    return t_all < 20 and proc.returncode == 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--skip-run", action="store_true", help="skip the rnnproof run timing")
    args = parser.parse_args(argv)
    ok = bench_symbolic()
    ok &= bench_linearize(args.n)
    if not args.skip_run:
        ok &= bench_run()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
