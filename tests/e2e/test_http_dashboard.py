"""What the dashboard reads over HTTP: the page, its files, campaigns and the activity feed."""

from __future__ import annotations

import re

import httpx
import pytest

from api.routers.dashboard import STATIC_DIR
from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.test_http_distribution import CAMPAIGN, delivery, setup_campaign
from tests.e2e.test_http_marhaba import GENOA, setup_operation
from tests.leaks import said
from tests.marhaba_data import OPERATION


@pytest.fixture
def http(live_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=30)


# Addresses that appear in served files without ever being fetched.
NAMED_NOT_LOADED = {
    "http://www.w3.org/2000/svg",  # an SVG's XML namespace name
    "http://en.wikipedia.org/wiki/Bresenham",  # a comment in vendored jsQR
    "http://www.apache.org/licenses/",  # jsQR's licence text
    "http://www.apache.org/licenses/LICENSE-2.0",
}


def test_page_and_its_files_come_from_this_server_only(http: httpx.Client) -> None:
    page = http.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sorted(assets) == [
        "/static/board_charts.js",
        "/static/charts.css",
        "/static/charts.js",
        "/static/dashboard.css",
        "/static/dashboard.js",
        "/static/i18n.js",
        "data:,",
    ]
    for asset in (a for a in assets if a.startswith("/static/")):
        assert http.get(asset).status_code == 200
    for path in sorted(p for p in STATIC_DIR.rglob("*") if p.is_file()):
        text = path.read_text()
        named = re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s\"')]*", text)
        assert [url for url in named if url not in NAMED_NOT_LOADED] == [], path.name
        assert "@import" not in text and "@font-face" not in text


def test_activity_feed_has_codes_and_counts_but_no_personal_data(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    http.post(
        "/v1/campaigns/ramadan-1441/deliveries?wait=true",
        json={"items": [delivery(1, household="BE777777", size=6)]},
        headers=admin,
    )
    http.post(
        "/v1/campaigns/ramadan-1441/deliveries/d-1/reversal",
        json={"reason": "card BE777777 was mistyped"},
        headers=admin,
    )
    auditor = live_server.token(Role.AUDITOR)
    feed = http.get("/v1/activity?limit=3", headers=auditor).json()
    assert [i["type"] for i in feed["items"]] == [
        "Committee.KitReturned",
        "Household.DeliveryReversed",
        "Household.KitDelivered",
    ]
    assert feed["head"] == feed["items"][0]["position"]
    assert feed["items"][2]["details"] == {
        "campaign": "ramadan-1441",
        "committee": "casa-anfa",
        "province": "MA-CAS",
        "region": "MA-06",
        "household_size": 6,
    }
    text = said(http.get("/v1/activity?limit=200", headers=auditor))
    assert "777777" not in text and "mistyped" not in text and "admin#" not in text
    assert http.get("/v1/activity").status_code == 401
    assert http.get("/v1/activity?limit=0", headers=auditor).status_code == 422


def test_campaign_list_for_the_picker(live_server: LiveServer, http: httpx.Client) -> None:
    admin = live_server.token(Role.ADMIN)
    assert http.get("/v1/campaigns", headers=admin).json() == []
    http.post("/v1/campaigns?wait=true", json=CAMPAIGN, headers=admin)
    older = CAMPAIGN | {"slug": "ramadan-1440", "starts_on": "2019-05-06", "ends_on": "2019-06-04"}
    http.post("/v1/campaigns?wait=true", json=older | {"name": "Ramadan 1440"}, headers=admin)
    found = http.get("/v1/campaigns", headers=live_server.token(Role.AUDITOR)).json()
    assert [(c["slug"], c["name"], c["starts_on"]) for c in found] == [
        ("ramadan-1441", "Ramadan 1441", "2020-04-25"),
        ("ramadan-1440", "Ramadan 1440", "2019-05-06"),
    ]


def test_operation_list_for_the_picker(live_server: LiveServer, http: httpx.Client) -> None:
    admin = live_server.token(Role.ADMIN)
    assert http.get("/v1/operations", headers=admin).json() == []
    setup_operation(http, admin)
    older = OPERATION | {"slug": "marhaba-2019", "name": "Marhaba 2019"}
    older |= {"starts_on": "2019-06-05", "ends_on": "2019-09-15"}
    assert http.post("/v1/operations?wait=true", json=older, headers=admin).status_code == 201
    found = http.get("/v1/operations", headers=live_server.token(Role.AUDITOR)).json()
    assert [(o["slug"], o["name"], o["starts_on"]) for o in found] == [
        ("marhaba-2020", "Marhaba 2020", "2020-07-15"),
        ("marhaba-2019", "Marhaba 2019", "2019-06-05"),
    ]
    assert http.get("/v1/operations").status_code == 401


def test_activity_feed_of_marhaba_and_donations_names_no_one(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_operation(http, admin)
    case = {"case_id": "c-1", "category": "covid", "people": 3, "traveller": "PASSPORT-XK99",
            "opened_at": "2020-07-20T09:00:00+01:00"}  # fmt: skip
    assert http.post(f"{GENOA}/cases", json=case, headers=admin).status_code == 201
    donor = {"code": "benefactor-ahmed", "kind": "individual"}
    assert http.post("/v1/donors", json=donor, headers=admin).status_code == 201
    cash = {"donor": "benefactor-ahmed", "receipt": "r-77", "direction": "received",
            "amount_mad": "1576200.00", "fund": "covid-fund",
            "occurred_at": "2020-03-23T10:00:00+01:00"}  # fmt: skip
    assert http.post("/v1/donations/cash?wait=true", json=cash, headers=admin).status_code == 201
    feed = http.get("/v1/activity?limit=3", headers=live_server.token(Role.AUDITOR)).json()
    assert [(i["type"], i["details"]) for i in feed["items"]] == [
        (
            "CashDonation.CashDonationRecorded",
            {"fund": "covid-fund", "direction": "received", "amount_centimes": 157620000},
        ),
        ("Donor.DonorRegistered", {"donor_kind": "individual"}),
        (
            "AssistanceCase.Opened",
            {"operation": "marhaba-2020", "site": "port-genoa", "category": "covid", "people": 3},
        ),
    ]
    text = said(http.get("/v1/activity?limit=200", headers=admin))
    assert "ahmed" not in text and "XK99" not in text and "r-77" not in text
