"""A refusal's stable code, in a single command's error body as in a batch item's answer
(issue 17), on SQLite and PostgreSQL: clients act on the code, never on the English."""

from __future__ import annotations

import httpx
import pytest

from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.test_http_lists import C, enrol, kit, setup


@pytest.fixture
def http(live_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=30)


def test_single_commands_and_batch_items_name_the_same_codes(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    setup(http, admin)
    (entry,) = enrol(http, admin, [("AB100001", "anfa", 4)]).json()["items"]
    moved = http.post(f"{C}/vouchers/{entry['voucher']}/move", json={"committee": "anfa"},
                      headers=admin)  # fmt: skip
    assert moved.status_code == 200  # already there: unchanged, no error
    reissued = http.post(f"{C}/vouchers/{entry['voucher']}/reissue", json={"reason": "lost"},
                         headers=admin).json()  # fmt: skip
    old = http.post(f"{C}/vouchers/{entry['voucher']}/delisting", json={"reason": "x"},
                    headers=admin)  # fmt: skip
    assert (old.status_code, old.json()["code"]) == (422, "revoked_voucher")
    assert old.json()["fields"][0]["field"] == "voucher"
    unknown = http.post(f"{C}/vouchers/2222222222A/delisting", json={"reason": "x"},
                        headers=admin)  # fmt: skip
    assert (unknown.status_code, unknown.json()["error"]) == (422, "rejected")
    assert unknown.json()["code"] == "unknown_voucher"
    items = [kit(1, "sidi", voucher=reissued["voucher"]), kit(2, "anfa", household="ZZ999999"),
             kit(3, "anfa", voucher=entry["voucher"])]  # fmt: skip
    batch = http.post(f"{C}/deliveries", json={"items": items}, headers=admin).json()
    assert [(i["status"], i["code"]) for i in batch["items"]] == [
        ("rejected", "listed_elsewhere"),
        ("rejected", "not_on_list"),
        ("rejected", "revoked_voucher"),
    ]
    invalid = http.post(f"{C}/deliveries", json={"items": "none"}, headers=admin)
    assert (invalid.status_code, invalid.json()["code"]) == (422, None)  # no domain reason


def test_a_kit_too_many_and_a_second_kit_are_coded(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    campaign = {"slug": "c-open", "name": "Open", "starts_on": "2020-04-25",
                "ends_on": "2020-06-30", "target_households": 10, "budget_mad": "0"}  # fmt: skip
    assert http.post("/v1/campaigns", json=campaign, headers=admin).status_code == 201
    base = "/v1/campaigns/c-open"
    assert http.put(f"{base}/quotas/MA-CAS", json={"households": 9}, headers=admin).is_success
    body = {"code": "anfa", "name": "Anfa", "province": "MA-CAS"}
    assert http.post(f"{base}/committees", json=body, headers=admin).status_code == 201
    stock = {"quantity": 1, "reference": "bl-1"}
    assert http.post(f"{base}/committees/anfa/stock", json=stock, headers=admin).is_success
    items = [kit(1, "anfa", household="AB000001"), kit(2, "anfa", household="AB000001"),
             kit(3, "anfa", household="AB000003")]  # fmt: skip
    batch = http.post(f"{base}/deliveries", json={"items": items}, headers=admin).json()
    assert [(i["status"], i["code"]) for i in batch["items"]] == [
        ("recorded", None),
        ("rejected", "already_served"),
        ("rejected", "no_stock"),
    ]
    assert batch["items"][1]["original"]["delivery_id"] == "d-1"


def test_the_error_schema_documents_the_code(http: httpx.Client) -> None:
    schema = http.get("/openapi.json").json()["components"]["schemas"]["ErrorPublic"]
    assert "code" in schema["properties"] and "code" not in schema.get("required", [])
