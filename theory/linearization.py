r"""Symbolic side of the linearization paper: activation vs activity frames (SymPy only).

M. Pagan, A. Valente, S. Ostojic, C. D. Brody (2023), *Brief technical note on linearizing
recurrent neural networks (RNNs) before vs after the pointwise nonlinearity*, arXiv:2309.04030.
Claims 1–16 (models and frames, relations, eigenvectors and invariants).

Model builders (``phi`` in tanh, sigmoid, softplus, relu, or a SymPy ``Function``)
    activation_model, activity_model, rate_model, vanilla_rnn, leaky_rnn   -> :class:`Model`
Linearizations
    activation_jacobian, activity_jacobian  -- $A_x=-I+JD$, $A_r=-I+DJ$
    linear_systems(model)                   -- $(A, b, c)$ of both frames, derived by Matrix.jacobian
    hetero_tau_jacobians                    -- $T^{-1}A_x$, $T^{-1}A_r$
    activity_pointwise(phi)                 -- scalar $\phi'(\phi^{-1}(r))(-\phi^{-1}(r)+s)$ (chain rule)
Relations (MatrixSymbol, general N)
    intertwining_identity, similarity_identity, push_through_identity(k), resolvent_identity,
    adjugate_identity(n)
Spectra and eigenvectors
    charpoly_pair(n, silent=()), right_eigvec_map(lam), left_eigvec_map(lam),
    hetero_tau_eigvec_maps(lam), symmetric_form(n)
Invariants
    transfer_function_pair(n), markov_parameters(k), modal_gains()
Output
    STATEMENTS (claim ID -> SymPy relation), latex(expr_or_claim_id), TOPICS, derivations(...)

Every relation is built with ``evaluate=False`` so that it prints as the statement; ``*_difference``
helpers return what must expand to zero.

Examples
--------
>>> A_x, A_r = activation_jacobian(J, D), activity_jacobian(J, D)
>>> (D * A_x - A_r * D).expand()
0
>>> print(sympy.latex(intertwining_identity()[0]))
D \left(- \mathbb{I} + J D\right) = \left(- \mathbb{I} + D J\right) D
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Optional

import sympy
from sympy import (Eq, Identity, Matrix, MatrixSymbol, Symbol, diag, eye, symbols, zeros)

from ._common import Derivation, TopicError, to_latex

__all__ = [
    "Model", "N", "J", "D", "T", "I", "lam", "mu", "s", "t", "alpha", "tau", "PHI_NAMES",
    "phi_function", "phi_inverse", "activation_model", "activity_model", "rate_model",
    "vanilla_rnn", "leaky_rnn", "activation_jacobian", "activity_jacobian", "linear_systems",
    "hetero_tau_jacobians", "activity_pointwise", "intertwining_identity",
    "intertwining_difference", "similarity_identity", "push_through_identity",
    "push_through_difference", "resolvent_identity", "adjugate_identity", "charpoly_pair",
    "right_eigvec_map", "left_eigvec_map", "eigvec_map_residuals", "hetero_tau_eigvec_maps",
    "hetero_tau_residuals", "symmetric_form", "transfer_function_pair", "markov_parameters",
    "markov_difference", "modal_gains", "chain_rule_identity", "rate_model_ydot_identity",
    "STATEMENTS", "latex", "TOPICS", "derivations",
]

# -- shared symbols -------------------------------------------------------------------------------
N = Symbol("N", integer=True, positive=True)
J = MatrixSymbol("J", N, N)
D = MatrixSymbol("D", N, N)
T = MatrixSymbol("T", N, N)
I = Identity(N)
lam, mu, s, t, alpha = symbols("lambda mu s t alpha")
tau = Symbol("tau", positive=True)
_v = MatrixSymbol("v", N, 1)
_uvec = MatrixSymbol("u", N, 1)
_w = MatrixSymbol("w", N, 1)
_b = MatrixSymbol("b", N, 1)
_x = Symbol("x")

PHI_NAMES = ("tanh", "sigmoid", "softplus", "relu")
_MAX_N = 6


def _check_n(n, low=1, high=_MAX_N):
    if isinstance(n, bool) or not isinstance(n, int) or not low <= n <= high:
        raise TopicError(f"n must be an integer in [{low}, {high}] for explicit matrices, got {n!r}")
    return n


def phi_function(phi=None) -> Callable:
    r"""$\phi$ as a callable on SymPy expressions.

    ``None``/``"generic"`` gives an undefined ``Function('phi')``; a name from :data:`PHI_NAMES`
    gives the closed form; a SymPy ``Function`` class is used as is.

    >>> phi_function("sigmoid")(Symbol("x"))
    1/(1 + exp(-x))
    """
    if phi is None or phi == "generic":
        return sympy.Function("phi")
    if isinstance(phi, sympy.FunctionClass):
        return phi
    if phi == "tanh":
        return sympy.tanh
    if phi == "sigmoid":
        return sympy.Lambda(_x, 1 / (1 + sympy.exp(-_x)))
    if phi == "softplus":
        return sympy.Lambda(_x, sympy.log(1 + sympy.exp(_x)))
    if phi == "relu":
        return sympy.Lambda(_x, sympy.Max(0, _x))
    raise TopicError(f"phi must be one of {', '.join(PHI_NAMES)}, 'generic' or a SymPy Function, got {phi!r}")


def phi_inverse(phi=None) -> Callable:
    r"""$\phi^{-1}$ for strictly monotone $\phi$ (``Function('phi^{-1}')`` for a generic $\phi$).

    >>> phi_inverse("tanh")(Symbol("r"))
    atanh(r)
    """
    if phi is None or phi == "generic" or isinstance(phi, sympy.FunctionClass):
        name = "phi" if phi is None or phi == "generic" else str(phi)
        return sympy.Function(f"{name}^{{-1}}")
    r = Symbol("r")
    if phi == "tanh":
        return sympy.atanh
    if phi == "sigmoid":
        return sympy.Lambda(r, sympy.log(r / (1 - r)))
    if phi == "softplus":
        return sympy.Lambda(r, sympy.log(sympy.exp(r) - 1))
    if phi == "relu":
        raise TopicError("relu is not invertible: the activity form is not closed in r "
                         "(silent units need x); use the activation or rate model")
    raise TopicError(f"phi must be one of {', '.join(PHI_NAMES)} or a SymPy Function, got {phi!r}")


def _dphi(phi, arg):
    """phi'(arg) as an expression (Derivative/Subs for a generic Function)."""
    f = phi_function(phi)
    z = Symbol("z")
    return sympy.diff(f(z), z).subs(z, arg)


