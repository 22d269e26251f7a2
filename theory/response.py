r"""Response theory of stochastic RNNs, symbolically (Lim 2021, JMLR 22(47), arXiv:2006.11052).

SymPy only. The SRNN (the continuous-time stochastic RNN of the paper)

.. math:: dh_t=\big[-\Gamma h_t+a(Wh_t+b)+\varepsilon Cu(t)\big]dt+\sigma dW_t,\qquad y_t=f(h_t).

The statements are the toolkit's reconstruction (the paper's text could not be consulted; its
notation, theorem numbering and hypotheses may differ).

Catalogue
---------
Model and fixed points
    srnn, SRNNModel, designed_fixed_point, design_check, contraction_margin, jacobian_check
Operators
    generator, input_operator, fokker_planck, lie_bracket, ad_power, bracket_fields
Expansion
    hierarchy_formula, hierarchy_series_check, odd_symmetry_check, det_kernel,
    second_order_scalar_check, chain_dyson_check, symmetrize_check, central_difference_bias
Closed forms
    ou_lyapunov_2x2, ou_quadratic_mean_check, ou_sigma_independence_check, oned_potential,
    oned_density_check, em_ou_stationary_variance
Correlation forms
    gaussian_conjugate_check, equilibrium_fdt_condition, hermite_generating_check,
    hermite_norm_check, dissipativity_check, stationary_kernel_check
Response feature and signatures
    response_coefficient_order1_check, response_coefficient_order2_check, time_augmentation,
    time_augmentation_check, shuffle_check, chen_check, exponential_basis_check,
    push_through_check, noise_regulariser_check
Statements and LaTeX
    statement(name), expressions(name), TOPICS, derivations
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import sympy as sp

from ._common import Derivation, TopicError

__all__ = [
    "srnn", "SRNNModel", "designed_fixed_point", "design_check", "contraction_margin", "jacobian_check",
    "generator", "input_operator", "fokker_planck", "lie_bracket", "ad_power", "bracket_fields",
    "lie_bracket_check", "hierarchy_formula", "hierarchy_series_check", "odd_symmetry_check",
    "det_kernel", "second_order_scalar_check", "chain_dyson_check", "symmetrize_check",
    "central_difference_bias", "ou_lyapunov_2x2", "ou_quadratic_mean_check",
    "ou_sigma_independence_check", "oned_potential", "oned_density_check", "chain_construction_check", "em_ou_stationary_variance",
    "gaussian_conjugate_check", "equilibrium_fdt_condition", "hermite_generating_check",
    "hermite_norm_check", "dissipativity_check", "stationary_kernel_check", "instantaneous_check", "fading_check",
    "response_coefficient_order1_check", "response_coefficient_order2_check", "time_augmentation",
    "time_augmentation_check", "shuffle_check", "shuffle_words", "chen_check", "exponential_basis_check",
    "push_through_check", "noise_regulariser_check", "statement", "expressions", "TOPICS",
    "derivations", "compositions",
]

t, s, tau, eps = sp.symbols("t s tau epsilon", real=True)


# ---------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------
def _act(activation):
    if activation in (None, "generic"):
        return sp.Function("a")
    table = {"tanh": sp.tanh, "sigmoid": lambda z: 1 / (1 + sp.exp(-z)), "linear": lambda z: z,
             "softplus": lambda z: sp.log(1 + sp.exp(z))}
    if activation not in table:
        raise TopicError(f"activation must be generic, tanh, sigmoid, softplus or linear, got {activation!r}")
    return table[activation]


@dataclass(frozen=True, eq=False)
class SRNNModel:
    """Explicit-size symbolic SRNN: state ``h``, parameters, activation and readout."""

    n: int
    m: int
    h: sp.Matrix
    Gamma: sp.Matrix
    W: sp.Matrix
    b: sp.Matrix
    C: sp.Matrix
    sigma: sp.Matrix
    A: sp.Matrix
    Q: sp.Matrix
    act: object

    def drift(self) -> sp.Matrix:
        r"""$F(h)=-\Gamma h+a(Wh+b)$."""
        z = self.W * self.h + self.b
        return -self.Gamma * self.h + z.applyfunc(self.act)

    def jacobian(self, at=None) -> sp.Matrix:
        """$DF$ (at ``at`` if given)."""
        J = self.drift().jacobian(self.h)
        return J if at is None else J.subs(dict(zip(self.h, at)))

    def derivative_tensor(self, j: int, at=None):
        """$D^jF$ as a rank-(j+1) array (first index: component of F), via ``derive_by_array``."""
        T = sp.Array(list(self.drift()))
        for _ in range(j):
            T = sp.derive_by_array(T, list(self.h))
        T = sp.permutedims(T, tuple(range(1, j + 1)) + (0,)) if j else T
        T = sp.permutedims(T, (j,) + tuple(range(j))) if j else T
        return T if at is None else T.subs(dict(zip(self.h, at)))

    def readout(self):
        r"""$f(h)=Ah+\frac12h^\top Qh$ (scalar)."""
        return (self.A * self.h)[0] + sp.Rational(1, 2) * (self.h.T * self.Q * self.h)[0]

    def Sigma(self) -> sp.Matrix:
        return self.sigma * self.sigma.T


def srnn(n: int, m: int = 1, activation="tanh", readout: str = "linear", noise: str = "full") -> SRNNModel:
    """Explicit symbolic SRNN with ``n`` units and ``m`` inputs (diagonal Γ)."""
    h = sp.Matrix(sp.symbols(f"h1:{n + 1}", real=True))
    Gamma = sp.diag(*sp.symbols(f"gamma1:{n + 1}", positive=True))
    W = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"w{i + 1}{j + 1}", real=True))
    b = sp.Matrix(sp.symbols(f"b1:{n + 1}", real=True))
    C = sp.Matrix(n, m, lambda i, j: sp.Symbol(f"c{i + 1}{j + 1}", real=True))
    sigma = (sp.Matrix(n, n, lambda i, j: sp.Symbol(f"sigma{i + 1}{j + 1}", real=True))
             if noise == "full" else sp.zeros(n, n))
    A = sp.Matrix(1, n, lambda i, j: sp.Symbol(f"A{j + 1}", real=True))
    Q = (sp.Matrix(n, n, lambda i, j: sp.Symbol(f"Q{min(i, j) + 1}{max(i, j) + 1}", real=True))
         if readout == "quadratic" else sp.zeros(n, n))
    return SRNNModel(n, m, h, Gamma, W, b, C, sigma, A, Q, _act(activation))


def contraction_margin(Gamma, W, L=1):
    r"""$\kappa=\gamma_{\min}-L\|W\|_2$ for explicit matrices (claim ``contraction_fixed_point``)."""
    G = sp.Matrix(Gamma)
    gmin = min(sp.Matrix((G + G.T) / 2).eigenvals())
    norm2 = sp.sqrt(max((sp.Matrix(W).T * sp.Matrix(W)).eigenvals()))
    return sp.nsimplify(gmin) - L * norm2


def jacobian_check(n: int = 2) -> sp.Expr:
    r"""$DF(h)-[-\Gamma+\operatorname{diag}(a'(Wh+b))W]$ for a generic activation; expect 0."""
    M = srnn(n, activation="generic")
    z = M.W * M.h + M.b
    x = sp.Symbol("x")
    dphi = [sp.diff(M.act(x), x).subs(x, zi) for zi in z]
    formula = -M.Gamma + sp.diag(*dphi) * M.W
    return sp.simplify(M.jacobian() - formula)


def designed_fixed_point(Gamma, W, h_star):
    r"""$b=\operatorname{artanh}(\Gamma h^*)-Wh^*$ and, with $T=\Gamma h^*$, the rational
    $J=-\Gamma+\operatorname{diag}(1-T^2)W$, $D^2F[x,y]=-2T(1-T^2)\odot Wx\odot Wy$,
    $D^3F[x,y,z]=-2(1-T^2)(1-3T^2)\odot Wx\odot Wy\odot Wz$ (claim ``fixed_point_design``).

    Returns a dict with ``b``, ``J``, ``D2`` and ``D3`` (arrays indexed [component, x, y(, z)])."""
    Gamma, W, h_star = sp.Matrix(Gamma), sp.Matrix(W), sp.Matrix(h_star)
    n = W.shape[0]
    T = Gamma * h_star
    b = T.applyfunc(sp.atanh) - W * h_star
    J = -Gamma + sp.diag(*[1 - Ti ** 2 for Ti in T]) * W
    D2 = sp.MutableDenseNDimArray.zeros(n, n, n)
    D3 = sp.MutableDenseNDimArray.zeros(n, n, n, n)
    for i in range(n):
        for j, k in itertools.product(range(n), repeat=2):
            D2[i, j, k] = -2 * T[i] * (1 - T[i] ** 2) * W[i, j] * W[i, k]
            for l in range(n):
                D3[i, j, k, l] = -2 * (1 - T[i] ** 2) * (1 - 3 * T[i] ** 2) * W[i, j] * W[i, k] * W[i, l]
    return {"b": b, "J": J, "D2": sp.ImmutableDenseNDimArray(D2), "D3": sp.ImmutableDenseNDimArray(D3)}


def design_check(n: int = 2) -> list:
    r"""Residuals (expect all 0): $F(h^*)$ with the designed $b$, and $DF,D^2F,D^3F$ at $h^*$ from
    ``derive_by_array`` minus the rational formulas. Symbolic $\Gamma$ (diagonal), $W$, $h^*$."""
    M = srnn(n, activation="tanh")
    hs = sp.Matrix(sp.symbols(f"hs1:{n + 1}", real=True))
    d = designed_fixed_point(M.Gamma, M.W, hs)
    sub = dict(zip(M.b, d["b"]))
    F = M.drift().subs(sub)
    at = dict(zip(M.h, hs))
    out = [sp.simplify(F.subs(at))]
    D1 = F.jacobian(M.h).subs(at)
    out.append(sp.simplify(D1 - d["J"]))
    arr = sp.Array(list(F))
    for j, key in ((2, "D2"), (3, "D3")):
        arr_j = arr
        for _ in range(j):
            arr_j = sp.derive_by_array(arr_j, list(M.h))
        # derive_by_array puts derivative indices first: [x_j, ..., x_1, component]
        diff = []
        for idx in itertools.product(range(n), repeat=j + 1):
            comp, rest = idx[0], idx[1:]
            val = arr_j[tuple(reversed(rest)) + (comp,)].subs(at)
            diff.append(sp.simplify(val - d[key][idx]))
        out.append(sp.Matrix(diff))
    return out


# ---------------------------------------------------------------------------------------------
# Operators
# ---------------------------------------------------------------------------------------------
def generator(F, Sigma, h):
    r"""$L_0g=F\cdot\nabla g+\frac12\Sigma:\nabla^2g$ as a function of $g$."""
    def L0(g):
        grad = sp.Matrix([sp.diff(g, x) for x in h])
        hess = sp.hessian(g, h)
        return (sp.Matrix(F).T * grad)[0] + sp.Rational(1, 2) * sum(
            Sigma[i, j] * hess[i, j] for i in range(len(h)) for j in range(len(h)))
    return L0


def input_operator(c, h):
    r"""$B_kg=c_k\cdot\nabla g$."""
    return lambda g: sum(ci * sp.diff(g, x) for ci, x in zip(c, h))


def fokker_planck(F, Sigma, h):
    r"""$L_0^*\rho=-\nabla\cdot(F\rho)+\frac12\nabla\cdot\nabla\cdot(\Sigma\rho)$."""
    def Lstar(rho):
        n = len(h)
        return (-sum(sp.diff(F[i] * rho, h[i]) for i in range(n))
                + sp.Rational(1, 2) * sum(sp.diff(Sigma[i, j] * rho, h[i], h[j]) for i in range(n) for j in range(n)))
    return Lstar


def lie_bracket(F, V, h):
    r"""$[F,V]=DV\,F-DF\,V$ (vector fields as column matrices)."""
    F, V = sp.Matrix(F), sp.Matrix(V)
    return V.jacobian(h) * F - F.jacobian(h) * V


def bracket_fields(F, c, h, pmax: int) -> list:
    r"""$V_0=c$, $V_{p+1}=[F,V_p]$ (claim ``lie_brackets`` (ii)); $\mathrm{ad}^p_{L_0}B=V_p\cdot\nabla$ for $\sigma=0$."""
    out = [sp.Matrix(c)]
    for _ in range(pmax):
        out.append(lie_bracket(F, out[-1], h))
    return out


def ad_power(F, Sigma, c, h, g, p: int):
    r"""$\mathrm{ad}^p_{L_0}(c\cdot\nabla)\,g$ applied to a function ``g`` (with noise)."""
    L0 = generator(F, Sigma, h)
    ops = [lambda f: input_operator(c, h)(f)]
    for _ in range(p):
        prev = ops[-1]
        ops.append(lambda f, prev=prev: L0(prev(f)) - prev(L0(f)))
    return ops[-1](g)


def lie_bracket_check() -> list:
    r"""Differences that must vanish, $n=2$, generic $F$, $g$, constant $c$ and symmetric $\Sigma$:
    (i) $\mathrm{ad}_{L_0}(c\cdot\nabla)g+(DF\,c)\cdot\nabla g$; (ii) $\mathrm{ad}^2_{L_0}B\,g-V_2\cdot\nabla g$
    at $\Sigma=0$; (iii) $[\frac12\Sigma:\nabla^2,V\cdot\nabla]g$ minus its first- plus second-order form."""
    h1, h2 = h = sp.symbols("h1 h2", real=True)
    F = sp.Matrix([sp.Function("F1")(h1, h2), sp.Function("F2")(h1, h2)])
    V = sp.Matrix([sp.Function("V1")(h1, h2), sp.Function("V2")(h1, h2)])
    g = sp.Function("g")(h1, h2)
    c = sp.Matrix(sp.symbols("c1 c2", real=True))
    s11, s12, s22 = sp.symbols("S11 S12 S22", real=True)
    Sigma = sp.Matrix([[s11, s12], [s12, s22]])
    grad = lambda f: sp.Matrix([sp.diff(f, x) for x in h])  # noqa: E731
    out = [sp.expand(ad_power(F, Sigma, c, h, g, 1) + ((F.jacobian(h) * c).T * grad(g))[0])]
    V2 = bracket_fields(F, c, h, 2)[2]
    out.append(sp.expand(ad_power(F, sp.zeros(2, 2), c, h, g, 2) - (V2.T * grad(g))[0]))
    D2 = lambda f: sp.Rational(1, 2) * sum(Sigma[i, j] * sp.diff(f, h[i], h[j]) for i in range(2) for j in range(2))  # noqa: E731
    Vg = lambda f: (V.T * grad(f))[0]  # noqa: E731
    lhs = D2(Vg(g)) - Vg(D2(g))
    rhs = sum(D2(V[l]) * sp.diff(g, h[l]) for l in range(2)) + sum(
        Sigma[i, j] * sp.diff(V[l], h[j]) * sp.diff(g, h[i], h[l]) for i in range(2) for j in range(2) for l in range(2))
    out.append(sp.expand(lhs - rhs))
    return out


# ---------------------------------------------------------------------------------------------
# Variational hierarchy
# ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def compositions(n: int, j: int) -> tuple:
    """Ordered compositions of ``n`` into ``j`` positive parts."""
    if j == 1:
        return ((n,),)
    return tuple((i,) + r for i in range(1, n - j + 2) for r in compositions(n - i, j - 1))


def hierarchy_formula(order: int, D, deltas):
    r"""$\sum_{j=2}^{n}\frac1{j!}\sum_{i_1+\dots+i_j=n}D^j[\delta_{i_1},\dots,\delta_{i_j}]$ where
    ``D[j]`` is a callable multilinear form and ``deltas[i-1]`` is $\delta_i$ (claim
    ``response.variational_hierarchy``)."""
    total = None
    for j in range(2, order + 1):
        for comp in compositions(order, j):
            term = D[j](*[deltas[i - 1] for i in comp]) / sp.factorial(j)
            total = term if total is None else total + term
    return total


def hierarchy_series_check(n: int = 2, N: int = 4) -> list:
    r"""Coefficient of $\varepsilon^k$ in $\sum_j\frac1{j!}a_j\odot(W x)^{\odot j}$ with
    $x=\sum_i\varepsilon^i\delta_i$, minus the composition formula, for $k=2..N$ (expect 0s).
    The Taylor coefficients $a_j$ (vectors) and $W$, $\delta_i$ are free symbols."""
    W = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"w{i + 1}{j + 1}"))
    a = {j: sp.Matrix(sp.symbols(f"a{j}_1:{n + 1}")) for j in range(1, N + 1)}
    deltas = [sp.Matrix(sp.symbols(f"d{i}_1:{n + 1}")) for i in range(1, N + 1)]
    x = sum((eps ** i * deltas[i - 1] for i in range(1, N + 1)), sp.zeros(n, 1))
    Wx = W * x
    taylor = sum((sp.Matrix([a[j][r] * Wx[r] ** j for r in range(n)]) / sp.factorial(j)
                  for j in range(1, N + 1)), sp.zeros(n, 1))
    taylor = taylor.applyfunc(sp.expand)

    def Dj(j):
        return lambda *xs: sp.Matrix([a[j][r] * sp.Mul(*[(W * v)[r] for v in xs]) for r in range(n)])

    D = {j: Dj(j) for j in range(2, N + 1)}
    out = []
    for k in range(2, N + 1):
        coeff = taylor.applyfunc(lambda e: e.coeff(eps, k))
        linear = sp.Matrix([a[1][r] * (W * deltas[k - 1])[r] for r in range(n)])
        out.append((coeff - linear - hierarchy_formula(k, D, deltas)).applyfunc(sp.expand))
    return out


