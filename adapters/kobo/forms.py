"""Which KoboToolbox form feeds which records, and the secret its REST service sends.

Kept in a small table rather than as ledger events: a mapping is configuration
holding a credential digest, not a fact of any operation, and it changes no
total. What it lets in is fully audited anyway: every record a form produces is
an event whose ``recorded_by`` names the form, and a correction names the edit.
The immutable ledger, exported to auditors, is no place for a credential (even
a digest) that must be rotated.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Engine, String, Table, Text, insert, select, update

from adapters.database import metadata

kobo_forms = Table(
    "kobo_forms",
    metadata,
    Column("form", String(100), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("scope", String(80), nullable=False),
    Column("fields", Text, nullable=False),
    Column("constants", Text, nullable=False),
    Column("secret_digest", String(64), nullable=False),
    Column("updated_by", String(120), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

SECRET_PREFIX = "kobo_"  # noqa: S105 - a public prefix that makes leaked secrets greppable


@dataclass(frozen=True, slots=True)
class FormMapping:
    form: str
    kind: str
    scope: str
    fields: dict[str, str]  # record field -> Kobo key (e.g. "household": "hh/cin")
    constants: dict[str, str]  # record field -> fixed value (e.g. a form per committee)
    secret_digest: str = ""

    def accepts(self, secret: str) -> bool:
        return bool(self.secret_digest) and hmac.compare_digest(self.secret_digest, _digest(secret))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class KoboFormStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, form: str) -> FormMapping | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(kobo_forms).where(kobo_forms.c.form == form)).first()
        if row is None:
            return None
        return FormMapping(
            row.form,
            row.kind,
            row.scope,
            json.loads(row.fields),
            json.loads(row.constants),
            row.secret_digest,
        )

    def put(self, mapping: FormMapping, updated_by: str, rotate: bool) -> tuple[bool, str | None]:
        """Create or replace a mapping: (created, the new secret on creation or rotation)."""
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        values = {
            "kind": mapping.kind,
            "scope": mapping.scope,
            "fields": json.dumps(mapping.fields, sort_keys=True),
            "constants": json.dumps(mapping.constants, sort_keys=True),
            "updated_by": updated_by,
            "updated_at": datetime.now(UTC),
        }
        with self.engine.begin() as conn:
            where = kobo_forms.c.form == mapping.form
            if conn.execute(select(kobo_forms.c.form).where(where)).first() is None:
                values |= {"form": mapping.form, "secret_digest": _digest(secret)}
                conn.execute(insert(kobo_forms).values(**values))
                return True, secret
            if rotate:
                values["secret_digest"] = _digest(secret)
            conn.execute(update(kobo_forms).where(where).values(**values))
        return False, secret if rotate else None
