"""End to end: every registered claim passes (or is not applicable, with a reason) in the quick
profile with the default seed -- what ``rnnproof run`` reports on a fresh machine."""

import json
from pathlib import Path

import pytest

from proofs_checks.registry import all_claims
from proofs_checks.runner import run_claim

CLAIM_IDS = [c.id for c in all_claims()]
# Seed-0 quick reports of each paper saved before the claim modules became packages
# (``rnnproof run --paper P --seed 0 --json``, without "seconds" and "environment" at any level):
# the move must not change any result.
GOLDEN_DIR = Path(__file__).parent / "data" / "golden"


def _without_timings(value):
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if k not in ("seconds", "environment")}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def _golden() -> dict:
    records = {}
    for path in sorted(GOLDEN_DIR.glob("*-seed0-quick.json")):
        for record in json.loads(path.read_text(encoding="utf-8"))["claims"]:
            records[record["id"]] = record
    return records


GOLDEN = _golden()


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_claim_holds_in_quick_profile(claim_id):
    result = run_claim(claim_id, seed=0, profile="quick")
    assert result["status"] in ("pass", "not_applicable"), (result["detail"], result["reproduce"])
    if result["status"] == "not_applicable":
        assert result["detail"], "a not-applicable outcome must say why"
    else:
        assert result["cases"] > 0 or result["symbolic"] == "proved"
    if claim_id in GOLDEN:
        expected = _without_timings(GOLDEN[claim_id])
        expected.pop("ratio_values", None)
        assert _without_timings(result) == expected, "result differs from the saved pre-move report"


@pytest.mark.parametrize("path", sorted(GOLDEN_DIR.glob("*-seed0-quick.json")), ids=lambda p: p.name)
def test_golden_report_lists_the_paper_in_registry_order(path):
    saved = [r["id"] for r in json.loads(path.read_text(encoding="utf-8"))["claims"]]
    paper = path.name.split("-seed0")[0]
    assert saved == [c.id for c in all_claims(paper)]