def odd_symmetry_check(n: int = 2, N: int = 4) -> list:
    r"""Odd network at $h^*=0$, $b=0$, tanh: the $\varepsilon^2$ and $\varepsilon^4$ coefficients of
    $F(\sum\varepsilon^i\delta_i)$ with $\delta_2=0$ are $J\delta_2$-free and vanish, so
    $\delta_2\equiv\delta_4\equiv0$ and (odd readout) $Y_2\equiv Y_4\equiv0$. Returns the two
    coefficients (expect zero vectors)."""
    M = srnn(n, activation="tanh")
    deltas = [sp.Matrix(sp.symbols(f"d{i}_1:{n + 1}")) for i in range(1, N + 1)]
    deltas[1] = sp.zeros(n, 1)
    deltas[3] = sp.zeros(n, 1)
    x = sum((eps ** i * deltas[i - 1] for i in range(1, N + 1)), sp.zeros(n, 1))
    F = (-M.Gamma * x + (M.W * x).applyfunc(sp.tanh))
    ser = F.applyfunc(lambda e: sp.series(e, eps, 0, N + 1).removeO())
    return [ser.applyfunc(lambda e: sp.expand(e).coeff(eps, k)) for k in (2, 4)]


def det_kernel(order: int = 1):
    r"""Deterministic kernels at $h^*$ with $e^{\tau J}$ opaque (MatrixSymbols, general $n$).

    Order 1: $K^{(1)}=\nabla f^\top e^{\tau J}c$. Order 2: the ordered kernel of claim
    ``det_second_order_kernel`` (``Integral`` over $r$)."""
    n = sp.Symbol("n", integer=True, positive=True)
    gf = sp.MatrixSymbol(r"\nabla f", n, 1)
    c1, c2 = sp.MatrixSymbol("c_{k_1}", n, 1), sp.MatrixSymbol("c_{k_2}", n, 1)
    E = lambda x: sp.MatrixSymbol(r"e^{(%s) J}" % sp.latex(x), n, n)  # noqa: E731
    s1, s2, r = sp.symbols("s_1 s_2 r", real=True)
    if order == 1:
        return (gf.T * E(tau) * c1)
    D2f = sp.Function(r"D^{2}f")
    D2F = sp.Function(r"D^{2}F")
    first = D2f(E(t - s1) * c1, E(t - s2) * c2)
    second = sp.Integral(gf.T * E(t - r) * sp.Symbol(r"D^2F[e^{(r-s_1)J}c_{k_1},e^{(r-s_2)J}c_{k_2}]"), (r, s1, t))
    del D2F
    return sp.Add(first, second, evaluate=False)


