r"""Trained networks from other frameworks, read into :class:`numerics.RNNSpec`.

read_network(path, format=None, ...)  -- any supported file, format detected by extension and content
detect_format(path)                   -- the format name, or None when it cannot be told
FORMATS                               -- format name -> one-line description

One module per format, each stating its convention in its docstring:

========================  ===================================  ===========================================
format                    files                                model read
========================  ===================================  ===========================================
``torch``                 ``.pt``, ``.pth`` (``torch.save``)   ``nn.RNN``/``nn.RNNCell``: W=W_hh, B=W_ih, b=b_ih+b_hh
``safetensors``           ``.safetensors``                     same keys as ``torch``, read without torch
``keras``                 ``.keras`` archive                   ``SimpleRNN`` (+ linear ``Dense``): W=Rᵀ, B=Kᵀ
``keras-weights``         ``.weights.h5``                      the same weights without the config
``flax``                  ``.msgpack`` (``to_bytes``)          ``linen.SimpleCell``: W=K_hᵀ, B=K_iᵀ, b=β_i
``psychrnn``              ``.npz`` with ``W_rec``              leaky activation form, α = dt/τ
``rnnproof``              ``.npz`` network file                :func:`numerics.load_network`
========================  ===================================  ===========================================

Nothing is ever unpickled: ``.pt`` files go through ``torch.load(weights_only=True)``, archives
through zip/JSON/HDF5/msgpack parsers, ``.npz`` through ``numpy.load(allow_pickle=False)``.
Every problem raises :class:`numerics.InputError` with one line naming the key or the option.

>>> sorted(FORMATS)[:3]
['flax', 'keras', 'keras-weights']
"""

from __future__ import annotations

from ..network import RNNSpec, load_network
from .formats import FORMATS, detect_format, read_fields

__all__ = ["read_network", "detect_format", "FORMATS"]


def read_network(path, format=None, layer=None, readout=None, dt=None, tau=None, activation=None,
                 residual=False) -> RNNSpec:
    """Read a trained network from any supported file into a :class:`numerics.RNNSpec`.

    Parameters
    ----------
    path : the file.  format : one of :data:`FORMATS` (default: detected).
    layer : layer K of a stacked torch ``nn.RNN``.  readout : prefix of an ``nn.Linear`` / Flax
    ``Dense`` readout (e.g. ``fc``, ``Dense_0``).  dt, tau : PsychRNN's time step and time constant
    (α = dt/τ).  activation : the nonlinearity where the file does not record it (torch, Flax,
    ``.weights.h5``, PsychRNN).  residual : a Flax ``SimpleCell(residual=True)``.

    Every problem raises :class:`numerics.InputError` with one line (an unknown layout lists the
    keys found and the keys expected; an option the format does not take is named).
    """
    fields = read_fields(path, format=format, layer=layer, readout=readout, dt=dt, tau=tau,
                         activation=activation, residual=residual)
    if "native" in fields:
        return load_network(fields["native"])
    return RNNSpec(**fields)
