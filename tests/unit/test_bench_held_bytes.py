"""The scale run's measure of what the replay's answer holds."""

from __future__ import annotations

from benchmarks.memory import held_bytes
from projections.tally import Delta


def tallies(members: int) -> Delta:
    delta = Delta()
    for n in range(members):
        delta.add("campaign", "province", f"MA-{n:04d}", "households_served", n)
    return delta


def test_it_grows_with_the_tallies_kept() -> None:
    one, thousand = held_bytes(tallies(1)), held_bytes(tallies(1000))
    assert thousand > 100 * one / 2  # each member adds a key, a tuple, a string and an int
    assert held_bytes(tallies(2000)) > thousand


def test_an_object_held_twice_is_counted_once() -> None:
    label = "x" * 10_000
    twice = held_bytes({"a": label, "b": label})
    other = held_bytes({"a": label, "b": "y" * 10_000})
    assert other - twice > 9_000
