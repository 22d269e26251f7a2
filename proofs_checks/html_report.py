"""A self-contained HTML page for a run or a sweep report: one file, inline CSS and JS, offline.

What a researcher wants after a run: the summary, the failures first (counterexample, reproduce
command with a copy button), every claim against its tolerance on one shared axis
(log10 error/tolerance), filters by paper and status, a search box, the environment, and the
figures of ``reproduce``/``experiment`` inline. Every value from the report is HTML-escaped; the
report is data from anywhere.
"""

from __future__ import annotations

import base64
import html
import json
import math
from pathlib import Path
from typing import Iterable, Optional

__all__ = ["render_html", "claims_table_html", "collect_figures", "AXIS_MIN", "AXIS_MAX"]

# The shared axis of log10(error/tolerance): 0 is the tolerance; -16 is round-off against O(1).
AXIS_MIN, AXIS_MAX = -16.0, 2.0
STATUS_ORDER = {"fail": 0, "error": 1, "not_applicable": 2, "pass": 3}

_CSS = """
:root { --pass:#1a7f37; --fail:#cf222e; --error:#9a6700; --na:#57606a; --bar:#0969da; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
       color: #1f2328; background: #fff; }
header { padding: 16px 24px; border-bottom: 1px solid #d0d7de; background: #f6f8fa; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
main { padding: 0 24px 32px; }
.summary { font-size: 15px; } .summary b { font-variant-numeric: tabular-nums; }
.controls { display: flex; gap: 12px; flex-wrap: wrap; align-items: center; margin: 16px 0 8px; }
.controls label { display: flex; gap: 4px; align-items: center; }
input[type=search] { padding: 4px 8px; min-width: 260px; border: 1px solid #d0d7de; border-radius: 6px; }
select { padding: 3px 6px; border: 1px solid #d0d7de; border-radius: 6px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
th { position: sticky; top: 0; background: #fff; border-bottom: 2px solid #d0d7de; }
td.num { font-variant-numeric: tabular-nums; text-align: right; white-space: nowrap; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
.status { font-weight: 600; }
.status-pass { color: var(--pass); } .status-fail { color: var(--fail); }
.status-error { color: var(--error); } .status-not_applicable { color: var(--na); }
.axis { position: relative; height: 14px; min-width: 220px; background: #f6f8fa;
        border: 1px solid #eaeef2; }
.axis .tol { position: absolute; top: -2px; bottom: -2px; width: 2px; background: var(--fail); }
.axis .range { position: absolute; top: 4px; height: 6px; background: #9ec5fe; }
.axis .mark { position: absolute; top: 1px; width: 8px; height: 12px; margin-left: -4px;
              background: var(--bar); border-radius: 2px; }
.axis .mark.over { background: var(--fail); }
.axis-labels { display: flex; justify-content: space-between; font-size: 11px; color: #57606a; }
.failure { border: 1px solid #ffcecb; background: #fff8f7; border-radius: 6px; padding: 8px 12px;
           margin: 8px 0; }
.failure pre { white-space: pre-wrap; margin: 4px 0; }
.repro { display: flex; gap: 8px; align-items: center; }
button.copy { font-size: 12px; padding: 2px 8px; border: 1px solid #d0d7de; border-radius: 6px;
              background: #f6f8fa; cursor: pointer; }
details.env pre { background: #f6f8fa; padding: 8px; overflow: auto; }
figure { display: inline-block; margin: 8px 16px 8px 0; max-width: 46%; vertical-align: top; }
figure img { max-width: 100%; border: 1px solid #eaeef2; }
figcaption { font-size: 12px; color: #57606a; }
.detail { color: #57606a; font-size: 12px; max-width: 60ch; }
"""

