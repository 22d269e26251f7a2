"""Claims of the response-theory paper (Lim 2021, JMLR 22(47); arXiv:2006.11052), brief ``response``.

Each claim pairs a SymPy derivation from :mod:`theory.response` with an independent numeric
computation from :mod:`numerics.response` / :mod:`numerics.signatures`. The statements are the
toolkit's reconstruction (brief §0): the paper's notation, theorem numbering and exact hypotheses
may differ.
"""

from __future__ import annotations

import math

import numpy as np

from numerics import InputError
from numerics import response as N
from numerics import signatures as SG
from proofs_checks.registry import Claim, NotApplicable, Proof, Sides, Tolerance, annotate, register
from theory import response as T

PAPER = "response"
EPS = float(np.finfo(float).eps)
REF = "Lim 2021, JMLR 22(47) (arXiv:2006.11052)"
NOTE = ("Reconstructed statement (brief response §0): the paper's notation, theorem numbering and "
        "exact hypotheses could not be consulted and may differ from the statement given here.")


def _is_zero(obj) -> bool:
    import sympy
    if isinstance(obj, (list, tuple)):
        return all(_is_zero(o) for o in obj)
    if isinstance(obj, dict):
        return all(_is_zero(o) for o in obj.values())
    if hasattr(obj, "is_zero_matrix"):
        return bool(obj.is_zero_matrix)
    if isinstance(obj, sympy.NDimArray):
        return all(sympy.simplify(x) == 0 for x in obj)
    return sympy.simplify(obj) == 0


def _proof(obj, detail):
    return Proof(_is_zero(obj), detail)


def _claim(slug, title, hypotheses, tolerance, numeric, symbolic=None, note="", cost=1.0, prov="R", network=None,
           statistical_checks=0):
    register(Claim(
        id=f"{PAPER}.{slug}", paper=PAPER, title=title,
        reference=f"{REF}; brief response claim {slug} [{prov}]",
        statement=lambda: T.statement(slug), hypotheses=tuple(hypotheses), tolerance=tolerance,
        numeric=numeric, symbolic=symbolic, network=network, expressions=lambda: T.expressions(slug),
        note=(NOTE + (" " + note if note else "")), cost=cost, statistical_checks=statistical_checks))


# ---------------------------------------------------------------------------------------------
# Instance generators (brief §3); every draw from the given rng
# ---------------------------------------------------------------------------------------------
def _contracting(rng, n=None, m=None, quadratic=None):
    n = int(rng.integers(1, 4)) if n is None else n
    m = int(rng.integers(1, 3)) if m is None else m
    gam = rng.uniform(0.5, 2.0, n)
    G = rng.standard_normal((n, n))
    W = rng.uniform(0, 0.9) * gam.min() * G / np.linalg.norm(G, 2)
    quadratic = bool(rng.integers(0, 2)) if quadratic is None else quadratic
    Q = None
    if quadratic:
        Qm = rng.uniform(-1, 1, (n, n))
        Q = (0.5 * (Qm + Qm.T))[None]
    return N.SRNN(Gamma=np.diag(gam), W=W, b=rng.uniform(-0.5, 0.5, n), C=rng.uniform(-1, 1, (n, m)),
                  sigma=np.zeros((n, n)), A=rng.uniform(-1, 1, (1, n)), Q=Q)


def _designed(rng, n=None, m=None, quadratic=None, kappa_max=1.5):
    for _ in range(200):
        n_ = int(rng.integers(1, 4)) if n is None else n
        m_ = int(rng.integers(1, 3)) if m is None else m
        gam = rng.uniform(0.5, 2.0, n_)
        W = rng.uniform(0, kappa_max) * gam.min() * rng.standard_normal((n_, n_)) / math.sqrt(n_)
        target = rng.uniform(-0.8, 0.8, n_)
        hs = target / gam
        b = N.design_bias(np.diag(gam), W, hs)
        quad = bool(rng.integers(0, 2)) if quadratic is None else quadratic
        Q = None
        if quad:
            Qm = rng.uniform(-1, 1, (n_, n_))
            Q = (0.5 * (Qm + Qm.T))[None]
        model = N.SRNN(Gamma=np.diag(gam), W=W, b=b, C=rng.uniform(-1, 1, (n_, m_)), sigma=np.zeros((n_, n_)),
                       A=rng.uniform(-1, 1, (1, n_)), Q=Q)
        if N.spectral_abscissa(model.jacobian(hs)) <= -0.1:
            return model, hs
    raise RuntimeError("no Hurwitz designed network in 200 draws")  # pragma: no cover


def _ou(rng, n=None, m=None):
    n = int(rng.integers(1, 4)) if n is None else n
    m = int(rng.integers(1, 3)) if m is None else m
    for _ in range(200):
        gam = rng.uniform(0.5, 2.0, n)
        W = rng.standard_normal((n, n)) * 0.6
        if N.spectral_abscissa(W - np.diag(gam)) <= -0.1:
            break
    U, _, Vt = np.linalg.svd(rng.standard_normal((n, n)))
    sigma = U @ np.diag(rng.uniform(0.3, 1.0, n)) @ Vt
    Qm = rng.uniform(-1, 1, (n, n))
    return N.SRNN(Gamma=np.diag(gam), W=W, b=rng.uniform(-0.5, 0.5, n), C=rng.uniform(-1, 1, (n, m)),
                  sigma=sigma, A=rng.uniform(-1, 1, (1, n)), Q=(0.5 * (Qm + Qm.T))[None], activation="linear")


def _oned(rng, monostable=False, b=None):
    for _ in range(200):
        g, w = rng.uniform(0.5, 2.0), rng.uniform(-3, 3)
        if monostable and w > 0.8 * g:
            continue
        bb = rng.uniform(-1, 1) if b is None else b
        return dict(gamma=g, w=w, b=bb, sigma=rng.uniform(0.3, 1.0), c=rng.uniform(-1, 1) or 0.5)
    raise RuntimeError("no 1-D instance")  # pragma: no cover


def _oned_model(p):
    return N.SRNN(Gamma=np.array([[p["gamma"]]]), W=np.array([[p["w"]]]), b=np.array([p["b"]]),
                  C=np.array([[p["c"]]]), sigma=np.array([[p["sigma"]]]), A=np.array([[1.0]]))


def _oned_F(p):
    return lambda x: -p["gamma"] * x + np.tanh(p["w"] * x + p["b"])


def _oned_domain(p):
    # domain where 2 (V(+-L) - min V) / sigma^2 >= 40 (brief oned_generator_chain), plus a margin
    xs = np.linspace(-30, 30, 6001)
    lp = N.oned_log_density(xs, p["gamma"], p["w"], p["b"], p["sigma"])
    ok = xs[lp >= lp.max() - 40.0]
    return (ok.min() - 0.5, ok.max() + 0.5)


def _oned_nx(p, L, nx):
    # smallest grid with positive rates (dx < sigma^2 / max|F|, with a 10% margin)
    Fmax = np.max(np.abs(_oned_F(p)(np.linspace(L[0], L[1], 2001))))
    need = int(math.ceil((L[1] - L[0]) / (0.9 * p["sigma"] ** 2 / Fmax))) + 1
    return max(nx, need)


def _oned_chain(p, nx=401, L=None):
    L = _oned_domain(p) if L is None else L
    return N.grid_chain(_oned_F(p), p["sigma"], p["c"], L, _oned_nx(p, L, nx))


def _sinusoids(rng, m, T=None):
    T = rng.uniform(0.5, 5.0) if T is None else T
    k = rng.integers(1, 4, m)
    freqs = [rng.uniform(0.2, 3.0, kk) for kk in k]
    phases = [rng.uniform(0, 2 * np.pi, kk) for kk in k]
    amps = [rng.dirichlet(np.ones(kk)) * rng.uniform(0.3, 1.0) for kk in k]
    offs = rng.uniform(-0.5, 0.5, m)

    def fn(s):
        s = np.asarray(s, float)
        cols = [offs[j] + sum(a * np.sin(f * s + ph) for a, f, ph in zip(amps[j], freqs[j], phases[j]))
                for j in range(m)]
        return np.stack(cols, axis=-1)
    return N.SmoothInput(fn, T, m)


def _n(ctx, quick):
    """Instances for an expensive claim: at most ``quick`` in the quick profile, ``examples`` otherwise."""
    return ctx.examples if ctx.thorough else min(ctx.examples, quick)


def _slope(x, y):
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def _order_check(ctx, errors, refine, claimed, check, floor=0.0, **info) -> bool:
    """One-sided observed-order check (a ``truncation`` tolerance).

    ``errors`` are errors (or successive differences) at steps h, h/refine, h/refine², ...; the
    observed order of the finest pair is p = log(e₋₂/e₋₁)/log(refine). An error O(h^q) gives
    p → q, so the claim "error O(h^claimed)" passes when p ≥ claimed − 1/2: the midpoint between the
    claimed order and the next lower integer, the nearest order a wrong term would leave. A higher
    observed order passes (a term that vanishes by symmetry). The midpoint rule is valid when the
    next term shifts p by less than 1/2, which the check requires: with three or more errors the
    local orders of the last two pairs must agree within 1/4 (the asymptotic regime; otherwise the
    instance is skipped, with the reason). Errors at or below ``floor`` (the reference precision)
    have no order: skipped too. Returns whether a case was recorded."""
    errors = [float(e) for e in errors]
    if min(errors[-2:]) <= floor:
        ctx.skip(f"{check}: error {min(errors[-2:]):.2g} at the reference precision {floor:.2g}; no order to observe")
        return False
    orders = [math.log(a / b) / math.log(refine) for a, b in zip(errors[:-1], errors[1:])]
    if len(orders) >= 2 and abs(orders[-1] - orders[-2]) > 0.25 and orders[-1] < claimed - 0.5:
        ctx.skip(f"{check}: local orders {orders[-2]:.2f}, {orders[-1]:.2f} not yet asymptotic")
        return False
    ctx.record(claimed - orders[-1], 0.5, check=f"{check}: observed order ≥ {claimed} − 1/2",
               observed_order=orders[-1], **info)
    return True


def _next_term_check(ctx, remainder, coefficients, N_order, eps_list, floor, check, **info) -> bool:
    """The remainder of an order-N truncated series against its next coefficient (``truncation``).

    ``remainder(ε)`` = |y(ε) − Σ_{k≤N} εᵏYₖ| and ``coefficients[k]`` = Yₖ (known up to some K). By the
    reverse triangle inequality |remainder/ε^{N+1} − |Y_{N+1}|| ≤ ε|Y_{N+2}| + ε²|Y_{N+3}| + ...;
    the tolerance is 2(ε|Y_{N+2}| + ε²|Y_{N+3}|) + floor/ε^{N+1} (the factor 2 bounds the unknown
    tail, which decays at least geometrically by 1/2 under the condition below) plus the
    reference's precision. The comparison is made only where the next coefficient is not itself
    small against the one after it (2ε|Y_{N+3}| ≤ ε|Y_{N+2}| or both negligible); otherwise it
    moves to the next smaller ε, and skips the instance if none qualifies."""
    K = len(coefficients) - 1
    if N_order + 3 > K:
        raise ValueError("the next-term check needs Y_{N+1}, Y_{N+2} and Y_{N+3}")
    c1, c2, c3 = (abs(coefficients[N_order + j]) for j in (1, 2, 3))
    for eps in eps_list:
        if c1 * eps ** (N_order + 1) <= 100 * floor:
            break
        if 2 * eps * c3 > c2 and eps * c2 + eps ** 2 * c3 > 1e-3 * c1:
            continue
        r = remainder(eps)
        tol = 2 * (eps * c2 + eps ** 2 * c3) + floor / eps ** (N_order + 1)
        ctx.record(abs(r / eps ** (N_order + 1) - c1), tol,
                   check=f"{check}: res/ε^{N_order + 1} vs |Y{N_order + 1}| within the next terms", eps=eps, **info)
        return True
    ctx.skip(f"{check}: no ε in {list(eps_list)} where the next coefficient dominates the one after it "
             "above the reference precision")
    return False


# ---------------------------------------------------------------------------------------------
# 4.1 Setting and fixed points
# ---------------------------------------------------------------------------------------------
def _contraction_numeric(ctx):
    for rng in ctx.instances():
        _contraction_check(ctx, _contracting(rng), rng)


def _user_model(spec, deterministic=False):
    """The user's network as an SRNN (``--network``); NotApplicable when it is not one."""
    if spec.form != "srnn":
        raise NotApplicable("the network file is not form=srnn (gamma, optional sigma); this claim is about SRNNs")
    try:
        model = N.srnn_from_spec(spec)
    except InputError as exc:
        raise NotApplicable(str(exc)) from None
    if deterministic and not model.deterministic:
        raise NotApplicable("σ ≠ 0 in the network file; this claim is about the deterministic (σ = 0) network")
    return model


def _stable_fixed_point(model):
    try:
        return N.fixed_point(model)
    except InputError as exc:
        raise NotApplicable(str(exc)) from None


def _contraction_network(ctx, spec):
    model = _user_model(spec)
    if model.activation not in ("tanh", "sigmoid", "softplus", "linear"):
        raise NotApplicable(f"activation {model.activation} not covered")
    L = {"tanh": 1.0, "sigmoid": 0.25, "softplus": 1.0, "linear": 1.0}[model.activation]
    kappa = N.log_norm_bound(model.Gamma, model.W, L)
    if kappa <= 0:
        raise NotApplicable(f"contraction hypothesis fails: γ_min − L‖W‖₂ = {kappa:.4g} ≤ 0 (a unique fixed point "
                            "may still exist, but it is not certified)")
    _contraction_check(ctx, model, ctx.rng(), L)


