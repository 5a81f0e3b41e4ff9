"""Closed books: once a campaign or operation is closed, its figures are the published ones.

A committee or site may no longer change them; an admin may still correct a mistake,
giving a reason, and the correction is noted on the closed campaign or operation as an
event of its own, so that totals show what changed after closure apart.
"""

from __future__ import annotations

from domain.actors import Actor, Role
from domain.errors import ConflictError


def check_may_correct_closed(what: str, actor: Actor) -> None:
    """``what`` names the closed books, e.g. "campaign 'ramadan-1441'"."""
    if actor.role is not Role.ADMIN:
        raise ConflictError(
            f"{what} is closed: its books take no more changes from {actor.describe()}; "
            "an admin may correct them, giving a reason",
            what.split(" ", 1)[0],
        )
