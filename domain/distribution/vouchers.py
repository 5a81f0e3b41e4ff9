"""Voucher codes: short enough to read over a phone, unguessable, bound to one campaign.

A code is 9 Crockford base32 characters (45 bits of an HMAC-SHA256 keyed with a
server secret over the campaign, the household's keyed hash and a serial) and one
Crockford check character (value mod 37). Without the secret a code reveals
nothing about the household and cannot be derived from an ID number.

Each code has its own stream, so the store's unique key refuses a second
household with the same code, and a delivery by voucher finds its household
(and the campaign it belongs to) in one read.
"""

from __future__ import annotations

import hmac
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.distribution.refusals import REVOKED_VOUCHER, UNKNOWN_VOUCHER
from domain.errors import DomainError
from domain.ids import stream_id

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_SYMBOLS = ALPHABET + "*~$=U"
DATA_CHARS = 9
_READ_AS = {"O": "0", "I": "1", "L": "1"}
_VALUE = {c: i for i, c in enumerate(CHECK_SYMBOLS)}


def _check_symbol(data: str) -> str:
    number = 0
    for char in data:
        number = number * 32 + _VALUE[char]
    return CHECK_SYMBOLS[number % 37]


def format_code(code: str) -> str:
    """The printed form, in two groups of five: ``7K3QD-X9MWA``."""
    return f"{code[:5]}-{code[5:]}"


def normalise_code(text: str, field: str) -> str:
    """A code as typed or read out (any case, hyphens, O for 0, I/L for 1), checked."""
    cleaned = "".join(_READ_AS.get(c, c) for c in text.upper() if c not in " -")
    if len(cleaned) != DATA_CHARS + 1 or any(c not in _VALUE for c in cleaned):
        raise DomainError("unknown_voucher: not a voucher code", field, UNKNOWN_VOUCHER)
    data, check = cleaned[:DATA_CHARS], cleaned[DATA_CHARS]
    if any(c not in ALPHABET for c in data) or _check_symbol(data) != check:
        raise DomainError(
            "unknown_voucher: the check character does not match", field, UNKNOWN_VOUCHER
        )
    return cleaned


class VoucherMinter:
    """Derives a household's voucher codes; the secret never leaves this object."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the voucher secret must be at least 16 bytes")
        self._secret = secret

    def __repr__(self) -> str:
        return "VoucherMinter(secret=***)"

    def code(self, campaign: str, household_key: str, serial: int) -> str:
        message = f"voucher/{campaign}/{household_key}/{serial}".encode()
        bits = int.from_bytes(hmac.digest(self._secret, message, "sha256")[:8]) >> (64 - 45)
        data = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in reversed(range(DATA_CHARS)))
        return data + _check_symbol(data)


class Voucher(Aggregate):
    """One voucher code: which campaign and household it names, and whether it is revoked."""

    @staticmethod
    def create_id(code: str, **_: Any) -> UUID:
        return stream_id("voucher", code)

    @event("Issued")
    def __init__(self, campaign: str, code: str, household_key: str, issued_by: str) -> None:
        self.campaign = campaign
        self.code = code
        self.household_key = household_key
        self.revoked = False

    def revoke(self, reason: str, revoked_by: str) -> None:
        if not self.revoked:
            self._revoked(campaign=self.campaign, code=self.code, reason=reason, by=revoked_by)

    @event("Revoked")
    def _revoked(self, campaign: str, code: str, reason: str, by: str) -> None:
        self.revoked = True

    def check_usable(self, campaign: str, field: str) -> str:
        """The household key this voucher names in ``campaign``, or the reason it cannot."""
        if self.campaign != campaign:
            raise DomainError(
                f"voucher_of_another_campaign: this voucher belongs to '{self.campaign}'", field
            )
        if self.revoked:
            raise DomainError(
                "revoked_voucher: this voucher was revoked and reissued", field, REVOKED_VOUCHER
            )
        return self.household_key
