"""Bad input never hurts: a table of hostile inputs for every command, plus Hypothesis-made files.

Each case asserts exit status 2, exactly one line on stderr that starts with the command's prefix,
no traceback, nothing created or changed in the workspace (no output file, inputs byte-identical,
no ``MARKER`` file from a pickle payload). The cases that would exhaust memory or time without
their guard run in a subprocess under ``resource.setrlimit(RLIMIT_AS)``, so a regression fails the
test and not the machine.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from fuzz_files import MARKER, build_workspace, npy_bytes, snapshot, valid_report, zip_bytes
from proofs_checks.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    return str(root), build_workspace(root)


# (case id, argv template, a fragment the one error line must contain). Templates name workspace files.
CASES = [
    # -- urnn -------------------------------------------------------------------------------------
    ("urnn-out-is-input", "urnn {net} --input-bound 1 --out {net}", "destroy the input"),
    ("urnn-out-hardlink-of-input", "urnn {net} --input-bound 1 --out {net_link}", "destroy the input"),
    ("urnn-out-symlink-to-input", "urnn {net} --input-bound 1 --out {net_sym}", "destroy the input"),
    ("urnn-json-is-out", "urnn {net} --input-bound 1 --out {out_npz} --json {out_npz}", "own path"),
    ("urnn-json-is-input", "urnn {net} --input-bound 1 --out {out_npz} --json {net}", "destroy the input"),
    ("urnn-out-missing-folder", "urnn {net} --input-bound 1 --out {nodir_npz}", "does not exist"),
    ("urnn-out-proc", "urnn {net} --input-bound 1 --out /proc/x.npz", "cannot create"),
    ("urnn-out-folder", "urnn {net} --input-bound 1 --out {adir}", "is a folder"),
    ("urnn-json-proc", "urnn {net} --input-bound 1 --out {out_npz} --json /proc/r.json", "cannot create"),
    ("urnn-seed-negative", "urnn {net} --input-bound 1 --out {out_npz} --seed -1", "--seed"),
    ("urnn-seed-huge", "urnn {net} --input-bound 1 --out {out_npz} --seed 1" + "0" * 40, "--seed"),
    ("urnn-bound-huge", "urnn {net} --input-bound 1e308 --out {out_npz}", "overflow"),
    ("urnn-bound-nan", "urnn {net} --input-bound nan --out {out_npz}", "--input-bound"),
    ("urnn-bound-inf", "urnn {net} --input-bound inf --out {out_npz}", "--input-bound"),
    ("urnn-bound-negative", "urnn {net} --input-bound -1 --out {out_npz}", "--input-bound"),
    ("urnn-check-trials-negative", "urnn {net} --input-bound 1 --out {out_npz} --check-trials -1", "--check-trials"),
    ("urnn-horizon-zero", "urnn {orth} --input-bound 1 --out {out_npz} --horizon 0", "--horizon"),
    ("urnn-not-contractive", "urnn {orth} --input-bound 1 --out {out_npz}", "contractive"),
    ("urnn-text-network", "urnn {text_npz} --input-bound 1 --out {out_npz}", "never loaded"),
    ("urnn-pickle-network", "urnn {evil_npz} --input-bound 1 --out {out_npz}", "never loaded"),
    ("urnn-object-array", "urnn {obj_npz} --input-bound 1 --out {out_npz}", "never loaded"),
    ("urnn-npy-network", "urnn {single} --input-bound 1 --out {out_npz}", ".npz"),
    ("urnn-huge-w-header", "urnn {huge_w} --input-bound 1 --out {out_npz}", "truncated"),
    ("urnn-missing-network", "urnn {missing} --input-bound 1 --out {out_npz}", "not found"),
    ("urnn-folder-network", "urnn {adir} --input-bound 1 --out {out_npz}", "folder"),
    ("urnn-empty-network", "urnn {empty_npz} --input-bound 1 --out {out_npz}", "zip"),
    ("urnn-truncated-network", "urnn {truncated} --input-bound 1 --out {out_npz}", "readable"),
    ("urnn-smooth-network", "urnn {tanh} --input-bound 1 --out {out_npz}", "relu"),
    ("urnn-big-network-memory", "urnn {big} --input-bound 1 --out {out_npz} --max-memory 2M", "--max-memory"),
    ("urnn-zip-bomb", "urnn {zip_bomb} --input-bound 1 --out {out_npz} --max-memory 16M", "--max-memory"),
    ("urnn-bad-max-memory", "urnn {net} --input-bound 1 --out {out_npz} --max-memory lots", "--max-memory"),
    # -- equivalent -------------------------------------------------------------------------------
    ("equivalent-counterexample-is-input", "equivalent {net} {net2} --input-bound 1 --counterexample {net}",
     "destroy the input"),
    ("equivalent-json-is-input", "equivalent {net} {net2} --input-bound 1 --json {net2}", "destroy the input"),
    ("equivalent-json-is-counterexample", "equivalent {net} {net2} --input-bound 1 --json {out_npz} "
     "--counterexample {out_npz}", "own path"),
    ("equivalent-steps-zero", "equivalent {net} {net2} --input-bound 1 --steps 0", "--steps"),
    ("equivalent-trials-negative", "equivalent {net} {net2} --input-bound 1 --trials -3", "--trials"),
    ("equivalent-seed-negative", "equivalent {net} {net2} --input-bound 1 --seed -1", "--seed"),
    ("equivalent-rtol-one", "equivalent {net} {net2} --input-bound 1 --rtol 1", "--rtol"),
    ("equivalent-text-network", "equivalent {text_npz} {net2} --input-bound 1", "never loaded"),
    ("equivalent-continuous", "equivalent {cont} {net2} --input-bound 1", "discrete"),
    ("equivalent-json-missing-folder", "equivalent {net} {net2} --input-bound 1 --json {nodir}", "does not exist"),
    # -- linearize --------------------------------------------------------------------------------
    ("linearize-json-is-network", "linearize {cont} --json {cont}", "destroy the input"),
    ("linearize-json-is-input", "linearize {cont} --input {u} --json {u}", "destroy the input"),
    ("linearize-complex-w", "linearize {complex_w}", "complex"),
    ("linearize-huge-entries", "linearize {big_w}", "overflow"),
    ("linearize-nan-w", "linearize {nan_w}", "NaN"),
    ("linearize-1d-w", "linearize {w_1d}", "dimension"),
    ("linearize-string-w", "linearize {str_w}", "numbers"),
    ("linearize-bool-w", "linearize {bool_w}", "W"),
    ("linearize-no-w", "linearize {no_w}", "'W'"),
    ("linearize-unknown-key", "linearize {unknown_key}", "unknown key"),
    ("linearize-injected-activation", "linearize {inject_act}", "activation"),
    ("linearize-txt-member", "linearize {txt_member}", "not an .npy"),
    ("linearize-lying-header", "linearize {lying_header}", "truncated"),
    ("linearize-bad-header", "linearize {bad_header}", "header"),
    ("linearize-input-huge-header", "linearize {cont} --input {huge_npy}", "truncated"),
    ("linearize-input-text", "linearize {cont} --input {text_npy}", "never loaded"),
    ("linearize-input-pickle", "linearize {cont} --input {evil_npy}", "never loaded"),
    ("linearize-input-object", "linearize {cont} --input {obj_npy}", "never loaded"),
    ("linearize-input-npz", "linearize {cont} --input {input}", ".npz"),
    ("linearize-seed-negative", "linearize {cont} --seed -1", "--seed"),
    ("linearize-json-folder", "linearize {cont} --json {adir}", "folder"),
    ("linearize-relu-gain", "linearize {cont} --relu-gain-at-zero 2", "--relu-gain-at-zero"),
    # -- reconstruct ------------------------------------------------------------------------------
    ("reconstruct-out-is-nodes", "reconstruct {nodes} {u} --out {nodes}", "destroy the input"),
    ("reconstruct-out-is-inputs", "reconstruct {nodes} {u} --out {u}", "destroy the input"),
    ("reconstruct-json-proc-leaves-nothing", "reconstruct {nodes} {u} --out {out_npy} --json /proc/r.json",
     "cannot create"),
    ("reconstruct-json-is-out", "reconstruct {nodes} {u} --out {out_npy} --json {out_npy}", "own path"),
    ("reconstruct-out-not-npy", "reconstruct {nodes} {u} --out {out_json}", ".npy"),
    ("reconstruct-nodes-huge-header", "reconstruct {huge_npy} {u}", "truncated"),
    ("reconstruct-inputs-text", "reconstruct {nodes} {text_npy}", "never loaded"),
    ("reconstruct-b-pickle", "reconstruct {nodes} {u} --B {evil_npy}", "never loaded"),
    ("reconstruct-nodes-npz", "reconstruct {nodes_2d} {u}", ".npz"),
    ("reconstruct-nodes-strings", "reconstruct {nodes_str} {u}", "numbers"),
    ("reconstruct-seed-negative", "reconstruct {nodes} {u} --seed -1", "--seed"),
    ("reconstruct-decoder-unknown", "reconstruct {nodes} {u} --decoder magic", "--decoder"),
    # -- vandermonde ------------------------------------------------------------------------------
    ("vandermonde-huge-header", "vandermonde {huge_npy} --L 3", "truncated"),
    ("vandermonde-npz-nodes", "vandermonde {input} --L 3", ".npz"),
    ("vandermonde-L-zero", "vandermonde {nodes} --L 0", "--L"),
    ("vandermonde-L-text", "vandermonde {nodes} --L many", "--L"),
    ("vandermonde-json-is-nodes", "vandermonde {nodes} --L 3 --json {nodes}", "destroy the input"),
    ("vandermonde-nan-nodes", "vandermonde {nodes_nan} --L 2", "NaN"),
    ("vandermonde-pickle-nodes", "vandermonde {evil_npy} --L 2", "never loaded"),
    ("vandermonde-empty-file", "vandermonde {empty_npz} --L 2", "npy"),
    ("vandermonde-folder", "vandermonde {adir} --L 2", "folder"),
    # -- volterra ---------------------------------------------------------------------------------
    ("volterra-input-npy", "volterra {srnn} --input {single} --order 1", ".npz"),
    ("volterra-input-unknown-key", "volterra {srnn} --input {input_unknown} --order 1", "unknown key"),
    ("volterra-input-complex", "volterra {srnn} --input {input_complex} --order 1", "real"),
    ("volterra-input-text", "volterra {srnn} --input {text_npz} --order 1", "never loaded"),
    ("volterra-input-pickle", "volterra {srnn} --input {evil_npz} --order 1", "never loaded"),
    ("volterra-paths-small", "volterra {srnn} --input {input} --order 1 --paths 50", "--paths"),
    ("volterra-order-zero", "volterra {srnn} --input {input} --order 0", "--order"),
    ("volterra-order-huge", "volterra {srnn} --input {input} --order 1000", "--order"),
    ("volterra-seed-negative", "volterra {srnn} --input {input} --order 1 --seed -1", "--seed"),
    ("volterra-json-is-input", "volterra {srnn} --input {input} --order 1 --json {input}", "destroy the input"),
    ("volterra-not-srnn", "volterra {cont} --input {input} --order 1", "srnn"),
    # -- probe ------------------------------------------------------------------------------------
    ("probe-data-npy", "probe {tanh} --data {single}", ".npz"),
    ("probe-data-unknown-key", "probe {tanh} --data {data_unknown}", "unknown key"),
    ("probe-data-missing-key", "probe {tanh} --data {data_missing}", "y_test"),
    ("probe-data-pickle", "probe {tanh} --data {evil_npz}", "never loaded"),
    ("probe-data-object", "probe {tanh} --data {obj_npz}", "unknown key"),
    ("probe-data-huge-header", "probe {tanh} --data {huge_data}", "truncated"),
    ("probe-drift-negative", "probe {tanh} --data {data} --drift -1", "--drift"),
    ("probe-seed-negative", "probe {tanh} --data {data} --seed -1", "--seed"),
    ("probe-json-is-data", "probe {tanh} --data {data} --json {data}", "destroy the input"),
    ("probe-not-tanh", "probe {net} --data {data}", "discrete tanh"),
    # -- run / sweep ------------------------------------------------------------------------------
    ("run-seed-negative", "run --claim linearization.similarity --seed -1", "--seed"),
    ("run-json-missing-folder", "run --claim linearization.similarity --json {nodir}", "does not exist"),
    ("run-json-is-markdown", "run --claim linearization.similarity --json {out_json} --markdown {out_json}",
     "own path"),
    ("run-json-is-network", "run --claim linearization.similarity --network {cont} --json {cont}",
     "destroy the input"),
    ("run-html-folder", "run --claim linearization.similarity --html {adir}", "folder"),
    ("run-network-text", "run --claim linearization.similarity --network {text_npz}", "never loaded"),
    ("run-network-pickle", "run --claim linearization.similarity --network {evil_npz}", "never loaded"),
    ("run-examples-zero", "run --claim linearization.similarity --examples 0", "--examples"),
    ("run-examples-time", "run --claim linearization.similarity --examples 1000000 --max-seconds 60",
     "--max-seconds"),
    ("run-mnist-text", "run --paper geometry --mnist {text_npz}", "--mnist"),
    ("run-mnist-malformed", "run --paper geometry --mnist {mnist_bad}", "--mnist"),
    ("run-mnist-missing", "run --paper geometry --mnist {missing}", "--mnist"),
    ("run-paper-unknown", "run --paper nope", "nope"),
    ("run-claim-unknown", "run --claim nope.nothing", "nope"),
    ("run-figures-without-html", "run --claim linearization.similarity --figures {adir}", "--html"),
    ("run-profile-unknown", "run --profile slow", "--profile"),
    ("run-jobs-zero", "run --jobs 0", "--jobs"),
    ("sweep-seeds-negative", "sweep --claim linearization.similarity --seeds -1", "seeds"),
    ("sweep-seeds-huge", "sweep --claim linearization.similarity --seeds 0..1000000000000", "at most"),
    ("run-jobs-memory", "run --jobs 100000 --max-memory 1G", "--jobs"),
    ("docs-out-proc", "docs --out /proc/x", "cannot create"),
    ("search-json-proc", "search --claim linearization.similarity --budget 1 --json /proc/x.json", "cannot create"),
    ("search-counterexamples-proc", "search --claim linearization.similarity --budget 1 --counterexamples /proc/x",
     "cannot create"),
    ("sweep-json-missing-folder", "sweep --claim linearization.similarity --json {nodir}", "does not exist"),
    # -- latex / report ---------------------------------------------------------------------------
    ("latex-tex-seed", "latex --paper unitary --results {rep_tex_seed} --out {out_tex}", "seed"),
    ("latex-tex-summary", "latex --paper unitary --results {rep_tex_summary} --out {out_tex}", "summary"),
    ("latex-tex-profile", "latex --paper unitary --results {rep_tex_profile} --out {out_tex}", "profile"),
    ("latex-tex-cases", "latex --paper unitary --results {rep_tex_cases} --out {out_tex}", "cases"),
    ("latex-bad-status", "latex --paper unitary --results {rep_status} --out {out_tex}", "status"),
    ("latex-bad-id", "latex --paper unitary --results {rep_id} --out {out_tex}", "id"),
    ("latex-unknown-key", "latex --paper unitary --results {rep_unknown} --out {out_tex}", "unknown key"),
    ("latex-claim-unknown-key", "latex --paper unitary --results {rep_claim_unknown} --out {out_tex}",
     "unknown key"),
    ("latex-nan", "latex --paper unitary --results {rep_nan} --out {out_tex}", "NaN"),
    ("latex-bool-seed", "latex --paper unitary --results {rep_bool_seed} --out {out_tex}", "seed"),
    ("latex-negative-seed", "latex --paper unitary --results {rep_neg_seed} --out {out_tex}", "seed"),
    ("latex-wrong-schema", "latex --paper unitary --results {rep_schema} --out {out_tex}", "rnnproof.report/1"),
    ("latex-list", "latex --paper unitary --results {rep_list} --out {out_tex}", "rnnproof.report/1"),
    ("latex-text", "latex --paper unitary --results {rep_text} --out {out_tex}", "JSON"),
    ("latex-binary", "latex --paper unitary --results {rep_binary} --out {out_tex}", "JSON"),
    ("latex-deep", "latex --paper unitary --results {rep_deep} --out {out_tex}", "JSON"),
    ("latex-claims-string", "latex --paper unitary --results {rep_claims_str} --out {out_tex}", "claims"),
    ("latex-out-is-results", "latex --paper unitary --results {report_tex} --out {report_tex}", "destroy the input"),
    ("latex-out-missing-folder", "latex --paper unitary --out {nodir_tex}", "does not exist"),
    ("latex-out-not-tex", "latex --paper unitary --out {out_json}", ".tex"),
    ("latex-paper-unknown", "latex --paper nope", "nope"),
    ("latex-results-missing", "latex --paper unitary --results {missing} --out {out_tex}", "not found"),
    ("report-html-is-report", "report {report} --html {report}", "destroy the input"),
    ("report-text", "report {rep_text} --html {out_html}", "JSON"),
    ("report-list", "report {rep_list} --html {out_html}", "report"),
    ("report-tex-seed", "report {rep_tex_seed} --html {out_html}", "seed"),
    ("report-figures-missing", "report {report} --html {out_html} --figures {missing}", "--figures"),
    ("report-html-missing-folder", "report {report} --html {nodir}", "does not exist"),
    # -- experiment -------------------------------------------------------------------------------
    ("experiment-unknown", "experiment nope", "nope"),
    ("experiment-seed-negative", "experiment geometry.digits --seed -1", "--seed"),
    ("experiment-hidden-zero", "experiment geometry.digits --hidden 0", "--hidden"),
    ("experiment-hidden-huge", "experiment geometry.digits --hidden 10000000", "--hidden"),
    ("experiment-hidden-memory", "experiment geometry.digits --hidden 100000", "--max-memory"),
    ("experiment-out-is-file", "experiment geometry.digits --out {report}", "not a folder"),
    ("experiment-json-is-markdown", "experiment geometry.digits --json {out_json} --markdown {out_json}", "own path"),
    ("experiment-json-missing-folder", "experiment geometry.digits --json {nodir}", "does not exist"),
    ("experiment-reconstruction-memory", "experiment linear_recurrence.reconstruction --L 100000000", "--max-memory"),
    ("experiment-reconstruction-seed", "experiment linear_recurrence.reconstruction --seed -1", "--seed"),
    # -- the rest ---------------------------------------------------------------------------------
    ("derive-n-huge", "derive linearization --n 1000000", "--n"),
    ("derive-topic-unknown", "derive nothing.here", "nothing"),
    ("explain-unknown", "explain nope.nothing", "nope"),
    ("list-paper-unknown", "list --paper nope", "nope"),
    ("docs-out-file", "docs --out {report}", "not a folder"),
    ("search-seed-negative", "search --claim linearization.similarity --seed -1", "--seed"),
    ("search-budget-zero", "search --claim linearization.similarity --budget 0", "--budget"),
    ("no-command", "", "required"),
    ("unknown-command", "frobnicate", "frobnicate"),
    ("unknown-option", "list --frobnicate", "--frobnicate"),
]

# Without their guard these would allocate terabytes or run for days: a capped subprocess runs them.
MEMORY_CASES = [
    ("urnn-horizon-huge", "urnn {orth} --input-bound 1 --out {out_npz} --horizon 1000000000", "--max-memory"),
    ("equivalent-steps-trials-huge", "equivalent {net} {net2} --input-bound 1 --steps 1000000 --trials 100000",
     "--max-memory"),
    ("volterra-paths-huge", "volterra {srnn} --input {input} --order 4 --paths 100000000", "--max"),
    ("volterra-long-input", "volterra {srnn} --input {input_long} --order 2", "--max"),
    ("probe-drift-huge", "probe {tanh} --data {data} --drift 1000000 --max-seconds 600", "--max"),
    ("vandermonde-huge", "vandermonde {nodes} --L 1000000000", "--max-memory"),
    ("npy-header-claims-745-GiB", "vandermonde {huge_npy} --L 3", "truncated"),
    ("network-header-claims-20000", "linearize {huge_w}", "truncated"),
    ("big-network-under-small-limit", "linearize {big} --max-memory 4M", "--max-memory"),
    ("experiment-hidden-huge-memory", "experiment geometry.digits --hidden 100000", "--max-memory"),
]

_CAP = 2 * 2 ** 30  # RLIMIT_AS of the capped subprocess (numpy and scipy import within 1 GiB)


def _argv(template, paths):
    return [part.format(**paths) for part in template.split()]


def _assert_refused(code, err, fragment, before, after, argv):
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, (argv, code, err)
    assert len(lines) == 1, (argv, err)
    assert "Traceback" not in err, (argv, err)
    assert lines[0].startswith("rnnproof") and ": error: " in lines[0], (argv, lines[0])
    assert lines[0].count("error:") == 1, (argv, lines[0])  # no doubled prefix
    assert "allow_pickle" not in lines[0], (argv, lines[0])
    assert fragment in lines[0], (argv, fragment, lines[0])
    assert after == before, (argv, sorted(set(after.items()) ^ set(before.items())))


@pytest.mark.parametrize("name,template,fragment", CASES, ids=[c[0] for c in CASES])
def test_hostile_input_is_refused(workspace, capsys, name, template, fragment):
    root, paths = workspace
    argv = _argv(template, paths)
    before = snapshot(root)
    code = main(argv)
    err = capsys.readouterr().err
    _assert_refused(code, err, fragment, before, snapshot(root), argv)
    assert not os.path.exists(os.path.join(root, MARKER))


_CAPPED_RUNNER = r"""
import contextlib, io, json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
from proofs_checks.cli import main
out = []
for argv in json.loads(sys.stdin.read()):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(argv)
        except BaseException as exc:  # the test reports it
            code = repr(exc)
    out.append([code, err.getvalue()])
