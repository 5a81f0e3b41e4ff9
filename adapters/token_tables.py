"""The token tables, and listing tokens as `tokens list` shows them (never a secret)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Engine, String, Table, select

from adapters.database import metadata

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("token_id", String(12), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("scope", String(80)),
    Column("label", String(200), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)
api_token_bindings = Table(
    "api_token_bindings",
    metadata,
    Column("token_id", String(12), primary_key=True),
    Column("within", String(63), nullable=False),  # the campaign or operation slug
)
api_token_uses = Table(
    "api_token_uses",
    metadata,
    Column("token_id", String(12), primary_key=True),
    Column("last_used_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """One token as `tokens list` shows it; never the secret."""

    token_id: str
    role: str
    scope: str | None
    within: str | None
    label: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def list_tokens(engine: Engine, token_id: str | None = None) -> list[TokenInfo]:
    """Every token oldest first, or the one with ``token_id``."""
    tokens, bindings, uses = api_tokens, api_token_bindings, api_token_uses
    query = (
        select(
            tokens.c.token_id,
            tokens.c.role,
            tokens.c.scope,
            bindings.c.within,
            tokens.c.label,
            tokens.c.created_at,
            uses.c.last_used_at,
            tokens.c.revoked_at,
        )
        .outerjoin(bindings, bindings.c.token_id == tokens.c.token_id)
        .outerjoin(uses, uses.c.token_id == tokens.c.token_id)
        .order_by(tokens.c.created_at, tokens.c.token_id)
    )
    if token_id is not None:
        query = query.where(tokens.c.token_id == token_id)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        TokenInfo(
            *row[:5],
            aware(row.created_at),
            row.last_used_at and aware(row.last_used_at),
            row.revoked_at and aware(row.revoked_at),
        )
        for row in rows
    ]


def aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes for what was stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
