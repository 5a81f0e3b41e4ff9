"""/docs and /redoc render in a real chromium that may not reach any other host."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from adapters.bootstrap import bootstrap
from tests.conftest import LiveServer, sqlite_settings
from tests.e2e.test_browser_dashboard import browser  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser
LOOPBACK = {"127.0.0.1", "localhost"}
REDOC_BADGE = "https://cdn.redoc.ly/redoc/logo-mini.svg"
RENDER_MS = 90_000  # a 1.5 MB bundle rendering 58 operations, on a busy 2-core machine


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    container = bootstrap(sqlite_settings(tmp_path_factory.mktemp("docs")))
    with LiveServer(container) as served:
        yield served
    container.close()


def offline_page(browser: Any, refused: list[str]) -> Any:  # noqa: F811
    """A page whose every request to a host other than this machine is aborted (and noted)."""
    page = browser.new_page()
    page.set_default_timeout(RENDER_MS)

    def only_loopback(route: Any) -> None:
        if urlsplit(route.request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    return page


def operation_count(server: LiveServer) -> int:
    paths = httpx.get(f"{server.url}/openapi.json").json()["paths"]
    return sum(len(methods) for methods in paths.values())


def test_swagger_ui_renders_every_operation_offline(browser: Any, server: LiveServer) -> None:  # noqa: F811
    refused: list[str] = []
    page = offline_page(browser, refused)
    page.goto(f"{server.url}/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=RENDER_MS)
    assert page.locator(".swagger-ui .opblock").count() == operation_count(server)
    assert refused == []
    page.close()


def test_redoc_renders_offline(browser: Any, server: LiveServer, tmp_path: Path) -> None:  # noqa: F811
    refused: list[str] = []
    page = offline_page(browser, refused)
    page.goto(f"{server.url}/redoc")
    page.wait_for_selector("h1", timeout=RENDER_MS)
    page.get_by_text("Launch a distribution campaign").first.wait_for(timeout=RENDER_MS)
    assert page.locator("h1").first.inner_text() == "Tadamon (0.1.0)"
    # ReDoc's bundle links its "powered by" badge to its vendor; the page renders without it.
    assert refused == [REDOC_BADGE]
    page.close()