print(json.dumps(out))
"""


def test_memory_cases_are_refused_under_a_memory_cap(workspace):
    root, paths = workspace
    argvs = [_argv(t, paths) for _, t, _ in MEMORY_CASES]
    before = snapshot(root)
    env = dict(os.environ, PYTHONPATH=ROOT, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-c", _CAPPED_RUNNER.format(cap=_CAP)], input=json.dumps(argvs),
                          capture_output=True, text=True, env=env, cwd=root, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    for (name, _, fragment), argv, (code, err) in zip(MEMORY_CASES, argvs, results):
        _assert_refused(code, err, fragment, before, snapshot(root), [name] + argv)
    assert not os.path.exists(os.path.join(root, MARKER))


# -- Hypothesis: malformed .npy / .npz files and JSON reports --------------------------------------
_DESCRS = ["<f8", "<c16", "|O", "<U3", "|V8", ">i4", "|b1", "<f2", "<M8[s]", "garbage", "<f8", "<f8"]
_dims = st.integers(min_value=0, max_value=10 ** 12)


@st.composite
def npy_files(draw):
    """An .npy file: random bytes, or a header (random shape and dtype) with random data length."""
    if draw(st.booleans()) and draw(st.booleans()):
        return draw(st.binary(max_size=300))
    shape = tuple(draw(st.lists(st.one_of(st.integers(0, 4), _dims), max_size=3)))
    header = {"descr": draw(st.sampled_from(_DESCRS)), "fortran_order": draw(st.booleans()), "shape": shape}
    try:
        head = npy_bytes(header)
    except (ValueError, TypeError):
        head = npy_bytes({"descr": "<f8", "fortran_order": False, "shape": shape})
    if draw(st.booleans()):  # corrupt the header text
        cut = draw(st.integers(0, len(head)))
        head = head[:cut] + draw(st.binary(max_size=20)) + head[cut:]
    return head + draw(st.binary(max_size=200))


@st.composite
def npz_files(draw, keys):
    names = draw(st.lists(st.one_of(st.sampled_from(keys),
                                    st.text(alphabet="abcxyzW_.-0é/", min_size=1, max_size=8)
                                    .filter(lambda s: not s.endswith("/") and not s.startswith("/"))),
                          min_size=0, max_size=4, unique=True))
    members = {n + draw(st.sampled_from([".npy", ".npy", "", ".txt"])): draw(npy_files()) for n in names}
    data = zip_bytes(members)
    if draw(st.booleans()) and data:  # truncate or flip bytes of the archive
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(max_size=8)) + data[cut + 8:]
    return data


# RNNPROOF_FUZZ_EXAMPLES=1000 for a longer hunt than CI's 30 per test.
_FUZZ = settings(max_examples=int(os.environ.get("RNNPROOF_FUZZ_EXAMPLES", "30")), deadline=None,
                 suppress_health_check=list(HealthCheck))


def _run_in_process(argv):
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(argv)
    return code, err.getvalue()


def _check_file_case(argv_for, data, suffix, outputs=("out.json",)):
    with tempfile.TemporaryDirectory() as root:
        path = os.path.join(root, "input" + suffix)
        with open(path, "wb") as handle:
            handle.write(data)
        before = snapshot(root)
        argv = argv_for(path, root)
        code, err = _run_in_process(argv)
        assert code in (0, 1, 2), (argv, code, err)  # never an internal error (3)
        assert "Traceback" not in err and "allow_pickle" not in err, err
        after = snapshot(root)
        assert after.get("input" + suffix) == before["input" + suffix]  # the input is unchanged
        if code == 2:
            lines = [line for line in err.splitlines() if line.strip()]
            assert len(lines) == 1 and ": error: " in lines[0], err
            assert after == before, sorted(set(after) ^ set(before))
        assert set(after) - set(before) <= set(outputs), sorted(set(after) - set(before))


@_FUZZ
@given(data=npy_files())
def test_fuzzed_npy_nodes(data):
    _check_file_case(lambda p, r: ["vandermonde", p, "--L", "2", "--json", os.path.join(r, "out.json"),
                                   "--max-memory", "256M"], data, ".npy")


@_FUZZ
@given(data=npz_files(["W", "B", "b", "C", "activation", "time"]))
def test_fuzzed_npz_network(data):
    _check_file_case(lambda p, r: ["linearize", p, "--json", os.path.join(r, "out.json"), "--max-memory", "256M"],
                     data, ".npz")


@_FUZZ
@given(data=npz_files(["t", "u"]))
def test_fuzzed_npz_volterra_input(data):
    from numerics import RNNSpec, save_network
    with tempfile.TemporaryDirectory() as netdir:
        net = os.path.join(netdir, "srnn.npz")
        save_network(net, RNNSpec(W=0.2 * np.eye(2), B=np.ones((2, 1)), C=np.ones((1, 2)), form="srnn",
                                  gamma=np.ones(2)))
        _check_file_case(lambda p, r: ["volterra", net, "--input", p, "--order", "1", "--json",
                                       os.path.join(r, "out.json"), "--max-memory", "256M"], data, ".npz")


_json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) |
                            st.text(alphabet=st.sampled_from("ab\\{}$%&#_^~<>|\n 0") , max_size=12),
                            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                        max_size=3),
                            max_leaves=8)
_FIELDS = ["seed", "profile", "seconds", "summary", "claims", "schema", "environment", "extra",
           "claims.0.status", "claims.0.cases", "claims.0.max_error", "claims.0.id", "claims.0.tolerance",
           "summary.passed", "claims.0.title"]


@_FUZZ
@given(field=st.sampled_from(_FIELDS), value=_json_values)
def test_fuzzed_reports_never_reach_tex_unescaped(field, value):
    report = valid_report()
    *path, last = field.split(".")
    holder = report
    for key in path:
        holder = holder[int(key)] if isinstance(holder, list) else holder[key]
    holder[int(last) if isinstance(holder, list) else last] = value
    with tempfile.TemporaryDirectory() as root:
        path = os.path.join(root, "r.json")
        with open(path, "w") as handle:
            json.dump(report, handle)
        out = os.path.join(root, "out.tex")
        code, err = _run_in_process(["latex", "--paper", "unitary", "--results", path, "--out", out])
        assert code in (0, 2), (code, err)
        assert "Traceback" not in err
        if code == 2:
            assert len(err.strip().splitlines()) == 1 and not os.path.exists(out), err
        else:
            with open(out, encoding="utf-8") as handle:
                tex = handle.read()
            preamble_free = tex.split("\\begin{document}", 1)[1]
            for line in preamble_free.splitlines():
                if "Statuses are those" in line or "Last run" in line:
                    assert "\\input" not in line and "\n" not in line, line


@_FUZZ
@given(field=st.sampled_from(_FIELDS), value=_json_values)
def test_fuzzed_reports_for_the_html_page(field, value):
    report = valid_report()
    *path, last = field.split(".")
    holder = report
    for key in path:
        holder = holder[int(key)] if isinstance(holder, list) else holder[key]
    holder[int(last) if isinstance(holder, list) else last] = value
    with tempfile.TemporaryDirectory() as root:
        path = os.path.join(root, "r.json")
        with open(path, "w") as handle:
            json.dump(report, handle)
        out = os.path.join(root, "out.html")
        code, err = _run_in_process(["report", path, "--html", out])
        assert code in (0, 2) and "Traceback" not in err, (code, err)
        assert os.path.exists(out) == (code == 0), err
        if code == 2:
            assert len(err.strip().splitlines()) == 1, err
