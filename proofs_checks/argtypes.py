"""argparse ``type=`` validators shared by every subcommand (a bad value is a one-line exit 2)."""

from __future__ import annotations

import argparse
import math

__all__ = ["positive_int", "nonnegative_int", "positive_float", "nonnegative_float", "open_unit_float",
           "seed", "bounded_int", "bounded_float", "MAX_SEED"]

MAX_SEED = 2 ** 63 - 1


def _parse(text, kind, what):
    if kind is int and isinstance(text, str) and len(text.strip()) > 30:
        raise argparse.ArgumentTypeError(f"expected {what}, got a {len(text)}-character number")
    try:
        return kind(text)
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None


def positive_int(text) -> int:
    """An integer ≥ 1."""
    value = _parse(text, int, "a positive integer")
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def nonnegative_int(text) -> int:
    """An integer ≥ 0."""
    value = _parse(text, int, "a non-negative integer")
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {value}")
    return value


def positive_float(text) -> float:
    """A finite number > 0."""
    value = _parse(text, float, "a positive number")
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a finite number > 0, got {text!r}")
    return value


def nonnegative_float(text) -> float:
    """A finite number ≥ 0."""
    value = _parse(text, float, "a number ≥ 0")
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"expected a finite number ≥ 0, got {text!r}")
    return value


def open_unit_float(text) -> float:
    """A number in (0, 1)."""
    value = _parse(text, float, "a number in (0, 1)")
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a number in (0, 1), got {text!r}")
    return value


def seed(text) -> int:
    """A seed: an integer in [0, 2⁶³ − 1] (what ``numpy.random.SeedSequence`` accepts)."""
    value = _parse(text, int, "a non-negative integer seed")
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"expected a seed in 0..{MAX_SEED}, got {value}")
    return value


def bounded_int(low: int, high: int, why: str = ""):
    """An argparse type: an integer in [low, high]; ``why`` says where the upper limit comes from."""
    def parse(text) -> int:
        value = _parse(text, int, "an integer")
        if not low <= value <= high:
            reason = f" ({why})" if why else ""
            kind = {0: "a non-negative integer", 1: "a positive integer"}.get(low, f"an integer ≥ {low}")
            raise argparse.ArgumentTypeError(f"expected {kind} up to {high}{reason}, got {value}")
        return value
    parse.__name__ = f"integer in {low}..{high}"
    return parse


def bounded_float(low: float, high: float, why: str = "", low_open: bool = True):
    """An argparse type: a finite number in (low, high] (``low_open``) or [low, high]."""
    def parse(text) -> float:
        value = _parse(text, float, "a number")
        ok = math.isfinite(value) and (value > low if low_open else value >= low) and value <= high
        if not ok:
            reason = f" ({why})" if why else ""
            bracket = "(" if low_open else "["
            raise argparse.ArgumentTypeError(f"expected a number in {bracket}{low:g}, {high:g}]{reason}, got {text!r}")
        return value
    parse.__name__ = f"number in ({low:g}, {high:g}]"
    return parse
