"""The concurrency benchmark's own count, kept apart from the server's, and their comparison."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class Tally:
    """What the benchmark itself saw: statuses, latencies, households, kits per committee."""

    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    sent: set[str] = field(default_factory=set)
    recorded: Counter[str] = field(default_factory=Counter)
    people: dict[str, int] = field(default_factory=dict)
    topped_up: Counter[str] = field(default_factory=Counter)
    position: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def totals_at(http: httpx.Client, slug: str, position: int) -> dict[str, Any]:
    """The totals once they include ``position`` (the runner may still be folding)."""
    deadline = time.monotonic() + 120
    while True:
        answer = http.get(f"/v1/campaigns/{slug}/totals", params={"min_position": position})
        body: dict[str, Any] = answer.json()
        if answer.status_code == 200 and body["position"] >= position:
            return body
        if time.monotonic() > deadline:
            raise SystemExit(f"totals did not reach position {position}: {answer.text[:200]}")


def exact(http: httpx.Client, slug: str, tally: Tally, stock: int) -> bool:
    """The server's totals against the benchmark's own count, committee by committee."""
    totals = totals_at(http, slug, tally.position)
    held = {c["code"]: c["kits_in_stock"] for c in totals["committee_totals"]}
    expected = {code: stock + tally.topped_up[code] - tally.recorded[code] for code in held}
    served = sum(tally.recorded.values())
    return (
        served == len(tally.sent) == totals["households_served"]
        and totals["people_reached"] == sum(tally.people.values())
        and held == expected
    )
