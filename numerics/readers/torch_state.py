r"""PyTorch ``nn.RNN`` / ``nn.RNNCell`` state dicts saved with ``torch.save`` (``.pt``, ``.pth``).

Convention (torch's documentation of ``nn.RNN``):
$h_t=\phi(W_{ih}x_t+b_{ih}+W_{hh}h_{t-1}+b_{hh})$, read as our discrete model
$h_t=\phi(Wh_{t-1}+Bu_t+b)$ with $W=W_{hh}$, $B=W_{ih}$, $b=b_{ih}+b_{hh}$, $h_{-1}=0$ (torch's
default ``h0``). Keys: ``weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0`` (``nn.RNN``, one set
per layer ``lK``) or the same without ``_l0`` (``nn.RNNCell``), with an optional module prefix.
An ``nn.Linear`` readout ``PREFIX.weight``/``PREFIX.bias`` becomes $C$, $d$ with ``readout=PREFIX``.

A state dict does not record ``nonlinearity``; it is ``activation`` (torch's default ``tanh``),
or the string stored beside the weights: ``torch.save({"state_dict": rnn.state_dict(),
"nonlinearity": "relu"}, path)``.

Files are read only by ``torch.load(path, weights_only=True)``, which refuses arbitrary pickled
objects; nothing is ever unpickled any other way. Without torch installed the reader says how to
export a ``.safetensors`` file instead.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from ._common import torch_layout_to_spec

__all__ = ["read_torch", "EXPORT_HINT"]

EXPORT_HINT = ("where torch is installed, export the weights with: from safetensors.torch import "
               "save_file; save_file(model.state_dict(), 'net.safetensors', metadata={'nonlinearity': 'tanh'})")

_NESTED = ("state_dict", "model_state_dict", "model")


def _to_numpy(where, key, value):
    import torch
    if not isinstance(value, torch.Tensor):
        raise InputError(f"{where}: {key} is a {type(value).__name__}, not a tensor; save model.state_dict()")
    if value.is_complex():
        raise InputError(f"{where}: {key} is complex; only real weights are supported")
    return value.detach().to("cpu", dtype=torch.float64).numpy()


def state_dict_from_object(where: str, obj):
    """(tensors, nonlinearity or None) from what ``torch.load`` returned, or ``InputError``."""
    import torch
    if not isinstance(obj, dict):
        raise InputError(f"{where}: holds a {type(obj).__name__}, not a state dict; save "
                         "model.state_dict() (a dict of tensors) with torch.save")
    nonlinearity = obj.get("nonlinearity") if isinstance(obj.get("nonlinearity"), str) else None
    if not all(isinstance(v, torch.Tensor) for v in obj.values()):
        nested = [k for k in _NESTED if isinstance(obj.get(k), dict)]
        if not nested:
            odd = [str(k) for k, v in obj.items() if not isinstance(v, torch.Tensor)]
            raise InputError(f"{where}: not a state dict (entries that are not tensors: "
                             f"{', '.join(odd[:8])}); save model.state_dict()")
        obj = obj[nested[0]]
        if not all(isinstance(v, torch.Tensor) for v in obj.values()):
            raise InputError(f"{where}: {nested[0]!r} is not a state dict of tensors")
    return {str(k): _to_numpy(where, k, v) for k, v in obj.items()}, nonlinearity


def read_torch(path, layer=None, readout=None, activation=None):
    """Read a ``torch.save``-d state dict (``weights_only=True``) into a discrete :class:`RNNSpec`."""
    try:
        import torch
    except ImportError:
        raise InputError(f"{path}: reading a .pt/.pth file needs torch, which is not installed; "
                         + EXPORT_HINT) from None
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises UnpicklingError, RuntimeError, EOFError, ...
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{path}: not a state dict that torch.load(weights_only=True) accepts "
                         f"({first[:160]}); save model.state_dict(), not the model object") from None
    tensors, stored = state_dict_from_object(path, obj)
    act = activation or stored or "tanh"
    return torch_layout_to_spec(path, tensors, layer=layer, readout=readout, activation=act)
