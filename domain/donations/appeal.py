"""An appeal (e.g. covid-19-2020) and the total it declares, to reconcile gifts against.

A declared total is a published figure, not a sum: the reconciliation view
shows the gap between it and the listed gifts instead of hiding it.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.donations.amounts import check_centimes
from domain.donations.vocabulary import check_text
from domain.ids import check_code, stream_id


class Appeal(Aggregate):
    @staticmethod
    def create_id(code: str, **_: Any) -> UUID:
        return stream_id("appeal", code)

    @classmethod
    def open(cls, *, code: str, name: str, opened_by: str) -> Appeal:
        return cls(
            code=check_code(code, "code"), name=check_text(name, "name"), opened_by=opened_by
        )

    @event("AppealOpened")
    def __init__(self, *, code: str, name: str, opened_by: str) -> None:
        self.code = code
        self.name = name
        self.declared_centimes: int | None = None
        self.source = ""
        self.declared_in: int | None = None  # the version of the standing declaration

    def declare_total(self, *, declared_centimes: int, source: str, declared_by: str) -> bool:
        """Record the published total; False when it is already the declared one."""
        check_centimes(declared_centimes, "declared_total_mad")
        source = check_text(source, "source", 500)
        if (self.declared_centimes, self.source) == (declared_centimes, source):
            return False
        self._total_declared(
            appeal=self.code,
            declared_centimes=declared_centimes,
            previous_centimes=self.declared_centimes,
            source=source,
            declared_by=declared_by,
        )
        return True

    @event("TotalDeclared")
    def _total_declared(
        self,
        *,
        appeal: str,
        declared_centimes: int,
        previous_centimes: int | None,
        source: str,
        declared_by: str,
    ) -> None:
        self.declared_centimes = declared_centimes
        self.source = source
        self.declared_in = self.version + 1  # this event's: the body runs first
