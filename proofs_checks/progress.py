"""Progress on stderr that advances everywhere: a tqdm bar on a terminal, count lines elsewhere.

tqdm disables itself when stderr is not a terminal (CI logs, pipes, nohup), and its counter then
never moves; so off a terminal this prints ``[k/N] label`` lines instead, at most one every
``interval`` seconds (default :data:`INTERVAL`). A job shorter than that prints nothing (so an
input error stays the only line on stderr); a longer one prints its first line ``interval`` seconds
in, then at most one per ``interval``, and always the last count.

Numerics loops take a plain callback instead (``numerics`` does not import this module);
:meth:`Progress.update_to` is the usual one: ``progress=bar.update_to``.
"""

from __future__ import annotations

import sys
import time
from typing import Optional

__all__ = ["Progress", "INTERVAL"]

INTERVAL = 2.0  # seconds between count lines off a terminal (and before the first one)


class Progress:
    """``with Progress(total, "claim") as bar: bar.advance("linearization.similarity pass")``."""

    def __init__(self, total: int, unit: str = "item", quiet: bool = False, label: str = "",
                 interval: Optional[float] = None, stream=None):
        self.total, self.unit, self.quiet, self.label = int(total), unit, quiet, label
        self.interval = INTERVAL if interval is None else float(interval)
        self.stream = sys.stderr if stream is None else stream
        self.count = 0
        self._last_line = time.monotonic()  # the first line waits one interval
        self._shown = False
        self._bar = None
        if not quiet and _isatty(self.stream):
            import tqdm as _tqdm
            _tqdm.tqdm.monitor_interval = 0  # no monitor thread: workers may be forked
            self._bar = _tqdm.tqdm(total=self.total, file=self.stream, unit=unit, desc=label or None,
                                   dynamic_ncols=True, delay=self.interval)

    def advance(self, text: str = "", step: int = 1) -> None:
        self.count += step
        if self.quiet or step == 0:
            return
        if self._bar is not None:
            if text:
                self._bar.set_postfix_str(text, refresh=False)
            self._bar.update(step)
            return
        now = time.monotonic()
        if now - self._last_line >= self.interval or (self._shown and self.count >= self.total):
            self._last_line, self._shown = now, True
            prefix = f"{self.label}: " if self.label else ""
            print(f"{prefix}[{self.count}/{self.total}] {text}".rstrip(), file=self.stream, flush=True)

    def update_to(self, done: int, total: Optional[int] = None, text: str = "") -> None:
        """Set the count to ``done`` (of ``total``, which may grow or shrink as a job learns its size)."""
        if total is not None and int(total) != self.total:
            self.total = int(total)
            if self._bar is not None:
                self._bar.total = self.total
        if int(done) != self.count:
            self.advance(text, step=int(done) - self.count)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
