r"""Response theory of stochastic RNNs, numerically (Lim 2021, arXiv:2006.11052; never imports SymPy).

The model is the SRNN (the continuous-time stochastic RNN of the paper)

.. math:: dh_t=\big[-\Gamma h_t+a(Wh_t+b)+\varepsilon C u(t)\big]dt+\sigma\,dW_t,\qquad
          y_t=f(h_t)=Ah_t+\tfrac12 h_t^\top Q h_t + d,

held in :class:`SRNN` (``C`` is the *input* matrix, as in the response claims; the network file calls it
``B`` and calls the readout ``C``: :func:`srnn_from_spec` translates).

Catalogue
---------
Model and inputs
    SRNN, srnn_from_spec, PiecewiseLinearInput, activation_derivatives
Fixed points (claims ``contraction_fixed_point``, ``fixed_point_design``)
    fixed_point, design_bias, spectral_abscissa, log_norm_bound
Deterministic kernels (``det_*``, ``variational_hierarchy``)
    hierarchy, kernel1, kernel2_ordered, ode_outputs, volterra_coefficients
Ornstein–Uhlenbeck (``ou_closed_form``)
    ou_stationary, ou_mean_shift, ou_moment_ode
One-dimensional SRNN (``oned_*``)
    oned_log_density, oned_density, GridChain, grid_chain
Finite-state chains (``volterra_series``)
    chain_stationary, chain_block_response, chain_hierarchy_ode, chain_kernel1, chain_kernel2
Monte Carlo (``mc_crn_central_differences``, ``girsanov_chaos``, ``em_weak_bias``)
    em_burn_in, em_crn, fd_weights, crn_coefficients, girsanov_coefficients, em_stability_limit
Lie brackets and the response feature (``lie_brackets``, ``response_feature_expansion``)
    bracket_fields_at_fixed_point, feature_coefficients, x_signature_levels,
    x_word_signature_piecewise_constant, exponential_basis_features
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional, Sequence

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
from scipy.integrate import solve_ivp
from scipy.sparse.linalg import expm_multiply

from .errors import InputError

__all__ = [
    "SRNN", "srnn_from_spec", "PiecewiseLinearInput", "SmoothInput", "activation_derivatives",
    "girsanov_theta", "kernel_ridge",
    "fixed_point", "design_bias", "spectral_abscissa", "log_norm_bound",
    "hierarchy", "kernel1", "kernel2_ordered", "ode_outputs", "volterra_coefficients",
    "ou_stationary", "ou_mean_shift", "ou_moment_ode",
    "oned_log_density", "oned_density", "GridChain", "grid_chain",
    "chain_stationary", "chain_block_response", "chain_hierarchy_ode", "chain_kernel1", "chain_kernel2",
    "em_burn_in", "em_crn", "fd_weights", "crn_coefficients", "girsanov_coefficients",
    "em_stability_limit", "compositions",
    "bracket_fields_at_fixed_point", "feature_coefficients", "x_signature_levels",
    "x_word_signature_piecewise_constant", "exponential_basis_features",
]


# ---------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class SRNN:
    r"""An SRNN with a linear-plus-quadratic readout (the SRNN of the module docstring).

    Parameters
    ----------
    Gamma : (n, n) leak matrix.     W : (n, n).     b : (n,).     C : (n, m) input matrix.
    sigma : (n, r) noise matrix (zeros for the deterministic network).
    A : (p, n) readout.   Q : (p, n, n) symmetric quadratic readout $f_k=A_kh+\frac12h^\top Q_kh+d_k$,
    or ``None``.   d : (p,) offset.   activation : ``tanh``, ``sigmoid``, ``softplus``, ``linear``.
    """

    Gamma: np.ndarray
    W: np.ndarray
    b: np.ndarray
    C: np.ndarray
    sigma: np.ndarray
    A: np.ndarray
    Q: Optional[np.ndarray] = None
    d: Optional[np.ndarray] = None
    activation: str = "tanh"

    def __post_init__(self):
        n = np.asarray(self.W).shape[0]
        for name, ndim in (("Gamma", 2), ("W", 2), ("b", 1), ("C", 2), ("sigma", 2), ("A", 2)):
            arr = np.array(getattr(self, name), dtype=float)
            if arr.ndim != ndim:
                raise InputError(f"{name} must have {ndim} dimension(s), got shape {arr.shape}")
            if not np.all(np.isfinite(arr)):
                raise InputError(f"{name} contains NaN or Inf; every entry must be finite")
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        if self.Gamma.shape != (n, n) or self.W.shape != (n, n) or self.b.shape != (n,):
            raise InputError(f"Gamma, W must be ({n}, {n}) and b ({n},); got {self.Gamma.shape}, "
                             f"{self.W.shape}, {self.b.shape}")
        if self.C.shape[0] != n or self.sigma.shape[0] != n or self.A.shape[1] != n:
            raise InputError(f"C and sigma need {n} rows and A {n} columns; got C {self.C.shape}, "
                             f"sigma {self.sigma.shape}, A {self.A.shape}")
        if self.Q is not None:
            Q = np.array(self.Q, dtype=float)
            if Q.shape != (self.A.shape[0], n, n):
                raise InputError(f"Q must have shape ({self.A.shape[0]}, {n}, {n}), got {Q.shape}")
            Q = 0.5 * (Q + Q.transpose(0, 2, 1))
            Q.setflags(write=False)
            object.__setattr__(self, "Q", Q)
        d = np.zeros(self.A.shape[0]) if self.d is None else np.array(self.d, dtype=float)
        d.setflags(write=False)
        object.__setattr__(self, "d", d)
        if self.activation not in _ACT_DERIVATIVE_ORDER:
            raise InputError(f"activation must be one of {', '.join(_ACT_DERIVATIVE_ORDER)} "
                             f"(kernels of order >= 2 need a smooth activation), got {self.activation!r}")

    @property
    def n(self) -> int:
        return self.W.shape[0]

    @property
    def m(self) -> int:
        return self.C.shape[1]

    @property
    def p(self) -> int:
        return self.A.shape[0]

    @property
    def deterministic(self) -> bool:
        return not np.any(self.sigma)

    def replace(self, **changes) -> "SRNN":
        kw = {k: getattr(self, k) for k in ("Gamma", "W", "b", "C", "sigma", "A", "Q", "d", "activation")}
        kw.update(changes)
        return SRNN(**kw)

    # -- drift, derivatives, readout ----------------------------------------------------------
    def drift(self, h):
        r"""$F(h)=-\Gamma h+a(Wh+b)$ for ``h`` of shape (..., n)."""
        h = np.asarray(h, dtype=float)
        return -h @ self.Gamma.T + activation_derivatives(self.activation, h @ self.W.T + self.b, 0)[0]

    def jacobian(self, h):
        r"""$DF(h)=-\Gamma+\operatorname{diag}(a'(Wh+b))W$."""
        z = self.W @ np.asarray(h, float) + self.b
        return -self.Gamma + activation_derivatives(self.activation, z, 1)[1][:, None] * self.W

    def readout(self, h):
        """$f(h)$ for ``h`` of shape (..., n) -> (..., p)."""
        h = np.asarray(h, dtype=float)
        y = h @ self.A.T + self.d
        if self.Q is not None:
            y = y + 0.5 * np.einsum("...i,kij,...j->...k", h, self.Q, h)
        return y

    def readout_gradient(self, h):
        """$\\nabla f(h)^\\top$ as a (p, n) matrix."""
        g = np.array(self.A)
        if self.Q is not None:
            g = g + self.Q @ np.asarray(h, float)
        return g

    def Sigma(self):
        return self.sigma @ self.sigma.T


_ACT_DERIVATIVE_ORDER = ("tanh", "sigmoid", "softplus", "linear")


@lru_cache(maxsize=None)
def _poly_chain(kind: str, order: int):
    # a^{(k)} as a polynomial in T = a(z): d/dz P(T) = P'(T) a'(z) with a' = 1 - T^2 (tanh) or
    # T(1 - T) (sigmoid). Hand-written because no library gives arbitrary-order derivatives of
    # these activations as vectorised functions.
    P = np.polynomial.Polynomial
    base = P([1.0, 0.0, -1.0]) if kind == "tanh" else P([0.0, 1.0, -1.0])
    polys = [P([0.0, 1.0])]
    for _ in range(order):
        polys.append(polys[-1].deriv() * base)
    return tuple(polys)


def activation_derivatives(name: str, z, order: int) -> list:
    r"""$[a(z), a'(z), \dots, a^{(order)}(z)]$ elementwise, for smooth activations.

    Examples
    --------
    >>> z = np.array([-0.3, 0.0, 0.7])
    >>> d = activation_derivatives("tanh", z, 3)
    >>> bool(np.allclose(d[1], 1 - np.tanh(z) ** 2)) and bool(np.allclose(d[3][1], -2.0))
    True
    """
    z = np.asarray(z, dtype=float)
    if name == "linear":
        return [z * 1.0, np.ones_like(z)] + [np.zeros_like(z)] * (order - 1) if order >= 1 else [z * 1.0]
    if name == "tanh":
        T = np.tanh(z)
        return [p(T) for p in _poly_chain("tanh", order)]
    if name == "sigmoid":
        S = 0.5 * (1.0 + np.tanh(0.5 * z))
        return [p(S) for p in _poly_chain("sigmoid", order)]
    if name == "softplus":
        S = 0.5 * (1.0 + np.tanh(0.5 * z))
        return [np.logaddexp(0.0, z)] + [p(S) for p in _poly_chain("sigmoid", max(order - 1, 0))][:order]
    raise InputError(f"activation must be one of {', '.join(_ACT_DERIVATIVE_ORDER)}; {name!r} has no "
                     "derivatives of every order (its kernels of order >= 2 are distributions)")


def srnn_from_spec(spec) -> SRNN:
    """The :class:`SRNN` of a network file (``form="srnn"``; a plain continuous ``rnn`` with
    ``tau`` is not this model). Network-file ``B`` is the input matrix and ``C, d`` the readout."""
    if spec.form != "srnn":
        raise InputError("the network file must have form='srnn' (with gamma, optional sigma); got "
                         f"form={spec.form!r}")
    n = spec.n
    if spec.B is None:
        raise InputError("the network file has no input matrix B; the Volterra expansion needs one")
    A = np.eye(n) if spec.C is None else spec.C
    d = np.zeros(A.shape[0]) if spec.d is None else spec.d
    if spec.sigma is None:
        sigma = np.zeros((n, n))
    elif np.ndim(spec.sigma) == 0:
        sigma = float(spec.sigma) * np.eye(n)
    else:
        sigma = np.asarray(spec.sigma)
    return SRNN(Gamma=np.diag(spec.gamma), W=spec.W, b=spec.bias(), C=spec.B, sigma=sigma, A=A, d=d,
                activation=spec.activation)


@dataclass(frozen=True, eq=False)
class PiecewiseLinearInput:
    """An input $u(t)$, linear between samples ``u[i]`` at times ``t[i]`` (``t[0] = 0``, increasing);
    constant after the last sample."""

    t: np.ndarray
    u: np.ndarray

    def __post_init__(self):
        t = np.array(self.t, dtype=float)
        u = np.array(self.u, dtype=float)
        if t.ndim != 1 or t.size < 2:
            raise InputError(f"t must be a 1-D array of at least 2 times, got shape {t.shape}")
        if not np.all(np.isfinite(t)):
            raise InputError("t contains NaN or Inf; every time must be finite")
        if t[0] != 0.0:
            raise InputError(f"t must start at 0 (the input is switched on at t = 0), got t[0] = {t[0]:.6g}")
        if np.any(np.diff(t) <= 0):
            i = int(np.argmax(np.diff(t) <= 0))
            raise InputError(f"t must be strictly increasing; t[{i + 1}] = {t[i + 1]:.6g} <= t[{i}] = {t[i]:.6g}")
        if u.ndim == 1:
            u = u[:, None]
        if u.ndim != 2 or u.shape[0] != t.size:
            raise InputError(f"u must have shape (len(t), m) = ({t.size}, m), got {np.shape(self.u)}")
        if not np.all(np.isfinite(u)):
            raise InputError("u contains NaN or Inf; every input sample must be finite")
        t.setflags(write=False)
        u.setflags(write=False)
        object.__setattr__(self, "t", t)
        object.__setattr__(self, "u", u)

    @property
    def m(self) -> int:
        return self.u.shape[1]

    @property
    def T(self) -> float:
        return float(self.t[-1])

    def __call__(self, s):
        s = np.asarray(s, dtype=float)
        return np.stack([np.interp(s, self.t, self.u[:, k]) for k in range(self.m)], axis=-1)


@dataclass(frozen=True, eq=False)
class SmoothInput:
    """A smooth input ``fn(s) -> (m,)`` (vectorised: (q,) -> (q, m)) on $[0, T]$, for checks that
    need quadrature of smooth integrands; ``t = [0, T]`` (no interior kinks)."""

    fn: object
    T: float
    m: int

    @property
    def t(self):
        return np.array([0.0, float(self.T)])

    def __call__(self, s):
        return np.asarray(self.fn(np.asarray(s, float)), float)


def girsanov_theta(model: "SRNN", u_steps):
    r"""$\theta_j=\sigma^+Cu_j$ (claim ``response.girsanov_chaos``); raises naming ``sigma`` when a
    column of $C$ is not in the range of $\sigma$ ($\max|\sigma\sigma^+C-C|>10^{-10}\max|C|$)."""
    pinv = np.linalg.pinv(model.sigma)
    # max-abs, not the Frobenius norm: numpy's norm squares the entries, which underflow to 0 for
    # |C| below ~1e-154 and let a C outside the range pass
    if np.max(np.abs(model.sigma @ pinv @ model.C - model.C), initial=0.0) > 1e-10 * np.max(np.abs(model.C), initial=0.0):
        raise InputError("sigma: the input directions C are not in the range of sigma, so the "
                         "Girsanov (output-noise correlation) form does not apply")
    return np.asarray(u_steps, float) @ (pinv @ model.C).T


def kernel_ridge(K, y, ridge: float):
    r"""Dual coefficients $\beta=(K+\lambda I)^{-1}y$ (claim ``response.kernel_machine``); raises
    naming ``ridge`` when $\lambda=0$ and $K$ is singular."""
    K = np.asarray(K, float)
    if ridge < 0:
        raise InputError(f"ridge must be non-negative, got {ridge}")
    if ridge == 0 and np.linalg.matrix_rank(K) < K.shape[0]:
        raise InputError("ridge = 0 with a singular kernel matrix K: use ridge > 0")
    return sla.solve(K + ridge * np.eye(K.shape[0]), y, assume_a="pos")


# ---------------------------------------------------------------------------------------------
# Fixed points
# ---------------------------------------------------------------------------------------------
def spectral_abscissa(M) -> float:
    """Largest real part of the eigenvalues of ``M``."""
    return float(np.max(np.linalg.eigvals(np.asarray(M, float)).real))


def log_norm_bound(Gamma, W, L: float = 1.0) -> float:
    r"""$\kappa=\gamma_{\min}-L\|W\|_2$ with $\gamma_{\min}=\lambda_{\min}(\mathrm{sym}\,\Gamma)$
    (claim ``response.contraction_fixed_point``); the contraction hypothesis is $\kappa>0$."""
    G = np.asarray(Gamma, float)
    return float(np.linalg.eigvalsh(0.5 * (G + G.T)).min() - L * np.linalg.norm(W, 2))


def design_bias(Gamma, W, h_star, activation: str = "tanh"):
    r"""$b=a^{-1}(\Gamma h^*)-Wh^*$, so that $F(h^*)=0$ exactly (claim ``response.fixed_point_design``).

    Examples
    --------
    >>> G, W, h = np.diag([1.0, 2.0]), np.array([[0.1, -0.3], [0.2, 0.4]]), np.array([0.3, -0.2])
    >>> b = design_bias(G, W, h)
    >>> float(np.max(np.abs(-G @ h + np.tanh(W @ h + b)))) < 1e-15
    True
    """
    h_star = np.asarray(h_star, float)
    target = np.asarray(Gamma, float) @ h_star
    if activation == "tanh":
        if np.max(np.abs(target)) >= 1:
            raise InputError(f"h_star must satisfy |Gamma h_star| < 1 componentwise for tanh, got "
                             f"max |Gamma h_star| = {np.max(np.abs(target)):.6g}")
        if np.max(np.abs(target)) > 1 - 1e-8:
            import warnings
            warnings.warn(f"h_star: max |Gamma h_star| = {np.max(np.abs(target)):.12g} is within 1e-8 of 1, so "
                          "b = artanh(Gamma h_star) - W h_star is ill-conditioned", RuntimeWarning, stacklevel=2)
        inv = np.arctanh(target)
    elif activation == "sigmoid":
        if np.any((target <= 0) | (target >= 1)):
            raise InputError("h_star must satisfy 0 < Gamma h_star < 1 componentwise for sigmoid")
        inv = np.log(target) - np.log1p(-target)
    elif activation == "linear":
        inv = target
    else:
        raise InputError(f"activation must be invertible (tanh, sigmoid, linear) for the design, got {activation!r}")
    return inv - np.asarray(W, float) @ h_star


def fixed_point(model: SRNN, guesses: Sequence = (), require_stable: bool = True):
    r"""A fixed point $h^*$ of $F$ and $J=DF(h^*)$ (Newton via ``scipy.optimize.root``).

    Starts from ``guesses``, from 0, and from the end of a long ODE run from 0. Raises
    :class:`InputError` when no root is found, or (``require_stable``) when $J$ is not Hurwitz --
    the message gives the largest real part of its spectrum.
    """
    from scipy.optimize import root
    n = model.n
    starts = [np.asarray(g, float) for g in guesses] + [np.zeros(n)]
    try:
        sol = solve_ivp(lambda t, h: model.drift(h), (0.0, 200.0), np.zeros(n), method="LSODA",
                        rtol=1e-8, atol=1e-10)
        if sol.success and np.all(np.isfinite(sol.y[:, -1])):
            starts.append(sol.y[:, -1])
    except Exception:  # pragma: no cover - the ODE start is only a convenience
        pass
    best = None
    for h0 in starts:
        res = root(model.drift, h0, jac=model.jacobian, method="hybr", tol=1e-14)
        if not np.all(np.isfinite(res.x)):
            continue
        r = float(np.max(np.abs(model.drift(res.x))))
        scale = 1.0 + float(np.max(np.abs(model.Gamma @ res.x)))
        if r <= 1e-11 * scale and (best is None or r < best[1]):
            best = (res.x, r)
    if best is None:
        raise InputError("no fixed point of the network was found (Newton from 0 and from a long run "
                         "of the ODE did not converge); the Volterra expansion needs one")
    h = best[0]
    J = model.jacobian(h)
    alpha = spectral_abscissa(J)
    if require_stable and alpha >= 0:
        raise InputError(f"the fixed point h* = {np.array2string(h, precision=4)} is not stable: the "
                         f"largest real part of the Jacobian's spectrum is {alpha:.6g} >= 0")
    return h, J


# ---------------------------------------------------------------------------------------------
# Deterministic kernels: variational hierarchy
# ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def compositions(n: int, j: int) -> tuple:
    """Ordered compositions of ``n`` into ``j`` parts >= 1.

    >>> compositions(3, 2)
    ((1, 2), (2, 1))
    """
    if j == 1:
        return ((n,),)
    return tuple((i,) + rest for i in range(1, n - j + 2) for rest in compositions(n - i, j - 1))


def _hierarchy_terms(adv, Wd, n_order):
    # sum_{j>=2} 1/j! sum_{compositions} a^{(j)}(z*) * prod_l (W delta_{i_l})
    out = np.zeros_like(Wd[0])
    for j in range(2, n_order + 1):
        acc = np.zeros_like(Wd[0])
        for comp in compositions(n_order, j):
            prod = Wd[comp[0] - 1]
            for i in comp[1:]:
                prod = prod * Wd[i - 1]
            acc = acc + prod
        out = out + adv[j] * acc / math.factorial(j)
    return out


def _readout_terms(model, deltas, order, h_star):
    y = deltas[order - 1] @ model.readout_gradient(h_star).T
    if model.Q is not None:
        for i in range(1, order):
            y = y + 0.5 * np.einsum("...i,kij,...j->...k", deltas[i - 1], model.Q, deltas[order - i - 1])
    return y


def hierarchy(model: SRNN, h_star, inp: PiecewiseLinearInput, N: int, t_eval=None,
              rtol: float = 1e-11, atol: float = 1e-13,
              progress: Optional[Callable[[int, int], None]] = None):
    r"""Solve the variational hierarchy (claim ``response.variational_hierarchy``)

    .. math:: \dot\delta_1=J\delta_1+Cu,\quad
              \dot\delta_n=J\delta_n+\sum_{j=2}^n\frac1{j!}\sum_{i_1+\dots+i_j=n}
              D^jF(h^*)[\delta_{i_1},\dots,\delta_{i_j}],

    with $D^jF(h^*)[x_1..x_j]=a^{(j)}(z^*)\odot Wx_1\odot\cdots\odot Wx_j$, and return the output
    coefficients ``Y`` (N, len(t_eval), p) and ``deltas`` (N, len(t_eval), n).
    DOP853 with ``rtol``; the input's kinks are integration breakpoints. ``progress(done, total)``
    is called after each of the ``total`` segments between breakpoints.
    """
    if N < 1:
        raise InputError(f"order must be at least 1, got {N}")
    n = model.n
    h_star = np.asarray(h_star, float)
    z = model.W @ h_star + model.b
    adv = activation_derivatives(model.activation, z, max(N, 1))
    J = model.jacobian(h_star)
    W, C = model.W, model.C
    t_eval = np.array([inp.T]) if t_eval is None else np.asarray(t_eval, float)
    # Group the compositions of each order by multiset: a^{(j)}/j! * count * prod_l W delta_{i_l}.
    terms = []
    for order in range(2, N + 1):
        groups = {}
        for j in range(2, order + 1):
            for comp in compositions(order, j):
                key = tuple(sorted(comp))
                groups[key] = groups.get(key, 0) + 1
        terms.append([(adv[len(k)] * (cnt / math.factorial(len(k))), [i - 1 for i in k])
                      for k, cnt in groups.items()])
    JT, WT = J.T, W.T

    def make_rhs(c0, c1, a):
        def rhs(t, y):
            D = y.reshape(N, n)
            Wd = D @ WT
            out = D @ JT
            out[0] += c0 + (t - a) * c1
            for row, group in enumerate(terms, start=1):
                for coef, idx in group:
                    prod = coef * Wd[idx[0]]
                    for i in idx[1:]:
                        prod = prod * Wd[i]
                    out[row] += prod
            return out.ravel()
        return rhs

    def make_rhs_smooth():
        base = make_rhs(np.zeros(n), np.zeros(n), 0.0)

        def rhs(t, y):
            out = base(t, y)
            out[:n] += C @ inp(t)
            return out
        return rhs

    # Integrate segment by segment: u is linear on each, so the right-hand side is smooth there
    # and DOP853 needs no step rejections at the kinks.
    t_end = float(t_eval.max())
    breaks = np.union1d(inp.t[inp.t < t_end], [t_end])
    # a first step that DOP853 accepts at rtol ~1e-11 (local error ~ (h rho)^8 / 8!), so that the
    # per-segment call skips its initial-step search
    first = 0.5 / max(N * np.linalg.norm(J, 2), 1e-3)
    y = np.zeros(N * n)
    rows = np.zeros((len(t_eval), N * n))
    segments = len(breaks) - 1
    for segment, (a, bnd) in enumerate(zip(breaks[:-1], breaks[1:]), start=1):
        inside = (t_eval > a) & (t_eval < bnd)
        stops = np.concatenate([t_eval[inside], [bnd]])
        if isinstance(inp, PiecewiseLinearInput):
            u0 = inp(a)
            rhs = make_rhs(C @ u0, C @ ((inp(bnd) - u0) / (bnd - a)), a)
        else:
            rhs = make_rhs_smooth()
        sol = solve_ivp(rhs, (a, bnd), y, method="DOP853", rtol=rtol, atol=atol, t_eval=stops,
                        first_step=min(bnd - a, first))
        if not sol.success:  # pragma: no cover
            raise RuntimeError(f"hierarchy ODE failed: {sol.message}")
        rows[inside] = sol.y[:, :-1].T
        y = sol.y[:, -1]
        rows[t_eval == bnd] = y
        if progress is not None:
            progress(segment, segments)
    deltas = rows.reshape(len(t_eval), N, n).transpose(1, 0, 2)
    Y = np.stack([_readout_terms(model, deltas, k, h_star) for k in range(1, N + 1)])
    return Y, deltas


def kernel1(model: SRNN, h_star, taus):
    r"""$K^{(1)}(\tau)=\nabla f(h^*)^\top e^{\tau J}C$, shape (len(taus), p, m) (claim
    ``response.det_first_order_kernel``); batched ``scipy.linalg.expm``."""
    J = model.jacobian(h_star)
    E = sla.expm(np.asarray(taus, float)[:, None, None] * J[None])
    return model.readout_gradient(h_star)[None] @ E @ model.C[None]


def kernel2_ordered(model: SRNN, h_star, t, s1, s2, nodes: int = 32):
    r"""Ordered second-order kernel at $s_2<s_1<t$ (claim ``response.det_second_order_kernel``),
    shape (p, m, m) indexed $[\cdot,k_1,k_2]$:

    .. math:: D^2f[e^{(t-s_1)J}c_{k_1},e^{(t-s_2)J}c_{k_2}]+\int_{s_1}^t\nabla f^\top e^{(t-r)J}
              D^2F[e^{(r-s_1)J}c_{k_1},e^{(r-s_2)J}c_{k_2}]\,dr,

    the $r$-integral by Gauss–Legendre with ``nodes`` nodes. ``s2`` may be a 1-D array of times
    (all below ``s1``): the result is then (len(s2), p, m, m), and the exponentials that depend on
    $s_1$ only are computed once.
    """
    J = model.jacobian(h_star)
    z = model.W @ h_star + model.b
    a2 = activation_derivatives(model.activation, z, 2)[2]
    g = model.readout_gradient(h_star)
    x, w = np.polynomial.legendre.leggauss(nodes)
    r = s1 + (t - s1) * (x + 1) / 2
    w = w * (t - s1) / 2
    s2s = np.atleast_1d(np.asarray(s2, float))
    E1 = sla.expm((r - s1)[:, None, None] * J) @ model.C                              # (q, n, m)
    E2 = sla.expm((r[None, :] - s2s[:, None])[:, :, None, None] * J) @ model.C        # (k, q, n, m)
    Et = sla.expm((t - r)[:, None, None] * J)                                         # (q, n, n)
    V1 = np.einsum("ij,qjm->qim", model.W, E1)
    V2 = np.einsum("ij,kqjm->kqim", model.W, E2)
    D2 = a2[None, None, :, None, None] * V1[None, :, :, :, None] * V2[:, :, :, None, :]  # (k, q, n, m, m)
    out = np.einsum("pi,qij,kqjab,q->kpab", g, Et, D2, w)
    if model.Q is not None:
        X1 = sla.expm((t - s1) * J) @ model.C
        X2 = sla.expm((t - s2s)[:, None, None] * J) @ model.C                          # (k, n, m)
        out = out + np.einsum("ia,pij,kjb->kpab", X1, model.Q, X2)
    return out if np.ndim(s2) else out[0]


def ode_outputs(model: SRNN, h0, inp: PiecewiseLinearInput, eps, t_eval=None,
                rtol: float = 1e-12, atol: float = 1e-14):
    r"""$f(h^\varepsilon_t)$ of the deterministic ODE $\dot h=F(h)+\varepsilon Cu(t)$ from ``h0``,
    one row per value in ``eps``: shape (len(eps), len(t_eval), p). DOP853 (the deterministic reference solver), segment
    by segment between the input's samples (its kinks)."""
    t_eval = np.array([inp.T]) if t_eval is None else np.asarray(t_eval, float)
    t_end = float(t_eval.max())
    breaks = np.union1d(np.asarray(inp.t)[np.asarray(inp.t) < t_end], [0.0, t_end])   # kinks of u
    out = []
    for e in np.atleast_1d(eps):
        h = np.asarray(h0, float)
        rows = np.zeros((len(t_eval), model.n))
        rows[t_eval == 0.0] = h
        for lo, hi in zip(breaks[:-1], breaks[1:]):
            inside = (t_eval > lo) & (t_eval < hi)
            sol = solve_ivp(lambda t, x: model.drift(x) + e * (model.C @ inp(t)), (lo, hi), h, method="DOP853",
                            t_eval=np.concatenate([t_eval[inside], [hi]]), rtol=rtol, atol=atol)
            if not sol.success:  # pragma: no cover
                raise RuntimeError(f"ODE solve failed: {sol.message}")
            rows[inside] = sol.y[:, :-1].T
            h = sol.y[:, -1]
            rows[t_eval == hi] = h
        out.append(model.readout(rows))
    return np.array(out)


def volterra_coefficients(model: SRNN, inp: PiecewiseLinearInput, N: int):
    r"""Deterministic Volterra coefficients $Y_1..Y_N$ at the final time and the order-1 kernel on
    the input grid (what ``rnnproof volterra`` reports for $\sigma=0$).

    Returns ``(h_star, Y (N, p), K1 (len(t), p, m))`` with ``K1[i] = K^{(1)}(t_i)`` (lag $t_i$)."""
    h_star, _ = fixed_point(model)
    Y, _ = hierarchy(model, h_star, inp, N)
    return h_star, Y[:, -1, :], kernel1(model, h_star, inp.t)


# ---------------------------------------------------------------------------------------------
# Ornstein-Uhlenbeck
# ---------------------------------------------------------------------------------------------
def ou_stationary(M, b, Sigma):
    r"""$m_\infty=-M^{-1}b$ and $S_\infty$ with $MS+SM^\top+\Sigma=0$ (``solve_continuous_lyapunov``,
    which solves $AX+XA^H=Q$). Raises naming ``W`` and ``Gamma`` if $M=W-\Gamma$ is not Hurwitz."""
    M = np.asarray(M, float)
    alpha = spectral_abscissa(M)
    if alpha >= 0:
        raise InputError(f"W - Gamma must be Hurwitz for the OU network (check W and Gamma); its "
                         f"spectral abscissa is {alpha:.6g}")
    return -np.linalg.solve(M, b), sla.solve_continuous_lyapunov(M, -np.asarray(Sigma, float))


def ou_mean_shift(M, C, inp: PiecewiseLinearInput, t):
    r"""$\delta(t)=\int_0^te^{(t-s)M}Cu(s)\,ds$ exactly for piecewise-linear $u$ (Van Loan block
    exponential per segment: states $(\delta, u_0, \dot u)$)."""
    M, C = np.asarray(M, float), np.asarray(C, float)
    n, m = C.shape
    grid = np.concatenate([inp.t[inp.t < t], [t]])
    delta = np.zeros(n)
    for a, bnd in zip(grid[:-1], grid[1:]):
        h = bnd - a
        u0 = inp(a)
        slope = (inp(bnd) - u0) / h
        big = np.zeros((n + 2, n + 2))
        big[:n, :n] = M
        big[:n, n] = C @ u0
        big[:n, n + 1] = C @ slope
        big[n + 1, n] = 1.0   # x2 = s - a grows at rate x1 = 1
        E = sla.expm(h * big)
        delta = E[:n, :n] @ delta + E[:n, n]
    return delta


def ou_moment_ode(M, b, C, Sigma, m0, S0, inp: PiecewiseLinearInput, eps, t,
                  rtol: float = 1e-12, atol: float = 1e-14):
    r"""Integrate $\dot m=Mm+b+\varepsilon Cu$, $\dot S=MS+SM^\top+\Sigma$ (DOP853, breakpoints at the
    input's samples) to time ``t``."""
    n = len(m0)

    def rhs(s, y):
        m, S = y[:n], y[n:].reshape(n, n)
        return np.concatenate([M @ m + b + eps * (C @ inp(s)), (M @ S + S @ M.T + Sigma).ravel()])

    y = np.concatenate([m0, np.ravel(S0)])
    grid = np.union1d(np.asarray(inp.t)[np.asarray(inp.t) < t], [t])   # the input's kinks are breakpoints
    for lo, hi in zip(grid[:-1], grid[1:]):
        y = solve_ivp(rhs, (lo, hi), y, method="DOP853", rtol=rtol, atol=atol).y[:, -1]
    return y[:n], y[n:].reshape(n, n)


# ---------------------------------------------------------------------------------------------
# One-dimensional SRNN: closed-form density and grid generator
# ---------------------------------------------------------------------------------------------
def _logcosh(x):
    x = np.abs(x)
    return x + np.log1p(np.exp(-2 * x)) - math.log(2.0)


# Below this |w| the difference log cosh(wx + b) − log cosh b cancels: its rounding, ε·|log cosh b|,
# divided by w would exceed 20ε relative, so the increment is formed without the subtraction.
_SMALL_GAIN = 0.05


def _logcosh_increment_over_w(x, w, b):
    r"""$[\log\cosh(wx+b)-\log\cosh b]/w$ for small $|w|$, without cancellation.

    With $\delta = wx$, $t=\tanh b$, $s = 1-t^2$: $\cosh(b+\delta)/\cosh b = \cosh\delta + t\sinh\delta$,
    so the increment is $\operatorname{log1p}(2\sinh^2(\delta/2) + t\sinh\delta)$; for
    $|\delta| < 10^{-4}$ its Taylor series $t\delta + s\delta^2/2 - ts\delta^3/3 + s(3t^2-1)\delta^4/12$
    (error $O(\delta^5)$, below $10^{-16}$ relative) is divided by $w$ term by term, so a
    subnormal $w$ loses no digits."""
    t = math.tanh(b)
    s = 1.0 - t * t
    z = w * x
    series = x * (t + s * z / 2 - t * s * z ** 2 / 3 + s * (3 * t * t - 1) * z ** 3 / 12)
    with np.errstate(over="ignore", invalid="ignore"):
        direct = np.log1p(2 * np.sinh(z / 2) ** 2 + t * np.sinh(z)) / w
        # |δ| > 1 (far out, up to x = ±∞ in a quadrature): no cancellation left, and the
        # sinh form would give ∞ − ∞.
        far = (_logcosh(z + b) - _logcosh(np.asarray(b))) / w
    return np.where(np.abs(z) < 1e-4, series, np.where(np.abs(z) <= 1.0, direct, far))


def oned_log_density(x, gamma, w, b, sigma):
    r"""$-2V(x)/\sigma^2$ with $V=\gamma x^2/2-[\log\cosh(wx+b)-\log\cosh b]/w$ (claim
    ``response.oned_stationary_density``), unnormalised, in log space; $w=0$ uses the limit
    $\gamma x^2/2-x\tanh b$ (never divides by $w$), and $0 < |w| < 0.05$ a form without the
    cancelling subtraction (:func:`_logcosh_increment_over_w`)."""
    if gamma <= 0:
        raise InputError(f"gamma must be positive for a stationary density, got {gamma:.6g}")
    x = np.asarray(x, float)
    if w == 0:
        V = gamma * x ** 2 / 2 - x * math.tanh(b)
    elif abs(w) < _SMALL_GAIN:
        V = gamma * x ** 2 / 2 - _logcosh_increment_over_w(x, w, b)
    else:
        V = gamma * x ** 2 / 2 - (_logcosh(w * x + b) - _logcosh(np.asarray(b))) / w
    return -2.0 * V / sigma ** 2


def oned_density(x, gamma, w, b, sigma):
    """Normalised stationary density at ``x``; the constant by ``mpmath.quad`` at 30 digits."""
    import mpmath
    with mpmath.mp.workdps(30):
        xs = np.linspace(-50, 50, 20001)
        shift = float(np.max(oned_log_density(xs, gamma, w, b, sigma)))
        f = lambda s: mpmath.exp(float(oned_log_density(np.array(float(s)), gamma, w, b, sigma)) - shift)  # noqa: E731
        peak = float(xs[np.argmax(oned_log_density(xs, gamma, w, b, sigma))])
        Z = mpmath.quad(f, [-mpmath.inf, peak - 3, peak, peak + 3, mpmath.inf])
        logZ = float(mpmath.log(Z)) + shift
    return np.exp(oned_log_density(x, gamma, w, b, sigma) - logZ)


@dataclass(frozen=True, eq=False)
class GridChain:
    r"""Finite-difference generator of a 1-D SRNN (claim ``response.oned_generator_chain``).

    Kernels use the symmetrised generator $S=\Pi^{1/2}G\Pi^{-1/2}$ (tridiagonal, off-diagonal
    $\sqrt{q^+_iq^-_{i+1}}$, well conditioned because the chain is reversible) and
    ``scipy.linalg.eigh_tridiagonal``: $e^{\tau G}=\Pi^{-1/2}Ve^{\tau\Lambda}V^\top\Pi^{1/2}$."""

    x: np.ndarray
    G: sp.csr_matrix
    B: sp.csr_matrix
    pi: np.ndarray
    dx: float
    up: np.ndarray
    down: np.ndarray
    logpi: np.ndarray

    @property
    def _spec(self):
        cache = self.__dict__.get("_cache")
        if cache is None:
            off = np.sqrt(self.up[:-1] * self.down[1:])
            w, V = sla.eigh_tridiagonal(-(self.up + self.down), off)
            sq = np.exp(0.5 * (self.logpi - np.log(np.sum(np.exp(self.logpi - self.logpi.max()))) - self.logpi.max()))
            Bc = self.B.tocoo()
            Bt = sp.csr_matrix((Bc.data * np.exp(0.5 * (self.logpi[Bc.row] - self.logpi[Bc.col])), (Bc.row, Bc.col)),
                               shape=self.B.shape)
            cache = (w, V, sq, Bt)
            object.__setattr__(self, "_cache", cache)
        return cache

    def propagate(self, g_tilde, tau):
        r"""$e^{\tau S}\tilde g$ in symmetrised coordinates $\tilde g=\Pi^{1/2}g$."""
        w, V, _, _ = self._spec
        return V @ (np.exp(tau * w) * (V.T @ g_tilde))

    def kernel1(self, taus, f=None):
        r"""$K^{(1)}(\tau)=\pi^\top Be^{\tau G}f$ for each lag in ``taus``."""
        f = self.x if f is None else f
        w, V, sq, Bt = self._spec
        left = V.T @ (Bt.T @ sq)
        right = V.T @ (sq * f)
        return np.exp(np.outer(np.asarray(taus, float), w)) @ (left * right)

    def kernel2(self, tau1, tau2, f=None):
        r"""$K^{(2)}(\tau_1,\tau_2)=\pi^\top Be^{\tau_2G}Be^{\tau_1G}f$."""
        f = self.x if f is None else f
        _, _, sq, Bt = self._spec
        g = self.propagate(sq * f, tau1)
        g = self.propagate(Bt @ g, tau2)
        return float(sq @ (Bt @ g))

    def eigs(self, k=3):
        """The ``k`` eigenvalues of G closest to 0 (real: the chain is reversible)."""
        return np.sort(self._spec[0])[::-1][:k]


def grid_chain(F, sigma: float, c: float, L, nx: int) -> GridChain:
    r"""The grid generator on $[L_0, L_1]$ with ``nx`` points: rates $i\to i\pm1$ equal to
    $D/dx^2\pm F(x_i)/(2dx)$ ($D=\sigma^2/2$), reflecting ends; $B$ central in the interior and
    one-sided at the ends (exact on linear $g$); $\pi$ by detailed balance in log space (a
    birth-death chain is reversible, so this solves $\pi^\top G=0$ exactly).

    Raises naming ``dx`` when a rate would be negative and ``domain`` when the boundary mass
    exceeds 1e-12.
    """
    lo, hi = (-L, L) if np.ndim(L) == 0 else L
    x = np.linspace(lo, hi, nx)
    dx = x[1] - x[0]
    Fx = np.asarray(F(x), float)
    D = sigma ** 2 / 2
    if dx * np.max(np.abs(Fx)) >= 2 * D:
        raise InputError(f"dx = {dx:.4g} is too coarse: rates become negative; use dx < "
                         f"{2 * D / np.max(np.abs(Fx)):.4g} (sigma^2 / max|F|)")
    up = D / dx ** 2 + Fx / (2 * dx)
    down = D / dx ** 2 - Fx / (2 * dx)
    up[-1] = 0.0
    down[0] = 0.0
    G = sp.diags([down[1:], -(up + down), up[:-1]], [-1, 0, 1], format="csr")
    logpi = np.concatenate([[0.0], np.cumsum(np.log(up[:-1]) - np.log(down[1:]))])
    pi = np.exp(logpi - logpi.max())
    pi /= pi.sum()
    if pi[0] + pi[-1] > 1e-12:
        raise InputError(f"domain [{lo:.4g}, {hi:.4g}] is too narrow: boundary mass {pi[0] + pi[-1]:.3g} > 1e-12")
    h2 = c / (2 * dx)
    rows = [0, 0] + [i for i in range(1, nx - 1) for _ in (0, 1)] + [nx - 1, nx - 1]
    cols = [0, 1] + [j for i in range(1, nx - 1) for j in (i - 1, i + 1)] + [nx - 2, nx - 1]
    vals = [-c / dx, c / dx] + [v for _ in range(1, nx - 1) for v in (-h2, h2)] + [-c / dx, c / dx]
    B = sp.csr_matrix((vals, (rows, cols)), shape=(nx, nx))
    return GridChain(x=x, G=G, B=B, pi=pi, dx=dx, up=up, down=down, logpi=logpi)


# ---------------------------------------------------------------------------------------------
# Finite-state chains
# ---------------------------------------------------------------------------------------------
def chain_stationary(G):
    r"""$\pi$ with $\pi^\top G=0$, $\sum\pi=1$ (one equation replaced); raises naming ``G`` if the
    chain is reducible (stationary law not unique)."""
    G = np.asarray(G.toarray() if sp.issparse(G) else G, float)
    n = G.shape[0]
    if np.linalg.matrix_rank(G, tol=1e-10 * max(1.0, np.abs(G).max())) < n - 1:
        raise InputError("G is reducible (the stationary law is not unique); use an irreducible generator")
    A = G.T.copy()
    A[-1] = 1.0
    rhs = np.zeros(n)
    rhs[-1] = 1.0
    return np.linalg.solve(A, rhs)


def chain_block_response(G, B, pi, f, u_segments, widths, N: int):
    r"""$Y_0..Y_N$ of $\pi^\top e^{\cdot(G+\varepsilon uB)}f$ for piecewise-constant $u$ (Van Loan):
    block-bidiagonal matrix with $G$ on the diagonal and $u_jB$ above it, segment exponentials
    multiplied earliest leftmost; $Y_n=\pi^\top[\cdot]_{1,n+1}f$. Dense or sparse ``G``/``B``."""
    Gs, Bs = sp.csr_matrix(G), sp.csr_matrix(B)
    n = Gs.shape[0]
    rows = np.zeros((N + 1) * n)
    rows[:n] = pi
    # The transposed blocks, assembled once: diag(G)ᵀ and the superdiagonal B blocks' transpose.
    diag_T = sp.kron(sp.identity(N + 1), Gs.T, format="csr")
    upper_T = sp.kron(sp.eye(N + 1, k=1), Bs, format="csr").T.tocsr()
    for uj, hj in zip(np.atleast_1d(u_segments), np.atleast_1d(widths)):
        rows = expm_multiply(hj * (diag_T + float(uj) * upper_T), rows)
    return np.array([rows[i * n:(i + 1) * n] @ f for i in range(N + 1)])


def chain_hierarchy_ode(G, B, pi, f, u_fn, t, N: int, rtol=1e-12, atol=1e-14):
    r"""Forward hierarchy $p_0=\pi$, $\dot p_n=p_nG+u(t)p_{n-1}B$, $Y_n=p_nf$ (Radau, stiff)."""
    G = np.asarray(G.toarray() if sp.issparse(G) else G, float)
    B = np.asarray(B.toarray() if sp.issparse(B) else B, float)
    n = G.shape[0]

    def rhs(s, y):
        P = y.reshape(N + 1, n)
        out = P @ G
        out[1:] += u_fn(s) * (P[:-1] @ B)
        return out.ravel()

    big = np.kron(np.eye(N + 1), G.T) + np.kron(np.eye(N + 1, k=-1), B.T)
    y0 = np.zeros((N + 1) * n)
    y0[:n] = pi
    sol = solve_ivp(rhs, (0.0, t), y0, method="Radau", rtol=rtol, atol=atol, jac=lambda s, y: np.kron(
        np.eye(N + 1), G.T) + u_fn(s) * np.kron(np.eye(N + 1, k=-1), B.T))
    del big
    P = sol.y[:, -1].reshape(N + 1, n)
    return P @ f


def chain_kernel1(G, B, pi, f, tau):
    r"""Backward form $\pi^\top Be^{\tau G}f$."""
    return pi @ (B @ (sla.expm(tau * np.asarray(G, float)) @ f))


def chain_kernel2(G, B, pi, f, tau1, tau2, form: str = "backward"):
    r"""$K^{(2)}(\tau_1,\tau_2)$: backward $\langle B P_{\tau_2} B P_{\tau_1} f\rangle_\pi$ (functions
    propagated right to left) or forward $\pi\, B\, e^{\tau_2G}\dots$ read as densities
    propagated left to right: $f\cdot e^{\tau_1L^*}B^*e^{\tau_2L^*}B^*\pi$."""
    G = np.asarray(G, float)
    E1, E2 = sla.expm(tau1 * G), sla.expm(tau2 * G)
    if form == "backward":
        g1 = B @ (E1 @ f)
        g2 = B @ (E2 @ g1)
        return float(pi @ g2)
    rho = pi @ B          # B^* rho_infinity, as a row vector (density)
    rho = rho @ E2        # e^{tau_2 L^*}
    rho = rho @ B         # B^*
    rho = rho @ E1        # e^{tau_1 L^*}
    return float(rho @ f)


# ---------------------------------------------------------------------------------------------
# Monte Carlo (Euler-Maruyama, vectorised over paths)
# ---------------------------------------------------------------------------------------------
def em_stability_limit(J) -> float:
    r"""Largest $dt$ with $|1+dt\,\lambda|<1$ for every eigenvalue $\lambda$ of $J$ (Hurwitz $J$)."""
    lam = np.linalg.eigvals(np.asarray(J, float))
    if np.any(lam.real >= 0):
        return 0.0
    return float(np.min(-2 * lam.real / np.abs(lam) ** 2))


def _check_dt(model, dt):
    if dt <= 0:
        raise InputError(f"dt must be positive, got {dt}")
    try:
        h, J = fixed_point(model)
    except InputError:
        return
    limit = em_stability_limit(J)
    if dt >= limit:
        raise InputError(f"dt = {dt:.4g} is above the Euler-Maruyama stability limit {limit:.4g} "
                         "(|1 + dt lambda| < 1 for every eigenvalue of J); reduce dt")


def em_burn_in(model: SRNN, paths: int, steps: int, dt: float, rng: np.random.Generator, h0=None,
               progress: Optional[Callable[[int, int], None]] = None):
    """Burn in ``paths`` EM paths at amplitude 0 (the scheme's own stationary law); returns (P, n).
    ``progress(done, steps)`` after each step."""
    _check_dt(model, dt)
    h = np.zeros((paths, model.n)) if h0 is None else np.broadcast_to(h0, (paths, model.n)).astype(float)
    probe = model.replace(A=np.eye(model.n), Q=None, d=np.zeros(model.n))
    return em_crn(probe, h, np.zeros((steps, model.m)), dt, [0.0], rng, progress=progress)[0]


def _act_inplace(name, z):
    # a(z) written into z (no polynomial evaluation: only the value is needed in the EM loop)
    if name == "tanh":
        # tanh z = 2 / (1 + e^{-2z}) - 1: numpy's exp is vectorised (SIMD) and this is ~1.6x faster
        # than np.tanh on large arrays; exact to an ulp or two, and e^{-2z} = inf gives -1 correctly
        with np.errstate(over="ignore"):
            np.multiply(z, -2.0, out=z)
            np.exp(z, out=z)
        z += 1.0
        np.divide(2.0, z, out=z)
        z -= 1.0
        return z
    if name == "sigmoid":
        np.multiply(z, 0.5, out=z)
        np.tanh(z, out=z)
        z += 1.0
        z *= 0.5
        return z
    if name == "softplus":
        return np.logaddexp(0.0, z, out=z)
    return z


def em_crn(model: SRNN, h0, u_steps, dt: float, amplitudes, rng: np.random.Generator,
           return_noise: bool = False, substeps: int = 1, activation_dtype=np.float64,
           progress: Optional[Callable[[int, int], None]] = None):
    r"""Euler–Maruyama from the samples ``h0`` (P, n) with inputs ``u_steps`` (K, m) held constant on
    each step, for every amplitude in ``amplitudes``, with **common random numbers**: every
    amplitude uses the same ``h0`` and the same increments. Returns ``f(h_T)`` of shape
    (len(amplitudes), P, p); with ``return_noise`` also the increments $\sqrt{dt}\,\xi_j$ of each
    step, shape (K, P, r) (memory: use for small K·P).

    ``substeps`` > 1 splits each step into that many EM steps of ``dt/substeps`` whose increments
    sum to the coarse increment (coupling for dt-halving, claim ``response.em_weak_bias``).
    Vectorised over paths and amplitudes; in-place updates (the state is (A·P, n)).

    ``activation_dtype=np.float32`` evaluates $a(\cdot)$ in single precision (about 3x faster for
    tanh); the state stays float64, so the error is $\lesssim10^{-7}\,dt$ per step, far below the
    $O(dt)$ Euler–Maruyama bias. The default is float64.

    ``progress(done, K)`` is called after each of the K steps (all paths advance together).
    """
    _check_dt(model, dt)
    amps = np.asarray(amplitudes, float)
    A_, P = len(amps), h0.shape[0]
    n, r = model.n, model.sigma.shape[1]
    h = np.ascontiguousarray(np.broadcast_to(h0, (A_, P, n)).reshape(A_ * P, n), dtype=float).copy()
    drive = amps[:, None, None] * (np.asarray(u_steps, float) @ model.C.T)[None]  # (A, K, n)
    noises = [] if return_noise else None
    fine = dt / substeps
    sq = math.sqrt(fine)
    decay = np.eye(n) - fine * model.Gamma           # h <- h (I - dt Gamma)^T + ...
    scalar = n == 1 and r == 1
    z = np.empty_like(h)
    z32 = np.empty(h.shape, np.float32) if activation_dtype == np.float32 else None
    xi = np.empty((P, r))

    def activate(z):
        if z32 is None:
            return _act_inplace(model.activation, z)
        z32[...] = z
        if model.activation == "tanh":
            np.tanh(z32, out=z32)
        else:
            _act_inplace(model.activation, z32)
        z[...] = z32
        return z

    for k in range(len(u_steps)):
        xi_sum = np.zeros((P, r)) if return_noise or substeps > 1 else None
        for _ in range(substeps):
            rng.standard_normal(out=xi)
            if xi_sum is not None:
                xi_sum += xi
            if scalar:
                np.multiply(h, model.W[0, 0], out=z)
                z += model.b[0]
                activate(z)
                h *= decay[0, 0]
                z *= fine
                h += z
                hv = h.reshape(A_, P)
                hv += fine * drive[:, k, 0][:, None]
                hv += (sq * model.sigma[0, 0]) * xi[:, 0][None, :]
            else:
                np.matmul(h, model.W.T, out=z)
                z += model.b
                activate(z)
                h = h @ decay.T + fine * z
                hv = h.reshape(A_, P, n)
                hv += fine * drive[:, k][:, None, :]
                hv += ((sq * xi) @ model.sigma.T)[None]
        if return_noise:
            noises.append(xi_sum * sq)
        if progress is not None:
            progress(k + 1, len(u_steps))
    out = model.readout(h).reshape(A_, P, -1)
    if return_noise:
        return out, np.array(noises)
    return out


def fd_weights(order: int, points) -> np.ndarray:
    """Weights $w_j$ with $\\sum_j w_j g(x_j)=g^{(order)}(0)+O(h^{q})$ (Vandermonde solve; the
    points are small integers, so the system is well conditioned).

    >>> bool(np.allclose(fd_weights(1, [-1, 0, 1]), [-0.5, 0.0, 0.5]))
    True
    """
    x = np.asarray(points, float)
    V = np.vander(x, len(x), increasing=True).T
    rhs = np.zeros(len(x))
    rhs[order] = math.factorial(order)
    return np.linalg.solve(V, rhs)


def _standard_error(comb):
    """Standard error of the mean over axis 0, scaled first so that tiny values (a gain of 1e-200)
    do not underflow when squared."""
    scale = np.max(np.abs(comb), axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    return (comb / scale).std(axis=0, ddof=1) * scale / math.sqrt(comb.shape[0])


def crn_coefficients(values, eps: float, N: int):
    r"""CRN central-difference estimates of $Y_1..Y_N$ from per-path outputs ``values`` (A, P, p) at
    amplitudes $j\varepsilon$, $j=-q..q$ ($A=2q+1$), with standard errors from the per-path
    combinations. $\hat Y_n=\frac1{n!}\sum_jw^{(n)}_jm(j\varepsilon)/\varepsilon^n$."""
    if eps < 1e-6:
        raise InputError(f"eps must be at least 1e-6 (floating-point cancellation), got {eps:.3g}")
    A = values.shape[0]
    q = (A - 1) // 2
    pts = np.arange(-q, q + 1)
    est, se = [], []
    for n in range(1, N + 1):
        w = fd_weights(n, pts) / (math.factorial(n) * eps ** n)
        comb = np.tensordot(w, values, axes=(0, 0))  # (P, p)
        est.append(comb.mean(axis=0))
        se.append(_standard_error(comb))
    return np.array(est), np.array(se)


def girsanov_coefficients(f_values, M, V, N: int):
    r"""$\hat Y_n=\frac1{n!}\overline{f\,V^{n/2}He_n(M/\sqrt V)}$ (claim ``response.girsanov_chaos``)
    with standard errors; $V=0$ gives $Y_n=0$ without dividing by zero."""
    from scipy.special import eval_hermitenorm
    f_values = np.asarray(f_values, float)
    if V <= 0:
        return np.zeros((N,) + f_values.shape[1:]), np.zeros((N,) + f_values.shape[1:])
    x = M / math.sqrt(V)
    est, se = [], []
    for n in range(1, N + 1):
        wgt = V ** (n / 2) * eval_hermitenorm(n, x) / math.factorial(n)
        comb = f_values * wgt[:, None]
        est.append(comb.mean(axis=0))
        se.append(_standard_error(comb))
    return np.array(est), np.array(se)


# ---------------------------------------------------------------------------------------------
# Lie brackets, response feature, exponential basis
# ---------------------------------------------------------------------------------------------
def bracket_fields_at_fixed_point(model: SRNN, h_star, pmax: int):
    r"""$V_{p,k}(h^*)=(-J)^pc_k$ and $M_{p,k}=DV_{p,k}(h^*)$ from $M_0=0$,
    $M_{p+1}=M_pJ-JM_p-D^2F(h^*)[V_p,\cdot]$ (claim ``response.lie_brackets``).
    Returns ``V`` (pmax+1, n, m) and ``M`` (pmax+1, m, n, n)."""
    J = model.jacobian(h_star)
    a2 = activation_derivatives(model.activation, model.W @ h_star + model.b, 2)[2]
    n, m = model.n, model.m
    V = np.zeros((pmax + 1, n, m))
    Ms = np.zeros((pmax + 1, m, n, n))
    V[0] = model.C
    for p in range(pmax):
        V[p + 1] = -J @ V[p]
        for k in range(m):
            D2V = (a2 * (model.W @ V[p, :, k]))[:, None] * model.W   # D^2F[V_p, .]
            Ms[p + 1, k] = Ms[p, k] @ J - J @ Ms[p, k] - D2V
        if not np.all(np.isfinite(V[p + 1])):
            raise InputError(f"pmax = {pmax} overflows: ||J||^p is too large; lower P")
    return V, Ms


def feature_coefficients(model: SRNN, h_star, t: float, P: int, nodes: int = 40):
    r"""$Q_t(w)$ for words of length 1 and 2 (claim ``response.response_feature_expansion``) for
    output 0: ``Q1`` (P+1, m) and ``Q2`` (P+1, m, P+1, m) indexed $[p_1,k_1,p_2,k_2]$.

    $Q_t((p,k))=\nabla f^\top e^{tJ}(-J)^pc_k$;
    $Q_t((p_1,k_1),(p_2,k_2))=V_{p_1,k_1}^\top[M_{p_2,k_2}^\top\nabla g_t+\nabla^2g_tV_{p_2,k_2}]$ with
    $\nabla g_t=e^{tJ^\top}\nabla f$, $\nabla^2g_t=e^{tJ^\top}\nabla^2fe^{tJ}+\sum_i\partial_if\,
    \nabla^2\varphi^i_t$, the last by Gauss–Legendre in $r$.
    """
    J = model.jacobian(h_star)
    a2 = activation_derivatives(model.activation, model.W @ h_star + model.b, 2)[2]
    gf = model.readout_gradient(h_star)[0]
    Hf = np.zeros((model.n, model.n)) if model.Q is None else model.Q[0]
    V, Ms = bracket_fields_at_fixed_point(model, h_star, P)
    Et = sla.expm(t * J)
    grad_g = Et.T @ gf
    x, w = np.polynomial.legendre.leggauss(nodes)
    r = t * (x + 1) / 2
    w = w * t / 2
    Er = sla.expm(r[:, None, None] * J)
    Etr = sla.expm((t - r)[:, None, None] * J)
    # sum_i d_i f * Hess(phi^i_t)[x,y] = int gf^T e^{(t-r)J} D2F[e^{rJ}x, e^{rJ}y] dr
    coef = np.einsum("i,qij->qj", gf, Etr) * a2[None]                 # (q, n)
    WE = np.einsum("ij,qjk->qik", model.W, Er)                          # (q, n, n)
    H_phi = np.einsum("q,qi,qia,qib->ab", w, coef, WE, WE)
    H_g = Et.T @ Hf @ Et + H_phi
    Q1 = np.einsum("i,pim->pm", grad_g, V)
    Q2 = (np.einsum("pia,qbji,j->paqb", V, Ms, grad_g)
          + np.einsum("pia,ij,qjb->paqb", V, H_g, V))
    return Q1, Q2


def _cheb_integration(t: float, deg: int):
    # Chebyshev nodes on [0, t], the cumulative-integration matrix and Clenshaw-Curtis weights.
    # Hand-written because numpy offers the pieces (chebvander, chebint) but not this spectral
    # cumulative-integration matrix.
    from numpy.polynomial import chebyshev as ch
    x = np.cos(np.pi * (np.arange(deg + 1) + 0.5) / (deg + 1))[::-1]
    V = ch.chebvander(x, deg)
    Vinv = np.linalg.inv(V)
    I = np.zeros((deg + 1, deg + 1))
    for j in range(deg + 1):
        e = np.zeros(deg + 1)
        e[j] = 1.0
        I[:, j] = ch.chebval(x, ch.chebint(e, lbnd=-1))
    cum = (t / 2) * I @ Vinv
    wts = (t / 2) * np.array(
        [ch.chebval(1.0, ch.chebint(np.eye(deg + 1)[j], lbnd=-1)) for j in range(deg + 1)]) @ Vinv
    return t * (x + 1) / 2, cum, wts


def x_signature_levels(u_fn, t: float, P: int, deg: int = 120):
    r"""Levels 1 and 2 of $S(X)_{0,t}$ for $X^{(p,k)}=\int_0^t\frac{s^p}{p!}u_k(s)ds$ and smooth $u$:
    ``S1`` (P+1, m) and ``S2`` (P+1, m, P+1, m) with $S2[p_1,k_1,p_2,k_2]=\int_{r_1<r_2}
    dX^{(p_1,k_1)}_{r_1}dX^{(p_2,k_2)}_{r_2}$ (earliest letter first), by Chebyshev spectral
    integration of degree ``deg``."""
    s, cum, wts = _cheb_integration(t, deg)
    U = np.atleast_2d(u_fn(s))                                        # (q, m)
    psi = np.stack([s ** p / math.factorial(p) for p in range(P + 1)], axis=1)  # (q, P+1)
    g = psi[:, :, None] * U[:, None, :]                               # (q, P+1, m)
    S1 = np.einsum("q,qpk->pk", wts, g)
    I = np.einsum("qr,rpk->qpk", cum, g)
    S2 = np.einsum("q,qak,qbl->akbl", wts, I, g)
    return S1, S2


def x_word_signature_piecewise_constant(breaks, values, word):
    r"""$S(X)^w_{0,T}$ exactly for piecewise-constant $u$ (``values[j]`` on ``[breaks[j],
    breaks[j+1]]``) by the word recursion $\frac{d}{dt}S^{w_{1..j}}=S^{w_{1..j-1}}\psi_{p_j}(t)
    u_{k_j}(t)$, integrated as exact polynomials per segment (claim
    ``response.time_augmented_signature``). ``word`` is a sequence of ``(p, k)``."""
    Poly = np.polynomial.Polynomial
    n = len(word)
    state = [1.0] + [0.0] * n
    for a, b, val in zip(breaks[:-1], breaks[1:], values):
        # polynomials in the local variable s = r - a (no cancellation between large powers of r)
        polys = [Poly([1.0])]
        for j, (p, k) in enumerate(word):
            psi = Poly([a, 1.0]) ** p * (val[k] / math.factorial(p))
            polys.append((polys[j] * psi).integ() + state[j + 1])      # integ(): value 0 at s = 0
        state = [1.0] + [float(polys[j + 1](b - a)) for j in range(n)]
    return state[-1]


def exponential_basis_features(J, C, inp: PiecewiseLinearInput, t: float):
    r"""$Z^{(j,k)}_t=\int_0^te^{\lambda_j(t-s)}u_k(s)ds$ for the eigenvalues $\lambda_j$ of $J$,
    by the exact exponential-integrator recursion on each linear segment (claim
    ``response.exponential_basis``). Returns ``(lam, V, Vinv, Z)``; raises if $J$ is (nearly)
    defective (cond(V) > 1e8)."""
    lam, V = np.linalg.eig(np.asarray(J, float))
    if np.linalg.cond(V) > 1e8:
        raise InputError("J is not diagonalisable (cond(V) > 1e8); use expm-based features")
    grid = np.concatenate([inp.t[inp.t < t], [t]])
    Z = np.zeros((len(lam), inp.m), complex)
    for a, b in zip(grid[:-1], grid[1:]):
        h = b - a
        u0, u1 = inp(a), inp(b)
        z = lam * h
        e = np.exp(z)
        small = np.abs(z) < 1e-3
        zs = np.where(small, 1.0, z)
        phi1 = np.where(small, 1 + z / 2 + z ** 2 / 6 + z ** 3 / 24, (e - 1) / zs)
        phi2 = np.where(small, 0.5 + z / 6 + z ** 2 / 24 + z ** 3 / 120, (e - 1 - z) / zs ** 2)
        Z = e[:, None] * Z + h * (phi1[:, None] * u0[None] + phi2[:, None] * (u1 - u0)[None])
    return lam, V, np.linalg.inv(V), Z


# ---------------------------------------------------------------------------------------------
# What `rnnproof volterra` reports
# ---------------------------------------------------------------------------------------------
def oned_domain(F, sigma: float, drop: float = 40.0):
    r"""Interval where $2(V-\min V)/\sigma^2\le$ ``drop`` for $V=-\int F$ (numerical potential), with a
    margin; a generic-activation version of the domain rule of claim ``oned_generator_chain``."""
    xs = np.linspace(-60.0, 60.0, 24001)
    Fx = np.asarray(F(xs), float)
    V = -np.concatenate([[0.0], np.cumsum(0.5 * (Fx[1:] + Fx[:-1]) * np.diff(xs))])
    logp = -2.0 * V / sigma ** 2
    ok = xs[logp >= logp.max() - drop]
    return ok.min() - 0.5, ok.max() + 0.5


def _chain_coefficients(model: SRNN, inp: PiecewiseLinearInput, N: int, refine: int, nx: int):
    # 1-D SRNN: grid chain, the input made piecewise constant on `refine` midpoint pieces per sample
    sig = float(model.sigma[0, 0]) if model.sigma.shape == (1, 1) else float(np.linalg.norm(model.sigma))
    F = lambda x: model.drift(np.asarray(x, float)[..., None])[..., 0]  # noqa: E731
    L = oned_domain(F, sig)
    Fmax = np.max(np.abs(F(np.linspace(L[0], L[1], 2001))))
    nx = max(nx, int(math.ceil((L[1] - L[0]) / (0.9 * sig ** 2 / Fmax))) + 1)
    ch = grid_chain(F, sig, 1.0, L, nx)            # B = d/dx; the input enters as v(t) = C u(t)
    edges = np.concatenate([np.linspace(a, b, refine + 1)[:-1] for a, b in zip(inp.t[:-1], inp.t[1:])] + [inp.t[-1:]])
    mids = 0.5 * (edges[1:] + edges[:-1])
    v = (inp(mids) @ model.C[0])
    Y = chain_block_response(ch.G, ch.B, ch.pi, ch.x, v, np.diff(edges), N)
    A, d = model.A[:, 0], model.d
    coeffs = np.outer(Y[1:], A)
    K1 = np.einsum("t,p,m->tpm", ch.kernel1(inp.t), A, model.C[0])
    return coeffs, A * Y[0] + d, K1


def _phase(progress, index: int, phases: int, what: str):
    """A ``progress(done, total)`` callback for phase ``index`` of ``phases`` equal-sized phases,
    reported to ``progress(done, total, what)`` as one count over all phases."""
    if progress is None:
        return None
    return lambda done, total: progress(index * total + done, phases * total, what)


def volterra_report(model: SRNN, inp: PiecewiseLinearInput, N: int, paths: int = 20000,
                    rng: Optional[np.random.Generator] = None,
                    progress: Optional[Callable[[int, int, str], None]] = None) -> dict:
    r"""Volterra coefficients $Y_1..Y_N$ of the output at the final time for input $\varepsilon u$,
    and the order-1 kernel on the input grid, with the method and uncertainty of each value.

    * $\sigma=0$: variational hierarchy (DOP853, rtol 1e-11) at the fixed point; kernel $\nabla f^\top
      e^{\tau J}C$. Uncertainty: difference to a solve at rtol 1e-9.
    * $\sigma>0$, linear activation: OU closed form (exact; $Y_n=0$ for $n\ge2$, linear readout).
    * $\sigma>0$, $n=1$: grid chain (Van Loan block exponentials); uncertainty: change under halving
      $dx$ and the input's piecewise-constant step.
    * $\sigma>0$, $n\ge2$: Monte Carlo, Euler–Maruyama with common random numbers and central
      differences at $\pm j\varepsilon$; uncertainty: standard error (biases $O(\varepsilon^2)$, $O(dt)$
      not included, reported as such).

    ``progress(done, total, what)`` counts the long loops: the hierarchy's input segments (both
    solves) or the Monte Carlo's Euler–Maruyama steps (burn-in, then the common-random-number run;
    every step advances all paths).
    """
    if N < 1:
        raise InputError(f"order must be at least 1, got {N}")
    if inp.m != model.m:
        raise InputError(f"u has {inp.m} column(s) but the network's input matrix B has {model.m}; "
                         "they must match")
    h_star, J = fixed_point(model)
    out = {"fixed_point": h_star.tolist(), "spectral_abscissa": spectral_abscissa(J), "order": int(N),
           "t_final": inp.T, "sigma_zero": bool(model.deterministic)}
    lags = inp.t
    if model.deterministic:
        Y, _ = hierarchy(model, h_star, inp, N, progress=_phase(progress, 0, 2, "hierarchy segments"))
        Y2, _ = hierarchy(model, h_star, inp, N, rtol=1e-9, atol=1e-11,
                          progress=_phase(progress, 1, 2, "hierarchy segments (check solve)"))
        coeffs, unc = Y[:, -1, :], np.abs(Y[:, -1, :] - Y2[:, -1, :])
        methods = ["variational_hierarchy"] * N
        K1 = kernel1(model, h_star, lags)
        kmethod = "expm: grad f(h*)^T e^{tau J} C"
        y0 = model.readout(h_star)
    elif model.activation == "linear":
        M = model.W - model.Gamma
        m_inf, S = ou_stationary(M, model.b, model.Sigma())
        delta = ou_mean_shift(M, model.C, inp, inp.T)
        coeffs = np.zeros((N, model.p))
        coeffs[0] = model.readout_gradient(m_inf) @ delta
        unc = np.zeros((N, model.p))
        methods = ["ou_closed_form"] * N
        K1 = kernel1(model, m_inf, lags)
        kmethod = "ou_closed_form: A e^{tau M} C"
        y0 = model.readout(m_inf) + (0 if model.Q is None else 0.5 * np.einsum("kij,ij->k", model.Q, S))
    elif model.n == 1:
        c1, y0, K1 = _chain_coefficients(model, inp, N, 4, 401)
        c2, _, _ = _chain_coefficients(model, inp, N, 8, 801)
        coeffs, unc = c2, np.abs(c2 - c1)
        methods = ["grid_chain"] * N
        kmethod = "grid_chain: pi^T B e^{tau G} x"
    else:
        rng = np.random.default_rng(0) if rng is None else rng
        limit = em_stability_limit(J)
        dt = min(0.01, 0.2 * limit, inp.T / 50)
        K = int(math.ceil(inp.T / dt))
        dt = inp.T / K
        mids = (np.arange(K) + 0.5) * dt
        burn = int(math.ceil(10.0 / abs(spectral_abscissa(J)) / dt))
        steps_total = burn + K

        def counted(offset, what):
            if progress is None:
                return None
            return lambda done, _total: progress(offset + done, steps_total, what)
        h0 = em_burn_in(model, paths, burn, dt, rng, h_star,
                        progress=counted(0, f"Euler-Maruyama burn-in steps, {paths} paths"))
        q = (N + 1) // 2 if N > 1 else 1
        eps = 0.1
        vals = em_crn(model, h0, inp(mids), dt, eps * np.arange(-q, q + 1), rng,
                      progress=counted(burn, f"Euler-Maruyama steps, {paths} paths x {2 * q + 1} amplitudes"))
        coeffs, unc = crn_coefficients(vals, eps, N)
        methods = ["monte_carlo_crn_central_difference"] * N
        y0 = vals[q].mean(axis=0)
        K1 = kernel1(model, h_star, lags)
        kmethod = "deterministic kernel at h* (sigma -> 0 limit; the noisy kernel differs at O(sigma^2))"
        out["monte_carlo"] = {"paths": int(paths), "dt": dt, "eps": eps, "amplitudes": (eps * np.arange(-q, q + 1)).tolist(),
                              "uncertainty": "one standard error; the O(eps^2) central-difference bias and the "
                                             "O(dt) Euler-Maruyama bias are not included"}
    out.update({
        "stationary_output": np.asarray(y0, float).tolist(),
        "coefficients": np.asarray(coeffs, float).tolist(),
        "methods": methods,
        "uncertainty": np.asarray(unc, float).tolist(),
        "kernel_order1": {"lags": lags.tolist(), "values": np.asarray(K1, float).tolist(), "method": kmethod,
                          "index": "values[i][output][input channel] = K1(lag t_i)"},
    })
    return out
