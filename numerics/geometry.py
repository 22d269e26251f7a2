r"""Representation geometry of a trained vanilla tanh RNN (Horoi, Lajoie & Wolf 2020), in numpy.

The recurrence (no recurrent bias unless ``b`` is given, $h_0 = 0$ unless given):

.. math:: h_t = \tanh(W h_{t-1} + U x_t + b),\qquad z_t = V h_t + c .

Contents
    Data        digits_available, load_digits_sequences, check_sequence_data
    Dynamics    rnn_states, autonomous_map, autonomous_run, spectral_radius, random_tanh_rnn
    Training    GeometryConfig, init_params, cross_entropy, loss_and_grad, train, TrainResult
    Measures    ridge_probe, participation_ratio, class_distance_ratio
    Analysis    per_step_analysis, fitted_probe_under_drift, autonomous_dynamics, run_digits
    Stand-in    STANDIN_THRESHOLDS, standin_statistics, standin_verdicts

Everything is numpy (and scipy's Cholesky solve). scikit-learn is used only as the data source
(its bundled 8×8 digits, no download), imported lazily inside :func:`load_digits_sequences`.
BPTT is written by hand (claim ``geometry.bptt_gradient``) because the toolkit must not depend on
a multi-gigabyte autodiff framework; it is checked against finite differences.

Examples
--------
>>> rng = np.random.default_rng(0)
>>> W, U = rng.standard_normal((4, 4)) / 2, rng.standard_normal((4, 3))
>>> x = rng.uniform(-1, 1, (5, 6, 3))
>>> pre = np.concatenate([np.zeros((5, 2, 3)), x], axis=1)
>>> np.array_equal(rnn_states(W, U, pre)[:, 3:], rnn_states(W, U, x)[:, 1:])
True
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import warnings
from dataclasses import asdict, dataclass, field
from typing import Callable, Optional

import numpy as np
from scipy.linalg import LinAlgError, cho_factor, cho_solve

from .errors import InputError

__all__ = [
    "digits_available", "load_digits_sequences", "check_sequence_data",
    "rnn_states", "autonomous_map", "autonomous_run", "spectral_radius", "random_tanh_rnn",
    "GeometryConfig", "init_params", "cross_entropy", "loss_and_grad", "flatten_params",
    "unflatten_params", "train", "TrainResult", "ridge_probe", "participation_ratio",
    "class_distance_ratio", "shuffled_distance_ratio", "per_step_analysis",
    "fitted_probe_under_drift", "autonomous_dynamics", "readout_accuracy", "DigitsRun",
    "run_digits", "SKLEARN_MISSING", "load_mnist", "STANDIN_THRESHOLDS", "DRIFT_CHECK_STEPS",
    "standin_statistics", "standin_verdicts",
]

SKLEARN_MISSING = "scikit-learn not installed (needed only for its bundled 8×8 digits data)"
_PARAM_KEYS = ("W", "U", "V", "c")


# ----------------------------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------------------------
def digits_available() -> bool:
    """True when scikit-learn (the source of the bundled digits) can be imported."""
    return importlib.util.find_spec("sklearn") is not None


def load_digits_sequences(seed: int, n_train: int = 1347):
    r"""scikit-learn's bundled 8×8 digits as row sequences: T = 8 steps of D = 8 pixels / 16.

    A seeded permutation (``numpy.random.default_rng(seed)``) splits the 1797 images into
    ``n_train`` training and the rest test sequences (the stand-in's reference split). No download: the data ship inside
    the scikit-learn wheel.

    Returns
    -------
    x_train, y_train, x_test, y_test : arrays of shapes (N, 8, 8), (N,), (M, 8, 8), (M,)

    Examples
    --------
    >>> xtr, ytr, xte, yte = load_digits_sequences(0)
    >>> xtr.shape, xte.shape, float(xtr.max()) <= 1.0
    ((1347, 8, 8), (450, 8, 8), True)
    """
    if not digits_available():
        raise InputError(f"the digits stand-in needs {SKLEARN_MISSING}; pip install scikit-learn")
    pixels, labels = _digits_arrays()
    images = pixels.reshape(-1, 8, 8) / 16.0
    if not 1 <= n_train < len(labels):
        raise InputError(f"n_train must lie in [1, {len(labels) - 1}], got {n_train}")
    order = np.random.default_rng(seed).permutation(len(labels))
    tr, te = order[:n_train], order[n_train:]
    return images[tr], labels[tr], images[te], labels[te]


def _digits_arrays():
    """The 1797 bundled digits as (pixels (1797, 64) float, labels (1797,) int).

    Reads scikit-learn's own data file ``sklearn/datasets/data/digits.csv.gz`` (the file behind
    ``load_digits``) with numpy, which avoids importing scikit-learn (about 2 s of CPU); falls back to
    ``sklearn.datasets.load_digits`` if the file is not where scikit-learn has always kept it.
    """
    import os

    spec = importlib.util.find_spec("sklearn")
    for root in (spec.submodule_search_locations or []) if spec is not None else []:
        path = os.path.join(root, "datasets", "data", "digits.csv.gz")
        if os.path.isfile(path):
            raw = np.loadtxt(path, delimiter=",")
            if raw.shape == (1797, 65):
                return raw[:, :64], raw[:, 64].astype(int)
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.data.astype(float), digits.target.astype(int)


def check_sequence_data(x_train, y_train, x_test, y_test, input_dim: Optional[int] = None,
                        n_outputs: Optional[int] = None):
    """Validate user sequence data (``samples × T × input``) and integer labels.

    Raises :class:`InputError` naming the offending array: wrong rank, mismatched T or input size,
    label count different from sample count, non-integer or negative labels, NaN/Inf, fewer than two
    classes, or labels the readout (``n_outputs`` rows of C) cannot produce.

    Returns the four arrays as float64 / int64.
    """
    out = []
    for name, x in (("x_train", x_train), ("x_test", x_test)):
        x = np.asarray(x)
        if x.dtype.kind not in "biuf":
            raise InputError(f"{name} must be a numeric array, got dtype {x.dtype}")
        if x.ndim != 3:
            raise InputError(f"{name} must have shape samples×T×input (3 dimensions), got shape {x.shape}")
        if x.shape[0] < 1 or x.shape[1] < 1 or x.shape[2] < 1:
            raise InputError(f"{name} must have at least one sample, step and input, got shape {x.shape}")
        if not np.all(np.isfinite(x)):
            raise InputError(f"{name} contains NaN or Inf; every entry must be finite")
        out.append(x.astype(float))
    xtr, xte = out
    if xtr.shape[1:] != xte.shape[1:]:
        raise InputError(f"x_train and x_test must have the same T and input size, got {xtr.shape} and {xte.shape}")
    if input_dim is not None and xtr.shape[2] != input_dim:
        raise InputError(f"x_train has input size {xtr.shape[2]} but the network's B has {input_dim} columns")
    labels = []
    for name, y, x in (("y_train", y_train, xtr), ("y_test", y_test, xte)):
        y = np.asarray(y)
        if y.ndim != 1 or y.shape[0] != x.shape[0]:
            xname = "x_" + name[2:]
            raise InputError(f"{name} must be a vector with one label per sample of {xname} "
                             f"({x.shape[0]}), got shape {y.shape}")
        if y.dtype.kind == "f":
            if not np.all(np.isfinite(y)):
                raise InputError(f"{name} contains NaN or Inf; labels must be integers")
            if not np.all(y == np.round(y)):
                raise InputError(f"{name} must hold integer class labels, got non-integer values")
        elif y.dtype.kind not in "iub":
            raise InputError(f"{name} must hold integer class labels, got dtype {y.dtype}")
        y = y.astype(np.int64)
        if y.min() < 0:
            raise InputError(f"{name} must hold non-negative class labels, got minimum {y.min()}")
        if n_outputs is not None and y.max() >= n_outputs:
            raise InputError(f"{name} has label {y.max()} but the network's readout C has only "
                             f"{n_outputs} rows (labels must lie in [0, {n_outputs}))")
        labels.append(y)
    ytr, yte = labels
    if np.unique(ytr).size < 2:
        raise InputError("y_train must contain at least two classes")
    if xtr.shape[0] < 2 or xte.shape[0] < 2:
        raise InputError("x_train and x_test need at least two samples each")
    return xtr, ytr, xte, yte


def _read_idx(path):
    import gzip
    import struct

    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as handle:
        raw = handle.read()
    if len(raw) < 4:
        raise InputError(f"{path}: not an IDX file (too short)")
    zero, dtype_code, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype_code != 0x08:
        raise InputError(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise InputError(f"{path}: IDX header says {shape} but the file holds {data.size} values")
    return data.reshape(shape)


def load_mnist(path):
    """User-supplied sequential MNIST (claim ``geometry.mnist_variant``); nothing is downloaded.

    ``path`` is a directory with the four standard IDX files (optionally ``.gz``) or an ``.npz`` with
    ``x_train, y_train, x_test, y_test``. Images become T = 28 rows of 28 pixels, scaled to [0, 1].
    """
    import os

    path = os.fspath(path)
    if os.path.isdir(path):
        names = {"x_train": "train-images-idx3-ubyte", "y_train": "train-labels-idx1-ubyte",
                 "x_test": "t10k-images-idx3-ubyte", "y_test": "t10k-labels-idx1-ubyte"}
        arrays = {}
        for key, stem in names.items():
            for candidate in (stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
                full = os.path.join(path, candidate)
                if os.path.exists(full):
                    arrays[key] = _read_idx(full)
                    break
            else:
                raise InputError(f"{path}: missing the IDX file {stem}[.gz]")
    elif os.path.isfile(path):
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {k: data[k] for k in ("x_train", "y_train", "x_test", "y_test")}
        except KeyError as exc:
            raise InputError(f"{path}: the .npz must contain x_train, y_train, x_test, y_test ({exc})") from None
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: not a readable .npz ({exc})") from None
    else:
        raise InputError(f"MNIST path not found: {path}")
    out = []
    for key in ("x_train", "x_test"):
        x = np.asarray(arrays[key], dtype=float)
        if x.ndim == 2 and x.shape[1] == 784:
            x = x.reshape(-1, 28, 28)
        if x.ndim != 3:
            raise InputError(f"{key} must have shape (N, 28, 28) or (N, 784), got {x.shape}")
        out.append(x / 255.0 if x.max() > 1.0 else x)
    return check_sequence_data(out[0], arrays["y_train"], out[1], arrays["y_test"])


# ----------------------------------------------------------------------------------------------
# Dynamics
# ----------------------------------------------------------------------------------------------
def _check_weights(W, U=None, b=None):
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise InputError(f"W must be a square matrix, got shape {W.shape}")
    if not np.all(np.isfinite(W)):
        raise InputError("W contains NaN or Inf; the zero-state statements need finite weights")
    if U is not None:
        U = np.asarray(U, dtype=float)
        if U.ndim != 2 or U.shape[0] != W.shape[0]:
            raise InputError(f"U must have shape (H, D) with H = {W.shape[0]}, got {U.shape}")
        if not np.all(np.isfinite(U)):
            raise InputError("U contains NaN or Inf; the zero-state statements need finite weights")
    if b is not None:
        b = np.asarray(b, dtype=float)
        if b.shape != (W.shape[0],) or not np.all(np.isfinite(b)):
            raise InputError(f"b must be a finite vector of shape ({W.shape[0]},), got {b.shape}")
    return W, U, b


def rnn_states(W, U, x, b=None, h0=None) -> np.ndarray:
    r"""All hidden states $h_0, h_1, \dots, h_T$ of $h_t=\tanh(Wh_{t-1}+Ux_t+b)$ for a batch.

    Parameters
    ----------
    W : (H, H), U : (H, D), x : (N, T, D), b : (H,) or None, h0 : (H,) or None (zeros).

    Returns
    -------
    (N, T + 1, H) array; index 0 is $h_0$.
    """
    W, U, b = _check_weights(W, U, b)
    x = np.asarray(x, dtype=float)
    if x.ndim != 3 or x.shape[2] != U.shape[1]:
        raise InputError(f"x must have shape (N, T, {U.shape[1]}), got {x.shape}")
    N, T, _ = x.shape
    H = W.shape[0]
    # Time-major storage keeps every per-step slice contiguous for BLAS; the result is a
    # (N, T + 1, H) view of it.
    out = np.empty((T + 1, N, H))
    out[0] = 0.0 if h0 is None else np.asarray(h0, dtype=float)
    drive = np.ascontiguousarray(np.swapaxes(x, 0, 1)) @ U.T  # (T, N, H)
    if b is not None:
        drive += b
    WT = np.ascontiguousarray(W.T)
    for t in range(T):
        np.matmul(out[t], WT, out=out[t + 1])
        out[t + 1] += drive[t]
        np.tanh(out[t + 1], out=out[t + 1])
    return np.swapaxes(out, 0, 1)


def autonomous_map(W, h, b=None) -> np.ndarray:
    r"""The zero-input map $f(h) = \tanh(Wh + b)$ (rows of ``h`` are states).

    >>> W = np.array([[0.5, 2.0], [-1.0, 0.3]])
    >>> np.array_equal(autonomous_map(W, np.zeros(2)), np.zeros(2))
    True
    """
    W, _, b = _check_weights(W, None, b)
    z = np.asarray(h, dtype=float) @ W.T
    return np.tanh(z if b is None else z + b)


def autonomous_run(W, h, steps: int, b=None) -> np.ndarray:
    """Iterate the zero-input map ``steps`` times from the rows of ``h``; returns (steps + 1, N, H)."""
    W, _, b = _check_weights(W, None, b)
    h = np.atleast_2d(np.asarray(h, dtype=float))
    out = np.empty((steps + 1,) + h.shape)
    out[0] = h
    WT = W.T
    for t in range(steps):
        z = out[t] @ WT
        out[t + 1] = np.tanh(z if b is None else z + b)
    return out


def spectral_radius(W) -> float:
    r"""$\rho(W) = \max_i |\lambda_i(W)|$ (LAPACK ``geev`` via ``numpy.linalg.eigvals``)."""
    return float(np.max(np.abs(np.linalg.eigvals(np.asarray(W, dtype=float)))))


def random_tanh_rnn(rng: np.random.Generator, H: int, D: int, gain: float = 1.0):
    r"""Random bias-free weights: $W_{ij}\sim N(0, g^2/H)$, $U_{ij}\sim N(0, 1/D)$."""
    W = rng.standard_normal((H, H)) * gain / math.sqrt(H)
    U = rng.standard_normal((H, D)) / math.sqrt(D)
    return W, U


# ----------------------------------------------------------------------------------------------
# Training: cross-entropy of softmax(V h_T + c), hand-written BPTT, Adam
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GeometryConfig:
    """The stand-in's reference configuration (defaults: the claims' trained network) and its hash for in-process caching.

    ``dtype`` is the arithmetic of the training passes (forward and BPTT). The default float32 halves
    the training time; the Adam state and the parameters stay float64, and every analysis (states,
    probes, measures, dynamics) runs in float64. The gradient check (claim
    ``geometry.bptt_gradient``) always uses float64.
    """

    seed: int = 0
    hidden: int = 200
    epochs: int = 40
    batch: int = 64
    lr: float = 2e-3
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    drift: int = 12
    ridge: float = 1e-2
    n_train: int = 1347
    clip: Optional[float] = None
    dtype: str = "float32"

    def __post_init__(self):
        for name in ("hidden", "epochs", "batch"):
            if int(getattr(self, name)) < 1:
                raise InputError(f"{name} must be a positive integer, got {getattr(self, name)}")
        if self.drift < 0:
            raise InputError(f"drift must be a non-negative integer, got {self.drift}")
        if not (self.lr > 0 and math.isfinite(self.lr)):
            raise InputError(f"lr must be a positive number, got {self.lr}")
        if not self.ridge > 0:
            raise InputError(f"ridge must be positive, got {self.ridge}")
        if self.dtype not in ("float32", "float64"):
            raise InputError(f"dtype must be float32 or float64, got {self.dtype!r}")

    def key(self) -> str:
        """A stable hash of the configuration (cache key)."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:16]


