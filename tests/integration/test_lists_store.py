"""Household lists and vouchers on both stores: every rule of issue 14's domain."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from adapters.bootstrap import Container
from domain.actors import Actor, ForbiddenError, Role
from domain.distribution.commands import (
    DispatchKits,
    LaunchCampaign,
    RecordDelivery,
    RegisterCommittee,
)
from domain.distribution.enrolling import EnrolHousehold
from domain.errors import DomainError
from domain.outcomes import BatchMode, ItemStatus

C = "ramadan-1441"
WHEN = datetime(2020, 4, 26, 9, 0, tzinfo=UTC)


def prepare(container: Container, admin: Actor, admission: str = "listed", slug: str = C) -> None:
    service = container.distribution
    service.launch_campaign(
        LaunchCampaign(slug, "R", date(2020, 4, 25), date(2020, 5, 31), 1000, 0, [], admission),
        admin,
    )
    service.set_quota(slug, "MA-CAS", 500, admin)
    service.set_quota(slug, "MA-RAB", 500, admin)
    for code, province in (("c1", "MA-CAS"), ("c2", "MA-CAS"), ("r1", "MA-RAB")):
        service.register_committee(slug, RegisterCommittee(code, code.upper(), province), admin)
        service.dispatch_kits(slug, DispatchKits(code, 50, "bl"), admin)


def enrol(container: Container, actor: Actor, *rows: tuple[str, str, int], slug: str = C):
    items = [EnrolHousehold(h, committee, size) for h, committee, size in rows]
    return container.lists.enrol(slug, items, actor)


def deliver(container: Container, actor: Actor, *items: RecordDelivery, slug: str = C):
    return container.distribution.record_deliveries(slug, list(items), actor).items


def kit(delivery: str, committee: str, household: str = "", **extra: object) -> RecordDelivery:
    return RecordDelivery(delivery, committee, household, 4, WHEN, **extra)  # type: ignore[arg-type]


def answers(results) -> list[tuple[str, str | None]]:
    return [(r.status.value, r.reason) for r in results]


def test_enrolment_answers_per_item_and_a_resend_changes_nothing(
    container: Container, admin: Actor
) -> None:
    prepare(container, admin)
    first = enrol(container, admin, ("AB123", "c1", 4), ("CD456", "c2", 2), ("EF789", "zz", 3))
    assert [r.status for r in first.items] == [
        ItemStatus.RECORDED,
        ItemStatus.RECORDED,
        ItemStatus.REJECTED,
    ]
    assert first.items[2].field == "items.2.committee"
    codes = [r.item_id for r in first.items[:2]]
    assert len(set(codes)) == 2 and all(len(c) == 10 for c in codes)
    head = container.ledger.recorder.max_notification_id()
    again = enrol(container, admin, ("ab 123", "c1", 4), ("CD456", "r1", 2))
    assert answers(again.items) == [
        ("duplicate", "already recorded"),
        ("rejected", "listed_elsewhere: already on the list of committee 'c2'; move it instead"),
    ]
    assert again.items[0].original == {"committee": "c1", "voucher": codes[0]}
    assert container.ledger.recorder.max_notification_id() == head


def test_dry_run_saves_nothing(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    head = container.ledger.recorder.max_notification_id()
    outcome = container.lists.enrol(C, [EnrolHousehold("AB123", "c1", 4)], admin, BatchMode.DRY_RUN)
    assert (outcome.items[0].status, outcome.committed) == (ItemStatus.RECORDED, False)
    assert container.ledger.recorder.max_notification_id() == head


def test_a_listed_campaign_delivers_only_to_its_lists(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    enrol(container, admin, ("AB123", "c1", 4), ("CD456", "c2", 2))
    results = deliver(
        container,
        admin,
        kit("d1", "c1", "AB123"),
        kit("d2", "c1", "ZZ999"),
        kit("d3", "c1", "CD456"),
    )
    assert answers(results) == [
        ("recorded", None),
        ("rejected", "not_on_list: this household is on no list"),
        ("rejected", "listed_elsewhere: on the list of committee 'c2'"),
    ]
    assert [r.field for r in results[1:]] == ["items.1.household", "items.2.committee"]


def test_an_open_campaign_serves_anyone(container: Container, admin: Actor) -> None:
    prepare(container, admin, "open")
    assert answers(deliver(container, admin, kit("d1", "c1", "ZZ999"))) == [("recorded", None)]


def test_only_an_admin_delivers_outside_the_list(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    token = container.tokens.create(Role.COMMITTEE, "c1", within=C).actor
    refused = deliver(container, token, kit("d1", "c1", "ZZ999", off_list_reason="on appeal"))
    assert answers(refused) == [("rejected", "only an admin may deliver outside the list")]
    allowed = deliver(container, admin, kit("d1", "c1", "ZZ999", off_list_reason="on appeal"))
    assert answers(allowed) == [("recorded", None)]


def test_delivery_by_voucher_and_its_refusals(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    prepare(container, admin, slug="other")
    code = enrol(container, admin, ("AB123", "c1", 4)).items[0].item_id
    foreign = enrol(container, admin, ("AB123", "c1", 4), slug="other").items[0].item_id
    spoken = f"{code[:5].lower()}-{code[5:]}"
    bad_check = code[:9] + ("0" if code[9] != "0" else "1")
    results = deliver(
        container,
        admin,
        kit("d1", "c1", voucher=spoken),
        kit("d2", "c1", voucher=foreign),
        kit("d3", "c1", voucher=bad_check),
    )
    assert answers(results) == [
        ("recorded", None),
        ("rejected", "voucher_of_another_campaign: this voucher belongs to 'other'"),
        ("rejected", "unknown_voucher: the check character does not match"),
    ]
    again = deliver(container, admin, kit("d9", "c1", "AB123"))
    assert answers(again) == [("rejected", "household already served by delivery 'd1'")]


def test_a_reissued_voucher_revokes_the_old_one(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    old = enrol(container, admin, ("AB123", "c1", 4)).items[0].item_id
    _, new = container.lists.reissue(C, old, "card lost", admin)
    assert new != old
    results = deliver(container, admin, kit("d1", "c1", voucher=old), kit("d2", "c1", voucher=new))
    assert answers(results) == [
        ("rejected", "revoked_voucher: this voucher was revoked and reissued"),
        ("recorded", None),
    ]


def test_moved_and_delisted_households(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    a, b = (
        r.item_id for r in enrol(container, admin, ("AB1234", "c1", 4), ("CD456", "c1", 2)).items
    )
    assert container.lists.move(C, a, "c2", admin).created
    assert not container.lists.move(C, a, "c2", admin).created
    assert container.lists.delist(C, b, "moved abroad", admin).created
    results = deliver(container, admin, kit("d1", "c1", "AB1234"), kit("d2", "c1", "CD456"))
    assert answers(results) == [
        ("rejected", "listed_elsewhere: on the list of committee 'c2'"),
        ("rejected", "not_on_list: this household is on no list"),
    ]


def test_a_registrar_enrols_only_in_its_province(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    registrar = container.tokens.create(Role.REGISTRAR, "MA-CAS", within=C).actor
    assert enrol(container, registrar, ("AB123", "c1", 4)).items[0].status is ItemStatus.RECORDED
    with pytest.raises(ForbiddenError) as refused:
        enrol(container, registrar, ("CD456", "r1", 4))
    assert refused.value.field == "items.0.committee"
    committee = container.tokens.create(Role.COMMITTEE, "c1", within=C).actor
    with pytest.raises(ForbiddenError):
        enrol(container, committee, ("CD456", "c1", 4))


def test_a_reversal_puts_the_entry_back_unserved(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    code = enrol(container, admin, ("AB123", "c1", 4)).items[0].item_id
    deliver(container, admin, kit("d1", "c1", voucher=code))
    with pytest.raises(DomainError):
        container.lists.delist(C, code, "served already", admin)
    container.distribution.reverse_delivery(C, "d1", "wrong house", admin)
    assert container.lists.delist(C, code, "moved abroad", admin).created


def test_totals_count_listed_served_remaining_and_off_list(
    container: Container, admin: Actor
) -> None:
    """Per committee, province, region and campaign, and as of a moment before the deliveries."""
    from projections.distribution import VIEW
    from projections.distribution_report import campaign_totals

    prepare(container, admin)
    rows = [("AB1", "c1", 4), ("AB2", "c1", 2), ("AB3", "c2", 3), ("AB4", "r1", 1)]
    codes = [r.item_id for r in enrol(container, admin, *rows).items]
    container.runner.catch_up()
    before = datetime.now(UTC)
    container.lists.move(C, codes[1], "c2", admin)
    deliver(
        container,
        admin,
        kit("d1", "c1", "AB1"),
        kit("d2", "c2", voucher=codes[2]),
        kit("d3", "r1", "ZZ9", off_list_reason="appeal"),
    )
    container.runner.catch_up()
    report = campaign_totals(C, container.views.table(VIEW, C))
    keys = ("listed", "listed_served", "listed_remaining", "served_off_list")
    assert [report[k] for k in keys] == [4, 2, 2, 1]
    committees = {c["code"]: [c[k] for k in keys] for c in report["committee_totals"]}
    assert committees == {"c1": [1, 1, 0, 0], "c2": [2, 1, 1, 0], "r1": [1, 0, 1, 1]}
    provinces = {p["code"]: [p[k] for k in keys] for p in report["provinces"]}
    assert provinces == {"MA-CAS": [3, 2, 1, 0], "MA-RAB": [1, 0, 1, 1]}
    assert report["admission"] == "listed"
    earlier = container.audit.as_of(VIEW, C, before)
    then = campaign_totals(C, earlier.table)
    assert [then[k] for k in keys] == [4, 0, 4, 0]


def test_a_reversed_off_list_delivery_no_longer_counts(container: Container, admin: Actor) -> None:
    from projections.distribution import VIEW

    prepare(container, admin)
    deliver(container, admin, kit("d1", "c1", "ZZ9", off_list_reason="appeal"))
    container.distribution.reverse_delivery(C, "d1", "wrong house", admin)
    container.runner.catch_up()
    table = container.views.table(VIEW, C)
    assert table.value("committee", "c1", "served_off_list") == 0
    assert table.value("campaign", "", "households_served") == 0
