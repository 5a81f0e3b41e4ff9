"""Targets are judged on SQLite, where the issue sets them; PostgreSQL only shows them."""

from __future__ import annotations

from benchmarks.report import at_least, at_most


def test_sqlite_rows_are_judged_against_their_target() -> None:
    assert at_least("http", "sqlite", "rate", 5_100, "deliveries/s", 5_000).cells()[4:] == (
        ">= 5,000 deliveries/s",
        "yes",
    )
    assert at_most("lag", "sqlite", "p99", 300, "ms", 250).cells()[4:] == ("<= 250 ms", "**no**")


def test_postgres_rows_show_the_sqlite_target_without_a_verdict() -> None:
    row = at_least("http", "postgres", "rate", 3_000, "deliveries/s", 5_000)
    assert row.met is None
    assert row.cells()[4:] == ("(sqlite: >= 5,000 deliveries/s)", "")
