r"""Symbolic side of the representation-geometry paper (Horoi, Lajoie & Wolf 2020).

The model is the bias-free tanh RNN $h_t=\tanh(Wh_{t-1}+Ux_t)$, $h_0=0$, read out by
$\mathrm{softmax}(Vh_T+c)$. This module derives (SymPy only) the exact structural facts that the toolkit
reconstructs from first principles (the paper publishes no derivations):

Dynamics
    tanh_rnn_step, unrolled_states            -- the recurrence and its explicit unrolling
    autonomous_jacobian, zero_state_residuals -- $Df(h)=\mathrm{diag}(1-\tanh^2(Wh))W$, $=W$ at 0
    zero_state_matrix_proof                   -- $W\cdot0=0$ with MatrixSymbols
    tanh_bound_proof, contraction_bound       -- $|\tanh a|\le|a|$, $\|h_t\|\le\|W\|_2^t\|h_0\|$
Prepending / appending blank steps
    prepend_invariance_proof, prepend_unrolled_difference
    bias_break_difference, tanh_difference_identity
    append_statement
Training
    bptt_gradients, loss_gradient_symbolic, bptt_residuals, bptt_equations
Measures
    participation_ratio, lagrange_identity, pr_lower_identity
    distance_ratio, distance_ratio_invariance_residuals, distance_ratio_definition
Statements and LaTeX
    *_statement functions (one SymPy relation per claim), TOPICS, derivations

Examples
--------
>>> W = sympy.Matrix(2, 2, sympy.symbols("w0:4"))
>>> autonomous_jacobian(W, sympy.zeros(2, 1)) == W
True
"""

from __future__ import annotations

from functools import lru_cache

import sympy
from sympy import (Eq, Function, IndexedBase, Le, MatrixSymbol, Ne, Rational, Sum,
                   Symbol, ZeroMatrix, symbols)

from ._common import Derivation, TopicError

__all__ = [
    "tanh_rnn_step", "unrolled_states", "autonomous_jacobian", "zero_state_residuals",
    "zero_state_matrix_proof", "tanh_bound_proof", "contraction_bound", "prepend_invariance_proof",
    "prepend_induction_holds",
    "prepend_unrolled_difference", "bias_break_difference", "tanh_difference_identity",
    "append_statement", "bptt_gradients", "loss_gradient_symbolic", "bptt_residuals",
    "bptt_equations", "participation_ratio", "participation_ratio_general", "lagrange_identity",
    "pr_lower_identity",
    "distance_ratio", "distance_ratio_invariance_residuals", "distance_ratio_definition",
    "recurrence_statement", "zero_state_statement", "stability_statement", "prepend_statement",
    "bias_break_statement", "bptt_statement", "pr_statement", "distance_ratio_statement",
    "symbolic_weights", "TOPICS", "derivations",
]


# ----------------------------------------------------------------------------------------------
# The model
# ----------------------------------------------------------------------------------------------
def symbolic_weights(H: int, D: int, C: int = 2):
    """Explicit symbolic matrices W (H×H), U (H×D), V (C×H), c (C×1)."""
    W = sympy.Matrix(H, H, lambda i, j: Symbol(f"W_{i}{j}", real=True))
    U = sympy.Matrix(H, D, lambda i, j: Symbol(f"U_{i}{j}", real=True))
    V = sympy.Matrix(C, H, lambda i, j: Symbol(f"V_{i}{j}", real=True))
    c = sympy.Matrix(C, 1, lambda i, j: Symbol(f"c_{i}", real=True))
    return W, U, V, c


def tanh_rnn_step(W, U, x, h, b=None):
    r"""One step $\tanh(Wh + Ux + b)$ (elementwise tanh) for explicit SymPy matrices.

    >>> w, u, x = symbols("w u x")
    >>> tanh_rnn_step(sympy.Matrix([[w]]), sympy.Matrix([[u]]), sympy.Matrix([x]), sympy.zeros(1, 1))
    Matrix([[tanh(u*x)]])
    """
    z = W * h + U * x
    if b is not None:
        z = z + b
    return z.applyfunc(sympy.tanh)


def unrolled_states(W, U, xs, b=None, h0=None):
    r"""$[h_0, h_1, \dots, h_T]$ for the explicit inputs ``xs`` (a list of column matrices)."""
    h = sympy.zeros(W.rows, 1) if h0 is None else h0
    out = [h]
    for x in xs:
        h = tanh_rnn_step(W, U, x, h, b)
        out.append(h)
    return out


