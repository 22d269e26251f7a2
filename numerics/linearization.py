r"""Numeric side of the linearization paper (Pagan, Valente, Ostojic & Brody 2023, arXiv:2309.04030).

Everything here is numpy/scipy/mpmath: it is the independent witness for the SymPy derivations
of :mod:`theory.linearization` and never imports SymPy.

Model: $\tau\dot x = F(x,u) = -x + J\phi(x) + Bu + h$, $r=\phi(x)$, $z=w^\top r$.
At a fixed point $x^*$ with gains $D=\operatorname{diag}(\phi'(x^*))$ the two linearizations are
$A_x=-I+JD$ (activation frame) and $A_r=-I+DJ$ (activity frame).

Instances and generators
    LinInstance                       -- a network (J, B, w, h, u0) at a fixed point x*, with tau
    g_smooth, g_saturated, g_gains    -- G-smooth, G-saturated, G-gains
    g_silent                          -- G-silent (ReLU network or algebraic gains with zeros)
    instance_from_spec                -- an :class:`numerics.RNNSpec` at its fixed point(s)
Fixed points
    FixedPoint, find_fixed_points     -- damped Newton, de-duplicated, ReLU margin rule
Vector fields and Jacobians
    activation_field, activity_field, rate_field, jacobians, fd_jacobian
    fd_jacobian_bound                 -- central differences with a per-entry error bound
    activation_field_rounding         -- rounding bound of one evaluation of F
Spectra
    match_eigenvalues                 -- optimal assignment (never sorting)
    eig_condition                     -- eigenvalues, left/right vectors, condition numbers s_i
    eigenvalue_tolerances             -- c·ε·‖A‖_F/s_i per eigenvalue
    mp_eigvals, mp_refine_fixed_point -- mpmath references (scoped precision)
Ranks
    mp_krylov_rank_entrywise, mp_hankel_rank_entrywise -- gap-tested, entrywise rounding levels
Whole network
    linearize                         -- the data behind ``rnnproof linearize`` (rnnproof.linearize/1)

Examples
--------
>>> rng = np.random.default_rng(0)
>>> inst = g_smooth(rng, n=5, activation="tanh")
>>> inst.residual < 1e-13
True
>>> A_x, A_r = jacobians(inst)
>>> D = np.diag(inst.gains)
>>> bool(np.allclose(D @ A_x, A_r @ D))     # claim linearization.intertwining
True
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Optional, Sequence, Union

import mpmath
import numpy as np
import scipy.linalg as sla
from scipy.optimize import linear_sum_assignment

from .activations import ACTIVATIONS, get_activation
from .errors import InputError

__all__ = [
    "LinInstance", "FixedPoint", "EPS",
    "g_smooth", "g_saturated", "g_gains", "g_silent", "instance_from_spec",
    "find_fixed_points", "activation_field", "activity_field", "rate_field", "jacobians",
    "fd_jacobian", "fd_jacobian_bound", "activation_field_rounding",
    "activity_field_rounding", "match_eigenvalues", "eig_condition", "eigenvalue_tolerances", "mp_eigvals",
    "mp_refine_fixed_point", "mp_krylov_rank_entrywise", "mp_hankel_rank_entrywise",
    "SMOOTH_ACTIVATIONS", "linearize",
]

EPS = float(np.finfo(float).eps)
SMOOTH_ACTIVATIONS = ("tanh", "sigmoid", "softplus")


# ------------------------------------------------------------------------------------------------
# Instances
# ------------------------------------------------------------------------------------------------
@dataclass(eq=False)
class LinInstance:
    r"""A network $\tau\dot x=-x+J\phi(x)+Bu+h$, $z=w^\top\phi(x)$, held at input $u_0$ and fixed point $x^*$.

    Parameters
    ----------
    J : (N, N) recurrent weights ($J_{ij}$ from unit j to unit i).
    B : (N, K) input matrix.      w : (N,) readout.      h : (N,) bias.      u0 : (K,) constant input.
    x_star : (N,) fixed point of the activation form.
    activation : name of $\phi$ (see :data:`numerics.ACTIVATIONS`).
    tau : scalar or (N,) time constants (default 1).
    d : optional (N,) explicit gains. Algebraic generators (G-silent without ReLU) set it; then
        :attr:`gains` returns it instead of $\phi'(x^*)$ and the instance is used only for claims
        that hold for *every* diagonal D.
    info : free-form description of the draw (generator, a, g, ...).
    """

    J: np.ndarray
    B: np.ndarray
    w: np.ndarray
    h: np.ndarray
    u0: np.ndarray
    x_star: np.ndarray
    activation: str = "tanh"
    tau: Union[float, np.ndarray] = 1.0
    d: Optional[np.ndarray] = None
    info: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of units N."""
        return self.J.shape[0]

    @property
    def act(self):
        """The :class:`numerics.Activation` record of :attr:`activation`."""
        return get_activation(self.activation)

    @property
    def gains(self) -> np.ndarray:
        r"""$d = \phi'(x^*)$ (or the explicit :attr:`d`)."""
        if self.d is not None:
            return np.asarray(self.d, dtype=float)
        return np.asarray(self.act.dphi(self.x_star), dtype=float)

    @property
    def r_star(self) -> np.ndarray:
        r"""$r^* = \phi(x^*)$."""
        return np.asarray(self.act.phi(self.x_star), dtype=float)

    @property
    def residual(self) -> float:
        r"""$\|F(x^*, u_0)\|_\infty$."""
        return float(np.max(np.abs(activation_field(self, self.x_star))))

    @property
    def tau_vector(self) -> np.ndarray:
        """Time constants as an (N,) vector."""
        return np.broadcast_to(np.asarray(self.tau, dtype=float), (self.n,)).copy()

    @property
    def silent(self) -> np.ndarray:
        """0-based indices of the units with zero gain (the silent set S)."""
        return np.flatnonzero(self.gains == 0.0)

    def with_tau(self, tau) -> "LinInstance":
        """A copy with other time constants (validated: positive and finite, naming ``tau``)."""
        tau_arr = np.asarray(tau, dtype=float)
        if tau_arr.ndim not in (0, 1) or (tau_arr.ndim == 1 and tau_arr.shape != (self.n,)):
            raise InputError(f"tau must be a scalar or have shape ({self.n},), got {tau_arr.shape}")
        if not np.all(np.isfinite(tau_arr)) or np.any(tau_arr <= 0):
            raise InputError("tau must be positive and finite in every entry")
        return replace(self, tau=tau_arr if tau_arr.ndim else float(tau_arr))


def _bias_for(J, B, u0, x_star, act):
    # Plant the fixed point: h := x* - J phi(x*) - B u0.
    return x_star - J @ act.phi(x_star) - B @ u0


def _draw_network(rng, n, K, g, symmetric):
    Z = rng.standard_normal((n, n))
    if symmetric:
        Z = (Z + Z.T) / np.sqrt(2.0)
    J = g * Z / np.sqrt(n)
    B = rng.standard_normal((n, K))
    w = rng.standard_normal(n)
    u0 = rng.standard_normal(K)
    return J, B, w, u0


