"""Ledgers written before delivery ids had streams and numbers one spelling (issue 12, 1 and 3).

The history below is saved as the earlier code saved it: a campaign without the
``keyed`` marker, household events without delivery-id claims, households keyed by
the old spelling (white space out, upper case: ``EA-000030`` kept its hyphen), and
the old defect itself, one delivery id recorded on two households.
"""

from __future__ import annotations

from datetime import date

from adapters.bootstrap import Container
from domain.actors import Actor
from domain.distribution.campaign import Campaign
from domain.distribution.commands import DispatchKits, RegisterCommittee
from domain.distribution.household import Household
from domain.outcomes import ItemStatus
from domain.spelling import legacy_spelling
from projections import distribution
from tests.integration.test_delivery_ids import deliver, kit, served
from tests.integration.test_distribution_store import START, C, replay

OLD_HISTORY = [("old-1", "EA-000030"), ("old-2", "BE 123456"), ("old-3", "H7"), ("old-3", "H8")]


def old_style_history(container: Container, admin: Actor) -> None:
    service = container.distribution
    launched = Campaign.launch(
        slug=C,
        name="R",
        starts_on=date(2020, 4, 25),
        ends_on=date(2020, 5, 31),
        target_households=1000,
        budget_centimes=100,
        kit_contents=[],
        launched_by=admin.name,
    )
    container.ledger.save(launched)  # no DeliveryKeying marker: launched before it existed
    service.set_quota(C, "MA-CAS", 500, admin)
    service.register_committee(C, RegisterCommittee("c0", "C0", "MA-CAS"), admin)
    service.dispatch_kits(C, DispatchKits("c0", 50, "bl-1"), admin)
    committee = service.committee(C, "c0")
    committee.hand_out(len(OLD_HISTORY), "old-batch")
    events = [committee]
    for delivery_id, number in OLD_HISTORY:
        key = service.hasher._hash(legacy_spelling(number))
        events.append(
            Household.first_delivery(
                Household.create_id(C, key),
                campaign=C,
                household_key=key,
                delivery_id=delivery_id,
                committee="c0",
                province="MA-CAS",
                region=committee.region,
                household_size=4,
                delivered_at=START,
                recorded_by=admin.name,
            ).event
        )
    container.ledger.save(*events)


def test_an_old_history_replays_to_the_totals_it_had(container: Container, admin: Actor) -> None:
    old_style_history(container, admin)
    container.runner.catch_up()
    live = container.views.table(distribution.VIEW, C)
    assert live == replay(container)
    assert live.value("campaign", "", "households_served") == len(OLD_HISTORY)


def test_old_ids_are_still_one_delivery_each(container: Container, admin: Actor) -> None:
    old_style_history(container, admin)
    served_before = served(container)
    # Found through the delivery index (the id has no stream): refused for another house.
    assert deliver(container, admin, kit("old-2", "ZZ999")) == [
        (ItemStatus.REJECTED, "delivery_id_reused")
    ]
    # The same delivery sent again, number typed as it was then: a duplicate.
    assert deliver(container, admin, kit("old-1", "EA-000030")) == [(ItemStatus.DUPLICATE, None)]
    assert served(container) == served_before
    assert container.distribution.reverse_delivery(C, "old-1", "mistake", admin).created
    assert served(container) == served_before - 1


def test_an_old_spelling_still_finds_its_household(container: Container, admin: Actor) -> None:
    old_style_history(container, admin)
    refused = container.distribution.record_deliveries(C, [kit("new-1", "EA-000030")], admin)
    assert (refused.items[0].status, refused.items[0].reason) == (
        ItemStatus.REJECTED,
        "household already served by delivery 'old-1'",
    )
    # A number never typed with separators before meets its other spellings from now on.
    arabic_indic = "QA-\u0660\u0660\u0661"
    assert deliver(container, admin, kit("new-2", arabic_indic)) == [(ItemStatus.RECORDED, None)]
    assert deliver(container, admin, kit("new-3", "qa 001")) == [
        (ItemStatus.REJECTED, "already_served")
    ]
