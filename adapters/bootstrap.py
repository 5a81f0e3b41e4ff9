"""The composition root: builds every part from one Settings, and nothing else does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from adapters.audit.assembly import build_audit
from adapters.audit.service import Audit
from adapters.checkpoints import SqlCheckpoints
from adapters.database import make_engine
from adapters.kobo.forms import KoboFormStore
from adapters.kobo.pull import KoboPull
from adapters.kobo.pull_state import PullState
from adapters.kobo.webhook import KoboWebhook
from adapters.lists import ListEntries
from adapters.live import LiveProjections
from adapters.metrics import Metrics
from adapters.personal import PersonalData
from adapters.positions import SqlEventPositions
from adapters.prepare import prepare_ledger
from adapters.projection_set import TOTALS_PROJECTIONS, fed_elsewhere, lag_probe, projections_for
from adapters.settings import Settings
from adapters.spreadsheets.enrolment import ENROLMENTS
from adapters.spreadsheets.importer import Importer
from adapters.spreadsheets.kinds import Target
from adapters.store import LedgerEventSource, SqlStreamIndex
from adapters.tokens import TokenStore
from adapters.views import SqlViewStore, ViewDeliveryLocator
from adapters.wakeup import listen_for_appends
from adapters.wiring import (
    approvals_over,
    binding_check,
    field_targets,
    lock_sites_and_stores,
    voucher_minter,
)
from domain.approval.service import ApprovalService
from domain.distribution.listing import ListService
from domain.distribution.service import DistributionService
from domain.donations.service import DonationService
from domain.ids import IdentityHasher
from domain.ledger import Ledger
from domain.marhaba.service import MarhabaService
from projections.runner import Runner


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
    ledger = prepare_ledger(engine, settings)
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
    approvals = approvals_over(ledger, views, runner, service)
    lock_sites_and_stores(approvals, marhaba_service, donation_service)
    targets = field_targets(service, marhaba_service, donation_service)
    lists = ListService(ledger, hasher, streams, voucher_minter(settings))
    targets["enrolments"] = Target(ENROLMENTS, submit=lists.enrol, check_scope=lists.campaign)
    audit = build_audit(settings, engine, ledger, views, runner, metrics)
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


def kobo_pull(container: Container) -> KoboPull:
    """The Kobo pull over the webhook's recording path and the pull's own small tables."""
    return KoboPull(container.kobo, PullState(container.engine))
