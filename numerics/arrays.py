"""Safe file I/O for user arrays: load one ``.npy`` (never a pickle, header read first, one clear
error line), and write any file atomically (temporary file in the same folder, then ``os.replace``),
optionally as part of one all-or-nothing group of writes (:func:`staged_writes`)."""

from __future__ import annotations

import contextlib
import contextvars
import os
import shutil
import tempfile
from typing import Optional

import numpy as np

from .errors import InputError

__all__ = ["load_npy", "npy_header", "npz_headers", "load_npz", "write_atomic", "staged_writes", "StagedWrites", "umask_mode",
           "keep_old_version"]

NPY_MAGIC = b"\x93NUMPY"


def npy_header(handle, name: str, path: str, available: int | None = None, strings: bool = False):
    """``(shape, fortran_order, dtype)`` from the header of an ``.npy`` stream, data not read.

    ``available`` is the number of bytes the stream holds after the header's start (file or zip
    member size): a header claiming more data than that raises :class:`InputError`, so that a
    136-byte file claiming 10¹¹ entries never reaches an allocation.
    """
    start = handle.tell()
    if handle.read(6) != NPY_MAGIC:
        raise InputError(f"{name}: {path} is not an .npy array (it does not start with numpy's "
                         "magic bytes); pickled or text files are never loaded")
    handle.seek(start)
    try:
        version = np.lib.format.read_magic(handle)
        reader = {(1, 0): np.lib.format.read_array_header_1_0,
                  (2, 0): np.lib.format.read_array_header_2_0}.get(version)
        if reader is None:
            raise ValueError(f"unsupported .npy version {version}")
        shape, fortran, dtype = reader(handle)
    except Exception as exc:  # noqa: BLE001 (numpy's header parser raises tokenize, syntax, value errors)
        raise InputError(f"{name}: {path} has a malformed .npy header ({_short(exc)})") from None
    if dtype.hasobject or dtype.kind not in ("biufcU" if strings else "biufc") or dtype.fields is not None:
        raise InputError(f"{name}: {path} must hold plain numbers, got dtype {dtype}"
                         + (" (object arrays or pickles, which are never loaded)" if dtype.hasobject else ""))
    if available is not None:
        header_bytes = handle.tell() - start
        needed = int(np.prod(shape, dtype=object)) * dtype.itemsize
        if header_bytes + needed > available:
            raise InputError(f"{name}: {path} is truncated or corrupt: its header claims shape "
                             f"{tuple(shape)} ({_bytes(needed)}) but it holds {_bytes(max(0, available - header_bytes))}")
    return tuple(int(s) for s in shape), bool(fortran), dtype


