r"""Singular gains, Jordan structure at $-1$, Krylov ranks and context eigensystems (numeric side).

Linearization paper, claims 17–32 (off fixed points, singular gains, context, discrete time). Pure numpy/scipy/mpmath; never SymPy.

Ranks with a gap test (defined in :mod:`numerics._linearization_ranks`, re-exported here)
    mp_rank(A, dps=50, scale=None)           -- rank of A from an mpmath SVD, or None ("undetermined")
    rank_sequence(N, dps=50, kmax=None)      -- rank(N^k), k = 0, 1, ...; None where undetermined
    jordan_partition(ranks)                  -- Jordan block sizes at 0 of N from its rank sequence
    similarity_verdict(J, gains, dps=50)     -- are -I + JD and -I + DJ similar? (claim 23)
Controllability
    krylov_matrix(A, b), observability_matrix(A, c)
    pbh_rank_deficiency(A, b, dps=50)        -- PBH test at every eigenvalue, mpmath at dps digits
Exact rational arithmetic (``fractions.Fraction``; the independent witness for SymPy's exact ranks)
    exact_rank(M), exact_charpoly(A)         -- rank by Gaussian elimination; Faddeev–LeVerrier
    exact_rank_sequences(J, d)               -- rank (JD)^k and rank (DJ)^k, k = 0..n
    exact_krylov_ranks(J, d, b, w)           -- ranks of K_x, K_r, O_x, O_r and the Hankel matrices
Generators (every draw from an explicit ``numpy.random.Generator``)
    g_silent(rng, n=None, relu=False)        -- G-silent: random nonempty proper silent set
    g_exact(rng, n=None)                     -- G-exact: integer J in {-2..2}, d in {0, 1, 2}
    g_lowrank(rng, n=None, rank=None)        -- G-lowrank: J = M Y^T / N with two context biases
Context eigensystems (claims 25–29)
    slow_mode(A, c, fallback=None)           -- slow eigenvalue, unit rho, s with s.rho = 1, oriented
    selection_split(s1, b1, s2, b2)          -- (mod_inp, mod_sel, total)

Why mpmath: Jordan and Krylov ranks are rank decisions on matrices whose singular values span many
decades; float64 cannot separate "tiny" from "zero". At ``dps`` digits the rounding
level is about $10^{-\mathrm{dps}}$ times the scale of the product, and a rank is reported only
when the kept singular values exceed the discarded ones by at least $10^{20}$.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import mpmath
import numpy as np
import scipy.linalg as sla

# The rank decisions live in their own module so that numerics.linearization can use them
# without importing this one (which imports it); they are re-exported here.
from ._linearization_ranks import (MP_MAX_N, RANK_GAP, RankResult, _check_dps, _mp_matrix,  # noqa: F401
                                  _mp_rank, _mp_scaled, _square, jordan_partition, mp_rank,
                                  rank_sequence, similarity_verdict)
from .errors import InputError

__all__ = ["RANK_GAP", "MP_MAX_N", "RankResult", "mp_rank", "rank_sequence", "jordan_partition",
           "similarity_verdict", "mp_charpoly", "mp_taylor_at", "krylov_matrix",
           "observability_matrix", "mp_krylov_rank", "mp_hankel_rank", "mp_eigenvalues", "pbh_deficiencies", "ExactInstance", "g_exact",
           "LowRankInstance", "g_lowrank", "rank_one_network", "SlowMode", "slow_mode",
           "selection_split", "linear_systems", "leaky_jacobians", "driven_trajectory", "slow_point",
           "fd_activity_jacobian", "fd_activity_jacobian_bound", "exact_rank", "exact_charpoly", "exact_rank_sequences",
           "exact_krylov_ranks"]


# --------------------------------------------------------------------------------------------------
# characteristic polynomials and Krylov ranks at high precision
# --------------------------------------------------------------------------------------------------

def mp_charpoly(A, dps: int = 50, left=None, right=None, shift: float = 0.0) -> list:
    r"""Coefficients $[1, c_1, \dots, c_n]$ of $\det(\lambda I-M)$ at ``dps`` digits (claim 19),
    $M=\text{shift}\cdot I+\operatorname{diag}(\text{left})\,A\,\operatorname{diag}(\text{right})$
    formed exactly in mpmath (``A=J, right=d, shift=-1`` gives $A_x=-I+JD$).

    Faddeev–LeVerrier recursion $M_k=AM_{k-1}+c_{k-1}I$, $c_k=-\operatorname{tr}(AM_k)/k$,
    hand-written because mpmath has no characteristic-polynomial routine; it is stable enough at
    50 digits for $n\le 8$. Returns mpmath numbers (their precision is ``dps`` digits).

    >>> [int(c) for c in mp_charpoly(np.array([[2.0, 0.0], [0.0, 3.0]]))]
    [1, -5, 6]
    """
    dps = _check_dps(dps)
    A = _square("A", A)
    n = A.shape[0]
    with mpmath.mp.workdps(dps):
        M_A = _mp_scaled(A, left, right) + mpmath.mpf(shift) * mpmath.eye(n)
        coeffs = [mpmath.mpf(1)]
        M = mpmath.zeros(n, n)
        for k in range(1, n + 1):
            M = M_A * M + coeffs[-1] * mpmath.eye(n)
            AM = M_A * M
            coeffs.append(-sum(AM[i, i] for i in range(n)) / k)
        return [+c for c in coeffs]


def mp_taylor_at(coeffs, at, dps: int = 50) -> list:
    r"""Taylor coefficients $a_j$ of $p(\mathrm{at}+\mu)=\sum_j a_j\mu^j$ from the coefficients of $p$
    (highest degree first), by repeated synthetic division at ``dps`` digits.

    $(\lambda-\mathrm{at})^m\mid p$ iff $a_0=\dots=a_{m-1}=0$.

    >>> [int(a) for a in mp_taylor_at([1, 2, 1], -1)]      # (λ+1)^2 = μ^2
    [0, 0, 1]
    """
    dps = _check_dps(dps)
    with mpmath.mp.workdps(dps):
        c = [mpmath.mpf(v) if not isinstance(v, mpmath.mpf) else +v for v in coeffs]
        at = mpmath.mpf(at)
        out = []
        for _ in range(len(c)):
            q = [c[0]]
            for v in c[1:]:
                q.append(v + at * q[-1])
            out.append(q[-1])
            c = q[:-1]
            if not c:
                break
        return out


def krylov_matrix(A, b) -> np.ndarray:
    r"""$K=[b, Ab, \dots, A^{n-1}b]$ in float64 (for identities only, never for ranks; claim 24)."""
    A = np.asarray(A, float)
    cols = [np.asarray(b, float).reshape(-1)]
    for _ in range(A.shape[0] - 1):
        cols.append(A @ cols[-1])
    return np.column_stack(cols)


def observability_matrix(A, c) -> np.ndarray:
    r"""$O=[c^T; c^TA; \dots; c^TA^{n-1}]$ in float64 (identities only; claim 24)."""
    return krylov_matrix(np.asarray(A, float).T, c).T


def mp_krylov_rank(A, b, dps: int = 50) -> RankResult:
    r"""Rank of the Krylov matrix $[b, Ab, \dots, A^{n-1}b]$ at ``dps`` digits with the gap test.

    Columns are formed in mpmath from the exact float64 entries and normalised to unit length
    (which leaves the rank unchanged); the rounding level is scaled by
    $\max_k\|A\|_F^k\|b\|/\|A^kb\|$, the relative amplification of the column computation.

    >>> mp_krylov_rank(np.array([[0.0, 1.0], [0.0, 0.0]]), np.array([1.0, 0.0])).rank
    1
    """
    dps = _check_dps(dps)
    A = _square("A", A)
    n = A.shape[0]
    b = np.asarray(b, float).reshape(-1)
    if b.shape != (n,):
        raise InputError(f"b must have shape ({n},), got {b.shape}")
    with mpmath.mp.workdps(dps):
        M_A, v = _mp_matrix(A), _mp_matrix(b[:, None])
        nA = mpmath.mnorm(M_A, "f")
        nb = mpmath.norm(v)
        if nb == 0:
            return RankResult(0, 0.0, 0.0, 0.0)
        cols, amp = [], mpmath.mpf(1)
        for k in range(n):
            nv = mpmath.norm(v)
            if nv == 0:
                cols.append(v)
            else:
                amp = max(amp, (nA ** k) * nb / nv)
                cols.append(v / nv)
            v = M_A * v
        K = mpmath.matrix(n, n)
        for j, c in enumerate(cols):
            for i in range(n):
                K[i, j] = c[i]
        return _mp_rank(K, n * n, amp)


def mp_hankel_rank(A, b, c, dps: int = 50) -> RankResult:
    r"""McMillan degree: rank of the Hankel matrix $H_{ij}=c^TA^{i+j}b$ ($0\le i,j<n$) of the Markov
    parameters, formed at ``dps`` digits with the gap test (claim 24).

    >>> mp_hankel_rank(np.diag([1.0, 2.0]), np.array([1.0, 1.0]), np.array([1.0, 0.0])).rank
    1
    """
    dps = _check_dps(dps)
    A = _square("A", A)
    n = A.shape[0]
    b, c = np.asarray(b, float).reshape(-1), np.asarray(c, float).reshape(-1)
    if b.shape != (n,) or c.shape != (n,):
        raise InputError(f"b and c must have shape ({n},), got {b.shape} and {c.shape}")
    with mpmath.mp.workdps(dps):
        M_A, v, w = _mp_matrix(A), _mp_matrix(b[:, None]), _mp_matrix(c[None, :])
        nA = max(mpmath.mnorm(M_A, "f"), 1)
        markov = []
        for _ in range(2 * n - 1):
            markov.append((w * v)[0, 0])
            v = M_A * v
        H = mpmath.matrix(n, n)
        for i in range(n):
            for j in range(n):
                H[i, j] = markov[i + j]
        scale = mpmath.norm(w) * mpmath.norm(_mp_matrix(b[:, None])) * nA ** (2 * n - 2)
        return _mp_rank(H, 2 * n * n, scale if scale > 0 else 1)


def _mp_eig_robust(M_A):
    """Eigenvalues of an mpmath matrix (call inside ``workdps``).

    ``mpmath.eig`` (Hessenberg QR) can fail to converge on exactly structured integer matrices (an
    exactly decoupled block stalls the shift strategy); a deterministic shift of the spectrum
    breaks the symmetry, and the roots of the characteristic polynomial are the last resort."""
    n = M_A.rows
    try:
        return list(mpmath.eig(M_A, left=False, right=False))
    except RuntimeError:
        pass
    sigma = mpmath.mpf("0.1234567") * (1 + mpmath.mnorm(M_A, "f"))
    try:
        return [e - sigma for e in mpmath.eig(M_A + sigma * mpmath.eye(n), left=False, right=False)]
    except RuntimeError:
        pass
    coeffs = [1]
    Mk = mpmath.zeros(n, n)
    for k in range(1, n + 1):   # Faddeev–LeVerrier, as in mp_charpoly
        Mk = M_A * Mk + coeffs[-1] * mpmath.eye(n)
        coeffs.append(-sum((M_A * Mk)[i, i] for i in range(n)) / k)
    return list(mpmath.polyroots(coeffs, maxsteps=400, extraprec=4 * mpmath.mp.prec))


def mp_eigenvalues(A, dps: int = 50) -> np.ndarray:
    r"""Eigenvalues of the float64 matrix ``A`` (taken exactly) at ``dps`` digits, rounded to
    complex128; robust to mpmath QR stalls (shifted retry, then charpoly roots).

    >>> A = np.array([[3., -4, 0, 0, 0], [4, 3, 0, 1, 0], [-2, 4, -1, 2, 0], [0, 0, 0, 1, 0], [2, -4, 0, 0, -1]])
    >>> np.allclose(np.sort_complex(mp_eigenvalues(A)), [-1, -1, 1, 3 - 4j, 3 + 4j])
    True
    """
    dps = _check_dps(dps)
    A = _square("A", A)
    with mpmath.mp.workdps(dps):
        return np.array([complex(e) for e in _mp_eig_robust(_mp_matrix(A))])


def pbh_deficiencies(A, b, dps: int = 50) -> list:
    r"""PBH test: $n-\operatorname{rank}[A-\lambda I,\ b]$ at every distinct eigenvalue, at ``dps``
    digits (claims 24, 32).

    Eigenvalues come from ``mpmath.eig``; values closer than $10^{-\mathrm{dps}/4}\|A\|$ are one
    cluster. Returns ``[(lambda (complex), deficiency or None), ...]``; $(A, b)$ is controllable
    iff every deficiency is 0.

    >>> [d for _, d in pbh_deficiencies(np.diag([1.0, 2.0]), np.array([1.0, 0.0]))]
    [0, 1]
    """
    dps = _check_dps(dps)
    A = _square("A", A)
    n = A.shape[0]
    b = np.asarray(b, float).reshape(-1)
    with mpmath.mp.workdps(dps):
        M_A, v = _mp_matrix(A), _mp_matrix(b[:, None])
        nA = mpmath.mnorm(M_A, "f")
        ev = _mp_eig_robust(M_A)
        radius = mpmath.mpf(10) ** (-dps // 4) * (1 + nA)
        clusters = []
        for e in ev:
            for cl in clusters:
                if abs(cl[0] - e) <= radius:
                    cl.append(e)
                    break
            else:
                clusters.append([e])
        out = []
        for cl in clusters:
            lam = sum(cl) / len(cl)
            P = mpmath.matrix(n, n + 1)
            for i in range(n):
                for j in range(n):
                    P[i, j] = M_A[i, j] - (lam if i == j else 0)
                P[i, n] = v[i]
            # the eigenvalue error of a block of size k is about 10^(-dps/k); scale the level by it
            err = max(abs(lam - e) for e in cl) + mpmath.mpf(10) ** (-dps)
            res = _mp_rank(P, n * n, max(nA + mpmath.norm(v), 1) * err / mpmath.mpf(10) ** (-dps))
            out.append((complex(lam), None if res.rank is None else n - res.rank))
        return out


# --------------------------------------------------------------------------------------------------
# exact rational arithmetic (claims 19, 23, 24)
# --------------------------------------------------------------------------------------------------

def _fractions(M):
    from fractions import Fraction
    A = np.asarray(M, dtype=float)
    if not np.all(np.isfinite(A)):
        raise InputError("exact arithmetic needs finite entries")
    return [[Fraction(float(v)) for v in row] for row in np.atleast_2d(A)]


def _fmul(A, B):
    return [[sum((A[i][k] * B[k][j] for k in range(len(B))), 0) for j in range(len(B[0]))]
            for i in range(len(A))]


def _frank(A) -> int:
    """Rank of a list-of-lists of Fractions by Gaussian elimination (exact)."""
    M = [row[:] for row in A]
    rows, cols = len(M), len(M[0]) if M else 0
    rank = 0
    for c in range(cols):
        piv = next((r for r in range(rank, rows) if M[r][c] != 0), None)
        if piv is None:
            continue
        M[rank], M[piv] = M[piv], M[rank]
        for r in range(rank + 1, rows):
            if M[r][c] != 0:
                f = M[r][c] / M[rank][c]
                M[r] = [a - f * b for a, b in zip(M[r], M[rank])]
        rank += 1
    return rank


def exact_rank(M) -> int:
    r"""Exact rank of a float64 matrix (every double is a dyadic rational), by Gaussian elimination
    in ``fractions.Fraction``.

    >>> exact_rank([[1.0, 2.0], [2.0, 4.0]]), exact_rank(np.eye(3))
    (1, 3)
    """
    return _frank(_fractions(M))


def exact_charpoly(A) -> list:
    r"""Exact coefficients of $\det(\lambda I-A)$, highest degree first, by Faddeev–LeVerrier in
    rational arithmetic ($M_0=0$, $c_n=1$, $M_k=AM_{k-1}+c_{n-k+1}I$, $c_{n-k}=-\operatorname{tr}(AM_k)/k$).

    >>> [int(c) for c in exact_charpoly([[2.0, 1.0], [0.0, 3.0]])]
    [1, -5, 6]
    """
    from fractions import Fraction
    F = _fractions(A)
    n = len(F)
    eye = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
    coeffs = [Fraction(1)]
    M = [[Fraction(0)] * n for _ in range(n)]
    for k in range(1, n + 1):
        M = [[a + coeffs[-1] * e for a, e in zip(ra, re)] for ra, re in zip(_fmul(F, M), eye)]
        AM = _fmul(F, M)
        coeffs.append(-sum(AM[i][i] for i in range(n)) / k)
    return coeffs


def exact_rank_sequences(J, d):
    r"""Exact $\operatorname{rank}(JD)^k$ and $\operatorname{rank}(DJ)^k$, $k=0..n$ (claims 19, 23).

    >>> exact_rank_sequences([[0.0, 1.0], [0.0, 0.0]], [1.0, 0.0])
    ([2, 0, 0], [2, 1, 0])
    """
    Jf = _fractions(J)
    dv = [row[0] for row in _fractions(np.asarray(d, float).reshape(-1, 1))]
    n = len(Jf)
    Nx = [[Jf[i][j] * dv[j] for j in range(n)] for i in range(n)]
    Nr = [[dv[i] * Jf[i][j] for j in range(n)] for i in range(n)]
    out = []
    for N_ in (Nx, Nr):
        ranks, P = [n], N_
        for _ in range(n):
            ranks.append(_frank(P))
            P = _fmul(P, N_)
        out.append(ranks)
    return out[0], out[1]


def exact_krylov_ranks(J, d, b, w) -> dict:
    r"""Exact ranks of $K_x=[b, A_xb,\dots]$, $K_r$ (input $Db$), $O_x$ (readout $Dw$), $O_r$, and of
    the Hankel matrices of the Markov parameters in both frames (claim 24), in rational arithmetic.

    >>> exact_krylov_ranks([[0.0, 1.0], [1.0, 0.0]], [1.0, 0.0], [1.0, 1.0], [1.0, 1.0])
    {'K_x': 2, 'K_r': 1, 'O_x': 1, 'O_r': 2, 'H_x': 1, 'H_r': 1}
    """
    Jf = _fractions(J)
    n = len(Jf)
    col = lambda v: [row[0] for row in _fractions(np.asarray(v, float).reshape(-1, 1))]  # noqa: E731
    dv, bv, wv = col(d), col(b), col(w)
    Ax = [[Jf[i][j] * dv[j] - (i == j) for j in range(n)] for i in range(n)]
    Ar = [[dv[i] * Jf[i][j] - (i == j) for j in range(n)] for i in range(n)]
    T = lambda M: [list(r) for r in zip(*M)]  # noqa: E731

    def powers(A, v, count):
        out = [v]
        for _ in range(count - 1):
            out.append([sum((A[i][k] * out[-1][k] for k in range(n)), 0) for i in range(n)])
        return out

    def krylov(A, v):
        return T(powers(A, v, n))               # columns v, Av, ...

    def hankel(A, bb, cc):
        markov = [sum((c * x for c, x in zip(cc, v)), 0) for v in powers(A, bb, 2 * n - 1)]
        return [[markov[i + j] for j in range(n)] for i in range(n)]

    Db = [a * c for a, c in zip(dv, bv)]
    Dw = [a * c for a, c in zip(dv, wv)]
    return {"K_x": _frank(krylov(Ax, bv)), "K_r": _frank(krylov(Ar, Db)),
            "O_x": _frank(krylov(T(Ax), Dw)), "O_r": _frank(krylov(T(Ar), wv)),
            "H_x": _frank(hankel(Ax, bv, Dw)), "H_r": _frank(hankel(Ar, Db, wv))}


# --------------------------------------------------------------------------------------------------
# generators
# --------------------------------------------------------------------------------------------------

@dataclass(eq=False)
class ExactInstance:
    """G-exact draw: integer J, gains d in {0, 1, 2}, integer input b and readout w (exact in
    float64 and in rational arithmetic)."""

    J: np.ndarray
    d: np.ndarray
    b: np.ndarray
    w: np.ndarray

    @property
    def n(self) -> int:
        return self.J.shape[0]


def g_exact(rng: np.random.Generator, n: Optional[int] = None) -> ExactInstance:
    r"""G-exact: $N\in[2,6]$, $J_{ij}\in\{-2,\dots,2\}$, $d_i\in\{0,1,2\}$; $b, w$ with
    entries in $\{-2,\dots,2\}$. Structured degeneracies occur with positive probability.

    >>> inst = g_exact(np.random.default_rng(0), n=4)
    >>> inst.J.shape, set(np.unique(inst.d)) <= {0.0, 1.0, 2.0}
    ((4, 4), True)
    """
    if n is None:
        n = int(rng.integers(2, 7))
    elif not isinstance(n, (int, np.integer)) or not 2 <= n <= 6:
        raise InputError(f"n must be an integer in [2, 6] for G-exact, got {n!r}")
    J = rng.integers(-2, 3, (n, n)).astype(float)
    d = rng.integers(0, 3, n).astype(float)
    b = rng.integers(-2, 3, n).astype(float)
    w = rng.integers(-2, 3, n).astype(float)
    return ExactInstance(J, d, b, w)


@dataclass(eq=False)
class LowRankInstance:
    r"""G-lowrank draw: $J=MY^T/N$, input vector ``b``, readout ``w``, two context biases and the
    fixed point found in each context (``x[c]``, ``start[c]`` names the Newton start)."""

    M: np.ndarray
    Y: np.ndarray
    b: np.ndarray
    w: np.ndarray
    h: tuple
    x: tuple
    start: tuple
    residual: tuple
    activation: str = "tanh"
    info: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.M.shape[0]

    @property
    def J(self) -> np.ndarray:
        return self.M @ self.Y.T / self.n

    def gains(self, c: int) -> np.ndarray:
        """$\\phi'(x^*_c)$ in context ``c`` (0 or 1)."""
        from .activations import get_activation
        return np.asarray(get_activation(self.activation).dphi(self.x[c]), float)


