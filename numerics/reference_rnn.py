r"""A plain reference simulator for discrete RNNs, written for clarity, not speed.

$h^{(k)}_i = \phi\big(\sum_j W_{ij}h^{(k-1)}_j + \sum_l F_{il}x^{(k)}_l + b_i\big)$,
$y^{(k)}_r = \sum_i C_{ri}h^{(k)}_i + d_r$, $h^{(-1)} = h_0$ (0 by default); split-ReLU
($\mathrm{ReLU}(\Re z) + i\,\mathrm{ReLU}(\Im z)$) for complex states.

It shares no code with :func:`numerics.unitary.simulate`: explicit loops over time, units and
inputs. The Theorem-1 claims simulate the unitary network with ``simulate`` and the original with
this loop, so a bug in either shows (claims ``unitary.relu_equivalence_2n`` and its relatives).

>>> W, F = [[0.5, 0.0], [0.0, 0.0]], [[1.0], [-1.0]]
>>> reference_simulate(W, F, [0.0, 0.0], [[1.0, 1.0]], [0.0], [[2.0], [1.0]], "relu")[1].ravel().tolist()
[2.0, 2.0]
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["reference_simulate"]


def _scalar_activation(name: str):
    if name == "relu":
        return lambda s: s if s > 0 else 0.0
    if name == "tanh":
        return math.tanh
    if name == "sigmoid":
        return lambda s: 1.0 / (1.0 + math.exp(-s)) if s >= 0 else math.exp(s) / (1.0 + math.exp(s))
    if name == "linear":
        return lambda s: s
    raise ValueError(f"reference_simulate: activation must be relu, tanh, sigmoid or linear, got {name!r}")


def reference_simulate(W, F, b, C, d, X, activation: str, h0=None):
    """States (T, n) and outputs (T, n_y) of the network on inputs X (T, n_x), by plain loops."""
    W, X = np.asarray(W), np.asarray(X)
    n, T = W.shape[0], X.shape[0]
    F = np.zeros((n, 0)) if F is None else np.asarray(F)
    b = np.zeros(n) if b is None else np.asarray(b)
    cplx = any(np.iscomplexobj(a) for a in (W, F, b, X))
    if cplx and activation != "relu":
        raise ValueError("reference_simulate: complex networks use split-ReLU only")
    phi = _scalar_activation(activation)
    h = [0.0] * n if h0 is None else list(np.asarray(h0).tolist())
    states = []
    for k in range(T):
        new = []
        for i in range(n):
            s = b[i]
            for j in range(n):
                s = s + W[i, j] * h[j]
            for l in range(F.shape[1]):
                s = s + F[i, l] * X[k, l]
            new.append(complex(phi(s.real), phi(s.imag)) if cplx else phi(float(s)))
        h = new
        states.append(list(h))
    H = np.array(states, dtype=complex if cplx else float).reshape(T, n)
    if C is None:
        return H, H
    C = np.asarray(C)
    d = np.zeros(C.shape[0]) if d is None else np.asarray(d)
    Y = np.array([[d[r] + sum(C[r, i] * H[k, i] for i in range(n)) for r in range(C.shape[0])] for k in range(T)])
    return H, Y.reshape(T, C.shape[0])
