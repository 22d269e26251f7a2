r"""PsychRNN ``Basic`` networks saved by ``model.save(path)`` (``.npz`` of the weights).

PsychRNN's model (``psychrnn.backend.models.basic.Basic``, noise off):

.. math:: x_{t+1} = (1-\alpha)x_t + \alpha\big(W_{rec}\phi(x_t) + W_{in}u_t + b_{rec}\big),\qquad
          y_t = W_{out}\phi(x_t) + b_{out},\qquad \alpha = dt/\tau,

with the state $x$ the *activation* and $\phi$ = ReLU (``BasicSigmoid``: the sigmoid). This is
our leaky activation-form model $x_k = x_{k-1} + \alpha(-x_{k-1} + W\phi(x_{k-1}) + Bu_k + b)$,
$y_k = C\phi(x_k) + d$, with $W$, $B$, $C$ the *effective* weights PsychRNN uses:
$W = (|W_{rec}|\odot M_{rec})\,\mathrm{Dale}_{rec}$, $B = |W_{in}|\odot M_{in}$,
$C = (|W_{out}|\odot M_{out})\,\mathrm{Dale}_{out}$ when ``dale_ratio`` is set, and
$W_{rec}\odot M_{rec}$, $W_{in}\odot M_{in}$, $W_{out}\odot M_{out}$ otherwise ($M$: the
connectivity masks, all ones when absent). $h_0$ = ``init_state`` (first row), $b = b_{rec}$,
$d = b_{out}$. The file does not store $dt$ and $\tau$: both must be given.

Loaded with ``allow_pickle=False``. PsychRNN stores ``dale_ratio=None`` as a pickled object; that
one member is recognised by comparing its bytes with the pickle of ``None`` (never unpickled).
"""

from __future__ import annotations

import zipfile

import numpy as np

from ..errors import InputError
from ._common import as_weight, check_activation, short_list

__all__ = ["read_psychrnn", "PSYCHRNN_KEYS", "looks_like_psychrnn"]

PSYCHRNN_KEYS = ("W_in", "W_rec", "W_out", "b_rec", "b_out", "init_state")
_MASKS = {"input_connectivity": "in", "rec_connectivity": "rec", "output_connectivity": "out",
          "connectivity": "rec", "dale_rec": "dale_rec", "dale_out": "dale_out"}
_IGNORED = ("dale_ratio",)


def looks_like_psychrnn(keys) -> bool:
    """True when the archive holds PsychRNN's recurrent-weight keys."""
    return {"W_rec", "W_in"} <= set(keys)


def _member_is_pickled_none(path, key) -> bool:
    """Whether ``key.npy`` in the archive is a 0-d object array holding ``None``, never unpickled.

    PsychRNN saves ``dale_ratio=None`` through ``np.savez``, which pickles a 0-d object ndarray (the
    bytes depend on the numpy version). The pickle's opcodes are only *read* (``pickletools.genops``
    does not execute them): the array's one element must be the ``NONE`` opcode appended to its data
    list. No library offers this check without unpickling, hence the few lines here."""
    import pickletools
    with zipfile.ZipFile(path) as zf:
        with zf.open(key + ".npy") as fh:
            version = np.lib.format.read_magic(fh)
            header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                      else np.lib.format.read_array_header_2_0)(fh)
            if header[2] != np.dtype(object) or header[0] != ():
                return False
            payload = fh.read(1 << 16)
    try:
        names = [op.name for op, _, _ in pickletools.genops(payload)]
    except Exception:  # a malformed stream is simply not a pickled None
        return False
    names = [n for n in names if n not in ("MEMOIZE", "BINPUT", "LONG_BINPUT", "PUT")]
    if names.count("EMPTY_LIST") != 1:
        return False
    after = names[names.index("EMPTY_LIST") + 1:]
    return after[:2] == ["NONE", "APPEND"]