def autonomous_jacobian(W, h):
    r"""Jacobian of the zero-input map $f(h)=\tanh(Wh)$: $Df(h)=\mathrm{diag}(1-\tanh^2(Wh))\,W$.

    Computed by differentiating $f$ with SymPy (not by quoting the formula).
    """
    hs = sympy.Matrix(W.rows, 1, lambda i, j: Symbol(f"_h{i}"))
    f = (W * hs).applyfunc(sympy.tanh)
    J = f.jacobian(hs)
    return J.subs(dict(zip(hs, h)))


def zero_state_residuals(H: int):
    r"""For symbolic H×H W (H explicit): $f(0)$ and $Df(0)-W$; both are zero (claim
    ``geometry.zero_state_fixed_point``).

    >>> f0, dJ = zero_state_residuals(2)
    >>> f0.is_zero_matrix, dJ.is_zero_matrix
    (True, True)
    """
    W = symbolic_weights(H, 1)[0]
    zero = sympy.zeros(H, 1)
    f0 = (W * zero).applyfunc(sympy.tanh)
    return f0, sympy.simplify(autonomous_jacobian(W, zero) - W)


def zero_state_matrix_proof():
    r"""With MatrixSymbols: $W\cdot 0_{H\times1}+U\cdot 0_{D\times1}=0$, so $\tanh$ of it is 0.

    >>> zero_state_matrix_proof()
    True
    """
    H, D = Symbol("H", integer=True, positive=True), Symbol("D", integer=True, positive=True)
    W, U = MatrixSymbol("W", H, H), MatrixSymbol("U", H, D)
    z = (W * ZeroMatrix(H, 1) + U * ZeroMatrix(D, 1)).doit()
    return bool(z == ZeroMatrix(H, 1) and sympy.tanh(0) == 0)


def tanh_bound_proof():
    r"""$|\tanh a|\le|a|$: $g(a)=a-\tanh a$ has $g(0)=0$ and $g'(a)=\tanh^2a\ge0$, so $g\ge0$ on
    $a\ge0$; both sides are odd in $a$. Returns ``(g(0), g'(a) - tanh(a)**2, oddness residual)``,
    all zero.

    >>> tanh_bound_proof()
    (0, 0, 0)
    """
    a = Symbol("a", real=True)
    g = a - sympy.tanh(a)
    g0 = g.subs(a, 0)
    dg = sympy.simplify(sympy.diff(g, a) - sympy.tanh(a) ** 2)
    odd = sympy.simplify(sympy.tanh(-a) + sympy.tanh(a))
    return g0, dg, odd


def contraction_bound(W_norm, t, h0_norm):
    r"""The bound $\|W\|_2^{\,t}\|h_0\|$ on $\|f^t(h_0)\|$ when $\|W\|_2<1$ (by induction with
    $|\tanh a|\le|a|$: $\|f(h)\|\le\|Wh\|\le\|W\|_2\|h\|$)."""
    return W_norm ** t * h0_norm


# ----------------------------------------------------------------------------------------------
# Prepending and appending zero-input steps
# ----------------------------------------------------------------------------------------------
def prepend_invariance_proof():
    r"""The induction behind claim ``geometry.prepend_zero_invariance``, as SymPy equalities.

    Base: $h_0=0$. Step: $h=0\Rightarrow\tanh(W\cdot0+U\cdot0)=\tanh(0)=0$ (MatrixSymbols). So after
    $n_{\rm pre}$ blank steps the state is still exactly $0=h_0$, and the remaining inputs drive the
    same recurrence from the same state. Returns unevaluated ``Eq(lhs, rhs)`` objects whose left
    sides evaluate (``doit``) to their right sides; see :func:`prepend_induction_holds`.
    """
    H, D = Symbol("H", integer=True, positive=True), Symbol("D", integer=True, positive=True)
    W, U = MatrixSymbol("W", H, H), MatrixSymbol("U", H, D)
    drive = sympy.MatAdd(sympy.MatMul(W, ZeroMatrix(H, 1)), sympy.MatMul(U, ZeroMatrix(D, 1)), evaluate=False)
    return [Eq(drive, ZeroMatrix(H, 1), evaluate=False),
            Eq(sympy.Function("tanh")(0), 0, evaluate=False)]


