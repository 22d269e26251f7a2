"""Progress on stderr that advances everywhere: a tqdm bar on a terminal, count lines elsewhere.

tqdm disables itself when stderr is not a terminal (CI logs, pipes, nohup), and its counter then
never moves; so off a terminal this prints ``[k/N] label`` lines instead, at most one every
``interval`` seconds (and always the last one).
"""

from __future__ import annotations

import sys
import time
from typing import Optional

__all__ = ["Progress"]


class Progress:
    """``with Progress(total, "claim") as bar: bar.advance("linearization.similarity pass")``."""

    def __init__(self, total: int, unit: str = "item", quiet: bool = False, label: str = "",
                 interval: float = 2.0, stream=None):
        self.total, self.unit, self.quiet, self.label = int(total), unit, quiet, label
        self.interval = interval
        self.stream = sys.stderr if stream is None else stream
        self.count = 0
        self._last_line = -float("inf")
        self._bar = None
        if not quiet and _isatty(self.stream):
            import tqdm as _tqdm
            _tqdm.tqdm.monitor_interval = 0  # no monitor thread: workers may be forked
            self._bar = _tqdm.tqdm(total=self.total, file=self.stream, unit=unit, desc=label or None,
                                   dynamic_ncols=True)

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
        if now - self._last_line >= self.interval or self.count >= self.total:
            self._last_line = now
            prefix = f"{self.label}: " if self.label else ""
            print(f"{prefix}[{self.count}/{self.total}] {text}".rstrip(), file=self.stream, flush=True)

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
