"""Safe file I/O for user arrays: load one ``.npy`` (never a pickle, one clear error line), and
write any file atomically (temporary file in the same folder, then ``os.replace``)."""

from __future__ import annotations

import os
import tempfile

import numpy as np

from .errors import InputError

__all__ = ["load_npy", "write_atomic"]


def load_npy(path, name: str) -> np.ndarray:
    """``numpy.load(path, allow_pickle=False)`` of one numeric ``.npy`` array.

    Every problem (missing file, pickle or object array, an ``.npz`` archive, non-numeric dtype)
    raises :class:`InputError` naming ``name`` (the command-line argument). Shape and finiteness
    are the caller's to check, since only the caller knows what it needs.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise InputError(f"{name}: file not found: {path}")
    try:
        arr = np.load(path, allow_pickle=False)
    except ValueError as exc:
        if "pickle" in str(exc).lower() or "object" in str(exc).lower():
            raise InputError(f"{name}: {path} holds object arrays or pickles, which are never loaded") from None
        raise InputError(f"{name}: {path} is not a readable .npy array ({exc})") from None
    except (OSError, EOFError) as exc:
        raise InputError(f"{name}: {path} is not a readable .npy array ({exc})") from None
    if not isinstance(arr, np.ndarray):
        arr.close()
        raise InputError(f"{name}: {path} is an .npz archive; save one array with numpy.save")
    if arr.dtype == object or arr.dtype.kind not in "iufc":
        raise InputError(f"{name}: {path} must hold numbers, got dtype {arr.dtype}")
    return arr


def write_atomic(path, write, mode: str = "wb") -> None:
    """Create ``path`` by calling ``write(handle)`` on a temporary file beside it, then renaming.

    An interrupted or failing write leaves neither a partial file nor the temporary one.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".rnnproof-", dir=directory)
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