def _contraction_check(ctx, model, rng, L=1.0):
    from scipy.integrate import solve_ivp
    kappa = N.log_norm_bound(model.Gamma, model.W, L)
    hs = np.concatenate([3 * rng.standard_normal((200, model.n)), 1e3 * rng.standard_normal((5, model.n))])
    lam = max(np.linalg.eigvalsh(0.5 * (model.jacobian(h) + model.jacobian(h).T)).max() for h in hs)
    ctx.record(max(lam + kappa, 0.0), 1e-12, check="mu2(DF(h)) <= -kappa", kappa=kappa, n=model.n)
    h_star, J = N.fixed_point(model)
    ctx.record(np.max(np.abs(model.drift(h_star))), 1e-13 * (1 + np.max(np.abs(model.Gamma @ h_star))),
               check="Newton residual")
    ctx.record(max(N.spectral_abscissa(J) + kappa, 0.0), 1e-12, check="Re eig(J) <= -kappa")
    worst = 0.0
    for _ in range(5):
        h0 = h_star + rng.standard_normal(model.n) * 2
        ts = np.linspace(0, 8, 81)
        sol = solve_ivp(lambda t, h: model.drift(h), (0, 8), h0, method="DOP853", t_eval=ts, rtol=1e-12, atol=1e-14)
        dist = np.linalg.norm(sol.y.T - h_star, axis=1)
        worst = max(worst, float(np.max(dist - np.exp(-kappa * ts) * np.linalg.norm(h0 - h_star))))
    ctx.record(max(worst, 0.0), 1e-9, check="envelope e^{-kappa t}")


_claim("contraction_fixed_point", "Log-norm contraction gives a unique, globally exponentially stable fixed point",
       ("Γ has symmetric part ⪰ γ_min I, γ_min > 0", "sup|a'| ≤ L (L = 1 for tanh)", "L‖W‖₂ < γ_min"),
       Tolerance("1e-12 on μ₂ and Re λ(J); Newton residual ≤ 1e-13(1+‖Γh*‖); envelope slack 1e-9",
                 "eigvalsh and Newton are backward stable; DOP853 at rtol 1e-12", kind="roundoff+truncation"),
       _contraction_numeric, lambda: _proof(T.jacobian_check(2), "DF(h) = −Γ + diag(a'(Wh+b))W by jacobian, n = 2, generic a"),
       network=_contraction_network)


def _dissipativity_numeric(ctx):
    import scipy.linalg as sla
    for rng in ctx.instances():
        n = int(rng.integers(1, 4))
        G = np.diag(rng.uniform(0.5, 2.0, n)) + 0.3 * rng.standard_normal((n, n))
        if np.min(np.linalg.eigvals(G).real) <= 0.05:
            ctx.skip("Γ not positive stable after the off-diagonal draw")
            continue
        W = rng.standard_normal((n, n))
        sig = rng.standard_normal((n, n)) * 0.5
        model = N.SRNN(Gamma=G, W=W, b=rng.uniform(-0.5, 0.5, n), C=np.zeros((n, 1)), sigma=sig, A=np.eye(n))
        P = sla.solve_continuous_lyapunov(G.T, np.eye(n))       # G^T P + P G = I
        ctx.record(np.max(np.abs(P @ G + G.T @ P - np.eye(n))), 1e-12, check="Lyapunov residual")
        lmax = np.linalg.eigvalsh(P).max()
        alpha = 1 / (2 * lmax)
        beta = 2 * n * np.linalg.norm(P, 2) ** 2 + np.trace(P @ model.Sigma())
        hs = np.concatenate([rng.standard_normal((9000, n)) * 3, rng.standard_normal((1000, n)) * 1e3])
        F = model.drift(hs)
        L0V = 2 * np.einsum("ki,ij,kj->k", F, P, hs) + np.trace(P @ model.Sigma())
        V = np.einsum("ki,ij,kj->k", hs, P, hs)
        excess = L0V - (-alpha * V + beta)
        scale = 1e-12 * (1 + np.abs(V) * np.linalg.norm(P, 2) + np.abs(L0V))
        ctx.record(float(np.max(excess / scale)), 1.0, check="L0 V <= -alpha V + beta (scaled by roundoff)",
                   alpha=alpha, beta=beta)


_claim("dissipativity", "Quadratic Lyapunov drift bound L₀V ≤ −αV + β (existence of ρ∞)",
       ("Γ positive stable", "|a(z)| ≤ 1 componentwise (tanh)", "P ≻ 0 solves PΓ + ΓᵀP = I"),
       Tolerance("residual ≤ 1e-12; drift excess ≤ 1e-12(1 + |V|‖P‖ + |L₀V|)",
                 "one Lyapunov solve; the inequality is checked up to the rounding of the quadratic forms", kind="roundoff"),
       _dissipativity_numeric,
       lambda: _proof(list(T.dissipativity_check()), "L₀V expanded with the Lyapunov solution (n = 2); Young step as a square"),
       note="Uniqueness and exponential ergodicity under A3 (Harris-type argument) are not checked.")


def _design_numeric(ctx):
    import sympy
    for rng in ctx.instances():
        model, hs = _designed(rng)
        n = model.n
        ctx.record(np.max(np.abs(model.drift(hs))), 1e-14 * (1 + np.max(np.abs(model.Gamma @ hs))) * 4,
                   check="F(h*) = 0", n=n)
        # symbolic J (rational in Gamma, W, h*) evaluated exactly at the instance
        d = T.designed_fixed_point(sympy.Matrix(model.Gamma), sympy.Matrix(model.W), sympy.Matrix(hs))
        J_sym = np.array(d["J"].evalf(20), dtype=float)
        J_num = model.jacobian(hs)
        ctx.record(np.max(np.abs(J_sym - J_num)) / (1 + np.max(np.abs(J_num))), 1e-13, check="J symbolic vs numeric")
        step = 1e-6
        J_fd = np.column_stack([(model.drift(hs + step * e) - model.drift(hs - step * e)) / (2 * step) for e in np.eye(n)])
        ctx.record(np.max(np.abs(J_fd - J_sym)) / (1 + np.max(np.abs(J_sym))), 1e-7, check="J vs central differences")
        # D2F against differences of the numeric Jacobian
        D2 = np.array(d["D2"].tolist(), dtype=float)
        x, y = rng.standard_normal(n), rng.standard_normal(n)
        D2_fd = (model.jacobian(hs + step * y) - model.jacobian(hs - step * y)) @ x / (2 * step)
        ctx.record(np.max(np.abs(np.einsum("ijk,j,k->i", D2, x, y) - D2_fd)), 1e-7 * (1 + np.abs(D2).max()),
                   check="D2F vs differences of DF")


_claim("fixed_point_design", "Exact fixed point by inverse design b := artanh(Γh*) − Wh*",
       ("|(Γh*)ᵢ| < 1 for all i", "tanh activation"),
       Tolerance("‖F(h*)‖∞ ≤ 4·1e-14(1+‖Γh*‖); J exact-vs-float 1e-13; finite differences (step 1e-6) 1e-7",
                 "artanh/tanh round trip costs a few ulps; central differences have O(step²) + O(ε/step) error", kind="roundoff+truncation"),
       _design_numeric,
       lambda: _proof(T.design_check(2), "F(h*) ≡ 0 and DF, D²F, D³F at h* equal the rational formulas (n = 2)"),
       prov="R✓")


# ---------------------------------------------------------------------------------------------
# 4.2 The expansion
# ---------------------------------------------------------------------------------------------
def _random_chain(rng, kmax=30):
    k = int(rng.integers(3, kmax + 1))
    R = rng.uniform(0.1, 2.0, (k, k))
    np.fill_diagonal(R, 0)
    G = R - np.diag(R.sum(1))
    Bm = rng.standard_normal((k, k)) * 0.5
    np.fill_diagonal(Bm, 0)
    B = Bm - np.diag(Bm.sum(1))
    return G, B, rng.standard_normal(k)


def _volterra_numeric(ctx):
    for rng in ctx.instances():
        G, B, f = _random_chain(rng, 30 if ctx.thorough else 12)
        pi = N.chain_stationary(G)
        t1, t2 = rng.uniform(0.05, 2.0, 2)
        kb = N.chain_kernel2(G, B, pi, f, t1, t2, "backward")
        kf = N.chain_kernel2(G, B, pi, f, t1, t2, "forward")
        import scipy.linalg as sla
        E1, E2 = np.abs(sla.expm(t1 * G)), np.abs(sla.expm(t2 * G))
        size = float(np.abs(pi) @ np.abs(B) @ E2 @ np.abs(B) @ E1 @ np.abs(f))   # magnitude of the terms summed
        ctx.record(abs(kb - kf) / size, 1e-10, check="forward = backward K2 (relative to the terms)", states=len(f),
                   K2=kb)
        us = rng.uniform(-1, 1, 3)
        ws = rng.uniform(0.2, 1.0, 3)
        Y_block = N.chain_block_response(G, B, pi, f, us, ws, 3)
        brk = np.concatenate([[0], np.cumsum(ws)])
        # forward hierarchy ODE segment by segment (u constant on each); LSODA switches to its stiff
        # (BDF) method when the chain is stiff
        from scipy.integrate import solve_ivp
        n = len(f)
        P = np.zeros(4 * n)
        P[:n] = pi
        for a, b, uj in zip(brk[:-1], brk[1:], us):
            big = np.kron(np.eye(4), G.T) + uj * np.kron(np.eye(4, k=-1), B.T)
            sol = solve_ivp(lambda s, y: big @ y, (a, b), P, method="LSODA", jac=lambda s, y: big, rtol=1e-12, atol=1e-14)
            P = sol.y[:, -1]
        Y_ode = P.reshape(4, n) @ f
        scale = np.max(np.abs(Y_block[1:])) + 1e-300
        ctx.record(np.max(np.abs(Y_block[1:] - Y_ode[1:])) / scale, 1e-8, check="Van Loan blocks vs forward hierarchy (LSODA)")


_claim("volterra_series", "Dyson expansion: ordered Volterra series with forward and backward kernels",
       ("finite-state generator G irreducible, rows of G and B sum to 0", "stationary start π", "piecewise-constant u",
        "random chains with 3–12 states (quick profile) or 3–30 (thorough)"),
       Tolerance("1e-10 relative to |π||B||e^{τ₂G}||B||e^{τ₁G}||f| (forward vs backward K⁽²⁾); 1e-8 relative (block exponential vs LSODA at rtol 1e-12)",
                 "the two kernel forms are the same matrices multiplied in a different order, so they differ by rounding of the terms (K⁽²⁾ itself may cancel); LSODA's rtol 1e-12 over ≤ 3 segments", kind="roundoff+truncation"),
       _volterra_numeric,
       lambda: _proof(list(T.chain_dyson_check()), "2-state chain: Y₁, Y₂ from the kernel integrals = ε-derivatives of πᵀe^{t(G+εB)}f"),
       prov="P+R, R✓", cost=2.0)


def _ordered_numeric(ctx):
    import scipy.linalg as sla
    for rng in ctx.instances(_n(ctx, 2)):
        model = _ou(rng, m=2)
        M = model.W - model.Gamma
        inp = _sinusoids(rng, 2)
        t = inp.T
        Q = model.Q[0]   # f = A h + 1/2 h^T Q h  ->  K2 = (e^{(t-s1)M}c)^T Q (e^{(t-s2)M}c) (ordered)

        def both_forms(nodes):
            x, w = np.polynomial.legendre.leggauss(nodes)
            s = t * (x + 1) / 2
            ws = w * t / 2
            X = sla.expm((t - s)[:, None, None] * M) @ model.C        # (q, n, m): e^{(t-s)M} c_k
            Xu = np.einsum("qnm,qm->qn", X, inp(s))
            square = 0.5 * np.einsum("q,qi,ij,rj,r->", ws, Xu, Q, Xu, ws)  # H2 = K2/2! on the square
            size = 0.5 * np.linalg.norm(Q, 2) * float(np.sum(np.abs(ws) * np.linalg.norm(Xu, axis=1))) ** 2
            simplex = 0.0
            for s1, w1 in zip(s, ws):
                s2 = s1 * (x + 1) / 2
                w2 = w * s1 / 2
                X2 = sla.expm((t - s2)[:, None, None] * M) @ model.C
                X1 = sla.expm((t - s1) * M) @ model.C
                simplex += w1 * np.einsum("i,ij,qj,q->", X1 @ inp(s1), Q, np.einsum("qnm,qm->qn", X2, inp(s2)), w2)
            return square, simplex, size
        square, simplex, size = both_forms(40)
        square_c, simplex_c, _ = both_forms(30)
        # Gauss–Legendre converges geometrically on these analytic integrands: the 30-to-40-node
        # change bounds each 40-node error; the sums of 40² terms round at 16·40²·ε·Σ|terms|.
        tol = abs(square - square_c) + abs(simplex - simplex_c) + 16 * 40 ** 2 * EPS * size
        ctx.record(abs(square - simplex), tol, check="square/2! vs simplex", quadrature_change=tol)
    u_same = N.SmoothInput(lambda s: np.stack([np.sin(s), np.sin(s)], -1), 1.0, 2)
    try:
        _require_distinct_channels(u_same)
        ctx.require(False, "equal channels rejected")
    except InputError as exc:
        ctx.require("u" in str(exc), "equal channels rejected naming u")


def _require_distinct_channels(inp):
    s = np.linspace(0, inp.T, 101)
    U = inp(s)
    if U.shape[1] >= 2 and np.allclose(U[:, 0], U[:, 1]):
        raise InputError("u: channels must differ for this check (equal channels hide ordering errors)")


_claim("ordered_symmetric_kernels", "Ordered simplex kernel = n! × symmetric kernel",
       ("H_n(t; s) = K⁽ⁿ⁾(sorted times, indices carried along)/n!", "m = 2 with unequal channels"),
       Tolerance("|square − simplex| ≤ the 30-to-40-node change of both + 16·40²·ε·Σ|terms|",
                 "40-node Gauss–Legendre on analytic integrands converges geometrically, so the change from 30 nodes bounds the 40-node error; the double sums round once per term", kind="truncation+roundoff"),
       _ordered_numeric, lambda: _proof(T.symmetrize_check(), "n = 2, m = 1, exponential kernel and input: both integrals in closed form"),
       prov="R✓")


