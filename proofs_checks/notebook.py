"""Run claims from Python and see the report as a table in Jupyter.

>>> from proofs_checks import run                                  # doctest: +SKIP
>>> result = run(paper="unitary", seed=3)                          # doctest: +SKIP
>>> result                          # in Jupyter: the HTML report's claims table  # doctest: +SKIP

:class:`RunResult` is the ``rnnproof.report/1`` dictionary (``result["summary"]``,
``result["claims"]``) with a ``_repr_html_`` that shows the same table as ``rnnproof run --html``,
and :meth:`RunResult.to_html` for the whole page.
"""

from __future__ import annotations

import time
from typing import Optional, Sequence, Union

__all__ = ["RunResult", "run"]


class RunResult(dict):
    """A run report (``rnnproof.report/1``) that renders itself in Jupyter."""

    def to_html(self, figures=None, title: Optional[str] = None) -> str:
        """The whole self-contained page (:func:`proofs_checks.html_report.render_html`)."""
        from .html_report import render_html
        return render_html(self, figures=figures, title=title)

    def _repr_html_(self) -> str:
        # The page's own <style> and <script> work inside a notebook's output cell; the
        # element IDs are unique per page, so show one result per cell.
        return self.to_html()

    def __repr__(self) -> str:
        from .report import summary_line
        return f"<RunResult seed {self.get('seed')}, profile {self.get('profile')}: {summary_line(self['summary'])}>"


def run(paper: Union[str, Sequence[str], None] = None, claims: Union[str, Sequence[str], None] = None,
        seed: int = 0, profile: str = "quick", examples: Optional[int] = None, jobs: int = 1,
        network: Optional[str] = None) -> RunResult:
    """Run claims (by paper and/or ID, default every claim) like ``rnnproof run`` and return the report."""
    from .registry import all_claims, get_claim
    from .report import build_report
    from .runner import run_claims
    papers = [paper] if isinstance(paper, str) else list(paper or ())
    ids = [get_claim(c).id for c in ([claims] if isinstance(claims, str) else list(claims or ()))]
    if papers or not ids:
        ids += [c.id for c in all_claims() if (not papers or c.paper in papers) and c.id not in ids]
    start = time.perf_counter()
    results = run_claims(ids, seed=seed, examples=examples, profile=profile, network_path=network, jobs=jobs)
    return RunResult(build_report(results, seed=seed, profile=profile, seconds=time.perf_counter() - start))
