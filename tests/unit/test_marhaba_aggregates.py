"""Marhaba aggregates and the movement batch decision, in memory."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from domain.errors import ConflictError, DomainError
from domain.marhaba.batch import MovementBatch
from domain.marhaba.case import AssistanceCase
from domain.marhaba.commands import RecordMovement
from domain.marhaba.movement import Movement
from domain.marhaba.operation import Operation
from domain.outcomes import ItemResult, ItemStatus
from tests.marhaba_data import BY, NOW, SLUG, moment, movement, operation, site


def test_operation_refuses_reversed_dates_and_bad_slug() -> None:
    with pytest.raises(DomainError) as caught:
        Operation.launch(
            slug=SLUG,
            name="x",
            starts_on=date(2020, 9, 1),
            ends_on=date(2020, 8, 1),
            launched_by=BY,
        )
    assert caught.value.field == "ends_on"
    with pytest.raises(DomainError) as caught:
        Operation.launch(
            slug="Marhaba 2020",
            name="x",
            starts_on=date(2020, 9, 1),
            ends_on=date(2020, 9, 2),
            launched_by=BY,
        )
    assert caught.value.field == "slug"


def test_site_takes_the_operation_dates_unless_given_within_them() -> None:
    op = operation()
    genoa = site(op)
    assert (genoa.opens_on, genoa.closes_on) == (op.starts_on, op.ends_on)
    late = site(op, opens_on=date(2020, 8, 1))
    assert late.opens_on == date(2020, 8, 1)
    for field, day in (
        ("opens_on", op.starts_on - timedelta(days=1)),
        ("closes_on", op.ends_on + timedelta(days=1)),
    ):
        with pytest.raises(DomainError) as caught:
            site(op, **{field: day})
        assert caught.value.field == field


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "train-station"}, "kind"),
        ({"kind": "abroad", "country": "MA"}, "country"),
        ({"country": "Italy"}, "country"),
        ({"name": "  "}, "name"),
        ({"city": ""}, "city"),
    ],
)
def test_site_registration_refusals_name_the_field(changes: dict[str, str], field: str) -> None:
    with pytest.raises(DomainError) as caught:
        site(operation(), **changes)
    assert caught.value.field == field


def test_bad_kind_lists_the_valid_ones() -> None:
    with pytest.raises(DomainError) as caught:
        site(operation(), kind="train")
    assert "land_border" in caught.value.reason


def test_closed_site_refuses_recording_and_closes_once() -> None:
    genoa = site(operation())
    genoa.check_recording(moment(16), "moved_at")
    genoa.close(BY, "end of season")
    with pytest.raises(ConflictError) as caught:
        genoa.check_recording(moment(16), "moved_at")
    assert caught.value.field == "site"
    with pytest.raises(ConflictError):
        genoa.close(BY, "again")


def test_site_refuses_days_outside_its_own_window() -> None:
    genoa = site(operation(), opens_on=date(2020, 8, 1))
    with pytest.raises(DomainError) as caught:
        genoa.check_recording(moment(31), "moved_at")
    assert caught.value.field == "moved_at"
    assert "2020-07-31" in caught.value.reason


def recorded(travellers: int = 10) -> Movement:
    return Movement(
        operation=SLUG,
        site="port-genoa",
        reference="m-1",
        direction="arrival",
        mode="sea",
        travellers=travellers,
        moved_at=moment(16),
        recorded_by=BY,
    )


def test_adjustment_cannot_drive_a_movement_below_zero() -> None:
    m = recorded(10)
    assert m.adjust("a-1", -4, "double counted crew", BY)
    with pytest.raises(ConflictError) as caught:
        m.adjust("a-2", -7, "too many", BY)
    assert caught.value.field == "delta"
    assert m.adjust("a-3", -6, "flight cancelled", BY)
    assert m.travellers == 0


def test_adjustment_is_idempotent_by_its_id() -> None:
    m = recorded(10)
    assert m.adjust("a-1", 5, "late boarding", BY) is True
    assert m.adjust("a-1", 5, "late boarding", BY) is False
    assert m.travellers == 15
    with pytest.raises(ConflictError) as caught:
        m.adjust("a-1", 6, "late boarding", BY)
    assert caught.value.field == "adjustment_id"


@pytest.mark.parametrize(("delta", "reason", "field"), [(0, "x", "delta"), (3, " ", "reason")])
def test_adjustment_needs_a_delta_and_a_reason(delta: int, reason: str, field: str) -> None:
    with pytest.raises(DomainError) as caught:
        recorded().adjust("a-1", delta, reason, BY)
    assert caught.value.field == field


def test_adjusted_event_carries_what_the_fold_needs() -> None:
    m = recorded(10)
    m.adjust("a-1", -3, "crew counted", BY)
    adjusted = m.collect_events()[-1]
    assert (adjusted.moved_day, adjusted.direction, adjusted.mode) == (
        "2020-07-16",
        "arrival",
        "sea",
    )


def a_case() -> AssistanceCase:
    return AssistanceCase(
        operation=SLUG,
        site="port-genoa",
        case="c-1",
        category="medical",
        people=3,
        opened_at=moment(16),
        traveller_key=None,
        opened_by=BY,
    )


def test_a_case_is_closed_once() -> None:
    case = a_case()
    case.close("treated", moment(17), BY)
    with pytest.raises(ConflictError) as caught:
        case.close("treated", moment(17), BY)
    assert caught.value.field == "case"
    with pytest.raises(ConflictError):
        case.refer("moh_hospital", "", moment(18), BY)


def test_the_same_referral_counts_once_and_not_before_opening() -> None:
    case = a_case()
    assert case.refer("moh_hospital", "CHU Ibn Rochd", moment(16, hour=11), BY)
    assert not case.refer("moh_hospital", "CHU Ibn Rochd", moment(16, hour=12), BY)
    assert case.refer("consulate", "", moment(16, hour=12), BY)
    with pytest.raises(DomainError) as caught:
        case.refer("other", "", moment(15), BY)
    assert caught.value.field == "referred_at"
    with pytest.raises(DomainError) as caught:
        case.close("done", moment(15), BY)
    assert caught.value.field == "closed_at"


def decide(batch: MovementBatch, *items: RecordMovement) -> list[ItemResult]:
    results = []
    for index, item in enumerate(items):
        mid = Movement.create_id(SLUG, batch.site.code, item.reference)
        results.append(batch.decide(index, item, mid))
    return results


def a_batch(known: dict[UUID, Movement] | None = None, **site_changes: object) -> MovementBatch:
    op = operation()
    return MovementBatch(op, site(op, **site_changes), known or {}, NOW, BY)


def test_batch_counts_a_movement_repeated_inside_it_once() -> None:
    batch = a_batch()
    first, again, other = decide(batch, movement(1), movement(1), movement(1, travellers=99))
    assert (first.status, again.status) == (ItemStatus.RECORDED, ItemStatus.DUPLICATE)
    assert again.original is not None and again.original["travellers"] == 100
    # The same reference with other facts is not a resend: it is refused, with a code.
    assert (other.status, other.code, other.field) == (
        ItemStatus.REJECTED,
        "reference_reused",
        "items.2.reference",
    )
    assert len(batch.changed_aggregates()) == 1


def test_batch_names_the_stored_original_of_a_duplicate() -> None:
    stored = recorded(42)
    batch = a_batch({stored.id: stored})
    (result, other) = decide(batch, movement(1, travellers=42), movement(1, travellers=7))
    assert (other.status, other.code) == (ItemStatus.REJECTED, "reference_reused")
    assert result.status is ItemStatus.DUPLICATE
    assert result.original == stored.summary()
    assert result.original["moved_at"] == moment(16).isoformat()
    assert batch.changed_aggregates() == []


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (movement(1, travellers=0), "items.0.travellers"),
        (movement(1, direction="sideways"), "items.0.direction"),
        (movement(1, mode="rail"), "items.0.mode"),
        (movement(1, at=moment(14)), "items.0.moved_at"),
        (movement(1, at=moment(16, month=9)), "items.0.moved_at"),
        (movement(1, at=NOW + timedelta(hours=1)), "items.0.moved_at"),
    ],
)
def test_batch_rejects_an_item_naming_its_field(item: RecordMovement, field: str) -> None:
    (result,) = decide(a_batch(), item)
    assert (result.status, result.field) == (ItemStatus.REJECTED, field)


def test_batch_rejects_recording_at_a_closed_site_or_operation() -> None:
    batch = a_batch()
    batch.site.close(BY, "end")
    stored = recorded()
    batch.known = {stored.id: stored}
    duplicate, fresh = decide(batch, movement(1, travellers=10), movement(2))
    assert duplicate.status is ItemStatus.DUPLICATE
    assert (fresh.status, fresh.field) == (ItemStatus.REJECTED, "items.1.site")
    other = a_batch()
    other.operation.close(BY, "end")
    (result,) = decide(other, movement(3))
    assert result.field == "items.0.operation"