def _rank_one_start(m, nvec, h, activation):
    r"""A start for Newton on a rank-one network $J=mn^\top/N$: every fixed point is $x=m\kappa+h$
    with $g(\kappa)=n^\top\phi(m\kappa+h)/N-\kappa=0$. For bounded $\phi$, $|\kappa|\le
    \|n\|_1\sup|\phi|/N=:K$, and $g(\pm(K+1))\lessgtr0$, so a sign change exists in $[-K-1, K+1]$; the
    one closest to $\kappa=0$ on a 2001-point grid is refined by ``brentq``. ``None`` if φ is unbounded."""
    from scipy.optimize import brentq
    from .activations import get_activation
    act = get_activation(activation)
    if activation not in ("tanh", "sigmoid"):
        return None
    N_ = m.size
    K = float(np.sum(np.abs(nvec)) / N_) + 1.0
    g = lambda k: float(nvec @ act.phi(m * k + h) / N_ - k)  # noqa: E731
    grid = np.linspace(-K, K, 2001)
    vals = np.array([g(k) for k in grid])
    idx = np.flatnonzero(np.sign(vals[:-1]) != np.sign(vals[1:]))
    if idx.size == 0:
        return None
    i = idx[np.argmin(np.abs(grid[idx]))]
    kappa = brentq(g, grid[i], grid[i + 1], xtol=1e-15, rtol=4 * np.finfo(float).eps)
    return m * kappa + h