def read_psychrnn(path, dt=None, tau=None, activation=None):
    """Read a PsychRNN weights ``.npz`` into a leaky discrete :class:`RNNSpec` (α = dt/τ)."""
    raw, dale_ratio = {}, None
    try:
        with np.load(path, allow_pickle=False) as data:
            files = list(data.files)
            for key in files:
                try:
                    raw[key] = data[key]
                except ValueError:
                    if key == "dale_ratio" and _member_is_pickled_none(path, key):
                        continue
                    raise InputError(f"{path}: {key} is a pickled object, which is never loaded; "
                                     "save plain numeric arrays") from None
    except InputError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise InputError(f"{path}: not a readable .npz archive ({exc})") from None
    missing = [k for k in ("W_in", "W_rec", "W_out") if k not in raw]
    if missing:
        raise InputError(f"{path}: missing PsychRNN key(s) {', '.join(missing)}; keys found: "
                         f"{short_list(raw)}; keys expected: {', '.join(PSYCHRNN_KEYS)}")
    masks = {}
    for key in raw:
        if key in PSYCHRNN_KEYS or key in _IGNORED:
            continue
        role = _MASKS.get(key.lower())
        if role is None:
            raise InputError(f"{path}: unexpected key {key!r}; keys expected: {', '.join(PSYCHRNN_KEYS)}, "
                             "optional dale_ratio, Dale_rec, Dale_out, input/rec/output_connectivity")
        masks[role] = key
    if "dale_ratio" in raw:
        value = as_weight(path, "dale_ratio", raw["dale_ratio"])
        if value.size != 1:
            raise InputError(f"{path}: dale_ratio must be a scalar, got shape {value.shape}")
        dale_ratio = float(value.reshape(()))
    if dt is None or tau is None:
        raise InputError(f"{path}: PsychRNN weights do not store dt and tau; pass --dt and --tau "
                         "(α = dt/τ; PsychRNN's defaults are dt=10, tau=100)")
    dt, tau = float(dt), float(tau)
    if not (np.isfinite(dt) and np.isfinite(tau) and dt > 0 and tau > 0):
        raise InputError(f"--dt/--tau must be positive and finite, got dt={dt:g}, tau={tau:g}")
    alpha = dt / tau
    if not 0 < alpha <= 1:
        raise InputError(f"--dt/--tau: α = dt/τ = {alpha:.6g} must lie in (0, 1] (dt ≤ τ)")
    W_rec = as_weight(path, "W_rec", raw["W_rec"], (None, None))
    n = W_rec.shape[0]
    if W_rec.shape != (n, n):
        raise InputError(f"{path}: W_rec has shape {W_rec.shape}, expected ({n}, {n})")
    W_in = as_weight(path, "W_in", raw["W_in"], (n, None))
    W_out = as_weight(path, "W_out", raw["W_out"], (None, n))
    k = W_out.shape[0]
    b_rec = as_weight(path, "b_rec", raw["b_rec"], (n,)) if "b_rec" in raw else np.zeros(n)
    b_out = as_weight(path, "b_out", raw["b_out"], (k,)) if "b_out" in raw else np.zeros(k)
    h0 = None
    if "init_state" in raw:
        s = as_weight(path, "init_state", raw["init_state"])
        if s.ndim not in (1, 2) or s.shape[-1] != n:
            raise InputError(f"{path}: init_state has shape {s.shape}, expected ({n},) or (batch, {n})")
        h0 = s.reshape(-1, n)[0]
    shapes = {"in": W_in.shape, "rec": (n, n), "out": (k, n), "dale_rec": (n, n), "dale_out": (n, n)}
    M = {role: as_weight(path, key, raw[key], shapes[role]) for role, key in masks.items()}
    ones = lambda role: M.get(role, np.ones(shapes[role]))  # noqa: E731
    if dale_ratio:
        W = (np.abs(W_rec) * ones("rec")) @ M.get("dale_rec", np.eye(n))
        B = np.abs(W_in) * ones("in")
        C = (np.abs(W_out) * ones("out")) @ M.get("dale_out", np.eye(n))
    else:
        W, B, C = W_rec * ones("rec"), W_in * ones("in"), W_out * ones("out")
    act = check_activation(path, activation or "relu", allowed=("relu", "sigmoid", "tanh"))
    return dict(W=W, B=B, b=b_rec, C=C, d=b_out, h0=h0, activation=act, time="discrete",
                alpha=alpha, source=path)
