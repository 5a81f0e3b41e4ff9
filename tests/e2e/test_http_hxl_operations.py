"""Marhaba and donation HXL exports read back with libhxl against the JSON totals,
on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import time
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import hxl
import hxl.validation
import pytest

from domain.actors import Role
from domain.clock import local_day
from tests import report_2020 as report
from tests.conftest import LiveServer
from tests.e2e.test_http_donations import MARCH, record_report_gifts
from tests.e2e.test_http_marhaba import BASE, GENOA, case, movement, setup_operation

ORG = "Fondation Mohammed V pour la Solidarité"
MEASURES = (
    ("arrivals", "#population+arrivals"),
    ("departures", "#population+departures"),
    ("people_assisted", "#reached"),
)
MARHABA_CSV = f"{BASE}/totals.csv"
DONATIONS_CSV = "/v1/donations/totals.csv"


@pytest.fixture
def http(live_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=30)


def parse(content: bytes) -> Any:
    return hxl.input.data(io.BytesIO(content))


def errors_of(content: bytes) -> list[str]:
    """What the HXL project's own default schema calls errors (not warnings) in a table."""
    found: list[str] = []
    schema = hxl.validation.schema(callback=lambda e: found.append(f"{e.rule.severity}: {e}"))
    schema.validate(parse(content))
    return [e for e in found if e.startswith("error")]


@pytest.fixture
def marhaba(live_server: LiveServer, http: httpx.Client) -> dict[str, str]:
    admin = live_server.token(Role.ADMIN)
    setup_operation(http, admin)
    tanger = {"code": "port-tanger", "name": "Tanger Med", "kind": "port", "city": "Tanger"}
    tanger |= {"country": "MA", "province": "MA-FAH"}
    assert http.post(f"{BASE}/sites", json=tanger, headers=admin).status_code == 201
    evening = "2020-07-21T22:30:00+00:00"  # 21 July in UTC, 21 July 23:30 in Casablanca
    genoa = [movement(1), movement(2, direction="departure", moved_at=evening), movement(3)]
    tanger_items = [movement(4, mode="road"), movement(5, direction="departure")]
    for url, items in ((GENOA, genoa), (f"{BASE}/sites/port-tanger", tanger_items)):
        sent = http.post(f"{url}/movements?wait=true", json={"items": items}, headers=admin)
        assert sent.json()["recorded"] == len(items), sent.text
    assert http.post(f"{GENOA}/cases?wait=true", json=case(1), headers=admin).status_code == 201
    return admin


def test_marhaba_by_site_and_day_matches_the_json(
    http: httpx.Client, marhaba: dict[str, str]
) -> None:
    answer = http.get(MARHABA_CSV + "?hxl=1", headers=marhaba)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert "marhaba-2020-totals-site_day-hxl.csv" in answer.headers["content-disposition"]
    assert errors_of(answer.content) == []
    data = parse(answer.content)
    tags = [c.display_tag for c in data.columns]
    for wanted in ("#loc+name", "#loc+code", "#adm1+code", "#adm2+code", "#country+code",
                   "#date+occurred", "#population+ind+arrivals", "#population+ind+departures",
                   "#reached+ind", "#org+name", "#activity+code", "#date+reported"):  # fmt: skip
        assert wanted in tags
    rows = list(parse(answer.content))
    totals = http.get(f"{BASE}/totals", headers=marhaba).json()
    by_site: Counter[tuple[str, str]] = Counter()
    by_day: Counter[tuple[str, str]] = Counter()
    for row in rows:
        for measure, tag in MEASURES:
            by_site[(row.get("#loc+code"), measure)] += int(row.get(tag))
            by_day[(row.get("#date+occurred"), measure)] += int(row.get(tag))
    for site in totals["sites"]:
        for measure in ("arrivals", "departures", "people_assisted"):
            assert by_site[(site["code"], measure)] == site[measure]
    for day in totals["days"]:
        for measure in ("arrivals", "departures", "people_assisted"):
            assert by_day[(day["day"], measure)] == day[measure]
    places = {(r.get("#loc+code"), r.get("#adm1+code"), r.get("#adm2+code")) for r in rows}
    assert places == {("port-genoa", None, None), ("port-tanger", "MA-01", "MA-FAH")}
    assert {r.get("#country+code") for r in rows} == {"ITA", "MAR"}
    genoa_days = sorted(r.get("#date") for r in rows if r.get("#loc+code") == "port-genoa")
    assert genoa_days == ["2020-07-20", "2020-07-21"]
    summed = parse(answer.content).count(
        "#activity+code", aggregators="sum(#population+arrivals) as Arrivals#population+total"
    )
    assert [r.values for r in summed] == [["marhaba-2020", totals["arrivals"]]]
    assert all(r.get("#org") == ORG for r in rows)