def _stationary_numeric(ctx):
    from scipy.integrate import solve_ivp
    for rng in ctx.instances(_n(ctx, 2)):
        model, hs = _designed(rng, m=2)
        T_ = rng.uniform(1.0, 3.0)
        tt = np.linspace(0, 2 * T_, 81)
        uu = np.stack([np.sin(2 * tt), np.cos(1.3 * tt) + 0.2], 1)
        uu2 = uu.copy()
        uu2[41:] += rng.standard_normal((len(tt) - 41, 2))      # changed after t = tt[40] only
        inp, inp2 = N.PiecewiseLinearInput(tt, uu), N.PiecewiseLinearInput(tt, uu2)
        te = np.array([tt[40]])
        Ya, _ = N.hierarchy(model, hs, inp, 3, t_eval=te)
        Yb, _ = N.hierarchy(model, hs, inp2, 3, t_eval=te)
        ctx.record(np.max(np.abs(Ya - Yb)), 1e-13 * (1 + np.max(np.abs(Ya))), check="(a) causality")
        # (b) shift: input delayed by D and switched on at D
        D = 0.7
        inp_d = N.PiecewiseLinearInput(np.concatenate([[0.0, D - 1e-9], tt + D]), np.vstack([np.zeros((2, 2)), uu]))
        Yd, _ = N.hierarchy(model, hs, inp_d, 2, t_eval=np.array([T_ + D]))
        Y0, _ = N.hierarchy(model, hs, inp, 2, t_eval=np.array([T_]))
        ctx.record(np.max(np.abs(Yd - Y0)) / (1e-300 + np.max(np.abs(Y0))), 1e-5,
                   check="(b) delay by D delays Y_n", note="input jump at D smoothed over 1e-9")
        # (c') trajectory linearisation from a point mass h0 != h*: K1(t; s) along phi_t(h0) against
        # central differences of the ODE
        h0 = hs + 0.5 * rng.standard_normal(model.n)
        t_ = 0.5
        n = model.n

        def rhs(s, y):
            h, dl = y[:n], y[n:]
            return np.concatenate([model.drift(h), model.jacobian(h) @ dl + model.C @ inp(s)])
        y = np.concatenate([h0, np.zeros(n)])
        for lo, hi in zip(*(lambda g: (g[:-1], g[1:]))(np.union1d(tt[tt < t_], [t_]))):   # kinks of u
            y = solve_ivp(rhs, (lo, hi), y, method="DOP853", rtol=1e-12, atol=1e-14).y[:, -1]
        hT, dT = y[:n], y[n:]
        Y1_traj = model.readout_gradient(hT)[0] @ dT
        e = 2e-3
        yv = N.ode_outputs(model, h0, inp, [e, -e, e / 2, -e / 2], t_eval=np.array([t_]))[:, 0, 0]
        d1, d2 = (yv[0] - yv[1]) / (2 * e), (yv[2] - yv[3]) / e
        Y1_fd = (4 * d2 - d1) / 3            # Richardson: O(e^4) truncation
        # (c) the stationary series errs at first order in eps: slope of the discrepancy ~ 1, applicable
        # where the first-order gap |Y1(h0) - Y1(h*)| dominates the higher orders
        Yst, _ = N.hierarchy(model, hs, inp, 1, t_eval=np.array([t_]))
        gap = abs(Y1_traj - Yst[0, 0, 0])
        y0 = N.ode_outputs(model, h0, inp, [0.0], t_eval=np.array([t_]))[0, 0, 0]
        es = np.array([0.04, 0.02, 0.01])
        ys = N.ode_outputs(model, h0, inp, es, t_eval=np.array([t_]))[:, 0, 0]
        disc = np.abs(ys - y0 - es * Yst[0, 0, 0])
        if np.min(disc) < 1e-10 or np.any(np.abs(disc - es * gap) > 0.2 * es * gap):
            ctx.skip(f"(c): first-order gap {gap:.2g} does not dominate the discrepancy for ε in [0.01, 0.04]")
        else:
            # The stationary series is wrong at first order off h*: the discrepancy must be O(ε),
            # not smaller (a one-sided check from below: order ≤ 1 + 1/2).
            order = math.log(disc[-2] / disc[-1]) / math.log(2)
            ctx.record(order - 1.0, 0.5, check="(c) discrepancy is first order: observed order ≤ 1 + 1/2", slope=order)
        ctx.record(abs(Y1_fd - Y1_traj), 1e-8 * (1 + abs(Y1_traj)), check="(c') trajectory linearisation")


_claim("stationary_causal_kernels", "Causality; kernels depend only on the lags under a stationary start",
       ("deterministic case at an exponentially stable h*", "(c): start at a point mass h₀ ≠ h*"),
       Tolerance("(a) 1e-13; (b) 1e-5 relative; (c) observed order of the discrepancy ≤ 1 + 1/2; (c') 1e-8(1 + |Y₁|)",
                 "(a) identical solves before t; (b) the delayed input's jump is smoothed over 1e-9 (error ≤ 1e-8) and DOP853 rtol 1e-11; (c') Richardson-extrapolated central differences (ε = 2e-3): O(ε⁴) truncation plus ~1e-12/ε rounding", kind="truncation+roundoff"),
       _stationary_numeric, lambda: _proof(T.stationary_kernel_check(), "OU: (∂_t + ∂_s) A e^{(t−s)M} c = 0"),
       note="(c) uses the deterministic analogue (point-mass start) of the non-stationary start.", cost=2.0)


def _instant_numeric(ctx):
    for rng in ctx.instances():
        p = _oned(rng)
        ch = _oned_chain(p)
        k0 = ch.pi @ (ch.B @ ch.x)
        ctx.record(abs(k0 - p["c"]), 1e-12 * (1 + abs(p["c"])) * 10, check="π B x = c", **p)
        k2 = ch.pi @ (ch.B @ ch.x ** 2)
        ctx.record(abs(k2 - 2 * p["c"] * (ch.pi @ ch.x)), 1e-10, check="π B x² = ⟨2c x⟩ (interior exact)")
        model, hs = _designed(rng)
        K0 = N.kernel1(model, hs, [0.0])[0]
        ctx.record(np.max(np.abs(K0 - model.readout_gradient(hs) @ model.C)), 1e-14, check="σ = 0: K(0) = ∇fᵀC")


_claim("instantaneous_response", "Instantaneous response K⁽¹⁾ₖ(0) = ⟨cₖ·∇f⟩∞",
       ("A3–A5; readout differentiable", "grid chain with one-sided boundary rows in B"),
       Tolerance("10·1e-12(1+|c|) for π B x; 1e-10 for x² (boundary mass ≤ 1e-12)",
                 "sums of ~400 terms of size ≤ |c|; B is exact on quadratics away from the ends", kind="roundoff+truncation"),
       _instant_numeric,
       lambda: _proof(T.instantaneous_check(), "OU, n = 2, quadratic f: closed-form K⁽¹⁾(0) = Gaussian average of c·∇f"),
       prov="R✓")


def _decay_rate(K_fn, alpha, second, period, shift=0.0):
    # envelope decay rate between tau_a and tau_b, with tau_a chosen so that the next-slowest mode
    # is suppressed by e^{-7} (and ``shift`` later, to measure what is left of it)
    # The second window is a whole number of periods later: for the dominant (complex) pair
    # K(tau + P) = e^{alpha P} K(tau) exactly, so the window maxima scale by e^{alpha (tau_b - tau_a)}.
    gap = max(abs(second - alpha), 1e-12)
    tau_a = max(5.0 / abs(alpha), 7.0 / gap) + shift
    tau_b = tau_a + period * max(1, math.ceil(10.0 / abs(alpha) / period))
    if abs(alpha) * (tau_b + period) > 600:
        return None, tau_a
    env = []
    for ta in (tau_a, tau_b):
        taus = np.linspace(ta, ta + period, 64)
        env.append(np.max(K_fn(taus)))
    return -(math.log(env[1]) - math.log(env[0])) / (tau_b - tau_a), tau_a


def _fading_numeric(ctx):
    for rng in ctx.instances():
        model, hs = _designed(rng)
        lam = np.linalg.eigvals(model.jacobian(hs))
        alpha = float(lam.real.max())
        others = lam.real[lam.real < alpha - 1e-9]
        second = float(others.max()) if len(others) else alpha - 10.0
        im = np.abs(lam.imag[np.isclose(lam.real, alpha)]).max()
        period = 2 * np.pi / im if im > 1e-9 else 1.0
        K = lambda taus: np.linalg.norm(N.kernel1(model, hs, taus).reshape(len(taus), -1), axis=1)  # noqa: E731
        rate, ta = _decay_rate(K, alpha, second, period)
        if rate is None:
            ctx.skip(f"slowest modes too close (gap {abs(second - alpha):.2g}); fit window would underflow")
            continue
        ctx.record(abs(rate + alpha) / abs(alpha), _modal_rate_tolerance(model, hs, alpha, ta, period),
                   check="σ = 0: fitted rate vs spectral abscissa", alpha=alpha)
    for rng in ctx.instances(2, start=100):
        p = _oned(rng, monostable=True)
        ch = _oned_chain(p, nx=301)
        ev = ch.eigs(3)
        gap = -ev[1]
        taus = np.linspace(0, 1, 2)
        rates = []
        shift = SHIFT / (ev[1] - ev[2])
        # The spectral sum's absolute rounding: eigenvectors of the nx-state chain carry ~nx·ε.
        floor = 100 * len(ch.x) * EPS * np.max(np.abs(ch.kernel1(np.array([0.0]))))
        for extra in (0.0, shift):
            tau_a = max(3.0 / gap, 7.0 / (ev[1] - ev[2])) + extra
            tau_b = tau_a + 6.0 / gap
            Ka, Kb = np.abs(ch.kernel1(np.array([tau_a, tau_b])))
            rates.append(-(math.log(Kb) - math.log(Ka)) / (tau_b - tau_a))
        ctx.record(abs(rates[1] - gap) / gap,
                   _rate_tolerance(rates[0], rates[1], tau_b - tau_a, -gap, floor / min(Ka, Kb)),
                   check="σ > 0 (1-D chain): fitted rate vs spectral gap", gap=gap)
        del taus


def sla_expm(A):
    import scipy.linalg as sla
    return sla.expm(A)


def _modal_rate_tolerance(model, hs, alpha, tau_a, period):
    r"""Relative error bound of the envelope rate fitted on [τ_a, τ_b] (σ = 0 kernel).

    With J = VΛV⁻¹, K⁽¹⁾(τ) = Σₖ e^{λₖτ}aₖ, aₖ = ∇f Vₖ (V⁻¹)ₖ c. The modes with Re λ = α make a
    term e^{ατ}P(τ) with P periodic, whose window maxima E₀(τ) scale exactly by e^{α(τ_b − τ_a)}; the
    other modes move each maximum by at most δ(τ) = Σ_{Re λₖ<α} ‖aₖ‖e^{Re λₖ τ}, so
    |log E(τ) − log E₀(τ)| ≤ 2δ/E (for δ ≤ E/2) and the rate is off by at most
    (2δ_a/E_a + 2δ_b/E_b)/(τ_b − τ_a), plus rounding of expm (1e-12 relative)."""
    J = model.jacobian(hs)
    lam, V = np.linalg.eig(J)
    g = model.readout_gradient(hs)
    left, right = g @ V, np.linalg.solve(V, model.C.astype(complex))
    weights = np.array([np.linalg.norm(np.outer(left[:, k], right[k])) for k in range(len(lam))])
    rest = lam.real < alpha - 1e-9
    tau_b = tau_a + period * max(1, math.ceil(10.0 / abs(alpha) / period))
    K = lambda taus: np.linalg.norm(N.kernel1(model, hs, taus).reshape(len(taus), -1), axis=1)  # noqa: E731
    total = 0.0
    n = J.shape[0]
    for ta in (tau_a, tau_b):
        E = float(np.max(K(np.linspace(ta, ta + period, 64))))
        delta = float(np.sum(weights[rest] * np.exp(lam.real[rest] * (ta + period))))
        delta = max(delta, float(np.sum(weights[rest] * np.exp(lam.real[rest] * ta))))
        if delta > E / 2:
            return math.inf  # the window is not yet dominated by the slowest modes
        # scaling and squaring is accurate to ~n·ε·(1 + τ‖J‖) relative to ‖e^{τJ}‖ (Higham 2005), so K
        # carries 10·n·ε(1 + τ‖J‖)‖∇f‖‖e^{τJ}‖‖C‖ absolutely
        rounding = (10 * n * EPS * (1 + (ta + period) * np.linalg.norm(J, 2)) * np.linalg.norm(g, 2)
                    * np.linalg.norm(sla_expm(ta * J), 2) * np.linalg.norm(model.C, 2))
        total += 2 * (delta + rounding) / E
    # α itself comes from eig: off by ε‖J‖ times the condition number ‖v_k‖‖u_k‖ of its eigenvalue.
    Vinv = np.linalg.inv(V)
    slow = np.argmax(lam.real)
    kappa = float(np.linalg.norm(V[:, slow]) * np.linalg.norm(Vinv[slow]))
    eig_error = 4 * EPS * np.linalg.norm(J, 2) * kappa
    return (total / (tau_b - tau_a) + eig_error) / abs(alpha)


SHIFT = 3.5  # windows SHIFT/gap apart: what is left of the faster modes shrinks by q = e^{-SHIFT}


def _rate_tolerance(rate_early, rate_late, window, alpha, precision):
    """Relative error bound for a decay rate fitted after the next mode was suppressed.

    Shifting the window by SHIFT/gap multiplies what is left of the faster modes by q ≤ e^{-SHIFT},
    so the later rate's truncation error is at most q|r_early − r_late|/(1 − q) (×2 for the
    linearisation of the logarithm); the kernel's relative precision ``precision`` at the window's
    ends adds 2·precision/window."""
    q = math.exp(-SHIFT)
    return (2 * q * abs(rate_early - rate_late) / (1 - q) + 2 * precision / window) / abs(alpha)


_claim("fading_memory", "Kernels decay exponentially in every lag (fading memory)",
       ("σ = 0: J Hurwitz with spectral abscissa α", "σ > 0: 1-D grid chain, spectral gap λ = −λ₂(G)"),
       Tolerance("σ = 0: rate error ≤ (2δ_a/E_a + 2δ_b/E_b)/(Δτ|α|), δ the faster modes' weight Σ‖aₖ‖e^{Re λₖτ}; σ > 0: (2q|r₁ − r₂|/(1 − q) + 2δ/Δτ)/gap, q = e^{−3.5}",
                 "σ = 0: the slowest modes' envelope maxima scale exactly over whole periods, and the modal decomposition bounds what the faster modes add; σ > 0: windows 3.5/gap apart shrink what is left of the faster modes by q, so the change of the fitted rate bounds its own error, plus the spectral sum's nx·ε rounding", kind="truncation+roundoff"),
       _fading_numeric, lambda: _proof(T.fading_check(), "OU, diagonal Hurwitz M: e^{μ'τ} A e^{τM} c → 0 for every μ' below the slowest rate"),
       note="Higher-order kernels: decay in each lag is argued (B annihilates constants), checked at first order.")


