"""The history as stored, in the verifier's NDJSON record format: every row, every leaf.

The export walks the sealed leaves and the stored rows side by side (``walk``)
and never decodes an event: what it writes is what the database holds now, next
to the leaf hash recorded when the row was sealed. Nothing is skipped:

- a leaf whose row is gone: ``"missing": true`` (a cut tail is a run of these);
- a stored row no leaf knows: ``"unsealed": true`` (the verifier fails it when
  the signed head should cover its position);
- a leaf index the log lost: ``"leaf_missing": true``, with the row in its place;
- an originator id spelled other than the app writes it: written as stored.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

from adapters.audit.merkle import MerkleLog
from adapters.audit.rows import StoredRow, StoredRows
from adapters.audit.walk import Entry, walk

_DUMPS = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _dashed(identifier: bytes) -> str:
    """str(uuid.UUID(bytes=identifier)), without building the UUID (the export's hot path)."""
    h = identifier.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _content(row: StoredRow) -> dict[str, Any]:
    canonical = not row.respelled and row.id_bytes is not None
    spelled = _dashed(row.id_bytes) if canonical else row.originator_id  # type: ignore[arg-type]
    return {
        "position": row.position,
        "originator_id": spelled,
        "originator_version": row.originator_version,
        "topic": row.topic,
        "state": base64.b64encode(row.state).decode("ascii"),
    }


def sealed_record(leaf_index: int, row: StoredRow, leaf_hash: bytes) -> dict[str, Any]:
    """A stored row and the leaf that sealed it: the usual record, and the verifier's fast path."""
    return {"leaf_index": leaf_index, **_content(row), "leaf_hash": leaf_hash.hex()}


def export_line(record: dict[str, Any]) -> str:
    """One record as its NDJSON line."""
    return _DUMPS(record) + "\n"


def _record(entry: Entry) -> dict[str, Any]:
    leaf, row = entry.leaf, entry.row
    if leaf is not None and row is not None:
        return sealed_record(leaf.leaf_index, row, leaf.leaf_hash)
    if leaf is not None:
        return {
            "leaf_index": leaf.leaf_index,
            "position": leaf.position,
            "leaf_hash": leaf.leaf_hash.hex(),
            "missing": True,
        }
    if entry.leaf_index is not None:
        content = {} if row is None else _content(row)
        return {"leaf_index": entry.leaf_index, **content, "leaf_missing": True}
    assert row is not None  # noqa: S101 - walk never yields an empty entry
    return {**_content(row), "unsealed": True}


def export_records(
    merkle: MerkleLog, stored: StoredRows, after: int = 0
) -> Iterator[dict[str, Any]]:
    """Every leaf and every stored row with a position greater than ``after``."""
    for entry in walk(merkle, stored, after):
        yield _record(entry)


def export_lines(merkle: MerkleLog, stored: StoredRows, after: int = 0) -> Iterator[str]:
    """NDJSON lines of ``export_records``."""
    for record in export_records(merkle, stored, after):
        yield export_line(record)
