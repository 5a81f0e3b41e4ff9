"""KoboToolbox REST Services: a submission in, a record (or a correction) out.

Kobo posts each submission as flat JSON (``group/question`` keys plus its own
``meta/instanceID``, ``_uuid``, ``_submission_time``...) and retries until it
gets a 2xx. The record's client id is derived from ``meta/instanceID``, so a
retry is a ``duplicate``; an edited submission carries ``meta/deprecatedID``
(the instance it replaces) and becomes a correction of that record.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.kobo.forms import FormMapping, KoboFormStore
from adapters.spreadsheets.kinds import FieldKind, Target, parse_cells
from adapters.spreadsheets.sheet import UnreadableInputError
from adapters.spreadsheets.values import CellError
from domain.actors import Actor, Role
from domain.errors import DomainError, NotFoundError
from domain.outcomes import BatchMode, EventRef, ItemResult, ItemStatus

SUBMISSION_TIME = "_submission_time"  # Kobo's server time, UTC without an offset
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


@dataclass(frozen=True, slots=True)
class KoboAnswer:
    status: str  # recorded, duplicate or corrected
    item_id: str
    position: int
    replaces: str | None = None
    original: dict[str, Any] | None = None
    at: EventRef | None = None  # a retry's original event (its position is answered)


def record_id(instance: str) -> str:
    """The record's client id for a Kobo instance ("uuid:..."; Kobo sometimes doubles it)."""
    bare = instance.strip()
    while bare.lower().startswith("uuid:"):
        bare = bare[5:]
    if _UUID.fullmatch(bare):
        return f"kobo-{bare.lower()}"
    return "kobo-" + hashlib.sha256(bare.encode()).hexdigest()[:32]


class KoboWebhook:
    def __init__(self, forms: KoboFormStore, targets: Mapping[str, Target]) -> None:
        self.forms = forms
        self.targets = dict(targets)

    def mapping(self, form: str) -> FormMapping:
        found = self.forms.get(form)
        if found is None:
            raise NotFoundError(
                f"form '{form}' is not mapped; an admin maps it with PUT "
                f"/v1/integrations/kobo/{form}",
                "form",
            )
        return found

    def target(self, kind: str) -> Target:
        found = self.targets.get(kind)
        if found is None or found.correct is None:
            known = ", ".join(k for k, t in sorted(self.targets.items()) if t.correct)
            raise DomainError(f"Kobo forms cannot feed '{kind}'; they can feed: {known}", "kind")
        return found

    def configure(
        self, mapping: FormMapping, actor: Actor, rotate: bool
    ) -> tuple[bool, str | None]:
        """Check and store a form's mapping: (created, its secret when new or rotated)."""
        actor.check_role(Role.ADMIN)
        target = self.target(mapping.kind)
        if target.check_scope is not None:
            target.check_scope(mapping.scope)
        _check_mapping(target.kind, mapping)
        return self.forms.put(mapping, actor.name, rotate)

    def receive(self, form: str, payload: Mapping[str, Any]) -> KoboAnswer:
        mapping = self.mapping(form)
        target = self.target(mapping.kind)
        _check_form(form, payload)
        item_id = record_id(_instance(payload))
        command, actor = self._command(form, mapping, target.kind, payload, item_id)
        deprecated = payload.get("meta/deprecatedID")
        if isinstance(deprecated, str) and deprecated.strip() and target.correct:
            replaced = record_id(deprecated)
            reason = f"corrected by KoboToolbox edit {_instance(payload)[:80]}"
            outcome = target.correct(mapping.scope, replaced, command, reason, actor)
            status = _status(outcome.result, "corrected")
            found = outcome.result
            return KoboAnswer(status, item_id, outcome.position, replaced, found.original, found.at)
        batch = target.submit(mapping.scope, [command], actor, BatchMode.RECORD)
        result = batch.items[0]
        return KoboAnswer(
            _status(result, "recorded"), item_id, batch.position, None, result.original, result.at
        )

    def _command(
        self,
        form: str,
        mapping: FormMapping,
        kind: FieldKind,
        payload: Mapping[str, Any],
        item_id: str,
    ) -> tuple[Any, Actor]:
        cells = {kind.id_column: item_id, **mapping.constants}
        sources: dict[str, str] = {}
        for key, source in mapping.fields.items():
            found = _lookup(payload, source)
            if found is not None:
                sources[key] = found[0]
                cells[key] = _with_utc(found[1]) if found[0] == SUBMISSION_TIME else found[1]
        parsed, problems = parse_cells(kind, cells)
        if problems:
            raise UnreadableInputError(
                [
                    (sources.get(p.column, mapping.fields.get(p.column, p.column)), _said(p.reason))
                    for p in problems
                ]
            )
        role, column = kind.scoped_by
        scope = parsed[column] if column else None
        return kind.build(parsed), Actor(role, f"kobo.{form}"[:40], scope, mapping.scope)


def _check_mapping(kind: FieldKind, mapping: FormMapping) -> None:
    for section, given in (("fields", mapping.fields), ("constants", mapping.constants)):
        for key in given:
            column = kind.column(key)
            if column is None or key == kind.id_column:
                usable = ", ".join(c.key for c in kind.columns if c.key != kind.id_column)
                raise DomainError(f"not a field of {kind.name}; use {usable}", f"{section}.{key}")
    for key, value in mapping.constants.items():
        column = kind.column(key)
        if column is not None and column.personal:
            raise DomainError("a personal identifier cannot be a constant", f"constants.{key}")
        try:
            column.parse(value) if column else None
        except CellError as error:
            raise DomainError(error.reason, f"constants.{key}") from None
    for column in kind.columns:
        wanted = column.required and column.key != kind.id_column
        if wanted and column.key not in mapping.fields and column.key not in mapping.constants:
            raise DomainError(
                "must be mapped to a form field or given as a constant", f"fields.{column.key}"
            )


def _said(reason: str) -> str:
    return reason if reason != "is empty" else "is missing or empty in the submission"


def _status(result: ItemResult, success: str) -> str:
    if result.status is ItemStatus.REJECTED:
        field = (result.field or "item").rsplit(".", 1)[-1]
        raise DomainError(result.reason or "rejected", field)
    return success if result.status is ItemStatus.RECORDED else result.status.value


def _check_form(form: str, payload: Mapping[str, Any]) -> None:
    sent = payload.get("_xform_id_string")
    if sent is not None and str(sent) != form:
        raise DomainError(f"this submission belongs to form '{str(sent)[:60]}'", "_xform_id_string")


def _instance(payload: Mapping[str, Any]) -> str:
    instance = payload.get("meta/instanceID") or (
        f"uuid:{payload['_uuid']}" if payload.get("_uuid") else None
    )
    if not isinstance(instance, str) or not instance.strip():
        raise DomainError("every Kobo submission carries meta/instanceID", "meta/instanceID")
    return instance


def _lookup(payload: Mapping[str, Any], source: str) -> tuple[str, str] | None:
    """The value at ``source``, or at the one ``group/.../source`` key if it is unique."""
    if source in payload:
        key = source
    else:
        suffixed = [k for k in payload if k.endswith("/" + source)]
        if len(suffixed) != 1:
            return None
        key = suffixed[0]
    value = payload[key]
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise DomainError(f"must be a single answer, not {type(value).__name__}", key)
    return key, str(value)


def _with_utc(value: str) -> str:
    return value if re.search(r"(Z|[+-]\d{2}:?\d{2})$", value) else value + "+00:00"
