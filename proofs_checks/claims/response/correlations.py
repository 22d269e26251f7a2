"""Correlation functions and convergence: the nonequilibrium FDT, the Girsanov (Hermite chaos)
form of every order, and the tail bound that makes the series entire in ε.

Claims of Lim 2021, JMLR 22(47) (arXiv:2006.11052); the statements are the toolkit's
reconstruction (see :data:`proofs_checks.claims.response._checks.NOTE`).
"""

from __future__ import annotations

import math

import numpy as np

from numerics import InputError
from numerics import response as N
from proofs_checks.registry import Proof, Sides, Tolerance, annotate
from theory import response as T

from ._checks import (EPS, _claim, _crn_rounding, _is_zero, _mc_generator, _n, _oned_edges, _order_check, _proof,
                      _search_chain_pair, _search_grids, _searching)
from ._instances import _oned, _oned_F, _oned_chain, _oned_domain, _oned_model, _oned_nx


TINY = float(np.finfo(float).tiny)  # the smallest normal double
RELAX_REVERSIBLE = "reversible (M symmetric) for the equilibrium form"


def _fdt_numeric(ctx):
    relaxed = RELAX_REVERSIBLE in ctx.relaxed
    if _searching(ctx) and (relaxed or ctx.rng().integers(0, 2)):
        # A search draws one family per instance: the 1-D grid family or the OU family.
        for rng in ctx.instances(1, start=50):
            _fdt_ou(ctx, rng, relaxed)
        return
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
        _fdt_ou(ctx, rng)


def _fdt_ou(ctx, rng, relaxed=False):
    import scipy.linalg as sla
    n = int(rng.integers(2, 4))
    sym = rng.standard_normal((n, n))
    Msym = -(sym @ sym.T + 0.3 * np.eye(n))
    Mns = Msym + 0.8 * (rng.standard_normal((n, n)) - rng.standard_normal((n, n)).T)
    # The non-reversible instance needs a clearly non-symmetric, stable M: otherwise (a search's
    # zero draws) a fixed antisymmetric part 0.2·(upper − lower) is added.
    if N.spectral_abscissa(Mns) >= -0.05 or np.linalg.norm(Mns - Mns.T, 2) < 0.1:
        Mns = Msym + 0.2 * (np.triu(np.ones((n, n)), 1) - np.tril(np.ones((n, n)), -1))
    A = rng.standard_normal(n)
    c = rng.standard_normal(n)
    sig = rng.uniform(0.3, 1.0)
    ctx.edge("n = 2", n == 2)
    # --relax: the equilibrium form is asserted for the non-reversible M as well.
    cases = ((Mns, True),) if relaxed else ((Msym, True), (Mns, False))
    for M, expect in cases:
        _, S = N.ou_stationary(M, np.zeros(n), sig ** 2 * np.eye(n))
        worst = worst_operator = 0.0
        for tau in (0.0, 0.5, 2.0):
            E = sla.expm(tau * M)
            K = A @ E @ c
            agarwal = A @ (E @ S) @ np.linalg.solve(S, c)          # E[f(h_tau) c^T S^-1 (h_0 - m)]
            equil = -(2 / sig ** 2) * A @ (M @ E @ S) @ c           # -(2/s^2) d/dtau E[f(h_tau) h_0^T c]
            ctx.record(abs(agarwal - K), 1e-10 * (1 + abs(K)) * np.linalg.cond(S), check="OU Agarwal form")
            worst = max(worst, abs(equil - K) / (1 + abs(K)))
            # The equilibrium form as an operator (every readout A and input direction c).
            worst_operator = max(worst_operator,
                                 np.linalg.norm(-(2 / sig ** 2) * M @ E @ S - E, 2) / (1 + np.linalg.norm(E, 2)))
        if expect:
            label = "OU non-symmetric M (relaxed)" if relaxed else "OU symmetric M"
            ctx.record(worst, 1e-10 * np.linalg.cond(S), check=f"{label}: equilibrium FDT holds")
        else:
            ctx.require(worst_operator > 1e-6, "OU non-symmetric M: equilibrium FDT fails", discrepancy=worst_operator)


