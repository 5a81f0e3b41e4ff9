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
    REGISTRAR = "registrar"  # enrols households on the lists of one province's committees
    # Approvers of the figures (domain/approval): a committee's chair, a province's
    # coordinator, a reception site's supervisor, a donations store's keeper, and the
    # national level (regions, the nation, a Marhaba operation, the donations intake).
    CHAIR = "chair"
    COORDINATOR = "coordinator"
    SUPERVISOR = "supervisor"
    STOREKEEPER = "storekeeper"
    NATIONAL = "national"


# A scoped role's token belongs to one committee of one campaign, one site of one
# operation, or one province of one campaign (a registrar, a coordinator): a code alone
# names different committees in different campaigns.
SCOPE_PARENT = {
    Role.COMMITTEE: "campaign",
    Role.SITE: "operation",
    Role.REGISTRAR: "campaign",
    Role.CHAIR: "campaign",
    Role.COORDINATOR: "campaign",
    Role.SUPERVISOR: "operation",
    Role.STOREKEEPER: "operation",  # the one intake: operation 'donations'
}
# What the scope itself is, as `tadamon tokens create` names its flag.
SCOPE_KIND = {
    Role.COMMITTEE: "committee",
    Role.SITE: "site",
    Role.REGISTRAR: "province",
    Role.CHAIR: "committee",
    Role.COORDINATOR: "province",
    Role.SUPERVISOR: "site",
    Role.STOREKEEPER: "store",
}


class ForbiddenError(DomainError):
    """The actor's role or scope does not allow this command."""

    status = 403


@dataclass(frozen=True, slots=True)
class Actor:
    """An authenticated caller.

    ``scope`` is the committee or site a token is bound to, ``within`` the campaign or
    operation that committee or site belongs to.
    """

    role: Role
    token_id: str
    scope: str | None = None
    within: str | None = None

    @property
    def name(self) -> str:
        suffix = f"@{self.scope}" if self.scope else ""
        return f"{self.role.value}{suffix}#{self.token_id}"

    def describe(self) -> str:
        """What this token is for, as the refusals say it."""
        parent = SCOPE_PARENT.get(self.role)
        if parent is None:
            return f"the {self.role.value} role"
        return f"{self.role.value} '{self.scope}' of {parent} '{self.within}'"

    def check_role(self, *allowed: Role) -> None:
        if self.role not in allowed:
            wanted = ", ".join(role.value for role in allowed)
            raise ForbiddenError(f"this token is for {self.describe()}; this needs {wanted}")

    def check_scope(self, role: Role, within: str, scope: str, field: str) -> None:
        """An admin may act for anyone; a scoped token only for its own committee or site."""
        if self.role is Role.ADMIN:
            return
        self.check_role(role)
        if (self.within, self.scope) != (within, scope):
            wanted = f"{role.value} '{scope}' of {SCOPE_PARENT[role]} '{within}'"
            raise ForbiddenError(
                f"this token is for {self.describe()} and cannot act for {wanted}", field
            )


SYSTEM = Actor(Role.ADMIN, "system")
