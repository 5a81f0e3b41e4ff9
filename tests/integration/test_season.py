"""The 2020 season at 1 % through the services: totals and a full replay show the report's figures.

The published figures are written out here as printed in FACTS-2020 and scaled
by the simulator's rounding rule; the live views (what the totals endpoints
show) and a replay of every stored event from nothing must both show them
exactly, and the replay must equal the stored views row for row.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from typer.testing import CliRunner

from adapters.bootstrap import Container
from adapters.projection_set import TOTALS_PROJECTIONS
from adapters.settings import Settings
from adapters.simulator import readback
from adapters.simulator.earlier_seasons import STORE_WIDE, Seasons
from adapters.simulator.figures import scaled
from adapters.simulator.season import plan, run
from adapters.simulator.service_driver import ServiceDriver
from adapters.simulator.steps import Tally
from api.cli import app
from domain.approval.workflow import Period
from domain.clock import local_day
from domain.distribution.household import Household
from projections import completeness, distribution, donations, marhaba
from projections.completeness_report import completeness as completeness_rows
from tests import report_2020 as report

pytestmark = pytest.mark.slow

SCALE = 0.01
HOUSEHOLDS, ARRIVALS, DEPARTURES, ASSISTED = 600_000, 165_147, 192_028, 9_841
BUDGET = Decimal("85000000")


def assert_published(totals: readback.Totals) -> None:
    campaign, operation, gifts = totals.campaign, totals.operation, totals.donations
    assert campaign["households_served"] == scaled(HOUSEHOLDS, SCALE) == 6_000
    assert campaign["quota"] == campaign["target_households"] == 6_000
    assert len([p for p in campaign["provinces"] if p["quota"] > 0]) == 75
    assert campaign["kits_in_stock"] == 0
    assert 0.95 * 30_000 < campaign["people_reached"] < 1.05 * 30_000  # about 5 per household
    assert Decimal(campaign["budget_centimes"]) / 100 == BUDGET
    assert operation["arrivals"] == scaled(ARRIVALS, SCALE) == 1_651
    assert operation["departures"] == scaled(DEPARTURES, SCALE) == 1_920
    assert operation["people_assisted"] == scaled(ASSISTED, SCALE) == 98
    assert operation["sites_registered"] == 13
    assert Decimal(gifts["in_kind_mad"]) == report.DECLARED_IN_KIND
    assert gifts["reconciliation"]["balanced"] is True
    funds = {f["fund"]: f for f in gifts["funds"]}
    assert Decimal(funds["covid-19-special-fund"]["paid_out_mad"]) == report.CASH_TO_SPECIAL_FUND
    (airlift,) = gifts["shipments"]
    assert Decimal(airlift["tonnes"]) == report.BEIRUT_TONNES
    assert airlift["kinds"] == len(report.BEIRUT_FOODS) == 13


def assert_listed(tally: Tally, totals: readback.Totals) -> None:
    """Issue 14: every household listed first, then served against its committee's list."""
    assert tally.answered["enrolments"]["recorded"] == 6_000
    assert tally.answered["enrolments"]["duplicate"] > 0
    assert tally.answered["reissue_voucher"]["recorded"] > 0
    campaign = totals.campaign
    assert (campaign["admission"], campaign["listed"], campaign["listed_served"]) == (
        "listed",
        6_000,
        6_000,
    )
    assert (campaign["listed_remaining"], campaign["served_off_list"]) == (0, 0)


def stored_rows(container: Container) -> dict[tuple[str, ...], object]:
    dump = container.views.dump()
    names = {p.name for p in TOTALS_PROJECTIONS}
    rows = {("count", *k): v for k, v in dump["counts"].items() if k[0] in names}
    rows.update({("label", *k): v for k, v in dump["labels"].items() if k[0] in names})
    return rows


def replayed_rows(container: Container) -> dict[tuple[str, ...], object]:
    rows: dict[tuple[str, ...], object] = {}
    for view, delta in readback.replay(container).items():
        rows.update({("count", view, *k): v for k, v in delta.counts.items() if v})
        rows.update({("label", view, *k): v for k, v in delta.labels.items()})
    return rows