def second_order_scalar_check():
    r"""$n=1$, $J=\lambda$, $D^2F=\kappa$, $f=ah+\frac q2h^2$, $u=e^{\mu s}$ (rational values):
    $Y_2$ from the hierarchy minus the ordered double integral of $K^{(2)}$ (expect 0)."""
    lam, kap, a, q, c, mu = (sp.Integer(-1), sp.Rational(3, 5), sp.Rational(2, 3), sp.Rational(1, 2),
                             sp.Rational(5, 4), sp.Rational(1, 2))
    r, s1, s2 = sp.symbols("r s1 s2", real=True)
    u = lambda x: sp.exp(mu * x)  # noqa: E731
    d1 = sp.integrate(sp.exp(lam * (t - s)) * c * u(s), (s, 0, t))
    d2 = sp.integrate((sp.exp(lam * (t - r)) * kap / 2 * d1.subs(t, r) ** 2), (r, 0, t))
    Y2_h = a * d2 + q / 2 * d1 ** 2
    K2 = (q * c ** 2 * sp.exp(lam * (t - s1)) * sp.exp(lam * (t - s2))
          + sp.integrate(a * sp.exp(lam * (t - r)) * kap * c ** 2 * sp.exp(lam * (r - s1)) * sp.exp(lam * (r - s2)),
                         (r, s1, t)))
    Y2_k = sp.integrate(sp.integrate(K2 * u(s1) * u(s2), (s2, 0, s1)), (s1, 0, t))
    return sp.simplify(sp.expand(Y2_h - Y2_k))


def chain_dyson_check():
    r"""2-state chain $G=\begin{pmatrix}-\alpha&\alpha\\\beta&-\beta\end{pmatrix}$, $B=\kappa
    \begin{pmatrix}-1&1\\1&-1\end{pmatrix}$, constant $u=1$, rational rates: $Y_1$ and $Y_2$ from the
    kernel integrals minus the $\varepsilon$-derivatives of $\pi^\top e^{t(G+\varepsilon B)}f$ (expect 0, 0)."""
    al, be, ka = sp.Integer(1), sp.Integer(2), sp.Rational(1, 3)
    G = sp.Matrix([[-al, al], [be, -be]])
    B = ka * sp.Matrix([[-1, 1], [1, -1]])
    f = sp.Matrix([sp.Rational(3, 2), -1])
    pi = sp.Matrix([[be / (al + be), al / (al + be)]])
    s1, s2 = sp.symbols("s1 s2", positive=True)

    def expm(Mt, x):
        # G + eps B is itself a two-state generator: closed-form exponential.
        p, q = -Mt[0, 0], -Mt[1, 1]
        lamb = p + q
        P = sp.Matrix([[q, p], [q, p]]) / lamb
        return P + (sp.eye(2) - P) * sp.exp(-lamb * x)

    full = (pi * expm(G + eps * B, t) * f)[0]
    Y1d = sp.diff(full, eps).subs(eps, 0)
    Y2d = sp.diff(full, eps, 2).subs(eps, 0) / 2
    K1 = lambda x: (pi * B * expm(G, x) * f)[0]  # noqa: E731
    K2 = lambda x1, x2: (pi * B * expm(G, x2) * B * expm(G, x1) * f)[0]  # noqa: E731
    Y1k = sp.integrate(K1(t - s1), (s1, 0, t))
    Y2k = sp.integrate(sp.integrate(K2(t - s1, s1 - s2), (s2, 0, s1)), (s1, 0, t))
    return sp.simplify(Y1d - Y1k), sp.simplify(Y2d - Y2k)


