"""The history as stored, in order, in the verifier's NDJSON record format.

The export walks the sealed leaves and the stored rows side by side and never
decodes an event: what it writes is what the database holds now, next to the
leaf hash recorded when the row was sealed. A leaf whose row is gone is written
as ``"missing": true`` while stored rows follow it; when nothing is stored from
some leaf on, the export simply ends there, and the verifier reports the
truncation against the signed tree size.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from typing import Any

from adapters.audit.merkle import Leaf, MerkleLog

log = logging.getLogger("tadamon.audit")


def _stored_rows(recorder: Any, after: int, batch_size: int) -> Iterator[Any]:
    while True:
        notes = recorder.select_notifications(
            start=after, limit=batch_size, inclusive_of_start=False
        )
        if not notes:
            return
        yield from notes
        after = notes[-1].id


def _record(leaf: Leaf, row: Any) -> dict[str, Any]:
    return {
        "leaf_index": leaf.leaf_index,
        "position": row.id,
        "originator_id": str(row.originator_id),
        "originator_version": row.originator_version,
        "topic": row.topic,
        "state": base64.b64encode(bytes(row.state)).decode("ascii"),
        "leaf_hash": leaf.leaf_hash.hex(),
    }


def _missing(leaf: Leaf) -> dict[str, Any]:
    return {
        "leaf_index": leaf.leaf_index,
        "position": leaf.position,
        "leaf_hash": leaf.leaf_hash.hex(),
        "missing": True,
    }


def export_records(
    merkle: MerkleLog, recorder: Any, after: int = 0, batch_size: int = 5000
) -> Iterator[dict[str, Any]]:
    """Every sealed record with a position greater than ``after``, in leaf order."""
    rows = _stored_rows(recorder, after, batch_size)
    pending = next(rows, None)
    unsealed = 0
    for leaf in merkle.leaves(after):
        while pending is not None and pending.id < leaf.position:
            unsealed += 1  # a row no leaf knows: written behind the app's back
            pending = next(rows, None)
        if pending is None:
            break  # nothing stored from here on: the history was cut short
        if pending.id == leaf.position:
            yield _record(leaf, pending)
            pending = next(rows, None)
        else:
            yield _missing(leaf)
    if unsealed:
        log.warning("export skipped %d stored rows that were never sealed", unsealed)


def export_lines(
    merkle: MerkleLog, recorder: Any, after: int = 0, batch_size: int = 5000
) -> Iterator[str]:
    """NDJSON lines of ``export_records``."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for record in export_records(merkle, recorder, after, batch_size):
        yield dumps(record) + "\n"
