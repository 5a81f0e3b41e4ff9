"""Site mode of the field app in real chromium: a ship's arrival and a case opened, referred
and closed while offline, then sent; the same crossing typed again counts once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from adapters.settings import Settings
from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.field_phone import PHONE, WAIT_MS, Wire, open_app, sent, waiting
from tests.e2e.test_browser_dashboard import ARTIFACTS, browser  # noqa: F401 - fixture

pytestmark = pytest.mark.browser
OP = "/v1/operations/marhaba-field"


def reception_site(live_server: LiveServer) -> tuple[dict[str, str], str]:
    """An operation running today with the port of Genoa; the site's sign-in link."""
    admin = live_server.token(Role.ADMIN)
    today = datetime.now(ZoneInfo("Africa/Casablanca")).date()
    operation = {"slug": "marhaba-field", "name": "Marhaba", "starts_on": str(today - timedelta(2)),
                 "ends_on": str(today + timedelta(30))}  # fmt: skip
    site = {"code": "port-genoa", "name": "Port of Genoa", "kind": "port", "city": "Genoa",
            "country": "IT"}  # fmt: skip
    with httpx.Client(base_url=live_server.url, headers=admin) as http:
        assert http.post("/v1/operations", json=operation).status_code == 201
        assert http.post(f"{OP}/sites", json=site).status_code == 201
    bearer = live_server.token(Role.SITE, "port-genoa", "marhaba-field")["Authorization"]
    token = bearer.split(" ", 1)[1]
    return admin, (f"{live_server.url}/field/?lang=en#mode=site&operation=marhaba-field"
                   f"&site=port-genoa&token={token}")  # fmt: skip


def arrival_by_ship(page: Any, crossing: str, travellers: int) -> None:
    page.check("input[name=direction][value=arrival]")
    page.check("input[name=transport][value=sea]")
    page.fill("#in-flight", crossing)
    page.fill("#in-travellers", str(travellers))
    page.click("#movement button[type=submit]")


def test_a_site_records_a_crossing_and_a_case_offline_then_sends_them_once(
    browser: Any,  # noqa: F811 - the fixture imported above
    live_server: LiveServer,
    store_settings: Settings,
) -> None:
    from playwright.sync_api import expect

    admin, link = reception_site(live_server)
    context = browser.new_context(viewport=PHONE)
    wire = Wire(context, f"{OP}/sites/port-genoa/")
    page = context.new_page()
    open_app(page, link)
    context.set_offline(True)
    arrival_by_ship(page, "GNV 123", 420)
    page.select_option("#in-category", "medical")
    page.fill("#in-people", "2")
    page.click("#case button[type=submit]")
    case = page.locator("#cases li")
    expect(case).to_have_count(1)
    case.locator("select.destination").select_option("moh_hospital")
    case.locator("button.refer").click()
    waiting(page, 3)
    page.locator("#cases li button.close").click()
    expect(case).to_have_count(0)
    waiting(page, 4)
    context.set_offline(False)
    waiting(page, 0)
    shown = list(sent(page).values())
    assert len(shown) == 4
    wire.explains(shown)
    arrival_by_ship(page, "GNV 123", 420)
    waiting(page, 0)
    expect(page.locator("#outbox li .answer").first).to_have_text("Already recorded (counted once)")
    with httpx.Client(base_url=live_server.url, headers=admin) as http:
        head = http.get("/v1/activity", params={"limit": 1}).json()["head"]
        totals = http.get(f"{OP}/totals", params={"min_position": head}).json()
    figures = {k: totals[k] for k in ("arrivals", "movements", "cases_opened", "cases_closed",
                                      "open_cases", "people_assisted", "referrals")}  # fmt: skip
    assert figures == {"arrivals": 420, "movements": 1, "cases_opened": 1, "cases_closed": 1,
                       "open_cases": 0, "people_assisted": 2, "referrals": 1}  # fmt: skip
    if store_settings.is_sqlite:
        screens(page)
    context.close()


def test_a_crossing_and_a_case_in_an_approved_day_show_held_in_the_phones_words(
    browser: Any,  # noqa: F811 - the fixture imported above
    live_server: LiveServer,
) -> None:
    from playwright.sync_api import expect

    admin, link = reception_site(live_server)
    today = datetime.now(ZoneInfo("Africa/Casablanca")).date()
    with httpx.Client(base_url=live_server.url, headers=admin) as http:
        day = f"/v1/approvals/marhaba/marhaba-field/site/port-genoa/{today}"
        assert http.post(day).status_code == 201
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    open_app(page, link.replace("lang=en", "lang=fr"))
    context.set_offline(True)  # both sent in one sync
    arrival_by_ship(page, "GNV 321", 80)
    page.select_option("#in-category", "medical")
    page.fill("#in-people", "3")
    page.click("#case button[type=submit]")
    waiting(page, 2)
    context.set_offline(False)
    words = page.evaluate("window.TADAMON_I18N.fr")["f_state_held"]  # never the English
    expect(page.locator("#outbox li .answer")).to_have_text([words, words], timeout=WAIT_MS)
    assert list(sent(page).values()) == ["held"] * 2
    with httpx.Client(base_url=live_server.url, headers=admin) as http:
        held = http.get("/v1/approvals/marhaba/marhaba-field/held").json()
    assert sorted(h["facts"].get("kind", "movement") for h in held) == ["case", "movement"]
    context.close()


def screens(page: Any) -> None:
    """The site's screen in each language, for the README (a case left open to show it)."""
    page.click("#case button[type=submit]")
    ARTIFACTS.mkdir(exist_ok=True)
    for lang in ("ar", "fr", "en"):
        page.select_option("#lang", lang)
        page.screenshot(path=str(ARTIFACTS / f"field-site-{lang}.png"), full_page=True)