def load_npy(path, name: str) -> np.ndarray:
    """``numpy.load(path, allow_pickle=False)`` of one numeric ``.npy`` array, header checked first.

    Every problem (missing file, pickle or object array, an ``.npz`` archive, non-numeric dtype,
    a header claiming more data than the file holds) raises :class:`InputError` naming ``name``
    (the command-line argument). Shape and finiteness are the caller's to check, since only the
    caller knows what it needs.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise InputError(f"{name}: file not found: {path}")
    if os.path.isdir(path):
        raise InputError(f"{name}: {path} is a folder; give an .npy file")
    try:
        with open(path, "rb") as handle:
            if handle.read(2) == b"PK":
                raise InputError(f"{name}: {path} is an .npz archive; save one array with numpy.save")
            handle.seek(0)
            npy_header(handle, name, path, available=os.fstat(handle.fileno()).st_size)
            handle.seek(0)
            arr = np.load(handle, allow_pickle=False)
    except InputError:
        raise
    except (ValueError, OSError, EOFError) as exc:
        raise InputError(f"{name}: {path} is not a readable .npy array ({_short(exc)})") from None
    if arr.dtype.kind == "b":
        raise InputError(f"{name}: {path} must hold numbers, got dtype {arr.dtype}")
    return arr


def npz_headers(path, name: str, allowed=None, required=(), what: str = "", strings=()) -> dict:
    """``{key: (shape, dtype, nbytes)}`` of every array of an ``.npz`` archive, from the headers only.

    Refuses (:class:`InputError` naming ``name``): a missing file or a folder, a single ``.npy``
    where an archive is expected, anything that is not a zip archive (pickles and text are never
    loaded), members that are not ``.npy`` arrays, object dtypes (strings only for the keys in
    ``strings``), keys outside ``allowed`` or
    missing from ``required``, and headers claiming more data than their member holds.
    """
    import zipfile
    import zlib

    path = os.fspath(path)
    what = what or "an .npz archive of numeric arrays"
    if not os.path.exists(path):
        raise InputError(f"{name}: file not found: {path}")
    if os.path.isdir(path):
        raise InputError(f"{name}: {path} is a folder; give {what}")
    try:
        with open(path, "rb") as handle:
            magic = handle.read(6)
    except OSError as exc:
        raise InputError(f"{name}: cannot read {path} ({exc.strerror})") from None
    if magic == NPY_MAGIC:
        raise InputError(f"{name}: {path} is a single .npy array; it must be an .npz archive "
                         f"({what}, written by numpy.savez)")
    if not magic.startswith(b"PK"):
        raise InputError(f"{name}: {path} is not a readable .npz archive (not a zip file); pickled "
                         "or text files are never loaded")
    found = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                key = info.filename[:-4] if info.filename.endswith(".npy") else None
                if key is None or info.is_dir():
                    raise InputError(f"{name}: {path} holds {info.filename!r}, which is not an .npy array")
                if key in found:
                    raise InputError(f"{name}: {path} holds the key {key!r} twice")
                if allowed is not None and key not in allowed:
                    raise InputError(f"{name}: {path} has the unknown key {key!r}; allowed keys are "
                                     f"{', '.join(allowed)}")
                with archive.open(info) as member:
                    shape, _, dtype = npy_header(member, name, f"{path}[{key}]", available=info.file_size,
                                                  strings=key in strings)
                found[key] = (shape, dtype, int(np.prod(shape, dtype=object)) * dtype.itemsize)
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise InputError(f"{name}: {path} is not a readable .npz archive ({_short(exc)})") from None
    missing = [k for k in required if k not in found]
    if missing:
        raise InputError(f"{name}: {path} lacks key(s) {', '.join(missing)}; it needs "
                         f"{', '.join(required)}")
    return found


def load_npz(path, name: str, allowed=None, required=(), what: str = "", max_bytes=None,
             strings=()) -> dict:
    """``{key: array}`` of an ``.npz`` archive after :func:`npz_headers` accepted it.

    ``max_bytes`` refuses archives whose arrays (by their headers) exceed it, before any is read.
    """
    import zipfile
    import zlib

    headers = npz_headers(path, name, allowed, required, what, strings)
    total = sum(h[2] for h in headers.values())
    if max_bytes is not None and total > max_bytes:
        raise InputError(f"{name}: {path} holds {_bytes(total)} of arrays, above the memory limit "
                         f"{_bytes(max_bytes)}; raise --max-memory to read it")
    try:
        with np.load(path, allow_pickle=False) as data:
            return {key: data[key] for key in headers}
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise InputError(f"{name}: {path} is not a readable .npz archive ({_short(exc)})") from None


def _short(exc) -> str:
    text = " ".join(str(exc).split())
    if "pickle" in text.lower():  # never pass on numpy's advice to load "unsafely"
        return "pickled data, which is never loaded"
    return text[:200]


def _bytes(n: int) -> str:
    for unit, size in (("GiB", 2 ** 30), ("MiB", 2 ** 20), ("KiB", 2 ** 10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} bytes"


def umask_mode(base: int = 0o666) -> int:
    """``base`` with the process umask applied (what ``open(path, "w")`` would create)."""
    mask = os.umask(0)
    os.umask(mask)
    return base & ~mask


class StagedWrites:
    """Writes collected as temporary files beside their targets, renamed together by :meth:`commit`.

    :func:`write_atomic` stages into the innermost active group (see :func:`staged_writes`).
    """

    def __init__(self):
        self.pending: list[tuple[str, str]] = []  # (temporary, target)

    def add(self, tmp: str, target: str) -> None:
        self.pending.append((tmp, target))

    def commit(self) -> None:
        """Rename every staged file into place, all or nothing.

        A target that exists is first kept as a hard link (a copy where links are unsupported);
        if a rename fails or is interrupted, the renames already done are undone, in reverse, from
        those, so every target keeps its old bytes (or stays absent)."""
        done: list[tuple[str, Optional[str]]] = []  # (target, its kept old version or None)
        try:
            for tmp, target in self.pending:
                done.append((target, keep_old_version(target)))
                os.replace(tmp, target)
        except BaseException:
            for target, old in reversed(done):
                with contextlib.suppress(OSError):
                    if old is None:
                        os.unlink(target)
                    elif os.path.samefile(old, target):
                        os.unlink(old)  # not replaced yet (rename between two links is a no-op)
                    else:
                        os.replace(old, target)
            self.abort()
            raise
        for _, old in done:
            if old is not None:
                with contextlib.suppress(OSError):
                    os.unlink(old)
        self.pending = []

    def abort(self) -> None:
        for tmp, _ in self.pending:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self.pending = []


def keep_old_version(path: str) -> Optional[str]:
    """A hidden hard link (or, where links are unsupported, a copy) of the regular file ``path``
    beside it, so that replacing ``path`` can be undone; None when ``path`` does not exist."""
    if not os.path.isfile(path):
        return None
    directory = os.path.dirname(os.path.abspath(path))
    fd, kept = tempfile.mkstemp(prefix=".rnnproof-old-", dir=directory)
    os.close(fd)
    try:
        os.unlink(kept)
        try:
            os.link(path, kept)
        except OSError:
            shutil.copy2(path, kept)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(kept)
        raise
    return kept


_STAGE: contextvars.ContextVar = contextvars.ContextVar("rnnproof_staged_writes", default=None)


@contextlib.contextmanager
def staged_writes():
    """All :func:`write_atomic` calls inside land together at the end, or none does on an exception."""
    group = StagedWrites()
    token = _STAGE.set(group)
    try:
        yield group
    except BaseException:
        group.abort()
        raise
    finally:
        _STAGE.reset(token)
    group.commit()


def write_atomic(path, write, mode: str = "wb") -> None:
    """Create ``path`` by calling ``write(handle)`` on a temporary file beside it, then renaming.

    An interrupted or failing write leaves neither a partial file nor the temporary one. The file
    gets the mode ``open`` would give it (0666 minus the umask). Inside :func:`staged_writes` the
    rename waits for the end of the group.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".rnnproof-", dir=directory)
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as handle:
            write(handle)
        os.chmod(tmp, umask_mode())
        group = _STAGE.get()
        if group is None:
            os.replace(tmp, path)
        else:
            group.add(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