def init_params(rng: np.random.Generator, H: int, D: int, C: int) -> dict:
    r"""$W\sim N(0,1/H)$, $U\sim N(0,1/D)$, $V\sim N(0,1/H)$, $c=0$ (the stand-in's initialisation)."""
    return {"W": rng.standard_normal((H, H)) / math.sqrt(H),
            "U": rng.standard_normal((H, D)) / math.sqrt(D),
            "V": rng.standard_normal((C, H)) / math.sqrt(H),
            "c": np.zeros(C)}


def _check_training_inputs(params, x, y):
    for key in _PARAM_KEYS:
        if key not in params:
            raise InputError(f"params must contain {', '.join(_PARAM_KEYS)}; {key!r} is missing")
    x = np.asarray(x)
    if x.ndim != 3:
        raise InputError(f"x must have shape (N, T, D), got {x.shape}")
    if x.shape[1] == 0:
        raise InputError("T must be at least 1: x has no time steps")
    if x.dtype != np.float64:
        if x.dtype == np.float32 or x.dtype == np.float16:
            warnings.warn("x is not float64; casting to float64 (a float32 gradient check is meaningless)",
                          RuntimeWarning, stacklevel=3)
        x = x.astype(np.float64)
    y = np.asarray(y)
    C = params["V"].shape[0]
    if y.shape != (x.shape[0],) or y.dtype.kind not in "iu":
        raise InputError(f"y must be an integer vector of length {x.shape[0]}, got {y.dtype} {y.shape}")
    if y.size and (y.min() < 0 or y.max() >= C):
        raise InputError(f"y must hold labels in [0, {C}), got range [{y.min()}, {y.max()}]")
    return x, y


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy(params: dict, x, y) -> float:
    r"""Batch-mean cross-entropy $-\frac1N\sum_n \log\mathrm{softmax}(Vh_T^{(n)}+c)_{y_n}$."""
    x, y = _check_training_inputs(params, x, y)
    hT = rnn_states(params["W"], params["U"], x)[:, -1]
    z = hT @ params["V"].T + params["c"]
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-logp[np.arange(len(y)), y].mean())


