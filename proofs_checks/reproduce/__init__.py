"""Reproductions of each paper's experiments: ``rnnproof reproduce PAPER|all``.

Catalogue
---------
Reproduction   one registered reproduction (ID ``<paper>.R<k>``, expected outcome, ``run(ctx)``)
Context        what a run gets: seed, scale (quick / default / full), seeded generators
Row            one headline number of the summary, beside the paper's value or expected outcome
Result         rows + figures + data tables returned by ``run``
register       add a reproduction (the order of registration is the report order)
reproductions  the registered reproductions of one paper (or all), loading the paper modules
execute        run one reproduction and write its figures and data into a directory

Each paper module (``linearization``, ``unitary``, ``linear_recurrence``, ``response``,
``geometry``) registers its reproductions at import. Randomness comes only from
``ctx.rng(*key)``: ``numpy.random.SeedSequence(seed, spawn_key=(crc32(ID), *key))``, so a
reproduction's numbers do not depend on which others run, their order or ``--jobs``.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import time
import zlib
from dataclasses import dataclass, field
from typing import Callable, Optional

__all__ = ["Reproduction", "Context", "Row", "Result", "register", "reproductions", "execute",
           "SCALES", "PAPER_MODULES"]

SCALES = ("quick", "default", "full")
PAPER_MODULES = ("linearization", "unitary", "linear_recurrence", "response", "geometry")

_REGISTRY: dict = {}


@dataclass(frozen=True)
class Row:
    """One headline number.

    ``held`` is True (as expected), False (differs) or None (reported only: no known value).
    ``difference`` states the size of the difference from the paper's value or expectation."""

    quantity: str
    ours: str
    expected: str
    held: Optional[bool] = None
    difference: str = ""

    @property
    def verdict(self) -> str:
        return {True: "as expected", False: "differs", None: "reported"}[self.held]


@dataclass
class Result:
    rows: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)      # name -> matplotlib Figure
    tables: dict = field(default_factory=dict)       # name -> list of flat dicts (CSV)
    data: dict = field(default_factory=dict)         # JSON-ready details
    scale_note: str = ""                             # the scale actually run, in words
    notes: list = field(default_factory=list)


@dataclass(frozen=True)
class Reproduction:
    id: str
    paper: str
    title: str
    expected: str
    run: Callable
    source: str = ""
    optional: bool = False


class Context:
    """The run's seed and scale. ``rng(*key)`` gives an independent seeded generator per key."""

    def __init__(self, repro_id: str, seed: int = 0, scale: str = "default", jobs: int = 1,
                 progress: Optional[Callable] = None):
        if scale not in SCALES:
            from numerics import InputError
            raise InputError(f"scale must be one of {', '.join(SCALES)}, got {scale!r}")
        self.id, self.seed, self.scale, self.jobs = repro_id, int(seed), scale, int(jobs)
        self._progress = progress

    @property
    def quick(self) -> bool:
        return self.scale == "quick"

    def pick(self, quick, default, full=None):
        """The setting for this run's scale (``full`` defaults to ``default``)."""
        return {"quick": quick, "default": default, "full": default if full is None else full}[self.scale]

    def rng(self, *key: int):
        import numpy as np
        seq = np.random.SeedSequence(self.seed, spawn_key=(zlib.crc32(self.id.encode()), *map(int, key)))
        return np.random.default_rng(seq)

    def progress(self, text: str) -> None:
        if self._progress is not None:
            self._progress(text)


def register(rep: Reproduction) -> Reproduction:
    if rep.id in _REGISTRY:
        raise ValueError(f"reproduction {rep.id} registered twice")
    if rep.paper not in PAPER_MODULES or not rep.id.startswith(rep.paper + ".R"):
        raise ValueError(f"reproduction ID {rep.id!r} must read <paper>.R<k> with a known paper")
    _REGISTRY[rep.id] = rep
    return rep


def reproductions(paper: str = "all", only=()) -> list:
    """Registered reproductions of ``paper`` (or ``"all"``), filtered by ``only`` (e.g. ``["R2"]``)."""
    from numerics import InputError
    papers = PAPER_MODULES if paper == "all" else (paper,)
    if paper != "all" and paper not in PAPER_MODULES:
        raise InputError(f"unknown paper {paper!r}; choose from {', '.join(PAPER_MODULES)} or all")
    for key in papers:
        importlib.import_module(f"{__name__}.{key}")
    chosen = [r for r in _REGISTRY.values() if r.paper in papers]
    if only:
        def hit(r, o):
            return o in (r.id, r.id.split(".", 1)[1])
        unknown = [o for o in only if not any(hit(r, o) for r in chosen)]
        if unknown:
            known = ", ".join(r.id for r in chosen)
            raise InputError(f"--only {' '.join(unknown)}: no such reproduction here; known: {known}")
        chosen = [r for r in chosen if any(hit(r, o) for o in only)]
    return chosen


def _jsonable(x):
    import numpy as np
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, (np.floating, float)):
        v = float(x)
        return v if math.isfinite(v) else str(v)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.bool_,)):
        return bool(x)
    if isinstance(x, complex):
        return [x.real, x.imag]
    return x


def _write_csv(path: str, rows: list) -> None:
    import csv
    keys: list = []
    for r in rows:
        keys += [k for k in r if k not in keys]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=keys)
        writer.writeheader()
        for r in rows:
            writer.writerow({k: _jsonable(v) for k, v in r.items()})


def execute(rep: Reproduction, out_dir: str, seed: int = 0, scale: str = "default", jobs: int = 1,
            pdf: bool = True, progress=None) -> dict:
    """Run ``rep`` and write ``<ID>*.png`` (+ ``.pdf``), ``<ID>*.csv`` and ``<ID>.json`` into ``out_dir``.

    Returns the JSON-ready record (rows, files, seconds) that ``summary.md`` is built from."""
    from . import style

    ctx = Context(rep.id, seed=seed, scale=scale, jobs=jobs, progress=progress)
    start = time.perf_counter()
    error = None
    try:
        result = rep.run(ctx)
    except Exception as exc:  # noqa: BLE001 -- a failed reproduction is reported, the others still run
        import traceback
        error = f"{type(exc).__name__}: {exc}"
        result = Result(rows=[Row("run", f"error: {error}", "completes", False, "")],
                        notes=["traceback: " + traceback.format_exc().strip().splitlines()[-3].strip()])
    seconds = time.perf_counter() - start
    files = []
    stem = rep.id.replace(".", "_")
    for name, fig in result.figures.items():
        files += style.save(fig, out_dir, f"{stem}_{name}" if name else stem, pdf=pdf)
    for name, rows in result.tables.items():
        path = os.path.join(out_dir, f"{stem}_{name}.csv")
        _write_csv(path, rows)
        files.append(path)
    record = {"id": rep.id, "paper": rep.paper, "title": rep.title, "expected": rep.expected,
              "source": rep.source, "optional": rep.optional, "seed": seed, "scale": scale,
              "scale_note": result.scale_note, "notes": list(result.notes),
              "rows": [dict(quantity=r.quantity, ours=r.ours, expected=r.expected, verdict=r.verdict,
                            difference=r.difference) for r in result.rows],
              "seconds": round(seconds, 2), "error": error, "data": _jsonable(result.data)}
    path = os.path.join(out_dir, f"{stem}.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=1, ensure_ascii=False)
    record["files"] = [os.path.basename(f) for f in files + [path]]
    return record
