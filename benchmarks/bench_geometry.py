"""Benchmarks of the representation-geometry paper (issue 6), single-threaded BLAS.

1. Training the reference configuration (H = 200, 40 epochs, batch 64, float32 passes) against a
   baseline timed in the same process: the bare GEMMs of the same forward/backward passes (what any
   BPTT implementation must do at least), and against the same training in float64.
2. ``rnnproof experiment geometry.digits`` with defaults (target < 30 s) and
   ``rnnproof run --paper geometry --profile quick`` (target < 30 s), each as a subprocess (what a user
   types), against the baseline of starting Python and importing numpy, scipy, sympy, sklearn and
   matplotlib.

The load average is printed: on a shared 2-core machine wall times are inflated by other processes,
so the CPU time of each subprocess is printed too.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

TARGETS = {"experiment": 30.0, "run_quick": 30.0}


def _gemm_baseline(config, n_train, D=8, C=10, T=8, dtype=np.float32):
    """The GEMMs of one training run (forward, delta recursion, the two stacked weight products)."""
    rng = np.random.default_rng(0)
    H, B = config.hidden, config.batch
    W = rng.standard_normal((H, H)).astype(dtype)
    h = rng.standard_normal((B, H)).astype(dtype)
    A = rng.standard_normal((T * B, H)).astype(dtype)
    batches = config.epochs * (-(-n_train // B))
    start = time.perf_counter()
    for _ in range(batches):
        for _ in range(2 * T):          # T forward products, T backward delta products
            h @ W
        A.T @ A                         # ∂W
        A.T @ A[:, :D]                  # ∂U
    return time.perf_counter() - start


def _child_time(args):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc


def main():
    from numerics import geometry as N

    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; threads "
          f"OMP={os.environ['OMP_NUM_THREADS']} OPENBLAS={os.environ['OPENBLAS_NUM_THREADS']}")
    if not N.digits_available():
        print(f"FAIL: {N.SKLEARN_MISSING}")
        return 1
    bad = 0
    config = N.GeometryConfig(seed=0)
    data = N.load_digits_sequences(0)
    for dtype in ("float32", "float64"):
        cfg = N.GeometryConfig(seed=0, dtype=dtype)
        start = time.perf_counter()
        N.train(cfg, data[0], data[1], 10, np.random.default_rng([0, 1]))
        ours = time.perf_counter() - start
        base = _gemm_baseline(config, len(data[1]), dtype=np.dtype(dtype).type)
        print(f"training ({dtype} passes): {ours:6.2f} s; bare GEMMs of the same passes {base:6.2f} s; "
              f"ratio {ours / base:4.2f}x")
        if dtype == "float32":
            t32 = ours
        else:
            print(f"float64 / float32 training time: {ours / t32:4.2f}x")

    base_wall, base_cpu, _ = _child_time([sys.executable, "-c",
                                          "import numpy, scipy, sympy, sklearn, matplotlib.pyplot"])
    print(f"baseline: python + import numpy/scipy/sympy/sklearn/matplotlib = {base_wall:.2f} s "
          f"(cpu {base_cpu:.2f} s)")
    with tempfile.TemporaryDirectory() as tmp:
        runs = {
            "experiment": [sys.executable, "-m", "proofs_checks", "experiment", "geometry.digits",
                           "--out", os.path.join(tmp, "figs"), "--json", os.path.join(tmp, "g.json")],
            "run_quick": [sys.executable, "-m", "proofs_checks", "run", "--paper", "geometry",
                          "--profile", "quick", "--quiet"],
        }
        for name, args in runs.items():
            wall, cpu, proc = _child_time(args)
            last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr.strip()[-200:]
            ok = proc.returncode == 0 and wall < TARGETS[name]
            bad += not ok
            print(f"{name:10s} wall {wall:6.1f} s, cpu {cpu:6.1f} s (target < {TARGETS[name]:.0f} s wall, "
                  f"{wall / base_wall:5.1f}x baseline) [{last}] {'PASS' if ok else 'FAIL'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
