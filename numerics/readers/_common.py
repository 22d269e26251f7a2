"""Helpers shared by the format readers: array checks that name the key, and the torch key layout.

Every reader turns a framework's weights into float64 numpy arrays, checks each one (numeric,
finite, the expected shape) with a message that names the key, and builds a :class:`RNNSpec`.
"""

from __future__ import annotations

import re

import numpy as np

from ..errors import InputError

__all__ = ["as_weight", "check_activation", "torch_layout_to_spec", "short_list"]

SIMPLE_ONLY = ("only simple (Elman) RNNs are in scope: LSTM and GRU gates have no counterpart "
               "in the model h_t = φ(W h_{t−1} + B u_t + b)")


def short_list(names, limit: int = 12) -> str:
    """``a, b, c`` (at most ``limit`` names, then ``... (N in all)``)."""
    names = sorted(names)
    if len(names) <= limit:
        return ", ".join(names) if names else "(none)"
    return ", ".join(names[:limit]) + f", ... ({len(names)} in all)"


def as_weight(where: str, key: str, value, shape=None) -> np.ndarray:
    """``value`` as a float64 array; ``InputError`` naming ``key`` if it is not numeric, not finite
    or not of ``shape`` (a tuple; ``None`` entries match any size)."""
    arr = np.asarray(value)
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise InputError(f"{where}: {key} must be a real numeric array, got dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if shape is not None:
        ok = arr.ndim == len(shape) and all(s is None or s == a for s, a in zip(shape, arr.shape))
        if not ok:
            want = "(" + ", ".join("·" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
            raise InputError(f"{where}: {key} has shape {arr.shape}, expected {want}")
    if not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise InputError(f"{where}: {key} contains {bad} NaN or Inf value(s); every weight must be finite")
    return arr


def check_activation(where: str, name, allowed=("tanh", "relu")) -> str:
    """The activation name, lower case; ``InputError`` if it is not one the model family covers."""
    if not isinstance(name, str) or name.lower() not in allowed:
        raise InputError(f"{where}: activation {name!r} is not supported here; expected one of "
                         f"{', '.join(allowed)}")
    return name.lower()


_LAYER_KEY = re.compile(r"^(?P<prefix>(?:.*\.)?)weight_hh(?P<layer>_l\d+)?(?P<rev>_reverse)?$")


def torch_layout_to_spec(where: str, tensors: dict, layer=None, readout=None,
                         activation="tanh") -> dict:
    r"""``torch.nn.RNN`` / ``nn.RNNCell`` keys to a discrete :class:`RNNSpec`.

    torch's model is $h_t=\phi(W_{ih}x_t+b_{ih}+W_{hh}h_{t-1}+b_{hh})$, so $W=W_{hh}$,
    $B=W_{ih}$ and $b=b_{ih}+b_{hh}$ (``time="discrete"``, state = the activity $h$). An
    ``nn.Linear`` named ``readout`` (keys ``PREFIX.weight``, ``PREFIX.bias``) gives $C$, $d$; without
    ``readout``, a single ``nn.Linear`` of width n left over (and nothing else) is taken as the readout.
    A module prefix (``rnn.weight_hh_l0``) is allowed; every key must be used, so an unexpected
    key is reported by name. Layer ``K`` of a stacked network takes the previous layer's states as
    its input $u$.
    """
    keys = set(tensors)
    found = {}
    for key in keys:
        m = _LAYER_KEY.match(key)
        if m:
            found.setdefault(m.group("prefix"), []).append((m.group("layer"), bool(m.group("rev")), key))
    gated = [k for k in keys if re.search(r"(^|\.)weight_hr_l\d+$", k)]
    if not found:
        expected = "weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0 (nn.RNN) or weight_ih, weight_hh, bias_ih, bias_hh (nn.RNNCell)"
        raise InputError(f"{where}: no recurrent weights found; keys found: {short_list(keys)}; "
                         f"keys expected: {expected}")
    if len(found) > 1:
        raise InputError(f"{where}: several recurrent modules ({short_list(p.rstrip('.') or '(top level)' for p in found)}); "
                         "save one nn.RNN (and its readout) per file")
    prefix, entries = next(iter(found.items()))
    if any(rev for _, rev, _ in entries):
        raise InputError(f"{where}: bidirectional RNN (keys ending in _reverse): a backward pass over the "
                         "sequence is not a recurrence h_t = φ(W h_{t−1} + B u_t + b) in time; save a "
                         "unidirectional nn.RNN")
    layers = sorted({lay for lay, _, _ in entries if lay}, key=lambda s: int(s[2:]))
    is_cell = any(lay is None for lay, _, _ in entries)
    if is_cell and layers:
        raise InputError(f"{where}: both nn.RNNCell keys (weight_hh) and nn.RNN keys (weight_hh_l0) found")
    if layers:
        numbers = [int(s[2:]) for s in layers]
        if layer is None:
            if len(layers) > 1:
                raise InputError(f"{where}: a {len(layers)}-layer RNN (layers {', '.join(map(str, numbers))}); "
                                 "pick one with --layer K (layer K > 0 takes layer K−1's states as input)")
            layer = numbers[0]
        if layer not in numbers:
            raise InputError(f"--layer: {layer} is not a layer of {where}; its layers are "
                             f"{', '.join(map(str, numbers))}")
        suffix = f"_l{int(layer)}"
    else:
        if layer not in (None, 0):
            raise InputError(f"--layer: {where} holds a single nn.RNNCell; --layer must be 0 or omitted")
        suffix = ""
    names = {part: f"{prefix}{part}{suffix}" for part in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
    for part in ("weight_ih", "weight_hh"):
        if names[part] not in keys:
            raise InputError(f"{where}: missing key {names[part]!r}; keys found: {short_list(keys)}")
    W_hh = np.asarray(tensors[names["weight_hh"]])
    if W_hh.ndim == 2 and W_hh.shape[1] > 0 and W_hh.shape[0] in (3 * W_hh.shape[1], 4 * W_hh.shape[1]):
        kind = "GRU" if W_hh.shape[0] == 3 * W_hh.shape[1] else "LSTM"
        raise InputError(f"{where}: {names['weight_hh']} has shape {W_hh.shape}, the gate stack of an "
                         f"{kind}; {SIMPLE_ONLY}")
    if gated:
        raise InputError(f"{where}: LSTM-style keys ({short_list(gated)}); {SIMPLE_ONLY}")
    W = as_weight(where, names["weight_hh"], W_hh, (None, None))
    n = W.shape[0]
    if W.shape != (n, n):
        raise InputError(f"{where}: {names['weight_hh']} has shape {W.shape}, expected ({n}, {n})")
    B = as_weight(where, names["weight_ih"], tensors[names["weight_ih"]], (n, None))
    b = np.zeros(n)
    have_bias = [names[p] in keys for p in ("bias_ih", "bias_hh")]
    if any(have_bias) and not all(have_bias):
        missing = names["bias_ih"] if not have_bias[0] else names["bias_hh"]
        raise InputError(f"{where}: missing key {missing!r} (nn.RNN has both biases or, with bias=False, neither)")
    for part in ("bias_ih", "bias_hh"):
        if names[part] in keys:
            b = b + as_weight(where, names[part], tensors[names[part]], (n,))
    used = {names[p] for p in names if names[p] in keys}
    # Other layers of a stacked network are legitimately present; they are not this layer.
    used |= {k for _, _, k in entries}
    used |= {k for k in keys if re.fullmatch(re.escape(prefix) + r"(weight_ih|bias_ih|bias_hh)_l\d+", k)}
    C = d = None
    if not readout:
        # One nn.Linear reading the hidden state (PREFIX.weight of shape (k, n), optional
        # PREFIX.bias) and nothing else left over: that is the readout, as in model.state_dict()
        # of an nn.RNN followed by an nn.Linear. Anything else left over is an error below.
        rest = keys - used
        heads = {k[: -len(".weight")] for k in rest if k.endswith(".weight")}
        if len(heads) == 1:
            head = next(iter(heads))
            w = np.asarray(tensors[head + ".weight"])
            if rest <= {head + ".weight", head + ".bias"} and w.ndim == 2 and w.shape[1] == n:
                readout = head
    if readout:
        rp = readout.rstrip(".") + "."
        wkey, bkey = rp + "weight", rp + "bias"
        if wkey not in keys:
            cands = sorted(k[:-len(".weight")] for k in keys if k.endswith(".weight"))
            raise InputError(f"--readout: no key {wkey!r} in {where}; readout prefixes found: "
                             f"{short_list(cands)}")
        C = as_weight(where, wkey, tensors[wkey], (None, n))
        d = as_weight(where, bkey, tensors[bkey], (C.shape[0],)) if bkey in keys else np.zeros(C.shape[0])
        used |= {wkey, bkey}
    extra = keys - used
    if extra:
        hint = ""
        heads = sorted({k[:-len(".weight")] for k in extra if k.endswith(".weight")})
        if heads and not readout:
            hint = f"; if {heads[0]!r} is the readout (an nn.Linear), pass --readout {heads[0]}"
        raise InputError(f"{where}: unexpected key(s) {short_list(extra)}{hint}")
    act = check_activation(where, activation)
    return dict(W=W, B=B, b=b, C=C, d=d, activation=act, time="discrete", source=where)
