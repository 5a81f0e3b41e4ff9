"""Spreadsheet imports on the real stores (SQLite and PostgreSQL): every error class,
dry runs, all-or-nothing, chunks, re-imports, and the files people actually save."""

from __future__ import annotations

import codecs
from datetime import date

import pytest

from adapters.bootstrap import Container
from adapters.spreadsheets.importer import ImportReport
from adapters.spreadsheets.sheet import UnreadableInputError
from domain.actors import Actor, Role
from domain.distribution.commands import DispatchKits, LaunchCampaign, RegisterCommittee
from domain.errors import NotFoundError
from domain.outcomes import BatchMode
from domain.spelling import SHAPE
from projections.distribution import VIEW

C = "ramadan-1441"
HEADER = "delivery_id;committee;household;household_size;delivered_at"


def prepare(container: Container, admin: Actor, kits: int = 100) -> None:
    service = container.distribution
    service.launch_campaign(
        LaunchCampaign(C, "Ramadan 1441", date(2020, 4, 25), date(2020, 6, 30), 600_000, 0, []),
        admin,
    )
    service.set_quota(C, "MA-CAS", 1000, admin)
    for code in ("casa-anfa", "casa-sidi"):
        service.register_committee(C, RegisterCommittee(code, code, "MA-CAS", "Anfa"), admin)
        service.dispatch_kits(C, DispatchKits(code, kits, "bl-1"), admin)


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join((header, *rows)) + "\r\n").encode(encoding)


def good_rows(n: int, start: int = 1) -> list[str]:
    return [
        f"d-{i};casa-anfa;BK{i:06d};{1 + i % 7};26/04/2020 10:{i % 60:02d}"
        for i in range(start, start + n)
    ]


def served(container: Container) -> int:
    container.runner.catch_up()
    return container.views.table(VIEW, C).value("campaign", "", "households_served")


def run(
    container: Container, admin: Actor, data: bytes, mode: BatchMode = BatchMode.RECORD
) -> ImportReport:
    return container.imports.run("deliveries", C, data, admin, mode)


def problems(report: ImportReport) -> list[tuple[int, str, str | None, str]]:
    return [(r.row, p.column, p.value, p.reason) for r in report.rows for p in r.problems]


# -- each error class ---------------------------------------------------------------------
def test_bad_number_names_row_column_value_and_reason(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    data = csv_bytes(
        *good_rows(1),
        "d-2;casa-anfa;BK000002;cinq;26/04/2020",
        "d-3;casa-anfa;BK3333;2.5;26/04/2020",
    )
    report = run(container, admin, data)
    assert problems(report) == [
        (3, "household_size", "cinq", "is not a whole number"),
        (4, "household_size", "2.5", "is not a whole number"),
    ]
    assert [r.status for r in report.rows] == ["recorded", "rejected", "rejected"]
    assert served(container) == 1


def test_household_size_out_of_range_is_the_services_rule(
    container: Container, admin: Actor
) -> None:
    prepare(container, admin)
    report = run(container, admin, csv_bytes("d-1;casa-anfa;BK000001;٤١;26/04/2020"))
    assert problems(report) == [(2, "household_size", "٤١", "must be between 1 and 40 people")]


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("31/02/2020", "is not a date that exists (day/month/year)"),
        ("April 26", "is not a date (expected day/month/year, e.g. 26/04/2020)"),
        ("26/04/2020 25h00", "has a time that does not exist"),
        ("26/04/2020 midi", "has a time that cannot be read (expected e.g. 10:15 or 10h15)"),
        ("", "is empty"),
    ],
)
def test_bad_date(container: Container, admin: Actor, typed: str, reason: str) -> None:
    prepare(container, admin)
    report = run(container, admin, csv_bytes(f"d-1;casa-anfa;BK000001;5;{typed}"))
    assert problems(report) == [(2, "delivered_at", typed, reason)]
    assert served(container) == 0


def test_date_outside_the_campaign_is_rejected_by_the_service(
    container: Container, admin: Actor
) -> None:
    prepare(container, admin)
    report = run(container, admin, csv_bytes("d-1;casa-anfa;BK000001;5;26/07/2020"))
    assert problems(report)[0][:3] == (2, "delivered_at", "26/07/2020")
    assert "outside the campaign" in problems(report)[0][3]


