"""Strict input over real HTTP, on SQLite and PostgreSQL (issue 12, point 4).

A number where a time is expected used to be read as Unix time, and integers past
the store's BIGINT used to answer 500 (or 200 and then a broken stream).
"""

from __future__ import annotations

import httpx
import pytest
from typer.testing import CliRunner

from api import cli
from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.test_http_distribution import CAMPAIGN, delivery, setup_campaign
from tests.e2e.test_http_import import URL, sheet
from tests.e2e.test_http_kobo import FIRST, HOOK, MAPPING, basic, submission

TOO_BIG = 2**63  # one past the largest BIGINT
NOT_TIMES = [1587896100, 0, 1587896100.5, "1587896100", "0", "2020-04-26T10:00:00", "2020-04-26"]


@pytest.fixture
def http(live_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=30)


def _refused_fields(answer: httpx.Response) -> list[str]:
    assert answer.status_code == 422, answer.text
    return [f["field"] for f in answer.json()["fields"]]


def test_a_delivery_time_is_an_iso_string_with_an_offset(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    for when in NOT_TIMES:
        sent = http.post(
            "/v1/campaigns/ramadan-1441/deliveries",
            headers=admin,
            json={"items": [delivery(1), delivery(2, when=when)]},  # type: ignore[arg-type]
        )
        assert _refused_fields(sent) == ["items.1.delivered_at"], when
    totals = http.get("/v1/campaigns/ramadan-1441/totals", headers=admin).json()
    assert totals["households_served"] == 0  # nothing half-applied: the good item waits too


def test_as_of_is_an_iso_instant_not_unix_time(live_server: LiveServer, http: httpx.Client) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    for as_of in ("0.5", "0", "1587896100", "2020-04-26T18:00:00"):
        answer = http.get(
            "/v1/campaigns/ramadan-1441/totals", params={"as_of": as_of}, headers=admin
        )
        assert _refused_fields(answer) == ["as_of"], as_of
    good = http.get(
        "/v1/campaigns/ramadan-1441/totals",
        params={"as_of": "2020-04-26T18:00:00+01:00"},
        headers=admin,
    )
    assert good.status_code == 200, good.text


def test_a_day_is_written_as_a_day(live_server: LiveServer, http: httpx.Client) -> None:
    admin = live_server.token(Role.ADMIN)
    sent = http.post("/v1/campaigns", json=CAMPAIGN | {"starts_on": 0}, headers=admin)
    assert _refused_fields(sent) == ["starts_on"]
    assert http.get("/v1/campaigns/ramadan-1441", headers=admin).status_code == 404


BEYOND_INT64 = [
    (f"/v1/audit/tree-heads/{TOO_BIG}", {}, "size"),
    ("/v1/audit/proofs/inclusion", {"position": TOO_BIG, "tree_size": 1}, "position"),
    ("/v1/audit/proofs/inclusion", {"position": 1, "tree_size": TOO_BIG}, "tree_size"),
    ("/v1/audit/proofs/consistency", {"first": 0, "second": TOO_BIG}, "second"),
    ("/v1/audit/personal-data-reads", {"after": TOO_BIG}, "after"),
    ("/v1/audit/events", {"after": TOO_BIG}, "after"),
    ("/v1/campaigns/ramadan-1441/totals", {"min_position": TOO_BIG}, "min_position"),
    (
        "/v1/donations/00000000-0000-4000-8000-000000000001/lines/99999999999999999999"
        "/valuation-corrections",
        {},
        "line",
    ),
]


def test_integers_beyond_bigint_are_refused_by_name(
    live_server: LiveServer, http: httpx.Client
) -> None:
    headers = live_server.token(Role.ADMIN) | {"Content-Type": "application/json"}
    auditor = live_server.token(Role.AUDITOR)
    for path, params, field in BEYOND_INT64:
        if path.endswith("valuation-corrections"):
            body = {"value_mad": "1.00", "reason": "typo"}
            answer = http.post(path, params=params, json=body, headers=headers)
        else:
            answer = http.get(path, params=params, headers=auditor)
        assert _refused_fields(answer) == [field], path


def test_kobo_and_spreadsheet_times_refuse_numbers_too(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    secret = http.put(HOOK, json=MAPPING, headers=admin).json()["secret"]
    for number in (1587896100, 0, "1587896100", 1587896100.5):
        payload = submission(FIRST) | {"end": number}
        answer = http.post(HOOK, json=payload, headers=basic(secret))
        assert answer.status_code == 422, (number, answer.text)
        assert [f["field"] for f in answer.json()["fields"]] == ["end"], number
    rows = sheet("anfa-1;casa-anfa;BE123456;5;1587896100", "anfa-2;casa-anfa;BE654321;5;0")
    imported = http.post(URL, files={"file": ("l.csv", rows)}, headers=admin).json()
    assert [(p["row"], p["column"]) for p in imported["errors"]] == [
        (2, "delivered_at"),
        (3, "delivered_at"),
    ]
    assert imported["recorded"] == 0


def test_the_export_command_bounds_its_position_too() -> None:
    done = CliRunner().invoke(cli.app, ["export", "--after", str(TOO_BIG)])
    assert done.exit_code == 2
    assert "Invalid value for '--after'" in done.stderr  # refused before any store is opened
