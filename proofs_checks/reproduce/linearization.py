"""Reproductions of Pagan, Valente, Ostojic & Brody 2023 (linearizing before vs after φ).

Model τẋ = −x + Jφ(x) + Bu + h (activation frame x) and r = φ(x) (activity frame); at a fixed point
A_x = −I + JD and A_r = −I + DJ with D = diag(φ′(x*)).

R1 rank-one context network: the frames disagree on the input / selection-vector split;
R2 (optional) the rank-3 pure-selection construction: not built (see its row);
R3 spectra overlay (tanh, and ReLU with silent units); R4 linearization error vs perturbation size;
R5 the trajectory term along a driven trajectory; R6 exact controllability ranks for ReLU networks.
"""

from __future__ import annotations

import math

import numpy as np

from . import Reproduction, Result, Row, register, style
from .summary import at_least, at_most, close_to

PAPER = "linearization"
EPS = float(np.finfo(float).eps)


def _cos(a, b) -> float:
    return float(abs(a @ b) / (np.linalg.norm(a) * np.linalg.norm(b)))


# -- R1 ------------------------------------------------------------------------------------------
def _r1(ctx) -> Result:
    from numerics import linearization_singular as NS
    N = ctx.pick(200, 1000)
    lr = NS.rank_one_network(ctx.rng(0), n=N)
    IB = np.asarray(lr.info["I_B"])
    modes = []
    for c in (0, 1):
        d = lr.gains(c)
        ls = NS.linear_systems(lr.J, lr.b[:, None], lr.w, d)
        mr = NS.slow_mode(ls["A_r"], ls["c_r"], fallback=lr.M[:, 0])
        mx = NS.slow_mode(ls["A_x"], ls["c_x"], fallback=lr.M[:, 0])
        if mr.reason or mx.reason:
            res = Result(scale_note=f"N = {N}")
            res.rows.append(Row("slow mode in both contexts", mr.reason or mx.reason, "a real simple slow mode", False))
            return res
        modes.append((d, mr, mx))
    (d1, mr1, mx1), (d2, mr2, mx2) = modes
    nvec = lr.Y[:, 0]
    kappa = max(m.kappa for _, mr, mx in modes for m in (mr, mx))
    # eig returns the exact eigenpair of A + E, ‖E‖ ≲ Nε‖A‖_F: vectors turn by ≈ Nε‖A‖_Fκ_λ/gap
    theta = max(N * EPS * np.linalg.norm(NS.linear_systems(lr.J, lr.b[:, None], lr.w, d)["A_r"]) * m.kappa / m.gap
                for d, mr, mx in modes for m in (mr, mx))
    splits, rows_csv = {}, []
    for name, bvec in (("I_A", lr.b), ("I_B", IB)):
        xs = NS.selection_split(mx1.s, bvec, mx2.s, bvec)
        rs = NS.selection_split(mr1.s, d1 * bvec, mr2.s, d2 * bvec)
        splits[name] = (xs, rs)
        for frame, (mi, ms, tot) in (("activation (x)", xs), ("activity (r)", rs)):
            rows_csv.append({"input": name, "frame": frame, "input_modulation": mi, "selection_modulation": ms,
                             "total": tot})
    fig, axes = style.figure(ctx.id, ctx.seed, ctx.scale, ncols=2, width=4.8, height=3.6,
                             subtitle=f"rank-one context network, N = {N}")
    for j, name in enumerate(("I_A", "I_B")):
        ax = axes[0][j]
        (xi, xsel, xt), (ri, rsel, rt) = splits[name]
        pos = np.arange(2)
        ax.bar(pos - 0.18, [xi, ri], 0.36, color=style.color(0), label="input modulation Δb·s̄")
        ax.bar(pos + 0.18, [xsel, rsel], 0.36, color=style.color(1), hatch="//", label="selection modulation b̄·Δs")
        ax.axhline(0, color="k", lw=0.8)
        ax.set_xticks(pos, ["activation frame x", "activity frame r"])
        ax.set(xlabel="frame", ylabel="Δ(s·b), context A − B (input units)",
               title=f"input {name}")
    res = Result(scale_note=f"N = {N} units in two equal populations, bias sd 3, fixed points from starts "
                            f"{list(lr.start)}")
    res.figures[""] = style.finish(fig)
    res.tables["split"] = rows_csv
    cos_x = _cos(mx1.s, mx2.s)
    res.rows.append(Row("activation frame: input modulation, both inputs",
                        ", ".join(f"{splits[k][0][0]:.1e}" for k in splits), "exactly 0",
                        all(splits[k][0][0] == 0.0 for k in splits), "0"))
    res.rows.append(at_most("activation frame: cos∠(s_x in A, s_x in B)", cos_x, 0.9, fmt=".3f",
                            what="the selection vector turns markedly"))
    cos_r = min(_cos(m.s, nvec) for m in (mr1, mr2))
    res.rows.append(at_least("activity frame: cos∠(s_r, n), worst context", cos_r, 1 - 10 * theta - 1e-12, fmt=".15f",
                             what="1 to rounding: 1 − 10·Nε‖A‖_Fκ/gap"))
    share = [abs(splits[k][1][1]) / (abs(splits[k][1][0]) + abs(splits[k][1][1])) for k in splits]
    res.rows.append(at_most("activity frame: selection share |sel|/(|inp|+|sel|), worst input", max(share), 0.5,
                            fmt=".3f", what="input modulation dominates"))
    ratio_err, read_err = 0.0, 0.0
    for name, bvec in (("I_A", lr.b), ("I_B", IB)):
        for d, mr, mx in modes:
            tot_r, tot_x = mr.s @ (d * bvec), mx.s @ bvec
            nu = np.linalg.norm(d * mx.rho)
            ratio_err = max(ratio_err, abs(tot_r - nu * tot_x) / abs(nu * tot_x))
            read_err = max(read_err, abs((lr.w @ mr.rho) * tot_r - ((d * lr.w) @ mx.rho) * tot_x)
                           / abs(((d * lr.w) @ mx.rho) * tot_x))
    tol = 10 * theta * (1 + 2 * kappa) + 8 * N * EPS
    res.rows.append(at_most("r-frame / x-frame total vs ‖D_cρ_x‖: relative difference", ratio_err, tol,
                            what="rounding: 10θ(1 + 2κ) + 8Nε"))
    res.rows.append(at_most("readout-level amounts (w·ρ_r)(s_r·b_r) vs (c_x·ρ_x)(s_x·b_x): relative difference",
                            read_err, 2 * tol, what="rounding, twice the above"))
    res.data = {"N": N, "beta": lr.info["beta"], "starts": list(lr.start), "kappa": kappa, "theta": theta,
                "slow_eigenvalues": [mr.lam for _, mr, _ in modes]}
    return res


