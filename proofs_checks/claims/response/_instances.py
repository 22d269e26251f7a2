"""Instance builders of the response claims: every draw comes from the generator they are given.

Contracting and designed (exact fixed point) networks, linear (OU) networks, 1-D networks and
their generator chains, sinusoidal inputs, random finite-state chains.
"""

from __future__ import annotations

import math

import numpy as np

from numerics import response as N
from proofs_checks.registry import NotApplicable

# ---------------------------------------------------------------------------------------------
# Instance generators; every draw from the given rng
# ---------------------------------------------------------------------------------------------
def _contracting(rng, n=None, m=None, quadratic=None, kappa=(0.0, 0.9)):
    """Γ = diag(γ), W = κ·γ_min·G/‖G‖₂ with κ drawn in ``kappa`` (κ < 1: L‖W‖₂ < γ_min for tanh);
    a zero G (a search draw) gives W = 0, the zero-gain network."""
    n = int(rng.integers(1, 4)) if n is None else n
    m = int(rng.integers(1, 3)) if m is None else m
    gam = rng.uniform(0.5, 2.0, n)
    G = rng.standard_normal((n, n))
    norm = np.linalg.norm(G, 2)
    scale = rng.uniform(*kappa) * gam.min()
    W = scale * G / norm if norm > 0 else np.zeros_like(G)   # same rounding as before the guard
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
    raise NotApplicable("no designed network with spectral abscissa ≤ −0.1 in 200 draws")


def _ou(rng, n=None, m=None):
    n = int(rng.integers(1, 4)) if n is None else n
    m = int(rng.integers(1, 3)) if m is None else m
    for _ in range(200):
        gam = rng.uniform(0.5, 2.0, n)
        W = rng.standard_normal((n, n)) * 0.6
        if N.spectral_abscissa(W - np.diag(gam)) <= -0.1:
            break
    else:
        raise NotApplicable("no OU network with W − Γ of spectral abscissa ≤ −0.1 in 200 draws")
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
    raise NotApplicable("no monostable 1-D instance (w ≤ 0.8γ) in 200 draws")


def _oned_model(p):
    return N.SRNN(Gamma=np.array([[p["gamma"]]]), W=np.array([[p["w"]]]), b=np.array([p["b"]]),
                  C=np.array([[p["c"]]]), sigma=np.array([[p["sigma"]]]), A=np.array([[1.0]]))


def _oned_F(p):
    return lambda x: -p["gamma"] * x + np.tanh(p["w"] * x + p["b"])


def _oned_domain(p):
    # domain where 2 (V(+-L) - min V) / sigma^2 >= 40 (boundary mass e^-40, claim oned_generator_chain), plus a margin
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



def _random_chain(rng, kmax=30):
    k = int(rng.integers(3, kmax + 1))
    R = rng.uniform(0.1, 2.0, (k, k))
    np.fill_diagonal(R, 0)
    G = R - np.diag(R.sum(1))
    Bm = rng.standard_normal((k, k)) * 0.5
    np.fill_diagonal(Bm, 0)
    B = Bm - np.diag(Bm.sum(1))
    return G, B, rng.standard_normal(k)


