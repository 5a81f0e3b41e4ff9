"""Donations mode of the field app in real chromium: a gift in kind with two lines, the same
receipt sent again, a dispatch, one refused with the field at fault, and no network."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from adapters.settings import Settings
from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.field_phone import PHONE, open_app
from tests.e2e.test_browser_dashboard import ARTIFACTS, browser  # noqa: F401 - fixture

pytestmark = pytest.mark.browser
STORE = "casa-central"


def officer_link(live_server: LiveServer) -> str:
    officer = live_server.token(Role.DONATIONS)
    store = {"code": STORE, "name": "Central store", "city": "Casablanca"}
    donor = {"code": "auto-hall", "kind": "company", "name": "Auto Hall"}
    with httpx.Client(base_url=live_server.url, headers=officer) as http:
        assert http.post("/v1/stores", json=store).status_code == 201
        assert http.post("/v1/donors", json=donor).status_code == 201
    token = officer["Authorization"].split(" ", 1)[1]
    return f"{live_server.url}/field/?lang=en#mode=donations&store={STORE}&token={token}"


def fill_line(form: Any, index: int, **values: str) -> None:
    line = form.locator("fieldset.line").nth(index)
    for name, value in values.items():
        line.locator(f"input[name={name}]").fill(value)


@pytest.mark.parametrize("store_settings", ["sqlite"], indirect=True)  # the page, not the store
def test_an_officer_records_a_gift_and_a_dispatch_online_with_clear_answers(
    browser: Any,  # noqa: F811 - the fixture imported above
    live_server: LiveServer,
    store_settings: Settings,
) -> None:
    from playwright.sync_api import expect

    link = officer_link(live_server)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    open_app(page, link)
    answer = page.locator("#don-answer")
    gift = page.locator("#gift")
    page.fill("#in-donor", "auto-hall")
    page.fill("#in-receipt", "r-2020-17")
    fill_line(gift, 0, item="masks", category="protective-equipment", description="FFP2 masks",
              quantity="1000", unit="piece", value_mad="2500.50")  # fmt: skip
    gift.locator(".add-line").click()
    fill_line(gift, 1, item="gloves", category="protective-equipment", description="Gloves",
              quantity="200", unit="box")  # fmt: skip
    gift.locator("button[type=submit]").click()
    expect(answer).to_have_text("Recorded")
    answer.evaluate("node => { node.textContent = '' }")
    gift.locator("button[type=submit]").click()
    expect(answer).to_have_text("Already recorded (counted once)")
    dispatch = page.locator("#dispatch")
    page.fill("#in-dispatch", "bl-1")
    page.fill("#in-recipient", "chu-casa")
    page.fill("#in-recipient-name", "CHU Ibn Rochd")
    fill_line(dispatch, 0, item="masks", quantity="400")
    dispatch.locator("button[type=submit]").click()
    expect(answer).to_have_text("Recorded")
    page.fill("#in-dispatch", "bl-2")
    fill_line(dispatch, 0, item="masks", quantity="not a number")
    dispatch.locator("button[type=submit]").click()
    expect(answer).to_have_text(
        "Refused: lines.0.quantity: Value error, must be a positive amount with at most 3 "
        "decimals, e.g. '2.5', written as digits"
    )
    context.set_offline(True)
    dispatch.locator("button[type=submit]").click()
    expect(answer).to_have_text("Refused: Online only: each form is sent at once.")
    if store_settings.is_sqlite:
        page.screenshot(path=str(ARTIFACTS / "field-donations-en.png"), full_page=True)
    with httpx.Client(base_url=live_server.url, headers=live_server.token(Role.ADMIN)) as http:
        stock = http.get(f"/v1/stores/{STORE}").json()["stock"]
    assert {s["item"]: s["quantity"] for s in stock} == {"masks": "600", "gloves": "200"}
    context.close()


@pytest.mark.parametrize("store_settings", ["sqlite"], indirect=True)  # the page, not the store
def test_a_gift_in_an_approved_month_is_answered_held_in_the_phones_words(
    browser: Any,  # noqa: F811 - the fixture imported above
    live_server: LiveServer,
) -> None:
    from playwright.sync_api import expect

    link = officer_link(live_server)
    month = datetime.now(ZoneInfo("Africa/Casablanca")).strftime("%Y-%m")
    with httpx.Client(base_url=live_server.url, headers=live_server.token(Role.ADMIN)) as http:
        approved = http.post(f"/v1/approvals/donations/donations/store/{STORE}/{month}")
        assert approved.status_code == 201, approved.text
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    open_app(page, link.replace("lang=en", "lang=ar"))
    gift = page.locator("#gift")
    page.fill("#in-donor", "auto-hall")
    page.fill("#in-receipt", "r-late")
    fill_line(gift, 0, item="masks", category="protective-equipment", description="FFP2 masks",
              quantity="10", unit="piece")  # fmt: skip
    gift.locator("button[type=submit]").click()
    words = page.evaluate("window.TADAMON_I18N.ar")["f_state_held"]
    expect(page.locator("#don-answer")).to_have_text(words)
    expect(page.locator("#don-answer")).to_have_attribute("data-state", "held")
    context.close()
