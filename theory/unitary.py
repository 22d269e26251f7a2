r"""Symbolic side of Emami, Sahraee-Ardakan, Rangan & Fletcher (NeurIPS 2019, arXiv:1910.13672).

SymPy only. Every function returns SymPy objects or small proof records; nothing here imports
``numerics``.

Dilation (claims ``unitary.halmos_dilation``, ``unitary.reduced_n_plus_r``)
    halmos_dilation_symbolic()       -- BlockMatrix with MatrixSymbols, lemmas, ``prove_orthogonal()``
    intertwining_monomials(kmax)     -- $W^{\mathsf T}(WW^{\mathsf T})^k=(W^{\mathsf T}W)^kW^{\mathsf T}$ as words
    scalar_dilation(w)               -- the 2×2 reflection $[[w,\sqrt{1-w^2}],[\sqrt{1-w^2},-w]]$
    cayley(S), rational_orthogonal(n, seed, det), gaussian_unitary(n, seed), pythagorean_pairs(k)
    svd_dilation(U, pairs, V), reduced_dilation_exact(U, pairs, V), is_orthogonal(Q)
    expansive_obstruction()          -- Gram identity behind ``unitary.no_dilation_if_expansive``
Bounds and construction (``unitary.state_bound``, ``unitary.extra_block_silent``, Theorem 1)
    state_bound_recurrence()         -- ``rsolve`` closed form of $u_k$, $H^*$, $\beta_T$
    forgetting_bound()               -- $(L\rho)^{k+1}$ induction
    theorem1_block_step()            -- the block pre-activation identity (MatrixSymbols)
    urnn_parameters_symbolic()       -- $(\tilde W,\tilde F,\tilde b,\tilde C,\tilde h_{-1})$
    reparam_identity_proof(), reparam_relu_check(n)
Tightness and smooth activations (Theorems 2 and 3)
    tightness_jacobians(), tightness_n1_exhaustive(), dimension_lemma_exact(n, seed)
    smooth_linearization_det(m, seed), krylov_invariance_exact(A, B)
    memoryless_no_readout_exact(m, seed), memoryless_subspace_recursion()
    hankel_condition_exact(A, B, C), sigmoid_slope_max(), relu_contrast_powers(n)
Experiments
    optimal_r2(snr_db), optimal_r2_derivation(), teacher_spectrum(), rotation_distance()
``TOPICS`` / ``derivations`` feed ``rnnproof derive unitary[...]``.

Examples
--------
>>> proof = halmos_dilation_symbolic().prove_orthogonal()
>>> proof.holds
True
>>> Q = rational_orthogonal(3, seed=1, det=-1)
>>> is_orthogonal(Q), Q.det()
(True, -1)
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

import sympy as sp
from sympy import (BlockMatrix, Eq, Identity, MatrixSymbol, OneMatrix, Rational, ZeroMatrix,
                   block_collapse)

from ._common import Derivation, TopicError

__all__ = [
    "HalmosDilation", "halmos_dilation_symbolic", "intertwining_monomials", "scalar_dilation",
    "cayley", "rational_orthogonal", "gaussian_unitary", "signed_permutation", "pythagorean_pairs",
    "svd_dilation", "reduced_dilation_exact", "reduced_dilation_symbolic", "is_orthogonal", "expansive_obstruction",
    "state_bound_recurrence", "forgetting_bound", "theorem1_block_step", "urnn_parameters_symbolic",
    "reparam_identity_proof", "reparam_relu_check", "nonexpansive_isometry", "tightness_jacobians",
    "tightness_n1_exhaustive", "dimension_lemma_exact", "smooth_linearization_det",
    "krylov_invariance_exact", "memoryless_no_readout_exact", "memoryless_subspace_recursion",
    "hankel_condition_exact", "sigmoid_slope_max", "relu_contrast_powers", "optimal_r2",
    "optimal_r2_derivation", "teacher_spectrum", "rotation_distance", "complex_scalar_unitary",
    "extra_block_chain", "TOPICS", "derivations",
]

n = sp.Symbol("n", integer=True, positive=True)


# -- non-commutative word rewriting (the proof engine for block identities) -----------------------
def _terms(expr) -> dict:
    """``{word: coefficient}`` of a matrix expression; a word is a tuple of factors, () is I."""
    expr = sp.expand(expr)
    out: dict = {}
    if isinstance(expr, ZeroMatrix) or expr == 0:
        return out
    for term in (expr.args if isinstance(expr, sp.MatAdd) else (expr,)):
        coeff, factors = (term.as_coeff_mmul() if isinstance(term, sp.MatMul) else (1, (term,)))
        if isinstance(factors, sp.MatMul):
            factors = factors.args
        word = []
        for f in factors:
            if isinstance(f, sp.MatPow) and f.exp.is_Integer and f.exp > 0:
                word.extend([f.base] * int(f.exp))
            elif isinstance(f, Identity):
                continue
            elif isinstance(f, ZeroMatrix):
                word = None
                break
            else:
                word.append(f)
        if word is None:
            continue
        key = tuple(word)
        out[key] = sp.expand(out.get(key, 0) + coeff)
    return {w: c for w, c in out.items() if c != 0}


def _rewrite(terms: dict, subst: dict, rules: list, limit: int = 200) -> dict:
    """Apply factor substitutions ``subst`` and subword rules ``(lhs, [(coeff, word), ...])``."""
    terms = {tuple(subst.get(f, f) for f in w): c for w, c in terms.items()}
    merged: dict = {}
    for w, c in terms.items():
        merged[w] = sp.expand(merged.get(w, 0) + c)
    terms = merged
    for _ in range(limit):
        changed = False
        new: dict = {}
        for word, coeff in terms.items():
            hit = None
            for lhs, rhs in rules:
                L = len(lhs)
                for i in range(len(word) - L + 1):
                    if word[i:i + L] == lhs:
                        hit = (i, L, rhs)
                        break
                if hit:
                    break
            if hit is None:
                new[word] = sp.expand(new.get(word, 0) + coeff)
                continue
            i, L, rhs = hit
            changed = True
            for c2, w2 in rhs:
                key = word[:i] + tuple(w2) + word[i + L:]
                new[key] = sp.expand(new.get(key, 0) + coeff * c2)
        terms = {w: c for w, c in new.items() if c != 0}
        if not changed:
            return terms
    raise RuntimeError("rewriting did not terminate")


def _to_expr(terms: dict, size):
    if not terms:
        return ZeroMatrix(size, size)
    parts = [c * (Identity(size) if not w else sp.MatMul(*w)) for w, c in terms.items()]
    return sp.MatAdd(*parts) if len(parts) > 1 else parts[0]


# -- the Halmos dilation -----------------------------------------------------------------------
@dataclass
class HalmosProof:
    """Step list of the orthogonality proof: ``(block, expanded product, after the lemmas)``."""

    steps: list = field(default_factory=list)
    holds: bool = False

    def __str__(self):
        return "\n".join(f"{lbl}: {before}  ->  {after}" for lbl, before, after in self.steps)


@dataclass
class HalmosDilation:
    r"""$\tilde W=\begin{bmatrix}W&S_l\\S_r&-W^{\mathsf T}\end{bmatrix}$ for general $n$ (MatrixSymbols).

    Lemmas (claim ``unitary.halmos_dilation``): (1) $S_r^2=I-W^{\mathsf T}W$,
    $S_l^2=I-WW^{\mathsf T}$; (2) $S_r^{\mathsf T}=S_r$, $S_l^{\mathsf T}=S_l$; (3) intertwining
    $W^{\mathsf T}S_l=S_rW^{\mathsf T}$ and $S_lW=WS_r$."""

    W: MatrixSymbol
    Sl: MatrixSymbol
    Sr: MatrixSymbol
    matrix: BlockMatrix
    lemmas: list

    def _subst_rules(self):
        W, Sl, Sr = self.W, self.Sl, self.Sr
        subst = {Sr.T: Sr, Sl.T: Sl}
        rules = [((Sr, Sr), [(1, ()), (-1, (W.T, W))]),
                 ((Sl, Sl), [(1, ()), (-1, (W, W.T))]),
                 ((W.T, Sl), [(1, (Sr, W.T))]),
                 ((Sl, W), [(1, (W, Sr))])]
        return subst, rules

    def prove_orthogonal(self) -> HalmosProof:
        """Reduce every block of $\\tilde W^{\\mathsf T}\\tilde W$ and $\\tilde W\\tilde W^{\\mathsf T}$."""
        subst, rules = self._subst_rules()
        proof = HalmosProof()
        ok = True
        for name, prod in (("WtᵀWt", self.matrix.T * self.matrix), ("Wt Wtᵀ", self.matrix * self.matrix.T)):
            G = block_collapse(prod)
            for i, j in itertools.product(range(2), range(2)):
                block = G.blocks[i, j]
                reduced = _rewrite(_terms(block), subst, rules)
                expected = {(): 1} if i == j else {}
                ok &= reduced == expected
                proof.steps.append((f"{name}[{i + 1},{j + 1}]", block, _to_expr(reduced, self.W.shape[0])))
        proof.holds = bool(ok)
        return proof


def halmos_dilation_symbolic(size=None) -> HalmosDilation:
    """The Halmos dilation with its three declared lemmas; ``size`` (an int) fixes n, default general n."""
    size = n if size is None else size
    W, Sl, Sr = (MatrixSymbol(s, size, size) for s in ("W", "S_l", "S_r"))
    Wt = BlockMatrix([[W, Sl], [Sr, -W.T]])
    I = Identity(size)
    lemmas = [Eq(Sr * Sr, I - W.T * W, evaluate=False), Eq(Sl * Sl, I - W * W.T, evaluate=False),
              Eq(Sr.T, Sr, evaluate=False), Eq(Sl.T, Sl, evaluate=False),
              Eq(W.T * Sl, Sr * W.T, evaluate=False), Eq(Sl * W, W * Sr, evaluate=False)]
    return HalmosDilation(W, Sl, Sr, Wt, lemmas)


def intertwining_monomials(kmax: int = 5) -> bool:
    r"""$W^{\mathsf T}(WW^{\mathsf T})^k=(W^{\mathsf T}W)^kW^{\mathsf T}$ as non-commutative words, $k\le$ ``kmax``.

    >>> intertwining_monomials(3)
    True
    """
    W = MatrixSymbol("W", n, n)
    for k in range(kmax + 1):
        lhs = _terms(sp.MatMul(W.T, *([W, W.T] * k)) if k else W.T)
        rhs = _terms(sp.MatMul(*([W.T, W] * k), W.T) if k else W.T)
        if lhs != rhs:
            return False
    return True


def scalar_dilation(w=None) -> sp.Matrix:
    r"""$\begin{bmatrix}w&\sqrt{1-w^2}\\\sqrt{1-w^2}&-w\end{bmatrix}$ (orthogonal for real $|w|\le1$).

    >>> Q = scalar_dilation()
    >>> sp.simplify(Q.T * Q - sp.eye(2)) == sp.zeros(2)
    True
    """
    w = sp.Symbol("w", real=True) if w is None else sp.sympify(w)
    s = sp.sqrt(1 - w ** 2)
    return sp.Matrix([[w, s], [s, -w]])


def complex_scalar_unitary() -> bool:
    r"""$[[w,s],[s,-\bar w]]$ with $s=\sqrt{1-|w|^2}$ is unitary for complex $|w|\le1$."""
    a, b, s = sp.symbols("a b s", real=True)
    w = a + sp.I * b
    Q = sp.Matrix([[w, s], [s, -sp.conjugate(w)]])
    lemma = {s ** 2: 1 - a ** 2 - b ** 2}  # s = sqrt(1 - |w|^2) is real for |w| <= 1
    return all(sp.expand(sp.expand(e).subs(lemma)) == 0
               for P in (Q.H * Q, Q * Q.H) for e in (P - sp.eye(2)))


def cayley(S: sp.Matrix) -> sp.Matrix:
    r"""Cayley transform $Q=(I-S)(I+S)^{-1}$: orthogonal (unitary) for skew-symmetric (skew-Hermitian) $S$, $\det Q=1$ in the real case."""
    I = sp.eye(S.shape[0])
    return (I - S) * (I + S).inv()


def _rng(seed):
    return random.Random(seed)


def rational_orthogonal(n_: int, seed: int = 0, det: int = 1) -> sp.Matrix:
    """An exactly rational orthogonal n×n matrix (Cayley of a random small-integer skew matrix).

    ``det=-1`` composes with a signed permutation (reaching eigenvalue -1, which no Cayley image has).
    """
    r = _rng(seed)
    S = sp.zeros(n_)
    for i in range(n_):
        for j in range(i + 1, n_):
            v = Rational(r.randint(-4, 4), r.randint(1, 3))
            S[i, j], S[j, i] = v, -v
    Q = cayley(S)
    if det == -1:
        Q = signed_permutation(n_, seed) * Q
        if Q.det() != -1:
            Q = sp.diag(-1, *([1] * (n_ - 1))) * Q
    elif det != 1:
        raise ValueError(f"det must be +1 or -1, got {det}")
    return Q


def signed_permutation(n_: int, seed: int = 0) -> sp.Matrix:
    """A random signed permutation matrix with determinant -1."""
    r = _rng(seed + 7919)
    perm = list(range(n_))
    r.shuffle(perm)
    P = sp.zeros(n_)
    for i, j in enumerate(perm):
        P[i, j] = r.choice((-1, 1))
    if P.det() == 1:
        P[0, :] = -P[0, :]
    return P


def gaussian_unitary(n_: int, seed: int = 0) -> sp.Matrix:
    """A unitary matrix with Gaussian-rational entries (Cayley of a skew-Hermitian S)."""
    r = _rng(seed)
    S = sp.zeros(n_)
    for i in range(n_):
        S[i, i] = sp.I * Rational(r.randint(-3, 3), r.randint(1, 2))
        for j in range(i + 1, n_):
            v = Rational(r.randint(-3, 3), r.randint(1, 2)) + sp.I * Rational(r.randint(-3, 3), 2)
            S[i, j], S[j, i] = v, -sp.conjugate(v)
    I = sp.eye(n_)
    A, B = _dm(I - S).to_field(), _dm(I + S).to_field()
    dom = A.domain.unify(B.domain)
    return (A.convert_to(dom) * B.convert_to(dom).inv()).to_Matrix()


def pythagorean_pairs(k: int, include_one: bool = False, include_zero: bool = False) -> list:
    r"""``k`` pairs $(\sigma,\sqrt{1-\sigma^2})$ with both rational: $((p^2-q^2)/(p^2+q^2),\,2pq/(p^2+q^2))$."""
    base = [(2, 1), (3, 2), (4, 1), (4, 3), (5, 2), (5, 4), (6, 1), (7, 2)]
    pairs = [(Rational(p * p - q * q, p * p + q * q), Rational(2 * p * q, p * p + q * q)) for p, q in base]
    extra = ([(Rational(1), Rational(0))] if include_one else []) + \
            ([(Rational(0), Rational(1))] if include_zero else [])
    out = extra + pairs
    return out[:k]


def svd_dilation(U: sp.Matrix, pairs: list, V: sp.Matrix) -> dict:
    r"""Exact $W=U\Sigma V^{\mathsf H}$, $S_l=USU^{\mathsf H}$, $S_r=VSV^{\mathsf H}$ and $\tilde W$ (rational or Gaussian-rational)."""
    Sig = sp.diag(*[p[0] for p in pairs])
    S = sp.diag(*[p[1] for p in pairs])
    W = _mul(U, Sig, V.H)
    Sl = _mul(U, S, U.H)
    Sr = _mul(V, S, V.H)
    Wt = sp.Matrix(sp.BlockMatrix([[W, Sl], [Sr, -W.H]]).as_explicit())
    return {"W": W, "Sl": Sl, "Sr": Sr, "Wt": Wt, "Sl2_ok": _mul(Sl, Sl) == sp.eye(U.shape[0]) - _mul(W, W.H),
            "Sr2_ok": _mul(Sr, Sr) == sp.eye(U.shape[0]) - _mul(W.H, W)}


def _mul(*Ms) -> sp.Matrix:
    """Exact product over QQ or QQ_I (DomainMatrix: fast, and entries come back canonical)."""
    dms = [_dm(M) for M in Ms]
    dom = dms[0].domain
    for d in dms[1:]:
        dom = dom.unify(d.domain)
    out = dms[0].convert_to(dom)
    for d in dms[1:]:
        out = out * d.convert_to(dom)
    return out.to_Matrix()


def reduced_dilation_exact(U: sp.Matrix, pairs: list, V: sp.Matrix) -> dict:
    r"""$\tilde W_r=\begin{bmatrix}W&U_rS_r\\S_rV_r^{\mathsf T}&-\Sigma_r\end{bmatrix}$, $r=\#\{\sigma<1\}$, exactly."""
    Sig = sp.diag(*[p[0] for p in pairs])
    W = U * Sig * V.T
    keep = [i for i, p in enumerate(pairs) if p[0] < 1]
    r = len(keep)
    nn = U.shape[0]
    if r == 0:
        return {"W": W, "Wt": W, "r": 0, "gram": W.T * W}
    Ur = U.extract(list(range(nn)), keep)
    Vr = V.extract(list(range(nn)), keep)
    Sr = sp.diag(*[pairs[i][1] for i in keep])
    Sigr = sp.diag(*[pairs[i][0] for i in keep])
    Wt = sp.Matrix(sp.BlockMatrix([[W, Ur * Sr], [Sr * Vr.T, -Sigr]]).as_explicit())
    return {"W": W, "Wt": Wt, "r": r, "gram": W.T * W + Vr * Sr ** 2 * Vr.T}


