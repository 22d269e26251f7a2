"""The representation measures: participation ratio and between/within class distance ratio
(claims geometry.participation_ratio and geometry.class_distance_ratio)."""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from numerics import InputError
from numerics import geometry as N
from proofs_checks.registry import Claim, Proof, Sides, Tolerance, annotate, register
from theory import geometry as T

from ._checks import PAPER, REF
from ._instances import _orthogonal, search_size


# ================================================================================================
# geometry.participation_ratio
# ================================================================================================
@functools.lru_cache(maxsize=None)
def _pr_fn():
    mu, r, expr = T.participation_ratio_general()
    return sp.lambdify((mu, r), expr, "numpy")


def _pr_symbolic() -> Proof:
    ok = all(T.lagrange_identity(r) == 0 and T.pr_lower_identity(r) == 0 for r in range(1, 9))
    return Proof(ok, "r Σμ² − (Σμ)² = Σ_{i<j}(μ_i − μ_j)² and (Σμ)² − Σμ² = 2Σ_{i<j}μ_iμ_j (expand, r ≤ 8): "
                     "1 ≤ PR ≤ r, equality iff the r nonzero eigenvalues are equal")


EPS = np.finfo(float).eps


def _pr_rounding(n: int, d: int, k: int, eta: float = 0.0) -> float:
    r"""Relative rounding bound on a computed participation ratio (claim geometry.participation_ratio).

    PR(C) = (tr C)²/‖C‖_F² has |dPR|/PR ≤ 2|tr ΔC|/tr C + 2‖ΔC‖_F/‖C‖_F ≤ 2(√d + 1)‖ΔC‖_F/‖C‖_F,
    since tr C ≥ ‖C‖_F and |tr ΔC| ≤ √d‖ΔC‖_F. For a covariance of rank ≤ k, ‖C‖_F ≥ tr C/√k =
    ‖X_c‖_F²/((n − 1)√k), so a data perturbation with η = ‖ΔX_c‖_F/‖X_c‖_F costs
    ‖ΔC‖_F/‖C‖_F ≤ √k(2η + η²); forming the Gram matrix (inner dimension ≤ max(n, d)) costs
    max(n, d)·ε·√k, and eigvalsh's backward error ≤ d·ε‖C‖₂ costs d^{3/2}ε in the Frobenius norm.
    """
    return 2.0 * (np.sqrt(d) + 1.0) * (np.sqrt(k) * (2.0 * eta + eta ** 2) + max(n, d) * EPS * np.sqrt(k)
                                        + d ** 1.5 * EPS)


def _centred_norm(X) -> float:
    return float(np.linalg.norm(X - X.mean(axis=0)))


def _pr_numeric(ctx):
    for rng in ctx.instances():
        d = search_size(ctx, rng, 1, 51)
        k = int(rng.integers(1, d + 1))
        n = int(rng.integers(k + 1, 501))
        basis = _orthogonal(rng, d)[:, :k]
        X = rng.standard_normal((n, k)) @ basis.T * rng.uniform(0.1, 10) + rng.standard_normal(d)
        spread = _centred_norm(X)
        # Rounding of each entry of X (and of its centring) is ≤ ε per unit of the entry; relative to
        # the spread of the data that is η_X = 2ε‖X‖_F/‖X_c‖_F. Data whose spread is at its offset's
        # rounding level has no meaningful covariance in floating point (hypothesis: nonzero covariance).
        eta_x = 2.0 * EPS * float(np.linalg.norm(X)) / spread if spread > 0 else np.inf
        if not eta_x < 0.1:
            ctx.edge("spread at the rounding level of the offset")
            ctx.skip(f"data spread ‖X_c‖_F = {spread:.3g} is at the rounding level of its offset "
                     f"‖X‖_F = {np.linalg.norm(X):.3g} (η = {eta_x:.3g}): the covariance is not resolved")
            continue
        pr = N.participation_ratio(X)
        rho_x = _pr_rounding(n, d, k, eta_x)
        ctx.record(max(pr - k, 1.0 - pr, 0.0) / k, rho_x, check="1 ≤ PR ≤ k for data in a k-dim subspace "
                   "(relative to k)", d=d, k=k, n=n, pr=pr)
        # Independent route: eigenvalues from the SVD of the centred data, formula from SymPy.
        s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
        mu = s ** 2 / (n - 1)
        pr_sym = float(_pr_fn()(mu, len(mu)))
        ctx.record(abs(pr_sym - pr) / pr, 2.0 * _pr_rounding(n, d, k), check="lambdified SymPy PR of SVD "
                   "eigenvalues vs numeric PR (eigvalsh of the covariance)", d=d, k=k, n=n)
        # Equal-eigenvalue design: ±a e_i in k coordinates, PR = k (exact data, exact centring).
        a = rng.uniform(0.5, 5)
        E = np.zeros((2 * k, d))
        E[np.arange(k), np.arange(k)] = a
        E[k + np.arange(k), np.arange(k)] = -a
        ctx.record(abs(N.participation_ratio(E) - k) / k, _pr_rounding(2 * k, d, k),
                   check="PR = k for equal eigenvalues (relative)", k=k, d=d)
        # Invariances: each transformed copy carries its own rounding, η relative to the spread.
        Q = _orthogonal(rng, d)
        c = 10.0 ** rng.uniform(-3, 3)
        shift = rng.standard_normal(d) * 5
        x_norm = float(np.linalg.norm(X))
        non_orthogonality = float(np.linalg.norm(Q.T @ Q - np.eye(d), 2))
        transformed = (
            # XQᵀ: each entry is a length-d dot product with a unit row, error ≤ dε‖x‖; Q orthogonal to ‖QᵀQ − I‖₂
            ("orthogonal", X @ Q.T, (d + 2) * EPS * x_norm / spread + non_orthogonality),
            ("scale", c * X, 3 * EPS * x_norm / spread),
            ("translation", X + shift, 2 * EPS * (x_norm + np.sqrt(n) * np.linalg.norm(shift)) / spread))
        for name, Y, eta_y in transformed:
            tol = rho_x + _pr_rounding(n, d, k, eta_y)
            ctx.record(abs(N.participation_ratio(Y) - pr) / pr, tol, check=f"PR invariant under {name}",
                       d=d, k=k, n=n)
    for bad, why in ((np.zeros((1, 3)), "n < 2"), (np.ones((5, 3)), "constant data")):
        try:
            N.participation_ratio(bad)
            ctx.require(False, f"PR of {why} raises InputError naming states")
        except InputError as exc:
            ctx.require("states" in str(exc), f"PR of {why} raises InputError naming states")


