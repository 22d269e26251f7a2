"""The command line's one input layer: every file argument is read here, every output is checked here.

Inputs
    :func:`read_network_argument`, :func:`read_npy_argument`, :func:`read_npz_argument`,
    :func:`read_json_report` read a file argument after checking, from the headers alone, its
    format, its keys, its dtypes and the memory its arrays need; nothing is ever unpickled. More
    network formats plug in with :func:`register_network_reader`.
Resources
    :func:`require_resources` refuses a request whose estimated memory or time exceeds
    ``--max-memory`` / ``--max-seconds`` (:class:`Limits`; the command line sets them with
    :func:`set_limits`), before anything is allocated.
Outputs
    :func:`check_outputs` checks every output argument up front (a writable folder, not an input,
    not another output, compared by real path and inode); :func:`transaction` makes a command's
    writes land together at its end, or not at all.

Every refusal is a :class:`numerics.errors.InputError` naming the argument (exit status 2).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Optional

from numerics.arrays import load_npy, load_npz, npz_headers, staged_writes
from numerics.errors import InputError

__all__ = ["Limits", "default_max_memory", "set_limits", "set_command", "current_limits", "parse_size", "format_bytes",
           "require_resources", "read_network_argument", "register_network_reader", "network_headers",
           "read_npy_argument", "read_npz_argument", "read_json_report", "validate_run_report",
           "check_outputs", "transaction", "FLOAT_BYTES"]

FLOAT_BYTES = 8
_MEMORY_FRACTION = 0.5     # default --max-memory: half of the machine's (or the process's) memory
_DEFAULT_SECONDS = 6 * 3600.0
_MAX_JSON_BYTES = 64 * 2 ** 20


# -- limits ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Limits:
    """``max_memory`` in bytes and ``max_seconds`` (estimated run time) of one command."""

    max_memory: int
    max_seconds: float


def default_max_memory() -> int:
    """Half of the physical memory, or of the address-space limit (``ulimit -v``) when lower."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        total = 8 * 2 ** 30
    try:
        import resource
        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY and soft > 0:
            total = min(total, soft)
    except (ImportError, ValueError, OSError):
        pass
    return int(total * _MEMORY_FRACTION)


_limits: Optional[Limits] = None
_command = "rnnproof"
_ANNOUNCE_SECONDS = 10.0  # estimated work longer than this is announced on stderr before it starts


def set_command(prog: str) -> None:
    """The prefix of this process's announcements (``rnnproof volterra``)."""
    global _command
    _command = prog


def set_limits(max_memory: Optional[int] = None, max_seconds: Optional[float] = None) -> Limits:
    """Set the limits of this process's command (``None``: the default)."""
    global _limits
    _limits = Limits(default_max_memory() if max_memory is None else int(max_memory),
                     _DEFAULT_SECONDS if max_seconds is None else float(max_seconds))
    return _limits


def current_limits() -> Limits:
    return _limits if _limits is not None else set_limits()


_UNITS = {"": 1, "b": 1, "k": 2 ** 10, "kb": 10 ** 3, "kib": 2 ** 10, "m": 2 ** 20, "mb": 10 ** 6,
          "mib": 2 ** 20, "g": 2 ** 30, "gb": 10 ** 9, "gib": 2 ** 30, "t": 2 ** 40, "tb": 10 ** 12,
          "tib": 2 ** 40}


def parse_size(text) -> int:
    """``--max-memory`` values: ``4G``, ``512MiB``, ``1.5GB``, ``1000000`` (bytes); argparse type."""
    import argparse
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*([A-Za-z]*)\s*", str(text))
    if not match or match.group(2).lower() not in _UNITS:
        raise argparse.ArgumentTypeError(f"expected a size such as 4G, 512M or 1000000 (bytes), got {text!r}")
    value = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if not math.isfinite(value) or value < 2 ** 20:
        raise argparse.ArgumentTypeError(f"expected a size of at least 1M, got {text!r}")
    return int(value)


