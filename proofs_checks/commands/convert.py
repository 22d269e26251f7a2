"""``rnnproof convert MODEL --out net.npz [--format F] [--layer K] [--readout PREFIX] [--dt DT --tau TAU]
[--activation NAME] [--residual]``.

Reads a trained network from PyTorch (``.pt``/``.pth`` state dict, ``.safetensors``), Keras
(``.keras``, ``.weights.h5``), Flax (``SimpleCell`` msgpack) or PsychRNN (``.npz``) with
:func:`numerics.readers.read_network` and writes it as an rnnproof network file
(``rnnproof.network/1``, atomically). Each format's convention (which matrix is transposed, which
biases are summed, which state is kept) is printed and documented in its reader module. Exit 0 on
success, 2 on bad input (one line, nothing written).
"""

from __future__ import annotations

from proofs_checks.network_options import add_network_options, reader_options

_CONVENTIONS = {
    "torch": "h_t = φ(W_hh h_{t−1} + W_ih u_t + b_ih + b_hh): W = W_hh, B = W_ih, b = b_ih + b_hh",
    "safetensors": "h_t = φ(W_hh h_{t−1} + W_ih u_t + b_ih + b_hh): W = W_hh, B = W_ih, b = b_ih + b_hh",
    "keras": "h_t = φ(u_t·kernel + bias + h_{t−1}·recurrent_kernel): W = recurrent_kernelᵀ, B = kernelᵀ",
    "keras-weights": "h_t = φ(u_t·kernel + bias + h_{t−1}·recurrent_kernel): W = recurrent_kernelᵀ, B = kernelᵀ",
    "flax": "h_t = φ(u_t·i.kernel + i.bias + h_{t−1}·h.kernel): W = h.kernelᵀ, B = i.kernelᵀ, b = i.bias",
    "psychrnn": "x_{t+1} = (1−α)x_t + α(W_rec φ(x_t) + W_in u_t + b_rec), α = dt/τ (leaky activation form)",
    "rnnproof": "already an rnnproof network file",
}


def register(subparsers):
    p = subparsers.add_parser("convert", help="write a PyTorch/Keras/Flax/PsychRNN network as an rnnproof .npz")
    p.add_argument("model", metavar="MODEL", help="the trained network file")
    p.add_argument("--out", required=True, metavar="NET.npz", help="network file to write (atomically)")
    add_network_options(p)
    p.set_defaults(handler=_run)


def _run(args) -> int:
    import os

    from numerics import InputError, save_network
    from numerics.readers import detect_format
    from proofs_checks import inputs

    out = os.fspath(args.out)
    if not out.endswith(".npz"):
        raise InputError(f"--out: the network file must end in .npz, got {out}")
    if os.path.exists(args.model) and os.path.abspath(out) == os.path.abspath(args.model):
        raise InputError("--out: would overwrite MODEL; choose another file name")
    if not os.path.isdir(os.path.dirname(os.path.abspath(out))):
        raise InputError(f"--out: folder does not exist: {os.path.dirname(os.path.abspath(out))}")
    spec = inputs.read_network_argument(args.model, "MODEL", **reader_options(args))
    fmt = args.format or detect_format(args.model)
    save_network(out, spec)
    leak = f", α = {spec.alpha:g}" if spec.alpha is not None else ""
    print(f"rnnproof convert: {args.model} ({fmt}) -> {out}")
    print(f"  {spec.n} units, {spec.m} inputs, {spec.k} outputs, {spec.activation}, {spec.time}{leak}")
    print(f"  convention: {_CONVENTIONS.get(fmt, '')}")
    return 0