def symmetrize_check():
    r"""$n=2$, $m=1$: $\int_{[0,t]^2}H_2u\,u=\int_{s_2<s_1}K^{(2)}u\,u$ with $H_2=K^{(2)}(\text{sorted})/2!$,
    for $K(s_1,s_2)=e^{-(t-s_1)}e^{-2(t-s_2)}$ and $u=e^{s/3}$; returns the difference (expect 0)."""
    s1, s2 = sp.symbols("s1 s2", positive=True)
    K = lambda a, b: sp.exp(-(t - a)) * sp.exp(-2 * (t - b))  # noqa: E731   a latest, b earliest
    u = lambda x: sp.exp(x / 3)  # noqa: E731
    simplex = sp.integrate(sp.integrate(K(s1, s2) * u(s1) * u(s2), (s2, 0, s1)), (s1, 0, t))
    # the square split along its diagonal; on s1 < s2 the sorted kernel is K(s2, s1)
    square = (sp.integrate(sp.integrate(K(s1, s2) / 2 * u(s1) * u(s2), (s2, 0, s1)), (s1, 0, t))
              + sp.integrate(sp.integrate(K(s2, s1) / 2 * u(s1) * u(s2), (s2, s1, t)), (s1, 0, t)))
    return sp.simplify(square - simplex)


def central_difference_bias(order: int, terms: int = 6):
    r"""Series of the CRN central differences (claim ``mc_crn_central_differences``):
    order 1: $\frac{m(\varepsilon)-m(-\varepsilon)}{2\varepsilon}$, order 2:
    $\frac{m(\varepsilon)+m(-\varepsilon)-2m(0)}{2\varepsilon^2}$, with $m(\varepsilon)=\sum Y_n\varepsilon^n$."""
    Y = sp.symbols(f"Y0:{terms + 1}")
    m = lambda e: sum(Y[k] * e ** k for k in range(terms + 1))  # noqa: E731
    if order == 1:
        return sp.expand((m(eps) - m(-eps)) / (2 * eps))
    if order == 2:
        return sp.expand((m(eps) + m(-eps) - 2 * m(0)) / (2 * eps ** 2))
    raise ValueError(f"order must be 1 or 2, got {order}")


# ---------------------------------------------------------------------------------------------
# Closed forms
# ---------------------------------------------------------------------------------------------
def ou_lyapunov_2x2(M, Sigma):
    r"""$S$ with $MS+SM^\top+\Sigma=0$ for explicit $2\times2$ matrices (linear solve)."""
    M, Sigma = sp.Matrix(M), sp.Matrix(Sigma)
    s11, s12, s22 = sp.symbols("s11 s12 s22")
    S = sp.Matrix([[s11, s12], [s12, s22]])
    eqs = list(M * S + S * M.T + Sigma)
    sol = sp.solve(eqs, [s11, s12, s22], dict=True)[0]
    return S.subs(sol).applyfunc(sp.simplify)


def ou_quadratic_mean_check():
    r"""$n=2$: $\mathbb E[A(m+\varepsilon\delta+\xi)+(m+\varepsilon\delta+\xi)^\top Q(\cdot)]$ with
    $\mathbb E\xi=0$, $\mathbb E\xi\xi^\top=S$, minus the series of claim ``ou_closed_form`` (iv) (expect 0)."""
    n = 2
    m = sp.Matrix(sp.symbols("m1:3"))
    dl = sp.Matrix(sp.symbols("delta1:3"))
    xi = sp.Matrix(sp.symbols("xi1:3"))
    A = sp.Matrix([sp.symbols("A1:3")])
    Q = sp.Matrix(2, 2, lambda i, j: sp.Symbol(f"Q{min(i, j) + 1}{max(i, j) + 1}"))
    S = sp.Matrix(2, 2, lambda i, j: sp.Symbol(f"S{min(i, j) + 1}{max(i, j) + 1}"))
    x = m + eps * dl + xi
    f = sp.expand((A * x)[0] + (x.T * Q * x)[0])
    # Gaussian moments: E xi_i = 0, E xi_i xi_j = S_ij
    poly = sp.Poly(f, *xi)
    Ef = 0
    for monom, coeff in poly.terms():
        if sum(monom) == 0:
            Ef += coeff
        elif sum(monom) == 2:
            idx = [i for i in range(n) for _ in range(monom[i])]
            Ef += coeff * S[idx[0], idx[1]]
    series = ((A * m)[0] + (m.T * Q * m)[0] + (Q * S).trace() + eps * ((A + 2 * m.T * Q) * dl)[0]
              + eps ** 2 * (dl.T * Q * dl)[0])
    return sp.expand(Ef - series)


def ou_sigma_independence_check():
    r"""1-D OU $M=-\mu$: $\partial_\sigma$ of $K^{(1)}=(A+2m_\infty Q)e^{\tau M}c$ (quadratic readout)
    is 0, but for $f=h^3$, $K^{(1)}\propto3(m_\infty^2+S_\infty)$ depends on $\sigma$. Returns
    ``(d_quadratic, d_cubic)``: expect 0 and a nonzero expression."""
    mu, b, sig, A, Q, c = sp.symbols("mu b sigma A Q c", positive=True)
    m_inf = b / mu
    S_inf = sig ** 2 / (2 * mu)
    K_quad = (A + 2 * m_inf * Q) * sp.exp(-mu * tau) * c
    # cubic: E (m + delta + xi)^3 = (m+delta)^3 + 3 (m+delta) S -> d/d delta at 0
    dl = sp.Symbol("delta")
    Ecubic = (m_inf + dl) ** 3 + 3 * (m_inf + dl) * S_inf
    K_cub = sp.diff(Ecubic, dl).subs(dl, 0) * sp.exp(-mu * tau) * c
    return sp.simplify(sp.diff(K_quad, sig)), sp.simplify(sp.diff(K_cub, sig))


def oned_potential(gamma, w, b, h=None):
    r"""$V(h)=\gamma h^2/2-[\log\cosh(wh+b)-\log\cosh b]/w$ (claim ``oned_stationary_density``)."""
    h = sp.Symbol("h", real=True) if h is None else h
    return gamma * h ** 2 / 2 - (sp.log(sp.cosh(w * h + b)) - sp.log(sp.cosh(b))) / w


def oned_density_check():
    r"""Returns $(V'+F,\ -F\rho+\frac{\sigma^2}2\rho',\ \lim_{w\to0}V-(\gamma h^2/2-h\tanh b))$, expect 0s,
    with $F=-\gamma h+\tanh(wh+b)$ and $\rho=e^{-2V/\sigma^2}$."""
    h = sp.Symbol("h", real=True)
    g, w, b, sig = sp.symbols("gamma w b sigma", positive=True)
    V = oned_potential(g, w, b, h)
    F = -g * h + sp.tanh(w * h + b)
    rho = sp.exp(-2 * V / sig ** 2)
    flux = sp.simplify((-F * rho + sig ** 2 / 2 * sp.diff(rho, h)) / rho)
    lim = sp.simplify((sp.series(V, w, 0, 1).removeO() - (g * h ** 2 / 2 - h * sp.tanh(b))).rewrite(sp.exp))
    return sp.simplify((sp.diff(V, h) + F).rewrite(sp.exp)), flux, lim


def chain_construction_check():
    r"""Grid generator at an interior node (symbolic $F_i$, $D$, $dx$, $c$, quadratic $g$): returns
    $G\mathbf 1$, $Gg-(F_ig'+Dg'')$ and $Bg-cg'$ (expect 0, 0, 0: rows sum to 0 and both operators
    are exact on quadratics, so the chain is consistent with $L_0$ and $B$)."""
    Fi, D, dx, c, x = sp.symbols("F_i D dx c x", real=True)
    up, down = D / dx ** 2 + Fi / (2 * dx), D / dx ** 2 - Fi / (2 * dx)
    q0, q1, q2 = sp.symbols("q0 q1 q2")
    g = lambda y: q0 + q1 * y + q2 * y ** 2  # noqa: E731
    Gapply = lambda f: up * (f(x + dx) - f(x)) + down * (f(x - dx) - f(x))  # noqa: E731
    Bg = c * (g(x + dx) - g(x - dx)) / (2 * dx)
    return (sp.simplify(Gapply(lambda y: 1)), sp.simplify(Gapply(g) - (Fi * sp.diff(g(x), x) + D * sp.diff(g(x), x, 2))),
            sp.simplify(Bg - c * sp.diff(g(x), x)))


def em_ou_stationary_variance(order: int = 2):
    r"""1-D OU under Euler–Maruyama: $v=(1+dt\,M)^2v+\sigma^2dt$, so
    $v=\sigma^2dt/(1-(1+dt\,M)^2)$; returns ``(v, series in dt)``."""
    M = sp.Symbol("M", negative=True)
    sig, dt = sp.symbols("sigma dt", positive=True)
    v = sig ** 2 * dt / (1 - (1 + dt * M) ** 2)
    return sp.simplify(v), sp.series(v, dt, 0, order).removeO()


