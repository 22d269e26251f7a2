"""Bad network files: one line naming the key or the option, exit 2, nothing written."""

import json
import sys
import zipfile

import numpy as np
import pytest

from numerics import InputError
from numerics.readers import detect_format, read_network
from proofs_checks.cli import main

safetensors_numpy = pytest.importorskip("safetensors.numpy")


def rnn_dict(n=4, m=2, prefix=""):
    rng = np.random.default_rng(0)
    return {f"{prefix}weight_ih_l0": rng.standard_normal((n, m)), f"{prefix}weight_hh_l0": rng.standard_normal((n, n)),
            f"{prefix}bias_ih_l0": rng.standard_normal(n), f"{prefix}bias_hh_l0": rng.standard_normal(n)}


def save_st(path, tensors, **meta):
    safetensors_numpy.save_file({k: np.ascontiguousarray(v) for k, v in tensors.items()}, str(path),
                                metadata=meta or None)
    return path


def keras_archive(path, layers):
    config = {"class_name": "Sequential", "config": {"layers": layers}}
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("config.json", json.dumps(config))
        zf.writestr("model.weights.h5", b"")
        zf.writestr("metadata.json", "{}")
    return path


def _cases(tmp):
    n = 4
    base = rnn_dict(n)
    yield "missing", save_st(tmp / "a.safetensors", {k: v for k, v in base.items() if k != "weight_ih_l0"}), {}, "weight_ih_l0"
    yield "extra", save_st(tmp / "b.safetensors", dict(base, foo=np.ones(3))), {}, "unexpected key(s) foo"
    yield "shape", save_st(tmp / "c.safetensors", dict(base, bias_hh_l0=np.ones(n + 1))), {}, "bias_hh_l0 has shape (5,)"
    yield "nan", save_st(tmp / "d.safetensors", dict(base, weight_hh_l0=np.full((n, n), np.nan))), {}, "NaN"
    lstm = dict(base, weight_hh_l0=np.ones((4 * n, n)), weight_ih_l0=np.ones((4 * n, 2)))
    yield "lstm", save_st(tmp / "e.safetensors", lstm), {}, "only simple (Elman) RNNs"
    gru = dict(base, weight_hh_l0=np.ones((3 * n, n)), weight_ih_l0=np.ones((3 * n, 2)))
    yield "gru", save_st(tmp / "f.safetensors", gru), {}, "GRU"
    bi = dict(base, **{k + "_reverse": v for k, v in base.items()})
    yield "bidirectional", save_st(tmp / "g.safetensors", bi), {}, "bidirectional"
    two = dict(base, weight_ih_l1=np.ones((n, n)), weight_hh_l1=np.ones((n, n)))
    yield "layers", save_st(tmp / "h.safetensors", two), {}, "pick one with --layer K"
    yield "layer-absent", save_st(tmp / "i.safetensors", base), {"layer": 3}, "--layer: 3 is not a layer"
    yield "readout-absent", save_st(tmp / "j.safetensors", base), {"readout": "fc"}, "--readout: no key 'fc.weight'"
    yield "activation", save_st(tmp / "k.safetensors", base, nonlinearity="gelu"), {}, "activation 'gelu'"
    yield "no-rnn", save_st(tmp / "l.safetensors", {"x": np.ones(2)}), {}, "keys expected: weight_ih_l0"
    lam = [{"class_name": "InputLayer", "config": {}}, {"class_name": "Lambda", "config": {}},
           {"class_name": "SimpleRNN", "config": {"units": 4}}]
    yield "lambda", keras_archive(tmp / "m.keras", lam), {}, "Lambda layer holds code"
    lstm_k = [{"class_name": "LSTM", "config": {"units": 4}}]
    yield "keras-lstm", keras_archive(tmp / "n.keras", lstm_k), {}, "unsupported layer 'LSTM'"
    relu_dense = [{"class_name": "SimpleRNN", "config": {"units": 4}},
                  {"class_name": "Dense", "config": {"activation": "softmax"}}]
    yield "dense-act", keras_archive(tmp / "o.keras", relu_dense), {}, "only a linear readout"
    np.savez(tmp / "p.npz", W_in=np.ones((n, 2)), W_rec=np.eye(n), W_out=np.ones((1, n)))
    yield "psychrnn-dt", tmp / "p.npz", {}, "pass --dt and --tau"
    np.savez(tmp / "q.npz", W_in=np.ones((n, 2)), W_rec=np.eye(n), W_out=np.ones((1, n)), mystery=np.ones(2))
    yield "psychrnn-extra", tmp / "q.npz", {"dt": 1, "tau": 10}, "unexpected key 'mystery'"
    (tmp / "r.bin").write_bytes(b"\x00\x01garbage bytes here")
    yield "unknown", tmp / "r.bin", {}, "cannot tell the network format"
    yield "option", save_st(tmp / "s.safetensors", base), {"dt": 1.0}, "--dt does not apply to a safetensors file"


