"""Approvals over HTTP on both stores: figures say whether and where they are approved."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime

import httpx

from domain.actors import Role
from domain.distribution.commands import RecordDelivery
from tests.conftest import LiveServer
from tests.integration.test_approvals_sites_store import DAY as SITE_DAY
from tests.integration.test_approvals_sites_store import (
    MONTH,
    OFFICER,
    gift,
    seed_donations,
    seed_marhaba,
)
from tests.marhaba_data import SLUG, movement
from tests.workload import ADMIN, CAMPAIGN, launch

DAY = "2020-04-26"
MORNING = datetime(2020, 4, 26, 9, tzinfo=UTC)
SIZES = {"casa-anfa": [2, 3], "rabat-agdal": [4]}
A = f"/v1/approvals/distribution/{CAMPAIGN}"


def _deliver(server: LiveServer) -> None:
    items = [
        RecordDelivery(f"h-{code}-{n}", code, f"HT{i:03d}{n:04d}", size, MORNING)
        for i, (code, sizes) in enumerate(SIZES.items())
        for n, size in enumerate(sizes)
    ]
    server.container.distribution.record_deliveries(CAMPAIGN, items, ADMIN)


def _instant() -> str:
    time.sleep(0.01)  # the next event is recorded strictly after this instant
    moment = datetime.now(UTC).isoformat()
    time.sleep(0.01)
    return moment


def test_figures_and_approvals_now_and_as_of(live_server: LiveServer) -> None:
    launch(live_server.container)
    _deliver(live_server)
    chair = live_server.token(Role.CHAIR, "casa-anfa", CAMPAIGN)
    coordinator = live_server.token(Role.COORDINATOR, "MA-CAS", CAMPAIGN)
    auditor = live_server.token(Role.AUDITOR)
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        before = _instant()
        first = http.post(f"{A}/committee/casa-anfa/{DAY}", headers=chair)
        assert first.status_code == 201, first.text
        between = _instant()
        second = http.post(f"{A}/province/MA-CAS/{DAY}?wait=true", headers=coordinator)
        assert second.status_code == 201, second.text
        again = http.post(f"{A}/province/MA-CAS/{DAY}", headers=coordinator)
        assert (again.status_code, again.json()["status"]) == (200, "unchanged")
        now = http.get(f"{A}/figures", params={"min_position": second.json()["position"]},
                       headers=auditor).json()  # fmt: skip
        past = http.get(A, params={"as_of": between}, headers=auditor).json()
        earliest = http.get(A, params={"as_of": before}, headers=auditor).json()
        hxl = http.get(f"{A}/figures.csv", params={"hxl": "1"}, headers=auditor)
        listed = http.get(A, headers=live_server.token(Role.COMMITTEE, "casa-anfa", CAMPAIGN))
    by_unit = {(r["level"], r["unit"]): r for r in now}
    casa = sum(SIZES["casa-anfa"])
    assert by_unit[("committee", "casa-anfa")] == {
        "level": "committee",
        "unit": "casa-anfa",
        "period": DAY,
        "households_served": len(SIZES["casa-anfa"]),
        "people_reached": casa,
        "approved": True,
        "approved_level": "province",
    }
    assert (by_unit[("committee", "rabat-agdal")]["approved"], by_unit[("province", "MA-CAS")]
            ["approved_level"]) == (False, "province")  # fmt: skip
    assert by_unit[("national", "national")]["people_reached"] == casa + sum(SIZES["rabat-agdal"])
    assert by_unit[("region", "MA-06")]["approved_level"] is None
    assert [(a["level"], a["unit"]) for a in past["approvals"]] == [("committee", "casa-anfa")]
    assert past["approvals"][0]["figures"] == {
        "households_served": len(SIZES["casa-anfa"]),
        "people_reached": casa,
    }
    assert earliest["approvals"] == []
    rows = list(csv.reader(io.StringIO(hxl.text)))
    assert rows[1] == [
        "#meta+level", "#org+code", "#date", "#reached+hh", "#reached+ind",
        "#status+approved", "#status+level",
    ]  # fmt: skip
    served = str(len(SIZES["casa-anfa"]))
    assert ["committee", "casa-anfa", DAY, served, str(casa), "yes", "province"] in rows
    assert listed.status_code == 403


def test_marhaba_and_donations_figures_say_approved_and_level_now_and_as_of(
    live_server: LiveServer,
) -> None:
    container = live_server.container
    seed_marhaba(container)
    container.marhaba.record_movements(SLUG, "port-genoa", [movement(1, 120)], ADMIN)
    seed_donations(container)
    container.donations.record_in_kind(gift("r-1", "casa-central", 500_000), OFFICER)
    supervisor = live_server.token(Role.SUPERVISOR, "port-genoa", SLUG)
    keeper = live_server.token(Role.STOREKEEPER, "casa-central", "donations")
    auditor = live_server.token(Role.AUDITOR)
    m, d = f"/v1/approvals/marhaba/{SLUG}", "/v1/approvals/donations/donations"
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        before = _instant()
        site = http.post(f"{m}/site/port-genoa/{SITE_DAY}?wait=true", headers=supervisor)
        store = http.post(f"{d}/store/casa-central/{MONTH}?wait=true", headers=keeper)
        assert (site.status_code, store.status_code) == (201, 201), site.text + store.text
        refused = http.post(f"{d}/store/rabat-depot/{MONTH}", headers=keeper)
        wait = {"min_position": store.json()["position"]}
        sites = http.get(f"{m}/figures", params=wait, headers=auditor).json()
        stores = http.get(f"{d}/figures", params=wait, headers=auditor).json()
        earlier = http.get(f"{m}/figures", params={"as_of": before}, headers=auditor).json()
        hxl = http.get(f"{d}/figures.csv", params={"hxl": "1"}, headers=auditor)
    assert refused.status_code == 403
    assert {(r["level"], r["unit"]): (r["arrivals"], r["approved_level"]) for r in sites} == {
        ("site", "port-genoa"): (120, "site"),
        ("operation", SLUG): (120, None),
    }
    assert "households_served" not in sites[0]
    assert [(r["approved"], r["approved_level"]) for r in earlier] == [(False, None)] * 2
    assert {(r["unit"], r["value_received_centimes"], r["approved_level"]) for r in stores} == {
        ("casa-central", 500_000, "store"),
        ("national", 500_000, None),
    }
    rows = list(csv.reader(io.StringIO(hxl.text)))
    assert rows[1] == [
        "#meta+level", "#org+code", "#date", "#value+incoming+inkind", "#output+num+dispatches",
        "#value+outgoing+inkind", "#currency+code", "#status+approved", "#status+level",
    ]  # fmt: skip
    assert ["store", "casa-central", MONTH, "5000.00", "0", "0.00", "MAD", "yes", "store"] in rows


def test_a_gift_and_a_dispatch_in_an_approved_month_answer_202_held_until_unapproved(
    live_server: LiveServer,
) -> None:
    container = live_server.container
    seed_donations(container)
    container.donations.record_in_kind(gift("r-1", "casa-central", 500_000), OFFICER)
    keeper = live_server.token(Role.STOREKEEPER, "casa-central", "donations")
    officer = live_server.token(Role.DONATIONS)
    d = "/v1/approvals/donations/donations"
    late = {
        "donor": "giver",
        "receipt": "r-9",
        "store": "casa-central",
        "received_at": "2020-03-30T10:00:00+00:00",
        "lines": [{"item": "rice", "category": "food", "description": "rice",
                   "quantity": "10", "unit": "kg", "value_mad": "300.00"}],
    }  # fmt: skip
    note = {
        "dispatch": "bl-9",
        "recipient": "chu",
        "recipient_kind": "hospital",
        "recipient_name": "CHU",
        "dispatched_at": "2020-03-31T10:00:00+00:00",
        "lines": [{"item": "rice", "quantity": "2"}],
    }
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        approved = http.post(f"{d}/store/casa-central/{MONTH}", headers=keeper)
        assert approved.status_code == 201, approved.text
        answers = [
            http.post("/v1/donations/in-kind", json=late, headers=officer),
            http.post("/v1/donations/in-kind", json=late, headers=officer),  # resent
            http.post("/v1/stores/casa-central/dispatches", json=note, headers=officer),
        ]
        dearer = {**late, "lines": [{**late["lines"][0], "value_mad": "350.00"}]}
        more = {**note, "lines": [{"item": "rice", "quantity": "3"}]}
        conflicts = [
            http.post("/v1/donations/in-kind", json=dearer, headers=officer),
            http.post("/v1/stores/casa-central/dispatches", json=more, headers=officer),
        ]
        held = http.get(f"{d}/held", headers=keeper).json()
        unapproved = http.post(
            f"{d}/store/casa-central/{MONTH}/unapproval?wait=true",
            json={"reason": "late invoice"},
            headers=live_server.token(Role.ADMIN),
        )
        after = http.get(f"{d}/held", headers=keeper).json()
        figures = http.get(
            f"{d}/figures", params={"min_position": unapproved.json()["position"]}, headers=keeper
        ).json()
    assert [a.status_code for a in answers] == [202] * 3, [a.text for a in answers]
    assert {(a.json()["status"], a.json()["code"]) for a in answers} == {
        ("held_for_approved_period", "held_for_approved_period")
    }
    assert "store 'casa-central' period 2020-03 was approved" in answers[0].json()["reason"]
    assert [a.status_code for a in conflicts] == [409, 409], [a.text for a in conflicts]
    assert [(a.json()["code"], a.json()["fields"][0]["field"]) for a in conflicts] == [
        ("held_with_other_details", "receipt"),
        ("held_with_other_details", "dispatch"),
    ]
    assert [h["fact_id"] for h in held] == [
        "casa-central/in-kind/giver/r-9",
        "casa-central/dispatch/bl-9",
    ]
    assert unapproved.status_code == 201, unapproved.text
    assert after == []
    store = next(r for r in figures if r["unit"] == "casa-central")
    assert (store["gifts_in_kind"], store["value_received_centimes"], store["dispatches"]) == (
        2,
        500_000 + 30_000,
        1,
    )