def _odd_numeric(ctx):
    for rng in ctx.instances(_n(ctx, 2)):
        p = _oned(rng, b=0.0)
        L0, L1 = _oned_domain(p)
        L = max(abs(L0), abs(L1))
        ch = _oned_chain(p, nx=201, L=(-L, L))       # symmetric grid
        k1 = np.max(np.abs(ch.kernel1(np.array([0.1, 0.5, 1.0]))))
        k2 = max(abs(ch.kernel2(a, b)) for a, b in ((0.1, 0.3), (0.5, 0.2), (1.0, 1.0)))
        ctx.record(k2 / k1, 1e-12, check="chain: |K2| / |K1|", **p)
        # deterministic odd network, h* = 0: y(eps) + y(-eps) = 0 for the full ODE
        n = int(rng.integers(1, 4))
        gam = rng.uniform(0.5, 2, n)
        model = N.SRNN(Gamma=np.diag(gam), W=0.8 * gam.min() * rng.standard_normal((n, n)) / math.sqrt(n) / 2,
                       b=np.zeros(n), C=rng.uniform(-1, 1, (n, 2)), sigma=np.zeros((n, n)), A=rng.uniform(-1, 1, (1, n)))
        inp = _sinusoids(rng, 2)
        e = 0.3
        yp, ym = N.ode_outputs(model, np.zeros(n), inp, [e, -e])[:, -1, 0]
        ctx.record(abs(yp + ym), 1e-10 * (1 + abs(yp)), check="σ = 0: y(ε) + y(−ε) = 0")
    # Monte Carlo with CRN: Y2 within z se of 0
    rng = ctx.rng()
    p = _oned(rng, b=0.0)
    model = _oned_model(p)
    dt, K = 0.01, 100
    h0 = N.em_burn_in(model, 20000, 500, dt, rng)
    u = np.sin(np.arange(K) * dt * 2.0)[:, None] + 0.3
    vals = N.em_crn(model, h0, u, dt, [-0.3, 0.0, 0.3], rng)
    est, se = N.crn_coefficients(vals, 0.3, 2)
    zscore = abs(est[1, 0]) / se[1, 0]
    ctx.record(abs(est[1, 0]), ctx.z_threshold() * se[1, 0], check="MC: |Ŷ2| ≤ z_α·se", z=zscore, se=se[1, 0])


_claim("odd_symmetry", "Odd network and odd readout ⇒ even-order kernels vanish",
       ("a odd, b = 0, f odd", "ρ∞ symmetric (automatic if unique); σ = 0: h₀ = h* = 0", "grid symmetric about 0"),
       Tolerance("chain 1e-12 relative to |K⁽¹⁾|; ODE 1e-10; Monte Carlo z_α standard errors",
                 "reflection symmetry is exact on a symmetric grid up to rounding; DOP853 rtol 1e-12", kind="roundoff+truncation+statistical"),
       _odd_numeric, lambda: _proof(T.odd_symmetry_check(), "ε² and ε⁴ coefficients of F(Σεⁱδᵢ) vanish at h* = 0, b = 0 (n = 2)"),
       cost=2.0, statistical_checks=1)


# ---------------------------------------------------------------------------------------------
# 4.3 Correlation functions, convergence
# ---------------------------------------------------------------------------------------------
def _fdt_numeric(ctx):
    import scipy.linalg as sla
    for rng in ctx.instances(_n(ctx, 2)):
        p = _oned(rng)
        taus = np.array([0.0, 0.3, 1.0])
        L = _oned_domain(p)
        nx0 = _oned_nx(p, L, 201)
        discs = []
        for nx in (nx0, 2 * nx0 - 1, 4 * nx0 - 3):
            ch = N.grid_chain(_oned_F(p), p["sigma"], p["c"], L, nx)
            gen = ch.kernel1(taus)
            v = -(2 * p["c"] / p["sigma"] ** 2) * _oned_F(p)(ch.x)
            _, _, sq, _ = ch._spec
            corr = np.array([(sq * v) @ ch.propagate(sq * ch.x, t_) for t_ in taus])
            discs.append(np.max(np.abs(gen - corr)))
        _order_check(ctx, discs, 2.0, 2, "1-D: generator vs correlation form on refined grids",
                     floor=1e-12 * (1 + np.max(np.abs(gen))), discrepancies=discs)
    for rng in ctx.instances(2, start=50):
        n = int(rng.integers(2, 4))
        sym = rng.standard_normal((n, n))
        Msym = -(sym @ sym.T + 0.3 * np.eye(n))
        Mns = Msym + 0.8 * (rng.standard_normal((n, n)) - rng.standard_normal((n, n)).T)
        if N.spectral_abscissa(Mns) >= -0.05:
            Mns = Msym + 0.2 * (np.triu(np.ones((n, n)), 1) - np.tril(np.ones((n, n)), -1))
        A = rng.standard_normal(n)
        c = rng.standard_normal(n)
        sig = rng.uniform(0.3, 1.0)
        for M, expect in ((Msym, True), (Mns, False)):
            _, S = N.ou_stationary(M, np.zeros(n), sig ** 2 * np.eye(n))
            worst = 0.0
            for tau in (0.0, 0.5, 2.0):
                E = sla.expm(tau * M)
                K = A @ E @ c
                agarwal = A @ (E @ S) @ np.linalg.solve(S, c)          # E[f(h_tau) c^T S^-1 (h_0 - m)]
                equil = -(2 / sig ** 2) * A @ (M @ E @ S) @ c           # -(2/s^2) d/dtau E[f(h_tau) h_0^T c]
                ctx.record(abs(agarwal - K), 1e-10 * (1 + abs(K)) * np.linalg.cond(S), check="OU Agarwal form")
                worst = max(worst, abs(equil - K) / (1 + abs(K)))
            if expect:
                ctx.record(worst, 1e-10 * np.linalg.cond(S), check="OU symmetric M: equilibrium FDT holds")
            else:
                ctx.require(worst > 1e-6, "OU non-symmetric M: equilibrium FDT fails", discrepancy=worst)


_claim("fdt_first_order", "Nonequilibrium FDT (Agarwal form); equilibrium form iff reversible",
       ("A3 (Σ ≻ 0), A4 (stationary start)", "1-D: v = −(2c/σ²)F; OU: Gaussian ρ∞"),
       Tolerance("1-D: observed grid order of the discrepancy ≥ 2 − 1/2; OU: 1e-10·cond(S∞)",
                 "grid discrepancy is O(dx²) (a wrong form leaves O(1)); the Gaussian conjugate needs one solve with S∞", kind="truncation+roundoff"),
       _fdt_numeric,
       lambda: Proof(_is_zero(T.gaussian_conjugate_check()) and _is_zero(T.equilibrium_fdt_condition()[1]) and
                     not _is_zero(T.equilibrium_fdt_condition()[0]),
                     "Gaussian conjugate −c·∇log ρ = cᵀS⁻¹(h−m); 2×2 OU: equilibrium form ⇔ m₁₂ = m₂₁"),
       prov="R✓", cost=2.0)


def _girsanov_numeric(ctx):
    for rng in ctx.instances(_n(ctx, 1)):
        p = _oned(rng, monostable=True)
        model = _oned_model(p)
        dt, K = 0.02, 50
        u = (np.sin(1.5 * np.arange(K) * dt) + 0.5)[:, None]
        h0 = N.em_burn_in(model, 20000, int(5 / (p["gamma"] * dt)), dt, rng)
        e = 0.1
        vals, noise = N.em_crn(model, h0, u, dt, [-e, 0.0, e], rng, return_noise=True)
        theta = N.girsanov_theta(model, u)                     # (K, 1)
        Mt = np.einsum("kpr,kr->p", noise, theta)
        Vt = float(np.sum(theta ** 2) * dt)
        gy, gse = N.girsanov_coefficients(vals[1], Mt, Vt, 2)
        cy, cse = N.crn_coefficients(vals, e, 2)
        ch = _oned_chain(p)
        Ych = N.chain_block_response(ch.G, ch.B, ch.pi, ch.x, u[:, 0], np.full(K, dt), 4)
        for n_ in (1, 2):
            beta = e ** 2 * abs(Ych[n_ + 2])
            err = abs(gy[n_ - 1, 0] - cy[n_ - 1, 0])
            se = math.hypot(gse[n_ - 1, 0], cse[n_ - 1, 0])
            ctx.record(err, ctx.z_threshold() * se + 1.1 * beta, check=f"Girsanov vs CRN, Y{n_}", z=err / se, se=se,
                       beta_trunc=beta)
        # against the grid chain: the same estimator at dt/2 (coupled increments); the EM bias is
        # estimated as 2 |Y(dt) - Y(dt/2)| (brief em_weak_bias)
        seed = int(rng.integers(2 ** 31))
        r2 = np.random.default_rng(seed)
        h0f = N.em_burn_in(model, 20000, 2 * int(5 / (p["gamma"] * dt)), dt / 2, r2)
        valsf, noisef = N.em_crn(model, h0f, u, dt, [0.0], r2, return_noise=True, substeps=2)
        gyf, gsef = N.girsanov_coefficients(valsf[0], np.einsum("kpr,kr->p", noisef, theta), Vt, 2)
        for n_ in (1, 2):
            beta_em = 2 * abs(gy[n_ - 1, 0] - gyf[n_ - 1, 0])
            err = abs(gyf[n_ - 1, 0] - Ych[n_])
            se = gsef[n_ - 1, 0]
            ctx.record(err, ctx.z_threshold() * se + beta_em, check=f"Girsanov (dt/2) vs grid chain, Y{n_}", z=err / se, se=se,
                       beta_em=beta_em, seed=seed)
    m = _oned_model(_oned(ctx.rng(7)))
    try:
        N.girsanov_theta(m.replace(sigma=np.zeros((1, 1))), np.ones((3, 1)))
        ctx.require(False, "c ∉ range(σ) rejected")
    except InputError as exc:
        ctx.require("sigma" in str(exc), "c ∉ range(σ) rejected naming sigma")
    z = N.girsanov_coefficients(np.ones((5, 1)), np.zeros(5), 0.0, 3)[0]
    ctx.require(np.all(z == 0), "V_t = 0 gives Y_n = 0")


_claim("girsanov_chaos", "All orders as output–noise correlations (Hermite chaos)",
       ("every c_k ∈ range(σ)", "stationary start; EM chain (discrete Girsanov is exact for it)"),
       Tolerance("vs CRN: z·√(se_G² + se_CRN²) + 1.1·ε²|Y_{n+2}|; vs chain: z_α·se + 2|Ŷ(dt) − Ŷ(dt/2)| (z_α the two-sided normal quantile at the per-test α)",
                 "both estimators target the same EM quantity; the central difference carries the ε² bias, "
                 "estimated from the grid chain (10% margin for its O(dt + dx²) difference from the EM value); "
                 "against the chain the EM bias is estimated by coupled dt-halving", kind="statistical+truncation"),
       _girsanov_numeric, lambda: _proof(T.hermite_generating_check(10), "e^{xz−z²/2} = Σ Heₙ(x)zⁿ/n! through order 10"),
       prov="R✓", cost=4.0, statistical_checks=4 * 40)


def _tail_numeric(ctx):
    for rng in ctx.instances(_n(ctx, 2)):
        p = _oned(rng)
        ch = _oned_chain(p)
        K, dt = 20, 0.1
        u = (np.sin(np.arange(K) * dt * rng.uniform(0.5, 3)) + rng.uniform(-0.5, 0.5))[:, None]
        Y = N.chain_block_response(ch.G, ch.B, ch.pi, ch.x, u[:, 0], np.full(K, dt), 6)
        sd = math.sqrt(ch.pi @ ch.x ** 2 - (ch.pi @ ch.x) ** 2)
        V = float(np.sum((p["c"] * u[:, 0] / p["sigma"]) ** 2) * dt)
        coarse = _oned_chain(p, nx=201)
        Yc = N.chain_block_response(coarse.G, coarse.B, coarse.pi, coarse.x, u[:, 0], np.full(K, dt), 6)
        for n_ in range(1, 7):
            bound = sd * V ** (n_ / 2) / math.sqrt(math.factorial(n_))
            # The bound holds for the SDE; the chain's Yₙ carries an O(dx²) grid error: against the
            # grid with twice the spacing it is ≈ |Yₙ(2dx) − Yₙ(dx)|/3 (Richardson), ×2.
            grid = 2 * abs(Yc[n_] - Y[n_]) / 3
            ctx.record(abs(Y[n_]) / bound, 1 + grid / bound, check=f"|Y{n_}| ≤ sd·V^(n/2)/√n!", order=n_)


_claim("entire_tail_bound", "Non-degenerate noise ⇒ series entire in ε with an explicit tail bound",
       ("hypotheses of girsanov_chaos", "E f(h⁰_t)² < ∞"),
       Tolerance("|Yₙ| ≤ bound·(1 + ĝ/bound), ĝ = (2/3)|Yₙ(2dx) − Yₙ(dx)|",
                 "the bound is the SDE's; the chain's coefficients carry an O(dx²) grid error, estimated by grid halving (Richardson) with a factor 2", kind="truncation"),
       _tail_numeric, lambda: _proof(T.hermite_norm_check(8), "∫Heₙ²φ = n! for n ≤ 8"),
       note="The paper's own convergence statement could not be consulted.")


# ---------------------------------------------------------------------------------------------
# 4.4 Explicit oracles (deterministic)
# ---------------------------------------------------------------------------------------------
def _pulse_response(model, hs, s0, width, amp, k, t_end):
    from scipy.integrate import solve_ivp
    ck = model.C[:, k]
    h = hs.copy()
    for a, b, on in ((0, s0, 0.0), (s0, s0 + width, amp), (s0 + width, t_end, 0.0)):
        if b > a:
            h = solve_ivp(lambda t, x: model.drift(x) + on * ck, (a, b), h, method="DOP853", rtol=1e-12, atol=1e-15).y[:, -1]
    return model.readout(h)[0]