def _check_n(n, low=1, high=None, name="n"):
    if n is None:
        return None
    if not isinstance(n, (int, np.integer)) or n < low or (high is not None and n > high):
        raise InputError(f"{name} must be an integer in [{low}, {high or 'inf'}], got {n!r}")
    return int(n)


def g_smooth(rng: np.random.Generator, n: Optional[int] = None, activation: Optional[str] = None,
             a: Optional[float] = None, g: Optional[float] = None, symmetric: bool = False,
             a_range=(0.1, 3.0), K: Optional[int] = None) -> LinInstance:
    r"""G-smooth: smooth gains at a planted fixed point.

    $N\in[2,30]$, $K\in[1,3]$, $g\in[0.3,2]$, $J=gZ/\sqrt N$; $Z, B, w, u_0$ i.i.d. N(0,1);
    $x^*_i\sim U[-a,a]$ with $a\in[0.1,3]$; $h := x^*-J\phi(x^*)-Bu_0$, so $F(x^*)=O(\varepsilon)$.
    ``symmetric=True`` symmetrises Z (claim ``linearization.symmetric_real_spectrum``).

    >>> inst = g_smooth(np.random.default_rng(1), n=4, activation="sigmoid")
    >>> inst.n, inst.activation, bool(np.all(inst.gains > 0))
    (4, 'sigmoid', True)
    """
    n = _check_n(n, 1) if n is not None else int(rng.integers(2, 31))
    K = _check_n(K, 1, name="K") if K is not None else int(rng.integers(1, 4))
    if activation is None:
        activation = SMOOTH_ACTIVATIONS[int(rng.integers(len(SMOOTH_ACTIVATIONS)))]
    act = get_activation(activation)
    g = float(rng.uniform(0.3, 2.0)) if g is None else float(g)
    a = float(rng.uniform(*a_range)) if a is None else float(a)
    J, B, w, u0 = _draw_network(rng, n, K, g, symmetric)
    x_star = rng.uniform(-a, a, n)
    h = _bias_for(J, B, u0, x_star, act)
    return LinInstance(J, B, w, h, u0, x_star, activation, 1.0,
                       info={"generator": "G-smooth", "n": n, "K": K, "g": g, "a": a,
                             "activation": activation, "symmetric": symmetric})


def g_saturated(rng: np.random.Generator, n: Optional[int] = None, activation: str = "tanh",
                a: Optional[float] = None, g: Optional[float] = None,
                symmetric: bool = False) -> LinInstance:
    r"""G-saturated: G-smooth with $a\in[3,8]$; tanh gains fall to about $10^{-7}$.

    >>> inst = g_saturated(np.random.default_rng(2), n=30, a=8.0)
    >>> bool(inst.gains.min() < 1e-4)
    True
    """
    inst = g_smooth(rng, n=n, activation=activation, a=a, g=g, symmetric=symmetric, a_range=(3.0, 8.0))
    inst.info["generator"] = "G-saturated"
    return inst


def g_gains(rng: np.random.Generator, n: Optional[int] = None, d_min: Optional[float] = None,
            g: Optional[float] = None) -> LinInstance:
    r"""G-gains: gains drawn directly, $d_i$ log-uniform in $[d_{\min},1]$, $d_{\min}$ log-uniform in $[10^{-8},1]$.

    The draw is realised as a tanh network: $x^*_i=\pm\operatorname{artanh}\sqrt{1-d_i}$ (random
    sign), so that $\phi'(x^*_i)=d_i$ up to rounding, and $h$ plants the fixed point.

    >>> inst = g_gains(np.random.default_rng(3), n=6, d_min=1e-6)
    >>> bool(np.all((inst.gains >= 1e-6 * (1 - 1e-6)) & (inst.gains <= 1)))
    True
    """
    n = _check_n(n, 1) if n is not None else int(rng.integers(2, 31))
    if d_min is None:
        d_min = float(10.0 ** rng.uniform(-8.0, 0.0))
    if not 0 < d_min <= 1:
        raise InputError(f"d_min must lie in (0, 1], got {d_min!r}")
    d = 10.0 ** rng.uniform(np.log10(d_min), 0.0, n)
    x_star = rng.choice([-1.0, 1.0], n) * np.arctanh(np.sqrt(np.clip(1.0 - d, 0.0, 1.0 - 1e-17)))
    g = float(rng.uniform(0.3, 2.0)) if g is None else float(g)
    K = int(rng.integers(1, 4))
    J, B, w, u0 = _draw_network(rng, n, K, g, False)
    act = ACTIVATIONS["tanh"]
    h = _bias_for(J, B, u0, x_star, act)
    return LinInstance(J, B, w, h, u0, x_star, "tanh", 1.0,
                       info={"generator": "G-gains", "n": n, "d_min": d_min, "g": g})


def g_silent(rng: np.random.Generator, n: Optional[int] = None, relu: bool = False,
             g: Optional[float] = None, silent: Optional[Sequence[int]] = None) -> LinInstance:
    r"""G-silent: a random nonempty proper silent set S with $d_S=0$.

    ``relu=True``: a ReLU network with planted $x^*_A\in[0.1,3]$, $x^*_S\in[-3,-0.1]$, so the gains
    (1 on A, 0 on S) are defined with a margin. Otherwise an algebraic draw: $d_A\in[0.1,1]$ and
    $d_S=0$ stored in :attr:`LinInstance.d` (the tanh network carried along is not at those gains).

    >>> inst = g_silent(np.random.default_rng(4), n=5, relu=True)
    >>> 0 < len(inst.silent) < 5 and inst.residual < 1e-13
    True
    """
    n = _check_n(n, 2) if n is not None else int(rng.integers(2, 31))
    if silent is None:
        size = int(rng.integers(1, n))
        silent = np.sort(rng.choice(n, size, replace=False))
    silent = np.asarray(silent, dtype=int)
    if silent.size == 0 or silent.size >= n or silent.min() < 0 or silent.max() >= n:
        raise InputError(f"silent must be a nonempty proper subset of range({n}), got {silent.tolist()}")
    mask = np.zeros(n, bool)
    mask[silent] = True
    g = float(rng.uniform(0.3, 2.0)) if g is None else float(g)
    K = int(rng.integers(1, 4))
    J, B, w, u0 = _draw_network(rng, n, K, g, False)
    if relu:
        x_star = np.where(mask, -rng.uniform(0.1, 3.0, n), rng.uniform(0.1, 3.0, n))
        act = ACTIVATIONS["relu"]
        d = None
        name = "relu"
    else:
        d = np.where(mask, 0.0, rng.uniform(0.1, 1.0, n))
        x_star = np.arctanh(np.sqrt(1.0 - np.where(mask, 0.5, d)))
        act = ACTIVATIONS["tanh"]
        name = "tanh"
    h = _bias_for(J, B, u0, x_star, act)
    return LinInstance(J, B, w, h, u0, x_star, name, 1.0, d=d,
                       info={"generator": "G-silent", "n": n, "silent": silent.tolist(), "g": g,
                             "relu": relu})


