"""Every tolerance has a class and a derivation (issue "Verdicts you can trust")."""

import re

import pytest

from proofs_checks.registry import (STATISTICAL_CHECKS_BUDGET, TOLERANCE_CLASSES, Tolerance,
                                    all_claims, statistical_alpha, statistical_checks_per_run)

CLAIMS = all_claims()
# A bare percentage or a bare number as the whole rule ("5 %", "1e-8", "0.15 relative").
BARE_RULE = re.compile(r"^\s*[<≤]?\s*(\d+(\.\d+)?\s*%|\d+(\.\d+)?(e-?\d+)?)\s*(relative|absolute|rel|abs)?\s*$",
                       re.IGNORECASE)


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_tolerance_has_a_class_rule_and_reason(claim):
    tol = claim.tolerance
    assert tol.kind, f"{claim.id}: Tolerance without a class (kind=)"
    assert set(tol.classes) <= set(TOLERANCE_CLASSES)
    assert tol.rule.strip() and tol.reason.strip(), f"{claim.id}: a tolerance needs a rule and a reason"
    if "truncation" in tol.classes or "roundoff" in tol.classes:
        assert not BARE_RULE.match(tol.rule), (f"{claim.id}: the rule {tol.rule!r} is a bare number; "
                                              "derive it from the instance (see CONTRIBUTING.md)")


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_statistical_claims_declare_their_tests(claim):
    if "statistical" in claim.tolerance.classes:
        assert claim.statistical_checks > 0, f"{claim.id}: statistical tolerance, no declared tests"
    else:
        assert claim.statistical_checks == 0


def test_statistical_budget_holds():
    assert 0 < statistical_checks_per_run() <= STATISTICAL_CHECKS_BUDGET
    assert statistical_alpha() * statistical_checks_per_run() <= 1e-4


@pytest.mark.parametrize("kind", ["roundoff", "truncation+roundoff", "statistical", "exact"])
def test_tolerance_kind_accepts_classes(kind):
    assert Tolerance("r", "why", kind=kind).classes == tuple(kind.split("+"))


@pytest.mark.parametrize("kind", ["fudge", "roundoff+roundoff", "roundoff+", ""])
def test_tolerance_kind_rejects_unknown(kind):
    with pytest.raises(ValueError, match="kind"):
        Tolerance("r", "why", kind=kind or "+")


def test_list_json_shows_class_and_rule(capsys):
    import json
    from proofs_checks.cli import main
    assert main(["list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == len(CLAIMS)
    for entry in listed:
        assert entry["tolerance"]["class"] and entry["tolerance"]["rule"]