def test_marhaba_by_site_and_by_day(http: httpx.Client, marhaba: dict[str, str]) -> None:
    totals = http.get(f"{BASE}/totals", headers=marhaba).json()
    sites = {
        r.get("#loc+code"): r
        for r in parse(http.get(MARHABA_CSV + "?hxl=1&by=site", headers=marhaba).content)
    }
    assert set(sites) == {s["code"] for s in totals["sites"]}
    for site in totals["sites"]:
        row = sites[site["code"]]
        assert int(row.get("#population+arrivals")) == site["arrivals"]
        assert int(row.get("#population+departures")) == site["departures"]
        assert int(row.get("#indicator+movements")) == site["movements"]
        assert row.get("#date+start") == site["opens_on"] and row.get("#loc+type") == site["kind"]
    assert sites["port-tanger"].get("#adm1+name") == "Tanger-Tétouan-Al Hoceïma"
    daily = parse(http.get(MARHABA_CSV + "?hxl=1&by=day", headers=marhaba).content)
    assert not any(t.startswith("#loc") for t in (c.display_tag for c in daily.columns))
    assert [
        (r.get("#date"), int(r.get("#population+arrivals")), int(r.get("#reached"))) for r in daily
    ] == [(d["day"], d["arrivals"], d["people_assisted"]) for d in totals["days"]]
    plain = list(csv.reader(io.StringIO(http.get(MARHABA_CSV, headers=marhaba).text)))
    tagged = list(csv.reader(io.StringIO(http.get(MARHABA_CSV + "?hxl=1", headers=marhaba).text)))
    assert plain == [tagged[0], *tagged[2:]]


def test_marhaba_export_as_of_an_instant(http: httpx.Client, marhaba: dict[str, str]) -> None:
    time.sleep(0.01)
    instant = datetime.now(UTC).isoformat()
    time.sleep(0.01)
    more = http.post(f"{GENOA}/movements?wait=true", json={"items": [movement(9)]}, headers=marhaba)
    assert more.json()["recorded"] == 1
    then = list(
        parse(http.get(MARHABA_CSV, params={"hxl": 1, "as_of": instant}, headers=marhaba).content)
    )
    now = list(parse(http.get(MARHABA_CSV, params={"hxl": 1}, headers=marhaba).content))
    arrivals = [sum(int(r.get("#population+arrivals")) for r in data) for data in (then, now)]
    assert arrivals[1] - arrivals[0] == 109
    day = local_day(datetime.fromisoformat(instant)).isoformat()  # the figures' own day
    assert {r.get("#date+reported") for r in then} == {day}


@pytest.fixture
def gifts(live_server: LiveServer, http: httpx.Client) -> dict[str, str]:
    officer = live_server.token(Role.DONATIONS)
    record_report_gifts(http, officer)
    cash = {"donor": "nestle", "receipt": "c-1", "direction": "received", "amount_mad": "250000.50",
            "fund": "covid-fund", "occurred_at": "2020-04-02T10:00:00+00:00"}  # fmt: skip
    assert http.post("/v1/donations/cash", json=cash, headers=officer).status_code == 201
    store = f"/v1/stores/{report.STORE}/dispatches"
    for number, (recipient, kind, item, quantity) in enumerate(
        (("chu-rabat", "hospital", "ventilators", "1"), ("dar-al-atfal", "children-centre",
         "nestle-food", "0.5"), ("chu-rabat", "hospital", "masks", "1000")), start=1
    ):  # fmt: skip
        body = {"dispatch": f"bl-{number}", "recipient": recipient, "recipient_kind": kind,
                "recipient_name": recipient.replace("-", " ").title(), "dispatched_at": MARCH,
                "lines": [{"item": item, "quantity": quantity}]}  # fmt: skip
        sent = http.post(f"{store}?wait=true", json=body, headers=officer)
        assert sent.status_code == 201, sent.text
    return officer


