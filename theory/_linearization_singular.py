r"""Symbolic side of the linearization paper's claims 17–32: off fixed points, singular
gains, context effects and discrete time. SymPy only.

Re-exported by :mod:`theory.linearization` (``from theory._linearization_singular import *``).

Off fixed points (claims 17, 18)
    psi(phi), psi_bound(phi)                 -- ψ = φ″/φ′ and L_φ = sup|ψ|
    trajectory_entries(phi)                  -- entries of the activity Jacobian off fixed points
    trajectory_jacobian(phi, n=3)            -- the explicit-n Jacobian and its closed form
Singular gains (claims 19–24)
    silent_charpoly(n, silent)               -- both characteristic polynomials with d_k = 0 on S
    silent_block_form(n_active, n_silent)    -- block-triangular DJ and JD (BlockMatrix)
    silent_eigvec_equation(n, silent)        -- row i of (A_r - λ)v: (λ+1) v_i for silent i
    jordan_rank_sequences(J, d)              -- exact rank sequences of (JD)^k, (DJ)^k
    jordan_partitions_exact(J, d)            -- Jordan block sizes at −1 from SymPy jordan_form
    krylov_relation(k), observability_relation(k), exact_krylov_ranks(J, d, b, w)
Context (claims 25–29)
    selection_decomposition(n=4), rank_one_eigensystem(), low_rank_eigensystem(R),
    low_rank_charpoly(N, R), unit_rho_ratio()
Discrete time (claims 30–32)
    vanilla_jacobians(n, phi), euler_map_jacobian(n, phi, alpha),
    induced_activity_map_jacobian(n, phi, alpha), euler_krylov_relation(k)
"""

from __future__ import annotations

import functools
from typing import Sequence

import sympy as sp
from theory._common import TopicError
from sympy import (BlockMatrix, Eq, Function, Identity, Matrix, MatrixSymbol, Rational, Symbol,
                   ZeroMatrix, block_collapse, diag, eye, symbols)

__all__ = [
    "psi", "psi_bound", "psi_bound_proof", "trajectory_entries", "psi_of_r",
    "trajectory_entries_proof", "trajectory_jacobian",
    "trajectory_statement", "slow_point_statement", "silent_charpoly", "silent_block_form",
    "silent_block_statement", "silent_unit_identity", "silent_eigvec_equation",
    "jordan_power_identities", "jordan_rank_sequences", "jordan_partitions_exact",
    "krylov_relation", "observability_relation", "exact_krylov_ranks", "selection_decomposition",
    "activation_input_derivative", "rank_one_eigensystem", "low_rank_eigensystem",
    "low_rank_charpoly", "unit_rho_ratio", "consistent_total_identity", "vanilla_jacobians",
    "euler_map_jacobian", "induced_activity_map_jacobian", "euler_krylov_relation",
    "PART_B_TOPICS", "part_b_derivations",
]

PHI_NAMES = ("tanh", "sigmoid", "softplus", "relu")
_x = Symbol("x", real=True)
_r = Symbol("r", real=True)


def _phi_expr(phi, x=_x):
    """φ(x) as a SymPy expression for a named activation or a SymPy Function class."""
    if isinstance(phi, str):
        if phi == "tanh":
            return sp.tanh(x)
        if phi == "sigmoid":
            return 1 / (1 + sp.exp(-x))
        if phi == "softplus":
            return sp.log(1 + sp.exp(x))
        if phi == "relu":
            return sp.Max(x, 0)
        raise ValueError(f"phi must be one of {', '.join(PHI_NAMES)} or a SymPy Function, got {phi!r}")
    if isinstance(phi, sp.FunctionClass):
        return phi(x)
    raise TypeError(f"phi must be a name or a SymPy Function, got {type(phi).__name__}")


def _inverse_and_gain(phi):
    r"""$(\phi^{-1}(r), \phi'(\phi^{-1}(r)))$ in closed form for the smooth named activations."""
    if phi == "tanh":
        return sp.atanh(_r), 1 - _r ** 2
    if phi == "sigmoid":
        return sp.log(_r / (1 - _r)), _r * (1 - _r)
    if phi == "softplus":
        return sp.log(sp.exp(_r) - 1), 1 - sp.exp(-_r)
    raise ValueError(f"the activity form needs phi in tanh, sigmoid, softplus, got {phi!r}")


@functools.lru_cache(maxsize=None)
def psi(phi):
    r"""$\psi=\phi''/\phi'$ as a function of $x$ (claims 17, 18).

    Derived as $\psi=\frac{d}{dx}\log\phi'(x)$; for the named activations this is
    :func:`psi_of_r` evaluated at $r=\phi(x)$. ReLU: $\psi=0$ almost everywhere (returned as 0);
    a SymPy ``Function`` gives the unevaluated quotient.

    >>> psi("tanh")
    -2*tanh(x)
    >>> sp.simplify(psi("sigmoid") - sp.diff(1 / (1 + sp.exp(-_x)), _x, 2) / sp.diff(1 / (1 + sp.exp(-_x)), _x))
    0
    """
    if phi == "relu":
        return sp.Integer(0)
    if isinstance(phi, str):
        return psi_of_r(phi).subs(_r, _phi_expr(phi))
    f = _phi_expr(phi)
    return sp.diff(f, _x, 2) / sp.diff(f, _x)


