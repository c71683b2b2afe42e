"""A check that work grows with its input and not faster, without a wall-clock bound.

Speed is measured by the scripts in benchmarks/; unit tests only guard against a pass that
turns quadratic, which no machine's load can hide: twice the input costing more than three
times the time (a linear pass costs about twice, a quadratic one four times).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def _best_of_three(run: Callable[[str], object], text: str) -> float:
    """The best CPU time of three runs, the cycle collector held back meanwhile (as the app's
    pipeline holds it, annotator/domain/collector.py): its walks over whatever earlier tests
    left on the heap fall on one run or another and are not the engine's growth."""
    best = float("inf")
    for _ in range(3):
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            run(text)
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
    return best


def assert_linear(run: Callable[[str], object], text: str) -> None:
    """`run` on `text` repeated 4 and 8 times: the second may cost at most 3 times the first."""
    run(text)  # warm caches and compiled patterns
    small = _best_of_three(run, text * 4)
    large = _best_of_three(run, text * 8)
    assert large < 3 * max(small, 0.005), f"{small:.3f} s for 4 copies, {large:.3f} s for 8"
