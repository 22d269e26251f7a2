"""The expansion: the Dyson/Volterra series, ordered and symmetric kernels, causality and
stationarity, the instantaneous response.

Claims of Lim 2021, JMLR 22(47) (arXiv:2006.11052); the statements are the toolkit's
reconstruction (see :data:`proofs_checks.claims.response._checks.NOTE`).
"""

from __future__ import annotations

import math

import numpy as np

from numerics import InputError
from numerics import response as N
from proofs_checks.registry import Sides, Tolerance, annotate
from theory import response as T

from ._checks import EPS, _claim, _n, _network_edges, _oned_edges, _proof, _searching
from ._instances import _designed, _oned, _oned_chain, _ou, _random_chain, _sinusoids


def _volterra_numeric(ctx):
    for rng in ctx.instances():
        # Under a search at most 8 states: every rate is then its own draw, so a failure shrinks.
        G, B, f = _random_chain(rng, 8 if _searching(ctx) else 30 if ctx.thorough else 12)
        pi = N.chain_stationary(G)
        t1, t2 = rng.uniform(0.05, 2.0, 2)
        kb = N.chain_kernel2(G, B, pi, f, t1, t2, "backward")
        kf = N.chain_kernel2(G, B, pi, f, t1, t2, "forward")
        import scipy.linalg as sla
        E1, E2 = np.abs(sla.expm(t1 * G)), np.abs(sla.expm(t2 * G))
        size = float(np.abs(pi) @ np.abs(B) @ E2 @ np.abs(B) @ E1 @ np.abs(f))   # magnitude of the terms summed
        # size = 0 (f = 0 or B = 0, a search draw): both forms are exact zeros.
        ctx.record(abs(kb - kf) / size if size > 0 else abs(kb - kf), 1e-10,
                   check="forward = backward K2 (relative to the terms)", states=len(f), K2=kb)
        ctx.edge("zero kernel terms (f = 0 or B = 0)", size == 0)
        ctx.edge("3 states (the smallest chain)", len(f) == 3)
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
        "random chains with 3–12 states (quick profile), 3–30 (thorough) or 3–8 (rnnproof search)"),
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
        # Under a search 24 and 16 nodes (40 and 30 otherwise).
        fine_nodes, coarse_nodes = (24, 16) if _searching(ctx) else (40, 30)
        square, simplex, size = both_forms(fine_nodes)
        square_c, simplex_c, _ = both_forms(coarse_nodes)
        # Gauss–Legendre converges geometrically on these analytic integrands: the coarse-to-fine
        # change bounds each fine error; the sums of q² terms round at 16·q²·ε·Σ|terms|.
        tol = abs(square - square_c) + abs(simplex - simplex_c) + 16 * fine_nodes ** 2 * EPS * size
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
       prov="R✓", note="Under rnnproof search the quadratures have 24 and 16 nodes instead of 40 and 30.")


def _stationary_numeric(ctx):
    from scipy.integrate import solve_ivp
    for rng in ctx.instances(_n(ctx, 2)):
        model, hs = _designed(rng, m=2)
        _network_edges(ctx, model)
        T_ = rng.uniform(1.0, 3.0)
        # Under a search 41 input knots instead of 81 (each knot is a kink every solve stops at).
        knots = 41 if _searching(ctx) else 81
        mid = (knots - 1) // 2                                   # tt[mid] = T_
        tt = np.linspace(0, 2 * T_, knots)
        uu = np.stack([np.sin(2 * tt), np.cos(1.3 * tt) + 0.2], 1)
        uu2 = uu.copy()
        uu2[mid + 1:] += rng.standard_normal((len(tt) - mid - 1, 2))      # changed after t = tt[mid] only
        inp, inp2 = N.PiecewiseLinearInput(tt, uu), N.PiecewiseLinearInput(tt, uu2)
        te = np.array([tt[mid]])
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
       note="(c) uses the deterministic analogue (point-mass start) of the non-stationary start. Under rnnproof "
            "search the piecewise-linear input has 41 knots instead of 81.", cost=2.0)


def _instant_numeric(ctx):
    for rng in ctx.instances():
        p = _oned(rng)
        _oned_edges(ctx, p)
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


# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces
# the numeric checks and fails on a call into theory that is not listed as lambdified).
_SIDES = {
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
}
for _id, _sides in _SIDES.items():
    annotate(_id, sides=_sides)