def format_bytes(n: float) -> str:
    if not math.isfinite(n):
        return "an unbounded amount"
    for unit, size in (("TiB", 2 ** 40), ("GiB", 2 ** 30), ("MiB", 2 ** 20), ("KiB", 2 ** 10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{int(n)} bytes"


def _format_seconds(s: float) -> str:
    if not math.isfinite(s):
        return "unboundedly long"
    if s >= 86400:
        return f"{s / 86400:.3g} days"
    if s >= 3600:
        return f"{s / 3600:.3g} h"
    return f"{s:.3g} s"


def require_resources(what: str, *, memory: float = 0.0, seconds: float = 0.0, lower: str = "") -> None:
    """Refuse (one line, exit 2) a request estimated to need more than the limits allow.

    ``what`` says what needs it (``"--horizon 10^9 × 8 sequences"``), ``lower`` names the options
    that shrink it; the message always names the flag that raises the limit.
    """
    limits = current_limits()
    fix = f"lower {lower} or " if lower else ""
    if not (memory <= limits.max_memory):  # also catches NaN
        raise InputError(f"{what} needs about {format_bytes(memory)} of memory, above the limit "
                         f"{format_bytes(limits.max_memory)}; {fix}raise --max-memory")
    if not (seconds <= limits.max_seconds):
        raise InputError(f"{what} would take about {_format_seconds(seconds)} (estimated), above the "
                         f"limit {_format_seconds(limits.max_seconds)}; {fix}raise --max-seconds")
    if seconds > _ANNOUNCE_SECONDS:  # long work without its own progress: say so before it starts
        import sys
        print(f"{_command}: {what}: about {_format_seconds(seconds)} (estimated) ...", file=sys.stderr,
              flush=True)


# -- network files ---------------------------------------------------------------------------------
NetworkReader = Callable[[str, str], "object"]
_NETWORK_READERS: dict[str, NetworkReader] = {}


def register_network_reader(suffixes: Iterable[str], reader: NetworkReader) -> None:
    """Make ``read_network_argument`` read files ending in ``suffixes`` with ``reader(path, arg_name)``.

    ``reader`` returns a :class:`numerics.RNNSpec`, raises :class:`InputError` naming ``arg_name`` for
    bad files, must never unpickle (``torch.load(weights_only=True)``, ``allow_pickle=False``), and
    should call :func:`require_resources` before loading large arrays. ``.npz`` is built in.
    """
    for suffix in suffixes:
        _NETWORK_READERS[suffix.lower()] = reader


def network_headers(path, arg_name: str) -> dict:
    """``{key: (shape, dtype, nbytes)}`` of a ``.npz`` network file, read from its headers only."""
    from numerics.network import NETWORK_KEYS, STRING_KEYS
    return npz_headers(path, arg_name, allowed=NETWORK_KEYS, what="an .npz network file",
                       strings=STRING_KEYS)


def _read_npz_network(path: str, arg_name: str, work=None):
    from numerics import load_network
    headers = network_headers(path, arg_name)  # a bad file raises here, with its reason
    total = sum(h[2] for h in headers.values())
    shape = headers["W"][0] if "W" in headers else ()
    n = max(shape) if shape else 0
    what = f"{arg_name}: the network {path} ({n} units)"
    # Reading holds the file's arrays twice (archive member, validated copy).
    require_resources(what, memory=2 * total + 16 * n * n, lower="the network's size")
    if work is not None and len(shape) == 2:
        memory, seconds = work(n)
        require_resources(what, memory=memory, seconds=seconds, lower="the network's size")
    return load_network(path, name=arg_name)


def read_network_argument(path, arg_name: str = "NETWORK", *, work: Optional[Callable[[int], tuple]] = None,
                          **reader_options):
    """Read and validate the network file ``path`` given as ``arg_name``: a :class:`numerics.RNNSpec`.

    An rnnproof network file (``.npz``, ``rnnproof.network/1``) is read from its checked headers
    (:func:`network_headers`). A trained network of another framework (PyTorch ``.pt``/``.pth``/
    ``.safetensors``, Keras ``.keras``/``.weights.h5``, Flax ``.msgpack``, PsychRNN ``.npz``, told
    apart by extension and content, or by ``format``) is read by
    :func:`numerics.readers.read_network` with ``reader_options`` (``format``, ``layer``,
    ``readout``, ``dt``, ``tau``, ``activation``, ``residual``; see
    :mod:`proofs_checks.network_options`). An option the file's format does not use is refused in
    one line, as is any option for an rnnproof file. A suffix registered with
    :func:`register_network_reader` goes to that reader (which takes no options).
    ``work(n) -> (bytes, seconds)`` estimates what the command then needs for ``n`` units; it is
    checked with :func:`require_resources` (for archives from the headers, before the arrays are read).
    """
    from numerics.readers import FORMATS, detect_format, read_network
    path = os.fspath(path)
    if not os.path.exists(path):
        raise InputError(f"{arg_name}: network file not found: {path}")
    unknown = sorted(set(reader_options) - {"format", "layer", "readout", "dt", "tau", "activation", "residual"})
    if unknown:
        raise TypeError(f"read_network_argument: unknown reader option(s) {', '.join(unknown)}")
    given = {k: v for k, v in reader_options.items() if v is not None and v is not False}

    def refuse(names, why):
        verb = "does" if len(names) == 1 else "do"
        raise InputError(f"{arg_name}: {', '.join('--' + k for k in names)} {verb} not apply to {path}, {why}")
    reader = _NETWORK_READERS.get(os.path.splitext(path)[1].lower())
    if reader is not None:
        if given:
            refuse(list(given), "which its registered reader reads without options")
        spec = reader(path, arg_name)
    else:
        fmt = given.get("format") or (detect_format(path) if os.path.isfile(path) else None)
        if fmt is not None and fmt not in FORMATS:
            raise InputError(f"--format: {fmt!r} is not a known format; expected one of {', '.join(FORMATS)}")
        # an .npz whose format cannot be told is a damaged archive: the archive reader names the defect
        damaged_npz = fmt is None and path.lower().endswith(".npz")
        if fmt == "rnnproof" or damaged_npz or not os.path.isfile(path):
            extra = [k for k in given if k != "format"]
            if extra:
                refuse(extra, "an rnnproof network file (it records its own convention); drop them")
            return _read_npz_network(path, arg_name, work)
        # foreign weights are held about twice (the file's arrays, the float64 copies)
        require_resources(f"{arg_name}: the network {path}", memory=4 * os.path.getsize(path),
                          lower="the network's size")
        try:
            spec = read_network(path, **given)
        except InputError as exc:
            raise InputError(f"{arg_name}: {exc}") from None
    if work is not None:
        memory, seconds = work(spec.n)
        require_resources(f"{arg_name}: the network {path} ({spec.n} units)", memory=memory, seconds=seconds,
                          lower="the network's size")
    return spec


# -- arrays ----------------------------------------------------------------------------------------
def _npy_bytes(path: str, arg_name: str) -> int:
    from numerics.arrays import npy_header
    try:
        with open(path, "rb") as handle:
            if handle.read(2) == b"PK":
                raise InputError(f"{arg_name}: {path} is an .npz archive; save one array with numpy.save")
            handle.seek(0)
            shape, _, dtype = npy_header(handle, arg_name, path, available=os.fstat(handle.fileno()).st_size)
    except OSError as exc:
        raise InputError(f"{arg_name}: cannot read {path} ({exc.strerror})") from None
    return math.prod(shape) * dtype.itemsize


def read_npy_argument(path, arg_name: str, *, real: bool = False, finite: bool = True,
                      ndim: Optional[tuple] = None):
    """One numeric ``.npy`` array, its header (size, dtype) checked before it is read.

    ``real`` refuses complex arrays, ``finite`` NaN/Inf, ``ndim`` other numbers of dimensions.
    """
    import numpy as np
    path = os.fspath(path)
    if os.path.isfile(path):
        require_resources(f"{arg_name}: {path}", memory=2 * _npy_bytes(path, arg_name))
    arr = load_npy(path, arg_name)
    if real and arr.dtype.kind == "c":
        raise InputError(f"{arg_name}: {path} must hold real numbers, got dtype {arr.dtype}")
    if ndim is not None and arr.ndim not in ndim:
        raise InputError(f"{arg_name}: {path} must have {' or '.join(map(str, ndim))} dimension(s), "
                         f"got shape {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        raise InputError(f"{arg_name}: {path} contains NaN or Inf; every entry must be finite")
    return arr


def read_npz_argument(path, arg_name: str, keys: Iterable[str], *, required: Optional[Iterable[str]] = None,
                      real: bool = True, finite: bool = True, memory_factor: float = 2.0) -> dict:
    """``{key: array}`` of an ``.npz`` argument holding exactly ``keys`` (``required`` ⊆ keys).

    Unknown keys, a single ``.npy``, pickles, object/string arrays, truncated members, complex
    (``real``) or non-finite (``finite``) values are refused; ``memory_factor`` × the arrays' size
    (from the headers) must fit in ``--max-memory``.
    """
    import numpy as np
    keys = tuple(keys)
    required = keys if required is None else tuple(required)
    headers = npz_headers(path, arg_name, allowed=keys, required=required,
                          what=f"an .npz archive with {', '.join(keys)}")
    total = sum(h[2] for h in headers.values())
    require_resources(f"{arg_name}: {path}", memory=memory_factor * total)
    data = load_npz(path, arg_name, allowed=keys, required=required)
    for key, arr in data.items():
        if arr.dtype.kind == "b":
            raise InputError(f"{arg_name}: {path}[{key}] must hold numbers, got booleans")
        if real and arr.dtype.kind == "c":
            raise InputError(f"{arg_name}: {path}[{key}] must be real, got dtype {arr.dtype}")
        if finite and not np.all(np.isfinite(arr)):
            raise InputError(f"{arg_name}: {path}[{key}] contains NaN or Inf; every entry must be finite")
    return data


# -- JSON reports ----------------------------------------------------------------------------------
def _read_json(path, arg_name: str):
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise InputError(f"{arg_name}: cannot read the JSON report {path}: "
                         + ("file not found" if not os.path.exists(path) else "not a regular file"))
    size = os.path.getsize(path)
    if size > _MAX_JSON_BYTES:
        raise InputError(f"{arg_name}: {path} is {format_bytes(size)}, larger than any rnnproof report "
                         f"({format_bytes(_MAX_JSON_BYTES)})")

    def no_constants(name):
        raise ValueError(f"non-standard JSON constant {name}")
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle, parse_constant=no_constants)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        text = " ".join(str(exc).split())[:160]
        raise InputError(f"{arg_name}: cannot read the JSON report {path} ({text})") from None


_RUN_KEYS = {"schema", "seed", "profile", "seconds", "environment", "claims", "summary"}
_RUN_OPTIONAL = {"html", "figures", "replay", "network", "mnist"}
_CLAIM_KEYS = {"id", "paper", "title", "status", "symbolic", "cases", "not_applicable_cases", "max_error",
               "tolerance", "ratios", "statistical_tests", "alpha", "seconds", "detail", "counterexample",
               "seed", "reproduce", "ratio_values", "relaxed", "replay"}
_STATUSES = ("pass", "fail", "not_applicable", "error")
_ID = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")


def _bad(arg, path, where, what):
    raise InputError(f"{arg}: {path} is not a valid rnnproof.report/1 report: {where} {what}")


def _is_int(x, lo=0, hi=2 ** 63):
    return isinstance(x, int) and not isinstance(x, bool) and lo <= x < hi


def _is_number(x, nullable=True):
    if x is None:
        return nullable
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def validate_run_report(data, arg_name: str = "--results", path: str = "report") -> dict:
    """Check the schema of a ``rnnproof run --json`` report: known keys, types and ranges.

    Every field a consumer prints (``seed``, ``profile``, ``cases``, ``summary.*``, ``max_error``)
    has its type checked here, so that none can carry text into LaTeX or HTML.
    """
    from .registry import PROFILES
    if not isinstance(data, dict):
        _bad(arg_name, path, "the top level", "must be a JSON object")
    if data.get("schema") != "rnnproof.report/1":
        raise InputError(f"{arg_name}: {path} is not an rnnproof.report/1 JSON report "
                         f"(schema {str(data.get('schema'))[:40]!r})")
    unknown = sorted(set(data) - _RUN_KEYS - _RUN_OPTIONAL)
    if unknown:
        _bad(arg_name, path, "the top level", f"has unknown key(s) {', '.join(map(repr, unknown))[:120]}")
    missing = sorted(_RUN_KEYS - set(data))
    if missing:
        _bad(arg_name, path, "the top level", f"lacks {', '.join(missing)}")
    if not _is_int(data["seed"]):
        _bad(arg_name, path, "seed", "must be a non-negative integer")
    if not isinstance(data["profile"], str) or data["profile"] not in PROFILES:
        _bad(arg_name, path, "profile", f"must be one of {', '.join(sorted(PROFILES))}")
    if not _is_number(data["seconds"], nullable=False) or data["seconds"] < 0:
        _bad(arg_name, path, "seconds", "must be a number ≥ 0")
    if not isinstance(data["environment"], dict):
        _bad(arg_name, path, "environment", "must be an object")
    summary = data["summary"]
    if not isinstance(summary, dict) or set(summary) != {"passed", "failed", "not_applicable", "errors"} \
            or not all(_is_int(v) for v in summary.values()):
        _bad(arg_name, path, "summary", "must hold exactly passed, failed, not_applicable, errors "
             "(non-negative integers)")
    claims = data["claims"]
    if not isinstance(claims, list):
        _bad(arg_name, path, "claims", "must be a list")
    for i, c in enumerate(claims):
        where = f"claims[{i}]"
        if not isinstance(c, dict):
            _bad(arg_name, path, where, "must be an object")
        unknown = sorted(set(c) - _CLAIM_KEYS)
        if unknown:
            _bad(arg_name, path, where, f"has unknown key(s) {', '.join(map(repr, unknown))[:120]}")
        if not isinstance(c.get("id"), str) or not _ID.fullmatch(c["id"]):
            _bad(arg_name, path, f"{where}.id", "must be a claim ID such as linearization.similarity")
        if c.get("status") not in _STATUSES:
            _bad(arg_name, path, f"{where}.status", f"must be one of {', '.join(_STATUSES)}")
        if not _is_int(c.get("cases", 0)):
            _bad(arg_name, path, f"{where}.cases", "must be a non-negative integer")
        if not _is_number(c.get("max_error")):
            _bad(arg_name, path, f"{where}.max_error", "must be a finite number or null")
        tol = c.get("tolerance", {})
        if not isinstance(tol, dict) or not _is_number(tol.get("value")):
            _bad(arg_name, path, f"{where}.tolerance.value", "must be a finite number or null")
        for key in ("title", "detail", "reproduce", "symbolic", "paper"):
            if key in c and not isinstance(c[key], str):
                _bad(arg_name, path, f"{where}.{key}", "must be a string")
    return data


def read_json_report(path, arg_name: str, schemas=("rnnproof.report/1",)) -> dict:
    """A JSON report file, size-capped and schema-checked (``rnnproof.report/1`` fully; other schemas
    as an object with a ``claims`` list of objects with string ``id``s)."""
    data = _read_json(path, arg_name)
    schema = data.get("schema") if isinstance(data, dict) else None
    if schema not in schemas:
        raise InputError(f"{arg_name}: {path} is not an {' or '.join(schemas)} JSON report")
    if schema == "rnnproof.report/1":
        return validate_run_report(data, arg_name, os.fspath(path))
    claims = data.get("claims")
    if not isinstance(claims, list) or not all(isinstance(c, dict) and isinstance(c.get("id"), str)
                                               for c in claims):
        raise InputError(f"{arg_name}: {path} has no list of claim records with string ids")
    return data


# -- outputs ---------------------------------------------------------------------------------------
def _identity(path: str):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def check_outputs(outputs: Mapping[str, Optional[str]], inputs: Mapping[str, Optional[str]] = (),
                  folders: Mapping[str, Optional[str]] = ()) -> None:
    """Refuse, before any work, output paths that cannot be written or would destroy something.

    ``outputs`` maps an option (``"--json"``) to a file path, ``folders`` to an output folder,
    ``inputs`` to an input path; ``None`` entries are ignored. Each output file's folder must exist
    and accept a new file (probed with a temporary file), the path must not be a folder or a
    special file, and no output may resolve (real path or inode) to an input or to another output.
    """
    inputs = {k: v for k, v in dict(inputs).items() if v}
    outputs = {k: v for k, v in dict(outputs).items() if v}
    folders = {k: v for k, v in dict(folders).items() if v}
    seen: dict = {}
    in_ids = {}
    for option, path in inputs.items():
        in_ids[os.path.realpath(path)] = option
        ident = _identity(path)
        if ident is not None:
            in_ids[ident] = option
    for option, path in list(outputs.items()) + list(folders.items()):
        path = os.fspath(path)
        real = os.path.realpath(path)
        for key in (real, _identity(path)):
            if key is None:
                continue
            if key in in_ids:
                raise InputError(f"{option}: {path} is also the input {in_ids[key]}; writing it would "
                                 "destroy the input, so choose another path")
            if key in seen:
                raise InputError(f"{option}: {path} is also the output {seen[key]}; give each output "
                                 "its own path")
        seen[real] = option
        if _identity(path) is not None:
            seen[_identity(path)] = option
    for option, path in outputs.items():
        _check_output_file(option, os.fspath(path))
    for option, path in folders.items():
        _check_output_folder(option, os.fspath(path))


def _probe_folder(option: str, path: str, folder: str) -> None:
    if not os.path.isdir(folder):
        raise InputError(f"{option}: {path}: the folder {folder} does not exist; create it first")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".rnnproof-probe-", dir=folder)
    except OSError as exc:
        raise InputError(f"{option}: {path}: cannot create files in {folder} ({exc.strerror})") from None
    os.close(fd)
    os.unlink(tmp)


def _check_output_file(option: str, path: str) -> None:
    if path.endswith(os.sep) or os.path.isdir(path):
        raise InputError(f"{option}: {path} is a folder; give a file path")
    if os.path.lexists(path) and not os.path.isfile(path):
        raise InputError(f"{option}: {path} exists and is not a regular file")
    _probe_folder(option, path, os.path.dirname(os.path.abspath(path)))


def _check_output_folder(option: str, path: str) -> None:
    if os.path.exists(path):
        if not os.path.isdir(path):
            raise InputError(f"{option}: {path} exists and is not a folder")
        _probe_folder(option, path, path)
    else:
        _probe_folder(option, path, os.path.dirname(os.path.abspath(path)))


@contextlib.contextmanager
def transaction(folders: Iterable[Optional[str]] = ()):
    """All atomic writes inside land together at the end (:func:`numerics.arrays.staged_writes`).

    On an exception or an interrupt nothing is renamed into place (a rename interrupted halfway
    through the commit is undone), and each folder of ``folders`` is put back as it was: files
    created in it during the block are removed (the folder itself if it was created), and files
    it held that a writer outside the staged group replaced get their old bytes back (from hard
    links taken on entry).
    """
    before, kept = {}, {}
    try:
        for folder in folders:
            if folder:
                folder = os.path.abspath(folder)
                before[folder] = set(os.listdir(folder)) if os.path.isdir(folder) else None
                if before[folder] is not None:
                    kept[folder] = _keep_folder_files(folder, before[folder])
        try:
            with staged_writes():
                yield
        except BaseException:
            for folder, existing in before.items():
                if existing is None:
                    shutil.rmtree(folder, ignore_errors=True)
                elif os.path.isdir(folder):
                    backup, files = kept.get(folder, (None, {}))
                    ignore = {os.path.basename(backup)} if backup else set()
                    for name in set(os.listdir(folder)) - existing - ignore:
                        target = os.path.join(folder, name)
                        with contextlib.suppress(OSError):
                            shutil.rmtree(target) if os.path.isdir(target) else os.unlink(target)
                    _restore_replaced(folder, backup, files)
            raise
    finally:
        for backup, _ in kept.values():
            if backup:
                shutil.rmtree(backup, ignore_errors=True)


def _keep_folder_files(folder: str, names) -> tuple:
    """Hard links of the regular files directly in ``folder`` in a hidden sub-folder, with each
    file's identity (inode, size, mtime); ``(None, {})`` where links are unsupported (the staged
    writes need none: they replace nothing before the commit)."""
    files = {}
    for name in names:
        path = os.path.join(folder, name)
        with contextlib.suppress(OSError):
            st = os.lstat(path)
            if os.path.isfile(path) and not os.path.islink(path):
                files[name] = (st.st_ino, st.st_size, st.st_mtime_ns)
    if not files:
        return None, {}
    try:
        backup = tempfile.mkdtemp(prefix=".rnnproof-kept-", dir=folder)
    except OSError:
        return None, {}
    linked = {}
    for name, identity in files.items():
        try:
            os.link(os.path.join(folder, name), os.path.join(backup, name))
        except OSError:
            continue
        linked[name] = identity
    return backup, linked


def _restore_replaced(folder: str, backup: Optional[str], files: dict) -> None:
    """Files of ``folder`` whose inode, size or mtime changed since entry get their kept version back."""
    if not backup:
        return
    for name, identity in files.items():
        path = os.path.join(folder, name)
        try:
            st = os.lstat(path)
            unchanged = (st.st_ino, st.st_size, st.st_mtime_ns) == identity
        except OSError:
            unchanged = False
        if not unchanged:
            with contextlib.suppress(OSError):
                os.replace(os.path.join(backup, name), path)
