"""The same analyses on sequential MNIST when the user supplies the data (claim
geometry.mnist_variant, report only)."""

from __future__ import annotations

import os

import numpy as np
import sympy as sp

from numerics import geometry as N
from proofs_checks.registry import Claim, NotApplicable, Sides, Tolerance, annotate, register

from ._checks import PAPER, REF


# ================================================================================================
# geometry.mnist_variant (report only)
# ================================================================================================
MNIST_ENV = "RNNPROOF_MNIST"


def _mnist(ctx):
    path = os.environ.get(MNIST_ENV)
    if not path:
        raise NotApplicable(f"MNIST data not supplied (no downloads at run time); set {MNIST_ENV} to a "
                            "directory of the four IDX files or an .npz with x_train, y_train, x_test, y_test")
    data = N.load_mnist(path)
    n_train = int(os.environ.get("RNNPROOF_MNIST_TRAIN", "10000"))
    epochs = int(os.environ.get("RNNPROOF_MNIST_EPOCHS", "3"))
    config = N.GeometryConfig(seed=ctx.seed, epochs=epochs, clip=5.0)
    rng = np.random.default_rng([ctx.seed, 3])
    idx = rng.permutation(len(data[0]))[:n_train]
    xtr, ytr, xte, yte = data[0][idx], data[1][idx], data[2], data[3]
    n_classes = int(max(ytr.max(), yte.max())) + 1
    result = N.train(config, xtr, ytr, n_classes, rng)
    if result.diverged:
        ctx.require(False, "training diverged (non-finite loss)")
        return
    p = result.params
    pre = N.rnn_states(p["W"], p["U"], np.concatenate([np.zeros((len(xte), 4, xte.shape[2])), xte], axis=1))
    base = N.rnn_states(p["W"], p["U"], xte)
    ctx.require(np.array_equal(pre[:, 5:], base[:, 1:]), "prepend invariance on the MNIST-trained network")
    records, _ = N.per_step_analysis(p["W"], p["U"], p["V"], p["c"], xtr, ytr, xte, yte, drift=12)
    ctx.note("MNIST (report only, no thresholds): t: readout/probe/pixels = " + "; ".join(
        f"{r['t']}: {r['readout_accuracy']:.2f}/{r['probe_accuracy']:.2f}/"
        + ("-" if r["pixel_probe_accuracy"] is None else f"{r['pixel_probe_accuracy']:.2f}") for r in records))
    ctx.note(f"ρ(W): {N.spectral_radius(result.initial['W']):.3f} → {N.spectral_radius(p['W']):.3f}; "
             f"{n_train} training images, {epochs} epochs, gradient clipping at 5")


register(Claim(
    id="geometry.mnist_variant", paper=PAPER,
    title="Same analyses on sequential MNIST when the user supplies the data",
    reference=REF,
    source="the paper's method section: sequential MNIST, one 28-pixel row per step (T = 28), "
           "200 tanh units, no recurrent bias",
    statement=lambda: sp.Eq(sp.Symbol("T"), 28, evaluate=False),
    hypotheses=(f"the user supplies MNIST via {MNIST_ENV} (IDX directory or .npz); nothing is downloaded",
                "T = 28 rows of 28 pixels / 255; H = 200; no bias; same probes",
                "only the structural claims are asserted; per-step numbers are reported"),
    tolerance=Tolerance("prepend invariance exact; no thresholds (the paper's numbers are unknown)",
                        "report only", kind="exact"),
    numeric=_mnist, cost=1.0,
))


# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces


# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces
# the numeric checks and fails on a call into theory that is not listed as lambdified).
_SIDES = {
    "geometry.mnist_variant": Sides(
        symbolic=(),
        numeric=("numerics.geometry.load_mnist", "numerics.geometry.run_digits", "numerics.geometry.per_step_analysis"),
    ),
}
for _id, _sides in _SIDES.items():
    annotate(_id, sides=_sides)