def prepend_induction_holds() -> bool:
    """True iff every step of :func:`prepend_invariance_proof` holds when evaluated.

    >>> prepend_induction_holds()
    True
    """
    drive, tanh0 = prepend_invariance_proof()
    return bool(drive.lhs.doit() == drive.rhs and sympy.tanh(0) == tanh0.rhs)


def prepend_unrolled_difference(H: int = 2, D: int = 1, T: int = 2, n_pre: int = 2):
    r"""Explicit unrolling: $h^{\rm pre}_{n_{\rm pre}+t}-h_t$ for t = 1..T with symbolic W, U, x.

    Every entry is identically zero (no simplification needed: $\tanh(0)$ evaluates to 0).

    >>> all(d.is_zero_matrix for d in prepend_unrolled_difference())
    True
    """
    W, U, _, _ = symbolic_weights(H, D)
    xs = [sympy.Matrix(D, 1, lambda i, j, t=t: Symbol(f"x_{t}{i}", real=True)) for t in range(1, T + 1)]
    plain = unrolled_states(W, U, xs)
    pre = unrolled_states(W, U, [sympy.zeros(D, 1)] * n_pre + xs)
    return [pre[n_pre + t] - plain[t] for t in range(1, T + 1)]


def tanh_difference_identity():
    r"""$\tanh(A+\delta)-\tanh A-\dfrac{\sinh\delta}{\cosh(A+\delta)\cosh A}$, which simplifies to 0.

    Since $\cosh>0$ and $\sinh\delta=0$ iff $\delta=0$ (real), the difference vanishes iff
    $\delta=0$: the strict monotonicity behind claim ``geometry.prepend_breaks_with_bias``.

    >>> tanh_difference_identity()
    0
    """
    A, d = symbols("A delta", real=True)
    expr = sympy.tanh(A + d) - sympy.tanh(A) - sympy.sinh(d) / (sympy.cosh(A + d) * sympy.cosh(A))
    return sympy.simplify(expr.rewrite(sympy.exp))


def bias_break_difference():
    r"""H = 1 with bias b: the first post-prepend state minus the plain first state.

    After one blank step the state is $\tanh b$, so the difference is
    $\tanh(A+\delta)-\tanh A$ with $A=ux+b$ and $\delta=w\tanh b$; by
    :func:`tanh_difference_identity` it equals $\sinh\delta/(\cosh(A+\delta)\cosh A)$, nonzero iff
    $w\tanh b\ne0$. Returns ``(difference, closed form)`` in the symbols w, u, x, b.
    """
    w, u, x, b = symbols("w u x b", real=True)
    h_pre = sympy.tanh(b)  # state after one blank step from h0 = 0
    diff = sympy.tanh(w * h_pre + u * x + b) - sympy.tanh(u * x + b)
    A, delta = u * x + b, w * sympy.tanh(b)
    closed = sympy.sinh(delta) / (sympy.cosh(A + delta) * sympy.cosh(A))
    return diff, closed


def append_statement():
    r"""$h_{T+1}=\tanh(Wh_T)$ and $h_{T+1}-h_T=\tanh(Wh_T)-h_T$, zero iff $h_T$ is a fixed point."""
    H = Symbol("H", integer=True, positive=True)
    W, hT = MatrixSymbol("W", H, H), MatrixSymbol("h_T", H, 1)
    tanh = Function("tanh")
    return Eq(MatrixSymbol("h_{T+1}", H, 1), tanh(W * hT), evaluate=False)


# ----------------------------------------------------------------------------------------------
# BPTT
# ----------------------------------------------------------------------------------------------
def _tiny_problem(H, D, T, C, y):
    W, U, V, c = symbolic_weights(H, D, C)
    xs = [sympy.Matrix(D, 1, lambda i, j, t=t: Symbol(f"x_{t}{i}", real=True)) for t in range(1, T + 1)]
    hs = unrolled_states(W, U, xs)
    z = V * hs[-1] + c
    S = sum(sympy.exp(z[k]) for k in range(C))
    loss = -(z[y] - sympy.log(S))
    p = sympy.Matrix([sympy.exp(z[k]) / S for k in range(C)])
    return W, U, V, c, xs, hs, loss, p


