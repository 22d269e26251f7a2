"""Format detection and dispatch to one reader per format (see :mod:`numerics.readers`).

The readers return the fields of an :class:`numerics.RNNSpec` as a dict (``source`` included) and
import nothing from :mod:`numerics.network`, so that ``load_network`` can hand foreign files to
:func:`read_fields` without an import circle. ``{"native": path}`` means: an rnnproof network file.
"""

from __future__ import annotations

import os
import struct
import zipfile

from ..errors import InputError

__all__ = ["read_fields", "detect_format", "FORMATS"]

FORMATS = {
    "torch": "PyTorch nn.RNN / nn.RNNCell state dict (.pt, .pth), read with torch.load(weights_only=True)",
    "safetensors": "PyTorch nn.RNN / nn.RNNCell weights in a .safetensors file",
    "keras": "Keras 3 .keras archive with one SimpleRNN (+ a linear Dense)",
    "keras-weights": "Keras 3 .weights.h5 of a SimpleRNN (+ Dense) model",
    "flax": "Flax linen.SimpleCell parameters (flax.serialization.to_bytes, .msgpack)",
    "psychrnn": "PsychRNN Basic weights (.npz with W_in, W_rec, W_out, ...)",
    "rnnproof": "rnnproof network file (.npz, rnnproof.network/1)",
}

_EXTENSIONS = ((".weights.h5", "keras-weights"), (".safetensors", "safetensors"), (".keras", "keras"),
               (".pth", "torch"), (".pt", "torch"), (".msgpack", "flax"), (".h5", "keras-weights"))
# Which of the reader options each format takes (anything else given is an error).
_OPTIONS = {"torch": {"layer", "readout", "activation"}, "safetensors": {"layer", "readout", "activation"},
            "keras": {"activation"}, "keras-weights": {"activation"}, "flax": {"readout", "activation", "residual"},
            "psychrnn": {"dt", "tau", "activation"}, "rnnproof": set()}
_FLAG = {"layer": "--layer", "readout": "--readout", "activation": "--activation", "dt": "--dt",
         "tau": "--tau", "residual": "residual"}


def _npz_kind(path):
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    if {"config.json", "model.weights.h5"} <= set(names):
        return "keras"
    if any(n.endswith("/data.pkl") or n == "data.pkl" for n in names):
        return "torch"
    if names and all(n.endswith(".npy") for n in names):
        from .psychrnn import looks_like_psychrnn
        return "psychrnn" if looks_like_psychrnn(n[:-4] for n in names) else "rnnproof"
    return None


def detect_format(path):
    """The format of ``path`` from its extension, then its first bytes; ``None`` if unknown or unreadable.

    An ``.npz`` is ``psychrnn`` when it holds ``W_rec`` and ``W_in``, otherwise ``rnnproof``.
    """
    path = os.fspath(path)
    lower = path.lower()
    for ext, fmt in _EXTENSIONS:
        if lower.endswith(ext):
            return fmt
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
        size = os.path.getsize(path)
    except OSError:
        return None
    if head.startswith(b"PK"):
        return _npz_kind(path)
    if head.startswith(b"\x93NUMPY"):
        return "rnnproof"          # a single .npy array: load_network says why that is not a network
    if lower.endswith(".npz"):
        return "rnnproof"          # not a zip: load_network reports what it is
    if head.startswith(b"\x89HDF"):
        return "keras-weights"
    if len(head) >= 9:
        (header_len,) = struct.unpack("<Q", head[:8])
        if 0 < header_len < size and head[8:9] == b"{":
            return "safetensors"
    if head[:1] == b"\x80":
        return "torch"             # a legacy (non-zip) torch.save pickle; torch.load(weights_only) decides
    if head[:1] and (0x80 <= head[0] <= 0x8F or head[0] in (0xDE, 0xDF)):
        return "flax"              # a msgpack map
    return None


def read_fields(path, format=None, layer=None, readout=None, dt=None, tau=None, activation=None,
                 residual=False) -> dict:
    """The :class:`numerics.RNNSpec` fields of a trained network in any supported file.

    Parameters
    ----------
    path : the file.  format : one of :data:`FORMATS` (default: detected).
    layer : layer K of a stacked torch ``nn.RNN``.  readout : prefix of an ``nn.Linear`` / Flax
    ``Dense`` readout (e.g. ``fc``, ``Dense_0``).  dt, tau : PsychRNN's time step and time constant
    (α = dt/τ).  activation : the nonlinearity where the file does not record it (torch, Flax,
    ``.weights.h5``, PsychRNN).  residual : a Flax ``SimpleCell(residual=True)``.

    Every problem raises :class:`InputError` with one line (an unknown layout lists the keys found
    and the keys expected; an option the format does not take is named).
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise InputError(f"network file not found: {path}")
    if os.path.isdir(path):
        raise InputError(f"{path} is a folder; pass the network file itself")
    if format is None:
        format = detect_format(path)
        if format is None:
            raise InputError(f"{path}: cannot tell the network format from its name or content; pass "
                             f"--format, one of {', '.join(FORMATS)}")
    elif format not in FORMATS:
        raise InputError(f"--format: {format!r} is not a known format; expected one of {', '.join(FORMATS)}")
    given = {"layer": layer, "readout": readout, "dt": dt, "tau": tau, "activation": activation,
             "residual": residual or None}
    for name, value in given.items():
        if value is not None and name not in _OPTIONS[format]:
            raise InputError(f"{_FLAG[name]} does not apply to a {format} file ({FORMATS[format]})")
    if layer is not None and (isinstance(layer, bool) or not isinstance(layer, int) or layer < 0):
        raise InputError(f"--layer must be a non-negative integer, got {layer!r}")
    if format == "torch":
        from .torch_state import read_torch
        return read_torch(path, layer=layer, readout=readout, activation=activation)
    if format == "safetensors":
        from .safetensors_file import read_safetensors
        return read_safetensors(path, layer=layer, readout=readout, activation=activation)
    if format == "keras":
        from .keras_file import read_keras
        return read_keras(path, activation=activation)
    if format == "keras-weights":
        from .keras_file import read_keras_weights
        return read_keras_weights(path, activation=activation)
    if format == "flax":
        from .flax_msgpack import read_flax
        return read_flax(path, readout=readout, activation=activation, residual=residual)
    if format == "psychrnn":
        from .psychrnn import read_psychrnn
        return read_psychrnn(path, dt=dt, tau=tau, activation=activation)
    return {"native": path}
