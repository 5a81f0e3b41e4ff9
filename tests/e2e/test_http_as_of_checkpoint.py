"""Over HTTP: ``?as_of=`` answers say which checkpoint they started from, on both stores."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from domain.actors import Role
from projections import distribution
from tests.conftest import LiveServer
from tests.e2e.test_http_audit import record
from tests.e2e.test_http_distribution import setup_campaign

TOTALS = "/v1/campaigns/ramadan-1441/totals"


@pytest.fixture
def server(store_settings: Settings) -> Iterator[LiveServer]:
    container = bootstrap(store_settings, checkpoint_every_events=20, projection_batch_size=10)
    with LiveServer(container) as live:
        yield live
    container.close()


def test_an_as_of_answer_names_the_checkpoint_it_started_from(server: LiveServer) -> None:
    http = httpx.Client(base_url=server.url, timeout=30)
    admin = server.token(Role.ADMIN)
    setup_campaign(http, admin)
    seen = []
    for batch in (range(1, 30), range(30, 70), range(70, 75)):
        record(http, admin, batch)
        server.container.runner.catch_up()
        time.sleep(0.01)
        seen.append((datetime.now(UTC), http.get(TOTALS, headers=admin).json()))
        time.sleep(0.01)
    checkpoints = server.container.audit.checkpoints
    assert checkpoints is not None
    started = []
    for instant, live in seen:
        then = http.get(TOTALS, params={"as_of": instant.isoformat()}, headers=admin).json()
        nearest = checkpoints.nearest(distribution.VIEW, instant)
        assert nearest is not None
        assert then["as_of_checkpoint"] == nearest.position
        assert then | {"as_of": None, "as_of_checkpoint": None} == live
        started.append(then["as_of_checkpoint"])
    assert started == sorted(started) and started[0] < started[-1]
