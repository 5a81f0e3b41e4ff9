"""A long run's rate by part: its last tenth's rate over its first tenth's, in the same run.

Rates taken at different sizes, minutes or an hour apart, move with this shared virtual
machine as much as with the size: the same export verified twice minutes apart gave
96,600 and 61,300 records/s. Within one run both tenths are read under the same
conditions, and at ten seasons each tenth is one season, so their ratio says whether
the rate falls as the history behind it grows.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

CHUNK = 5000  # lines handed on at a time, so that counting costs nothing per line


class Parts:
    def __init__(
        self, total: int, parts: int = 10, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self.every = max(1, total // parts)
        self.clock = clock
        self.marks: list[tuple[int, float]] = [(0, clock())]

    def reached(self, done: int) -> None:
        """``done`` items are finished: mark the time if a new part has been crossed."""
        if done >= len(self.marks) * self.every:
            self.marks.append((done, self.clock()))

    def end(self, done: int) -> None:
        if done > self.marks[-1][0]:
            self.marks.append((done, self.clock()))

    def rates(self) -> list[float]:
        pairs = zip(self.marks, self.marks[1:], strict=False)
        return [(b - a) / max(u - t, 1e-9) for (a, t), (b, u) in pairs]

    def last_over_first(self) -> float:
        rates = self.rates()
        return rates[-1] / rates[0] if len(rates) >= 2 else 1.0


def counted(lines: Iterable[str], parts: Parts) -> Iterator[str]:
    """``lines`` handed on unchanged, ``parts`` told how many were finished before each chunk."""
    source, done = iter(lines), 0
    while chunk := list(islice(source, CHUNK)):
        parts.reached(done)
        yield from chunk
        done += len(chunk)
    parts.end(done)
