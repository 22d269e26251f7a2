"""Signature identities: the shuffle product and Chen's identity.

Claims of Lim 2021, JMLR 22(47) (arXiv:2006.11052); the statements are the toolkit's
reconstruction (see :data:`proofs_checks.claims.response._checks.NOTE`).
"""

from __future__ import annotations


import numpy as np

from numerics import InputError
from numerics import signatures as SG
from proofs_checks.registry import NotApplicable, Proof, Sides, Tolerance, annotate
from theory import response as T

from ._checks import EPS, _claim, _proof


def _words(d, L):
    out = [()]
    for _ in range(L):
        out = out + [w + (i,) for w in out if len(w) == max(len(x) for x in out) for i in range(d)]
    return sorted({w for w in out if 0 < len(w) <= L}, key=lambda w: (len(w), w))


def _backend_or_na():
    if not SG.have_backend():
        raise NotApplicable("no signature backend installed (install the signatures extra: roughpy)")
    SG.orientation_check()


def _shuffle_numeric(ctx):
    _backend_or_na()
    for rng in ctx.instances():
        d = int(rng.integers(2, 4))
        path = np.cumsum(rng.standard_normal((int(rng.integers(3, 52)), d)), axis=0)
        segments = len(path) - 1
        S = SG.signature(path, 4)
        # M_k: the largest coefficient of level k, the scale of every level-k coefficient's rounding.
        level_max = [1.0] + [float(np.max(np.abs(S[k]))) for k in range(1, 5)]
        worst = 0.0
        for a in _words(d, 3):
            for b in _words(d, 4 - len(a)):
                if len(a) + len(b) > 4:
                    continue
                terms = [SG.signature_word(S, c) for c in SG.shuffle_product(a, b)]
                lhs = SG.signature_word(S, a) * SG.signature_word(S, b)
                # Each coefficient comes out of `segments` Chen products of depth-4 tensors (rounding
                # ≈ segments·depth·ε relative to its level's largest coefficient M_k, so an exact zero
                # coefficient carries M_k-sized rounding), and the identity adds its ≤ 6 terms once
                # more: the scale is max(M_|a|·M_|b|, M_{|a|+|b|}) (the product rounds at both factors).
                scale = max([abs(x) for x in terms] + [abs(lhs), level_max[len(a)] * level_max[len(b)],
                                                       level_max[len(a) + len(b)], 1e-300])
                tol = 4 * EPS * (segments * 4 + len(terms) + 2)
                worst = max(worst, abs(lhs - sum(terms)) / scale / tol)
        ctx.edge("a constant segment (zero increment)", bool(np.any(np.all(np.diff(path, axis=0) == 0, axis=1))))
        ctx.record(worst, 1.0, check="shuffle identity, |a|+|b| ≤ 4 (error/bound, worst pair)", d=d,
                   segments=segments, backend=SG.backend_name())


_claim("signature_shuffle", "Shuffle identity SᵃSᵇ = Σ_{c ∈ a⧢b} Sᶜ",
       ("path of bounded variation (piecewise linear)",),
       Tolerance("relative to max(M_|a|·M_|b|, M_{|a|+|b|}) (M_k the largest level-k coefficient): 4ε(4·segments + terms + 2), per word pair",
                 "each signature coefficient is the product of `segments` depth-4 tensor exponentials (rounding ≈ segments·depth·ε relative to the largest coefficient of its level, so exact zeros carry that much too); the identity sums its terms once", kind="roundoff"),
       _shuffle_numeric, lambda: Proof(T.shuffle_check(4) == 0, "path (t, t²): exact iterated integrals, every pair with |a|+|b| ≤ 4"),
       note="Backend: roughpy (optional extra); the orientation test runs first.")


def _chen_numeric(ctx):
    _backend_or_na()
    for rng in ctx.instances():
        d = int(rng.integers(2, 4))
        k = int(rng.integers(2, 21))
        path = np.cumsum(rng.standard_normal((k + 1, d)), axis=0)
        cut = int(rng.integers(1, k))
        depth = 4
        full = SG.signature(path, depth)
        prod = SG.tensor_product(SG.signature(path[:cut + 1], depth), SG.signature(path[cut:], depth))
        ref = SG.reference_signature(path, depth)
        # A constant path (a search draw) has S = (1, 0, 0, ...) exactly: any scale > 0 will do.
        scale = max(max(np.max(np.abs(lv)) for lv in full[1:]), np.finfo(float).tiny)
        e1 = max(np.max(np.abs(a - b)) for a, b in zip(full[1:], prod[1:])) / scale
        e2 = max(np.max(np.abs(a - b)) for a, b in zip(full[1:], ref[1:])) / scale
        # k Chen products of depth-`depth` tensors, each entry a sum of ≤ depth products: relative
        # rounding ≤ 4·k·depth·ε against the largest coefficient, on each side of the comparison.
        tol = 8 * EPS * k * depth
        ctx.edge("a constant segment (zero increment)", bool(np.any(np.all(np.diff(path, axis=0) == 0, axis=1))))
        ctx.record(e1, tol, check="backend: whole = product of pieces", d=d, segments=k)
        ctx.record(e2, tol, check="backend vs Chen reference")
        rev = SG.signature(path[::-1], depth)
        ident = SG.tensor_product(full, rev)
        ctx.record(max(np.max(np.abs(lv)) for lv in ident[1:]) / scale, 2 * tol, check="reversal inverts")
    try:
        SG.tensor_product(SG.tensor_exp(np.ones(2), 2), SG.tensor_exp(np.ones(2), 3))
        ctx.require(False, "depth mismatch rejected")
    except InputError as exc:
        ctx.require("depth" in str(exc), "depth mismatch rejected naming depth")


_claim("signature_chen", "Chen's identity: S(X)₀,ₜ = S(X)₀,ₛ ⊗ S(X)ₛ,ₜ",
       ("piecewise-linear path", "same truncation depth for both pieces"),
       Tolerance("relative to the largest coefficient: 8·k·depth·ε (k segments); reversal 16·k·depth·ε",
                 "k Chen products of depth-4 tensor exponentials, each entry a sum of ≤ depth products, on both sides of the comparison", kind="roundoff"),
       _chen_numeric, lambda: _proof(T.chen_check(3), "two symbolic segments: product of tensor exponentials = integrated iterated integrals, level ≤ 3"),
       note="Backend: roughpy (optional extra); reference: numerics.signatures.reference_signature (Chen products).")


# Which code each side of each claim runs (the claim cards; tests/test_independence.py traces
# the numeric checks and fails on a call into theory that is not listed as lambdified).
_SIDES = {
    "response.signature_shuffle": Sides(
        symbolic=("theory.response.shuffle_check",),
        numeric=("numerics.signatures.have_backend", "numerics.signatures.orientation_check", "numerics.signatures.signature", "numerics.signatures.shuffle_product", "numerics.signatures.signature_word", "numerics.signatures.backend_name"),
    ),
    "response.signature_chen": Sides(
        symbolic=("theory.response.chen_check",),
        numeric=("numerics.signatures.have_backend", "numerics.signatures.orientation_check", "numerics.signatures.signature", "numerics.signatures.tensor_product", "numerics.signatures.reference_signature", "numerics.signatures.tensor_exp"),
    ),
}
for _id, _sides in _SIDES.items():
    annotate(_id, sides=_sides)
