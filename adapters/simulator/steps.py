"""One thing the field sends, and the answer the simulator expects for it.

Payloads have the shape of the HTTP API's request bodies (plain dicts, with
``datetime``/``date``/``Decimal`` values), so one plan feeds both drivers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

RECORDED = "recorded"
DUPLICATE = "duplicate"
REJECTED = "rejected"
UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class Step:
    """``kind`` names the command; ``target`` holds its path parameters, in order."""

    kind: str
    target: tuple[str, ...]
    body: dict[str, Any]
    expect: dict[str, int]
    units: int = 0  # how far the progress bar moves when this step is done
    remember: tuple[int, ...] = ()  # items whose answered voucher the driver keeps

    @property
    def items(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.body.get("items", [])
        return found


def command(
    kind: str, target: tuple[str, ...], body: dict[str, Any], *, fresh: bool = True, units: int = 0
) -> Step:
    """A single command: expected ``recorded`` when new, ``unchanged`` when a resend."""
    return Step(kind, target, body, {RECORDED if fresh else UNCHANGED: 1}, units)


def batch(
    kind: str,
    target: tuple[str, ...],
    items: list[dict[str, Any]],
    *,
    recorded: int,
    duplicate: int = 0,
    rejected: int = 0,
    units: int = 0,
) -> Step:
    expect = {RECORDED: recorded, DUPLICATE: duplicate, REJECTED: rejected}
    if sum(expect.values()) != len(items):
        raise ValueError("a batch's expected answers must cover each of its items")
    return Step(kind, target, {"items": items}, expect, units)


MAX_SURPRISES = 20


@dataclass
class Tally:
    """Answers counted per kind of step, and every step answered otherwise than planned."""

    expected: dict[str, Counter[str]] = field(default_factory=dict)
    answered: dict[str, Counter[str]] = field(default_factory=dict)
    surprises: list[str] = field(default_factory=list)
    surprise_count: int = 0
    position: int = 0

    def add(self, step: Step, answer: dict[str, int], position: int) -> None:
        expected, got = +Counter(step.expect), +Counter(answer)
        self.expected.setdefault(step.kind, Counter()).update(expected)
        self.answered.setdefault(step.kind, Counter()).update(got)
        self.position = max(self.position, position)
        if expected != got:
            self.surprise_count += 1
            if len(self.surprises) < MAX_SURPRISES:
                where = "/".join(step.target)
                self.surprises.append(
                    f"{step.kind} {where}: expected {dict(expected)}, answered {dict(got)}"
                )