def _context_fixed_points(J, b, hs, activation, rng, rank_one=None):
    from .linearization import find_fixed_points
    xs, starts, res = [], [], []
    for h in hs:
        fps = find_fixed_points(J, None, None, h, activation, rng=rng, n_random=4, sigma_min=False,
                                stop_at_first=True)
        fp = fps[0]
        if not fp.converged and rank_one is not None:
            # Newton's starts can miss near a (nearly) marginal outlier; the scalar reduction of a
            # rank-one network always brackets a fixed point (see _rank_one_start)
            x0 = _rank_one_start(rank_one[0], rank_one[1], h, activation)
            if x0 is not None:
                fps = find_fixed_points(J, None, None, h, activation, starts=[x0], sigma_min=False,
                                        stop_at_first=True)
                fp = fps[0]
                fp.start = "rank-one scalar bracket" if fp.start == "user 0" else fp.start
        if not fp.converged:
            raise InputError(f"no fixed point found for a context bias (best residual {fp.residual:.2e})")
        xs.append(fp.x)
        starts.append(fp.start)
        res.append(fp.residual)
    return tuple(xs), tuple(starts), tuple(res)


def g_lowrank(rng: np.random.Generator, n: Optional[int] = None, rank: Optional[int] = None,
              activation: str = "tanh", n_max: int = 400) -> LowRankInstance:
    r"""G-lowrank: $N\in[50,\min(400, n_{\max})]$, $R\in[1,4]$, $J=MY^T/N$.

    Columns of $M$ are i.i.d. N(0,1); $Y=Z+M\operatorname{diag}(\beta)$ with $Z$ i.i.d. N(0,1) and
    distinct $\beta_k\in[0.8, 3]$, so that $K=Y^TDM/N\approx\bar d\operatorname{diag}(\beta)$ has
    real, separated outliers (a slow mode distinct from the bulk at $-1$). Two contexts: biases of
    amplitude in $[0,3]$ on two random sub-populations (each unit in a population with probability
    1/2). The fixed point of each context is found by Newton (start recorded).

    >>> inst = g_lowrank(np.random.default_rng(0), n=60, rank=1)
    >>> inst.J.shape, max(inst.residual) < 1e-10
    ((60, 60), True)
    """
    if n is None:
        n = int(rng.integers(50, min(400, n_max) + 1))
    elif not isinstance(n, (int, np.integer)) or n < 2:
        raise InputError(f"n must be an integer >= 2, got {n!r}")
    if rank is None:
        rank = int(rng.integers(1, 5))
    elif not isinstance(rank, (int, np.integer)) or not 1 <= rank <= n:
        raise InputError(f"rank must be an integer in [1, n], got {rank!r}")
    M = rng.standard_normal((n, rank))
    beta = np.sort(rng.uniform(0.8, 3.0, rank))
    if rank > 1:  # keep the beta_k apart so that the outliers are simple
        beta = 0.8 + np.arange(rank) * (2.2 / rank) + rng.uniform(0, 2.2 / rank / 2, rank)
    Y = rng.standard_normal((n, rank)) + M * beta[None, :]
    b = rng.standard_normal(n)
    w = rng.standard_normal(n)
    J = M @ Y.T / n
    for attempt in range(5):  # redraw the contexts (from the same rng) if Newton fails
        hs = []
        for _ in range(2):
            mask = rng.random(n) < 0.5
            amp = rng.uniform(0.0, 3.0)
            hs.append(np.where(mask, amp * rng.standard_normal(n), 0.0))
        try:
            xs, starts, res = _context_fixed_points(J, b, hs, activation, rng,
                                                    rank_one=(M[:, 0], Y[:, 0]) if rank == 1 else None)
            break
        except InputError:
            if attempt == 4:
                raise
    return LowRankInstance(M, Y, b, w, tuple(hs), xs, starts, res, activation,
                           info={"generator": "G-lowrank", "n": n, "rank": rank,
                                 "beta": beta.tolist()})


