r"""Path signatures: a maintained backend behind a thin adapter, plus a small reference.

The signature of a path $X:[0,T]\to\mathbb R^d$ truncated at ``depth`` is returned as a list of
levels ``[1.0, S1 (d,), S2 (d, d), ...]``; ``S_k[i_1, ..., i_k]`` is the iterated integral
$\int_{r_1<\dots<r_k}dX^{i_1}_{r_1}\cdots dX^{i_k}_{r_k}$ -- the **first letter goes with the
earliest time** (the word-ordering convention of the response claims: kernels list their
times latest first, words earliest first).

Backend: ``roughpy`` (DataSig; wheels for CPython 3.9–3.12 that install cleanly, numpy its only
dependency), imported lazily; install with ``pip install roughpy`` (the ``signatures`` extra).
``iisignature`` does not build here (sdist needing numpy at build time) and ``pysiglib`` pulls in
torch, so neither is used. :func:`orientation_check` pins the backend's conventions (level-0
entry, flattening order, word order) before anything uses it (claim ``response.signature_shuffle``).

Reference: :func:`reference_signature` multiplies the tensor exponentials of the segments by
Chen's identity. It is hand-written on purpose: it is the *independent* witness the backend is
checked against (claims ``response.signature_chen``/``signature_shuffle``), so it must not share
code with the backend; it is meant for small cases ($d\le3$, depth $\le4$, $\le20$ segments).

Examples
--------
>>> path = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]])
>>> S = reference_signature(path, 2)
>>> float(S[2][0, 1]), float(S[2][1, 0])
(1.0, 0.0)
"""

from __future__ import annotations

import math
from typing import Optional

import numpy as np

from .errors import InputError

__all__ = ["shuffle_product", "have_backend", "backend_name", "signature", "reference_signature", "tensor_exp",
           "tensor_product", "signature_word", "orientation_check", "MAX_ENTRIES"]

MAX_ENTRIES = 10 ** 7


def _roughpy():
    try:
        import roughpy  # noqa: F401
    except Exception:  # ImportError, or a broken binary wheel
        return None
    return roughpy


def shuffle_product(a, b) -> list:
    """The shuffle product a ⧢ b of two words, as the list of interleavings with multiplicity.

    Built by choosing which len(a) of the len(a)+len(b) positions hold a's letters (in order),
    an enumeration independent of the recursive definition the symbolic side uses
    (claim ``response.signature_shuffle``).

    >>> sorted(shuffle_product((1,), (2, 3)))
    [(1, 2, 3), (2, 1, 3), (2, 3, 1)]
    """
    from itertools import combinations
    a, b = tuple(a), tuple(b)
    size = len(a) + len(b)
    words = []
    for slots in combinations(range(size), len(a)):
        word, ia, ib = [], iter(a), iter(b)
        chosen = set(slots)
        for position in range(size):
            word.append(next(ia) if position in chosen else next(ib))
        words.append(tuple(word))
    return words


def have_backend() -> bool:
    """Whether the signature backend (roughpy) can be imported."""
    return _roughpy() is not None


def backend_name() -> Optional[str]:
    rp = _roughpy()
    return None if rp is None else f"roughpy {rp.__version__}"


def _check(path, depth):
    path = np.asarray(path, dtype=float)
    if path.ndim != 2 or path.shape[0] < 2:
        raise InputError(f"path must be a (length >= 2, d) array, got shape {path.shape}")
    if not np.all(np.isfinite(path)):
        raise InputError("path contains NaN or Inf")
    if int(depth) != depth or depth < 1:
        raise InputError(f"depth must be a positive integer, got {depth!r}")
    d = path.shape[1]
    total = sum(d ** k for k in range(depth + 1))
    if total > MAX_ENTRIES:
        raise InputError(f"depth {depth} on {d} letters needs {total:.3g} coefficients (> 1e7); "
                         "request individual words instead of a full signature")
    return path, int(depth), d


def _levels_from_flat(flat, d, depth):
    out, pos = [1.0], 1
    for k in range(1, depth + 1):
        out.append(np.asarray(flat[pos:pos + d ** k], float).reshape((d,) * k))
        pos += d ** k
    return out


def signature(path, depth: int):
    """Truncated signature of the piecewise-linear ``path`` (N+1, d) through the backend."""
    path, depth, d = _check(path, depth)
    rp = _roughpy()
    if rp is None:
        raise InputError("no signature backend installed: pip install roughpy (the 'signatures' extra)")
    incs = np.diff(path, axis=0)
    ctx = rp.get_context(width=d, depth=depth, coeffs=rp.DPReal)
    stream = rp.LieIncrementStream.from_increments(incs, ctx=ctx)
    flat = np.asarray(np.asarray(stream.signature(rp.RealInterval(0, len(incs)))), dtype=float).copy()
    expected = sum(d ** k for k in range(depth + 1))
    if flat.size < expected:  # roughpy drops trailing zero levels: pad
        flat = np.concatenate([flat, np.zeros(expected - flat.size)])
    return _levels_from_flat(flat, d, depth)


def tensor_exp(increment, depth: int):
    r"""$\exp_\otimes(\Delta)=\sum_k\Delta^{\otimes k}/k!$ truncated at ``depth`` (one linear segment)."""
    inc = np.asarray(increment, float)
    out, term = [1.0], np.array(1.0)
    for k in range(1, depth + 1):
        term = np.multiply.outer(term, inc) / k
        out.append(term)
    return out


def tensor_product(a, b, depth: Optional[int] = None):
    r"""Truncated tensor product $(a\otimes b)_k=\sum_{i+j=k}a_i\otimes b_j$ (Chen's identity).
    Raises naming ``depth`` if the two factors are truncated at different levels."""
    if len(a) != len(b):
        raise InputError(f"depth mismatch: the factors are truncated at {len(a) - 1} and {len(b) - 1}; "
                         "use the same depth for both")
    depth = len(a) - 1 if depth is None else depth
    out = []
    for k in range(depth + 1):
        acc = None
        for i in range(k + 1):
            term = np.multiply.outer(np.asarray(a[i]), np.asarray(b[k - i]))
            acc = term if acc is None else acc + term
        out.append(acc if k else float(acc))
    return out


def reference_signature(path, depth: int):
    """Signature by Chen's identity: the product of the segments' tensor exponentials."""
    path, depth, _ = _check(path, depth)
    sig = tensor_exp(np.zeros(path.shape[1]), depth)
    for inc in np.diff(path, axis=0):
        sig = tensor_product(sig, tensor_exp(inc, depth))
    return sig


def signature_word(sig, word) -> float:
    """The coefficient of ``word`` (a tuple of 0-based letters, earliest first)."""
    if len(word) == 0:
        return 1.0
    return float(sig[len(word)][tuple(word)])


def orientation_check(sig_fn=signature) -> None:
    r"""For $(0,0)\to(1,0)\to(1,1)$: $S^{12}=1$, $S^{21}=0$, level 0 equal to 1; raise otherwise,
    naming the backend and the conventions that could differ."""
    S = sig_fn(np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]), 2)
    ok = (abs(S[0] - 1) < 1e-14 and abs(S[2][0, 1] - 1) < 1e-14 and abs(S[2][1, 0]) < 1e-14
          and np.allclose(S[1], [1, 1]))
    if not ok:
        raise RuntimeError(f"signature backend {backend_name()} fails the orientation test "
                           f"(S^12 = {S[2][0, 1]}, S^21 = {S[2][1, 0]}): check its level-0 entry, "
                           "flattening order and word order")


def _factorial(k):  # pragma: no cover - kept for doctest readability
    return math.factorial(k)
