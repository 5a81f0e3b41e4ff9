"""Marhaba over real HTTP (uvicorn), on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from domain.actors import Role
from tests.conftest import LiveServer
from tests.leaks import said
from tests.marhaba_data import OPERATION, SITES

BASE = "/v1/operations/marhaba-2020"
GENOA = f"{BASE}/sites/port-genoa"


def movement(n: int, **changes: Any) -> dict[str, Any]:
    return {
        "reference": f"GNV-{n}",
        "direction": "arrival",
        "mode": "sea",
        "travellers": 100 + n,
        "moved_at": "2020-07-20T08:00:00+02:00",
        **changes,
    }


def case(n: int, **changes: Any) -> dict[str, Any]:
    return {
        "case_id": f"c-{n}",
        "category": "medical",
        "people": 2,
        "opened_at": "2020-07-20T09:00:00+01:00",
        **changes,
    }


def setup_operation(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    assert http.post("/v1/operations", json=OPERATION, headers=admin_headers).status_code == 201
    for code, details in SITES.items():
        answer = http.post(f"{BASE}/sites", json={"code": code, **details}, headers=admin_headers)
        assert answer.status_code == 201, answer.text


@pytest.fixture
def http(live_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=30)


@pytest.fixture
def admin_headers(live_server: LiveServer, http: httpx.Client) -> dict[str, str]:
    token = live_server.token(Role.ADMIN)
    setup_operation(http, token)
    return token


def test_walkthrough_movements_cases_and_totals(
    live_server: LiveServer, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    genoa = live_server.token(Role.SITE, "port-genoa", "marhaba-2020")
    items = [
        movement(1),
        movement(2, direction="departure", moved_at="2020-07-20T23:30:00+00:00"),
        movement(3, mode="road"),
    ]
    sent = http.post(f"{GENOA}/movements?wait=true", json={"items": items}, headers=genoa)
    assert sent.status_code == 200, sent.text
    body = sent.json()
    assert (body["recorded"], body["duplicate"], body["rejected"], body["visible"]) == (
        3,
        0,
        0,
        True,
    )
    adjusted = http.post(
        f"{GENOA}/movements/GNV-1/adjustments",
        json={"adjustment_id": "fix-1", "delta": -10, "reason": "crew counted"},
        headers=genoa,
    )
    assert adjusted.status_code == 201, adjusted.text
    for n, category, people in ((1, "covid", 3), (2, "social", 1)):
        opened = http.post(
            f"{GENOA}/cases", json=case(n, category=category, people=people), headers=genoa
        )
        assert opened.status_code == 201, opened.text
    referral = {"destination": "moh_hospital", "institution": "Hôpital Hassan II"}
    assert http.post(f"{GENOA}/cases/c-1/referral", json=referral, headers=genoa).status_code == 201
    closed = http.post(f"{GENOA}/cases/c-2/closure?wait=true", json={}, headers=genoa)
    assert closed.status_code == 201 and closed.json()["visible"] is True

    auditor = live_server.token(Role.AUDITOR)
    totals = http.get(f"{BASE}/totals", headers=auditor).json()
    want_arrivals = items[0]["travellers"] - 10 + items[2]["travellers"]
    assert (totals["arrivals"], totals["departures"]) == (want_arrivals, items[1]["travellers"])
    assert (totals["people_assisted"], totals["cases_opened"], totals["open_cases"]) == (4, 2, 1)
    assert totals["position"] >= closed.json()["position"]
    days = {row["day"]: row for row in totals["days"]}
    assert days["2020-07-21"]["departures"] == items[1]["travellers"]  # 00:30 in Casablanca
    modes = {row["mode"]: row for row in totals["modes"]}
    assert modes["road"]["arrivals"] == items[2]["travellers"] and modes["air"]["arrivals"] == 0
    categories = {row["category"]: row for row in totals["categories"]}
    assert (categories["covid"]["open_cases"], categories["covid"]["referrals"]) == (1, 1)
    sites = {row["code"]: row for row in totals["sites"]}
    assert sites["port-genoa"]["arrivals"] == want_arrivals
    assert sites["port-sete"]["arrivals"] == 0 and sites["port-sete"]["country"] == "FR"
    shown = http.get(BASE, headers=auditor).json()
    assert [s["code"] for s in shown["sites"]] == list(SITES)


def test_resent_movements_count_once_and_name_the_original(
    live_server: LiveServer, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    genoa = live_server.token(Role.SITE, "port-genoa", "marhaba-2020")
    batch = {"items": [movement(1), movement(2)]}
    first = http.post(f"{GENOA}/movements", json=batch, headers=genoa).json()
    resend = {"items": [movement(1), movement(2), movement(3), movement(1, travellers=999)]}
    second = http.post(f"{GENOA}/movements?wait=true", json=resend, headers=genoa).json()
    assert first["recorded"] == 2
    assert (second["recorded"], second["duplicate"], second["rejected"]) == (1, 2, 1)
    reused = second["items"][3]
    assert (reused["status"], reused["code"], reused["field"]) == (
        "rejected",
        "reference_reused",
        "items.3.reference",
    )
    original = second["items"][0]["original"]
    assert (original["travellers"], original["direction"]) == (101, "arrival")
    assert original["moved_at"] == "2020-07-20T06:00:00+00:00"
    again = http.post(f"{GENOA}/movements", json=batch, headers=genoa).json()
    assert (again["duplicate"], again["position"], again["visible"]) == (2, first["position"], True)
    totals = http.get(f"{BASE}/totals?min_position={second['position']}", headers=genoa).json()
    assert totals["movements"] == 3
    assert totals["arrivals"] == sum(
        m["travellers"] for m in (movement(1), movement(2), movement(3))
    )


def test_a_site_token_is_refused_at_another_site(
    live_server: LiveServer, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    sete = live_server.token(Role.SITE, "port-sete", "marhaba-2020")
    for path, body in (
        (f"{GENOA}/movements", {"items": [movement(1)]}),
        (f"{GENOA}/cases", case(1)),
        (f"{GENOA}/movements/GNV-1/adjustments", {"adjustment_id": "a", "delta": 1, "reason": "x"}),
    ):
        answer = http.post(path, json=body, headers=sete)
        assert answer.status_code == 403, answer.text
        assert answer.json()["fields"][0]["field"] == "site"
    assert http.post(f"{GENOA}/closure", json={}, headers=sete).status_code == 403


def test_auditor_and_site_tokens_cannot_run_the_operation(
    live_server: LiveServer, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    auditor = live_server.token(Role.AUDITOR)
    genoa = live_server.token(Role.SITE, "port-genoa", "marhaba-2020")
    assert (
        http.post(f"{GENOA}/movements", json={"items": [movement(1)]}, headers=auditor).status_code
        == 403
    )
    assert http.post("/v1/operations", json=OPERATION, headers=genoa).status_code == 403
    assert http.post(f"{BASE}/closure", json={}, headers=genoa).status_code == 403
    assert http.get(f"{BASE}/totals", headers=auditor).status_code == 200
    assert http.get(f"{BASE}/totals").status_code == 401


def test_no_recording_at_a_closed_site_or_after_the_operation_closes(
    live_server: LiveServer, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    http.post(f"{GENOA}/cases", json=case(1), headers=admin_headers)
    assert (
        http.post(f"{GENOA}/closure", json={"reason": "end"}, headers=admin_headers).status_code
        == 201
    )
    assert http.post(f"{GENOA}/closure", json={}, headers=admin_headers).status_code == 409
    late = http.post(
        f"{GENOA}/movements", json={"items": [movement(1)]}, headers=admin_headers
    ).json()
    assert (late["rejected"], late["items"][0]["field"]) == (1, "items.0.site")
    refused = http.post(f"{GENOA}/cases", json=case(2), headers=admin_headers)
    assert refused.status_code == 409 and refused.json()["fields"][0]["field"] == "site"
    assert (
        http.post(f"{GENOA}/cases/c-1/closure", json={}, headers=admin_headers).status_code == 201
    )
    assert http.post(f"{BASE}/closure", json={}, headers=admin_headers).status_code == 201
    sete = f"{BASE}/sites/port-sete/movements"
    after = http.post(sete, json={"items": [movement(1)]}, headers=admin_headers).json()
    assert after["items"][0]["field"] == "items.0.operation"
    assert http.get(BASE, headers=admin_headers).json()["closed"] is True


def test_a_case_is_closed_once_and_adjustments_stay_above_zero(
    live_server: LiveServer, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    http.post(f"{GENOA}/cases", json=case(1), headers=admin_headers)
    assert (
        http.post(f"{GENOA}/cases/c-1/closure", json={}, headers=admin_headers).status_code == 201
    )
    again = http.post(f"{GENOA}/cases/c-1/closure", json={}, headers=admin_headers)
    assert (again.status_code, again.json()["status"]) == (200, "unchanged")  # a resend
    other = {"reason": "transferred"}
    clash = http.post(f"{GENOA}/cases/c-1/closure", json=other, headers=admin_headers)
    assert clash.status_code == 409 and clash.json()["fields"][0]["field"] == "case"
    http.post(
        f"{GENOA}/movements", json={"items": [movement(1, travellers=5)]}, headers=admin_headers
    )
    fix = {"adjustment_id": "a-1", "delta": -5, "reason": "flight cancelled"}
    assert (
        http.post(
            f"{GENOA}/movements/GNV-1/adjustments", json=fix, headers=admin_headers
        ).status_code
        == 201
    )
    assert (
        http.post(
            f"{GENOA}/movements/GNV-1/adjustments", json=fix, headers=admin_headers
        ).status_code
        == 200
    )
    below = {"adjustment_id": "a-2", "delta": -1, "reason": "again"}
    refused = http.post(f"{GENOA}/movements/GNV-1/adjustments", json=below, headers=admin_headers)
    assert refused.status_code == 409 and refused.json()["fields"][0]["field"] == "delta"
    missing = http.post(f"{GENOA}/movements/GNV-9/adjustments", json=below, headers=admin_headers)
    assert missing.status_code == 404 and missing.json()["fields"][0]["field"] == "movement"


@pytest.mark.parametrize(
    ("path", "body", "status", "field"),
    [
        ("/movements", b'{"items": [', 400, "body"),
        ("/movements", {"items": []}, 422, "items"),
        ("/movements", {"items": [movement(i) for i in range(1001)]}, 422, "items"),
        ("/movements", {"items": [movement(1, travellers=0)]}, 422, "items.0.travellers"),
        ("/movements", {"items": [movement(1, direction="sideways")]}, 422, "items.0.direction"),
        ("/movements", {"items": [movement(1, mode="rail")]}, 422, "items.0.mode"),
        (
            "/movements",
            {"items": [movement(1, moved_at="2020-07-20T08:00")]},
            422,
            "items.0.moved_at",
        ),
        ("/movements", {"items": [{**movement(1), "extra": 1}]}, 422, "items.0.extra"),
        ("/cases", case(1, people=0), 422, "people"),
        ("/cases", case(1, category="tourism"), 422, "category"),
        ("/cases", case(1, traveller="<script>"), 422, "traveller"),
        ("/cases", case(1, opened_at="2020-10-01T09:00:00+01:00"), 422, "opened_at"),
        ("/cases/c-404/referral", {"destination": "moh_hospital"}, 404, "case"),
        ("/cases/c-404/referral", {"destination": "the moon"}, 422, "destination"),
        (
            "/movements/GNV-1/adjustments",
            {"adjustment_id": "a", "delta": 0, "reason": "x"},
            404,
            "movement",
        ),
        ("/movements/GNV-1/adjustments", {"adjustment_id": "a", "delta": 1}, 422, "reason"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(
    live_server: LiveServer,
    http: httpx.Client,
    admin_headers: dict[str, str],
    path: str,
    body: object,
    status: int,
    field: str,
) -> None:
    kwargs = {"content": body} if isinstance(body, bytes) else {"json": body}
    answer = http.post(
        GENOA + path, headers={**admin_headers, "content-type": "application/json"}, **kwargs
    )
    assert answer.status_code == status, answer.text
    assert field in [f["field"] for f in answer.json()["fields"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "x-1", "name": "X", "kind": "train", "city": "Oujda", "country": "MA"}, "kind"),
        ({"code": "x-1", "name": "X", "kind": "port", "city": "Oujda", "country": "XX"}, "country"),
        (
            {"code": "x-1", "name": "X", "kind": "abroad", "city": "Oujda", "country": "ma"},
            "country",
        ),
        ({"code": "X 1", "name": "X", "kind": "port", "city": "Oujda", "country": "MA"}, "code"),
        (
            {
                "code": "x-1",
                "name": "X",
                "kind": "port",
                "city": "Tanger",
                "country": "MA",
                "opens_on": "2020-07-01",
            },
            "opens_on",
        ),
    ],
)
def test_bad_sites_are_refused_naming_the_field(
    live_server: LiveServer,
    http: httpx.Client,
    admin_headers: dict[str, str],
    body: object,
    field: str,
) -> None:
    answer = http.post(f"{BASE}/sites", json=body, headers=admin_headers)
    assert answer.status_code == 422, answer.text
    assert field in [f["field"] for f in answer.json()["fields"]]


def test_zero_delta_is_refused_naming_the_field(
    live_server: LiveServer, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    http.post(f"{GENOA}/movements", json={"items": [movement(1)]}, headers=admin_headers)
    zero = {"adjustment_id": "a", "delta": 0, "reason": "nothing"}
    answer = http.post(f"{GENOA}/movements/GNV-1/adjustments", json=zero, headers=admin_headers)
    assert answer.status_code == 422 and answer.json()["fields"][0]["field"] == "delta"


def test_traveller_numbers_are_never_echoed(
    live_server: LiveServer, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    bad = http.post(f"{GENOA}/cases", json=case(1, traveller="SECRET#4471"), headers=admin_headers)
    assert bad.status_code == 422 and "SECRET" not in said(bad) and "4471" not in said(bad)
    good = http.post(f"{GENOA}/cases", json=case(2, traveller="ZK 552190"), headers=admin_headers)
    assert good.status_code == 201
    other = http.post(
        f"{GENOA}/cases", json=case(2, traveller="ZK 552191", people=3), headers=admin_headers
    )
    assert other.status_code == 409 and "55219" not in said(other)


def test_unknown_operation_or_site_is_a_404_naming_it(
    live_server: LiveServer, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    nowhere = http.get("/v1/operations/marhaba-1999/totals", headers=admin_headers)
    assert nowhere.status_code == 404 and nowhere.json()["fields"][0]["field"] == "operation"
    ghost = http.post(
        f"{BASE}/sites/ghost/movements", json={"items": [movement(1)]}, headers=admin_headers
    )
    assert ghost.status_code == 404 and ghost.json()["fields"][0]["field"] == "site"
