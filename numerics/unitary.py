r"""Contractive ReLU RNNs as unitary RNNs (Emami et al., NeurIPS 2019, arXiv:1910.13672).

Independent numeric side of the ``unitary.*`` claims: numpy/scipy/mpmath only, never SymPy.

Construction (claims ``unitary.halmos_dilation``, ``unitary.relu_equivalence_2n``)
    halmos_dilation(W, method)          -- $\tilde W=\begin{bmatrix}W&S_l\\S_r&-W^{\mathsf H}\end{bmatrix}$
    reduced_dilation(W, tol)            -- the $(n+r)$-state dilation (``unitary.reduced_n_plus_r``)
    psd_sqrt(A)                         -- eigh-based PSD square root (never ``scipy.linalg.sqrtm``)
    state_bound(...) / StateBound       -- $u_k$, $H^*$ and the horizon form $\beta_T$
    relu_rnn_to_urnn(spec, M, ...)      -- the URNN network file and its certificate data
    URNNConstruction                    -- result: ``urnn``, ``beta``, ``H_star``, ``M``, defect, ...
Simulation and equivalence
    simulate(spec, X)                   -- discrete-time states and outputs (ReLU, split-ReLU, ...)
    extra_state_margin(cons, X)         -- $\mu=\max_{k,i}(W_{21}h^{(k-1)}+F_2x^{(k)})_i-\beta$
    sample_bounded_inputs(rng, ...)     -- ball, sphere and constant aligned sequences
    check_io_equivalence(a, b, inputs)  -- max abs/rel output error, first failing (sequence, time)
    search_counterexample(a, b, M, ...) -- the search behind ``rnnproof equivalent``
Generators
    haar_orthogonal, haar_unitary, contractive_matrix, random_relu_rnn
Linear algebra for Theorems 2 and 3
    orthonormal_krylov, memoryless_certificate, smooth_jacobians, hankel_rank_test,
    sigmoid_fixed_point, svd_rank
Experiments
    polar_factor, clip_singular_values, teacher_matrix, optimal_r2, r2_monte_carlo

The construction is **M-specific**: the URNN is guaranteed to reproduce the RNN only on inputs with
$\|x^{(k)}\|_2\le M$; beyond $M$ the extra states can switch on (claim
``unitary.input_bound_required``).

Examples
--------
>>> rng = np.random.default_rng(0)
>>> W = contractive_matrix(rng, 3, 0.9)
>>> Wt, info = halmos_dilation(W)
>>> bool(np.abs(Wt.T @ Wt - np.eye(6)).max() < 100 * 6 * np.finfo(float).eps)
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from .errors import InputError
from .network import RNNSpec

__all__ = [
    "EPS", "psd_sqrt", "halmos_dilation", "reduced_dilation", "orthogonality_defect", "StateBound",
    "state_bound", "URNNConstruction", "relu_rnn_to_urnn", "split_relu", "simulate",
    "extra_state_margin", "sample_bounded_inputs", "check_io_equivalence", "search_counterexample",
    "haar_orthogonal", "haar_unitary", "contractive_matrix", "random_relu_rnn", "svd_rank",
    "orthonormal_krylov", "smooth_jacobians", "memoryless_certificate", "hankel_rank_test",
    "sigmoid_fixed_point", "polar_factor", "clip_singular_values", "teacher_matrix", "optimal_r2",
    "r2_monte_carlo", "validate_bound", "require_orthogonal", "reparameterize", "minimal_realization",
    "complete_orthogonal", "balance_diagonal",
]

EPS = float(np.finfo(float).eps)


# -- square roots and dilations --------------------------------------------------------------------
def psd_sqrt(A: np.ndarray):
    r"""PSD square root by ``eigh``: symmetrise, clip negative eigenvalues to 0, $V\sqrt{\Lambda}V^{\mathsf H}$.

    Returns ``(root, lam_min_kept)`` where ``lam_min_kept`` is the smallest positive eigenvalue kept
    (``inf`` if none); it sets the tolerance of claim ``unitary.halmos_dilation``. ``sqrtm`` is never
    used: on singular $I-W^{\mathsf T}W$ it may return complex or inaccurate roots.

    >>> R, _ = psd_sqrt(np.diag([4.0, 0.0]))
    >>> R.tolist()
    [[2.0, 0.0], [0.0, 0.0]]
    """
    A = np.asarray(A)
    A = 0.5 * (A + A.conj().T)
    lam, V = np.linalg.eigh(A)
    lam = np.clip(lam, 0.0, None)
    pos = lam[lam > 0]
    root = (V * np.sqrt(lam)) @ V.conj().T
    return root, (float(pos.min()) if pos.size else math.inf)


def _check_square(W, name="W"):
    W = np.asarray(W)
    if W.dtype.kind not in "iufc":
        raise InputError(f"{name} must be a numeric matrix, got dtype {W.dtype}")
    if W.ndim != 2 or W.shape[0] != W.shape[1] or W.shape[0] == 0:
        raise InputError(f"{name} must be a non-empty square matrix, got shape {W.shape}")
    if not np.all(np.isfinite(W)):
        raise InputError(f"{name} contains NaN or Inf; every entry must be finite")
    return W.astype(complex if W.dtype.kind == "c" else float)


def _sqrt_one_minus_sq(s):
    # (1 - s)(1 + s) is accurate where s is close to 1 (1 - s*s cancels catastrophically).
    return np.sqrt(np.clip((1.0 - s) * (1.0 + s), 0.0, None))


def halmos_dilation(W, method: str = "svd", tol: float = 1e-12, _svd=None):
    r"""The Halmos dilation $\tilde W=\begin{bmatrix}W&S_l\\S_r&-W^{\mathsf H}\end{bmatrix}$ of $\|W\|_2\le1$.

    $S_l=(I-WW^{\mathsf H})^{1/2}$, $S_r=(I-W^{\mathsf H}W)^{1/2}$; $\tilde W$ is orthogonal
    (unitary for complex $W$). Claim ``unitary.halmos_dilation``.

    ``method="svd"`` (default): one SVD $W=U\Sigma V^{\mathsf H}$ gives both roots,
    $S_l=U(I-\Sigma^2)^{1/2}U^{\mathsf H}$, $S_r=V(I-\Sigma^2)^{1/2}V^{\mathsf H}$, accurate even when
    $I-W^{\mathsf H}W$ is singular. ``method="eigh"``: two eigh-based PSD roots (defect
    $\sim\sqrt\varepsilon$ on singular cases). The top-left block is ``W`` itself, bit for bit.

    Returns ``(Wt, info)`` with ``info = {"method", "norm", "lam_min_kept", "sigma"}``.
    Raises :class:`InputError` naming ``W`` if $\|W\|_2>1+\mathrm{tol}$ (no dilation exists,
    claim ``unitary.no_dilation_if_expansive``).

    >>> Wt, info = halmos_dilation(np.zeros((1, 1)))
    >>> Wt.tolist()
    [[0.0, 1.0], [1.0, -0.0]]
    """
    W = _check_square(W)
    n = W.shape[0]
    if method not in ("svd", "eigh"):
        raise InputError(f"method must be 'svd' or 'eigh', got {method!r}")
    U, s, Vh = np.linalg.svd(W) if _svd is None else _svd
    norm = float(s[0])
    if norm > 1.0 + tol:
        raise InputError(f"W has ||W||_2 = {norm:.17g} > 1: no orthogonal or unitary dilation exists "
                         "(claim unitary.no_dilation_if_expansive)")
    Wt = np.empty((2 * n, 2 * n), dtype=W.dtype)
    lam_min = math.inf
    if method == "svd":
        S = _sqrt_one_minus_sq(np.minimum(s, 1.0))
        Wt[:n, n:] = (U * S) @ U.conj().T
        Wt[n:, :n] = (Vh.conj().T * S) @ Vh
    else:
        I = np.eye(n)
        Sl, l1 = psd_sqrt(I - W @ W.conj().T)
        Sr, l2 = psd_sqrt(I - W.conj().T @ W)
        Wt[:n, n:], Wt[n:, :n] = Sl, Sr
        lam_min = min(l1, l2)
    Wt[:n, :n] = W
    Wt[n:, n:] = -W.conj().T
    return Wt, {"method": method, "norm": norm, "lam_min_kept": lam_min, "sigma": s}


def reduced_dilation(W, tol: float = 1e-12, _svd=None):
    r"""The $(n+r)$-dilation $\begin{bmatrix}W&U_rS_r\\S_rV_r^{\mathsf H}&-\Sigma_r\end{bmatrix}$, $r=\#\{\sigma_i<1-\mathrm{tol}\}$.

    $S_r=(I-\Sigma_r^2)^{1/2}$; the minimum size of any orthogonal dilation is $n+r$ (claim
    ``unitary.reduced_n_plus_r``). A singular value within ``tol`` of 1 is treated as 1 (defect
    $\le 2\,\mathrm{tol}$). Returns ``(Wt, info)`` with ``info["r"]`` and ``info["tol"]``.

    >>> Wt, info = reduced_dilation(np.diag([1.0, 0.6]))
    >>> info["r"], Wt.shape
    (1, (3, 3))
    """
    W = _check_square(W)
    n = W.shape[0]
    U, s, Vh = np.linalg.svd(W) if _svd is None else _svd
    norm = float(s[0])
    if norm > 1.0 + tol:
        raise InputError(f"W has ||W||_2 = {norm:.17g} > 1: no orthogonal or unitary dilation exists "
                         "(claim unitary.no_dilation_if_expansive)")
    keep = s < 1.0 - tol
    r = int(keep.sum())
    S = _sqrt_one_minus_sq(s[keep])
    Wt = np.zeros((n + r, n + r), dtype=W.dtype)
    Wt[:n, :n] = W
    Wt[:n, n:] = U[:, keep] * S
    Wt[n:, :n] = S[:, None] * Vh[keep, :]
    Wt[n:, n:] = -np.diag(s[keep])
    return Wt, {"method": "svd-reduced", "norm": norm, "r": r, "tol": tol, "sigma": s}


def orthogonality_defect(Q) -> float:
    r"""$\max(\max|Q^{\mathsf H}Q-I|,\ \max|QQ^{\mathsf H}-I|)$."""
    Q = np.asarray(Q)
    I = np.eye(Q.shape[0])
    return float(max(np.abs(Q.conj().T @ Q - I).max(), np.abs(Q @ Q.conj().T - I).max()))


def require_orthogonal(Wt, name: str = "W") -> float:
    r"""Raise :class:`InputError` unless ``Wt`` is orthogonal/unitary within $100\,m\,\varepsilon$.

    Claim ``unitary.urnn_nonexpansive``: a URNN's recurrent matrix must be orthogonal.
    Returns the defect."""
    Wt = _check_square(Wt, name)
    defect = orthogonality_defect(Wt)
    if defect > 100 * Wt.shape[0] * EPS:
        raise InputError(f"{name} of the URNN is not orthogonal: max|W^T W - I| = {defect:.3g} "
                         f"> 100*m*eps = {100 * Wt.shape[0] * EPS:.3g}")
    return defect


# -- the state bound -------------------------------------------------------------------------------
def validate_bound(M, name: str = "M") -> float:
    """``M`` as a float; :class:`InputError` naming ``name`` if missing, negative, NaN or infinite."""
    if M is None:
        raise InputError(f"{name} (the input bound) is required: the construction depends on it")
    try:
        M = float(M)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number, got {M!r}") from None
    if not math.isfinite(M) or M < 0:
        raise InputError(f"{name} must be a finite number >= 0, got {M!r}")
    return M


@dataclass(frozen=True)
class StateBound:
    r"""$\rho=\|W\|_2$, $c=\|F\|_2M+\|b\|_2$, $h=\|h_{-1}\|$ and the bounds they give.

    $u_k=\rho^{k+1}h+c\,(1-\rho^{k+1})/(1-\rho)$ (claim ``unitary.state_bound``)."""

    rho: float
    c: float
    h: float

    def u(self, k):
        r"""$u_k$ for ``k >= -1`` (array-valued); $h+(k+1)c$ at $\rho=1$."""
        k = np.asarray(k, dtype=float)
        if self.rho >= 1.0:
            return self.h + (k + 1) * self.c
        p = self.rho ** (k + 1)
        return p * self.h + self.c * (1.0 - p) / (1.0 - self.rho)

    @property
    def H_star(self) -> float:
        r"""$H^*=\max(h, c/(1-\rho))$, horizon-free (needs $\rho<1$)."""
        if self.rho >= 1.0:
            return math.inf
        return max(self.h, self.c / (1.0 - self.rho))

    def beta_T(self, T: int) -> float:
        r"""$\beta_T=\max_{-1\le j\le T-2}u_j=\max(u_{-1},u_{T-2})$ ($u_j$ is monotone in $j$)."""
        return float(max(self.h, self.u(T - 2))) if T >= 1 else self.h


def _vector_norm(x) -> float:
    """‖x‖₂ without underflow or overflow: ``np.linalg.norm`` squares the entries, so a vector
    of entries below about 1e−154 would get norm 0 (and β = 0 < ‖h₋₁‖); rescale those."""
    x = np.asarray(x)
    value = float(np.linalg.norm(x))
    if 2.0 ** -450 <= value <= 2.0 ** 450:
        return value
    top = float(np.abs(x).max(initial=0.0))
    return value if top == 0 or not math.isfinite(top) else top * float(np.linalg.norm(x / top))


def state_bound(W, F, b, h0, M, norm: str = "2", rho: Optional[float] = None) -> StateBound:
    r"""The constants of claim ``unitary.state_bound`` for $\|x^{(k)}\|\le M$.

    ``norm="inf"`` converts an $\infty$-norm bound with $\|x\|_2\le\sqrt{n_x}M_\infty$."""
    M = validate_bound(M)
    if norm not in ("2", "inf"):
        raise InputError(f"norm must be '2' or 'inf', got {norm!r}")
    n_x = 0 if F is None else F.shape[1]
    M2 = M * math.sqrt(n_x) if norm == "inf" else M
    rho = float(np.linalg.norm(W, 2)) if rho is None else float(rho)
    fnorm = 0.0 if F is None or F.size == 0 else float(np.linalg.norm(F, 2))
    c = fnorm * M2 + (0.0 if b is None else _vector_norm(b))
    return StateBound(rho=rho, c=c, h=0.0 if h0 is None else _vector_norm(h0))


# -- the construction ------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class URNNConstruction:
    """Result of :func:`relu_rnn_to_urnn`. ``urnn`` is a network file (discrete, relu).

    The URNN is equivalent to ``rnn`` only on inputs with ``||x^(k)||_2 <= M`` (M-specific)."""

    rnn: RNNSpec
    urnn: RNNSpec
    beta: float
    H_star: float
    M: float
    norm: str
    horizon: Optional[int]
    r: int
    rho: float
    orthogonality_error: Optional[float]
    method: str
    tol: float
    balance_D: Optional[np.ndarray] = None

    @property
    def n(self) -> int:
        return self.rnn.n

    @property
    def W21(self) -> np.ndarray:
        return self.urnn.W[self.n:, :self.n]

    def to_json(self) -> dict:
        return {"states": self.urnn.n, "original_states": self.n, "extra_states": self.r,
                "orthogonality_error": self.orthogonality_error, "beta": self.beta,
                "H_star": self.H_star, "input_bound": self.M, "norm": self.norm,
                "horizon": self.horizon, "rho": self.rho, "method": self.method, "rank_tol": self.tol,
                "complex": bool(np.iscomplexobj(self.urnn.W)),
                "balanced": self.balance_D is not None,
                "balance_D": None if self.balance_D is None else self.balance_D.tolist()}

    def input_warnings(self, X) -> list:
        """Warnings for inputs outside the guarantee: some ``||x_k|| > M`` or more than ``horizon`` steps."""
        X = _as_inputs(X, self.rnn.m)
        out = []
        norms = np.linalg.norm(X, axis=1) if X.size else np.zeros(0)
        M2 = self.M * (math.sqrt(self.rnn.m) if self.norm == "inf" else 1.0)
        if norms.size and norms.max() > M2 * (1 + 1e-12):
            out.append(f"input exceeds the bound M={self.M:g} used to build this URNN; max ||x|| = {norms.max():.6g}")
        if self.horizon is not None and X.shape[0] > self.horizon:
            out.append(f"sequence of length {X.shape[0]} exceeds the horizon T={self.horizon} used to build this URNN")
        return out


def _require_discrete_relu(spec: RNNSpec, what: str = "network"):
    if not isinstance(spec, RNNSpec):
        raise InputError(f"{what} must be an RNNSpec (a network file), got {type(spec).__name__}")
    if spec.time != "discrete":
        raise InputError(f"{what} must be a discrete-time network (time=discrete), got time={spec.time}")
    if spec.form != "rnn" or spec.alpha is not None:
        raise InputError(f"{what} must be a plain discrete RNN h_k = phi(W h_(k-1) + B x_k + b) "
                         "(no leak alpha, form=rnn)")


def balance_diagonal(W, maxiter: int = 500):
    r"""Positive diagonal $D$ minimising $\|DWD^{-1}\|_2$ (optional pre-pass, claim ``unitary.reparam_relu``).

    $\sigma_{\max}(e^{X}We^{-X})$ is convex in the diagonal $X$ (Sezginer & Overton 1990), so a local
    method finds the minimum: L-BFGS-B on $x=\log d$ with the gradient $\sigma(u^2-v^2)$ from the top
    singular pair, $x_0=0$ fixed (scale invariance). Returns ``(D, norm)`` with ``D`` the diagonal
    as a vector. ReLU networks are invariant under $T=D$ (claim ``unitary.reparam_relu``).

    >>> d, nrm = balance_diagonal(np.array([[0.0, 4.0], [0.01, 0.0]]))
    >>> bool(abs(nrm - 0.2) < 1e-6)
    True
    """
    from scipy.optimize import minimize
    W = np.asarray(W, dtype=float)
    n = W.shape[0]
    if n == 1:
        return np.ones(1), float(abs(W[0, 0]))

    def f(y):
        x = np.r_[0.0, y]
        B = np.exp(x)[:, None] * W * np.exp(-x)[None, :]
        U_, s_, Vh_ = np.linalg.svd(B)
        g = s_[0] * (U_[:, 0] ** 2 - Vh_[0] ** 2)
        return float(s_[0]), g[1:]

    res = minimize(f, np.zeros(n - 1), jac=True, method="L-BFGS-B", bounds=[(-30, 30)] * (n - 1),
                   options={"maxiter": maxiter})
    d = np.exp(np.r_[0.0, res.x])
    return d, float(np.linalg.norm(d[:, None] * W / d[None, :], 2))


def relu_rnn_to_urnn(spec: RNNSpec, M, *, reduced: bool = False, horizon: Optional[int] = None,
                     norm: str = "2", method: str = "svd", safety: float = 1e-8, tol: float = 1e-12,
                     verify: bool = True, balance: bool = False) -> URNNConstruction:
    r"""Theorem 1: the URNN equivalent to a contractive ReLU RNN on $X_M$ (claim ``unitary.relu_equivalence_2n``).

    $\tilde W$ = Halmos dilation (or the $(n+r)$ one with ``reduced``), $\tilde F=[F;0]$,
    $\tilde b=[b;-\beta\mathbf 1]$, $\tilde C=[C,0]$, $\tilde h_{-1}=[h_{-1};0]$, $\tilde d=d$,
    $\beta=(1+\mathrm{safety})H^*$, $H^*=\max(\|h_{-1}\|,c/(1-\rho))$, $c=\|F\|_2M+\|b\|_2$.

    **M-specific**: equivalence holds only for $\|x^{(k)}\|_2\le M$ (``norm="2"``; ``"inf"`` bounds
    are converted). With ``horizon=T`` a non-expansive $\|W\|_2=1$ is accepted and
    $\beta=\beta_T$ (claim ``unitary.nonexpansive_finite_horizon``; sequences longer than $T$ are
    not covered). Complex networks use split-ReLU and $\tilde b_2=-\beta(1+i)\mathbf 1$.
    ``balance=True``: if $\|W\|_2\ge1-\mathrm{tol}$, first rescale by the positive diagonal $D$ of
    :func:`balance_diagonal` (an exact ReLU equivalence); if $\|DWD^{-1}\|_2<1$ the URNN of the
    rescaled network is returned with ``balance_D`` set (original state $h=D^{-1}h'$).
    ``verify`` computes the orthogonality defect (an $O(m^3)$ product; off in the benchmark).

    Raises :class:`InputError` for a network that is not discrete ReLU, a bad ``M``, $\|W\|_2>1$
    (the message prints the norm) or $\|W\|_2\ge1-\mathrm{tol}$ without ``horizon``.

    >>> spec = RNNSpec(W=[[0.5]], B=[[1.0]], C=[[2.0]], activation="relu", time="discrete")
    >>> cons = relu_rnn_to_urnn(spec, 1.0)
    >>> cons.urnn.n, round(cons.H_star, 12)
    (2, 2.0)
    """
    _require_discrete_relu(spec)
    if spec.activation != "relu":
        raise InputError(f"the network must use activation relu (Theorem 1 is a ReLU result), got "
                         f"{spec.activation}; smooth activations have no URNN equivalent in general "
                         "(claim unitary.smooth_no_urnn)")
    M = validate_bound(M)
    if horizon is not None:
        if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or horizon < 1:
            raise InputError(f"horizon must be a positive integer, got {horizon!r}")
        horizon = int(horizon)
    if not (0 <= safety < 1):
        raise InputError(f"safety must lie in [0, 1), got {safety!r}")
    balance_D = None
    if balance and not np.iscomplexobj(spec.W) and np.linalg.norm(spec.W, 2) >= 1.0 - tol:
        d, nrm = balance_diagonal(spec.W)
        if nrm < 1.0 - tol:
            balance_D = d
            spec = reparameterize(spec, np.diag(d))
    W = spec.W
    n = spec.n
    svd = np.linalg.svd(W)  # the only O(n^3) factorisation: norm, both square roots, the dilation
    bound = state_bound(W, spec.B, spec.b, spec.h0, M, norm, rho=svd[1][0])
    rho = bound.rho
    if rho > 1.0 + tol:
        raise InputError(f"W is not contractive: ||W||_2 = {rho:.17g} > 1; no orthogonal dilation exists "
                         "(claim unitary.no_dilation_if_expansive), so this construction cannot apply")
    if rho >= 1.0 - tol and horizon is None:
        raise InputError(f"W is not contractive: ||W||_2 = {rho:.17g} (Theorem 1 needs ||W||_2 < 1); "
                         "for ||W||_2 = 1 give a finite horizon T (horizon=T, --horizon T) to use the "
                         "finite-horizon extension")
    if horizon is None:
        H = bound.H_star
    else:
        H = bound.beta_T(horizon) if rho >= 1.0 - tol else min(bound.beta_T(horizon), bound.H_star)
    beta = (1.0 + safety) * H + np.finfo(float).tiny
    if reduced:
        Wt, info = reduced_dilation(W, tol=tol, _svd=svd)
        r = info["r"]
    else:
        Wt, info = halmos_dilation(W, method=method, tol=tol, _svd=svd)
        r = n
    cplx = np.iscomplexobj(Wt) or any(np.iscomplexobj(a) for a in
                                       (spec.B, spec.b, spec.C, spec.d, spec.h0) if a is not None)
    dtype = complex if cplx else float
    m = n + r
    n_x = spec.m
    Ft = np.zeros((m, n_x), dtype=dtype)
    if n_x:
        Ft[:n] = spec.B
    bt = np.zeros(m, dtype=dtype)
    bt[:n] = spec.bias()
    bt[n:] = -beta * (1 + 1j) if cplx else -beta
    h0 = np.zeros(m, dtype=dtype)
    if spec.h0 is not None:
        h0[:n] = spec.h0
    # without a readout the output is the state h: the URNN then reads out its first block, C~ = [I, 0]
    Ct = np.zeros((spec.k if spec.C is not None else n, m), dtype=dtype)
    Ct[:, :n] = spec.C if spec.C is not None else np.eye(n)
    urnn = RNNSpec(W=Wt.astype(dtype), B=Ft if n_x else None, b=bt, C=Ct, d=spec.d, h0=h0,
                   activation="relu", time="discrete")
    defect = orthogonality_defect(urnn.W) if verify else None
    return URNNConstruction(rnn=spec, urnn=urnn, beta=float(beta), H_star=float(H), M=M, norm=norm,
                            horizon=horizon, r=r, rho=rho, orthogonality_error=defect,
                            method=info["method"], tol=tol, balance_D=balance_D)


# -- simulation ------------------------------------------------------------------------------------
def split_relu(z):
    r"""$\phi(z)=\mathrm{ReLU}(\operatorname{Re}z)+i\,\mathrm{ReLU}(\operatorname{Im}z)$ (real input: ReLU).

    >>> split_relu(np.array([1 - 2j, -1 + 3j])).tolist()
    [(1+0j), 3j]
    """
    z = np.asarray(z)
    if np.iscomplexobj(z):
        return np.maximum(z.real, 0.0) + 1j * np.maximum(z.imag, 0.0)
    return np.maximum(z, 0.0)


def _phi(spec: RNNSpec, complex_state: bool):
    if spec.activation == "relu":
        return split_relu
    if complex_state:
        raise InputError(f"complex networks are supported with activation relu (split-ReLU) only, "
                         f"got {spec.activation}")
    return spec.act.phi


def _as_inputs(X, n_x: int, name: str = "X") -> np.ndarray:
    X = np.asarray(X)
    if X.ndim == 1 and n_x <= 1:
        X = X.reshape(-1, n_x)
    if X.ndim != 2 or X.shape[1] != n_x:
        raise InputError(f"{name} must have shape (T, {n_x}) (one row per time step), got {X.shape}")
    if not np.all(np.isfinite(X)):
        raise InputError(f"{name} contains NaN or Inf")
    return X


def simulate(spec: RNNSpec, X, h0=None):
    r"""Run $h^{(k)}=\phi(Wh^{(k-1)}+Fx^{(k)}+b)$, $y^{(k)}=Ch^{(k)}+d$ for $k=0,\dots,T-1$.

    ``X`` has shape ``(T, n_x)``. Returns ``(H, Y)`` of shapes ``(T, n)`` and ``(T, n_y)`` (``Y`` is
    ``H`` when the network has no ``C``). Complex networks with ``relu`` use split-ReLU. Written
    without reference to any construction: it is the independent witness of the equivalence.

    >>> spec = RNNSpec(W=[[0.0]], B=[[1.0]], C=[[1.0]], activation="relu", time="discrete")
    >>> simulate(spec, [[2.0], [-1.0]])[1].ravel().tolist()
    [2.0, 0.0]
    """
    if spec.time != "discrete" or spec.form != "rnn" or spec.alpha is not None:
        raise InputError("simulate needs a plain discrete-time network (time=discrete, no alpha)")
    X = _as_inputs(X, spec.m)
    h = np.zeros(spec.n) if h0 is None else np.asarray(h0)
    if h0 is None and spec.h0 is not None:
        h = spec.h0
    cplx = any(np.iscomplexobj(a) for a in (spec.W, spec.B, spec.b, spec.C, spec.d, h, X) if a is not None)
    phi = _phi(spec, cplx)
    dtype = complex if cplx else float
    W, F, b = spec.W, spec.input_matrix(), spec.bias()
    T = X.shape[0]
    H = np.empty((T, spec.n), dtype=dtype)
    drive = X @ F.T + b if spec.m else np.broadcast_to(b, (T, spec.n))
    for k in range(T):
        h = phi(W @ h + drive[k])
        H[k] = h
    Y = H if spec.C is None else H @ spec.C.T + (0.0 if spec.d is None else spec.d)
    return H, Y


def extra_state_margin(cons: URNNConstruction, X) -> float:
    r"""$\mu=\max_{k,i}\big(W_{21}h^{(k-1)}+F_2x^{(k)}\big)_i-\beta$ along the *RNN* trajectory.

    $\mu\le0$ certifies that the extra states stay 0 on ``X`` (claim ``unitary.extra_block_silent``);
    for complex networks the max runs over real and imaginary parts. ``-inf`` for ``T = 0``."""
    X = _as_inputs(X, cons.rnn.m)
    H, _ = simulate(cons.rnn, X)
    n = cons.n
    h0 = np.zeros(n) if cons.rnn.h0 is None else cons.rnn.h0
    prev = np.vstack([h0[None, :], H[:-1]]) if len(H) else np.zeros((0, n))
    pre = prev @ cons.W21.T
    if cons.urnn.m:
        pre = pre + X @ cons.urnn.B[n:].T
    if pre.size == 0:
        return -math.inf
    if np.iscomplexobj(pre):
        return float(max(pre.real.max(), pre.imag.max()) - cons.beta)
    return float(pre.max() - cons.beta)


def sample_bounded_inputs(rng: np.random.Generator, n_x: int, T: int, M: float, N: int,
                          kinds: Sequence[str] = ("ball", "sphere", "constant_aligned"),
                          F=None, complex_inputs: bool = False) -> list:
    r"""``N`` input sequences of shape ``(T, n_x)`` with $\|x^{(k)}\|_2\le M$, cycling through ``kinds``.

    ``ball``: uniform in the ball; ``sphere``: on the sphere of radius $M$; ``constant_aligned``:
    $x^{(k)}=\pm Mv$ with $v$ the top right singular vector of ``F`` (random unit $v$ otherwise).

    >>> xs = sample_bounded_inputs(np.random.default_rng(1), 3, 5, 2.0, 3)
    >>> bool(max(np.linalg.norm(x, axis=1).max() for x in xs) <= 2.0 * (1 + 1e-15))
    True
    """
    M = validate_bound(M)
    out = []
    top = None
    if F is not None and np.size(F) and n_x:
        top = np.linalg.svd(np.asarray(F))[2][0].conj()

    def unit(size):
        g = rng.standard_normal(size)
        if complex_inputs:
            g = g + 1j * rng.standard_normal(size)
        nrm = np.linalg.norm(g, axis=-1, keepdims=True)
        return g / np.where(nrm == 0, 1.0, nrm)

    for i in range(N):
        kind = kinds[i % len(kinds)]
        if n_x == 0:
            out.append(np.zeros((T, 0)))
            continue
        if kind == "ball":
            x = unit((T, n_x)) * (M * rng.random((T, 1)) ** (1.0 / n_x))
        elif kind == "sphere":
            x = unit((T, n_x)) * M
        elif kind == "constant_aligned":
            v = top if (top is not None and i % 2 == 0) else unit(n_x)
            x = np.tile(M * v * (1 if (i // 2) % 2 == 0 else -1), (T, 1))
        else:
            raise InputError(f"kinds: unknown input kind {kind!r} (ball, sphere, constant_aligned)")
        out.append(x)
    return out


def check_io_equivalence(net_a: RNNSpec, net_b, inputs, rtol: float = 1e-12,
                         atol: float = 1e-12, input_bound: Optional[float] = None) -> dict:
    r"""Compare the outputs of two discrete networks on each sequence in ``inputs``.

    A sequence passes iff $\max|y_a-y_b|\le\mathrm{atol}+\mathrm{rtol}\max|y_a|$. Returns
    ``max_abs``, ``max_rel`` (= max|Δy| / (1 + max|y_a|)), ``equivalent``, ``first_failure``
    (``(sequence, time)`` or ``None``), ``exceeds_bound`` and ``warning``. Sampling can refute
    equivalence but never prove it; the proof is Theorem 1 plus a margin $\mu\le0$. When ``net_b``
    is a :class:`URNNConstruction` its URNN is simulated, ``margin`` ($\max\mu$ over the
    sequences) is returned, and inputs beyond its $M$ or horizon are flagged in ``warnings``.
    """
    cons = None
    if isinstance(net_b, URNNConstruction):
        cons, net_b = net_b, net_b.urnn
        inputs = list(inputs)
        if input_bound is None:
            input_bound = cons.M * (math.sqrt(cons.rnn.m) if cons.norm == "inf" else 1.0)
    for name, net in (("net_a", net_a), ("net_b", net_b)):
        if net.time != "discrete" or net.form != "rnn" or net.alpha is not None:
            raise InputError(f"{name} must be a plain discrete-time network (time=discrete, no alpha)")
    if net_a.m != net_b.m:
        raise InputError(f"net_b has {net_b.m} inputs but net_a has {net_a.m}; equivalence needs the same n_x")
    ka = net_a.k if net_a.C is not None else net_a.n
    kb = net_b.k if net_b.C is not None else net_b.n
    if ka != kb:
        raise InputError(f"net_b has {kb} outputs but net_a has {ka}; equivalence needs the same n_y")
    max_abs = max_rel = 0.0
    first = None
    max_norm = 0.0
    worst = None
    for i, X in enumerate(inputs):
        X = _as_inputs(X, net_a.m, name=f"inputs[{i}]")
        if X.size:
            max_norm = max(max_norm, float(np.linalg.norm(X, axis=1).max()))
        _, Ya = simulate(net_a, X)
        _, Yb = simulate(net_b, X)
        if Ya.size == 0:
            continue
        diff = np.abs(Ya - Yb)
        scale = float(np.abs(Ya).max())
        err = float(diff.max())
        rel = err / (1.0 + scale)
        if rel > max_rel or worst is None:
            worst = i
        max_abs, max_rel = max(max_abs, err), max(max_rel, rel)
        if first is None and err > atol + rtol * scale:
            t = int(np.argmax(diff.max(axis=1) > atol + rtol * scale))
            first = (i, t)
    out = {"max_abs": max_abs, "max_rel": max_rel, "equivalent": first is None,
           "first_failure": first, "worst_sequence": worst, "max_input_norm": max_norm,
           "exceeds_bound": False, "warning": None,
           "note": "sampling can refute equivalence but never prove it"}
    if input_bound is not None and max_norm > input_bound * (1 + 1e-12):
        out["exceeds_bound"] = True
        out["warning"] = (f"input exceeds the bound M={input_bound:g} used to build this URNN; "
                          f"max ||x|| = {max_norm:.6g}")
    if cons is not None:
        out["margin"] = max((extra_state_margin(cons, X) for X in inputs), default=-math.inf)
        out["warnings"] = sorted({w for X in inputs for w in cons.input_warnings(X)})
    return out


def search_counterexample(net_a: RNNSpec, net_b: RNNSpec, M: float, steps: int, trials: int,
                          rng: np.random.Generator, rtol: float = 1e-9, atol: float = 1e-12) -> dict:
    r"""Random search for an input sequence with $\|x^{(k)}\|_2\le M$ on which the outputs differ.

    Tries the zero sequence, then ``trials`` sequences cycling through uniform-in-ball, on-sphere
    and constant sequences aligned with the top right singular vectors of both input matrices.
    Returns the :func:`check_io_equivalence` summary plus ``counterexample`` (the sequence or ``None``).
    """
    M = validate_bound(M)
    n_x = net_a.m
    cplx = any(np.iscomplexobj(a) for a in (net_a.W, net_b.W, net_a.B, net_b.B) if a is not None)
    seqs = [np.zeros((steps, n_x))]
    half = max(trials // 2, 1)
    seqs += sample_bounded_inputs(rng, n_x, steps, M, half, F=net_a.B, complex_inputs=cplx)
    seqs += sample_bounded_inputs(rng, n_x, steps, M, max(trials - half, 1), F=net_b.B,
                                  complex_inputs=cplx)
    seqs = seqs[: trials + 1]
    res = check_io_equivalence(net_a, net_b, seqs, rtol=rtol, atol=atol)
    res["sequences_tried"] = len(seqs)
    res["counterexample"] = None if res["first_failure"] is None else seqs[res["first_failure"][0]]
    return res


# -- generators ------------------------------------------------------------------------------------
def haar_orthogonal(rng: np.random.Generator, n: int) -> np.ndarray:
    """Haar-distributed orthogonal matrix: QR of a Gaussian matrix with the signs of diag(R) fixed."""
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    return Q * np.sign(np.where(np.diag(R) == 0, 1.0, np.diag(R)))


def haar_unitary(rng: np.random.Generator, n: int) -> np.ndarray:
    """Haar-distributed unitary matrix (complex Gaussian QR, phases of diag(R) fixed)."""
    Z = (rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n))) / math.sqrt(2)
    Q, R = np.linalg.qr(Z)
    d = np.diag(R)
    return Q * (d / np.where(np.abs(d) == 0, 1.0, np.abs(d)))


def contractive_matrix(rng: np.random.Generator, n: int, rho: float, sigma=None,
                       complex_: bool = False) -> np.ndarray:
    r"""$W=U\Sigma V^{\mathsf H}$ with Haar $U,V$; singular values uniform on [0, 1] rescaled to max ``rho``
    (or exactly ``sigma`` if given), so that $\|W\|_2=\rho$.

    If every drawn value is 0 (a search's simplest draw), the largest singular value is still
    ``rho`` and the others 0: a rank-one $W$, not $W=0$."""
    haar = haar_unitary if complex_ else haar_orthogonal
    U, V = haar(rng, n), haar(rng, n)
    if sigma is None:
        s = rng.random(n)
        if s.max() > 0:
            scale = rho / s.max()
            # a subnormal largest draw would overflow rho / s.max(): normalise first
            s = s * scale if math.isfinite(scale) else (s / s.max()) * rho
        else:
            s[0] = rho
    else:
        s = np.asarray(sigma, dtype=float)
    return (U * s) @ V.conj().T


def random_relu_rnn(rng: np.random.Generator, n: int, rho: float, n_x: int = 2, n_y: int = 2,
                    with_d: bool = True, complex_: bool = False, sigma=None) -> RNNSpec:
    """Random ReLU RNN of claim ``unitary.relu_equivalence_2n``: ‖W‖₂ = rho, F, b, C ~ N(0, 1), h0 ~ 3 N(0, 1)."""
    def g(*shape):
        a = rng.standard_normal(shape)
        return a + 1j * rng.standard_normal(shape) if complex_ else a
    W = contractive_matrix(rng, n, rho, sigma=sigma, complex_=complex_)
    return RNNSpec(W=W, B=g(n, n_x) if n_x else None, b=g(n), C=g(n_y, n), d=g(n_y) if with_d else None,
                   h0=3 * g(n), activation="relu", time="discrete")


def reparameterize(spec: RNNSpec, T, cond_max: float = 1e12) -> RNNSpec:
    r"""$(TWT^{-1}, TF, Tb, CT^{-1}, Th_{-1}, d)$ (claims ``unitary.reparam_identity``, ``unitary.reparam_relu``).

    Equivalent for the identity activation and any invertible $T$; for ReLU only for
    $T=DP$ (positive diagonal times permutation). Raises :class:`InputError` naming ``T`` if it is
    not square of size n, or singular / ill-conditioned (cond > ``cond_max``).

    >>> spec = RNNSpec(W=[[0.5]], C=[[1.0]], time="discrete", activation="linear")
    >>> reparameterize(spec, [[2.0]]).C.tolist()
    [[0.5]]
    """
    T = np.asarray(T, dtype=float)
    if T.shape != (spec.n, spec.n):
        raise InputError(f"T must have shape ({spec.n}, {spec.n}), got {T.shape}")
    if not np.all(np.isfinite(T)):
        raise InputError("T contains NaN or Inf")
    cond = float(np.linalg.cond(T))
    if not cond < cond_max:
        raise InputError(f"T is singular or ill-conditioned: cond(T) = {cond:.3g} > {cond_max:.0e}")
    Tinv_W = np.linalg.solve(T.T, (T @ spec.W).T).T  # T W T^{-1} without forming T^{-1}
    C = None if spec.C is None else np.linalg.solve(T.T, spec.C.T).T
    return spec.replace(W=Tinv_W, B=None if spec.B is None else T @ spec.B,
                        b=None if spec.b is None else T @ spec.b, C=C,
                        h0=None if spec.h0 is None else T @ spec.h0)


def complete_orthogonal(cols, rng: np.random.Generator) -> np.ndarray:
    """A random orthogonal completion ``[cols, N Q]`` of orthonormal columns (N = null space basis, Q Haar)."""
    from scipy.linalg import null_space
    cols = np.asarray(cols, dtype=float)
    N = null_space(cols.T)
    return np.hstack([cols, N @ haar_orthogonal(rng, N.shape[1])]) if N.shape[1] else cols


# -- Theorems 2 and 3 ------------------------------------------------------------------------------
def svd_rank(A, rtol: float = 1e-10):
    """Numerical rank with relative tolerance; returns ``(rank, gap)`` (gap = σ_r/σ_{r+1}, inf if none)."""
    A = np.atleast_2d(np.asarray(A))
    if A.size == 0:
        return 0, math.inf
    s = np.linalg.svd(A, compute_uv=False)
    if s[0] == 0:
        return 0, math.inf
    r = int((s > rtol * s[0]).sum())
    gap = math.inf if r == len(s) or s[r] == 0 else float(s[r - 1] / s[r]) if r > 0 else 0.0
    return r, gap


def _unit_scale(X: np.ndarray) -> np.ndarray:
    """``X`` times a power of two that brings max|X| near 1 when it lies outside [2⁻¹⁰⁰, 2¹⁰⁰]
    (exact; spans are unchanged), so that norms of tiny or huge data neither underflow nor overflow."""
    top = float(np.abs(X).max(initial=0.0))
    if top == 0 or 2.0 ** -100 <= top <= 2.0 ** 100 or not math.isfinite(top):
        return X
    return np.ldexp(X, -np.frexp(top)[1])


def orthonormal_krylov(A, B, k: int, rtol: float = 1e-12) -> np.ndarray:
    r"""Orthonormal basis $Q$ of $\operatorname{span}\{AB,\dots,A^kB\}$ (block Arnoldi).

    Each new block is $A$ times the previous *orthonormal* block, orthogonalised twice against the
    basis (classical Gram-Schmidt with re-orthogonalisation) and normalised; vectors whose norm
    after projection falls below ``rtol`` times their norm before it are dropped. Raw powers
    $A^jB$ are never formed (their columns decay like $4^{-j}$ for sigmoid slopes).
    Hand-written because scipy has no block Arnoldi with deflation.
    """
    A = _unit_scale(np.asarray(A, dtype=float))
    B = _unit_scale(np.atleast_2d(np.asarray(B, dtype=float)))
    m = A.shape[0]
    Q = np.zeros((m, 0))
    block = B
    for _ in range(k):
        block = A @ block
        new = []
        for v in block.T:
            nv0 = np.linalg.norm(v)
            if nv0 == 0:
                continue
            for _pass in range(2):
                if Q.shape[1]:
                    v = v - Q @ (Q.T @ v)
            nv = np.linalg.norm(v)
            if nv <= rtol * nv0 or Q.shape[1] >= m:
                continue
            v = v / nv
            Q = np.column_stack([Q, v])
            new.append(v)
        if not new:
            break
        block = np.column_stack(new)
    return Q


def smooth_jacobians(Wt, Ft, bt, h0t, phi, dphi, horizon: int, xbar=None):
    r"""Exact Jacobians $J_{t,s}=\partial\tilde h^{(t)}/\partial x^{(s)}$ along a constant input $\bar x$.

    Forward recursion $J_{t,t}=D_t\tilde F$, $J_{t,s}=D_t\tilde W J_{t-1,s}$ with
    $D_t=\operatorname{diag}(\phi'(\tilde z^{(t)}))$ (no finite differences). Returns a dict
    ``{(t, s): J}`` for $0\le s\le t<$ ``horizon``."""
    Wt, Ft = np.asarray(Wt, float), np.atleast_2d(np.asarray(Ft, float))
    n_x = Ft.shape[1]
    xbar = np.zeros(n_x) if xbar is None else np.asarray(xbar, float)
    h = np.asarray(h0t, float)
    J = {}
    for t in range(horizon):
        z = Wt @ h + Ft @ xbar + bt
        D = dphi(z)
        h = phi(z)
        for s in range(t):
            J[(t, s)] = D[:, None] * (Wt @ J[(t - 1, s)])
        J[(t, t)] = D[:, None] * Ft
    return J


def memoryless_certificate(J: dict, horizon: int, target: float = 0.25, dps: Optional[int] = None):
    r"""Least-squares residual of $\min_{\tilde C}\sum_{s<t}\|\tilde CJ_{t,s}\|^2+\sum_t(\tilde CJ_{t,t}-g)^2$.

    A residual $>0$ certifies that no read-out $\tilde C$ makes the URNN state model reproduce the
    memoryless map $y^{(k)}=\sigma(x^{(k)})$, whose Jacobians are $g=\sigma'(0)=1/4$ on the diagonal
    and 0 below it (claim ``unitary.smooth_no_urnn``). ``dps`` solves in mpmath at that precision
    (QR least squares). Returns ``(residual, C)``. One scalar input and output."""
    rows, rhs = [], []
    for t in range(horizon):
        for s in range(t + 1):
            rows.append(np.ravel(J[(t, s)]))
            rhs.append(target if s == t else 0.0)
    A = np.array(rows)
    y = np.array(rhs)
    if dps is None:
        C, *_ = np.linalg.lstsq(A, y, rcond=None)
        return float(np.linalg.norm(A @ C - y)), C
    import mpmath
    with mpmath.mp.workdps(dps):
        Am = mpmath.matrix(A.tolist())
        ym = mpmath.matrix(y.tolist())
        C, res = mpmath.qr_solve(Am, ym)
        return float(res), np.array([float(c) for c in C])


def _rank_gap(s, rtol, ref):
    """Rank of singular values ``s`` relative to the scale ``ref``, and the gap at the cut (the
    kept level is ``ref`` itself when nothing is kept)."""
    if s.size == 0 or s[0] == 0 or ref == 0:
        return 0, math.inf
    r = int((s > rtol * ref).sum())
    gap = math.inf if r == len(s) or s[r] == 0 else float((s[r - 1] if r > 0 else ref) / s[r])
    return r, gap


def hankel_rank_test(A, B, C, rtol: float = 1e-10, gap_required: float = 1e4, dps: Optional[int] = None):
    r"""Compare ranks of the block Hankel matrices $H=[G_{i+j}]$ and $H^\sigma=[G_{i+j+1}]$, $G_j=CA^jB$.

    Claim ``unitary.minimal_realization_nonsingular``: $A_{\min}$ is nonsingular iff
    $\operatorname{rank}H^\sigma=\operatorname{rank}H$. With ``dps`` the Markov parameters and
    singular values are computed in mpmath at that precision (the float64 data taken as exact;
    use a relative ``rtol`` such as 1e-30 then). Both ranks are relative to one scale, the larger
    top singular value of $H$ and $H^\sigma$ (they hold the same Markov parameters; a separate
    scale would count a mode far below the data's scale in one and not the other). Returns both
    ranks, the singular-value gaps and ``conclusive`` (both gaps $\ge$ ``gap_required``)."""
    A, B, C = (np.atleast_2d(np.asarray(a, float)) for a in (A, B, C))
    n = A.shape[0]
    if dps is None:
        G = [C @ B]
        P = B
        for _ in range(2 * n):
            P = A @ P
            G.append(C @ P)
        H = np.block([[G[i + j] for j in range(n)] for i in range(n)])
        Hs = np.block([[G[i + j + 1] for j in range(n)] for i in range(n)])
        s1 = np.linalg.svd(H, compute_uv=False)
        s2 = np.linalg.svd(Hs, compute_uv=False)
    else:
        import mpmath
        with mpmath.mp.workdps(dps):
            Am, Bm, Cm = (mpmath.matrix(X.tolist()) for X in (A, B, C))
            G = [Cm * Bm]
            P = Bm
            for _ in range(2 * n):
                P = Am * P
                G.append(Cm * P)
            p, q = G[0].rows, G[0].cols

            def block(shift):
                M = mpmath.matrix(n * p, n * q)
                for i in range(n):
                    for j in range(n):
                        Gij = G[i + j + shift]
                        for a in range(p):
                            for b in range(q):
                                M[i * p + a, j * q + b] = Gij[a, b]
                return M
            S1 = mpmath.svd_r(block(0), compute_uv=False)
            S2 = mpmath.svd_r(block(1), compute_uv=False)
            top = max(max(S1) if len(S1) else 0, max(S2) if len(S2) else 0, 1e-300)
            # relative values as floats (ratios below 1e-300 are 0 for the decision)
            s1 = np.array(sorted((float(v / top) for v in S1), reverse=True))
            s2 = np.array(sorted((float(v / top) for v in S2), reverse=True))
    ref = max(float(s1[0]) if s1.size else 0.0, float(s2[0]) if s2.size else 0.0)
    r1, g1 = _rank_gap(s1, rtol, ref)
    r2, g2 = _rank_gap(s2, rtol, ref)
    return {"rank_H": r1, "rank_Hs": r2, "gap_H": g1, "gap_Hs": g2, "nonsingular": r1 == r2,
            "conclusive": min(g1, g2) >= gap_required, "dps": dps}


def _orth_span(A, B, k, rtol):
    B = np.atleast_2d(np.asarray(B, float))
    Q0, s, _ = np.linalg.svd(B, full_matrices=False)
    Q0 = Q0[:, s > rtol * (s[0] if s.size and s[0] > 0 else 1.0)] if s.size and s[0] > 0 else Q0[:, :0]
    K = orthonormal_krylov(A, B, k, rtol)
    if K.shape[1] == 0:
        return Q0
    M = np.hstack([Q0, K])
    U, s, _ = np.linalg.svd(M, full_matrices=False)
    return U[:, s > rtol * s[0]] if s.size and s[0] > 0 else U[:, :0]


def minimal_realization(A, B, C, rtol: float = 1e-10):
    r"""Minimal realization by orthonormal staircase: restrict to the controllable subspace, then
    to the observable one (both spanned by orthonormal Krylov bases). Returns ``(A_min, B_min, C_min)``.

    A second route to the Hankel test of claim ``unitary.minimal_realization_nonsingular``."""
    A, B, C = (np.atleast_2d(np.asarray(a, float)) for a in (A, B, C))
    nn = A.shape[0]
    Qc = _orth_span(A, B, nn, rtol)
    Ac, Bc, Cc = Qc.T @ A @ Qc, Qc.T @ B, C @ Qc
    if Ac.size == 0:
        return Ac, Bc, Cc
    Qo = _orth_span(Ac.T, Cc.T, Ac.shape[0], rtol)
    return Qo.T @ Ac @ Qo, Qo.T @ Bc, Cc @ Qo


def sigmoid_fixed_point(Wt, Ft, bt, x, dps: Optional[int] = None, maxiter: int = 100):
    r"""The fixed point $\bar h=\sigma(\tilde W\bar h+\tilde Fx+\tilde b)$ by Newton's method.

    Falls back to mpmath (``dps`` digits, ``findroot``) if Newton does not converge to 1e-15.
    Hand-written Newton because the residual Jacobian $I-D\tilde W$ is explicit and cheap."""
    from scipy.special import expit
    Wt = np.asarray(Wt, float)
    c = np.asarray(Ft, float) @ np.atleast_1d(x) + bt
    h = np.full(Wt.shape[0], 0.5)
    for _ in range(maxiter):
        z = Wt @ h + c
        s = expit(z)
        g = h - s
        if np.abs(g).max() < 1e-15:
            return h
        Jg = np.eye(len(h)) - (s * (1 - s))[:, None] * Wt
        h = h - np.linalg.solve(Jg, g)
    import mpmath
    with mpmath.mp.workdps(dps or 50):
        f = lambda *v: [vi - 1 / (1 + mpmath.exp(-(sum(Wt[i, j] * v[j] for j in range(len(v))) + c[i])))
                        for i, vi in enumerate(v)]
        sol = mpmath.findroot(f, list(h))
        return np.array([float(v) for v in (sol if hasattr(sol, "__len__") else [sol])])


# -- experiments -----------------------------------------------------------------------------------
def polar_factor(W):
    r"""$UV^{\mathsf T}$ from $W=U\Sigma V^{\mathsf T}$ and whether it is unique (W nonsingular).

    Nearest orthogonal matrix in the Frobenius norm (claim ``unitary.orthogonal_projection``)."""
    U, s, Vh = np.linalg.svd(np.asarray(W, float))
    unique = bool(s[-1] > s[0] * 1e-12) if s[0] > 0 else False
    return U @ Vh, unique


def clip_singular_values(W, cap: float = 1.0):
    r"""$U\min(\Sigma,1)V^{\mathsf T}$: nearest matrix with $\|\cdot\|_2\le1$ (the authors' ContRNN)."""
    U, s, Vh = np.linalg.svd(np.asarray(W, float))
    return (U * np.minimum(s, cap)) @ Vh


def teacher_matrix(rng: np.random.Generator, n: int = 4, eps: float = 0.01, normalized: bool = True):
    r"""Teacher recurrent matrix: $I-\varepsilon A^{\mathsf T}A/\|A\|_2^2$ (poster) or $I-\varepsilon A^{\mathsf T}A$ (code)."""
    A = rng.standard_normal((n, n))
    G = A.T @ A
    if normalized:
        G = G / np.linalg.norm(A, 2) ** 2
    return np.eye(n) - eps * G, A


def optimal_r2(snr_db) -> float:
    r"""$R^2_{\mathrm{opt}}=1/(1+10^{-\mathrm{SNR}/10})$; $+\infty\mapsto1$, $-\infty\mapsto0$; NaN raises."""
    snr = float(snr_db)
    if math.isnan(snr):
        raise InputError("snr_db must be a number or +-inf, got NaN")
    if snr == math.inf:
        return 1.0
    if snr == -math.inf:
        return 0.0
    return 1.0 / (1.0 + 10.0 ** (-snr / 10.0))


def r2_monte_carlo(rng: np.random.Generator, snr_db: float, N: int = 20000, reps: int = 20):
    r"""Monte Carlo $R^2=1-\mathrm{MSE}/\overline{Y^2}$ of the noiseless predictor; returns (mean, stderr)."""
    vals = []
    for _ in range(reps):
        y0 = rng.standard_normal(N) * 1.7 + 0.3 * rng.standard_normal()
        p = np.mean(y0 ** 2)
        y = y0 + rng.standard_normal(N) * math.sqrt(p * 10 ** (-snr_db / 10))
        vals.append(1 - np.mean((y - y0) ** 2) / np.mean(y ** 2))
    vals = np.array(vals)
    return float(vals.mean()), float(vals.std(ddof=1) / math.sqrt(reps))
