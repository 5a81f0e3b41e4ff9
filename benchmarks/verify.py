"""Verification: events/s for the Merkle verification of an export of the whole ledger.

The export is built here from the stored records, with the verifier's own
``record_bytes`` and ``leaf_hash`` (the layout an auditor's export has), and a
tree head is signed with a fresh Ed25519 key; only ``verify_export`` is timed.
"""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from adapters.audit.verifier import (
    TreeBuilder,
    leaf_hash,
    record_bytes,
    sign_tree_head,
    verify_export,
)
from benchmarks.parts import Parts, counted
from benchmarks.report import Row, at_least
from domain.ledger import Ledger

SECTION = 5000
TARGET_RATE = 100_000
TENTHS = "verify_export, its last tenth's rate / its first tenth's (same run)"
CORES = "verify_export, CPU seconds / wall seconds (below 1: it waited)"


def export(ledger: Ledger, path: Path) -> tuple[int, bytes, float]:
    """Write the NDJSON export; (records, Merkle root, seconds)."""
    started, tree, after = time.perf_counter(), TreeBuilder(), 0
    recorder = ledger.recorder
    with path.open("w", encoding="utf-8") as out:
        while notes := recorder.select_notifications(
            start=after, limit=SECTION, inclusive_of_start=False
        ):
            for n in notes:
                state = bytes(n.state)
                leaf = leaf_hash(
                    record_bytes(n.id, n.originator_id, n.originator_version, n.topic, state)  # type: ignore[arg-type]
                )
                line = {
                    "leaf_index": tree.size,
                    "position": n.id,
                    "originator_id": str(n.originator_id),
                    "originator_version": n.originator_version,
                    "topic": n.topic,
                    "state": base64.b64encode(state).decode("ascii"),
                    "leaf_hash": leaf.hex(),
                }
                out.write(json.dumps(line, separators=(",", ":")) + "\n")
                tree.append(leaf)
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
