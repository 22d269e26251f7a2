"""Blank (zero-input) steps before or after the input: prepending leaves every later state unchanged
without a bias, a bias breaks it, appending is neutral only at fixed points (claims
geometry.prepend_zero_invariance, geometry.prepend_breaks_with_bias, geometry.append_changes_state;
finding 2 of the paper's abstract made precise)."""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from numerics import geometry as N
from proofs_checks.registry import Claim, NotApplicable, Proof, Sides, Tolerance, annotate, register
from theory import geometry as T

from ._checks import EPS, PAPER, PREPEND_TRAINED, REF, _bias_free, _discrete_tanh_like, _rec
from ._instances import SATURATING_GAIN, search_gain, search_size, standin


# ================================================================================================
# geometry.prepend_zero_invariance
# ================================================================================================
@functools.lru_cache(maxsize=None)
def _unrolled_fn(H=2, D=1, Tn=2):
    W, U, _, _ = T.symbolic_weights(H, D)
    xs = [sp.Matrix(D, 1, lambda i, j, t=t: sp.Symbol(f"x_{t}{i}")) for t in range(1, Tn + 1)]
    states = T.unrolled_states(W, U, xs)
    args = (list(W), list(U), [e for x in xs for e in x])
    return sp.lambdify(args, sp.Matrix.hstack(*states[1:]), "numpy")


def _prepend_symbolic() -> Proof:
    ok = T.prepend_induction_holds()
    ok = ok and all(d.is_zero_matrix for d in T.prepend_unrolled_difference(2, 1, 2, 2))
    return Proof(ok, "induction with MatrixSymbols: W·0 + U·0 = 0 and tanh(0) = 0; explicit unrolling "
                     "(H = 2, D = 1, T = 2, n_pre = 2, symbolic W, U, x): h^pre_{2+t} − h_t = 0")


# `rnnproof search --relax`: the same check with a recurrent bias b ≠ 0 (or a start h₀ ≠ 0).
RELAX_BIAS = "no recurrent bias"
RELAX_START = "h₀ = 0"


def _prepend_numeric(ctx):
    # A relaxed search draws the smallest networks (H ≤ 3: every entry an individual draw, which
    # the search shrinks; a size drawn larger than that does not shrink across draws).
    sizes = ((1, 4), (1, 3), (1, 3), (0, 3), (1, 2)) if ctx.relaxed else ((1, 65), (1, 29), (1, 31), (0, 51), (1, 21))
    for rng in ctx.instances():
        H = search_size(ctx, rng, *sizes[0])
        D, Tn, n_pre, batch = (int(rng.integers(lo, hi)) for lo, hi in sizes[1:])
        gain = search_gain(ctx, rng, float(rng.uniform(0.1, 3.0)))
        W, U = N.random_tanh_rnn(rng, H, D, gain)
        x = rng.uniform(-1, 1, (batch, Tn, D))
        b = h0 = None
        if ctx.relaxed:
            # W + gain·I: a blank step from tanh(b) or h₀ ≠ 0 is then never invisible (W = 0 would
            # forget it), so the search shrinks to the smallest visible break.
            W = W + gain * np.eye(H)
        if RELAX_BIAS in ctx.relaxed:
            b = rng.uniform(-1, 1, H)
        if RELAX_START in ctx.relaxed:
            h0 = rng.uniform(-1, 1, H)
        plain = N.rnn_states(W, U, x, b=b, h0=h0)
        pre = N.rnn_states(W, U, np.concatenate([np.zeros((batch, n_pre, D)), x], axis=1), b=b, h0=h0)
        ctx.edge("n_pre = 0 (nothing prepended)", n_pre == 0)
        ctx.edge("H = 1", H == 1)
        ctx.edge("T = 1", Tn == 1)
        ctx.edge("W = 0 (zero gain)", gain == 0)
        ctx.edge("saturating gain", gain == SATURATING_GAIN)
        # array_equal treats −0.0 == 0.0 (a byte comparison would not).
        ctx.require(np.array_equal(pre[:, n_pre + 1:], plain[:, 1:]), "h^pre_{n_pre+t} == h_t exactly",
                    H=H, D=D, T=Tn, n_pre=n_pre, batch=batch, gain=gain,
                    **({} if b is None else {"b": b}), **({} if h0 is None else {"h0": h0}))
    if ctx.relaxed:
        return
    for rng in ctx.instances(start=100):
        W, U = N.random_tanh_rnn(rng, 2, 1, 1.5)
        x = rng.uniform(-1, 1, (1, 2, 1))
        sym = np.asarray(_unrolled_fn()(list(W.ravel()), list(U.ravel()), list(x.ravel())), dtype=float).T
        num = N.rnn_states(W, U, x)[0, 1:]
        # Same operations in a different summation order: a few ulps of O(1) values.
        ctx.record(np.max(np.abs(sym - num)), 16 * EPS,
                   check="lambdified SymPy unrolling vs numpy recurrence", H=2, D=1, T=2)
    if ctx.source is not None:
        # The trained stand-in part draws nothing: `rnnproof run` checks it, a search cannot vary it.
        return
    if N.digits_available():
        item = standin(ctx.seed)
        if item.run.diverged:
            ctx.note("trained stand-in skipped: training diverged")
        else:
            p = item.run.params
            xte, yte = item.run.data[2], item.run.data[3]
            base = N.rnn_states(p["W"], p["U"], xte)
            pre = N.rnn_states(p["W"], p["U"], np.concatenate(
                [np.zeros((len(xte), PREPEND_TRAINED, xte.shape[2])), xte], axis=1))
            acc0 = N.readout_accuracy(p["V"], p["c"], base[:, -1], yte)
            acc1 = N.readout_accuracy(p["V"], p["c"], pre[:, -1], yte)
            ctx.instance = None
            ctx.require(np.array_equal(base[:, -1], pre[:, -1]) and acc0 == acc1,
                        f"trained stand-in: {PREPEND_TRAINED} prepended blank steps leave h_T and the "
                        "test accuracy exactly unchanged", accuracy=acc0, accuracy_prepended=acc1)
            ctx.note(f"trained stand-in: test accuracy {acc0:.4f} without and {acc1:.4f} with "
                     f"{PREPEND_TRAINED} prepended blank steps")
    else:
        ctx.note(f"trained stand-in part skipped: {N.SKLEARN_MISSING}")