def _det1_numeric(ctx):
    for rng in ctx.instances():
        model, hs = _designed(rng, quadratic=False)
        _det1_check(ctx, model, hs, rng)


def _det1_network(ctx, spec):
    model = _user_model(spec, deterministic=True)
    hs, _ = _stable_fixed_point(model)
    _det1_check(ctx, model, hs, ctx.rng())


def _det1_check(ctx, model, hs, rng):
    t_end, s0 = 2.0, 0.5
    K = N.kernel1(model, hs, [t_end - s0])[0][0, 0]
    y_star = model.readout(hs)[0]
    # Signed errors e(Δ) = (y − y*)/(amp·width) − K for width = amp = Δ: e(Δ) = c₀ + c₁Δ + c₂Δ² + …,
    # and the claim is c₀ = 0. Richardson R(Δ) = 2e(Δ/2) − e(Δ) = c₀ + O(Δ²) removes the first-order
    # term whatever its sign (the two first-order terms, from width and amplitude, may cancel, so the
    # unsigned error has no clean order); R at two levels estimates c₀ with error ≈ |R₁ − R₂|/3.
    deltas = (0.04, 0.02, 0.01)
    e = []
    for d_ in deltas:
        y = _pulse_response(model, hs, s0, d_, d_, 0, t_end)
        e.append((y - y_star) / (d_ * d_) - K)
    R1, R2 = 2 * e[1] - e[0], 2 * e[2] - e[1]
    floor = 3 * 1e-10 * (1 + abs(y_star)) / deltas[-1] ** 2   # DOP853 at rtol 1e-12 over three solves
    ctx.record(abs(R2), 2 * abs(R1 - R2) / 3 + floor, check="impulse response → K⁽¹⁾: extrapolated offset c₀ = 0",
               errors=[float(v) for v in e], n=model.n)
    t = np.linspace(0, 3, 31)
    inp = N.PiecewiseLinearInput(t, rng.uniform(-1, 1, (31, model.m)))
    delta = N.ou_mean_shift(model.jacobian(hs), model.C, inp, 3.0)       # Van Loan blocks
    Y1, _ = N.hierarchy(model, hs, inp, 1)
    Y_vl = model.readout_gradient(hs)[0] @ delta
    ctx.record(abs(Y_vl - Y1[0, -1, 0]), 1e-10 * (1 + abs(Y_vl)), check="Van Loan vs DOP853")


_claim("det_first_order_kernel", "σ = 0 at h*: K⁽¹⁾(τ) = ∇fᵀe^{τJ}c",
       ("σ = 0, h₀ = h*", "J Hurwitz"),
       Tolerance("impulse: Richardson-extrapolated offset |2e(Δ/4) − e(Δ/2)| ≤ (2/3)|R(Δ/2) − R(Δ)| + solver floor; Van Loan vs DOP853 1e-10(1 + |Y|)",
                 "the impulse error is c₀ + c₁Δ + O(Δ²) with c₀ = 0 for the right kernel; one Richardson step removes c₁Δ (the width and amplitude terms may cancel), and the change between two levels bounds the O(Δ²) remainder (it shrinks by 4); DOP853 at rtol 1e-12 against exact block exponentials", kind="truncation+roundoff"),
       _det1_numeric,
       lambda: _proof(T.response_coefficient_order1_check(0), "∂⁰: ∇fᵀe^{(t−s)J}c at s = 0 for non-normal 2×2 J (exp via eigenvectors)"),
       prov="R✓", network=_det1_network)


def _det2_numeric(ctx):
    for rng in ctx.instances(_n(ctx, 1)):
        model, hs = _designed(rng, m=2, quadratic=True)
        inp = _sinusoids(rng, 2, T=rng.uniform(0.5, 2.5))
        t = inp.T
        Y, _ = N.hierarchy(model, hs, inp, 2, rtol=1e-12, atol=1e-14)

        def quadrature(nodes):
            x, w = np.polynomial.legendre.leggauss(nodes)
            s1s, w1 = t * (x + 1) / 2, w * t / 2
            tot, size = 0.0, 0.0
            for s1, ww1 in zip(s1s, w1):
                s2s, w2 = s1 * (x + 1) / 2, w * s1 / 2
                U2 = inp(s2s)
                for s2, ww2, u2 in zip(s2s, w2, U2):
                    term = ww1 * ww2 * inp(s1) @ N.kernel2_ordered(model, hs, t, s1, s2, nodes)[0] @ u2
                    tot, size = tot + term, size + abs(term)
            return tot, size
        tot, size = quadrature(24)
        coarse, _ = quadrature(16)
        # Gauss–Legendre converges geometrically on these analytic integrands, so the 24-node
        # error is far below its distance to the 16-node value; plus the hierarchy's DOP853 error
        # (rtol 1e-12 over the horizon, ×100) and the rounding of the sum of terms.
        tol = abs(tot - coarse) + 1e-10 * abs(Y[1, -1, 0]) + 16 * 24 ** 2 * EPS * size
        ctx.record(abs(tot - Y[1, -1, 0]), tol, check="hierarchy vs quadrature", n=model.n,
                   quadrature_change=abs(tot - coarse))


_claim("det_second_order_kernel", "σ = 0 at h*: ordered second-order kernel",
       ("σ = 0, h₀ = h*", "J Hurwitz", "m = 2, both index orders"),
       Tolerance("|Q₂₄ − Y₂| ≤ |Q₂₄ − Q₁₆| + 1e-10|Y₂| + 16·24²·ε·Σ|terms|",
                 "Gauss–Legendre converges geometrically on analytic integrands, so the 16-node to 24-node change bounds the 24-node error; the hierarchy is DOP853 at rtol 1e-12 (×100 over the horizon)", kind="truncation+roundoff"),
       _det2_numeric, lambda: _proof(T.second_order_scalar_check(), "n = 1, quadratic f, u = e^{μs}: hierarchy Y₂ = ordered double integral"),
       prov="R✓", cost=3.0)


def _hierarchy_numeric(ctx):
    for rng in ctx.instances(_n(ctx, 2)):
        model, hs = _designed(rng, m=2, quadratic=True, kappa_max=1.2)
        _hierarchy_check(ctx, model, hs, _sinusoids(rng, 2))


def _hierarchy_network(ctx, spec):
    model = _user_model(spec, deterministic=True)
    hs, _ = _stable_fixed_point(model)
    for k in range(model.p):
        _hierarchy_check(ctx, model.replace(A=model.A[k:k + 1], d=model.d[k:k + 1]), hs,
                         _sinusoids(ctx.rng(k), model.m))


def _hierarchy_check(ctx, model, hs, inp):
    eps = np.array([0.4, 0.2, 0.1, 0.05])
    Y, _ = N.hierarchy(model, hs, inp, 4, rtol=1e-12, atol=1e-14)
    Y = Y[:, -1, 0]
    y0 = model.readout(hs)[0]
    ys = N.ode_outputs(model, hs, inp, eps)[:, -1, 0]
    for Nn in range(4):
        res = np.abs(ys - y0 - sum(eps ** k * Y[k - 1] for k in range(1, Nn + 1)))
        if abs(Y[Nn]) < 1e-8:
            ctx.skip(f"|Y_{Nn + 1}| < 1e-8: slope undefined")
            continue
        if res[-1] < 1e3 * 1e-12 * (1 + abs(y0)):
            ctx.skip(f"N = {Nn}: reference precision insufficient")
            continue
        if Nn + 1 < len(Y) and eps[-2] * abs(Y[Nn + 1]) > 0.05 * abs(Y[Nn]):
            ctx.skip(f"N = {Nn}: the next order is not negligible at ε = {eps[-2]} "
                     f"(ε|Y_{Nn + 2}|/|Y_{Nn + 1}| = {eps[-2] * abs(Y[Nn + 1]) / abs(Y[Nn]):.2g})")
            continue
        floor = 1e-10 * (1 + abs(y0))  # DOP853 at rtol 1e-12, atol 1e-14, with 100× accumulation
        _order_check(ctx, res, 2.0, Nn + 1, f"N = {Nn}", floor=floor)
        if Nn + 3 <= 4:
            coefficients = [y0] + list(Y)

            def remainder(e, Nn=Nn):
                y_e = N.ode_outputs(model, hs, inp, [e])[0, -1, 0]
                return abs(y_e - y0 - sum(e ** k * Y[k - 1] for k in range(1, Nn + 1)))
            _next_term_check(ctx, remainder, coefficients, Nn, (0.05, 0.025, 0.0125), floor, f"N = {Nn}")


_claim("variational_hierarchy", "Arbitrary order via the variational hierarchy; error O(ε^{N+1})",
       ("σ = 0, h₀ = h* exponentially stable", "analytic activation (tanh)", "ε inside the convergence region"),
       Tolerance("observed order of the remainder ≥ N + 1 − 1/2 (higher passes); |res/ε^{N+1} − |Y_{N+1}|| ≤ 2(ε|Y_{N+2}| + ε²|Y_{N+3}|) + floor/ε^{N+1}",
                 "a wrong coefficient leaves a remainder of order ≤ N, so the midpoint N + 1/2 separates; the next-term bound is the reverse triangle inequality, applied only where the next coefficient dominates the one after it (else a smaller ε); floor 1e-10(1 + |y*|) from DOP853 at rtol 1e-12", kind="truncation"),
       _hierarchy_numeric, lambda: _proof(T.hierarchy_series_check(2, 4), "series of F(h*+Σεⁱδᵢ) coefficient by coefficient, n = 2, N ≤ 4"),
       note="Convergence radius (basin, tanh singularities at ±iπ/2) is a note, not checked.", prov="R✓", cost=3.0,
       network=_hierarchy_network)


def _ou_numeric(ctx):
    for rng in ctx.instances():
        model = _ou(rng)
        M = model.W - model.Gamma
        Sig = model.Sigma()
        m_inf, S = N.ou_stationary(M, model.b, Sig)
        ctx.record(np.max(np.abs(M @ S + S @ M.T + Sig)), 1e-12 * np.linalg.norm(Sig), check="Lyapunov residual")
        tt = np.linspace(0, rng.uniform(0.5, 3), 21)
        inp = N.PiecewiseLinearInput(tt, rng.uniform(-1, 1, (21, model.m)))
        t = inp.T
        delta = N.ou_mean_shift(M, model.C, inp, t)
        A, Q = model.A[0], model.Q[0]

        def series(e, m_, S_):
            return A @ m_ + 0.5 * m_ @ Q @ m_ + 0.5 * np.trace(Q @ S_) + e * (A + m_ @ Q) @ delta + e ** 2 * 0.5 * delta @ Q @ delta

        base, ymax = None, 0.0
        for scale in (0.1, 1.0):
            sig = model.sigma * scale
            m_inf, S = N.ou_stationary(M, model.b, sig @ sig.T)
            resp = []
            for e in (0.4, -0.4, 0.0):
                m_t, S_t = N.ou_moment_ode(M, model.b, model.C, sig @ sig.T, m_inf, S, inp, e, t)
                y = A @ m_t + 0.5 * m_t @ Q @ m_t + 0.5 * np.trace(Q @ S_t)
                # magnitude of the terms summed into y (S can be large for slow, non-normal M)
                size = 1 + np.abs(A) @ np.abs(m_t) + 0.5 * np.abs(m_t) @ np.abs(Q) @ np.abs(m_t) + 0.5 * np.sum(np.abs(Q * S_t))
                ctx.record(abs(y - series(e, m_inf, S)), 1e-10 * size, check="moment ODE vs series (exact at ε = ±0.4)")
                resp.append(y)
                ymax = max(ymax, size)
            r = np.array(resp[:2]) - resp[2]
            if base is None:
                base = r
            else:
                ctx.record(np.max(np.abs(r - base)), 1e-10 * (1 + ymax), check="response independent of σ (degree 2)")


_claim("ou_closed_form", "Linear SRNN (OU): closed form, Lyapunov equation, termination at the readout's degree",
       ("a(z) = z, M = W − Γ Hurwitz", "readout of degree ≤ 2 for σ-independence"),
       Tolerance("1e-10 relative to the terms |A||m| + ½|m||Q||m| + ½Σ|Q∘S|; Lyapunov residual ≤ 1e-12‖Σ‖",
                 "DOP853 at rtol 1e-12 on the moment ODEs (errors scale with m and S, which can be large for slow "
                 "non-normal M); one Lyapunov solve", kind="truncation+roundoff"),
       _ou_numeric,
       lambda: Proof(_is_zero(T.ou_quadratic_mean_check()) and _is_zero(T.ou_sigma_independence_check()[0])
                     and not _is_zero(T.ou_sigma_independence_check()[1]),
                     "Gaussian moment expansion of Ah + hᵀQh; ∂σK = 0 for degree 2, ≠ 0 for f = h³"))