def loss_gradient_symbolic(H: int = 2, D: int = 1, T: int = 2, C: int = 2, y: int = 0):
    r"""SymPy's own derivative of the single-sample cross-entropy
    $-\log\mathrm{softmax}(Vh_T+c)_y$ with respect to W, U, V, c (explicit sizes).

    Returns ``(params, grads, xs)``: dicts of explicit matrices keyed W, U, V, c and the input list.
    """
    W, U, V, c, xs, hs, loss, _ = _tiny_problem(H, D, T, C, y)
    params = {"W": W, "U": U, "V": V, "c": c}
    grads = {k: M.applyfunc(lambda e: sympy.diff(loss, e)) for k, M in params.items()}
    return params, grads, xs


def bptt_gradients(H: int = 2, D: int = 1, T: int = 2, C: int = 2, y: int = 0):
    r"""The BPTT recursion of claim ``geometry.bptt_gradient`` for one sample, evaluated symbolically.

    $\delta_T=V^{\mathsf T}(p-e_y)$; for $t=T..1$: $a_t=\delta_t\odot(1-h_t^2)$,
    $\partial W\mathrel{+}=a_th_{t-1}^{\mathsf T}$, $\partial U\mathrel{+}=a_tx_t^{\mathsf T}$,
    $\delta_{t-1}=W^{\mathsf T}a_t$; $\partial V=(p-e_y)h_T^{\mathsf T}$, $\partial c=p-e_y$.
    """
    W, U, V, c, xs, hs, _, p = _tiny_problem(H, D, T, C, y)
    g = p.copy()
    g[y] -= 1
    gW, gU = sympy.zeros(H, H), sympy.zeros(H, D)
    delta = V.T * g
    for t in range(T, 0, -1):
        a = delta.multiply_elementwise(hs[t].applyfunc(lambda e: 1 - e ** 2))
        gW += a * hs[t - 1].T
        gU += a * xs[t - 1].T
        delta = W.T * a
    return {"W": W, "U": U, "V": V, "c": c}, {"W": gW, "U": gU, "V": g * hs[-1].T, "c": g}, xs


@lru_cache(maxsize=4)
def bptt_residuals(H: int = 2, D: int = 1, T: int = 2, C: int = 2, y: int = 0):
    r"""Entrywise ``expand(diff(loss) - BPTT)`` for the tiny problem (H = 2, D = 1, T = 2,
    C = 2); every entry is 0 (claim ``geometry.bptt_gradient``).

    >>> all(r == 0 for r in bptt_residuals(2, 1, 1, 2))
    True
    """
    _, direct, _ = loss_gradient_symbolic(H, D, T, C, y)
    _, bptt, _ = bptt_gradients(H, D, T, C, y)
    return tuple(sympy.expand(direct[k][i] - bptt[k][i])
                 for k in ("W", "U", "V", "c") for i in range(len(direct[k])))


def bptt_equations():
    r"""The BPTT recursion as SymPy equalities with MatrixSymbols (for the LaTeX export)."""
    H, C = (Symbol(s, integer=True, positive=True) for s in ("H", "C"))
    V, W = MatrixSymbol("V", C, H), MatrixSymbol("W", H, H)
    p, e = MatrixSymbol("p", C, 1), MatrixSymbol("e_y", C, 1)
    a, h = MatrixSymbol("a_t", H, 1), MatrixSymbol("h_t", H, 1)
    t, T = Symbol("t", integer=True, positive=True), Symbol("T", integer=True, positive=True)
    return [
        Eq(MatrixSymbol(r"\delta_T", H, 1), V.T * (p - e), evaluate=False),
        Eq(a, sympy.hadamard_product(MatrixSymbol(r"\delta_t", H, 1),
                                     sympy.OneMatrix(H, 1) - sympy.hadamard_product(h, h)), evaluate=False),
        Eq(MatrixSymbol(r"\delta_{t-1}", H, 1), W.T * a, evaluate=False),
        Eq(Symbol(r"\frac{\partial L}{\partial W}"),
           Sum(Symbol("a_t", commutative=False) * Symbol("h_{t-1}^{T}", commutative=False), (t, 1, T)),
           evaluate=False),
        Eq(Symbol(r"\frac{\partial L}{\partial U}"),
           Sum(Symbol("a_t", commutative=False) * Symbol("x_{t}^{T}", commutative=False), (t, 1, T)),
           evaluate=False),
        Eq(MatrixSymbol(r"\frac{\partial L}{\partial V}", C, H), (p - e) * MatrixSymbol("h_T", H, 1).T,
           evaluate=False),
        Eq(MatrixSymbol(r"\frac{\partial L}{\partial c}", C, 1), p - e, evaluate=False),
    ]