def loss_and_grad(params: dict, x, y):
    r"""Loss and its gradient by backpropagation through time (claim ``geometry.bptt_gradient``).

    With $p=\mathrm{softmax}(Vh_T+c)$ and $N$ the batch size:
    $\delta_T = V^{\mathsf T}(p-e_y)/N$; for $t=T,\dots,1$: $a_t=\delta_t\odot(1-h_t^2)$,
    $\partial W \mathrel{+}= a_t h_{t-1}^{\mathsf T}$, $\partial U \mathrel{+}= a_t x_t^{\mathsf T}$,
    $\delta_{t-1}=W^{\mathsf T}a_t$; $\partial V=(p-e_y)h_T^{\mathsf T}/N$, $\partial c=(p-e_y)/N$.

    Returns
    -------
    loss : float, grads : dict with keys W, U, V, c.
    """
    x, y = _check_training_inputs(params, x, y)
    W, U, V, c = (np.asarray(params[k], dtype=np.float64) for k in _PARAM_KEYS)
    return _bptt(W, U, V, c, x, y)


def _bptt(W, U, V, c, x, y):
    """The BPTT core, generic in the float dtype shared by its arguments (float64 for checks;
    training may run it in float32, see :class:`GeometryConfig`)."""
    N, T, _ = x.shape
    H = W.shape[0]
    hs = np.empty((T + 1, N, H), dtype=W.dtype)  # time-major: contiguous per-step slices
    hs[0] = 0.0
    xt = np.ascontiguousarray(np.swapaxes(x, 0, 1))
    drive = xt @ U.T
    WT = np.ascontiguousarray(W.T)
    for t in range(T):
        np.matmul(hs[t], WT, out=hs[t + 1])
        hs[t + 1] += drive[t]
        np.tanh(hs[t + 1], out=hs[t + 1])
    p = _softmax(hs[T] @ V.T + c)
    rows = np.arange(N)
    loss = float(-np.mean(np.log(np.maximum(p[rows, y].astype(np.float64), 1e-300))))
    g = p
    g[rows, y] -= 1.0
    g /= N
    gV = g.T @ hs[T]
    gc = g.sum(axis=0)
    delta = g @ V  # rows: delta_T^T
    a_all = np.empty((T, N, H), dtype=W.dtype)
    for t in range(T, 0, -1):
        a = a_all[t - 1]
        np.multiply(delta, 1.0 - hs[t] * hs[t], out=a)
        delta = a @ W
    # The sums over t of a_t h_{t-1}^T and a_t x_t^T as single matrix products.
    a_flat = a_all.reshape(T * N, H)
    gW = a_flat.T @ hs[:-1].reshape(T * N, H)
    gU = a_flat.T @ xt.reshape(T * N, -1)
    return loss, {"W": gW, "U": gU, "V": gV, "c": gc}


