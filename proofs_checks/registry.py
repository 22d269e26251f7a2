r"""The claim registry: one record per claim, and the context a check runs in.

A claim is data (Fungrim-style): a stable ID ``<paper>.<slug>``, a title, a reference, the
statement as a SymPy relation (built lazily, ``evaluate=False``), hypotheses in words, a tolerance
rule with its reason, an independent symbolic check and a numeric check. Registering an ID twice is
an error.

Writing a claim (see CONTRIBUTING.md for the whole contract)::

    def numeric(ctx):
        for rng in ctx.instances():          # ctx.examples seeded generators
            A = rng.standard_normal((3, 3))
            ctx.record(error=abs(np.trace(A) - np.linalg.eigvals(A).sum()), tol=1e-12, n=3)

    register(Claim(id="demo.trace", paper="demo", title="trace = sum of eigenvalues",
                   reference="folklore", statement=lambda: sympy.Eq(lhs, rhs, evaluate=False),
                   hypotheses=("A square",), tolerance=Tolerance("1e-12 absolute", "n = 3"),
                   symbolic=lambda: Proof(True, "charpoly coefficient"), numeric=numeric))

Outcome rules: a check raises :class:`NotApplicable` when a hypothesis
fails for the whole claim, calls :meth:`CheckContext.skip` for one instance, records errors with
:meth:`CheckContext.record` (pass iff ``error <= tol``) and boolean facts with
:meth:`CheckContext.require`. Any other exception is an ``error`` outcome.
"""

from __future__ import annotations

import importlib
import math
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional

import numpy as np

__all__ = ["Claim", "Sides", "Tolerance", "Proof", "NotApplicable", "CheckContext", "register", "get_claim",
           "all_claims", "annotate", "PROFILES", "STATUSES", "TOLERANCE_CLASSES", "RUN_FALSE_ALARM", "STATISTICAL_CHECKS_BUDGET",
           "statistical_alpha", "statistical_checks_per_run"]

STATUSES = ("pass", "fail", "not_applicable", "error")
# Default number of random instances per claim for each profile (``--examples`` overrides).
PROFILES = {"quick": 4, "thorough": 40}


class NotApplicable(Exception):
    """A hypothesis of the claim fails; the message says which and why."""


# How a tolerance is derived (README, "How much to trust a verdict"):
#   roundoff     a perturbation bound with the instance's own scale: u · condition number · size;
#   truncation   the next term of an expansion, an a priori bound, or a fitted convergence order;
#   statistical  a test at false-alarm probability statistical_alpha() per check;
#   exact        integers, booleans or exact rationals compared for equality (no tolerance).
TOLERANCE_CLASSES = ("roundoff", "truncation", "statistical", "exact")
# False-alarm probability of one whole thorough run of every claim (Bonferroni over its
# statistical checks, see statistical_alpha).
RUN_FALSE_ALARM = 1e-4
# The number of statistical tests a thorough run of every claim may make. α per test is
# RUN_FALSE_ALARM / STATISTICAL_CHECKS_BUDGET; a test asserts the registry's declared count
# (Σ Claim.statistical_checks) stays within it, so adding a claim never shifts other thresholds.
STATISTICAL_CHECKS_BUDGET = 5000


@dataclass(frozen=True)
class Tolerance:
    """How a numeric check's tolerance is set, and why (``rule`` may name symbols: ``10²·ε·κ``).

    ``kind`` is the tolerance class, one of :data:`TOLERANCE_CLASSES` or several joined by ``+``
    (``"truncation+roundoff"``) when the checks of one claim are of different classes."""

    rule: str
    reason: str
    kind: Optional[str] = None

    def __post_init__(self):
        if self.kind is not None:
            parts = self.kind.split("+")
            bad = [p for p in parts if p not in TOLERANCE_CLASSES]
            if bad or len(set(parts)) != len(parts):
                raise ValueError(f"Tolerance kind must be one of {TOLERANCE_CLASSES} joined by '+', "
                                 f"got {self.kind!r}")

    @property
    def classes(self) -> tuple:
        return tuple(self.kind.split("+")) if self.kind else ()


@dataclass(frozen=True)
class Sides:
    """Which code each side of a claim runs, so that a reader can see the two are independent.

    ``symbolic``: the ``theory`` functions the symbolic side runs; ``numeric``: the ``numerics``
    functions the numeric side runs (dotted names, ``"numerics.unitary.simulate"``);
    ``lambdified``: the ``theory`` functions the numeric side calls, only to lambdify the derived
    result on the instance (a test traces every numeric check and fails on any other call into
    ``theory``); ``reference``: a sentence on what the independent witness computes."""

    symbolic: tuple = ()
    numeric: tuple = ()
    lambdified: tuple = ()
    reference: str = ""
    proves: str = ""  # a sentence: what the symbolic side proves


@dataclass(frozen=True)
class Proof:
    """Outcome of a symbolic check: ``holds`` and a one-line account of what was shown."""

    holds: bool
    detail: str = ""


