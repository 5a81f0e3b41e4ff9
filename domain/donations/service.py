"""Application service of the donation operation: commands in, events saved.

Every command loads the few streams it touches, decides, and saves them in one
atomic ``ledger.save``; ``retrying`` decides again after a lost race. Ids come
from natural keys, so a gift resent under the same receipt counts once.
"""

from __future__ import annotations

from domain.donations.gift_lines import GiftLineCommands
from domain.donations.gifts import GiftCommands
from domain.donations.logistics import LogisticsCommands


class DonationService(GiftCommands, GiftLineCommands, LogisticsCommands):
    """Donors, cash and in-kind gifts, valuations, appeals, stores, dispatches, shipments."""
