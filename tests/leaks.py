"""Where to look for a leaked secret: only in text that cannot hold random characters.

A search over a whole answer also searches its random request id (16 hex digits),
and a search over stored events also searches the library's clock (microseconds):
"4471" turns up there by chance. These give the same text without those parts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import httpx
from eventsourcing.persistence import Notification

RANDOM_KEYS = frozenset({"request_id", "at", "timestamp"})


def _without_random(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_random(v) for k, v in value.items() if k not in RANDOM_KEYS}
    if isinstance(value, list):
        return [_without_random(v) for v in value]
    return value


def said(answer: httpx.Response) -> str:
    """A JSON answer's text without its request id and clock readings."""
    return json.dumps(_without_random(answer.json()), ensure_ascii=False)


def stored(notifications: Iterable[Notification]) -> str:
    """Stored events' JSON without the time each was recorded."""
    return json.dumps([_without_random(json.loads(n.state)) for n in notifications])