# ---------------------------------------------------------------------------------------------
# Correlation forms and bounds
# ---------------------------------------------------------------------------------------------
def gaussian_conjugate_check():
    r"""$-c\cdot\nabla\log N(h;m,S)-c^\top S^{-1}(h-m)$ for explicit symmetric $2\times2$ $S$ (expect 0)."""
    h = sp.Matrix(sp.symbols("h1:3", real=True))
    m = sp.Matrix(sp.symbols("m1:3", real=True))
    c = sp.Matrix(sp.symbols("c1:3", real=True))
    s11, s22 = sp.symbols("s11 s22", positive=True)
    s12 = sp.Symbol("s12", real=True)
    S = sp.Matrix([[s11, s12], [s12, s22]])
    logp = -(((h - m).T * S.inv() * (h - m))[0]) / 2
    v = -sum(c[i] * sp.diff(logp, h[i]) for i in range(2))
    return sp.simplify(v - (c.T * S.inv() * (h - m))[0])


def equilibrium_fdt_condition():
    r"""Explicit $2\times2$ $M$, $\Sigma=\sigma^2I$: $E=-\frac2{\sigma^2}MS_\infty-I$ (the equilibrium
    form holds for all $A,c$ iff $E=0$). Returns ``(E, E at m21=m12)``: the second must be 0 and
    the first is proportional to $m_{12}-m_{21}$."""
    m11, m12, m21, m22 = sp.symbols("m11 m12 m21 m22", real=True)
    sig = sp.Symbol("sigma", positive=True)
    M = sp.Matrix([[m11, m12], [m21, m22]])
    S = ou_lyapunov_2x2(M, sig ** 2 * sp.eye(2))
    E = (-2 / sig ** 2 * M * S - sp.eye(2)).applyfunc(sp.simplify)
    return E, E.subs(m21, m12).applyfunc(sp.simplify)


def hermite_generating_check(order: int = 10):
    r"""$e^{xz-z^2/2}-\sum_{n\le order}He_n(x)z^n/n!$ up to $z^{order}$ (expect 0)."""
    x, z = sp.symbols("x z")
    ser = sp.series(sp.exp(x * z - z ** 2 / 2), z, 0, order + 1).removeO()
    return sp.expand(ser - sum(sp.hermite_prob(k, x) * z ** k / sp.factorial(k) for k in range(order + 1)))


def hermite_norm_check(nmax: int = 8) -> list:
    r"""$\int He_n^2\varphi-n!$ for $n\le$ ``nmax`` with the standard normal density (expect 0s)."""
    x = sp.Symbol("x", real=True)
    # Gaussian moments E x^j = (j-1)!! (j even), 0 (j odd), each obtained once by integration
    phi = sp.exp(-x ** 2 / 2) / sp.sqrt(2 * sp.pi)
    moments = {j: sp.integrate(x ** j * phi, (x, -sp.oo, sp.oo)) for j in range(0, 2 * nmax + 1, 2)}
    out = []
    for k in range(nmax + 1):
        poly = sp.Poly(sp.expand(sp.hermite_prob(k, x) ** 2), x)
        val = sum(coef * moments.get(mon[0], 0) for mon, coef in poly.terms())
        out.append(sp.simplify(val - sp.factorial(k)))
    return out


def dissipativity_check():
    r"""$n=2$, general $\Gamma$, $P$ solving $P\Gamma+\Gamma^\top P=I$, $V=h^\top Ph$: returns
    $L_0V-(-|h|^2+2h^\top Pa+\operatorname{tr}(P\Sigma))$ and the Young step
    $(-r^2+2\sqrt n\,p\,r)-(-r^2/2+2np^2)+(r/\sqrt2-\sqrt{2n}\,p)^2$ (expect 0, 0)."""
    n = 2
    h = sp.Matrix(sp.symbols("h1:3", real=True))
    G = sp.Matrix(2, 2, lambda i, j: sp.Symbol(f"g{i + 1}{j + 1}", real=True))
    avec = sp.Matrix([sp.Function("a1")(*h), sp.Function("a2")(*h)])
    Sig = sp.Matrix(2, 2, lambda i, j: sp.Symbol(f"S{min(i, j) + 1}{max(i, j) + 1}", real=True))
    p11, p12, p22 = sp.symbols("p11 p12 p22")
    P = sp.Matrix([[p11, p12], [p12, p22]])
    sol = sp.solve(list(P * G + G.T * P - sp.eye(2)), [p11, p12, p22], dict=True)[0]
    P = P.subs(sol)
    V = (h.T * P * h)[0]
    F = -G * h + avec
    L0V = generator(F, Sig, list(h))(V)
    target = -(h.T * h)[0] + 2 * (h.T * P * avec)[0] + (P * Sig).trace()
    r, p = sp.symbols("r p", positive=True)
    young = (-r ** 2 + 2 * sp.sqrt(n) * p * r) - (-r ** 2 / 2 + 2 * n * p ** 2) + (r / sp.sqrt(2) - sp.sqrt(2 * n) * p) ** 2
    return sp.simplify(L0V - target), sp.simplify(sp.expand(young))


def instantaneous_check():
    r"""OU, $n=2$, $f=Ah+h^\top Qh$: $K^{(1)}_k(0)$ from the closed form $(A+2m_\infty^\top Q)e^{\tau M}c$ at
    $\tau=0$ minus the Gaussian average $\langle c\cdot\nabla f\rangle_\infty$ computed from the moments
    (expect 0): claim ``instantaneous_response``."""
    m1, m2, mu1, mu2 = sp.symbols("m1 m2 mu1 mu2", real=True)
    h = sp.Matrix(sp.symbols("h1:3", real=True))
    A = sp.Matrix([sp.symbols("A1:3")])
    c = sp.Matrix(sp.symbols("c1:3"))
    Q = sp.Matrix(2, 2, lambda i, j: sp.Symbol(f"Q{min(i, j) + 1}{max(i, j) + 1}"))
    m = sp.Matrix([m1, m2])
    M = sp.diag(-mu1, -mu2)
    K0 = ((A + 2 * m.T * Q) * (M * tau).exp() * c)[0].subs(tau, 0)
    f = (A * h)[0] + (h.T * Q * h)[0]
    cgrad = sp.expand(sum(c[i] * sp.diff(f, h[i]) for i in range(2)))
    # c.grad f is affine in h, so its Gaussian average is its value at the mean
    avg = cgrad.subs({h[0]: m1, h[1]: m2})
    return sp.expand(K0 - avg)


def fading_check():
    r"""OU with diagonal Hurwitz $M=-\operatorname{diag}(\mu_1,\mu_2)$: $\lim_{\tau\to\infty}
    e^{\mu_{\min}'\tau}Ae^{\tau M}c$ for any rate $\mu'_{\min}<\min\mu_i$ (here $\mu_i=\mu'+\nu_i$,
    $\nu_i>0$) is 0, i.e. $K^{(1)}$ decays faster than $e^{-\mu'\tau}$ (expect 0)."""
    mup, nu1, nu2 = sp.symbols("mu' nu1 nu2", positive=True)
    A = sp.Matrix([sp.symbols("A1:3")])
    c = sp.Matrix(sp.symbols("c1:3"))
    K = (A * sp.diag(sp.exp(-(mup + nu1) * tau), sp.exp(-(mup + nu2) * tau)) * c)[0]
    return sp.limit(sp.expand(K * sp.exp(mup * tau)), tau, sp.oo)


def stationary_kernel_check():
    r"""OU with diagonal $M$: $(\partial_t+\partial_s)[Ae^{(t-s)M}c]$ (expect 0: a function of $t-s$ only)."""
    m1, m2 = sp.symbols("m1 m2", negative=True)
    A = sp.Matrix([sp.symbols("A1:3")])
    c = sp.Matrix(sp.symbols("c1:3"))
    K = (A * sp.diag(sp.exp((t - s) * m1), sp.exp((t - s) * m2)) * c)[0]
    return sp.simplify(sp.diff(K, t) + sp.diff(K, s))


