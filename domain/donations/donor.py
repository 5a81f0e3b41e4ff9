"""A donor: a company, an association or a private person, known by a code.

A private person's name is personal data and never enters the ledger: an
individual donor is the anonymous benefactor ("محسن") of the report, made
distinct from every other benefactor by its own code.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.donations.vocabulary import ANONYMOUS, DonorKind, check_text
from domain.errors import DomainError
from domain.ids import check_code, stream_id


class Donor(Aggregate):
    @staticmethod
    def create_id(code: str, **_: Any) -> UUID:
        return stream_id("donor", code)

    @classmethod
    def register(cls, *, code: str, kind: str, name: str | None, registered_by: str) -> Donor:
        check_code(code, "code")
        try:
            donor_kind = DonorKind(kind)
        except ValueError:
            valid = ", ".join(k.value for k in DonorKind)
            raise DomainError(f"must be one of: {valid}", "kind") from None
        return cls(
            code=code,
            kind=donor_kind.value,
            name=_checked_name(donor_kind, name),
            registered_by=registered_by,
        )

    @event("DonorRegistered")
    def __init__(self, *, code: str, kind: str, name: str | None, registered_by: str) -> None:
        self.code = code
        self.kind = kind
        self.name = name

    @property
    def display_name(self) -> str:
        return self.name or ANONYMOUS

    def facts(self) -> tuple[str, str | None]:
        """What a resent registration must repeat to count as the same one."""
        return (self.kind, self.name)


def _checked_name(kind: DonorKind, name: str | None) -> str | None:
    if kind is DonorKind.INDIVIDUAL:
        if name:
            raise DomainError(
                "a private donor's name is personal data and is not recorded; "
                "the donor code tells benefactors apart",
                "name",
            )
        return None
    if name is None:
        raise DomainError(f"a {kind.value} donor needs its name", "name")
    return check_text(name, "name")
