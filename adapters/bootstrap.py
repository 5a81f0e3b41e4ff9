"""The composition root: builds every part from one Settings, and nothing else does."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from adapters.approvals import CompletenessFigures, CompletenessUnits
from adapters.audit.heads_file import HeadsFile
from adapters.audit.merkle import MerkleLog
from adapters.audit.rows import StoredRows
from adapters.audit.sealer import Sealer
from adapters.audit.service import Audit
from adapters.audit.signing import HeadSink, TreeHeads, development_key, load_private_key
from adapters.audit.watch import AuditWatch
from adapters.checkpoints import SqlCheckpoints
from adapters.database import make_engine, metadata
from adapters.kobo.forms import KoboFormStore
from adapters.kobo.pull import KoboPull
from adapters.kobo.pull_state import PullState
from adapters.kobo.webhook import KoboWebhook
from adapters.lag import LagProbe
from adapters.lists import ListEntries
from adapters.live import LiveProjections
from adapters.metrics import Metrics
from adapters.personal import PersonalData
from adapters.positions import SqlEventPositions
from adapters.schema import SchemaTooNewError, check_schema_version, setup_lock
from adapters.settings import Settings
from adapters.spreadsheets.distribution import DELIVERIES
from adapters.spreadsheets.donations import DONATION_LINES
from adapters.spreadsheets.enrolment import ENROLMENTS
from adapters.spreadsheets.importer import Importer
from adapters.spreadsheets.kinds import Target
from adapters.spreadsheets.marhaba import MOVEMENTS
from adapters.store import LedgerEventSource, SqlStreamIndex, ledger_env
from adapters.tokens import BindingCheck, TokenStore
from adapters.views import SqlViewStore, ViewDeliveryLocator
from adapters.wakeup import listen_for_appends
from domain.actors import Role
from domain.approval.gate import DeliveryGate
from domain.approval.locks import PeriodLocks
from domain.approval.service import ApprovalService
from domain.approval.workflow import DONATIONS, MARHABA
from domain.distribution.listing import ListService
from domain.distribution.service import DistributionService
from domain.distribution.vouchers import VoucherMinter
from domain.donations.service import DonationService
from domain.errors import DomainError
from domain.geography import check_province
from domain.ids import IdentityHasher
from domain.ledger import Ledger
from domain.marhaba.service import MarhabaService
from projections import approval, completeness, delivery_index, distribution, donations, marhaba
from projections.ports import Projection
from projections.runner import Runner

# Views that commands read: always kept by the API process, straight from the store.
# (completeness: the figures an approval names and the units it waits for.)
COMMAND_PROJECTIONS: tuple[Projection, ...] = (delivery_index.PROJECTION, completeness.PROJECTION)
# Views people read: fed in-process, or by Kafka workers in the scaled-out deployment.
TOTALS_PROJECTIONS: tuple[Projection, ...] = (
    distribution.PROJECTION,
    marhaba.PROJECTION,
    donations.PROJECTION,
    approval.PROJECTION,
)


def all_projections() -> tuple[Projection, ...]:
    """Every read model of every operation: what a replay rebuilds."""
    return COMMAND_PROJECTIONS + TOTALS_PROJECTIONS


def projections_for(settings: Settings) -> tuple[Projection, ...]:
    """What the API's own runner keeps current."""
    if settings.projection_source == "kafka":
        return COMMAND_PROJECTIONS
    return COMMAND_PROJECTIONS + TOTALS_PROJECTIONS


def fed_elsewhere(settings: Settings) -> tuple[Projection, ...]:
    """Views other processes keep (Kafka workers), which the API reads and waits for."""
    return TOTALS_PROJECTIONS if settings.projection_source == "kafka" else ()


def lag_probe(settings: Settings, ledger: Ledger, views: SqlViewStore) -> LagProbe:
    """Lag of every view the API serves, and of the relay when Kafka feeds the totals."""
    names = [p.name for p in projections_for(settings) + fed_elsewhere(settings)]
    topic = settings.kafka_topic if settings.projection_source == "kafka" else None
    return LagProbe(ledger, views, names, topic)


