"""Who is acting: every event that a person causes records their actor name."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.errors import DomainError


class Role(StrEnum):
    ADMIN = "admin"
    COMMITTEE = "committee"
    SITE = "site"
    DONATIONS = "donations"
    AUDITOR = "auditor"
    # Approvers of the figures (domain/approval): a committee's chair, a province's
    # coordinator, and the national level (regions and the nation).
    CHAIR = "chair"
    COORDINATOR = "coordinator"
    NATIONAL = "national"


class ForbiddenError(DomainError):
    """The actor's role or scope does not allow this command."""

    status = 403


@dataclass(frozen=True, slots=True)
class Actor:
    """An authenticated caller; ``scope`` is the committee or site a token is bound to."""

    role: Role
    token_id: str
    scope: str | None = None

    @property
    def name(self) -> str:
        suffix = f"@{self.scope}" if self.scope else ""
        return f"{self.role.value}{suffix}#{self.token_id}"

    def check_role(self, *allowed: Role) -> None:
        if self.role not in allowed:
            wanted = ", ".join(role.value for role in allowed)
            raise ForbiddenError(f"role '{self.role.value}' may not do this (needs {wanted})")

    def check_scope(self, role: Role, scope: str, field: str) -> None:
        """An admin may act for anyone; a scoped token only for its own committee or site."""
        if self.role is Role.ADMIN:
            return
        self.check_role(role)
        if self.scope != scope:
            raise ForbiddenError(
                f"this token is scoped to '{self.scope}' and cannot act for '{scope}'", field
            )


SYSTEM = Actor(Role.ADMIN, "system")