def _dm(M: sp.Matrix):
    from sympy.polys.matrices import DomainMatrix
    return DomainMatrix.from_Matrix(M)


def is_orthogonal(Q: sp.Matrix) -> bool:
    """Exact check $Q^{\\mathsf H}Q=QQ^{\\mathsf H}=I$ (DomainMatrix arithmetic over QQ or QQ_I)."""
    A, AH = _dm(Q), _dm(Q.H)
    I = A.eye(Q.shape[0], A.domain)
    if AH.domain != A.domain:
        dom = A.domain.unify(AH.domain)
        A, AH, I = A.convert_to(dom), AH.convert_to(dom), I.convert_to(dom)
    return (AH * A) == I and (A * AH) == I


reduced_dilation_symbolic = reduced_dilation_exact


def expansive_obstruction():
    r"""If $[W;X]$ has orthonormal columns then $W^{\mathsf T}W+X^{\mathsf T}X=I$, so $I-W^{\mathsf T}W=X^{\mathsf T}X\succeq0$ and $\|W\|_2\le1$.

    Returns ``(gram, statement)``: the block-collapsed Gram matrix and the relation
    $v^{\mathsf T}(I-W^{\mathsf T}W)v=\|Xv\|^2\ge0$."""
    m = sp.Symbol("m", integer=True, positive=True)
    W, X = MatrixSymbol("W", n, n), MatrixSymbol("X", m, n)
    col = BlockMatrix([[W], [X]])
    gram = block_collapse(col.T * col)
    v = MatrixSymbol("v", n, 1)
    stmt = Eq(v.T * (Identity(n) - W.T * W) * v, (X * v).T * (X * v), evaluate=False)
    return gram, stmt


