"""An unhandled error is logged with method, route template and request id (issue 12, point 4).

The error handler runs outside the request middleware, whose context (the request id)
was already gone: the log line could not be matched to the answer the caller quotes.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import text

from api.logs import JsonFormatter
from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.test_http_distribution import setup_campaign


@pytest.fixture
def api_log() -> Iterator[io.StringIO]:
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tadamon.api")
    logger.addHandler(handler)
    try:
        yield captured
    finally:
        logger.removeHandler(handler)


def test_the_unhandled_error_line_names_method_route_and_request(
    live_server: LiveServer, api_log: io.StringIO
) -> None:
    http = httpx.Client(base_url=live_server.url, timeout=30)
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    live_server.container.live.stop()  # nothing else touches the table dropped below
    with live_server.container.engine.begin() as conn:
        conn.execute(text("DROP TABLE view_positions"))  # a store broken under the API
    answer = http.get(
        "/v1/campaigns/ramadan-1441/totals", headers=admin | {"x-request-id": "req-broken-1"}
    )
    assert answer.status_code == 500
    assert (answer.json()["request_id"], answer.headers["x-request-id"]) == ("req-broken-1",) * 2
    lines = [json.loads(line) for line in api_log.getvalue().splitlines()]
    logged = [
        {key: line.get(key) for key in ("message", "method", "route", "request_id")}
        for line in lines
    ]
    assert logged == [
        {
            "message": "unhandled error",
            "method": "GET",
            "route": "/v1/campaigns/{campaign}/totals",
            "request_id": "req-broken-1",
        }
    ]
    assert "Traceback" in lines[0]["error"]
