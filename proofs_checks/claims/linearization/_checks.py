r"""Check helpers shared by the topic modules of the linearization claims.

Lambdified theory Jacobians, the finite-difference tolerance (``fd_check``), rounding bounds of
one map evaluation, the network hooks (``--network``) and constants.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy

from numerics import linearization as N
from numerics import linearization_singular as NS
from proofs_checks.registry import NotApplicable
from theory import linearization as T

from ._instances import network_fixed_points

EPS = N.EPS  # unit roundoff 2⁻⁵²
REF = "Pagan, Valente, Ostojic & Brody 2023 (arXiv:2309.04030); rnnproof claim {} of the paper"
PAPER = "linearization"
DPS = 50  # mpmath digits of the 50-digit rank, charpoly and Jordan checks
# Rounding of one float64 operation is at most ε|x| + η: the absolute term η = 2⁻¹⁰⁷⁴ (the smallest
# subnormal) matters only when a product underflows (an entry near 10⁻³⁰⁸, which search draws).
ETA = float(np.finfo(float).smallest_subnormal)


@lru_cache(maxsize=None)
def _jacobian_functions(n: int):
    """Lambdified theory Jacobians $(A_x, A_r)(J, D)$ at size n (MatrixSymbol -> numpy)."""
    Jn, Dn = sympy.MatrixSymbol("J", n, n), sympy.MatrixSymbol("D", n, n)
    fx = sympy.lambdify([Jn, Dn], T.activation_jacobian(Jn, Dn), "numpy")
    fr = sympy.lambdify([Jn, Dn], T.activity_jacobian(Jn, Dn), "numpy")
    return fx, fr


def _theory_jacobians(J, d):
    fx, fr = _jacobian_functions(J.shape[0])
    Dm = np.diag(d)
    return np.asarray(fx(J, Dm), float), np.asarray(fr(J, Dm), float)


@lru_cache(maxsize=None)
def _activity_pointwise(activation: str):
    expr, r_, s_ = T.activity_pointwise(activation)
    return sympy.lambdify([r_, s_], expr, "numpy")


def _require_zero(*exprs) -> bool:
    out = True
    for e in exprs:
        if isinstance(e, sympy.MatrixBase):
            out &= bool(e.is_zero_matrix)
        elif isinstance(e, sympy.MatrixExpr):
            out &= bool(e.is_ZeroMatrix)
        else:
            out &= sympy.expand(e) == 0
    return out


def _network_hook(check, *, continuous_only=False, all_gains_nonzero=False):
    """Run the per-instance ``check(ctx, inst)`` on a user's network at each of its fixed points."""

    def hook(ctx, spec):
        if continuous_only and spec.time != "continuous":
            raise NotApplicable("a statement about the continuous-time ODE; this network is discrete "
                                "(see linearization.discrete_vanilla / discrete_leaky)")
        for inst in network_fixed_points(ctx, spec):
            if all_gains_nonzero and np.any(inst.gains == 0):
                ctx.skip("singular gains; the intertwining holds, and the Jordan structure at −1 may "
                         "differ: see linearization.jordan_at_minus_one")
                continue
            check(ctx, inst)

    return hook


def _norm2(A):
    return float(np.linalg.norm(A, 2))


def pow2_normalized(v):
    """``v·2⁻ᵉ`` with max|vᵢ| = m·2ᵉ, m ∈ [½, 1): the largest entry lands in [½, 1).

    Scaling by a power of two is exact and commutes with every rounded operation short of under-
    and overflow, so an error relative to a norm of ``v`` (a modal gain over ‖u‖‖b‖) is bitwise the
    same as for ``v`` itself; but √Σvᵢ² no longer underflows (numpy's norm is 0 once max|vᵢ| <
    √(smallest normal) ≈ 1.5·10⁻¹⁵⁴, and an error over it is 0/0), nor do products with ``v``."""
    v = np.asarray(v, float)
    top = float(np.max(np.abs(v))) if v.size else 0.0
    if top == 0.0:
        return v.copy()
    return np.ldexp(v, -int(np.frexp(top)[1]))


# Safety factor on the finite-difference bound of numerics.fd_jacobian_bound: its Richardson term
# is the h² error to leading order (the h⁴ remainder is over-covered 5×), and its rounding term is
# a worst-case γ bound; 2 covers the O(h²)-relative slack of the leading-order estimate.
FD_SAFETY = 2.0
FD_RULE = ("finite differences, entrywise: 2·(|D_2h − D_h|/3 + ρ_i/h_j + ε|D_ij|(1+|x_j|)/h_j) "
           "+ 4ε(1 + |A_ij|), h_j = ε^{1/3}(1+|x_j|)")
FD_REASON = ("central differences have error Ch² + O(h⁴) (the Richardson difference of steps h and "
             "2h estimates Ch²) plus rounding: ρ_i bounds one evaluation of the field (γ bound on "
             "its sums) and the quotient divides it by h_j; the exact side rounds once per entry")