def psi_bound(phi):
    r"""$L_\phi=\sup_x|\psi(x)|$: 2 (tanh), 1 (sigmoid, softplus); ``None`` for ReLU.

    >>> psi_bound("sigmoid")
    1
    """
    table = {"tanh": sp.Integer(2), "sigmoid": sp.Integer(1), "softplus": sp.Integer(1)}
    if phi == "relu":
        return None
    if phi not in table:
        raise ValueError(f"phi must be one of tanh, sigmoid, softplus, got {phi!r}")
    return table[phi]


_RANGES = {"tanh": (-1, 1), "sigmoid": (0, 1), "softplus": (0, sp.oo)}


@functools.lru_cache(maxsize=None)
def psi_bound_proof(phi) -> bool:
    r"""$|\psi|\le L_\phi$: written in $r=\phi(x)$, $\psi$ is $-2r$, $1-2r$ or $e^{-r}$, monotone on the
    range of $\phi$ ($(-1,1)$, $(0,1)$, $(0,\infty)$), so $\sup|\psi|$ is the larger end limit.

    >>> psi_bound_proof("tanh")
    True
    """
    p = psi_of_r(phi)
    lo, hi = _RANGES[phi]
    dp = sp.diff(p, _r)
    monotone = all(v.is_negative for v in (dp.subs(_r, t) for t in (lo + Rational(1, 2), hi - 1 if hi != sp.oo else 7)))
    monotone &= bool(phi == "softplus" or dp.is_constant())  # e^{-r} is decreasing everywhere
    def end(v, side):
        val = p.subs(_r, v)                  # continuous at the (possibly infinite) end points
        return abs(val) if val.is_finite is not None and val is not sp.nan else abs(sp.limit(p, _r, v, side))

    ends = [end(lo, "+"), end(hi, "-")]
    return bool(monotone and sp.Max(*ends) == psi_bound(phi))


@functools.lru_cache(maxsize=None)
def trajectory_entries(phi):
    r"""Entries of the activity-field Jacobian, derived by differentiating in $r$ (claim 17).

    Component $i$ of $\tau\dot r=\phi'(x)\odot(-x+Jr+c)$, $x=\phi^{-1}(r)$, is differentiated
    with respect to $r_i$ and $r_j$ ($j\ne i$); $c_i$ is then eliminated through
    $F_i=-x_i+(Jr+c)_i$. The result, in $r_i$ and $F_i$, is

    .. math:: \partial_{r_i}f_i=-1+\phi'(x_i)J_{ii}+\psi(x_i)F_i,\qquad
              \partial_{r_j}f_i=\phi'(x_i)J_{ij}.

    Returns ``(diag, offdiag, (r_i, J_ii, J_ij, F_i))``.

    >>> dg, off, (r, Jii, Jij, F) = trajectory_entries("tanh")
    >>> sp.expand(dg - (-1 + (1 - r**2) * Jii - 2 * r * F)), sp.expand(off - (1 - r**2) * Jij)
    (0, 0)
    """
    g, gain = _inverse_and_gain(phi)
    ri, rj, Jii, Jij, c, F = symbols("r_i r_j J_ii J_ij c_i F_i", real=True)
    gi, gain_i = g.subs(_r, ri), gain.subs(_r, ri)
    f = gain_i * (-gi + Jii * ri + Jij * rj + c)
    csub = {c: F + gi - Jii * ri - Jij * rj}
    dd = sp.cancel(sp.powsimp(sp.expand(sp.diff(f, ri).subs(csub))))
    do = sp.cancel(sp.diff(f, rj).subs(csub))
    return dd, do, (ri, Jii, Jij, F)


@functools.lru_cache(maxsize=None)
def psi_of_r(phi):
    r"""$\psi(\phi^{-1}(r))$: $-2r$ (tanh), $1-2r$ (sigmoid), $e^{-r}$ (softplus).

    Chain rule: $\psi=\frac{d}{dx}\log\phi'(x)=\frac{1}{\phi'}\frac{d\phi'}{dr}\frac{dr}{dx}
    =\frac{d}{dr}\,\phi'(\phi^{-1}(r))$, the $r$-derivative of the gain written in $r$.

    >>> psi_of_r("sigmoid")
    1 - 2*r
    """
    _, gain = _inverse_and_gain(phi)
    return sp.expand(sp.diff(gain, _r))


@functools.lru_cache(maxsize=None)
def trajectory_entries_proof(phi) -> bool:
    r"""The derived entries equal $-1+\phi'J_{ii}+\psi F_i$ and $\phi'J_{ij}$ (claims 17, 18)."""
    dd, do, (ri, Jii, Jij, F) = trajectory_entries(phi)
    _, gain = _inverse_and_gain(phi)
    gi = gain.subs(_r, ri)
    target = -1 + gi * Jii + psi_of_r(phi).subs(_r, ri) * F
    zero = lambda e: sp.cancel(sp.powsimp(sp.expand(e))) == 0  # noqa: E731
    return bool(zero(dd - target) and zero(do - gi * Jij))