def _oned_density_numeric(ctx):
    for rng in ctx.instances(_n(ctx, 2)):
        p = _oned(rng)
        L = _oned_domain(p)
        nx0 = _oned_nx(p, L, 201)
        x0 = np.array([0.0])
        logZ = float(N.oned_log_density(x0, p["gamma"], p["w"], p["b"], p["sigma"])[0]
                     - np.log(N.oned_density(x0, p["gamma"], p["w"], p["b"], p["sigma"])[0]))   # mpmath.quad, once
        errs = []
        for nx in (nx0, 2 * nx0 - 1, 4 * nx0 - 3):
            ch = N.grid_chain(_oned_F(p), p["sigma"], p["c"], L, nx)
            rho = np.exp(N.oned_log_density(ch.x, p["gamma"], p["w"], p["b"], p["sigma"]) - logZ)
            errs.append(np.max(np.abs(ch.pi / ch.dx - rho)[::(nx - 1) // (nx0 - 1)]))
        # The closed form's normaliser comes from mpmath.quad: ~1e-14 relative.
        _order_check(ctx, errs, 2.0, 2, "chain π vs closed form on refined grids",
                     floor=1e-12 * np.max(rho), **p)


def _oned_ks(ctx):
    # Kolmogorov-Smirnov distance of an EM sample (independent paths after burn-in) to the closed-form
    # CDF, against the level-1e-3 critical value plus the EM bias 2 sup|F_dt - F_dt/2| (coupled runs)
    rng = ctx.rng(500)
    p = _oned(rng, monostable=True)
    model = _oned_model(p)
    P, dt = 20000, 0.01
    steps = int(8 / (p["gamma"] * dt))
    seed = int(rng.integers(2 ** 31))
    samples = []
    for sub in (1, 2):
        r2 = np.random.default_rng(seed)
        samples.append(np.sort(N.em_burn_in(model, P, steps * sub, dt / sub, r2)[:, 0]))
    L = _oned_domain(p)
    xs = np.linspace(L[0], L[1], 20001)
    x0 = np.array([0.0])
    logZ = float(N.oned_log_density(x0, p["gamma"], p["w"], p["b"], p["sigma"])[0]
                 - np.log(N.oned_density(x0, p["gamma"], p["w"], p["b"], p["sigma"])[0]))
    rho = np.exp(N.oned_log_density(xs, p["gamma"], p["w"], p["b"], p["sigma"]) - logZ)
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * (rho[1:] + rho[:-1]) * np.diff(xs))])
    ecdf = lambda s, x: np.searchsorted(s, x, side="right") / len(s)  # noqa: E731
    D = float(np.max(np.abs(ecdf(samples[1], xs) - cdf)))
    bias = 2 * float(np.max(np.abs(ecdf(samples[0], xs) - ecdf(samples[1], xs))))
    # Two-sided KS critical value at the run's per-test level α (the DKW bound, exact for any F).
    crit = math.sqrt(-math.log(ctx.alpha() / 2) / 2) / math.sqrt(P)
    ctx.record(D, crit + bias, check="EM sample vs closed form: KS distance", crit=crit, beta_em=bias, seed=seed, **p)


def _oned_density_all(ctx):
    _oned_density_numeric(ctx)
    _oned_ks(ctx)


_claim("oned_stationary_density", "1-D SRNN: closed-form stationary density ρ∞ ∝ exp(−2V/σ²)",
       ("n = 1, F(h) = −γh + tanh(wh + b)", "γ > 0, σ > 0"),
       Tolerance("observed grid order of π ≥ 2 − 1/2; KS distance ≤ √(ln(2/α)/2)/√P + 2 sup|F_dt − F_dt/2|",
                 "the chain's π is an O(dx²) approximation; the KS bound is Dvoretzky–Kiefer–Wolfowitz at the per-test α, plus the EM bias from coupled dt-halving", kind="truncation+statistical"),
       _oned_density_all, lambda: _proof(list(T.oned_density_check()), "V' = −F, zero flux, w → 0 limit"),
       note="The EM sample is 2·10⁴ independent paths after burn-in (the brief's long single path is replaced "
            "by independent paths, which makes the KS level exact).", prov="R✓", statistical_checks=1)


def _chain_numeric(ctx):
    for rng in ctx.instances(_n(ctx, 2)):
        p = _oned(rng)
        L = _oned_domain(p)
        nx0 = _oned_nx(p, L, 201)
        taus = np.linspace(0, 2, 11)
        Ks = []
        for nx in (nx0, 2 * nx0 - 1, 4 * nx0 - 3):
            ch = N.grid_chain(_oned_F(p), p["sigma"], p["c"], L, nx)
            ctx.record(np.max(np.abs(ch.G @ np.ones(nx))), 1e-12 * abs(ch.G).max(), check="rows of G sum to 0")
            Ks.append(ch.kernel1(taus))
        scale = np.max(np.abs(Ks[-1]))
        _order_check(ctx, [np.max(np.abs(Ks[0] - Ks[1])), np.max(np.abs(Ks[1] - Ks[2]))], 2.0, 2,
                     "K1 on refined grids (O(dx²))", floor=1e-12 * (1 + scale), **p)
        ch = _oned_chain(p, nx=201)
        K, dt = 10, 0.15
        u = rng.uniform(-1, 1, K)
        Y = N.chain_block_response(ch.G, ch.B, ch.pi, ch.x, u, np.full(K, dt), 4)
        # expm_multiply over K steps: about K·1e-14 relative to the output's scale.
        floor = 1e-12 * (1 + np.max(np.abs(ch.x)))
        for Nn in (0, 1):
            def remainder(e, Nn=Nn):
                return abs(_chain_exact(ch, u, dt, e) - sum(e ** k * Y[k] for k in range(0, Nn + 1)))
            _next_term_check(ctx, remainder, list(Y), Nn, (0.1, 0.05, 0.025, 0.0125), floor, f"chain, N = {Nn}")


def _chain_exact(ch, u, dt, e):
    from scipy.sparse.linalg import expm_multiply
    row = ch.pi.copy()
    for uj in u:
        row = expm_multiply(dt * (ch.G + e * uj * ch.B).T, row)
    return row @ ch.x


_claim("oned_generator_chain", "Finite-difference generator: kernels without Monte Carlo error",
       ("1-D SRNN", "rates positive: dx < σ²/max|F|", "boundary mass ≤ 1e-12"),
       Tolerance("observed grid order of K1 ≥ 2 − 1/2; |res_N/ε^{N+1} − |Y_{N+1}|| ≤ 2(ε|Y_{N+2}| + ε²|Y_{N+3}|) + floor/ε^{N+1}",
                 "O(dx²) scheme (a wrong scheme is O(dx) or worse); the chain's series is entire, and the remainder is compared with its next coefficient only where that one dominates the one after it (else a smaller ε); floor 1e-12 from expm_multiply", kind="truncation"),
       _chain_numeric, lambda: _proof(list(T.chain_construction_check()), "G1 = 0; G and B exact on quadratics at interior nodes"),
       prov="R✓", cost=2.0)


def _small_noise_numeric(ctx):
    gamma, w, b, c = 1.0, 0.5, 0.5, 1.0
    model = N.SRNN(Gamma=[[gamma]], W=[[w]], b=[b], C=[[c]], sigma=[[0.0]], A=[[1.0]])
    hs, J = N.fixed_point(model)
    J = float(J[0, 0])
    taus = np.linspace(0, 5, 51)
    Kdet = np.exp(J * taus) * c
    sigmas = np.array([0.4, 0.2, 0.1, 0.05])
    ds = []
    F = lambda x: -gamma * x + np.tanh(w * x + b)  # noqa: E731
    for sg in sigmas:
        half = 10 * sg / math.sqrt(2 * abs(J))
        L = (hs[0] - half, hs[0] + half)
        Fmax = np.max(np.abs(F(np.linspace(*L, 101))))
        dx = min(sg / 20, sg ** 2 / (2 * Fmax))
        nx = int(math.ceil(2 * half / dx)) + 1
        K1 = N.grid_chain(F, sg, c, L, nx).kernel1(taus)
        K2 = N.grid_chain(F, sg, c, L, 2 * nx - 1).kernel1(taus)
        K = (4 * K2 - K1) / 3          # Richardson in dx: grid error O(dx^4)
        ds.append(np.max(np.abs(K - Kdet)))
    ds = np.array(ds)
    _order_check(ctx, ds, 2.0, 2, "d_σ = max|K_σ − K_det| as σ halves", floor=1e-10, d=ds.tolist())


_claim("small_noise_limit", "Kernels → deterministic kernels at O(σ²)",
       ("Σ = σ²Σ₀", "σ = 0 system has a unique, globally attracting, exponentially stable h*"),
       Tolerance("observed order of d_σ in σ ≥ 2 − 1/2 (a higher order passes)",
                 "the claim is d_σ = O(σ²); a wrong limit leaves O(1) and a missing symmetry O(σ); chain kernels Richardson-extrapolated in dx (O(dx⁴)) keep the grid error below the 1e-10 floor", kind="truncation"),
       _small_noise_numeric, None,
       note="Checked for the first-order kernel of a 1-D network (brief R3); higher orders and uniformity are the toolkit's extension.",
       prov="R✓", cost=2.0)


# ---------------------------------------------------------------------------------------------
# 4.5 Monte Carlo
# ---------------------------------------------------------------------------------------------
def _mc_numeric(ctx):
    for rng in ctx.instances(_n(ctx, 1)):
        p = _oned(rng, monostable=True)
        model = _oned_model(p)
        dt, K, e = 0.02, 50, 0.2
        u = (np.sin(1.5 * np.arange(K) * dt) + 0.5)[:, None]
        P = 20000
        burn = int(5 / (p["gamma"] * dt))
        seed = int(rng.integers(2 ** 31))
        ests = []
        for sub in (1, 2):
            r2 = np.random.default_rng(seed)
            h0 = N.em_burn_in(model, P, burn * sub, dt / sub, r2)
            vals = N.em_crn(model, h0, u, dt, [-e, 0.0, e], r2, substeps=sub)
            ests.append(N.crn_coefficients(vals, e, 2))
            last = vals
        (y_dt, se_dt), (y_h, se_h) = ests
        ch = _oned_chain(p)
        Ych = N.chain_block_response(ch.G, ch.B, ch.pi, ch.x, u[:, 0], np.full(K, dt), 4)
        for n_ in (1, 2):
            beta_em = 2 * abs(y_dt[n_ - 1, 0] - y_h[n_ - 1, 0])
            beta_tr = e ** 2 * abs(Ych[n_ + 2])
            err = abs(y_h[n_ - 1, 0] - Ych[n_])
            se = se_h[n_ - 1, 0]
            ctx.record(err, ctx.z_threshold() * se + beta_tr + beta_em, check=f"CRN Ŷ{n_} vs chain", z=err / se, se=se,
                       beta_trunc=beta_tr, beta_em=beta_em, seed=seed)
        # without CRN the +-eps runs would be independent: se = sqrt(var f+ + var f-) / (2 eps sqrt P)
        se_nocrn = math.sqrt(last[2, :, 0].var() + last[0, :, 0].var()) / (2 * e * math.sqrt(last.shape[1]))
        ctx.note(f"instance seed {seed}: se(Ŷ1) with CRN {se_dt[0, 0]:.3g}, without CRN ≈ {se_nocrn:.3g}")
    try:
        N.crn_coefficients(np.zeros((3, 2, 1)), 1e-7, 1)
        ctx.require(False, "eps < 1e-6 rejected")
    except InputError as exc:
        ctx.require("eps" in str(exc), "eps < 1e-6 rejected naming eps")


_claim("mc_crn_central_differences", "Monte Carlo with common random numbers and central differences",
       ("the ±ε and 0 runs share h₀ (burnt in at ε = 0) and every Brownian increment", "ε ≥ 1e-6"),
       Tolerance("z_α·se + ε²|Y_{n+2}| + β_EM, β_EM = 2|Ŷ(dt) − Ŷ(dt/2)| (z_α the two-sided normal quantile at the per-test α)",
                 "brief §3 Monte Carlo rule; truncation bias from the chain, EM bias from coupled dt-halving", kind="statistical+truncation"),
       _mc_numeric, lambda: Proof(str(T.central_difference_bias(1, 5)) == "Y1 + Y3*epsilon**2 + Y5*epsilon**4" and
                                  str(T.central_difference_bias(2, 5)) == "Y2 + Y4*epsilon**2",
                                  "series of the central differences: Ŷ₁ = Y₁ + ε²Y₃ + …, Ŷ₂ = Y₂ + ε²Y₄ + …"),
       prov="R✓", cost=4.0, statistical_checks=2 * 40)


def _em_numeric(ctx):
    import scipy.linalg as sla
    import sympy
    v_sym, _ = T.em_ou_stationary_variance()
    byname = {s.name: s for s in v_sym.free_symbols}
    v_fn = sympy.lambdify([byname["M"], byname["sigma"], byname["dt"]], v_sym)
    for rng in ctx.instances():
        M, sig = -rng.uniform(0.5, 2.0), rng.uniform(0.3, 1.0)
        errs = []
        for dt in (0.1, 0.05, 0.025):
            v = sla.solve_discrete_lyapunov(np.array([[1 + dt * M]]), np.array([[sig ** 2 * dt]]))[0, 0]
            # v = σ²dt/(1 − a²), a = 1 + dtM: the subtraction amplifies rounding by 1/(1 − a²).
            ctx.record(abs(v - v_fn(M, sig, dt)) / v, 16 * EPS / (1 - (1 + dt * M) ** 2),
                       check="EM variance: discrete Lyapunov vs closed form")
            errs.append(abs(v - (-sig ** 2 / (2 * M) + sig ** 2 * dt / 4)))
        _order_check(ctx, errs, 2.0, 2, "EM variance series error O(dt²)", floor=1e-13 * sig ** 2)
        # weak bias of E h_T^2 (exact EM moment recursion vs exact OU moments), input on
        c, T_ = rng.uniform(-1, 1), 2.0
        bias = []
        m_ex = c * (math.exp(M * T_) - 1) / M
        v_ex = -sig ** 2 / (2 * M)
        for dt in (0.04, 0.02):
            m, v = 0.0, sla.solve_discrete_lyapunov(np.array([[1 + dt * M]]), np.array([[sig ** 2 * dt]]))[0, 0]
            for _ in range(int(round(T_ / dt))):
                m = (1 + dt * M) * m + dt * c
            bias.append((m * m + v) - (m_ex ** 2 + v_ex))
        _order_check(ctx, [abs(b) for b in bias], 2.0, 1, "EM weak bias O(dt)", floor=1e-13 * (1 + v_ex + m_ex ** 2))
    model = _oned_model(_oned(ctx.rng(3), monostable=True))
    limit = N.em_stability_limit(N.fixed_point(model)[1])
    try:
        N.em_burn_in(model, 10, 1, 1.1 * limit, ctx.rng(4))
        ctx.require(False, "dt above the stability limit rejected")
    except InputError as exc:
        ctx.require("dt" in str(exc), "dt above the stability limit rejected naming dt")


_claim("em_weak_bias", "Euler–Maruyama weak bias O(dt); stability limit",
       ("smooth f, drift with bounded derivatives", "|1 + dt λ| < 1 for every eigenvalue of J"),
       Tolerance("EM variance: 16ε/(1 − (1 + dtM)²) relative; observed orders ≥ 2 − 1/2 (series) and ≥ 1 − 1/2 (weak bias)",
                 "closed forms for OU (the Lyapunov subtraction amplifies rounding by 1/(1 − a²)); a wrong order-k term leaves an order ≤ k − 1, so the midpoints separate; higher observed orders pass", kind="truncation+roundoff"),
       _em_numeric,
       lambda: Proof(sympy_eq(T.em_ou_stationary_variance()[1]), "EM OU stationary variance = −σ²/(2M) + σ²dt/4 + O(dt²)"),
       prov="R✓")