def rank_one_network(rng: np.random.Generator, n: int = 200, activation: str = "tanh",
                     bias_sd: float = 3.0) -> LowRankInstance:
    r"""Reproduction R1: a rank-one context network in two equal populations.

    $I_A, I_B, m$ i.i.d. N(0,1); $n=(I_A\text{ on population 1}, I_B\text{ on population 2})+\beta m$
    with $\beta=1/\overline{\phi'(h_A)m^2}$; context A drives population 2 with a strong random bias
    (sd ``bias_sd``), context B population 1. The input vectors are $I_A$ and $I_B$; ``b`` holds
    $I_A$ and ``w`` holds $m$ (readout along the output vector). Fixed points by Newton.
    """
    if not isinstance(n, (int, np.integer)) or n < 4 or n % 2:
        raise InputError(f"n must be an even integer >= 4, got {n!r}")
    from .activations import get_activation
    act = get_activation(activation)
    half = n // 2
    IA, IB, m = rng.standard_normal(n), rng.standard_normal(n), rng.standard_normal(n)
    pop1 = np.arange(n) < half
    hA = np.where(pop1, 0.0, bias_sd * rng.standard_normal(n))
    hB = np.where(pop1, bias_sd * rng.standard_normal(n), 0.0)
    beta = 1.0 / np.mean(act.dphi(hA) * m ** 2)
    nvec = np.where(pop1, IA, IB) + beta * m
    M, Y = m[:, None], nvec[:, None]
    J = M @ Y.T / n
    xs, starts, res = _context_fixed_points(J, IA, (hA, hB), activation, rng, rank_one=(m, nvec))
    return LowRankInstance(M, Y, IA, m, (hA, hB), xs, starts, res, activation,
                           info={"generator": "R1", "n": n, "beta": float(beta), "I_B": IB})


