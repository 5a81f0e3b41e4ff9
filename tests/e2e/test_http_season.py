"""`tadamon simulate --via-http` against a real server: the totals endpoints show the report."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from typer.testing import CliRunner

from api.cli import app
from domain.actors import Role
from tests import report_2020 as report
from tests.conftest import LiveServer

pytestmark = pytest.mark.slow

SCALE = "0.001"  # 600 households, 165 arrivals, 192 departures, 10 people assisted


def test_simulate_over_http_reproduces_the_published_figures(live_server: LiveServer) -> None:
    token = live_server.token(Role.ADMIN)["Authorization"].removeprefix("Bearer ")
    argv = ["simulate", "--scale", SCALE, "--seed", "4", "--via-http", live_server.url]
    result = CliRunner().invoke(app, [*argv, "--token", token])

    assert result.exit_code == 0, result.output
    assert "every published figure reproduced" in result.output
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=live_server.url, headers=headers, timeout=30) as http:
        campaign = http.get("/v1/campaigns/ramadan-1441/totals").json()
        operation = http.get("/v1/operations/marhaba-2020/totals").json()
        gifts = http.get("/v1/donations/totals", params={"appeal": "covid-19-2020"}).json()
        again = CliRunner().invoke(app, [*argv, "--token", token])
    assert (campaign["households_served"], campaign["quota"]) == (600, 600)
    assert len(campaign["provinces"]) == 75 and campaign["kits_in_stock"] == 0
    assert (operation["arrivals"], operation["departures"]) == (165, 192)
    assert operation["people_assisted"] == 10
    assert Decimal(gifts["in_kind_mad"]) == report.DECLARED_IN_KIND
    assert Decimal(gifts["shipped_tonnes"]) == report.BEIRUT_TONNES
    assert again.exit_code == 2 and "already holds" in again.output
