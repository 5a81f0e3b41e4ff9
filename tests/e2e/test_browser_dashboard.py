"""The dashboard in a real headless browser: Debian's chromium driven by Playwright.

Screenshots are kept in ``test-artifacts/`` (git-ignored) for a person to look at:
dashboard-<backend>-en.png, -ar.png (right to left), -phone.png, and
-operations-en.png / -operations-ar.png (Marhaba and donation figures).
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
from tests.e2e.test_http_marhaba import GENOA, movement, setup_operation
from tests.marhaba_data import OPERATION

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


def _operations(board: dict[str, Any]) -> None:
    """Marhaba 2020 (and 2019, for the picker) with movements; a gift in kind and one in cash."""
    http, admin = board["http"], board["admin"]
    setup_operation(http, admin)
    older = OPERATION | {"slug": "marhaba-2019", "name": "Marhaba 2019"}
    older |= {"starts_on": "2019-06-05", "ends_on": "2019-09-15"}
    assert http.post("/v1/operations", json=older, headers=admin).status_code == 201
    items = [movement(1, travellers=1200), movement(2, travellers=34)]
    items.append(movement(3, travellers=400, direction="departure"))
    assert http.post(f"{GENOA}/movements", json={"items": items}, headers=admin).status_code == 200
    store = {"code": "casa-central", "name": "Central store", "city": "Casablanca"}
    assert http.post("/v1/stores", json=store, headers=admin).status_code == 201
    for donor in ({"code": "auto-hall", "kind": "company", "name": "Auto Hall"},
                  {"code": "mohsin-1", "kind": "individual"}):  # fmt: skip
        assert http.post("/v1/donors", json=donor, headers=admin).status_code == 201
    line = {"item": "ambulances", "category": "vehicles", "description": "ambulances",
            "quantity": "50", "unit": "vehicle", "value_mad": "11500000.00"}  # fmt: skip
    gift = {"donor": "auto-hall", "receipt": "r-003", "store": "casa-central",
            "received_at": "2020-03-24T10:00:00+01:00", "lines": [line]}  # fmt: skip
    assert http.post("/v1/donations/in-kind", json=gift, headers=admin).status_code == 201
    cash = {"donor": "mohsin-1", "receipt": "c-1", "direction": "received", "fund": "covid",
            "amount_mad": "1576200.00", "occurred_at": "2020-03-25T10:00:00+01:00"}  # fmt: skip
    assert http.post("/v1/donations/cash?wait=true", json=cash, headers=admin).status_code == 201


def test_marhaba_and_donation_figures_in_english_and_arabic(
    browser: Any, board: dict[str, Any], store_settings: Settings
) -> None:
    from playwright.sync_api import expect

    _operations(board)
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    problems = watch(page, board["url"])
    page.goto(f"{board['url']}/?poll=400#auditor={board['auditor']}")
    arrivals = page.get_by_test_id("marhaba-arrivals")
    received = page.get_by_test_id("donations-value_received_mad")
    expect(page.locator("#card-marhaba")).to_be_visible()
    expect(page.locator("#operation-name")).to_have_text("Marhaba 2020")
    expect(arrivals).to_have_text("1,234")
    expect(page.get_by_test_id("marhaba-departures")).to_have_text("400")
    expect(received).to_have_text("13,076,200 MAD")
    expect(page.get_by_test_id("donations-in_kind_mad")).to_have_text("11,500,000 MAD")
    expect(page.get_by_test_id("donations-donor_count")).to_have_text("2")
    expect(page.locator("#card-marhaba dt").first).to_have_text("Arrivals")
    expect(page.locator("#activity li").first).to_contain_text("Cash gift")
    assert "mohsin" not in page.locator("#activity").inner_text()  # no donor in the feed

    more = [movement(4, travellers=66)]
    sent = board["http"].post(f"{GENOA}/movements", json={"items": more}, headers=board["admin"])
    assert sent.json()["recorded"] == 1
    expect(arrivals).to_have_text("1,300", timeout=UPDATE_TIMEOUT_MS)
    first = page.locator("#activity li").first
    expect(first).to_contain_text("Movement recorded")
    expect(first).to_contain_text("port-genoa · arrival · sea · 66 travellers")
    shot(page, store_settings, "operations-en")

    page.get_by_role("button", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#card-marhaba h2")).to_have_text("مرحبا: الوصول والمغادرة")
    expect(page.locator("#card-marhaba dt").first).to_have_text("الوصول")
    expect(arrivals).to_have_text(page.evaluate("new Intl.NumberFormat('ar-MA').format(1300)"))
    mad = page.evaluate(
        "new Intl.NumberFormat('ar-MA', {maximumFractionDigits: 0}).format(13076200)"
    )
    expect(received).to_have_text(f"{mad} درهم")
    expect(page.locator("#activity li").first).to_contain_text("تسجيل رحلة")
    expect(page.locator("#activity li").first).to_contain_text("وصول")
    shot(page, store_settings, "operations-ar")

    picker = page.locator("#operation")
    expect(picker).to_be_visible()  # two operations: the picker shows
    picker.select_option("marhaba-2019")
    expect(page.locator("#operation-name")).to_have_text("Marhaba 2019")
    expect(arrivals).to_have_text(page.evaluate("new Intl.NumberFormat('ar-MA').format(0)"))
    assert problems == [], problems
    context.close()