register(Claim(
    id="geometry.participation_ratio", paper=PAPER,
    title="Participation ratio: bounds and invariances",
    reference=REF,
    source="toolkit extension (an analysis measure chosen by the toolkit; the paper's own "
           "measures are not published)",
    statement=T.pr_statement,
    hypotheses=("sample covariance, centred, ddof = 1", "eigenvalues μ_i ≥ 0 (round-off clipped at 0)",
                "at least two samples and nonzero covariance (the data's spread above its rounding level)"),
    tolerance=Tolerance("relative ρ = 2(√d + 1)(√k(2η + η²) + max(n, d)ε√k + d^{3/2}ε) per computed PR, "
                        "η = ‖ΔX_c‖_F/‖X_c‖_F the data's rounding relative to its spread (2ε‖X‖_F/‖X_c‖_F; "
                        "(d + 2)ε‖X‖_F/‖X_c‖_F + ‖QᵀQ − I‖₂ after a rotation); invariances: ρ(X) + ρ(Y); "
                        "SVD route 2ρ(η = 0)",
                        "|dPR|/PR ≤ 2(√d + 1)‖ΔC‖_F/‖C‖_F and ‖C‖_F ≥ tr C/√k for rank ≤ k; Gram formation "
                        "and eigvalsh's backward error ≤ dε‖C‖₂; data whose spread is within 10 rounding "
                        "units of its offset is not applicable", kind="roundoff"),
    symbolic=_pr_symbolic, numeric=_pr_numeric,
    expressions=lambda: {"PR": T.participation_ratio(sp.symbols("mu1:4", nonnegative=True))},
    cost=1.0,
))


# ================================================================================================
# geometry.class_distance_ratio
# ================================================================================================
def _ratio_by_pdist(X, y):
    """Independent route: scipy's pdist for the centroid distances, a plain loop for the spread."""
    from scipy.spatial.distance import pdist

    classes = np.unique(y)
    cents = np.array([X[y == a].mean(axis=0) for a in classes])
    within = np.mean([np.mean(np.sqrt(((X[y == a] - cents[i]) ** 2).sum(axis=1)))
                      for i, a in enumerate(classes)])
    return float(np.mean(pdist(cents)) / within)


def _separation_slope(noise, means, y):
    """d/ds at s = 1⁺ of mean_{a<b} ‖s Δm_ab + Δn̄_ab‖ (Δm: class means, Δn̄: noise centroids), and
    that mean at s = 1. Each term is convex in s, so a positive slope at s = 1 makes the centroid
    distances, and R (whose within-class spread does not depend on s), strictly increasing on
    s ≥ 1."""
    classes = np.unique(y)
    noise_centroids = np.array([noise[y == a].mean(axis=0) for a in classes])
    iu = np.triu_indices(classes.size, 1)
    dm = (means[classes][:, None, :] - means[classes][None, :, :])[iu]
    dn = (noise_centroids[:, None, :] - noise_centroids[None, :, :])[iu]
    dist = np.linalg.norm(dm + dn, axis=1)
    right = np.linalg.norm(dm, axis=1)  # the one-sided derivative where Δm + Δn̄ = 0
    with np.errstate(invalid="ignore", divide="ignore"):
        slopes = np.where(dist > 0, np.einsum("ij,ij->i", dm, dm + dn) / dist, right)
    return float(np.mean(slopes)), float(np.mean(dist))


