"""The OpenAPI document says what the API does: statuses, patterns, methods, media types."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from adapters.bootstrap import bootstrap
from api.app import create_app
from domain.actors import Role
from tests.conftest import sqlite_settings

ERROR = {"$ref": "#/components/schemas/ErrorPublic"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = sqlite_settings(
        tmp_path_factory.mktemp("openapi"), run_projections=False, run_sealer=False
    )
    container = bootstrap(settings)
    admin = container.tokens.create(Role.ADMIN).token
    with TestClient(create_app(container), headers={"Authorization": f"Bearer {admin}"}) as served:
        yield served
    container.close()


@pytest.fixture(scope="module")
def schema(client: TestClient) -> dict[str, Any]:
    return dict(client.get("/openapi.json").json())


def operation(schema: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    return dict(schema["paths"][path][method])


def test_a_recording_route_documents_every_status_with_the_error_schema(
    schema: dict[str, Any],
) -> None:
    launch = operation(schema, "post", "/v1/campaigns")
    codes = ["200", "201", "400", "401", "403", "404", "409", "413", "422"]
    assert sorted(launch["responses"]) == codes
    for code in ("400", "401", "403", "404", "409", "413", "422"):
        assert launch["responses"][code]["content"]["application/json"]["schema"] == ERROR
    created = launch["responses"]["201"]["content"]["application/json"]["schema"]
    assert launch["responses"]["200"]["content"]["application/json"]["schema"] == created


def test_a_route_that_may_hold_a_fact_documents_its_202(schema: dict[str, Any]) -> None:
    holding = [
        "/v1/operations/{operation}/sites/{site}/cases",
        "/v1/donations/in-kind",
        "/v1/stores/{store}/dispatches",
    ]
    for path in holding:
        responses = operation(schema, "post", path)["responses"]
        assert {"200", "201", "202"} <= set(responses), path
        held = responses["202"]["content"]["application/json"]["schema"]
        assert held == responses["201"]["content"]["application/json"]["schema"]
        assert "held_for_approved_period" in responses["202"]["description"]
    assert "202" not in operation(schema, "post", "/v1/campaigns")["responses"]


def test_the_kobo_webhook_documents_its_own_authentication(schema: dict[str, Any]) -> None:
    webhook = operation(schema, "post", "/v1/integrations/kobo/{form}")
    assert {"200", "201", "401"} <= set(webhook["responses"])


def test_path_parameters_carry_the_pattern_the_server_enforces(
    schema: dict[str, Any], client: TestClient
) -> None:
    totals = operation(schema, "get", "/v1/campaigns/{campaign}/totals")
    campaign = next(p for p in totals["parameters"] if p["name"] == "campaign")
    assert campaign["schema"]["pattern"] == "^[a-z0-9][a-z0-9-]{1,62}$"
    answer = client.get("/v1/campaigns/Not_A_Slug/totals")
    assert (answer.status_code, answer.json()["fields"][0]["field"]) == (422, "campaign")


def test_money_is_a_decimal_string_or_an_integer_never_empty(
    schema: dict[str, Any], client: TestClient
) -> None:
    budget = schema["components"]["schemas"]["CampaignCreate"]["properties"]["budget_mad"]
    text, integer = budget["anyOf"]
    assert text["type"] == "string" and integer == {
        "type": "integer",
        "minimum": 0,
        "maximum": 10**13 - 1,
    }

    assert not re.fullmatch(text["pattern"], "") and re.fullmatch(text["pattern"], "85000000.00")


def test_a_405_lists_every_method_of_the_path(client: TestClient) -> None:
    answer = client.options("/v1/campaigns")
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET, POST"
    assert client.delete("/v1/campaigns/ramadan-1441").headers["allow"] == "GET"


def test_the_public_key_is_documented_as_what_it_is_sent_as(
    schema: dict[str, Any], client: TestClient
) -> None:
    documented = operation(schema, "get", "/v1/audit/public-key")["responses"]["200"]["content"]
    answer = client.get("/v1/audit/public-key")
    assert list(documented) == [answer.headers["content-type"].split(";")[0]]
    assert answer.headers["content-type"].startswith("application/x-pem-file")