def _r2(ctx) -> Result:
    res = Result(scale_note="not run")
    res.rows.append(Row("rank-3 pure-selection construction", "not built", "activity frame: essentially all "
                        "selection", None, "optional reproduction (Zhang, Feng & Min 2025 construction); "
                        "the rank-3 gain-compensating design is not implemented"))
    return res


# -- R3 ------------------------------------------------------------------------------------------
def _r3(ctx) -> Result:
    from numerics import linearization as NL
    n = ctx.pick(20, 40)
    tanh = NL.g_smooth(ctx.rng(0), n=n, activation="tanh", a=2.0)
    relu = NL.g_silent(ctx.rng(1), n=n, relu=True)
    fig, axes = style.figure(ctx.id, ctx.seed, ctx.scale, ncols=3, width=4.2, height=3.8,
                             subtitle=f"eigenvalues of A_x = −I + JD and A_r = −I + DJ, N = {n}")
    res = Result(scale_note=f"N = {n}: one tanh network (G-smooth, |x*| ≤ 2) and one ReLU network with silent units")
    table = []
    worst = {}
    for j, (name, inst) in enumerate((("tanh", tanh), ("ReLU, silent units", relu))):
        Ax, Ar = NL.jacobians(inst)
        wx, _, _, sx = NL.eig_condition(Ax)
        wr, _, _, sr = NL.eig_condition(Ar)
        perm, dist = NL.match_eigenvalues(wx, wr)
        tol = np.maximum(NL.eigenvalue_tolerances(Ax, sx), NL.eigenvalue_tolerances(Ar, sr[perm]))
        worst[name] = float(np.max(dist / tol))
        ax = axes[0][j]
        ax.scatter(wx.real, wx.imag, s=30, facecolors="none", edgecolors=style.color(0), label="eig A_x")
        ax.scatter(wr.real, wr.imag, s=12, marker="x", color=style.color(1), label="eig A_r")
        ax.set(xlabel="Re λ (1/τ)", ylabel="Im λ (1/τ)", title=name)
        axes[0][2].loglog(1 / sx, np.maximum(dist, 1e-18), style.MARKERS[j], color=style.color(j), ms=4,
                          label=f"{name}: |λ_x − λ_r|")
        axes[0][2].loglog(1 / sx, tol, "_", color=style.color(j), ms=8, label=f"{name}: tolerance 100ε‖A‖_F/s")
        for k in range(len(wx)):
            table.append({"network": name, "lambda_x_re": wx[k].real, "lambda_x_im": wx[k].imag,
                          "lambda_r_re": wr[perm][k].real, "lambda_r_im": wr[perm][k].imag, "distance": dist[k],
                          "inv_condition": 1 / sx[k]})
    axes[0][2].set(xlabel="eigenvalue condition number 1/s_i (dimensionless)",
                   ylabel="assignment distance (1/τ; 1e−18 = exact)", title="pairing distance")
    res.figures[""] = style.finish(fig)
    res.tables["eigenvalues"] = table
    for name, v in worst.items():
        res.rows.append(at_most(f"{name}: max |λ_x − λ_r| / (100ε‖A‖_F/s_i)", v, 1.0, what="spectra coincide"))
    S = relu.silent
    A = np.setdiff1d(np.arange(n), S)
    Ax, _ = NL.jacobians(relu)
    w = np.linalg.eigvals(Ax)
    at_minus1 = int(np.sum(np.abs(w + 1) < 1e-9 * max(1, np.linalg.norm(Ax))))
    wa = np.linalg.eigvals(-np.eye(A.size) + relu.J[np.ix_(A, A)])
    rest = w[np.argsort(np.abs(w + 1))[::-1][:A.size]]
    _, dist = NL.match_eigenvalues(rest, wa)
    res.rows.append(Row("ReLU: eigenvalues at −1 (within 1e−9‖A‖)", str(at_minus1), f"≥ |S| = {S.size}",
                        at_minus1 >= S.size, f"{at_minus1 - S.size:+d}"))
    res.rows.append(at_most("ReLU: remaining eigenvalues vs spec(−I + D_A J_AA), max distance", float(dist.max()),
                            1e3 * n * EPS * np.linalg.norm(Ax), what="rounding 10³Nε‖A‖_F"))
    return res


