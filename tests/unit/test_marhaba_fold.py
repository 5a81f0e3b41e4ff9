"""The Marhaba fold and report, in memory: totals equal the aggregates' own states."""

from __future__ import annotations

from collections import Counter
from contextlib import suppress
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.clock import local_day
from domain.errors import ConflictError
from domain.marhaba.case import AssistanceCase
from domain.marhaba.movement import Movement
from domain.marhaba.vocabulary import Category, Direction, Mode
from projections.marhaba import fold
from projections.marhaba_report import operation_totals
from projections.tally import Delta, table_from_delta
from tests.marhaba_data import BY, SITES, SLUG, operation, site

SECONDS_IN_SEASON = int(timedelta(days=62).total_seconds())
START = datetime(2020, 7, 14, 23, 0, tzinfo=UTC)  # 15 July, 00:00 in Casablanca (UTC+1)

movements = st.lists(
    st.tuples(
        st.sampled_from(sorted(SITES)),
        st.sampled_from(list(Direction)),
        st.sampled_from(list(Mode)),
        st.integers(1, 5000),
        st.integers(0, SECONDS_IN_SEASON),
        st.lists(st.integers(-3000, 3000).filter(bool), max_size=3),
    ),
    max_size=25,
)
cases = st.lists(
    st.tuples(
        st.sampled_from(sorted(SITES)),
        st.sampled_from(list(Category)),
        st.integers(1, 12),
        st.integers(0, SECONDS_IN_SEASON),
        st.booleans(),
    ),
    max_size=15,
)


def totals_of(aggregates: list[object]) -> dict[str, object]:
    delta = Delta()
    for aggregate in aggregates:
        for event in aggregate.collect_events():
            fold(delta, event)
    return operation_totals(SLUG, table_from_delta(delta, SLUG))


def build_movements(specs: list[tuple]) -> list[Movement]:
    built = []
    for n, (code, direction, mode, travellers, second, deltas) in enumerate(specs):
        m = Movement(
            operation=SLUG,
            site=code,
            reference=f"m-{n}",
            direction=direction.value,
            mode=mode.value,
            travellers=travellers,
            moved_at=START + timedelta(seconds=second),
            recorded_by=BY,
        )
        for k, delta in enumerate(deltas):
            with suppress(ConflictError):  # below zero: refused, so nothing is folded
                m.adjust(f"a-{k}", delta, "recount", BY)
        built.append(m)
    return built


def build_cases(specs: list[tuple]) -> list[AssistanceCase]:
    built = []
    for n, (code, category, people, second, closed) in enumerate(specs):
        opened_at = START + timedelta(seconds=second)
        case = AssistanceCase(
            operation=SLUG,
            site=code,
            case=f"c-{n}",
            category=category.value,
            people=people,
            opened_at=opened_at,
            traveller_key=None,
            opened_by=BY,
        )
        case.refer("moh_hospital", "", opened_at, BY)
        if closed:
            case.close("done", opened_at + timedelta(hours=2), BY)
        built.append(case)
    return built


def by(rows: list[dict[str, object]], key: str) -> dict[object, dict[str, object]]:
    return {row[key]: row for row in rows}


@settings(max_examples=60, deadline=None)
@given(movements, cases)
def test_totals_equal_the_sum_of_the_aggregates_states(m_specs: list, c_specs: list) -> None:
    op = operation()
    sites = [site(op, code) for code in sorted(SITES)]
    moves, helped = build_movements(m_specs), build_cases(c_specs)
    totals = totals_of([op, *sites, *moves, *helped])

    want: Counter[tuple[str, str, str]] = Counter()
    for m in moves:
        measure = "arrivals" if m.direction == "arrival" else "departures"
        for dimension, member in (
            ("operation", ""),
            ("site", m.site),
            ("mode", m.mode),
            ("day", local_day(m.moved_at).isoformat()),
        ):
            want[(dimension, member, measure)] += m.travellers
            assert m.travellers >= 0
    assert totals["arrivals"] == want[("operation", "", "arrivals")]
    assert totals["departures"] == want[("operation", "", "departures")]
    for dimension, rows, key in (
        ("site", totals["sites"], "code"),
        ("mode", totals["modes"], "mode"),
        ("day", totals["days"], "day"),
    ):
        for member, row in by(rows, key).items():
            for measure in ("arrivals", "departures"):
                assert row[measure] == want[(dimension, str(member), measure)] >= 0

    assert totals["people_assisted"] == sum(c.people for c in helped)
    assert totals["open_cases"] == sum(not c.closed for c in helped)
    categories = by(totals["categories"], "category")
    for category in Category:
        mine = [c for c in helped if c.category == category.value]
        row = categories[category.value]
        assert row["people_assisted"] == sum(c.people for c in mine)
        assert row["open_cases"] == sum(not c.closed for c in mine)
        assert row["referrals"] == len(mine)
    assert by(totals["destinations"], "destination")["moh_hospital"]["referrals"] == len(helped)


def test_a_late_evening_movement_counts_on_the_casablanca_day() -> None:
    op = operation()
    late = Movement(
        operation=SLUG,
        site="port-genoa",
        reference="m-1",
        direction="arrival",
        mode="sea",
        travellers=40,
        moved_at=datetime(2020, 7, 15, 23, 30, tzinfo=UTC),
        recorded_by=BY,
    )
    totals = totals_of([op, site(op), late])
    assert [row["day"] for row in totals["days"]] == ["2020-07-16"]


def test_an_adjustment_made_later_counts_on_the_movement_day_and_mode() -> None:
    op = operation()
    m = Movement(
        operation=SLUG,
        site="port-genoa",
        reference="m-1",
        direction="departure",
        mode="sea",
        travellers=300,
        moved_at=datetime(2020, 8, 2, 9, tzinfo=UTC),
        recorded_by=BY,
    )
    m.adjust("a-1", -20, "crew counted as passengers", BY)
    totals = totals_of([op, site(op), m])
    (day,) = totals["days"]
    assert (day["day"], day["departures"]) == ("2020-08-02", 280)
    modes = by(totals["modes"], "mode")
    assert (modes["sea"]["departures"], modes["sea"]["adjustments"]) == (280, 1)
    assert modes["air"]["departures"] == 0


def test_sites_and_closures_show_in_the_report() -> None:
    op = operation()
    genoa, sete = site(op, "port-genoa"), site(op, "port-sete")
    sete.close(BY, "end of season")
    op.close(BY, "season over")
    totals = totals_of([op, genoa, sete])
    assert (totals["sites_registered"], totals["sites_closed"]) == (2, 1)
    rows = by(totals["sites"], "code")
    assert rows["port-sete"]["closed_at"] is not None and rows["port-genoa"]["closed_at"] is None
    assert rows["port-genoa"]["country"] == "IT" and rows["port-sete"]["kind"] == "port"
    assert totals["closed_at"] is not None and totals["name"] == "Marhaba 2020"
