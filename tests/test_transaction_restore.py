"""All or nothing for files an interrupted command would *overwrite* (issue 10, defect 4):
``transaction()`` must leave an existing ``--out`` folder byte-identical, whether the interrupt comes
while the figures are written, during the staged commit's renames, or after a writer outside the
staged group replaced a file."""

from __future__ import annotations

import os

import pytest

import numerics.arrays as arrays
from numerics.arrays import staged_writes, write_atomic
from proofs_checks import inputs
from proofs_checks.cli import main


def _folder_state(folder):
    return {name: (folder / name).read_bytes() for name in sorted(os.listdir(folder))}


def test_interrupted_experiment_keeps_the_files_it_would_overwrite(tmp_path, monkeypatch, capsys):
    from proofs_checks.experiments import geometry

    out = tmp_path / "figs"
    out.mkdir()
    (out / "accuracy.png").write_bytes(b"old accuracy figure")
    (out / "spectrum.png").write_bytes(b"old spectrum figure")
    (out / "notes.txt").write_text("mine")
    before = _folder_state(out)
    saved = []
    original = geometry._save

    def save_then_interrupt(fig, out_dir, name):
        path = original(fig, out_dir, name)
        saved.append(path)
        if len(saved) == 2:  # accuracy.png written (staged), states_pca.png too: interrupt now
            raise KeyboardInterrupt
        return path

    monkeypatch.setattr(geometry, "_save", save_then_interrupt)
    code = main(["experiment", "geometry.digits", "--hidden", "8", "--epochs", "1", "--drift", "1",
                 "--out", str(out), "--quiet"])
    assert code == 130, capsys.readouterr().err
    assert [os.path.basename(p) for p in saved] == ["accuracy.png", "states_pca.png"]
    assert _folder_state(out) == before  # old bytes, and no new or temporary file


def test_commit_interrupted_between_renames_is_undone(tmp_path, monkeypatch):
    (tmp_path / "a.json").write_text("old a")
    (tmp_path / "b.json").write_text("old b")
    before = _folder_state(tmp_path)
    real_replace = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:  # a.json renamed into place, b.json not yet
            raise KeyboardInterrupt
        return real_replace(src, dst)

    with pytest.raises(KeyboardInterrupt):
        with staged_writes():
            for name in ("a.json", "b.json", "c.json"):
                write_atomic(str(tmp_path / name), lambda h, n=name: h.write(f"new {n}"), mode="w")
            monkeypatch.setattr(arrays.os, "replace", replace)
    monkeypatch.undo()
    assert calls[:2] == [str(tmp_path / "a.json"), str(tmp_path / "b.json")]
    assert _folder_state(tmp_path) == before


def test_commit_without_interrupt_replaces_and_leaves_no_kept_copy(tmp_path):
    (tmp_path / "a.json").write_text("old a")
    with staged_writes():
        write_atomic(str(tmp_path / "a.json"), lambda h: h.write("new a"), mode="w")
        write_atomic(str(tmp_path / "b.json"), lambda h: h.write("new b"), mode="w")
        assert (tmp_path / "a.json").read_text() == "old a"  # nothing lands before the commit
    assert _folder_state(tmp_path) == {"a.json": b"new a", "b.json": b"new b"}


def test_transaction_restores_a_file_a_direct_writer_replaced(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "plot.png").write_bytes(b"old plot")
    (out / "keep.txt").write_text("mine")
    before = _folder_state(out)

    def replace_directly(name, data):  # the temporary-file-then-rename pattern, outside the group
        tmp = out / (name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, out / name)

    with pytest.raises(RuntimeError):
        with inputs.transaction(folders=[str(out)]):
            replace_directly("plot.png", b"new plot")
            replace_directly("extra.png", b"new")
            write_atomic(str(out / "keep.txt"), lambda h: h.write("staged"), mode="w")
            raise RuntimeError("a failure after the first file was replaced")
    assert _folder_state(out) == before
    with inputs.transaction(folders=[str(out)]):
        replace_directly("plot.png", b"new plot")
    assert _folder_state(out) == {"keep.txt": b"mine", "plot.png": b"new plot"}  # kept links removed