def trajectory_jacobian(phi="tanh", n: int = 3):
    r"""Jacobian of the explicit-$n$ activity field $(1-r^2)\odot(-\operatorname{artanh}r+Jr+c)$ and
    its closed form $-I+DJ-2\operatorname{diag}(r\odot F)$ (tanh; claim 17). Returns
    ``(jacobian, closed_form, difference)``; ``difference`` simplifies to the zero matrix.

    >>> jac, closed, diff = trajectory_jacobian("tanh", 2)
    >>> diff == sp.zeros(2, 2)
    True
    """
    if not 1 <= n <= 6:
        raise ValueError(f"n must be in 1..6 for explicit matrices, got {n}")
    g, gain = _inverse_and_gain(phi)
    r = Matrix(symbols(f"r1:{n + 1}", real=True))
    c = Matrix(symbols(f"c1:{n + 1}", real=True))
    J = Matrix(n, n, lambda i, j: Symbol(f"J{i + 1}{j + 1}", real=True))
    x = r.applyfunc(lambda v: g.subs(_r, v))
    d = r.applyfunc(lambda v: gain.subs(_r, v))
    Fv = -x + J * r + c
    field = Matrix([d[i] * Fv[i] for i in range(n)])
    jac = field.jacobian(r)
    # ψ(x_i) written in r_i: ψ(φ^{-1}(r)) for the named activation
    psi_r = [psi_of_r(phi).subs(_r, r[i]) for i in range(n)]
    closed = -eye(n) + diag(*d) * J + diag(*[psi_r[i] * Fv[i] for i in range(n)])
    diff = (jac - closed).applyfunc(lambda e: sp.cancel(sp.powsimp(sp.expand(e))))
    return jac, closed, diff


def trajectory_statement():
    r"""$A_r(t)=-I+D(t)J+\operatorname{diag}(\psi\odot F)$ with MatrixSymbols (claim 17)."""
    n = Symbol("N", integer=True, positive=True)
    J, D, P = MatrixSymbol("J", n, n), MatrixSymbol("D", n, n), MatrixSymbol(r"\Psi_F", n, n)
    return Eq(MatrixSymbol("A_r(t)", n, n), -Identity(n) + D * J + P, evaluate=False)


def slow_point_statement():
    r"""$A_r^{\mathrm{true}}-DA_xD^{-1}=\operatorname{diag}(\psi\odot F)$ (claim 18)."""
    n = Symbol("N", integer=True, positive=True)
    J, D = MatrixSymbol("J", n, n), MatrixSymbol("D", n, n)
    lhs = MatrixSymbol(r"A_r^{true}", n, n) - D * (-Identity(n) + J * D) * D.I
    return Eq(lhs, MatrixSymbol(r"\operatorname{diag}(\psi \odot F)", n, n), evaluate=False)


# --------------------------------------------------------------------------------------------------
# singular gains
# --------------------------------------------------------------------------------------------------

def _jd(n, silent=()):
    J = Matrix(n, n, lambda i, j: Symbol(f"J{i + 1}{j + 1}"))
    d = [sp.Integer(0) if k in silent else Symbol(f"d{k + 1}") for k in range(n)]
    return J, diag(*d)


def silent_charpoly(n: int, silent: Sequence[int]):
    r"""Characteristic polynomials of $A_x=-I+JD$ and $A_r=-I+DJ$ with $d_k=0$ for $k\in S$.

    Returns ``(p_x, p_r, lam)`` as expanded polynomials in ``lam``; claim 19 needs
    $p_x=p_r$ and $(\lambda+1)^{|S|}\mid p_x$.

    >>> px, pr, lam = silent_charpoly(3, [0])
    >>> sp.expand(px - pr), sp.rem(px, (lam + 1), lam)
    (0, 0)
    """
    lam = Symbol("lambda")
    J, D = _jd(n, set(silent))
    I = eye(n)
    px = (lam * I - (-I + J * D)).det(method="berkowitz")
    pr = (lam * I - (-I + D * J)).det(method="berkowitz")
    return sp.expand(px), sp.expand(pr), lam


def silent_block_form(n_active: int = 2, n_silent: int = 1):
    r"""Block forms $DJ=\begin{bmatrix}D_AJ_{AA}&D_AJ_{AS}\\0&0\end{bmatrix}$ and
    $JD=\begin{bmatrix}J_{AA}D_A&0\\J_{SA}D_A&0\end{bmatrix}$ (claim 21), from
    ``block_collapse`` of $J$ and $D=\operatorname{diag}(D_A, 0)$ as BlockMatrices.

    Returns ``(DJ, JD)`` as collapsed BlockMatrices.

    >>> DJ, JD = silent_block_form()
    >>> DJ.blocks[1, 0].is_ZeroMatrix and JD.blocks[0, 1].is_ZeroMatrix
    True
    """
    a, s = n_active, n_silent
    JAA, JAS = MatrixSymbol("J_AA", a, a), MatrixSymbol("J_AS", a, s)
    JSA, JSS = MatrixSymbol("J_SA", s, a), MatrixSymbol("J_SS", s, s)
    DA = MatrixSymbol("D_A", a, a)
    J = BlockMatrix([[JAA, JAS], [JSA, JSS]])
    D = BlockMatrix([[DA, ZeroMatrix(a, s)], [ZeroMatrix(s, a), ZeroMatrix(s, s)]])
    return block_collapse(D * J), block_collapse(J * D)


