"""The lists' say on a batch of deliveries: vouchers resolved, listed campaigns enforced.

In a ``listed`` campaign a household must be on the list of the committee that
delivers; an admin may deliver outside the list with a reason, which is recorded
as its own event so that totals count it apart. A delivery to a listed household
marks its entry served, in the same save as the kit.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.actors import Actor, Role
from domain.distribution.campaign import Campaign
from domain.distribution.commands import RecordDelivery
from domain.distribution.committee import Committee
from domain.distribution.enrolment import Enrolment
from domain.distribution.off_list import OffListDelivery
from domain.distribution.refusals import LISTED_ELSEWHERE, NOT_ON_LIST, UNKNOWN_VOUCHER
from domain.distribution.vouchers import Voucher, normalise_code
from domain.errors import DomainError
from domain.ports import StreamIndex


def resolve_vouchers(
    get_many: Callable[[Collection[UUID]], dict[UUID, Any]],
    slug: str,
    items: Sequence[RecordDelivery],
    keys: list[str],
) -> dict[int, DomainError]:
    """Replace each voucher item's key by its household's; the refusals, by item index."""
    refused: dict[int, DomainError] = {}
    codes: dict[int, str] = {}
    for index, item in enumerate(items):
        if item.voucher:
            try:
                codes[index] = normalise_code(item.voucher, "voucher")
            except DomainError as error:
                refused[index] = error
    found = get_many({Voucher.create_id(c) for c in codes.values()}) if codes else {}
    for index, code in codes.items():
        keys[index] = f"voucher-refused/{index}"  # names no stream unless the voucher resolves
        voucher = found.get(Voucher.create_id(code))
        if voucher is None:
            refused[index] = DomainError(
                "unknown_voucher: no household holds it", "voucher", UNKNOWN_VOUCHER
            )
            continue
        try:
            keys[index] = voucher.check_usable(slug, "voucher")
        except DomainError as error:
            refused[index] = error
    return refused


class ListGate:
    def __init__(
        self,
        campaign: Campaign,
        enrolments: dict[str, Enrolment],
        refused: dict[int, DomainError],
        actor: Actor,
    ) -> None:
        self.campaign = campaign
        self.enrolments = enrolments
        self.refused = refused
        self.actor = actor
        self.touched: dict[str, Enrolment] = {}
        self.off_list: list[OffListDelivery] = []

    @classmethod
    def load(
        cls,
        get_many: Callable[[Collection[UUID]], dict[UUID, Any]],
        campaign: Campaign,
        keys: Collection[str],
        refused: dict[int, DomainError],
        actor: Actor,
    ) -> ListGate:
        """The batch's households' entries, read together (only for a listed campaign)."""
        enrolments: dict[str, Enrolment] = {}
        if campaign.listed:
            by_id = {Enrolment.create_id(campaign.slug, key): key for key in keys}
            for eid, enrolment in get_many(list(by_id)).items():
                enrolments[by_id[eid]] = enrolment
        return cls(campaign, enrolments, refused, actor)

    def _listed_at(self, key: str) -> Enrolment | None:
        enrolment = self.enrolments.get(key)
        return enrolment if enrolment is not None and enrolment.listed else None

    def admit(self, index: int, item: RecordDelivery, key: str) -> None:
        """Raise the reason this item may not be delivered, if there is one."""
        if index in self.refused:
            raise self.refused[index]
        if not self.campaign.listed:
            return
        entry = self._listed_at(key)
        if entry is not None and entry.committee == item.committee:
            return
        if item.off_list_reason:
            if self.actor.role is not Role.ADMIN:
                raise DomainError("only an admin may deliver outside the list", "off_list_reason")
            return
        if entry is None:
            raise DomainError("not_on_list: this household is on no list", "household", NOT_ON_LIST)
        raise DomainError(
            f"listed_elsewhere: on the list of committee '{entry.committee}'",
            "committee",
            LISTED_ELSEWHERE,
        )

    def served(self, item: RecordDelivery, key: str, committee: Committee) -> None:
        """Mark the entry served; an off-list delivery also records its authorisation."""
        if not self.campaign.listed:
            return
        entry = self._listed_at(key)
        if entry is not None:
            entry.serve(item.delivery_id, committee.code)
            self.touched[key] = entry
        if entry is None or entry.committee != committee.code:
            self.off_list.append(
                OffListDelivery(
                    campaign=self.campaign.slug,
                    delivery_id=item.delivery_id,
                    committee=committee.code,
                    province=committee.province,
                    region=committee.region,
                    listed_at=entry.committee if entry else None,
                    reason=item.off_list_reason or "",
                    authorised_by=self.actor.name,
                )
            )

    def changed(self) -> list[Aggregate]:
        return [*self.touched.values(), *self.off_list]


def unserved(
    repository: Any, streams: StreamIndex, slug: str, key: str, delivery: str
) -> list[Any]:
    """A reversed delivery's list entry put back as not served, its off-list mark withdrawn."""
    eid, oid = Enrolment.create_id(slug, key), OffListDelivery.create_id(slug, delivery)
    found = streams.existing({eid, oid})
    changed: list[Any] = []
    if eid in found:
        enrolment: Enrolment = repository.get(eid)
        changed += [enrolment] if enrolment.unserve(delivery) else []
    if oid in found:
        off_list: OffListDelivery = repository.get(oid)
        changed += [off_list] if off_list.withdraw() else []
    return changed
