"""End to end: every registered claim passes (or is not applicable, with a reason) in the quick
profile with the default seed -- what ``rnnproof run`` reports on a fresh machine."""

import pytest

from proofs_checks.registry import all_claims
from proofs_checks.runner import run_claim

CLAIM_IDS = [c.id for c in all_claims()]


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_claim_holds_in_quick_profile(claim_id):
    result = run_claim(claim_id, seed=0, profile="quick")
    assert result["status"] in ("pass", "not_applicable"), (result["detail"], result["reproduce"])
    if result["status"] == "not_applicable":
        assert result["detail"], "a not-applicable outcome must say why"
    else:
        assert result["cases"] > 0 or result["symbolic"] == "proved"
