"""A resend answers with its original's ledger position, never 0 (issue 17), on both stores.

Where the first write saved one aggregate's event, the resend's position is the first
answer's. Where it saved several (a delivery moves its committee's stock too), the resend
names the original event itself: the export shows that event at that position.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from domain.actors import Role
from tests import report_2020 as report
from tests.conftest import LiveServer
from tests.e2e.test_http_distribution import delivery, setup_campaign
from tests.e2e.test_http_donations import dispatch_body, gift_body, record_report_gifts
from tests.e2e.test_http_kobo import FIRST, HOOK, MAPPING, basic, submission
from tests.e2e.test_http_lists import enrol, setup
from tests.e2e.test_http_marhaba import BASE, GENOA, case, movement, setup_operation

DELIVERIES = "/v1/campaigns/ramadan-1441/deliveries"


@pytest.fixture
def http(live_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=30)


def twice(
    http: httpx.Client, url: str, body: Any, headers: dict[str, str], put: bool = False
) -> tuple[Any, Any]:
    """The first answer and an exact resend's."""
    send = http.put if put else http.post
    first = send(url, json=body, headers=headers)
    assert first.status_code in (200, 201), first.text
    again = send(url, json=body, headers=headers)
    assert again.status_code == 200, again.text
    return first.json(), again.json()


def event_at(http: httpx.Client, admin: dict[str, str], position: int) -> dict[str, Any]:
    lines = http.get("/v1/audit/events", params={"after": position - 1}, headers=admin)
    record: dict[str, Any] = json.loads(lines.text.splitlines()[0])
    assert record["position"] == position
    return record