# ----------------------------------------------------------------------------------------------
# Measures
# ----------------------------------------------------------------------------------------------
def participation_ratio(eigs):
    r"""$\mathrm{PR}=(\sum_i\mu_i)^2/\sum_i\mu_i^2$ for a list of (symbolic or numeric) eigenvalues.

    >>> participation_ratio([1, 1, 1])
    3
    """
    eigs = [sympy.sympify(m) for m in eigs]
    return sympy.together(sum(eigs) ** 2 / sum(m ** 2 for m in eigs))


def participation_ratio_general():
    r"""$\mathrm{PR}=(\sum_{i=0}^{r-1}\mu_i)^2/\sum_{i=0}^{r-1}\mu_i^2$ for symbolic r (IndexedBase).

    Returns ``(mu, r, expr)``; ``lambdify((mu, r), expr)`` evaluates it on any eigenvalue array.
    """
    mu, i = IndexedBase("mu"), Symbol("i", integer=True, nonnegative=True)
    r = Symbol("r", integer=True, positive=True)
    return mu, r, Sum(mu[i], (i, 0, r - 1)) ** 2 / Sum(mu[i] ** 2, (i, 0, r - 1))


def lagrange_identity(r: int):
    r"""$r\sum\mu_i^2-(\sum\mu_i)^2-\sum_{i<j}(\mu_i-\mu_j)^2$, expanded: 0 for every explicit r.

    It gives $\mathrm{PR}\le r$ with equality iff the r nonzero eigenvalues are equal.

    >>> [lagrange_identity(r) for r in (1, 2, 5)]
    [0, 0, 0]
    """
    mu = symbols(f"mu0:{r}", nonnegative=True)
    pairs = sum((mu[i] - mu[j]) ** 2 for i in range(r) for j in range(i + 1, r))
    return sympy.expand(r * sum(m ** 2 for m in mu) - sum(mu) ** 2 - pairs)


def pr_lower_identity(r: int):
    r"""$(\sum\mu_i)^2-\sum\mu_i^2-2\sum_{i<j}\mu_i\mu_j$, expanded: 0, so $\mathrm{PR}\ge1$ for
    $\mu_i\ge0$ (the cross terms are non-negative).

    >>> pr_lower_identity(4)
    0
    """
    mu = symbols(f"mu0:{r}", nonnegative=True)
    cross = sum(mu[i] * mu[j] for i in range(r) for j in range(i + 1, r))
    return sympy.expand(sum(mu) ** 2 - sum(m ** 2 for m in mu) - 2 * cross)


def _dist(p, q):
    return sympy.sqrt(sum((a - b) ** 2 for a, b in zip(p, q)))


def distance_ratio(points_by_class):
    r"""The toolkit's $R=\mathrm{mean}_{a<b}\|c_a-c_b\|/\mathrm{mean}_a\mathrm{mean}_{i\in a}\|h_i-c_a\|$
    for explicit point lists (one list of coordinate tuples per class)."""
    cents = [tuple(sum(col) / len(pts) for col in zip(*pts)) for pts in points_by_class]
    k = len(cents)
    between = sum(_dist(cents[a], cents[b]) for a in range(k) for b in range(a + 1, k)) / (k * (k - 1) / 2)
    within = sum(sum(_dist(p, cents[a]) for p in pts) / len(pts)
                 for a, pts in enumerate(points_by_class)) / k
    return between / within


