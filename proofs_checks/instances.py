"""Where a claim's random instances come from: the generator interface behind ``ctx.instances()``.

A numeric check draws everything through the ``rng`` it is given, using a small subset of
:class:`numpy.random.Generator`: ``integers``, ``uniform``, ``standard_normal``, ``normal``,
``random``, ``choice``, ``permutation``, ``dirichlet``. Three sources implement that subset:

- ``rnnproof run``: a seeded ``numpy.random.Generator`` (``CheckContext.instances``), unchanged;
- ``rnnproof search``: :class:`HypothesisGenerator`, where every draw is a ``data.draw(...)`` with
  the same bounds, so Hypothesis steers generation toward edge cases (bounds, 0, ±1, small sizes)
  and shrinks a failure to a simple instance;
- ``rnnproof run --replay FILE``: :class:`ReplayGenerator`, which returns the draws a search
  recorded, in order, so that a shrunk counterexample is re-checked exactly.

Hypothesis has no drop-in numpy Generator, hence this adapter. Arrays of more than
``ELEMENTWISE_LIMIT`` entries are drawn from a numpy generator seeded by one drawn integer: their
entries do not shrink individually (Hypothesis' buffer would overflow), but the sizes that decide
them still shrink.
"""

from __future__ import annotations

import json
import math
from typing import Any, Optional

import numpy as np

__all__ = ["HypothesisGenerator", "ReplayGenerator", "INSTANCE_SCHEMA", "save_draws", "load_draws",
           "ELEMENTWISE_LIMIT"]

INSTANCE_SCHEMA = "rnnproof.instance/1"
ELEMENTWISE_LIMIT = 64
# Standard-normal draws are bounded (a draw beyond 8 has probability 1e-15 under numpy too).
NORMAL_BOUND = 8.0


def _shape(size) -> tuple:
    if size is None:
        return ()
    if isinstance(size, (int, np.integer)):
        return (int(size),)
    return tuple(int(s) for s in size)


def _count(shape: tuple) -> int:
    return int(np.prod(shape)) if shape else 1


class HypothesisGenerator:
    """The numpy Generator subset, every draw a ``data.draw`` (see the module docstring)."""

    def __init__(self, data):
        self._data = data
        self.draws: list = []  # (method, value) in draw order: the replay file's content

    # -- the primitive draws --------------------------------------------------------------------
    def _draw(self, strategy, label):
        return self._data.draw(strategy, label=label)

    def _floats(self, low, high, shape, method):
        from hypothesis import strategies as st
        low, high = float(low), float(high)
        # Hypothesis' own float strategy already favours 0, the bounds and small integers, and
        # shrinks toward them; the claims add their own edge cases (silent units, ‖W‖ = 1, ...).
        element = st.floats(low, high, allow_nan=False, allow_infinity=False) if high > low else st.just(low)
        n = _count(shape)
        if n > ELEMENTWISE_LIMIT:
            # The drawn integer shrinks toward 0; mixing in the draw's position keeps two large
            # arrays of one instance independent even when both integers have shrunk to 0.
            seed = [int(self._draw(st.integers(0, 2**32 - 1), f"{method} seed")), len(self.draws)]
            self.draws.append((method, {"seed": seed, "shape": list(shape)}))
            return _large_array(method, seed, shape, low, high)
        values = [self._draw(element, method) for _ in range(n)]
        value = np.array(values, dtype=float).reshape(shape) if shape else float(values[0])
        self.draws.append((method, value.tolist() if shape else value))
        return value

    # -- numpy.random.Generator API (the subset the checks use) ---------------------------------
    def integers(self, low, high=None, size=None, dtype=np.int64, endpoint=False):
        from hypothesis import strategies as st
        if high is None:
            low, high = 0, low
        low, high = int(low), int(high)
        top = high if endpoint else high - 1
        if top < low:
            raise ValueError(f"integers: low {low} > high {high}")
        shape = _shape(size)
        values = [self._draw(st.integers(low, top), "integers") for _ in range(_count(shape))]
        value = np.array(values, dtype=dtype).reshape(shape) if shape else dtype(values[0])
        self.draws.append(("integers", value.tolist() if shape else int(value)))
        return value

    def uniform(self, low=0.0, high=1.0, size=None):
        return self._floats(low, high, _shape(size), "uniform")

    def random(self, size=None):
        # [0, 1): the upper end is excluded as in numpy.
        return self._floats(0.0, math.nextafter(1.0, 0.0), _shape(size), "random")

    def standard_normal(self, size=None, dtype=np.float64):
        return self._floats(-NORMAL_BOUND, NORMAL_BOUND, _shape(size), "standard_normal")

    def normal(self, loc=0.0, scale=1.0, size=None):
        return np.asarray(loc) + np.asarray(scale) * self.standard_normal(size) if size is not None \
            else float(loc + scale * self.standard_normal())

    def choice(self, a, size=None, replace=True, p=None):
        from hypothesis import strategies as st
        pool = np.arange(a) if isinstance(a, (int, np.integer)) else np.asarray(a, dtype=object if _mixed(a) else None)
        allowed = [i for i in range(len(pool)) if p is None or p[i] > 0]
        shape = _shape(size)
        n = _count(shape)
        if replace:
            picks = [self._draw(st.sampled_from(allowed), "choice") for _ in range(n)]
        else:
            if n > len(allowed):
                raise ValueError("choice: cannot take a larger sample than population when replace=False")
            picks = self._draw(st.permutations(allowed), "choice")[:n]
        self.draws.append(("choice", [int(i) for i in picks]))
        chosen = pool[np.array(picks, dtype=int)]
        return chosen.reshape(shape) if shape else chosen[0]

    def permutation(self, x):
        from hypothesis import strategies as st
        n = int(x) if isinstance(x, (int, np.integer)) else len(x)
        order = self._draw(st.permutations(range(n)), "permutation")
        self.draws.append(("permutation", list(order)))
        return np.array(order) if isinstance(x, (int, np.integer)) else np.asarray(x)[np.array(order, dtype=int)]

    def dirichlet(self, alpha, size=None):
        if size is not None:
            raise NotImplementedError("dirichlet with size is not drawn by any check")
        k = len(alpha)
        weights = self._floats(1e-3, 1.0, (k,), "dirichlet")
        return weights / weights.sum()


