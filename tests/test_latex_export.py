"""The exported LaTeX document compiles with pdflatex, for every paper and with run statuses."""

import os
import shutil
import subprocess
import sys

import pytest

from proofs_checks.latexdoc import build_document
from proofs_checks.papers import PAPERS
from proofs_checks.registry import all_claims


def _need_pdflatex():
    if shutil.which("pdflatex") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("pdflatex is missing in CI (.ci/run installs it)")
        pytest.skip("pdflatex not installed")


def test_document_mentions_every_claim():
    text = build_document(list(PAPERS))
    for claim in all_claims():
        assert f"\\label{{{claim.id}}}" in text
    assert text.count("\\begin{claim}") == text.count("\\end{claim}") == len(all_claims())


def test_cli_latex_pdf_compiles(tmp_path):
    _need_pdflatex()
    report = tmp_path / "report.json"
    first = all_claims()[0].id if all_claims() else None
    args = [sys.executable, "-m", "proofs_checks"]
    if first:
        subprocess.run(args + ["run", "--claim", first, "--json", str(report), "--quiet"], check=True,
                       capture_output=True, timeout=600)
    out = tmp_path / "claims.tex"
    cmd = args + ["latex", "--out", str(out), "--pdf"] + (["--results", str(report)] if first else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    pdf = tmp_path / "claims.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


def test_latex_error_is_reported(tmp_path):
    _need_pdflatex()
    from proofs_checks.latexdoc import LatexError, compile_pdf
    bad = tmp_path / "bad.tex"
    bad.write_text("\\documentclass{article}\\begin{document}\\undefinedmacro\\end{document}\n")
    with pytest.raises(LatexError, match="Undefined control sequence"):
        compile_pdf(str(bad))
    assert not (tmp_path / "bad.pdf").exists()
