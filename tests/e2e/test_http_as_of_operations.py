"""`?as_of=` on the Marhaba and donation totals over real HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from domain.actors import Role
from tests import report_2020 as report
from tests.conftest import LiveServer
from tests.e2e.test_http_donations import gift_body
from tests.e2e.test_http_marhaba import BASE, GENOA, movement, setup_operation

MARHABA = f"{BASE}/totals"
DONATIONS = "/v1/donations/totals"


@pytest.fixture
def http(live_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=30)


def _instant() -> str:
    time.sleep(0.01)
    instant = datetime.now(UTC).isoformat()
    time.sleep(0.01)
    return instant


def _replayed_equal_live(
    http: httpx.Client, url: str, headers: dict[str, str], seen: list[tuple[str, Any]]
) -> list[dict[str, Any]]:
    answers = []
    for instant, live in seen:
        then = http.get(url, params={"as_of": instant}, headers=headers)
        assert then.status_code == 200, then.text
        body = then.json()
        assert body["as_of"] is not None and live["as_of"] is None
        # Folded from the first event: a history this short holds no checkpoint yet.
        assert (body["as_of_checkpoint"], live["as_of_checkpoint"]) == (0, None)
        assert body | {"as_of": None, "as_of_checkpoint": None} == live
        answers.append(body)
    return answers


def test_marhaba_totals_as_of_several_instants(live_server: LiveServer, http: httpx.Client) -> None:
    admin = live_server.token(Role.ADMIN)
    before = _instant()
    setup_operation(http, admin)
    seen = []
    for numbers in (range(1, 3), range(3, 7), range(7, 8)):
        items = [movement(n) for n in numbers]
        sent = http.post(f"{GENOA}/movements?wait=true", json={"items": items}, headers=admin)
        assert sent.json()["recorded"] == len(items), sent.text
        instant = _instant()
        seen.append((instant, http.get(MARHABA, headers=admin).json()))
    answers = _replayed_equal_live(http, MARHABA, admin, seen)
    assert [a["arrivals"] for a in answers] == [
        sum(100 + n for n in range(1, last)) for last in (3, 7, 8)
    ]
    empty = http.get(MARHABA, params={"as_of": before}, headers=admin).json()
    assert (empty["arrivals"], empty["sites"], empty["position"]) == (0, [], 0)
    naive = http.get(MARHABA, params={"as_of": "2020-07-20T10:00:00"}, headers=admin)
    assert naive.status_code == 422 and naive.json()["fields"][0]["field"] == "as_of"


def test_donation_totals_as_of_several_instants(
    live_server: LiveServer, http: httpx.Client
) -> None:
    officer = live_server.token(Role.DONATIONS)
    store = {"code": report.STORE, "name": "Central store", "city": "Casablanca"}
    assert http.post("/v1/stores", json=store, headers=officer).status_code == 201
    appeal = {"name": "COVID-19", "declared_total_mad": "17760000", "source": "report"}
    assert http.put(f"/v1/appeals/{report.APPEAL}", json=appeal, headers=officer).status_code == 200
    seen = []
    for gift in report.GIFTS[:3]:
        donor = {"code": gift.donor, "kind": gift.kind, "name": gift.name}
        assert http.post("/v1/donors", json=donor, headers=officer).status_code == 201
        sent = http.post("/v1/donations/in-kind?wait=true", json=gift_body(gift), headers=officer)
        assert sent.status_code == 201, sent.text
        seen.append((_instant(), http.get(DONATIONS, headers=officer).json()))
    answers = _replayed_equal_live(http, DONATIONS, officer, seen)
    assert [a["in_kind_mad"] for a in answers] == ["0.00", "2000000.00", "13500000.00"]
    assert [a["unvalued_lines"] for a in answers] == [1, 1, 1]
    reconciled = http.get(
        DONATIONS, params={"as_of": seen[1][0], "appeal": report.APPEAL}, headers=officer
    ).json()["reconciliation"]
    assert (reconciled["listed_mad"], reconciled["gap_mad"], len(reconciled["lines"])) == (
        "2000000.00",
        "15760000.00",
        2,
    )