def nonexpansive_isometry() -> bool:
    r"""$\|\tilde Wv\|^2=v^{\mathsf T}\tilde W^{\mathsf T}\tilde Wv=v^{\mathsf T}v$ from $\tilde W^{\mathsf T}\tilde W=I$ (word rewriting)."""
    m = sp.Symbol("m", integer=True, positive=True)
    Wt, v = MatrixSymbol("Wt", m, m), MatrixSymbol("v", m, 1)
    terms = _terms((Wt * v).T * (Wt * v))
    return _rewrite(terms, {}, [((Wt.T, Wt), [(1, ())])]) == {(v.T, v): 1}


# -- bounds -------------------------------------------------------------------------------------
def state_bound_recurrence() -> dict:
    r"""``rsolve`` of $u_k=\rho u_{k-1}+c$, $u_{-1}=h$, and the derived bounds (claim ``unitary.state_bound``).

    Keys: ``u`` (rsolve), ``u_closed`` ($\rho^{k+1}h+c(1-\rho^{k+1})/(1-\rho)$), ``agree`` (their
    difference simplifies to 0), ``convex`` (0 iff $u_k=\lambda h+(1-\lambda)c/(1-\rho)$ with
    $\lambda=\rho^{k+1}$), ``H_star``, ``u_rho1`` ($h+(k+1)c$, the $\rho\to1$ limit), ``beta_T``.
    """
    rho, c, h = sp.symbols("rho c h", nonnegative=True)
    j = sp.Symbol("j", integer=True, nonnegative=True)
    k = sp.Symbol("k", integer=True)
    T = sp.Symbol("T", integer=True, positive=True)
    v = sp.Function("v")
    sol = sp.rsolve(v(j + 1) - rho * v(j) - c, v(j), {v(0): h})
    u = sol.subs(j, k + 1)
    closed = rho ** (k + 1) * h + c * (1 - rho ** (k + 1)) / (1 - rho)
    lam = rho ** (k + 1)
    convex = sp.simplify(closed - (lam * h + (1 - lam) * c / (1 - rho)))
    u1 = sp.limit(closed, rho, 1)
    return {"rho": rho, "c": c, "h": h, "k": k, "T": T, "u": u, "u_closed": closed,
            "agree": sp.simplify(u - closed) == 0, "convex": convex,
            "H_star": sp.Max(h, c / (1 - rho)), "u_rho1": u1,
            "beta_T": sp.Max(h, closed.subs(k, T - 2)), "beta_T_rho1": sp.expand(u1.subs(k, T - 2))}