def test_donations_by_month_and_kind_of_donor(http: httpx.Client, gifts: dict[str, str]) -> None:
    answer = http.get(DONATIONS_CSV + "?hxl=1", headers=gifts)
    assert answer.status_code == 200, answer.text
    assert errors_of(answer.content) == []
    data = parse(answer.content)
    tags = [c.display_tag for c in data.columns]
    assert {"#date+occurred", "#org+funder+type", "#value+incoming", "#currency+code"} <= set(tags)
    rows = {(r.get("#date+occurred"), r.get("#org+funder+type")): r for r in parse(answer.content)}
    assert set(rows) == {("2020-03", "company"), ("2020-03", "individual"), ("2020-04", "company")}
    totals = http.get("/v1/donations/totals", headers=gifts).json()
    months = {m["month"]: m for m in totals["months"]}
    for month in ("2020-03", "2020-04"):
        mine = [r for (m, _), r in rows.items() if m == month]
        value = sum(Decimal(r.get("#value+incoming-cash-inkind")) for r in mine)
        assert value == Decimal(months[month]["value_received_mad"])
    individual = [g for g in report.GIFTS if g.kind == "individual"]
    expected = sum(g.printed_mad for g in individual if g.printed_mad is not None)
    assert Decimal(rows[("2020-03", "individual")].get("#value+inkind")) == expected
    assert rows[("2020-04", "company")].get("#value+cash") == "250000.50"  # exact, not a float
    assert int(rows[("2020-03", "company")].get("#output+lines+unvalued")) == 1  # the masks
    text = answer.text
    assert "mohsin" not in text and "Nestlé" not in text  # donors by kind only, never by name


def test_donations_by_recipient(http: httpx.Client, gifts: dict[str, str]) -> None:
    answer = http.get(DONATIONS_CSV + "?hxl=1&by=recipient", headers=gifts)
    assert errors_of(answer.content) == []
    rows = {r.get("#org+recipient+code"): r for r in parse(answer.content)}
    recipients = {
        r["code"]: r for r in http.get("/v1/donations/totals", headers=gifts).json()["recipients"]
    }
    assert set(rows) == set(recipients) == {"chu-rabat", "dar-al-atfal"}
    for code, recipient in recipients.items():
        row = rows[code]
        assert Decimal(row.get("#value+outgoing")) == Decimal(recipient["value_dispatched_mad"])
        assert row.get("#org+recipient+name") == recipient["name"]
        assert row.get("#org+recipient+type") == recipient["kind"]
        assert int(row.get("#output+dispatches")) == recipient["dispatches"]
    assert rows["chu-rabat"].get("#value+outgoing") == "1576200.00"  # the masks are unvalued
    assert rows["dar-al-atfal"].get("#value+outgoing") == "1000000.00"  # half of Nestlé's lot


def test_exports_need_a_reader_and_known_names(
    live_server: LiveServer, http: httpx.Client, marhaba: dict[str, str]
) -> None:
    assert http.get(MARHABA_CSV).status_code == 401
    assert http.get("/v1/operations/nope-1/totals.csv", headers=marhaba).status_code == 404
    bad = http.get(MARHABA_CSV + "?by=week", headers=marhaba)
    assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "by"
    site = live_server.token(Role.SITE, "port-genoa", "marhaba-2020")
    assert http.get(DONATIONS_CSV, headers=site).status_code == 403
    assert http.get(DONATIONS_CSV + "?by=donor", headers=marhaba).status_code == 422