def _prepend_network(ctx, spec):
    _discrete_tanh_like(spec, "prepend invariance")
    if not _bias_free(spec):
        raise NotApplicable("the network has a recurrent bias b ≠ 0 (see geometry.prepend_breaks_with_bias)")
    if spec.act.phi(np.zeros(1))[0] != 0:
        raise NotApplicable(f"{spec.activation}(0) ≠ 0: blank steps move the zero state")
    h0 = spec.h0
    if h0 is not None and np.any(h0):
        if not np.array_equal(spec.act.phi(h0 @ spec.W.T), h0):
            raise NotApplicable("h0 ≠ 0 and h0 is not a fixed point of the zero-input map")
    B = spec.input_matrix()
    if B.shape[1] == 0:
        raise NotApplicable("the network has no input matrix B")
    for rng in ctx.instances():
        x = rng.uniform(-1, 1, (4, 10, B.shape[1]))
        n_pre = int(rng.integers(1, 21))
        run = lambda seq: _spec_states(spec, seq)  # noqa: E731
        plain, pre = run(x), run(np.concatenate([np.zeros((4, n_pre, B.shape[1])), x], axis=1))
        ctx.require(np.array_equal(pre[:, n_pre + 1:], plain[:, 1:]), "h^pre_{n_pre+t} == h_t exactly",
                    n_pre=n_pre)


def _spec_states(spec, x):
    """States of a discrete network file (any activation): h_k = φ(W h_{k−1} + B u_k + b)."""
    x = np.asarray(x, dtype=float)
    h = np.zeros((x.shape[0], spec.n)) + (0.0 if spec.h0 is None else spec.h0)
    out = [h]
    B, b = spec.input_matrix(), spec.bias()
    for t in range(x.shape[1]):
        h = spec.act.phi(h @ spec.W.T + x[:, t] @ B.T + b)
        out.append(h)
    return np.stack(out, axis=1)


