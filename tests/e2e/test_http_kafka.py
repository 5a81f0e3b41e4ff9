"""The scaled-out shape over real HTTP: the API writes, the relay and a Kafka worker feed totals."""

from __future__ import annotations

import io
import json
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from adapters.bootstrap import Container, bootstrap
from adapters.kafka.workers import project_process, relay_process
from adapters.settings import Settings
from api.logs import JsonFormatter
from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.test_http_distribution import delivery, setup_campaign


@pytest.fixture
def kafka_stack(
    store_settings: Settings, kafka_overrides: dict[str, Any]
) -> Iterator[tuple[LiveServer, Container]]:
    container = bootstrap(
        store_settings, projection_source="kafka", projection_poll_seconds=0.05, **kafka_overrides
    )
    stop = threading.Event()
    threads = [
        threading.Thread(target=relay_process, args=(container, stop)),
        threading.Thread(target=project_process, args=(container, "kafka", stop)),
    ]
    for thread in threads:
        thread.start()
    try:
        with LiveServer(container) as server:
            yield server, container
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        container.close()


@pytest.mark.kafka
def test_totals_fed_from_kafka_and_visible_on_wait(
    kafka_stack: tuple[LiveServer, Container],
) -> None:
    server, _ = kafka_stack
    http = httpx.Client(base_url=server.url, timeout=60)
    admin = server.token(Role.ADMIN)
    setup_campaign(http, admin)
    sent = http.post(
        "/v1/campaigns/ramadan-1441/deliveries?wait=true",
        headers=admin,
        json={"items": [delivery(1), delivery(2, size=3)]},
    ).json()
    assert sent["recorded"] == 2
    deadline = time.monotonic() + 30  # the first consumer-group join can outlast one wait
    while True:
        totals = http.get(
            f"/v1/campaigns/ramadan-1441/totals?min_position={sent['position']}", headers=admin
        ).json()
        if totals["position"] >= sent["position"] or time.monotonic() > deadline:
            break
    assert totals["position"] >= sent["position"]
    assert (totals["households_served"], totals["people_reached"]) == (2, 8)
    later = http.post(
        "/v1/campaigns/ramadan-1441/deliveries?wait=true",
        headers=admin,
        json={"items": [delivery(3)]},
    ).json()
    assert later["visible"] is True, "once the worker runs, a write is visible on wait"
    started = time.monotonic()
    again = http.post(
        "/v1/campaigns/ramadan-1441/deliveries", headers=admin, json={"items": [delivery(4)]}
    ).json()
    while (
        http.get("/v1/campaigns/ramadan-1441/totals", headers=admin).json()["households_served"] < 4
    ):
        assert time.monotonic() - started < 10, "API write to Kafka-fed total took over 10 s"
        time.sleep(0.01)
    assert again["recorded"] == 1
    metrics = http.get("/metrics").text
    for name in (
        'tadamon_projection_lag_events{view="distribution"}',
        'tadamon_projection_lag_seconds{view="delivery_index"}',
        "tadamon_relay_lag_events",
        "tadamon_relay_lag_seconds",
    ):
        assert name in metrics
    ready = http.get("/readyz").json()
    assert ready["views"]["distribution"]["fed_by"] == "kafka workers"
    assert "relay" in ready


def test_logs_are_json_lines_with_the_request_id_and_no_personal_data(
    live_server: LiveServer,
) -> None:
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    handler.setFormatter(JsonFormatter())
    access = logging.getLogger("tadamon.access")
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    try:
        http = httpx.Client(base_url=live_server.url, timeout=30)
        admin = live_server.token(Role.ADMIN)
        answer = http.post(
            "/v1/campaigns/ramadan-1441/deliveries",
            headers={**admin, "x-request-id": "req-abc-123"},
            json={"items": [{**delivery(1), "household": "SECRET#1234"}]},
        )
        assert answer.headers["x-request-id"] == "req-abc-123"
        plain = http.get("/healthz")
        deadline = time.monotonic() + 5  # the access line is written after the response is sent
        while plain.headers["x-request-id"] not in captured.getvalue():
            assert time.monotonic() < deadline, captured.getvalue()
            time.sleep(0.01)
    finally:
        access.removeHandler(handler)
    lines = [json.loads(line) for line in captured.getvalue().splitlines()]
    mine = [line for line in lines if line.get("request_id") == "req-abc-123"]
    assert mine and mine[0]["route"] == "/v1/campaigns/{campaign}/deliveries"
    assert mine[0]["status"] == 422
    assert any(line.get("request_id") == plain.headers["x-request-id"] for line in lines)
    assert "SECRET" not in captured.getvalue()
    assert admin["Authorization"].split()[1] not in captured.getvalue()


def test_readyz_is_503_while_views_lag_and_200_once_caught_up(
    store_settings: Settings,
) -> None:
    container = bootstrap(store_settings, ready_max_lag_seconds=0.05)
    with LiveServer(container) as server:
        http = httpx.Client(base_url=server.url, timeout=30)
        assert http.get("/readyz").status_code == 200
        container.live.stop()
        setup_campaign(http, server.token(Role.ADMIN))
        time.sleep(0.1)
        lagging = http.get("/readyz")
        assert lagging.status_code == 503
        assert lagging.json()["views"]["distribution"]["lag_events"] > 0
        container.runner.catch_up()
        assert http.get("/readyz").status_code == 200
        assert "tadamon_ready 1.0" in http.get("/metrics").text
    container.close()
