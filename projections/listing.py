"""Lists in the totals (listed, served, remaining, off-list) and a committee's entries.

Two pure readings of the same events: handlers the distribution fold adds to
its own (the totals, with as-of like every figure), and ``entry_changes``, what
each event does to the entries of a committee's list as a phone downloads it.
Neither ever sees an ID number: entries are named by voucher code only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.distribution.campaign import Campaign
from domain.distribution.enrolment import Enrolment
from domain.distribution.off_list import OffListDelivery
from projections.dispatch import Handler
from projections.tally import Delta, Spread

PLACES = ("campaign", "province", "region", "committee")
LISTED_IN = Spread(PLACES, ("listed", "listed_served", "listed_remaining"))
OFF_LIST_IN = Spread(PLACES, ("served_off_list",))
MEASURES = ("listed", "listed_served", "listed_remaining", "served_off_list")


def _count(d: Delta, e: Any, sign: int, place: tuple[str, str, str] | None = None) -> None:
    """Add (or take away) the entry as it stood, at its place (or another one)."""
    province, region, committee = place or (e.province, e.region, e.committee)
    served = 1 if getattr(e, "served_by", None) else 0
    amounts = (sign, sign * served, sign * (1 - served))
    d.add_spread(LISTED_IN, e.campaign, ("", province, region, committee), amounts)


def _enrolled(d: Delta, e: Any) -> None:
    _count(d, e, 1)


def _moved(d: Delta, e: Any) -> None:
    _count(d, e, -1)
    _count(d, e, 1, (e.to_province, e.to_region, e.to_committee))


def _delisted(d: Delta, e: Any) -> None:
    _count(d, e, -1)


def _served(d: Delta, e: Any) -> None:
    members = ("", e.province, e.region, e.committee)
    d.add_spread(LISTED_IN, e.campaign, members, (0, 1, -1))


def _service_reversed(d: Delta, e: Any) -> None:
    members = ("", e.province, e.region, e.committee)
    d.add_spread(LISTED_IN, e.campaign, members, (0, -1, 1))


def _off_list(d: Delta, e: Any) -> None:
    d.add_spread(OFF_LIST_IN, e.campaign, ("", e.province, e.region, e.committee), (1,))


def _list_required(d: Delta, e: Any) -> None:
    d.label(e.campaign, "campaign", "", "admission", "listed")


def _off_list_withdrawn(d: Delta, e: Any) -> None:
    d.add_spread(OFF_LIST_IN, e.campaign, ("", e.province, e.region, e.committee), (-1,))


def _reissued(d: Delta, e: Any) -> None:
    d.add(e.campaign, "campaign", "", "vouchers_reissued", 1)


TOTALS_HANDLERS: dict[tuple[type, str], Handler] = {
    (Campaign, "ListRequired"): _list_required,
    (Enrolment, "Enrolled"): _enrolled,
    (Enrolment, "Moved"): _moved,
    (Enrolment, "Delisted"): _delisted,
    (Enrolment, "Served"): _served,
    (Enrolment, "ServiceReversed"): _service_reversed,
    (Enrolment, "VoucherReissued"): _reissued,
    (OffListDelivery, "Authorised"): _off_list,
    (OffListDelivery, "Withdrawn"): _off_list_withdrawn,
}


# -- a committee's entries ------------------------------------------------------
@dataclass(frozen=True, slots=True)
class EntryChange:
    """One entry of one committee's list as it now stands; ``listed=False`` removes it."""

    campaign: str
    committee: str
    voucher: str
    household_size: int
    served_by: str | None
    listed: bool = True


def entry_changes(event: object) -> list[EntryChange]:
    """What ``event`` does to the lists' entries (nothing for events of other kinds)."""
    kind = type(event)
    if kind not in _ENTRY_RULES:
        return []
    rule: Any = _ENTRY_RULES[kind]
    changes: list[EntryChange] = rule(event)
    return changes


def _entry(e: Any, **changes: Any) -> EntryChange:
    fields = {
        "campaign": e.campaign,
        "committee": e.committee,
        "voucher": e.voucher,
        "household_size": e.household_size,
        "served_by": getattr(e, "served_by", None),
        **changes,
    }
    return EntryChange(**fields)


_ENTRY_RULES: dict[type, Any] = {
    Enrolment.Enrolled: lambda e: [_entry(e, served_by=None)],  # type: ignore[attr-defined]
    Enrolment.Moved: lambda e: [_entry(e, listed=False), _entry(e, committee=e.to_committee)],
    Enrolment.Delisted: lambda e: [_entry(e, listed=False)],
    Enrolment.Served: lambda e: [_entry(e)],
    Enrolment.ServiceReversed: lambda e: [_entry(e, served_by=None)],
    Enrolment.VoucherReissued: lambda e: [
        _entry(e, listed=False),
        _entry(e, voucher=e.new_voucher),
    ],
}