def silent_block_statement():
    r"""$DJ$ in block form as a SymPy relation (claim 21)."""
    DJ, _ = silent_block_form()
    return Eq(MatrixSymbol("D", 3, 3) * MatrixSymbol("J", 3, 3), DJ, evaluate=False)


def silent_unit_identity(n: int = 3, i: int = 0):
    r"""Column $i$ of $A_x+I=JD$ and row $i$ of $A_r+I=DJ$ for a silent unit $i$ (claim 20).

    Returns ``(A_x e_i + e_i, e_i^T A_r + e_i^T)``; both are zero.

    >>> a, b = silent_unit_identity(3, 1)
    >>> a.is_zero_matrix and b.is_zero_matrix
    True
    """
    J, D = _jd(n, {i})
    I = eye(n)
    e = I[:, i]
    return (-I + J * D) * e + e, e.T * (-I + D * J) + e.T


def silent_eigvec_equation(n: int = 3, i: int = 0):
    r"""Row $i$ of $(A_r-\lambda I)v$ with $d_i=0$, factored: $-(\lambda+1)v_i$ (claim 22).

    Hence $v_i=0$ whenever $\lambda\ne-1$. The left-vector statement for $A_x$ is the transpose.

    >>> silent_eigvec_equation(3, 0)
    -v1*(lambda + 1)
    """
    lam = Symbol("lambda")
    J, D = _jd(n, {i})
    v = Matrix(symbols(f"v1:{n + 1}"))
    row = ((-eye(n) + D * J - lam * eye(n)) * v)[i]
    return sp.factor(row)


def _nc():
    """Noncommuting symbols J, D, b, w: identities proved in the free algebra hold for every
    N×N matrix J, D and vectors b, wᵀ (general N; SymPy does not expand MatPow of a MatAdd)."""
    return sp.symbols("J D b w", commutative=False)


def jordan_power_identities(kmax: int = 6) -> bool:
    r"""$N_x^{k+1}=J N_r^k D$ and $N_r^{k+1}=D N_x^k J$ for $k\le$ ``kmax``, $N_x=JD$, $N_r=DJ$
    (claim 23b), expanded in the free algebra of noncommuting $J, D$ (general $N$).

    >>> jordan_power_identities(3)
    True
    """
    J, D, _, _ = _nc()
    return all(sp.expand((J * D) ** (k + 1) - J * (D * J) ** k * D) == 0 and
               sp.expand((D * J) ** (k + 1) - D * (J * D) ** k * J) == 0 for k in range(kmax + 1))


def _exact_matrix(J, d):
    Jm = Matrix(J).applyfunc(sp.nsimplify)
    D = diag(*[sp.nsimplify(v) for v in d])
    return Jm, D


def jordan_rank_sequences(J, d):
    r"""Exact rank sequences $\operatorname{rank}(JD)^k$ and $\operatorname{rank}(DJ)^k$, $k=0..n$
    (claims 19, 23; rational input). Returns ``(ranks_x, ranks_r)``.

    >>> jordan_rank_sequences([[0, 1], [0, 0]], [1, 0])
    ([2, 0, 0], [2, 1, 0])
    """
    Jm, D = _exact_matrix(J, d)
    n = Jm.shape[0]
    Nx, Nr = Jm * D, D * Jm
    rx, rr = [n], [n]
    Px, Pr = eye(n), eye(n)
    for _ in range(n):
        Px, Pr = Px * Nx, Pr * Nr
        rx.append(Px.rank())
        rr.append(Pr.rank())
    return rx, rr


def jordan_partitions_exact(J, d):
    r"""Jordan block sizes at $-1$ of $A_x=-I+JD$ and $A_r=-I+DJ$ from SymPy ``jordan_form``
    (exact; claim 23). Returns ``(sizes_x, sizes_r)`` sorted descending.

    >>> jordan_partitions_exact([[0, 1], [0, 0]], [1, 0])
    ([1, 1], [2])
    """
    Jm, D = _exact_matrix(J, d)
    n = Jm.shape[0]
    out = []
    for A in (-eye(n) + Jm * D, -eye(n) + D * Jm):
        _, Jf = A.jordan_form()
        sizes, i = [], 0
        while i < n:
            j = i
            while j + 1 < n and Jf[j, j + 1] == 1:
                j += 1
            if Jf[i, i] == -1:
                sizes.append(j - i + 1)
            i = j + 1
        out.append(sorted(sizes, reverse=True))
    return out[0], out[1]


def krylov_relation(k: int = 6) -> bool:
    r"""$A_r^mDb=DA_x^mb$ for $m\le$ ``k``, $A_x=-I+JD$, $A_r=-I+DJ$, expanded in the free algebra
    of noncommuting $J, D, b$ (general $N$; claim 24, $K_r=DK_x$).

    >>> krylov_relation(3)
    True
    """
    J, D, b, _ = _nc()
    Ax, Ar = -1 + J * D, -1 + D * J
    return all(sp.expand(Ar ** m * D * b - D * Ax ** m * b) == 0 for m in range(k + 1))


def observability_relation(k: int = 6) -> bool:
    r"""$w^TDA_x^m=w^TA_r^mD$ for $m\le$ ``k`` in the free algebra (claim 24; $O_x=O_rD$).

    >>> observability_relation(3)
    True
    """
    J, D, _, w = _nc()
    Ax, Ar = -1 + J * D, -1 + D * J
    return all(sp.expand(w * D * Ax ** m - w * Ar ** m * D) == 0 for m in range(k + 1))