# ------------------------------------------------------------------------------------------------
# Vector fields and Jacobians
# ------------------------------------------------------------------------------------------------
def activation_field(inst: LinInstance, x, u=None) -> np.ndarray:
    r"""$F(x,u)=-x+J\phi(x)+Bu+h$ (``u`` defaults to $u_0$); the ODE is $\tau\dot x=F$."""
    u = inst.u0 if u is None else u
    return -x + inst.J @ inst.act.phi(x) + inst.B @ u + inst.h


def activity_field(inst: LinInstance, r, u=None) -> np.ndarray:
    r"""$\tau\dot r=\phi'(x)\odot(-x+Jr+Bu+h)$ with $x=\phi^{-1}(r)$ (needs $\phi'>0$)."""
    act = inst.act
    if not act.strictly_monotone or act.inverse is None:
        raise InputError(f"activity form needs a strictly monotone activation, got {inst.activation!r}")
    u = inst.u0 if u is None else u
    x = act.inverse(np.asarray(r, dtype=float))
    return act.dphi(x) * (-x + inst.J @ r + inst.B @ u + inst.h)


def rate_field(inst: LinInstance, r, u=None) -> np.ndarray:
    r"""Rate model $\tau\dot r=-r+\phi(Jr+Bu+h)$ (claim ``linearization.rate_model_equivalence``)."""
    u = inst.u0 if u is None else u
    return -r + inst.act.phi(inst.J @ r + inst.B @ u + inst.h)


def jacobians(inst: LinInstance, gains=None):
    r"""$(A_x, A_r) = (-I+JD,\,-I+DJ)$ formed by diagonal scaling (no products, no $D^{-1}$)."""
    d = inst.gains if gains is None else np.asarray(gains, dtype=float)
    eye = np.eye(inst.n)
    return -eye + inst.J * d[None, :], -eye + d[:, None] * inst.J


def fd_jacobian(f, x, h=None) -> np.ndarray:
    r"""Central finite-difference Jacobian of ``f`` at ``x``.

    Step $h_j=\varepsilon^{1/3}(1+|x_j|)$; the error is $O(h^2)+O(\varepsilon/h)\approx10^{-7}$ relative.

    >>> A = np.array([[1.0, 2.0], [0.5, -1.0]])
    >>> bool(np.allclose(fd_jacobian(lambda v: np.sin(A @ v), np.zeros(2)), A, rtol=1e-8))
    True
    """
    x = np.asarray(x, dtype=float)
    steps = EPS ** (1.0 / 3.0) * (1.0 + np.abs(x)) if h is None else np.broadcast_to(h, x.shape)
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = steps[j]
        # (x + e) - x is the step actually taken in floating point.
        hp = (x + e) - x
        cols.append((np.asarray(f(x + e)) - np.asarray(f(x - e))) / (2.0 * hp[j]))
    return np.column_stack(cols)


def fd_jacobian_bound(f, x, rounding):
    r"""Central differences with a per-entry error bound: ``(D_h, bound)``.

    $D_h$ is :func:`fd_jacobian` at $h_j=\varepsilon^{1/3}(1+|x_j|)$. Its error has two parts.

    * Truncation: $D_h = J_f + C h^2 + O(h^4)$ entrywise, so $D_{2h}-D_h = 3Ch^2 + O(h^4)$ and
      $|D_{2h}-D_h|/3$ estimates the $h^2$ term (Richardson; the $h^4$ remainder enters the
      estimate with weight 5, so it over-covers it). No fixed "10⁻⁷".
    * Rounding: ``rounding[i]`` bounds $|\mathrm{fl}(f_i(v))-f_i(v)|$ for $v$ near $x$; the
      difference quotient divides two such errors by $2h_j$, giving ``rounding[i]/h_j``, and
      the step $x\pm h_je_j$ itself rounds by $\varepsilon|x_j|$, giving
      $\varepsilon|D_{ij}|(1+|x_j|)/h_j$.

    ``bound`` is the sum (the Richardson estimate also carries the rounding of both quotients, so
    it is not tight when rounding dominates).

    >>> A = np.array([[1.0, 2.0], [0.5, -1.0]])
    >>> D, bound = fd_jacobian_bound(lambda v: np.sin(A @ v), np.full(2, 0.3), np.full(2, 8 * EPS))
    >>> exact = np.cos(A @ np.full(2, 0.3))[:, None] * A
    >>> bool(np.all(np.abs(D - exact) <= bound))
    True
    """
    x = np.asarray(x, dtype=float)
    h = EPS ** (1.0 / 3.0) * (1.0 + np.abs(x))
    D1 = fd_jacobian(f, x, h)
    D2 = fd_jacobian(f, x, 2.0 * h)
    hp = (x + h) - x
    rho = np.broadcast_to(np.asarray(rounding, dtype=float), (D1.shape[0],))
    bound = np.abs(D2 - D1) / 3.0 + rho[:, None] / hp[None, :] \
        + EPS * np.abs(D1) * (1.0 + np.abs(x))[None, :] / hp[None, :]
    return D1, bound


def activation_field_rounding(inst: LinInstance, x, u=None) -> np.ndarray:
    r"""Bound on the rounding of one evaluation of $F(x,u)=-x+J\phi(x)+Bu+h$, per component.

    $(N+K+4)\,\varepsilon\,(|x|+|J||\phi(x)|+|B||u|+|h|)_i$: the standard $\gamma_m$ bound for
    the two dot products and the three additions, with $\phi$ evaluated to a few ulps.
    """
    u = inst.u0 if u is None else u
    x = np.asarray(x, dtype=float)
    S = np.abs(x) + np.abs(inst.J) @ np.abs(inst.act.phi(x)) + np.abs(inst.B) @ np.abs(u) + np.abs(inst.h)
    return (inst.n + inst.B.shape[1] + 4) * EPS * S


def activity_field_rounding(inst: LinInstance, r, u=None, x_coordinates: bool = False) -> np.ndarray:
    r"""Bound on the rounding of one evaluation of the activity field $g=\phi'(x)\odot(-x+Jr+Bu+h)$,
    $x=\phi^{-1}(r)$, per component (``x_coordinates``: of $x\mapsto g(\phi(x))$).

    * $x=\phi^{-1}(r)$ is computed to $\delta x\le4\varepsilon|x|+2\varepsilon|r|/\phi'(x)$ (the
      inverse's own rounding and the ulp of $r$ amplified by $(\phi^{-1})'$); it enters $g_i$ through
      $-\phi'(x_i)\delta x_i$ and through $\phi''\delta x\,F$ with $|\phi''/\phi'|\le2$.
    * the bracket is a $\gamma_{N+K+4}$-bounded sum of $|x|+|J||r|+|B||u|+|h|$; the product adds $4\varepsilon|g|$.
    * in x coordinates $r=\mathrm{fl}(\phi(x))$ is off by $2\varepsilon|r|$, which moves $g$ by at
      most $(D|J|+(1+2|F|)I)\,2\varepsilon|r|$.
    """
    act = inst.act
    u = inst.u0 if u is None else u
    r = np.asarray(r, dtype=float)
    x = act.inverse(r)
    d = act.dphi(x)
    bracket = -x + inst.J @ r + inst.B @ u + inst.h
    S = np.abs(x) + np.abs(inst.J) @ np.abs(r) + np.abs(inst.B) @ np.abs(u) + np.abs(inst.h)
    dx = 4 * EPS * np.abs(x) + 2 * EPS * np.abs(r) / d
    rho = d * ((inst.n + inst.B.shape[1] + 4) * EPS * S + dx * (1.0 + 2.0 * np.abs(bracket))) \
        + 4 * EPS * np.abs(d * bracket)
    if x_coordinates:
        rho = rho + (d[:, None] * np.abs(inst.J)) @ (2 * EPS * np.abs(r)) \
            + (1.0 + 2.0 * np.abs(bracket)) * 2 * EPS * np.abs(r)
    return rho


