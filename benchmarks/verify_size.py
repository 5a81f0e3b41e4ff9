"""``verify_export`` against the export's size alone, apart from the store and its machine.

    python -m benchmarks.verify_size [--records 3000000,15000000,3000000]

For each size, in a process of its own: a synthetic export in the exporter's layout
(one stream per record, as ``Claimed`` and ``KitDelivered`` are), a signed tree head,
then the timed ``verify_export``: its rate, its tenths (``benchmarks/parts.py``), the
time it spent after the last line and its peak RSS. Repeating the first size last
shows how far the machine moved meanwhile.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from adapters.audit.verifier import TreeBuilder, sign_tree_head, verify_export
from benchmarks.parts import Parts, counted
from benchmarks.verify import sealed_row, write_sealed

TOPIC = "domain.distribution:KitDelivered"
STAMP = {"_type_": "datetime_iso", "_data_": "2020-04-01T10:00:00+00:00"}
STATE = json.dumps(
    {"household": "x" * 64, "kits": 1, "timestamp": STAMP, "pad": "y" * 300}
).encode()
SPREAD = 0x9E3779B97F4A7C15  # odd: i * SPREAD spreads the stream ids over 128 bits


def write_export(path: Path, records: int) -> tuple[int, bytes]:
    """The export's lines, as ``benchmarks/verify.py`` writes them; (records, root)."""
    tree = TreeBuilder()
    with path.open("w", encoding="utf-8") as out:
        for position in range(1, records + 1):
            stream = uuid.UUID(int=(position * SPREAD) % (1 << 128))
            write_sealed(out, tree, sealed_row(position, stream, 1, TOPIC, STATE))
    return tree.size, tree.root()


def measure(records: int, folder: str) -> dict[str, float | list[float]]:
    path = Path(folder) / f"export-{records}.ndjson"
    size, root = write_export(path, records)
    key = Ed25519PrivateKey.generate()
    head = sign_tree_head(key, size, root, datetime.now(UTC))
    parts = Parts(records)
    started = time.perf_counter()
    with path.open(encoding="utf-8") as lines:
        report = verify_export(counted(lines, parts), head, key.public_key())
    spent = time.perf_counter() - started
    assert report.ok, report
    path.unlink()
    return {
        "rate": records / spent,
        "tenths": parts.rates(),
        "after_last_line": spent - (parts.marks[-1][1] - parts.marks[0][1]),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def in_child(records: int, folder: str) -> dict[str, float | list[float]]:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(measure, (records, folder))  # type: ignore[no-any-return]


def shown(records: int, found: dict[str, float | list[float]]) -> str:
    tenths = found["tenths"]
    assert isinstance(tenths, list)
    return (
        f"verify_export, {records:,} records: {found['rate']:,.0f} records/s; tenths "
        f"{', '.join(f'{rate:,.0f}' for rate in tenths)} (last / first "
        f"{tenths[-1] / tenths[0]:.2f}); {found['after_last_line']:.2f} s after the last "
        f"line; peak RSS {found['peak_rss_mb']:,.0f} MB"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", default="3000000,15000000,3000000")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        for records in (int(n) for n in args.records.split(",")):
            print(shown(records, in_child(records, folder)), flush=True)


if __name__ == "__main__":
    main()
