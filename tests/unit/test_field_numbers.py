"""Amounts, quantities and words as people type them in three languages (no store needed)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.spreadsheets import numbers
from adapters.spreadsheets.donations import CATEGORIES, DONATION_LINES
from adapters.spreadsheets.kinds import map_header
from adapters.spreadsheets.marhaba import DIRECTIONS, MODES, MOVEMENTS
from adapters.spreadsheets.values import CellError, one_of
from domain.donations.vocabulary import CATEGORIES as DOMAIN_CATEGORIES
from domain.marhaba.vocabulary import Direction, Mode


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1 576 200,00", "1576200.00"),  # French: spaces, decimal comma
        ("1\u00a0576\u00a0200,00", "1576200.00"),  # Excel's no-break spaces
        ("1\u202f576\u202f200,00", "1576200.00"),  # LibreOffice's narrow no-break spaces
        ("1,576,200.00", "1576200.00"),  # English
        ("1.576.200,00", "1576200.00"),  # dots for thousands
        ("1576200", "1576200"),  # Excel's plain number
        ("١٥٧٦٢٠٠", "1576200"),  # Arabic-Indic digits
        ("١٬٥٧٦٬٢٠٠٫٠٠", "1576200.00"),  # Arabic thousands and decimal separators  # noqa: RUF001
        ("۱۵۷۶۲۰۰", "1576200"),  # Eastern Arabic-Indic digits
        ("619 480,75", "619480.75"),
        ("1 576 200 DH", "1576200"),
        ("MAD 1,576", "1576"),  # money has two decimals at most: a group of three is thousands
        ("2 000 000,00 درهم", "2000000.00"),
        ("0,5", "0.5"),
        ("0", "0"),
    ],
)
def test_money_as_typed(typed: str, expected: str) -> None:
    found = numbers.money(typed)
    assert isinstance(found, Decimal) and found == Decimal(expected)
    assert str(found) == expected  # exactly what was typed, no float on the way


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "is empty"),
        ("1,2345", "must have at most 2 decimals"),
        ("1 576 200,001", "is not a number (thousands are grouped by three digits)"),
        ("12 34", "is not a number (thousands are grouped by three digits)"),
        ("1,5,6", "is not a number (thousands are grouped by three digits)"),
        ("1 576.200,00", "is not a number (thousands are grouped by three digits)"),
        ("-5", "must not be negative"),
        ("\u22125", "must not be negative"),
        ("(500)", "must not be negative"),
        ("500 €", "must be an amount in MAD (dirhams)"),
        ("USD 500", "must be an amount in MAD (dirhams)"),
        ("abc", "is not a number"),
        ("1.58E+06", "is in scientific notation (e.g. 1.58E+06): format the column as a "
         "number showing every digit"),
    ],
)  # fmt: skip
def test_money_refused(typed: str, reason: str) -> None:
    with pytest.raises(CellError) as caught:
        numbers.money(typed)
    assert caught.value.reason == reason


@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(["fr", "en", "plain"]))
def test_money_round_trips_every_centime(centimes: int, style: str) -> None:
    whole, cents = divmod(centimes, 100)
    grouped = f"{whole:,}"
    typed = {
        "fr": grouped.replace(",", " ") + f",{cents:02d}",
        "en": grouped + f".{cents:02d}",
        "plain": f"{whole}.{cents:02d}",
    }[style]
    assert int(numbers.money(typed) * 100) == centimes


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("80 000", "80000"), ("2,5", "2.5"), ("0,250", "0.250"), ("2.500,5", "2500.5"), ("7", "7")],
)
def test_quantities(typed: str, expected: str) -> None:
    assert numbers.quantity(typed) == Decimal(expected)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("2,500", "is ambiguous (a thousands separator or a decimal mark?): write the number "
         "without separators, e.g. 2500 or 2.5"),
        ("0", "must be more than zero"),
        ("1,2345", "must have at most 3 decimals"),
    ],
)  # fmt: skip
def test_quantities_refused(typed: str, reason: str) -> None:
    with pytest.raises(CellError) as caught:
        numbers.quantity(typed)
    assert caught.value.reason == reason


def test_words_in_three_languages_map_to_the_domains_codes() -> None:
    assert set(DIRECTIONS.values()) == {d.value for d in Direction}
    assert set(MODES.values()) == {m.value for m in Mode}
    assert set(CATEGORIES.values()) == set(DOMAIN_CATEGORIES)
    direction = one_of(DIRECTIONS, "arrival or departure")
    assert [direction(w) for w in ("ARRIVÉE", " وصول ", "Departures", "départ", "المغادرة")] == [
        "arrival",
        "arrival",
        "departure",
        "departure",
        "departure",
    ]
    with pytest.raises(CellError) as caught:
        direction("sideways")
    assert caught.value.reason == "must be arrival or departure"


def test_headers_of_the_new_kinds_in_three_languages() -> None:
    moves = map_header(MOVEMENTS, ["المرجع", "Sens", "Mode", "Passagers", "Date"], given={"site"})
    assert [c.key for c in moves if c] == [
        "reference",
        "direction",
        "mode",
        "travellers",
        "moved_at",
    ]
    lines = map_header(
        DONATION_LINES,
        ["Donateur", "Reçu", "المخزن", "received_at", "Article", "الفئة", "Désignation",
         "Qté", "Unité", "Valeur (MAD)"],
    )  # fmt: skip
    assert [c.key for c in lines if c][-1] == "value_mad"