def exact_krylov_ranks(J, d, b, w):
    r"""Exact ranks of $K_x, K_r, O_x, O_r$ for rational input (claim 24).

    $K_x=[b, A_xb, \dots]$ with $b_x=b$; $K_r$ with $b_r=Db$; $O_x$ with $c_x=Dw$; $O_r$ with $c_r=w$.

    ``H_x``, ``H_r``: ranks of the Hankel matrices of Markov parameters (McMillan degree).

    >>> exact_krylov_ranks([[0, 1], [1, 0]], [1, 0], [1, 1], [1, 1])
    {'K_x': 2, 'K_r': 1, 'O_x': 1, 'O_r': 2, 'H_x': 1, 'H_r': 1}
    """
    Jm, D = _exact_matrix(J, d)
    n = Jm.shape[0]
    b = Matrix([sp.nsimplify(v) for v in b])
    w = Matrix([sp.nsimplify(v) for v in w])
    Ax, Ar = -eye(n) + Jm * D, -eye(n) + D * Jm

    def K(A, v):
        cols, c = [], v
        for _ in range(n):
            cols.append(c)
            c = A * c
        return Matrix.hstack(*cols)

    def hankel(A, bb, cc):
        markov, v = [], bb
        for _ in range(2 * n - 1):
            markov.append((cc.T * v)[0, 0])
            v = A * v
        return Matrix(n, n, lambda i, j: markov[i + j])

    return {"K_x": K(Ax, b).rank(), "K_r": K(Ar, D * b).rank(),
            "O_x": K(Ax.T, D * w).T.rank(), "O_r": K(Ar.T, w).T.rank(),
            "H_x": hankel(Ax, b, D * w).rank(), "H_r": hankel(Ar, D * b, w).rank()}


def euler_krylov_relation(k: int = 4) -> bool:
    r"""$(I+\alpha A)^m\alpha b=\sum_{j\le m}\binom mj\alpha^{j+1}A^jb$: the Krylov columns of
    $(I+\alpha A,\alpha b)$ are a triangular combination of those of $(A,b)$ with diagonal
    $\alpha^{m+1}\ne0$, so both Krylov spaces coincide (claim 32). Expanded in the free algebra
    of noncommuting $A$, $b$ for $m\le k$; each coefficient is read off and compared.

    >>> euler_krylov_relation(3)
    True
    """
    A, b = sp.symbols("A b", commutative=False)
    al = Symbol("alpha", positive=True)
    ok = True
    for m in range(k + 1):
        coeffs = {}
        for term in sp.Add.make_args(sp.expand((1 + al * A) ** m * al * b)):
            c, nc = term.args_cnc()
            coeffs[sp.Mul(*nc)] = sp.Mul(*c)
        expected = {(A ** j * b if j else b): sp.binomial(m, j) * al ** (j + 1) for j in range(m + 1)}
        ok &= coeffs == expected
    return bool(ok)


# --------------------------------------------------------------------------------------------------
# context
# --------------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def selection_decomposition(n: int = 4):
    r"""$s^{(1)}\cdot b^{(1)}-s^{(2)}\cdot b^{(2)}-(\Delta b\cdot\bar s+\bar b\cdot\Delta s)$ expanded
    with symbolic entries (claim 25); it is 0. Returns ``(total, mod_inp, mod_sel, remainder)``.

    >>> selection_decomposition(4)[3]
    0
    """
    s1, s2 = Matrix(symbols(f"s1_1:{n + 1}")), Matrix(symbols(f"s2_1:{n + 1}"))
    b1, b2 = Matrix(symbols(f"b1_1:{n + 1}")), Matrix(symbols(f"b2_1:{n + 1}"))
    total = s1.dot(b1) - s2.dot(b2)
    mod_inp = (b1 - b2).dot((s1 + s2) / 2)
    mod_sel = ((b1 + b2) / 2).dot(s1 - s2)
    return total, mod_inp, mod_sel, sp.expand(total - mod_inp - mod_sel)


def activation_input_derivative(n: int = 3):
    r"""$b_x=\partial F/\partial u$ for the activation model, and its derivative with respect to the
    operating point $x$ (claim 26). Returns ``(b_x, d b_x / d x)``; the latter is zero.

    >>> bx, dbx = activation_input_derivative(2)
    >>> dbx.is_zero_matrix
    True
    """
    phi = Function("phi")
    x = Matrix(symbols(f"x1:{n + 1}"))
    J = Matrix(n, n, lambda i, j: Symbol(f"J{i + 1}{j + 1}"))
    b = Matrix(symbols(f"b1:{n + 1}"))
    u = Symbol("u")
    h = Matrix(symbols(f"h1:{n + 1}"))
    F = -x + J * x.applyfunc(phi) + b * u + h
    bx = F.diff(u)
    return bx, bx.jacobian(x)


