r"""Linear diagonal recurrences $x_k=\Lambda x_{k-1}+Bu_k$, $x_0=0$: simulation, node families,
encoders and decoders (numpy/scipy/scikit-learn; never SymPy).

The models of the ``linear_recurrence`` claims (Orvieto et al. 2024; LRU, Orvieto et al. 2023).

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
from .arrays import load_npy

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
        if 2 * N <= L:  # a random subset of the L-th half-shifted roots: no aliasing below 2N = L
            return np.sort_complex(half_shifted_roots(L, r)[rng.choice((L + 1) // 2, N, replace=False)])
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
    import warnings
    with warnings.catch_warnings():
        # sklearn warns when the residual reaches 0 before k atoms (exact recovery): expected here
        warnings.filterwarnings("ignore", message=".*ended prematurely.*", category=RuntimeWarning)
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
                  points=[0.0], epsabs=0.0, epsrel=1e-13)
    return val / theta_max


# -- file input and the full reconstruction pipeline (behind ``rnnproof reconstruct``) ----------
load_array = load_npy  # the shared safe loader (numerics.arrays)


def real_dof(nodes, b=None) -> int:
    r"""ρ: real degrees of freedom of distinct usable nodes up to conjugation (1 per real node,
    2 per non-real node; claim ``real_dof_counting`` (b))."""
    x = as_nodes(nodes)
    w = np.ones(x.size) if b is None else np.asarray(b).reshape(x.size, -1).any(axis=1)
    x = np.unique(x[w != 0])
    seen, rho = set(), 0
    for z in x:
        z = complex(z)
        if z in seen:
            continue
        seen.add(z)
        seen.add(z.conjugate())
        rho += 1 if z.imag == 0 else 2
    return rho


@dataclass
class Reconstruction:
    """Output of :func:`reconstruct`: decoded inputs (L×M) and how they were obtained."""

    decoded: np.ndarray
    relative_error: float
    cond2: object          # mpmath.mpf (inf when rank-deficient)
    log10_cond2: float
    dps_used: int
    method: str
    rank: int
    recoverable: int


def reconstruct(nodes, inputs, B=None, decoder: str = "linear", sparsity: Optional[int] = None,
                seed: int = 0, mlp_hidden: int = 128, mlp_iter: int = 100,
                backend: Optional[str] = None) -> Reconstruction:
    r"""Run $x_k=\Lambda x_{k-1}+Bu_k$ over ``inputs`` (L or L×M), decode all of them from $x_L$.

    ``linear``: exact in the precision the conditioning needs: the state is computed at
    ``dps = choose_dps(κ₂)`` digits from the exact (binary) nodes and inputs, then inverted by
    Björck–Pereyra (M = 1, on L Leja-ordered distinct usable nodes) or ``mpmath.qr_solve``
    (M > 1, or real inputs decoded from N < L complex nodes through the real-stacked system).
    ``omp``/``mlp``: scikit-learn decoders on the float64 real-stacked system (the MLP is trained
    on Gaussian inputs of the same shape). Bad or insufficient input raises ``InputError``.
    """
    import mpmath
    from . import vandermonde as NV
    x = as_nodes(nodes)
    u = as_inputs(inputs)
    L, M = u.shape
    N = x.size
    if B is None:
        if M > 1 and decoder == "linear":
            raise InputError(f"INPUTS has M = {M} channels but no --B was given: B = ones makes every channel "
                             f"identical (rank K ≤ L = {L} < L·M = {L * M}); pass --B B.npy of shape ({N}, {M})")
        B = np.ones((N, M))
    B = np.asarray(B)
    if B.ndim == 1:
        B = B[:, None]
    if B.shape != (N, M):
        raise InputError(f"--B must have shape ({N}, {M}) (N = {N} nodes × M = {M} input channels), got {B.shape}")
    if not np.all(np.isfinite(B)):
        raise InputError("--B contains NaN or Inf")
    if decoder not in ("linear", "omp", "mlp"):
        raise InputError(f"--decoder must be linear, omp or mlp, got {decoder!r}")
    real_inputs = not np.iscomplexobj(u)
    usable = np.any(B != 0, axis=1)
    distinct = np.unique(x[usable]).size
    if M == 1:
        rank_c = min(L, distinct)
    else:
        rank_c = min(L * M, sum(min(int(np.sum(x[usable] == v)), M) for v in np.unique(x[usable])))
    rho = real_dof(x, usable) if (real_inputs and M == 1) else 2 * distinct
    recoverable = rank_c if not (real_inputs and M == 1) else min(L, max(rank_c, rho))
    if decoder == "linear":
        if recoverable < L * M:
            why = (f"{N - distinct} repeated node(s): only {distinct} distinct usable nodes, the system is "
                   f"singular (rank {rank_c})" if distinct < N and distinct < L * M else
                   f"N = {N} nodes for L·M = {L * M} unknowns")
            raise InputError(f"cannot decode linearly: {why}; at most {recoverable} of the {L * M} input values "
                             f"are recoverable (use more distinct nodes, or --decoder omp for sparse inputs)")
        return _reconstruct_linear(x, u, B, rank_c, recoverable, backend)
    A, xs = _float_system(x, u, B)
    if decoder == "omp":
        tol = None if sparsity else float((1e-10 * np.linalg.norm(xs)) ** 2)
        est = omp_decode(A, xs, k=sparsity, tol=tol)
        method = "OMP (scikit-learn), " + (f"k = {sparsity}" if sparsity else "residual tolerance 1e-10‖x‖")
    else:
        rng = np.random.default_rng(seed)
        n_train = 2000
        Ut = rng.standard_normal((n_train, L * M))
        Xt = Ut @ A.T
        model = MLPDecoder(hidden=mlp_hidden, max_iter=mlp_iter, seed=seed).fit(Xt, Ut)
        est = model.predict(xs[None, :])[0]
        method = (f"MLP (scikit-learn), {mlp_hidden} hidden units, {mlp_iter} epochs, trained on {n_train} "
                  "Gaussian sequences")
    decoded = est.reshape(L, M)[::-1] if M > 1 else est[::-1][:, None]
    with np.errstate(all="ignore"):
        s = np.linalg.svd(A, compute_uv=False)
    kap = s[0] / s[-1] if A.shape[0] >= A.shape[1] and s[-1] > 0 else math.inf
    rel = float(np.linalg.norm(decoded - u) / max(np.linalg.norm(u), 1e-300))
    return Reconstruction(decoded, rel, mpmath.mpf(kap), math.log10(kap) if math.isfinite(kap) else math.inf,
                          16, method + " (float64)", rank_c, recoverable)


def _float_system(x, u, B):
    """Real-stacked float64 system A ū = x_L (ū = (u_L; …; u_1) flattened) and the state."""
    L, M = u.shape
    K = krylov_matrix(x, B, L)
    xs = simulate(x, B, u)
    if np.iscomplexobj(K) or np.iscomplexobj(xs):
        return real_stacked(K), np.concatenate([np.real(xs), np.imag(xs)])
    return K, np.asarray(xs, dtype=float)


def _reconstruct_linear(x, u, B, rank_c, recoverable, backend):
    import mpmath
    from . import vandermonde as NV
    L, M = u.shape
    N = x.size
    if M == 1 and rank_c >= L:
        b = B[:, 0]
        full = NV.cond2(x, L, b, backend=backend)
        # square solve on L distinct usable nodes in Leja order (well spread: good interpolation
        # points); with noise-free data any L distinct rows give the exact answer
        usable = np.flatnonzero(b != 0)
        _, first = np.unique(x[usable], return_index=True)
        rows = usable[np.sort(first)]
        rows = rows[NV.leja_order(x[rows])[:L]]
        sub = full if rows.size == N else NV.cond2(x[rows], L, b[rows], backend=backend)
        dps = NV.choose_dps_log10(sub.log10)
        ubar = u[::-1, 0]
        state = NV.hp_state(x[rows], ubar, dps, b=b[rows], backend=backend)
        got = NV.reconstruct_mp(x[rows], state, dps, b=b[rows], backend=backend)
        method = (f"Björck–Pereyra on {L} Leja-ordered nodes at {dps} digits "
                  f"({'flint' if (backend or 'auto') != 'mpmath' and NV.have_flint() else 'mpmath'})")
        cond, log10k = full.cond2, full.log10
    else:
        # real inputs from N < L complex nodes (real-stacked), or M > 1 (Krylov): qr_solve
        A64, _ = _float_system(x, u, B)
        nrow = A64.shape[0]
        stacked = A64.shape[0] != N

        def rows_fn():
            xs, Bs = NV.mp_nodes(x), [[mpmath.mpmathify(complex(v)) if np.iscomplexobj(B) else mpmath.mpf(float(v))
                                       for v in row] for row in B]
            K = [[xs[n] ** j * Bs[n][m] for j in range(L) for m in range(M)] for n in range(N)]
            if stacked:
                return [[mpmath.re(v) for v in row] for row in K] + [[mpmath.im(v) for v in row] for row in K]
            return K

        with np.errstate(all="ignore"):
            s = np.linalg.svd(A64, compute_uv=False)
        est = math.log10(s[0] / s[-1]) if s[-1] > 0 and np.all(np.isfinite(s)) else 16.0
        try:
            res = NV.cond2_matrix_mp(rows_fn, nrow, L * M, start_log10=max(est, 1.0), backend=backend,
                                     max_dps=2000)
        except InputError:
            raise InputError(f"cannot decode linearly: the {'real-stacked' if stacked else 'Krylov'} system "
                             f"({nrow}×{L * M}) is singular to 2000 digits (e.g. dependent input channels in "
                             f"B); fewer than the {L * M} input values are recoverable") from None
        cond, log10k = res.cond2, res.log10
        dps = NV.choose_dps_log10(log10k)
        with mpmath.mp.workdps(dps):
            A = mpmath.matrix(rows_fn())
            ubar = mpmath.matrix([mpmath.mpmathify(complex(v)) if np.iscomplexobj(u) else mpmath.mpf(float(v))
                                  for v in u[::-1].reshape(-1)])
            rhs = A * ubar
            sol, _ = mpmath.qr_solve(A, rhs) if nrow > L * M else (mpmath.lu_solve(A, rhs), None)
            got = [sol[i] for i in range(L * M)]
        method = f"{'QR least squares' if nrow > L * M else 'LU'} (mpmath) at {dps} digits on the " + \
                 ("real-stacked system" if stacked else "Krylov system")
    with mpmath.mp.workdps(dps):
        exact = [mpmath.mpmathify(complex(v)) if np.iscomplexobj(u) else mpmath.mpf(float(v))
                 for v in u[::-1].reshape(-1)]
        num = mpmath.sqrt(mpmath.fsum(abs(g - e) ** 2 for g, e in zip(got, exact)))
        den = mpmath.sqrt(mpmath.fsum(abs(e) ** 2 for e in exact))
        rel = float(num / den) if den > 0 else float(num)
    vals = np.array([complex(v) for v in got])
    vals = vals.real if not np.iscomplexobj(u) else vals
    decoded = vals.reshape(L, M)[::-1] if M > 1 else vals[::-1][:, None]
    return Reconstruction(decoded, rel, cond, log10k, dps, method, rank_c, recoverable)


__all__ += ["load_array", "real_dof", "Reconstruction", "reconstruct"]
