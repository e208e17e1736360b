"""A quiet progress line on stderr for slow steps of the command line."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

__all__ = ["progress"]


@contextmanager
def progress(
    stream: IO[str], label: str, *, enabled: bool = True, delay: float = 1.0
) -> Iterator[None]:
    """Show ``label`` and the elapsed seconds on ``stream`` while the block runs.

    Nothing is shown unless ``enabled``, the stream is a terminal and the block
    takes longer than ``delay`` seconds; the line is erased afterwards, so
    pipes, files and JSON output never see it.

    Examples
    --------
    >>> import io
    >>> stream = io.StringIO()
    >>> with progress(stream, "loading", delay=0):
    ...     pass
    >>> stream.getvalue()
    ''
    """
    isatty = getattr(stream, "isatty", None)
    if not enabled or isatty is None or not isatty():
        yield
        return
    done = threading.Event()
    start = time.monotonic()
    shown = False

    def tick() -> None:
        nonlocal shown
        if done.wait(delay):
            return
        while not done.is_set():
            shown = True
            stream.write(f"\r{label} … {time.monotonic() - start:4.0f} s")
            stream.flush()
            done.wait(0.5)

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        if shown:
            stream.write("\r" + " " * (len(label) + 12) + "\r")
            stream.flush()
