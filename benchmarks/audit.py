"""Audit at scale: replay, sealing, export and verification rates, and peak memory.

    python -m benchmarks.audit --events 1000000 [--dir var/bench-audit] [--fresh]

Builds (once; reused while --events is unchanged) a SQLite history with the
distribution service in batches of 1,000 deliveries, then runs each phase in
its own process so each one's peak resident memory is its own: catching the
live views up, the replay into a fresh store with its field-by-field
comparison, sealing the Merkle log, the export, the standalone verifier, one
as-of query and one inclusion and consistency proof; the audit watch's
full-speed pass comes right after the verifier's, to read the two side by side.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from adapters.audit import verifier
from adapters.audit.merkle import merkle_leaves
from adapters.audit.signing import tree_heads
from adapters.bootstrap import Container, bootstrap
from adapters.database import view_counts, view_labels, view_positions
from adapters.settings import Settings
from domain.actors import Actor, Role
from domain.distribution.commands import (
    DispatchKits,
    LaunchCampaign,
    RecordDelivery,
    RegisterCommittee,
)
from projections import distribution

CAMPAIGN = "bench-1441"
PROVINCES = ["MA-CAS", "MA-RAB", "MA-FES", "MA-MAR", "MA-AGD", "MA-TNG", "MA-OUJ", "MA-MEK"]
PER_PROVINCE = 2
BATCH = 1000
START = datetime(2020, 4, 26, 8, 0, tzinfo=UTC)
ADMIN = Actor(Role.ADMIN, "bench")
PHASES = ["project", "replay", "seal", "export", "verify", "watch", "as-of", "proofs"]


def settings_for(folder: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{folder / 'tadamon.db'}",
        secrets_dir=folder / "secrets",
        hash_secret=SecretStr("benchmark-only-hash-secret-0123456789"),
        admin_token_file=folder / "admin-token",
        run_projections=False,
        run_sealer=False,
    )


def committees() -> list[tuple[str, str]]:
    return [
        (f"c{p}-{n}", province) for p, province in enumerate(PROVINCES) for n in range(PER_PROVINCE)
    ]


def generate(container: Container, events: int) -> dict[str, Any]:
    service = container.distribution
    households = events  # about one event per delivery, plus one per batch
    per_committee = households // len(committees()) + BATCH
    service.launch_campaign(
        LaunchCampaign(
            CAMPAIGN,
            "Benchmark",
            date(2020, 4, 25),
            date(2020, 6, 30),
            per_committee * len(committees()),
            10**12,
        ),
        ADMIN,
    )
    for province in PROVINCES:
        service.set_quota(CAMPAIGN, province, per_committee * PER_PROVINCE, ADMIN)
    for code, province in committees():
        service.register_committee(CAMPAIGN, RegisterCommittee(code, code, province), ADMIN)
        service.dispatch_kits(CAMPAIGN, DispatchKits(code, per_committee, "bl-1"), ADMIN)
    started, batch = time.perf_counter(), 0
    while (container.ledger.recorder.max_notification_id() or 0) < events:
        code = committees()[batch % len(committees())][0]
        items = [
            RecordDelivery(
                f"b{batch}-{i}",
                code,
                f"HH{batch:05d}{i:04d}",
                1 + (i % 8),
                START + timedelta(minutes=batch + i % 60),
            )
            for i in range(BATCH)
        ]
        service.record_deliveries(CAMPAIGN, items, ADMIN)
        batch += 1
        if batch % 50 == 0:
            done = container.ledger.recorder.max_notification_id()
            print(f"\rgenerating: {done:,} events", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return {
        "events": container.ledger.recorder.max_notification_id(),
        "seconds": time.perf_counter() - started,
    }


def rate(count: int, seconds: float) -> dict[str, Any]:
    return {"events": count, "seconds": round(seconds, 2), "events_per_s": round(count / seconds)}


def timed(action: Callable[[], int]) -> dict[str, Any]:
    started = time.perf_counter()
    count = action()
    return rate(count, time.perf_counter() - started)


def phase_project(c: Container, folder: Path) -> dict[str, Any]:
    """Start from nothing derived, so a reused history measures the same work again."""
    with c.engine.begin() as conn:
        for table in (view_counts, view_labels, view_positions, merkle_leaves, tree_heads):
            conn.execute(table.delete())
    return timed(lambda: c.runner.catch_up())


def phase_replay(c: Container, folder: Path) -> dict[str, Any]:
    started = time.perf_counter()
    report = c.audit.replay(batch_size=5000)
    total = time.perf_counter() - started
    if not report.ok:
        raise SystemExit(f"replay found {report.difference_count} differences")
    return rate(report.events, report.seconds) | {
        "with_comparison_seconds": round(total, 2),
        "differences": report.difference_count,
    }


def phase_seal(c: Container, folder: Path) -> dict[str, Any]:
    result = timed(c.audit.merkle.seal)
    head = c.audit.heads.issue()
    (folder / "head.json").write_text(json.dumps(head))
    (folder / "key.pem").write_text(c.audit.heads.public_pem)
    return result | {"tree_size": head["tree_size"]}


def phase_export(c: Container, folder: Path) -> dict[str, Any]:
    def write() -> int:
        lines = 0
        with (folder / "export.ndjson").open("w", encoding="utf-8") as handle:
            for chunk in c.audit.export():
                handle.write(chunk)
                lines += chunk.count("\n")
        return lines

    result = timed(write)
    return result | {"megabytes": round((folder / "export.ndjson").stat().st_size / 2**20)}


def phase_verify(c: Container, folder: Path) -> dict[str, Any]:
    head = json.loads((folder / "head.json").read_text())
    key = verifier.load_public_key(str(folder / "key.pem"))
    started = time.perf_counter()
    with (folder / "export.ndjson").open(encoding="utf-8") as handle:
        report = verifier.verify_export(handle, head, key)
    seconds = time.perf_counter() - started
    if not report.ok:
        raise SystemExit(str(report))
    return rate(report.records, seconds) | {"result": str(report).split(",")[0]}


def phase_watch(c: Container, folder: Path) -> dict[str, Any]:
    """One full-speed pass of the audit watch: the figure beside verify's."""
    result = timed(c.audit.watch.run_pass)
    if c.audit.watch.findings:
        raise SystemExit(f"the watch found {len(c.audit.watch.findings)} mismatches")
    return result