# -- models ---------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Model:
    r"""An explicit-size model: $\tau\,\dot{\text{state}} = \text{rhs}$ (continuous) or
    $\text{state}^+ = \text{rhs}$ (discrete), with the symbols used.

    ``equation()`` is the printable relation; ``latex()`` and ``_repr_latex_`` render it.
    """

    name: str
    n: int
    state: Matrix
    rhs: Matrix
    J: Matrix
    b: Matrix
    h: Matrix
    u: Symbol
    w: Matrix
    phi: object
    discrete: bool = False
    extra: dict = field(default_factory=dict)

    def equation(self):
        if self.discrete:
            lhs = Matrix([Symbol(f"{str(v)}^+") for v in self.state])
        else:
            lhs = tau * Matrix([Symbol(f"\\dot{{{sympy.latex(v)}}}") for v in self.state])
        return Eq(lhs, self.rhs, evaluate=False)

    def latex(self) -> str:
        return sympy.latex(self.equation())

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.latex()}$"

    def __str__(self) -> str:
        return f"{self.name}:\n{sympy.pretty(self.equation(), use_unicode=True)}"

    __repr__ = __str__


def _weights(n, name="J"):
    return Matrix(n, n, lambda i, j: Symbol(f"{name}_{i + 1}{j + 1}"))


def _vec(name, n):
    return Matrix([Symbol(f"{name}_{i + 1}") for i in range(n)])


def _parts(n):
    _check_n(n)
    return _weights(n), _vec("b", n), _vec("h", n), Symbol("u"), _vec("w", n)


def activation_model(n: int, phi=None) -> Model:
    r"""$\tau\dot x=-x+J\phi(x)+bu+h$ at explicit size ``n`` (claim 1).

    >>> m = activation_model(2, "tanh")
    >>> m.rhs[0]
    J_11*tanh(x_1) + J_12*tanh(x_2) + b_1*u + h_1 - x_1
    """
    Jm, b, h, u, w = _parts(n)
    x = _vec("x", n)
    f = phi_function(phi)
    r = x.applyfunc(f)
    return Model("activation model", n, x, -x + Jm * r + b * u + h, Jm, b, h, u, w, phi)


def activity_model(n: int, phi=None) -> Model:
    r"""$\tau\dot r=\phi'(x)\odot(-x+Jr+bu+h)$ with $x=\phi^{-1}(r)$ (claim 1).

    >>> activity_model(1, "tanh").rhs[0]
    (1 - r_1**2)*(J_11*r_1 + b_1*u + h_1 - atanh(r_1))
    """
    Jm, b, h, u, w = _parts(n)
    r = _vec("r", n)
    inv = phi_inverse(phi)
    x = r.applyfunc(inv)
    s_ = Jm * r + b * u + h
    rhs = Matrix([_dphi(phi, x[i]) * (-x[i] + s_[i]) for i in range(n)])
    return Model("activity model", n, r, rhs, Jm, b, h, u, w, phi, extra={"x": x})


def rate_model(n: int, phi=None) -> Model:
    r"""$\tau\dot r=-r+\phi(Jr+bu+h)$ (claim ``linearization.rate_model_equivalence``).

    >>> rate_model(1, "tanh").rhs[0]
    -r_1 + tanh(J_11*r_1 + b_1*u + h_1)
    """
    Jm, b, h, u, w = _parts(n)
    r = _vec("r", n)
    f = phi_function(phi)
    return Model("rate model", n, r, -r + (Jm * r + b * u + h).applyfunc(f), Jm, b, h, u, w, phi)


def vanilla_rnn(n: int, phi=None) -> Model:
    r"""Elman RNN $h^+=\phi(Wh+bu+h_0)$ (discrete time; ``J`` plays $W$)."""
    Jm, b, h, u, w = _parts(n)
    hs = _vec("s", n)
    f = phi_function(phi)
    return Model("vanilla RNN", n, hs, (Jm * hs + b * u + h).applyfunc(f), Jm, b, h, u, w, phi,
                 discrete=True)


def leaky_rnn(n: int, phi=None, alpha_=alpha) -> Model:
    r"""Leaky (Euler) RNN $x^+=x+\alpha(-x+J\phi(x)+bu+h)$."""
    m = activation_model(n, phi)
    return Model("leaky RNN", n, m.state, m.state + alpha_ * m.rhs, m.J, m.b, m.h, m.u, m.w, phi,
                 discrete=True, extra={"alpha": alpha_})


# -- linearizations -------------------------------------------------------------------------------
def _gain_matrix(gains, n=None):
    if isinstance(gains, sympy.MatrixExpr) and not isinstance(gains, sympy.ImmutableMatrix) and \
            gains.shape[0] == gains.shape[1]:
        return gains
    if isinstance(gains, (Matrix, sympy.ImmutableMatrix)) and gains.shape[0] == gains.shape[1] != 1:
        return gains
    return diag(*list(gains))


def _identity_like(M):
    return Identity(M.shape[0]) if isinstance(M, MatrixSymbol) or not hasattr(M, "is_Matrix") or \
        not isinstance(M, (Matrix, sympy.ImmutableMatrix)) else eye(M.shape[0])


def activation_jacobian(Jm, gains):
    r"""Activation-frame Jacobian $A_x=-I+JD$, $D=\operatorname{diag}(\phi'(x^*))$ (claim 4).

    ``gains`` is a vector of gains or a square matrix (e.g. the MatrixSymbol ``D``).

    >>> activation_jacobian(Matrix([[0, 1], [2, 0]]), [3, 5])
    Matrix([
    [-1,  5],
    [ 6, -1]])
    """
    Dm = _gain_matrix(gains)
    Jm = Jm if isinstance(Jm, sympy.MatrixExpr) else Matrix(Jm)
    return -_identity_like(Jm) + Jm * Dm


