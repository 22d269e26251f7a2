"""The input layer (``proofs_checks.inputs``, ``numerics.arrays``) and the CLI's error contract."""

from __future__ import annotations

import argparse
import json
import os
import stat

import numpy as np
import pytest

from fuzz_files import npy_bytes, valid_report, zip_bytes
from numerics import RNNSpec, save_network
from numerics.arrays import load_npy, npz_headers, staged_writes, write_atomic
from numerics.errors import InputError
from proofs_checks import inputs
from proofs_checks.cli import main


@pytest.fixture(autouse=True)
def _default_limits():
    inputs.set_limits()
    yield
    inputs.set_limits()


# -- headers before data ---------------------------------------------------------------------------
def test_npy_header_claiming_745_gib_is_refused_before_allocation(tmp_path):
    path = tmp_path / "huge.npy"
    path.write_bytes(npy_bytes({"descr": "<f8", "fortran_order": False, "shape": (10 ** 11,)}))
    assert path.stat().st_size < 200
    with pytest.raises(InputError, match="truncated.*745 GiB"):
        load_npy(path, "NODES")


def test_npz_member_header_is_checked_against_the_member_size(tmp_path):
    path = tmp_path / "w.npz"
    path.write_bytes(zip_bytes({"W.npy": npy_bytes({"descr": "<f8", "fortran_order": False,
                                                   "shape": (20000, 20000)}, b"\0" * 80)}))
    with pytest.raises(InputError, match=r"W\] is truncated or corrupt"):
        npz_headers(path, "NETWORK")


def test_npz_headers_report_shapes_without_reading(tmp_path):
    np.savez(tmp_path / "a.npz", t=np.zeros(5), u=np.zeros((5, 2), dtype=np.float32))
    headers = npz_headers(tmp_path / "a.npz", "--input", allowed=("t", "u"), required=("t", "u"))
    assert headers["t"][0] == (5,) and headers["u"][0] == (5, 2)
    assert headers["u"][2] == 5 * 2 * 4


def test_unknown_and_missing_keys(tmp_path):
    np.savez(tmp_path / "a.npz", t=np.zeros(5), u=np.zeros(5), v=np.zeros(1))
    with pytest.raises(InputError, match="unknown key 'v'"):
        npz_headers(tmp_path / "a.npz", "--input", allowed=("t", "u"))
    with pytest.raises(InputError, match="lacks key"):
        npz_headers(tmp_path / "a.npz", "--input", required=("t", "w"))


def test_text_file_never_shows_numpys_pickle_advice(tmp_path):
    (tmp_path / "t.npz").write_text("hello")
    (tmp_path / "t.npy").write_text("hello")
    for path, reader in ((tmp_path / "t.npz", lambda p: npz_headers(p, "--data")),
                         (tmp_path / "t.npy", lambda p: load_npy(p, "NODES"))):
        with pytest.raises(InputError) as info:
            reader(path)
        assert "allow_pickle" not in str(info.value) and "never loaded" in str(info.value)


def test_complex_weights_only_for_split_relu(tmp_path):
    np.savez(tmp_path / "c.npz", W=0.3j * np.eye(2))
    with pytest.raises(InputError, match="complex"):
        inputs.read_network_argument(tmp_path / "c.npz", "NETWORK")
    np.savez(tmp_path / "r.npz", W=0.3j * np.eye(2), activation=np.array("relu"), time=np.array("discrete"))
    assert np.iscomplexobj(inputs.read_network_argument(tmp_path / "r.npz", "NETWORK").W)


def test_entries_that_overflow_w_wt_are_refused(tmp_path):
    np.savez(tmp_path / "big.npz", W=1e200 * np.eye(3))
    with pytest.raises(InputError, match="overflow"):
        inputs.read_network_argument(tmp_path / "big.npz", "NETWORK")
    np.savez(tmp_path / "b150.npz", W=1e150 * np.eye(3))  # its W·Wᵀ is finite, W·Wᵀ·W is not
    with pytest.raises(InputError, match="overflow"):
        inputs.read_network_argument(tmp_path / "b150.npz", "NETWORK")
    limit = np.cbrt(np.finfo(float).max) / 3  # just below the bound is accepted
    np.savez(tmp_path / "ok.npz", W=0.99 * limit * np.eye(3))
    assert inputs.read_network_argument(tmp_path / "ok.npz", "NETWORK").n == 3


# -- resources -------------------------------------------------------------------------------------
def test_parse_size():
    assert inputs.parse_size("4G") == 4 * 2 ** 30
    assert inputs.parse_size("512MiB") == 512 * 2 ** 20
    assert inputs.parse_size("1.5GB") == 1_500_000_000
    for bad in ("", "lots", "-1G", "1K", "1e999G"):
        with pytest.raises(argparse.ArgumentTypeError):
            inputs.parse_size(bad)


