"""Domain errors: every refusal names the field it concerns and the reason."""

from __future__ import annotations


class DomainError(Exception):
    """A command broke a rule of the domain.

    ``field`` names the input at fault (dotted, e.g. ``items.3.household``) so the
    API can answer with a precise 4xx; ``reason`` is a short sentence for people.
    Neither ever carries personal data. ``code`` is a stable name for the reason that
    clients may act on (e.g. ``delivery_id_reused``).
    """

    status = 422

    def __init__(self, reason: str, field: str | None = None, code: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field
        self.code = code


class NotFoundError(DomainError):
    """The thing named does not exist."""

    status = 404


class ConflictError(DomainError):
    """The command contradicts what already happened (e.g. closed, already reversed)."""

    status = 409


class BusyError(DomainError):
    """Other writes kept winning the race for the same records: nothing was saved.

    Not the sender's fault; ``retry_after`` says how many seconds to wait before
    sending the same command again (it is idempotent, so a resend is safe).
    """

    status = 503

    def __init__(self, reason: str, retry_after: int) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class UnknownPlaceError(DomainError):
    """A region or province code is not one of Morocco's ISO 3166-2:MA codes."""