# --------------------------------------------------------------------------------------------------
# context eigensystems (claims 25–29)
# --------------------------------------------------------------------------------------------------

@dataclass(eq=False)
class SlowMode:
    r"""The slow mode of $A$: real simple eigenvalue ``lam`` with the largest real part, unit right
    vector ``rho`` oriented so that $c^T\rho>0$ (``oriented_by`` = "readout" or "fallback"), left
    vector ``s`` with $s\cdot\rho=1$, and ``kappa`` $=1/s_\lambda$ (eigenvalue condition number).
    ``reason`` is non-empty when no such mode exists (then the vectors are None)."""

    lam: float
    rho: Optional[np.ndarray]
    s: Optional[np.ndarray]
    kappa: float
    gap: float
    oriented_by: str = ""
    reason: str = ""


def slow_mode(A, c, fallback=None, simple_gap: float = 1e-6) -> SlowMode:
    r"""Slow mode of ``A`` with the normalisations of the context claims (‖ρ‖ = 1, s·ρ = 1, $c^T\rho>0$).

    One ``scipy.linalg.eig(left=True)`` call. The mode must be real (imaginary part at rounding
    level) and simple (distance to every other eigenvalue above ``simple_gap``·(1 + ‖A‖)).

    >>> m = slow_mode(np.diag([-2.0, -0.5]), np.array([0.0, -1.0]))
    >>> m.lam, m.rho.tolist(), m.s.tolist(), m.oriented_by
    (-0.5, [0.0, -1.0], [0.0, -1.0], 'readout')
    """
    A = np.asarray(A, float)
    n = A.shape[0]
    c = np.asarray(c, float)
    w, VL, VR = sla.eig(A, left=True, right=True, check_finite=False)
    k = int(np.argmax(w.real))
    lam = w[k]
    scale = 1.0 + np.linalg.norm(A)
    others = np.delete(w, k)
    gap = float(np.min(np.abs(others - lam))) if others.size else np.inf
    if abs(lam.imag) > 1e3 * np.finfo(float).eps * scale:
        return SlowMode(float(lam.real), None, None, np.inf, gap, reason=f"slow eigenvalue is complex ({lam:.3g})")
    if gap <= simple_gap * scale:
        return SlowMode(float(lam.real), None, None, np.inf, gap,
                        reason=f"slow eigenvalue {lam.real:.6g} is not simple (gap {gap:.2e})")
    rho = VR[:, k].real.copy()
    u = VL[:, k].real.copy()
    rho /= np.linalg.norm(rho)
    kappa = float(np.linalg.norm(u) * np.linalg.norm(rho) / abs(u @ rho)) if u @ rho != 0 else np.inf
    if not np.isfinite(kappa):
        return SlowMode(float(lam.real), None, None, np.inf, gap, reason="s·ρ = 0 (defective slow mode)")
    oriented = "readout"
    proj = c @ rho
    if abs(proj) <= 1e-12 * np.linalg.norm(c):
        oriented = "fallback"
        proj = (np.ones(n) if fallback is None else np.asarray(fallback, float)) @ rho
    if proj < 0:
        rho = -rho
    s = u / (u @ rho)
    return SlowMode(float(lam.real), rho, s, kappa, gap, oriented)


