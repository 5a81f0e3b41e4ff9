"""Campaign invariants, in memory."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.distribution.campaign import Campaign
from domain.errors import ConflictError, DomainError, UnknownPlaceError


def launch(target: int = 100) -> Campaign:
    return Campaign.launch(
        slug="ramadan-1441",
        name="Ramadan 1441",
        starts_on=date(2020, 4, 25),
        ends_on=date(2020, 5, 31),
        target_households=target,
        budget_centimes=8_500_000_000,
        kit_contents=[],
        launched_by="t",
    )


def test_launch_checks_dates_target_and_slug() -> None:
    with pytest.raises(DomainError) as dates:
        Campaign.launch(
            slug="c1",
            name="c",
            starts_on=date(2020, 5, 2),
            ends_on=date(2020, 5, 1),
            target_households=1,
            budget_centimes=0,
            kit_contents=[],
            launched_by="t",
        )
    assert dates.value.field == "ends_on"
    with pytest.raises(DomainError) as slug:
        Campaign.launch(
            slug="Bad Slug",
            name="c",
            starts_on=date(2020, 5, 1),
            ends_on=date(2020, 5, 1),
            target_households=1,
            budget_centimes=0,
            kit_contents=[],
            launched_by="t",
        )
    assert slug.value.field == "slug"


def test_quotas_cannot_exceed_the_target() -> None:
    campaign = launch(target=100)
    campaign.set_quota("MA-CAS", 60, "t")
    campaign.set_quota("MA-RAB", 40, "t")
    with pytest.raises(ConflictError):
        campaign.set_quota("MA-FES", 1, "t")
    campaign.set_quota("MA-CAS", 50, "t")  # lowering one frees room for another
    campaign.set_quota("MA-FES", 10, "t")
    assert sum(campaign.quotas.values()) == 100


def test_unknown_province_is_refused_with_the_valid_codes() -> None:
    with pytest.raises(UnknownPlaceError) as error:
        launch().set_quota("MA-XXX", 5, "t")
    assert "MA-CAS" in error.value.reason and error.value.field == "province"


def test_dispatches_to_a_province_cannot_exceed_its_quota() -> None:
    campaign = launch()
    campaign.set_quota("MA-CAS", 10, "t")
    assert campaign.dispatch_kits(
        committee="a", province="MA-CAS", quantity=6, reference="r1", dispatched_by="t"
    )
    with pytest.raises(ConflictError) as error:
        campaign.dispatch_kits(
            committee="b", province="MA-CAS", quantity=5, reference="r2", dispatched_by="t"
        )
    assert error.value.field == "quantity"
    with pytest.raises(ConflictError):
        campaign.set_quota("MA-CAS", 5, "t")  # below what is already dispatched


def test_a_resent_dispatch_reference_counts_once() -> None:
    campaign = launch()
    campaign.set_quota("MA-CAS", 10, "t")
    assert campaign.dispatch_kits(
        committee="a", province="MA-CAS", quantity=3, reference="bl-7", dispatched_by="t"
    )
    assert not campaign.dispatch_kits(
        committee="a", province="MA-CAS", quantity=3, reference="bl-7", dispatched_by="t"
    )
    assert campaign.kits_dispatched_to("a") == 3


def test_no_delivery_outside_dates_or_after_closure() -> None:
    campaign = launch()
    # Morocco runs on UTC+0 during Ramadan 2020, so local midnight is 00:00 UTC here.
    campaign.check_delivery_day(datetime(2020, 4, 25, 0, 30, tzinfo=UTC), "at")
    with pytest.raises(DomainError):
        campaign.check_delivery_day(datetime(2020, 4, 24, 23, 30, tzinfo=UTC), "at")
    with pytest.raises(DomainError):
        campaign.check_delivery_day(datetime(2020, 6, 1, 9, 0, tzinfo=UTC), "at")
    campaign.close("t", "done")
    with pytest.raises(ConflictError):
        campaign.check_delivery_day(datetime(2020, 5, 1, 9, 0, tzinfo=UTC), "at")
    with pytest.raises(ConflictError):
        campaign.close("t", "twice")


def test_events_are_only_ever_appended() -> None:
    campaign = launch()
    campaign.set_quota("MA-CAS", 10, "t")
    campaign.set_quota("MA-CAS", 20, "t")
    names = [type(e).__name__ for e in campaign.collect_events()]
    assert names == ["Launched", "QuotaSet", "QuotaSet"]
