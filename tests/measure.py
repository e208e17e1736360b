"""Measuring work and time in the scaling tests: one place for both.

``calls`` counts the Python function calls a function makes (deterministic,
so a busy machine cannot make it fail); ``best_times`` times a function on a
small and a large input for tests that compare their ratio.
"""

from __future__ import annotations

import cProfile
import gc
import pstats
import time
from collections.abc import Callable
from typing import Any


def calls(function: Callable[[Any], Any], argument: Any) -> int:
    """The Python function calls ``function(argument)`` makes."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        function(argument)
    finally:
        profiler.disable()
    return pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]


def best_times(
    function: Callable[[Any], Any],
    small: Any,
    large: Any,
    *,
    factor: int,
    repeat: int = 3,
    budget: float = 0.0,
    most: int = 10,
) -> tuple[float, float]:
    """Seconds per call of ``function`` on each input: the best of at least ``repeat`` timings.

    The small input is timed over ``factor`` calls in a row, so that both
    timings last about as long if the growth is linear: a run of a few
    milliseconds slips between the other processes of a busy machine while a
    long one cannot, which would make the ratio look worse than it is. The
    small and large timings are interleaved, each after a garbage collection.
    With a ``budget``, quick functions are timed more often (up to ``most``
    times, until ``budget`` seconds are spent), as their best time is the
    noisier.
    """
    best = [float("inf"), float("inf")]
    spent, rounds = 0.0, 0
    while rounds < repeat or (spent < budget and rounds < most):
        for which, (argument, times) in enumerate(((small, factor), (large, 1))):
            gc.collect()
            start = time.perf_counter()
            for _ in range(times):
                function(argument)
            elapsed = time.perf_counter() - start
            best[which] = min(best[which], elapsed / times)
            spent += elapsed
        rounds += 1
    return best[0], best[1]