def activity_jacobian(Jm, gains):
    r"""Activity-frame Jacobian $A_r=-I+DJ$ (claim 4). Related by $DA_x=A_rD$ (claim 5).

    >>> activity_jacobian(Matrix([[0, 1], [2, 0]]), [3, 5])
    Matrix([
    [-1,  3],
    [10, -1]])
    """
    Dm = _gain_matrix(gains)
    Jm = Jm if isinstance(Jm, sympy.MatrixExpr) else Matrix(Jm)
    return -_identity_like(Jm) + Dm * Jm


def hetero_tau_jacobians(Jm, gains, taus):
    r"""$(T^{-1}A_x,\ T^{-1}A_r)$ with $T=\operatorname{diag}(\tau_i)$ (claim 3)."""
    Jm = Matrix(Jm)
    Ti = diag(*[1 / sympy.sympify(x) for x in taus])
    return Ti * activation_jacobian(Jm, gains), Ti * activity_jacobian(Jm, gains)


def _gain_symbols(n):
    return _vec("d", n)


def _replace_derivatives(expr, x, phi, dsyms):
    """Replace phi'(x_i) by d_i (and leave anything else)."""
    for i in range(len(x)):
        expr = expr.subs(_dphi(phi, x[i]), dsyms[i])
    return expr


def linear_systems(model: Model) -> dict:
    r"""The two linear systems $(A, b, c)$ at a fixed point, derived with ``Matrix.jacobian`` (claim 4).

    For the activation model: $A_x=\partial F/\partial x$, $b_x=\partial F/\partial u$, $c_x=Dw$.
    The activity frame is the Jacobian of $G=\phi'(x)\odot F$ in $r$, by the chain rule
    $\partial x/\partial r=D^{-1}$, at a fixed point (the bias is eliminated through
    $h=x^*-J\phi(x^*)-bu$, so $F\equiv0$ and the $\phi''\odot F$ term drops out): $A_r$, $b_r=Db$,
    $c_r=w$. For the rate model the Jacobian is taken directly and $D=\operatorname{diag}(\phi'(y))$,
    $y=Jr+bu+h$.

    The derivation runs with an undefined $\phi$ (every step is the chain rule); $\phi'(x_i^*)$
    and $\phi''(x_i^*)$ become the symbols $d_i$, $e_i$. For a named $\phi$ the key ``"gain"``
    gives $d_i$ in closed form.

    Returns ``{"activation": (A, b, c), "activity": (A, b, c), "gains": d, "gain": expr}``.

    >>> out = linear_systems(activation_model(2))
    >>> out["activity"][0] - activity_jacobian(activation_model(2).J, out["gains"])
    Matrix([
    [0, 0],
    [0, 0]])
    """
    n = model.n
    gen = sympy.Function("phi")
    d = _gain_symbols(n)
    e = _vec("e", n)
    z = Symbol("z")
    gain = sympy.diff(phi_function(model.phi)(z), z) if model.phi not in (None, "generic") else \
        sympy.Derivative(gen(z), z)

    def to_d(expr, args):
        # phi''(a_i) -> e_i first, then phi'(a_i) -> d_i; a Subs(phi'(xi), xi, a_i) is phi'(a_i).
        def subs_point(sub):
            k = list(args).index(sub.point[0])
            order = sub.expr.args[1][1] if isinstance(sub.expr, sympy.Derivative) else 0
            return (d if order == 1 else e)[k]
        expr = expr.replace(lambda q: isinstance(q, sympy.Subs) and q.point[0] in list(args), subs_point)
        syms = [(i, a) for i, a in enumerate(args) if a.is_Symbol]
        expr = expr.subs({sympy.Derivative(gen(a), (a, 2)): e[i] for i, a in syms})
        return expr.subs({sympy.Derivative(gen(a), a): d[i] for i, a in syms})

    Jm, b, h, u, w = model.J, model.b, model.h, model.u, model.w
    if model.name == "rate model":
        r = model.state
        y = _vec("y", n)
        rhs = -r + y.applyfunc(gen)
        ysub = Jm * r + b * u + h
        A = to_d(rhs.subs({y[i]: ysub[i] for i in range(n)}).jacobian(r).doit(), list(ysub))
        bu = to_d(rhs.subs({y[i]: ysub[i] for i in range(n)}).diff(u).doit(), list(ysub))
        return {"activity": (A, bu, w), "gains": d, "gain": gain}
    if model.name != "activation model":
        raise TopicError(f"linear_systems takes the activation or rate model, got {model.name}")
    x = model.state
    F = -x + Jm * x.applyfunc(gen) + b * u + h
    A_x = to_d(F.jacobian(x), list(x))
    b_x = F.diff(u)
    G = Matrix([sympy.Derivative(gen(x[i]), x[i]) * F[i] for i in range(n)])
    dGdx = to_d(G.jacobian(x).doit(), list(x))
    dGdr = dGdx * diag(*[1 / d[i] for i in range(n)])          # chain rule: dx/dr = D^{-1}
    fixed = {h[i]: (x - Jm * x.applyfunc(gen) - b * u)[i] for i in range(n)}
    A_r = dGdr.subs(fixed).expand()
    b_r = to_d(G.diff(u).doit(), list(x))
    return {"activation": (A_x, b_x, diag(*d) * w), "activity": (A_r, b_r, w), "gains": d, "gain": gain}


def activity_pointwise(phi=None):
    r"""Scalar form of the activity field, $g(r,s)=\phi'(\phi^{-1}(r))\,(-\phi^{-1}(r)+s)$, where
    $s=(Jr+Bu+h)_i$ (claim 1). Returns ``(expr, r, s)`` for lambdification; for tanh it reduces to
    $(1-r^2)(s-\operatorname{artanh} r)$.

    >>> expr, r_, s_ = activity_pointwise("tanh")
    >>> sympy.simplify(expr - (1 - r_**2) * (s_ - sympy.atanh(r_)))
    0
    """
    r_, s_ = symbols("r s", real=True)
    xr = phi_inverse(phi)(r_)
    expr = sympy.simplify(_dphi(phi, xr) * (-xr + s_))
    return expr, r_, s_


