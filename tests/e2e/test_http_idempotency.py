"""Idempotency keys and household numbers over real HTTP, on SQLite and PostgreSQL (issue 12)."""

from __future__ import annotations

import httpx
import pytest

from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.test_http_distribution import delivery, setup_campaign

DELIVERIES = "/v1/campaigns/ramadan-1441/deliveries"


@pytest.fixture
def http(live_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=30)


def post(http: httpx.Client, admin: dict[str, str], *items: dict[str, object]) -> list[object]:
    answer = http.post(DELIVERIES, json={"items": list(items)}, headers=admin)
    assert answer.status_code == 200
    return [(i["status"], i["code"]) for i in answer.json()["items"]]


def served(http: httpx.Client, admin: dict[str, str]) -> int:
    totals = http.get("/v1/campaigns/ramadan-1441/totals?wait=true", headers=admin).json()
    return int(totals["households_served"])


def test_a_delivery_id_is_one_delivery_forever(live_server: LiveServer, http: httpx.Client) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    assert post(http, admin, delivery(1, household="HA000001")) == [("recorded", None)]
    # The same id, another household, in another request: refused with a code.
    assert post(http, admin, delivery(1, household="HB000002")) == [
        ("rejected", "delivery_id_reused")
    ]
    # The same id, same household, other facts: refused as well.
    assert post(http, admin, delivery(1, household="HA000001", size=9)) == [
        ("rejected", "delivery_id_reused")
    ]
    reversal = f"{DELIVERIES}/d-1/reversal"
    first = http.post(reversal, json={"reason": "not handed over"}, headers=admin)
    again = http.post(reversal, json={"reason": "not handed over"}, headers=admin)
    assert (first.status_code, first.json()["status"]) == (201, "recorded")
    assert (again.status_code, again.json()["status"]) == (200, "unchanged")
    assert 0 < again.json()["position"] <= first.json()["position"]  # the reversal's own
    resent = http.post(
        DELIVERIES, json={"items": [delivery(1, household="HA000001")]}, headers=admin
    ).json()["items"][0]
    assert (resent["status"], resent["original"]["reversed"]) == ("duplicate", True)


def test_one_number_however_typed(live_server: LiveServer, http: httpx.Client) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    assert post(http, admin, delivery(1, household="EA-000030")) == [("recorded", None)]
    for n, typed in enumerate(["EA000030", "ea.٠٠٠٠٣٠", "EA/۰۰۰۰۳۰"], start=2):
        assert post(http, admin, delivery(n, household=typed)) == [("rejected", "already_served")]
    assert served(http, admin) == 1
