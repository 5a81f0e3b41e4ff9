"""Enrolment imports on both stores: headers in three languages, row answers, dry run,
re-import, and a 100,000-row file with its progress."""

from __future__ import annotations

import pytest

from adapters.bootstrap import Container
from adapters.spreadsheets.kinds import HIDDEN
from domain.actors import Actor
from domain.outcomes import BatchMode
from tests.integration.test_lists_store import C, prepare

ARABIC = "رقم_البطاقة;اللجنة;عدد_الأفراد;الجماعة"
FRENCH = "N° CIN;comité;taille du ménage;commune"


def csv_bytes(header: str, *rows: str) -> bytes:
    return ("\r\n".join((header, *rows)) + "\r\n").encode()


def rows(n: int, committee: str = "c1", start: int = 0) -> list[str]:
    return [f"AB{start + i:07d};{committee};{1 + i % 7};Anfa" for i in range(n)]


def summary(report) -> list[tuple[int, str, list[tuple[str, str | None, str]]]]:
    return [
        (r.row, r.status, [(p.column, p.value, p.reason) for p in r.problems]) for r in report.rows
    ]


def test_arabic_headers_row_answers_and_a_reimport_that_changes_nothing(
    container: Container, admin: Actor
) -> None:
    prepare(container, admin)
    data = csv_bytes(ARABIC, *rows(2), "AB0000009;nowhere;3;", "AB0000010;c1;0;")
    report = container.imports.run("enrolments", C, data, admin)
    assert summary(report) == [
        (2, "recorded", []),
        (3, "recorded", []),
        (4, "rejected", [("committee", "nowhere",
                          "committee 'nowhere' is not registered in campaign 'ramadan-1441'")]),
        (5, "rejected", [("household_size", "0", "must be between 1 and 40 people")]),
    ]  # fmt: skip
    head = container.ledger.recorder.max_notification_id()
    again = container.imports.run("enrolments", C, csv_bytes(FRENCH, *rows(2)), admin)
    assert [r.status for r in again.rows] == ["duplicate", "duplicate"]
    assert container.ledger.recorder.max_notification_id() == head


def test_a_dry_run_records_nothing_and_hides_the_numbers(
    container: Container, admin: Actor
) -> None:
    prepare(container, admin)
    data = csv_bytes(FRENCH, *rows(3), "AB0000001;c2;2;")
    head = container.ledger.recorder.max_notification_id()
    report = container.imports.run("enrolments", C, data, admin, BatchMode.DRY_RUN)
    assert [r.status for r in report.rows] == ["valid", "valid", "valid", "rejected"]
    assert report.rows[3].problems[0].column == "committee"
    assert container.ledger.recorder.max_notification_id() == head
    bad = container.imports.run("enrolments", C, csv_bytes(FRENCH, "x;c1;2;"), admin)
    assert [(p.column, p.value) for p in bad.rows[0].problems] == [("household", HIDDEN)]


@pytest.mark.slow
def test_a_hundred_thousand_rows_with_progress(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    data = csv_bytes(FRENCH, *rows(50_000, "c1"), *rows(50_000, "c2", start=50_000))
    seen: list[tuple[int, int]] = []
    report = container.imports.run(
        "enrolments", C, data, admin, progress=lambda done, total: seen.append((done, total))
    )
    assert report.count("recorded") == 100_000
    assert seen == [(done, 100_000) for done in range(1000, 100_001, 1000)]
    container.runner.catch_up()
    totals = container.views.table("distribution", C)
    assert totals.value("campaign", "", "listed") == 100_000
    assert totals.value("committee", "c2", "listed_remaining") == 50_000