def chain_rule_identity(phi=None):
    r"""$\tau\frac{d}{dt}\phi(x_i(t)) - \phi'(x_i)F_i = 0$ when $\tau\dot x_i=F_i$ (claim 1).

    Returns the difference after substituting $\dot x_i=F_i/\tau$; it is 0 for every $\phi$.

    >>> chain_rule_identity()
    0
    """
    xi = sympy.Function("x_i")(t)
    Fi = sympy.Function("F_i")(t)
    f = phi_function(phi)
    lhs = tau * sympy.diff(f(xi), t)
    lhs = lhs.subs(sympy.Derivative(xi, t), Fi / tau)
    rhs = _dphi(phi, xi) * Fi
    return sympy.simplify(lhs - rhs)


def rate_model_ydot_identity(n: int = 2, phi=None):
    r"""For $y:=Jr+Bu+h$ and $\tau\dot r=-r+\phi(y)$:
    $\tau\dot y-(-y+J\phi(y)+Bu+h+\tau B\dot u)=0$ (Miller & Fumarola 2012; claim 2).

    Returns the difference (a zero vector)."""
    _check_n(n)
    Jm, b, h, _, _ = _parts(n)
    u = sympy.Function("u")(t)
    r = Matrix([sympy.Function(f"r_{i + 1}")(t) for i in range(n)])
    y = Jm * r + b * u + h
    f = phi_function(phi)
    rdot = {sympy.Derivative(r[i], t): (-r[i] + f(y[i])) / tau for i in range(n)}
    ydot = y.diff(t).subs(rdot)
    diff_ = tau * ydot - (-y + Jm * y.applyfunc(f) + b * u + h + tau * b * sympy.Derivative(u, t))
    return diff_.expand()


# -- relations (general N) ------------------------------------------------------------------------
def intertwining_identity():
    r"""$(DA_x=A_rD,\ A_xJ=JA_r)$ with MatrixSymbols, for every $N\times N$ $D$ (claim 5)."""
    A_x, A_r = activation_jacobian(J, D), activity_jacobian(J, D)
    return Eq(D * A_x, A_r * D, evaluate=False), Eq(A_x * J, J * A_r, evaluate=False)


def intertwining_difference():
    r"""The expanded differences $DA_x-A_rD$ and $A_xJ-JA_r$; both are 0 (claim 5).

    >>> intertwining_difference()
    (0, 0)
    """
    A_x, A_r = activation_jacobian(J, D), activity_jacobian(J, D)
    return (D * A_x - A_r * D).expand(), (A_x * J - J * A_r).expand()


def similarity_identity():
    r"""$A_r=DA_xD^{-1}$ for invertible $D$ (claim 6); ``.rhs - .lhs`` expands to 0.

    >>> rel = similarity_identity()
    >>> (rel.lhs - rel.rhs).expand()
    0
    """
    A_x, A_r = activation_jacobian(J, D), activity_jacobian(J, D)
    return Eq(A_r, D * A_x * D.I, evaluate=False)


def push_through_identity(k: int = 2):
    r"""$DA_x^k=A_r^kD$ (claim 7): the power-series step behind $De^{tA_x}=e^{tA_r}D$."""
    A_x, A_r = activation_jacobian(J, D), activity_jacobian(J, D)
    return Eq(D * A_x ** k, A_r ** k * D, evaluate=False)


@lru_cache(maxsize=None)
def push_through_difference(k: int):
    r"""$D(-1+JD)^k-(-1+DJ)^kD$ expanded in the free algebra generated by $J$, $D$ (claim 7).

    Noncommutative symbols stand for arbitrary square matrices: an identity in the free algebra
    holds for every pair of $N\times N$ matrices. (SymPy does not expand ``MatPow``, and the
    free-algebra expansion is much faster than MatrixSymbol products.)

    >>> push_through_difference(5)
    0
    """
    Jn, Dn = symbols("J D", commutative=False)
    return sympy.expand(Dn * (-1 + Jn * Dn) ** k - (-1 + Dn * Jn) ** k * Dn)


def resolvent_identity():
    r"""$(\mu I-A_r)D=D(\mu I-A_x)$, hence $D(\mu I-A_x)^{-1}=(\mu I-A_r)^{-1}D$ (claim 7)."""
    A_x, A_r = activation_jacobian(J, D), activity_jacobian(J, D)
    return Eq(D * (mu * I - A_x).I, (mu * I - A_r).I * D, evaluate=False)


def _dm(M, gens, field=False):
    """``M`` as a DomainMatrix over ZZ[gens] (or its fraction field): exact and fast arithmetic."""
    from sympy.polys.matrices import DomainMatrix
    dom = sympy.ZZ.frac_field(*gens) if field else sympy.ZZ[tuple(gens)]
    return DomainMatrix.from_Matrix(Matrix(M)).convert_to(dom)


def adjugate_identity(n: int = 3, silent=()):
    r"""$D\operatorname{adj}(\mu I-JD)\det(\mu I-DJ)-\operatorname{adj}(\mu I-DJ)D\det(\mu I-JD)$
    at explicit ``n``, computed exactly over $\mathbb Z[J_{ij},d_i,\mu]$ (claim 7; no inverse
    needed). Returns the (zero) matrix.

    >>> adjugate_identity(2).is_zero_matrix
    True
    """
    _check_n(n, 1, 4)
    Jm, d = _weights(n), _gain_symbols(n)
    d = Matrix([0 if i in silent else d[i] for i in range(n)])
    gens = list(Jm) + [x for x in d if x != 0] + [mu]
    Dm = _dm(diag(*d), gens)
    Mx = _dm(mu * eye(n) - Jm * diag(*d), gens)
    Mr = _dm(mu * eye(n) - diag(*d) * Jm, gens)
    out = Dm * Mx.adjugate() * Mx.det() - Mr.adjugate() * Dm * Mr.det()
    return out.to_Matrix()