def sympy_eq(series):
    import sympy
    M, sig, dt = sympy.Symbol("M", negative=True), sympy.Symbol("sigma", positive=True), sympy.Symbol("dt", positive=True)
    return sympy.simplify(series - (-sig ** 2 / (2 * M) + sig ** 2 * dt / 4)) == 0


# ---------------------------------------------------------------------------------------------
# 4.6 Brackets, response feature, signatures, kernel machine
# ---------------------------------------------------------------------------------------------
def _lie_numeric(ctx):
    import sympy
    for rng in ctx.instances(_n(ctx, 2)):
        model, hs = _designed(rng, n=2, m=1)
        sm = T.srnn(2, 1, activation="tanh", noise="none")
        subs = {sm.W[i, j]: model.W[i, j] for i in range(2) for j in range(2)}
        subs.update({sm.b[i]: model.b[i] for i in range(2)})
        subs.update({sm.Gamma[i, i]: model.Gamma[i, i] for i in range(2)})
        F = sm.drift().subs(subs)
        Vs = T.bracket_fields(F, [model.C[0, 0], model.C[1, 0]], list(sm.h), 2)
        fns = [sympy.lambdify(list(sm.h), V, "numpy") for V in Vs]
        Vn, Mn = N.bracket_fields_at_fixed_point(model, hs, 2)
        for p in range(3):
            v_sym = np.array(fns[p](*hs), dtype=float).ravel()
            ctx.record(np.max(np.abs(v_sym - Vn[p, :, 0])) / (1e-300 + np.max(np.abs(Vn[p, :, 0]))), 1e-12,
                       check=f"V_{p}(h*) = (−J)^p c")
            step = 1e-5
            DV = np.column_stack([(np.array(fns[p](*(hs + step * e)), float).ravel()
                                   - np.array(fns[p](*(hs - step * e)), float).ravel()) / (2 * step) for e in np.eye(2)])
            ctx.record(np.max(np.abs(DV - Mn[p, 0])), 1e-7 * (1 + np.max(np.abs(Mn[p, 0]))), check=f"M_{p} recursion vs DV_p")
        # V_1 = -DF c at a random h (numeric Jacobian)
        h = rng.standard_normal(2)
        ctx.record(np.max(np.abs(np.array(fns[1](*h), float).ravel() + model.jacobian(h) @ model.C[:, 0])), 1e-13,
                   check="V_1(h) = −DF(h) c")


_claim("lie_brackets", "ad_{L₀}(c·∇) = −(DF c)·∇; fixed-point recursions for V_p and M_p",
       ("constant c and Σ", "(ii) σ = 0", "at h*: V_p(h*) = (−J)^p c"),
       Tolerance("1e-12 relative for V_p(h*); 1e-7 for M_p vs central differences (step 1e-5)",
                 "V_p is exact up to rounding; differences have O(step²) error", kind="roundoff+truncation"),
       _lie_numeric, lambda: _proof(T.lie_bracket_check(), "(i)–(iii) with generic F, g, V, n = 2"), prov="R✓", cost=2.0)


def _feature_numeric(ctx):
    for rng in ctx.instances(_n(ctx, 2)):
        model, hs = _designed(rng, m=2, quadratic=True)
        J = model.jacobian(hs)
        normJ = np.linalg.norm(J, 2)
        t = min(rng.uniform(0.5, 3.0), 6.0 / normJ)
        inp = _sinusoids(rng, 2, T=t)
        Y, _ = N.hierarchy(model, hs, inp, 2, rtol=1e-12, atol=1e-14)
        x = normJ * t
        P = next((P for P in range(10, 81) if math.exp(x) * x ** (P + 1) / math.factorial(P + 2) < 1e-12), None)
        if P is None:
            ctx.skip("ψ-tail bound above tolerance at P = 80")
            continue
        Q1, Q2 = N.feature_coefficients(model, hs, t, P)
        S1, S2 = N.x_signature_levels(inp, t, P)
        terms1, terms2 = Q1 * S1, Q2 * S2
        for order, terms, ref in ((1, terms1, Y[0, -1, 0]), (2, terms2, Y[1, -1, 0])):
            lost = math.log10(np.sum(np.abs(terms)) / max(abs(terms.sum()), 1e-300))
            if lost > 6:
                ctx.skip(f"order {order}: {lost:.1f} digits lost to cancellation")
                continue
            # The ψ-tail beyond P is below 1e-12 relative; each term carries the ~1e-12 relative error
            # of its Chebyshev integration and the hierarchy reference the DOP853 error (rtol 1e-12,
            # ×100 over the horizon); cancellation amplifies the former by Σ|terms|/|Σ terms|.
            tol = 1e-10 + 1e-12 * 10 ** lost
            ctx.record(abs(terms.sum() - ref) / max(abs(ref), 1e-12), tol, check=f"Σ Q_t(w) S(X)^w vs Y{order}",
                       P=P, digits_lost=lost)


_claim("response_feature_expansion", "Output as a linear functional of the response feature S(X), X = ∫ψ⊗u",
       ("σ = 0, h₀ = h* exponentially stable; F, f analytic", "ψ_p(s) = s^p/p!", "t‖J‖ ≤ 6"),
       Tolerance("relative 1e-10 + 1e-12·Σ|terms|/|Σ terms|",
                 "P from the ψ-tail bound (≤ 1e-12); Chebyshev integration of degree 120 (≈1e-12 per term, amplified by the cancellation Σ|terms|/|Σ|); the hierarchy reference at rtol 1e-12 (×100 over the horizon)", kind="truncation+roundoff"),
       _feature_numeric,
       lambda: Proof(_is_zero(T.response_coefficient_order1_check(4)) and _is_zero(T.response_coefficient_order2_check(3)),
                     "∂ₛᵖ[∇fᵀe^{(t−s)J}c] = ∇fᵀe^{tJ}(−J)ᵖc; scalar order-2 bracket formula = Taylor coefficients of K⁽²⁾"),
       note="Diffusive case: formal for the SDE; the bounded-generator (chain) version is not checked here. "
            "Whether the paper's support basis is exactly s^p/p! is unverified.",
       prov="P+R, R✓", cost=2.0)


def _time_aug_numeric(ctx):
    for rng in ctx.instances(_n(ctx, 1)):
        K = 300 if ctx.thorough else 60
        widths = rng.uniform(0.002, 0.02, K) * 300 / K
        brk = np.concatenate([[0.0], np.cumsum(widths)])
        vals = rng.uniform(-1, 1, (K, 2))
        path = np.zeros((K + 1, 3))
        path[1:, 0] = brk[1:]
        path[1:, 1:] = np.cumsum(vals * widths[:, None], axis=0)
        words = [((p, k),) for p in range(3) for k in range(2)] + \
                [((p1, k1), (p2, k2)) for p1 in range(2) for p2 in range(2) for k1 in range(2) for k2 in range(2) if k1 != k2 or p1 != p2]
        depth = max(len(w) + sum(p for p, _ in w) for w in words)
        if SG.have_backend():
            S_hat = SG.signature(path, depth)
            src = SG.backend_name()
        else:
            S_hat = SG.reference_signature(path, depth)
            src = "reference (no backend installed)"
        for w in words:
            direct = N.x_word_signature_piecewise_constant(brk, vals, w)
            via, size = 0.0, abs(direct)
            for a, coef in T.time_augmentation(w).items():
                letters = []
                for ai, (_, k) in zip(a, w):
                    letters += [0] * ai + [k + 1]
                term = coef * SG.signature_word(S_hat, letters)
                via += term
                size = max(size, abs(term))
            ctx.record(abs(direct - via) / max(size, 1e-14), 1e-10, check=f"word {w}", source=src)
    try:
        SG.signature(np.zeros((3, 3)), 16)
        ctx.require(False, "huge full signature rejected")
    except InputError as exc:
        ctx.require("depth" in str(exc) or "words" in str(exc), "huge full signature rejected naming depth")


_claim("time_augmented_signature", "S(X) words = nonnegative integer combinations of words of S(t, ∫u)",
       ("piecewise-constant u, so Û = (t, ∫u) is exactly piecewise linear",),
       Tolerance("1e-10 relative to the largest of |S(X)^w| and the terms c_w(a)·S(Û)^{…}",
                 "both sides exact up to rounding (polynomial word recursion vs backend signature); the terms can cancel", kind="roundoff"),
       _time_aug_numeric,
       lambda: (lambda r: Proof(r["bad"] == 0, f"{r['checked']} coefficients integral and nonnegative, n = 2 binomial form"))(
           T.time_augmentation_check()),
       note="S(X) is not reparametrisation invariant (ψ uses absolute time); no such test exists.", prov="R✓")


def _expbasis_numeric(ctx):
    for rng in ctx.instances():
        model, hs = _designed(rng, m=2)
        J = model.jacobian(hs)
        t = rng.uniform(10, 50)
        tt = np.linspace(0, t, 201)
        inp = N.PiecewiseLinearInput(tt, np.stack([np.sin(tt), np.cos(0.7 * tt)], 1))
        try:
            lam, V, Vi, Zf = N.exponential_basis_features(J, model.C, inp, t)
        except InputError as exc:
            ctx.skip(str(exc))
            continue
        g = model.readout_gradient(hs)[0]
        Y_feat = np.real(np.einsum("j,jk,jk->", g @ V, Vi @ model.C, Zf))
        Y_ref = g @ N.ou_mean_shift(J, model.C, inp, t)
        ctx.record(abs(Y_feat - Y_ref) / max(abs(Y_ref), 1e-12), 1e-12 * np.linalg.cond(V) * 10, check="features vs expm",
                   t=t, condV=np.linalg.cond(V))
        x = np.linalg.norm(J, 2) * t
        ctx.note(f"monomial basis at t = {t:.1f}: about {x / math.log(10):.0f} digits would be lost to cancellation")


_claim("exponential_basis", "Exact, well-conditioned first-order feature with e^{−λⱼs}",
       ("J diagonalisable (cond(V) ≤ 1e8)", "σ = 0 at h*"),
       Tolerance("1e-11·cond(V) relative", "brief 1e-12·cond(V), ×10 for the 200 per-segment block exponentials of the reference", kind="roundoff"),
       _expbasis_numeric, lambda: _proof(list(T.exponential_basis_check()), "Σ vⱼwⱼᵀe^{λⱼτ} has S(0) = I and S' = JS, so it is e^{τJ}"))


def _kernel_numeric(ctx):
    from sklearn.kernel_ridge import KernelRidge
    from sklearn.linear_model import Ridge
    for rng in ctx.instances(_n(ctx, 1)):
        model = _contracting(rng, quadratic=False)
        n = model.n
        hs, _ = N.fixed_point(model)
        count = 20
        T_ = 2.0
        feats = []
        for _ in range(count + 6):
            inp = _sinusoids(rng, model.m, T=T_)
            h = N.ode_outputs(model.replace(A=np.eye(n), Q=None, d=None), hs, inp, [1.0], rtol=1e-10, atol=1e-12)[0, -1]
            feats.append(np.concatenate([h, [1.0]]))
        Phi = np.array(feats)
        y = Phi[:count] @ rng.standard_normal(n + 1) + 0.01 * rng.standard_normal(count)
        Kt = Phi[:count] @ Phi[:count].T
        lam = 1e-6 * np.trace(Kt) / count
        primal = Ridge(alpha=lam, fit_intercept=False, solver="cholesky").fit(Phi[:count], y).predict(Phi[count:])
        dual = KernelRidge(alpha=lam, kernel="precomputed").fit(Kt, y).predict(Phi[count:] @ Phi[:count].T)
        beta = N.kernel_ridge(Kt, y, lam)
        mine = (Phi[count:] @ Phi[:count].T) @ beta
        scale = np.max(np.abs(primal))
        # Each route solves a λ-regularised system with condition number κ = cond(K + λI) (the primal
        # system ΦᵀΦ + λI has the same nonzero spectrum plus λ): forward error ≤ c·N·ε·κ·‖β‖, seen
        # through the test kernel rows.
        kappa = np.linalg.cond(Kt + lam * np.eye(count))
        tol = 10 * count * EPS * kappa * np.linalg.norm(Phi[count:] @ Phi[:count].T, 2) * np.linalg.norm(beta) / scale
        ctx.record(np.max(np.abs(primal - dual)) / scale, tol, check="readout ridge = kernel ridge (sklearn)", kappa=kappa)
        ctx.record(np.max(np.abs(mine - primal)) / scale, tol, check="numerics.kernel_ridge = readout ridge", kappa=kappa)
    # Phi(eps u) against the truncated signature functional h* + eps <Q_t, S(X)> (N = 1, P from the
    # psi-tail bound): the residual is the eps-truncation eps^2 Y2 + ..., so it quarters when eps halves
    rng = ctx.rng(300)
    model, hs = _designed(rng, m=2, quadratic=False)
    t = min(1.5, 3.0 / np.linalg.norm(model.jacobian(hs), 2))
    for j in range(model.n):
        feat = model.replace(A=np.eye(model.n)[j:j + 1])
        inp = _sinusoids(rng, 2, T=t)
        Q1, _ = N.feature_coefficients(feat, hs, t, 30)
        S1, _ = N.x_signature_levels(inp, t, 30)
        lin = float((Q1 * S1).sum())
        res = [abs(N.ode_outputs(feat, hs, inp, [e])[0, -1, 0] - hs[j] - e * lin) for e in (0.02, 0.01)]
        _order_check(ctx, res, 2.0, 2, "Φ_j vs truncated signature functional", floor=1e-11, feature=j)
    try:
        N.kernel_ridge(np.ones((3, 3)), np.ones(3), 0.0)
        ctx.require(False, "singular K with ridge 0 rejected")
    except InputError as exc:
        ctx.require("ridge" in str(exc), "singular K with ridge 0 rejected naming ridge")