def rank_one_eigensystem():
    r"""Rank-one eigen-identities with MatrixSymbols $m, n$ ($N\times1$) and $D$ (claim 28).

    Returns a dict of differences that must vanish:
    $n^T(-I+Dmn^T/N)-\lambda n^T$, $(-I+Dmn^T/N)Dm-\lambda Dm$, $(-I+mn^TD/N)m-\lambda m$,
    $(Dn)^T(-I+mn^TD/N)-\lambda(Dn)^T$, with $\lambda=-1+n^TDm/N$ (a 1×1 matrix), plus the
    closed forms of $\rho$, $s$ and $s\cdot b$ in both frames.

    >>> out = rank_one_eigensystem()
    >>> all(v == 0 for v in out["checks"].values())
    True
    """
    N = Symbol("N", integer=True, positive=True)
    m, nv, D = MatrixSymbol("m", N, 1), MatrixSymbol("n", N, 1), MatrixSymbol("D", N, N)
    lam = -Identity(1) + (nv.T * D * m) / N  # 1×1
    I = Identity(N)
    Ar = -I + D * m * nv.T / N
    Ax = -I + m * nv.T * D / N
    # Dᵀ = D (diagonal): use D in place of Dᵀ in (Dn)ᵀ = nᵀD
    checks = {
        "n^T A_r": nv.T * Ar - lam * nv.T,
        "A_r D m": Ar * D * m - D * m * lam,
        "A_x m": Ax * m - m * lam,
        "(Dn)^T A_x": nv.T * D * Ax - lam * nv.T * D,
    }
    checks = {k: sp.expand(v.doit()) for k, v in checks.items()}
    checks = {k: (0 if v == ZeroMatrix(*v.shape) or v == 0 else v) for k, v in checks.items()}
    return {"lambda": lam, "A_r": Ar, "A_x": Ax, "checks": checks,
            "rho_r": Symbol(r"D_c m / \|D_c m\|"), "s_r": Symbol(r"\sigma_c n"),
            "s_r_dot_b_r": Symbol(r"\|D_c m\| n^T D_c b / (n^T D_c m)"),
            "s_x_dot_b": Symbol(r"\|m\| n^T D_c b / (n^T D_c m)")}


def low_rank_eigensystem(R: int = 2):
    r"""Rank-$R$ eigenvector identities with MatrixSymbols $M, Y$ ($N\times R$), $p$, $a$ ($R\times1$),
    $K=Y^TDM/N$ (claim 29). Returns a dict of four differences; each expands to zero after
    substituting $Kp=\mu p$ and $a^TK=\mu a^T$, i.e. they equal
    $DM(Kp-\mu p)$, $M(Kp-\mu p)$ (right) and $(a^TK-\mu a^T)Y^T$, $(a^TK-\mu a^T)Y^TD$ (left).

    >>> out = low_rank_eigensystem(2)
    >>> all(v == 0 for v in out.values())
    True
    """
    N = Symbol("N", integer=True, positive=True)
    M, Y = MatrixSymbol("M", N, R), MatrixSymbol("Y", N, R)
    D = MatrixSymbol("D", N, N)
    p, a = MatrixSymbol("p", R, 1), MatrixSymbol("a", R, 1)
    mu = Symbol("mu")
    I = Identity(N)
    K = Y.T * D * M / N
    Ar, Ax = -I + D * M * Y.T / N, -I + M * Y.T * D / N
    lam = -1 + mu
    out = {
        "r right": Ar * D * M * p - lam * D * M * p - D * M * (K * p - mu * p),
        "x right": Ax * M * p - lam * M * p - M * (K * p - mu * p),
        "r left": a.T * Y.T * Ar - lam * a.T * Y.T - (a.T * K - mu * a.T) * Y.T,
        "x left": a.T * Y.T * D * Ax - lam * a.T * Y.T * D - (a.T * K - mu * a.T) * Y.T * D,
    }
    res = {}
    for k, v in out.items():
        e = sp.expand(v.doit())
        res[k] = 0 if e == ZeroMatrix(*e.shape) or e == 0 else e
    return res


@functools.lru_cache(maxsize=None)
def low_rank_charpoly(N: int = 3, R: int = 1):
    r"""$\det(\lambda I-A)-(\lambda+1)^{N-R}\det((\lambda+1)I_R-K)$ for both frames at explicit
    small $N$, $R$ with symbolic $M$, $Y$ and diagonal $D$ (claim 29). Returns the two
    differences (both 0).

    >>> low_rank_charpoly(3, 1)
    (0, 0)
    """
    lam = Symbol("lambda")
    M = Matrix(N, R, lambda i, k: Symbol(f"m{i + 1}{k + 1}"))
    Y = Matrix(N, R, lambda i, k: Symbol(f"y{i + 1}{k + 1}"))
    D = diag(*symbols(f"d1:{N + 1}"))
    K = Y.T * D * M / N
    ref = (lam + 1) ** (N - R) * ((lam + 1) * eye(R) - K).det(method="berkowitz")
    out = []
    for A in (-eye(N) + D * M * Y.T / N, -eye(N) + M * Y.T * D / N):
        out.append(sp.expand((lam * eye(N) - A).det(method="berkowitz") - ref))
    return tuple(out)


