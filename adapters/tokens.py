"""API tokens: random bearer secrets, stored only as SHA-256 digests."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Engine, String, Table, insert, select, update

from adapters.database import metadata
from domain.actors import Actor, Role

TOKEN_PREFIX = "tdm_"  # noqa: S105 - a public prefix that makes leaked tokens greppable

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

SCOPED_ROLES = {Role.COMMITTEE, Role.SITE, Role.CHAIR, Role.COORDINATOR}


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    actor: Actor


class TokenStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, role: Role, scope: str | None = None, label: str = "") -> IssuedToken:
        if role in SCOPED_ROLES and not scope:
            raise ValueError(
                f"a {role.value} token needs a scope (--committee, --site or --province)"
            )
        if role not in SCOPED_ROLES and scope:
            raise ValueError(f"a {role.value} token takes no scope")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token_id = digest(token)[:10]
        with self.engine.begin() as conn:
            conn.execute(
                insert(api_tokens).values(
                    digest=digest(token),
                    token_id=token_id,
                    role=role.value,
                    scope=scope,
                    label=label,
                    created_at=datetime.now(UTC),
                )
            )
        return IssuedToken(token, Actor(role, token_id, scope))

    def authenticate(self, token: str) -> Actor | None:
        query = select(api_tokens.c.role, api_tokens.c.token_id, api_tokens.c.scope).where(
            api_tokens.c.digest == digest(token), api_tokens.c.revoked_at.is_(None)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return Actor(Role(row.role), row.token_id, row.scope) if row else None

    def revoke(self, token_id: str) -> bool:
        with self.engine.begin() as conn:
            return bool(
                conn.execute(
                    update(api_tokens)
                    .where(api_tokens.c.token_id == token_id)
                    .values(revoked_at=datetime.now(UTC))
                ).rowcount
            )

    def has_admin(self) -> bool:
        query = select(api_tokens.c.token_id).where(
            api_tokens.c.role == Role.ADMIN.value, api_tokens.c.revoked_at.is_(None)
        )
        with self.engine.connect() as conn:
            return conn.execute(query).first() is not None
