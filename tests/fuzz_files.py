"""Hostile and valid input files for the fuzz suite (``tests/test_fuzz_cli.py``).

:func:`build_workspace` writes every file into one folder; names are the keys of the cases' argv
templates (``{net}``, ``{evil_npz}``, ...). The pickles carry a payload that would create the file
``MARKER`` in the workspace if anything ever unpickled them.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import zipfile

import numpy as np

from numerics import RNNSpec, save_network

MARKER = "MARKER"


class Payload:
    """Unpickling this runs ``open(path, "w")``: the marker file proves a pickle was loaded."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def npy_bytes(header: dict, data: bytes = b"", version=(1, 0)) -> bytes:
    """An ``.npy`` file with an arbitrary header dict (possibly lying about the data)."""
    buf = io.BytesIO()
    writer = np.lib.format.write_array_header_1_0 if version == (1, 0) else np.lib.format.write_array_header_2_0
    writer(buf, header)
    return buf.getvalue() + data


def zip_bytes(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


def _npz_of(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def valid_report() -> dict:
    """A small, schema-valid ``rnnproof.report/1`` report (one passing claim)."""
    record = {"id": "linearization.similarity", "paper": "linearization", "title": "similar frames",
              "status": "pass", "symbolic": "proved", "cases": 4, "not_applicable_cases": 0,
              "max_error": 1e-15, "tolerance": {"value": 1e-12, "class": "roundoff", "rule": "4ε",
                                                "reason": "rounding"},
              "ratios": None, "statistical_tests": 0, "alpha": None, "seconds": 0.1, "detail": "",
              "counterexample": None, "seed": 0,
              "reproduce": "rnnproof run --claim linearization.similarity --seed 0"}
    return {"schema": "rnnproof.report/1", "seed": 0, "profile": "quick", "seconds": 0.5,
            "environment": {"python": "3"}, "claims": [record],
            "summary": {"passed": 1, "failed": 0, "not_applicable": 0, "errors": 0}}


def _report_with(**changes) -> str:
    report = valid_report()
    for dotted, value in changes.items():
        target = report
        *path, last = dotted.split("__")
        for key in path:
            target = target[int(key)] if isinstance(target, list) else target[key]
        target[last] = value
    return json.dumps(report)


def build_workspace(root) -> dict:
    """Write the files; returns ``{name: absolute path}``."""
    root = os.fspath(root)
    paths = {}

    def put(name, data: bytes, filename=None):
        path = os.path.join(root, filename or name)
        with open(path, "wb") as handle:
            handle.write(data)
        paths[name] = path

    def net(name, **kwargs):
        path = os.path.join(root, name + ".npz")
        save_network(path, RNNSpec(**kwargs))
        paths[name] = path

    marker = os.path.join(root, MARKER)
    rng = np.random.default_rng(0)
    # valid files
    net("net", W=0.5 * np.eye(3), B=np.ones((3, 2)), activation="relu", time="discrete")
    net("net2", W=0.4 * np.eye(3), B=np.ones((3, 2)), activation="relu", time="discrete")
    net("orth", W=np.eye(3), B=np.ones((3, 2)), activation="relu", time="discrete")
    net("tanh", W=0.3 * np.eye(3), B=rng.normal(size=(3, 2)), C=rng.normal(size=(2, 3)),
        activation="tanh", time="discrete")
    net("cont", W=0.3 * np.eye(3), activation="tanh")
    net("srnn", W=0.2 * np.eye(2), B=np.ones((2, 1)), C=np.ones((1, 2)), form="srnn", gamma=np.ones(2),
        sigma=np.array(0.3))
    net("big", W=np.eye(400) * 0.5, activation="relu", time="discrete")
    np.save(os.path.join(root, "nodes.npy"), np.array([0.5, 0.9, -0.3]))
    paths["nodes"] = os.path.join(root, "nodes.npy")
    np.save(os.path.join(root, "u.npy"), np.array([1.0, -1.0, 0.5]))
    paths["u"] = os.path.join(root, "u.npy")
    np.savez(os.path.join(root, "input.npz"), t=np.linspace(0, 2, 5), u=np.zeros((5, 1)))
    paths["input"] = os.path.join(root, "input.npz")
    x = rng.normal(size=(12, 4, 2))
    y = np.arange(12) % 2
    np.savez(os.path.join(root, "data.npz"), x_train=x, y_train=y, x_test=x, y_test=y)
    paths["data"] = os.path.join(root, "data.npz")
    put("report", json.dumps(valid_report()).encode(), "report.json")
    put("report_tex", json.dumps(valid_report()).encode(), "report.tex")  # valid JSON named .tex
    os.link(paths["net"], os.path.join(root, "net_link.npz"))
    paths["net_link"] = os.path.join(root, "net_link.npz")
    os.symlink(paths["net"], os.path.join(root, "net_sym.npz"))
    paths["net_sym"] = os.path.join(root, "net_sym.npz")
    os.mkdir(os.path.join(root, "adir"))
    paths["adir"] = os.path.join(root, "adir")
    paths["missing"] = os.path.join(root, "missing.npz")
    paths["nodir"] = os.path.join(root, "nodir", "x.json")
    paths["nodir_npz"] = os.path.join(root, "nodir", "x.npz")
    paths["nodir_tex"] = os.path.join(root, "nodir", "x.tex")
    paths["out_json"] = os.path.join(root, "out.json")
    paths["out_md"] = os.path.join(root, "out.md")
    paths["out_npz"] = os.path.join(root, "out.npz")
    paths["out_npy"] = os.path.join(root, "d.npy")
    paths["out_tex"] = os.path.join(root, "out.tex")
    paths["out_html"] = os.path.join(root, "out.html")
    paths["out_dir"] = os.path.join(root, "figs")

    # hostile arrays and archives
    put("text_npz", b"W = [[1, 2], [3, 4]]\n", "text.npz")
    put("text_npy", b"1 2 3\n", "text.npy")
    put("empty_npz", b"", "empty.npz")
    put("evil_npz", pickle.dumps(Payload(marker)), "evil.npz")
    put("evil_npy", pickle.dumps(Payload(marker)), "evil.npy")
    put("obj_npz", _npz_of(W=np.array([Payload(marker), 1], dtype=object)), "obj.npz")
    put("obj_npy", npy_bytes({"descr": "|O", "fortran_order": False, "shape": (1,)},
                             pickle.dumps(Payload(marker))), "obj.npy")
    put("huge_npy", npy_bytes({"descr": "<f8", "fortran_order": False, "shape": (10 ** 11,)}), "huge.npy")
    put("huge_w", zip_bytes({"W.npy": npy_bytes({"descr": "<f8", "fortran_order": False,
                                                 "shape": (20000, 20000)}, b"\0" * 64)}), "hugew.npz")
    put("huge_data", zip_bytes({k + ".npy": npy_bytes({"descr": "<f8", "fortran_order": False,
                                                       "shape": (10 ** 6, 10 ** 4, 2)})
                                for k in ("x_train", "y_train", "x_test", "y_test")}), "hugedata.npz")
    np.save(os.path.join(root, "single.npy"), np.eye(3))
    paths["single"] = os.path.join(root, "single.npy")
    put("unknown_key", _npz_of(W=0.5 * np.eye(2), extra=np.ones(2)), "unknown.npz")
    put("complex_w", _npz_of(W=0.3j * np.eye(2), activation=np.array("tanh")), "complexw.npz")
    put("big_w", _npz_of(W=1e200 * np.eye(3), activation=np.array("tanh")), "bigw.npz")
    put("nan_w", _npz_of(W=np.array([[np.nan, 0], [0, 1]])), "nanw.npz")
    put("w_1d", _npz_of(W=np.ones(3)), "w1d.npz")
    put("str_w", _npz_of(W=np.array("eye")), "strw.npz")
    put("bool_w", _npz_of(W=np.eye(2, dtype=bool)), "boolw.npz")
    put("no_w", _npz_of(B=np.ones((2, 1))), "now.npz")
    put("inject_act", _npz_of(W=np.eye(2) * 0.5, activation=np.array("__import__('os').system('touch MARKER')")),
        "inject.npz")
    with open(paths["net"], "rb") as handle:
        good = handle.read()
    put("truncated", good[: len(good) // 2], "truncated.npz")
    bomb = io.BytesIO()  # 72 MB of zeros in about 70 KB: the header, not the file size, tells
    np.savez_compressed(bomb, W=np.zeros((3000, 3000)))
    put("zip_bomb", bomb.getvalue(), "bomb.npz")
    put("txt_member", zip_bytes({"W.txt": b"1 2 3"}), "txtmember.npz")
    put("lying_header", zip_bytes({"W.npy": npy_bytes({"descr": "<f8", "fortran_order": False,
                                                       "shape": (3, 3)}, b"\0" * 8)}), "lying.npz")
    put("bad_header", zip_bytes({"W.npy": b"\x93NUMPY\x01\x00\x10\x00{'descr': garbage}\n"}), "badheader.npz")
    put("input_unknown", _npz_of(t=np.linspace(0, 1, 3), u=np.zeros((3, 1)), extra=np.ones(1)), "inunknown.npz")
    put("input_complex", _npz_of(t=np.linspace(0, 1, 3), u=1j * np.ones((3, 1))), "incomplex.npz")
    put("input_long", _npz_of(t=np.array([0.0, 1e12]), u=np.zeros((2, 1))), "inlong.npz")
    put("data_unknown", _npz_of(x_train=x, y_train=y, x_test=x, y_test=y, extra=y), "dataunknown.npz")
    put("data_missing", _npz_of(x_train=x, y_train=y, x_test=x), "datamissing.npz")
    put("mnist_bad", _npz_of(x_train=np.zeros((3, 5)), y_train=np.zeros(3), x_test=np.zeros((3, 5)),
                             y_test=np.zeros(3)), "mnistbad.npz")
    put("nodes_2d", _npz_of(a=np.ones(2)), "nodes2d.npz")
    put("nodes_nan", npy_bytes({"descr": "<f8", "fortran_order": False, "shape": (2,)},
                               np.array([np.nan, 1.0]).tobytes()), "nodesnan.npy")
    put("nodes_str", npy_bytes({"descr": "<U3", "fortran_order": False, "shape": (1,)}, "abc".encode("utf-32-le")),
        "nodesstr.npy")
    # hostile JSON reports
    put("rep_tex_seed", _report_with(seed="0 \\input{/etc/hostname}").encode(), "rep_texseed.json")
    put("rep_tex_summary", _report_with(summary__passed="\\input{/etc/hostname}").encode(), "rep_texsum.json")
    put("rep_tex_profile", _report_with(profile="quick}\\input{/etc/hostname}").encode(), "rep_texprof.json")
    put("rep_tex_cases", _report_with(claims__0__cases="4 \\input{/etc/passwd}").encode(), "rep_texcases.json")
    put("rep_status", _report_with(claims__0__status="\\input{x}").encode(), "rep_status.json")
    put("rep_unknown", _report_with(evil="1").encode(), "rep_unknown.json")
    put("rep_claim_unknown", _report_with(claims__0__evil="1").encode(), "rep_claimunknown.json")
    put("rep_nan", _report_with(claims__0__max_error=1.0).replace("1.0", "NaN").encode(), "rep_nan.json")
    put("rep_bool_seed", _report_with(seed=True).encode(), "rep_boolseed.json")
    put("rep_neg_seed", _report_with(seed=-1).encode(), "rep_negseed.json")
    put("rep_schema", _report_with(schema="rnnproof.report/9").encode(), "rep_schema.json")
    put("rep_list", b"[]", "rep_list.json")
    put("rep_text", b"not json at all", "rep_text.json")
    put("rep_binary", bytes(range(256)), "rep_binary.json")
    put("rep_deep", b"[" * 100000 + b"]" * 100000, "rep_deep.json")
    put("rep_claims_str", _report_with(claims="everything passed").encode(), "rep_claimsstr.json")
    put("rep_id", _report_with(claims__0__id="x}\\input{y").encode(), "rep_id.json")
    return paths


def snapshot(root) -> dict:
    """``{relative path: sha256}`` of every file below ``root`` (links by their target's bytes)."""
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            if os.path.isdir(path):
                out[rel + "/"] = "dir"
                continue
            with open(path, "rb") as handle:
                out[rel] = hashlib.sha256(handle.read()).hexdigest()
    return out
