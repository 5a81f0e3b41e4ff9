"""The store aggregate in memory: stock, first-in-first-out dispatch, revaluation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.donations.commands import DispatchGoods, DispatchLine
from domain.donations.store import Store
from domain.errors import ConflictError, DomainError, NotFoundError

WHEN = datetime(2020, 4, 1, 9, tzinfo=UTC)


def line(
    number: int, item: str, quantity: str, value: int | None, unit: str = "piece"
) -> dict[str, Any]:
    return {
        "line": number,
        "item": item,
        "category": "protective-equipment",
        "description": item,
        "quantity": quantity,
        "unit": unit,
        "value_centimes": value,
    }


def store_with(*gifts: tuple[str, list[dict[str, Any]]]) -> Store:
    store = Store.open(code="casa", name="Central", city="Casablanca", opened_by="o")
    for donation, lines in gifts:
        store.receive(donation=donation, donor="d", lines=lines)
    return store


def dispatch(
    store: Store, ref: str, recipient: str, *lines: tuple[str, str], at: datetime = WHEN
) -> bool:
    return store.dispatch(
        DispatchGoods(
            dispatch=ref,
            recipient=recipient,
            recipient_kind="hospital",
            recipient_name=recipient.title(),
            dispatched_at=at,
            lines=[DispatchLine(item, Decimal(q)) for item, q in lines],
        ),
        "officer",
    )


def last_event(store: Store) -> Any:
    return store.collect_events()[-1]


def test_dispatch_draws_first_in_first_out_and_values_each_portion() -> None:
    store = store_with(
        ("g1", [line(1, "masks", "100", 1000)]), ("g2", [line(1, "masks", "50", None)])
    )
    assert dispatch(store, "bl-1", "chu-ibn-rochd", ("masks", "120"))
    event = last_event(store)
    portions = event.lines[0]["portions"]
    assert [(p["donation"], p["quantity"], p["value_centimes"]) for p in portions] == [
        ("g1", "100", 1000),
        ("g2", "20", None),
    ]
    assert event.value_centimes == 1000
    assert event.lines[0]["unvalued"] is True
    assert store.on_hand("masks") == 30_000


def test_never_dispatch_more_than_the_store_holds() -> None:
    store = store_with(("g1", [line(1, "masks", "100", 1000)]))
    assert dispatch(store, "bl-1", "a-hospital", ("masks", "60"))
    versions = store.version
    with pytest.raises(ConflictError) as caught:
        dispatch(store, "bl-2", "b-hospital", ("masks", "40.001"))
    assert caught.value.field == "lines.0.quantity"
    assert "holds 40 piece of 'masks'" in caught.value.reason
    assert store.version == versions  # a refusal records nothing
    assert dispatch(store, "bl-3", "b-hospital", ("masks", "40"))
    assert store.on_hand("masks") == 0
    with pytest.raises(ConflictError):
        dispatch(store, "bl-4", "b-hospital", ("masks", "0.001"))


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ((("gloves", "1"),), "lines.0.item"),
        ((("masks", "1"), ("masks", "2")), "lines.1.item"),
        ((("masks", "0"),), "lines.0.quantity"),
        ((), "lines"),
    ],
)
def test_bad_dispatch_lines_name_their_field(
    lines: tuple[tuple[str, str], ...], field: str
) -> None:
    store = store_with(("g1", [line(1, "masks", "100", 1000)]))
    with pytest.raises(DomainError) as caught:
        dispatch(store, "bl-1", "a-hospital", *lines)
    assert caught.value.field == field


def test_a_resent_dispatch_counts_once_and_a_reused_number_is_refused() -> None:
    store = store_with(("g1", [line(1, "masks", "100", 1000)]))
    assert dispatch(store, "bl-1", "a-hospital", ("masks", "10"))
    assert not dispatch(store, "bl-1", "a-hospital", ("masks", "10"))
    assert store.on_hand("masks") == 90_000
    with pytest.raises(ConflictError) as caught:
        dispatch(store, "bl-1", "a-hospital", ("masks", "11"))
    assert caught.value.field == "dispatch"


def test_an_item_keeps_one_unit_per_store() -> None:
    store = store_with(("g1", [line(1, "masks", "100", 1000)]))
    with pytest.raises(ConflictError) as caught:
        store.receive(donation="g2", donor="d", lines=[line(1, "masks", "2", None, unit="box")])
    assert caught.value.field == "lines.0.unit"


def test_revaluation_restates_what_each_recipient_got_and_what_is_on_hand() -> None:
    store = store_with(("g1", [line(1, "endoscope", "3", 6194807500, unit="unit")]))
    dispatch(store, "bl-1", "a-hospital", ("endoscope", "1"))
    dispatch(store, "bl-2", "b-hospital", ("endoscope", "1"))
    store.revalue(donation="g1", line=1, value_centimes=61948075, by="officer")
    event = last_event(store)
    shares = {r["recipient"]: (r["before"], r["after"]) for r in event.recipients}
    assert shares == {
        "a-hospital": (2064935833, 20649358),
        "b-hospital": (2064935834, 20649359),
    }
    assert (event.on_hand_before, event.on_hand_after) == (2064935833, 20649358)
    assert sum(after for _, after in shares.values()) + event.on_hand_after == 61948075


def test_valuing_an_unvalued_lot_reports_unknown_before() -> None:
    store = store_with(("g1", [line(1, "masks", "80000", None)]))
    dispatch(store, "bl-1", "elderly-home", ("masks", "30000"))
    store.revalue(donation="g1", line=1, value_centimes=31731925, by="officer")
    event = last_event(store)
    assert event.previous_centimes is None and event.on_hand_before is None
    assert event.recipients == [
        {"recipient": "elderly-home", "quantity": "30000", "before": None, "after": 11899472}
    ]
    assert event.on_hand_quantity == "50000"
    assert event.on_hand_after + 11899472 == 31731925


@settings(max_examples=60, deadline=None)
@given(
    quantities=st.lists(st.integers(min_value=1, max_value=500), min_size=1, max_size=8),
    first=st.integers(min_value=0, max_value=10**12),
    second=st.integers(min_value=0, max_value=10**12),
)
def test_portions_and_stock_always_add_up_to_the_lot_value(
    quantities: list[int], first: int, second: int
) -> None:
    total = sum(quantities) + 7
    store = store_with(("g1", [line(1, "kits", str(total), first)]))
    values = []
    for n, quantity in enumerate(quantities):
        dispatch(store, f"bl-{n}", f"r-{n % 3}", ("kits", str(quantity)))
        values.append(last_event(store).value_centimes)
    lot = store.lots["g1/1"]
    assert sum(values) + lot.on_hand_value(first) == first
    store.revalue(donation="g1", line=1, value_centimes=second, by="o")
    event = last_event(store)
    assert sum(r["before"] for r in event.recipients) == sum(values)
    assert sum(r["after"] for r in event.recipients) + event.on_hand_after == second


def test_acknowledgement_rules() -> None:
    store = store_with(("g1", [line(1, "masks", "100", 1000)]))
    dispatch(store, "bl-1", "a-hospital", ("masks", "10"))
    ack = {"received_at": WHEN + timedelta(hours=3), "reference": "stamp-7", "note": "", "by": "o"}
    with pytest.raises(NotFoundError):
        store.acknowledge(dispatch="bl-9", **ack)  # type: ignore[arg-type]
    with pytest.raises(DomainError) as caught:
        store.acknowledge(**{**ack, "dispatch": "bl-1", "received_at": WHEN - timedelta(days=1)})  # type: ignore[arg-type]
    assert caught.value.field == "received_at"
    assert store.acknowledge(dispatch="bl-1", **ack)  # type: ignore[arg-type]
    assert last_event(store).recipient == "a-hospital"
    assert not store.acknowledge(dispatch="bl-1", **ack)  # type: ignore[arg-type]
    with pytest.raises(ConflictError):
        store.acknowledge(**{**ack, "dispatch": "bl-1", "reference": "other"})  # type: ignore[arg-type]


def test_a_copied_store_shares_no_state_with_the_cached_one() -> None:
    import copy

    store = store_with(("g1", [line(1, "masks", "100", 1000)]))
    dispatch(store, "bl-1", "a-hospital", ("masks", "10"))
    copied = copy.deepcopy(store)
    dispatch(copied, "bl-2", "b-hospital", ("masks", "20"))
    assert store.on_hand("masks") == 90_000
    assert store.lots["g1/1"].allocations == [("a-hospital", 10_000)]
    assert copied.on_hand("masks") == 70_000
