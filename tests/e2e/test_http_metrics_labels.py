"""/metrics cannot be grown by strangers (issue 12, point 5), over real HTTP, both stores.

Every label a request gives comes from a fixed set: methods outside HTTP's own are
``other``, paths are route templates or ``unmatched``.
"""

from __future__ import annotations

import random
import string

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import LiveServer

# The shapes strangers send; each is tried once before the fuzzing, so the series
# a shape makes already exist and the fuzzing can only make new ones by leaking text.
SHAPES = (
    ("{method}", "/healthz"),
    ("GET", "/{word}"),
    ("{method}", "/{word}/{word}"),
    ("GET", "/v1/campaigns/{word}/totals"),
    ("{method}", "/v1/campaigns/{word}/totals"),
    ("GET", "/static/{word}.js"),
    ("DELETE", "/metrics"),
)
HTTP_LABELS = ("tadamon_http_requests", "tadamon_http_request_seconds")


def _word(rng: random.Random) -> str:
    return "".join(rng.choices(string.ascii_letters + string.digits, k=rng.randint(3, 12)))


def _send(http: httpx.Client, rng: random.Random, shape: tuple[str, str]) -> None:
    method, path = shape
    method = method.format(method="X" + _word(rng).upper())
    http.request(method, path.format(word=_word(rng)) if "{" in path else path)


def _series(http: httpx.Client) -> tuple[set[tuple[str, tuple[tuple[str, str], ...]]], int]:
    text = http.get("/metrics").text
    found = {
        (sample.name, tuple(sorted(sample.labels.items())))
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    return found, len(text)


def _route_templates(live_server: LiveServer) -> set[str]:
    spec = httpx.get(f"{live_server.url}/openapi.json").json()
    return set(spec["paths"]) | {"/", "/openapi.json", "/static", "unmatched"}


def test_fuzzed_methods_and_paths_make_no_new_series(live_server: LiveServer) -> None:
    http = httpx.Client(base_url=live_server.url, timeout=30)
    rng = random.Random(20200426)  # fixed: the same fuzz every run
    for shape in SHAPES:
        _send(http, rng, shape)
    _series(http)  # a scrape is a request too: its own series exist from now on
    before, size_before = _series(http)
    for _ in range(200):
        _send(http, rng, rng.choice(SHAPES))
    after, size_after = _series(http)
    assert after == before
    assert size_after < size_before * 1.05  # only counters' digits may grow
    labels = [dict(labels) for name, labels in after if name.startswith(HTTP_LABELS)]
    assert {entry["method"] for entry in labels} <= {"GET", "DELETE", "other"}
    assert {entry["route"] for entry in labels} <= _route_templates(live_server)
