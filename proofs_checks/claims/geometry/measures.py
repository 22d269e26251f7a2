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


def _pr_numeric(ctx):
    for rng in ctx.instances():
        d = search_size(ctx, rng, 1, 51)
        k = int(rng.integers(1, d + 1))
        n = int(rng.integers(k + 1, 501))
        basis = _orthogonal(rng, d)[:, :k]
        X = rng.standard_normal((n, k)) @ basis.T * rng.uniform(0.1, 10) + rng.standard_normal(d)
        pr = N.participation_ratio(X)
        ctx.record(max(pr - k, 1.0 - pr, 0.0), 1e-9, check="1 ≤ PR ≤ k for data in a k-dim subspace",
                   d=d, k=k, n=n, pr=pr)
        # Independent route: eigenvalues from the SVD of the centred data, formula from SymPy.
        s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
        mu = s ** 2 / (n - 1)
        pr_sym = float(_pr_fn()(mu, len(mu)))
        ctx.record(abs(pr_sym - pr) / pr, 1e-10, check="lambdified SymPy PR of SVD eigenvalues vs "
                   "numeric PR (eigvalsh of the covariance)", d=d, k=k, n=n)
        # Equal-eigenvalue design: ±a e_i in k coordinates, PR = k.
        a = rng.uniform(0.5, 5)
        E = np.zeros((2 * k, d))
        E[np.arange(k), np.arange(k)] = a
        E[k + np.arange(k), np.arange(k)] = -a
        ctx.record(abs(N.participation_ratio(E) - k), 1e-10, check="PR = k for equal eigenvalues", k=k, d=d)
        # Invariances.
        Q = _orthogonal(rng, d)
        c = 10.0 ** rng.uniform(-3, 3)
        shift = rng.standard_normal(d) * 5
        for name, Y in (("orthogonal", X @ Q.T), ("scale", c * X), ("translation", X + shift)):
            ctx.record(abs(N.participation_ratio(Y) - pr) / pr, 1e-10, check=f"PR invariant under {name}",
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
                "at least two samples and nonzero covariance"),
    tolerance=Tolerance("PR ≤ k + 1e-9; equal-eigenvalue PR = k within 1e-10; invariances and the SVD "
                        "route rtol 1e-10",
                        "eigvalsh is backward stable: eigenvalue errors ≈ ε‖C‖ relative to the largest, "
                        "far below 1e-10 for d ≤ 50", kind="roundoff"),
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