def flatten_params(params: dict) -> np.ndarray:
    """Concatenate W, U, V, c into one vector (for directional finite differences)."""
    return np.concatenate([np.ravel(params[k]) for k in _PARAM_KEYS])


def unflatten_params(vector, like: dict) -> dict:
    """Inverse of :func:`flatten_params` with the shapes of ``like``."""
    out, i = {}, 0
    for k in _PARAM_KEYS:
        size = np.size(like[k])
        out[k] = np.asarray(vector[i:i + size], dtype=float).reshape(np.shape(like[k]))
        i += size
    return out


@dataclass(eq=False)
class TrainResult:
    """Trained and initial parameters, per-epoch mean loss and whether training diverged."""

    params: dict
    initial: dict
    losses: list = field(default_factory=list)
    diverged: bool = False


def train(config: GeometryConfig, x_train, y_train, n_classes: int,
          rng: np.random.Generator, progress: Optional[Callable[[int, int], None]] = None) -> TrainResult:
    """Adam on mini-batches of the cross-entropy (the stand-in's training: Adam 2e-3, β = (0.9, 0.999)). ``rng`` draws init and batch order.

    Stops early (``diverged=True``) at the first non-finite loss or gradient. ``progress(done,
    total)`` is called after each epoch.
    """
    x_train = np.asarray(x_train, dtype=float)
    y_train = np.asarray(y_train)
    N, _, D = x_train.shape
    params = init_params(rng, config.hidden, D, n_classes)
    initial = {k: v.copy() for k, v in params.items()}
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v2 = {k: np.zeros_like(v) for k, v in params.items()}
    step = 0
    result = TrainResult(params=params, initial=initial)
    x_train, y_train = _check_training_inputs(params, x_train, y_train)
    work = np.dtype(config.dtype)
    x_work = x_train.astype(work)
    for epoch in range(config.epochs):
        order = rng.permutation(N)
        total = 0.0
        for start in range(0, N, config.batch):
            idx = order[start:start + config.batch]
            loss, grads = _bptt(*(params[k].astype(work) for k in _PARAM_KEYS), x_work[idx], y_train[idx])
            grads = {k: g.astype(np.float64) for k, g in grads.items()}
            if not math.isfinite(loss) or not all(np.all(np.isfinite(g)) for g in grads.values()):
                result.diverged = True
                return result
            if config.clip is not None:
                norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads.values()))
                if norm > config.clip:
                    grads = {k: g * (config.clip / norm) for k, g in grads.items()}
            step += 1
            b1t, b2t = 1.0 - config.beta1 ** step, 1.0 - config.beta2 ** step
            for k in _PARAM_KEYS:
                m[k] = config.beta1 * m[k] + (1 - config.beta1) * grads[k]
                v2[k] = config.beta2 * v2[k] + (1 - config.beta2) * grads[k] ** 2
                params[k] -= config.lr * (m[k] / b1t) / (np.sqrt(v2[k] / b2t) + config.eps)
            total += loss * len(idx)
        result.losses.append(total / N)
        if progress is not None:
            progress(epoch + 1, config.epochs)
    return result


