"""The watch under a real server: an alteration behind the app is found within one pass,
and from then on proofs, new heads and ?as_of= answer 503 naming the position."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from adapters.bootstrap import Container, bootstrap
from adapters.settings import Settings
from domain.actors import Actor, Role
from tests.conftest import LiveServer
from tests.integration.test_audit_tamper import Tamperer, label, middle, seal_a_history
from tests.integration.test_distribution_store import C

RATE = 2000.0  # events re-hashed per second after the start-up pass


@pytest.fixture
def watched(store_settings: Settings) -> Iterator[Container]:
    built = bootstrap(store_settings, audit_watch_events_per_second=RATE)
    yield built
    built.close()


def _wait_for(condition: Any, seconds: float) -> float:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "not within the watch's window"
        time.sleep(0.02)
    return time.monotonic() - started


def test_the_watch_catches_an_alteration_under_a_running_server(
    watched: Container, admin: Actor, caplog: pytest.LogCaptureFixture
) -> None:
    _, head = seal_a_history(watched, admin)
    position = middle(head, 0.5)
    watch = watched.audit.watch
    with LiveServer(watched) as server, httpx.Client(base_url=server.url) as client:
        auth = server.token(Role.ADMIN)
        _wait_for(lambda: watch.passes >= 1, 30)  # the full-speed start-up pass
        assert client.get("/readyz").json()["audit"]["mismatches"] == 0
        Tamperer(watched).change_a_byte(position)
        # The pass under way may have passed the position: the next one finds it.
        window = watch.window_seconds(head["tree_size"])
        _wait_for(lambda: watch.first() is not None, 2 * window + 1.0)
        found = f"{label(watched, position)}: content altered"
        ready = client.get("/readyz").json()["audit"]
        assert (ready["mismatches"], ready["first_mismatch"]) == (1, found)
        assert "tadamon_audit_mismatches_total 1.0" in client.get("/metrics").text.splitlines()
        assert f"AUDIT MISMATCH {found}" in caplog.messages
        refusals = [
            client.get(
                "/v1/audit/proofs/inclusion",
                params={"position": 1, "tree_size": head["tree_size"]},
                headers=auth,
            ),
            client.post("/v1/audit/tree-heads", headers=auth),
            client.get(
                f"/v1/campaigns/{C}/totals", params={"as_of": "2030-01-01T00:00:00Z"}, headers=auth
            ),
        ]
    reason = f"the stored history was altered at {found}"
    assert [(r.status_code, r.json()["message"], r.json()["fields"]) for r in refusals] == [
        (503, reason, [{"field": "position", "reason": reason}])
    ] * 3