class StoreUnavailableError(RuntimeError):
    """The database cannot be reached or prepared; the message says which and why."""


STARTUP_ERRORS = (StoreUnavailableError, SchemaTooNewError, ValueError)


@dataclass
class Container:
    settings: Settings
    engine: Engine
    ledger: Ledger
    views: SqlViewStore
    runner: Runner
    live: LiveProjections
    tokens: TokenStore
    metrics: Metrics
    distribution: DistributionService
    marhaba: MarhabaService
    donations: DonationService
    imports: Importer
    kobo: KoboWebhook
    audit: Audit
    personal: PersonalData
    lists: ListService
    list_entries: ListEntries
    approvals: ApprovalService
    positions: SqlEventPositions  # a resend's original, resolved to its ledger position

    def close(self) -> None:
        self.live.stop()
        self.audit.sealer.stop()
        self.ledger.close()
        self.engine.dispose()


def bootstrap(settings: Settings | None = None, **overrides: Any) -> Container:
    """Build the application; ``overrides`` replace settings fields (tests use this)."""
    settings = (
        (settings or Settings()).model_copy(update=overrides)
        if overrides
        else (settings or Settings())
    )
    settings.check_production()
    engine = make_engine(settings)
    ledger = _prepare(engine, settings)
    views = SqlViewStore(engine)
    checkpoints = SqlCheckpoints(engine)
    kept = projections_for(settings)
    # The totals only: as-of reads them, and the command-side indexes grow with the
    # households (copying them at every checkpoint would grow with the history squared).
    totals = [p.name for p in kept if p in TOTALS_PROJECTIONS]
    runner = Runner(
        LedgerEventSource(ledger),
        views,
        kept,
        settings.projection_batch_size,
        checkpoints,
        settings.checkpoint_every_events if totals else 0,
        totals,
    )
    remote = [p.name for p in fed_elsewhere(settings)]
    live = LiveProjections(
        runner,
        settings.projection_poll_seconds,
        remote,
        lambda wake: listen_for_appends(settings, ledger, wake),
    )
    metrics = Metrics()
    ledger.subscribe(live.on_saved)
    ledger.subscribe(metrics.count_appended)
    metrics.watch_lag(lag_probe(settings, ledger, views))
    hasher, streams = IdentityHasher(settings.identity_secret()), SqlStreamIndex(ledger)
    personal = PersonalData(engine, settings.master_key())
    service = DistributionService(
        ledger, hasher, streams, ViewDeliveryLocator(views, runner.catch_up), contacts=personal
    )
    marhaba_service = MarhabaService(ledger, hasher, streams)
    donation_service = DonationService(ledger, streams=streams)
    approvals = _approvals(ledger, views, runner, service)
    _lock_sites_and_stores(approvals, marhaba_service, donation_service)
    targets = field_targets(service, marhaba_service, donation_service)
    lists = ListService(ledger, hasher, streams, voucher_minter(settings))
    targets["enrolments"] = Target(ENROLMENTS, submit=lists.enrol, check_scope=lists.campaign)
    audit = _audit(settings, engine, ledger, views, runner, metrics)
    audit.checkpoints = checkpoints
    ledger.subscribe(audit.sealer.on_saved)
    return Container(
        settings,
        engine,
        ledger,
        views,
        runner,
        live,
        TokenStore(engine, binding_check(service, marhaba_service, donation_service)),
        metrics,
        service,
        marhaba_service,
        donation_service,
        Importer(targets),
        KoboWebhook(KoboFormStore(engine), targets),
        audit,
        personal,
        lists,
        ListEntries(engine, ledger),
        approvals,
        SqlEventPositions(ledger),
    )


