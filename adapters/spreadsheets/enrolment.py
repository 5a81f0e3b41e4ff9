"""Households put on committees' lists, as registrars write them: ar/fr/en headers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.spreadsheets import values
from adapters.spreadsheets.distribution import DELIVERIES
from adapters.spreadsheets.kinds import Column, FieldKind
from domain.actors import Role
from domain.distribution.enrolling import EnrolHousehold


def _enrolment(parsed: Mapping[str, Any]) -> EnrolHousehold:
    return EnrolHousehold(
        household=parsed["household"],
        committee=parsed["committee"],
        household_size=parsed["household_size"],
        commune=parsed.get("commune", ""),
    )


def _same_as_deliveries(key: str) -> Column:
    """The household, committee and size columns read as in a delivery sheet."""
    column = DELIVERIES.column(key)
    assert column is not None  # noqa: S101 - the delivery kind defines all three
    return column


ENROLMENTS = FieldKind(
    name="enrolments",
    columns=(
        _same_as_deliveries("household"),
        _same_as_deliveries("committee"),
        _same_as_deliveries("household_size"),
        Column(
            "commune",
            ("الجماعة", "commune", "الجماعة الترابية", "municipality"),
            values.text,
            required=False,
        ),
    ),
    build=_enrolment,
    # No client id: a household's keyed hash is its key, and its number is never echoed.
    id_column="voucher",
    # A registrar's province is checked by the service, committee by committee.
    scoped_by=(Role.REGISTRAR, None),
)
