"""The benchmark suite's quick run, at tiny sizes: it runs and writes its table (no thresholds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import relay, verify_size
from benchmarks.__main__ import BENCHES, main
from tests.conftest import PG_URL, postgres_problem, service_missing

pytestmark = pytest.mark.slow

TINY = [
    "--quick",
    "--scale",
    "0.001",
    "--ingest-deliveries",
    "1000",
    "--http-deliveries",
    "1000",
    "--lag-seconds",
    "1",
    "--naive-events",
    "20",
    "--per-event-seconds",
    "0.2",
    "--concurrency-batches",
    "1",
    "--list-households",
    "200",
    "--relay-deliveries",
    "300",
]


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_quick_benchmarks_run_and_write_results(backend: str, tmp_path: Path) -> None:
    if backend == "postgres" and (problem := postgres_problem()):
        service_missing("PostgreSQL", problem)
    output = tmp_path / "RESULTS.md"

    assert (
        main([*TINY, "--backends", backend, "--postgres-url", PG_URL, "--output", str(output)]) == 0
    )

    written = output.read_text(encoding="utf-8")
    assert "## Machine" in written and "| CPU" in written
    rows = [
        line for line in written.splitlines() if line.startswith("| ") and f" {backend} " in line
    ]
    benches = {line.split("|")[1].strip() for line in rows}
    assert benches == {
        "season",
        "ingest",
        "http ingest",
        "concurrency",
        "rebuild",
        "verification",
        "as-of",
        "live lag",
        "memory",
        "lists",
    } | ({"relay"} if relay.broker_problem() is None else set())
    assert len(BENCHES) == len(benches) + (relay.broker_problem() is not None)
    replay = next(line for line in rows if "published figures" in line)
    assert replay.rstrip(" |").endswith("yes")


def test_a_tiny_scale_run_writes_its_table_and_chart_and_says_the_figures_held(
    tmp_path: Path,
) -> None:
    output = tmp_path / "RESULTS.md"

    assert main(["--scales", "0.001", "--backends", "sqlite", "--output", str(output)]) == 0

    written = output.read_text(encoding="utf-8")
    rows = [
        line
        for line in written.splitlines()
        if [c.strip() for c in line.split("|")[1:3]] == ["sqlite", "x0.001"]
    ]
    assert len(rows) == 1 and "published figures not shown" not in written
    assert (tmp_path / "scale.png").stat().st_size > 0

    # a later run of another size keeps this one's row beside its own, and says so
    again = ["--scales", "0.002", "--backends", "sqlite", "--output", str(output), "--keep"]
    assert main(again) == 0
    kept = output.read_text(encoding="utf-8")
    scales = [line.split("|")[2].strip() for line in kept.splitlines() if "| sqlite" in line]
    assert scales == ["x0.001", "x0.002"] and rows[0] in kept
    assert "kept from the earlier run: sqlite x0.001" in kept


def test_the_verification_size_bench_verifies_its_exports_and_prints_each_size(
    capsys: pytest.CaptureFixture[str],
) -> None:
    verify_size.main(["--records", "2000,5000"])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "verify_export, 2,000 records",
        "verify_export, 5,000 records",
    ]
    assert all("records/s; tenths" in line and "peak RSS" in line for line in lines)
