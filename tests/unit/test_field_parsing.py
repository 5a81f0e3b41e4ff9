"""Cells, headers and files as people type and save them (no store needed)."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime, timedelta, timezone

import pytest

from adapters.kobo.webhook import record_id
from adapters.spreadsheets import values
from adapters.spreadsheets.distribution import DELIVERIES
from adapters.spreadsheets.kinds import map_header
from adapters.spreadsheets.sheet import UnreadableInputError, read
from adapters.spreadsheets.values import CellError, header_key
from domain.clock import CASABLANCA


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2020-04-26", datetime(2020, 4, 26, tzinfo=CASABLANCA)),
        ("26/04/2020", datetime(2020, 4, 26, tzinfo=CASABLANCA)),
        ("26-04-2020 10:15", datetime(2020, 4, 26, 10, 15, tzinfo=CASABLANCA)),
        ("26/04/2020 10h15", datetime(2020, 4, 26, 10, 15, tzinfo=CASABLANCA)),
        ("26.04.20 9H05", datetime(2020, 4, 26, 9, 5, tzinfo=CASABLANCA)),
        ("2020/04/26 10:15:30", datetime(2020, 4, 26, 10, 15, 30, tzinfo=CASABLANCA)),
        ("٢٦/٠٤/٢٠٢٠ ١٠:١٥", datetime(2020, 4, 26, 10, 15, tzinfo=CASABLANCA)),  # noqa: RUF001
        ("۲۶/۰۴/۲۰۲۰", datetime(2020, 4, 26, tzinfo=CASABLANCA)),
        (
            "2020-04-26T10:15:00+02:00",
            datetime(2020, 4, 26, 10, 15, tzinfo=timezone(timedelta(hours=2))),
        ),
        (
            "2020-04-26T10:15:42.310+01:00",
            datetime(2020, 4, 26, 10, 15, 42, 310000, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("2020-04-26T09:15:44Z", datetime(2020, 4, 26, 9, 15, 44, tzinfo=UTC)),
    ],
)
def test_dates_as_people_type_them(typed: str, expected: datetime) -> None:
    found = values.moment(typed)
    assert found == expected and found.utcoffset() == expected.utcoffset()


def test_casablanca_wall_time_follows_the_ramadan_offset() -> None:
    # Morocco drops its +01:00 during Ramadan: 26 April 2020 was UTC+0, 1 July UTC+1.
    assert values.moment("26/04/2020 10:00").astimezone(UTC).hour == 10
    assert values.moment("01/07/2020 10:00").astimezone(UTC).hour == 9


def test_kobo_submission_time_is_utc() -> None:
    assert values.utc_moment("2020-04-26T09:15:44").utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "typed", ["31/02/2020", "2020-13-01", "April 26", "26/4", "26/04/2020 24:00"]
)
def test_impossible_or_unreadable_dates(typed: str) -> None:
    with pytest.raises(CellError) as caught:
        values.moment(typed)
    assert typed not in caught.value.reason


@pytest.mark.parametrize(
    ("typed", "number"),
    [("5", 5), (" ١٢ ", 12), ("۷", 7), ("5.0", 5), ("1 000", 1000)],  # noqa: RUF001
)
def test_whole_numbers(typed: str, number: int) -> None:
    assert values.whole_number(typed) == number


@pytest.mark.parametrize("typed", ["cinq", "2.5", "-3", "5e2", ""])
def test_not_whole_numbers(typed: str) -> None:
    with pytest.raises(CellError):
        values.whole_number(typed)


def test_codes_ids_and_identity_numbers() -> None:
    assert values.code(" CASA-Anfa ") == "casa-anfa"
    assert values.client_id("anfa-0001") == "anfa-0001"
    assert values.identity_number("BE ١٢٣٤٥٦") == "BE 123456"
    for parse, bad in (
        (values.code, "casa anfa"),
        (values.client_id, "d 1"),
        (values.identity_number, "AB#1"),
    ):
        with pytest.raises(CellError) as caught:
            parse(bad)
        assert bad not in caught.value.reason


def test_headers_in_three_languages_map_to_the_same_columns() -> None:
    arabic = ["رقم_التسليم", "اللجنة", "رقم_البطاقة", "عدد_الأفراد", "تاريخ_التسليم"]
    french = ["Identifiant", "COMITÉ", "CIN", "Taille du ménage", "date de livraison"]
    english = ["delivery_id", "Committee", "Household", "household size", "Delivered at"]
    keys = [c.key for c in DELIVERIES.columns]
    for header in (
        arabic,
        french,
        english,
        ["عدد الافراد" if h == "عدد_الأفراد" else h for h in arabic],
    ):
        assert [c.key if c else None for c in map_header(DELIVERIES, header)] == keys


def test_no_header_spelling_names_two_columns() -> None:
    owners: dict[str, set[str]] = {}
    for column in DELIVERIES.columns:
        for spelling in (column.key, *column.headers):
            owners.setdefault(header_key(spelling), set()).add(column.key)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_blank_trailing_header_cells_are_ignored() -> None:
    header = [*(c.key for c in DELIVERIES.columns), "", " "]
    assert map_header(DELIVERIES, header)[-2:] == [None, None]


# -- files --------------------------------------------------------------------------------
def test_utf8_with_and_without_bom_and_utf16_read_the_same() -> None:
    text = "a;b\r\n1;٢\r\n"
    for data in (
        text.encode(),
        codecs.BOM_UTF8 + text.encode(),
        codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    ):
        sheet = read(data)
        assert (sheet.header, sheet.records[0].cells, sheet.records[0].number) == (
            ["a", "b"],
            ["1", "٢"],
            2,
        )


@pytest.mark.parametrize(("separator"), [";", ",", "\t"])
def test_separator_is_sniffed_from_the_header(separator: str) -> None:
    text = separator.join(["x", "y", "z"]) + "\n" + separator.join(["1", '"a;b,c"', "3"]) + "\n"
    assert read(text.encode()).records[0].cells == ["1", "a;b,c", "3"]


def test_files_that_are_not_csv_text() -> None:
    with pytest.raises(UnreadableInputError, match="wrong encoding"):
        read("identifiant;comité\n1;é\n".encode("cp1252"))
    with pytest.raises(UnreadableInputError, match="NUL"):
        read(b"PK\x03\x04\x00\x00 an xlsx file")


def test_kobo_instance_ids_become_delivery_ids() -> None:
    uuid = "0341c08c-4816-4e2f-9937-be693e203047"
    assert record_id(f"uuid:{uuid}") == f"kobo-{uuid}"
    assert record_id(f"uuid:uuid:{uuid.upper()}") == f"kobo-{uuid}"  # Kobo's doubled prefix
    odd = record_id("not a uuid at all")
    assert odd.startswith("kobo-") and len(odd) == 37 and record_id("not a uuid at all") == odd
