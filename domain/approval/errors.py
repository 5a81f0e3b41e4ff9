"""Refusals of the approval workflow, each with a stable code clients may act on."""

from __future__ import annotations

from domain.errors import ConflictError

PERIOD_APPROVED = "period_approved"
HELD_FOR_APPROVED_PERIOD = "held_for_approved_period"
HELD_WITH_OTHER_DETAILS = "held_with_other_details"
UNITS_BELOW_NOT_APPROVED = "units_below_not_approved"


class PeriodApprovedError(ConflictError):
    """A write would change figures that are approved: an admin must un-approve them first."""

    def __init__(self, approval: str, field: str | None = None) -> None:
        super().__init__(
            f"{approval}; an admin must un-approve it before its figures change",
            field,
            PERIOD_APPROVED,
        )


class HeldWithOtherDetailsError(ConflictError):
    """A held fact's id sent again with other details: refused as a recorded one would be;
    the details first held are the ones the un-approval records."""

    def __init__(self, field: str, code: str | None = None) -> None:
        super().__init__(
            "already held for an approved period with other details: the details first held "
            "are recorded when the period is un-approved",
            field,
            code or HELD_WITH_OTHER_DETAILS,
        )


class ApprovalOrderError(ConflictError):
    """A level approves only once every unit below it is approved for the period."""

    def __init__(self, missing: list[str], level: str) -> None:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        super().__init__(
            f"not every {level} below is approved for this period (waiting for: {shown})",
            "unit",
            UNITS_BELOW_NOT_APPROVED,
        )