@dataclass(frozen=True, eq=False)
class Claim:
    """One checkable claim. ``symbolic`` and ``network`` may be ``None`` (numeric-only, or the
    claim does not take a user network); ``statement`` and ``expressions`` are zero-argument
    callables so that importing the registry does not build SymPy objects."""

    id: str
    paper: str
    title: str
    reference: str
    statement: Callable[[], Any]
    hypotheses: tuple
    tolerance: Tolerance
    numeric: Optional[Callable[["CheckContext"], None]]
    symbolic: Optional[Callable[[], Proof]] = None
    network: Optional[Callable[["CheckContext", Any], None]] = None
    expressions: Optional[Callable[[], dict]] = None
    note: str = ""
    cost: float = 1.0  # relative run time, used to schedule parallel jobs (largest first)
    # Statistical tests one run of this claim makes at the thorough profile (default examples);
    # their sum over the registry sets the Bonferroni level statistical_alpha().
    statistical_checks: int = 0
    sides: Optional[Sides] = None
    # Where the statement comes from: the paper's section, theorem or equation, or
    # "toolkit extension" (shown in the claim catalogue).
    source: str = ""
    # Paper commands that exercise the claim beyond `rnnproof run --claim ID`, e.g.
    # ("rnnproof linearize NET.npz",).
    commands: tuple = ()
    # Hypotheses that `rnnproof search --relax NAME` may violate, NAME -> what the check then
    # draws; the numeric check reads ``ctx.relaxed`` (a frozenset of names) to do so.
    relaxable: dict = field(default_factory=dict)

    def __post_init__(self):
        if not self.id.startswith(self.paper + ".") or len(self.id) <= len(self.paper) + 1:
            raise ValueError(f"claim id must be '<paper>.<slug>' with paper {self.paper!r}, got {self.id!r}")
        if not isinstance(self.hypotheses, tuple):
            raise TypeError(f"hypotheses of {self.id} must be a tuple of strings")
        if self.numeric is None and self.symbolic is None:
            raise ValueError(f"claim {self.id} needs a numeric or a symbolic check")
        if self.statistical_checks and "statistical" not in self.tolerance.classes:
            raise ValueError(f"claim {self.id} declares statistical checks but its tolerance class "
                             f"is {self.tolerance.kind!r}")


_REGISTRY: dict[str, Claim] = {}


def register(claim: Claim) -> Claim:
    """Add ``claim`` to the registry (registration order is report order). Duplicate IDs raise."""
    if claim.id in _REGISTRY:
        raise ValueError(f"claim {claim.id!r} is registered twice")
    _REGISTRY[claim.id] = claim
    return claim


def annotate(claim_id: str, **changes) -> Claim:
    """Replace fields of a registered claim (e.g. ``sides=``), keeping its place in the order.

    For data kept beside the registrations (a paper's table of sides), not for changing checks."""
    import dataclasses
    claim = dataclasses.replace(_REGISTRY[claim_id], **changes)
    _REGISTRY[claim_id] = claim
    return claim


def _load_all():
    # A plugin load, like the CLI's commands: claim modules import the registry, not the reverse.
    importlib.import_module(f"{__package__}.claims")  # registers every paper's claims in order


def all_claims(paper: Optional[str] = None) -> list[Claim]:
    """Registered claims in registry order, optionally those of one paper."""
    _load_all()
    return [c for c in _REGISTRY.values() if paper is None or c.paper == paper]


