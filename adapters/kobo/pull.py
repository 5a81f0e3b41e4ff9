"""`tadamon kobo sync FORM`: the edits and deletions Kobo's REST Services never send.

Each submission changed since the last pull goes through the webhook's own recording path
(``KoboWebhook.receive``), so a submission the webhook already took is a ``duplicate`` and
the two never count one twice. A submission whose ``_id`` was recorded under another
instance is an edit: it corrects the instance last recorded (a reversal and the new
record, in one save). A recorded ``_id`` that Kobo no longer lists was deleted there: its
record is reversed, with the reason. The pull resumes from Kobo's own timestamps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters.kobo.kobo_api import KoboDataApi
from adapters.kobo.pull_state import PullState, Seen
from adapters.kobo.webhook import KoboWebhook, record_id
from domain.actors import Actor, Role
from domain.errors import ConflictError, DomainError

CHANGED_AT = ("_last_edited", "_submission_time")


@dataclass
class SyncReport:
    form: str
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (Kobo _id, reason)
    since: str | None = None


class KoboPull:
    def __init__(self, webhook: KoboWebhook, state: PullState) -> None:
        self.webhook = webhook
        self.state = state

    def sync(self, form: str, api: KoboDataApi) -> SyncReport:
        mapping = self.webhook.mapping(form)  # refuses a form nobody mapped
        report = SyncReport(form, since=self.state.since(form))
        seen = self.state.seen(form)
        latest = report.since
        for submission in api.changed_since(form, report.since):
            self._take(form, submission, seen.get(int(submission["_id"])), report)
            latest = max(filter(None, (latest, *map(submission.get, CHANGED_AT))))
        gone = [s for number, s in seen.items() if not s.deleted]
        if gone:
            present = api.submission_ids(form)
            for vanished in (s for s in gone if s.submission not in present):
                self._reverse(form, mapping.scope, vanished, report)
        self.state.advance(form, latest)
        report.since = latest
        return report

    def _take(
        self, form: str, submission: Mapping[str, Any], known: Seen | None, report: SyncReport
    ) -> None:
        payload = dict(submission)
        instance = str(payload.get("meta/instanceID") or f"uuid:{payload.get('_uuid')}")
        if known is not None and record_id(known.instance) != record_id(instance):
            payload["meta/deprecatedID"] = known.instance  # the instance last recorded
        try:
            answer = self.webhook.receive(form, payload)
        except DomainError as error:  # unreadable, or refused: said, and the pull goes on
            report.counts["rejected"] += 1
            report.problems.append((int(payload["_id"]), error.reason))
            return
        report.counts[answer.status] += 1
        if known is None or known.instance != instance:
            self.state.remember(form, int(payload["_id"]), instance, known is not None)

    def _reverse(self, form: str, scope: str, vanished: Seen, report: SyncReport) -> None:
        target = self.webhook.target(self.webhook.mapping(form).kind)
        reason = f"deleted in KoboToolbox (submission {vanished.submission})"
        actor = Actor(Role.ADMIN, f"kobo.{form}"[:40])
        try:
            if target.reverse is None:
                raise DomainError(f"records of '{target.kind.name}' cannot be reversed", "kind")
            target.reverse(scope, record_id(vanished.instance), reason, actor)
            report.counts["reversed"] += 1
        except ConflictError:
            report.counts["already reversed"] += 1  # reversed by hand, or by an earlier pull
        except DomainError as error:
            report.counts["rejected"] += 1
            report.problems.append((vanished.submission, error.reason))
            return
        self.state.deleted(form, vanished.submission)
