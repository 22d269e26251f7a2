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
        # K ∝ c, so a tiny c pushes left = Vᵀ(B̃ᵀΠ^{1/2}) into gradual underflow, where rounding is
        # absolute: fl(x op y) = (x op y)(1 + δ) + η, |η| ≤ 2⁻¹⁰⁷⁴ (Higham 2002, §2.1). B̃ᵀΠ^{1/2} takes
        # ≤ 5 operations an entry and Vᵀ· ≤ 2nx, so ‖Δleft‖₂ ≤ √nx(2nx + 5)η (V orthogonal); it meets
        # ‖right‖₂ = ‖Π^{1/2}x‖₂ ≤ max|x|, and the nx products and sums of the spectral sum add 3nx·η.
        nx = len(ch.x)
        floor += (math.sqrt(nx) * (2 * nx + 5) * float(np.max(np.abs(ch.x))) + 3 * nx) * UNDERFLOW_UNIT
        for extra in (0.0, shift):
            tau_a = max(3.0 / gap, 7.0 / (ev[1] - ev[2])) + extra
            tau_b = tau_a + 6.0 / gap
            Ka, Kb = np.abs(ch.kernel1(np.array([tau_a, tau_b])))
            if floor >= min(Ka, Kb):
                break  # the kernel is not above its own rounding (underflow): its logarithm means nothing
            rates.append(-(math.log(Kb) - math.log(Ka)) / (tau_b - tau_a))
        if len(rates) < 2:
            ctx.skip(f"the chain kernel (∝ c = {p['c']:.3g}) is below its rounding and underflow floor at the fit window")
            continue
        ctx.record(abs(rates[1] - gap) / gap,
                   _rate_tolerance(rates[0], rates[1], tau_b - tau_a, -gap, floor / min(Ka, Kb)),
                   check="σ > 0 (1-D chain): fitted rate vs spectral gap", gap=gap)
        del taus


UNDERFLOW_UNIT = 2.0 ** -1074  # spacing of the subnormal floats
THETA_13 = 5.371920351148152  # Higham 2005, Table 2.3: largest ‖B‖₁ at which r₁₃(B) is used unscaled


def _pade13_cancellation(B):
    r"""p̃₁₃(‖B‖)·‖q₁₃(B)⁻¹‖/‖r₁₃(B)‖ (2-norms): how much rounding in forming p₁₃(B) = Σ bₖBᵏ is
    amplified relative to r₁₃(B) = q₁₃(B)⁻¹p₁₃(B), p̃ the polynomial with |bₖ|. For B ≈ −xI
    (a Hurwitz J, scaled) the alternating sum cancels and the factor is ≈ eˣ."""
    b = np.array([math.factorial(26 - k) * math.factorial(13)
                  / (math.factorial(26) * math.factorial(13 - k) * math.factorial(k)) for k in range(14)])
    powers = [np.eye(len(B))]
    for _ in range(13):
        powers.append(powers[-1] @ B)
    P = sum(bk * Bk for bk, Bk in zip(b, powers))
    Q = sum(bk * (-1) ** k * Bk for k, (bk, Bk) in enumerate(zip(b, powers)))
    norm_b = np.linalg.norm(B, 2)
    p_abs = float(sum(bk * norm_b ** k for k, bk in enumerate(b)))
    return p_abs * np.linalg.norm(np.linalg.inv(Q), 2) / np.linalg.norm(np.linalg.solve(Q, P), 2)


