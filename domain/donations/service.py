"""Application service of the donation operation: commands in, events saved.

Every command loads the few streams it touches, decides, and saves them in one
atomic ``ledger.save``; ``retrying`` decides again after a lost race. Ids come
from natural keys, so a gift resent under the same receipt counts once.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from domain.actors import Actor
from domain.approval.holding import release_code
from domain.donations.gift_lines import GiftLineCommands
from domain.donations.gifts import GiftCommands
from domain.donations.held import GIFT, held_dispatch, held_gift
from domain.donations.logistics import LogisticsCommands
from domain.outcomes import Outcome


class DonationService(GiftCommands, GiftLineCommands, LogisticsCommands):
    """Donors, cash and in-kind gifts, valuations, appeals, stores, dispatches, shipments."""

    def release_held(self, _scope: str, held: list[dict[str, Any]], actor: Actor) -> dict[str, str]:
        """Record what was held for a store-month no longer approved: the gifts first (a
        held dispatch may take their goods), then the dispatches, each in the order held."""
        gifts = [h for h in held if h["facts"]["kind"] == GIFT]
        dispatches = [h for h in held if h["facts"]["kind"] != GIFT]
        return {
            h["fact_id"]: release_code(partial(self._released, h["facts"], actor))
            for h in [*gifts, *dispatches]
        }

    def _released(self, facts: dict[str, Any], actor: Actor) -> Outcome:
        if facts["kind"] == GIFT:
            return self.record_in_kind(held_gift(facts), actor)
        return self.dispatch(facts["store"], held_dispatch(facts), actor).outcome