def selection_split(s1, b1, s2, b2):
    r"""Input vs selection-vector modulation (claim 25; Zhang et al. 2025).

    Returns ``(mod_inp, mod_sel, total)`` with $\mathrm{mod_{inp}}=\Delta b\cdot\bar s$,
    $\mathrm{mod_{sel}}=\bar b\cdot\Delta s$ and $\mathrm{total}=s^{(1)}\cdot b^{(1)}-s^{(2)}\cdot b^{(2)}$
    computed directly.

    >>> selection_split(np.array([1.0, 0]), np.array([2.0, 0]), np.array([0, 1.0]), np.array([2.0, 0]))
    (0.0, 2.0, 2.0)
    """
    s1, b1, s2, b2 = (np.asarray(v, float) for v in (s1, b1, s2, b2))
    mod_inp = float((b1 - b2) @ ((s1 + s2) / 2))
    mod_sel = float(((b1 + b2) / 2) @ (s1 - s2))
    return mod_inp, mod_sel, float(s1 @ b1 - s2 @ b2)


def linear_systems(J, B, w, gains) -> dict:
    r"""Both linear systems $(A, b, c)$ at an operating point.

    Every input vector goes through this one code path: $b_x = B$ (the model adds $Bu$ before
    $\phi$, so nothing here depends on the gains) and $b_r = DB$; $c_x = Dw$, $c_r = w$.
    """
    J = np.asarray(J, float)
    d = np.asarray(gains, float)
    B = np.asarray(B, float)
    eye = np.eye(J.shape[0])
    return {"A_x": -eye + J * d[None, :], "A_r": -eye + d[:, None] * J,
            "b_x": B.copy(), "b_r": (d[:, None] * B) if B.ndim == 2 else d * B,
            "c_x": d * np.asarray(w, float), "c_r": np.asarray(w, float).copy()}


