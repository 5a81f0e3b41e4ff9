"""Deterministic aggregate ids from natural keys.

Deriving ids with uuid5 makes creation idempotent for free: the same natural key
always names the same stream, so a resent create collides on the store's
(originator_id, version) key instead of creating a twin.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any
from uuid import UUID, SafeUUID

from domain.errors import DomainError
from domain.spelling import canonical_identifier, legacy_spelling

TADAMON_NAMESPACE = UUID("8f6a2c1e-7d3b-5e4a-9c0f-2b1d6e8a4f73")


_NAMESPACE_BYTES = TADAMON_NAMESPACE.bytes
# RFC 4122 version 5 and variant bits, set on the SHA-1 prefix as uuid5() does.
_CLEAR_VERSION_AND_VARIANT = ~((0xF000 << 64) | (0xC000 << 48))
_VERSION_5_RFC_VARIANT = (5 << 76) | (0x8000 << 48)
_UNKNOWN_SAFETY = SafeUUID.unknown  # read once: an enum member costs a property lookup


def stream_id(kind: str, *natural_key: str) -> UUID:
    """The id of the aggregate of ``kind`` identified by ``natural_key``: its uuid5.

    Computed here rather than by ``uuid.uuid5``, which costs twice as much through
    its keyword checks, on the path that names every household of a batch.
    """
    name = "/".join((kind, *natural_key)).encode()
    digest = hashlib.sha1(_NAMESPACE_BYTES + name, usedforsecurity=False).digest()
    prefix = int.from_bytes(digest[:16])
    return uuid_of_int((prefix & _CLEAR_VERSION_AND_VARIANT) | _VERSION_5_RFC_VARIANT)


def uuid_of_int(value: int, new: Any = object.__new__, put: Any = object.__setattr__) -> UUID:
    """``UUID(int=value)`` for a value known to fit 128 bits, without its argument checks.

    The same object: its two slots set as ``UUID.__init__`` sets them. A batch names
    five or six streams per delivery, and the checks cost a third of naming one.
    """
    made = new(UUID)
    put(made, "int", value)
    put(made, "is_safe", _UNKNOWN_SAFETY)
    return made  # type: ignore[no-any-return]


class IdentityHasher:
    """Keyed hash (HMAC-SHA256) of a person's identifier (national ID, social card).

    The clear number never leaves this object: stores, logs and errors only ever
    see the hex digest, and without the server secret it cannot be brute-forced
    from the small space of valid ID numbers.
    """

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the identity hash secret must be at least 16 bytes")
        # Keyed once: each hash copies the keyed state instead of keying again (half the cost).
        self._keyed = hmac.new(secret, digestmod="sha256")

    def __repr__(self) -> str:
        return "IdentityHasher(secret=***)"

    def digest(self, identifier: str) -> str:
        """The key of a number, whichever way it was typed (see ``domain.spelling``)."""
        return self._hash(canonical_identifier(identifier))

    def legacy_digest(self, identifier: str) -> str | None:
        """The key this number had before spellings were unified, when it differs.

        Events keep the key they were recorded with; a number typed as it was then
        (``EA-000030``) must still find the household recorded under that key.
        """
        old = legacy_spelling(identifier)
        return None if old == canonical_identifier(identifier) else self._hash(old)

    def _hash(self, spelling: str) -> str:
        keyed = self._keyed.copy()
        keyed.update(spelling.encode())
        return keyed.hexdigest()


CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def check_code(value: str, field: str) -> str:
    if not CODE.match(value):
        raise DomainError("must be 2-63 characters: lower-case letters, digits and '-'", field)
    return value