# ------------------------------------------------------------------------------------------------
# Fixed points
# ------------------------------------------------------------------------------------------------
@dataclass(eq=False)
class FixedPoint:
    """A Newton solution of $F(x)=0$: ``x``, ``residual`` ($\\|F\\|_\\infty$), ``iterations``,
    ``sigma_min`` ($\\sigma_{\\min}(A_x)$), ``converged`` and the ``start`` that produced it."""

    x: np.ndarray
    residual: float
    iterations: int
    sigma_min: float
    converged: bool
    start: str


def _validate_network(J, B, u0, h, activation):
    J = np.asarray(J)
    if J.ndim != 2 or J.shape[0] != J.shape[1] or J.shape[0] == 0:
        raise InputError(f"J must be a nonempty square matrix, got shape {J.shape}")
    if J.dtype.kind not in "iuf":
        raise InputError(f"J must be a real numeric array, got dtype {J.dtype}")
    n = J.shape[0]
    J = J.astype(float)
    if not np.all(np.isfinite(J)):
        raise InputError("J contains NaN or Inf; every entry must be finite")
    B = np.zeros((n, 0)) if B is None else np.asarray(B, dtype=float)
    if B.ndim != 2 or B.shape[0] != n:
        raise InputError(f"B must have shape ({n}, K), got {B.shape}")
    u0 = np.zeros(B.shape[1]) if u0 is None else np.asarray(u0, dtype=float).reshape(-1)
    if u0.shape != (B.shape[1],):
        raise InputError(f"u0 (the constant input) must have shape ({B.shape[1]},) to match B, got {u0.shape}")
    h = np.zeros(n) if h is None else np.asarray(h, dtype=float)
    if h.shape != (n,):
        raise InputError(f"h must have shape ({n},), got {h.shape}")
    for name, v in (("B", B), ("u0", u0), ("h", h)):
        if not np.all(np.isfinite(v)):
            raise InputError(f"{name} contains NaN or Inf; every entry must be finite")
    return J, B, u0, h, get_activation(activation)


def _newton(J, c, act, x0, tol, max_iter, relu, relu_gain_at_zero):
    """Damped Newton on F(x) = -x + J phi(x) + c with the analytic Jacobian -I + J D(x) and
    backtracking on ||F||_2 (Armijo). Hand-written because scipy.optimize.root offers no
    analytic-Jacobian Newton with a residual-norm line search and reusable factors."""
    n = J.shape[0]
    x = np.array(x0, dtype=float)

    def F(v):
        return -v + J @ act.phi(v) + c

    def gains(v):
        d = act.dphi(v)
        if relu and relu_gain_at_zero is not None:
            d = np.where(v == 0.0, float(relu_gain_at_zero), d)
        return d

    fx = F(x)
    nrm = np.linalg.norm(fx)
    it = 0
    for it in range(1, max_iter + 1):
        if np.max(np.abs(fx)) <= tol * (1.0 + np.max(np.abs(x))):
            return x, fx, it - 1, True
        A = J * gains(x)[None, :]
        A[np.diag_indices(n)] -= 1.0
        try:
            step = sla.solve(A, -fx, check_finite=False)
        except (sla.LinAlgError, ValueError):
            return x, fx, it, False
        t = 1.0
        while True:
            xn = x + t * step
            fn = F(xn)
            nn = np.linalg.norm(fn)
            if nn <= (1.0 - 1e-4 * t) * nrm or t < 1e-10:
                break
            t *= 0.5
        if t < 1e-10 and nn >= nrm:
            return x, fx, it, bool(np.max(np.abs(fx)) <= tol * (1.0 + np.max(np.abs(x))))
        x, fx, nrm = xn, fn, nn
    return x, fx, max_iter, bool(np.max(np.abs(fx)) <= tol * (1.0 + np.max(np.abs(x))))


def find_fixed_points(J, B=None, u0=None, h=None, activation="tanh", starts=(), rng=None,
                      n_random=4, tol=1e-13, relu_margin=1e-9, relu_gain_at_zero=None,
                      max_iter=100, sigma_min=True, stop_at_first=False,
                      progress: Optional[Callable[[int, int], None]] = None) -> list:
    r"""Fixed points of $F(x)=-x+J\phi(x)+Bu_0+h$ by damped Newton.

    Starts, in this order: the user's ``starts``, $Bu_0+h$, $0$, and ``n_random`` seeded random
    starts $(Bu_0+h)+\xi$, $\xi\sim N(0, (1+\|J\|_F/\sqrt N)^2)$ (only when ``rng`` is given).
    Converged solutions ($\|F\|_\infty\le\text{tol}(1+\|x\|_\infty)$) are de-duplicated and returned
    in start order. If no start converges, the list holds the single best attempt with
    ``converged=False``; callers must not use it as a fixed point.

    ReLU: Newton with $D(x)$ solves the current activation pattern exactly, so it stops when the
    pattern is consistent; a unit with $|x^*_i|\le$ ``relu_margin`` raises :class:`InputError`
    ("gain undefined at 0") unless ``relu_gain_at_zero`` in {0, 1} is given.

    ``sigma_min=False`` skips $\sigma_{\min}(A_x(x^*))$ (reported as NaN); ``stop_at_first`` stops
    after the first converged start. ``progress(done, total)`` is called after each of the
    ``total`` starts (with ``done = total`` when the search stops early).

    >>> inst = g_smooth(np.random.default_rng(5), n=6, activation="tanh", g=0.5)
    >>> fps = find_fixed_points(inst.J, inst.B, inst.u0, inst.h, "tanh")
    >>> len(fps), fps[0].converged, bool(np.allclose(fps[0].x, inst.x_star, atol=1e-10))
    (1, True, True)
    """
    J, B, u0, h, act = _validate_network(J, B, u0, h, activation)
    n = J.shape[0]
    relu = act.name == "relu"
    if relu_gain_at_zero is not None and relu_gain_at_zero not in (0, 1):
        raise InputError(f"relu_gain_at_zero must be 0 or 1 (the convention for phi'(0)), got {relu_gain_at_zero!r}")
    if not (tol > 0 and np.isfinite(tol)):
        raise InputError(f"tol must be positive and finite, got {tol!r}")
    c = B @ u0 + h
    candidates = []
    for i, s in enumerate(starts):
        s = np.asarray(s, dtype=float)
        if s.shape != (n,) or not np.all(np.isfinite(s)):
            raise InputError(f"starts[{i}] must be a finite vector of shape ({n},), got shape {s.shape}")
        candidates.append((f"user {i}", s))
    candidates.append(("Bu0+h", c.copy()))
    candidates.append(("zero", np.zeros(n)))
    if rng is not None:
        scale = 1.0 + np.linalg.norm(J) / np.sqrt(n)
        for i in range(int(n_random)):
            candidates.append((f"random {i}", c + scale * rng.standard_normal(n)))
    found, best = [], None
    for tried, (label, x0) in enumerate(candidates, start=1):
        if progress is not None and tried > 1:
            progress(tried - 1, len(candidates))
        x, fx, its, ok = _newton(J, c, act, x0, tol, max_iter, relu, relu_gain_at_zero)
        res = float(np.max(np.abs(fx)))
        if not ok:
            if best is None or res < best[1]:
                best = (x, res, its, label)
            continue
        scale_x = 1.0 + np.max(np.abs(x))
        if any(np.max(np.abs(x - fp.x)) <= 1e-8 * scale_x for fp in found):
            continue
        if relu:
            near = np.flatnonzero(np.abs(x) <= relu_margin)
            if near.size and relu_gain_at_zero is None:
                raise InputError(
                    f"ReLU fixed point (start {label}) has unit(s) {near.tolist()} within "
                    f"relu_margin={relu_margin:g} of 0: gain undefined at 0; pass "
                    "relu_gain_at_zero=0 or 1 to choose a convention")
        found.append(FixedPoint(x, res, its, np.nan, True, label))
        if stop_at_first:
            break
    if progress is not None:
        progress(len(candidates), len(candidates))
    if not found:
        x, res, its, label = best
        found = [FixedPoint(x, res, its, np.nan, False, label)]
    if sigma_min:
        for fp in found:
            d = act.dphi(fp.x)
            if relu and relu_gain_at_zero is not None:
                d = np.where(fp.x == 0.0, float(relu_gain_at_zero), d)
            A = J * d[None, :]
            A[np.diag_indices(n)] -= 1.0
            fp.sigma_min = float(sla.svdvals(A, check_finite=False)[-1])
    return found


