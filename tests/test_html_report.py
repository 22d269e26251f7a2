"""The HTML report: one self-contained page, escaped, failures first; and in a real browser
(headless Chromium through Selenium), one row per claim, a working status filter, no console
errors, and a screenshot saved as an artifact."""

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from proofs_checks.html_report import render_html
from proofs_checks.registry import all_claims
from proofs_checks.report import build_report
from proofs_checks.runner import run_claims

ARTIFACTS = Path(os.environ.get("RNNPROOF_ARTIFACTS", Path(__file__).resolve().parent.parent / ".ci-artifacts"))


def _cheap_ids(per_paper=3):
    ids = []
    for paper in dict.fromkeys(c.paper for c in all_claims()):
        ids += [c.id for c in sorted(all_claims(paper), key=lambda c: c.cost)[:per_paper]]
    return ids


@pytest.fixture(scope="module")
def report():
    results = run_claims(_cheap_ids(), seed=0)
    # One planted failure, with hostile text, so the failure block and escaping are exercised.
    bad = dict(results[1], status="fail", detail="planted <script>window.hacked=1</script>",
               counterexample={"n": 2, "note": "</pre><b>x</b>"})
    results[1] = bad
    return build_report(results, seed=0, profile="quick", seconds=1.0)


def test_page_is_self_contained_and_escaped(report):
    page = render_html(report)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>window.hacked" not in page and "&lt;script&gt;window.hacked" in page
    assert not re.search(r'(src|href)="https?://', page), "no CDN or remote resource"
    assert page.count('<tr data-paper=') == len(report["claims"])


def test_failures_come_first(report):
    page = render_html(report)
    assert page.index('id="failures"') < page.index('id="claims"')
    rows = re.findall(r'<tr data-paper="[^"]*" data-status="([^"]*)"', page)
    assert rows[0] == "fail" and rows.count("fail") == 1


def test_sweep_report_renders(tmp_path):
    from proofs_checks.sweep import run_sweep
    ids = _cheap_ids(1)
    sweep = run_sweep(ids, [0, 1])
    page = render_html({"schema": "rnnproof.sweep/1", "seeds": [0, 1], "profile": "quick",
                        "summary": "x", **sweep})
    assert page.count('<tr data-paper=') == len(ids)
    assert "worst seed" in page


def test_figures_are_inlined(report, tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from proofs_checks.html_report import collect_figures
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    fig.savefig(tmp_path / "f.png")
    plt.close(fig)
    page = render_html(report, figures=collect_figures(tmp_path))
    assert "data:image/png;base64," in page and "f.png" in page


def _browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    if not (chromium and driver):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI must install chromium and chromium-driver (see .ci/run)")
        pytest.skip("headless Chromium and chromedriver are not installed")
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1600"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    from selenium.webdriver.chrome.service import Service
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def test_page_in_headless_chromium(report, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    browser = _browser()
    try:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select
        browser.get(page.as_uri())
        rows = browser.find_elements(By.CSS_SELECTOR, "#claims tbody tr")
        assert len(rows) == len(report["claims"])
        assert all(r.is_displayed() for r in rows)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / "report.png"))
        Select(browser.find_element(By.ID, "filter-status")).select_by_value("pass")
        shown = [r for r in rows if r.is_displayed()]
        passing = sum(c["status"] == "pass" for c in report["claims"])
        assert len(shown) == passing < len(rows)
        assert all(r.get_attribute("data-status") == "pass" for r in shown)
        assert browser.find_element(By.ID, "shown-count").text == str(passing)
        search = browser.find_element(By.ID, "filter-search")
        target = report["claims"][0]["id"]
        Select(browser.find_element(By.ID, "filter-status")).select_by_value("")
        search.send_keys(target)
        assert [r.get_attribute("data-search").split()[0] for r in rows if r.is_displayed()] == [target]
        errors = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
        assert errors == [], errors
        assert browser.execute_script("return window.hacked === undefined")
    finally:
        browser.quit()


def test_run_result_shows_the_table_in_jupyter():
    from proofs_checks import RunResult, run
    result = run(claims=_cheap_ids(1)[:2], seed=1)
    assert isinstance(result, RunResult) and result["schema"] == "rnnproof.report/1"
    page = result._repr_html_()
    assert page.count("<tr data-paper=") == 2 and 'id="claims"' in page
    assert "2 passed" in repr(result) or "passed" in repr(result)