# -- R4 ------------------------------------------------------------------------------------------
def _r4(ctx) -> Result:
    from scipy.integrate import solve_ivp
    from scipy.linalg import expm

    from numerics import linearization as NL
    n = ctx.pick(8, 20)
    n_nets = ctx.pick(2, 5)
    etas = np.logspace(-4, -1, ctx.pick(5, 9))
    t_end = 1.0
    curves = {"x": [], "r": []}
    for k in range(n_nets):
        rng = ctx.rng(k)
        inst = NL.g_smooth(rng, n=n, activation="tanh", a=1.5, g=0.8)
        xi = rng.standard_normal(n)
        xi /= np.linalg.norm(xi)
        Ax, Ar = NL.jacobians(inst)
        d = inst.gains
        ex, er = [], []
        for eta in etas:
            sol = solve_ivp(lambda t, x: NL.activation_field(inst, x), (0, t_end), inst.x_star + eta * xi,
                            method="DOP853", rtol=1e-13, atol=1e-15)
            x_t = sol.y[:, -1]
            ex.append(np.linalg.norm(x_t - (inst.x_star + expm(Ax * t_end) @ (eta * xi))))
            er.append(np.linalg.norm(np.tanh(x_t) - (inst.r_star + expm(Ar * t_end) @ (d * eta * xi))))
        curves["x"].append(ex)
        curves["r"].append(er)
    fig, axes = style.figure(ctx.id, ctx.seed, ctx.scale, width=5.4, height=4.0,
                             subtitle=f"error of the linear prediction at t = {t_end:g} τ")
    ax = axes[0][0]
    res = Result(scale_note=f"{n_nets} tanh networks (G-smooth, N = {n}, g = 0.8, |x*| ≤ 1.5), "
                            f"{len(etas)} perturbation sizes η ∈ [1e−4, 1e−1], unit random direction")
    slopes = {}
    for i, frame in enumerate(("x", "r")):
        E = np.array(curves[frame])
        gm = np.exp(np.log(E).mean(0))
        lo, hi = np.exp(np.log(E).min(0)), np.exp(np.log(E).max(0))
        ax.loglog(etas, gm, style.MARKERS[i] + "-", color=style.color(i),
                  label=f"{'activation' if frame == 'x' else 'activity'} frame (geometric mean)")
        ax.fill_between(etas, lo, hi, color=style.color(i), alpha=0.2, lw=0)
        fit = [np.polyfit(np.log(etas[:-2]), np.log(e[:-2]), 1)[0] for e in E]  # the asymptotic range
        slopes[frame] = fit
    ax.loglog(etas, gm[0] * (etas / etas[0]) ** 2, "k:", label="slope 2")
    ax.set(xlabel="perturbation size η (state units)", ylabel="‖nonlinear − linear prediction‖₂ (state units)")
    res.figures[""] = style.finish(fig)
    res.tables["errors"] = [{"network": k, "eta": e, "error_x": curves["x"][k][j], "error_r": curves["r"][k][j]}
                            for k in range(n_nets) for j, e in enumerate(etas)]
    for frame in ("x", "r"):
        s = slopes[frame]
        worst = s[int(np.argmax(np.abs(np.array(s) - 2)))]
        res.rows.append(close_to(f"{frame} frame: fitted log–log slope, worst network", worst, 2.0, 0.1,
                                 why="O(η²) error; band: a third-order term over η ≤ 1e−2 bends the slope < 0.1"))
    return res


