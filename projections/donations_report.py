"""Reading the donations view back as the totals officers, partners and auditors see.

Money is shown as MAD strings with two decimals, quantities as decimal strings:
the view's integers are converted here and nowhere else.
"""

from __future__ import annotations

from typing import Any

from domain.donations.amounts import mad_text, quantity_text
from domain.donations.vocabulary import ANONYMOUS
from projections.donations_reconciliation import reconciliation
from projections.tally import Table


def _mad(table: Table, dimension: str, member: str, measure: str) -> str:
    return mad_text(table.value(dimension, member, measure))


def _gifts(table: Table, dimension: str, member: str) -> dict[str, Any]:
    cash = table.value(dimension, member, "cash_received_centimes")
    in_kind = table.value(dimension, member, "in_kind_centimes")
    return {
        "cash_received_mad": mad_text(cash),
        "cash_paid_out_mad": _mad(table, dimension, member, "cash_paid_out_centimes"),
        "in_kind_mad": mad_text(in_kind),
        "value_received_mad": mad_text(cash + in_kind),
        "in_kind_lines": table.value(dimension, member, "in_kind_lines"),
        "unvalued_lines": table.value(dimension, member, "unvalued_lines"),
    }


def donor_name(table: Table, code: str) -> str:
    return table.text("donor", code, "name") or ANONYMOUS


def _donors(table: Table) -> list[dict[str, Any]]:
    return [
        {
            "code": code,
            "kind": table.text("donor", code, "kind"),
            "name": donor_name(table, code),
            **_gifts(table, "donor", code),
        }
        for code in table.members("donor")
    ]


def _categories(table: Table) -> list[dict[str, Any]]:
    return [
        {
            "category": category,
            "in_kind_mad": _mad(table, "category", category, "in_kind_centimes"),
            "in_kind_lines": table.value("category", category, "in_kind_lines"),
            "unvalued_lines": table.value("category", category, "unvalued_lines"),
        }
        for category in table.members("category")
    ]


def _months(table: Table) -> list[dict[str, Any]]:
    return [
        {
            "month": month,
            **_gifts(table, "month", month),
            "dispatches": table.value("month", month, "dispatches"),
            "value_at_dispatch_mad": _mad(table, "month", month, "value_at_dispatch_centimes"),
        }
        for month in table.members("month")
    ]


def _funds(table: Table) -> list[dict[str, Any]]:
    return [
        {
            "fund": fund,
            "received_mad": _mad(table, "fund", fund, "cash_received_centimes"),
            "paid_out_mad": _mad(table, "fund", fund, "cash_paid_out_centimes"),
        }
        for fund in table.members("fund")
    ]


def _goods(table: Table, dimension: str, member: str) -> dict[str, Any]:
    return {
        "item": table.text(dimension, member, "item"),
        "unit": table.text(dimension, member, "unit"),
        "quantity": quantity_text(table.value(dimension, member, "quantity_milli")),
        "value_mad": _mad(table, dimension, member, "value_centimes"),
        "unvalued_quantity": quantity_text(table.value(dimension, member, "unvalued_milli")),
    }


def dispatched(table: Table, dimension: str, member: str) -> dict[str, str]:
    """What was dispatched, restated at today's values, beside its value when it left."""
    now = table.value(dimension, member, "value_dispatched_centimes")
    then = table.value(dimension, member, "value_at_dispatch_centimes")
    return {
        "value_dispatched_mad": mad_text(now),
        "value_at_dispatch_mad": mad_text(then),
        "restated_by_mad": mad_text(now - then),
    }


def _stock(table: Table) -> list[dict[str, Any]]:
    return [
        {
            "store": table.text("stock", member, "store"),
            "category": table.text("stock", member, "category"),
            "description": table.text("stock", member, "description"),
            **_goods(table, "stock", member),
        }
        for member in table.members("stock")
    ]


def _stores(table: Table, stock: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for code in table.members("store"):
        on_hand = sum(
            table.value("stock", f"{code}/{row['item']}", "value_centimes")
            for row in stock
            if row["store"] == code
        )
        rows.append(
            {
                "code": code,
                "name": table.text("store", code, "name"),
                "city": table.text("store", code, "city"),
                "value_on_hand_mad": mad_text(on_hand),
                "dispatches": table.value("store", code, "dispatches"),
                **dispatched(table, "store", code),
            }
        )
    return rows


def _recipients(table: Table) -> list[dict[str, Any]]:
    supplies = table.members("supply")
    return [
        {
            "code": code,
            "kind": table.text("recipient", code, "kind"),
            "name": table.text("recipient", code, "name"),
            "dispatches": table.value("recipient", code, "dispatches"),
            "acknowledged": table.value("recipient", code, "acknowledged"),
            **dispatched(table, "recipient", code),
            "items": [
                _goods(table, "supply", member)
                for member in supplies
                if table.text("supply", member, "recipient") == code
            ],
        }
        for code in table.members("recipient")
    ]


def _shipments(table: Table) -> list[dict[str, Any]]:
    return [
        {
            "code": code,
            **{
                name: table.text("shipment", code, name)
                for name in ("destination", "destination_country", "departed_at")
            },
            "appeal": table.text("shipment", code, "appeal") or None,
            "tonnes": quantity_text(table.value("shipment", code, "shipped_kilograms")),
            "kinds": table.value("shipment", code, "shipped_kinds"),
        }
        for code in table.members("shipment")
    ]


def donation_totals(
    table: Table, appeal: str | None = None, declared_centimes: int | None = None
) -> dict[str, Any]:
    """Everything the totals endpoint shows, from the view's rows alone."""
    stock = _stock(table)
    return {
        **_gifts(table, "total", ""),
        "donor_count": table.value("total", "", "donors"),
        "corrections": table.value("total", "", "corrections"),
        "dispatches": table.value("total", "", "dispatches"),
        "acknowledged": table.value("total", "", "acknowledged"),
        **dispatched(table, "total", ""),
        "dispatch_corrections": table.value("total", "", "dispatch_corrections"),
        "shipped_tonnes": quantity_text(table.value("total", "", "shipped_kilograms")),
        "donors": _donors(table),
        "categories": _categories(table),
        "months": _months(table),
        "funds": _funds(table),
        "stock": stock,
        "stores": _stores(table, stock),
        "recipients": _recipients(table),
        "shipments": _shipments(table),
        "reconciliation": reconciliation(table, appeal, declared_centimes),
    }
