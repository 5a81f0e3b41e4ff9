"""Donation totals as HXL tables: gifts by month and kind of donor, and goods by recipient.

Hashtags follow the HXL dictionary: money is ``#value`` in the row's ``#currency+code``
(MAD) and its way is ``+incoming`` (gifts received) or ``+outgoing`` (cash paid out, goods
dispatched), written as exact decimals; a month is a ``#date+occurred`` like ``2020-03``.
Donors appear only by kind (``#org+funder+type``: company, association, individual), never
by name; recipients are institutions (``#org+recipient``); the foundation is the
``#org+reporting`` organisation.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from domain.donations.amounts import mad_text
from projections.hxl import HxlColumn, field
from projections.hxl import table as hxl_table
from projections.tally import Table

LEVELS = ("month", "recipient")
MONEY = ("cash_received", "cash_paid_out", "in_kind", "value_received", "value_dispatched")


def _month_columns() -> tuple[HxlColumn, ...]:
    return (
        field("Month", "#date+occurred", "month"),
        field("Kind of donor", "#org+funder+type", "donor_kind"),
        field("Value received (MAD)", "#value+incoming", "value_received"),
        field("Cash received (MAD)", "#value+incoming+cash", "cash_received"),
        field("In kind received (MAD)", "#value+incoming+inkind", "in_kind"),
        field("Cash paid out (MAD)", "#value+outgoing+cash", "cash_paid_out"),
        field("Lines of goods", "#output+num+lines", "in_kind_lines"),
        field("Lines not yet valued", "#output+num+lines+unvalued", "unvalued_lines"),
    )


def _recipient_columns() -> tuple[HxlColumn, ...]:
    return (
        field("Recipient", "#org+recipient+name", "name"),
        field("Recipient code", "#org+recipient+code", "code"),
        field("Kind of recipient", "#org+recipient+type", "kind"),
        field("Value dispatched (MAD)", "#value+outgoing+inkind", "value_dispatched"),
        field("Dispatches", "#output+num+dispatches", "dispatches"),
        field("Dispatches acknowledged", "#output+num+acknowledged", "acknowledged"),
    )


def columns(level: str) -> tuple[HxlColumn, ...]:
    rows = _recipient_columns() if level == "recipient" else _month_columns()
    context = (
        HxlColumn("Currency", "#currency+code", lambda _record: "MAD"),
        field("Organisation", "#org+reporting+name", "organisation"),
        field("Reported on", "#date+reported", "reported_on"),
    )
    return rows + context


def donor_kinds_by_month(table: Table) -> list[dict[str, Any]]:
    """Gifts per month and kind of donor, summed from each donor's month; no names."""
    summed: dict[tuple[str, str], dict[str, int]] = {}
    for member in table.members("donor_month"):
        donor, _, month = member.rpartition("/")
        into = summed.setdefault((month, table.text("donor", donor, "kind") or ""), {})
        for measure, value in table.measures("donor_month", member).items():
            into[measure] = into.get(measure, 0) + value
    rows = []
    for (month, kind), measures in sorted(summed.items()):
        cash, in_kind = (measures.get(m, 0) for m in ("cash_received_centimes", "in_kind_centimes"))
        rows.append(
            {
                "month": month,
                "donor_kind": kind,
                "cash_received_mad": mad_text(cash),
                "cash_paid_out_mad": mad_text(measures.get("cash_paid_out_centimes", 0)),
                "in_kind_mad": mad_text(in_kind),
                "value_received_mad": mad_text(cash + in_kind),
                "in_kind_lines": measures.get("in_kind_lines", 0),
                "unvalued_lines": measures.get("unvalued_lines", 0),
            }
        )
    return rows


def _money(row: Mapping[str, Any]) -> dict[str, Decimal]:
    """The report's MAD strings as exact decimals, for the table's cells."""
    return {name: Decimal(row[f"{name}_mad"]) for name in MONEY if f"{name}_mad" in row}


def records(
    table: Table, totals: Mapping[str, Any], level: str, organisation: str, reported_on: date
) -> list[dict[str, Any]]:
    common = {"organisation": organisation, "reported_on": reported_on.isoformat()}
    found = totals["recipients"] if level == "recipient" else donor_kinds_by_month(table)
    return [{**common, **row, **_money(row)} for row in found]


def export(
    table: Table,
    totals: Mapping[str, Any],
    level: str,
    organisation: str,
    reported_on: date,
    tags: bool,
) -> list[list[str]]:
    rows = records(table, totals, level, organisation, reported_on)
    return hxl_table(columns(level), rows, tags)
