"""A delivery id names one delivery of one campaign, forever.

Each delivery id gets a stream of its own, ``uuid5(campaign, delivery_id)``, whose
first event is saved in the same transaction as the household's delivery event.
Two API processes racing to use one id for two households cannot both pass: the
second insert collides on the store's (originator_id, version) key, exactly like
"one kit per household". The claim only says which household the id belongs to;
what was delivered is the household's own history.

Campaigns launched before delivery ids had streams have no ``keyed`` marker: for
them, an id without a stream is also looked up in the delivery index, which holds
every id those campaigns ever recorded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, DomainEvent, event
from eventsourcing.utils import get_topic

from domain.ids import stream_id

DELIVERY_ID_REUSED = "delivery_id_reused"


class DeliveryKey(Aggregate):
    @staticmethod
    def create_id(campaign: str, delivery_id: str, **_: Any) -> UUID:
        return stream_id("delivery-id", campaign, delivery_id)

    # No bare "*": eventsourcing 9.5 makes every keyword-only argument required, and
    # ``superseded_by`` must default for the claims saved without it (all but a few).
    @event("Claimed")
    def __init__(
        self, campaign: str, delivery_id: str, household: str, superseded_by: str | None = None
    ) -> None:
        """``superseded_by``: the id was replaced by an edit before it ever arrived."""
        self.campaign = campaign
        self.delivery_id = delivery_id
        self.household = UUID(household)
        self.superseded_by = superseded_by

    @classmethod
    def claim(
        cls,
        stream: UUID,
        campaign: str,
        delivery_id: str,
        household: UUID,
        timestamp: datetime,
        superseded_by: str | None = None,
    ) -> DomainEvent:
        """The claim's event, built as the library rebuilds a stored one (the ingest path)."""
        created: Any = getattr(cls, "Claimed")  # noqa: B009 - made by @event
        claimed = object.__new__(created)
        state = {
            "originator_id": stream,
            "originator_version": cls.INITIAL_VERSION,
            "timestamp": timestamp,
            "originator_topic": _KEY_TOPIC,
            "campaign": campaign,
            "delivery_id": delivery_id,
            "household": household.hex,
        }
        if superseded_by is not None:
            state["superseded_by"] = superseded_by
        object.__setattr__(claimed, "__dict__", state)
        return claimed  # type: ignore[no-any-return]


class DeliveryKeying(Aggregate):
    """Marks a campaign whose every delivery id has a stream (all launched since)."""

    @staticmethod
    def create_id(campaign: str, **_: Any) -> UUID:
        return stream_id("delivery-ids-keyed", campaign)

    @event("Started")
    def __init__(self, *, campaign: str) -> None:
        self.campaign = campaign


_KEY_TOPIC = get_topic(DeliveryKey)