# ---------------------------------------------------------------------------------------------
# Response feature, time augmentation, signatures, kernel machine
# ---------------------------------------------------------------------------------------------
def response_coefficient_order1_check(pmax: int = 4) -> list:
    r"""$\partial_s^p[\nabla f^\top e^{(t-s)J}c]_{s=0}-\nabla f^\top e^{tJ}(-J)^pc$ for symbolic
    non-normal $2\times2$ $J=V\operatorname{diag}(\lambda_1,\lambda_2)V^{-1}$, $V$ unit upper
    triangular (expect 0s)."""
    l1, l2, v12 = sp.symbols("lambda1 lambda2 v12", real=True)
    V = sp.Matrix([[1, v12], [0, 1]])
    J = V * sp.diag(l1, l2) * V.inv()
    E = lambda x: V * sp.diag(sp.exp(l1 * x), sp.exp(l2 * x)) * V.inv()  # noqa: E731
    g = sp.Matrix([sp.symbols("g1:3")])
    c = sp.Matrix(sp.symbols("c1:3"))
    K = (g * E(t - s) * c)[0]
    return [sp.simplify(sp.diff(K, s, p).subs(s, 0) - (g * E(t) * (-J) ** p * c)[0]) for p in range(pmax + 1)]


def response_coefficient_order2_check(pmax: int = 3) -> list:
    r"""Scalar $n=1$ ($J=\lambda$, $D^2F=\kappa$, $f=ah+\frac q2h^2$; rational values): the bracket
    formula $Q_t((p_1),(p_2))=V_{p_1}[M_{p_2}\nabla g_t+\nabla^2g_tV_{p_2}]$ minus the Taylor
    coefficient $\partial^{p_1}_{r_1}\partial^{p_2}_{r_2}\kappa^{(2)}(t;0,0)$ of the second-order
    kernel in earliest-first times, for $p_1,p_2\le$ ``pmax`` (expect 0s)."""
    lam, kap, a, q, c = (sp.Integer(-1), sp.Rational(3, 5), sp.Rational(2, 3), sp.Rational(1, 2), sp.Rational(5, 4))
    r, r1, r2 = sp.symbols("r r1 r2", real=True)
    # kernel with latest time s1 = r2 and earliest s2 = r1
    kappa2 = (q * c ** 2 * sp.exp(lam * (t - r2)) * sp.exp(lam * (t - r1))
              + sp.integrate(a * sp.exp(lam * (t - r)) * kap * c ** 2 * sp.exp(lam * (r - r2)) * sp.exp(lam * (r - r1)),
                             (r, r2, t)))
    V = [(-lam) ** p * c for p in range(pmax + 1)]
    Mp = [0]
    for p in range(pmax):
        Mp.append(Mp[-1] * lam - lam * Mp[-1] - kap * V[p])
    grad_g = sp.exp(lam * t) * a
    hess_g = sp.exp(2 * lam * t) * q + a * sp.integrate(sp.exp(lam * (t - r)) * kap * sp.exp(2 * lam * r), (r, 0, t))
    out = []
    for p1, p2 in itertools.product(range(pmax + 1), repeat=2):
        bracket = V[p1] * (Mp[p2] * grad_g + hess_g * V[p2])
        taylor = sp.diff(kappa2, r1, p1, r2, p2).subs({r1: 0, r2: 0})
        out.append(sp.simplify(bracket - taylor))
    return out


def time_augmentation(word) -> dict:
    r"""Coefficients $c_w(\mathbf a)$ with $S(X)^w=\sum_{\mathbf a}c_w(\mathbf a)S(\hat U)^{0^{a_1}k_1\cdots0^{a_n}k_n}$:
    $c_w(\mathbf a)=(\prod a_i!)[g^{\mathbf a}]\prod_i(g_1+\dots+g_i)^{p_i}/p_i!$ (claim
    ``time_augmented_signature``). ``word`` is a sequence of ``(p, k)``; returns ``{a: int}``.

    >>> time_augmentation([(1, 1), (1, 2)]) == {(2, 0): 2, (1, 1): 1}
    True
    """
    n = len(word)
    g = sp.symbols(f"g1:{n + 1}")
    prod = sp.Integer(1)
    for i, (p, _) in enumerate(word):
        prod *= sum(g[: i + 1]) ** p / sp.factorial(p)
    poly = sp.Poly(sp.expand(prod), *g)
    out = {}
    for monom, coeff in poly.terms():
        out[tuple(monom)] = coeff * sp.Mul(*[sp.factorial(a) for a in monom])
    return {k: int(v) if v.is_integer else v for k, v in out.items()}


def time_augmentation_check(pmax: int = 5, nmax: int = 3) -> dict:
    r"""All $c_w$ for $p_i\le$ ``pmax``, $n\le$ ``nmax``: nonnegative integers with $\sum a_i=\sum p_i$;
    and for $n=2$ the binomial form $\binom{p_1+p_2-j}{p_1}$ at $\mathbf a=(p_1+p_2-j,j)$.
    Returns counts ``{"checked": .., "bad": ..}``."""
    bad = checked = 0
    for n in range(1, nmax + 1):
        for ps in itertools.product(range(pmax + 1), repeat=n):
            if n == 3 and sum(ps) > 6:  # keep the n = 3 sweep fast: p_i <= 5 with sum <= 6
                continue
            coeffs = time_augmentation([(p, 0) for p in ps])
            for a, c in coeffs.items():
                checked += 1
                if not (isinstance(c, int) and c >= 0 and sum(a) == sum(ps)):
                    bad += 1
            if n == 2:
                p1, p2 = ps
                expect = {(p1 + p2 - j, j): math.comb(p1 + p2 - j, p1) for j in range(p2 + 1)}
                if coeffs != expect:
                    bad += 1
    return {"checked": checked, "bad": bad}


def _poly_path_integrals(path, maxlen: int):
    r"""All iterated integrals of a polynomial path (list of expressions in $t$ on $[0,1]$) up to
    word length ``maxlen``, by $S^{w i}(t)=\int_0^tS^w\,dX^i$."""
    d = len(path)
    dX = [sp.diff(x, t) for x in path]
    S = {(): sp.Integer(1)}
    frontier = [()]
    for _ in range(maxlen):
        new = []
        for w in frontier:
            for i in range(d):
                S[w + (i,)] = sp.integrate(S[w] * dX[i], (t, 0, t))
                new.append(w + (i,))
        frontier = new
    return {w: sp.expand(v.subs(t, 1)) for w, v in S.items()}


def shuffle_words(a, b):
    """The shuffle product a ⧢ b of two words, as the list of interleavings (with multiplicity)."""
    if not a:
        return [b]
    if not b:
        return [a]
    return [(a[0],) + w for w in shuffle_words(a[1:], b)] + [(b[0],) + w for w in shuffle_words(a, b[1:])]


def shuffle_check(maxlen: int = 4) -> int:
    r"""Path $(t,t^2)$ on $[0,1]$: number of word pairs $|a|+|b|\le$ ``maxlen`` for which
    $S^aS^b\ne\sum_{c\in a\sqcup\!\sqcup b}S^c$ exactly (expect 0)."""
    S = _poly_path_integrals([t, t ** 2], maxlen)
    words = [w for w in S if 0 < len(w)]
    bad = 0
    for a in words:
        for b in words:
            if len(a) + len(b) <= maxlen:
                if sp.simplify(S[a] * S[b] - sum(S[c] for c in shuffle_words(a, b))) != 0:
                    bad += 1
    return bad


