"""A case's opening as decided from a command: what opens it, and what a hold keeps of it.

A case opened in an approved site-day is held in the approval book (no name: the
traveller's keyed hash only) and opened from these facts when the day is un-approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.marhaba.case import AssistanceCase

CASE = "case"  # the kind of a held fact that opens a case (a movement's names none)


@dataclass(frozen=True, slots=True)
class CaseOpening:
    case: str
    category: str
    people: int
    opened_at: datetime
    traveller_key: str | None
    legacy_key: str | None  # a case opened before spellings were unified holds this one

    def opened(self, operation: str, site: str, opened_by: str) -> AssistanceCase:
        """The case this opening opens."""
        return AssistanceCase(
            operation=operation,
            site=site,
            case=self.case,
            category=self.category,
            people=self.people,
            opened_at=self.opened_at,
            traveller_key=self.traveller_key,
            opened_by=opened_by,
        )

    def fact(self, site: str, sent_by: str) -> tuple[str, dict[str, Any]]:
        """The held fact's id and facts."""
        return case_fact_id(site, self.case), {
            "kind": CASE,
            "site": site,
            "case": self.case,
            "category": self.category,
            "people": self.people,
            "opened_at": self.opened_at.isoformat(),
            "traveller_key": self.traveller_key,
            "legacy_key": self.legacy_key,
            "sent_by": sent_by,
        }

    @classmethod
    def held(cls, facts: dict[str, Any]) -> CaseOpening:
        """The opening a held fact keeps, as it was sent."""
        return cls(
            case=facts["case"],
            category=facts["category"],
            people=facts["people"],
            opened_at=datetime.fromisoformat(facts["opened_at"]),
            traveller_key=facts["traveller_key"],
            legacy_key=facts["legacy_key"],
        )


def case_fact_id(site: str, case: str) -> str:
    return f"{site}/case/{case}"


def is_case(held: dict[str, Any]) -> bool:
    return bool(held["facts"].get("kind") == CASE)