def leaky_jacobians(J, gains, alpha):
    r"""Jacobians of the leaky (Euler) map in both frames (claim 31):
    $J_x=(1-\alpha)I+\alpha JD$ and $J_r=(1-\alpha)I+\alpha DJ$, by diagonal scaling.

    ``alpha`` must be positive and finite (``InputError`` naming ``alpha`` otherwise); $\alpha>1$ is
    accepted for the algebra although it is outside the leaky-RNN convention $\alpha\in(0,1]$.

    >>> Jx, Jr = leaky_jacobians(np.array([[0.0, 1.0], [2.0, 0.0]]), np.array([1.0, 0.0]), 0.5)
    >>> Jx.tolist(), Jr.tolist()
    ([[0.5, 0.0], [1.0, 0.5]], [[0.5, 0.5], [0.0, 0.5]])
    """
    try:
        alpha = float(alpha)
    except (TypeError, ValueError):
        raise InputError(f"alpha must be a positive finite number, got {alpha!r}") from None
    if not np.isfinite(alpha) or alpha <= 0:
        raise InputError(f"alpha must be a positive finite number (Δt/τ), got {alpha!r}")
    J = _square("J", J)
    d = np.asarray(gains, float)
    if d.shape != (J.shape[0],):
        raise InputError(f"gains must have shape ({J.shape[0]},) to match J, got {d.shape}")
    eye = np.eye(J.shape[0])
    return (1 - alpha) * eye + alpha * (J * d[None, :]), (1 - alpha) * eye + alpha * (d[:, None] * J)