def instance_from_spec(spec, u0=None, rng=None, n_random=0, w=None, **kwargs):
    r"""Fixed points of a :class:`numerics.RNNSpec` as :class:`LinInstance` objects.

    The fixed-point equation $a=J\phi(a)+Bu_0+b$ is the same for continuous, vanilla discrete and
    leaky discrete networks, so one solver serves all. ``u0`` is the constant input
    (default zeros); ``w`` defaults to the first row of ``C`` (or zeros). Returns
    ``(instances, fixed_points)`` with one instance per converged fixed point.
    """
    n, m = spec.n, spec.m
    Bm = spec.input_matrix()
    if u0 is None:
        u0 = np.zeros(m)
    try:
        u0 = np.asarray(u0, dtype=float)
    except (TypeError, ValueError):
        raise InputError("the constant input must be a numeric vector") from None
    if u0.ndim > 1 or u0.size != m:
        raise InputError(f"the constant input must be a vector of length m = {m} (the columns of B), "
                         f"got shape {u0.shape}")
    u0 = u0.reshape(m)
    if not np.all(np.isfinite(u0)):
        raise InputError("the constant input contains NaN or Inf; every entry must be finite")
    if w is None:
        w = spec.C[0] if spec.C is not None else np.zeros(n)
    fps = find_fixed_points(spec.W, Bm, u0, spec.bias(), spec.activation, rng=rng, n_random=n_random,
                            **kwargs)
    tau = 1.0 if spec.tau is None else (spec.tau if np.ndim(spec.tau) else float(spec.tau))
    insts = [LinInstance(np.asarray(spec.W), Bm, np.asarray(w, float), spec.bias(), u0, fp.x,
                         spec.activation, tau, info={"start": fp.start})
             for fp in fps if fp.converged]
    return insts, fps


# ------------------------------------------------------------------------------------------------
# Spectra
# ------------------------------------------------------------------------------------------------
def match_eigenvalues(a, b):
    r"""Pair the eigenvalues ``a`` with ``b`` by optimal assignment on $|a_i-b_j|$.

    Returns ``(perm, distances)`` with ``b[perm][i]`` paired to ``a[i]`` and
    ``distances[i] = |a[i] - b[perm[i]]|``. Never sorts (sorting mis-pairs conjugates and near-ties).

    >>> perm, dist = match_eigenvalues([1 + 1j, 1 - 1j, 0], [0, 1 - 1j, 1 + 1j])
    >>> perm.tolist(), float(dist.max())
    ([2, 1, 0], 0.0)
    """
    a = np.asarray(a, dtype=complex).reshape(-1)
    b = np.asarray(b, dtype=complex).reshape(-1)
    if a.shape != b.shape:
        raise InputError(f"a and b must have the same length, got {a.size} and {b.size}")
    cost = np.abs(a[:, None] - b[None, :])
    rows, cols = linear_sum_assignment(cost)
    perm = np.empty(a.size, dtype=int)
    perm[rows] = cols
    return perm, np.abs(a - b[perm])


def eig_condition(A):
    r"""Eigenvalues, left and right eigenvectors and condition numbers $s_i=|u_i^Hv_i|/(\|u_i\|\|v_i\|)$.

    One ``scipy.linalg.eig(A, left=True)`` call. Returns ``(w, VL, VR, s)``; ``VL[:, i]`` satisfies
    $u^HA=\lambda u^H$. Small $s_i$ means an ill-conditioned eigenvalue ($1/s_i$ amplifies).

    >>> w, VL, VR, s = eig_condition(np.array([[1.0, 0.0], [0.0, 2.0]]))
    >>> s.tolist()
    [1.0, 1.0]
    """
    A = np.asarray(A)
    w, VL, VR = sla.eig(A, left=True, right=True, check_finite=False)
    num = np.abs(np.einsum("ij,ij->j", VL.conj(), VR))
    den = np.linalg.norm(VL, axis=0) * np.linalg.norm(VR, axis=0)
    return w, VL, VR, num / den


def eigenvalue_tolerances(A, s, c=100.0):
    r"""Per-eigenvalue tolerance $c\,\varepsilon\,\|A\|_F/s_i$."""
    return c * EPS * np.linalg.norm(A) / np.maximum(np.asarray(s, float), np.finfo(float).tiny)


def mp_eigvals(A, dps=50) -> np.ndarray:
    r"""Eigenvalues of the float64 matrix ``A`` computed by ``mpmath.eig`` at ``dps`` digits.

    The input is taken exactly (each double is a dyadic rational), so the result is the spectrum of
    the stored matrix to about ``dps`` digits, returned rounded to complex128.

    >>> bool(np.allclose(np.sort_complex(mp_eigvals(np.diag([2.0, -1.0]), 30)), [-1, 2]))
    True
    """
    A = np.asarray(A, dtype=float)
    with mpmath.mp.workdps(dps):
        ev = mpmath.eig(mpmath.matrix(A.tolist()), left=False, right=False)
        return np.array([complex(e) for e in ev])