def distance_ratio_invariance_residuals():
    r"""Why R is invariant (claim ``geometry.class_distance_ratio``), as residuals that are all 0.

    R depends on the data only through distances between points and class centroids. So it suffices
    that (1) a rotation by θ followed by a shift maps centroids to centroids (the map is affine and
    the centroid is an average) and (2) preserves squared distances (2-D, symbolic points);
    (3) $R(sX)=R(X)$ for $s>0$ (degree-0 homogeneity) and (4) swapping the two class labels leaves R
    unchanged, both on explicit symbolic 2-class, 2-D data.

    >>> distance_ratio_invariance_residuals()
    (0, 0, 0, 0)
    """
    th = Symbol("theta", real=True)
    s = Symbol("s", positive=True)
    sx, sy = symbols("s_x s_y", real=True)

    def g(p):
        return (sympy.cos(th) * p[0] - sympy.sin(th) * p[1] + sx, sympy.sin(th) * p[0] + sympy.cos(th) * p[1] + sy)

    p, q, r = (symbols(f"{n}x {n}y", real=True) for n in "pqr")
    cent = tuple((a + b + c) / 3 for a, b, c in zip(p, q, r))
    cent_g = tuple((a + b + c) / 3 for a, b, c in zip(g(p), g(q), g(r)))
    centroid_res = sympy.expand(sum((a - b) ** 2 for a, b in zip(cent_g, g(cent))))
    d2 = lambda u, v: sum((a - b) ** 2 for a, b in zip(u, v))  # noqa: E731
    # sin²θ + cos²θ = 1 is the only identity needed.
    distance_res = sympy.expand(sympy.expand(d2(g(p), g(q)) - d2(p, q)).subs(sympy.sin(th) ** 2, 1 - sympy.cos(th) ** 2))
    pts = [[symbols(f"p{a}{i}x p{a}{i}y", real=True) for i in range(2)] for a in range(2)]
    R = distance_ratio(pts)
    scale_res = sympy.cancel(distance_ratio([[(s * u[0], s * u[1]) for u in cls] for cls in pts]) - R)
    swap_res = sympy.simplify(distance_ratio(pts[::-1]) - R)
    return centroid_res, distance_res, scale_res, swap_res


def distance_ratio_definition():
    r"""$R$ as a SymPy relation with indexed centroids (LaTeX export)."""
    a, b, i, K = symbols("a b i K", integer=True)
    c = IndexedBase("c")
    h = IndexedBase("h")
    n = IndexedBase("n")
    norm = Function("norm")
    between = Sum(Sum(norm(c[a] - c[b]), (b, a + 1, K)), (a, 1, K)) / (K * (K - 1) / 2)
    within = Sum(Sum(norm(h[i] - c[a]), (i, 1, n[a])) / n[a], (a, 1, K)) / K
    return Eq(Symbol("R"), between / within, evaluate=False)


# ----------------------------------------------------------------------------------------------
# Claim statements (SymPy relations, evaluate=False)
# ----------------------------------------------------------------------------------------------
def _ms():
    H, D = Symbol("H", integer=True, positive=True), Symbol("D", integer=True, positive=True)
    return H, D, MatrixSymbol("W", H, H), MatrixSymbol("U", H, D)


def recurrence_statement():
    r"""$h_t=\tanh(Wh_{t-1}+Ux_t)$."""
    H, D, W, U = _ms()
    tanh = Function("tanh")
    return Eq(MatrixSymbol("h_t", H, 1),
              tanh(W * MatrixSymbol("h_{t-1}", H, 1) + U * MatrixSymbol("x_t", D, 1)), evaluate=False)


def zero_state_statement():
    r"""$\tanh(W\cdot0)=0$ and $Df(0)=W$, stated as $Df(0)=W$."""
    H, _, W, _ = _ms()
    return Eq(Function("Df")(ZeroMatrix(H, 1)), W, evaluate=False)


def stability_statement():
    r"""$\|f^t(h)\|\le\|W\|_2^{\,t}\|h\|$."""
    t = Symbol("t", integer=True, nonnegative=True)
    Wn, hn = Symbol(r"\left\|W\right\|_{2}", positive=True), Symbol(r"\left\|h\right\|", positive=True)
    return Le(Symbol(r"\left\|f^{t}(h)\right\|", nonnegative=True), Wn ** t * hn, evaluate=False)


def prepend_statement():
    r"""$h^{\rm pre}_{n_{\rm pre}+t}=h_t$."""
    H = Symbol("H", integer=True, positive=True)
    return Eq(MatrixSymbol(r"h^{pre}_{n_{pre}+t}", H, 1), MatrixSymbol("h_t", H, 1), evaluate=False)


def bias_break_statement():
    r"""$\tanh(W\tanh b+Ux_1+b)\ne\tanh(Ux_1+b)$ (generic W)."""
    H, D, W, U = _ms()
    b, x = MatrixSymbol("b", H, 1), MatrixSymbol("x_1", D, 1)
    tanh = Function("tanh")
    tanh_b = MatrixSymbol(r"\tanh(b)", H, 1)  # the state after one blank step, tanh(b)
    return Ne(tanh(W * tanh_b + U * x + b), tanh(U * x + b), evaluate=False)


