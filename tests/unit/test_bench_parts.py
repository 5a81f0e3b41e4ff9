"""A long run's rate by part: marks at each tenth, lines handed on unchanged."""

from __future__ import annotations

from benchmarks.parts import CHUNK, Parts, counted


class Clock:
    """Time that only the test moves."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_last_tenth_at_half_the_first_tenths_rate_gives_one_half() -> None:
    clock = Clock()
    total = 20 * CHUNK
    parts = Parts(total, clock=clock)
    lines = [f"{n}\n" for n in range(total)]
    handed = []
    for n, line in enumerate(counted(lines, parts)):
        handed.append(line)
        clock.now += 2.0 if n >= total * 9 // 10 else 1.0  # the last tenth twice as slow
    assert handed == lines
    assert [done for done, _ in parts.marks] == [n * 2 * CHUNK for n in range(11)]
    assert parts.rates()[0] == 1.0 and parts.rates()[-1] == 0.5
    assert parts.last_over_first() == 0.5


def test_a_run_shorter_than_two_parts_compares_nothing() -> None:
    parts = Parts(0, clock=Clock())
    assert list(counted([], parts)) == [] and parts.last_over_first() == 1.0
