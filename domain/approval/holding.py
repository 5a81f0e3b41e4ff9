"""Holding one new fact (a case, a gift, a dispatch) dated in an approved period.

The command reads its period's seal inside the attempt that saves: open, the seal
notes one write and is saved with the fact; approved, the fact is kept in the
approval book (once: a resend while held answers held again, and its id sent with
other details is refused) and the seal notes the
hold in the same save, so an approval or an un-approval saved meanwhile makes the
command decide again (``domain.approval.seal``). Released facts are recorded again
through their command's own path, each answering how it went.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.actors import Actor
from domain.approval.errors import HELD_FOR_APPROVED_PERIOD
from domain.approval.locks import PeriodLocks, held_reason, hold
from domain.approval.seal import PeriodSeal
from domain.errors import DomainError
from domain.ledger import last_position
from domain.outcomes import Outcome


def hold_single(
    locks: PeriodLocks,
    scope: str,
    seal: PeriodSeal,
    fact: tuple[str, dict[str, Any]],
    actor: Actor,
    field: str,
) -> Outcome | None:
    """None when the seal's period is open (the seal then notes one write: save it with
    the fact); else the held answer, ``fact`` (its id, its facts) kept in the book. Its
    id held already with other details is refused, naming ``field`` (a ConflictError)."""
    lock = seal.approval
    if lock is None:
        seal.count(1, 0, actor.name)
        return None
    book = locks.book_to_hold(scope, actor)
    position = 0
    if hold(book, lock, *fact, field):
        seal.count(0, 1, actor.name)
        position = last_position(locks.ledger.save(seal, book))
    return Outcome(False, position, held=held_reason(lock))


def release_code(record: Callable[[], Outcome]) -> str:
    """A released fact's answer, as the book keeps it: recorded, duplicate, or why not."""
    try:
        outcome = record()
    except DomainError as error:
        return error.code or "rejected"
    if outcome.held is not None:
        return HELD_FOR_APPROVED_PERIOD
    return "recorded" if outcome.created else "duplicate"
