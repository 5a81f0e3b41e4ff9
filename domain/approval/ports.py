"""What the approval workflow reads from outside the domain: the units and their figures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol


class Hierarchy(Protocol):
    def children(self, operation: str, scope: str, level: str, unit: str) -> list[str]:
        """The units one level below ``unit`` that have anything to approve."""
        ...

    def parent(self, operation: str, scope: str, level: str, unit: str) -> str | None:
        """The unit one level above (None at the top, or for a unit that is unknown)."""
        ...

    def exists(self, operation: str, scope: str, level: str, unit: str) -> bool: ...


class Figures(Protocol):
    def at(
        self, operation: str, scope: str, level: str, unit: str, days: Sequence[date]
    ) -> tuple[dict[str, int], int]:
        """A unit's totals over ``days`` and the ledger position they were read at."""
        ...