@functools.lru_cache(maxsize=None)
def unit_rho_ratio():
    r"""With consistent scaling ($\rho_r=D\rho_x$, $s_r$ with $D s_r = s_x$) the totals agree; with
    unit $\rho$ in each frame, $\rho_r=D\rho_x/\|D\rho_x\|$ and $s\cdot\rho=1$ force
    $s_r=\|D\rho_x\|\,s_r^{\mathrm{cons}}$, hence $s_r\cdot b_r=\|D\rho_x\|\,(s_x\cdot b)$ (claim 27).

    Returns ``(ratio, remainder)`` where ``remainder`` is the scalar identity after substitution
    (0).

    >>> unit_rho_ratio()[1]
    0
    """
    nrm, sx_b, scale = symbols("nu sxb c", positive=True)  # ν = ‖Dρ_x‖, s_x·b, scaling of s_r
    # consistent pair: s_r^cons · (D b) = s_x · b, s_r^cons·(Dρ_x) = s_x·ρ_x = 1
    # unit-ρ pair: ρ_r = Dρ_x/ν, s_r = c s_r^cons with s_r·ρ_r = c/ν = 1
    c_val = sp.solve(Eq(scale / nrm, 1), scale)[0]
    ratio = sp.simplify(c_val * sx_b / sx_b)
    return ratio, sp.simplify(c_val * sx_b - nrm * sx_b)


def consistent_total_identity() -> bool:
    r"""$s_r^T(Db)=(Ds_r)^Tb$ for diagonal $D$ (MatrixSymbol, with $D^T=D$), so $s_r\cdot b_r=s_x\cdot b$
    when $Ds_r=s_x$ (claim 27).

    >>> consistent_total_identity()
    True
    """
    N = Symbol("N", integer=True, positive=True)
    s, b, D = MatrixSymbol("s", N, 1), MatrixSymbol("b", N, 1), MatrixSymbol("D", N, N)
    lhs = s.T * (D * b)
    rhs = (D.T * s).T * b
    return bool(sp.expand((lhs - rhs).doit()) == ZeroMatrix(1, 1))


# --------------------------------------------------------------------------------------------------
# discrete time
# --------------------------------------------------------------------------------------------------

def _net(n, phi):
    W = Matrix(n, n, lambda i, j: Symbol(f"W{i + 1}{j + 1}", real=True))
    v = Matrix(symbols(f"v1:{n + 1}", real=True))
    c = Matrix(symbols(f"c1:{n + 1}", real=True))
    return W, v, c, (Function("phi") if phi is None else phi)


def _apply(phi, expr):
    if isinstance(phi, str):
        return _phi_expr(phi, expr)
    return phi(expr)


def vanilla_jacobians(n: int = 2, phi=None):
    r"""Elman RNN $h\mapsto\phi(Wh+c)$ and the induced activation map $a\mapsto W\phi(a)+c$
    (claim 30). Returns ``(jac_h, DW, jac_a, WD, h, a)``: the Jacobians by ``Matrix.jacobian`` and
    the predicted forms $DW$, $WD$ with $D=\operatorname{diag}(\phi'(a))$, $a=Wh+c$ (for the
    $h$-map) and $a$ the activation variable (for the $a$-map).

    >>> jh, DW, ja, WD, h, a = vanilla_jacobians(2)
    >>> (jh - DW).applyfunc(sp.expand).is_zero_matrix and (ja - WD).applyfunc(sp.expand).is_zero_matrix
    True
    """
    W, v, c, phi = _net(n, phi)
    pre = W * v + c
    hmap = pre.applyfunc(lambda e: _apply(phi, e))
    jac_h = hmap.jacobian(v)
    dphi = lambda e: sp.diff(_apply(phi, _x), _x).subs(_x, e)  # noqa: E731
    DW = diag(*[dphi(pre[i]) for i in range(n)]) * W
    amap = W * v.applyfunc(lambda e: _apply(phi, e)) + c
    jac_a = amap.jacobian(v)
    WD = W * diag(*[dphi(v[i]) for i in range(n)])
    return jac_h, DW, jac_a, WD, v, v


def euler_map_jacobian(n: int = 3, phi=None, alpha=None):
    r"""Jacobian of the leaky/Euler map $x\mapsto x+\alpha(-x+J\phi(x)+c)$ (claims 31, 32) and the
    predicted $(1-\alpha)I+\alpha JD$. Returns ``(jac, predicted, x)``.

    >>> jac, pred, x = euler_map_jacobian(2)
    >>> (jac - pred).applyfunc(sp.expand).is_zero_matrix
    True
    """
    J, x, c, phi = _net(n, phi)
    al = Symbol("alpha", positive=True) if alpha is None else sp.sympify(alpha)
    m = x + al * (-x + J * x.applyfunc(lambda e: _apply(phi, e)) + c)
    jac = m.jacobian(x)
    D = diag(*[sp.diff(_apply(phi, _x), _x).subs(_x, x[i]) for i in range(n)])
    return jac, (1 - al) * eye(n) + al * J * D, x