def get_claim(claim_id: str) -> Claim:
    """The claim with this ID; ``KeyError`` with close matches otherwise."""
    _load_all()
    try:
        return _REGISTRY[claim_id]
    except KeyError:
        import difflib
        close = difflib.get_close_matches(claim_id, list(_REGISTRY), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see 'rnnproof list'"
        raise KeyError(f"unknown claim ID {claim_id!r}{hint}") from None


def statistical_checks_per_run() -> int:
    """Σ over the registry of each claim's statistical tests in a thorough run."""
    return sum(c.statistical_checks for c in all_claims())


def statistical_alpha() -> float:
    r"""False-alarm probability of one statistical check, $\alpha = 10^{-4} / B$ ($= 2\cdot10^{-8}$).

    $B$ = ``STATISTICAL_CHECKS_BUDGET`` bounds :func:`statistical_checks_per_run` (a test asserts
    it); by Bonferroni a thorough run of every claim then reports a true statistical claim as
    failed with probability at most ``RUN_FALSE_ALARM``."""
    return RUN_FALSE_ALARM / STATISTICAL_CHECKS_BUDGET


def instance_seed_sequence(seed: int, claim_id: str, index: int) -> np.random.SeedSequence:
    """The seed sequence of instance ``index`` of ``claim_id`` in a run with ``seed``.

    Independent of which other claims run, of their order and of ``--jobs``."""
    return np.random.SeedSequence(entropy=int(seed), spawn_key=(zlib.crc32(claim_id.encode()), index))


@dataclass
class _Case:
    error: float
    tol: float
    ratio: float
    info: dict
    exact: bool = False


@dataclass(eq=False)
class CheckContext:
    """What a check sees: the seed, the number of instances, the profile, an optional user network,
    and the recorders for its results."""

    claim_id: str
    seed: int
    examples: int
    profile: str = "quick"
    network: Any = None
    cases: int = 0
    skipped: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    failures: int = 0
    worst: Optional[_Case] = None
    worst_failure: Optional[_Case] = None
    instance: Optional[int] = None
    # error/tolerance of every non-exact case (the sweep's per-claim distribution).
    ratios: list = field(default_factory=list)
    statistical_tests: int = 0
    # None: seeded numpy generators (rnnproof run). Otherwise one generator that serves every
    # instance: Hypothesis-backed (rnnproof search) or a replay of recorded draws (--replay);
    # see proofs_checks.instances.
    source: Any = None
    relaxed: frozenset = frozenset()
    edges: dict = field(default_factory=dict)  # edge case name -> instances that hit it

    @property
    def searching(self) -> bool:
        """True when the instances come from ``rnnproof search`` or a replay of one of its draws
        (not from the seeded stream of ``rnnproof run``): search-only edge draws go here."""
        return self.source is not None

    @property
    def thorough(self) -> bool:
        return self.profile == "thorough"

    def instances(self, count: Optional[int] = None, start: int = 0) -> Iterator[np.random.Generator]:
        """Yield ``count`` (default ``examples``) independently seeded generators.

        Use different ``start`` offsets for different families of instances within one claim."""
        if self.source is not None:
            # One instance per family: the search (or the replay) decides what it is.
            self.instance = start
            yield self.source
            self.instance = None
            return
        count = self.examples if count is None else count
        for i in range(start, start + count):
            self.instance = i
            yield np.random.default_rng(instance_seed_sequence(self.seed, self.claim_id, i))
        self.instance = None

    def rng(self, index: int = 10_000) -> np.random.Generator:
        """One seeded generator (for a claim that needs a single random instance)."""
        self.instance = index
        if self.source is not None:
            return self.source
        return np.random.default_rng(instance_seed_sequence(self.seed, self.claim_id, index))

    def alpha(self) -> float:
        """The false-alarm probability for one statistical test (counts the test; see
        :func:`statistical_alpha`)."""
        self.statistical_tests += 1
        return statistical_alpha()

    def z_threshold(self, two_sided: bool = True) -> float:
        """The standard-normal quantile of one statistical test at :meth:`alpha`."""
        from scipy.stats import norm
        a = self.alpha()
        return float(norm.isf(a / 2 if two_sided else a))

    def record(self, error: float, tol: float, _exact: bool = False, **info) -> bool:
        """Record one comparison; it passes iff ``error <= tol`` (NaN fails). Returns the verdict."""
        error, tol = float(error), float(tol)
        if math.isnan(error):
            ratio = math.inf
        elif tol > 0:
            ratio = error / tol
        else:
            ratio = 0.0 if error <= tol else math.inf
        ok = not math.isnan(error) and error <= tol
        info = {k: _jsonable(v) for k, v in info.items()}
        if self.instance is not None:
            info.setdefault("instance", self.instance)
        case = _Case(error, tol, ratio, info, _exact)
        self.cases += 1
        if not _exact and tol > 0 and math.isfinite(ratio):
            # A one-sided check records a signed margin; below zero it is as good as zero error.
            self.ratios.append(max(ratio, 0.0))
        if self.worst is None or ratio > self.worst.ratio or (
                ratio == self.worst.ratio and error > self.worst.error):
            self.worst = case
        if not ok:
            self.failures += 1
            if self.worst_failure is None or ratio > self.worst_failure.ratio:
                self.worst_failure = case
        return ok

    def require(self, condition: bool, what: str, **info) -> bool:
        """Record a boolean fact (error 0 if it holds, 1 otherwise; tolerance 0)."""
        return self.record(0.0 if condition else 1.0, 0.0, _exact=True, check=what, **info)

    def edge(self, name: str, hit: bool = True) -> None:
        """Count an edge case the current instance hits (a silent unit, ‖W‖₂ = 1, n = 1, ...):
        ``rnnproof search`` prints how many instances hit each one."""
        self.edges[name] = self.edges.get(name, 0) + (1 if hit else 0)

    def skip(self, reason: str) -> None:
        """Mark the current instance not applicable (the reason is reported)."""
        self.skipped.append(f"instance {self.instance}: {reason}" if self.instance is not None else reason)

    def note(self, text: str) -> None:
        """Add a line to the result's detail (e.g. the conditioning actually seen)."""
        self.notes.append(text)


def _jsonable(value):
    if isinstance(value, (np.floating, np.integer, np.bool_)):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist() if value.size <= 64 else f"array{value.shape}"
    if isinstance(value, complex):
        return [value.real, value.imag]
    if isinstance(value, (list, tuple)) and len(value) <= 64:
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