def forgetting_bound() -> dict:
    r"""$e_k\le(L\rho)^{k+1}e_{-1}$: the bound sequence solves $b_k=L\rho\,b_{k-1}$, $b_{-1}=e$."""
    L, rho, e = sp.symbols("L rho e", nonnegative=True)
    k = sp.Symbol("k", integer=True)
    q = sp.Symbol("q", nonnegative=True)  # q = L rho
    b = q ** (k + 1) * e
    step = sp.powsimp(sp.expand(b - q * b.subs(k, k - 1)), force=True)
    b = b.subs(q, L * rho)
    return {"bound": b, "step_residual": step, "initial": sp.simplify(b.subs(k, -1) - e),
            "L": L, "rho": rho, "e": e, "k": k}


def extra_block_chain() -> dict:
    r"""$\|W_{21}\|_2^2=1-\sigma_{\min}^2\le1$ and $(1-\rho)H^*\ge c\Rightarrow\rho H^*+c\le H^*$ (claim ``unitary.extra_block_silent``).

    ``invariance`` is $(\rho H+c-H)+((1-\rho)H-c)$, which expands to 0."""
    rho, c, H, smin = sp.symbols("rho c H sigma_min", nonnegative=True)
    return {"w21_sq": 1 - smin ** 2, "w21_le_1": sp.simplify(1 - (1 - smin ** 2) - smin ** 2) == 0,
            "invariance": sp.expand((rho * H + c - H) + ((1 - rho) * H - c)),
            "margin": sp.Symbol("mu")}


