r"""Keras ``SimpleRNN`` (+ ``Dense``) models: ``.keras`` archives and ``.weights.h5`` files.

Keras's model (``keras.layers.SimpleRNN``):
$h_t=\mathrm{act}(x_t\,K + \beta + h_{t-1}R)$ with ``kernel`` $K$ (in × units),
``recurrent_kernel`` $R$ (units × units) and ``bias`` $\beta$, read as our discrete model
$h_t=\phi(Wh_{t-1}+Bu_t+b)$ with $W=R^\top$, $B=K^\top$, $b=\beta$, $h_{-1}=0$. A following
``Dense`` layer with a linear activation, $y=hK_o+\beta_o$, gives $C=K_o^\top$, $d=\beta_o$.

A ``.keras`` archive is a zip of ``config.json`` (the layer list, read as JSON) and
``model.weights.h5`` (read with h5py); no Keras loader is called, so nothing in the file can run.
Layers other than ``InputLayer``, one ``SimpleRNN`` and one linear ``Dense`` after it (``Lambda``,
``LSTM``, ``Bidirectional``, ...) are refused by name. A bare ``.weights.h5`` has no config: the
activation is ``activation`` (Keras's default ``tanh``) and a ``Dense`` readout is taken as linear.
"""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np

from ..errors import InputError
from ._common import SIMPLE_ONLY, as_weight, check_activation, short_list

__all__ = ["read_keras", "read_keras_weights"]

_ALLOWED = ("InputLayer", "SimpleRNN", "Dense")
_RNN_FLAGS = ("go_backwards", "stateful", "return_state")


def _h5py():
    try:
        import h5py
    except ImportError:
        raise InputError("reading Keras files needs h5py: pip install h5py") from None
    return h5py


def _layer_vars(handle):
    """{layer path: [arrays in Keras's variable order]} for every group holding ``vars``."""
    out = {}

    def visit(name, obj):
        if name.endswith("vars") and hasattr(obj, "keys") and len(obj.keys()):
            keys = sorted(obj.keys(), key=lambda s: int(s) if s.isdigit() else s)
            out[name[: -len("vars")].rstrip("/")] = [np.asarray(obj[k]) for k in keys]
    handle.visititems(visit)
    return out


def _from_weights(where, variables, activation="tanh", expect_dense=None):
    # The weight file names layers by class (layers/simple_rnn, layers/dense), not by the config's
    # layer names, so the layers are matched by structure; the config has already been checked.
    rnn_paths = [p for p, v in variables.items() if len(v) in (2, 3) and p.endswith("/cell")]
    if len(rnn_paths) != 1:
        found = short_list(p for p in variables if p)
        raise InputError(f"{where}: expected one SimpleRNN cell (layers/NAME/cell/vars with kernel, "
                         f"recurrent_kernel, bias); layers with weights found: {found}")
    cell = variables[rnn_paths[0]]
    K = as_weight(where, f"{rnn_paths[0]}/vars/0 (kernel)", cell[0], (None, None))
    n = K.shape[1]
    R = as_weight(where, f"{rnn_paths[0]}/vars/1 (recurrent_kernel)", cell[1], (n, n))
    beta = as_weight(where, f"{rnn_paths[0]}/vars/2 (bias)", cell[2], (n,)) if len(cell) == 3 else np.zeros(n)
    others = [p for p, v in variables.items() if p not in rnn_paths and v
              and not p.startswith(rnn_paths[0].rsplit("/", 1)[0])]
    dense = others
    C = d = None
    if expect_dense is not None and bool(dense) != expect_dense:
        raise InputError(f"{where}: config.json and model.weights.h5 disagree about the Dense readout")
    if len(dense) > 1:
        raise InputError(f"{where}: several layers after the SimpleRNN ({short_list(dense)}); "
                         "only one linear Dense readout is supported")
    if dense:
        v = variables[dense[0]]
        C = as_weight(where, f"{dense[0]}/vars/0 (kernel)", v[0], (n, None)).T
        d = as_weight(where, f"{dense[0]}/vars/1 (bias)", v[1], (C.shape[0],)) if len(v) > 1 else np.zeros(C.shape[0])
    return dict(W=R.T, B=K.T, b=beta, C=C, d=d, activation=check_activation(where, activation),
                time="discrete", source=where)


