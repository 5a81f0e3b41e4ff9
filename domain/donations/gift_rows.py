"""The answers of gift rows: one gift's lines agree, a resent receipt, a gift refused whole.

Rows sharing (donor, receipt) are the lines of one gift; a refused line refuses its
siblings, each row saying why.
"""

from __future__ import annotations

import re
from typing import Any

from domain.donations.commands import InKindLine
from domain.donations.in_kind import InKindDonation
from domain.errors import DomainError
from domain.outcomes import EventRef, ItemResult, ItemStatus

_LINE_FIELD = re.compile(r"lines\.(\d+)\.(\w+)")
SHARED = ("store", "received_at", "appeal")  # what every line of one gift must repeat


class LineError(DomainError):
    """A refusal that concerns one line of a gift (``line`` counts from 0 within the gift)."""

    def __init__(self, reason: str, field: str, line: int) -> None:
        super().__init__(reason, field)
        self.line = line


def check_one_gift(lines: list[InKindLine]) -> None:
    first = lines[0]
    for number, line in enumerate(lines[1:], start=1):
        for name in SHARED:
            if getattr(line, name) != getattr(first, name):
                raise LineError(
                    f"differs from the first line of receipt '{first.receipt}': every line "
                    f"of one receipt has the same {', '.join(SHARED)}",
                    name,
                    number,
                )


def duplicates(
    first: InKindLine, indexes: list[int], stored: Any, gift: InKindDonation
) -> list[ItemResult]:
    if type(stored) is not InKindDonation or stored.facts() != gift.facts():
        reason = f"receipt '{first.receipt}' is already recorded with other details"
        return refused(first, indexes, DomainError(reason, "receipt"))
    original = {
        "donation": stored.id.hex,
        "donor": stored.donor,
        "receipt": stored.receipt,
        "received_at": stored.received_at.isoformat(),
        "lines": len(stored.lines),
    }
    at = EventRef(stored.id, 1)
    return [
        ItemResult(
            i, first.receipt, ItemStatus.DUPLICATE, "already recorded", original=original, at=at
        )
        for i in indexes
    ]


def refused(first: InKindLine, indexes: list[int], error: DomainError) -> list[ItemResult]:
    """The line at fault gets the reason; its siblings say that the gift is refused whole."""
    field, line = error.field or "receipt", None
    if isinstance(error, LineError):
        line = error.line
    elif match := _LINE_FIELD.fullmatch(field):
        line, field = int(match.group(1)), match.group(2)
    sibling = (
        f"not recorded: another line of receipt '{first.receipt}' is refused, and a gift is "
        "recorded whole"
    )
    return [
        ItemResult(
            index,
            first.receipt,
            ItemStatus.REJECTED,
            error.reason if line in (None, number) else sibling,
            f"items.{index}.{field if line in (None, number) else 'receipt'}",
            code=error.code if line in (None, number) else None,
        )
        for number, index in enumerate(indexes)
    ]
