"""A check that work grows with its input and not faster, without a wall-clock bound.

Speed is measured by the scripts in benchmarks/; unit tests only guard against a pass that
turns quadratic, which no machine's load can hide: twice the input costing more than three
times the time (a linear pass costs about twice, a quadratic one four times).
"""

from __future__ import annotations

import time
from collections.abc import Callable


def _best_of_three(run: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        run(text)
        best = min(best, time.process_time() - started)
    return best


def assert_linear(run: Callable[[str], object], text: str) -> None:
    """`run` on `text` repeated 4 and 8 times: the second may cost at most 3 times the first."""
    run(text)  # warm caches and compiled patterns
    small = _best_of_three(run, text * 4)
    large = _best_of_three(run, text * 8)
    assert large < 3 * max(small, 0.005), f"{small:.3f} s for 4 copies, {large:.3f} s for 8"