def bptt_statement():
    r"""$\delta_{t-1}=W^{\mathsf T}(\delta_t\odot(1-h_t\odot h_t))$."""
    H, _, W, _ = _ms()
    h = MatrixSymbol("h_t", H, 1)
    a = sympy.hadamard_product(MatrixSymbol(r"\delta_t", H, 1),
                               sympy.OneMatrix(H, 1) - sympy.hadamard_product(h, h))
    return Eq(MatrixSymbol(r"\delta_{t-1}", H, 1), W.T * a, evaluate=False)


def pr_statement():
    r"""$1\le\mathrm{PR}\le\mathrm{rank}\,C$, shown as $\mathrm{PR}=(\sum\mu)^2/\sum\mu^2\le r$."""
    i, r = symbols("i r", integer=True, positive=True)
    mu = IndexedBase("mu")
    pr = Sum(mu[i], (i, 1, r)) ** 2 / Sum(mu[i] ** 2, (i, 1, r))
    return Le(pr, r, evaluate=False)


def distance_ratio_statement():
    """The definition of R (its invariances are in the claim's hypotheses)."""
    return distance_ratio_definition()


# ----------------------------------------------------------------------------------------------
# rnnproof derive geometry[.sub]
# ----------------------------------------------------------------------------------------------
TOPICS = {
    "geometry": "bias-free tanh RNN: recurrence, zero-state fixed point, prepend/append, BPTT, measures",
    "geometry.dynamics": "zero-input map, its Jacobian (= W at the origin), |tanh a| <= |a|, contraction bound",
    "geometry.prepend": "prepending blank steps changes nothing without bias; the bias breaks it; appending",
    "geometry.bptt": "backpropagation-through-time equations and the tiny-size SymPy cross-check",
    "geometry.measures": "participation ratio (Lagrange identity, bounds) and the class distance ratio",
}


def derivations(topic: str, n=None, activation=None):
    """The (label, SymPy object) list behind ``rnnproof derive geometry[.sub]``.

    ``n`` (1..4) sets the explicit hidden size of the Jacobian; ``activation`` must be tanh (or None).

    >>> [label for label, _ in derivations("geometry.measures")][:1]
    ['participation ratio']
    """
    if activation not in (None, "tanh", "generic"):
        raise TopicError(f"the geometry derivations are for tanh only, got activation={activation!r}")
    if n is not None and not 1 <= n <= 4:
        raise TopicError(f"--n must lie in 1..4 for the geometry derivations, got {n}")
    H = 2 if n is None else n
    items = []
    if topic in ("geometry", "geometry.dynamics"):
        W = symbolic_weights(H, 1)[0]
        hs = sympy.Matrix(H, 1, lambda i, j: Symbol(f"h_{i}"))
        a = Symbol("a", real=True)
        items += [
            ("recurrence", recurrence_statement()),
            (f"Jacobian of tanh(W h), H = {H}", Derivation("Df(h)", autonomous_jacobian(W, hs), lhs=Symbol("Df(h)"))),
            ("Jacobian at the origin", Derivation("Df(0)", autonomous_jacobian(W, sympy.zeros(H, 1)), lhs=Symbol("Df(0)"))),
            ("d/da (a - tanh a)", Derivation("g'", sympy.simplify(sympy.diff(a - sympy.tanh(a), a)), lhs=Symbol("g'(a)"))),
            ("contraction bound", stability_statement()),
        ]
    if topic in ("geometry", "geometry.prepend"):
        diff, closed = bias_break_difference()
        items += [
            ("prepend invariance (no bias, h0 = 0)", prepend_statement()),
            ("induction step", prepend_invariance_proof()[0]),
            ("with bias, H = 1: first-state difference", Eq(diff, closed, evaluate=False)),
            ("appending a blank step", append_statement()),
        ]
    if topic in ("geometry", "geometry.bptt"):
        items += [(f"BPTT {i + 1}", e) for i, e in enumerate(bptt_equations())]
    if topic in ("geometry", "geometry.measures"):
        mu = symbols("mu1:4", nonnegative=True)
        items += [
            ("participation ratio", Derivation("PR", participation_ratio(mu), lhs=Symbol("PR"))),
            ("bounds", pr_statement()),
            ("distance ratio", distance_ratio_definition()),
        ]
    return items