def test_require_resources_names_the_estimate_and_the_flag():
    inputs.set_limits(max_memory=2 ** 30, max_seconds=60)
    inputs.require_resources("small", memory=2 ** 29, seconds=59)
    with pytest.raises(InputError, match=r"needs about 2 GiB.*above the limit 1 GiB; lower --L or raise --max-memory"):
        inputs.require_resources("x", memory=2 ** 31, lower="--L")
    with pytest.raises(InputError, match="--max-seconds"):
        inputs.require_resources("x", seconds=61)
    with pytest.raises(InputError, match="--max-memory"):
        inputs.require_resources("x", memory=float("nan"))


def test_default_memory_limit_is_a_fraction_of_the_machine():
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert 0 < inputs.default_max_memory() <= total


def test_max_memory_option_reaches_the_guard(tmp_path, capsys):
    save_network(tmp_path / "n.npz", RNNSpec(W=0.5 * np.eye(300)))
    assert main(["linearize", str(tmp_path / "n.npz")]) in (0, 1)
    capsys.readouterr()
    assert main(["linearize", str(tmp_path / "n.npz"), "--max-memory", "4M"]) == 2
    assert "--max-memory" in capsys.readouterr().err


# -- outputs ---------------------------------------------------------------------------------------
def test_check_outputs_by_realpath_and_inode(tmp_path):
    src = tmp_path / "in.npz"
    src.write_bytes(b"x")
    os.link(src, tmp_path / "hard.npz")
    os.symlink(src, tmp_path / "soft.npz")
    (tmp_path / "sub").mkdir()
    for out in (src, tmp_path / "hard.npz", tmp_path / "soft.npz", tmp_path / "sub" / ".." / "in.npz"):
        with pytest.raises(InputError, match="destroy the input"):
            inputs.check_outputs({"--out": str(out)}, inputs={"NETWORK": str(src)})
    with pytest.raises(InputError, match="own path"):
        inputs.check_outputs({"--json": str(tmp_path / "a"), "--markdown": str(tmp_path / "sub" / ".." / "a")})
    inputs.check_outputs({"--json": str(tmp_path / "a"), "--markdown": str(tmp_path / "b")},
                         inputs={"NETWORK": str(src)})
    assert sorted(os.listdir(tmp_path)) == ["hard.npz", "in.npz", "soft.npz", "sub"]  # the probe left nothing


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only folders")
def test_check_outputs_read_only_folder(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(InputError, match="cannot create files"):
            inputs.check_outputs({"--json": str(ro / "x.json")})
    finally:
        ro.chmod(0o700)


def test_staged_writes_land_together_or_not_at_all(tmp_path):
    with staged_writes():
        write_atomic(tmp_path / "a", lambda h: h.write(b"1"))
        assert not (tmp_path / "a").exists()  # not before the end
        write_atomic(tmp_path / "b", lambda h: h.write(b"2"))
    assert (tmp_path / "a").read_bytes() == b"1" and (tmp_path / "b").read_bytes() == b"2"
    (tmp_path / "a").write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with staged_writes():
            write_atomic(tmp_path / "a", lambda h: h.write(b"new"))
            write_atomic(tmp_path / "c", lambda h: h.write(b"3"))
            raise RuntimeError("the second output failed")
    assert (tmp_path / "a").read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["a", "b"]


def test_written_files_honour_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "f", lambda h: h.write(b"x"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "f").stat().st_mode) == 0o640
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "g", lambda h: h.write(b"x"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "g").stat().st_mode) == 0o644


def test_transaction_removes_a_folder_it_created_on_interrupt(tmp_path):
    out = tmp_path / "figs"
    with pytest.raises(KeyboardInterrupt):
        with inputs.transaction(folders=[str(out)]):
            out.mkdir()
            (out / "accuracy.png").write_bytes(b"png")
            raise KeyboardInterrupt
    assert not out.exists()
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(KeyboardInterrupt):
        with inputs.transaction(folders=[str(out)]):
            (out / "accuracy.png").write_bytes(b"png")
            raise KeyboardInterrupt
    assert os.listdir(out) == ["keep.txt"]


