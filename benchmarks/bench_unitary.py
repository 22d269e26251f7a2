"""Building the Theorem 1 URNN for n = 2000 against one ``numpy.linalg.svd`` of W (issue 3 target: <= 2x).

One SVD of W gives ||W||_2, both square roots (I - WWᵀ)^{1/2} = U S Uᵀ, (I - WᵀW)^{1/2} = V S Vᵀ and
the whole dilation, so the build is the SVD plus two n×n products and copies. Both are timed in the
same process on the same W (best of ``REPEATS``), single-threaded BLAS when run via run_all.py. The
O((2n)^3) orthogonality verification (what ``rnnproof urnn`` reports as orthogonality_error) is
timed separately and is not part of the build.
"""

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from numerics import unitary as U  # noqa: E402

N = int(os.environ.get("BENCH_UNITARY_N", "2000"))
REPEATS = 2
TARGET = 2.0


def best(fn):
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def main():
    rng = np.random.default_rng(0)
    spec = U.random_relu_rnn(rng, N, 0.95, n_x=4, n_y=2)
    W = np.array(spec.W)
    t_svd, _ = best(lambda: np.linalg.svd(W))
    t_build, cons = best(lambda: U.relu_rnn_to_urnn(spec, 1.0, verify=False))
    start = time.perf_counter()
    defect = U.orthogonality_defect(cons.urnn.W)
    t_verify = time.perf_counter() - start
    ratio = t_build / t_svd
    print(f"n = {N}: numpy.linalg.svd(W) {t_svd:.2f} s; relu_rnn_to_urnn (2n = {2 * N} states) {t_build:.2f} s; "
          f"ratio {ratio:.2f} (target <= {TARGET:.0f}) {'PASS' if ratio <= TARGET else 'FAIL'}")
    print(f"orthogonality defect {defect:.2e} (100·n·ε = {100 * N * np.finfo(float).eps:.2e}); "
          f"verification product {t_verify:.2f} s (not part of the build)")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