# ----------------------------------------------------------------------------------------------
# Measures
# ----------------------------------------------------------------------------------------------
def _design(Z):
    return np.hstack([Z, np.ones((Z.shape[0], 1))])


def ridge_probe(Z_train, y_train, lam: float = 1e-2):
    r"""Fit a linear probe: ridge regression of one-hot labels on $[Z, 1]$, penalty $\lambda\|\beta\|^2$.

    $\beta = (A^{\mathsf T}A + \lambda I)^{-1}A^{\mathsf T}Y$ with $A=[Z,1]$ (Cholesky solve; the
    intercept is penalised too, a fixed choice of the stand-in's probes). Returns ``predict(Z) -> labels``.

    >>> Z = np.array([[0.0], [0.1], [1.0], [1.1]]); y = np.array([0, 0, 1, 1])
    >>> ridge_probe(Z, y)(np.array([[0.05], [1.05]])).tolist()
    [0, 1]
    """
    Z_train = np.asarray(Z_train, dtype=float).reshape(len(y_train), -1)
    classes = np.unique(y_train)
    Y = (np.asarray(y_train)[:, None] == classes[None, :]).astype(float)
    A = _design(Z_train)
    G = A.T @ A
    G[np.diag_indices_from(G)] += lam
    try:
        beta = cho_solve(cho_factor(G), A.T @ Y)
    except LinAlgError:  # pragma: no cover - lam > 0 makes G positive definite
        beta = np.linalg.lstsq(G, A.T @ Y, rcond=None)[0]

    def predict(Z):
        Z = np.asarray(Z, dtype=float).reshape(Z.shape[0], -1)
        return classes[np.argmax(_design(Z) @ beta, axis=1)]

    return predict


def participation_ratio(states) -> float:
    r"""$\mathrm{PR} = (\sum_i\mu_i)^2 / \sum_i\mu_i^2$, $\mu_i$ the eigenvalues of the sample covariance.

    Centred, ddof = 1; negative round-off eigenvalues are clipped at 0. $1\le\mathrm{PR}\le\mathrm{rank}$
    (claim ``geometry.participation_ratio``). Raises :class:`InputError` (``states``) for fewer than
    two samples and for constant data (PR undefined).

    >>> X = np.vstack([np.eye(3), -np.eye(3)])
    >>> round(participation_ratio(X), 12)
    3.0
    """
    X = np.asarray(states, dtype=float)
    if X.ndim != 2 or X.shape[0] < 2:
        raise InputError(f"states must be an (n, d) array with n >= 2 samples, got shape {X.shape}")
    Xc = X - X.mean(axis=0)
    # Eigenvalues of the covariance are the squared singular values of the centred data / (n-1);
    # the smaller Gram matrix keeps this cheap when n < d.
    G = Xc @ Xc.T if X.shape[0] < X.shape[1] else Xc.T @ Xc
    mu = np.clip(np.linalg.eigvalsh(G / (X.shape[0] - 1)), 0.0, None)
    s2 = float(np.sum(mu ** 2))
    if s2 == 0.0:
        raise InputError("states have zero covariance (constant data): the participation ratio is undefined")
    return float(np.sum(mu)) ** 2 / s2


