"""The reader options of every command that takes a network file (``--format``, ``--layer``, ...).

A trained network saved by PyTorch, Keras, Flax or PsychRNN does not always record everything
the model needs: PsychRNN weights do not store ``dt`` and ``tau``, a stacked torch ``nn.RNN`` has
several layers, a readout is named by its module prefix. :func:`add_network_options` adds the
same options to every such command, :func:`reader_options` collects the ones given, and
:func:`proofs_checks.inputs.read_network_argument` passes them to
:func:`numerics.readers.read_network` (and refuses them, in one line, for an rnnproof network
file, which records everything itself).

Light module: argparse only at import time.
"""

from __future__ import annotations

import argparse

__all__ = ["READER_OPTIONS", "add_network_options", "reader_options", "options_for_file",
           "require_used", "native_network_path"]

# option name (keyword of numerics.readers.read_network) -> its command-line flag
READER_OPTIONS = {"format": "--format", "layer": "--layer", "readout": "--readout", "dt": "--dt",
                  "tau": "--tau", "activation": "--activation", "residual": "--residual"}


def _layer(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer layer index, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer layer index, got {text!r}")
    return value


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not (value > 0 and value < float("inf")):
        raise argparse.ArgumentTypeError(f"expected a positive finite number, got {text!r}")
    return value


def add_network_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the reader options of trained-network files to ``parser`` (one argument group)."""
    from numerics.readers import FORMATS
    group = parser.add_argument_group(
        "network file options",
        "for networks saved by PyTorch (.pt, .pth, .safetensors), Keras (.keras, .weights.h5), "
        "Flax (.msgpack) or PsychRNN (.npz); an rnnproof network file needs none of them")
    group.add_argument("--format", default=None, choices=sorted(FORMATS),
                       help="force the file format (default: from the extension and content)")
    group.add_argument("--layer", type=_layer, default=None, metavar="K",
                       help="layer K of a stacked torch nn.RNN (the layers are listed when it is needed)")
    group.add_argument("--readout", default=None, metavar="PREFIX",
                       help="state-dict prefix of the nn.Linear / Flax Dense readout (e.g. fc, Dense_0)")
    group.add_argument("--dt", type=_positive_float, default=None,
                       help="PsychRNN time step; the leak is α = dt/τ (PsychRNN files do not store it)")
    group.add_argument("--tau", type=_positive_float, default=None,
                       help="PsychRNN time constant; the leak is α = dt/τ (PsychRNN files do not store it)")
    group.add_argument("--activation", default=None, metavar="NAME",
                       help="nonlinearity where the file does not record it (torch, Flax, .weights.h5, PsychRNN)")
    group.add_argument("--residual", action="store_true", default=None,
                       help="the file holds a Flax SimpleCell(residual=True)")
    return parser


def reader_options(args) -> dict:
    """The reader options given on the command line: ``{keyword: value}`` (options not given left out)."""
    out = {}
    for name in READER_OPTIONS:
        value = getattr(args, name, None)
        if value is not None and value is not False:
            out[name] = value
    return out


def _file_format(path, options):
    from numerics.readers import detect_format
    return options.get("format") or detect_format(path)


def options_for_file(path, options: dict) -> dict:
    """The subset of ``options`` that the format of ``path`` takes (for commands reading two files)."""
    from numerics.readers.formats import _OPTIONS
    fmt = _file_format(path, options)
    if fmt not in _OPTIONS:
        return dict(options)          # unknown format: the reader reports it
    return {k: v for k, v in options.items() if k == "format" or k in _OPTIONS[fmt]}


def require_used(paths, options: dict) -> None:
    """Refuse (one line) an option that none of the network files ``paths`` takes."""
    from numerics.errors import InputError
    for name in options:
        if name != "format" and not any(name in options_for_file(p, options) for p in paths):
            raise InputError(f"{READER_OPTIONS[name]} does not apply to any of the network files "
                             f"{', '.join(map(str, paths))}")


def native_network_path(path, spec, arg_name: str = "--network") -> str:
    """``path`` itself for an rnnproof network file, else ``spec`` written to a temporary
    rnnproof file (removed when the process exits) for code that re-reads the network by path."""
    import atexit
    import os
    import shutil
    import tempfile

    from numerics import save_network
    from numerics.readers import detect_format
    if detect_format(path) == "rnnproof":
        return os.fspath(path)
    folder = tempfile.mkdtemp(prefix="rnnproof-network-")
    atexit.register(shutil.rmtree, folder, True)
    out = os.path.join(folder, os.path.splitext(os.path.basename(os.fspath(path)))[0] + ".npz")
    save_network(out, spec)
    return out
