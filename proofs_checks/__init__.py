"""Claim registry, runner, reports and the ``rnnproof`` command (imports theory and numerics).

Registry
    Claim, Tolerance, Proof, NotApplicable, CheckContext, register, get_claim, all_claims
Running and reporting
    run, RunResult (a report that shows itself as a table in Jupyter)
    run_claim, run_claims, reproduce_command, REPORT_SCHEMA, build_report
Papers
    PAPERS
Command line
    main
"""

from .papers import PAPERS
from .registry import (CheckContext, Claim, NotApplicable, Proof, Tolerance, all_claims, get_claim,
                       register)
from .report import REPORT_SCHEMA, build_report
from .runner import reproduce_command, run_claim, run_claims
from .notebook import RunResult, run


def main(argv=None):
    """The ``rnnproof`` command (see :mod:`proofs_checks.cli`)."""
    from .cli import main as _main
    return _main(argv)


__all__ = ["PAPERS", "CheckContext", "Claim", "NotApplicable", "Proof", "Tolerance", "all_claims",
           "get_claim", "register", "REPORT_SCHEMA", "build_report", "reproduce_command", "run_claim",
           "run_claims", "run", "RunResult", "main"]