def theorem1_block_step() -> dict:
    r"""Block pre-activation $\tilde W[h;0]+\tilde Fx+\tilde b=[Wh+Fx+b;\ W_{21}h-\beta\mathbf 1]$.

    General MatrixSymbols $W_{12}$, $W_{22}$ show they never enter (claims
    ``unitary.relu_equivalence_2n``, ``unitary.unused_block_freedom``)."""
    p = sp.Symbol("p", integer=True, positive=True)
    W, W12, W21, W22 = (MatrixSymbol(s, n, n) for s in ("W", "W_12", "W_21", "W_22"))
    F, x = MatrixSymbol("F", n, p), MatrixSymbol("x", p, 1)
    b, h = MatrixSymbol("b", n, 1), MatrixSymbol("h", n, 1)
    beta = sp.Symbol("beta", nonnegative=True)
    Wt = BlockMatrix([[W, W12], [W21, W22]])
    state = BlockMatrix([[h], [ZeroMatrix(n, 1)]])
    pre = block_collapse(Wt * state + BlockMatrix([[F], [ZeroMatrix(n, p)]]) * x
                         + BlockMatrix([[b], [-beta * OneMatrix(n, 1)]]))
    first = sp.expand(pre.blocks[0, 0] - (W * h + F * x + b))
    second = sp.expand(pre.blocks[1, 0] - (W21 * h - beta * OneMatrix(n, 1)))
    free = pre.free_symbols
    return {"preactivation": pre, "first_ok": _terms(first) == {}, "second_ok": _terms(second) == {},
            "free_blocks_absent": W12 not in free and W22 not in free,
            "output": block_collapse(BlockMatrix([[MatrixSymbol("C", p, n), ZeroMatrix(p, n)]]) * state)}


def urnn_parameters_symbolic() -> dict:
    r"""The Theorem 1 parameter block $\tilde W,\tilde F,\tilde b,\tilde C,\tilde h_{-1}$ (MatrixSymbols)."""
    p, q = sp.symbols("n_x n_y", integer=True, positive=True)
    W, Sl, Sr = (MatrixSymbol(s, n, n) for s in ("W", "S_l", "S_r"))
    F, b = MatrixSymbol("F", n, p), MatrixSymbol("b", n, 1)
    C, h = MatrixSymbol("C", q, n), MatrixSymbol("h_{-1}", n, 1)
    beta = sp.Symbol("beta", nonnegative=True)
    return {"W~": BlockMatrix([[W, Sl], [Sr, -W.T]]), "F~": BlockMatrix([[F], [ZeroMatrix(n, p)]]),
            "b~": BlockMatrix([[b], [-beta * OneMatrix(n, 1)]]), "C~": BlockMatrix([[C, ZeroMatrix(q, n)]]),
            "h~": BlockMatrix([[h], [ZeroMatrix(n, 1)]])}


def reparam_identity_proof():
    r"""$TWT^{-1}(Th)+TFx+Tb-T(Wh+Fx+b)$ and $CT^{-1}T-C$ both simplify to 0 (claim ``unitary.reparam_identity``).

    >>> [sp.simplify(e) for e in reparam_identity_proof()]
    [0, 0]
    """
    p = sp.Symbol("p", integer=True, positive=True)
    T, W = MatrixSymbol("T", n, n), MatrixSymbol("W", n, n)
    F, x = MatrixSymbol("F", n, p), MatrixSymbol("x", p, 1)
    b, h, C = MatrixSymbol("b", n, 1), MatrixSymbol("h", n, 1), MatrixSymbol("C", p, n)
    step = (T * W * T.I * (T * h) + T * F * x + T * b - T * (W * h + F * x + b)).doit().expand()
    out = (C * T.I * T - C).doit()
    return step, out


def reparam_relu_check(n_: int):
    r"""$\mathrm{ReLU}(DPz)=DP\,\mathrm{ReLU}(z)$ entrywise for positive $d_i$, every permutation and every sign pattern of $z$.

    Also returns an exact separating example for the generic $T=[[1,1],[0,1]]$.
    Returns ``(holds, counterexample)``."""
    d = sp.symbols(f"d1:{n_ + 1}", positive=True)
    a = sp.symbols(f"a1:{n_ + 1}", positive=True)
    relu = lambda v: v.applyfunc(lambda t: sp.Max(t, 0))  # noqa: E731
    ok = True
    for perm in itertools.permutations(range(n_)):
        P = sp.zeros(n_)
        for i, j in enumerate(perm):
            P[i, j] = 1
        DP = sp.diag(*d) * P
        for signs in itertools.product((1, -1), repeat=n_):
            z = sp.Matrix([s * ai for s, ai in zip(signs, a)])
            ok &= sp.simplify(relu(DP * z) - DP * relu(z)) == sp.zeros(n_, 1)
    T = sp.Matrix([[1, 1], [0, 1]])
    z = sp.Matrix([1, -1])
    sep = relu(T * z) - T * relu(z)
    return bool(ok), {"T": T, "z": z, "difference": sep}


# -- Theorem 2 ----------------------------------------------------------------------------------
def tightness_jacobians() -> dict:
    r"""Matching conditions (a) $\tilde CP_k\tilde F=I$, (b) $\tilde CP_{k+1}\tilde F=I$, (c) $\tilde CP_{k+1}\tilde WP_k\tilde F=0$ and $m\ge2n$."""
    m, s = sp.symbols("m s", integer=True, nonnegative=True)
    C, Pk, Pk1 = MatrixSymbol("C~", n, m), MatrixSymbol("P_k", m, m), MatrixSymbol("P_{k+1}", m, m)
    Wt, Ft = MatrixSymbol("W~", m, m), MatrixSymbol("F~", m, n)
    conds = [Eq(C * Pk * Ft, Identity(n), evaluate=False), Eq(C * Pk1 * Ft, Identity(n), evaluate=False),
             Eq(C * Pk1 * Wt * Pk * Ft, ZeroMatrix(n, n), evaluate=False)]
    jac = Eq(MatrixSymbol(r"\partial h^{(k+1)}/\partial x^{(k)}", m, n), Pk1 * Wt * Pk * Ft, evaluate=False)
    nn = sp.Symbol("n", integer=True, positive=True)
    arithmetic = sp.expand((s - nn) - (nn - (m - s))) == sp.expand(m - 2 * nn)
    return {"conditions": conds, "jacobian": jac, "arithmetic_ok": arithmetic,
            "conclusion": sp.Ge(m, 2 * nn, evaluate=False),
            "dimension": sp.Le(nn - (m - s), s - nn, evaluate=False)}


