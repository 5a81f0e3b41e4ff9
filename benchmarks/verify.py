"""Verification: events/s for the Merkle verification of an export of the whole ledger.

The export is built here from the stored records, each sealed as a leaf and written
with the exporter's own record and line (the layout an auditor's export has), and a
tree head is signed with a fresh Ed25519 key; only ``verify_export`` is timed.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from adapters.audit.export import export_line, sealed_record
from adapters.audit.rows import StoredRow
from adapters.audit.verifier import TreeBuilder, sign_tree_head, verify_export
from benchmarks.parts import Parts, counted
from benchmarks.report import Row, at_least
from domain.ledger import Ledger

SECTION = 5000
TARGET_RATE = 100_000
TENTHS = "verify_export, its last tenth's rate / its first tenth's (same run)"
CORES = "verify_export, CPU seconds / wall seconds (below 1: it waited)"


def sealed_row(
    position: int, originator_id: uuid.UUID, version: int, topic: str, state: bytes
) -> StoredRow:
    """A row as the store holds it, its id spelled as the app writes it."""
    text = str(originator_id)
    return StoredRow(position, text, version, topic, bytes(state), text, originator_id.bytes)


def write_sealed(out: TextIO, tree: TreeBuilder, row: StoredRow) -> None:
    """``row`` sealed as the tree's next leaf, written as ``tadamon export`` writes it."""
    leaf = row.leaf_hash()
    assert leaf is not None, row.position  # sealed_row makes only sealable rows
    out.write(export_line(sealed_record(tree.size, row, leaf)))
    tree.append(leaf)


def export(ledger: Ledger, path: Path) -> tuple[int, bytes, float]:
    """Write the NDJSON export; (records, Merkle root, seconds)."""
    started, tree, after = time.perf_counter(), TreeBuilder(), 0
    recorder = ledger.recorder
    with path.open("w", encoding="utf-8") as out:
        while notes := recorder.select_notifications(
            start=after, limit=SECTION, inclusive_of_start=False
        ):
            for n in notes:
                row = sealed_row(n.id, n.originator_id, n.originator_version, n.topic, n.state)  # type: ignore[arg-type]
                write_sealed(out, tree, row)
            after = notes[-1].id
    return tree.size, tree.root(), time.perf_counter() - started


def run(backend: str, ledger: Ledger, where: Path) -> list[Row]:
    path = where / "export.ndjson"
    records, root, export_spent = export(ledger, path)
    key = Ed25519PrivateKey.generate()
    head = sign_tree_head(key, records, root, datetime.now(UTC))
    parts = Parts(records)
    started, cpu = time.perf_counter(), time.process_time()
    with path.open(encoding="utf-8") as lines:
        report = verify_export(counted(lines, parts), head, key.public_key())
    spent, cpu = time.perf_counter() - started, time.process_time() - cpu
    if not report.ok:
        raise RuntimeError(f"the export did not verify: {report}")
    size = path.stat().st_size / 1e6
    path.unlink()
    return [
        at_least(
            "verification",
            backend,
            f"verify_export ({records:,} records, {size:,.0f} MB)",
            records / spent,
            "events/s",
            TARGET_RATE,
        ),
        Row(
            "verification",
            backend,
            "building the export (read, hash, write)",
            records / export_spent,
            "events/s",
        ),
        Row("verification", backend, TENTHS, parts.last_over_first(), "x"),
        Row("verification", backend, CORES, cpu / spent, "cores"),
    ]
