"""The audit's parts over one store: the Merkle log, signed heads, the sealer and the watch."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from adapters.audit.heads_file import HeadsFile
from adapters.audit.merkle import MerkleLog
from adapters.audit.rows import StoredRows
from adapters.audit.sealer import Sealer
from adapters.audit.service import Audit
from adapters.audit.signing import HeadSink, TreeHeads, development_key, load_private_key
from adapters.audit.watch import AuditWatch
from adapters.metrics import Metrics
from adapters.projection_set import all_projections
from adapters.settings import Settings
from adapters.store import LedgerEventSource
from adapters.views import SqlViewStore
from domain.ledger import Ledger
from projections.runner import Runner


def build_audit(
    settings: Settings,
    engine: Engine,
    ledger: Ledger,
    views: SqlViewStore,
    runner: Runner,
    metrics: Metrics,
) -> Audit:
    merkle = MerkleLog(engine, ledger.recorder, StoredRows(engine, settings))
    path = settings.signing_key_path()
    key = load_private_key(path) if settings.signing_key_file else development_key(path)
    refused = metrics.audit_signing_refusals
    heads = TreeHeads(engine, merkle, key, _head_sinks(settings), lambda _f: refused.inc())
    found = metrics.audit_mismatches
    watch = AuditWatch(
        merkle, heads, settings.audit_watch_events_per_second, lambda _f: found.inc()
    )
    heads.guard = watch.check
    sealer = Sealer(
        merkle,
        heads,
        settings.seal_poll_seconds,
        timedelta(seconds=settings.tree_head_interval_seconds),
        watch if settings.run_audit_watch else None,
    )
    source = LedgerEventSource(ledger)
    return Audit(settings, source, views, runner, all_projections(), merkle, heads, sealer, watch)


def _head_sinks(settings: Settings) -> list[HeadSink]:
    """Where each signed head is copied beyond the database."""
    sinks: list[HeadSink] = []
    if settings.tree_heads_file is not None:
        sinks.append(HeadsFile(settings.tree_heads_file))
    if settings.publish_tree_heads:
        from adapters.audit.heads_kafka import HeadsTopic  # kafka only when asked for

        sinks.append(HeadsTopic(settings))
    return sinks