def tightness_n1_exhaustive() -> list:
    """For n = m = 1, ``solve`` (a)-(c) over all patterns and w~ = ±1: a list of the solution sets (all empty)."""
    c, f = sp.symbols("c f")
    out = []
    for w, pk, pk1 in itertools.product((1, -1), (0, 1), (0, 1)):
        eqs = [c * pk * f - 1, c * pk1 * f - 1, c * pk1 * w * pk * f]
        out.append(((w, pk, pk1), sp.solve(eqs, [c, f], dict=True)))
    return out


def _rank(M: sp.Matrix) -> int:
    from sympy.polys.matrices import DomainMatrix
    if M.rows == 0 or M.cols == 0:
        return 0
    return DomainMatrix.from_Matrix(M).convert_to(sp.QQ).rank() if all(e.is_Rational for e in M) \
        else M.rank()


def dimension_lemma_exact(n_: int, seed: int = 0) -> dict:
    r"""Exact dimension lemma of Theorem 2 for $m=2n-1$ over every pattern pair with rank $\ge n$.

    With $V=\operatorname{range}(P_k\tilde F)$ of dimension $n$ and $s=\operatorname{rank}P_{k+1}$:
    $\operatorname{rank}(P_{k+1}\tilde WP_k\tilde F)\ge n-(m-s)>s-n$, so (b) and (c) cannot hold
    together. ``W~`` is a rational Cayley matrix times a signed permutation. Returns counts."""
    m = 2 * n_ - 1
    Wt = rational_orthogonal(m, seed=seed, det=-1)
    r = _rng(seed + 1)
    Ft = sp.Matrix(m, n_, lambda i, j: Rational(r.randint(-5, 5), r.randint(1, 3)))
    patterns = [p for p in itertools.product((0, 1), repeat=m) if sum(p) >= n_]
    checked = violations = 0
    for pk in patterns:
        Pk = sp.diag(*pk)
        if _rank(Pk * Ft) != n_:
            continue
        for pk1 in patterns:
            s = sum(pk1)
            rk = _rank(sp.diag(*pk1) * Wt * Pk * Ft)
            checked += 1
            if not (rk >= n_ - (m - s) and rk > s - n_):
                violations += 1
    return {"n": n_, "m": m, "checked": checked, "violations": violations}


# -- Theorem 3 ----------------------------------------------------------------------------------
def smooth_linearization_det(m: int, seed: int = 0, det: int = 1) -> dict:
    r"""$\det(\operatorname{diag}(d)\tilde W)=\det\tilde W\prod d_i=\pm\prod d_i$ with symbolic $d_i>0$ and a rational Cayley $\tilde W$."""
    d = sp.symbols(f"d1:{m + 1}", positive=True)
    Q = rational_orthogonal(m, seed=seed, det=det)
    lhs = (sp.diag(*d) * Q).det()
    return {"det": sp.factor(lhs), "residual": sp.simplify(lhs - det * sp.prod(d)), "d": d}


def krylov_invariance_exact(A: sp.Matrix, B: sp.Matrix) -> dict:
    r"""Exact ranks over $\mathbb Q$ of $[AB\ \cdots\ A^mB]$ and $[B\ AB\ \cdots\ A^mB]$ (equal when $A$ is invertible)."""
    m = A.shape[0]
    blocks = [B]
    for _ in range(m):
        blocks.append(A * blocks[-1])
    K1 = sp.Matrix.hstack(*blocks[1:])
    K0 = sp.Matrix.hstack(*blocks)
    return {"rank_shifted": _rank(K1), "rank_full": _rank(K0), "invertible": A.det() != 0}


def memoryless_no_readout_exact(m: int, seed: int = 0, slopes=None) -> dict:
    r"""Exact Theorem 3 certificate: no $\tilde C$ solves $\tilde CJ_{t,s}=0$ ($s<t$), $\tilde CJ_{t,t}=\tfrac14$ for $t\le m+1$.

    $J_{t,t}=D_t\tilde F$, $J_{t,s}=D_t\tilde WJ_{t-1,s}$ with rational time-varying slopes
    $D_t\in(0,\tfrac14]$ and a rational Cayley $\tilde W$. ``slopes`` (a list of lists of 0/1)
    replaces $D_t$, e.g. the ReLU swap pattern, for the contrast. Returns the solution set."""
    r = _rng(seed)
    if slopes is None:
        Wt = rational_orthogonal(m, seed=seed, det=1 if seed % 2 == 0 else -1)
        Ft = sp.Matrix(m, 1, lambda i, j: Rational(r.randint(-5, 5) or 1, r.randint(1, 3)))
        D = [sp.diag(*[Rational(r.randint(1, 8), 32) for _ in range(m)]) for _ in range(m + 2)]
        target = Rational(1, 4)
    else:
        Wt, Ft, D, target = slopes
    C = sp.Matrix(1, m, sp.symbols(f"c1:{m + 1}"))
    eqs = []
    J = {}
    for t in range(len(D)):
        for s in range(t):
            J[(t, s)] = D[t] * Wt * J[(t - 1, s)]
            eqs.extend(list(C * J[(t, s)]))
        J[(t, t)] = D[t] * Ft
        eqs.extend(list(C * J[(t, t)] - target * sp.ones(1, Ft.shape[1])))
    sol = sp.linsolve(eqs, list(C))
    return {"solutions": sol, "equations": len(eqs), "m": m}


def memoryless_subspace_recursion():
    r"""$U_{t+1}=A_{t+1}(U_t+\operatorname{span}B_t)$ and $\dim U_{t+1}=\dim U_t+1$ (LaTeX-able relations)."""
    U_t, U_t1 = sp.Symbol("U_t"), sp.Symbol("U_{t+1}")
    A, B = sp.Symbol("A_{t+1}"), sp.Symbol(r"\operatorname{span} B_t")
    dim = sp.Function("dim")
    return (Eq(U_t1, A * (U_t + B), evaluate=False),
            Eq(dim(U_t1), dim(U_t) + 1, evaluate=False))


