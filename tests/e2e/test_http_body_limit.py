"""The body limit holds however the body is sent (issue 12, point 9), real uvicorn, both stores.

Before, only a Content-Length was checked: a chunked upload (no Content-Length) was
read whole and recorded, whatever its size.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from adapters.bootstrap import Container, bootstrap
from adapters.settings import Settings
from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.test_http_distribution import delivery, setup_campaign
from tests.e2e.test_http_import import URL, sheet

LIMIT = 16_384
BOUNDARY = "edges-boundary"


@pytest.fixture
def small_limit(store_settings: Settings) -> Iterator[Container]:
    built = bootstrap(store_settings, max_body_bytes=LIMIT)
    yield built
    built.close()


@pytest.fixture
def server(small_limit: Container) -> Iterator[LiveServer]:
    with LiveServer(small_limit) as live:
        yield live


def _chunks(data: bytes, size: int = 4096) -> Iterator[bytes]:
    """A generator body: httpx sends it chunked, with no Content-Length."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


def _deliveries(count: int) -> bytes:
    return json.dumps({"items": [delivery(n) for n in range(1, count + 1)]}).encode()


def _csv(count: int) -> bytes:
    rows = (f"anfa-{n};casa-anfa;BE{n:06d};5;26/04/2020 10h15" for n in range(1, count + 1))
    return sheet(*rows)


def _multipart(data: bytes) -> bytes:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="l.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{BOUNDARY}--\r\n".encode()


UPLOADS = {
    "json": ("/v1/campaigns/ramadan-1441/deliveries", "application/json", _deliveries),
    "csv": (URL, "text/csv", _csv),
    "multipart": (URL, f"multipart/form-data; boundary={BOUNDARY}", lambda n: _multipart(_csv(n))),
}


def _head(http: httpx.Client, admin: dict[str, str]) -> int:
    return int(http.get("/v1/activity", headers=admin).json()["head"])


@pytest.mark.parametrize("kind", sorted(UPLOADS))
def test_a_chunked_body_past_the_limit_is_413_and_records_nothing(
    server: LiveServer, kind: str
) -> None:
    http = httpx.Client(base_url=server.url, timeout=30)
    admin = server.token(Role.ADMIN)
    setup_campaign(http, admin)
    path, content_type, build = UPLOADS[kind]
    headers = admin | {"content-type": content_type}
    small, large = build(3), build(600)
    assert len(small) < LIMIT < len(large)
    head = _head(http, admin)
    refused = http.post(path, content=_chunks(large), headers=headers)
    assert refused.status_code == 413, refused.text
    assert refused.json()["fields"] == [{"field": "body", "reason": f"over {LIMIT} bytes"}]
    assert _head(http, admin) == head  # nothing recorded
    accepted = http.post(path, content=_chunks(small), headers=headers)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["recorded"] == 3  # chunked within the limit still works