# -- R5 ------------------------------------------------------------------------------------------
def _r5(ctx) -> Result:
    from scipy.integrate import solve_ivp

    from numerics import linearization as NL
    n = ctx.pick(10, 30)
    inst = NL.g_smooth(ctx.rng(0), n=n, activation="tanh", a=1.0, g=0.8, K=1)
    t_drive, t_end = 20.0, 40.0
    amp, omega = 1.0, 1.0

    def u_of(t):
        return inst.u0 + (amp * math.sin(omega * t) if t < t_drive else 0.0) * np.ones(inst.B.shape[1])

    times = np.linspace(0, t_end, ctx.pick(400, 1200))
    sol = solve_ivp(lambda t, x: NL.activation_field(inst, x, u_of(t)), (0, t_end), inst.x_star, method="DOP853",
                    rtol=1e-11, atol=1e-13, t_eval=times, max_step=0.05)
    X = sol.y.T
    F = np.array([NL.activation_field(inst, x, u_of(t)) for t, x in zip(times, X)])
    r = np.tanh(X)
    term = np.max(np.abs(-2 * r * F), axis=1)            # ‖diag(ψ ⊙ F)‖, ψ = φ″/φ′ = −2 tanh for tanh
    bound = inst.act.psi_bound * np.max(np.abs(F), axis=1)
    DJ = np.array([np.max(np.abs((1 - ri ** 2)[:, None] * inst.J)) for ri in r])
    fig, axes = style.figure(ctx.id, ctx.seed, ctx.scale, width=6.0, height=3.8,
                             subtitle=f"tanh, N = {n}, u = u₀ + sin t until t = {t_drive:g}, then held at u₀")
    ax = axes[0][0]
    ax.semilogy(times, np.maximum(term, 1e-17), color=style.color(0), label="‖diag(ψ ⊙ F)‖ (trajectory term)")
    ax.semilogy(times, np.maximum(bound, 1e-17), "--", color=style.color(1), label="L_φ‖F‖_∞ (bound, L_φ = 2)")
    ax.semilogy(times, DJ, ":", color=style.color(2), label="max |(DJ)_ij| (scale of the fixed-point term)")
    ax.axvline(t_drive, color="grey", lw=0.8, ls="--", label="input held constant from here")
    ax.set(xlabel="time t (units of τ)", ylabel="matrix max-norm (1/τ)")
    res = Result(scale_note=f"one tanh network, N = {n}, {len(times)} time points")
    res.figures[""] = style.finish(fig)
    res.tables["trajectory"] = [{"t": t, "term": a, "bound": b_, "DJ_max": c} for t, a, b_, c in
                                zip(times, term, bound, DJ)]
    driven = times < t_drive
    res.rows.append(at_most("max over t of term / L_φ‖F‖_∞", float(np.max(term / np.maximum(bound, 1e-300))), 1.0,
                            fmt=".3f", what="|ψ| ≤ L_φ"))
    ratio = float(np.max(term[driven]) / np.median(DJ[driven]))
    res.rows.append(at_least("driven phase: max term / median max|DJ|", ratio, 0.1, fmt=".2f",
                             what="comparable to the entries of DJ"))
    res.rows.append(at_most("term at the end (input held for 20 τ) / max term while driven",
                            float(term[-1] / np.max(term[driven])), 1e-3, what="vanishes at the fixed point"))
    return res


