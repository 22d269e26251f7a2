"""Shared pieces of the response claims: the registration helper, symbolic zero tests, the
observed-order and next-term checks, and the user-network adapters.

Each claim pairs a SymPy derivation from :mod:`theory.response` with an independent numeric
computation from :mod:`numerics.response` / :mod:`numerics.signatures`. The statements are the
toolkit's reconstruction of the paper's main results (the Volterra-series representation, kernels as
correlation functions, the signature response feature, the kernel machine) from first principles;
the paper's notation, theorem numbering and exact hypotheses may differ (see :data:`NOTE`).
"""

from __future__ import annotations

import math

import numpy as np

from numerics import InputError
from numerics import response as N
from proofs_checks.registry import Claim, NotApplicable, Proof, register
from theory import response as T

PAPER = "response"
EPS = float(np.finfo(float).eps)
REF = "Lim 2021, JMLR 22(47) (arXiv:2006.11052)"
NOTE = ("Reconstructed statement: the toolkit derives it from first principles (Dyson/Duhamel expansion, "
        "variational equations, Girsanov's theorem, path signatures); the paper's notation, theorem numbering "
        "and exact hypotheses could not be consulted and may differ from the statement given here. "
        "Provenance tag in the reference: P+R = the paper states it qualitatively, hypotheses and formulas "
        "are the toolkit's; R✓ = reconstructed and checked numerically; R = reconstructed by a standard "
        "argument, first checked numerically here.")


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
           statistical_checks=0, relaxable=None, commands=()):
    register(Claim(
        id=f"{PAPER}.{slug}", paper=PAPER, title=title,
        reference=f"{REF}; toolkit reconstruction [{prov}]",
        statement=lambda: T.statement(slug), hypotheses=tuple(hypotheses), tolerance=tolerance,
        numeric=numeric, symbolic=symbolic, network=network, expressions=lambda: T.expressions(slug),
        note=(NOTE + (" " + note if note else "")), cost=cost, statistical_checks=statistical_checks,
        relaxable=dict(relaxable or {}), commands=tuple(commands)))



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



def _searching(ctx) -> bool:
    """True under ``rnnproof search`` / ``--replay`` (one drawn instance per family): checks then
    take their cheaper search path, stated in each claim's note."""
    return ctx.source is not None


def _mc_generator(ctx, rng):
    """The generator for a Monte Carlo simulation: ``rng`` itself under ``rnnproof run`` (the seeded
    stream is unchanged); under a search, a numpy generator seeded by one drawn integer (the
    simulation's millions of normals are not Hypothesis draws, and ``em_crn`` fills its buffers in
    place)."""
    if not _searching(ctx):
        return rng
    return np.random.default_rng(int(rng.integers(2 ** 31)))


def _crn_rounding(values, eps, order, steps) -> float:
    """Rounding floor of a CRN central-difference estimate Ŷₙ (added to its statistical tolerance).

    Each path's output carries about 4(steps + 1)·ε·max|f| of rounding (a few roundings per
    Euler–Maruyama step of a contracting recursion, plus the readout), which differs between the
    ±jε runs; the combination Σⱼ wⱼ f(jε)/(n!εⁿ) multiplies it by Σⱼ|wⱼ|/(n!εⁿ). Without it a
    network whose Ŷₙ vanishes exactly (a linear one, w = 0) has se ≈ 0 and fails on rounding."""
    q = (values.shape[0] - 1) // 2
    weights = N.fd_weights(order, np.arange(-q, q + 1))
    return float(np.sum(np.abs(weights)) / (math.factorial(order) * eps ** order)
                 * 4 * (steps + 1) * EPS * np.max(np.abs(values)))


def _network_edges(ctx, model) -> None:
    """Coverage lines of rnnproof search for an SRNN instance: n = 1, zero gain, b = 0."""
    ctx.edge("n = 1", model.n == 1)
    ctx.edge("zero gain W = 0", not np.any(model.W))
    ctx.edge("b = 0 (the symmetric network)", not np.any(model.b))


def _oned_edges(ctx, p) -> None:
    """Coverage lines for a 1-D instance: zero gain, b = 0, bistable drift (w > γ)."""
    ctx.edge("zero gain w = 0 (linear drift)", p["w"] == 0)
    ctx.edge("b = 0 (the symmetric network)", p["b"] == 0)
    ctx.edge("bistable w > γ", p["w"] > p["gamma"])


SEARCH_COARSE_NODES, SEARCH_MAX_COARSE_NODES = 101, 120


def _search_grids(ctx, p):
    """Under a search, the (fine, coarse) node counts of a smaller grid-chain pair: a coarse grid of
    101 nodes, or more where positive rates need them (``_oned_nx``), and a fine one with twice its
    intervals. ``None`` outside a search, or when positive rates need more than 120 coarse nodes
    (the pair would then cost about as much as the full-size 401-node chain)."""
    if not _searching(ctx):
        return None
    from ._instances import _oned_domain, _oned_nx
    coarse_nx = _oned_nx(p, _oned_domain(p), SEARCH_COARSE_NODES)
    if coarse_nx > SEARCH_MAX_COARSE_NODES:
        return None
    return 2 * coarse_nx - 1, coarse_nx


def _search_chain_pair(ctx, p, chain_fn):
    """Under a search, the grid-chain reference on the smaller pair of :func:`_search_grids`, with
    its O(dx²) grid error estimated against the grid of twice the spacing: (2/3)|Y(2dx) − Y(dx)|
    per coefficient (the Richardson estimate |Y(2dx) − Y(dx)|/3 of the finer grid's error, ×2, as
    in response.entire_tail_bound), as ``(Y, grid_error)``; else ``None`` (the caller keeps its
    full-size chain). ``chain_fn(nx)`` returns the chain's coefficients on an ``nx``-node grid."""
    grids = _search_grids(ctx, p)
    if grids is None:
        return None
    fine, coarse = (chain_fn(nx) for nx in grids)
    return fine, 2 * np.abs(coarse - fine) / 3
