"""Exact money and quantity arithmetic of the donation operation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.donations.amounts import (
    check_centimes,
    mad_text,
    milli,
    quantity_text,
    share,
    to_milli,
)
from domain.errors import DomainError


@pytest.mark.parametrize("bad", [619480.75, 1.0, "100", Decimal("100"), True, None])
def test_money_must_be_integer_centimes(bad: object) -> None:
    with pytest.raises(DomainError) as caught:
        check_centimes(bad, "amount_mad")
    assert caught.value.field == "amount_mad"


def test_money_bounds() -> None:
    assert check_centimes(0, "x") == 0
    assert check_centimes(61948075, "x") == 61948075
    with pytest.raises(DomainError):
        check_centimes(-1, "x")


@pytest.mark.parametrize(
    ("centimes", "text"),
    [(0, "0.00"), (5, "0.05"), (61948075, "619480.75"), (-6101127500, "-61011275.00")],
)
def test_mad_text(centimes: int, text: str) -> None:
    assert mad_text(centimes) == text
    assert Decimal(text) * 100 == centimes


@pytest.mark.parametrize(
    ("quantity", "thousandths", "text"),
    [("80000", 80_000_000, "80000"), ("2.5", 2500, "2.5"), ("0.001", 1, "0.001")],
)
def test_quantities_are_exact_thousandths(quantity: str, thousandths: int, text: str) -> None:
    assert to_milli(Decimal(quantity), "q") == thousandths
    assert quantity_text(thousandths) == text
    assert milli(text) == thousandths


@pytest.mark.parametrize("bad", ["0", "-1", "0.0005", "NaN", "Infinity"])
def test_bad_quantities_name_the_field(bad: str) -> None:
    with pytest.raises(DomainError) as caught:
        to_milli(Decimal(bad), "lines.0.quantity")
    assert caught.value.field == "lines.0.quantity"


def test_share_rounds_half_to_even() -> None:
    assert share(100, 1, 3) == 33
    assert share(5, 1, 2) == 2  # 2.5 -> 2
    assert share(15, 1, 10) == 2  # 1.5 -> 2
    assert share(7, 3, 3) == 7


@given(
    value=st.integers(min_value=0, max_value=10**15),
    parts=st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=20),
)
def test_cumulative_shares_always_add_up_to_the_whole(value: int, parts: list[int]) -> None:
    whole = sum(parts)
    upto, pieces = 0, []
    for part in parts:
        pieces.append(share(value, upto + part, whole) - share(value, upto, whole))
        upto += part
    assert sum(pieces) == value
    assert all(piece >= 0 for piece in pieces)
