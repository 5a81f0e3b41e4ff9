"""Importing a reception site's movements from a spreadsheet, on SQLite and PostgreSQL:
each error class, dry runs, all-or-nothing, re-imports, site tokens, three languages."""

from __future__ import annotations

import pytest

from adapters.bootstrap import Container
from adapters.spreadsheets.importer import ImportReport
from adapters.spreadsheets.sheet import UnreadableInputError
from domain.actors import Actor, ForbiddenError, Role
from domain.errors import NotFoundError
from domain.outcomes import BatchMode
from projections.marhaba import VIEW
from tests.integration.test_imports import csv_bytes as csv_with_header
from tests.integration.test_imports import problems
from tests.integration.test_marhaba_store import seed
from tests.marhaba_data import SLUG

HEADER = "reference;direction;mode;travellers;moved_at"
GENOA = {"site": "port-genoa"}


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return csv_with_header(*rows, header=header)


def good_rows(n: int, start: int = 1) -> list[str]:
    return [
        f"GNV-{i};{('arrival', 'departure')[i % 2]};sea;{100 + i};20/07/2020 {i % 24:02d}h00"
        for i in range(start, start + n)
    ]


def run(
    container: Container,
    actor: Actor,
    data: bytes,
    mode: BatchMode = BatchMode.RECORD,
    shared: dict[str, str] | None = GENOA,
) -> ImportReport:
    return container.imports.run("movements", SLUG, data, actor, mode, None, shared)


def totals(container: Container, member: tuple[str, str] = ("operation", "")) -> dict[str, int]:
    container.runner.catch_up()
    table = container.views.table(VIEW, SLUG)
    return {m: table.value(*member, m) for m in ("arrivals", "departures", "movements")}


@pytest.fixture
def seeded(container: Container, admin: Actor) -> Container:
    seed(container, admin)
    return container


# -- what reception staff save ----------------------------------------------------------
ARABIC = "المرجع,الاتجاه,وسيلة النقل,عدد المسافرين,التاريخ"
FRENCH = "Référence;Sens;Mode de transport;Nombre de voyageurs;Date et heure"


@pytest.mark.parametrize(
    ("header", "separator", "rows"),
    [
        (
            ARABIC,
            ",",
            [
                "GNV-1,وصول,باخرة,١٢٠,٢٠/٠٧/٢٠٢٠ ٠٨:٠٠",  # noqa: RUF001 - Arabic-Indic digits
                "GNV-2,المغادرة,بحري,۸۰,20/07/2020 22h30",  # Eastern Arabic-Indic digits
                "GNV-3,دخول,طائرة,15,2020-07-20",
            ],
        ),
        (
            FRENCH,
            ";",
            [
                "GNV-1;Arrivée;Bateau;120;20/07/2020 08h00",
                "GNV-2;retour;FERRY;80;20-07-2020 22:30",
                "GNV-3;entrée;avion;15;20/07/2020",
            ],
        ),
        (
            "Reference\tDirection\tMode\tTravellers\tMoved at",
            "\t",
            [
                "GNV-1\tarrivals\tsea\t120\t2020-07-20T07:00:00+00:00",
                "GNV-2\tDeparture\tboat\t80\t20/07/2020 22:30",
                "GNV-3\tin\tplane\t15\t20/07/2020",
            ],
        ),
    ],
)
def test_three_languages_words_and_digits(
    seeded: Container, admin: Actor, header: str, separator: str, rows: list[str]
) -> None:
    report = run(seeded, admin, csv_bytes(*rows, header=header))
    assert problems(report) == []
    assert [(r.row, r.item_id, r.status) for r in report.rows] == [
        (2, "GNV-1", "recorded"),
        (3, "GNV-2", "recorded"),
        (4, "GNV-3", "recorded"),
    ]
    assert totals(seeded) == {"arrivals": 135, "departures": 80, "movements": 3}
    assert totals(seeded, ("mode", "air"))["arrivals"] == 15
    assert totals(seeded, ("site", "port-genoa"))["movements"] == 3


