r"""Rank decisions with a singular-value gap test, and the Jordan similarity verdict at $-1$.

Linearization paper, claim 23 (Jordan structure at $-1$) and the rank checks of claim 24. Used by
:func:`numerics.linearization.linearize` (the ``rnnproof linearize`` verdict) and re-exported by
:mod:`numerics.linearization_singular`; it imports neither, so the two modules form no circle.

    mp_rank(A, dps=50, scale=None)           -- rank of A from an mpmath SVD, or None ("undetermined")
    rank_sequence(N, dps=50, kmax=None)      -- rank(N^k), k = 0, 1, ...; None where undetermined
    jordan_partition(ranks)                  -- Jordan block sizes at 0 of N from its rank sequence
    similarity_verdict(J, gains, dps=50)     -- are -I + JD and -I + DJ similar? (claim 23)

Why mpmath: Jordan ranks are rank decisions on matrices whose singular values span many decades;
float64 cannot separate "tiny" from "zero". At ``dps`` digits the rounding level is about
$10^{-\mathrm{dps}}$ times the scale of the product, and a rank is reported only when the kept
singular values exceed the discarded ones by at least $10^{20}$.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import mpmath
import numpy as np

from .errors import InputError

__all__ = ["RANK_GAP", "MP_MAX_N", "RankResult", "mp_rank", "rank_sequence", "jordan_partition",
           "similarity_verdict"]

RANK_GAP = 1e20          # kept/discarded singular-value ratio required for a rank decision
MP_MAX_N = 24            # largest matrix handed to mpmath SVD (cost grows as n^3 in Python)
_NOISE_FACTOR = 1e5      # discarded singular values may exceed the rounding level by this much


# --------------------------------------------------------------------------------------------------
# ranks with a gap test
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RankResult:
    """Outcome of a gap-tested rank: ``rank`` is ``None`` when no clear gap exists.

    ``kept`` is the smallest kept singular value and ``discarded`` the largest discarded one,
    both relative to ``scale`` (floats; 0.0 where the set is empty)."""

    rank: Optional[int]
    kept: float
    discarded: float
    scale: float


def _check_dps(dps):
    if isinstance(dps, bool) or not isinstance(dps, (int, np.integer)) or dps < 30:
        raise InputError(f"dps must be an integer >= 30 (mpmath digits for rank decisions; "
                         f"float64 ranks are not acceptable here), got {dps!r}")
    return int(dps)


def _square(name, A):
    A = np.asarray(A)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise InputError(f"{name} must be a square matrix, got shape {A.shape}")
    if A.dtype == object or A.dtype.kind not in "biuf":
        raise InputError(f"{name} must be a real numeric array, got dtype {A.dtype}")
    A = A.astype(float)
    if not np.all(np.isfinite(A)):
        raise InputError(f"{name} contains NaN or Inf")
    return A


def _mp_matrix(A) -> "mpmath.matrix":
    # float64 values are exactly representable in mpmath: the conversion adds no rounding.
    return mpmath.matrix([[mpmath.mpf(float(v)) for v in row] for row in np.asarray(A, float)])


def _mp_rank(M, n_ops: int, scale) -> RankResult:
    """Gap-tested rank of the mpmath matrix ``M`` (call inside ``workdps``).

    ``scale`` bounds the size of the exact matrix (e.g. the product of the factors' norms), and
    ``n_ops`` the number of rounded operations per entry; the rounding level is then
    ``n_ops * 10^-dps * scale``. A rank r is reported iff every discarded singular value is at most
    ``1e5`` times that level and the r kept ones are at least ``RANK_GAP`` times larger than both
    the discarded ones and the rounding level."""
    rows, cols = M.rows, M.cols
    if rows == 0 or cols == 0:
        return RankResult(0, 0.0, 0.0, float(scale))
    try:
        sv = mpmath.svd(M if rows >= cols else M.T, compute_uv=False)  # real or complex
    except (RuntimeError, ZeroDivisionError):
        return RankResult(None, float("nan"), float("nan"), float(scale or 0.0))  # no verdict, no guess
    s = sorted((abs(v) for v in sv), reverse=True)
    scale = mpmath.mpf(scale) if scale else (s[0] if s[0] > 0 else mpmath.mpf(1))
    level = n_ops * mpmath.mpf(10) ** (-mpmath.mp.dps) * scale
    for r in range(len(s) + 1):
        disc = s[r:]
        top_disc = max(disc) if disc else mpmath.mpf(0)
        if top_disc > _NOISE_FACTOR * level:
            continue
        if r == 0 or s[r - 1] >= RANK_GAP * max(top_disc, level):
            return RankResult(r, float(s[r - 1] / scale) if r else 0.0, float(top_disc / scale),
                              float(scale))
    kept = float(s[-1] / scale)
    return RankResult(None, kept, kept, float(scale))


def mp_rank(A, dps: int = 50, scale: Optional[float] = None, left=None, right=None) -> RankResult:
    r"""Rank of ``A`` from its singular values at ``dps`` digits, with a $10^{20}$ gap test.

    Parameters
    ----------
    A : (m, n) real array; its float64 entries are taken as exact.
    dps : mpmath digits (>= 30).
    scale : size of the exact matrix the entries stand for (default: the largest singular value).
    left, right : optional vectors; the rank of diag(left)·A·diag(right) formed exactly in mpmath.

    Returns
    -------
    RankResult with ``rank=None`` ("undetermined") when no clear gap exists.

    Examples
    --------
    >>> mp_rank(np.array([[1.0, 2.0], [2.0, 4.0]])).rank
    1
    >>> mp_rank(np.array([[1.0, 0.0], [0.0, 1e-30]])).rank is None     # no gap of 10^20
    True
    """
    dps = _check_dps(dps)
    A = np.asarray(A, dtype=float)
    if A.ndim != 2:
        raise InputError(f"A must be a matrix, got shape {A.shape}")
    with mpmath.mp.workdps(dps):
        return _mp_rank(_mp_scaled(A, left, right), max(A.shape), scale)


def _mp_scaled(N, left=None, right=None):
    """diag(left)·N·diag(right) formed in mpmath: each product of two doubles is exact at >= 32
    digits, so the result is the exact product matrix (float64 products would round)."""
    M = _mp_matrix(N)
    n, m = M.rows, M.cols
    if left is not None:
        left = np.asarray(left, float)
        for i in range(n):
            for j in range(m):
                M[i, j] = M[i, j] * mpmath.mpf(float(left[i]))
    if right is not None:
        right = np.asarray(right, float)
        for i in range(n):
            for j in range(m):
                M[i, j] = M[i, j] * mpmath.mpf(float(right[j]))
    return M


def rank_sequence(N, dps: int = 50, kmax: Optional[int] = None, left=None, right=None) -> list:
    r"""Ranks of $N^k$ for $k = 0, 1, \dots$ until they stabilise (or ``kmax``), at ``dps`` digits.

    ``left``/``right`` (vectors) replace $N$ by $\operatorname{diag}(\text{left})\,N\,
    \operatorname{diag}(\text{right})$ formed exactly in mpmath (use ``N=J, right=d`` for $JD$).
    Powers are formed in mpmath from the exact float64 entries; the rounding level of $N^k$ is
    taken relative to $\|N\|_F^k$. An entry is ``None`` when its gap test fails; the sequence stops
    there. The sequence stops once $\operatorname{rank}N^{k}=\operatorname{rank}N^{k+1}$.

    Examples
    --------
    >>> rank_sequence(np.array([[0.0, 1.0], [0.0, 0.0]]))     # one Jordan block of size 2 at 0
    [2, 1, 0]
    >>> rank_sequence(np.array([[0.0, 1.0], [0.0, 0.0]]), right=[1.0, 0.0])   # JD = 0
    [2, 0]
    """
    dps = _check_dps(dps)
    N = _square("N", N)
    n = N.shape[0]
    kmax = n if kmax is None else int(kmax)
    ranks = [n]
    with mpmath.mp.workdps(dps):
        M = _mp_scaled(N, left, right)
        norm = mpmath.mnorm(M, "f")
        P = mpmath.eye(n)
        for k in range(1, kmax + 1):
            P = P * M
            res = _mp_rank(P, k * n, norm ** k if norm > 0 else 1)
            ranks.append(res.rank)
            if res.rank is None or res.rank == ranks[-2] or res.rank == 0:
                break
    return ranks


def jordan_partition(ranks) -> Optional[list]:
    r"""Jordan block sizes at 0 from a rank sequence $r_0 = n, r_1, \dots$ (stabilised at the end).

    The number of blocks of size $\ge k$ is $r_{k-1} - r_k$. Returns ``None`` when the
    sequence contains an undetermined rank.

    Examples
    --------
    >>> jordan_partition([4, 2, 1, 1])        # blocks of size >= 1: 2, >= 2: 1  ->  [2, 1]
    [2, 1]
    """
    if any(r is None for r in ranks):
        return None
    ge = [ranks[k - 1] - ranks[k] for k in range(1, len(ranks))]
    sizes = []
    for k in range(1, len(ge) + 1):
        exactly = ge[k - 1] - (ge[k] if k < len(ge) else 0)
        sizes += [k] * exactly
    return sorted(sizes, reverse=True)


def _full_rank_certificate(M) -> bool:
    """True when float64 SVD certifies that ``M`` is invertible.

    A backward-stable SVD returns singular values within $c\\,n\\,\\varepsilon\\|M\\|_2$ of the exact
    ones (Weyl), so a computed $\\sigma_{\\min}$ above $10^6 n \\varepsilon \\|M\\|_2$ proves
    $\\sigma_{\\min}>0$. This certifies full rank only; it never decides a rank deficiency."""
    if M.shape[0] == 0:
        return True
    s = np.linalg.svd(M, compute_uv=False)
    return bool(s[-1] > 1e6 * M.shape[0] * np.finfo(float).eps * s[0])


def similarity_verdict(J, gains, dps: int = 50) -> dict:
    r"""Are $A_x=-I+JD$ and $A_r=-I+DJ$ similar? Jordan partitions at $-1$ (claim 23).

    The two matrices have the same Jordan structure at every $\lambda\ne-1$, so
    they are similar iff their Jordan structures at $-1$ agree, i.e. iff
    $\operatorname{rank}(JD)^k=\operatorname{rank}(DJ)^k$ for all $k$ (claim 23c). The ranks are
    computed by mpmath SVD at ``dps`` digits with a $10^{20}$ singular-value gap test.

    Shortcuts: all gains nonzero means $D$ invertible, hence similar. If the active block
    $M=J_{AA}D_A$ is certified invertible, both rank sequences are $|A|$ for every $k\ge1$ (the
    block-triangular forms of claim 21), hence similar with partition $[1]\times|S|$ at $-1$.

    Parameters
    ----------
    J : (n, n) real array.
    gains : (n,) real array, the diagonal of $D$ (exact zeros are silent units).
    dps : mpmath digits (>= 30).

    Returns
    -------
    dict with ``similar`` (True / False / None for undetermined), ``verdict`` (a sentence),
    ``partitions`` (``{"activation": sizes or None, "activity": sizes or None}``, the Jordan block
    sizes at $-1$ of $A_x$ and $A_r$) and ``ranks`` (the two rank sequences, or None).

    Examples
    --------
    >>> J = np.array([[0.0, 1.0], [0.0, 0.0]])
    >>> out = similarity_verdict(J, np.array([1.0, 0.0]))
    >>> out["similar"], out["partitions"]
    (False, {'activation': [1, 1], 'activity': [2]})
    >>> similarity_verdict(J, np.array([1.0, 2.0]))["similar"]
    True
    """
    dps = _check_dps(dps)
    J = _square("J", J)
    n = J.shape[0]
    d = np.asarray(gains)
    if d.dtype == object or d.dtype.kind not in "biuf":
        raise InputError(f"gains must be a real numeric vector, got dtype {d.dtype}")
    d = d.astype(float)
    if d.shape != (n,):
        raise InputError(f"gains must have shape ({n},) to match J, got {d.shape}")
    if not np.all(np.isfinite(d)):
        raise InputError("gains contain NaN or Inf")
    silent = np.flatnonzero(d == 0.0)
    active = np.flatnonzero(d != 0.0)
    out = {"similar": None, "verdict": "", "partitions": {"activation": None, "activity": None},
           "ranks": None}
    if silent.size == 0:
        out["similar"] = True
        if _full_rank_certificate(J * d[None, :]):
            out["partitions"] = {"activation": [], "activity": []}
            out["verdict"] = "similar: every gain is nonzero, so A_r = D A_x D⁻¹; −1 is not an eigenvalue"
            return out
        if n <= MP_MAX_N:
            rx, rr = rank_sequence(J, dps, right=d), rank_sequence(J, dps, left=d)
            out["ranks"] = {"activation": rx, "activity": rr}
            out["partitions"] = {"activation": jordan_partition(rx), "activity": jordan_partition(rr)}
        out["verdict"] = "similar: every gain is nonzero, so A_r = D A_x D⁻¹"
        return out
    M = J[np.ix_(active, active)] * d[active][None, :]
    if _full_rank_certificate(M):
        k = silent.size
        out["similar"] = True
        out["partitions"] = {"activation": [1] * k, "activity": [1] * k}
        out["ranks"] = {"activation": [n, n - k], "activity": [n, n - k]}
        out["verdict"] = (f"similar: {k} silent unit(s) and the active block J_AA D_A is invertible, "
                          f"so −1 is semisimple with multiplicity {k} in both frames")
        return out
    if n > MP_MAX_N:
        out["verdict"] = (f"undetermined: the active block J_AA D_A is not certified invertible and "
                          f"n = {n} exceeds the mpmath rank limit {MP_MAX_N}")
        return out
    rx, rr = rank_sequence(J, dps, right=d), rank_sequence(J, dps, left=d)
    px, pr = jordan_partition(rx), jordan_partition(rr)
    out["ranks"] = {"activation": rx, "activity": rr}
    out["partitions"] = {"activation": px, "activity": pr}
    if px is None or pr is None:
        out["verdict"] = (f"undetermined: no singular-value gap of {RANK_GAP:.0e} at {dps} digits "
                          f"(rank sequences JD: {rx}, DJ: {rr})")
    elif px == pr:
        out["similar"] = True
        out["verdict"] = f"similar: equal Jordan structure at −1 (block sizes {px})"
    else:
        out["similar"] = False
        out["verdict"] = (f"not similar: Jordan blocks at −1 differ (A_x = −I + JD: {px}; "
                          f"A_r = −I + DJ: {pr}) although the characteristic polynomials agree")
    return out
