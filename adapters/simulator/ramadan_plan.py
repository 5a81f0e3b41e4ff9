"""What the enrolment and delivery drivers read of a Ramadan plan, and one batch as sent.

Its own module so that the plan (``ramadan.py``) can build the drivers while the
drivers name the plan only by this shape: neither module needs the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from adapters.simulator.noise import Noise
from adapters.simulator.ramadan_committees import Committee


@dataclass(frozen=True, slots=True, order=True)
class Sync:
    """One batch as a committee sends it: when it reaches the ledger, and which items."""

    sent_at: datetime
    code: str
    start: int
    end: int


class PlanView(Protocol):
    seed: int
    noise: Noise
    batch_size: int

    @property
    def committees(self) -> Mapping[str, Committee]: ...

    def syncs(self) -> list[Sync]: ...