def phase_as_of(c: Container, folder: Path) -> dict[str, Any]:
    """An instant a second before the last event: the fold reads (nearly) everything."""
    head = c.audit.source.head()
    instant = c.audit.source.read(head - 1, 1)[0].recorded_at - timedelta(seconds=1)
    started = time.perf_counter()
    found = c.audit.as_of(distribution.VIEW, CAMPAIGN, instant)
    seconds = time.perf_counter() - started
    return rate(found.events, seconds) | {
        "households_served": found.table.value("campaign", "", "households_served")
    }


def phase_proofs(c: Container, folder: Path) -> dict[str, Any]:
    size = c.audit.merkle.size()
    started = time.perf_counter()
    path = c.audit.merkle.inclusion(size // 3, size)
    inclusion = time.perf_counter() - started
    started = time.perf_counter()
    again = c.audit.merkle.inclusion(size // 5, size)  # block roots now cached
    inclusion_again = time.perf_counter() - started
    started = time.perf_counter()
    proof = c.audit.merkle.consistency(size // 2, size)
    consistency = time.perf_counter() - started
    return {
        "tree_size": size,
        "first_inclusion_s": round(inclusion, 2),
        "next_inclusion_s": round(inclusion_again, 3),
        "path": len(path + again) // 2,
        "consistency_s": round(consistency, 3),
        "proof": len(proof),
    }


RUNNERS: dict[str, Callable[[Container, Path], dict[str, Any]]] = {
    "project": phase_project,
    "replay": phase_replay,
    "seal": phase_seal,
    "export": phase_export,
    "verify": phase_verify,
    "watch": phase_watch,
    "as-of": phase_as_of,
    "proofs": phase_proofs,
}


def run_phase(name: str, folder: Path, events: int) -> None:
    """In a child process: run one phase and print its figures and peak memory as JSON."""
    container = bootstrap(settings_for(folder))
    try:
        if name == "generate":
            figures = generate(container, events)
        else:
            figures = RUNNERS[name](container, folder)
    finally:
        container.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures | {"peak_mib": round(peak)}))


def child(name: str, folder: Path, events: int) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.audit",
            "--phase",
            name,
            "--dir",
            str(folder),
            "--events",
            str(events),
        ],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=Path("var/bench-audit"))
    parser.add_argument("--fresh", action="store_true", help="regenerate the history")
    parser.add_argument("--phase", choices=["generate", *PHASES], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        run_phase(args.phase, args.dir, args.events)
        return
    folder = args.dir / f"{args.events}"
    marker = folder / "generated.json"
    if args.fresh or not marker.exists():
        for stale in folder.glob("tadamon.db*"):
            stale.unlink()
        folder.mkdir(parents=True, exist_ok=True)
        marker.write_text(json.dumps(child("generate", folder, args.events)))
    results = {"generate": json.loads(marker.read_text())}
    for name in PHASES:
        results[name] = child(name, folder, args.events)
        print(f"{name:>9}: {json.dumps(results[name])}", file=sys.stderr, flush=True)
    out = io.StringIO()
    print(f"\nAudit benchmark, SQLite, {results['generate']['events']:,} events", file=out)
    for name, figures in results.items():
        shown = ", ".join(
            f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in figures.items()
        )
        print(f"  {name:<9} {shown}", file=out)
    print(out.getvalue())


if __name__ == "__main__":
    main()
