r"""Symbolic side of the linear-recurrence paper (SymPy only).

A. Orvieto, S. De, C. Gulcehre, R. Pascanu, S. L. Smith (2024), *Universality of linear recurrences
followed by non-linear projections*, ICML 2024, arXiv:2307.11888; LRU: Orvieto et al. (2023),
arXiv:2303.06349. The claims are catalogued in
``docs/claims/linear_recurrence.md``.

Model: $x_k=\Lambda x_{k-1}+Bu_k$, $x_0=0$; Vandermonde $V_{n,j}=\lambda_n^j$ (rows = nodes).

Unrolling and structure
    unroll_linear_recurrence(k), unrolling_difference(k), induction_step(), diagonalized_system(n, j)
    vandermonde(nodes, L), vandermonde_factorization_difference(N, L), vandermonde_det(n)
    prefix_decoder_difference(), krylov_matrix(nodes, B, L), block_krylov(L, M)
    subspace_minor()
Roots of unity and conditioning
    roots_of_unity_sum(N, m), roots_gram(), shrunk_roots_gram(N, L, r), shrunk_roots_cond(),
    radius_for_condition(), half_shifted_roots_gram(L, r), rfft_nodes_gram(L), s4d_lin_zoh_nodes()
Gautschi, LRU, decoders
    lagrange_coefficients(nodes, i), gautschi_bound(nodes), ray_coefficients(n),
    ring_radius_cdf(), blowup_factor(), blowup_second_moment(), state_energy_1d(),
    poisson_phase_average(), noise_amplification_equality(), linear_decoder_mse(A),
    gaussian_mmse_decoder(A, s2, sigma2), bjorck_pereyra_symbolic(n), precision_rule(kappa),
    time_index_channel()
Output
    STATEMENTS (claim ID -> SymPy relation), TOPICS, derivations(topic, n, activation)

>>> shrunk_roots_cond()
Piecewise((r**(1 - L), r < 1), (r**(L - 1), True))
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

import sympy
from sympy import (Eq, I, Matrix, MatrixSymbol, Piecewise, Rational, Sum, Symbol, exp, pi,
                   symbols, zeros)

from ._common import Derivation, TopicError

__all__ = [
    "unroll_linear_recurrence", "unrolling_difference", "induction_step", "diagonalized_system",
    "vandermonde", "vandermonde_factorization_difference", "vandermonde_det", "vandermonde_det_difference",
    "prefix_decoder_difference", "krylov_matrix", "block_krylov", "subspace_minor",
    "roots_of_unity_sum", "roots_gram", "shrunk_roots_gram", "shrunk_roots_singular_values",
    "shrunk_roots_cond", "radius_for_condition", "half_shifted_roots_gram", "rfft_nodes_gram",
    "s4d_lin_zoh_nodes", "lagrange_coefficients", "gautschi_bound", "roots_derivative_identity", "ray_coefficients",
    "ring_radius_cdf", "blowup_factor", "blowup_second_moment", "state_energy_1d",
    "poisson_phase_average", "noise_amplification_equality", "linear_decoder_mse",
    "gaussian_mmse_decoder", "bjorck_pereyra_symbolic", "precision_rule", "time_index_channel",
    "STATEMENTS", "statement", "TOPICS", "derivations",
]

# -- symbols -------------------------------------------------------------------------------------
N, L, M, k = symbols("N L M k", integer=True, positive=True)
j, n, m = symbols("j n m", integer=True)
r = Symbol("r", positive=True)
kappa = Symbol("kappa", positive=True)
Delta = Symbol("Delta", positive=True)
lam_c = Symbol("lambda_c", positive=True)
Lam = MatrixSymbol("Lambda", N, N)
Bm = MatrixSymbol("B", N, M)
omega = exp(2 * pi * I / N)


def _u(i):
    return MatrixSymbol(f"u_{i}", M, 1)


# -- unrolling -----------------------------------------------------------------------------------
def unroll_linear_recurrence(kk: int):
    r"""$(x_k$ by the recursion$,\ \sum_{j<k}\Lambda^jBu_{k-j})$ with MatrixSymbols, explicit k."""
    x = zeros(1, 1) * 0
    x = None
    for i in range(1, kk + 1):
        x = Bm * _u(i) if x is None else Lam * x + Bm * _u(i)
    closed = sympy.Add(*[(Lam ** jj) * Bm * _u(kk - jj) for jj in range(kk)])
    return x, closed


def unrolling_difference(kk: int):
    """Recursion minus closed form, expanded (the zero matrix when the claim holds)."""
    rec, closed = unroll_linear_recurrence(kk)
    return sympy.expand(rec - closed).doit()


def induction_step():
    r"""General-k induction step on one diagonal coordinate (λ, b, u(·)):
    $\lambda\sum_{j=0}^{k-1}\lambda^jbu_{k-j}+bu_{k+1}-\sum_{j=0}^{k}\lambda^jbu_{k+1-j}$ after the
    index shift $j\to j-1$; returns the residual (0 when the step holds)."""
    lam, b = symbols("lambda b")
    u = sympy.Function("u")
    jj = Symbol("j", integer=True)
    term = lam ** jj * b * u(k - jj)
    # Λ·Σ_{j=0}^{k-1} λ^j b u_{k-j}, then substitute j -> j - 1 (limits 1..k)
    shifted = Sum(sympy.expand(lam * term).subs(jj, jj - 1), (jj, 1, k))
    target = Sum(lam ** jj * b * u(k + 1 - jj), (jj, 0, k))
    head = target.function.subs(jj, 0)                      # the j = 0 term, b u_{k+1}
    tail = Sum(target.function, (jj, 1, k))
    return sympy.simplify(shifted - tail) + sympy.simplify(b * u(k + 1) - head)


def roots_derivative_identity(nn: int = 4):
    r"""$\prod_{k
e i}(z_i-z_k)=P'(z_i)$ for $P=\prod_k(z-z_k)$ (symbolic roots, explicit n), and
    for $P=z^N-1$ (general N): $|P'(\omega^i)|=|N\omega^{i(N-1)}|=N$. Returns (residuals, |P'(ω^i)|)."""
    z = Symbol("z")
    zs = symbols(f"z0:{nn}")
    P = sympy.Mul(*[z - zk for zk in zs])
    res = [sympy.expand(sympy.diff(P, z).subs(z, zs[i]) - sympy.Mul(*[zs[i] - zk for kk, zk in enumerate(zs) if kk != i]))
           for i in range(nn)]
    ii = Symbol("i", integer=True)
    mod = sympy.simplify(sympy.Abs(sympy.diff(z ** N - 1, z).subs(z, exp(2 * pi * I * ii / N))))
    return res, mod


def diagonalized_system(jmax: int = 4):
    r"""$P^{-1}A^j$ with $A=P\Lambda P^{-1}$ written out as $j$ factors (MatrixSymbols, general N):
    SymPy cancels every $P^{-1}P$; returns the list of ``(P^{-1}A^j, \Lambda^jP^{-1})`` pairs,
    equal for j ≤ jmax, so $(A,B,C)$ and $(\Lambda,P^{-1}B,CP)$ have the same Markov parameters."""
    P = MatrixSymbol("P", N, N)
    out = []
    for jj in range(1, jmax + 1):
        lhs = sympy.MatMul(P.I, *([P, Lam, P.I] * jj)).doit()
        rhs = sympy.MatMul(*([Lam] * jj), P.I).doit()
        out.append((lhs, rhs))
    return out


# -- Vandermonde ---------------------------------------------------------------------------------
def vandermonde(nodes, LL: int) -> Matrix:
    r"""$V_{n,j}=\lambda_n^j$, $j=0..L-1$ (rows = nodes)."""
    return Matrix(len(nodes), LL, lambda a, c: nodes[a] ** c)


def vandermonde_factorization_difference(NN: int, LL: int) -> list:
    r"""For each k ≤ L: the recurrence state minus $\mathrm{diag}(b)V\bar u^{(k)}$, symbolic λ, b, u."""
    lam = symbols(f"lambda0:{NN}")
    b = symbols(f"b0:{NN}")
    u = symbols(f"u1:{LL + 1}")
    V = vandermonde(lam, LL)
    x = zeros(NN, 1)
    out = []
    for kk in range(1, LL + 1):
        x = Matrix([lam[a] * x[a] + b[a] * u[kk - 1] for a in range(NN)])
        ubar = Matrix([u[kk - 1 - i] if i < kk else 0 for i in range(LL)])
        out.append(sympy.expand(x - sympy.diag(*b) * V * ubar))
    return out


def vandermonde_det(nn: int):
    r"""$\prod_{0\le i<j<n}(\lambda_j-\lambda_i)$ with symbolic nodes."""
    lam = symbols(f"lambda0:{nn}")
    return sympy.Mul(*[lam[b] - lam[a] for a in range(nn) for b in range(a + 1, nn)])


def vandermonde_det_difference(nn: int):
    """det V minus the product formula, expanded (0 when the claim holds)."""
    lam = symbols(f"lambda0:{nn}")
    return sympy.expand(vandermonde(lam, nn).det(method="berkowitz") - vandermonde_det(nn))


def prefix_decoder_difference() -> list:
    r"""N = L = 3: $V^{-1}\mathrm{diag}(b)^{-1}x_k-\bar u^{(k)}$ for k = 1, 2, 3 (simplified)."""
    lam, b, u = symbols("lambda0:3"), symbols("b0:3"), symbols("u1:4")
    V = vandermonde(lam, 3)
    Dinv = V.inv() * sympy.diag(*[1 / bb for bb in b])
    x = zeros(3, 1)
    out = []
    for kk in range(1, 4):
        x = Matrix([lam[a] * x[a] + b[a] * u[kk - 1] for a in range(3)])
        ubar = Matrix([u[kk - 1 - i] if i < kk else 0 for i in range(3)])
        out.append((Dinv * x - ubar).applyfunc(sympy.cancel))
    return out


def krylov_matrix(nodes, B: Matrix, LL: int) -> Matrix:
    r"""$K=[B,\Lambda B,\dots,\Lambda^{L-1}B]$, $K_{n,jM+m}=\lambda_n^jB_{nm}$."""
    MM = B.shape[1]
    return Matrix(len(nodes), LL * MM, lambda a, c: nodes[a] ** (c // MM) * B[a, c % MM])


def block_krylov(LL: int, MM: int, symbolic: bool = False):
    r"""Block construction (c): M blocks of L states, block m gets L distinct nodes and $B_{nm}=1$.

    Returns (K, nodes, B). ``symbolic``: nodes are symbols, otherwise 1, 2, ..., LM (distinct)."""
    NN = LL * MM
    nodes = symbols(f"lambda0:{NN}") if symbolic else [Rational(i + 1) for i in range(NN)]
    B = Matrix(NN, MM, lambda a, c: 1 if a // LL == c else 0)
    return krylov_matrix(nodes, B, LL), nodes, B


def subspace_minor():
    r"""L = 4, P = 2, N = 2: $\det(V\Phi)$ for a fixed rational Φ (Cauchy–Binet: a nonzero
    polynomial in the two nodes), and its Cauchy–Binet expansion $\sum_S\det V_{:,S}\det\Phi_{S,:}$."""
    lam = symbols("lambda0:2")
    Phi = Matrix([[1, 0], [1, 1], [1, 2], [1, 3]])  # constant and linear trend, reversed
    V = vandermonde(lam, 4)
    minor = sympy.expand((V * Phi).det())
    from itertools import combinations
    cb = sympy.expand(sum(V[:, list(S)].det() * Phi[list(S), :].det() for S in combinations(range(4), 2)))
    return minor, cb


# -- roots of unity ------------------------------------------------------------------------------
def roots_of_unity_sum(NN=N, mm=m):
    r"""$\sum_{n=0}^{N-1}\omega^{nm}$ by ``summation`` (Piecewise: N when $\omega^m=1$, else 0)."""
    nn = Symbol("n", integer=True, nonnegative=True)
    return sympy.summation(exp(2 * pi * I * mm * nn / NN), (nn, 0, NN - 1))


def roots_gram():
    r"""$(V^{\mathsf H}V)_{jk}=\sum_n\omega^{n(k-j)}$ for $0\le j,k<L\le N$: the lemma with $m=k-j$,
    $|m|<N$, so $\omega^m=1$ iff j = k. Returns (sum as derived, its value for m = 0, for m ≠ 0)."""
    s = roots_of_unity_sum(N, m)
    at0 = sympy.simplify(s.subs(m, 0))
    # for 0 < |m| < N the geometric sum (1 - ω^{mN})/(1 - ω^m) has numerator 0
    nz = sympy.simplify((1 - exp(2 * pi * I * m)) / (1 - exp(2 * pi * I * m / N)))
    return s, at0, sympy.simplify(nz.subs(m, Symbol("m", integer=True, nonzero=True)))


def shrunk_roots_gram(NN=N, LL=L, rr=r):
    r"""$(V^{\mathsf H}V)_{jk}=r^{j+k}\sum_n\omega^{n(k-j)}$ derived from the lemma: $N r^{2j}\delta_{jk}$.

    Explicit ``NN``, ``LL`` give the explicit Gram matrix (computed from the nodes, simplified)."""
    if isinstance(NN, int):
        nodes = [rr * exp(2 * pi * I * a / NN) for a in range(NN)]
        V = vandermonde(nodes, LL)
        G = (V.H * V).applyfunc(lambda e: sympy.nsimplify(sympy.simplify(sympy.expand_complex(e)), rational=False))
        return G
    jj, kk = symbols("j k", integer=True, nonnegative=True)
    s = roots_of_unity_sum(NN, kk - jj)
    return rr ** (jj + kk) * s


def shrunk_roots_singular_values(LL=L):
    r"""$\sigma_j=\sqrt{N}r^j$, $j=0..L-1$ (square roots of the Gram diagonal)."""
    jj = Symbol("j", integer=True, nonnegative=True)
    return sympy.sqrt(N * r ** (2 * jj)), jj


@lru_cache(maxsize=None)
def shrunk_roots_cond():
    r"""κ₂ of radius-r roots of unity, **derived**: $\sigma_j=\sqrt Nr^j$ is monotone in j with the
    sign of $\ln r$ (derivative $\sigma_j\ln r$), so the extremes sit at j = 0 and j = L−1 and
    $\kappa_2=\sigma_{\max}/\sigma_{\min}$ splits on r < 1 (Piecewise)."""
    sigma, jj = shrunk_roots_singular_values()
    sig = sympy.Lambda(jj, sympy.powdenest(sympy.sqrt(N) * r ** jj, force=True))
    slope = sympy.simplify(sympy.diff(sig(jj), jj) / sig(jj))          # = log(r)
    decreasing = sympy.solve_univariate_inequality(slope < 0, r, relational=False)  # (0, 1)
    kappa_dec = sympy.simplify(sig(0) / sig(L - 1))
    kappa_inc = sympy.simplify(sig(L - 1) / sig(0))
    cond_dec = decreasing.as_relational(r).subs(r > 0, True)
    cond_dec = sympy.simplify(cond_dec)
    return Piecewise((sympy.powsimp(kappa_dec), cond_dec), (sympy.powsimp(kappa_inc), True))


def radius_for_condition():
    r"""Smallest r < 1 with $\kappa_2\le\kappa$: solve $r^{-(L-1)}=\kappa$ for r, and its first-order
    form $1-r\approx\ln\kappa/(L-1)$."""
    expr = shrunk_roots_cond().args[0][0]
    sol = sympy.solve(sympy.Eq(expr, kappa), r)
    r_min = sympy.simplify(sol[0])
    eps = Symbol("epsilon", positive=True)
    first = sympy.series(1 - sympy.exp(-eps), eps, 0, 2).removeO().subs(eps, sympy.log(kappa) / (L - 1))
    return r_min, first


def half_shifted_roots_gram(LL: int, rr=r) -> Matrix:
    r"""$A^{\mathsf T}A$ for the real-stacked half-shifted roots (N = L/2 nodes $re^{i\pi(2k+1)/L}$),
    exact for explicit even L; equals $\tfrac L2\mathrm{diag}(r^{2j})$."""
    nodes = [rr * exp(I * pi * (2 * a + 1) / LL) for a in range(LL // 2)]
    V = vandermonde(nodes, LL)
    G = (V.H * V).applyfunc(lambda e: sympy.re(sympy.expand_complex(e)))
    return G.applyfunc(lambda e: sympy.nsimplify(sympy.simplify(e)))


def rfft_nodes_gram(LL: int) -> Matrix:
    r"""$A^{\mathsf T}A$ for rfft nodes $e^{2\pi ik/L}$, k = 0..L/2 (even L), exact:
    $\tfrac12(LI+\mathbf 1\mathbf 1^{\mathsf T}+aa^{\mathsf T})$, $a_j=(-1)^j$."""
    nodes = [exp(2 * pi * I * a / LL) for a in range(LL // 2 + 1)]
    V = vandermonde(nodes, LL)
    A = Matrix.vstack(V.applyfunc(lambda e: sympy.re(sympy.expand_complex(e))),
                      V.applyfunc(lambda e: sympy.im(sympy.expand_complex(e))))
    return (A.T * A).applyfunc(lambda e: sympy.nsimplify(sympy.simplify(e)))


def s4d_lin_zoh_nodes():
    r"""$e^{\Delta(-1/2+i\pi n)}$ at $\Delta=2/N$ minus $e^{-1/N}\omega^n$ (simplifies to 0)."""
    nn = Symbol("n", integer=True)
    zoh = exp(Delta * (-Rational(1, 2) + I * pi * nn))
    return zoh, sympy.simplify(sympy.expand(zoh.subs(Delta, 2 / N) - exp(-1 / N) * omega ** nn))


# -- Gautschi ------------------------------------------------------------------------------------
def lagrange_coefficients(nodes, i: int) -> list:
    r"""Monomial coefficients (ascending) of $\ell_i(z)=\prod_{k\ne i}(z-x_k)/(x_i-x_k)$."""
    z = Symbol("z")
    ell = sympy.Mul(*[(z - xk) / (nodes[i] - xk) for kk, xk in enumerate(nodes) if kk != i])
    poly = sympy.Poly(sympy.expand(ell), z)
    return [poly.coeff_monomial(z ** p) for p in range(len(nodes))]


def gautschi_bound(nodes):
    r"""$\max_i\prod_{k\ne i}(1+|x_k|)/|x_i-x_k|$ (Gautschi 1962)."""
    return sympy.Max(*[sympy.Mul(*[(1 + sympy.Abs(xk)) / sympy.Abs(nodes[i] - xk)
                                    for kk, xk in enumerate(nodes) if kk != i])
                       for i in range(len(nodes))])


def ray_coefficients(nn: int = 4):
    r"""Nodes $\rho_ke^{i\theta}$: coefficient of $z^{n-1-m}$ in $\prod(z-\rho_ke^{i\theta})$ minus
    $(-e^{i\theta})^me_m(\rho)$, for every m (all 0), so the absolute sum is $\prod(1+\rho_k)$."""
    z, th = Symbol("z"), Symbol("theta", real=True)
    rho = symbols(f"rho0:{nn - 1}", positive=True)
    poly = sympy.Poly(sympy.expand(sympy.Mul(*[z - p * exp(I * th) for p in rho])), z)
    out = []
    for mm in range(nn):
        from itertools import combinations
        e_m = sum(sympy.Mul(*c) for c in combinations(rho, mm)) if mm <= len(rho) else 0
        out.append(sympy.simplify(poly.coeff_monomial(z ** (len(rho) - mm)) - (-exp(I * th)) ** mm * e_m)
                   if mm <= len(rho) else 0)
    return out


# -- LRU: ring sampling and blow-up --------------------------------------------------------------
a_, b_ = symbols("a b", positive=True)
rmin, rmax, rho_ = symbols("r_min r_max rho", positive=True)


def ring_radius_cdf():
    r"""Two derivations of $P(|\lambda|\le\rho)$: (i) from the sampler, $|\lambda|^2=e^{-2\nu}
    =u_1(r_{\max}^2-r_{\min}^2)+r_{\min}^2$ is affine in $u_1\sim U[0,1]$; (ii) from the annulus area
    density $2\rho/(r_{\max}^2-r_{\min}^2)$. Returns (cdf_sampler, cdf_area)."""
    u1 = Symbol("u_1", positive=True)
    nu = -sympy.log(u1 * (rmax ** 2 - rmin ** 2) + rmin ** 2) / 2
    mod2 = sympy.simplify(sympy.exp(-2 * nu))
    # P(|λ| ≤ ρ) = P(mod2 ≤ ρ²) = P(u1 ≤ solve(mod2 = ρ²))
    cdf_sampler = sympy.solve(sympy.Eq(mod2, rho_ ** 2), u1)[0]
    t = Symbol("t", positive=True)
    cdf_area = sympy.integrate(2 * t / (rmax ** 2 - rmin ** 2), (t, rmin, rho_))
    return sympy.simplify(cdf_sampler), sympy.simplify(cdf_area)


def blowup_factor(aa=a_, bb=b_):
    r"""$\mathbb E[1/(1-s)]$ for $s=|\lambda|^2\sim U[a,b]$: $\frac{1}{b-a}\int_a^b\frac{ds}{1-s}$,
    integrated with t = 1 − s: $\log\frac{1-a}{1-b}/(b-a)$."""
    t = Symbol("t", positive=True)
    val = sympy.integrate(1 / t, (t, 1 - bb, 1 - aa)) / (bb - aa)
    return sympy.simplify(sympy.expand_log(val, force=True))


def blowup_limit():
    r"""$\lim_{a\to b}$ of :func:`blowup_factor` $=1/(1-b)$."""
    return sympy.limit(blowup_factor(), a_, b_)


def blowup_second_moment(aa=a_, bb=b_):
    r"""$\mathbb E f^2=\frac1{b-a}\int_a^b(1-s)^{-2}ds$."""
    s = Symbol("s", positive=True)
    return sympy.simplify(sympy.integrate((1 - s) ** -2, (s, aa, bb)) / (bb - aa))


def state_energy_1d():
    r"""$\mathbb E|x_k|^2=\sum_{j<k}|\lambda|^{2j}=(1-|\lambda|^{2k})/(1-|\lambda|^2)$ (white noise, b = 1)."""
    q = Symbol("q", positive=True)
    jj = Symbol("j", integer=True, nonnegative=True)
    return sympy.simplify(sympy.summation(q ** (2 * jj), (jj, 0, k - 1)).args[1][0]), q


def poisson_phase_average():
    r"""$\frac1{2\pi}\int_0^{2\pi}|1-re^{i\theta}|^{-2}d\theta$ for 0 < r < 1 by residues: with
    $z=e^{i\theta}$ the integrand is $1/(i(1-rz)(z-r))$, whose only pole inside the unit circle is
    z = r. Returns the residue-theorem value $2\pi i\,\mathrm{Res}/(2\pi)=1/(1-r^2)$."""
    z = Symbol("z")
    f = 1 / (I * (1 - r * z) * (z - r))
    return sympy.simplify(2 * pi * I * sympy.residue(f, z, r) / (2 * pi))


# -- decoders ------------------------------------------------------------------------------------
def noise_amplification_equality():
    r"""$A=\mathrm{diag}(\sigma_1,\sigma_2)$, $u=e_1$, $\delta x=\epsilon e_2$: the relative error
    $\epsilon/\sigma_2$ minus $\kappa\|\delta x\|/\|x\|$ (0: the bound is attained)."""
    s1, s2, eps = symbols("sigma1 sigma2 epsilon", positive=True)
    A = sympy.diag(s1, s2)
    u = Matrix([1, 0])
    dx = Matrix([0, eps])
    x = A * u
    uhat = A.inv() * (x + dx)
    lhs = sympy.sqrt(sum(e ** 2 for e in (uhat - u))) / 1
    rhs = (s1 / s2) * eps / sympy.sqrt(sum(e ** 2 for e in x))
    return sympy.simplify(lhs - rhs)


def linear_decoder_mse(A: Matrix):
    r"""$\mathrm{tr}(I-A^{+}A)$ and $L-\mathrm{rank}A$ (equal), exact rational A."""
    P = A.pinv() * A
    return sympy.simplify((sympy.eye(A.shape[1]) - P).trace()), A.shape[1] - A.rank()


def gaussian_mmse_decoder(A: Matrix, s2, sigma2):
    r"""Gaussian conditioning: $\mathbb E[\bar u\mid x]=\Sigma_{ux}\Sigma_{xx}^{-1}x$ with
    $\Sigma_{ux}=s^2A^{\mathsf T}$, $\Sigma_{xx}=s^2AA^{\mathsf T}+\sigma^2I$. Returns (decoder matrix,
    error trace $\mathrm{tr}(s^2I-\Sigma_{ux}\Sigma_{xx}^{-1}\Sigma_{xu})$)."""
    Sxx = s2 * A * A.T + sigma2 * sympy.eye(A.shape[0])
    W = sympy.simplify(s2 * A.T * Sxx.inv())
    err = sympy.simplify((s2 * sympy.eye(A.shape[1]) - W * Sxx * W.T).trace())
    return W, err


def bjorck_pereyra_symbolic(nn: int, nodes=None) -> tuple:
    """Both Björck–Pereyra stages on symbolic data (and symbolic nodes unless ``nodes`` is
    given: n = 4 with symbolic nodes takes minutes in ``simplify``); returns (c, V⁻¹f)."""
    x = symbols(f"x0:{nn}") if nodes is None else list(nodes)
    f = list(symbols(f"f0:{nn}"))
    c = list(f)
    for kk in range(1, nn):
        for i in range(nn - 1, kk - 1, -1):
            c[i] = (c[i] - c[i - 1]) / (x[i] - x[i - kk])
    for kk in range(nn - 2, -1, -1):
        for i in range(kk, nn - 1):
            c[i] = c[i] - x[kk] * c[i + 1]
    return Matrix(c), vandermonde(x, nn).inv() * Matrix(f)


def precision_rule(kap=kappa):
    r"""Working digits $\max(30,\lceil\log_{10}\kappa\rceil+20)$."""
    return sympy.Max(30, sympy.ceiling(sympy.log(kap, 10)) + 20)


def time_index_channel():
    r"""Constant-input channel with node $\lambda_c$: state $s_k=\sum_{j<k}\lambda_c^j$ (derived by
    ``summation``) and the increment $s_{k+1}-s_k=\lambda_c^k>0$ (strictly increasing)."""
    jj = Symbol("j", integer=True, nonnegative=True)
    sk = sympy.summation(lam_c ** jj, (jj, 0, k - 1))
    inc = sympy.simplify(sympy.summation(lam_c ** jj, (jj, 0, k)) - sk)
    return sk, inc


# -- statements (LaTeX export) -------------------------------------------------------------------
def _x(kk):
    return sympy.Indexed(sympy.IndexedBase("x"), kk)


def _kap(arg):
    return sympy.Function("kappa_2")(arg)


def statement(claim: str):
    """The SymPy relation (``evaluate=False``) stating the claim ``linear_recurrence.<claim>``."""
    jj = Symbol("j", integer=True)
    V = MatrixSymbol("V", N, L)
    bdiag = MatrixSymbol(r"\operatorname{diag}(b)", N, N)
    ubar = MatrixSymbol(r"\bar{u}^{(k)}", L, 1)
    u = sympy.IndexedBase("u")
    lam = sympy.IndexedBase("lambda")
    ii, kk2 = symbols("i k", integer=True)
    st = {
        "unrolling": Eq(Symbol("x_k"), Sum(Symbol(r"\Lambda") ** jj * Symbol("B") * u[k - jj], (jj, 0, k - 1)),
                        evaluate=False),
        "vandermonde_factorization": Eq(MatrixSymbol("x_k", N, 1), bdiag * V * ubar, evaluate=False),
        "vandermonde_determinant": Eq(Symbol(r"\det V"), sympy.Product(lam[jj] - lam[ii], (ii, 0, jj - 1), (jj, 1, N - 1)),
                                      evaluate=False),
        "prefix_decoder": Eq(MatrixSymbol("D", L, N) * MatrixSymbol("x_k", N, 1), ubar, evaluate=False),
        "krylov_rank": sympy.GreaterThan(N, L * M, evaluate=False),
        "subspace_inputs": sympy.GreaterThan(N, Symbol("P"), evaluate=False),
        "real_dof_counting": Eq(MatrixSymbol("A", 2 * N, L).T * MatrixSymbol("A", 2 * N, L),
                                L / 2 * MatrixSymbol(r"\operatorname{diag}(r^{2j})", L, L), evaluate=False),
        "roots_of_unity": Eq(Symbol(r"V^{H} V"), N * Symbol("I_L"), evaluate=False),
        "shrunk_roots_cond": Eq(_kap(Symbol("V")), shrunk_roots_cond(), evaluate=False),
        "s4d_lin_link": Eq(exp(2 / N * (-Rational(1, 2) + I * pi * n), evaluate=False),
                           exp(-1 / N) * sympy.Pow(omega, n, evaluate=False), evaluate=False),
        "gautschi_bound": sympy.LessThan(Symbol(r"\|V^{-1}\|_1"),
                                         sympy.Max(sympy.Product((1 + sympy.Abs(lam[kk2])) / sympy.Abs(lam[ii] - lam[kk2]),
                                                                 (kk2, 1, N))), evaluate=False),
        "real_node_growth": sympy.GreaterThan(_kap(Symbol("V_n")), (1 + sympy.sqrt(2)) ** n, evaluate=False),
        "real_vs_complex_cond": sympy.StrictGreaterThan(_kap(Symbol(r"V_{real}")),
                                                        10 ** 6 * Symbol("r_max") ** (-(n - 1)), evaluate=False),
        "ring_sampling": Eq(Symbol(r"P(|\lambda| \le \rho)"), ring_radius_cdf()[1], evaluate=False),
        "forward_blowup": Eq(Symbol(r"\mathbb{E}\|x_\infty\|^2 / \mathbb{E}\|Bu\|^2"),
                             sympy.log((1 - rmin ** 2) / (1 - rmax ** 2)) / (rmax ** 2 - rmin ** 2), evaluate=False),
        "noise_amplification": sympy.LessThan(Symbol(r"\|\hat u - u\| / \|u\|"),
                                              _kap(Symbol("A")) * Symbol(r"\|\delta x\| / \|x\|"), evaluate=False),
        "linear_decoder_mse": Eq(Symbol(r"\mathbb{E}\|\bar u - \hat u\|^2"),
                                 (1 - Symbol("r") / L) * Symbol(r"\mathbb{E}\|\bar u\|^2"), evaluate=False),
        "sparse_recovery_advantage": sympy.GreaterThan(Symbol(r"\text{MSE}_{lin} / \mathbb{E}\|\bar u\|^2"),
                                                       1 - 2 * N / L, evaluate=False),
        "readout_composition": Eq(sympy.Function("F")(sympy.Function("D")(Symbol("x_k"))),
                                  sympy.Function("F")(Symbol(r"\bar{u}^{(k)}")), evaluate=False),
        "high_precision_reconstruction": sympy.GreaterThan(Symbol("dps"), precision_rule(), evaluate=False),
        "finite_width_universality": sympy.GreaterThan(N, Symbol(r"\dim \mathcal{V}"), evaluate=False),
    }
    return st[claim]


STATEMENTS = ("unrolling", "vandermonde_factorization", "vandermonde_determinant", "prefix_decoder",
              "krylov_rank", "subspace_inputs", "real_dof_counting", "roots_of_unity",
              "shrunk_roots_cond", "s4d_lin_link", "gautschi_bound", "real_node_growth",
              "real_vs_complex_cond", "ring_sampling", "forward_blowup", "noise_amplification",
              "linear_decoder_mse", "sparse_recovery_advantage", "readout_composition",
              "high_precision_reconstruction", "finite_width_universality")


# -- derive --------------------------------------------------------------------------------------
TOPICS = {
    "linear_recurrence": "unrolled state, Vandermonde factorization, determinant, conditioning, LRU formulas",
    "linear_recurrence.vandermonde": "x_k = diag(b) V ū, det V, Krylov matrix (explicit size with --n)",
    "linear_recurrence.conditioning": "roots-of-unity Gram, shrunk-roots κ₂ (derived Piecewise), radius rule, S4D-Lin",
    "linear_recurrence.lru": "ring sampling CDF, forward blow-up factor, its limit and second moment",
    "linear_recurrence.decoding": "noise bound, linear-decoder MSE, Gaussian MMSE decoder, precision rule",
}


def _topic_vandermonde(nn):
    nn = 3 if nn is None else nn
    if nn > 6:
        raise TopicError(f"--n must be at most 6 for explicit Vandermonde derivations, got {nn}")
    lam = symbols(f"lambda0:{nn}")
    rec, closed = unroll_linear_recurrence(3)
    return [("x_3 (unrolled)", Derivation("unrolled state", closed, lhs=Symbol("x_3"))),
            (f"V ({nn}×{nn})", vandermonde(lam, nn)),
            (f"det V ({nn}×{nn})", Derivation("Vandermonde determinant", vandermonde_det(nn), lhs=Symbol("det V"))),
            ("Krylov matrix (L=2, M=2 block construction)", block_krylov(2, 2, symbolic=True)[0])]


def _topic_conditioning(nn):
    r_min, first = radius_for_condition()
    return [("roots-of-unity sum", Derivation("sum", roots_of_unity_sum(), lhs=Symbol("S_m"))),
            ("shrunk-roots Gram entry", Derivation("Gram", shrunk_roots_gram(), lhs=Symbol("G_jk"))),
            ("shrunk-roots condition number", Derivation("kappa", shrunk_roots_cond(), lhs=Symbol("kappa_2"))),
            ("smallest radius for kappa_2 <= kappa", Derivation("r", r_min, lhs=Symbol("r_min"))),
            ("first-order radius rule", Derivation("1-r", first, lhs=Symbol("1 - r"))),
            ("S4D-Lin ZOH node", Derivation("zoh", s4d_lin_zoh_nodes()[0], lhs=Symbol("lambda_n")))]


def _topic_lru(nn):
    cdf_s, cdf_a = ring_radius_cdf()
    return [("ring radius CDF (sampler)", Derivation("cdf", cdf_s, lhs=Symbol("P"))),
            ("ring radius CDF (area)", Derivation("cdf", cdf_a, lhs=Symbol("P"))),
            ("blow-up factor", Derivation("E f", blowup_factor(), lhs=Symbol("E[f]"))),
            ("blow-up limit a -> b", Derivation("lim", blowup_limit(), lhs=Symbol("E[f]"))),
            ("second moment", Derivation("E f^2", blowup_second_moment(), lhs=Symbol("E[f^2]"))),
            ("Poisson phase average", Derivation("avg", poisson_phase_average(), lhs=Symbol("avg")))]


def _topic_decoding(nn):
    A = Matrix([[1, 0, 0], [0, 2, 0]])
    s2, sg2 = symbols("s^2 sigma^2", positive=True)
    W, err = gaussian_mmse_decoder(A, s2, sg2)
    return [("noise bound", statement("noise_amplification")),
            ("linear decoder MSE", statement("linear_decoder_mse")),
            ("Gaussian MMSE decoder (A = diag(1, 2) padded)", W),
            ("its error", Derivation("err", err, lhs=Symbol("MSE"))),
            ("precision rule", Derivation("dps", precision_rule(), lhs=Symbol("dps")))]


def derivations(topic: str, n: Optional[int] = None, activation: Optional[str] = None) -> list:
    """The ``(label, sympy object)`` list behind ``rnnproof derive <topic>``.

    >>> [label for label, _ in derivations("linear_recurrence.conditioning")][2]
    'shrunk-roots condition number'
    """
    if activation not in (None, "generic"):
        raise TopicError("linear_recurrence derivations take no --activation (the recurrence is linear)")
    parts = {"linear_recurrence.vandermonde": _topic_vandermonde,
             "linear_recurrence.conditioning": _topic_conditioning,
             "linear_recurrence.lru": _topic_lru,
             "linear_recurrence.decoding": _topic_decoding}
    if topic == "linear_recurrence":
        return [item for fn in parts.values() for item in fn(n)]
    if topic not in parts:
        raise TopicError(f"unknown topic {topic!r}; known: {', '.join(TOPICS)}")
    return parts[topic](n)
