r"""Flax ``linen.SimpleCell`` parameters written by ``flax.serialization.to_bytes`` (msgpack).

Flax's model (``flax.linen.SimpleCell``): $h_t=\mathrm{act}(x_tK_i+\beta_i+h_{t-1}K_h)$ with
parameters ``i.kernel`` $K_i$ (in × features), ``i.bias`` $\beta_i$ and ``h.kernel`` $K_h$, read as
our discrete model $h_t=\phi(Wh_{t-1}+Bu_t+b)$ with $W=K_h^\top$, $B=K_i^\top$, $b=\beta_i$,
$h_{-1}=0$ (the default ``carry_init``). With ``residual=True`` Flax adds $h_{t-1}$ *inside* the
activation, $h_t=\mathrm{act}(x_tK_i+\beta_i+h_{t-1}(K_h+I))$, which our family covers with
$W=K_h^\top+I$; the file does not record the flag, so pass ``residual=True``. A ``Dense``
sibling named by ``readout`` (e.g. ``Dense_0``) gives $C=K^\top$, $d=\beta$.

The file is parsed with ``flax.serialization.msgpack_restore`` when flax is installed, otherwise
with ``msgpack`` and the same array encoding (ext type 1: shape, dtype name, raw buffer). Neither
runs code from the file. The activation is not stored either: ``activation`` (default ``tanh``).
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from ._common import as_weight, check_activation, short_list

__all__ = ["read_flax"]


def _ext_hook(code, data):
    import msgpack
    if code in (1, 3):
        shape, dtype_name, buffer = msgpack.unpackb(data, raw=True)
        name = dtype_name.decode() if isinstance(dtype_name, bytes) else dtype_name
        if name == "bfloat16":
            raise InputError("bfloat16 parameters need flax installed to decode; save float32")
        arr = np.frombuffer(buffer, dtype=np.dtype(name)).reshape(shape)
        return arr[()] if code == 3 else arr
    return msgpack.ExtType(code, data)


def _decode(path):
    with open(path, "rb") as handle:
        blob = handle.read()
    try:
        from flax.serialization import msgpack_restore
    except ImportError:
        msgpack_restore = None
    try:
        if msgpack_restore is not None:
            return msgpack_restore(blob)
        import msgpack
        return msgpack.unpackb(blob, ext_hook=_ext_hook, raw=False, strict_map_key=False)
    except InputError:
        raise
    except ImportError:
        raise InputError(f"{path}: reading Flax msgpack needs msgpack (pip install msgpack) or flax") from None
    except Exception as exc:  # msgpack's ExtraData, UnpackValueError, ValueError, ...
        raise InputError(f"{path}: not a readable Flax msgpack file ({str(exc)[:160]})") from None


def _paths(tree, prefix=""):
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from _paths(v, f"{prefix}{k}.")
    else:
        yield prefix.rstrip("."), tree


def _find_cells(tree, prefix=""):
    if not isinstance(tree, dict):
        return []
    here = []
    if isinstance(tree.get("i"), dict) and isinstance(tree.get("h"), dict) and "kernel" in tree["h"]:
        here.append((prefix, tree))
    for k, v in tree.items():
        if k not in ("i", "h"):
            here += _find_cells(v, f"{prefix}{k}.")
    return here


def read_flax(path, readout=None, activation=None, residual=False):
    """Read a Flax SimpleCell msgpack file into a discrete :class:`RNNSpec`."""
    tree = _decode(path)
    if not isinstance(tree, dict):
        raise InputError(f"{path}: not a Flax parameter tree (top level is a {type(tree).__name__})")
    keys = [p for p, _ in _paths(tree)]
    cells = _find_cells(tree)
    if not cells:
        lstm = [k for k in keys if any(f".{g}." in f".{k}." for g in ("ii", "hf", "ir", "hz"))]
        hint = "; LSTM/GRU cells: only simple RNNs are in scope" if lstm else ""
        raise InputError(f"{path}: no SimpleCell parameters; keys found: {short_list(keys)}; keys "
                         f"expected: i.kernel, i.bias, h.kernel (optionally under a module name){hint}")
    if len(cells) > 1:
        raise InputError(f"{path}: several SimpleCell parameter sets ({short_list(p.rstrip('.') for p, _ in cells)}); "
                         "save one cell per file")
    prefix, cell = cells[0]
    Kh = as_weight(path, f"{prefix}h.kernel", cell["h"]["kernel"], (None, None))
    n = Kh.shape[0]
    if Kh.shape != (n, n):
        raise InputError(f"{path}: {prefix}h.kernel has shape {Kh.shape}, expected ({n}, {n})")
    if "kernel" not in cell["i"]:
        raise InputError(f"{path}: missing key {prefix}i.kernel")
    Ki = as_weight(path, f"{prefix}i.kernel", cell["i"]["kernel"], (None, n))
    bi = as_weight(path, f"{prefix}i.bias", cell["i"]["bias"], (n,)) if "bias" in cell["i"] else np.zeros(n)
    extra_h = set(cell["h"]) - {"kernel"}
    if extra_h:
        raise InputError(f"{path}: unexpected key(s) {short_list(prefix + 'h.' + k for k in extra_h)}")
    W = Kh.T + (np.eye(n) if residual else 0.0)
    C = d = None
    if readout:
        node = tree
        for part in ("params." + readout if "params" in tree and readout not in tree else readout).split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict) or "kernel" not in node:
            dense = sorted({k.rsplit(".", 1)[0] for k in keys if k.endswith("kernel")} - {prefix + "i", prefix + "h"})
            raise InputError(f"--readout: no Dense parameters {readout!r} in {path}; found: {short_list(dense)}")
        C = as_weight(path, f"{readout}.kernel", node["kernel"], (n, None)).T
        d = as_weight(path, f"{readout}.bias", node["bias"], (C.shape[0],)) if "bias" in node else np.zeros(C.shape[0])
    return dict(W=W, B=Ki.T, b=bi, C=C, d=d, activation=check_activation(path, activation or "tanh"),
                time="discrete", source=path)
