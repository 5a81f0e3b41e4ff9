"""The field app says when a sync failed, keeps saying it across a reload, and clears it."""

# ruff: noqa: F811 - tests take the `browser` fixture imported from the dashboard's
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from adapters.settings import Settings
from tests.conftest import LiveServer
from tests.e2e.field_phone import (
    PHONE,
    WAIT_MS,
    ledger,
    listed_campaign,
    no_overflow,
    open_app,
    sent,
    serve,
    sign_in_link,
    waiting,
)
from tests.e2e.test_browser_dashboard import ARGS, CHROMIUM, browser  # noqa: F401

pytestmark = pytest.mark.browser
DELIVERIES = "**/deliveries"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# The start of the notice in each language, and the page's direction.
SAID = {
    "ar": ("تعذّرت المزامنة (", "rtl"),
    "fr": ("Échec de la synchronisation (", "ltr"),
    "en": ("Sync failed (", "ltr"),
}


def said_in_each_language(page: Any) -> None:
    """The notice in Arabic (right to left), French and English at 390 px, for the README."""
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for lang, (start, direction) in SAID.items():
        page.select_option("#lang", lang)
        # The page re-renders after the choice: wait for the words, not only the line.
        notice = page.locator("#sync-failed")
        expect(notice).to_have_text(re.compile("^" + re.escape(start)), timeout=WAIT_MS)
        assert page.evaluate("document.documentElement.dir") == direction
        assert no_overflow(page), lang
        page.screenshot(path=str(SCREENSHOTS / f"field-sync-failed-{lang}.png"))


def failed_line(page: Any) -> str:
    from playwright.sync_api import expect

    notice = page.locator("#sync-failed")
    expect(notice).to_be_visible(timeout=WAIT_MS)
    return str(notice.inner_text())


@pytest.mark.parametrize("store_settings", ["sqlite"], indirect=True)
def test_a_failed_sync_is_shown_with_its_time_until_a_sync_succeeds(
    browser: Any, live_server: LiveServer, store_settings: Settings, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    admin, vouchers = listed_campaign(live_server, 3)
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "phone"), executable_path=str(CHROMIUM), args=ARGS, viewport=PHONE
    )
    page = context.pages[0]
    open_app(page, sign_in_link(live_server))
    expect(page.locator("#sync-failed")).to_be_hidden()
    context.route(DELIVERIES, lambda route: route.abort("connectionrefused"))
    serve(page, vouchers[0])
    first = failed_line(page)
    assert first.startswith("Sync failed (") and "nothing is lost" in first, first
    waiting(page, 1)
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "yes", timeout=WAIT_MS)
    assert failed_line(page).startswith("Sync failed ("), "the notice did not outlive a reload"
    context.unroute(DELIVERIES)
    context.route(DELIVERIES, lambda route: route.fulfill(status=503, body="down"))
    page.click("#sync")
    assert failed_line(page).startswith("Sync failed ("), "a 503 was not shown as a failure"
    said_in_each_language(page)
    waiting(page, 1)
    assert ledger(live_server, admin)["served"] == 0
    context.unroute(DELIVERIES)
    page.click("#sync")
    waiting(page, 0)
    expect(page.locator("#sync-failed")).to_be_hidden()
    assert list(sent(page).values()) == ["recorded"]
    assert ledger(live_server, admin)["served"] == 1
    context.close()