def _check_config(where, config):
    if not isinstance(config, dict) or "config" not in config:
        raise InputError(f"{where}: config.json is not a Keras model config")
    layers = config["config"].get("layers") if isinstance(config["config"], dict) else None
    if config.get("class_name") not in ("Sequential", "Functional", "Model") or not isinstance(layers, list):
        raise InputError(f"{where}: model class {config.get('class_name')!r} is not supported; "
                         "save a keras.Sequential or functional model of SimpleRNN + Dense")
    names = [layer.get("class_name") for layer in layers]
    bad = [c for c in names if c not in _ALLOWED]
    if bad:
        why = {"Lambda": "a Lambda layer holds code, which is never run",
               "LSTM": SIMPLE_ONLY, "GRU": SIMPLE_ONLY}.get(bad[0], "")
        raise InputError(f"{where}: unsupported layer {bad[0]!r}" + (f" ({why})" if why else "")
                         + f"; supported layers: {', '.join(_ALLOWED)}")
    rnns = [layer for layer in layers if layer.get("class_name") == "SimpleRNN"]
    denses = [layer for layer in layers if layer.get("class_name") == "Dense"]
    if len(rnns) != 1:
        raise InputError(f"{where}: {len(rnns)} SimpleRNN layers; exactly one is supported")
    if len(denses) > 1:
        raise InputError(f"{where}: {len(denses)} Dense layers; at most one linear readout is supported")
    rc = rnns[0].get("config", {})
    for flag in _RNN_FLAGS:
        if rc.get(flag):
            raise InputError(f"{where}: SimpleRNN with {flag}=True is not the plain forward recurrence")
    act = rc.get("activation", "tanh")
    if isinstance(act, dict):
        act = act.get("config", {}).get("name", act.get("class_name"))
    dense_name = None
    if denses:
        dc = denses[0].get("config", {})
        if dc.get("activation", "linear") not in ("linear", None):
            raise InputError(f"{where}: Dense readout with activation {dc.get('activation')!r}; "
                             "only a linear readout y = Ch + d is in the model family")
        dense_name = dc.get("name", "dense")
    return rc.get("name"), dense_name, act


def read_keras(path, activation=None):
    """Read a ``.keras`` archive (config.json + model.weights.h5) into a discrete :class:`RNNSpec`."""
    h5py = _h5py()
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if "config.json" not in names or "model.weights.h5" not in names:
                raise InputError(f"{path}: a .keras archive holds config.json and model.weights.h5; "
                                 f"found {short_list(names)}")
            config = json.loads(zf.read("config.json").decode("utf-8"))
            blob = zf.read("model.weights.h5")
    except InputError:
        raise
    except (zipfile.BadZipFile, OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a readable .keras archive ({exc})") from None
    rnn_name, dense_name, act = _check_config(path, config)
    if activation is not None and activation != act:
        raise InputError(f"--activation {activation} contradicts the archive's SimpleRNN activation {act!r}")
    try:
        with h5py.File(io.BytesIO(blob), "r") as handle:
            variables = _layer_vars(handle)
    except OSError as exc:
        raise InputError(f"{path}: model.weights.h5 is not readable HDF5 ({exc})") from None
    return _from_weights(path, variables, act, expect_dense=dense_name is not None)


def read_keras_weights(path, activation=None):
    """Read a ``.weights.h5`` file (Keras 3 ``save_weights``) into a discrete :class:`RNNSpec`."""
    h5py = _h5py()
    try:
        with h5py.File(path, "r") as handle:
            if "model_config" in handle.attrs:
                raise InputError(f"{path}: a legacy Keras 2 .h5 model; re-save it with "
                                 "model.save('net.keras') in Keras 3")
            variables = _layer_vars(handle)
    except InputError:
        raise
    except OSError as exc:
        raise InputError(f"{path}: not a readable HDF5 file ({exc})") from None
    return _from_weights(path, variables, activation=activation or "tanh")