def mp_refine_fixed_point(inst: LinInstance, dps=50, iterations=4):
    r"""Newton refinement of $x^*$ with ``mpmath.lu_solve`` inside ``mp.workdps(dps)``.

    Returns ``(x, residual)`` as mpmath matrices/number at the working precision, for reference
    values. Only for the smooth activations (tanh, sigmoid, softplus).
    """
    if inst.activation not in SMOOTH_ACTIVATIONS:
        raise InputError(f"mpmath refinement supports {', '.join(SMOOTH_ACTIVATIONS)}, got {inst.activation!r}")
    with mpmath.mp.workdps(dps):
        phi, dphi = _mp_activation(inst.activation)
        n = inst.n
        J = mpmath.matrix(inst.J.tolist())
        c = mpmath.matrix((inst.B @ inst.u0 + inst.h).tolist()) if inst.B.size else mpmath.matrix(inst.h.tolist())
        x = mpmath.matrix(inst.x_star.tolist())

        def F(v):
            r = mpmath.matrix([phi(v[i]) for i in range(n)])
            return -v + J * r + c

        for _ in range(iterations):
            fx = F(x)
            A = mpmath.matrix(n, n)
            for i in range(n):
                for j in range(n):
                    A[i, j] = J[i, j] * dphi(x[j]) - (1 if i == j else 0)
            x = x - mpmath.lu_solve(A, fx)
        return x, mpmath.norm(F(x), mpmath.inf)


def _mp_activation(name):
    if name == "tanh":
        return mpmath.tanh, lambda v: 1 - mpmath.tanh(v) ** 2
    if name == "sigmoid":
        sig = lambda v: 1 / (1 + mpmath.exp(-v))  # noqa: E731
        return sig, lambda v: sig(v) * (1 - sig(v))
    if name == "softplus":
        return lambda v: mpmath.log1p(mpmath.exp(v)), lambda v: 1 / (1 + mpmath.exp(-v))
    raise InputError(f"no mpmath form for activation {name!r}")


# ------------------------------------------------------------------------------------------------
# Krylov and Hankel ranks with entrywise rounding levels (claim linearization.krylov_controllability)
# ------------------------------------------------------------------------------------------------
def _mp_vector(v, scale=None):
    """An mpmath column from float64 entries, times ``scale`` entrywise (formed exactly: a product
    of two doubles is exact at >= 32 digits, where float64 could underflow or round)."""
    v = np.asarray(v, float).reshape(-1)
    s = np.ones_like(v) if scale is None else np.asarray(scale, float).reshape(-1)
    if s.shape != v.shape:
        raise InputError(f"a scale vector must have shape {v.shape}, got {s.shape}")
    return mpmath.matrix([[mpmath.mpf(float(a)) * mpmath.mpf(float(b))] for a, b in zip(v, s)])


def _mp_entrywise_rank(M, majorant, n_ops: int):
    r"""Gap-tested rank of the mpmath matrix ``M`` whose computed entries satisfy
    $|\mathrm{fl}(M)_{ij} - M_{ij}| \le n_{\mathrm{ops}}\,u\,\mathrm{majorant}_{ij}$, $u = 10^{-\mathrm{dps}}$
    (call inside ``workdps``).

    Rows and columns are scaled by the majorant's row, then column maxima (a nonsingular diagonal
    scaling keeps the rank and the entrywise bound); rows or columns whose majorant is 0 are exactly
    0 and dropped. Then $\|E\|_2 \le \|E\|_F \le n_{\mathrm{ops}}\,u\,\|\tilde M_{\mathrm{aj}}\|_F$,
    the rounding level handed to the gap test. mpmath exponents do not underflow, so an entry near
    $10^{-300}$ keeps its full relative accuracy and is not mistaken for noise. ``n_ops`` counts the
    two scaling divisions, each one more rounding per entry."""
    from ._linearization_ranks import RankResult, _mp_rank
    rows = [i for i in range(M.rows) if any(majorant[i, j] > 0 for j in range(M.cols))]
    cols = [j for j in range(M.cols) if any(majorant[i, j] > 0 for i in rows)]
    if not rows or not cols:
        return RankResult(0, 0.0, 0.0, 0.0)
    S = mpmath.matrix(len(rows), len(cols))
    Sm = mpmath.matrix(len(rows), len(cols))
    for a, i in enumerate(rows):
        r = max(majorant[i, j] for j in cols)
        for b, j in enumerate(cols):
            S[a, b], Sm[a, b] = M[i, j] / r, majorant[i, j] / r
    for b in range(len(cols)):
        c = max(Sm[a, b] for a in range(len(rows)))
        for a in range(len(rows)):
            S[a, b], Sm[a, b] = S[a, b] / c, Sm[a, b] / c
    return _mp_rank(S, n_ops, mpmath.mnorm(Sm, "f"))


def mp_krylov_rank_entrywise(A, b, dps: int = 50, b_scale=None):
    r"""Rank of $K = [b, Ab, \dots, A^{n-1}b]$ at ``dps`` digits with the gap test, the rounding level
    taken entrywise: column $k$ is $k$ matrix-vector products, so
    $|\mathrm{fl}(A^kb) - A^kb| \le \gamma_{kn}\,|A|^k|b|$ (claim ``linearization.krylov_controllability``).
    ``b_scale`` replaces $b$ by $\operatorname{diag}(b\_scale)\,b$, formed exactly in mpmath.

    With $D \ge 0$ diagonal, $|{-I}+DJ|^kD = D|{-I}+JD|^k$, so the majorant of $K_r = DK_x$ is $D$
    times that of $K_x$: both frames' rank decisions see the same scaled matrix (a norm product
    such as $\|A\|^k\|b\|$ does not: D may remove the large entries of $b$ in one frame only).

    >>> mp_krylov_rank_entrywise(np.array([[0.0, 1.0], [0.0, 0.0]]), np.array([1.0, 0.0])).rank
    1
    >>> mp_krylov_rank_entrywise(np.diag([-1.0, -2.0]), np.array([1.0, 1e-300])).rank   # exact rank 2
    2
    """
    from ._linearization_ranks import _check_dps, _mp_matrix, _square
    dps = _check_dps(dps)
    A = _square("A", A)
    n = A.shape[0]
    if np.asarray(b).size != n:
        raise InputError(f"b must have shape ({n},), got {np.shape(b)}")
    with mpmath.mp.workdps(dps):
        M_A = _mp_matrix(A)
        M_abs = _mp_matrix(np.abs(A))
        v = _mp_vector(b, b_scale)
        m = mpmath.matrix([[abs(x)] for x in v])
        K, K_maj = mpmath.matrix(n, n), mpmath.matrix(n, n)
        for k in range(n):
            for i in range(n):
                K[i, k], K_maj[i, k] = v[i], m[i]
            v, m = M_A * v, M_abs * m
        return _mp_entrywise_rank(K, K_maj, n * n + 2)    # + the two scaling divisions