def test_single_commands_resent_answer_the_first_position(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_operation(http, admin)
    site = live_server.token(Role.SITE, "port-genoa", "marhaba-2020")
    first, again = twice(http, f"{GENOA}/movements", {"items": [movement(1)]}, site)
    assert (again["duplicate"], again["position"]) == (1, first["position"])
    assert again["position"] > 0
    fix = {"adjustment_id": "fix-1", "delta": -10, "reason": "crew counted"}
    first, again = twice(http, f"{GENOA}/movements/GNV-1/adjustments", fix, site)
    assert (again["status"], again["position"]) == ("unchanged", first["position"])
    assert http.post(f"{GENOA}/cases", json=case(1), headers=site).status_code == 201
    referral = {"destination": "moh_hospital", "institution": "Hôpital Hassan II"}
    first, again = twice(http, f"{GENOA}/cases/c-1/referral", referral, site)
    assert (again["status"], again["position"]) == ("unchanged", first["position"])
    closure = {"reason": "season over"}
    first, again = twice(http, f"{BASE}/sites/port-genoa/closure", closure, admin)
    assert (again["status"], again["position"]) == ("unchanged", first["position"])
    officer = live_server.token(Role.DONATIONS)
    donor = {"code": "nestle", "kind": "company", "name": "Nestlé Maroc"}
    assert http.post("/v1/donors", json=donor, headers=officer).status_code == 201
    cash = {
        "donor": "nestle",
        "receipt": "c-1",
        "amount_mad": "2500.50",
        "fund": "covid-19-special-fund",
        "occurred_at": "2020-03-23T10:00:00+01:00",
    }
    first, again = twice(http, "/v1/donations/cash", cash, officer)
    assert (again["status"], again["position"]) == ("unchanged", first["position"])


def test_a_resent_delivery_reversal_and_kobo_retry_name_their_originals(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    first, again = twice(http, DELIVERIES, {"items": [delivery(1), delivery(2)]}, admin)
    assert (again["duplicate"], again["recorded"]) == (2, 0)
    assert 0 < again["position"] <= first["position"]
    record = event_at(http, admin, again["position"])
    assert record["topic"].endswith("Household.KitDelivered")
    quota = {"households": 1000}  # as setup_campaign set it: the same quota again
    again = http.put("/v1/campaigns/ramadan-1441/quotas/MA-CAS", json=quota, headers=admin).json()
    assert again["status"] == "unchanged"
    assert event_at(http, admin, again["position"])["topic"].endswith("Campaign.QuotaSet")
    stock = {"quantity": 5, "reference": "bl-2"}
    kits = "/v1/campaigns/ramadan-1441/committees/casa-anfa/stock"
    first, again = twice(http, kits, stock, admin)
    assert (again["status"], again["position"]) == ("unchanged", first["position"])
    reversal = f"{DELIVERIES}/d-1/reversal"
    first, again = twice(http, reversal, {"reason": "not handed over"}, admin)
    assert (again["status"], first["status"]) == ("unchanged", "recorded")
    assert 0 < again["position"] <= first["position"]
    assert event_at(http, admin, again["position"])["topic"].endswith("DeliveryReversed")
    secret = http.put(HOOK, json=MAPPING, headers=admin).json()["secret"]
    sent = http.post(HOOK, json=submission(FIRST), headers=basic(secret)).json()
    retry = http.post(HOOK, json=submission(FIRST), headers=basic(secret)).json()
    assert (sent["status"], retry["status"]) == ("recorded", "duplicate")
    assert 0 < retry["position"] <= sent["position"]
    assert event_at(http, admin, retry["position"])["topic"].endswith("Household.KitDelivered")


def test_gifts_dispatches_and_acknowledgements_resent(
    live_server: LiveServer, http: httpx.Client
) -> None:
    officer, admin = live_server.token(Role.DONATIONS), live_server.token(Role.ADMIN)
    ids = record_report_gifts(http, officer)
    gift = gift_body(report.GIFTS[0])
    again = http.post("/v1/donations/in-kind", json=gift, headers=officer).json()
    assert again["status"] == "unchanged"
    recorded = event_at(http, admin, again["position"])
    assert recorded["topic"].endswith("InKindDonation.InKindDonationRecorded")
    appeal = {"name": "Beirut airlift", "declared_total_mad": "1000.00", "source": "press"}
    first, again = twice(http, "/v1/appeals/beirut-2020", appeal, officer, put=True)
    assert (again["status"], again["position"]) == ("unchanged", first["position"])
    fix = {"value_mad": "1000.00", "reason": "the invoice came"}
    path = f"/v1/donations/{ids[gift['lines'][0]['item']]}/lines/1/valuation-corrections"
    first, again = twice(http, path, fix, officer)
    assert again["status"] == "unchanged"
    assert 0 < again["position"] <= first["position"]  # the gift's event, then its store's
    assert event_at(http, admin, again["position"])["topic"].endswith("ValuationCorrected")
    url = f"/v1/stores/{report.STORE}/dispatches"
    body = dispatch_body("bl-1", "chu-casa", ("ambulances", "3"))
    first, again = twice(http, url, body, officer)
    assert (again["status"], again["position"]) == ("unchanged", first["position"])
    ack = {"received_at": "2020-04-01T15:00:00+01:00", "reference": "stamp-42"}
    first, again = twice(http, f"{url}/bl-1/acknowledgement", ack, officer)
    assert (again["status"], again["position"]) == ("unchanged", first["position"])


def test_enrolments_moves_and_delistings_resent(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    setup(http, admin)
    first = enrol(http, admin, [("AB100001", "anfa", 4)]).json()
    again = enrol(http, admin, [("AB100001", "anfa", 4)]).json()
    assert again["duplicate"] == 1
    assert 0 < again["position"] <= first["position"]  # enrolled with its voucher
    assert event_at(http, admin, again["position"])["topic"].endswith("Enrolment.Enrolled")
    voucher = first["items"][0]["voucher"]
    entry = f"/v1/campaigns/ramadan-1441/vouchers/{voucher}"
    moved, again = twice(http, f"{entry}/move", {"committee": "sidi"}, admin)
    assert (again["status"], again["position"]) == ("unchanged", moved["position"])
    delisted, again = twice(http, f"{entry}/delisting", {"reason": "moved away"}, admin)
    assert (again["status"], again["position"]) == ("unchanged", delisted["position"])
