"""The distribution operation over real HTTP (uvicorn), on SQLite and PostgreSQL."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from domain.actors import Role
from tests.conftest import LiveServer

CAMPAIGN = {
    "slug": "ramadan-1441",
    "name": "Ramadan 1441",
    "starts_on": "2020-04-25",
    "ends_on": "2020-06-30",
    "target_households": 600000,
    "budget_mad": "85000000.00",
    "kit_contents": [{"item": "flour", "quantity": "10", "unit": "kg"}],
}


def delivery(
    n: int,
    committee: str = "casa-anfa",
    household: str | None = None,
    size: int = 5,
    when: str = "2020-04-26T10:00:00+01:00",
) -> dict[str, object]:
    return {
        "delivery_id": f"d-{n}",
        "committee": committee,
        "household": household or f"BK{n:06d}",
        "household_size": size,
        "delivered_at": when,
    }


def setup_campaign(http: httpx.Client, admin: dict[str, str], stock: int = 100) -> None:
    assert http.post("/v1/campaigns", json=CAMPAIGN, headers=admin).status_code == 201
    assert (
        http.put(
            "/v1/campaigns/ramadan-1441/quotas/MA-CAS", json={"households": 1000}, headers=admin
        ).status_code
        == 200
    )
    for code in ("casa-anfa", "casa-sidi"):
        body = {"code": code, "name": code.title(), "province": "MA-CAS", "commune": "Anfa"}
        assert (
            http.post("/v1/campaigns/ramadan-1441/committees", json=body, headers=admin).status_code
            == 201
        )
        assert (
            http.post(
                f"/v1/campaigns/ramadan-1441/committees/{code}/stock",
                json={"quantity": stock, "reference": "bl-1"},
                headers=admin,
            ).status_code
            == 201
        )


@pytest.fixture
def http(live_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=30)


def test_walkthrough_deliveries_totals_and_reversal(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    committee = live_server.token(Role.COMMITTEE, "casa-anfa", "ramadan-1441")
    sent = http.post(
        "/v1/campaigns/ramadan-1441/deliveries?wait=true",
        headers=committee,
        json={"items": [delivery(1), delivery(2, size=3)]},
    )
    assert sent.status_code == 200, sent.text
    body = sent.json()
    assert (body["recorded"], body["duplicate"], body["rejected"]) == (2, 0, 0)
    assert body["visible"] is True
    totals = http.get("/v1/campaigns/ramadan-1441/totals", headers=admin).json()
    assert (totals["households_served"], totals["people_reached"]) == (2, 8)
    assert totals["kits_in_stock"] == 198
    assert totals["budget_mad"] == "85000000.00"
    assert totals["provinces"][0]["code"] == "MA-CAS"
    assert totals["regions"][0]["code"] == "MA-06"
    reversal = http.post(
        "/v1/campaigns/ramadan-1441/deliveries/d-2/reversal?wait=true",
        json={"reason": "wrong household number"},
        headers=committee,
    )
    assert reversal.status_code == 201, reversal.text
    again = http.post(
        "/v1/campaigns/ramadan-1441/deliveries/d-2/reversal",
        json={"reason": "again"},
        headers=committee,
    )
    assert (again.status_code, again.json()["status"]) == (200, "unchanged")  # a resend
    totals = http.get("/v1/campaigns/ramadan-1441/totals", headers=admin).json()
    assert (totals["households_served"], totals["deliveries_reversed"]) == (1, 1)


def test_resent_batch_changes_nothing_and_names_the_original(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    batch = {"items": [delivery(1), delivery(2)]}
    first = http.post("/v1/campaigns/ramadan-1441/deliveries", json=batch, headers=admin).json()
    second = http.post("/v1/campaigns/ramadan-1441/deliveries", json=batch, headers=admin).json()
    assert first["recorded"] == 2
    assert (second["recorded"], second["duplicate"]) == (0, 2)
    assert 0 < second["position"] <= first["position"]  # the originals', not 0
    assert second["items"][0]["original"]["delivery_id"] == "d-1"


def test_one_kit_per_household_whichever_committee(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    http.post(
        "/v1/campaigns/ramadan-1441/deliveries",
        headers=admin,
        json={"items": [delivery(1, household="AA123456")]},
    )
    other = http.post(
        "/v1/campaigns/ramadan-1441/deliveries",
        headers=admin,
        json={"items": [delivery(2, committee="casa-sidi", household="aa 123456")]},
    ).json()
    item = other["items"][0]
    assert item["status"] == "rejected"
    assert "already served by delivery 'd-1'" in item["reason"]
    assert "123456" not in item["reason"]


def test_committee_token_cannot_record_for_another_committee(
    live_server: LiveServer, http: httpx.Client
) -> None:
    setup_campaign(http, live_server.token(Role.ADMIN))
    sidi = live_server.token(Role.COMMITTEE, "casa-sidi", "ramadan-1441")
    answer = http.post(
        "/v1/campaigns/ramadan-1441/deliveries",
        headers=sidi,
        json={"items": [delivery(1, committee="casa-anfa")]},
    )
    assert answer.status_code == 403
    assert answer.json()["fields"][0]["field"] == "items.0.committee"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (b'{"items": [', 400, "body"),
        ({"items": [{**delivery(1), "household_size": "five"}]}, 422, "items.0.household_size"),
        ({"items": []}, 422, "items"),
        ({"items": [delivery(i) for i in range(1001)]}, 422, "items"),
        (
            {"items": [{**delivery(1), "delivered_at": "2020-04-26T10:00:00"}]},
            422,
            "items.0.delivered_at",
        ),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(
    live_server: LiveServer, http: httpx.Client, body: object, status: int, field: str
) -> None:
    admin = live_server.token(Role.ADMIN)
    kwargs = {"content": body} if isinstance(body, bytes) else {"json": body}
    answer = http.post(
        "/v1/campaigns/ramadan-1441/deliveries",
        headers={**admin, "content-type": "application/json"},
        **kwargs,
    )  # type: ignore[arg-type]
    assert answer.status_code == status, answer.text
    assert field in [f["field"] for f in answer.json()["fields"]]


def test_household_number_never_echoed_in_errors(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    answer = http.post(
        "/v1/campaigns/ramadan-1441/deliveries",
        headers=admin,
        json={"items": [{**delivery(1), "household": "SECRET#1234"}]},
    )
    assert answer.status_code == 422
    assert "SECRET" not in answer.text


def test_unknown_province_lists_the_valid_codes(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    http.post("/v1/campaigns", json=CAMPAIGN, headers=admin)
    answer = http.put(
        "/v1/campaigns/ramadan-1441/quotas/MA-XYZ", json={"households": 5}, headers=admin
    )
    assert answer.status_code == 422
    assert "MA-CAS" in answer.json()["message"]
    assert answer.json()["fields"][0]["field"] == "province"


def test_missing_or_wrong_token_is_401_and_auditor_is_read_only(
    live_server: LiveServer, http: httpx.Client
) -> None:
    assert http.post("/v1/campaigns", json=CAMPAIGN).status_code == 401
    assert (
        http.post(
            "/v1/campaigns", json=CAMPAIGN, headers={"Authorization": "Bearer nope"}
        ).status_code
        == 401
    )
    auditor = live_server.token(Role.AUDITOR)
    assert http.post("/v1/campaigns", json=CAMPAIGN, headers=auditor).status_code == 403


def test_healthz_and_metrics(live_server: LiveServer, http: httpx.Client) -> None:
    assert http.get("/healthz").json() == {"status": "ok"}
    admin = live_server.token(Role.ADMIN)
    http.post("/v1/campaigns", json=CAMPAIGN, headers=admin)
    families = {f.name: f for f in text_string_to_metric_families(http.get("/metrics").text)}
    appended = {s.labels["type"]: s.value for s in families["tadamon_events_appended"].samples}
    # the aggregate named, not just "Launched"; a launch also starts the delivery-id keying
    assert appended == {"Campaign.Launched": 1.0, "DeliveryKeying.Started": 1.0}
    assert "tadamon_projection_lag_events" in families
    assert "tadamon_http_request_seconds" in families