def test_the_season_reproduces_the_published_figures(container: Container) -> None:
    # Small batches, so committees resend items of their previous batch too; seed 18 is one
    # whose 1 % sample of the field's noise includes every kind of mistake.
    season = plan(SCALE, seed=18, batch_size=50)
    tally = run(season, ServiceDriver(container))

    assert tally.surprises == []
    assert tally.answered["deliveries"]["duplicate"] > 0
    assert tally.answered["deliveries"]["rejected"] > 0
    assert tally.answered["reverse_delivery"]["recorded"] > 0
    assert tally.answered["movements"]["duplicate"] > 0
    assert tally.answered["adjust_movement"]["recorded"] > 0
    assert tally.answered["adjust_movement"]["unchanged"] > 0
    assert tally.answered["open_case"]["unchanged"] > 0
    assert tally.answered["refer_case"]["unchanged"] > 0
    assert_listed(tally, readback.from_views(container))
    assert_published(readback.from_views(container))
    assert_published(readback.from_replay(container))
    assert replayed_rows(container) == stored_rows(container)
    assert all(
        figure.ok for figure in readback.figures(season.targets, readback.from_views(container))
    )
    assert_silent_days_found(container)


def assert_silent_days_found(container: Container) -> None:
    """A few committees fall silent a day: the completeness view counts what the events say."""
    table = container.views.table(completeness.VIEW, "ramadan-1441")
    rows = completeness_rows(table, "committee", Period.DAY, 1)
    by_hand: dict[str, set[object]] = {}
    delivered = (Household.KitDelivered, Household.KitDeliveredAfterReversal)  # type: ignore[attr-defined]
    for notification in container.ledger.recorder.select_notifications(start=1, limit=10**7):
        event = container.ledger.mapper.to_domain_event(notification)
        if isinstance(event, delivered):
            by_hand.setdefault(event.committee, set()).add(local_day(event.delivered_at))
    silent = sum((max(d) - min(d)).days + 1 - len(d) for d in by_hand.values())  # type: ignore[operator]
    assert silent > 0
    assert sum(r["silent"] for r in rows) == silent
    assert sum(r["expected"] for r in rows) == silent + sum(len(d) for d in by_hand.values())


def test_the_simulate_command_fills_an_empty_store_and_refuses_a_full_one(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("database_url", "database_schema", "secrets_dir", "admin_token_file"):
        monkeypatch.setenv(f"TADAMON_{name.upper()}", str(getattr(store_settings, name)))
    monkeypatch.setenv("TADAMON_HASH_SECRET", store_settings.identity_secret().decode())
    argv = ["simulate", "--season", "2020", "--scale", "0.0005", "--seed", "3"]

    first = CliRunner().invoke(app, argv)
    again = CliRunner().invoke(app, argv)

    assert first.exit_code == 0, first.output
    assert "every published figure reproduced" in first.output
    assert "replayed" in first.output  # the in-memory replay is a column of its own
    households = next(line for line in first.output.splitlines() if "households served" in line)
    assert households.split()[-3:] == ["300", "300", "300"]  # 600,000 x 0.0005, live, replayed
    assert (again.exit_code, "not empty" in again.output) == (2, True)
    assert CliRunner().invoke(app, [*argv[:2], "2019"]).exit_code == 2


def test_earlier_seasons_stand_beside_2020_each_with_its_own_figures(
    container: Container,
) -> None:
    """The scale run's seasons: each year its own campaign and operation, 2020's unchanged."""
    season = plan(0.003, seed=5)
    tally = run(Seasons(lambda: plan(0.003, seed=5), 2), ServiceDriver(container))
    assert tally.surprises == []
    container.runner.catch_up()
    for campaign, operation in (("ramadan-1441", "marhaba-2020"), ("ramadan-1440", "marhaba-2019")):
        scopes = {
            distribution.VIEW: campaign,
            marhaba.VIEW: operation,
            donations.VIEW: donations.ALL,
        }
        tables = {view: container.views.table(view, scope) for view, scope in scopes.items()}
        wrong = {
            f.name for f in readback.figures(season.targets, readback.reports(tables)) if not f.ok
        }
        # The donations totals are store-wide: they hold both years' gifts; all else is the year's.
        assert wrong == STORE_WIDE == {"in-kind gifts (MAD)", "Beirut airlift (t)"}, campaign
