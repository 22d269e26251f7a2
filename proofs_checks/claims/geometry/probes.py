"""What the trained stand-in network's states tell, and who can read it: the trained readout and refit
linear probes through the input and a zero-input drift (claims geometry.final_accuracy,
geometry.early_label_information, geometry.readout_only_at_trained_step, geometry.drift_persistence;
findings 1 and 3 of the paper's abstracts)."""

from __future__ import annotations

import numpy as np
import sympy as sp

from numerics import geometry as N
from proofs_checks.registry import Claim, NotApplicable, Sides, Tolerance, annotate, register

from ._checks import (DRIFT_CHECK_STEPS, PAPER, REF, _STANDIN_HYP, _TIER_REASON, _accuracy_at_least,
                      _accuracy_at_most, _half, _n_test, _rec, _threshold, _tier_note)
from ._instances import _trained


# ================================================================================================
# Stand-in claims (seeded)
# ================================================================================================
def _final_accuracy(ctx):
    item = _trained(ctx)
    if item is None:
        return
    _tier_note(ctx)
    acc = _rec(item, item.run.T)["readout_accuracy"]
    _accuracy_at_least(ctx, acc, _threshold("final_accuracy", ctx.seed), "test accuracy at t = T",
                       _n_test(item), seed=ctx.seed)
    ctx.note(f"final test accuracy {acc:.4f} (chance ≈ 0.1); final training loss "
             f"{item.run.train.losses[-1]:.4g}")


register(Claim(
    id="geometry.final_accuracy", paper=PAPER,
    title="The trained network classifies well at the trained step",
    reference=REF,
    source="the paper's method section (the network is trained to classify sequential MNIST); "
           "reproduced on the 8×8 digits stand-in",
    statement=lambda: sp.GreaterThan(sp.Symbol(r"\mathrm{acc}^{\mathrm{readout}}_{T}"), sp.Float(0.95, 3), evaluate=False),
    hypotheses=_STANDIN_HYP,
    tolerance=Tolerance("test accuracy ≥ 0.95 (strict) / ≥ 0.90 (relaxed), by a binomial test at α on the test set",
                        _TIER_REASON, kind="statistical"),
    numeric=_final_accuracy, cost=10.0, statistical_checks=1,
))


def _lstsq_probe(Z_train, y_train, Z_test, lam):
    """argmax of [Z, 1]β with β = argmin ‖[Z, 1]β − Y‖² + λ‖β‖² (one-hot Y), by scipy lstsq."""
    from scipy.linalg import lstsq
    classes = np.unique(y_train)
    Y = (y_train[:, None] == classes[None, :]).astype(float)
    A = np.hstack([Z_train, np.ones((len(Z_train), 1))])
    k = A.shape[1]
    beta = lstsq(np.vstack([A, np.sqrt(lam) * np.eye(k)]), np.vstack([Y, np.zeros((k, Y.shape[1]))]))[0]
    return classes[np.argmax(np.hstack([Z_test, np.ones((len(Z_test), 1))]) @ beta, axis=1)]


def _early_info(ctx):
    item = _trained(ctx)
    if item is None:
        return
    _tier_note(ctx)
    half = _half(item, ctx)
    rec = _rec(item, half)
    _accuracy_at_least(ctx, rec["probe_accuracy"], _threshold("probe_accuracy", ctx.seed),
                       f"ridge-probe test accuracy on h_{half}", _n_test(item), seed=ctx.seed)
    ctx.require(rec["probe_accuracy"] > rec["pixel_probe_accuracy"],
                f"probe on h_{half} > raw-pixel probe on rows 1..{half}",
                probe=rec["probe_accuracy"], pixels=rec["pixel_probe_accuracy"])
    # The probe itself, by an independent route: ridge as least squares on [A; √λ I] β = [Y; 0]
    # (scipy lstsq, no normal equations), A = [h, 1]; the test predictions must agree.
    p = item.run.params
    xtr, ytr, xte, _ = item.run.data
    lam = item.run.config.ridge
    h_tr = N.rnn_states(p["W"], p["U"], xtr[:, :half])[:, half]
    h_te = N.rnn_states(p["W"], p["U"], xte[:, :half])[:, half]
    ours = N.ridge_probe(h_tr, ytr, lam)(h_te)
    ctx.require(np.array_equal(ours, _lstsq_probe(h_tr, ytr, h_te, lam)),
                f"ridge probe on h_{half}: test predictions equal those of the least-squares route")
    above = [r["t"] for r in item.records[:item.run.T] if r["probe_accuracy"] > r["pixel_probe_accuracy"]]
    ctx.note(f"probe on h_{half}: {rec['probe_accuracy']:.3f}, raw pixels rows 1..{half}: "
             f"{rec['pixel_probe_accuracy']:.3f}; probe above pixels at t ∈ {above} (reported)")


register(Claim(
    id="geometry.early_label_information", paper=PAPER,
    title="Early hidden states are linearly decodable, beyond the raw pixels seen so far",
    reference=REF,
    source="abstract, finding 1 (label information early in the sequence); reproduced on the "
           "8×8 digits stand-in",
    statement=lambda: sp.StrictGreaterThan(sp.Symbol(r"\mathrm{acc}^{\mathrm{probe}}(h_{T/2})"),
                                           sp.Symbol(r"\mathrm{acc}^{\mathrm{probe}}(x_{1..T/2})"), evaluate=False),
    hypotheses=_STANDIN_HYP + ("ridge probe λ = 1e-2 with intercept, fit on training states, "
                               "scored on test states",
                               "the probe's test predictions equal those of the least-squares route "
                               "(argmax ties have probability 0)"),
    tolerance=Tolerance("probe accuracy at ⌊T/2⌋ ≥ 0.85 (strict) / ≥ 0.80 (relaxed) by a binomial test at α, "
                        "and strictly above the raw-pixel probe", _TIER_REASON, kind="statistical"),
    numeric=_early_info, cost=1.0, statistical_checks=1,
))


