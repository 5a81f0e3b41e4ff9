"""The dashboard in a real headless browser: Debian's chromium driven by Playwright.

Screenshots are kept in ``test-artifacts/`` (git-ignored) for a person to look at:
dashboard-<backend>-en.png, -ar.png (right to left) and -phone.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.settings import Settings
from domain.actors import Role
from tests.conftest import LiveServer, service_missing
from tests.e2e.test_http_distribution import delivery, setup_campaign

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
UPDATE_TIMEOUT_MS = 15_000
# Chromium logs these answers as console errors: the operations not built yet (404) and
# the wrong token typed on purpose (401).
EXPECTED = re.compile(r"status of 40[14] \((Not Found|Unauthorized)\)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        service_missing("chromium", f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        service_missing("playwright", str(error))
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def board(live_server: LiveServer) -> dict[str, Any]:
    http = httpx.Client(base_url=live_server.url, timeout=30)
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    items = [delivery(1, size=5), delivery(2, size=3)]
    http.post(
        "/v1/campaigns/ramadan-1441/deliveries?wait=true", json={"items": items}, headers=admin
    )
    auditor = live_server.token(Role.AUDITOR)["Authorization"].split(" ", 1)[1]
    return {"http": http, "admin": admin, "auditor": auditor, "url": live_server.url}


def shot(page: Any, store_settings: Settings, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    backend = "sqlite" if store_settings.is_sqlite else "postgres"
    path = ARTIFACTS / f"dashboard-{backend}-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def watch(page: Any, origin: str) -> list[str]:
    """Collects page errors, console errors and any request leaving this server."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda m: m.type == "error" and not EXPECTED.search(m.text) and problems.append(m.text),
    )
    page.on(
        "request",
        lambda r: r.url.startswith((origin, "data:")) or problems.append(f"outside: {r.url}"),
    )
    return problems


def test_loads_shows_totals_updates_live_and_switches_to_arabic(
    browser: Any, board: dict[str, Any], store_settings: Settings
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = watch(page, board["url"])
    page.goto(f"{board['url']}/?poll=400#auditor={board['auditor']}")
    served = page.get_by_test_id("households-served")
    expect(served).to_have_text("2")
    expect(page.get_by_test_id("households-target")).to_have_text("600,000")
    expect(page.locator("#people")).to_have_text("8")
    expect(page.locator("#regions li").first).to_contain_text("Casablanca-Settat")
    expect(page.locator("#regions li").first).to_contain_text("2 / 1,000")
    expect(page.locator("#activity li").first).to_contain_text("Kit delivered")
    expect(page.locator("#activity li").first).to_contain_text("casa-anfa · MA-CAS · 3 people")
    assert "auditor=" not in page.url  # the token left the address bar for the tab's storage
    assert page.evaluate("sessionStorage.getItem('tadamon.token')") == board["auditor"]
    expect(page.locator("#card-marhaba")).to_be_hidden()  # no marhaba-2020 operation here
    expect(page.locator("#card-donations")).to_be_visible()  # the intake totals always answer

    sent = board["http"].post(
        "/v1/campaigns/ramadan-1441/deliveries",
        json={"items": [delivery(3, size=4)]},
        headers=board["admin"],
    )
    assert sent.json()["recorded"] == 1
    expect(served).to_have_text("3", timeout=UPDATE_TIMEOUT_MS)
    expect(page.locator("#people")).to_have_text("12")
    expect(page.locator("#activity li").first).to_contain_text("4 people")
    shot(page, store_settings, "en")

    page.get_by_role("button", name="العربية").click()
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    expect(page.locator("#card-distribution h2")).to_have_text("عملية الدعم الغذائي")
    expect(page.locator("#regions li").first).to_contain_text("الدار البيضاء - سطات")
    arabic_target = page.evaluate("new Intl.NumberFormat('ar-MA').format(600000)")
    expect(page.get_by_test_id("households-target")).to_have_text(arabic_target)
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    shot(page, store_settings, "ar")

    page.get_by_role("button", name="Français").click()
    expect(html).to_have_attribute("dir", "ltr")
    french_target = page.evaluate("new Intl.NumberFormat('fr-MA').format(600000)")
    expect(page.get_by_test_id("households-target")).to_have_text(french_target)
    page.reload()  # the language choice survives a reload; the token stays in the tab
    expect(html).to_have_attribute("lang", "fr")
    expect(served).to_have_text("3")
    assert problems == []
    context.close()


def test_phone_screen_and_sign_in(
    browser: Any, board: dict[str, Any], store_settings: Settings
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(
        locale="fr-FR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    problems = watch(page, board["url"])
    page.goto(board["url"] + "/")
    expect(page.locator("#login")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.fill("#token", "tdm_not-a-real-token")
    page.click("#login-form button[type=submit]")
    expect(page.locator("#login-error")).to_have_text("Jeton inconnu ou révoqué.")
    page.fill("#token", board["auditor"])
    page.click("#login-form button[type=submit]")
    expect(page.get_by_test_id("households-served")).to_have_text("2")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a phone screen"
    card = page.locator("#card-distribution").bounding_box()
    assert card is not None and card["width"] <= 390
    shot(page, store_settings, "phone")
    page.click("#sign-out")
    expect(page.locator("#login")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('tadamon.token')") is None
    assert problems == [], problems
    context.close()
