r"""``.safetensors`` files of a PyTorch ``nn.RNN`` / ``nn.RNNCell`` (and readout), read without torch.

Same keys and convention as :mod:`numerics.readers.torch_state`: $W=W_{hh}$, $B=W_{ih}$,
$b=b_{ih}+b_{hh}$, ``readout=PREFIX`` gives $C$, $d$. The nonlinearity is ``activation``, else the
file's metadata entry ``nonlinearity`` (``save_file(sd, path, metadata={"nonlinearity": "relu"})``),
else torch's default ``tanh``. Read with the ``safetensors`` package's numpy API (no code runs).
"""

from __future__ import annotations

from ..errors import InputError
from ._common import torch_layout_to_spec

__all__ = ["read_safetensors"]


def read_safetensors(path, layer=None, readout=None, activation=None):
    """Read a ``.safetensors`` file into a discrete :class:`RNNSpec`."""
    try:
        from safetensors import safe_open
    except ImportError:
        raise InputError(f"{path}: reading .safetensors needs the safetensors package: pip install safetensors") from None
    tensors = {}
    try:
        with safe_open(path, framework="np") as handle:
            meta = handle.metadata() or {}
            for key in handle.keys():
                tensors[key] = handle.get_tensor(key)
    except InputError:
        raise
    except Exception as exc:  # SafetensorError, TypeError for bfloat16, OSError
        raise InputError(f"{path}: not a readable .safetensors file ({str(exc)[:160]})") from None
    act = activation or meta.get("nonlinearity") or "tanh"
    return torch_layout_to_spec(path, tensors, layer=layer, readout=readout, activation=act)