_JS = """
(function () {
  var table = document.getElementById('claims');
  var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr'));
  var paper = document.getElementById('filter-paper');
  var status = document.getElementById('filter-status');
  var search = document.getElementById('filter-search');
  var shown = document.getElementById('shown-count');
  function apply() {
    var p = paper.value, s = status.value, q = search.value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (row) {
      var ok = (!p || row.dataset.paper === p) && (!s || row.dataset.status === s) &&
               (!q || row.dataset.search.indexOf(q) !== -1);
      row.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = String(count);
  }
  [paper, status].forEach(function (el) { el.addEventListener('change', apply); });
  search.addEventListener('input', apply);
  // #status=fail&paper=unitary&q=text in the address presets the filters (shareable views).
  var params = new URLSearchParams(window.location.hash.slice(1));
  if (params.get('status')) { status.value = params.get('status'); }
  if (params.get('paper')) { paper.value = params.get('paper'); }
  if (params.get('q')) { search.value = params.get('q'); }
  apply();
  Array.prototype.forEach.call(document.querySelectorAll('button.copy'), function (button) {
    button.addEventListener('click', function () {
      var text = button.dataset.copy;
      function done() { button.textContent = 'copied'; setTimeout(function () { button.textContent = 'copy'; }, 1500); }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
      } else { fallback(text); done(); }
    });
  });
  function fallback(text) {
    var area = document.createElement('textarea');
    area.value = text; document.body.appendChild(area); area.select();
    try { document.execCommand('copy'); } catch (e) { /* copying is a convenience */ }
    document.body.removeChild(area);
  }
})();
"""


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _num(x) -> str:
    if x is None:
        return "–"
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        if isinstance(x, float) and not math.isfinite(x):
            return "∞" if x > 0 else "−∞"
        if isinstance(x, float) and x < 0:
            return "≤ 0"  # a signed margin inside a one-sided bound: no error
        return f"{x:.2e}" if isinstance(x, float) else str(x)
    return _e(x)


def _position(ratio) -> Optional[float]:
    """Percent along the shared axis for error/tolerance ``ratio`` (clipped to the axis)."""
    if ratio is None or not isinstance(ratio, (int, float)) or isinstance(ratio, bool):
        return None
    if math.isnan(ratio):
        return None
    if ratio <= 0:
        value = AXIS_MIN
    elif math.isinf(ratio):
        value = AXIS_MAX
    else:
        value = min(AXIS_MAX, max(AXIS_MIN, math.log10(ratio)))
    return 100.0 * (value - AXIS_MIN) / (AXIS_MAX - AXIS_MIN)


def _axis(worst, low=None, high=None) -> str:
    parts = ['<div class="axis" role="img" aria-label="log10 error/tolerance">']
    tol = _position(1.0)
    parts.append(f'<span class="tol" style="left:{tol:.2f}%" title="tolerance"></span>')
    lo, hi = _position(low), _position(high)
    if lo is not None and hi is not None and hi > lo:
        parts.append(f'<span class="range" style="left:{lo:.2f}%;width:{hi - lo:.2f}%" '
                     f'title="min–max over cases"></span>')
    at = _position(worst)
    if at is not None:
        over = " over" if isinstance(worst, (int, float)) and worst > 1 else ""
        parts.append(f'<span class="mark{over}" style="left:{at:.2f}%" '
                     f'title="worst error/tolerance {_num(float(worst))}"></span>')
    parts.append("</div>")
    return "".join(parts)


def _axis_header() -> str:
    ticks = [int(AXIS_MIN), -12, -8, -4, 0, int(AXIS_MAX)]
    return ('<div class="axis-labels">' + "".join(f"<span>10<sup>{t}</sup></span>" for t in ticks)
            + "</div>")


def _ratio_of(record: dict):
    """The worst error/tolerance of a run record (its ratio summary, else max_error/tolerance)."""
    ratios = record.get("ratios") or {}
    if isinstance(ratios, dict) and isinstance(ratios.get("max"), (int, float)):
        return ratios["max"]
    err, tol = record.get("max_error"), (record.get("tolerance") or {}).get("value")
    if isinstance(err, (int, float)) and isinstance(tol, (int, float)) and tol > 0:
        return max(err, 0.0) / tol
    if record.get("status") == "fail":
        return math.inf
    return None