register(Claim(
    id="geometry.prepend_zero_invariance", paper=PAPER,
    title="Prepending zero-input steps leaves every later state unchanged (no bias, h₀ = 0)",
    reference=REF,
    source="abstract, finding 2 (the dynamics and the sequence length matter), made precise as "
           "a toolkit extension",
    statement=T.prepend_statement,
    hypotheses=("no recurrent bias", "h₀ = 0", "φ(0) = 0", "finite weights",
                "same code path and BLAS configuration for both runs"),
    tolerance=Tolerance("exact equality (numpy.array_equal, −0.0 == 0.0); symbolic vs numeric "
                        "recurrence within 16ε",
                        "the state after the blank block is exactly 0, so the first real step gets "
                        "identical operands; the lambdified unrolling sums in another order", kind="exact+roundoff"),
    symbolic=_prepend_symbolic, numeric=_prepend_numeric, network=_prepend_network,
    expressions=lambda: {"statement": T.prepend_statement(), "step": T.prepend_invariance_proof()[0]},
    relaxable={RELAX_BIAS: "draws a recurrent bias b ∈ [−1, 1]ᴴ (and W + gain·I): a blank step then "
                           "moves the state to tanh(b)",
               RELAX_START: "draws a start h₀ ∈ [−1, 1]ᴴ (and W + gain·I): blank steps move it along "
                            "h ↦ tanh(Wh)"},
    cost=3.0,
))


# ================================================================================================
# geometry.prepend_breaks_with_bias
# ================================================================================================
@functools.lru_cache(maxsize=None)
def _tanh_diff_fn():
    A, d = sp.symbols("A delta", real=True)
    return sp.lambdify((A, d), sp.sinh(d) / (sp.cosh(A + d) * sp.cosh(A)), "numpy")


def _bias_symbolic() -> Proof:
    ident = T.tanh_difference_identity()
    diff, closed = T.bias_break_difference()
    A, d = sp.symbols("A delta", real=True)
    w, u, x, b = sp.symbols("w u x b", real=True)
    # The H = 1 difference is tanh(A + δ) − tanh(A) with A = ux + b, δ = w tanh b (structural
    # substitution), and the closed form is the identity's right side at the same A, δ.
    template = sp.tanh(A + d) - sp.tanh(A)
    same = sp.simplify(diff - template.subs({A: u * x + b, d: w * sp.tanh(b)})) == 0
    ok = ident == 0 and same
    return Proof(ok, "tanh(A+δ) − tanh(A) = sinh δ/(cosh(A+δ) cosh A) (simplify of the exp form = 0); "
                     "H = 1 with bias: A = ux + b, δ = w·tanh b, so the difference ≠ 0 iff w·tanh b ≠ 0")


def _bias_case(ctx, W, U, b, x1, **info):
    H = W.shape[0]
    delta = W @ np.tanh(b)
    if np.max(np.abs(delta)) == 0:
        ctx.skip("not applicable: tanh(b) in the kernel of W")
        return
    x = x1[None, None, :]
    plain = N.rnn_states(W, U, x, b=b)[0, 1]
    pre = N.rnn_states(W, U, np.concatenate([np.zeros((1, 1, x1.size)), x], axis=1), b=b)[0, 2]
    diff = pre - plain
    A = U @ x1 + b
    closed = _tanh_diff_fn()(A, delta)
    predicted = float(np.max(np.abs(closed)))
    ctx.edge("W tanh(b) tiny (predicted difference < 1e-8)", predicted < 1e-8)
    if predicted >= 1e-8:
        # The detection threshold 1e-10 applies where the closed form predicts a difference
        # ≥ 1e-8; a W tanh(b) of 1e-300 is ≠ 0 but its break is below any threshold (it is still
        # compared with the closed form below).
        ctx.require(np.max(np.abs(diff)) > 1e-10, "max |h^pre_2 − h_1| > 1e-10", H=H,
                    max_diff=float(np.max(np.abs(diff))), **info)
    scale = 1 + np.abs(W) @ np.abs(np.tanh(b)) + np.abs(U) @ np.abs(x1) + np.abs(b)
    # Each tanh value carries ≤ 1 ulp, its argument ≈ (H+D)ε·scale; 16ε·scale covers both.
    ctx.record(np.max(np.abs(diff - closed) / (16 * EPS * scale)), 1.0,
               check="numeric first-state difference vs sinh δ/(cosh(A+δ) cosh A)", H=H, **info)


