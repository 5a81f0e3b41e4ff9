"""HXL exports read back with libhxl, the HXL project's own library, against the JSON totals."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import hxl
import pytest

from domain.actors import Role
from domain.clock import local_day, utc_now
from tests.conftest import LiveServer
from tests.e2e.test_http_distribution import delivery, setup_campaign

URL = "/v1/campaigns/ramadan-1441/totals.csv"
ORG = "Fondation Mohammed V pour la Solidarité"


@pytest.fixture
def http(live_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=30)


@pytest.fixture
def admin(live_server: LiveServer, http: httpx.Client) -> dict[str, str]:
    headers = live_server.token(Role.ADMIN)
    setup_campaign(http, headers)
    base = "/v1/campaigns/ramadan-1441"
    for province, households in (("MA-RAB", 300), ("MA-SAL", 200), ("MA-FES", 50)):
        http.put(f"{base}/quotas/{province}", json={"households": households}, headers=headers)
    committee = {"code": "rabat-hassan", "name": "Hassan", "province": "MA-RAB"}
    http.post(f"{base}/committees", json=committee, headers=headers)
    stock = {"quantity": 40, "reference": "bl-9"}
    http.post(f"{base}/committees/rabat-hassan/stock", json=stock, headers=headers)
    items = [delivery(n, size=n % 6 + 1) for n in range(1, 8)]
    items += [delivery(n, "rabat-hassan", size=3) for n in range(20, 24)]
    items += [delivery(30, "casa-sidi", size=9)]
    sent = http.post(f"{base}/deliveries?wait=true", json={"items": items}, headers=headers)
    assert sent.json()["recorded"] == 12
    return headers


def parse(content: bytes) -> Any:
    return hxl.input.data(io.BytesIO(content))


def json_totals(http: httpx.Client, admin: dict[str, str]) -> dict[str, Any]:
    return http.get("/v1/campaigns/ramadan-1441/totals", headers=admin).json()


def test_province_export_parses_with_libhxl_and_matches_the_json(
    http: httpx.Client, admin: dict[str, str]
) -> None:
    # The day the export was made: read on both sides of it, in case midnight fell between.
    days = {local_day(utc_now()).isoformat()}
    answer = http.get(URL + "?hxl=1", headers=admin)
    days.add(local_day(utc_now()).isoformat())
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert "ramadan-1441-totals-province-hxl.csv" in answer.headers["content-disposition"]
    data = parse(answer.content)
    tags = [c.display_tag for c in data.columns]
    for wanted in (
        "#adm1+name",
        "#adm1+code",
        "#adm2+name",
        "#adm2+code",
        "#org+name",
        "#targeted+hh",
        "#reached+hh",
        "#reached+ind",
        "#date+reported",
        "#adm2+name+i_ar",
    ):
        assert wanted in tags
    rows = {row.get("#adm2+code"): row for row in data}
    provinces = {p["code"]: p for p in json_totals(http, admin)["provinces"]}
    assert set(rows) == set(provinces) == {"MA-CAS", "MA-RAB", "MA-SAL", "MA-FES"}
    for code, place in provinces.items():
        row = rows[code]
        assert int(row.get("#targeted+hh")) == place["quota"]
        assert int(row.get("#reached+hh")) == place["households_served"]
        assert int(row.get("#reached+ind")) == place["people_reached"]
        assert row.get("#adm2+name") == place["name_fr"]
        assert row.get("#adm2+name+i_ar") == place["name_ar"]
        assert row.get("#adm1+code") == place["region"]
        assert row.get("#org") == ORG
        assert row.get("#date") in days
    assert rows["MA-SAL"].get("#adm1+name") == "Rabat-Salé-Kénitra"
    assert rows["MA-CAS"].get("#adm1+name+i_ar") == "الدار البيضاء - سطات"
    # libhxl's own filters work on it: its sum of reached households is the campaign's
    summed = parse(answer.content).count(
        "#country+code", aggregators="sum(#reached+hh) as Reached#reached+hh+total"
    )
    assert [r.values for r in summed] == [["MAR", 12]]
    assert json_totals(http, admin)["households_served"] == 12


def test_region_export_sums_provinces_into_regions(
    http: httpx.Client, admin: dict[str, str]
) -> None:
    data = parse(http.get(URL + "?hxl=1&level=region", headers=admin).content)
    tags = [c.display_tag for c in data.columns]
    assert "#adm1+code" in tags and not any(t.startswith("#adm2") for t in tags)
    rows = {row.get("#adm1+code"): row for row in data}
    regions = {r["code"]: r for r in json_totals(http, admin)["regions"]}
    assert set(rows) == set(regions) == {"MA-03", "MA-04", "MA-06"}
    for code, region in regions.items():
        assert int(rows[code].get("#reached+hh")) == region["households_served"]
        assert int(rows[code].get("#reached+ind")) == region["people_reached"]
        assert int(rows[code].get("#targeted+hh")) == region["quota"]
    assert int(rows["MA-04"].get("#targeted+hh")) == 300 + 200


def test_without_hxl_it_is_the_same_csv_without_the_tag_row(
    http: httpx.Client, admin: dict[str, str]
) -> None:
    plain = list(csv.reader(io.StringIO(http.get(URL, headers=admin).text)))
    tagged = list(csv.reader(io.StringIO(http.get(URL + "?hxl=1", headers=admin).text)))
    assert tagged[1][0].startswith("#") and not plain[1][0].startswith("#")
    assert plain == [tagged[0], *tagged[2:]]


def test_export_needs_a_token_a_campaign_and_a_known_level(
    http: httpx.Client, admin: dict[str, str]
) -> None:
    assert http.get(URL).status_code == 401
    assert http.get("/v1/campaigns/nope-1/totals.csv", headers=admin).status_code == 404
    bad = http.get(URL + "?level=commune", headers=admin)
    assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "level"