def _run_rows(claims: list) -> tuple[list, list]:
    rows, failures = [], []
    for r in claims:
        tol = r.get("tolerance") or {}
        ratios = r.get("ratios") or {}
        status = str(r.get("status", "error"))
        search = " ".join(str(r.get(k, "")) for k in ("id", "title", "paper", "status")).lower()
        rows.append(
            f'<tr data-paper="{_e(r.get("paper"))}" data-status="{_e(status)}" data-search="{_e(search)}">'
            f'<td><code>{_e(r.get("id"))}</code><div class="detail">{_e(r.get("title"))}</div></td>'
            f'<td class="status status-{_e(status)}">{_e(status.replace("_", " "))}</td>'
            f'<td>{_e(tol.get("class") or "–")}</td>'
            f'<td class="num">{_num(r.get("cases"))}</td>'
            f'<td class="num">{_num(r.get("max_error"))}</td>'
            f'<td class="num">{_num(tol.get("value"))}</td>'
            f'<td>{_axis(_ratio_of(r), ratios.get("min"), ratios.get("max"))}</td></tr>')
        if status in ("fail", "error"):
            failures.append(_failure_block(r.get("id"), status, r.get("detail"), r.get("counterexample"),
                                           r.get("reproduce")))
    return rows, failures


def _failure_block(claim_id, status, detail, counterexample, reproduce, seed=None) -> str:
    where = f" seed {_e(seed)}" if seed is not None else ""
    parts = [f'<div class="failure"><b class="status status-{_e(status)}">{_e(str(status).upper())}</b> '
             f'<code>{_e(claim_id)}</code>{where}<pre>{_e(detail)}</pre>']
    if counterexample:
        parts.append(f"<pre>counterexample: {_e(json.dumps(counterexample, default=str))}</pre>")
    if reproduce:
        parts.append(f'<div class="repro"><code>{_e(reproduce)}</code>'
                     f'<button class="copy" type="button" data-copy="{_e(reproduce)}">copy</button></div>')
    parts.append("</div>")
    return "".join(parts)


def _sweep_rows(claims: list) -> tuple[list, list]:
    rows, failures = [], []
    for c in claims:
        status = "fail" if c.get("failed") else "error" if c.get("errors") else (
            "pass" if c.get("passed") else "not_applicable")
        ratios = c.get("ratios") or {}
        counts = f'{c.get("passed", 0)} / {c.get("failed", 0)} / {c.get("not_applicable", 0)} / {c.get("errors", 0)}'
        search = " ".join(str(c.get(k, "")) for k in ("id", "title", "paper")).lower() + " " + status
        worst = c.get("worst_ratio")
        if worst is None and c.get("worst_ratio_text") == "inf":
            worst = math.inf
        rows.append(
            f'<tr data-paper="{_e(c.get("paper"))}" data-status="{_e(status)}" data-search="{_e(search)}">'
            f'<td><code>{_e(c.get("id"))}</code><div class="detail">{_e(c.get("title"))}</div></td>'
            f'<td class="status status-{_e(status)}">{_e(status.replace("_", " "))}</td>'
            f'<td>{_e((c.get("tolerance") or {}).get("class") or "–")}</td>'
            f'<td class="num">{_e(counts)}</td>'
            f'<td class="num">{_num(worst)}</td>'
            f'<td class="num">{_e(c.get("worst_seed") if c.get("worst_seed") is not None else "–")}</td>'
            f'<td>{_axis(worst, ratios.get("min"), ratios.get("max"))}</td></tr>')
        for f in c.get("failures") or ():
            failures.append(_failure_block(c.get("id"), f.get("status"), f.get("detail"), None,
                                           f.get("reproduce"), seed=f.get("seed")))
    return rows, failures


def _select(element_id: str, label: str, options: Iterable[str]) -> str:
    opts = "".join(f'<option value="{_e(o)}">{_e(o.replace("_", " "))}</option>' for o in options)
    return (f'<label>{_e(label)} <select id="{element_id}"><option value="">all</option>{opts}'
            "</select></label>")