CASE_IDS = ["missing", "extra", "shape", "nan", "lstm", "gru", "bidirectional", "layers", "layer-absent",
            "readout-absent", "activation", "no-rnn", "lambda", "keras-lstm", "dense-act", "psychrnn-dt",
            "psychrnn-extra", "unknown", "option"]


@pytest.mark.parametrize("case", CASE_IDS)
def test_bad_files_one_line(tmp_path, case, capsys):
    name, path, kwargs, needle = next(c for c in _cases(tmp_path) if c[0] == case)
    with pytest.raises(InputError) as info:
        read_network(path, **kwargs)
    msg = str(info.value)
    assert needle in msg and "\n" not in msg
    # Through the CLI: exit 2, one line on stderr, no file written.
    out = tmp_path / f"{case}-out.npz"
    argv = ["convert", str(path), "--out", str(out)]
    for key, flag in (("layer", "--layer"), ("readout", "--readout"), ("dt", "--dt"), ("tau", "--tau")):
        if key in kwargs:
            argv += [flag, str(kwargs[key])]
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert needle in err and len(err.splitlines()) == 1
    assert not out.exists()


def test_load_network_dispatch_and_native_errors(tmp_path):
    """Every command's load_network reads the foreign formats; rnnproof .npz errors are unchanged."""
    from numerics import load_network
    spec = load_network(save_st(tmp_path / "ok.safetensors", rnn_dict()))
    assert spec.n == 4 and spec.time == "discrete"
    np.savez(tmp_path / "u.npz", foo=np.ones(2))
    with pytest.raises(InputError, match="unknown key 'foo'"):
        load_network(tmp_path / "u.npz")
    np.save(tmp_path / "one.npy", np.ones(3))
    with pytest.raises(InputError, match="single .npy array"):
        load_network(tmp_path / "one.npy")
    assert detect_format(tmp_path / "ok.safetensors") == "safetensors"


def test_pt_without_torch(tmp_path, monkeypatch):
    (tmp_path / "m.pt").write_bytes(b"PK\x03\x04not really")
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(InputError, match="needs torch, which is not installed; .*safetensors"):
        read_network(tmp_path / "m.pt")


def test_torch_pickles_refused(tmp_path):
    torch = pytest.importorskip("torch")
    torch.save(torch.nn.RNN(2, 3), tmp_path / "module.pt")          # a whole module: a real pickle
    with pytest.raises(InputError, match="weights_only=True"):
        read_network(tmp_path / "module.pt")
    torch.save([torch.ones(2)], tmp_path / "list.pt")
    with pytest.raises(InputError, match="not a state dict"):
        read_network(tmp_path / "list.pt")
    torch.save(torch.nn.LSTM(2, 3).state_dict(), tmp_path / "lstm.pt")
    with pytest.raises(InputError, match="only simple"):
        read_network(tmp_path / "lstm.pt")
    torch.save(torch.nn.GRU(2, 3).state_dict(), tmp_path / "gru.pt")
    with pytest.raises(InputError, match="GRU"):
        read_network(tmp_path / "gru.pt")


def test_psychrnn_pickled_object_other_than_none(tmp_path):
    np.savez(tmp_path / "w.npz", W_in=np.ones((2, 1)), W_rec=np.eye(2), W_out=np.ones((1, 2)),
             dale_ratio=np.array({"a": 1}, dtype=object))
    with pytest.raises(InputError, match="pickled object, which is never loaded"):
        read_network(tmp_path / "w.npz", dt=1, tau=10)
