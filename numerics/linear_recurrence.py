r"""Linear diagonal recurrences $x_k=\Lambda x_{k-1}+Bu_k$, $x_0=0$: simulation, node families,
encoders and decoders (numpy/scipy/scikit-learn; never SymPy).

Brief ``linear_recurrence`` (Orvieto et al. 2024; LRU, Orvieto et al. 2023).

Contents
    simulate, unrolled_state, reversed_prefix        -- the recurrence two ways (claim ``unrolling``)
    roots_of_unity, half_shifted_roots, rfft_nodes, s4d_lin_nodes, ring_sample, chebyshev_nodes
                                                      -- node families
    state_matrix, real_stacked, krylov_matrix         -- the encoder as a matrix
    linear_decode, wiener_decode, omp_decode, MLPDecoder -- decoders (nonlinear ones: scikit-learn)
    blowup_factor_mc, arc_phase_average               -- LRU Prop. 3 by Monte Carlo / quadrature
    effective_rank                                    -- SVD rank with its cutoff reported
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np

from .errors import InputError
from .vandermonde import as_nodes

__all__ = ["simulate", "unrolled_state", "reversed_prefix", "roots_of_unity", "half_shifted_roots",
           "rfft_nodes", "s4d_lin_nodes", "ring_sample", "chebyshev_nodes", "state_matrix",
           "real_stacked", "krylov_matrix", "linear_decode", "wiener_decode", "omp_decode",
           "MLPDecoder", "blowup_factor_mc", "arc_phase_average", "effective_rank",
           "as_inputs", "NODE_FAMILIES", "make_nodes"]


# -- the recurrence ------------------------------------------------------------------------------
def as_inputs(u, L: Optional[int] = None, name: str = "inputs") -> np.ndarray:
    """Validated inputs as an (L, M) float/complex array (an L-vector becomes L×1)."""
    arr = np.asarray(u)
    if arr.dtype == object or arr.dtype.kind not in "biufc" or arr.dtype.kind == "b":
        raise InputError(f"{name} must be a numeric array, got dtype {arr.dtype}")
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise InputError(f"{name} must be an L-vector or an L×M array, got shape {np.shape(u)}")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{name} contains NaN or Inf; every input must be finite")
    if L is not None and arr.shape[0] != L:
        raise InputError(f"{name} must have {L} time steps, got {arr.shape[0]}")
    return arr.astype(complex if arr.dtype.kind == "c" else float)


def _check_B(B, N: int, M: int) -> np.ndarray:
    if B is None:
        return np.ones((N, M))
    B = np.asarray(B)
    if B.ndim == 1:
        B = B[:, None]
    if B.shape != (N, M):
        raise InputError(f"B must have shape ({N}, {M}) (N states × M input channels), got {B.shape}")
    if not np.all(np.isfinite(B)):
        raise InputError("B contains NaN or Inf")
    return B


def simulate(Lam, B, u, return_all: bool = False) -> np.ndarray:
    r"""Run $x_k=\Lambda x_{k-1}+Bu_k$, $x_0=0$, over the rows of ``u`` (L×M or L).

    ``Lam`` is the diagonal (1-D, N) or a full N×N matrix. Returns $x_L$ (or all $x_1..x_L$).

    >>> simulate(np.array([0.5]), None, np.array([1.0, 1.0])).tolist()
    [1.5]
    """
    Lam = np.asarray(Lam)
    diag = Lam.ndim == 1
    N = Lam.shape[0]
    if not diag and Lam.shape != (N, N):
        raise InputError(f"Lam must be a diagonal (N,) or a square N×N matrix, got {Lam.shape}")
    u = as_inputs(u)
    B = _check_B(B, N, u.shape[1])
    x = np.zeros(N, dtype=np.result_type(Lam, B, u, float))
    out = []
    for uk in u:
        x = (Lam * x if diag else Lam @ x) + B @ uk
        out.append(x)
    return np.array(out) if return_all else x


def unrolled_state(Lam, B, u, k: int):
    r"""Closed form $x_k=\sum_{j=0}^{k-1}\Lambda^jBu_{k-j}$ (explicit powers, no recursion).

    Returns ``(x_k, scale)`` with scale $=\sum_j\|\Lambda^jBu_{k-j}\|$ (the tolerance's yardstick).
    """
    Lam = np.asarray(Lam)
    u = as_inputs(u)
    N = Lam.shape[0]
    B = _check_B(B, N, u.shape[1])
    if not 0 <= k <= u.shape[0]:
        raise InputError(f"k must lie in [0, {u.shape[0]}], got {k}")
    x = np.zeros(N, dtype=np.result_type(Lam, B, u, float))
    scale = 0.0
    for j in range(k):
        P = Lam ** j if Lam.ndim == 1 else np.linalg.matrix_power(Lam, j)
        term = (P * (B @ u[k - 1 - j])) if Lam.ndim == 1 else P @ (B @ u[k - 1 - j])
        x = x + term
        scale += float(np.linalg.norm(term))
    return x, scale


def reversed_prefix(u, k: int, L: int) -> np.ndarray:
    r"""$\bar u^{(k)}=(u_k,u_{k-1},\dots,u_1,0,\dots,0)\in\mathbb R^L$ (scalar inputs)."""
    u = np.asarray(u).reshape(-1)
    if not 1 <= k <= L:
        raise InputError(f"k must lie in [1, L={L}] (the horizon fixes the columns), got {k}")
    out = np.zeros(L, dtype=u.dtype)
    out[:k] = u[:k][::-1]
    return out


# -- node families -------------------------------------------------------------------------------
def roots_of_unity(N: int, r: float = 1.0) -> np.ndarray:
    r"""$\lambda_n=r\,e^{2\pi in/N}$, $n=0..N-1$."""
    if r <= 0:
        raise InputError(f"r must be positive, got {r}")
    return r * np.exp(2j * np.pi * np.arange(N) / N)


def half_shifted_roots(L: int, r: float = 1.0) -> np.ndarray:
    r"""Upper half of the L-th roots of −1: $r\,e^{i\pi(2k+1)/L}$, $k=0..\lceil L/2\rceil-1$
    (for odd L the last one is the real node −r)."""
    if r <= 0:
        raise InputError(f"r must be positive (r = 0 carries no information), got {r}")
    k = np.arange((L + 1) // 2)
    z = r * np.exp(1j * np.pi * (2 * k + 1) / L)
    if L % 2:
        z[-1] = -r
    return z


def rfft_nodes(L: int) -> np.ndarray:
    r"""$e^{2\pi ik/L}$, $k=0..\lfloor L/2\rfloor$ (the nodes of ``numpy.fft.rfft``)."""
    return np.exp(2j * np.pi * np.arange(L // 2 + 1) / L)


def s4d_lin_nodes(N: int, Delta: float, start: int = 0) -> np.ndarray:
    r"""S4D-Lin under zero-order hold: $\lambda_n=e^{\Delta(-1/2+i\pi n)}$, $n=\text{start}..$."""
    if not Delta > 0:
        raise InputError(f"Delta must be positive, got {Delta}")
    n = np.arange(start, start + N)
    if N > 1:
        # nodes n ≠ n' coincide iff Δ(n − n') is an even integer
        d = Delta * np.arange(1, N)
        if np.any(np.isclose(d / 2, np.round(d / 2), rtol=0, atol=1e-12) & (np.round(d / 2) > 0)):
            raise InputError(f"Delta={Delta} makes two S4D-Lin nodes coincide (Δ(n−n') even); "
                             "choose Delta < 2/(N−1)")
    return np.exp(Delta * (-0.5 + 1j * np.pi * n))


def ring_sample(rng: np.random.Generator, N: int, r_min: float, r_max: float,
                max_phase: float = 2 * np.pi) -> np.ndarray:
    r"""LRU Lemma 2: $\nu=-\tfrac12\log(u_1(r_{\max}^2-r_{\min}^2)+r_{\min}^2)$, $\theta=\theta_{\max}u_2$,
    $\lambda=e^{-\nu+i\theta}$: uniform on the annular sector."""
    if r_min > r_max:
        raise InputError(f"r_min={r_min} must not exceed r_max={r_max}")
    if r_max > 1 or r_min < 0:
        raise InputError(f"need 0 ≤ r_min ≤ r_max ≤ 1 (the lemma assumes stability), got "
                         f"r_min={r_min}, r_max={r_max}")
    u1, u2 = rng.uniform(size=N), rng.uniform(size=N)
    s = u1 * (r_max ** 2 - r_min ** 2) + r_min ** 2
    radius = np.sqrt(s)  # = exp(-ν); no log of 0 when s = 0
    return radius * np.exp(1j * max_phase * u2)


def chebyshev_nodes(n: int) -> np.ndarray:
    r"""$\cos\frac{(2i+1)\pi}{2n}$, $i=0..n-1$."""
    return np.cos((2 * np.arange(n) + 1) * np.pi / (2 * n))


NODE_FAMILIES = ("roots", "half_roots", "ring", "ring_pi10", "s4d", "real")


def make_nodes(family: str, N: int, L: int, rng: np.random.Generator, r: float = 1.0,
               Delta: Optional[float] = None) -> np.ndarray:
    """Nodes of a named family (the experiment's ``--init``)."""
    if family == "roots":
        return roots_of_unity(N, r)
    if family == "half_roots":
        return r * np.exp(1j * np.pi * (2 * np.arange(N) + 1) / (2 * N))
    if family == "ring":
        return ring_sample(rng, N, 0.9, 0.999)
    if family == "ring_pi10":
        return ring_sample(rng, N, 0.9, 0.999, np.pi / 10)
    if family == "s4d":
        return s4d_lin_nodes(N, Delta if Delta is not None else 2.0 / N)
    if family == "real":
        return rng.uniform(0.9, 0.999, size=N)
    raise InputError(f"unknown node family {family!r}; choose from {', '.join(NODE_FAMILIES)}")


# -- encoders ------------------------------------------------------------------------------------
def state_matrix(nodes, L: int, b=None) -> np.ndarray:
    r"""$\mathrm{diag}(b)V$, $V_{n,j}=\lambda_n^j$ (so $x_L=\mathrm{diag}(b)V\bar u^{(L)}$)."""
    x = as_nodes(nodes)
    M = np.vander(x, L, increasing=True)
    return M if b is None else np.asarray(b)[:, None] * M


def real_stacked(M) -> np.ndarray:
    r"""$A=\begin{bmatrix}\mathrm{Re}\,M\\\mathrm{Im}\,M\end{bmatrix}$ (real inputs, complex states)."""
    M = np.asarray(M)
    return np.vstack([M.real, M.imag]) if np.iscomplexobj(M) else M


def krylov_matrix(nodes, B, L: int) -> np.ndarray:
    r"""$K=[B,\Lambda B,\dots,\Lambda^{L-1}B]$, $K_{n,(jM+m)}=\lambda_n^jB_{nm}$."""
    x = as_nodes(nodes)
    B = np.asarray(B)
    if B.ndim == 1:
        B = B[:, None]
    if L < 1 or B.shape[1] < 1:
        raise InputError(f"L and M must be positive, got L={L}, M={B.shape[1]}")
    if B.shape[0] != x.size:
        raise InputError(f"B must have {x.size} rows (one per node), got {B.shape}")
    P = np.vander(x, L, increasing=True)                       # (N, L)
    return (P[:, :, None] * B[:, None, :]).reshape(x.size, L * B.shape[1])


def effective_rank(A, rcond: float = 1e-10) -> tuple:
    """(rank, cutoff, singular values): singular values above ``rcond·σ_max`` count."""
    s = np.linalg.svd(np.asarray(A), compute_uv=False)
    cut = rcond * (s[0] if s.size else 0.0)
    return int(np.sum(s > cut)), cut, s


# -- decoders ------------------------------------------------------------------------------------
def linear_decode(A, X, rcond: float = 1e-12) -> np.ndarray:
    r"""Minimum-norm linear decoder $\hat u=A^{+}x$ (``numpy.linalg.lstsq`` with ``rcond``).

    ``X``: one state (rows of A) or several as columns."""
    return np.linalg.lstsq(A, X, rcond=rcond)[0]


def wiener_decode(A, X, s2: float, sigma2: float) -> np.ndarray:
    r"""Gaussian MMSE (ridge/Wiener) decoder $s^2A^{\mathsf T}(s^2AA^{\mathsf T}+\sigma^2I)^{-1}x$."""
    A = np.asarray(A)
    G = s2 * (A @ A.T) + sigma2 * np.eye(A.shape[0])
    return s2 * A.T @ np.linalg.solve(G, X)


def omp_decode(A, x, k: Optional[int] = None, tol: Optional[float] = None) -> np.ndarray:
    r"""Orthogonal matching pursuit (scikit-learn) on the real system $A\bar u=x$.

    Columns are normalised before the greedy correlation step (OMP selects by $|a_j^{\mathsf T}r|/\|a_j\|$)
    and the coefficients are rescaled back. ``k`` nonzeros, or stop on the residual ``tol``."""
    from sklearn.linear_model import OrthogonalMatchingPursuit
    A = np.asarray(A, dtype=float)
    norms = np.linalg.norm(A, axis=0)
    norms[norms == 0] = 1.0
    if k is None and tol is None:
        raise InputError("omp_decode needs the sparsity k or a residual tolerance tol")
    k = None if k is None else int(min(k, A.shape[0], A.shape[1]))
    model = OrthogonalMatchingPursuit(n_nonzero_coefs=k if tol is None else None, tol=tol,
                                      fit_intercept=False)
    x = np.asarray(x, dtype=float)
    model.fit(A / norms, x)
    coef = model.coef_ / norms                  # (targets, L) when x holds several states
    return coef.T if x.ndim == 2 else coef


@dataclass
class MLPDecoder:
    """A one-hidden-layer MLP decoder x ↦ ū (scikit-learn ``MLPRegressor``), trained on pairs."""

    hidden: int = 256
    max_iter: int = 300
    seed: int = 0

    def fit(self, X, U):
        from sklearn.neural_network import MLPRegressor
        self.model = MLPRegressor(hidden_layer_sizes=(self.hidden,), max_iter=self.max_iter,
                                  random_state=self.seed, early_stopping=False)
        import warnings
        from sklearn.exceptions import ConvergenceWarning
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.model.fit(np.asarray(X), np.asarray(U))
        return self

    def predict(self, X):
        return self.model.predict(np.asarray(X))


# -- LRU Prop. 3 ---------------------------------------------------------------------------------
def blowup_factor_mc(rng: np.random.Generator, r_min: float, r_max: float, n: int) -> tuple:
    r"""Monte Carlo of $\mathbb E[1/(1-|\lambda|^2)]$ over ring samples: (mean, sample SE)."""
    lam = ring_sample(rng, n, r_min, r_max)
    f = 1.0 / (1.0 - np.abs(lam) ** 2)
    return float(f.mean()), float(f.std(ddof=1) / math.sqrt(n))


def arc_phase_average(r: float, theta_max: float) -> float:
    r"""$\frac1{\theta_{\max}}\int_0^{\theta_{\max}}|1-re^{i\theta}|^{-2}d\theta$ by ``scipy.integrate.quad``."""
    from scipy.integrate import quad
    val, _ = quad(lambda t: 1.0 / (1 - 2 * r * math.cos(t) + r * r), 0.0, theta_max, limit=200,
                  points=[0.0])
    return val / theta_max