def claims_table_html(rows: list, sweep: bool, papers: list, statuses: list) -> str:
    """The filter controls and the claims table (also the body of ``_repr_html_``)."""
    if sweep:
        head = ("<th>claim</th><th>status</th><th>class</th><th>pass / fail / n.a. / error</th>"
                "<th>worst error/tol</th><th>worst seed</th>")
    else:
        head = ("<th>claim</th><th>status</th><th>class</th><th>cases</th><th>max error</th>"
                "<th>tolerance</th>")
    controls = ('<div class="controls">' + _select("filter-paper", "paper", papers)
                + _select("filter-status", "status", statuses)
                + '<label>search <input id="filter-search" type="search" placeholder="claim ID or title"></label>'
                + f'<span><span id="shown-count">{len(rows)}</span> of {len(rows)} claims shown</span></div>')
    return (controls + '<table id="claims"><thead><tr>' + head
            + f'<th>log<sub>10</sub> error/tolerance{_axis_header()}</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")


def collect_figures(folder) -> list[tuple[str, bytes]]:
    """Every PNG below ``folder`` (from ``reproduce`` or ``experiment``), sorted by path."""
    root = Path(folder)
    return [(str(p.relative_to(root)), p.read_bytes()) for p in sorted(root.rglob("*.png")) if p.is_file()]


def render_html(report: dict, figures: Optional[list] = None, title: Optional[str] = None) -> str:
    """The whole page for an ``rnnproof.report/1`` or ``rnnproof.sweep/1`` report."""
    sweep = report.get("schema") == "rnnproof.sweep/1"
    claims = list(report.get("claims") or [])
    claims.sort(key=lambda c: STATUS_ORDER.get(
        "fail" if sweep and c.get("failed") else "error" if sweep and c.get("errors") else c.get("status"), 3))
    rows, failures = (_sweep_rows if sweep else _run_rows)(claims)
    papers = list(dict.fromkeys(str(c.get("paper")) for c in claims))
    statuses = [s for s in ("fail", "error", "not_applicable", "pass")]
    if sweep:
        seeds = report.get("seeds") or []
        what = (f"sweep over {len(seeds)} seeds ({_e(_seed_text(seeds))}), profile {_e(report.get('profile'))}")
        summary = _e(report.get("summary", ""))
        stat = report.get("statistical") or {}
        if stat.get("alpha_per_check") is not None:
            alpha = float(stat["alpha_per_check"])
            summary += f"; statistical checks at α = {alpha:.2g} each"
    else:
        s = report.get("summary") or {}
        what = f"run, seed {_e(report.get('seed'))}, profile {_e(report.get('profile'))}"
        summary = (f"<b>{_e(s.get('passed', 0))}</b> passed, <b>{_e(s.get('failed', 0))}</b> failed, "
                   f"<b>{_e(s.get('not_applicable', 0))}</b> not applicable, "
                   f"<b>{_e(s.get('errors', 0))}</b> errors")
    seconds = report.get("seconds")
    if isinstance(seconds, (int, float)):
        what += f", {seconds:.1f} s"
    body = [f"<header><h1>{_e(title or 'rnnproof report')}</h1>"
            f'<div class="summary" id="summary">{summary}</div><div>{what}</div></header><main>']
    if failures:
        body.append(f'<h2 id="failures">Failures and errors ({len(failures)})</h2>' + "".join(failures))
    body.append("<h2>Claims</h2>" + claims_table_html(rows, sweep, papers, statuses))
    if figures:
        body.append("<h2>Figures</h2>")
        for name, data in figures:
            encoded = base64.b64encode(data).decode("ascii")
            body.append(f'<figure><img alt="{_e(name)}" src="data:image/png;base64,{encoded}">'
                        f"<figcaption>{_e(name)}</figcaption></figure>")
    env = report.get("environment")
    if env:
        body.append('<details class="env"><summary>Environment</summary><pre>'
                    + _e(json.dumps(env, indent=2, default=str)) + "</pre></details>")
    body.append("</main>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(title or 'rnnproof report')}</title><style>{_CSS}</style></head><body>"
            + "".join(body) + f"<script>{_JS}</script></body></html>\n")


def _seed_text(seeds: list) -> str:
    if seeds and seeds == list(range(seeds[0], seeds[0] + len(seeds))):
        return f"{seeds[0]}..{seeds[-1]}"
    return ",".join(str(s) for s in seeds[:10]) + ("…" if len(seeds) > 10 else "")