def _ratio_symbolic() -> Proof:
    res = T.distance_ratio_invariance_residuals()
    return Proof(all(r == 0 for r in res),
                 "2-D symbolic points: a rotation + shift maps centroids to centroids and preserves squared "
                 "distances (residuals 0); R(sX) − R(X) = 0 for s > 0 and swapping the two classes gives "
                 "the same R (2 classes × 2 points)")


def _ratio_numeric(ctx):
    for rng in ctx.instances():
        K, d = search_size(ctx, rng, 2, 11), search_size(ctx, rng, 1, 21)
        sizes = rng.integers(2, 31, K)
        y = np.repeat(np.arange(K), sizes)
        X = rng.standard_normal((y.size, d)) + rng.standard_normal((K, d))[y] * rng.uniform(0.2, 3)
        R = N.class_distance_ratio(X, y)
        ctx.record(abs(_ratio_by_pdist(X, y) - R) / R, 1e-12, check="R vs scipy pdist route", K=K, d=d)
        Q = _orthogonal(rng, d)
        perm = rng.permutation(K)
        for name, (Y, lab) in (("translation", (X + rng.standard_normal(d) * 10, y)),
                               ("orthogonal", (X @ Q.T, y)),
                               ("scale", (X * 10.0 ** rng.uniform(-3, 3), y)),
                               ("relabelling", (X, perm[y]))):
            ctx.record(abs(N.class_distance_ratio(Y, lab) - R) / R, 1e-12, check=f"R invariant under {name}",
                       K=K, d=d)
        # Monotone in the separation of well-separated Gaussian clusters (same noise, scaled means).
        noise = rng.standard_normal((y.size, d))
        means = rng.standard_normal((K, d))
        seps = [1.0, 2.0, 4.0, 8.0, 16.0]
        slope, between = _separation_slope(noise, means, y)
        ctx.edge("class means not separated (R flat or falling in s)", not slope > 1e-6 * between)
        if not slope > 1e-6 * between:
            # Outside the hypothesis "well-separated clusters": the centroid distances
            # ‖s Δm + Δn̄‖ do not grow from s = 1 on (coinciding means, or noise means that
            # outweigh them), so R need not increase.
            ctx.skip("class means not separated against the noise: the mean centroid distance "
                     "does not grow from s = 1")
            continue
        Rs = [N.class_distance_ratio(noise + s * means[y], y) for s in seps]
        ctx.require(all(a < b for a, b in zip(Rs, Rs[1:])), "R strictly increasing in the separation",
                    K=K, d=d, ratios=Rs)
    for X, y, word in ((np.zeros((4, 2)) + np.arange(4)[:, None], np.zeros(4, int), "labels"),):
        try:
            N.class_distance_ratio(X, y)
            ctx.require(False, "one class raises InputError naming labels")
        except InputError as exc:
            ctx.require(word in str(exc), "one class raises InputError naming labels")


register(Claim(
    id="geometry.class_distance_ratio", paper=PAPER,
    title="Between/within class distance ratio: invariances",
    reference=REF,
    source="toolkit extension (an analysis measure chosen by the toolkit; the paper's own "
           "measures are not published)",
    statement=T.distance_ratio_statement,
    hypotheses=("at least two classes, each with samples", "nonzero within-class spread",
                "Euclidean distances; c_a the class centroids",
                "growth in the separation s: clusters noise + s·m_y whose mean centroid distance grows "
                "from s = 1 on (slope > 10⁻⁶ × the distance)"),
    tolerance=Tolerance("rtol 1e-12 for each invariance and for the pdist route",
                        "distances of O(1) data recomputed after an isometry differ by a few ulps", kind="roundoff"),
    symbolic=_ratio_symbolic, numeric=_ratio_numeric,
    expressions=lambda: {"R": T.distance_ratio_definition()},
    cost=1.0,
))


# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces
# the numeric checks and fails on a call into theory that is not listed as lambdified).
_SIDES = {
    "geometry.participation_ratio": Sides(
        symbolic=("theory.geometry.lagrange_identity", "theory.geometry.pr_lower_identity"),
        numeric=("numerics.geometry.participation_ratio",),
        lambdified=("theory.geometry.participation_ratio_general",),
    ),
    "geometry.class_distance_ratio": Sides(
        symbolic=("theory.geometry.distance_ratio_invariance_residuals",),
        numeric=("numerics.geometry.class_distance_ratio",),
    ),
}
for _id, _sides in _SIDES.items():
    annotate(_id, sides=_sides)
