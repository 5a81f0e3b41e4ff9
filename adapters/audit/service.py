"""The auditor's tools over one store: replay, totals as of an instant, export, the Merkle log."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from adapters.audit.export import export_lines
from adapters.audit.merkle import MerkleLog
from adapters.audit.receipts import receipt
from adapters.audit.replay import Replay, ReplayReport
from adapters.audit.sealer import Sealer
from adapters.audit.signing import TreeHeads
from adapters.audit.watch import AuditWatch
from adapters.checkpoints import SqlCheckpoints
from adapters.settings import Settings
from adapters.views import SqlViewStore
from domain.errors import NotFoundError
from projections.as_of import AsOf, view_as_of
from projections.ports import EventSource, Projection
from projections.rebuild import RebuildProgress
from projections.runner import Runner


@dataclass
class Audit:
    settings: Settings
    source: EventSource
    views: SqlViewStore
    runner: Runner
    projections: Sequence[Projection]
    merkle: MerkleLog
    heads: TreeHeads
    sealer: Sealer
    watch: AuditWatch
    checkpoints: SqlCheckpoints | None = None

    def check_intact(self) -> None:
        """Raise TamperedError (503) once the watch found the stored history altered."""
        self.watch.check()

    def replay(
        self, batch_size: int = 5000, on_progress: Callable[[RebuildProgress], None] | None = None
    ) -> ReplayReport:
        """Catch the in-process views up, then rebuild every view and compare."""
        self.runner.catch_up()
        replay = Replay(
            self.settings, self.source, self.views, self.projections, batch_size, self.checkpoints
        )
        return replay.run(on_progress)

    def receipt(self, position: int) -> dict[str, Any]:
        return receipt(self.merkle, self.heads, position)

    def as_of(self, view: str, scope: str, instant: datetime) -> AsOf:
        self.check_intact()  # never fold altered events into a past total
        margin = timedelta(seconds=self.settings.as_of_margin_seconds)
        projection = self.projection(view)
        return view_as_of(
            self.source, projection, scope, instant, margin, checkpoints=self.checkpoints
        )

    def projection(self, view: str) -> Projection:
        for projection in self.projections:
            if projection.name == view:
                return projection
        raise NotFoundError(f"no view named '{view}'", "view")

    def export(self, after: int = 0) -> Iterator[str]:
        """Seal first, so every exported record carries its recorded leaf hash.

        Lines come in chunks of about 64 KiB: a streaming response pays a thread
        hop per item, which per line would cost more than the export itself.
        """
        self.merkle.seal()
        return _chunks(export_lines(self.merkle, self.merkle.stored, after))


def _chunks(lines: Iterator[str], size: int = 1 << 16) -> Iterator[str]:
    buffer: list[str] = []
    length = 0
    for line in lines:
        buffer.append(line)
        length += len(line)
        if length >= size:
            yield "".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer)
