"""Foundation: network file, registry, runner outcomes, reports, CLI plumbing."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import sympy

from numerics import InputError, RNNSpec, load_network, save_network
from proofs_checks import registry as reg
from proofs_checks.cli import main
from proofs_checks.latexdoc import tex_text
from proofs_checks.report import REPORT_SCHEMA, build_report, summary_line, write_json
from proofs_checks.runner import run_claim, run_claims


# -- network file --------------------------------------------------------------------------------
def test_network_round_trip(tmp_path):
    rng = np.random.default_rng(1)
    spec = RNNSpec(W=rng.standard_normal((3, 3)), B=rng.standard_normal((3, 2)), b=np.ones(3),
                   C=rng.standard_normal((1, 3)), d=np.zeros(1), activation="relu", time="discrete",
                   alpha=0.5)
    path = tmp_path / "net.npz"
    save_network(path, spec)
    back = load_network(path)
    for key in ("W", "B", "b", "C", "d"):
        np.testing.assert_array_equal(getattr(back, key), getattr(spec, key))
    assert (back.activation, back.time, back.alpha, back.n, back.m, back.k) == ("relu", "discrete", 0.5, 3, 2, 1)
    assert os.listdir(tmp_path) == ["net.npz"]  # atomic write leaves no temporary file


BAD_SPECS = [
    (dict(W=np.ones((2, 3))), "W must be a square matrix"),
    (dict(W=np.array([[np.nan, 0], [0, 1]])), "W contains NaN"),
    (dict(W=np.eye(2), activation="gelu"), "activation must be one of"),
    (dict(W=np.eye(2), B=np.ones((3, 1))), "B must have n = 2 rows"),
    (dict(W=np.eye(2), C=np.ones((1, 3))), "C must have n = 2 columns"),
    (dict(W=np.eye(2), d=np.ones(1)), "d is given but C is not"),
    (dict(W=np.eye(2), tau=np.array([1.0, -1.0])), "tau must be positive"),
    (dict(W=np.eye(2), time="discrete", alpha=1.5), "alpha must lie in (0, 1]"),
    (dict(W=np.eye(2), alpha=0.5), "alpha (leak) applies to discrete time only"),
    (dict(W=np.eye(2), form="srnn"), "form=srnn needs gamma"),
    (dict(W=np.eye(2), gamma=np.ones(2)), "gamma and sigma belong to form=srnn"),
    (dict(W=np.eye(2), time="sometimes"), "time must be one of"),
    (dict(W=np.array([[True]])), "must be a numeric array"),
]


@pytest.mark.parametrize("kwargs, message", BAD_SPECS, ids=[m for _, m in BAD_SPECS])
def test_network_validation_names_the_problem(kwargs, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        RNNSpec(**kwargs)


def _write(path, **arrays):
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)
    return path


@pytest.mark.parametrize("arrays, message", [
    (dict(W=np.eye(2), bogus=np.ones(2)), "unknown key 'bogus'"),
    (dict(B=np.ones((2, 1))), "required key 'W'"),
    (dict(W=np.array([object(), 1], dtype=object)), "object arrays or pickles"),
    (dict(W=np.eye(2), format=np.array("rnnproof.network/9")), "not supported"),
    (dict(W=np.eye(2), activation=np.array(3)), "activation must be a string"),
])
def test_network_file_errors(tmp_path, arrays, message):
    with pytest.raises(InputError, match=message):
        load_network(_write(tmp_path / "bad.npz", **arrays))


def test_network_file_missing_and_garbage(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_network(tmp_path / "nope.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a readable"):
        load_network(tmp_path / "junk.npz")
    np.save(tmp_path / "single.npy", np.eye(2))
    with pytest.raises(InputError, match="must be an .npz archive"):
        load_network(tmp_path / "single.npy")


def test_spec_arrays_are_read_only():
    spec = RNNSpec(W=np.eye(2))
    with pytest.raises(ValueError):
        spec.W[0, 0] = 5.0


# -- registry and runner -------------------------------------------------------------------------
@pytest.fixture
def demo_claims():
    """Register throw-away claims of a fake paper and remove them afterwards."""
    added = []

    def add(slug, numeric, symbolic=None, network=None):
        claim = reg.Claim(id=f"demo.{slug}", paper="demo", title=f"demo {slug}", reference="test",
                          statement=lambda: sympy.Eq(sympy.Symbol("a"), sympy.Symbol("a"), evaluate=False),
                          hypotheses=("none",), tolerance=reg.Tolerance("1e-12", "test"),
                          numeric=numeric, symbolic=symbolic, network=network)
        reg.register(claim)
        added.append(claim.id)
        return claim.id

    yield add
    for cid in added:
        reg._REGISTRY.pop(cid, None)


def _trace_check(ctx):
    for rng in ctx.instances():
        A = rng.standard_normal((4, 4))
        ctx.record(abs(np.trace(A) - np.linalg.eigvals(A).sum().real), 1e-12, n=4)


def test_outcomes(demo_claims):
    ok = demo_claims("ok", _trace_check, symbolic=lambda: reg.Proof(True, "trivial"))
    bad = demo_claims("bad", lambda ctx: [ctx.record(1.0, 0.5) for _ in ctx.instances()])
    na = demo_claims("na", lambda ctx: (_ for _ in ()).throw(reg.NotApplicable("D singular")))
    err = demo_claims("err", lambda ctx: 1 / 0)
    empty = demo_claims("empty", lambda ctx: None)
    disproved = demo_claims("disproved", _trace_check, symbolic=lambda: reg.Proof(False, "nope"))
    results = {r["id"]: r for r in run_claims([ok, bad, na, err, empty, disproved], seed=3, examples=5)}
    assert results[ok]["status"] == "pass" and results[ok]["cases"] == 5
    assert results[ok]["symbolic"] == "proved"
    assert results[bad]["status"] == "fail" and results[bad]["counterexample"]["instance"] in range(5)
    assert results[bad]["reproduce"] == "rnnproof run --claim demo.bad --seed 3 --examples 5 --profile quick"
    assert results[na]["status"] == "not_applicable" and "D singular" in results[na]["detail"]
    assert results[err]["status"] == "error" and "ZeroDivisionError" in results[err]["detail"]
    assert results[empty]["status"] == "error" and "no case" in results[empty]["detail"]
    assert results[disproved]["status"] == "fail"


def test_instances_are_reproducible_and_independent_of_order(demo_claims):
    seen = []

    def grab(ctx):
        for rng in ctx.instances():
            seen.append((ctx.claim_id, rng.random()))
            ctx.record(0.0, 1.0)

    a, b = demo_claims("a", grab), demo_claims("b", grab)
    run_claims([a, b], seed=7, examples=2)
    first = sorted(seen)
    seen.clear()
    run_claims([b, a], seed=7, examples=2)
    assert sorted(seen) == first
    seen.clear()
    run_claims([a, b], seed=8, examples=2)
    assert sorted(seen) != first


def test_duplicate_and_malformed_ids(demo_claims):
    cid = demo_claims("dup", _trace_check)
    with pytest.raises(ValueError, match="registered twice"):
        reg.register(reg.get_claim(cid))
    with pytest.raises(ValueError, match="<paper>.<slug>"):
        reg.Claim(id="other.x", paper="demo", title="t", reference="r", statement=lambda: None,
                  hypotheses=(), tolerance=reg.Tolerance("", ""), numeric=_trace_check)
    with pytest.raises(KeyError, match="unknown claim ID"):
        reg.get_claim("demo.nothing_like_this")


def test_network_mode_outcomes(demo_claims, tmp_path):
    path = tmp_path / "net.npz"
    save_network(path, RNNSpec(W=0.5 * np.eye(3)))

    def on_network(ctx, spec):
        ctx.record(abs(np.trace(spec.W) - 1.5), 1e-15, n=spec.n)

    takes = demo_claims("takes", _trace_check, network=on_network)
    ignores = demo_claims("ignores", _trace_check)
    results = {r["id"]: r for r in run_claims([takes, ignores], network_path=str(path))}
    assert results[takes]["status"] == "pass" and results[takes]["cases"] == 1
    assert results[ignores]["status"] == "not_applicable"
    assert "--network" in results[takes]["reproduce"]


def test_report_json_and_summary(demo_claims, tmp_path):
    ok = demo_claims("rep", _trace_check)
    report = build_report(run_claims([ok]), seed=0, profile="quick", seconds=0.1)
    path = tmp_path / "r.json"
    write_json(path, report)
    data = json.loads(path.read_text())
    assert data["schema"] == REPORT_SCHEMA
    assert set(data) >= {"schema", "seed", "profile", "seconds", "environment", "claims", "summary"}
    assert set(data["claims"][0]) >= {"id", "paper", "title", "status", "symbolic", "cases", "max_error",
                                      "tolerance", "seconds", "detail", "reproduce"}
    assert summary_line(data["summary"]) == "1 passed, 0 failed, 0 not applicable, 0 errors"


def test_cli_exit_codes_in_process(demo_claims, tmp_path, capsys):
    ok, bad = demo_claims("cli_ok", _trace_check), demo_claims("cli_bad", lambda c: c.record(2.0, 1.0))
    report = tmp_path / "out.json"
    assert main(["run", "--claim", ok, "--json", str(report), "--quiet"]) == 0
    assert json.loads(report.read_text())["summary"]["passed"] == 1
    assert main(["run", "--claim", ok, "--claim", bad, "--quiet"]) == 1
    out = capsys.readouterr().out
    assert out.rstrip().splitlines()[-1] == "1 passed, 1 failed, 0 not applicable, 0 errors"
    assert "reproduce: rnnproof run --claim demo.cli_bad --seed 0" in out


def test_parallel_jobs_match_serial():
    claims = [c.id for c in reg.all_claims()][:4]
    if len(claims) < 2:
        pytest.skip("needs registered paper claims")
    serial, parallel = run_claims(claims, jobs=1), run_claims(claims, jobs=2)
    strip = lambda rs: [(r["id"], r["status"], r["cases"], r["seed"]) for r in rs]  # noqa: E731
    assert strip(parallel) == strip(serial)
    # Same instances; the worst error may differ in its last bits when BLAS threading differs
    # between the parent and a worker process (blocked reductions are summed in another order).
    for a, b in zip(serial, parallel):
        assert (a["max_error"] is None) == (b["max_error"] is None)
        if a["max_error"] is not None:
            assert b["max_error"] == pytest.approx(a["max_error"], rel=1e-3, abs=1e-14)


# -- text conversion for LaTeX -------------------------------------------------------------------
def test_every_registered_text_converts_to_latex():
    for claim in reg.all_claims():
        for text in (claim.title, claim.reference, claim.tolerance.rule, claim.tolerance.reason,
                     claim.note, *claim.hypotheses):
            tex_text(text, strict=True)  # raises on a character without a LaTeX form


def test_tex_text_escapes_specials():
    assert tex_text("50% & $5 #{a}~") == r"50\% \& \$5 \#\{a\}\textasciitilde{}"
    assert tex_text("run_claim and x_1") == r"run\_claim and x\ensuremath{_{\text{1}}}"
    with pytest.raises(ValueError, match="U\\+2603"):
        tex_text("snow ☃", strict=True)


# -- CLI in a subprocess -------------------------------------------------------------------------
def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "proofs_checks", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


@pytest.mark.parametrize("args, fragment", [
    (["run", "--claim", "nope.nothing"], "unknown claim ID"),
    (["run", "--paper", "astrology"], "unknown paper"),
    (["run", "--network", "missing.npz"], "network file not found"),
    (["run", "--examples", "0"], "expected a positive integer"),
    (["derive", "no_such_topic"], "unknown topic"),
    (["latex", "--results", "missing.json"], "cannot read the JSON report"),
    (["experiment", "no.such"], "unknown experiment"),
    (["frobnicate"], "invalid choice"),
])
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, args, fragment):
    proc = _cli(*args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert fragment in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert os.listdir(tmp_path) == []


def test_cli_list_json():
    proc = _cli("list", "--json")
    assert proc.returncode == 0
    listed = json.loads(proc.stdout)
    assert len({c["id"] for c in listed}) == len(listed)
