"""Marhaba and donation totals as of several instants, from the events alone, on both stores."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from decimal import Decimal

from adapters.bootstrap import Container
from domain.actors import Actor
from domain.donations.cash import donation_id
from domain.donations.commands import (
    CorrectValuation,
    GiftLine,
    OpenStore,
    RecordCash,
    RecordInKind,
    RegisterDonor,
)
from domain.marhaba.commands import AdjustMovement, OpenCase
from projections import donations, marhaba
from projections.donations_report import donation_totals
from projections.marhaba_report import operation_totals
from projections.tally import Table
from tests.integration.test_donations_store import MARCH, OFFICER
from tests.integration.test_marhaba_store import season, seed
from tests.marhaba_data import SLUG, moment


def _pause() -> datetime:
    """An instant strictly between two writes (event timestamps are microseconds)."""
    time.sleep(0.01)
    instant = datetime.now(UTC)
    time.sleep(0.01)
    return instant


def _snapshot(container: Container, view: str, scope: str) -> tuple[datetime, Table, int]:
    container.runner.catch_up()
    live = container.views.table(view, scope)
    return _pause(), live, container.ledger.recorder.max_notification_id()


def _without_zeros(table: Table) -> Table:
    """A stored counter back at zero (an adjustment) reads the same as one never written."""
    return Table({k: v for k, v in table.counts.items() if v}, dict(table.labels))


def test_marhaba_totals_as_of_several_instants(container: Container, admin: Actor) -> None:
    before_anything = _pause()
    seed(container, admin)
    service, snapshots = container.marhaba, []
    for phase in range(3):
        service.record_movements(SLUG, "port-genoa", season(1 + 20 * phase, 10 + 5 * phase), admin)
        if phase == 1:
            service.adjust_movement(
                SLUG, "port-genoa", "m-3", AdjustMovement("fix-1", -20, "crew counted"), admin
            )
            service.cases.open(SLUG, "port-genoa", OpenCase("c-1", "medical", 3, moment(20)), admin)
        snapshots.append(_snapshot(container, marhaba.VIEW, SLUG))
    assert container.audit.as_of(marhaba.VIEW, SLUG, before_anything).table == Table()
    counted = []
    for instant, live_then, position in snapshots:
        replayed = container.audit.as_of(marhaba.VIEW, SLUG, instant)
        assert replayed.table == _without_zeros(live_then)
        assert replayed.position == position
        totals = operation_totals(SLUG, replayed.table)
        assert totals == operation_totals(SLUG, live_then)
        counted.append((totals["movements"], totals["people_assisted"]))
    assert counted == [(10, 0), (10 + 15, 3), (10 + 15 + 20, 3)]


def test_donation_totals_as_of_several_instants(container: Container) -> None:
    service, snapshots = container.donations, []
    before_anything = _pause()
    service.open_store(OpenStore("casa-central", "Central store", "Casablanca"), OFFICER)
    for code, kind, name in (("nestle", "company", "Nestlé"), ("mohsin-1", "individual", None)):
        service.register_donor(RegisterDonor(code, kind, name), OFFICER)
    service.record_cash(
        RecordCash("nestle", "c-1", "received", 250_000_00, "covid-fund", MARCH), OFFICER
    )
    snapshots.append(_snapshot(container, donations.VIEW, donations.ALL))
    line = GiftLine("ventilators", "medical-equipment", "ventilators", Decimal(1), "lot", None)
    gift = RecordInKind("mohsin-1", "r-4", "casa-central", MARCH, [line])
    service.record_in_kind(gift, OFFICER)
    snapshots.append(_snapshot(container, donations.VIEW, donations.ALL))
    service.correct_valuation(
        donation_id("mohsin-1", "r-4").hex,
        CorrectValuation(1, 1_576_200_00, "valued by the hospital"),
        OFFICER,
    )
    snapshots.append(_snapshot(container, donations.VIEW, donations.ALL))
    empty = container.audit.as_of(donations.VIEW, donations.ALL, before_anything)
    assert (empty.table, empty.position) == (Table(), 0)
    received = []
    for instant, live_then, position in snapshots:
        replayed = container.audit.as_of(donations.VIEW, donations.ALL, instant)
        assert replayed.table == _without_zeros(live_then)
        assert replayed.position == position
        totals = donation_totals(replayed.table)
        assert totals == donation_totals(live_then)
        received.append((totals["value_received_mad"], totals["unvalued_lines"]))
    assert received == [("250000.00", 0), ("250000.00", 1), ("1826200.00", 0)]
