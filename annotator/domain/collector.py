"""Python's cycle collector held back while bulk work runs: imports, suggestion runs,
agreement, the claims table, and a window's first paint of a long article.

It lives at the lowest layer so that every layer pauses through the one count. An import
makes hundreds of thousands of small objects a batch (parsed JSON, spans, rows), and
most of them live until their batch is stored. The collector, counting allocations, walks the
young ones again and again meanwhile: a fifth to a quarter of the CPU time of importing
corpus A, for no garbage (they are freed by reference counting once their batch is stored).
`paused_collection` turns automatic collection off for its duration; `collect_batch` runs one
collection of the young objects, which the importer calls after each batch, so that whatever
cyclic garbage a batch made (in any thread) is freed with it, as it would have been.

The collector is the process's: nested or concurrent pauses (two imports in two threads) are
counted, and it is turned on again when the last ends, if it was on when the first began.

A window holding a long article keeps its objects for as long as the article is open: B's
10,000 spans and 105,000 suggestions are some 250,000 objects beside the program's own. Each
full collection walked all of them (316 ms measured, a young-generation one 27 ms), at a moment
set by the allocation counts: an edit or a page scroll that fell on one took that long. `keep`
moves everything alive out of the collector's walks (`gc.freeze`) once a document is shown;
reference counting still frees those objects when they go, and `release` hands them back to the
collector (a window closing). Reopening documents in one window keeps the frozen count level
(about 215,000 objects over six opens of A and B), so nothing piles up.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


def pause() -> None:
    """Hold automatic collection back until the matching `resume`."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1


def resume() -> None:
    """End one `pause`; the last one turns collection on again if it was on before."""
    global _depth
    with _lock:
        _depth -= 1
        if _depth == 0 and _was_enabled:
            gc.enable()


@contextmanager
def paused_collection() -> Iterator[None]:
    pause()
    try:
        yield
    finally:
        resume()


def collect_batch() -> None:
    """Collect the young objects: the cyclic garbage made since the last call."""
    gc.collect(0)


def keep() -> None:
    """Leave every object alive now out of later collections (see the module's text)."""
    gc.freeze()


def release() -> None:
    """Give the objects `keep` set aside back to the collector."""
    gc.unfreeze()
