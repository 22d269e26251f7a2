"""Linearization paper (part B, claims 17–32) benchmarks, single-threaded BLAS, ratios in one run.

1. ``similarity_verdict`` (called by ``rnnproof linearize``) on an n-unit ReLU network with silent
   units (default n = 2000) vs one ``numpy.linalg.eig`` call on an n×n matrix: it must stay a small
   fraction of the linearize budget (3 × two eig calls).
2. The 50-digit Jordan rank sequence of an 8×8 singular pattern vs one mpmath SVD at 50 digits
   (how many SVDs a verdict costs).
3. Claims 17–32 in the quick profile vs claims 1–16 (target: all 32 under 20 s; part B ≲ 10 s).

Usage: ``python benchmarks/bench_linearization_singular.py [--n 2000] [--skip-run]``.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import time  # noqa: E402

import mpmath  # noqa: E402
import numpy as np  # noqa: E402

from numerics.linearization_singular import rank_sequence, similarity_verdict  # noqa: E402

PART_B = ["trajectory_term", "slow_point_mismatch", "singular_charpoly", "silent_unit_eigvecs",
          "silent_block_structure", "silent_eigvecs_vanish", "jordan_at_minus_one",
          "krylov_controllability", "selection_decomposition", "activation_input_mod_zero",
          "frame_invariant_total", "rank_one_context", "low_rank_context", "discrete_vanilla",
          "discrete_leaky", "euler_commutes"]


def timed(fn, repeat=1):
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def bench_verdict(n):
    rng = np.random.default_rng(0)
    J = rng.standard_normal((n, n)) / np.sqrt(n)
    d = (rng.random(n) < 0.5).astype(float)
    t_v, out = timed(lambda: similarity_verdict(J, d))
    t_e, _ = timed(lambda: np.linalg.eig(J * d[None, :]))
    print(f"[1] similarity_verdict n={n} ({int((d == 0).sum())} silent): {t_v:.3f} s; one numpy eig: "
          f"{t_e:.3f} s; ratio {t_v / t_e:.3f} (verdict: {out['verdict'][:40]}...)")


def bench_ranks():
    J = np.zeros((8, 8))
    for i in range(7):
        J[i, i + 1] = 1.0
    d = np.ones(8)
    d[3] = 0.0
    t_r, ranks = timed(lambda: rank_sequence(J, 50, right=d), repeat=3)
    with mpmath.mp.workdps(50):
        M = mpmath.matrix(J.tolist())
        t_s, _ = timed(lambda: mpmath.svd_r(M, compute_uv=False), repeat=3)
    print(f"[2] rank_sequence(JD) 8×8 at 50 digits: {t_r * 1e3:.1f} ms (ranks {ranks}); one mpmath svd_r: "
          f"{t_s * 1e3:.1f} ms; ratio {t_r / t_s:.1f}")


def bench_run():
    from proofs_checks.runner import run_claims
    from proofs_checks.registry import all_claims
    ids = [c.id for c in all_claims("linearization")]
    mine = [i for i in ids if i.split(".", 1)[1] in PART_B]
    other = [i for i in ids if i not in mine]
    t_a, ra = timed(lambda: run_claims(other, profile="quick"))
    t_b, rb = timed(lambda: run_claims(mine, profile="quick"))
    ok = sum(r["status"] == "pass" for r in ra + rb)
    print(f"[3] claims 1–16: {t_a:.2f} s; claims 17–32: {t_b:.2f} s; ratio {t_b / t_a:.2f}; all 32: "
          f"{t_a + t_b:.2f} s (target < 20 s); {ok}/32 passed")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--skip-run", action="store_true")
    args = ap.parse_args()
    bench_verdict(args.n)
    bench_ranks()
    if not args.skip_run:
        bench_run()


if __name__ == "__main__":
    main()