def class_distance_ratio(states, labels) -> float:
    r"""$R = \mathrm{mean}_{a<b}\|c_a-c_b\| \,/\, \mathrm{mean}_a\,\mathrm{mean}_{i\in a}\|h_i-c_a\|$.

    $c_a$ are the class centroids (claim ``geometry.class_distance_ratio``). Raises
    :class:`InputError` naming ``labels`` for fewer than two classes, and naming ``states`` when the
    within-class spread is zero (ratio infinite).

    >>> X = np.array([[0.0, 0], [0, 1], [4, 0], [4, 1]]); y = np.array([0, 0, 1, 1])
    >>> class_distance_ratio(X, y)
    8.0
    """
    X = np.asarray(states, dtype=float)
    y = np.asarray(labels)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise InputError(f"labels must have one entry per row of states {X.shape}, got {y.shape}")
    classes = np.unique(y)
    if classes.size < 2:
        raise InputError("labels must contain at least two classes")
    onehot = (y[:, None] == classes[None, :]).astype(float)
    counts = onehot.sum(axis=0)
    centroids = (onehot.T @ X) / counts[:, None]
    within = np.linalg.norm(X - centroids[np.searchsorted(classes, y)], axis=1)
    within_mean = float(np.mean((onehot.T @ within) / counts))
    iu = np.triu_indices(classes.size, 1)
    diff = centroids[:, None, :] - centroids[None, :, :]
    between = float(np.mean(np.linalg.norm(diff, axis=2)[iu]))
    if within_mean == 0.0:
        raise InputError("states have zero within-class spread: the distance ratio is infinite")
    return between / within_mean


def shuffled_distance_ratio(states, labels, rng: np.random.Generator) -> float:
    """The no-structure control: :func:`class_distance_ratio` with permuted labels."""
    return class_distance_ratio(states, rng.permutation(np.asarray(labels)))


def readout_accuracy(V, c, states, labels) -> float:
    """Accuracy of ``argmax(V h + c)`` on the rows of ``states``."""
    return float(np.mean(np.argmax(states @ np.asarray(V).T + np.asarray(c), axis=1) == labels))


# ----------------------------------------------------------------------------------------------
# Per-time-step analysis (shared by the experiment, the claims and ``rnnproof probe``)
# ----------------------------------------------------------------------------------------------
def per_step_analysis(W, U, V, c, x_train, y_train, x_test, y_test, drift: int = 12,
                      lam: float = 1e-2, b=None, h0=None, rng: Optional[np.random.Generator] = None):
    r"""One record per time step t = 1..T + drift (input steps, then zero-input drift steps).

    Each record: ``t``, ``phase`` ("input"/"drift"), ``readout_accuracy`` (the given readout
    ``argmax(V h_t + c)``, or None without V), ``probe_accuracy`` (ridge probe refit on training
    states $h_t$, scored on test states), ``pixel_probe_accuracy`` (the probe on the rows 1..t seen so
    far; None during drift), ``participation_ratio`` and ``distance_ratio`` of the test states, and
    ``distance_ratio_shuffled`` (the shuffled-label control; needs ``rng``).

    Returns
    -------
    records : list of dict, and the test states array of shape (M, T + drift + 1, H).
    """
    x_train = np.asarray(x_train, dtype=float)
    x_test = np.asarray(x_test, dtype=float)
    T, D = x_train.shape[1:]
    pad = lambda x: np.concatenate([x, np.zeros((x.shape[0], drift, D))], axis=1)  # noqa: E731
    s_tr = rnn_states(W, U, pad(x_train), b=b, h0=h0)
    s_te = rnn_states(W, U, pad(x_test), b=b, h0=h0)
    records = []
    for t in range(1, T + drift + 1):
        htr, hte = s_tr[:, t], s_te[:, t]
        rec = {"t": t, "phase": "input" if t <= T else "drift"}
        rec["readout_accuracy"] = None if V is None else readout_accuracy(V, c, hte, y_test)
        rec["probe_accuracy"] = float(np.mean(ridge_probe(htr, y_train, lam)(hte) == y_test))
        if t <= T:
            pix = ridge_probe(x_train[:, :t].reshape(len(x_train), -1), y_train, lam)
            rec["pixel_probe_accuracy"] = float(np.mean(pix(x_test[:, :t].reshape(len(x_test), -1)) == y_test))
        else:
            rec["pixel_probe_accuracy"] = None
        rec["participation_ratio"] = _or_none(participation_ratio, hte)
        rec["distance_ratio"] = _or_none(class_distance_ratio, hte, y_test)
        rec["distance_ratio_shuffled"] = (None if rng is None
                                          else _or_none(shuffled_distance_ratio, hte, y_test, rng))
        records.append(rec)
    return records, s_te


def _or_none(fn, *args):
    try:
        return fn(*args)
    except InputError:
        return None


