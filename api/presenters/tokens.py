"""How a token is shown to the admin, on the command line and over HTTP."""

from __future__ import annotations

from datetime import datetime

from adapters.token_tables import TokenInfo

TOKEN_COLUMNS = ("id", "role", "scope", "label", "created", "last_used", "revoked")


def scope_of(info: TokenInfo) -> str | None:
    """``campaign/committee`` or ``operation/site``; an unbound old token says so."""
    if info.scope is None:
        return None
    return f"{info.within}/{info.scope}" if info.within else f"{info.scope} (unbound)"


def _moment(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else "-"


def token_row(info: TokenInfo) -> list[str]:
    return [
        info.token_id,
        info.role,
        scope_of(info) or "-",
        info.label or "-",
        _moment(info.created_at),
        _moment(info.last_used_at),
        _moment(info.revoked_at),
    ]
