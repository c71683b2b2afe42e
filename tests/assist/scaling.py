"""A check that work grows with its input and not faster, without a wall-clock bound.

Speed is measured by the scripts in benchmarks/; unit tests only guard against a pass that
turns quadratic, which no machine's load can hide: twice the input costing more than three
times the time (a linear pass costs about twice, a quadratic one four times).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def _cpu_seconds(run: Callable[[str], object], text: str) -> float:
    """The CPU time of one run, the cycle collector held back meanwhile (as the app's pipeline
    holds it, annotator/domain/collector.py): its walks over whatever earlier tests left on
    the heap fall on one run or another and are not the engine's growth."""
    gc.collect()
    gc.disable()
    try:
        started = time.process_time()
        run(text)
        return time.process_time() - started
    finally:
        gc.enable()


def assert_linear(run: Callable[[str], object], text: str) -> None:
    """`run` on `text` repeated 4 and 8 times: the second may cost at most 3 times the first.
    The two sizes take turns, best of five each, so that a busy spell of the machine (other
    programs contending for the cores and caches: the test run builds a bundle meanwhile)
    falls on both sizes rather than on one."""
    run(text)  # warm caches and compiled patterns
    small = large = float("inf")
    for _ in range(5):
        small = min(small, _cpu_seconds(run, text * 4))
        large = min(large, _cpu_seconds(run, text * 8))
    assert large < 3 * max(small, 0.005), f"{small:.3f} s for 4 copies, {large:.3f} s for 8"