# -- R6 ------------------------------------------------------------------------------------------
def _r6(ctx) -> Result:
    from numerics import linearization_singular as NS
    seeds = ctx.pick(8, 30)
    table = []
    for k in range(seeds):
        rng = ctx.rng(k)
        n = int(rng.integers(3, 7))
        J = rng.integers(-2, 3, (n, n)).astype(float)
        d = (rng.random(n) < 0.6).astype(float)        # ReLU gains: 1 active, 0 silent
        if d.sum() in (0, n):
            d[int(rng.integers(n))] = 1.0 - d[int(rng.integers(n))] if d.sum() else 1.0
        b = rng.integers(-2, 3, n).astype(float)
        w = rng.integers(-2, 3, n).astype(float)
        ranks = NS.exact_krylov_ranks(J, d, b, w)
        verdict = NS.similarity_verdict(J, d)
        silent_input = bool(np.any((d == 0) & (b != 0)))
        table.append({"draw": k, "n": n, "silent": int((d == 0).sum()), "silent_units_receive_input": silent_input,
                      **ranks, "similar": verdict["similar"], "verdict": verdict["verdict"]})
    res = Result(scale_note=f"{seeds} integer ReLU networks (N ∈ 3..6, J, b, w ∈ {{−2..2}}, gains 0/1), exact "
                            "rational ranks")
    fig, axes = style.figure(ctx.id, ctx.seed, ctx.scale, ncols=2, width=4.6, height=3.8,
                             subtitle="exact Krylov ranks, ReLU networks")
    x = np.arange(seeds)
    ax = axes[0][0]
    ax.plot(x - 0.1, [t["K_x"] for t in table], "o", color=style.color(0), label="rank K_x")
    ax.plot(x + 0.1, [t["K_r"] for t in table], "s", color=style.color(1), label="rank K_r")
    ax.set(xlabel="network draw", ylabel="controllability rank (states)", title="controllability")
    ax = axes[0][1]
    ax.plot(x - 0.1, [t["O_x"] for t in table], "o", color=style.color(0), label="rank O_x")
    ax.plot(x + 0.1, [t["O_r"] for t in table], "s", color=style.color(1), label="rank O_r")
    ax.set(xlabel="network draw", ylabel="observability rank (states)", title="observability")
    res.figures[""] = style.finish(fig)
    res.tables["ranks"] = table
    ok_k = sum(t["K_r"] <= t["K_x"] for t in table)
    ok_o = sum(t["O_x"] <= t["O_r"] for t in table)
    res.rows.append(Row("rank K_r ≤ rank K_x", f"{ok_k}/{seeds}", "every draw", ok_k == seeds, ""))
    res.rows.append(Row("rank O_x ≤ rank O_r", f"{ok_o}/{seeds}", "every draw", ok_o == seeds, ""))
    si = [t for t in table if t["silent_units_receive_input"]]
    strict = sum(t["K_r"] < t["K_x"] for t in si)
    res.rows.append(Row("strict K_r < K_x when silent units receive input", f"{strict}/{len(si)}", "typically strict",
                        None if not si else bool(strict >= len(si) / 2), ""))
    res.rows.append(Row("McMillan degree equal in both frames (H_x = H_r)",
                        f"{sum(t['H_x'] == t['H_r'] for t in table)}/{seeds}", "every draw",
                        all(t["H_x"] == t["H_r"] for t in table), ""))
    sim = [t["similar"] for t in table]
    res.rows.append(Row("Jordan verdict at −1: similar / not / undetermined",
                        f"{sim.count(True)}/{sim.count(False)}/{sim.count(None)}", "reported", None, ""))
    return res