# --------------------------------------------------------------------------------------------------
# off fixed points (claims 17, 18)
# --------------------------------------------------------------------------------------------------

def driven_trajectory(inst, times, amplitude: float = 1.0, omega: float = 1.0):
    r"""States $x(t)$ of $\tau\dot x=F(x,u(t))$, $u(t)=u_0+a\sin(\omega t)\mathbf 1$, from $x^*$,
    by ``solve_ivp`` (DOP853, rtol 1e-12, atol 1e-14). Returns ``(X, U)`` with one row per time."""
    from scipy.integrate import solve_ivp
    from .linearization import activation_field
    times = np.asarray(times, float)
    tau = inst.tau_vector
    K = inst.B.shape[1]

    def u_of(t):
        return inst.u0 + amplitude * np.sin(omega * t) * np.ones(K)

    sol = solve_ivp(lambda t, x: activation_field(inst, x, u_of(t)) / tau, (0.0, float(times[-1])),
                    inst.x_star, method="DOP853", rtol=1e-12, atol=1e-14, t_eval=times)
    if not sol.success:
        raise InputError(f"trajectory integration failed: {sol.message}")
    return sol.y.T, np.array([u_of(t) for t in times])


def slow_point(inst, q: float, rng: np.random.Generator, max_steps: int = 30):
    r"""A slow point with $\|F(x_s)\|_\infty\approx q$ from a *truncated Newton* run (claim 18).

    Newton on $F$ (analytic Jacobian $-I+JD(x)$, no line search) starts from $x^*+\xi$,
    $\|\xi\|_2 = 1$, and is stopped at the iterate whose residual is closest to ``q`` in log scale
    among those with residual in $[q/10^3, 10^{-1}]$. If no iterate qualifies (the run jumps over
    the window or diverges), fall back to $x^*+\eta\xi$ with $\eta$ scaled so that the linear part
    gives residual $q$. Returns ``(x_s, q_actual, method)``.
    """
    from .linearization import activation_field
    n = inst.n
    xi = rng.standard_normal(n)
    if not np.any(xi):          # a Gaussian draw is never exactly 0; a search's draw can be
        xi[0] = 1.0
    xi /= np.linalg.norm(xi)
    x = inst.x_star + xi
    best = None
    for _ in range(max_steps):
        F = activation_field(inst, x)
        res = float(np.max(np.abs(F)))
        if q / 1e3 <= res <= 1e-1:
            score = abs(np.log10(res / q))
            if best is None or score < best[0]:
                best = (score, x.copy(), res)
        if res < q / 1e3 or not np.isfinite(res):
            break
        A = -np.eye(n) + inst.J * inst.act.dphi(x)[None, :]
        try:
            x = x - np.linalg.solve(A, F)
        except np.linalg.LinAlgError:
            break
    if best is not None:
        return best[1], best[2], "truncated Newton"
    A_x = -np.eye(n) + inst.J * inst.gains[None, :]
    eta = q / max(np.max(np.abs(A_x @ xi)), 1e-300)
    xs = inst.x_star + eta * xi
    return xs, float(np.max(np.abs(activation_field(inst, xs)))), "perturbed fixed point"


def fd_activity_jacobian(inst, x, u=None) -> np.ndarray:
    r"""Jacobian of the activity field $f_r$ at $r=\phi(x)$ by central differences *in x coordinates*
   : $g(x)=f_r(\phi(x))$ is differenced in $x$ and mapped, $\partial f_r/\partial r
    =\partial g/\partial x\,D^{-1}$ (chain rule; $D^{-1}$ applied as a column division).

    Differencing in $r$ suffers from artanh‴(r) ~ (1-r²)⁻² near saturation (an $O(h^2)$ error
    above $10^{-7}$ at $|x|\approx2.5$); in $x$ the field is smooth, and the column division by
    $\phi'(x_j)\ge10^{-2}$ ($|x|\le3$) costs at most two digits of the $10^{-10}$ differencing error.
    """
    from .linearization import activity_field, fd_jacobian
    x = np.asarray(x, float)
    act = inst.act
    G = fd_jacobian(lambda v: activity_field(inst, act.phi(v), u), x)
    return G / act.dphi(x)[None, :]


def fd_activity_jacobian_bound(inst, x, u=None):
    r""":func:`fd_activity_jacobian` with its per-entry error bound, ``(A, bound)``.

    The x-coordinate differences of $g(x)=f_r(\phi(x))$ come from
    :func:`numerics.linearization.fd_jacobian_bound` (Richardson truncation estimate plus the
    rounding of :func:`numerics.linearization.activity_field_rounding`); the column division by
    $\phi'(x_j)$ divides the bound by the same factor.
    """
    from .linearization import activity_field, activity_field_rounding, fd_jacobian_bound
    x = np.asarray(x, float)
    act = inst.act
    rho = activity_field_rounding(inst, act.phi(x), u, x_coordinates=True)
    G, bound = fd_jacobian_bound(lambda v: activity_field(inst, act.phi(v), u), x, rho)
    d = act.dphi(x)[None, :]
    return G / d, bound / d