def fitted_probe_under_drift(W, U, x_train, y_train, x_test, y_test, drift: int = 12,
                             lam: float = 1e-2, b=None, h0=None):
    """Accuracy at T + k (k = 0..drift) of the probe fitted once on $h_T$ (the T-fitted probe of geometry.drift_persistence's report)."""
    x_train = np.asarray(x_train, dtype=float)
    x_test = np.asarray(x_test, dtype=float)
    T, D = x_train.shape[1:]
    s_tr = rnn_states(W, U, x_train, b=b, h0=h0)
    probe = ridge_probe(s_tr[:, T], y_train, lam)
    s_te = rnn_states(W, U, np.concatenate([x_test, np.zeros((len(x_test), drift, D))], axis=1), b=b, h0=h0)
    return [float(np.mean(probe(s_te[:, T + k]) == y_test)) for k in range(drift + 1)]


def autonomous_dynamics(W, h_start, steps: int = 400, burn_in: int = 400, lyap_steps: int = 2000,
                        max_period: int = 200, trajectories: int = 32, lyap_trajectories: int = 8):
    r"""Long-run zero-input dynamics $h\mapsto\tanh(Wh)$ from the rows of ``h_start``.

    Returns a dict:

    - ``step_ratio``: $\mathrm{mean}\|h_t-h_{t-1}\| / \mathrm{mean}\|h_t\|$ over steps t = 1..``steps``
      and all rows of ``h_start``; ``mean_norm``: $\mathrm{mean}\|h_t\|$ over the same steps;
    - on the first ``trajectories`` rows, after ``burn_in`` further steps: ``classification``
      ("fixed point" if $\|h_t-h_{t-1}\|<10^{-8}\|h_t\|$ on every trajectory, "periodic (period p)"
      if $\|h_t-h_{t-p}\|<10^{-6}\|h_t\|$ on every trajectory for some p ≤ ``max_period``, otherwise
      "quasi-periodic or irregular"), ``near_return_lag`` (the lag in 1..``max_period`` minimising the
      mean relative return distance) and ``near_return_distance``;
    - ``lyapunov``: largest-Lyapunov-exponent estimates (per step) from tangent propagation
      $v\mapsto\mathrm{diag}(1-h_{t+1}^2)Wv$ with renormalisation over ``lyap_steps`` steps, one for
      each of the first ``lyap_trajectories`` analysed trajectories, and ``lyapunov_max_abs``.

    Examples
    --------
    >>> out = autonomous_dynamics(0.5 * np.eye(3), np.ones((2, 3)), steps=50, burn_in=50,
    ...                           lyap_steps=100, max_period=5)
    >>> out["classification"], out["collapsed_to_origin"]
    ('fixed point', True)
    """
    W, _, _ = _check_weights(W)
    h = np.atleast_2d(np.asarray(h_start, dtype=float)).copy()
    WT = np.ascontiguousarray(W.T)
    norm_sum = step_sum = 0.0
    for _ in range(steps):
        new = np.tanh(h @ WT)
        norm_sum += float(np.linalg.norm(new, axis=1).sum())
        step_sum += float(np.linalg.norm(new - h, axis=1).sum())
        h = new
    count = steps * h.shape[0]
    out = {"steps": steps, "mean_norm": norm_sum / max(count, 1),
           "step_ratio": step_sum / max(norm_sum, 1e-300)}
    # Burn-in, then a window of 2·max_period + 1 states on a subset of trajectories.
    tail = autonomous_run(W, h[:trajectories], burn_in + 2 * max_period)[burn_in:]
    ref = tail[-1]
    ref_norm = np.linalg.norm(ref, axis=1)
    collapsed = bool(np.all(ref_norm < 1e-12))
    safe = np.maximum(ref_norm, 1e-300)
    rel_step = np.linalg.norm(tail[-1] - tail[-2], axis=1) / safe
    lags = np.arange(1, max_period + 1)
    rel_ret = np.linalg.norm(ref[None] - tail[-1 - lags], axis=2) / safe  # (P, n)
    if collapsed or np.all(rel_step < 1e-8):
        cls = "fixed point"
    elif np.any(np.all(rel_ret < 1e-6, axis=1)):
        cls = f"periodic (period {int(lags[np.argmax(np.all(rel_ret < 1e-6, axis=1))])})"
    else:
        cls = "quasi-periodic or irregular"
    mean_ret = rel_ret.mean(axis=1)
    best = int(np.argmin(mean_ret))
    out.update(classification=cls, near_return_lag=int(lags[best]),
               near_return_distance=float(mean_ret[best]), collapsed_to_origin=collapsed)
    # Largest Lyapunov exponent: tangent propagation with renormalisation (hand-written: no library
    # implements it for an explicit map).
    hk = ref[:lyap_trajectories].copy()
    v = np.ones_like(hk) / math.sqrt(hk.shape[1])
    log_growth = np.zeros(hk.shape[0])
    for _ in range(lyap_steps):
        hk = np.tanh(hk @ WT)
        v = (v @ WT) * (1.0 - hk ** 2)
        n = np.maximum(np.linalg.norm(v, axis=1), 1e-300)
        log_growth += np.log(n)
        v /= n[:, None]
    lyap = log_growth / max(lyap_steps, 1)
    out["lyapunov"] = [float(x) for x in lyap]
    out["lyapunov_max_abs"] = float(np.max(np.abs(lyap)))
    return out


# ----------------------------------------------------------------------------------------------
# The digits stand-in, end to end
# ----------------------------------------------------------------------------------------------
@dataclass(eq=False)
class DigitsRun:
    """Everything the stand-in claims and the experiment read from one seeded training run."""

    config: GeometryConfig
    data: tuple
    train: TrainResult
    T: int
    n_classes: int

    @property
    def params(self) -> dict:
        return self.train.params

    @property
    def diverged(self) -> bool:
        return self.train.diverged