def _readout_only(ctx):
    item = _trained(ctx)
    if item is None:
        return
    _tier_note(ctx)
    half = _half(item, ctx)
    accs = [_rec(item, t)["readout_accuracy"] for t in range(1, half + 1)]
    _accuracy_at_most(ctx, float(np.mean(accs)), _threshold("early_readout_max", ctx.seed),
                      f"mean trained-readout accuracy over t = 1..{half}", _n_test(item), seed=ctx.seed)
    curve = ", ".join(f"{r['readout_accuracy']:.2f}" for r in item.records[:item.run.T])
    ctx.note(f"trained readout accuracy for t = 1..T: {curve} (chance ≈ 0.1)")


register(Claim(
    id="geometry.readout_only_at_trained_step", paper=PAPER,
    title="The trained readout cannot read early states",
    reference=REF,
    source="abstract, finding 1 (information not accessible to the output layer) and the extended "
           "version's finding that the classifier reads it only at the trained step; 8×8 digits "
           "stand-in",
    statement=lambda: sp.LessThan(sp.Symbol(r"\overline{\mathrm{acc}}^{\mathrm{readout}}_{t \leq T/2}"), sp.Float(0.3, 2),
                                evaluate=False),
    hypotheses=_STANDIN_HYP,
    tolerance=Tolerance("mean trained-readout accuracy over t = 1..⌊T/2⌋ ≤ 0.3 (both tiers), by a binomial test at α",
                        _TIER_REASON, kind="statistical"),
    numeric=_readout_only, cost=1.0, statistical_checks=1,
))


def _drift(ctx):
    item = _trained(ctx)
    if item is None:
        return
    _tier_note(ctx)
    T_ = item.run.T
    k = DRIFT_CHECK_STEPS
    if item.run.config.drift < k:
        raise NotApplicable(f"only {item.run.config.drift} drift steps were simulated; {k} are needed")
    rec = _rec(item, T_ + k)
    _accuracy_at_most(ctx, rec["readout_accuracy"], _threshold("drift_readout_max", ctx.seed),
                      f"trained-readout accuracy at T + {k}", _n_test(item), seed=ctx.seed)
    _accuracy_at_least(ctx, rec["probe_accuracy"], _threshold("drift_probe_min", ctx.seed),
                       f"refit-probe accuracy at T + {k}", _n_test(item), seed=ctx.seed)
    p = item.run.params
    xtr, ytr, xte, yte = item.run.data
    fitted = N.fitted_probe_under_drift(p["W"], p["U"], xtr, ytr, xte, yte, drift=item.run.config.drift,
                                        lam=item.run.config.ridge)
    drift_recs = item.records[T_:]
    ctx.note("drift k = 1..12: readout " + ", ".join(f"{r['readout_accuracy']:.2f}" for r in drift_recs)
             + "; refit probe " + ", ".join(f"{r['probe_accuracy']:.2f}" for r in drift_recs)
             + "; probe fitted at T applied at T + k (k = 0, 2, 4, …) "
             + ", ".join(f"{a:.2f}" for a in fitted[::2]) + " (reported, not asserted)")


register(Claim(
    id="geometry.drift_persistence", paper=PAPER,
    title="Under zero-input drift, structure persists but the readout fails",
    reference=REF,
    source="extended version (Canadian AI 2020), abstract: structure persists under zero-input "
           "drift; 8×8 digits stand-in",
    statement=lambda: sp.LessThan(sp.Symbol(r"\mathrm{acc}^{\mathrm{readout}}_{T+4}"), sp.Float(0.3, 2), evaluate=False),
    hypotheses=_STANDIN_HYP + ("12 appended zero-input steps; the check uses T + 4",),
    tolerance=Tolerance("after 4 appended zero steps: readout accuracy ≤ 0.3 and refit-probe accuracy "
                        "≥ 0.85 (both tiers), by binomial tests at α", _TIER_REASON, kind="statistical"),
    numeric=_drift, cost=1.0, statistical_checks=2,
))


# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces
# the numeric checks and fails on a call into theory that is not listed as lambdified).
_SIDES = {
    "geometry.final_accuracy": Sides(
        symbolic=(),
        numeric=("numerics.geometry.digits_available",),
    ),
    "geometry.early_label_information": Sides(
        symbolic=(),
        numeric=("numerics.geometry.digits_available", "numerics.geometry.rnn_states",
                 "numerics.geometry.ridge_probe"),
    ),
    "geometry.readout_only_at_trained_step": Sides(
        symbolic=(),
        numeric=("numerics.geometry.digits_available",),
    ),
    "geometry.drift_persistence": Sides(
        symbolic=(),
        numeric=("numerics.geometry.digits_available", "numerics.geometry.fitted_probe_under_drift"),
    ),
}
for _id, _sides in _SIDES.items():
    annotate(_id, sides=_sides)
