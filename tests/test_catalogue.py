"""The claim catalogue in docs/claims/ is generated from the registry and kept in sync with it;
``rnnproof explain`` prints a whole card; user-facing text is the project's own."""

import subprocess
from pathlib import Path

import pytest

from proofs_checks.catalogue import catalogue_files, card_text
from proofs_checks.papers import PAPERS
from proofs_checks.registry import all_claims, get_claim

ROOT = Path(__file__).resolve().parent.parent
FILES = catalogue_files()


@pytest.mark.parametrize("rel", sorted(FILES))
def test_committed_catalogue_is_in_sync(rel):
    path = ROOT / "docs" / rel
    assert path.exists(), f"docs/{rel} is missing: run `rnnproof docs --out docs/`"
    assert path.read_text(encoding="utf-8") == FILES[rel], (
        f"docs/{rel} is out of date with the registry: run `rnnproof docs --out docs/`")


def test_every_paper_and_claim_has_a_card():
    assert set(FILES) == {"claims/README.md"} | {f"claims/{k}.md" for k in PAPERS}
    for claim in all_claims():
        assert f"### `{claim.id}`" in FILES[f"claims/{claim.paper}.md"]


def test_explain_prints_the_whole_card(capsys):
    from proofs_checks.cli import main
    assert main(["explain", "linearization.similarity"]) == 0
    out = capsys.readouterr().out
    claim = get_claim("linearization.similarity")
    for part in ("Statement:", "LaTeX:", "Hypotheses:", "Tolerance (", "Symbolic side:",
                 "Numeric side:", "Source:", "Check it:", claim.title, claim.tolerance.rule):
        assert part in out
    assert out.strip() == card_text(claim).strip()


def test_explain_unknown_claim_is_an_input_error(capsys):
    from proofs_checks.cli import main
    assert main(["explain", "linearization.similarityy"]) == 2
    err = capsys.readouterr().err
    assert "did you mean linearization.similarity" in err and len(err.strip().splitlines()) == 1


def test_user_facing_text_never_points_outside_the_project():
    """A user who clones the project has no briefs folder: nothing user-facing may cite it."""
    found = subprocess.run(["grep", "-rnI", r"shared/\|brief", "README.md", "CONTRIBUTING.md", "theory",
                            "numerics", "proofs_checks", "docs", "--include=*.py", "--include=*.md"],
                           cwd=ROOT, capture_output=True, text=True).stdout
    assert found == "", found[:2000]