def test_a_site_column_lets_one_file_cover_several_sites(seeded: Container, admin: Actor) -> None:
    data = csv_bytes(
        "GNV-1;port-genoa;arrival;sea;120;20/07/2020",
        "STE-1;Port-Sete;départ;mer;70;21/07/2020",
        "XXX-1;port-nowhere;arrival;sea;5;21/07/2020",
        header="reference;site;direction;mode;travellers;moved_at",
    )
    report = run(seeded, admin, data, shared=None)
    assert [r.status for r in report.rows] == ["recorded", "recorded", "rejected"]
    assert problems(report) == [
        (4, "site", "port-nowhere", "site 'port-nowhere' is not registered in operation "
         "'marhaba-2020'"),
    ]  # fmt: skip
    assert totals(seeded, ("site", "port-sete"))["departures"] == 70
    with pytest.raises(UnreadableInputError) as caught:  # no --site and no site column
        run(seeded, admin, csv_bytes(*good_rows(1)), shared=None)
    assert [f["field"] for f in caught.value.fields] == ["header.site"]


# -- each error class ---------------------------------------------------------------------
def test_cell_errors_name_row_column_value_and_reason(seeded: Container, admin: Actor) -> None:
    data = csv_bytes(
        *good_rows(1),
        "GNV-2;sideways;sea;10;20/07/2020",
        "GNV-3;arrival;camel;10;20/07/2020",
        "GNV-4;arrival;sea;dix;20/07/2020",
        "GNV-5;arrival;sea;0;20/07/2020",
        "GNV-6;arrival;sea;20001;20/07/2020",
        "GNV-7;arrival;sea;10;31/06/2020",
        "GNV 8;arrival;sea;10;20/07/2020",
    )
    report = run(seeded, admin, data)
    assert problems(report) == [
        (3, "direction", "sideways", "must be arrival or departure (وصول / مغادرة, arrivée / "
         "départ)"),
        (4, "mode", "camel", "must be air, sea or road (جوي / بحري / بري, avion / bateau / route)"),
        (5, "travellers", "dix", "is not a whole number"),
        (6, "travellers", "0", "must be between 1 and 20000"),
        (7, "travellers", "20001", "must be between 1 and 20000"),
        (8, "moved_at", "31/06/2020", "is not a date that exists (day/month/year)"),
        (9, "reference", "GNV 8", "must be 1-64 letters, digits or . _ : - (no spaces)"),
    ]  # fmt: skip
    assert [r.status for r in report.rows] == ["recorded"] + ["rejected"] * 7
    assert totals(seeded)["movements"] == 1


def test_dates_outside_the_operation_or_the_site_are_the_services_rules(
    seeded: Container, admin: Actor
) -> None:
    data = csv_bytes("GNV-1;arrival;sea;10;01/07/2020", "GNV-2;arrival;sea;10;01/01/2099")
    report = run(seeded, admin, data)
    found = problems(report)
    assert [(row, column, value) for row, column, value, _ in found] == [
        (2, "moved_at", "01/07/2020"),
        (3, "moved_at", "01/01/2099"),
    ]
    assert "outside" in found[0][3] and found[1][3] == "is in the future"


def test_a_row_for_another_site_than_the_file_is_refused(seeded: Container, admin: Actor) -> None:
    data = csv_bytes(
        "GNV-1;port-genoa;arrival;sea;10;20/07/2020",
        "STE-1;port-sete;arrival;sea;10;20/07/2020",
        "GNV-2;;arrival;sea;10;20/07/2020",
        header="reference;site;direction;mode;travellers;moved_at",
    )
    report = run(seeded, admin, data)
    assert problems(report) == [
        (3, "site", "port-sete", "this file is imported for site 'port-genoa'")
    ]
    assert totals(seeded, ("site", "port-genoa"))["movements"] == 2


