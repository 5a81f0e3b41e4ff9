"""Personal data kept inside immutable events, erasable by destroying one key (crypto-shredding).

Each person (a household's keyed hash) gets a random AES-256 data key, stored
only wrapped by the master key, in ``person_keys``. A contact is encrypted with
AES-GCM under that key, bound to its record (campaign/delivery) as associated
data, and only the ciphertext and the key's id enter the event. ``forget``
deletes the key row: the ciphertext stays in the log, every hash and total
over it stays the same, and nobody can read it any more.

Every time a plaintext is shown, ``personal_data_log`` records who read which
record and when; erasures are recorded there too.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    LargeBinary,
    String,
    Table,
    delete,
    insert,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError

from adapters.database import metadata

person_keys = Table(
    "person_keys",
    metadata,
    Column("person", String(64), primary_key=True),
    Column("key_id", String(32), nullable=False, unique=True),
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

personal_data_log = Table(
    "personal_data_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(80), nullable=False),
    Column("action", String(10), nullable=False),
    Column("record", String(200), nullable=False),
)

NONCE = 12
SCHEME = "aes256gcm-v1"


@dataclass(frozen=True, slots=True)
class Revealed:
    """What a reader may see of a sealed contact: the fields, or that it was erased."""

    fields: dict[str, str] | None

    @property
    def erased(self) -> bool:
        return self.fields is None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class PersonalData:
    """The key vault and the access log; implements the domain's ContactSealer."""

    def __init__(self, engine: Engine, master_key: bytes) -> None:
        if len(master_key) != 32:
            raise ValueError("the master key must be 32 bytes")
        self.engine = engine
        self._master = AESGCM(master_key)

    def __repr__(self) -> str:
        return "PersonalData(master_key=***)"

    # -- sealing ----------------------------------------------------------------
    def seal(self, items: Sequence[tuple[str, str, Mapping[str, str]]]) -> list[dict[str, str]]:
        keys = self._keys_for({person for person, _, _ in items})
        return [self._encrypt(keys[person], record, fields) for person, record, fields in items]

    def _encrypt(
        self, key: tuple[str, bytes], record: str, fields: Mapping[str, str]
    ) -> dict[str, str]:
        key_id, data_key = key
        nonce = os.urandom(NONCE)
        plaintext = json.dumps(dict(fields), ensure_ascii=False, sort_keys=True).encode()
        sealed = AESGCM(data_key).encrypt(nonce, plaintext, _aad(key_id, record))
        return {"scheme": SCHEME, "key": key_id, "nonce": _b64(nonce), "ciphertext": _b64(sealed)}

    def _keys_for(self, persons: set[str]) -> dict[str, tuple[str, bytes]]:
        """Each person's data key, made for those who have none, in one transaction."""
        if not persons:
            return {}
        found = self._load(persons)
        missing = [p for p in persons if p not in found]
        if missing:
            self._create(missing)
            found.update(self._load(set(missing)))
        return found

    def _load(self, persons: set[str]) -> dict[str, tuple[str, bytes]]:
        query = select(person_keys).where(person_keys.c.person.in_(sorted(persons)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return {row.person: (row.key_id, self._unwrap(row.key_id, row.wrapped_key)) for row in rows}

    def _create(self, persons: list[str]) -> None:
        now = datetime.now(UTC)
        for person in persons:
            key_id = secrets.token_hex(16)
            nonce = os.urandom(NONCE)
            wrapped = nonce + self._master.encrypt(nonce, AESGCM.generate_key(256), key_id.encode())
            row = {"person": person, "key_id": key_id, "wrapped_key": wrapped, "created_at": now}
            try:
                with self.engine.begin() as conn:
                    conn.execute(insert(person_keys).values(**row))
            except IntegrityError:
                continue  # a concurrent batch made this person's key first: use that one

    def _unwrap(self, key_id: str, wrapped: bytes) -> bytes:
        return self._master.decrypt(wrapped[:NONCE], wrapped[NONCE:], key_id.encode())

    # -- reading ----------------------------------------------------------------
    def reveal(self, sealed: Mapping[str, str], record: str, actor: str) -> Revealed:
        """Decrypt a contact for ``actor`` and log the read; erased when its key is gone."""
        key_id = sealed.get("key", "")
        query = select(person_keys.c.wrapped_key).where(person_keys.c.key_id == key_id)
        with self.engine.connect() as conn:
            wrapped = conn.execute(query).scalar()
        if wrapped is None:
            return Revealed(None)
        try:
            plaintext = AESGCM(self._unwrap(key_id, wrapped)).decrypt(
                base64.b64decode(sealed["nonce"]),
                base64.b64decode(sealed["ciphertext"]),
                _aad(key_id, record),
            )
        except (InvalidTag, KeyError, ValueError):
            return Revealed(None)  # not this record's ciphertext: nothing readable
        self._log(actor, "read", record)
        fields: dict[str, str] = json.loads(plaintext)
        return Revealed(fields)

    # -- erasing ----------------------------------------------------------------
    def forget(self, person: str, actor: str) -> bool:
        """Destroy the person's key; False when there was none."""
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "sqlite":
                # Overwrite the freed page instead of leaving the wrapped key in it.
                conn.execute(text("PRAGMA secure_delete = ON"))
            gone = conn.execute(delete(person_keys).where(person_keys.c.person == person)).rowcount
        if gone:
            self._log(actor, "forget", f"person {person[:12]}")
            self._purge_freed_space()
        return bool(gone)

    def _purge_freed_space(self) -> None:
        # Deleted rows linger in SQLite's write-ahead log and in PostgreSQL's
        # dead tuples until checkpointed or vacuumed; do it now, not some day.
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if self.engine.dialect.name == "sqlite":
                conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            else:
                conn.execute(text("VACUUM person_keys"))

    # -- the access log ---------------------------------------------------------
    def _log(self, actor: str, action: str, record: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(personal_data_log).values(
                    at=datetime.now(UTC), actor=actor, action=action, record=record
                )
            )

    def access_log(self, after: int = 0, limit: int = 100) -> list[dict[str, Any]]:
        query = (
            select(personal_data_log)
            .where(personal_data_log.c.id > after)
            .order_by(personal_data_log.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            {
                "id": row.id,
                "at": row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC),
                "actor": row.actor,
                "action": row.action,
                "record": row.record,
            }
            for row in rows
        ]


def _aad(key_id: str, record: str) -> bytes:
    # Binding the ciphertext to its key and record stops it being replayed elsewhere.
    return f"{SCHEME}\x00{key_id}\x00{record}".encode()
