"""Loading Marhaba aggregates by their natural keys, or a 404 naming the field."""

from __future__ import annotations

from typing import Any, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.errors import NotFoundError
from domain.ids import check_code
from domain.ledger import Ledger
from domain.marhaba.case import AssistanceCase
from domain.marhaba.movement import Movement
from domain.marhaba.operation import Operation
from domain.marhaba.site import Site

A = TypeVar("A")


class Lookup:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def operation(self, slug: str) -> Operation:
        check_code(slug, "operation")
        reason = f"operation '{slug}' does not exist"
        return self._get(Operation, Operation.create_id(slug), reason, "operation")

    def maybe_operation(self, slug: str) -> Operation | None:
        return self._maybe(Operation, Operation.create_id(slug))

    def site(self, slug: str, code: str) -> Site:
        reason = f"site '{code}' is not registered in operation '{slug}'"
        return self._get(Site, Site.create_id(slug, code), reason, "site")

    def maybe_site(self, slug: str, code: str) -> Site | None:
        return self._maybe(Site, Site.create_id(slug, code))

    def movement(self, slug: str, site: str, reference: str) -> Movement:
        reason = f"no movement '{reference}' at site '{site}' in operation '{slug}'"
        return self._get(Movement, Movement.create_id(slug, site, reference), reason, "movement")

    def case(self, slug: str, site: str, case: str) -> AssistanceCase:
        reason = f"no case '{case}' at site '{site}' in operation '{slug}'"
        return self._get(AssistanceCase, AssistanceCase.create_id(slug, site, case), reason, "case")

    def maybe_case(self, slug: str, site: str, case: str) -> AssistanceCase | None:
        return self._maybe(AssistanceCase, AssistanceCase.create_id(slug, site, case))

    def _get(self, kind: type[A], aggregate_id: UUID, reason: str, field: str) -> A:
        found = self._maybe(kind, aggregate_id)
        if found is None:
            raise NotFoundError(reason, field)
        return found

    def _maybe(self, kind: type[A], aggregate_id: UUID) -> A | None:
        # ``kind`` only types the answer: ids are derived per kind, so they never collide.
        try:
            found: Any = self.ledger.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return cast(A, found)