@lru_cache(maxsize=None)
def charpoly_pair(n: int, silent=()):
    r"""Characteristic polynomials $(\det(\lambda I-A_x), \det(\lambda I-A_r))$ at explicit ``n``,
    with symbols $J_{ij}$, $d_i$, and $d_k=0$ for $k$ in ``silent`` (claims 9, 19).

    >>> px, pr = charpoly_pair(2)
    >>> sympy.expand(px - pr)
    0
    """
    _check_n(n, 1, 5)
    Jm, d = _weights(n), _gain_symbols(n)
    d = [0 if i in silent else d[i] for i in range(n)]
    A_x, A_r = activation_jacobian(Jm, d), activity_jacobian(Jm, d)
    return (A_x.charpoly(lam).as_expr(), A_r.charpoly(lam).as_expr())


# -- eigenvector maps -----------------------------------------------------------------------------
def right_eigvec_map(lam_=lam) -> dict:
    r"""Right eigenvector maps (claim 10): $v_r=Dv_x$; $v_x=Jv_r/(\lambda+1)$ (D⁻¹-free);
    $v_x=D^{-1}v_r$ (invertible D)."""
    vx, vr = MatrixSymbol("v_x", N, 1), MatrixSymbol("v_r", N, 1)
    return {"forward": Derivation("v_r", D * vx, lhs=vr),
            "inverse_free": Derivation("v_x", J * vr / (lam_ + 1), lhs=vx),
            "inverse": Derivation("v_x (invertible D)", D.I * vr, lhs=vx)}


def left_eigvec_map(lam_=lam) -> dict:
    r"""Left eigenvector maps (claim 11): $u_x=Du_r$; $u_r=J^\top u_x/(\lambda+1)$; $u_r=D^{-1}u_x$."""
    ux, ur = MatrixSymbol("u_x", N, 1), MatrixSymbol("u_r", N, 1)
    return {"forward": Derivation("u_x", D * ur, lhs=ux),
            "inverse_free": Derivation("u_r", J.T * ux / (lam_ + 1), lhs=ur),
            "inverse": Derivation("u_r (invertible D)", D.I * ux, lhs=ur)}


@lru_cache(maxsize=None)
def eigvec_map_residuals():
    r"""Residual identities behind claims 10–12, each expanding to 0 (MatrixSymbol, general N).

    With $R_x(v)=(A_x-\lambda)v$ and $R_r(v)=(A_r-\lambda)v$:

    * ``right_forward``: $R_r(Dv)-DR_x(v)$;
    * ``right_back``: $R_x(Jv)-JR_r(v)$;
    * ``right_back_D``: $D(Jv)-(\lambda+1)v-R_r(v)$  (so $Dv_x=v_r$ exactly when $R_r(v_r)=0$);
    * ``left_forward``: $R_x^\top(Du)-DR_r^\top(u)$ (transposed equations);
    * ``left_back``: $R_r^\top(J^\top u)-J^\top R_x^\top(u)$;
    * ``biorth``: $u_r^\top(Dv_x)-(Du_r)^\top v_x$ with $D=D^\top$ (diagonal).

    >>> all(e == 0 or e.is_ZeroMatrix for e in eigvec_map_residuals().values())
    True
    """
    A_x, A_r = activation_jacobian(J, D), activity_jacobian(J, D)
    Rx = lambda v: A_x * v - lam * v  # noqa: E731
    Rr = lambda v: A_r * v - lam * v  # noqa: E731
    Rxt = lambda u: A_x.T * u - lam * u  # noqa: E731
    Rrt = lambda u: A_r.T * u - lam * u  # noqa: E731
    Ds = D  # D diagonal: D.T = D is substituted below
    out = {
        "right_forward": (Rr(D * _v) - D * Rx(_v)).expand(),
        "right_back": (Rx(J * _v) - J * Rr(_v)).expand(),
        "right_back_D": (D * (J * _v) - (lam + 1) * _v - Rr(_v)).expand(),
        "left_forward": (Rxt(D * _uvec) - D * Rrt(_uvec)).expand().subs(D.T, Ds).expand(),
        "left_back": (Rrt(J.T * _uvec) - J.T * Rxt(_uvec)).expand().subs(D.T, Ds).expand(),
        "biorth": ((_uvec.T * (D * _v)) - (D * _uvec).T * _v).expand().subs(D.T, Ds).expand(),
    }
    return out


def hetero_tau_eigvec_maps(lam_=lam) -> dict:
    r"""Heterogeneous-τ maps (claim 3): $v_r=Dv_x$, $v_x=(I+\lambda T)^{-1}Jv_r$;
    $u_x=Du_r$, $u_r=(T^{-1}+\lambda I)^{-1}J^\top T^{-1}u_x$."""
    vx, vr = MatrixSymbol("v_x", N, 1), MatrixSymbol("v_r", N, 1)
    ux, ur = MatrixSymbol("u_x", N, 1), MatrixSymbol("u_r", N, 1)
    return {"right_forward": Derivation("v_r", D * vx, lhs=vr),
            "right_back": Derivation("v_x", (I + lam_ * T).I * J * vr, lhs=vx),
            "left_forward": Derivation("u_x", D * ur, lhs=ux),
            "left_back": Derivation("u_r", (T.I + lam_ * I).I * J.T * T.I * ux, lhs=ur)}