def _expm_relative_error(J, tau):
    r"""Bound on ‖fl(e^{τJ}) − e^{τJ}‖ / (κ(V)³e^{ατ}) for ``scipy.linalg.expm`` (scaling and squaring,
    Padé degree 13, s squarings; J = VΛV⁻¹, α its spectral abscissa).

    Forming p₁₃(B), B = τJ/2ˢ, with its 13 products and sums of n-vectors has error
    ≤ 2·13·n·ε·p̃₁₃(‖B‖) (Higham 2008, §10.3), so r₁₃(B) = X is off by ΔX with
    ‖ΔX‖ ≤ 26nε·c(B)‖X‖, c the cancellation factor of :func:`_pade13_cancellation`.
    The squarings turn it into Σⱼ Xʲ ΔX X^{2ˢ−1−j} (first order), and ‖Xʲ‖ ≤ κ(V)e^{αjτ/2ˢ}, so
    ‖Δe^{τJ}‖ ≤ 2ˢ·26nε·c(B)·κ(V)³e^{ατ}. (The backward-error bound nε(1 + τ‖J‖)‖e^{τJ}‖ misses c(B),
    which reaches ~e^{θ₁₃} for Hurwitz J.) scipy picks s ≥ s₀ = ⌈log₂(‖τJ‖₁/θ₁₃)⌉ (the η-estimates
    and the ℓ correction move it by a step or two); 2ˢc(τJ/2ˢ) is maximised over s₀ − 1 … s₀ + 3."""
    n = J.shape[0]
    A = tau * J
    if not np.any(A - np.diag(np.diag(A))):
        # diagonal (n = 1 included): scipy takes exp of the diagonal; τJ and exp each round by ε
        return 2 * EPS * (1 + np.max(np.abs(A)))
    s0 = max(0, math.ceil(math.log2(max(np.linalg.norm(A, 1), 1e-300) / THETA_13)))
    worst = max(2.0 ** s * _pade13_cancellation(A / 2.0 ** s) for s in range(max(0, s0 - 1), s0 + 4))
    return 26 * n * EPS * worst


def _modal_rate_tolerance(model, hs, alpha, tau_a, period):
    r"""Relative error bound of the envelope rate fitted on [τ_a, τ_b] (σ = 0 kernel).

    With J = VΛV⁻¹, K⁽¹⁾(τ) = Σₖ e^{λₖτ}aₖ, aₖ = ∇f Vₖ (V⁻¹)ₖ c. The modes with Re λ = α make a
    term e^{ατ}P(τ) with P periodic, whose window maxima E₀(τ) scale exactly by e^{α(τ_b − τ_a)}; the
    other modes move each maximum by at most δ(τ) = Σ_{Re λₖ<α} ‖aₖ‖e^{Re λₖ τ}, so
    |log E(τ) − log E₀(τ)| ≤ 2δ/E (for δ ≤ E/2) and the rate is off by at most
    (2δ_a/E_a + 2δ_b/E_b)/(τ_b − τ_a), plus the rounding of expm in K (:func:`_expm_relative_error`),
    of the two logarithms and their difference (ε|log E| each) and of α (eig)."""
    J = model.jacobian(hs)
    lam, V = np.linalg.eig(J)
    Vinv = np.linalg.inv(V)
    kappa_V = float(np.linalg.norm(V, 2) * np.linalg.norm(Vinv, 2))
    g = model.readout_gradient(hs)
    left, right = g @ V, np.linalg.solve(V, model.C.astype(complex))
    weights = np.array([np.linalg.norm(np.outer(left[:, k], right[k])) for k in range(len(lam))])
    rest = lam.real < alpha - 1e-9
    tau_b = tau_a + period * max(1, math.ceil(10.0 / abs(alpha) / period))
    K = lambda taus: np.linalg.norm(N.kernel1(model, hs, taus).reshape(len(taus), -1), axis=1)  # noqa: E731
    total = 0.0
    for ta in (tau_a, tau_b):
        E = float(np.max(K(np.linspace(ta, ta + period, 64))))
        delta = float(np.sum(weights[rest] * np.exp(lam.real[rest] * (ta + period))))
        delta = max(delta, float(np.sum(weights[rest] * np.exp(lam.real[rest] * ta))))
        if delta > E / 2:
            return math.inf  # the window is not yet dominated by the slowest modes
        # K = ∇f e^{τJ} C on the window [ta, ta + P]: e^{ατ} ≤ e^{α·ta}; the expm factor at both ends
        rel = max(_expm_relative_error(J, ta), _expm_relative_error(J, ta + period))
        rounding = (rel * kappa_V ** 3 * math.exp(alpha * ta)
                    * np.linalg.norm(g, 2) * np.linalg.norm(model.C, 2))
        total += 2 * (delta + rounding) / E + 2 * EPS * abs(math.log(E))
    # α itself comes from eig: off by ε‖J‖ times the condition number ‖v_k‖‖u_k‖ of its eigenvalue.
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
       ("σ = 0: J Hurwitz with spectral abscissa α", "σ > 0: 1-D grid chain, spectral gap λ = −λ₂(G), kernel above its rounding and underflow floor on the fit window"),
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