def test_headers_missing_unknown_or_twice(seeded: Container, admin: Actor) -> None:
    cases = [
        ("reference;direction;mode;moved_at", "header.travellers", "missing column"),
        (HEADER + ";Nom du voyageur", "header.Nom du voyageur", "unknown column"),
        (HEADER + ";passagers", "header.travellers", "the column appears twice"),
    ]
    for header, field, reason in cases:
        with pytest.raises(UnreadableInputError) as caught:
            run(seeded, admin, csv_bytes("GNV-1;arrival;sea;10;20/07/2020", header=header))
        assert caught.value.fields[0]["field"] == field
        assert caught.value.fields[0]["reason"].startswith(reason)


def test_unknown_operation_or_site_is_not_found(seeded: Container, admin: Actor) -> None:
    data = csv_bytes(*good_rows(1))
    with pytest.raises(NotFoundError) as caught:
        seeded.imports.run("movements", "marhaba-1999", data, admin, constants=GENOA)
    assert caught.value.field == "operation"
    with pytest.raises(NotFoundError) as caught:
        run(seeded, admin, data, shared={"site": "port-nowhere"})
    assert caught.value.field == "site"


def test_site_tokens_import_only_for_their_own_site(seeded: Container) -> None:
    genoa = Actor(Role.SITE, "desk", "port-genoa", "marhaba-2020")
    assert run(seeded, genoa, csv_bytes(*good_rows(2))).count("recorded") == 2
    with pytest.raises(ForbiddenError):
        run(seeded, genoa, csv_bytes(*good_rows(1)), shared={"site": "port-sete"})
    with pytest.raises(ForbiddenError):  # a site column naming another site
        data = csv_bytes(
            "STE-1;port-sete;arrival;sea;10;20/07/2020", header="ref;site;" + HEADER[10:]
        )
        run(seeded, genoa, data, shared=None)
    with pytest.raises(ForbiddenError):
        run(seeded, Actor(Role.DONATIONS, "officer"), csv_bytes(*good_rows(1)))
    assert totals(seeded)["movements"] == 2


# -- modes and re-imports -----------------------------------------------------------------
def test_dry_run_decides_every_row_and_records_nothing(seeded: Container, admin: Actor) -> None:
    head = seeded.runner.source.head()
    data = csv_bytes(*good_rows(3), "GNV-9;arrival;sea;10;01/07/2020")
    report = run(seeded, admin, data, BatchMode.DRY_RUN)
    assert [r.status for r in report.rows] == ["valid"] * 3 + ["rejected"]
    assert (report.committed, report.position) == (False, 0)
    assert seeded.runner.source.head() == head


def test_all_or_nothing_records_nothing_unless_every_row_is_good(
    seeded: Container, admin: Actor
) -> None:
    head = seeded.runner.source.head()
    for bad in ("GNV-9;arrival;sea;10;01/07/2020", "GNV-9;arrival;sea;beaucoup;20/07/2020"):
        report = run(seeded, admin, csv_bytes(*good_rows(4), bad), BatchMode.ALL_OR_NOTHING)
        assert [r.status for r in report.rows] == ["valid"] * 4 + ["rejected"]
        assert not report.committed
    assert seeded.runner.source.head() == head
    report = run(seeded, admin, csv_bytes(*good_rows(4)), BatchMode.ALL_OR_NOTHING)
    assert report.committed and report.count("recorded") == 4
    assert totals(seeded)["movements"] == 4


def test_reimporting_the_same_file_changes_nothing(seeded: Container, admin: Actor) -> None:
    seeded.imports.chunk = 3
    data = csv_bytes(*good_rows(8), "GNV-99;arrival;sea;10;01/07/2020")
    first = run(seeded, admin, data)
    assert first.count("recorded") == 8
    seeded.runner.catch_up()
    before, head = seeded.views.dump(), seeded.runner.source.head()
    second = run(seeded, admin, data)
    assert [r.status for r in second.rows] == ["duplicate"] * 8 + ["rejected"]
    assert second.rows[0].original is not None
    assert second.rows[0].original["travellers"] == 101
    assert (second.committed, second.position) == (False, 0)
    assert seeded.runner.source.head() == head
    seeded.runner.catch_up()
    assert seeded.views.dump() == before