_claim("fdt_first_order", "Nonequilibrium FDT (Agarwal form); equilibrium form iff reversible",
       ("A3 (Σ ≻ 0), A4 (stationary start)", "1-D: v = −(2c/σ²)F; OU: Gaussian ρ∞"),
       Tolerance("1-D: observed grid order of the discrepancy ≥ 2 − 1/2; OU: 1e-10·cond(S∞)",
                 "grid discrepancy is O(dx²) (a wrong form leaves O(1)); the Gaussian conjugate needs one solve with S∞", kind="truncation+roundoff"),
       _fdt_numeric,
       lambda: Proof(_is_zero(T.gaussian_conjugate_check()) and _is_zero(T.equilibrium_fdt_condition()[1]) and
                     not _is_zero(T.equilibrium_fdt_condition()[0]),
                     "Gaussian conjugate −c·∇log ρ = cᵀS⁻¹(h−m); 2×2 OU: equilibrium form ⇔ m₁₂ = m₂₁"),
       prov="R✓", cost=2.0,
       note="The non-reversible check compares the equilibrium form as an operator (all A, c). Under rnnproof "
            "search each instance is one family (the 1-D grid or the OU pair).",
       relaxable={RELAX_REVERSIBLE: "asserts the equilibrium form −(2/σ²)d/dτ⟨f(h_τ)h₀ᵀc⟩ for a non-symmetric "
                                    "(non-reversible) OU drift M, where it fails"})


def _girsanov_numeric(ctx):
    for rng in ctx.instances(_n(ctx, 1)):
        p = _oned(rng, monostable=True)
        model = _oned_model(p)
        # Under a search 2000 paths and a horizon of 25 steps (20000 and 50 otherwise).
        dt, K = 0.02, (25 if _searching(ctx) else 50)
        u = (np.sin(1.5 * np.arange(K) * dt) + 0.5)[:, None]
        paths = 2000 if _searching(ctx) else 20000
        mc = _mc_generator(ctx, rng)
        h0 = N.em_burn_in(model, paths, int(5 / (p["gamma"] * dt)), dt, mc)
        e = 0.1
        vals, noise = N.em_crn(model, h0, u, dt, [-e, 0.0, e], mc, return_noise=True)
        theta = N.girsanov_theta(model, u)                     # (K, 1)
        Mt = np.einsum("kpr,kr->p", noise, theta)
        Vt = float(np.sum(theta ** 2) * dt)
        gy, gse = N.girsanov_coefficients(vals[1], Mt, Vt, 2)
        cy, cse = N.crn_coefficients(vals, e, 2)

        def chain_response(nx):
            ch = _oned_chain(p, nx=nx)
            return N.chain_block_response(ch.G, ch.B, ch.pi, ch.x, u[:, 0], np.full(K, dt), 4)
        # Under a search a smaller chain plus its estimated grid error (see _search_chain_pair).
        pair = _search_chain_pair(ctx, p, chain_response)
        Ych, grid = pair if pair is not None else (chain_response(401), np.zeros(5))
        # against the grid chain: the same estimator at dt/2 (coupled increments); the EM bias is
        # estimated as 2 |Y(dt) - Y(dt/2)| (weak order 1, claim em_weak_bias)
        seed = int(rng.integers(2 ** 31))
        # Every compared quantity of order n ≤ 4 (Y₁, Y₂ and the ε²Y_{n+2} bias) scales as V_t^{n/2}:
        # for V_t² < tiny/ε its last digits are subnormal (|c| ≲ 1e-73), and once θ² underflows V_t = 0
        # and the Hermite weights vanish while the chain keeps Y₁ ∝ c. Checked after the instance's
        # draws so that the draw sequence (and a saved search instance) is unchanged.
        if Vt ** 2 < TINY / EPS:
            ctx.skip(f"V_t = Σθ²dt = {Vt:.1e}: the order-4 chaos scale V_t² is below the normal doubles "
                     f"(tiny/ε = {TINY / EPS:.1e}), so the Hermite weights underflow")
            continue
        for n_ in (1, 2):
            beta = e ** 2 * (abs(Ych[n_ + 2]) + grid[n_ + 2])
            err = abs(gy[n_ - 1, 0] - cy[n_ - 1, 0])
            se = math.hypot(gse[n_ - 1, 0], cse[n_ - 1, 0])
            rounding = _crn_rounding(vals, e, n_, K)
            ctx.record(err, ctx.z_threshold() * se + 1.1 * beta + rounding, check=f"Girsanov vs CRN, Y{n_}",
                       z=err / se if se > 0 else 0.0, se=se, beta_trunc=beta, rounding=rounding)
        r2 = np.random.default_rng(seed)
        h0f = N.em_burn_in(model, paths, 2 * int(5 / (p["gamma"] * dt)), dt / 2, r2)
        valsf, noisef = N.em_crn(model, h0f, u, dt, [0.0], r2, return_noise=True, substeps=2)
        gyf, gsef = N.girsanov_coefficients(valsf[0], np.einsum("kpr,kr->p", noisef, theta), Vt, 2)
        for n_ in (1, 2):
            beta_em = 2 * abs(gy[n_ - 1, 0] - gyf[n_ - 1, 0])
            err = abs(gyf[n_ - 1, 0] - Ych[n_])
            se = gsef[n_ - 1, 0]
            ctx.record(err, ctx.z_threshold() * se + beta_em + grid[n_], check=f"Girsanov (dt/2) vs grid chain, Y{n_}",
                       z=err / se if se > 0 else 0.0, se=se, beta_em=beta_em, seed=seed)
        ctx.edge("zero gain w = 0 (linear drift)", p["w"] == 0)
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
       Tolerance("vs CRN: z·√(se_G² + se_CRN²) + 1.1·ε²|Y_{n+2}| + the CRN rounding floor; vs chain: z_α·se + 2|Ŷ(dt) − Ŷ(dt/2)| (z_α the two-sided normal quantile at the per-test α)",
                 "both estimators target the same EM quantity; the central difference carries the ε² bias, "
                 "estimated from the grid chain (10% margin for its O(dt + dx²) difference from the EM value); "
                 "against the chain the EM bias is estimated by coupled dt-halving", kind="statistical+truncation"),
       _girsanov_numeric, lambda: _proof(T.hermite_generating_check(10), "e^{xz−z²/2} = Σ Heₙ(x)zⁿ/n! through order 10"),
       prov="R✓", cost=4.0, statistical_checks=4 * 40,
       note="Under rnnproof search the Monte Carlo uses 2000 paths instead of 20000 and 25 steps instead of 50 "
            "(the tests stay at the per-test α), and the grid chain has fewer than 401 nodes, "
            "its grid error (2/3)|Y(2dx) − Y(dx)| added to the tolerance. "
            "An instance with V_t² = (Σθ²dt)² < tiny/ε (|c| ≲ 1e-73: the chaos weights underflow) is not applicable.")


