"""`rnnproof vandermonde`, `rnnproof reconstruct`, the reconstruction experiment and `derive`:
JSON schemas, exit codes, one-line refusals, no file left behind."""

import json
import subprocess
import sys

import numpy as np
import pytest

from proofs_checks.cli import main


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(3)
    paths = {}

    def put(name, arr):
        paths[name] = tmp_path / f"{name}.npy"
        np.save(paths[name], arr)

    put("shrunk", 0.5 * np.exp(2j * np.pi * np.arange(48) / 48))     # κ₂ = 2^47 ≈ 1.4e14 at L = 48
    put("real", np.linspace(0.05, 0.95, 26))                         # κ₂ ≈ 1e22
    put("u48", rng.standard_normal(48))
    put("u26", rng.standard_normal(26))
    put("rep", np.array([0.5, 0.5, 0.2, 0.3]))
    put("u4", rng.standard_normal(4))
    put("mat", np.eye(3))
    put("nan", np.array([0.1, np.nan]))
    put("u2d", rng.standard_normal((4, 2)))
    put("B2", rng.standard_normal((48, 2)))
    put("u3d", np.zeros((2, 2, 2)))
    put("half", np.exp(1j * np.pi * (2 * np.arange(16) + 1) / 32))
    put("u32", rng.standard_normal(32))
    np.save(tmp_path / "obj.npy", np.array([object()], dtype=object), allow_pickle=True)
    paths["obj"] = tmp_path / "obj.npy"
    return tmp_path, {k: str(v) for k, v in paths.items()}


def test_vandermonde_json_beyond_1e16(files):
    tmp, f = files
    js = tmp / "v.json"
    assert main(["vandermonde", f["real"], "--L", "26", "--json", str(js)]) == 0
    data = json.loads(js.read_text())
    assert data["schema"] == "rnnproof.vandermonde/1"
    assert (data["N"], data["L"], data["rank"]) == (26, 26, 26)
    assert data["cond2"] > 1e16 and data["dps_used"] >= int(np.ceil(data["log10_cond2"])) + 20
    # independent reference: mpmath SVD at 100 digits
    import mpmath
    with mpmath.mp.workdps(100):
        A = mpmath.matrix([[mpmath.mpf(x) ** j for j in range(26)] for x in np.linspace(0.05, 0.95, 26)])
        s = mpmath.svd_r(A, compute_uv=False)
        ref = float(max(s) / min(s))
    assert abs(data["cond2"] / ref - 1) < 1e-6


def test_vandermonde_shrunk_roots_closed_form_subprocess(files):
    tmp, f = files
    js = tmp / "s.json"
    out = subprocess.run([sys.executable, "-m", "proofs_checks", "vandermonde", f["shrunk"], "--L", "48",
                          "--json", str(js)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert abs(json.loads(js.read_text())["cond2"] / 2.0 ** 47 - 1) < 1e-9


def test_vandermonde_singular_reports_rank(files, capsys):
    tmp, f = files
    js = tmp / "r.json"
    assert main(["vandermonde", f["rep"], "--L", "4", "--json", str(js)]) == 0
    assert "singular" in capsys.readouterr().out
    data = json.loads(js.read_text())
    assert data["singular"] and data["rank"] == 3 and data["cond2"] is None and data["real_dof"] == 3
    js2 = tmp / "h.json"
    assert main(["vandermonde", f["half"], "--L", "32", "--json", str(js2)]) == 0   # 16 complex nodes
    data = json.loads(js2.read_text())
    assert data["rank"] == 16 and data["real_dof"] == 32


def test_reconstruct_exact_with_out_and_json(files):
    tmp, f = files
    out, js = tmp / "dec.npy", tmp / "r.json"
    assert main(["reconstruct", f["real"], f["u26"], "--out", str(out), "--json", str(js)]) == 0
    data = json.loads(js.read_text())
    assert data["schema"] == "rnnproof.reconstruct/1" and data["decoder"] == "linear"
    assert data["relative_error"] < 1e-15 and data["cond2"] > 1e16 and data["dps_used"] >= 42
    assert np.allclose(np.load(out), np.load(f["u26"]), rtol=1e-15, atol=0)


def test_reconstruct_shapes_and_decoders(files):
    tmp, f = files
    out = tmp / "d2.npy"
    assert main(["reconstruct", f["shrunk"], f["u2d"], "--B", f["B2"], "--out", str(out)]) == 0
    assert np.load(out).shape == (4, 2)
    js = tmp / "omp.json"
    assert main(["reconstruct", f["half"], f["u32"], "--decoder", "omp", "--json", str(js)]) == 0
    assert json.loads(js.read_text())["recoverable"] == 32


@pytest.mark.parametrize("argv, message", [
    (["vandermonde", "{mat}", "--L", "3"], "1-D"),
    (["vandermonde", "{nan}", "--L", "3"], "NaN"),
    (["vandermonde", "{obj}", "--L", "3"], "pickle"),
    (["vandermonde", "{missing}", "--L", "3"], "not found"),
    (["reconstruct", "{rep}", "{u4}", "--out", "{outfile}"], "repeated"),
    (["reconstruct", "{real}", "{u48}", "--out", "{outfile}"], "at most 26 of the 48"),
    (["reconstruct", "{real}", "{u3d}", "--out", "{outfile}"], "INPUTS must be"),
    (["reconstruct", "{real}", "{u26}", "--B", "{u4}", "--out", "{outfile}"], "--B must have shape"),
    (["reconstruct", "{shrunk}", "{u2d}", "--out", "{outfile}"], "pass --B"),
])
def test_bad_input_is_one_line_exit_2_and_leaves_no_file(files, capsys, argv, message):
    tmp, f = files
    outfile = tmp / "never.npy"
    argv = [a.format(missing=str(tmp / "nope.npy"), outfile=str(outfile), **f) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and message in err, err
    assert not outfile.exists()


def test_experiment_writes_table_json_and_figure(tmp_path):
    out = tmp_path / "exp"
    assert main(["experiment", "linear_recurrence.reconstruction", "--L", "16", "--init", "half_roots", "ring",
                 "--trials", "3", "--out", str(out)]) == 0
    rows = json.loads((out / "results.json").read_text())["rows"]
    assert (out / "table.md").read_text().startswith("| L |")
    assert (out / "figure.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # conjugate-free unit-modulus nodes: exact linear reconstruction once 2N ≥ L
    exact = [r for r in rows if r["init"] == "half_roots" and r["decoder"] == "linear" and r["N"] >= 8]
    assert exact and all(r["median_rel_error"] < 1e-12 for r in exact)


def test_derive_topics(capsys):
    assert main(["derive", "linear_recurrence.conditioning", "--latex"]) == 0
    assert "r^{1 - L}" in capsys.readouterr().out
    assert main(["derive", "linear_recurrence", "--activation", "tanh"]) == 2
