"""``rnnproof reproduce``: the framework, the command's file handling, the unitary trainer's gradient,
and each paper's reproductions at the quick scale (the qualitative outcomes that hold there, and
valid PNG figures)."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from numerics import InputError
from proofs_checks.commands.reproduce import run_reproductions
from proofs_checks.reproduce import PAPER_MODULES, reproductions

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _check_png(path):
    import matplotlib.image as mpimg
    with open(path, "rb") as handle:
        assert handle.read(8) == PNG_MAGIC, path
    img = mpimg.imread(path)
    assert img.ndim == 3 and img.shape[0] > 100 and img.shape[1] > 100, (path, img.shape)
    assert float(img[..., :3].std()) > 0.01, f"{path} is blank"


def _verdicts(records):
    return {(rec["id"], row["quantity"]): row["verdict"] for rec in records for row in rec["rows"]}


def _held(verdicts, rep_id, fragment):
    hits = [v for (rid, q), v in verdicts.items() if rid == rep_id and fragment in q]
    assert hits, f"no row of {rep_id} mentions {fragment!r}"
    return all(v == "as expected" for v in hits)


@pytest.fixture(scope="module")
def quick_runs(tmp_path_factory):
    """One quick run per paper (module scope: each paper runs once for all tests below)."""
    out = {}
    for paper in PAPER_MODULES:
        d = tmp_path_factory.mktemp(paper) / "out"
        out[paper] = (d, run_reproductions(paper, str(d), scale="quick", seed=0, pdf=False, quiet=True))
    return out


def test_registry_ids_and_only():
    reps = reproductions("all")
    ids = [r.id for r in reps]
    assert len(ids) == len(set(ids))
    assert {"linearization.R1", "unitary.R2", "linear_recurrence.R1", "response.R7", "geometry.R1"} <= set(ids)
    assert [r.id for r in reproductions("unitary", ["R2"])] == ["unitary.R2"]
    with pytest.raises(InputError, match="--only R9"):
        reproductions("unitary", ["R9"])
    with pytest.raises(InputError, match="unknown paper"):
        reproductions("nonsense")


def test_refuses_foreign_directory_and_writes_nothing(tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    with pytest.raises(InputError, match="non-empty directory"):
        run_reproductions("geometry", str(target), scale="quick", quiet=True)
    assert os.listdir(target) == ["notes.txt"]
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".reproduce-")]
    with pytest.raises(InputError, match="parent directory"):
        run_reproductions("geometry", str(tmp_path / "no" / "such"), scale="quick", quiet=True)


def test_cli_bad_input_exits_2(tmp_path, capsys):
    from proofs_checks.cli import main
    assert main(["reproduce", "nonsense", "--out", str(tmp_path / "x")]) == 2
    assert "unknown paper" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_bptt_gradient_matches_finite_differences():
    from proofs_checks.reproduce.unitary import init_students, loss_and_grads
    rng = np.random.default_rng(5)
    sizes = np.array([2, 3])
    p = init_students(rng, sizes, 2, 2, 3)
    p["b"] += 0.3 * (np.arange(3)[None, :] < sizes[:, None])     # most units active
    X, Y = rng.standard_normal((6, 2, 2, 4)), rng.standard_normal((6, 2, 2, 4))
    _, g = loss_and_grads(p, X, Y)
    h, worst, scale = 1e-6, 0.0, 0.0
    for k in p:
        for idx in np.ndindex(p[k].shape):
            q = {kk: v.copy() for kk, v in p.items()}
            q[k][idx] += h
            up = loss_and_grads(q, X, Y)[0][idx[0]]
            q[k][idx] -= 2 * h
            down = loss_and_grads(q, X, Y)[0][idx[0]]
            worst = max(worst, abs((up - down) / (2 * h) - g[k][idx]))
            scale = max(scale, abs(g[k][idx]))
    # central differences: O(h²) truncation plus rounding ε·|loss|/h ≈ 1e-10 here
    assert worst <= 1e-7 * max(scale, 1.0)
    # the padded third unit of model 0 gets exactly zero gradient
    assert not g["Wh"][0, 2].any() and not g["Wh"][0, :, 2].any() and not g["Wo"][0, 2].any()


def test_polar_projection_is_orthogonal_on_the_active_block():
    from proofs_checks.reproduce.unitary import polar_project
    rng = np.random.default_rng(1)
    Wh = np.zeros((3, 4, 4))
    sizes = np.array([2, 4, 3])
    for m, n in enumerate(sizes):
        Wh[m, :n, :n] = rng.standard_normal((n, n))
    before = Wh.copy()
    polar_project(Wh, sizes, np.array([True, True, False]))
    for m in (0, 1):
        n = sizes[m]
        assert np.allclose(Wh[m, :n, :n].T @ Wh[m, :n, :n], np.eye(n), atol=1e-12)
        assert not Wh[m, n:].any() and not Wh[m, :, n:].any()
    assert np.array_equal(Wh[2], before[2])


def test_output_files_and_figures(quick_runs):
    for paper, (d, records) in quick_runs.items():
        files = set(os.listdir(d))
        assert "summary.md" in files
        summary = (d / "summary.md").read_text()
        for rec in records:
            assert rec["error"] is None, (rec["id"], rec["error"])
            assert rec["rows"], rec["id"]
            assert rec["id"] in summary
            pngs = [f for f in rec["files"] if f.endswith(".png")]
            if not rec["optional"]:
                assert pngs, f"{rec['id']} wrote no figure"
            for f in pngs:
                _check_png(d / f)
            stem = rec["id"].replace(".", "_")
            assert json.loads((d / f"{stem}.json").read_text())["id"] == rec["id"]
        assert not [f for f in files if f.endswith(".pdf")]      # pdf=False


def test_linearization_outcomes(quick_runs):
    v = _verdicts(quick_runs["linearization"][1])
    assert _held(v, "linearization.R1", "activation frame: input modulation")     # exactly 0
    assert _held(v, "linearization.R1", "cos∠(s_x")                               # s_x turns
    assert _held(v, "linearization.R1", "cos∠(s_r, n)")                           # s_r ∥ n
    assert _held(v, "linearization.R1", "selection share")                        # input modulation dominates
    assert _held(v, "linearization.R1", "‖D_cρ_x‖")
    assert _held(v, "linearization.R3", "spec(−I + D_A J_AA)")
    assert _held(v, "linearization.R3", "eigenvalues at −1")
    assert _held(v, "linearization.R4", "slope")
    assert _held(v, "linearization.R5", "term at the end")                      # vanishes once held
    assert _held(v, "linearization.R6", "rank K_r ≤ rank K_x") and _held(v, "linearization.R6", "rank O_x ≤ rank O_r")


def test_unitary_outcomes(quick_runs):
    records = quick_runs["unitary"][1]
    v = _verdicts(records)
    assert _held(v, "unitary.R2", "Theorem-1 URNN (8 states) vs teacher")
    assert _held(v, "unitary.R2", "Theorem-1 URNN test R²")
    assert _held(v, "unitary.R2", "active fraction")
    r2_record = next(rec for rec in records if rec["id"] == "unitary.R2")
    rows = {row["quantity"]: row for row in r2_record["rows"]}
    r2 = [float(row["ours"]) for q, row in rows.items() if "test R²" in q and "units" in q]
    assert len(r2) == 12 and all(np.isfinite(r2)) and max(r2) > 0.3     # the students learn something


def test_linear_recurrence_outcomes(quick_runs):
    v = _verdicts(quick_runs["linear_recurrence"][1])
    assert _held(v, "linear_recurrence.R1", "N = L/2")          # machine precision at 2N = L
    assert _held(v, "linear_recurrence.R1", "OMP, 4-sparse")     # OMP exact below L/2
    assert _held(v, "linear_recurrence.R1", "linear ≤ OMP")
    assert _held(v, "linear_recurrence.R2", "π/10")              # short arcs explode
    assert _held(v, "linear_recurrence.R3", "closed form")
    assert _held(v, "linear_recurrence.R4", "Chebyshev")
    assert _held(v, "linear_recurrence.R5", "SE")
    assert _held(v, "linear_recurrence.R6", "ray")


def test_response_outcomes(quick_runs):
    v = _verdicts(quick_runs["response"][1])
    assert _held(v, "response.R1", "slope")
    assert _held(v, "response.R2", "local maxima")                  # bimodal stationary density
    assert _held(v, "response.R3", "slope")
    assert _held(v, "response.R4", "T = 3")
    assert _held(v, "response.R5", "max relative difference")
    assert _held(v, "response.R6", "kernel ridge")
    assert _held(v, "response.R7", "quadratic readout") and _held(v, "response.R7", "cubic readout")


def test_geometry_outcomes(quick_runs):
    v = _verdicts(quick_runs["geometry"][1])
    assert _held(v, "geometry.R1", "at t = T")
    assert _held(v, "geometry.R1", "states equal")
    assert _held(v, "geometry.R1", "T-fitted probe")