def test_unknown_committee(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    report = run(
        container, admin, csv_bytes(*good_rows(1), "d-2;casa-nowhere;BK000002;4;26/04/2020")
    )
    assert problems(report) == [
        (
            3,
            "committee",
            "casa-nowhere",
            "committee 'casa-nowhere' is not registered in campaign 'ramadan-1441'",
        )
    ]
    assert served(container) == 1


def test_missing_column_names_it(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    data = csv_bytes(
        "d-1;casa-anfa;BK000001;26/04/2020", header="delivery_id;committee;household;delivered_at"
    )
    with pytest.raises(UnreadableInputError) as caught:
        run(container, admin, data)
    assert [f["field"] for f in caught.value.fields] == ["header.household_size"]
    assert caught.value.fields[0]["reason"].startswith("missing column")


def test_unknown_header_names_it_and_lists_the_expected_ones(
    container: Container, admin: Actor
) -> None:
    prepare(container, admin)
    header = HEADER + ";Nom du bénéficiaire"
    with pytest.raises(UnreadableInputError) as caught:
        run(
            container, admin, csv_bytes("d-1;casa-anfa;BK000001;5;26/04/2020;Fatima", header=header)
        )
    field = caught.value.fields[0]
    assert field["field"] == "header.Nom du bénéficiaire"
    assert "unknown column" in field["reason"] and "household_size" in field["reason"]


def test_a_column_given_twice_is_refused(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    header = HEADER + ";CIN"
    with pytest.raises(UnreadableInputError) as caught:
        run(container, admin, csv_bytes("d-1;casa-anfa;BK000001;5;26/04/2020;BK1", header=header))
    assert caught.value.fields == [
        {"field": "header.household", "reason": "the column appears twice"}
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"\r\n\r\n;;;;\r\n", "the file is empty"),
        (codecs.BOM_UTF8 + HEADER.encode() + b"\r\n", "the file has a header row but no data rows"),
    ],
)
def test_empty_file(container: Container, admin: Actor, data: bytes, reason: str) -> None:
    prepare(container, admin)
    with pytest.raises(UnreadableInputError) as caught:
        run(container, admin, data)
    assert caught.value.fields == [{"field": "file", "reason": reason}]


@pytest.mark.parametrize("encoding", ["cp1256", "latin-1"])  # Windows Arabic, Excel's "CSV"
def test_wrong_encoding(container: Container, admin: Actor, encoding: str) -> None:
    prepare(container, admin)
    header = (
        "رقم_التسليم;اللجنة;رقم_البطاقة;عدد_الأفراد;تاريخ_التسليم"
        if encoding == "cp1256"
        else ("identifiant;comité;ménage;taille du ménage;date de livraison")
    )
    with pytest.raises(UnreadableInputError) as caught:
        run(
            container,
            admin,
            csv_bytes("d-1;casa-anfa;BK000001;5;26/04/2020", header=header, encoding=encoding),
        )
    assert caught.value.fields[0]["field"] == "file"
    assert caught.value.fields[0]["reason"].startswith("wrong encoding")


def test_unknown_campaign_is_not_found(container: Container, admin: Actor) -> None:
    with pytest.raises(NotFoundError):
        container.imports.run("deliveries", "no-such-campaign", csv_bytes(*good_rows(1)), admin)


def test_a_household_number_is_never_echoed(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    data = csv_bytes(
        "d-1;casa-anfa;SECRET#99;5;26/04/2020",
        "d-2;casa-anfa;BK000002;5;26/04/2020",
        "d-3;casa-sidi;bk 000002;5;26/04/2020",
    )
    report = run(container, admin, data)
    assert problems(report) == [
        (2, "household", "(hidden)", SHAPE),
        (4, "household", "(hidden)", "household already served by delivery 'd-2'"),
    ]
    assert "SECRET" not in repr(report) and "000002" not in repr(problems(report))


# -- modes --------------------------------------------------------------------------------
def test_dry_run_decides_every_row_and_records_nothing(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    head = container.runner.source.head()
    data = csv_bytes(
        *good_rows(3),
        "d-4;casa-nowhere;BK000004;4;26/04/2020",
        "d-5;casa-anfa;BK000001;4;26/04/2020",
    )
    report = run(container, admin, data, BatchMode.DRY_RUN)
    assert [r.status for r in report.rows] == ["valid", "valid", "valid", "rejected", "rejected"]
    assert problems(report)[1][3] == "household already served by delivery 'd-1'"
    assert (report.committed, report.position) == (False, 0)
    assert container.runner.source.head() == head
    assert served(container) == 0


def test_real_run_records_valid_rows_with_the_batch_answers(
    container: Container, admin: Actor
) -> None:
    prepare(container, admin)
    data = csv_bytes(*good_rows(3), "d-4;casa-nowhere;BK000004;4;26/04/2020")
    report = run(container, admin, data)
    assert [r.status for r in report.rows] == ["recorded"] * 3 + ["rejected"]
    assert report.committed and report.position > 0
    assert served(container) == 3


def test_all_or_nothing_records_nothing_when_one_row_fails(
    container: Container, admin: Actor
) -> None:
    prepare(container, admin)
    head = container.runner.source.head()
    for bad in ("d-9;casa-nowhere;BK000009;4;26/04/2020", "d-9;casa-anfa;BK000009;neuf;26/04/2020"):
        report = run(container, admin, csv_bytes(*good_rows(5), bad), BatchMode.ALL_OR_NOTHING)
        assert [r.status for r in report.rows] == ["valid"] * 5 + ["rejected"]
        assert not report.committed
    assert container.runner.source.head() == head
    report = run(container, admin, csv_bytes(*good_rows(5)), BatchMode.ALL_OR_NOTHING)
    assert [r.status for r in report.rows] == ["recorded"] * 5 and report.committed
    assert served(container) == 5


def test_all_or_nothing_accepts_duplicates(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    run(container, admin, csv_bytes(*good_rows(2)))
    report = run(container, admin, csv_bytes(*good_rows(4)), BatchMode.ALL_OR_NOTHING)
    assert [r.status for r in report.rows] == ["duplicate", "duplicate", "recorded", "recorded"]
    assert served(container) == 4


def test_large_file_goes_in_chunks_each_one_save(container: Container, admin: Actor) -> None:
    prepare(container, admin, kits=60)
    container.imports.chunk = 7
    seen: list[tuple[int, int]] = []
    data = csv_bytes(*good_rows(50))
    report = container.imports.run(
        "deliveries", C, data, admin, BatchMode.RECORD, lambda d, t: seen.append((d, t))
    )
    assert seen == [(min(n, 50), 50) for n in range(7, 57, 7)]
    assert report.count("recorded") == 50
    assert served(container) == 50


def test_stock_runs_out_across_chunks(container: Container, admin: Actor) -> None:
    prepare(container, admin, kits=10)
    container.imports.chunk = 4
    report = run(container, admin, csv_bytes(*good_rows(12)))
    assert [r.status for r in report.rows] == ["recorded"] * 10 + ["rejected"] * 2
    assert "no stock" in report.rows[-1].problems[0].reason


def test_reimporting_the_same_file_changes_nothing(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    data = csv_bytes(*good_rows(20), "d-99;casa-nowhere;BK000099;4;26/04/2020")
    first = run(container, admin, data)
    container.runner.catch_up()
    before = container.views.dump()
    head = container.runner.source.head()
    second = run(container, admin, data)
    assert [r.status for r in second.rows] == ["duplicate"] * 20 + ["rejected"]
    assert second.rows[0].original is not None and second.rows[0].original["delivery_id"] == "d-1"
    assert (second.committed, second.position) == (False, 0)
    assert container.runner.source.head() == head
    container.runner.catch_up()
    assert container.views.dump() == before
    assert first.count("recorded") == 20


def test_reimporting_a_file_whose_rows_changed_refuses_the_changed_rows(
    container: Container, admin: Actor
) -> None:
    """A delivery id in a spreadsheet names one delivery: an edited row is not a new one."""
    prepare(container, admin)
    rows = good_rows(3)
    run(container, admin, csv_bytes(*rows))
    rows[1] = "d-2;casa-anfa;BK777777;3;26/04/2020 10:02"  # another household under d-2
    rows[2] = rows[2].replace("BK000003", "bk-000003")  # the same number, typed differently
    second = run(container, admin, csv_bytes(*rows))
    assert [r.status for r in second.rows] == ["duplicate", "rejected", "duplicate"]
    assert problems(second) == [
        (3, "delivery_id", "d-2", "this delivery_id was already used for another household")
    ]
    assert served(container) == 3


def test_committee_token_imports_only_its_own_rows(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    anfa = Actor(Role.COMMITTEE, "t1", "casa-anfa", C)
    assert run(container, anfa, csv_bytes(*good_rows(2))).count("recorded") == 2
    from domain.actors import ForbiddenError

    with pytest.raises(ForbiddenError):
        run(container, anfa, csv_bytes("d-7;casa-sidi;BK000007;4;26/04/2020"))
    with pytest.raises(ForbiddenError):
        run(container, Actor(Role.AUDITOR, "t2"), csv_bytes(*good_rows(1)))


# -- what people save ---------------------------------------------------------------------
ARABIC = "رقم_التسليم,اللجنة,رقم_البطاقة,عدد_الأفراد,تاريخ_التسليم"
FRENCH = "Identifiant;Comité;CIN;Taille du ménage;Date de livraison"
ENGLISH = "Delivery ID\tCommittee\tHousehold\tHousehold size\tDelivered at"


@pytest.mark.parametrize(
    ("header", "separator", "encoding", "bom"),
    [
        (ARABIC, ",", "utf-8", codecs.BOM_UTF8),  # Excel "CSV UTF-8"
        (FRENCH, ";", "utf-8", b""),  # LibreOffice, French locale
        (ENGLISH, "\t", "utf-16-le", codecs.BOM_UTF16_LE),  # Excel "Unicode text"
        ("sep=;\r\n" + FRENCH, ";", "utf-8", codecs.BOM_UTF8),  # Excel's separator hint
    ],
)
def test_headers_separators_encodings_and_digits(
    container: Container, admin: Actor, header: str, separator: str, encoding: str, bom: bytes
) -> None:
    prepare(container, admin)
    rows = [
        ["d-1", "casa-anfa", "BK000001", "٥", "٢٦/٠٤/٢٠٢٠ ١٠:١٥"],  # noqa: RUF001 - Arabic-Indic digits
        ["d-2", "CASA-ANFA", "BK000002", "۳", "26-04-2020 10h15"],  # Eastern Arabic-Indic digits
        ["d-3", "casa-anfa", '"BK 000003"', "4", "2020-04-26"],
        ["d-4", "casa-anfa", "BK000004", "2", "2020-04-26T23:30:00+00:00"],
    ]
    text = "\r\n".join([header, *(separator.join(r) for r in rows)]) + "\r\n"
    report = run(container, admin, bom + text.encode(encoding))
    assert problems(report) == []
    assert [r.row for r in report.rows] == [2, 3, 4, 5]
    container.runner.catch_up()
    table = container.views.table(VIEW, C)
    assert table.value("campaign", "", "people_reached") == 5 + 3 + 4 + 2
    assert table.value("day", "2020-04-26", "households_served") == 4


def test_row_numbers_are_the_spreadsheets_even_with_blank_and_multiline_rows(
    container: Container, admin: Actor
) -> None:
    prepare(container, admin)
    text = (
        HEADER
        + "\r\n"
        + "d-1;casa-anfa;BK000001;5;26/04/2020\r\n"
        + ";;;;\r\n"  # an empty row the spreadsheet still numbers
        + 'd-2;"casa-anfa";BK000002;"tr\nois";26/04/2020\r\n'  # a cell spanning two lines
        + "d-3;casa-anfa;BK000003;x;26/04/2020;extra\r\n"
    )
    report = run(container, admin, text.encode())
    assert problems(report) == [
        (4, "household_size", "tr\nois", "is not a whole number"),
        (5, "row", None, "more cells than there are columns"),
        (5, "household_size", "x", "is not a whole number"),
    ]