def fd_check(ctx, fd, bound, exact, **info) -> bool:
    """Record the worst entry of ``|fd − exact|`` against ``FD_SAFETY·bound + 4ε(1 + |exact|)``
    (``bound`` from :func:`numerics.linearization.fd_jacobian_bound`). Shared by claims 1–32."""
    fd, exact = np.atleast_2d(fd), np.atleast_2d(np.asarray(exact, dtype=float))
    err = np.abs(fd - exact)
    tol = FD_SAFETY * np.atleast_2d(bound) + 4 * EPS * (1.0 + np.abs(exact))
    k = np.unravel_index(int(np.argmax(err / tol)), err.shape)
    return ctx.record(err[k], tol[k], entry=[int(k[0]), int(k[1])], **info)


def fd_max_tolerance(bound, exact) -> float:
    """The largest tolerance :func:`fd_check` would use on these arrays."""
    return float(np.max(FD_SAFETY * np.atleast_2d(bound) + 4 * EPS * (1.0 + np.abs(np.atleast_2d(exact)))))


def _map_rounding(inst, v, alpha, u=None):
    """Rounding of one evaluation of v ↦ φ(v + αF(v, u)) (φ′ ≤ 1 for every supported φ): the
    argument's ε|v| + αρ_F + ε|v + αF|, then 4ε|φ|."""
    F = N.activation_field(inst, v, u)
    arg = v + alpha * F
    return EPS * np.abs(v) + alpha * N.activation_field_rounding(inst, v, u) + EPS * np.abs(arg) \
        + 4 * EPS * np.abs(inst.act.phi(arg))


def _rel(a, b, scale=None):
    a, b = np.asarray(a), np.asarray(b)
    scale = max(np.max(np.abs(b)), 1.0) if scale is None else scale
    return float(np.max(np.abs(a - b)) / scale)


def _col(name):
    return sympy.MatrixSymbol(name, sympy.Symbol("N", integer=True, positive=True), 1)


def _charpoly_statement():
    N = sympy.Symbol("N", integer=True, positive=True)
    lam, I = sympy.Symbol("lambda"), sympy.Identity(N)
    J, D = sympy.MatrixSymbol("J", N, N), sympy.MatrixSymbol("D", N, N)
    return sympy.Eq(sympy.Determinant(lam * I - (-I + J * D)), sympy.Determinant(lam * I - (-I + D * J)), evaluate=False)


def _jordan_expressions():
    N = sympy.Symbol("N", integer=True, positive=True)
    k = sympy.Symbol("k", integer=True, nonnegative=True)
    J, D = sympy.MatrixSymbol("J", N, N), sympy.MatrixSymbol("D", N, N)
    Nx, Nr = sympy.MatrixSymbol("N_x", N, N), sympy.MatrixSymbol("N_r", N, N)
    return {"N_x^(k+1)": sympy.Eq(sympy.MatPow(Nx, k + 1), J * sympy.MatPow(Nr, k) * D, evaluate=False),
            "N_r^(k+1)": sympy.Eq(sympy.MatPow(Nr, k + 1), D * sympy.MatPow(Nx, k) * J, evaluate=False)}


def _on_network(check, *, time=None, leaky=None, max_n=None, needs_io=False):
    """Network hook: run ``check(ctx, inst, spec)`` at every fixed point Newton finds for the user's
    network (``--network``). ``time``/``leaky`` restrict the network form; ``max_n`` bounds the size
    for 50-digit work; ``needs_io`` requires an input column of B and a readout row of C."""

    def hook(ctx, spec):
        if time is not None and spec.time != time:
            raise NotApplicable(f"a statement about {time}-time networks; this network is {spec.time}")
        if leaky is not None and (spec.alpha is not None) != leaky:
            raise NotApplicable("needs a leaky discrete network (alpha set)" if leaky else
                                "a statement about the vanilla (non-leaky) discrete network; alpha is set")
        if max_n is not None and spec.n > max_n:
            raise NotApplicable(f"n = {spec.n} exceeds {max_n}, the size this 50-digit check supports")
        if needs_io and (spec.m == 0 or spec.C is None):
            raise NotApplicable("needs an input matrix B and a readout C in the network file")
        for inst in network_fixed_points(ctx, spec):
            if inst.silent.size:   # claim 23: with singular D, state both Jordan structures at −1
                v = NS.similarity_verdict(inst.J, inst.gains, DPS)
                ctx.note(f"Jordan blocks at −1: A_x {v['partitions']['activation']}, "
                         f"A_r {v['partitions']['activity']} ({v['verdict'].split(':')[0]})")
            check(ctx, inst, spec)

    return hook


def _eigvec_symbolic():
    res = T.eigvec_map_residuals()
    ok = all(e == 0 or getattr(e, "is_ZeroMatrix", False) for e in res.values())
    return ok


def _sep(w):
    n = w.size
    if n < 2:
        return np.full(n, np.inf)
    dist = np.abs(w[:, None] - w[None, :]) + np.diag(np.full(n, np.inf))
    return dist.min(axis=1)