def hankel_condition_exact(A: sp.Matrix, B: sp.Matrix, C: sp.Matrix) -> dict:
    r"""Exact ranks of $H=[CA^{i+j}B]$ and $H^\sigma=[CA^{i+j+1}B]$ ($n\times n$ blocks); $A_{\min}$ nonsingular iff equal."""
    nn = A.shape[0]
    G = [C * B]
    P = B
    for _ in range(2 * nn):
        P = A * P
        G.append(C * P)
    H = sp.Matrix(sp.BlockMatrix([[G[i + j] for j in range(nn)] for i in range(nn)]).as_explicit())
    Hs = sp.Matrix(sp.BlockMatrix([[G[i + j + 1] for j in range(nn)] for i in range(nn)]).as_explicit())
    rh, rs = _rank(H), _rank(Hs)
    return {"rank_H": rh, "rank_Hs": rs, "nonsingular": rh == rs}


def sigmoid_slope_max() -> dict:
    r"""$\max_z\sigma'(z)=\sigma'(0)=1/4$: the stationary point of $\sigma'$ and its value."""
    z = sp.Symbol("z", real=True)
    sig = 1 / (1 + sp.exp(-z))
    d1 = sp.simplify(sp.diff(sig, z))
    crit = sp.solve(sp.diff(d1, z), z)
    return {"dsigma": d1, "critical": crit, "max": sp.simplify(d1.subs(z, 0)),
            "second": sp.simplify(sp.diff(d1, z, 2).subs(z, 0))}


def relu_contrast_powers(n_: int, jmax: int = 4) -> dict:
    r"""Swap URNN with $P=\operatorname{diag}(I_n,0)$: $\tilde CB=I_n$ and $\tilde C(P\tilde W)^jB=0$ for $1\le j\le$ ``jmax``."""
    I, Z = sp.eye(n_), sp.zeros(n_)
    Wt = sp.Matrix(sp.BlockMatrix([[Z, I], [I, Z]]).as_explicit())
    P = sp.diag(*([1] * n_ + [0] * n_))
    Ft = sp.Matrix.vstack(I, Z)
    Ct = sp.Matrix.hstack(I, Z)
    B = P * Ft
    pw = [Ct * (P * Wt) ** j * B for j in range(1, jmax + 1)]
    return {"CB": Ct * B, "powers": pw, "PW": P * Wt, "ok": Ct * B == I and all(p == Z for p in pw)}


# -- experiments ---------------------------------------------------------------------------------
def optimal_r2(snr_db=None):
    r"""$R^2_{\mathrm{opt}}=1/(1+10^{-\mathrm{SNR}/10})$ (exact for rational ``snr_db``/10 steps).

    >>> optimal_r2(20)
    100/101
    """
    s = sp.Symbol("SNR", real=True) if snr_db is None else sp.sympify(snr_db)
    return sp.nsimplify(1 / (1 + 10 ** (-s / 10))) if snr_db is not None else 1 / (1 + 10 ** (-s / 10))


def optimal_r2_derivation() -> sp.Expr:
    r"""$1-\mathrm{MSE}/\overline{Y^2}$ with $\mathrm{MSE}=Pa$, $\overline{Y^2}=P(1+a)$, minus $1/(1+a)$; simplifies to 0."""
    P, a = sp.symbols("P a", positive=True)
    return sp.simplify(1 - P * a / (P + P * a) - 1 / (1 + a))


def teacher_spectrum() -> dict:
    r"""Spectral mapping for $W_g=I-\varepsilon A^{\mathsf T}A/\|A\|_2^2$: eigenvalues $1-\varepsilon\lambda_i/\lambda_{\max}$."""
    eps, lam, lmin, lmax = sp.symbols("epsilon lambda lambda_min lambda_max", positive=True)
    mu = 1 - eps * lam / lmax
    return {"eigenvalue": mu, "gap": sp.simplify(1 - mu.subs(lam, lmin)),
            "smallest": sp.simplify(mu.subs(lam, lmax)), "code_eigenvalue": 1 - Rational(1, 100) * lam}


def rotation_distance() -> dict:
    r"""$\|\operatorname{diag}(s_1,s_2)-R_\theta\|_F^2=s_1^2+s_2^2+2-2(s_1+s_2)\cos\theta$, minimised at $\theta=0$."""
    s1, s2 = sp.symbols("s1 s2", nonnegative=True)
    th = sp.Symbol("theta", real=True)
    R = sp.Matrix([[sp.cos(th), -sp.sin(th)], [sp.sin(th), sp.cos(th)]])
    D = sp.diag(s1, s2) - R
    f = sp.simplify(sum(e ** 2 for e in D))
    expected = s1 ** 2 + s2 ** 2 + 2 - 2 * (s1 + s2) * sp.cos(th)
    return {"distance_sq": f, "ok": sp.simplify(f - expected) == 0,
            "stationary": sp.simplify(sp.diff(f, th).subs(th, 0)),
            "curvature": sp.simplify(sp.diff(f, th, 2).subs(th, 0))}


# -- rnnproof derive ----------------------------------------------------------------------------
TOPICS = {
    "unitary": "Emami et al. 2019: the main formulas (dilation, beta, URNN parameters, m >= 2n, R2_opt)",
    "unitary.dilation": "Halmos dilation, its lemmas, the orthogonality proof steps; --n: exact rational instance",
    "unitary.state_bound": "u_k by rsolve, H*, beta, beta_T, the margin mu",
    "unitary.construction": "Theorem 1 block pre-activation and the URNN parameter block",
    "unitary.tightness": "Theorem 2: matching conditions (a)-(c), the dimension inequality, m >= 2n",
    "unitary.smooth": "Theorem 3: |det(diag(phi') W~)|, the subspace recursion, the Hankel rank condition",
    "unitary.experiments": "R2_opt and the teacher spectrum",
}

_ACTIVATIONS = (None, "generic", "relu", "sigmoid", "tanh", "softplus")


