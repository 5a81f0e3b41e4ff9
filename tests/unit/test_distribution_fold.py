"""The distribution fold, fed with events made by the aggregates in memory."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain.distribution.campaign import Campaign
from domain.distribution.committee import Committee
from domain.distribution.household import Household
from projections import delivery_index, distribution
from projections.distribution_report import campaign_totals
from projections.tally import Delta, table_from_delta

C = "ramadan-1441"


def history() -> list[object]:
    campaign = Campaign.launch(
        slug=C,
        name="R",
        starts_on=date(2020, 4, 25),
        ends_on=date(2020, 5, 31),
        target_households=100,
        budget_centimes=12_345,
        kit_contents=[],
        launched_by="t",
    )
    campaign.set_quota("MA-CAS", 50, "t")
    campaign.set_quota("MA-CAS", 40, "t")
    committee = Committee.register(
        campaign=C,
        code="anfa",
        name="Anfa",
        province="MA-CAS",
        region="MA-06",
        commune="Anfa",
        registered_by="t",
    )
    campaign.dispatch_kits(
        committee="anfa", province="MA-CAS", quantity=30, reference="r", dispatched_by="t"
    )
    households = [
        Household(
            campaign=C,
            household_key=f"k{n}",
            delivery_id=f"d{n}",
            committee="anfa",
            province="MA-CAS",
            region="MA-06",
            household_size=n + 1,
            delivered_at=datetime(2020, 4, 26, 23, 30, tzinfo=UTC),
            recorded_by="t",
        )
        for n in range(3)
    ]
    households[1].reverse("d1", "typo", "t")
    events: list[object] = [*campaign.collect_events(), *committee.collect_events()]
    for household in households:
        events += household.collect_events()
    return events


def fold_all(fold, events):  # type: ignore[no-untyped-def]
    delta = Delta()
    for event in events:
        delta = fold(delta, event)
    return delta


def test_totals_follow_quota_changes_dispatches_deliveries_and_reversals() -> None:
    report = campaign_totals(C, table_from_delta(fold_all(distribution.fold, history()), C))
    assert (report["quota"], report["kits_dispatched"]) == (40, 30)
    assert (report["households_served"], report["people_reached"]) == (2, 1 + 3)
    assert (report["deliveries_reversed"], report["kits_in_stock"]) == (1, 28)
    assert report["budget_centimes"] == 12_345
    assert report["regions"][0]["code"] == "MA-06"
    assert report["days"] == [{"day": "2020-04-26", "households_served": 2, "people_reached": 4}]


def test_folding_twice_in_two_halves_equals_folding_once() -> None:
    events = history()
    whole = fold_all(distribution.fold, events)
    half = fold_all(distribution.fold, events[:4])
    half.merge(fold_all(distribution.fold, events[4:]))
    assert table_from_delta(whole, C) == table_from_delta(half, C)


def test_delivery_index_maps_client_ids_to_household_streams() -> None:
    events = history()
    delta = fold_all(delivery_index.fold, events)
    household = next(e for e in events if type(e).__name__ == "KitDelivered")
    key = (C, "delivery", "d0", "household")
    assert delta.labels[key] == household.originator_id.hex  # type: ignore[attr-defined]