def _large_array(method: str, seed: list, shape: tuple, low: float, high: float) -> np.ndarray:
    generator = np.random.default_rng(seed)
    if method == "standard_normal":
        return np.clip(generator.standard_normal(shape), low, high)
    return generator.uniform(low, high, size=shape)


def _mixed(a) -> bool:
    try:
        np.asarray(a, dtype=float)
        return False
    except (TypeError, ValueError):
        return True


class ReplayGenerator:
    """Returns recorded draws in order (a search's shrunk counterexample, re-checked by ``run``).

    A file shorter than the check is not an error: a counterexample that crashed the check stops
    recording at the crash, and once the crash is fixed the check draws further. Each draw past the
    end gets its simplest value, as Hypothesis pads a short example with a zero buffer: 0 clamped
    to the draw's bounds, the first choice, the identity order, seed [0, position] for a large
    array. ``padded`` counts those draws, and ``run`` reports the count."""

    def __init__(self, draws: list):
        self._draws = list(draws)
        self._next = 0
        self.padded = 0

    @property
    def exhausted(self) -> bool:
        return self._next >= len(self._draws)

    def _take(self, method):
        from numerics.errors import InputError
        recorded_method, value = self._draws[self._next]
        self._next += 1
        if recorded_method != method and not (recorded_method == "standard_normal" and method == "normal"):
            raise InputError(f"--replay: draw {self._next} is {recorded_method} in the file but the check "
                             f"asks for {method} (the file is from another version of the claim)")
        return value

    def _pad(self) -> int:
        self.padded += 1
        return self._next + self.padded - 1

    def _floats(self, method, low, high, size):
        shape = _shape(size)
        if self.exhausted:
            position = self._pad()
            if _count(shape) > ELEMENTWISE_LIMIT:
                return _large_array(method, [0, position], shape, low, high)
            simplest = min(max(0.0, float(low)), float(high))
            return np.full(shape, simplest) if shape else simplest
        value = self._take(method)
        if isinstance(value, dict):  # a large array, recorded by its seed
            return _large_array(method, value["seed"], tuple(value["shape"]), low, high)
        return np.array(value, dtype=float).reshape(shape) if shape else float(value)

    def integers(self, low, high=None, size=None, dtype=np.int64, endpoint=False):
        if self.exhausted:
            self._pad()
            if high is None:
                low, high = 0, low
            top = int(high) if endpoint else int(high) - 1
            simplest = min(max(0, int(low)), top)
            return np.full(_shape(size), simplest, dtype=dtype) if size is not None else dtype(simplest)
        value = self._take("integers")
        return np.array(value, dtype=dtype).reshape(_shape(size)) if size is not None else dtype(value)

    def uniform(self, low=0.0, high=1.0, size=None):
        return self._floats("uniform", low, high, size)

    def random(self, size=None):
        return self._floats("random", 0.0, 1.0, size)

    def standard_normal(self, size=None, dtype=np.float64):
        return self._floats("standard_normal", -NORMAL_BOUND, NORMAL_BOUND, size)

    def normal(self, loc=0.0, scale=1.0, size=None):
        return np.asarray(loc) + np.asarray(scale) * self.standard_normal(size) if size is not None \
            else float(loc + scale * self.standard_normal())

    def choice(self, a, size=None, replace=True, p=None):
        pool = np.arange(a) if isinstance(a, (int, np.integer)) else np.asarray(a, dtype=object if _mixed(a) else None)
        if self.exhausted:
            self._pad()
            allowed = [i for i in range(len(pool)) if p is None or p[i] > 0]
            n = _count(_shape(size))
            picks = allowed[:n] if not replace else [allowed[0]] * n
        else:
            picks = self._take("choice")
        chosen = pool[np.array(picks, dtype=int)]
        return chosen.reshape(_shape(size)) if size is not None else chosen[0]

    def permutation(self, x):
        n = int(x) if isinstance(x, (int, np.integer)) else len(x)
        if self.exhausted:
            self._pad()
            order = np.arange(n)
        else:
            order = np.array(self._take("permutation"), dtype=int)
        return order if isinstance(x, (int, np.integer)) else np.asarray(x)[order]

    def dirichlet(self, alpha, size=None):
        weights = self._floats("dirichlet", 1e-3, 1.0, (len(alpha),))
        return weights / weights.sum()


