"""The series the board's charts draw, from the totals endpoints, on SQLite and PostgreSQL:
people served per region and day, gifts dispatched per month (issue 17)."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from domain.actors import Role
from tests import report_2020 as report
from tests.conftest import LiveServer
from tests.e2e.test_http_distribution import delivery, setup_campaign
from tests.e2e.test_http_donations import dispatch_body, record_report_gifts

C = "/v1/campaigns/ramadan-1441"


@pytest.fixture
def http(live_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=30)


def test_served_by_region_and_day_sums_to_the_days_and_regions(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    assert http.put(f"{C}/quotas/MA-RAB", json={"households": 10}, headers=admin).is_success
    rabat = {"code": "rabat-agdal", "name": "Agdal", "province": "MA-RAB", "commune": "Agdal"}
    assert http.post(f"{C}/committees", json=rabat, headers=admin).status_code == 201
    stock = {"quantity": 10, "reference": "bl-2"}
    assert http.post(f"{C}/committees/rabat-agdal/stock", json=stock, headers=admin).is_success
    items = [
        delivery(1, size=5),
        delivery(2, size=3, when="2020-04-27T23:30:00+01:00"),  # still the 27th in Casablanca
        delivery(3, committee="rabat-agdal", size=6),
        delivery(4, committee="rabat-agdal", size=2, when="2020-04-27T09:00:00+01:00"),
    ]
    answer = http.post(f"{C}/deliveries", json={"items": items}, headers=admin)
    assert answer.json()["recorded"] == 4, answer.text
    undo = http.post(f"{C}/deliveries/d-4/reversal?wait=true", json={"reason": "x"}, headers=admin)
    assert undo.status_code == 201, undo.text
    totals = http.get(f"{C}/totals", headers=admin).json()
    rows = {(r["region"], r["day"]): (r["households_served"], r["people_reached"])
            for r in totals["region_days"]}  # fmt: skip
    assert rows == {
        ("MA-06", "2020-04-26"): (1, 5),
        ("MA-06", "2020-04-27"): (1, 3),
        ("MA-04", "2020-04-26"): (1, 6),  # and none left on the 27th: served, then reversed
    }
    for day in totals["days"]:
        same_day = [v for (_, d), v in rows.items() if d == day["day"]]
        assert sum(h for h, _ in same_day) == day["households_served"]
        assert sum(p for _, p in same_day) == day["people_reached"]
    for region in totals["regions"]:
        in_region = [h for (r, _), (h, _) in rows.items() if r == region["code"]]
        assert sum(in_region) == region["households_served"]


def test_gifts_dispatched_per_month_at_their_value_when_they_left(
    live_server: LiveServer, http: httpx.Client
) -> None:
    officer = live_server.token(Role.DONATIONS)
    record_report_gifts(http, officer)
    url = f"/v1/stores/{report.STORE}/dispatches"
    april = dispatch_body("bl-1", "chu-casa", ("ambulances", "3"))
    may = dispatch_body("bl-2", "chu-rabat", ("ambulances", "2"))
    may["dispatched_at"] = "2020-05-12T10:00:00+00:00"
    sent = [http.post(url, json=body, headers=officer).json() for body in (april, may)]
    totals = http.get(
        "/v1/donations/totals", params={"min_position": sent[-1]["position"]}, headers=officer
    ).json()
    months = {m["month"]: m for m in totals["months"]}
    assert (months["2020-04"]["dispatches"], months["2020-05"]["dispatches"]) == (1, 1)
    assert [months[m]["value_at_dispatch_mad"] for m in ("2020-04", "2020-05")] == [
        s["detail"]["value_mad"] for s in sent
    ]
    assert months["2020-03"]["dispatches"] == 0  # the gifts' month: received, nothing left
    assert sum(Decimal(m["value_at_dispatch_mad"]) for m in months.values()) == Decimal(
        totals["value_at_dispatch_mad"]
    )