def induced_activity_map_jacobian(n: int = 3, phi="tanh", alpha=None):
    r"""The induced $r$-map $r\mapsto\phi((1-\alpha)\phi^{-1}(r)+\alpha(Jr+c))$ and its Jacobian at a
    fixed point (claims 31, 32).

    With $x=\phi^{-1}(r)$ and the fixed-point condition $c=x-J\phi(x)$ substituted, the Jacobian is
    $(1-\alpha)I+\alpha DJ$. Returns ``(jac_at_fixed_point, predicted, difference)``; the difference
    simplifies to zero.

    >>> _, _, diff = induced_activity_map_jacobian(2, "tanh")
    >>> diff == sp.zeros(2, 2)
    True
    """
    g, gain = _inverse_and_gain(phi)
    J = Matrix(n, n, lambda i, j: Symbol(f"J{i + 1}{j + 1}", real=True))
    r = Matrix(symbols(f"r1:{n + 1}", real=True))
    c = Matrix(symbols(f"c1:{n + 1}", real=True))
    al = Symbol("alpha", positive=True) if alpha is None else sp.sympify(alpha)
    x = r.applyfunc(lambda v: g.subs(_r, v))
    pre = (1 - al) * x + al * (J * r + c)
    rmap = pre.applyfunc(lambda e: _phi_expr(phi, e))
    jac = rmap.jacobian(r)
    # fixed point: c = x - J r, so pre = x and φ(pre) = r
    jac_fp = jac.subs({c[i]: x[i] - (J * r)[i] for i in range(n)})
    D = diag(*[gain.subs(_r, r[i]) for i in range(n)])
    pred = (1 - al) * eye(n) + al * D * J
    def zero(e):
        e = sp.cancel(sp.powsimp(sp.expand(e)))
        return e if e == 0 else sp.simplify(e)   # simplify only where cancellation is not enough

    diff = (jac_fp - pred).applyfunc(zero)
    return jac_fp, pred, diff


# --------------------------------------------------------------------------------------------------
# derive topics for part B (the lead merges PART_B_TOPICS into theory.linearization.TOPICS and routes
# those topics to part_b_derivations)
# --------------------------------------------------------------------------------------------------

PART_B_TOPICS = {
    "linearization.offfixed": "trajectory term −I + DJ + diag(ψ⊙F), ψ and L_φ per activation",
    "linearization.singular": "silent units: charpolys, block forms, Jordan power identities, K_r = DK_x",
    "linearization.context": "selection split, rank-one and rank-R eigensystems, unit-ρ ratio",
    "linearization.discrete": "Elman DW vs WD, leaky (1−α)I + αJD, induced r-map Jacobian",
}


def part_b_derivations(topic: str, n=None, activation=None) -> list:
    r"""The ``(label, sympy object)`` list of a part-B derive topic (claims 17–32).

    ``n`` sets explicit sizes (default 3; at most 4 for the charpolys), ``activation`` one of tanh,
    sigmoid, softplus (default tanh) where φ must be named.

    >>> [label for label, _ in part_b_derivations("linearization.offfixed")][:2]
    ['A_r(t) (general N)', 'psi (tanh)']
    """
    phi = activation if activation in ("tanh", "sigmoid", "softplus") else "tanh"
    if activation not in (None, "generic", "tanh", "sigmoid", "softplus", "relu"):
        raise TopicError(f"--activation must be tanh, sigmoid, softplus or relu, got {activation!r}")
    k = 3 if n is None else int(n)
    if topic == "linearization.offfixed":
        jac, closed, _ = trajectory_jacobian(phi, min(k, 3))
        return [("A_r(t) (general N)", trajectory_statement()),
                (f"psi ({phi})", Eq(Symbol("psi"), psi(phi), evaluate=False)),
                (f"psi in r ({phi})", Eq(Symbol("psi"), psi_of_r(phi), evaluate=False)),
                ("L_phi", Eq(Symbol("L_phi"), psi_bound(phi), evaluate=False)),
                (f"activity Jacobian closed form (n = {min(k, 3)}, {phi})", closed),
                ("slow-point mismatch", slow_point_statement())]
    if topic == "linearization.singular":
        px, pr, lam = silent_charpoly(min(k, 4), (0,))
        DJ, JD = silent_block_form(2, 1)
        return [(f"det(λI − A_x), d_1 = 0 (n = {min(k, 4)})", sp.factor(px)),
                ("det(λI − A_r) − det(λI − A_x)", sp.expand(pr - px)),
                ("DJ (blocks A, S)", DJ), ("JD (blocks A, S)", JD),
                ("row i ∈ S of (A_r − λI)v", silent_eigvec_equation(3, 0))]
    if topic == "linearization.context":
        total, mi, ms, _ = selection_decomposition(2)
        r1 = rank_one_eigensystem()
        return [("total change Δ(s·b) (n = 2)", total), ("input modulation Δb·s̄", mi),
                ("selection modulation b̄·Δs", ms), ("rank-one λ_c", r1["lambda"]),
                ("rank-one A_r", r1["A_r"]), ("rank-one A_x", r1["A_x"]),
                ("unit-ρ ratio s_r·b_r / s_x·b", unit_rho_ratio()[0])]
    if topic == "linearization.discrete":
        kk = min(k, 3)
        jh, DW, ja, WD, _, _ = vanilla_jacobians(kk)
        jac, pred, _ = euler_map_jacobian(kk)
        rj, rpred, _ = induced_activity_map_jacobian(kk, phi)
        return [(f"Elman ∂h′/∂h (n = {kk})", jh), ("Elman ∂a′/∂a", ja),
                ("leaky/Euler x-map Jacobian", jac), (f"induced r-map Jacobian at x* ({phi})", rpred)]
    raise TopicError(f"unknown part-B topic {topic!r}; known: {', '.join(PART_B_TOPICS)}")
