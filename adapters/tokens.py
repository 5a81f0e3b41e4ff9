"""API tokens: random bearer secrets, stored only as SHA-256 digests.

A committee token is bound to one committee of one campaign, a site token to one site
of one operation (``api_token_bindings``): a code alone names different committees in
different campaigns. Tokens issued before bindings existed have no binding row and are
refused with the command that reissues them.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from adapters.token_tables import (
    TokenInfo,
    api_token_bindings,
    api_token_uses,
    api_tokens,
    aware,
    list_tokens,
)
from domain.actors import SCOPE_KIND, SCOPE_PARENT, Actor, Role
from domain.errors import DomainError

TOKEN_PREFIX = "tdm_"  # noqa: S105 - a public prefix that makes leaked tokens greppable
# Last use is kept to the minute: one write per token per minute, not one per request.
USE_RESOLUTION = timedelta(minutes=1)

SCOPED_ROLES = set(SCOPE_PARENT)
BindingCheck = Callable[[Role, str, str], None]


class UnboundTokenError(DomainError):
    """A committee or site token from before tokens were bound to a campaign or operation."""

    status = 401


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    actor: Actor


def reissue_command(role: str, scope: str | None) -> str:
    flag = SCOPE_KIND[Role(role)]
    parent = SCOPE_PARENT[Role(role)]
    return f"tadamon tokens create --role {role} --{parent} {parent.upper()} --{flag} {scope}"


def _check_shape(role: Role, within: str | None, scope: str | None) -> None:
    parent = SCOPE_PARENT.get(role)
    if parent is None and (scope or within):
        raise DomainError(
            f"a token of role '{role.value}' takes no campaign, operation, committee, site "
            "or province"
        )
    if parent is not None and not (scope and within):
        flag = SCOPE_KIND[role]
        raise DomainError(
            f"a {role.value} token needs a {parent} and a {flag} (--{parent}, --{flag})"
        )


class TokenStore:
    def __init__(self, engine: Engine, check_binding: BindingCheck | None = None) -> None:
        self.engine = engine
        # Checks that the campaign and committee (or operation and site) exist.
        self.check_binding = check_binding

    def issue(
        self, role: Role, within: str | None, scope: str | None, label: str = ""
    ) -> IssuedToken:
        """What `tokens create` and the admin endpoint do: check the binding, then create."""
        _check_shape(role, within, scope)
        if within and scope and self.check_binding is not None:
            self.check_binding(role, within, scope)
        return self.create(role, scope, label, within)

    def create(
        self, role: Role, scope: str | None = None, label: str = "", within: str | None = None
    ) -> IssuedToken:
        _check_shape(role, within, scope)
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
            if within is not None:
                conn.execute(insert(api_token_bindings).values(token_id=token_id, within=within))
        return IssuedToken(token, Actor(role, token_id, scope, within))

    def authenticate(self, token: str) -> Actor | None:
        tokens, bindings, uses = api_tokens, api_token_bindings, api_token_uses
        query = (
            select(tokens.c.role, tokens.c.token_id, tokens.c.scope, bindings.c.within)
            .add_columns(uses.c.last_used_at)
            .outerjoin(bindings, bindings.c.token_id == tokens.c.token_id)
            .outerjoin(uses, uses.c.token_id == tokens.c.token_id)
            .where(tokens.c.digest == digest(token), tokens.c.revoked_at.is_(None))
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        role = Role(row.role)
        if role in SCOPED_ROLES and row.within is None:
            raise UnboundTokenError(
                f"this {role.value} token ({row.token_id}, for '{row.scope}') was issued before "
                f"tokens were bound to a {SCOPE_PARENT[role]} and no longer works; an admin "
                f"reissues it with: tadamon tokens revoke {row.token_id} && "
                + reissue_command(role.value, row.scope)
            )
        self._touch(row.token_id, row.last_used_at)
        return Actor(role, row.token_id, row.scope, row.within)

    def _touch(self, token_id: str, last_used: datetime | None) -> None:
        now = datetime.now(UTC)
        if last_used is not None and aware(last_used) > now - USE_RESOLUTION:
            return
        table = api_token_uses
        with self.engine.begin() as conn:
            changed = conn.execute(
                update(table).where(table.c.token_id == token_id).values(last_used_at=now)
            ).rowcount
        if not changed:
            try:
                with self.engine.begin() as conn:
                    conn.execute(insert(table).values(token_id=token_id, last_used_at=now))
            except IntegrityError:
                pass  # another request of the same token wrote it first: it is used now

    def revoke(self, token_id: str) -> bool | None:
        """True when revoked now, False when it already was, None when there is no such id."""
        with self.engine.begin() as conn:
            known = conn.execute(
                select(api_tokens.c.revoked_at).where(api_tokens.c.token_id == token_id)
            ).first()
            if known is None:
                return None
            if known.revoked_at is not None:
                return False
            conn.execute(
                update(api_tokens)
                .where(api_tokens.c.token_id == token_id)
                .values(revoked_at=datetime.now(UTC))
            )
            return True

    def list(self, token_id: str | None = None) -> list[TokenInfo]:
        """Every token oldest first, or the one with ``token_id``."""
        return list_tokens(self.engine, token_id)

    def has_admin(self) -> bool:
        query = select(api_tokens.c.token_id).where(
            api_tokens.c.role == Role.ADMIN.value, api_tokens.c.revoked_at.is_(None)
        )
        with self.engine.connect() as conn:
            return conn.execute(query).first() is not None
