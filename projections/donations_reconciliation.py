"""The reconciliation view: a declared total against the gift lines listed for it.

It shows the lines, their sum, the lines whose value is unknown and the gap,
and changes nothing: closing a gap is an officer's valuation correction.
"""

from __future__ import annotations

from typing import Any

from domain.donations.amounts import mad_text
from domain.donations.vocabulary import ANONYMOUS
from projections.tally import Table


def _line(table: Table, member: str) -> dict[str, Any]:
    donation, _, number = member.partition("/")
    donor = table.text("line", member, "donor") or ""
    declared = table.text("line", member, "declared_centimes")
    valued = table.value("line", member, "valued") > 0
    return {
        "donation": donation,
        "line": int(number),
        "donor": donor,
        "donor_name": table.text("donor", donor, "name") or ANONYMOUS,
        **{
            name: table.text("line", member, name)
            for name in ("receipt", "received_at", "category", "item", "description")
        },
        "quantity": table.text("line", member, "quantity"),
        "unit": table.text("line", member, "unit"),
        "declared_mad": mad_text(int(declared)) if declared else None,
        "value_mad": mad_text(table.value("line", member, "value_centimes")) if valued else None,
        "corrections": table.value("line", member, "corrections"),
    }


def _members(table: Table, appeal: str | None) -> list[str]:
    members = [
        m
        for m in table.members("line")
        if appeal is None or table.text("line", m, "appeal") == appeal
    ]
    return sorted(members, key=lambda m: (table.text("line", m, "received_at") or "", m))


def _declared(
    table: Table, appeal: str | None, declared_centimes: int | None
) -> tuple[int | None, str | None]:
    if declared_centimes is not None:
        return declared_centimes, "declared_mad query parameter"
    if appeal is not None and table.text("appeal", appeal, "declared_source") is not None:
        return table.value("appeal", appeal, "declared_centimes"), table.text(
            "appeal", appeal, "declared_source"
        )
    return None, None


def reconciliation(
    table: Table, appeal: str | None, declared_centimes: int | None
) -> dict[str, Any]:
    members = _members(table, appeal)
    listed = sum(table.value("line", m, "value_centimes") for m in members)
    lines = [_line(table, m) for m in members]
    unvalued = [line for line in lines if line["value_mad"] is None]
    declared, source = _declared(table, appeal, declared_centimes)
    gap = None if declared is None else declared - listed
    return {
        "appeal": appeal,
        "appeal_name": table.text("appeal", appeal, "name") if appeal else None,
        "declared_mad": None if declared is None else mad_text(declared),
        "declared_source": source,
        "listed_mad": mad_text(listed),
        "gap_mad": None if gap is None else mad_text(gap),
        "balanced": None if gap is None else gap == 0 and not unvalued,
        "lines": lines,
        "unvalued_lines": unvalued,
    }