def mp_hankel_rank_entrywise(A, b, c, dps: int = 50, b_scale=None, c_scale=None):
    r"""McMillan degree: rank of the Hankel matrix $H_{ij} = c^TA^{i+j}b$ ($0 \le i, j < n$) at
    ``dps`` digits with the gap test, the rounding level taken entrywise: $H_{ij}$ is $i+j$
    matrix-vector products and a dot product, so $|\mathrm{fl}(H_{ij}) - H_{ij}| \le
    \gamma_{2n^2}\,\mu_{i+j}$ with the majorant $\mu_k = |c|^T|A|^k|b|$ (claim
    ``linearization.krylov_controllability``). ``b_scale``/``c_scale`` multiply b/c entrywise in mpmath.

    The majorant is frame-invariant for $D \ge 0$: $|w|^T|A_r|^k|Db| = |Dw|^T|A_x|^k|b|$, while
    the norm product $\|c\|\|b\|\|A\|^{2n-2}$ differs between the frames by $\|Dw\|\|b\|/(\|w\|\|Db\|)$,
    unbounded when D removes the large entries of b or w.

    >>> mp_hankel_rank_entrywise(np.diag([1.0, 2.0]), np.array([1.0, 1.0]), np.array([1.0, 0.0])).rank
    1
    >>> mp_hankel_rank_entrywise(-np.eye(2), np.array([1.0, 1e-289]), np.array([0.0, 1.0])).rank
    1
    """
    from ._linearization_ranks import _check_dps, _mp_matrix, _square
    dps = _check_dps(dps)
    A = _square("A", A)
    n = A.shape[0]
    if np.asarray(b).size != n or np.asarray(c).size != n:
        raise InputError(f"b and c must have shape ({n},), got {np.shape(b)} and {np.shape(c)}")
    with mpmath.mp.workdps(dps):
        M_A, M_abs = _mp_matrix(A), _mp_matrix(np.abs(A))
        v, w = _mp_vector(b, b_scale), _mp_vector(c, c_scale)
        m, wa = mpmath.matrix([[abs(x)] for x in v]), mpmath.matrix([[abs(x)] for x in w])
        markov, major = [], []
        for _ in range(2 * n - 1):
            markov.append(mpmath.fsum(w[i] * v[i] for i in range(n)))
            major.append(mpmath.fsum(wa[i] * m[i] for i in range(n)))
            v, m = M_A * v, M_abs * m
        H, H_maj = mpmath.matrix(n, n), mpmath.matrix(n, n)
        for i in range(n):
            for j in range(n):
                H[i, j], H_maj[i, j] = markov[i + j], major[i + j]
        return _mp_entrywise_rank(H, H_maj, 2 * n * n + 2)


# ------------------------------------------------------------------------------------------------
# Whole-network analysis (``rnnproof linearize``)
# ------------------------------------------------------------------------------------------------
def _pairs(w):
    return [[float(z.real), float(z.imag)] for z in np.asarray(w, dtype=complex)]


def _finite(x):
    x = float(x)
    return x if np.isfinite(x) else None


def _frame_matrices(spec, J, d):
    """(A_x, A_r, special, label): the two Jacobians in the network's own time convention and the
    eigenvalue that silent units produce."""
    n = J.shape[0]
    JD = J * d[None, :]
    DJ = d[:, None] * J
    if spec.time == "continuous":
        tau = spec.tau_vector()
        A_x, A_r = JD, DJ
        A_x[np.diag_indices(n)] -= 1.0
        A_r[np.diag_indices(n)] -= 1.0
        A_x /= tau[:, None]
        A_r /= tau[:, None]
        uniform = bool(np.all(tau == tau[0]))
        special = -1.0 / tau[0] if uniform else None
        label = "T⁻¹(−I + JD) and T⁻¹(−I + DJ)" if spec.tau is not None else "−I + JD and −I + DJ"
        return A_x, A_r, special, label, uniform
    if spec.alpha is None:
        return JD, DJ, 0.0, "WD (activation a_t) and DW (activity h_t)", True
    a = spec.alpha
    A_x, A_r = a * JD, a * DJ
    A_x[np.diag_indices(n)] += 1.0 - a
    A_r[np.diag_indices(n)] += 1.0 - a
    return A_x, A_r, 1.0 - a, "(1−α)I + αJD and (1−α)I + αDJ", True