def run_digits(config: GeometryConfig = GeometryConfig(),
               progress: Optional[Callable[[int, int], None]] = None) -> DigitsRun:
    """Load the digits (seeded split), train (seeded init and batches; ``progress(epoch, epochs)``
    after each epoch); no analysis yet.

    The data split uses ``default_rng(seed)``; training draws from an independent child stream
    ``default_rng([seed, 1])``.
    """
    data = load_digits_sequences(config.seed, config.n_train)
    x_train, y_train = data[0], data[1]
    n_classes = int(max(data[1].max(), data[3].max())) + 1
    result = train(config, x_train, y_train, n_classes, np.random.default_rng([config.seed, 1]),
                   progress=progress)
    return DigitsRun(config=config, data=data, train=result, T=x_train.shape[1], n_classes=n_classes)


# ----------------------------------------------------------------------------------------------
# The stand-in statistics and their thresholds (shared by the claims and the seed sweep)
# ----------------------------------------------------------------------------------------------
# (strict, relaxed) thresholds of the stand-in claims: strict for the fixed CI seed 0, relaxed for
# any other seed (a seed sweep). They are the paper's qualitative findings (its abstracts) made numeric for
# the 8×8 digits stand-in; a 20-seed sweep of an independent implementation met every relaxed one.
STANDIN_THRESHOLDS = {
    "final_accuracy": (0.95, 0.90),
    "probe_accuracy": (0.85, 0.80),
    "early_readout_max": (0.3, 0.3),
    "drift_readout_max": (0.3, 0.3),
    "drift_probe_min": (0.85, 0.85),
    "ratio_min": (1.5, 1.5),
    "ratio_growth": (1.5, 1.5),
    "rho_min": (1.2, 1.2),
    "rho_increase": (0.3, 0.3),
    "osc_step_ratio": (0.1, 0.1),
    "osc_mean_norm": (1.0, 1.0),
}
DRIFT_CHECK_STEPS = 4      # the drift claim reads the states after 4 appended zero-input steps


def standin_statistics(run: DigitsRun, autonomous: bool = True) -> dict:
    """Every statistic the stand-in claims threshold, for one trained run (used by the seed sweep of
    ``rnnproof experiment geometry.digits --seeds``)."""
    p = run.params
    xtr, ytr, xte, yte = run.data
    records, states = per_step_analysis(p["W"], p["U"], p["V"], p["c"], xtr, ytr, xte, yte,
                                        drift=max(run.config.drift, DRIFT_CHECK_STEPS), lam=run.config.ridge)
    T_, half = run.T, run.T // 2
    rec = lambda t: records[t - 1]  # noqa: E731
    stats = {
        "final_accuracy": rec(T_)["readout_accuracy"],
        "probe_half": rec(half)["probe_accuracy"],
        "pixel_half": rec(half)["pixel_probe_accuracy"],
        "early_readout_mean": float(np.mean([rec(t)["readout_accuracy"] for t in range(1, half + 1)])),
        "drift_readout": rec(T_ + DRIFT_CHECK_STEPS)["readout_accuracy"],
        "drift_probe": rec(T_ + DRIFT_CHECK_STEPS)["probe_accuracy"],
        "R1": rec(1)["distance_ratio"],
        "RT": rec(T_)["distance_ratio"],
        "rho_initial": spectral_radius(run.train.initial["W"]),
        "rho_trained": spectral_radius(p["W"]),
    }
    if autonomous:
        auto = autonomous_dynamics(p["W"], states[:, T_])
        stats.update(step_ratio=auto["step_ratio"], mean_norm=auto["mean_norm"],
                     classification=auto["classification"], lyapunov_max_abs=auto["lyapunov_max_abs"])
    return stats


def standin_verdicts(stats: dict, tier: int) -> dict:
    """Pass/fail of each stand-in claim's assertions for ``stats`` (tier 0 strict, 1 relaxed)."""
    th = {k: v[tier] for k, v in STANDIN_THRESHOLDS.items()}
    out = {
        "geometry.final_accuracy": stats["final_accuracy"] >= th["final_accuracy"],
        "geometry.early_label_information": (stats["probe_half"] >= th["probe_accuracy"]
                                             and stats["probe_half"] > stats["pixel_half"]),
        "geometry.readout_only_at_trained_step": stats["early_readout_mean"] <= th["early_readout_max"],
        "geometry.drift_persistence": (stats["drift_readout"] <= th["drift_readout_max"]
                                       and stats["drift_probe"] >= th["drift_probe_min"]),
        "geometry.class_separation_growth": (stats["RT"] is not None and stats["R1"] is not None
                                             and stats["RT"] >= th["ratio_min"]
                                             and stats["RT"] >= th["ratio_growth"] * stats["R1"]),
        "geometry.spectral_radius_growth": (stats["rho_trained"] >= th["rho_min"] and stats["rho_trained"]
                                            >= stats["rho_initial"] + th["rho_increase"]),
    }
    if "step_ratio" in stats:
        out["geometry.autonomous_oscillation"] = (stats["step_ratio"] >= th["osc_step_ratio"]
                                                  and stats["mean_norm"] >= th["osc_mean_norm"])
    return {k: bool(v) for k, v in out.items()}