def _bias_numeric(ctx):
    for rng in ctx.instances():
        H = search_size(ctx, rng, 1, 65)
        D = int(rng.integers(1, 29))
        gain = float(rng.uniform(0.1, 3.0))
        for _ in range(100):  # reject W with σ_min < 1e-3 ‖W‖₂ (W tanh b stays away from 0)
            W, U = N.random_tanh_rnn(rng, H, D, gain)
            s = np.linalg.svd(W, compute_uv=False)
            if s[-1] >= 1e-3 * s[0] and s[0] > 0:
                break
        else:
            ctx.skip("100 draws of W were all (nearly) singular: W tanh(b) ≠ 0 is not ensured")
            continue
        ctx.edge("H = 1", H == 1)
        b = rng.standard_normal(H)
        if not np.any(b):
            ctx.skip("the drawn bias direction is 0: the claim is about b ≠ 0")
            continue
        b *= rng.uniform(0.1, 2.0) / np.linalg.norm(b)
        _bias_case(ctx, W, U, b, rng.uniform(-1, 1, D), D=D, gain=gain)


def _bias_network(ctx, spec):
    _discrete_tanh_like(spec, "the bias break")
    if spec.activation != "tanh":
        raise NotApplicable("the bias break is derived for tanh")
    if _bias_free(spec):
        raise NotApplicable("the network has no recurrent bias (prepend invariance holds instead)")
    if spec.h0 is not None and np.any(spec.h0):
        raise NotApplicable("stated for h0 = 0")
    B = spec.input_matrix()
    if B.shape[1] == 0:
        raise NotApplicable("the network has no input matrix B")
    for rng in ctx.instances():
        _bias_case(ctx, spec.W, B, spec.b, rng.uniform(-1, 1, B.shape[1]))


register(Claim(
    id="geometry.prepend_breaks_with_bias", paper=PAPER,
    title="With a recurrent bias the prepend invariance fails",
    reference=REF,
    source="toolkit extension (negative: shows that geometry.prepend_zero_invariance needs "
           "its hypothesis of no recurrent bias)",
    statement=T.bias_break_statement,
    hypotheses=("recurrent bias b ≠ 0", "W tanh(b) ≠ 0 (generic W)", "h₀ = 0",
                "the break is asserted to exceed 1e-10 where sinh δ/(cosh(A+δ)cosh A) predicts ≥ 1e-8"),
    tolerance=Tolerance("max |difference| > 1e-10; difference matches sinh δ/(cosh(A+δ)cosh A) within "
                        "16ε(1 + |W||tanh b| + |U||x| + |b|)",
                        "observed differences are many orders above 1e-10; the closed form differs "
                        "from the two rounded tanh values by rounding only", kind="roundoff"),
    symbolic=_bias_symbolic, numeric=_bias_numeric, network=_bias_network,
    expressions=lambda: dict(zip(("difference", "closed form"), T.bias_break_difference())),
    cost=1.0,
))


# ================================================================================================
# geometry.append_changes_state
# ================================================================================================
@functools.lru_cache(maxsize=None)
def _step_fn(H):
    W, U, _, _ = T.symbolic_weights(H, 1)
    h = sp.Matrix(H, 1, lambda i, j: sp.Symbol(f"h_{i}"))
    step = T.tanh_rnn_step(W, U, sp.zeros(1, 1), h)  # a blank (zero-input) step
    return sp.lambdify((list(W), list(h)), step, "numpy")


def _append_symbolic() -> Proof:
    W, U, _, _ = T.symbolic_weights(2, 1)
    h = sp.Matrix(sp.symbols("h_0 h_1"))
    blank = T.tanh_rnn_step(W, U, sp.zeros(1, 1), h)
    ok = (blank - (W * h).applyfunc(sp.tanh)).is_zero_matrix
    return Proof(ok, "a blank step is the autonomous map: tanh(W h + U·0) − tanh(W h) = 0 (H = 2, "
                     "symbolic); so h_{T+1} = h_T iff h_T is a fixed point of h ↦ tanh(Wh)")