_claim("kernel_machine", "Readout-only ridge training = kernel ridge with k = ⟨S, 𝒬S⟩",
       ("hidden weights fixed; readout linear in α", "λ ≥ 1e-8 tr K/N"),
       Tolerance("ridge routes: 10·N·ε·κ(K + λI)·‖K_test‖‖β‖ relative; truncated functional: observed order of the residual ≥ 2 − 1/2",
                 "two λ-regularised solves lose log₁₀κ digits each; the truncated functional misses ε²Y₂, so its residual is O(ε²) (a wrong first-order term leaves O(ε))", kind="roundoff+truncation"),
       _kernel_numeric,
       lambda: Proof(_is_zero(T.push_through_check()) and _is_zero(T.noise_regulariser_check()),
                     "push-through (ΦᵀΦ+λI)Φᵀ = Φᵀ(ΦΦᵀ+λI); E(y−αᵀφ)² = (y−αᵀΦ)² + αᵀCov α"),
       note="Φ(u) = E φ(h_T) from exact ODEs (σ = 0); its signature form is response_feature_expansion. "
            "The untruncated RKHS inclusion (weighted signature kernel) is a note, not checked.", prov="P+R")


def _words(d, L):
    out = [()]
    for _ in range(L):
        out = out + [w + (i,) for w in out if len(w) == max(len(x) for x in out) for i in range(d)]
    return sorted({w for w in out if 0 < len(w) <= L}, key=lambda w: (len(w), w))


def _backend_or_na():
    if not SG.have_backend():
        raise NotApplicable("no signature backend installed (install the signatures extra: roughpy)")
    SG.orientation_check()


def _shuffle_numeric(ctx):
    _backend_or_na()
    for rng in ctx.instances():
        d = int(rng.integers(2, 4))
        path = np.cumsum(rng.standard_normal((int(rng.integers(3, 52)), d)), axis=0)
        segments = len(path) - 1
        S = SG.signature(path, 4)
        worst = 0.0
        for a in _words(d, 3):
            for b in _words(d, 4 - len(a)):
                if len(a) + len(b) > 4:
                    continue
                terms = [SG.signature_word(S, c) for c in SG.shuffle_product(a, b)]
                lhs = SG.signature_word(S, a) * SG.signature_word(S, b)
                scale = max([abs(x) for x in terms] + [abs(lhs), 1e-300])
                # Each coefficient comes out of `segments` Chen products of depth-4 tensors (relative
                # rounding ≈ segments·depth·ε), and the identity adds its ≤ 6 terms once more.
                tol = 4 * EPS * (segments * 4 + len(terms) + 2)
                worst = max(worst, abs(lhs - sum(terms)) / scale / tol)
        ctx.record(worst, 1.0, check="shuffle identity, |a|+|b| ≤ 4 (error/bound, worst pair)", d=d,
                   segments=segments, backend=SG.backend_name())


_claim("signature_shuffle", "Shuffle identity SᵃSᵇ = Σ_{c ∈ a⧢b} Sᶜ",
       ("path of bounded variation (piecewise linear)",),
       Tolerance("relative to the largest coefficient involved: 4ε(4·segments + terms + 2), per word pair",
                 "each signature coefficient is the product of `segments` depth-4 tensor exponentials (rounding ≈ segments·depth·ε relative to the largest coefficient); the identity sums its terms once", kind="roundoff"),
       _shuffle_numeric, lambda: Proof(T.shuffle_check(4) == 0, "path (t, t²): exact iterated integrals, every pair with |a|+|b| ≤ 4"),
       note="Backend: roughpy (optional extra); the orientation test runs first.")


def _chen_numeric(ctx):
    _backend_or_na()
    for rng in ctx.instances():
        d = int(rng.integers(2, 4))
        k = int(rng.integers(2, 21))
        path = np.cumsum(rng.standard_normal((k + 1, d)), axis=0)
        cut = int(rng.integers(1, k))
        depth = 4
        full = SG.signature(path, depth)
        prod = SG.tensor_product(SG.signature(path[:cut + 1], depth), SG.signature(path[cut:], depth))
        ref = SG.reference_signature(path, depth)
        scale = max(np.max(np.abs(lv)) for lv in full[1:])
        e1 = max(np.max(np.abs(a - b)) for a, b in zip(full[1:], prod[1:])) / scale
        e2 = max(np.max(np.abs(a - b)) for a, b in zip(full[1:], ref[1:])) / scale
        # k Chen products of depth-`depth` tensors, each entry a sum of ≤ depth products: relative
        # rounding ≤ 4·k·depth·ε against the largest coefficient, on each side of the comparison.
        tol = 8 * EPS * k * depth
        ctx.record(e1, tol, check="backend: whole = product of pieces", d=d, segments=k)
        ctx.record(e2, tol, check="backend vs Chen reference")
        rev = SG.signature(path[::-1], depth)
        ident = SG.tensor_product(full, rev)
        ctx.record(max(np.max(np.abs(lv)) for lv in ident[1:]) / scale, 2 * tol, check="reversal inverts")
    try:
        SG.tensor_product(SG.tensor_exp(np.ones(2), 2), SG.tensor_exp(np.ones(2), 3))
        ctx.require(False, "depth mismatch rejected")
    except InputError as exc:
        ctx.require("depth" in str(exc), "depth mismatch rejected naming depth")


_claim("signature_chen", "Chen's identity: S(X)₀,ₜ = S(X)₀,ₛ ⊗ S(X)ₛ,ₜ",
       ("piecewise-linear path", "same truncation depth for both pieces"),
       Tolerance("relative to the largest coefficient: 8·k·depth·ε (k segments); reversal 16·k·depth·ε",
                 "k Chen products of depth-4 tensor exponentials, each entry a sum of ≤ depth products, on both sides of the comparison", kind="roundoff"),
       _chen_numeric, lambda: _proof(T.chen_check(3), "two symbolic segments: product of tensor exponentials = integrated iterated integrals, level ≤ 3"),
       note="Backend: roughpy (optional extra); reference: numerics.signatures.reference_signature (Chen products).")


# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces
# the numeric checks and fails on a call into theory that is not listed as lambdified).
_SIDES = {
    "response.contraction_fixed_point": Sides(
        symbolic=("theory.response.jacobian_check",),
        numeric=("numerics.response.log_norm_bound", "numerics.response.fixed_point", "numerics.response.spectral_abscissa"),
    ),
    "response.dissipativity": Sides(
        symbolic=("theory.response.dissipativity_check",),
        numeric=("numerics.response.SRNN", "scipy.linalg.solve_continuous_lyapunov"),
    ),
    "response.fixed_point_design": Sides(
        symbolic=("theory.response.design_check",),
        numeric=("numerics.response.design_bias", "numerics.response.spectral_abscissa"),
        lambdified=("theory.response.designed_fixed_point",),
    ),
    "response.volterra_series": Sides(
        symbolic=("theory.response.chain_dyson_check",),
        numeric=("numerics.response.chain_stationary", "numerics.response.chain_kernel2", "numerics.response.chain_block_response"),
    ),
    "response.ordered_symmetric_kernels": Sides(
        symbolic=("theory.response.symmetrize_check",),
        numeric=("numerics.response.spectral_abscissa",),
    ),
    "response.stationary_causal_kernels": Sides(
        symbolic=("theory.response.stationary_kernel_check",),
        numeric=("numerics.response.design_bias", "numerics.response.spectral_abscissa", "numerics.response.hierarchy", "numerics.response.ode_outputs"),
    ),
    "response.instantaneous_response": Sides(
        symbolic=("theory.response.instantaneous_check",),
        numeric=("numerics.response.oned_log_density", "numerics.response.grid_chain", "numerics.response.design_bias", "numerics.response.spectral_abscissa", "numerics.response.kernel1"),
    ),
    "response.fading_memory": Sides(
        symbolic=("theory.response.fading_check",),
        numeric=("numerics.response.design_bias", "numerics.response.spectral_abscissa", "numerics.response.kernel1", "numerics.response.oned_log_density", "numerics.response.grid_chain"),
    ),
    "response.odd_symmetry": Sides(
        symbolic=("theory.response.odd_symmetry_check",),
        numeric=("numerics.response.oned_log_density", "numerics.response.grid_chain", "numerics.response.kernel1", "numerics.response.ode_outputs", "numerics.response.em_burn_in", "numerics.response.em_crn", "numerics.response.crn_coefficients"),
    ),
    "response.fdt_first_order": Sides(
        symbolic=("theory.response.gaussian_conjugate_check", "theory.response.equilibrium_fdt_condition"),
        numeric=("numerics.response.oned_log_density", "numerics.response.grid_chain", "numerics.response.kernel1", "numerics.response.spectral_abscissa", "numerics.response.ou_stationary"),
    ),
    "response.girsanov_chaos": Sides(
        symbolic=("theory.response.hermite_generating_check",),
        numeric=("numerics.response.em_burn_in", "numerics.response.em_crn", "numerics.response.girsanov_theta", "numerics.response.girsanov_coefficients", "numerics.response.crn_coefficients", "numerics.response.oned_log_density", "numerics.response.grid_chain", "numerics.response.chain_block_response"),
    ),
    "response.entire_tail_bound": Sides(
        symbolic=("theory.response.hermite_norm_check",),
        numeric=("numerics.response.oned_log_density", "numerics.response.grid_chain", "numerics.response.chain_block_response"),
    ),
    "response.det_first_order_kernel": Sides(
        symbolic=("theory.response.response_coefficient_order1_check",),
        numeric=("numerics.response.design_bias", "numerics.response.spectral_abscissa", "numerics.response.kernel1", "numerics.response.ou_mean_shift", "numerics.response.hierarchy"),
    ),
    "response.det_second_order_kernel": Sides(
        symbolic=("theory.response.second_order_scalar_check",),
        numeric=("numerics.response.design_bias", "numerics.response.spectral_abscissa", "numerics.response.hierarchy", "numerics.response.kernel2_ordered"),
    ),
    "response.variational_hierarchy": Sides(
        symbolic=("theory.response.hierarchy_series_check",),
        numeric=("numerics.response.design_bias", "numerics.response.spectral_abscissa", "numerics.response.hierarchy", "numerics.response.ode_outputs"),
    ),
    "response.ou_closed_form": Sides(
        symbolic=("theory.response.ou_quadratic_mean_check", "theory.response.ou_sigma_independence_check"),
        numeric=("numerics.response.spectral_abscissa", "numerics.response.ou_stationary", "numerics.response.ou_mean_shift", "numerics.response.ou_moment_ode"),
    ),
    "response.oned_stationary_density": Sides(
        symbolic=("theory.response.oned_density_check",),
        numeric=("numerics.response.oned_log_density", "numerics.response.oned_density", "numerics.response.grid_chain", "numerics.response.em_burn_in"),
    ),
    "response.oned_generator_chain": Sides(
        symbolic=("theory.response.chain_construction_check",),
        numeric=("numerics.response.oned_log_density", "numerics.response.grid_chain", "numerics.response.kernel1", "numerics.response.chain_block_response"),
    ),
    "response.small_noise_limit": Sides(
        symbolic=(),
        numeric=("numerics.response.fixed_point", "numerics.response.grid_chain", "numerics.response.kernel1"),
    ),
    "response.mc_crn_central_differences": Sides(
        symbolic=("theory.response.central_difference_bias",),
        numeric=("numerics.response.em_burn_in", "numerics.response.em_crn", "numerics.response.crn_coefficients", "numerics.response.oned_log_density", "numerics.response.grid_chain", "numerics.response.chain_block_response"),
    ),
    "response.em_weak_bias": Sides(
        symbolic=("theory.response.em_ou_stationary_variance",),
        numeric=("numerics.response.fixed_point", "numerics.response.em_stability_limit", "numerics.response.em_burn_in"),
        lambdified=("theory.response.em_ou_stationary_variance",),
    ),
    "response.lie_brackets": Sides(
        symbolic=("theory.response.lie_bracket_check",),
        numeric=("numerics.response.design_bias", "numerics.response.spectral_abscissa", "numerics.response.bracket_fields_at_fixed_point"),
        lambdified=("theory.response.srnn", "theory.response.bracket_fields", "theory.response.drift"),
    ),
    "response.response_feature_expansion": Sides(
        symbolic=("theory.response.response_coefficient_order1_check", "theory.response.response_coefficient_order2_check"),
        numeric=("numerics.response.design_bias", "numerics.response.spectral_abscissa", "numerics.response.hierarchy", "numerics.response.feature_coefficients", "numerics.response.x_signature_levels"),
    ),
    "response.time_augmented_signature": Sides(
        symbolic=("theory.response.time_augmentation_check",),
        numeric=("numerics.signatures.have_backend", "numerics.signatures.signature", "numerics.signatures.backend_name", "numerics.response.x_word_signature_piecewise_constant", "numerics.signatures.signature_word"),
        lambdified=("theory.response.time_augmentation",),
    ),
    "response.exponential_basis": Sides(
        symbolic=("theory.response.exponential_basis_check",),
        numeric=("numerics.response.design_bias", "numerics.response.spectral_abscissa", "numerics.response.exponential_basis_features", "numerics.response.ou_mean_shift"),
    ),
    "response.kernel_machine": Sides(
        symbolic=("theory.response.push_through_check", "theory.response.noise_regulariser_check"),
        numeric=("numerics.response.fixed_point", "numerics.response.ode_outputs", "numerics.response.kernel_ridge", "numerics.response.design_bias", "numerics.response.spectral_abscissa", "numerics.response.feature_coefficients", "numerics.response.x_signature_levels"),
    ),
    "response.signature_shuffle": Sides(
        symbolic=("theory.response.shuffle_check",),
        numeric=("numerics.signatures.have_backend", "numerics.signatures.orientation_check", "numerics.signatures.signature", "numerics.signatures.shuffle_product", "numerics.signatures.signature_word", "numerics.signatures.backend_name"),
    ),
    "response.signature_chen": Sides(
        symbolic=("theory.response.chen_check",),
        numeric=("numerics.signatures.have_backend", "numerics.signatures.orientation_check", "numerics.signatures.signature", "numerics.signatures.tensor_product", "numerics.signatures.reference_signature", "numerics.signatures.tensor_exp"),
    ),
}
for _id, _sides in _SIDES.items():
    annotate(_id, sides=_sides)