register(Reproduction(
    id="linearization.R1", paper=PAPER, title="rank-one context network: the frames disagree on the split",
    expected="x frame: input modulation exactly 0, selection vector turns; r frame: s_r ∥ n, input modulation "
             "dominates; r/x totals ratio = ‖D_cρ_x‖; readout-level amounts agree",
    source="Pagan et al. 2023 §4 (claim linearization.rank_one_context)", run=_r1))
register(Reproduction(
    id="linearization.R2", paper=PAPER, title="pure selection-vector modulation (rank-3 construction)",
    expected="activity-frame split assigns essentially all modulation to the selection vector", run=_r2,
    source="Zhang, Feng & Min 2025", optional=True))
register(Reproduction(
    id="linearization.R3", paper=PAPER, title="spectra overlay of A_x and A_r",
    expected="tanh: eigenvalues coincide; ReLU with silent units: |S| eigenvalues at −1, the rest spec(−I + D_AJ_AA)",
    source="Pagan et al. 2023 §2 (claims same_spectrum, singular_charpoly)", run=_r3))
register(Reproduction(
    id="linearization.R4", paper=PAPER, title="linearization error vs perturbation size, both frames",
    expected="log–log slope 2 for the absolute error in both frames", run=_r4,
    source="claim linearization.linear_prediction"))
register(Reproduction(
    id="linearization.R5", paper=PAPER, title="trajectory term along a driven trajectory",
    expected="‖diag(ψ ⊙ F)‖ ≤ L_φ‖F‖_∞, comparable to DJ off fixed points, vanishing once the input is held",
    run=_r5, source="claim linearization.trajectory_term"))
register(Reproduction(
    id="linearization.R6", paper=PAPER, title="controllability and observability ranks, ReLU networks",
    expected="rank K_r ≤ rank K_x and rank O_x ≤ rank O_r, typically strict when silent units receive input",
    run=_r6, source="claim linearization.krylov_controllability"))