def _append_numeric(ctx):
    from scipy.optimize import root

    for rng in ctx.instances():
        H, D, Tn = int(rng.integers(1, 4)), int(rng.integers(1, 6)), int(rng.integers(1, 11))
        gain = float(rng.uniform(0.5, 3.0))
        W, U = N.random_tanh_rnn(rng, H, D, gain)
        x = rng.uniform(-1, 1, (1, Tn, D))
        states = N.rnn_states(W, U, np.concatenate([x, np.zeros((1, 1, D))], axis=1))[0]
        hT, hT1 = states[Tn], states[Tn + 1]
        sym = np.asarray(_step_fn(H)(list(W.ravel()), list(hT)), dtype=float).ravel()
        ctx.record(np.max(np.abs(sym - hT1)), 16 * EPS,
                   check="appended state vs lambdified SymPy blank step tanh(W h_T)", H=H, T=Tn)
        move = float(np.linalg.norm(hT1 - hT))
        if move < 1e-12:
            sol = root(lambda h: np.tanh(W @ h) - h, hT, tol=1e-14)
            if sol.success and np.linalg.norm(sol.x - hT) < 1e-10:
                ctx.skip("h_T is a fixed point (confirmed by a root solve): appending is neutral")
                continue
        ctx.require(move > 0, "‖tanh(W h_T) − h_T‖ > 0 (h_T is not a fixed point)", H=H, T=Tn,
                    gain=gain, move=move)
    if N.digits_available():
        item = standin(ctx.seed)
        if not item.run.diverged:
            T_ = item.run.T
            a0 = _rec(item, T_)["readout_accuracy"]
            a1 = _rec(item, T_ + 1)["readout_accuracy"]
            ctx.note(f"trained stand-in: readout accuracy {a0:.3f} at t = T and {a1:.3f} after one "
                     "appended blank step (reported, not asserted)")


def _append_network(ctx, spec):
    _discrete_tanh_like(spec, "the append statement")
    B = spec.input_matrix()
    if B.shape[1] == 0:
        raise NotApplicable("the network has no input matrix B")
    for rng in ctx.instances():
        x = rng.uniform(-1, 1, (1, 8, B.shape[1]))
        states = _spec_states(spec, np.concatenate([x, np.zeros((1, 1, B.shape[1]))], axis=1))[0]
        expected = spec.act.phi(spec.W @ states[8] + spec.bias())
        # Matrix-vector vs matrix-matrix products may sum in another order: (n + 1)ε·scale.
        scale = 1 + np.abs(spec.W) @ np.abs(states[8]) + np.abs(spec.bias())
        ctx.record(np.max(np.abs(states[9] - expected) / ((spec.n + 1) * EPS * scale)), 1.0,
                   check="appended state vs φ(W h_T + b) (the autonomous map)")
        ctx.note(f"‖h_(T+1) − h_T‖ = {np.linalg.norm(states[9] - states[8]):.3g}")


register(Claim(
    id="geometry.append_changes_state", paper=PAPER,
    title="Appending zero-input steps is neutral only at fixed points",
    reference=REF,
    source="abstract, finding 2 (the dynamics and the sequence length matter), made precise as "
           "a toolkit extension",
    statement=T.append_statement,
    hypotheses=("no recurrent bias", "h_{T+1} = tanh(W h_T) after one blank step",
                "h_T = 0 (or any fixed point) is neutral"),
    tolerance=Tolerance("appended state vs lambdified blank step within 16ε; ‖h_{T+1} − h_T‖ > 0 unless "
                        "a root solve confirms a fixed point",
                        "same operations up to summation order", kind="roundoff"),
    symbolic=_append_symbolic, numeric=_append_numeric, network=_append_network,
    expressions=lambda: {"append": T.append_statement()},
    cost=1.0,
))


# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces
# the numeric checks and fails on a call into theory that is not listed as lambdified).
_SIDES = {
    "geometry.prepend_zero_invariance": Sides(
        symbolic=("theory.geometry.prepend_induction_holds", "theory.geometry.prepend_unrolled_difference"),
        numeric=("numerics.geometry.random_tanh_rnn", "numerics.geometry.rnn_states", "numerics.geometry.digits_available", "numerics.geometry.run_digits", "numerics.geometry.per_step_analysis", "numerics.geometry.spectral_radius", "numerics.geometry.readout_accuracy"),
        lambdified=("theory.geometry.symbolic_weights", "theory.geometry.unrolled_states"),
    ),
    "geometry.prepend_breaks_with_bias": Sides(
        symbolic=("theory.geometry.tanh_difference_identity", "theory.geometry.bias_break_difference"),
        numeric=("numerics.geometry.random_tanh_rnn", "numerics.geometry.rnn_states"),
    ),
    "geometry.append_changes_state": Sides(
        symbolic=("theory.geometry.symbolic_weights", "theory.geometry.tanh_rnn_step"),
        numeric=("numerics.geometry.random_tanh_rnn", "numerics.geometry.rnn_states", "numerics.geometry.digits_available"),
        lambdified=("theory.geometry.symbolic_weights", "theory.geometry.tanh_rnn_step"),
    ),
}
for _id, _sides in _SIDES.items():
    annotate(_id, sides=_sides)