def save_draws(path: str, claim_id: str, draws: list, extra: Optional[dict] = None) -> None:
    """Write a replay file (``rnnproof.instance/1`` JSON) atomically."""
    from numerics.arrays import write_atomic
    record = {"schema": INSTANCE_SCHEMA, "claim": claim_id, "draws": [[m, _plain(v)] for m, v in draws]}
    record.update({k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                   for k, v in (extra or {}).items()})
    text = json.dumps(record, indent=1, allow_nan=False)
    write_atomic(path, lambda handle: handle.write(text + "\n"), mode="w")


def replay_relaxed(path: str, claim) -> frozenset:
    """The hypothesis a replay file was searched beyond (``--relax NAME``), so that ``run --replay``
    draws the same relaxed instance; checked against the claim's declared relaxable hypotheses."""
    from numerics.errors import InputError
    with open(path, encoding="utf-8") as handle:
        name = json.load(handle).get("relaxed")
    if name is None:
        return frozenset()
    if not isinstance(name, str) or name not in claim.relaxable:
        raise InputError(f"--replay: {path} names relaxed hypothesis {name!r}, which {claim.id} does not declare")
    return frozenset([name])


def load_draws(path: str, claim_id: str) -> list:
    """The draws of a replay file, validated (schema, claim, types); ``InputError`` otherwise."""
    from numerics.errors import InputError
    try:
        with open(path, encoding="utf-8") as handle:
            record = json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"--replay: cannot read {path}: {exc}") from None
    if not isinstance(record, dict) or record.get("schema") != INSTANCE_SCHEMA:
        raise InputError(f"--replay: {path} is not an {INSTANCE_SCHEMA} file (written by rnnproof search)")
    if record.get("claim") != claim_id:
        raise InputError(f"--replay: {path} records an instance of {record.get('claim')!r}, not {claim_id!r}")
    draws = record.get("draws")
    methods = {"integers", "uniform", "random", "standard_normal", "choice", "permutation", "dirichlet"}
    if not isinstance(draws, list) or not all(
            isinstance(d, list) and len(d) == 2 and d[0] in methods and _valid_value(d[1]) for d in draws):
        raise InputError(f"--replay: {path} has malformed draws (a list of [method, value] pairs)")
    return [tuple(d) for d in draws]


def _valid_value(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_valid_value(v) for v in value)
    if isinstance(value, dict):
        return (set(value) == {"seed", "shape"} and isinstance(value["seed"], list)
                and len(value["seed"]) == 2 and all(isinstance(x, int) and 0 <= x < 2**63 for x in value["seed"])
                and isinstance(value["shape"], list) and all(isinstance(s, int) and 0 <= s <= 10**6
                                                             for s in value["shape"]))
    return False


def _plain(value) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