def test_interrupted_experiment_leaves_no_partial_folder(tmp_path, monkeypatch, capsys):
    import proofs_checks.cli as cli

    def configure(parser):
        parser.add_argument("--out", default=str(tmp_path / "figs"))

    def run(options):
        os.makedirs(options.out)
        with open(os.path.join(options.out, "accuracy.png"), "wb") as handle:
            handle.write(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_experiments", lambda: {"demo.partial": (configure, run)})
    assert main(["experiment", "demo.partial"]) == 130
    assert not (tmp_path / "figs").exists()
    assert capsys.readouterr().err.strip() == "rnnproof experiment demo.partial: interrupted"


# -- reports ---------------------------------------------------------------------------------------
def test_valid_report_passes_and_unknown_keys_fail(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(valid_report()))
    assert inputs.read_json_report(path, "--results")["seed"] == 0
    bad = valid_report()
    bad["claims"][0]["surprise"] = 1
    path.write_text(json.dumps(bad))
    with pytest.raises(InputError, match="unknown key"):
        inputs.read_json_report(path, "--results")


def test_a_real_run_report_validates(tmp_path, capsys):
    path = tmp_path / "r.json"
    assert main(["run", "--claim", "linearization.similarity", "--claim", "linearization.similarity",
                 "--json", str(path), "--quiet"]) == 0
    report = inputs.read_json_report(path, "--results")
    assert [c["id"] for c in report["claims"]] == ["linearization.similarity"]  # deduplicated


def test_latex_escapes_nothing_it_did_not_check(tmp_path, capsys):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(valid_report()))
    out = tmp_path / "d.tex"
    assert main(["latex", "--paper", "linearization", "--paper", "linearization", "--results", str(path),
                 "--out", str(out)]) == 0
    tex = out.read_text()
    assert "run with seed 0 (profile quick): 1 passed" in tex
    assert tex.count("\\section{") == 1  # --paper X --paper X is one section


# -- the CLI contract ------------------------------------------------------------------------------
def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and capsys.readouterr().out.startswith("rnnproof ")


def test_internal_error_is_one_line_and_debug_shows_the_traceback(monkeypatch, capsys):
    import proofs_checks.cli as cli

    def broken(args):
        raise ZeroDivisionError("division by zero")
    monkeypatch.setattr(cli, "_cmd_list", broken)
    assert main(["list"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "please report it" in err and "--debug" in err and "Traceback" not in err
    assert main(["list", "--debug"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "please report it" in err


def test_every_option_has_help():
    from proofs_checks.cli import build_parser
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    missing = [f"{name} {action.dest}" for name, p in sub.choices.items() for action in p._actions
               if not action.help]
    assert missing == []


def test_experiment_help_lists_the_experiments(capsys):
    with pytest.raises(SystemExit):
        main(["experiment", "--help"])
    out = capsys.readouterr().out
    assert "geometry.digits" in out and "linear_recurrence.reconstruction" in out


def test_experiment_options_all_have_help():
    import proofs_checks.cli as cli
    for name, (configure, _) in cli._experiments().items():
        parser = cli.CommandParser(prog=name)
        configure(parser)
        cli._harden_experiment_parser(parser)
        assert all(a.help for a in parser._actions), name


def test_not_applicable_reasons_and_no_negative_error_in_the_table():
    from proofs_checks.report import format_table
    row = {"id": "x.y", "status": "not_applicable", "symbolic": "numeric_only", "cases": 0, "max_error": None,
           "tolerance": {"value": None}, "seconds": 0.0, "detail": "not applicable: needs your data"}
    signed = dict(row, id="x.z", status="pass", cases=3, max_error=-7.7e-107, tolerance={"value": 1e-9},
                  detail="")
    table = format_table([row, signed])
    assert "not applicable x.y: needs your data" in table
    assert "-7.7" not in table and "≤ 0" in table


def test_progress_counts_advance_off_a_terminal():
    import io

    from proofs_checks.progress import Progress
    stream = io.StringIO()  # not a tty, like a CI log or a pipe
    with Progress(3, unit="claim", stream=stream, interval=0.0) as bar:
        for name in ("a", "b", "c"):
            bar.advance(name)
    assert stream.getvalue().splitlines() == ["[1/3] a", "[2/3] b", "[3/3] c"]


def test_long_estimated_work_is_announced(capsys):
    inputs.set_command("rnnproof demo")
    inputs.require_resources("a long job", seconds=120)
    assert capsys.readouterr().err.strip() == "rnnproof demo: a long job: about 120 s (estimated) ..."
    inputs.require_resources("a short job", seconds=1)
    assert capsys.readouterr().err == ""


def test_a_registered_network_reader_is_used_by_suffix(tmp_path, monkeypatch):
    monkeypatch.setattr(inputs, "_NETWORK_READERS", {})
    seen = []

    def read_fake(path, arg_name):
        seen.append((path, arg_name))
        return RNNSpec(W=0.5 * np.eye(4))
    inputs.register_network_reader([".FAKE"], read_fake)
    (tmp_path / "m.fake").write_bytes(b"weights")
    spec = inputs.read_network_argument(tmp_path / "m.fake", "--network")
    assert spec.n == 4 and seen == [(str(tmp_path / "m.fake"), "--network")]
    with pytest.raises(InputError, match="--max-memory"):
        inputs.read_network_argument(tmp_path / "m.fake", "--network", work=lambda n: (1e18, 0.0))
