"""Benchmarks of the linear-recurrence paper (issue 4), each against a baseline in the same run.

1. High-precision reconstruction at N = L = 1024 with 50 digits (target: under 30 s): state
   x = V ū computed at 50 digits from exact nodes and inputs, then Björck–Pereyra. Baseline: the
   same pipeline on the pure-mpmath backend (the flint backend is the default when installed).
2. N = L = 256 at 50 digits: Björck–Pereyra (pure mpmath, the honest like-for-like) vs
   ``mpmath.lu_solve`` on the same system (target: ≥ 20× faster, same answer to 40 digits).
3. ``rnnproof run --paper linear_recurrence --profile quick`` is timed by the caller (see the report).

Run: ``OMP_NUM_THREADS=1 python benchmarks/bench_linear_recurrence.py [--with-mpmath-1024]``.
The ``mpmath.lu_solve`` baseline of [2] alone takes several minutes (O(N³) on mpmath's dict-backed
matrices); the pure-mpmath run of [1] (about 80 s) is opt-in when python-flint is installed.
Nodes: half-shifted roots of unity at radius 0.999 (κ₂ = 0.999^-(L-1) ≈ 2.8 at L = 1024, so
50 digits satisfy the rule dps ≥ log10 κ₂ + 20), rotated by a fixed phase; Gaussian inputs.
"""

from __future__ import annotations

import argparse
import sys
import time

import mpmath
import numpy as np

from numerics import vandermonde as NV


def _nodes(n, r=0.999):
    return r * np.exp(1j * np.pi * (2 * np.arange(n) + 1) / n)


def _max_rel(got, ref, dps):
    with mpmath.mp.workdps(dps):
        return max(abs(g - mpmath.mpmathify(v)) for g, v in zip(got, ref)) / max(abs(mpmath.mpmathify(v)) for v in ref)


def bench_1024(with_mpmath: bool):
    n, dps = 1024, 50
    rng = np.random.default_rng(0)
    z, u = _nodes(n), rng.standard_normal(n)
    kappa = 0.999 ** -(n - 1)
    print(f"[1] N = L = {n}, {dps} digits, κ₂ = {kappa:.3f} (rule needs {NV.choose_dps(kappa)} digits)")
    out = {}
    for backend in (("flint", "mpmath") if with_mpmath else ("flint",)) if NV.have_flint() else ("mpmath",):
        t0 = time.perf_counter()
        x = NV.hp_state(z, u, dps, backend=backend)
        t1 = time.perf_counter()
        c = NV.reconstruct_mp(z, x, dps, backend=backend)
        t2 = time.perf_counter()
        err = _max_rel(c, u, dps)
        out[backend] = t2 - t0
        print(f"    {backend:6s}: state {t1 - t0:6.2f} s + Björck–Pereyra {t2 - t1:6.2f} s = {t2 - t0:6.2f} s; "
              f"max relative error {mpmath.nstr(err, 3)}")
    t0 = time.perf_counter()
    V = np.vander(z, n, increasing=True)
    np.linalg.solve(V, V @ u)
    t64 = time.perf_counter() - t0
    best = min(out.values())
    print(f"    float64 LAPACK solve (baseline, 16 digits): {t64:.3f} s; high precision / float64 = {best / t64:.0f}×")
    if "mpmath" in out and "flint" in out:
        print(f"    flint vs pure-mpmath backend: {out['mpmath'] / out['flint']:.1f}× faster")
    print(f"    target < 30 s: {'MET' if best < 30 else 'MISSED'} ({best:.2f} s)")


def bench_256():
    n, dps = 256, 50
    rng = np.random.default_rng(1)
    z, u = _nodes(n), rng.standard_normal(n)
    x = NV.hp_state(z, u, dps, backend="mpmath")
    print(f"[2] N = L = {n}, {dps} digits, same system for both solvers")
    t0 = time.perf_counter()
    bp = NV.reconstruct_mp(z, x, dps, backend="mpmath")
    t_bp = time.perf_counter() - t0
    if NV.have_flint():
        t0 = time.perf_counter()
        NV.reconstruct_mp(z, x, dps, backend="flint")
        t_fl = time.perf_counter() - t0
    with mpmath.mp.workdps(dps):
        xs = NV.mp_nodes(z)
        t0 = time.perf_counter()
        A = mpmath.matrix([[lam ** j for j in range(n)] for lam in xs])
        lu = mpmath.lu_solve(A, mpmath.matrix(x))
        t_lu = time.perf_counter() - t0
        diff = max(abs(bp[i] - lu[i]) for i in range(n)) / max(abs(lu[i]) for i in range(n))
    print(f"    Björck–Pereyra (pure mpmath): {t_bp:7.2f} s")
    if NV.have_flint():
        print(f"    Björck–Pereyra (flint)      : {t_fl:7.2f} s")
    print(f"    mpmath.lu_solve (baseline)  : {t_lu:7.2f} s (incl. building V)")
    print(f"    ratio lu_solve / BP(mpmath) = {t_lu / t_bp:.1f}× (target ≥ 20×: {'MET' if t_lu / t_bp >= 20 else 'MISSED'})")
    print(f"    max relative difference BP vs lu_solve = {mpmath.nstr(diff, 3)} "
          f"(same to 40 digits: {'YES' if diff < 1e-40 else 'NO'})")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--with-mpmath-1024", action="store_true", help="also time the pure-mpmath backend in [1]")
    args = p.parse_args(argv)
    print(f"python-flint available: {NV.have_flint()}; mpmath backend: {mpmath.libmp.BACKEND}")
    bench_1024(args.with_mpmath_1024)
    bench_256()
    return 0


if __name__ == "__main__":
    sys.exit(main())
