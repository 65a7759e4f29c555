"""Timing statistics: median, p95 and min-max over repeated runs, and A/B pairs run alternately."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Stat:
    """Seconds over n runs."""

    n: int
    median: float
    p95: float
    low: float
    high: float

    @classmethod
    def of(cls, samples: list[float]) -> Stat:
        """The statistics of a list of samples (at least one)."""
        ordered = sorted(samples)
        # Nearest-rank p95: with 5 runs it is the slowest run, which is the honest answer.
        rank = max(0, min(len(ordered) - 1, -(-95 * len(ordered) // 100) - 1))
        return cls(len(ordered), statistics.median(ordered), ordered[rank], ordered[0], ordered[-1])

    def cells(self, unit: str = "s") -> list[str]:
        """Median, p95, min-max as table cells."""
        f = _fmt_ms if unit == "ms" else _fmt_s
        return [f(self.median), f(self.p95), f"{f(self.low)}–{f(self.high)}", str(self.n)]


def _fmt_s(x: float) -> str:
    return f"{x:.3f}"


def _fmt_ms(x: float) -> str:
    return f"{x * 1000:.1f}"


def timed(fn: Callable[[], Any]) -> float:
    """Seconds one call takes."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def measure(fn: Callable[[], Any], runs: int, warmup: int = 1) -> Stat:
    """Run `fn` warmup + runs times; the statistics of the timed runs."""
    for _ in range(warmup):
        fn()
    return Stat.of([timed(fn) for _ in range(runs)])


def alternate(
    a: Callable[[], Any], b: Callable[[], Any], runs: int, warmup: int = 1
) -> tuple[Stat, Stat, Stat]:
    """A and B run alternately (A B A B ...), so both see the same machine state.

    Returns A's and B's statistics and the statistics of the per-pair ratios A/B."""
    for _ in range(warmup):
        a()
        b()
    ta, tb = [], []
    for _ in range(runs):
        ta.append(timed(a))
        tb.append(timed(b))
    return Stat.of(ta), Stat.of(tb), Stat.of([x / y for x, y in zip(ta, tb, strict=True)])