def linearize(spec, u0=None, rng=None, dps=50, relu_gain_at_zero=None,
              progress: Optional[Callable[[int, int, str], None]] = None) -> dict:
    r"""Fixed point, both linearizations, matched spectra, eigenvector maps and a similarity verdict.

    The data behind ``rnnproof linearize`` (schema ``rnnproof.linearize/1``; claims 4–6, 9–11,
    19, 23). Steps:

    1. Newton for $a^*=J\phi(a^*)+Bu_0+b$ (the same equation for continuous, vanilla and leaky
       networks); the first converged start is used and every distinct one is counted.
    2. $D=\operatorname{diag}(\phi'(a^*))$; $A_x$, $A_r$ in the network's convention
       (continuous $T^{-1}(-I+JD)$, $T^{-1}(-I+DJ)$; vanilla $WD$, $DW$; leaky
       $(1-\alpha)I+\alpha JD$, $(1-\alpha)I+\alpha DJ$).
    3. One ``scipy.linalg.eig(A_x, left=True)``. If every gain is nonzero, $A_r=DA_xD^{-1}$ has the
       same eigenvalues; each is confirmed as an eigenvalue of $A_r$ by the mapped vector
       $v_r=Dv_x$ (residual). Otherwise, and always for $n\le400$, ``eigvals(A_r)`` is computed
       independently and matched by optimal assignment.
    4. The D⁻¹-free maps $v_r=Dv_x$ and $u_r=J^\top u_x/(\lambda+1)$ (continuous form; the discrete
       forms divide by the corresponding factor) are checked by relative residuals.
    5. Verdict: all gains nonzero ⇒ similar. Otherwise the Jordan structure at the silent-unit
       eigenvalue decides, via ``numerics._linearization_ranks.similarity_verdict`` (mpmath rank
       sequences with a gap test), or "undetermined".

    Returns a JSON-ready dict; ``ok`` is False when Newton did not converge or a map check failed.
    ``progress(done, total, what)`` counts the Newton starts, then the four steps after them
    (eigendecomposition of A_x, spectrum of A_r, eigenvector maps, verdict).
    """
    n = spec.n
    m = spec.m
    if u0 is None:
        u0 = np.zeros(m)
    u0 = np.asarray(u0, dtype=float).reshape(-1)
    if u0.shape != (m,):
        raise InputError(f"--input must hold m = {m} values (one per column of B), got {u0.size}")
    if not np.all(np.isfinite(u0)):
        raise InputError("--input contains NaN or Inf; every entry must be finite")
    big = n > 200
    starts = [0]

    def newton_count(done, total):
        starts[0] = total
        if progress is not None:
            progress(done, total + 4, "Newton starts")

    def step_count(step, what):
        if progress is not None:
            progress(starts[0] + step, starts[0] + 4, what)
    fps = find_fixed_points(spec.W, spec.input_matrix(), u0, spec.bias(), spec.activation,
                            rng=rng, n_random=0 if big else 4, stop_at_first=big,
                            relu_gain_at_zero=relu_gain_at_zero, progress=newton_count)
    fp = fps[0]
    out = {"schema": "rnnproof.linearize/1", "network": spec.source, "n": n,
           "activation": spec.activation, "time": spec.time, "input": u0.tolist(),
           "fixed_point": fp.x.tolist(), "start": fp.start, "residual": _finite(fp.residual),
           "iterations": fp.iterations, "sigma_min": _finite(fp.sigma_min),
           "converged": fp.converged, "fixed_points_found": sum(f.converged for f in fps)}
    if not fp.converged:
        out.update(gains=None, silent_units=[], eigenvalues=None, similar=None, ok=False,
                   verdict=f"undetermined: Newton did not converge (best residual {fp.residual:.3g} "
                           f"from start {fp.start}); no fixed point to linearize at")
        return out
    act = get_activation(spec.activation)
    d = np.asarray(act.dphi(fp.x), dtype=float)
    if act.name == "relu" and relu_gain_at_zero is not None:
        d = np.where(fp.x == 0.0, float(relu_gain_at_zero), d)
    J = np.asarray(spec.W, dtype=float)
    silent = np.flatnonzero(d == 0.0)
    A_x, A_r, special, label, uniform = _frame_matrices(spec, J, d)
    out.update(gains=d.tolist(), silent_units=silent.tolist(), jacobians=label,
               special_eigenvalue=special)
    if not np.all(np.isfinite(A_x)):
        raise InputError("the Jacobian has non-finite entries (overflow in the weights)")
    w, VL, VR = sla.eig(A_x, left=True, right=True, check_finite=False)
    step_count(1, "eigendecomposition of A_x")
    nx, nr = np.linalg.norm(A_x), np.linalg.norm(A_r)
    scale = max(nx, nr, 1.0)
    # Spectrum of A_r.
    if silent.size == 0 and n > 400:
        w_r = w.copy()
        spectrum = {"method": "similarity A_r = D A_x D⁻¹ (confirmed by the mapped eigenvectors)",
                    "max_distance": 0.0}
    else:
        w_r_raw = np.linalg.eigvals(A_r)
        perm, dist = match_eigenvalues(w, w_r_raw)
        w_r = w_r_raw[perm]
        s = np.abs(np.einsum("ij,ij->j", VL.conj(), VR)) / (
            np.linalg.norm(VL, axis=0) * np.linalg.norm(VR, axis=0))
        spectrum = {"method": "independent eigvals(A_r), optimal assignment",
                    "max_distance": _finite(dist.max()),
                    "max_distance_over_tolerance": _finite(np.max(
                        dist / (100 * EPS * scale / np.maximum(s, EPS) + 10 * np.sqrt(EPS) * scale
                                * (silent.size > 0))))}
    step_count(2, "spectrum of A_r")
    # Eigenvector maps (D^{-1}-free): D A_x = A_r D in every convention, so v_r = D v_x; the
    # reverse (left) map divides by the factor that vanishes at the silent-unit eigenvalue.
    Dv = d[:, None] * VR
    res_right = np.linalg.norm(A_r @ Dv - Dv * w[None, :], axis=0)
    nDv = np.linalg.norm(Dv, axis=0)
    ok_cols = nDv > 0
    rel_right = res_right[ok_cols] / (scale * nDv[ok_cols])
    amp_right = 1.0 / nDv[ok_cols]                       # ‖v‖ = 1 from LAPACK
    tol_right = 100 * EPS * (n + np.max(np.abs(d)) * amp_right)
    right_ok = bool(np.all(rel_right <= tol_right))
    if spec.time == "continuous":
        # u_x^T T^{-1}(-I+JD) = λ u_x^T  =>  u_r = (T^{-1} + λ)^{-1} J^T T^{-1} u_x  (claim 3)
        tau = spec.tau_vector()
        T_inv = 1.0 / tau
        Ux = VL.conj()
        denom = (T_inv[:, None] + w[None, :])
        keep = np.min(np.abs(denom), axis=0) > 1e-8 * scale
        Ur = (J.T @ (Ux[:, keep] * T_inv[:, None])) / denom[:, keep]
        wl = w[keep]
    else:
        # A_x = c0 I + coef JD: coef D J^T u_x = (λ - c0) u_x  =>  u_r = J^T u_x / f(λ), D u_r = u_x
        coef = 1.0 if spec.alpha is None else spec.alpha
        Ux = VL.conj()
        f = (w - special) / coef
        keep = np.abs(f) > 1e-8 * scale
        Ur = (J.T @ Ux[:, keep]) / f[keep][None, :]
        wl = w[keep]
    nUr = np.linalg.norm(Ur, axis=0)
    good = nUr > 0
    res_left = np.linalg.norm(A_r.T @ Ur[:, good] - Ur[:, good] * wl[good][None, :], axis=0)
    amp_left = np.linalg.norm(J, 2) if n <= 400 else np.linalg.norm(J)
    if spec.time == "continuous":
        gap = np.min(np.abs(denom[:, keep][:, good]) * tau[:, None], axis=0)
    else:
        gap = np.abs(f[keep][good])
    tol_left = 100 * EPS * (n + amp_left / np.maximum(gap, 1e-300) * (nx / scale) / np.maximum(nUr[good], 1e-300))
    rel_left = res_left / (scale * nUr[good])
    left_ok = bool(np.all(rel_left <= tol_left))
    out["eigvec_maps"] = {
        "right": {"map": "v_r = D v_x", "max_relative_residual": _finite(rel_right.max()) if rel_right.size else None,
                  "checked": int(ok_cols.sum()), "ok": right_ok},
        "left": {"map": "u_r = (T⁻¹+λ)⁻¹JᵀT⁻¹u_x" if spec.time == "continuous" else "u_r = Jᵀu_x/f(λ)",
                 "max_relative_residual": _finite(rel_left.max()) if rel_left.size else None,
                 "checked": int(good.sum()), "ok": left_ok}}
    step_count(3, "eigenvector maps")
    out["eigenvalues"] = {"activation": _pairs(w), "activity": _pairs(w_r)}
    out["spectrum"] = spectrum
    # Similarity verdict.
    partitions = None
    if silent.size == 0:
        similar, verdict = True, "similar: every gain is nonzero, so A_r = D A_x D⁻¹"
    elif not uniform:
        similar, verdict = None, ("undetermined: silent units with heterogeneous τ; the Jordan "
                                  "comparison is implemented for a uniform τ only")
    else:
        from ._linearization_ranks import similarity_verdict
        sv = similarity_verdict(J, d, dps=dps)
        similar, verdict, partitions = sv["similar"], sv["verdict"], sv.get("partitions")
        if special != -1.0:
            verdict += f" (the silent-unit eigenvalue is {special:g} in this convention)"
    out.update(similar=similar, verdict=verdict, partitions=partitions,
               ok=bool(right_ok and left_ok))
    step_count(4, "similarity verdict")
    return out
