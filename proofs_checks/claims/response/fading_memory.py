"""Fading memory: the kernels decay exponentially in every lag.

Claims of Lim 2021, JMLR 22(47) (arXiv:2006.11052); the statements are the toolkit's
reconstruction (see :data:`proofs_checks.claims.response._checks.NOTE`).
"""

from __future__ import annotations

import math

import numpy as np

from numerics import response as N
from proofs_checks.registry import Sides, Tolerance, annotate
from theory import response as T

from ._checks import EPS, _claim, _proof
from ._instances import _designed, _oned, _oned_chain


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
    if min(env) <= 0:
        return None, tau_a  # the kernel underflowed in a window: nothing to fit
    return -(math.log(env[1]) - math.log(env[0])) / (tau_b - tau_a), tau_a


def _fading_numeric(ctx):
    for rng in ctx.instances():
        model, hs = _designed(rng)
        ctx.edge("n = 1", model.n == 1)
        ctx.edge("zero gain W = 0", not np.any(model.W))
        if not np.any(model.readout_gradient(hs)) or not np.any(model.C):
            ctx.skip("the kernel vanishes identically (∇f(h*) = 0 or C = 0): no decay rate to fit")
            continue
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
        tol = _modal_rate_tolerance(model, hs, alpha, ta, period)
        if not math.isfinite(tol):
            # The slowest modes carry (almost) no weight: the window measures a faster mode.
            ctx.skip("the slowest modes do not dominate the fit window (their weight ∇f·v·wᵀc is too small)")
            continue
        ctx.record(abs(rate + alpha) / abs(alpha), tol, check="σ = 0: fitted rate vs spectral abscissa", alpha=alpha)
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


# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces
# the numeric checks and fails on a call into theory that is not listed as lambdified).
_SIDES = {
    "response.fading_memory": Sides(
        symbolic=("theory.response.fading_check",),
        numeric=("numerics.response.design_bias", "numerics.response.spectral_abscissa", "numerics.response.kernel1", "numerics.response.oned_log_density", "numerics.response.grid_chain"),
    ),
}
for _id, _sides in _SIDES.items():
    annotate(_id, sides=_sides)