def hetero_tau_residuals(n: int = 3) -> dict:
    r"""Claim 3 at explicit ``n`` with diagonal symbols $d_i$, $\tau_i$, for every vector $v$.

    With $R(v)=(DJ-(I+\lambda T))v$ (zero iff $T^{-1}A_rv=\lambda v$) and $v_x=(I+\lambda T)^{-1}Jv$:

    * ``intertwining``: $DT^{-1}A_x-T^{-1}A_rD$;
    * ``back_D``: $Dv_x-v-(I+\lambda T)^{-1}R(v)$;
    * ``back_eig``: $(T^{-1}A_x-\lambda)v_x-T^{-1}J(I+\lambda T)^{-1}R(v)$;
    * ``left``: the transposed statements for $u_r=(T^{-1}+\lambda I)^{-1}J^\top T^{-1}u$.

    Every entry simplifies to zero.

    >>> all(m.is_zero_matrix for m in hetero_tau_residuals(2).values())
    True
    """
    _check_n(n)
    Jm, d = _weights(n), _gain_symbols(n)
    taus = _vec("tau", n)
    # The identities are linear in v (and u): checking them on the identity matrix, i.e. on every
    # basis vector at once, proves them for all v.
    v = u = eye(n)
    gens = list(Jm) + list(d) + list(taus) + [lam]
    # Exact polynomial arithmetic over Z[J, d, tau, lam]: every inverse is diagonal, so each
    # identity is multiplied through by a power of P = prod_i tau_i (1 + lam tau_i) and the scaled
    # inverses P T^{-1}, P (I + lam T)^{-1}, P (T^{-1} + lam)^{-1} are polynomial. (Fraction-field
    # arithmetic gives the same answer but spends seconds in polynomial gcds.)
    F = lambda M: _dm(M, gens)  # noqa: E731
    P = sympy.Mul(*[x * (1 + lam * x) for x in taus])
    Dm, Jd, Jt = F(diag(*d)), F(Jm), F(Jm.T)
    Ti = F(diag(*[sympy.cancel(P / x) for x in taus]))                  # P T^{-1}
    Mi = F(diag(*[sympy.cancel(P / (1 + lam * x)) for x in taus]))      # P (I + lam T)^{-1}
    Li = F(diag(*[sympy.cancel(P * x / (1 + lam * x)) for x in taus]))  # P (T^{-1} + lam I)^{-1}
    A_x, A_r = F(activation_jacobian(Jm, d)), F(activity_jacobian(Jm, d))
    M = F(eye(n) + lam * diag(*taus))
    Pm, Lm = F(P * eye(n)), F(lam * eye(n))
    PL = Pm * Lm
    # right maps (identities linear in v, checked on the identity matrix = every basis vector)
    R = Dm * Jd - M                                   # r-frame residual operator
    out = {
        "intertwining": Dm * Ti * A_x - Ti * A_r * Dm,                               # x P
        "back_D": Dm * Mi * Jd - Pm - Mi * R,                                        # x P
        "back_eig": (Ti * A_x - PL) * Mi * Jd - Ti * Jd * Mi * R,                    # x P^2
    }
    # left maps: u^T T^{-1} A_x = lam u^T  <=>  (D J^T T^{-1} - (T^{-1} + lam I)) u = 0
    Rl = Dm * Jt * Ti - (Ti + PL)                     # x P
    out["left_D"] = Dm * Li * Jt * Ti - Pm * Pm - Li * Rl                            # x P^2
    out["left_eig"] = (A_r.transpose() * Ti - PL) * Li * Jt * Ti - Jt * Ti * Li * Rl  # x P^3
    return {k: m.to_Matrix() for k, m in out.items()}


def symmetric_form(n: int = 3):
    r"""$D^{1/2}A_xD^{-1/2}-(-I+D^{1/2}JD^{1/2})$ and the asymmetry of the latter, for symmetric
    $J$ and positive symbols $d_i$ (claim 16). Returns ``(difference, S - S^T)``; both zero.

    >>> [m.is_zero_matrix for m in symmetric_form(2)]
    [True, True]
    """
    _check_n(n)
    Jm = Matrix(n, n, lambda i, j: Symbol(f"J_{min(i, j) + 1}{max(i, j) + 1}"))
    d = [Symbol(f"d_{i + 1}", positive=True) for i in range(n)]
    Dh = diag(*[sympy.sqrt(x) for x in d])
    Dhi = diag(*[1 / sympy.sqrt(x) for x in d])
    S = -eye(n) + Dh * Jm * Dh
    return sympy.simplify(Dh * activation_jacobian(Jm, d) * Dhi - S), S - S.T


# -- invariants -----------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def transfer_function_pair(n: int = 3, silent=()):
    r"""$(H_x(s), H_r(s))$ at explicit ``n``: $c_x^\top(sI-A_x)^{-1}b_x$ and
    $c_r^\top(sI-A_r)^{-1}b_r$ with $c_x=Dw$, $b_r=Db$, as (numerator, denominator) pairs from the
    adjugate, computed exactly over $\mathbb Z[J,d,w,b,s]$; claim 13 says the cross products agree.

    >>> (nx, dx), (nr, dr) = transfer_function_pair(2)
    >>> sympy.expand(nx * dr - nr * dx)
    0
    """
    _check_n(n, 1, 4)
    Jm, d = _weights(n), _gain_symbols(n)
    d = [0 if i in silent else d[i] for i in range(n)]
    w, b = _vec("w", n), _vec("b", n)
    gens = list(Jm) + [x for x in d if x != 0] + list(w) + list(b) + [s]
    Dm = diag(*d)
    Mx = _dm(s * eye(n) - activation_jacobian(Jm, d), gens)
    Mr = _dm(s * eye(n) - activity_jacobian(Jm, d), gens)
    num_x = (_dm((Dm * w).T, gens) * Mx.adjugate() * _dm(b, gens)).to_Matrix()[0]
    num_r = (_dm(w.T, gens) * Mr.adjugate() * _dm(Dm * b, gens)).to_Matrix()[0]
    return (num_x, Mx.det().as_expr() if hasattr(Mx.det(), "as_expr") else Mx.det()), \
           (num_r, Mr.det().as_expr() if hasattr(Mr.det(), "as_expr") else Mr.det())


def markov_parameters(k: int):
    r"""$(c_x^\top A_x^kb_x,\ c_r^\top A_r^kb_r)$ with MatrixSymbols (claim 13)."""
    A_x, A_r = activation_jacobian(J, D), activity_jacobian(J, D)
    return Eq(_w.T * D * A_x ** k * _b, _w.T * A_r ** k * D * _b, evaluate=False)


@lru_cache(maxsize=None)
def markov_difference(k: int):
    r"""$w^\top D(-1+JD)^kb-w^\top(-1+DJ)^kDb$ in the free algebra (claim 13); it is 0.

    >>> markov_difference(4)
    0
    """
    Jn, Dn, wn, bn = symbols("J D w^T b", commutative=False)
    return sympy.expand(wn * Dn * (-1 + Jn * Dn) ** k * bn - wn * (-1 + Dn * Jn) ** k * Dn * bn)