def chen_check(depth: int = 3):
    r"""Two segments with symbolic increments $\Delta_1,\Delta_2\in\mathbb R^2$: the product of the
    tensor exponentials minus the directly integrated iterated integrals of the concatenated path
    (word recursion $S^{wi}(x)=\int S^w\,dX^i$ on each segment), every word up to ``depth``
    (expect all 0)."""
    D1, D2 = sp.symbols("x1 y1"), sp.symbols("x2 y2")
    allw, words = [()], [()]
    for _ in range(depth):
        words = [w + (i,) for w in words for i in range(2)]
        allw += words
    texp = lambda D: {w: sp.Mul(*[D[i] for i in w]) / sp.factorial(len(w)) for w in allw}  # noqa: E731
    e1, e2 = texp(D1), texp(D2)
    prod = {w: sum(e1[w[:k]] * e2[w[k:]] for k in range(len(w) + 1)) for w in allw}
    x, y = sp.symbols("x y")
    seg1 = {(): sp.Integer(1)}
    for w in allw[1:]:
        seg1[w] = sp.integrate(seg1[w[:-1]].subs(x, y) * D1[w[-1]], (y, 0, x))
    seg2 = {(): sp.Integer(1)}
    for w in allw[1:]:
        seg2[w] = seg1[w].subs(x, 1) + sp.integrate(seg2[w[:-1]].subs(x, y) * D2[w[-1]], (y, 0, x))
    return [sp.expand(prod[w] - seg2[w].subs(x, 1)) for w in allw]


def exponential_basis_check():
    r"""$S(\tau)=\sum_jv_jw_j^\top e^{\lambda_j\tau}$ for $J=V\operatorname{diag}(\lambda)V^{-1}$ (symbolic
    $2\times2$): returns $(S(0)-I,\ S'-JS)$, both zero, which characterises $e^{\tau J}$."""
    l1, l2, v12, v21 = sp.symbols("lambda1 lambda2 v12 v21", real=True)
    V = sp.Matrix([[1, v12], [v21, 1]])
    Vi = V.inv()
    J = V * sp.diag(l1, l2) * Vi
    S = sum((V[:, j] * Vi[j, :] * sp.exp(lam * tau) for j, lam in enumerate((l1, l2))), sp.zeros(2, 2))
    return (S.subs(tau, 0) - sp.eye(2)).applyfunc(sp.simplify), (sp.diff(S, tau) - J * S).applyfunc(sp.simplify)


def push_through_check():
    r"""$(\Phi^\top\Phi+\lambda I)^{-1}\Phi^\top-\Phi^\top(\Phi\Phi^\top+\lambda I)^{-1}$ for an explicit
    symbolic $2\times3$ $\Phi$ (expect 0): readout ridge = kernel ridge (claim ``kernel_machine``)."""
    Phi = sp.Matrix(2, 3, lambda i, j: sp.Symbol(f"phi{i + 1}{j + 1}", real=True))
    lam = sp.Symbol("lambda", positive=True)
    # (F^T F + lam I) F^T = F^T (F F^T + lam I); both brackets are invertible for lam > 0, so
    # multiplying by their inverses gives the push-through identity.
    return ((Phi.T * Phi + lam * sp.eye(3)) * Phi.T - Phi.T * (Phi * Phi.T + lam * sp.eye(2))).applyfunc(sp.expand)


def noise_regulariser_check():
    r"""$\mathbb E(y-\alpha^\top\phi)^2-[(y-\alpha^\top\mu)^2+\alpha^\top\Sigma_\phi\alpha]$ with
    $\phi=\mu+\xi$, $\mathbb E\xi=0$, $\mathbb E\xi\xi^\top=\Sigma_\phi$ ($q=2$; expect 0)."""
    y = sp.Symbol("y")
    al = sp.Matrix(sp.symbols("alpha1:3"))
    mu = sp.Matrix(sp.symbols("mu1:3"))
    xi = sp.Matrix(sp.symbols("xi1:3"))
    Sg = sp.Matrix(2, 2, lambda i, j: sp.Symbol(f"C{min(i, j) + 1}{max(i, j) + 1}"))
    e = sp.expand((y - (al.T * (mu + xi))[0]) ** 2)
    poly = sp.Poly(e, *xi)
    E = 0
    for monom, coeff in poly.terms():
        if sum(monom) == 0:
            E += coeff
        elif sum(monom) == 2:
            idx = [i for i in range(2) for _ in range(monom[i])]
            E += coeff * Sg[idx[0], idx[1]]
    return sp.expand(E - ((y - (al.T * mu)[0]) ** 2 + (al.T * Sg * al)[0]))


# ---------------------------------------------------------------------------------------------
# Statements (SymPy relations, evaluate=False) and LaTeX expressions for every claim
# ---------------------------------------------------------------------------------------------
def _S(name, **kw):
    return sp.Symbol(name, **kw)


def statement(name: str):
    """The claim's statement as a SymPy relation (``name`` is the claim slug)."""
    n = _S("n", integer=True, positive=True)
    h, hs = sp.MatrixSymbol("h", n, 1), sp.MatrixSymbol("h^*", n, 1)
    Gam, W = sp.MatrixSymbol(r"\Gamma", n, n), sp.MatrixSymbol("W", n, n)
    J = sp.MatrixSymbol("J", n, n)
    c = sp.MatrixSymbol("c", n, 1)
    gf = sp.MatrixSymbol(r"\nabla f", n, 1)
    kappa, K1, K2, Yn = _S(r"\kappa"), sp.Function("K^{(1)}"), sp.Function("K^{(2)}"), sp.Function("Y_n")
    k = _S("k", integer=True)
    sig = _S(r"\sigma", positive=True)
    rel = {
        "contraction_fixed_point": lambda: sp.Le(_S(r"\mu_2(DF(h))"), -kappa, evaluate=False),
        "dissipativity": lambda: sp.Le(_S("L_0V"), -_S(r"\alpha") * _S("V") + _S(r"\beta"), evaluate=False),
        "fixed_point_design": lambda: sp.Eq(_S("b"), sp.Symbol(r"\operatorname{artanh}(\Gamma h^*) - W h^*"), evaluate=False),
        "volterra_series": lambda: sp.Eq(sp.Function(r"\bar{y}_{t}")(eps), _S(r"\langle f\rangle_\infty") + sp.Sum(
            eps ** k * _S(r"\int_{0<s_k<\dots<s_1<t} K^{(k)} u\cdots u\,ds"), (k, 1, sp.oo)), evaluate=False),
        "ordered_symmetric_kernels": lambda: sp.Eq(_S("H_n"), _S("K^{(n)}_{sorted}") / sp.factorial(_S("n")), evaluate=False),
        "stationary_causal_kernels": lambda: sp.Eq(_S("K^{(n)}(t; s_1..s_n)"), _S(r"K^{(n)}(\tau_1..\tau_n)"), evaluate=False),
        "instantaneous_response": lambda: sp.Eq(K1(0), _S(r"\langle c_k\cdot\nabla f\rangle_\infty"), evaluate=False),
        "fading_memory": lambda: sp.Le(sp.Abs(K1(tau)), _S("C") * sp.exp(-_S(r"\lambda") * tau), evaluate=False),
        "odd_symmetry": lambda: sp.Eq(_S("K^{(2j)}"), 0, evaluate=False),
        "fdt_first_order": lambda: sp.Eq(K1(tau), _S(r"\mathbb{E}_{st}[f(h_\tau)\, v_k(h_0)]"), evaluate=False),
        "girsanov_chaos": lambda: sp.Eq(Yn(t), _S(r"\frac{1}{n!}\mathbb{E}[f(h^0_t) V_t^{n/2} He_n(M_t/\sqrt{V_t})]"), evaluate=False),
        "entire_tail_bound": lambda: sp.Le(sp.Abs(eps ** n * Yn(t)), _S(r"\mathrm{sd}(f)") * (sp.Abs(eps) * sp.sqrt(_S("V_t"))) ** n / sp.sqrt(sp.factorial(n)), evaluate=False),
        "det_first_order_kernel": lambda: sp.Eq(K1(tau), gf.T * sp.MatrixSymbol(r"e^{\tau J}", n, n) * c, evaluate=False),
        "det_second_order_kernel": lambda: sp.Eq(K2(_S("s_1"), _S("s_2")), det_kernel(2), evaluate=False),
        "variational_hierarchy": lambda: sp.Eq(sp.Derivative(sp.Function(r"\delta_n")(t), t), J * sp.MatrixSymbol(r"\delta_n", n, 1) + sp.MatrixSymbol(r"\sum_{j\ge2}\frac{1}{j!}\sum D^jF[\delta_{i_1},..,\delta_{i_j}]", n, 1), evaluate=False),
        "ou_closed_form": lambda: sp.Eq(_S("M") * _S("S_\\infty") + _S("S_\\infty") * _S("M^T") + _S(r"\Sigma"), 0, evaluate=False),
        "oned_stationary_density": lambda: sp.Eq(_S(r"\rho_\infty(h)"), sp.exp(-2 * _S("V(h)") / sig ** 2) / _S("Z"), evaluate=False),
        "oned_generator_chain": lambda: sp.Eq(K1(tau), _S(r"\pi^\top B e^{\tau G} f"), evaluate=False),
        "small_noise_limit": lambda: sp.Eq(_S(r"K^{(1)}_\sigma") - _S(r"K^{(1)}_{det}"), sp.O(sig ** 2), evaluate=False),
        "mc_crn_central_differences": lambda: sp.Eq(_S(r"\mathbb{E}\hat Y_1"), central_difference_bias(1, 3).subs(_S("Y0"), 0), evaluate=False),
        "em_weak_bias": lambda: sp.Eq(_S(r"v_{EM}"), em_ou_stationary_variance()[1], evaluate=False),
        "lie_brackets": lambda: sp.Eq(_S(r"\mathrm{ad}_{L_0}(c\cdot\nabla)"), -_S(r"(DF\,c)\cdot\nabla"), evaluate=False),
        "response_feature_expansion": lambda: sp.Eq(Yn(t), sp.Sum(_S("Q_t(w)") * _S("S(X)^w_{0,t}"), (_S("w"), 1, _S("N"))), evaluate=False),
        "time_augmented_signature": lambda: sp.Eq(_S("S(X)^{(p,k)}"), _S(r"S(\hat U)^{0^p k}"), evaluate=False),
        "exponential_basis": lambda: sp.Eq(_S("Y_1(t)"), sp.Sum(_S(r"(\nabla f^\top v_j)(w_j^\top c_k) Z^{(j,k)}_t"), (_S("j"), 1, n)), evaluate=False),
        "kernel_machine": lambda: sp.Eq(_S(r"(\Phi^\top\Phi+\lambda I)^{-1}\Phi^\top"), _S(r"\Phi^\top(\Phi\Phi^\top+\lambda I)^{-1}"), evaluate=False),
        "signature_shuffle": lambda: sp.Eq(_S("S^a") * _S("S^b"), sp.Sum(_S("S^c"), (_S("c"), 1, _S(r"a \sqcup\!\sqcup b"))), evaluate=False),
        "signature_chen": lambda: sp.Eq(_S("S(X)_{0,t}"), _S(r"S(X)_{0,s}\otimes S(X)_{s,t}"), evaluate=False),
    }
    del h, hs, Gam, W
    return rel[name]()


