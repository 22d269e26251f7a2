r"""Vandermonde matrices of linear recurrences: solvers, condition numbers, the precision rule.

Convention (the model of the linear_recurrence claims): **rows are nodes, columns are powers**,
$V\in\mathbb C^{N\times L}$, $V_{n,j}=\lambda_n^{\,j}$, $j=0,\dots,L-1$.

Contents
    as_nodes, as_weights          -- validate user nodes / row weights (``InputError`` otherwise)
    vandermonde                   -- float64/complex128 $V$ (increasing powers)
    vandermonde_rank              -- exact rank of $\mathrm{diag}(b)V$ = min(L, distinct usable nodes)
    bjorck_pereyra                -- O(N²) square solve $Vc=f$ in float64/complex128 (vectorised)
    bjorck_pereyra_mp             -- the same algorithm in high precision (mpmath; python-flint if present)
    choose_dps, log10_gautschi_bound, log10_cond2_upper_bound -- the precision rule and its cheap bound
    cond2                         -- 2-norm condition number of $\mathrm{diag}(b)V$, exact beyond 1e16
    cond2_matrix_mp               -- the same for any matrix given in high precision
    hp_state, reconstruct_mp      -- high-precision state $x=\mathrm{diag}(b)V\bar u$ and its inversion

Claim IDs: ``linear_recurrence.high_precision_reconstruction``, ``vandermonde_determinant``,
``gautschi_bound``.

Backends. The high-precision loops run on python-flint's ``acb`` balls when python-flint is
installed (each operation is a C call, about 15x faster than an ``mpmath.mpc`` operation, which is
what makes N = L = 1024 at 50 digits take seconds), and on ``mpmath`` otherwise. Both run the very
same Björck–Pereyra loop; results are returned as ``mpmath`` numbers either way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Sequence

import mpmath
import numpy as np

from .errors import InputError

import os as _os

try:  # optional accelerator (see the module docstring); everything works without it
    import flint as _flint
except ImportError:  # pragma: no cover - depends on the environment
    _flint = None
if _os.environ.get("RNNPROOF_NO_FLINT"):  # test the pure-mpmath fallback
    _flint = None

__all__ = ["as_nodes", "as_weights", "vandermonde", "vandermonde_rank", "distinct_count",
           "bjorck_pereyra", "bjorck_pereyra_mp", "leja_order", "choose_dps", "choose_dps_log10",
           "log10_gautschi_bound", "log10_cond2_upper_bound", "cond2", "cond2_matrix_mp",
           "CondResult", "hp_state", "reconstruct_mp", "mp_nodes", "have_flint", "BACKENDS"]

BACKENDS = ("auto", "mpmath", "flint")


def have_flint() -> bool:
    """True when python-flint is importable (the fast high-precision backend)."""
    return _flint is not None


# -- validation ----------------------------------------------------------------------------------
def as_nodes(nodes, name: str = "nodes") -> np.ndarray:
    """Validated 1-D finite array of nodes (float64, or complex128 when any is non-real).

    >>> as_nodes([0.5, 0.25]).dtype
    dtype('float64')
    >>> as_nodes(np.zeros((2, 2)))
    Traceback (most recent call last):
    ...
    numerics.errors.InputError: nodes must be a 1-D array of N eigenvalues, got shape (2, 2); ...
    """
    arr = np.asarray(nodes)
    if arr.dtype == object or arr.dtype.kind not in "biufc" or arr.dtype.kind == "b":
        raise InputError(f"{name} must be a numeric array, got dtype {arr.dtype}")
    if arr.ndim != 1:
        raise InputError(f"{name} must be a 1-D array of N eigenvalues, got shape {arr.shape}; "
                         "save the diagonal of Λ, e.g. numpy.save(path, np.diag(Lam))")
    if arr.size == 0:
        raise InputError(f"{name} is empty; give at least one eigenvalue")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{name} contains NaN or Inf; every eigenvalue must be finite")
    if arr.dtype.kind == "c" and np.all(arr.imag == 0):
        arr = arr.real
    return arr.astype(complex if arr.dtype.kind == "c" else float)


def as_weights(b, N: int, name: str = "b") -> np.ndarray:
    """Validated row weights ``b`` (length N, default ones)."""
    if b is None:
        return np.ones(N)
    arr = np.asarray(b)
    if arr.dtype == object or arr.dtype.kind not in "biufc" or arr.dtype.kind == "b":
        raise InputError(f"{name} must be a numeric array, got dtype {arr.dtype}")
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.shape != (N,):
        raise InputError(f"{name} must have shape ({N},) to match the {N} nodes, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{name} contains NaN or Inf")
    return arr.astype(complex if arr.dtype.kind == "c" else float)


def _check_L(L) -> int:
    if isinstance(L, bool) or int(L) != L or int(L) < 1:
        raise InputError(f"L must be a positive integer (the horizon), got {L!r}")
    return int(L)


# -- float64 -------------------------------------------------------------------------------------
def vandermonde(nodes, L: int) -> np.ndarray:
    r"""$V_{n,j}=\lambda_n^{\,j}$, $j=0,\dots,L-1$ (``numpy.vander`` with ``increasing=True``).

    >>> vandermonde([2.0, 3.0], 3)
    array([[1., 2., 4.],
           [1., 3., 9.]])
    """
    return np.vander(as_nodes(nodes), _check_L(L), increasing=True)


def distinct_count(nodes, b=None) -> int:
    """Number of distinct nodes among the rows with $b_n\\ne0$ (exact comparison of the values)."""
    nodes = as_nodes(nodes)
    b = as_weights(b, nodes.size)
    return int(np.unique(nodes[b != 0]).size)


def vandermonde_rank(nodes, L: int, b=None) -> int:
    r"""Exact rank of $\mathrm{diag}(b)V$: $\min(L, d)$, $d$ the distinct nodes with $b_n\ne0$.

    Claim ``linear_recurrence.vandermonde_determinant`` (b): distinct rows of a Vandermonde matrix
    are independent up to L of them; repeated rows and zero rows add nothing.

    >>> vandermonde_rank([0.5, 0.5, 0.25], 3)
    2
    """
    return min(_check_L(L), distinct_count(nodes, b))


def leja_order(nodes) -> np.ndarray:
    r"""Leja ordering: $x_0=\arg\max|x|$, then $x_k=\arg\max_x\prod_{j<k}|x-x_j|$ (log space).

    Björck–Pereyra's rounding errors depend on the node order: in natural order, N-th roots of
    unity make the divided differences grow like $2^N$, so 1024 nodes lose about 300 digits; in
    Leja order the growth is mild (Higham, *Accuracy and Stability*, §22.3). The solution does not
    depend on the order, so the solvers permute nodes and data together.

    >>> leja_order([0.1, 0.9, 0.5]).tolist()
    [1, 0, 2]
    """
    x = as_nodes(nodes)
    n = x.size
    order = np.empty(n, dtype=int)
    logp = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    k = int(np.argmax(np.abs(x)))
    for i in range(n):
        order[i] = k
        alive[k] = False
        if i == n - 1:
            break
        with np.errstate(divide="ignore"):
            logp += np.log(np.abs(x - x[k]))
        cand = np.where(alive, logp, -np.inf)
        k = int(np.argmax(cand))
    return order


def bjorck_pereyra(nodes, f) -> np.ndarray:
    r"""Solve the square system $Vc=f$ ($N=L$, rows = nodes) in O(N²) (Björck & Pereyra 1970).

    Stage 1 (divided differences): for $k=1..N-1$, $i=N-1..k$:
    $c_i\leftarrow(c_i-c_{i-1})/(\lambda_i-\lambda_{i-k})$. Stage 2 (Newton to monomial): for
    $k=N-2..0$, $i=k..N-2$: $c_i\leftarrow c_i-\lambda_kc_{i+1}$. Each inner loop reads only old
    values, so it is one vectorised slice operation. ``f`` may be (N,) or (N, m).
    Claim ``linear_recurrence.high_precision_reconstruction``.

    >>> x = np.array([0.5, -1.0, 2.0]); c = np.array([1.0, 2.0, 3.0])
    >>> np.allclose(bjorck_pereyra(x, vandermonde(x, 3) @ c), c)
    True
    """
    x = as_nodes(nodes)
    c = np.array(f, dtype=np.result_type(x.dtype, np.asarray(f).dtype, float), copy=True)
    n = x.size
    if c.shape[0] != n:
        raise InputError(f"f must have {n} rows to match the nodes, got shape {c.shape}")
    if np.unique(x).size != n:
        raise InputError("nodes must be distinct for the square Vandermonde solve "
                         f"({n - np.unique(x).size} repeated); the system is singular")
    shape = (-1,) + (1,) * (c.ndim - 1)
    perm = leja_order(x)
    x, c = x[perm], c[perm]
    for k in range(1, n):
        c[k:] = (c[k:] - c[k - 1:n - 1]) / (x[k:] - x[:n - k]).reshape(shape)
    for k in range(n - 2, -1, -1):
        c[k:n - 1] = c[k:n - 1] - x[k] * c[k + 1:n]
    return c


# -- the precision rule --------------------------------------------------------------------------
def choose_dps_log10(log10_kappa: float) -> int:
    """``max(30, ceil(log10 κ) + 20)`` from ``log10 κ`` (the precision rule: digits ≥ log10 κ + 20, claim ``linear_recurrence.high_precision_reconstruction``)."""
    if not math.isfinite(log10_kappa):
        raise InputError("the condition number is infinite (singular system); no precision suffices")
    return max(30, int(math.ceil(log10_kappa)) + 20)


def choose_dps(kappa) -> int:
    """Working digits for a solve with condition number ``kappa``: ``max(30, ceil(log10 κ)+20)``.

    >>> choose_dps(1.0), choose_dps(1e25), choose_dps(mpmath.mpf("1e400"))
    (30, 45, 420)
    """
    return choose_dps_log10(float(mpmath.log10(mpmath.mpf(kappa))))


def log10_gautschi_bound(nodes) -> float:
    r"""$\log_{10}$ of Gautschi's bound $\max_i\prod_{k\ne i}(1+|x_k|)/|x_i-x_k|\ge\|V^{-1}\|_1$.

    Evaluated in log space (the bound overflows float64 long before it is useless). Infinite for
    repeated nodes. Claim ``linear_recurrence.gautschi_bound``.

    >>> round(10 ** log10_gautschi_bound([0.0, 1.0]), 12)   # n = 2: (1+1)/1
    2.0
    """
    x = as_nodes(nodes)
    if x.size == 1:
        return 0.0
    diff = np.abs(x[:, None] - x[None, :])
    np.fill_diagonal(diff, 1.0)
    if np.any(diff == 0):
        return math.inf
    log_num = np.log10(1.0 + np.abs(x))
    logs = (log_num.sum() - log_num) - np.log10(diff).sum(axis=1)
    return float(logs.max())


def log10_cond2_upper_bound(nodes, L: int, b=None) -> float:
    r"""Cheap upper bound on $\log_{10}\kappa_2(\mathrm{diag}(b)V)$ (no high precision needed).

    $\kappa_2\le\|M\|_F\,\|M_S^{-1}\|_2$ for any L distinct usable rows S (removing rows cannot raise
    $\sigma_{\min}$), and $\|M_S^{-1}\|_2\le\sqrt L\,\|V_S^{-1}\|_1/\min|b_S|$ with Gautschi's bound
    for $\|V_S^{-1}\|_1$. S is the L usable rows of largest $|b_n|$ among distinct nodes.
    Infinite when fewer than L distinct usable nodes exist.
    """
    x = as_nodes(nodes)
    L = _check_L(L)
    w = as_weights(b, x.size)
    keep = np.flatnonzero(w != 0)
    _, first = np.unique(x[keep], return_index=True)
    rows = keep[np.sort(first)]
    if rows.size < L:
        return math.inf
    rows = rows[np.argsort(-np.abs(w[rows]), kind="stable")[:L]]
    # log10 ||M||_F with log-space powers (|λ|^j may overflow)
    loga = np.log10(np.maximum(np.abs(x), 1e-300))
    j = np.arange(L)
    logs = np.log10(np.abs(w[keep]))[:, None] + loga[keep][:, None] * j[None, :]
    top = logs.max()
    log_fro = top + 0.5 * math.log10(np.sum(10.0 ** (2 * (logs - top))))
    return float(log_fro + 0.5 * math.log10(L) + log10_gautschi_bound(x[rows])
                 - math.log10(np.abs(w[rows]).min()))


# -- high precision: backend helpers -------------------------------------------------------------
def _backend(backend: Optional[str]) -> str:
    backend = backend or "auto"
    if backend not in BACKENDS:
        raise InputError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    if backend == "auto":
        return "flint" if _flint is not None else "mpmath"
    if backend == "flint" and _flint is None:
        raise InputError("backend 'flint' needs python-flint (pip install python-flint)")
    return backend


def _to_mp(value):
    """An mpmath number from a float/complex/int/mpmath number/flint ball (midpoint), exactly."""
    if isinstance(value, (mpmath.mpf, mpmath.mpc)):
        return value
    if _flint is not None and isinstance(value, (_flint.arb, _flint.acb)):
        return mpmath.mpc(value.mid()) if isinstance(value, _flint.acb) else mpmath.mpf(value.mid())
    if isinstance(value, (complex, np.complexfloating)):
        return mpmath.mpc(complex(value)) if complex(value).imag else mpmath.mpf(complex(value).real)
    return mpmath.mpf(value)


def _to_flint(value):
    """A flint ``acb`` equal to ``value`` (exact: floats and mpmath numbers are binary; the
    caller holds a flint precision at least the mpmath one)."""
    if isinstance(value, _flint.acb):
        return value
    value = _to_mp(value)
    if isinstance(value, mpmath.mpc):
        return _flint.acb(_flint.arb(value.real), _flint.arb(value.imag))
    return _flint.acb(_flint.arb(value))


def mp_nodes(nodes) -> list:
    """Nodes as mpmath numbers, exactly (float64 values are binary fractions: no rounding)."""
    if isinstance(nodes, np.ndarray):
        nodes = as_nodes(nodes)
    return [_to_mp(v) for v in nodes]


class _Prec:
    """``with _Prec(dps, backend):`` sets mpmath's (and flint's) working precision, scoped."""

    def __init__(self, dps: int, backend: str):
        self.dps, self.backend = int(dps), backend

    def __enter__(self):
        self._mp = mpmath.mp.workdps(self.dps)
        self._mp.__enter__()
        if self.backend == "flint":
            # flint works 10 guard digits above mpmath so that conversions in are exact
            self._fl = _flint.ctx.workdps(self.dps + 10)
            self._fl.__enter__()
        return self

    def __exit__(self, *exc):
        if self.backend == "flint":
            self._fl.__exit__(*exc)
        self._mp.__exit__(*exc)
        return False


def _bp_core(xs: list, c: list) -> list:
    """Björck–Pereyra on lists of numbers supporting + - * / (mpmath or flint); in place."""
    n = len(xs)
    for k in range(1, n):
        c[k:] = [(a - p) / (s - t) for a, p, s, t in zip(c[k:], c[k - 1:n - 1], xs[k:], xs[:n - k])]
    for k in range(n - 2, -1, -1):
        xk = xs[k]
        c[k:n - 1] = [a - xk * q for a, q in zip(c[k:n - 1], c[k + 1:n])]
    return c


def bjorck_pereyra_mp(nodes, f, dps: int, backend: Optional[str] = None) -> list:
    r"""Björck–Pereyra in high precision: the c with $Vc=f$ (square), as mpmath numbers.

    ``nodes`` and ``f``: float64 arrays (taken as exact binary values) or sequences of mpmath
    numbers. The caller picks ``dps`` with :func:`choose_dps` (digits ≥ log10 κ + 20); the
    relative error is then ≤ $10^{-(\mathrm{dps}-\log_{10}\kappa-5)}$ (claim
    ``linear_recurrence.high_precision_reconstruction``). About $\tfrac52N^2$ operations.

    >>> c = bjorck_pereyra_mp([0.5, 0.25], [1.5, 1.25], dps=30, backend="mpmath")
    >>> [mpmath.nstr(v, 5) for v in c]
    ['1.0', '1.0']
    """
    backend = _backend(backend)
    xs, fs = mp_nodes(nodes), [_to_mp(v) for v in f]
    if len(fs) != len(xs):
        raise InputError(f"f must have {len(xs)} entries to match the nodes, got {len(fs)}")
    if len(set(xs)) != len(xs):
        raise InputError(f"nodes must be distinct ({len(xs) - len(set(xs))} repeated): "
                         "the square Vandermonde system is singular")
    perm = leja_order(np.array([complex(v) for v in xs]))
    xs, fs = [xs[i] for i in perm], [fs[i] for i in perm]
    with _Prec(dps, backend):
        if backend == "flint":
            out = _bp_core([_to_flint(v) for v in xs], [_to_flint(v) for v in fs])
        else:
            out = _bp_core([mpmath.mpmathify(v) for v in xs], [mpmath.mpmathify(v) for v in fs])
        return [_to_mp(v) for v in out]


def hp_state(nodes, u, dps: int, b=None, backend: Optional[str] = None) -> list:
    r"""High-precision state $x_n=b_n\sum_j\lambda_n^j\bar u_j$ (Horner), as mpmath numbers.

    ``u`` is the reversed prefix $\bar u$ (length L; ``u[0]`` multiplies $\lambda^0$), so this is
    $x=\mathrm{diag}(b)V\bar u$, computed at ``dps`` digits from exactly given nodes and inputs
    (rounding the state to float64 would destroy what no later precision restores).
    """
    backend = _backend(backend)
    xs = mp_nodes(nodes)
    us = [_to_mp(v) for v in u]
    bs = [mpmath.mpf(1)] * len(xs) if b is None else [_to_mp(v) for v in b]
    with _Prec(dps, backend):
        conv = _to_flint if backend == "flint" else mpmath.mpmathify
        fx, fu = [conv(v) for v in xs], [conv(v) for v in reversed(us)]
        out = []
        for lam, bn in zip(fx, bs):
            acc = fu[0]
            for c in fu[1:]:
                acc = acc * lam + c
            out.append(_to_mp(acc * conv(bn)))
        return out


# -- condition numbers ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CondResult:
    """2-norm condition number with how it was obtained.

    ``cond2`` is an ``mpmath.mpf`` (``inf`` when rank-deficient); ``log10`` its log;
    ``dps_used`` the digits of the final computation (16 for float64); ``method`` in words."""

    cond2: object
    log10: float
    rank: int
    dps_used: int
    method: str

    @property
    def singular(self) -> bool:
        return not math.isfinite(self.log10)

    def as_float(self) -> float:
        """``cond2`` as a float (``inf`` beyond the float64 range)."""
        return float(self.cond2) if self.log10 < 308 else math.inf


def _smax_hp(X) -> object:
    r"""$\sigma_{\max}$ of a matrix held in high precision (a flint ``acb_mat``, an
    ``mpmath.matrix`` or rows of mpmath numbers): scale by a power of two near the largest entry,
    round to complex128, take LAPACK's largest singular value, scale back.

    $|\sigma_{\max}(X)-\sigma_{\max}(\mathrm{fl}(X))|\le\|X-\mathrm{fl}(X)\|_F\le\sqrt{NL}\,\varepsilon\,\sigma_{\max}$,
    so the result is relatively accurate to about $10^{-13}$ however large κ is."""
    if _flint is not None and isinstance(X, _flint.acb_mat):
        mags = [float(abs(v)) for row in X.mid().tolist() for v in row]
        top = max(mags)
        if math.isfinite(top) and 1e-290 < top < 1e290:
            e = math.frexp(top)[1]
        else:  # some entry beyond the float64 range: logs (slower, rare)
            logs = [float(abs(v).log()) for row in X.mid().tolist() for v in row if v != 0]
            if not logs:
                return mpmath.mpf(0)
            e = int(max(logs) / math.log(2)) + 1
        scaled = X.mid() * _flint.arb(2) ** (-e)
        arr = np.array([[complex(v) for v in row] for row in scaled.tolist()])
    else:
        from mpmath.libmp import fzero, mpf_shift, to_float
        rows = X.tolist() if isinstance(X, mpmath.matrix) else X
        parts = [[(v._mpc_ if isinstance(v, mpmath.mpc) else (mpmath.mpf(v)._mpf_, fzero))
                  for v in row] for row in rows]
        exps = [t[2] + t[3] for row in parts for pair in row for t in pair if t[1]]
        if not exps:
            return mpmath.mpf(0)
        e = max(exps)
        arr = np.array([[complex(to_float(mpf_shift(re, -e)), to_float(mpf_shift(im, -e)))
                         for re, im in row] for row in parts])
    if not np.all(np.isfinite(arr)):
        return mpmath.inf
    return mpmath.ldexp(mpmath.mpf(float(np.linalg.norm(arr, 2))), e)


def _max_rel_radius(mat) -> float:
    """Largest ball radius of a flint matrix relative to its largest midpoint."""
    rads = [float(v.rad()) for row in mat.tolist() for v in row]
    mags = [float(abs(v)) for row in mat.mid().tolist() for v in row]
    top = max(mags)
    return max(rads) / top if top > 0 else math.inf


def _traub_extra_digits(xs) -> int:
    r"""A priori digits lost by Traub's algorithm: building $P=\prod(z-x_k)$ and dividing by
    $z-x_i$ keeps every intermediate coefficient below $G=\prod(1+|x_k|)$ times $R^N$,
    $R=\max(1,|x_k|)$, while each column's 1-norm is at least $1/|P'(x_i)|$; so the relative error
    is below $\varepsilon N^3GR^N$ and $\log_{10}(N^3GR^N)$ extra digits suffice."""
    n = len(xs)
    mags = [abs(complex(v)) for v in xs]
    G = sum(math.log10(1 + m) for m in mags)
    R = n * math.log10(max(1.0, max(mags)))
    return int(math.ceil(3 * math.log10(max(n, 2)) + G + R)) + 5


def _inverse_square_vandermonde(xs, bs, backend):
    r"""$(\mathrm{diag}(b)V)^{-1}$ at the current precision by Traub's O(N²) algorithm: column i
    holds the coefficients of $\ell_i(z)=\prod_{k\ne i}(z-x_k)/(x_i-x_k)$, divided by $b_i$
    (a flint ``acb_mat`` with ball radii, or rows of mpmath numbers). Callers add
    :func:`_traub_extra_digits` to the working precision."""
    n = len(xs)
    if backend == "flint":
        fx = [_to_flint(v) for v in xs]
        P = _flint.acb_poly.from_roots(fx)
        dP = P.derivative()
        cols = []
        for i in range(n):
            q = P // _flint.acb_poly([-fx[i], 1])
            coeffs = q.coeffs()
            coeffs = coeffs + [_flint.acb(0)] * (n - len(coeffs))
            scale = 1 / (dP(fx[i]) * _to_flint(bs[i]))
            cols.append([c * scale for c in coeffs[:n]])
        return _flint.acb_mat([[cols[i][j] for i in range(n)] for j in range(n)])
    x = [mpmath.mpmathify(v) for v in xs]
    P = [mpmath.mpf(1)]                                   # ascending coefficients of Π(z − x_k)
    for xk in x:
        P = [-xk * P[0]] + [P[j - 1] - xk * P[j] for j in range(1, len(P))] + [P[-1]]
    cols = []
    for i in range(n):
        q = [mpmath.mpf(0)] * n                           # synthetic division by (z − x_i)
        acc = P[n]
        for j in range(n - 1, -1, -1):
            q[j] = acc
            acc = P[j] + x[i] * acc
        d = mpmath.fprod([x[i] - x[k] for k in range(n) if k != i]) * mpmath.mpmathify(bs[i])
        cols.append([c / d for c in q])
    return [[cols[i][j] for i in range(n)] for j in range(n)]


def _cond_at(rows_fn, N, L, dps, backend, square_vdm=None, smax=None):
    """κ₂ at ``dps`` digits: (κ as mpf, certified relative radius of the inverse or None)."""
    if square_vdm is not None:
        with _Prec(dps + _traub_extra_digits(square_vdm[0]), backend):
            inv = _inverse_square_vandermonde(*square_vdm, backend)
            smax = _smax_hp(rows_fn()) if smax is None else smax
            return smax * _smax_hp(inv), (_max_rel_radius(inv) if backend == "flint" else None)
    with _Prec(dps, backend):
        rows = rows_fn()
        if backend == "flint":
            mat = _flint.acb_mat([[_to_flint(v) for v in row] for row in rows])
            if N == L:
                inv = mat.inv()
                return _smax_hp(mat) * _smax_hp(inv), _max_rel_radius(inv)
            # N > L: Gram matrix G = MᴴM (needs twice the digits: κ(G) = κ²)
            G = mat.conjugate().transpose() * mat
            Ginv = G.inv()
            return mpmath.sqrt(_smax_hp(G) * _smax_hp(Ginv)), _max_rel_radius(Ginv)
        M = mpmath.matrix(rows)
        if N == L:
            return _smax_hp(M) * _smax_hp(mpmath.inverse(M)), None
        _, R = mpmath.qr(M)  # Householder QR; κ(M) = κ(R)
        R = mpmath.matrix([[R[i, j] for j in range(L)] for i in range(L)])
        return _smax_hp(R) * _smax_hp(mpmath.inverse(R)), None


def cond2_matrix_mp(rows_fn, N: int, L: int, *, start_log10: float = 16.0, backend=None,
                    max_dps: int = 4000, _square_vdm=None, _smax=None) -> CondResult:
    r"""κ₂ of an N×L (N ≥ L) full-rank matrix whose entries ``rows_fn()`` builds at the current
    mpmath precision, by iterative refinement: start at ``choose_dps`` of the estimate, compute
    κ₂, raise the digits until $\lceil\log_{10}\kappa_2\rceil+20\le$ dps (twice the log for N > L,
    where the Gram matrix is inverted). With python-flint, ball radii must also certify at least
    10 correct digits of the inverse, else the digits are doubled.

    $\kappa_2=\sigma_{\max}(M)\,\sigma_{\max}(M^{-1})$ (square) or
    $\sqrt{\sigma_{\max}(G)\,\sigma_{\max}(G^{-1})}$, $G=M^{\mathsf H}M$; each $\sigma_{\max}$ comes from
    float64 LAPACK on the scaled high-precision matrix, which is relatively accurate.
    """
    backend = _backend(backend)
    factor = 1 if (N == L or backend == "mpmath") else 2
    dps = choose_dps_log10(factor * start_log10)
    while True:
        try:
            kappa, rad = _cond_at(rows_fn, N, L, dps, backend, _square_vdm, _smax)
        except (ZeroDivisionError, np.linalg.LinAlgError):  # numerically singular at these digits
            kappa, rad = mpmath.inf, None
        log10k = float(mpmath.log10(kappa)) if kappa > 0 and mpmath.isfinite(kappa) else math.inf
        need = choose_dps_log10(factor * log10k) if math.isfinite(log10k) else 2 * dps
        certified = rad is None or (rad * N <= 1e-10)
        if need <= dps and certified:
            if _square_vdm is not None:
                extra = _traub_extra_digits(_square_vdm[0])
                method = f"Traub inverse at {dps + extra} digits (rule {dps} + {extra} guard) ({backend})"
                return CondResult(kappa, log10k, L, dps + extra, method)
            method = ("square inverse" if N == L else "Gram inverse") + f" at {dps} digits ({backend})"
            return CondResult(kappa, log10k, L, dps, method)
        if certified:
            new = max(need + 10, dps + 20)
        elif rad is not None and math.isfinite(rad) and rad > 0:
            # the balls say how many digits were lost: add them (plus a margin) in one step
            new = max(need, dps + int(math.ceil(math.log10(rad * N / 1e-10))) + 10, dps + 20)
        else:
            new = 2 * dps
        if new > max_dps:
            raise InputError(f"the condition number needs more than max_dps={max_dps} digits "
                             f"(estimate 1e{log10k:.0f}); the system is numerically singular")
        dps = new


def cond2(nodes, L: int, b=None, *, backend: Optional[str] = None, float64_trust: float = 1e4,
          max_dps: int = 4000) -> CondResult:
    r"""2-norm condition number of $M=\mathrm{diag}(b)V$ ($N\times L$), exact to ≥ 6 digits at any size.

    Rank-deficient M (repeated nodes, N < L, zero weights): ``cond2 = inf`` with the exact rank.
    Otherwise float64 SVD when it reports κ ≤ ``float64_trust`` (its relative error is then about
    $\kappa\sqrt{NL}\,L\varepsilon\le10^{-7}$); beyond that, high precision at the digits the
    conditioning needs (:func:`cond2_matrix_mp`), O(N²) for square matrices with python-flint.

    >>> r = cond2(np.exp(2j * np.pi * np.arange(8) / 8), 8)
    >>> round(float(r.cond2), 12), r.rank
    (1.0, 8)
    >>> float(cond2([0.5, 0.5], 2).cond2), cond2([0.5, 0.5], 2).rank
    (inf, 1)
    """
    x = as_nodes(nodes)
    L = _check_L(L)
    w = as_weights(b, x.size)
    rank = vandermonde_rank(x, L, w)
    if rank < L:
        return CondResult(mpmath.inf, math.inf, rank, 0, "rank-deficient (exact rank)")
    keep = np.flatnonzero(w != 0)
    xk, wk = x[keep], w[keep]
    N = xk.size
    est, smax = math.inf, None
    with np.errstate(all="ignore"):
        M = wk[:, None] * np.vander(xk, L, increasing=True)
        if np.all(np.isfinite(M)) and np.abs(M).max() < 1e150:
            s = np.linalg.svd(M, compute_uv=False)
            # σ_max of the float64 matrix is relatively accurate (entrywise rounding ≤ Lε)
            smax = mpmath.mpf(float(s[0]))
            if s[-1] > 0:
                est = s[0] / s[-1]
    if est <= float64_trust:
        return CondResult(mpmath.mpf(float(est)), math.log10(est), rank, 16, "float64 SVD")
    xs, bs = mp_nodes(xk), mp_nodes(wk)

    def rows():
        conv = mpmath.mpmathify
        out = []
        for lam, bn in zip(xs, bs):
            lam, acc, row = conv(lam), conv(bn), []
            for _ in range(L):
                row.append(acc)
                acc = acc * lam
            out.append(row)
        return out

    start = min(max(16.0, math.log10(est)) if math.isfinite(est) else 16.0,
                log10_cond2_upper_bound(xk, L, wk))
    square = (xs, bs) if N == L else None
    return cond2_matrix_mp(rows, N, L, start_log10=start, backend=backend, max_dps=max_dps,
                           _square_vdm=square, _smax=smax if square else None)


def reconstruct_mp(nodes, x, dps: int, b=None, backend: Optional[str] = None) -> list:
    r"""Decode $\bar u$ from a high-precision state $x=\mathrm{diag}(b)V\bar u$ (mpmath lists).

    Square (N = L): Björck–Pereyra on $x_n/b_n$. Overdetermined (N > L): ``mpmath.qr_solve``
    (Householder least squares, same digit rule; ``lu_solve`` would form normal equations and need
    twice the digits).
    """
    if isinstance(x, np.ndarray) and x.dtype.kind in "fc":
        import warnings
        warnings.warn("reconstruct_mp got a float64 state: upcasting cannot restore digits already lost "
                      "in rounding; compute the state with hp_state from the exact nodes and inputs",
                      RuntimeWarning, stacklevel=2)
    xs = mp_nodes(nodes)
    bs = [mpmath.mpf(1)] * len(xs) if b is None else [_to_mp(v) for v in b]
    if len(xs) != len(x):
        raise InputError(f"the square solver needs N = L (got {len(xs)} nodes, {len(x)} state entries); "
                         "use reconstruct_lstsq_mp for N > L")
    if any(bn == 0 for bn in bs):
        raise InputError("b has a zero entry: that state carries no information; drop the row "
                         "(reconstruct() does) or give nonzero b")
    with mpmath.mp.workdps(dps):
        data = [mpmath.mpmathify(v) / bn for v, bn in zip(x, bs)]
    return bjorck_pereyra_mp(xs, data, dps, backend)


def reconstruct_lstsq_mp(nodes, x, L: int, dps: int, b=None) -> list:
    """Least-squares decode for N > L in mpmath (``qr_solve``) at ``dps`` digits."""
    xs = mp_nodes(nodes)
    bs = [mpmath.mpf(1)] * len(xs) if b is None else [_to_mp(v) for v in b]
    with mpmath.mp.workdps(dps):
        A = mpmath.matrix([[bn * lam ** j for j in range(L)] for lam, bn in zip(xs, bs)])
        sol, _ = mpmath.qr_solve(A, mpmath.matrix(list(x)))
        return [sol[j] for j in range(L)]


__all__.append("reconstruct_lstsq_mp")
