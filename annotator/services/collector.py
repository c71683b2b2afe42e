"""Python's cycle collector held back while a bulk import runs.

An import makes hundreds of thousands of small objects a batch (parsed JSON, spans, rows), and
most of them live until their batch is stored. The collector, counting allocations, walks the
young ones again and again meanwhile: a fifth to a quarter of the CPU time of importing
corpus A, for no garbage (they are freed by reference counting once their batch is stored).
`paused_collection` turns automatic collection off for its duration; `collect_batch` runs one
collection of the young objects, which the importer calls after each batch, so that whatever
cyclic garbage a batch made (in any thread) is freed with it, as it would have been.

The collector is the process's: nested or concurrent pauses (two imports in two threads) are
counted, and it is turned on again when the last ends, if it was on when the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused_collection() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


def collect_batch() -> None:
    """Collect the young objects: the cyclic garbage made since the last call."""
    gc.collect(0)