def expressions(name: str) -> dict:
    """Small derived SymPy objects for the LaTeX export of claim ``name``."""
    if name in ("fixed_point_design", "contraction_fixed_point"):
        g1, g2 = sp.symbols("gamma1 gamma2", positive=True)
        W = sp.Matrix(2, 2, lambda i, j: sp.Symbol(f"w{i + 1}{j + 1}"))
        hs = sp.Matrix(sp.symbols("h^*_1 h^*_2"))
        d = designed_fixed_point(sp.diag(g1, g2), W, hs)
        return {"b": d["b"], "J": d["J"]}
    if name == "variational_hierarchy":
        d = [sp.Symbol(f"delta_{i}") for i in range(1, 4)]
        D = {j: (lambda j: (lambda *xs: sp.Function(f"D^{j}F")(*xs)))(j) for j in (2, 3)}
        return {"rhs_3": hierarchy_formula(3, D, d)}
    if name == "ou_closed_form":
        m11, m22, s = sp.symbols("m11 m22 sigma")
        return {"S_inf": ou_lyapunov_2x2(sp.diag(m11, m22), s ** 2 * sp.eye(2))}
    if name == "oned_stationary_density":
        g, w, b = sp.symbols("gamma w b")
        return {"V": oned_potential(g, w, b)}
    if name == "time_augmented_signature":
        return {"c_w((1,1),(1,2))": sp.Matrix([[v for v in time_augmentation([(1, 1), (1, 2)]).values()]])}
    if name == "em_weak_bias":
        return {"v_EM": em_ou_stationary_variance()[0]}
    if name == "mc_crn_central_differences":
        return {"Y1_hat": central_difference_bias(1, 4), "Y2_hat": central_difference_bias(2, 4)}
    if name == "girsanov_chaos":
        x = sp.Symbol("x")
        return {"He_3": sp.hermite_prob(3, x)}
    if name in ("det_first_order_kernel", "det_second_order_kernel"):
        return {"K": det_kernel(1 if name.startswith("det_first") else 2)}
    if name == "dissipativity":
        return {"L0V": sp.Symbol(r"-|h|^2 + 2 h^\top P a(Wh+b) + \mathrm{tr}(P\Sigma)")}
    return {}


# ---------------------------------------------------------------------------------------------
# rnnproof derive
# ---------------------------------------------------------------------------------------------
TOPICS = {
    "response": "SRNN drift, Jacobian and derivative tensors (explicit n; tanh or generic a)",
    "response.design": "exact fixed point b := artanh(Γh*) − Wh*, J, D²F, D³F (rational)",
    "response.hierarchy": "variational hierarchy right-hand sides up to order 4",
    "response.kernels": "deterministic kernels K⁽¹⁾, K⁽²⁾ at a fixed point",
    "response.brackets": "Lie brackets V_p = ad^p_F c for explicit n",
    "response.ou": "OU closed forms: Lyapunov solution (n = 2), EM stationary variance",
    "response.oned": "1-D potential and stationary density",
    "response.signature": "time-augmentation coefficients for words of length ≤ 2",
}


def derivations(topic: str, n: Optional[int], activation: Optional[str]) -> list:
    """The ``rnnproof derive`` items of ``topic`` (explicit size ``n``, default 2; n ≤ 3)."""
    n = 2 if n is None else n
    if n > 3 and topic in ("response", "response.design", "response.brackets"):
        raise TopicError(f"topic {topic} is explicit and supports n <= 3, got n = {n}")
    if topic == "response":
        M = srnn(n, activation=activation or "generic")
        return [("F(h)", Derivation("drift", M.drift(), lhs=sp.Symbol("F(h)"))),
                ("DF(h)", Derivation("Jacobian", M.jacobian(), lhs=sp.Symbol("DF(h)")))]
    if activation not in (None, "tanh"):
        raise TopicError(f"topic {topic} is derived for tanh only, got activation {activation!r}")
    if topic == "response.design":
        M = srnn(n)
        hs = sp.Matrix(sp.symbols(f"h^*_1:{n + 1}"))
        d = designed_fixed_point(M.Gamma, M.W, hs)
        return [("b", d["b"]), ("J", d["J"]), ("D2F", d["D2"])]
    if topic == "response.hierarchy":
        d = [sp.Symbol(f"delta_{i}") for i in range(1, 5)]
        D = {j: (lambda j: (lambda *xs: sp.Function(f"D^{j}F")(*xs)))(j) for j in (2, 3, 4)}
        return [(f"rhs of delta_{k} (minus J delta_{k})", hierarchy_formula(k, D, d)) for k in (2, 3, 4)]
    if topic == "response.kernels":
        return [("K1", det_kernel(1)), ("K2 (ordered)", det_kernel(2))]
    if topic == "response.brackets":
        M = srnn(n, noise="none")
        V = bracket_fields(M.drift(), M.C[:, 0], list(M.h), 1)
        return [("V_1 = [F, c]", V[1])]
    if topic == "response.ou":
        m11, m12, m21, m22, s = sp.symbols("m11 m12 m21 m22 sigma")
        return [("S_inf (Sigma = sigma^2 I)", ou_lyapunov_2x2(sp.Matrix([[m11, m12], [m21, m22]]), s ** 2 * sp.eye(2))),
                ("EM stationary variance (1-D)", em_ou_stationary_variance()[0])]
    if topic == "response.oned":
        g, w, b = sp.symbols("gamma w b")
        return [("V(h)", oned_potential(g, w, b))]
    if topic == "response.signature":
        return [(f"c_w for w = {w}", sp.Matrix([[sp.Symbol(str(a)), v] for a, v in time_augmentation(w).items()]))
                for w in ([(2, 1)], [(1, 1), (1, 2)], [(2, 1), (1, 2)])]
    raise TopicError(f"unknown topic {topic!r}")