def modal_gains() -> dict:
    r"""Modal input/output gains in both frames (claim 14), with $u_x=Du_r$, $v_r=Dv_x$, $D$ diagonal.

    Returns relations ``input``: $u_r^\top(Db)=u_x^\top b$ and ``output``: $w^\top v_r=(Dw)^\top v_x$,
    and ``differences`` (both expand to 0 after $D^\top=D$).

    >>> set(modal_gains()["differences"])
    {0}
    """
    ur, vx = MatrixSymbol("u_r", N, 1), MatrixSymbol("v_x", N, 1)
    ux_s, vr_s = MatrixSymbol("u_x", N, 1), MatrixSymbol("v_r", N, 1)
    rel_in = Eq(ur.T * (D * _b), ux_s.T * _b, evaluate=False)
    rel_out = Eq(_w.T * vr_s, _w.T * D * vx, evaluate=False)
    maps = {ux_s: D * ur, vr_s: D * vx}
    diffs = [(rel.lhs - rel.rhs).subs(maps).expand().subs(D.T, D).expand() for rel in (rel_in, rel_out)]
    return {"input": rel_in, "output": rel_out, "differences": diffs}


# -- statements of claims 1–16 (SymPy relations, evaluate=False) -----------------------------------
def _st_activity_ode():
    xi = sympy.Function("x_i")(t)
    f = sympy.Function("phi")
    return Eq(tau * sympy.Derivative(f(xi), t),
              sympy.Subs(sympy.Derivative(f(_x), _x), _x, xi) * sympy.Function("F_i")(t), evaluate=False)


def _st_rate():
    y, r_ = MatrixSymbol("y", N, 1), MatrixSymbol("r", N, 1)
    return Eq(y, J * r_ + MatrixSymbol("B", N, 1) * Symbol("u_0") + MatrixSymbol("h", N, 1), evaluate=False)


def _st_hetero():
    return Eq(D * T.I * activation_jacobian(J, D), T.I * activity_jacobian(J, D) * D, evaluate=False)


def _st_two():
    return sympy.And(Eq(Symbol("A_x"), activation_jacobian(J, D), evaluate=False),
                     Eq(Symbol("A_r"), activity_jacobian(J, D), evaluate=False))


def _st_push():
    # SymPy has no matrix exponential of a MatrixExpr; the flows are named MatrixSymbols.
    Ex, Er = MatrixSymbol("e^{t A_x}", N, N), MatrixSymbol("e^{t A_r}", N, N)
    return Eq(D * Ex, Er * D, evaluate=False)


def _st_prediction():
    eta = Symbol("eta")
    return sympy.And(
        Eq(Symbol(r"\|x(t)-x^*-e^{tA_x/\tau}\eta\xi\|"), sympy.O(eta ** 2), evaluate=False),
        Eq(Symbol(r"\|\phi(x(t))-r^*-e^{tA_r/\tau}D\eta\xi\|"), sympy.O(eta ** 2), evaluate=False))


def _st_same_spectrum():
    return Eq(sympy.Determinant(lam * I - activation_jacobian(J, D)),
              sympy.Determinant(lam * I - activity_jacobian(J, D)), evaluate=False)


def _st_right():
    vx, vr = MatrixSymbol("v_x", N, 1), MatrixSymbol("v_r", N, 1)
    return sympy.And(Eq(vr, D * vx, evaluate=False), Eq(vx, J * vr / (lam + 1), evaluate=False))


def _st_left():
    ux, ur = MatrixSymbol("u_x", N, 1), MatrixSymbol("u_r", N, 1)
    return sympy.And(Eq(ux, D * ur, evaluate=False), Eq(ur, J.T * ux / (lam + 1), evaluate=False))


def _st_biorth():
    Ux, Vx = MatrixSymbol("U_x", N, N), MatrixSymbol("V_x", N, N)
    Ur = MatrixSymbol("U_r", N, N)
    return Eq(Ur.T * (D * Vx), Ux.T * Vx, evaluate=False)


def _st_transfer():
    A_x, A_r = activation_jacobian(J, D), activity_jacobian(J, D)
    return Eq(_w.T * D * (s * I - A_x).I * _b, _w.T * (s * I - A_r).I * (D * _b), evaluate=False)


def _st_modal():
    return modal_gains()["input"]


def _st_frame_dependent():
    kappa = sympy.Function("kappa")
    Vx, Vr = kappa(MatrixSymbol("V_x", N, N)), kappa(MatrixSymbol("V_r", N, N))
    return sympy.Ne(Vx, Vr, evaluate=False)


def _st_symmetric():
    Dh = MatrixSymbol("D^{1/2}", N, N)
    return Eq(Dh * activation_jacobian(J, D) * Dh.I, -I + Dh * J * Dh, evaluate=False)


STATEMENTS = {
    "linearization.activity_ode": _st_activity_ode,
    "linearization.rate_model_equivalence": _st_rate,
    "linearization.hetero_tau": _st_hetero,
    "linearization.two_linearizations": _st_two,
    "linearization.intertwining": lambda: intertwining_identity()[0],
    "linearization.similarity": similarity_identity,
    "linearization.push_through": _st_push,
    "linearization.linear_prediction": _st_prediction,
    "linearization.same_spectrum": _st_same_spectrum,
    "linearization.right_eigvec_map": _st_right,
    "linearization.left_eigvec_map": _st_left,
    "linearization.biorthonormality": _st_biorth,
    "linearization.transfer_function": _st_transfer,
    "linearization.modal_gains": _st_modal,
    "linearization.frame_dependent_quantities": _st_frame_dependent,
    "linearization.symmetric_real_spectrum": _st_symmetric,
}


