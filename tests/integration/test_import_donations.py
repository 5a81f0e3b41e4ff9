"""Importing in-kind gifts line by line from a spreadsheet, on SQLite and PostgreSQL:
lines grouped into gifts, money as typed, each error class, modes and re-imports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.bootstrap import Container
from adapters.spreadsheets.importer import ImportReport
from adapters.spreadsheets.sheet import UnreadableInputError
from domain.actors import Actor, ForbiddenError, Role
from domain.donations.cash import donation_id
from domain.donations.commands import DeclareAppeal, OpenStore, RegisterDonor
from domain.outcomes import BatchMode
from projections.donations import ALL, VIEW
from projections.donations_report import donation_totals
from tests.integration.test_imports import csv_bytes as csv_with_header
from tests.integration.test_imports import problems

OFFICER = Actor(Role.DONATIONS, "officer")
FRENCH = (
    "Donateur;Reçu;Entrepôt;Date de réception;Article;Catégorie;Désignation;Quantité;Unité;"
    "Valeur (MAD)"
)
ARABIC = "المتبرع,رقم الوصل,المخزن,تاريخ الاستلام,الصنف,الفئة,الوصف,الكمية,الوحدة,القيمة"
HEADER = "donor;receipt;store;received_at;item;category;description;quantity;unit;value_mad"


def csv_bytes(*rows: str, header: str = FRENCH) -> bytes:
    return csv_with_header(*rows, header=header)


def run(
    container: Container, data: bytes, mode: BatchMode = BatchMode.RECORD, actor: Actor = OFFICER
) -> ImportReport:
    return container.imports.run("donation_lines", ALL, data, actor, mode)


def totals(container: Container) -> dict[str, object]:
    container.runner.catch_up()
    return donation_totals(container.views.table(VIEW, ALL))


@pytest.fixture
def intake(container: Container) -> Container:
    service = container.donations
    service.open_store(OpenStore("casa-central", "Central store", "Casablanca"), OFFICER)
    service.open_store(OpenStore("rabat-depot", "Rabat depot", "Rabat"), OFFICER)
    for code, kind, name in (
        ("nestle", "company", "Nestlé"),
        ("auto-hall", "company", "Auto Hall"),
        ("mohsin-1", "individual", None),
    ):
        service.register_donor(RegisterDonor(code, kind, name), OFFICER)
    return container


NESTLE = (
    "nestle;r-002;casa-central;23/03/2020;milk;alimentaire;powdered milk;1 000;kg;1 500 000,00",
    "nestle;r-002;casa-central;23/03/2020;biscuits;food;biscuits;500;box;500,000.00",
)
AUTO_HALL = (
    "auto-hall;r-003;casa-central;24/03/2020;ambulances;véhicules;ambulances;50;vehicle;11500000"
)
VENTILATORS = (
    "mohsin-1;r-004;casa-central;25/03/2020;ventilators;معدات طبية;ventilators;1;lot;١٬٥٧٦٬٢٠٠٫٠٠"  # noqa: RUF001 - Arabic-Indic digits and separators
)
MASKS = "nestle;r-005;casa-central;26/03/2020;masks;EPI;masks;80 000;piece;"


def test_lines_make_gifts_and_amounts_are_read_exactly(intake: Container) -> None:
    report = run(intake, csv_bytes(NESTLE[0], AUTO_HALL, NESTLE[1], VENTILATORS, MASKS))
    assert problems(report) == []
    assert [(r.row, r.item_id, r.status) for r in report.rows] == [
        (2, "r-002", "recorded"),
        (3, "r-003", "recorded"),
        (4, "r-002", "recorded"),
        (5, "r-004", "recorded"),
        (6, "r-005", "recorded"),
    ]
    found = totals(intake)
    assert Decimal(str(found["in_kind_mad"])) == Decimal("2000000") + 11_500_000 + 1_576_200
    assert (found["in_kind_lines"], found["unvalued_lines"]) == (5, 1)
    nestle = intake.donations.in_kind_donation(donation_id("nestle", "r-002").hex)
    assert [(ln["line"], ln["item"], ln["value_centimes"]) for ln in nestle.lines] == [
        (1, "milk", 1_500_000_00),
        (2, "biscuits", 500_000_00),
    ]
    assert nestle.lines[0]["quantity"] == "1000" and nestle.lines[0]["category"] == "food"
    donors = {d["code"]: d for d in found["donors"]}  # type: ignore[attr-defined]
    assert donors["mohsin-1"]["name"] == "محسن"  # an individual stays anonymous
    assert donors["mohsin-1"]["in_kind_mad"] == "1576200.00"
    stock = {s["item"]: s for s in found["stock"]}  # type: ignore[attr-defined]
    assert stock["masks"]["quantity"] == "80000" and stock["masks"]["unvalued_quantity"] == "80000"


def test_arabic_headers_and_an_appeal_column(intake: Container) -> None:
    appeal = DeclareAppeal("covid-19-2020", "COVID-19", 1_776_000_000_00, "report")
    intake.donations.declare_appeal(appeal, OFFICER)
    header = ARABIC + ",النداء"
    rows = [r.replace(";", ",") + ",covid-19-2020" for r in (AUTO_HALL,)]
    rows.append(
        'mohsin-1,r-004,casa-central,25/03/2020,ventilators,medical-equipment,v,1,lot,"1,576,200.00",COVID-19-2020'
    )
    report = run(intake, csv_bytes(*rows, header=header))
    assert problems(report) == []
    found = totals(intake)
    assert found["in_kind_mad"] == "13076200.00"


# -- each error class ---------------------------------------------------------------------
def test_money_and_quantity_errors(intake: Container) -> None:
    base = "nestle;r-{n};casa-central;23/03/2020;milk;food;milk;{q};kg;{v}"
    data = csv_bytes(
        base.format(n=1, q="10", v="1,2345"),
        base.format(n=2, q="10", v="500 €"),
        base.format(n=3, q="10", v="1.58E+06"),
        base.format(n=4, q="10", v="-500"),
        base.format(n=5, q="2,500", v="100"),
        base.format(n=6, q="0", v="100"),
        base.format(n=7, q="dix", v="100"),
        base.format(n=8, q="10", v="12 34"),
    )
    report = run(intake, data)
    assert problems(report) == [
        (2, "value_mad", "1,2345", "must have at most 2 decimals"),
        (3, "value_mad", "500 €", "must be an amount in MAD (dirhams)"),
        (4, "value_mad", "1.58E+06", "is in scientific notation (e.g. 1.58E+06): format the "
         "column as a number showing every digit"),
        (5, "value_mad", "-500", "must not be negative"),
        (6, "quantity", "2,500", "is ambiguous (a thousands separator or a decimal mark?): "
         "write the number without separators, e.g. 2500 or 2.5"),
        (7, "quantity", "0", "must be more than zero"),
        (8, "quantity", "dix", "is not a number"),
        (9, "value_mad", "12 34", "is not a number (thousands are grouped by three digits)"),
    ]  # fmt: skip
    assert totals(intake)["in_kind_lines"] == 0


def test_unknown_category_donor_store_and_future_dates(intake: Container) -> None:
    data = csv_bytes(
        "nestle;r-1;casa-central;23/03/2020;milk;toys;milk;1;kg;10",
        "ghost;r-2;casa-central;23/03/2020;milk;food;milk;1;kg;10",
        "nestle;r-3;nowhere;23/03/2020;milk;food;milk;1;kg;10",
        "nestle;r-4;casa-central;01/01/2099;milk;food;milk;1;kg;10",
    )
    found = problems(run(intake, data))
    assert found[0][:3] == (2, "category", "toys") and found[0][3].startswith("must be a category")
    assert found[1:] == [
        (3, "donor", "ghost", "donor 'ghost' is not registered"),
        (4, "store", "nowhere", "store 'nowhere' is not open"),
        (5, "received_at", "01/01/2099", "is in the future"),
    ]


def test_an_unreadable_line_holds_back_its_whole_gift(intake: Container) -> None:
    data = csv_bytes(
        "nestle;r-1;casa-central;23/03/2020;milk;food;milk;1;kg;10",
        "nestle;r-1;casa-central;23/03/2020;coffee;food;coffee;1;kg;1,2,3",
        AUTO_HALL,
    )
    report = run(intake, data)
    assert problems(report) == [
        (2, "row", None, "not recorded: row 3 has the same donor and receipt and cannot be "
         "read; such rows are recorded together"),
        (3, "value_mad", "1,2,3", "is not a number (thousands are grouped by three digits)"),
    ]  # fmt: skip
    assert [r.status for r in report.rows] == ["rejected", "rejected", "recorded"]
    assert totals(intake)["in_kind_lines"] == 1  # no gift r-1 with its coffee line missing


def test_one_refused_line_refuses_its_whole_gift(intake: Container) -> None:
    long_item = "x" * 41  # a readable code, but longer than a stock key allows
    data = csv_bytes(
        "nestle;r-1;casa-central;23/03/2020;milk;food;milk;1;kg;10",
        f"nestle;r-1;casa-central;23/03/2020;{long_item};food;coffee;1;kg;10",
        "nestle;r-1;casa-central;23/03/2020;tea;food;tea;1;kg;10",
        "nestle;r-3;casa-central;23/03/2020;tea;food;tea;1;kg;10",
    )
    sibling = "not recorded: another line of receipt 'r-1' is refused, and a gift is recorded whole"
    assert problems(run(intake, data)) == [
        (2, "receipt", "r-1", sibling),
        (3, "item", long_item, "must be at most 40 characters"),
        (4, "receipt", "r-1", sibling),
    ]
    mixed = csv_bytes(
        "nestle;r-4;casa-central;23/03/2020;milk;food;milk;1;kg;10",
        "nestle;r-4;rabat-depot;23/03/2020;tea;food;tea;1;kg;10",
        "nestle;r-4;casa-central;24/03/2020;tea;food;tea;1;kg;10",
    )
    found = problems(run(intake, mixed))
    sibling = sibling.replace("r-1", "r-4")
    assert found[0] == (2, "receipt", "r-4", sibling)
    assert found[1][:3] == (3, "store", "rabat-depot")
    assert found[1][3].startswith("differs from the first line of receipt 'r-4'")
    assert found[2] == (4, "receipt", "r-4", sibling)
    assert totals(intake)["in_kind_lines"] == 1  # r-3 only


def test_a_receipt_recorded_with_other_lines_is_a_conflict(intake: Container) -> None:
    run(intake, csv_bytes(NESTLE[0]))
    report = run(intake, csv_bytes(*NESTLE))
    assert [(r.status, r.problems[0].column, r.problems[0].reason) for r in report.rows] == [
        ("rejected", "receipt", "receipt 'r-002' is already recorded with other details")
    ] * 2


def test_a_unit_the_store_counts_otherwise_names_the_line(intake: Container) -> None:
    run(intake, csv_bytes(NESTLE[0]))
    report = run(intake, csv_bytes("nestle;r-9;casa-central;23/03/2020;milk;food;milk;3;box;10"))
    assert problems(report) == [
        (2, "unit", "box", "item 'milk' is counted in 'kg' in store 'casa-central'")
    ]


def test_missing_and_unknown_columns(intake: Container) -> None:
    with pytest.raises(UnreadableInputError) as caught:
        run(intake, csv_bytes("nestle;r-1", header="donor;receipt"))
    missing = {f["field"] for f in caught.value.fields}
    assert {"header.store", "header.quantity", "header.category"} <= missing
    assert "header.value_mad" not in missing and "header.appeal" not in missing
    with pytest.raises(UnreadableInputError) as caught:
        run(intake, csv_bytes(NESTLE[0] + ";Ahmed", header=FRENCH + ";Nom du donateur"))
    assert caught.value.fields[0]["field"] == "header.Nom du donateur"


def test_only_donation_officers_and_admins_import(intake: Container) -> None:
    with pytest.raises(ForbiddenError):
        site = Actor(Role.SITE, "desk", "port-genoa", "marhaba-2020")
        run(intake, csv_bytes(*NESTLE), actor=site)
    with pytest.raises(ForbiddenError):
        run(intake, csv_bytes(*NESTLE), actor=Actor(Role.AUDITOR, "a"))


# -- modes, chunks and re-imports ---------------------------------------------------------
def test_dry_run_and_all_or_nothing(intake: Container) -> None:
    head = intake.runner.source.head()
    data = csv_bytes(*NESTLE, AUTO_HALL, "ghost;r-2;casa-central;23/03/2020;milk;food;m;1;kg;1")
    dry = run(intake, data, BatchMode.DRY_RUN)
    assert [r.status for r in dry.rows] == ["valid", "valid", "valid", "rejected"]
    refused = run(intake, data, BatchMode.ALL_OR_NOTHING)
    assert [r.status for r in refused.rows] == ["valid", "valid", "valid", "rejected"]
    assert not dry.committed and not refused.committed
    assert intake.runner.source.head() == head
    done = run(intake, csv_bytes(*NESTLE, AUTO_HALL), BatchMode.ALL_OR_NOTHING)
    assert done.committed and done.count("recorded") == 3


def test_chunks_never_split_a_gift(intake: Container) -> None:
    intake.imports.chunk = 2
    lines = [f"nestle;r-7;casa-central;23/03/2020;food-{n};food;food;1;kg;{n}" for n in range(5)]
    seen: list[tuple[int, int]] = []
    report = intake.imports.run(
        "donation_lines",
        ALL,
        csv_bytes(AUTO_HALL, *lines, VENTILATORS),
        OFFICER,
        BatchMode.RECORD,
        lambda done, total: seen.append((done, total)),
    )
    assert report.count("recorded") == 7
    assert seen == [(1, 7), (6, 7), (7, 7)]
    gift = intake.donations.in_kind_donation(donation_id("nestle", "r-7").hex)
    assert len(gift.lines) == 5


def test_reimporting_the_same_file_changes_nothing(intake: Container) -> None:
    data = csv_bytes(*NESTLE, AUTO_HALL, VENTILATORS, MASKS)
    assert run(intake, data).count("recorded") == 5
    intake.runner.catch_up()
    before, head = intake.views.dump(), intake.runner.source.head()
    again = run(intake, data)
    assert [r.status for r in again.rows] == ["duplicate"] * 5
    assert again.rows[0].original is not None
    assert again.rows[0].original["donation"] == donation_id("nestle", "r-002").hex
    assert again.rows[0].original["lines"] == 2
    assert (again.committed, again.position) == (False, 0)
    assert intake.runner.source.head() == head
    intake.runner.catch_up()
    assert intake.views.dump() == before