def _tail_numeric(ctx):
    for rng in ctx.instances(_n(ctx, 2)):
        p = _oned(rng)
        _oned_edges(ctx, p)
        # Under a search the smaller pair of _search_grids (401 and 201 nodes otherwise): the
        # Richardson grid term of the tolerance is measured on the same pair of grids.
        fine_nx, coarse_nx = _search_grids(ctx, p) or (401, 201)
        ch = _oned_chain(p, nx=fine_nx)
        K, dt = (10 if _searching(ctx) else 20), 0.1      # under a search a horizon of 1 instead of 2
        u = (np.sin(np.arange(K) * dt * rng.uniform(0.5, 3)) + rng.uniform(-0.5, 0.5))[:, None]
        Y = N.chain_block_response(ch.G, ch.B, ch.pi, ch.x, u[:, 0], np.full(K, dt), 6)
        sd = math.sqrt(ch.pi @ ch.x ** 2 - (ch.pi @ ch.x) ** 2)
        V = float(np.sum((p["c"] * u[:, 0] / p["sigma"]) ** 2) * dt)
        coarse = _oned_chain(p, nx=coarse_nx)
        Yc = N.chain_block_response(coarse.G, coarse.B, coarse.pi, coarse.x, u[:, 0], np.full(K, dt), 6)
        for n_ in range(1, 7):
            bound = sd * V ** (n_ / 2) / math.sqrt(math.factorial(n_))
            if not bound >= np.finfo(float).tiny:
                # |c| ~ 1e-113 (a search draw) puts V^(n/2) below the normal range: Yₙ and the
                # bound are then rounding noise, and |Yₙ|/bound is 0/0 (as girsanov_chaos's V_t).
                ctx.skip(f"the bound sd·V^(n/2)/√n! = {bound:.3g} for n = {n_} underflows (V = {V:.3g})")
                continue
            # The bound holds for the SDE; the chain's Yₙ carries an O(dx²) grid error: against the
            # grid with twice the spacing it is ≈ |Yₙ(2dx) − Yₙ(dx)|/3 (Richardson), ×2.
            grid = 2 * abs(Yc[n_] - Y[n_]) / 3
            ctx.record(abs(Y[n_]) / bound, 1 + grid / bound, check=f"|Y{n_}| ≤ sd·V^(n/2)/√n!", order=n_)


_claim("entire_tail_bound", "Non-degenerate noise ⇒ series entire in ε with an explicit tail bound",
       ("hypotheses of girsanov_chaos", "E f(h⁰_t)² < ∞"),
       Tolerance("|Yₙ| ≤ bound·(1 + ĝ/bound), ĝ = (2/3)|Yₙ(2dx) − Yₙ(dx)|",
                 "the bound is the SDE's; the chain's coefficients carry an O(dx²) grid error, estimated by grid halving (Richardson) with a factor 2", kind="truncation"),
       _tail_numeric, lambda: _proof(T.hermite_norm_check(8), "∫Heₙ²φ = n! for n ≤ 8"),
       note="The paper's own convergence statement could not be consulted. Under rnnproof search the chains "
            "have 101 grid nodes (up to 120 where positive rates need them) and twice as many intervals, instead of 201 and 401, and the horizon is 10 steps instead of 20.")


# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces
# the numeric checks and fails on a call into theory that is not listed as lambdified).
_SIDES = {
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
}
for _id, _sides in _SIDES.items():
    annotate(_id, sides=_sides)