def _dilation_items(n_):
    H = halmos_dilation_symbolic()
    items = [("Halmos dilation W~", Derivation("W~", H.matrix, lhs=sp.Symbol(r"\tilde{W}")))]
    items += [(f"lemma {i + 1}", lem) for i, lem in enumerate(H.lemmas)]
    for label, before, after in H.prove_orthogonal().steps:
        items.append((f"{label} reduces to", Eq(before, after, evaluate=False)))
    U, S, V = (MatrixSymbol(s, n, n) for s in ("U", "S", "V"))
    Sig = MatrixSymbol("Sigma", n, n)
    items.append(("SVD form", Eq(H.matrix, sp.MatMul(BlockMatrix([[U, ZeroMatrix(n, n)], [ZeroMatrix(n, n), V]]),
                                                     BlockMatrix([[Sig, S], [S, -Sig]]),
                                                     BlockMatrix([[V.T, ZeroMatrix(n, n)], [ZeroMatrix(n, n), U.T]])),
                                 evaluate=False)))
    items.append(("minimum dilation size", Eq(sp.Symbol("m_min"), n + sp.Function("rank")(
        Identity(n) - MatrixSymbol("W", n, n).T * MatrixSymbol("W", n, n)), evaluate=False)))
    if n_ is not None:
        if n_ > 4:
            raise TopicError(f"--n {n_}: exact rational dilations are printed for n <= 4")
        U_, V_ = rational_orthogonal(n_, 1), rational_orthogonal(n_, 2, det=-1)
        ex = svd_dilation(U_, pythagorean_pairs(n_), V_)
        items.append((f"exact rational W (n = {n_})", ex["W"]))
        items.append((f"exact rational orthogonal W~ (n = {n_})", ex["Wt"]))
    return items


def _state_items():
    sb = state_bound_recurrence()
    k = sb["k"]
    u = sp.Function("u")
    return [("u_k (rsolve)", Eq(u(k), sb["u_closed"], evaluate=False)),
            ("H*", Eq(sp.Symbol("H^*"), sb["H_star"], evaluate=False)),
            ("beta", Eq(sp.Symbol("beta"), (1 + sp.Symbol("delta")) * sp.Symbol("H^*"), evaluate=False)),
            ("u_k at rho = 1", Eq(u(k), sb["u_rho1"], evaluate=False)),
            ("beta_T", Eq(sp.Symbol("beta_T"), sb["beta_T"], evaluate=False)),
            ("beta_T at rho = 1", Eq(sp.Symbol("beta_T"), sb["beta_T_rho1"], evaluate=False)),
            ("margin mu", Eq(sp.Symbol("mu"), sp.Symbol(r"\max_{k,i} (W_{21} h^{(k-1)})_i") - sp.Symbol("beta"),
                             evaluate=False))]


def derivations(topic: str, n_=None, activation=None) -> list:
    """The ``(label, sympy object)`` list of a topic (see :data:`TOPICS`)."""
    if activation not in _ACTIVATIONS:
        raise TopicError(f"--activation {activation!r}: the unitary topics use relu (Theorems 1-2) or a "
                         f"smooth phi (Theorem 3): choose from relu, sigmoid, tanh, softplus, generic")
    if topic not in TOPICS:
        raise TopicError(f"unknown topic {topic!r}")
    if n_ is not None and topic not in ("unitary.dilation", "unitary.smooth", "unitary.tightness"):
        raise TopicError(f"--n applies to unitary.dilation, unitary.smooth and unitary.tightness, not {topic}")
    if topic == "unitary.dilation":
        return _dilation_items(n_)
    if topic == "unitary.state_bound":
        return _state_items()
    if topic == "unitary.construction":
        step = theorem1_block_step()
        params = urnn_parameters_symbolic()
        return ([("block pre-activation", step["preactivation"])]
                + [(f"URNN {k}", v) for k, v in params.items()])
    if topic == "unitary.tightness":
        t = tightness_jacobians()
        items = [(f"condition ({c})", e) for c, e in zip("abc", t["conditions"])]
        items += [("Jacobian on an affine piece", t["jacobian"]), ("dimension count", t["dimension"]),
                  ("conclusion", t["conclusion"])]
        if n_ is not None:
            if n_ > 4:
                raise TopicError("--n: the swap URNN is printed for n <= 4")
            rc = relu_contrast_powers(n_)
            items.append((f"swap URNN P W~ (n = {n_})", rc["PW"]))
        return items
    if topic == "unitary.smooth":
        m_ = n_ or 3
        if m_ > 4:
            raise TopicError("--n: the determinant identity is printed for n <= 4")
        det = smooth_linearization_det(m_)
        rec, dim = memoryless_subspace_recursion()
        A, B, C = MatrixSymbol("A", n, n), MatrixSymbol("B", n, 1), MatrixSymbol("C", 1, n)
        return [(f"det(diag(d) W~), m = {m_}", Eq(sp.Symbol("det"), det["det"], evaluate=False)),
                ("matching conditions", Eq(C * MatrixSymbol("J_{t,s}", n, 1), ZeroMatrix(1, 1), evaluate=False)),
                ("subspace recursion", rec), ("dimension step", dim),
                ("Hankel rank condition", Eq(sp.Function("rank")(MatrixSymbol("H^sigma", n, n)),
                                             sp.Function("rank")(MatrixSymbol("H", n, n)), evaluate=False)),
                ("Krylov", Eq(C * A * B, ZeroMatrix(1, 1), evaluate=False))]
    if topic == "unitary.experiments":
        ts = teacher_spectrum()
        return [("R2_opt", Eq(sp.Symbol("R^2_opt"), optimal_r2(), evaluate=False)),
                ("R2_opt at 20 dB", Eq(sp.Symbol("R^2_opt"), optimal_r2(20), evaluate=False)),
                ("teacher eigenvalue", Eq(sp.Symbol("mu_i"), ts["eigenvalue"], evaluate=False)),
                ("teacher margin", Eq(1 - sp.Symbol(r"\|W_g\|"), ts["gap"], evaluate=False))]
    # "unitary": an overview
    return (_dilation_items(None)[:1] + _state_items()[:3]
            + [("block pre-activation", theorem1_block_step()["preactivation"]),
               ("Theorem 2", tightness_jacobians()["conclusion"]),
               ("R2_opt", Eq(sp.Symbol("R^2_opt"), optimal_r2(), evaluate=False))])
