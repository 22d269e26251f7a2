"""Two sides that really are independent (issue "Verdicts you can trust").

Every claim records in ``Claim.sides`` which code each side runs. Tracing each numeric check (one
instance, quick profile), every call from outside ``theory`` into ``theory`` must be to a function
listed in ``sides.lambdified``, and must return symbolic objects only (something to lambdify, not a
number that the numeric side would then compare with itself).
"""

import os
import sys
from pathlib import Path

import pytest
import sympy

from proofs_checks.registry import CheckContext, NotApplicable, Sides, all_claims

THEORY_DIR = str(Path(__import__("theory").__file__).resolve().parent) + os.sep
CLAIMS = all_claims()


def _is_theory(code) -> bool:
    return code.co_filename.startswith(THEORY_DIR)


def _symbolic_only(value, depth=0) -> bool:
    """True when ``value`` holds no floating-point numbers: SymPy objects, integers, names,
    callables and containers of them."""
    if depth > 6:
        return True
    if isinstance(value, (sympy.Basic, sympy.MatrixBase, str, type(None), bool)):
        return True
    if callable(value) and not isinstance(value, (int, float, complex)):
        return True  # a lambdified function or a builder
    if isinstance(value, dict):
        return all(_symbolic_only(v, depth + 1) for v in value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(_symbolic_only(v, depth + 1) for v in value)
    if hasattr(value, "__dataclass_fields__"):  # theory.Derivation and similar records
        return all(_symbolic_only(getattr(value, f), depth + 1) for f in value.__dataclass_fields__)
    if isinstance(value, int):
        # Sizes, orders, exact ranks from SymPy's exact arithmetic: the symbolic result evaluated
        # on the instance, not a floating-point witness.
        return True
    return False


def _trace_numeric(claim):
    """Run ``claim.numeric`` on one instance; return {theory function: [returned values]} for the
    calls that enter theory from outside it."""
    entries: dict[str, list] = {}
    stack: list = []

    def profiler(frame, event, arg):
        if event not in ("call", "return"):
            return
        code = frame.f_code
        if not _is_theory(code):
            return
        if event == "call":
            caller = frame.f_back
            entering = caller is None or not _is_theory(caller.f_code)
            stack.append((frame, entering))
        else:
            if not stack or stack[-1][0] is not frame:
                return
            _, entering = stack.pop()
            if entering:
                module = frame.f_globals.get("__name__", "?")
                entries.setdefault(f"{module}.{code.co_name}", []).append(arg)

    ctx = CheckContext(claim_id=claim.id, seed=0, examples=1, profile="quick")
    sys.setprofile(profiler)
    try:
        claim.numeric(ctx)
    except NotApplicable:
        pass
    finally:
        sys.setprofile(None)
    return entries


def test_every_claim_records_its_sides():
    missing = [c.id for c in CLAIMS if not isinstance(c.sides, Sides)]
    assert not missing, f"claims without sides: {missing}"
    for c in CLAIMS:
        if c.numeric is not None:
            assert c.sides.numeric, f"{c.id}: sides.numeric is empty"
            # numerics functions, or the numpy/scipy routines a check calls directly
            assert all(name.startswith(("numerics.", "numpy.", "scipy.", "sklearn.", "documented only"))
                       for name in c.sides.numeric), c.id
        if c.symbolic is not None:
            assert all(name.startswith("theory.") for name in c.sides.symbolic), c.id
        assert all(name.startswith("theory.") for name in c.sides.lambdified), c.id


@pytest.mark.parametrize("claim", [c for c in CLAIMS if c.numeric is not None], ids=lambda c: c.id)
def test_numeric_side_calls_theory_only_to_lambdify(claim):
    entries = _trace_numeric(claim)
    allowed = set(claim.sides.lambdified if claim.sides else ())
    unlisted = sorted(name for name in entries if name not in allowed
                      and name.rsplit(".", 1)[-1] not in ("<lambda>", "<genexpr>", "<listcomp>"))
    assert not unlisted, (f"{claim.id}: the numeric side calls theory functions not listed in "
                          f"sides.lambdified: {unlisted}")
    numeric_results = sorted(name for name, values in entries.items()
                             if not all(_symbolic_only(v) for v in values))
    assert not numeric_results, (f"{claim.id}: theory functions return numbers to the numeric side "
                                 f"(the witness must be computed in numerics): {numeric_results}")