def binding_check(
    distribution: DistributionService, marhaba: MarhabaService, donations: DonationService
) -> BindingCheck:
    """A token is issued only for a committee, site, province or store that exists."""

    def check(role: Role, within: str, scope: str) -> None:
        if role in (Role.COMMITTEE, Role.CHAIR):
            distribution.committee(within, scope)
        elif role in (Role.REGISTRAR, Role.COORDINATOR):
            distribution.campaign(within, to_change=False)
            check_province(scope, "province")
        elif role is Role.STOREKEEPER:
            if within != DONATIONS.operation:
                raise DomainError(
                    f"a store belongs to operation '{DONATIONS.operation}'", "operation"
                )
            donations.store(scope)
        else:
            marhaba.site(within, scope)

    return check


def kobo_pull(container: Container) -> KoboPull:
    """The Kobo pull over the webhook's recording path and the pull's own small tables."""
    return KoboPull(container.kobo, PullState(container.engine))


def _approvals(
    ledger: Ledger, views: SqlViewStore, runner: Runner, distribution: DistributionService
) -> ApprovalService:
    """Approvals, and their lock on the write paths that change approved figures."""
    approvals = ApprovalService(
        ledger,
        CompletenessUnits(views, runner.catch_up),
        CompletenessFigures(views, runner.catch_up),
    )
    distribution.gate = DeliveryGate(approvals, distribution._record_batch)
    return approvals


def _lock_sites_and_stores(
    approvals: ApprovalService, marhaba: MarhabaService, donations: DonationService
) -> None:
    """Marhaba's sites' days and donations' stores' months lock like committees' days."""
    marhaba.lock_with(PeriodLocks(approvals.ledger, MARHABA.operation))
    approvals.releasers[MARHABA.operation] = marhaba.release_held
    donations.locks = PeriodLocks(approvals.ledger, DONATIONS.operation)
    approvals.releasers[DONATIONS.operation] = donations.release_held


def field_targets(
    distribution: DistributionService, marhaba: MarhabaService, donations: DonationService
) -> dict[str, Target]:
    """Records that come in from spreadsheets and field forms, and who records each kind."""
    return {
        "deliveries": Target(
            DELIVERIES,
            submit=distribution.record_deliveries,
            correct=distribution.correct_delivery,
            check_scope=distribution.campaign,
            reverse=distribution.reverse_delivery,
        ),
        "movements": Target(
            MOVEMENTS,
            submit=marhaba.record_site_movements,
            check_scope=marhaba.operation,
            check_shared=lambda slug, shared: (
                "site" in shared and marhaba.site(slug, shared["site"])
            ),
        ),
        "donation_lines": Target(
            DONATION_LINES,
            # one intake for every gift: the scope a route or form names plays no part
            submit=lambda _scope, items, actor, mode: donations.record_in_kind_lines(
                items, actor, mode
            ),
        ),
    }


def voucher_minter(settings: Settings) -> VoucherMinter:
    """Voucher codes are keyed with a secret derived from the identity hash secret.

    A separate key (not the hash secret itself) so that a code and a household's
    hash are unrelated even to someone who holds both.
    """
    return VoucherMinter(hmac.digest(settings.identity_secret(), b"tadamon/vouchers", "sha256"))


def _audit(
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


def _prepare(engine: Engine, settings: Settings) -> Ledger:
    """Tables, ours and the event store's, made by one starting process at a time."""
    where = "the SQLite file" if settings.is_sqlite else "PostgreSQL"
    try:
        with setup_lock(engine, settings):
            with engine.begin() as conn:
                if not settings.is_sqlite:
                    conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{settings.database_schema}"'))
            metadata.create_all(engine)
            check_schema_version(engine)
            return Ledger(
                env=ledger_env(settings), write_retry_seconds=settings.write_retry_seconds
            )
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise StoreUnavailableError(
            f"cannot open {where} ({_safe_url(settings)}): {reason}"
        ) from None


def _safe_url(settings: Settings) -> str:
    if settings.is_sqlite:
        return str(settings.sqlite_path)
    head, _, tail = settings.database_url.rpartition("@")
    return f"{head.split('://')[0]}://***@{tail}" if head else settings.database_url