def latex(obj) -> str:
    r"""LaTeX of a SymPy object, a :class:`theory.Derivation`, a :class:`Model`, or a claim ID.

    >>> latex("linearization.similarity")
    '- \\mathbb{I} + D J = D \\left(- \\mathbb{I} + J D\\right) D^{-1}'
    """
    if isinstance(obj, str):
        statements = dict(STATEMENTS)
        statements.update(globals().get("SINGULAR_STATEMENTS", {}))
        if obj not in statements:
            raise TopicError(f"no statement for {obj!r}; known: {', '.join(sorted(statements))}")
        return sympy.latex(statements[obj]())
    if isinstance(obj, Model):
        return obj.latex()
    return to_latex(obj)


# -- derive topics --------------------------------------------------------------------------------
TOPICS = {
    "linearization": "models, both Jacobians, relations, eigenvector maps and invariants",
    "linearization.models": "activation, activity and rate models (explicit n; n = 2 by default)",
    "linearization.jacobians": "A_x = -I + JD and A_r = -I + DJ (derived by Matrix.jacobian with --n)",
    "linearization.relations": "intertwining, similarity, push-through and resolvent identities",
    "linearization.eigvecs": "right/left eigenvector maps, also with heterogeneous tau",
    "linearization.invariants": "transfer function, Markov parameters, modal gains",
}


def _topic_models(n, activation):
    n = 2 if n is None else n
    out = [("activation model", activation_model(n, activation).equation())]
    if activation != "relu":
        out.append(("activity model", activity_model(n, activation).equation()))
    out.append(("rate model", rate_model(n, activation).equation()))
    return out


def _topic_jacobians(n, activation):
    if n is None:
        return [("A_x (activation frame)", Eq(Symbol("A_x"), activation_jacobian(J, D), evaluate=False)),
                ("A_r (activity frame)", Eq(Symbol("A_r"), activity_jacobian(J, D), evaluate=False)),
                ("input/readout vectors", sympy.And(Eq(Symbol("b_r"), D * _b, evaluate=False),
                                                    Eq(Symbol("c_x"), D * _w, evaluate=False)))]
    if activation == "relu":
        raise TopicError("--activation relu: the activity frame needs an invertible phi; "
                         "use the generic phi or tanh/sigmoid/softplus")
    sysm = linear_systems(activation_model(n, activation))
    A_x, b_x, c_x = sysm["activation"]
    A_r, b_r, c_r = sysm["activity"]
    return [("A_x (activation frame, Matrix.jacobian at x*)", Eq(Symbol("A_x"), A_x, evaluate=False)),
            ("A_r (activity frame, chain rule at F = 0)", Eq(Symbol("A_r"), A_r, evaluate=False)),
            ("b_x, b_r", sympy.And(Eq(Symbol("b_x"), b_x, evaluate=False), Eq(Symbol("b_r"), b_r, evaluate=False))),
            ("c_x, c_r", sympy.And(Eq(Symbol("c_x"), c_x, evaluate=False), Eq(Symbol("c_r"), c_r, evaluate=False)))]


def _topic_relations(n, activation):
    out = [("intertwining", intertwining_identity()[0]), ("intertwining with J", intertwining_identity()[1]),
           ("similarity (D invertible)", similarity_identity()), ("push-through", _st_push()),
           ("resolvent", resolvent_identity())]
    if n is not None:
        _check_n(n, 1, 4)
        px, pr = charpoly_pair(n)
        out.append((f"characteristic polynomial (n = {n}, both frames)",
                    Eq(sympy.Determinant(lam * I - activation_jacobian(J, D)), sympy.factor(px),
                       evaluate=False)))
        out.append(("det(λI − A_x) − det(λI − A_r)", sympy.expand(px - pr)))
    return out


def _topic_eigvecs(n, activation):
    out = []
    for m in (right_eigvec_map(), left_eigvec_map(), hetero_tau_eigvec_maps()):
        out += [(d.name, d.relation()) for d in m.values()]
    return out


def _topic_invariants(n, activation):
    out = [("transfer function", _st_transfer()), ("Markov parameter k = 2", markov_parameters(2))]
    mg = modal_gains()
    out += [("modal input gain", mg["input"]), ("modal output gain", mg["output"])]
    if n is not None:
        (nx, dx), _ = transfer_function_pair(min(n, 3))
        out.append((f"H(s) at n = {min(n, 3)}", Eq(Symbol("H(s)"), nx / dx, evaluate=False)))
    return out


def derivations(topic: str, n: Optional[int] = None, activation: Optional[str] = None) -> list:
    """The ``(label, sympy object)`` list behind ``rnnproof derive <topic>``.

    Without ``n``: MatrixSymbol (general N) forms; with ``n``: explicit matrices (n ≤ 6). The
    umbrella topic ``linearization`` covers claims 1–16; part B's topics (claims 17–32:
    ``linearization.offfixed``, ``.singular``, ``.context``, ``.discrete``) are routed to
    ``part_b_derivations``.

    >>> [label for label, _ in derivations("linearization.jacobians")][:2]
    ['A_x (activation frame)', 'A_r (activity frame)']
    """
    if n is not None:
        _check_n(n)
    if activation not in (None, "generic") and activation not in PHI_NAMES:
        raise TopicError(f"--activation must be one of {', '.join(PHI_NAMES)} or generic, got {activation!r}")
    act = None if activation in (None, "generic") else activation
    parts = {"linearization.models": _topic_models, "linearization.jacobians": _topic_jacobians,
             "linearization.relations": _topic_relations, "linearization.eigvecs": _topic_eigvecs,
             "linearization.invariants": _topic_invariants}
    part_b = globals().get("PART_B_TOPICS", {})          # claims 17–32 (theory._linearization_singular)
    if topic in part_b:
        return globals()["part_b_derivations"](topic, n, activation)
    if topic == "linearization":
        out = []
        for fn in parts.values():
            out += fn(n, act)
        return out
    if topic not in parts:
        raise TopicError(f"unknown topic {topic!r}; known: {', '.join(TOPICS)}")
    return parts[topic](n, act)


import importlib.util as _u  # noqa: E402

if _u.find_spec("theory._linearization_singular"):
    from theory._linearization_singular import *  # noqa: E402,F401,F403  part B's derivations

    TOPICS.update(globals().get("PART_B_TOPICS", {}))
