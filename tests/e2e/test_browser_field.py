"""The field app in real chromium: offline deliveries, reloads, a sync cut short, two phones.

Screenshots for a person to look at go to test-artifacts/field-*.png.
"""

# ruff: noqa: F811 - tests take the `browser` fixture imported from the dashboard's
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from adapters.settings import Settings
from tests.conftest import LiveServer
from tests.e2e.field_phone import (
    PHONE,
    SLUG,
    WAIT_MS,
    Wire,
    ledger,
    listed_campaign,
    no_overflow,
    open_app,
    sent,
    serve,
    sign_in_link,
    wait_controlled,
    waiting,
)
from tests.e2e.test_browser_dashboard import ARGS, ARTIFACTS, CHROMIUM, browser  # noqa: F401

pytestmark = pytest.mark.browser
CASABLANCA = "Africa/Casablanca"


def phone(launched: Any, profile: Path) -> Any:
    """A phone that keeps its storage across closing: a persistent browser profile."""
    return launched.browser_type.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), args=ARGS, viewport=PHONE
    )


def test_thirty_offline_deliveries_survive_a_reload_and_count_once(
    browser: Any, live_server: LiveServer, store_settings: Settings, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    admin, vouchers = listed_campaign(live_server, 31)
    context = phone(browser, tmp_path / "phone")
    wire = Wire(context, f"/v1/campaigns/{SLUG}/deliveries")
    page = context.pages[0]
    open_app(page, sign_in_link(live_server))
    wait_controlled(page)
    expect(page.locator("#n-listed")).to_have_text("31")
    context.set_offline(True)
    for voucher in vouchers[:30]:
        serve(page, voucher)
    waiting(page, 30)
    serve_again = vouchers[0]
    page.fill("#in-find", serve_again)
    page.press("#in-find", "Enter")
    expect(page.locator("#found-state")).to_have_text("Served (waiting to sync)")
    assert page.locator("#record").is_disabled()
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "yes", timeout=WAIT_MS)
    waiting(page, 30)
    assert no_overflow(page)
    context.set_offline(False)
    waiting(page, 0)
    shown = sent(page)
    wire.explains(shown.values())
    found = ledger(live_server, admin)
    assert found["served"] == 30
    served = vouchers[:30]
    assert found["by"] == dict(zip(served, _ids_by_voucher(page, served), strict=True))
    assert set(found["by"].values()) == set(shown)
    expect(page.locator("#n-served")).to_have_text("30")
    expect(page.locator("#n-remaining")).to_have_text("1")
    expect(page.locator("#n-stock")).to_have_text("70")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "field-en-synced.png"), full_page=True)
    context.close()


def _ids_by_voucher(page: Any, vouchers: list[str]) -> list[str]:
    stored = page.evaluate("FieldStore.all('outbox')")
    by_voucher = {item["voucher"]: item["id"] for item in stored}
    return [by_voucher[v] for v in vouchers]


# The phone's resend after a lost answer; exactly-once on both stores is the test above.
@pytest.mark.parametrize("store_settings", ["sqlite"], indirect=True)
def test_a_sync_cut_short_by_closing_the_page_loses_nothing_and_counts_once(
    browser: Any, live_server: LiveServer, store_settings: Settings, tmp_path: Path
) -> None:
    admin, vouchers = listed_campaign(live_server, 5)
    profile = tmp_path / "phone"
    context = phone(browser, profile)
    page = context.pages[0]
    open_app(page, sign_in_link(live_server))
    context.set_offline(True)
    for voucher in vouchers:
        serve(page, voucher)
    waiting(page, 5)
    reached: list[int] = []

    def swallow_the_answer(route: Any) -> None:
        reached.append(route.fetch().status)  # the server records; the phone never hears:
        route.abort("connectionreset")  # the line drops, and the page is closed at once

    context.route("**/deliveries", swallow_the_answer)
    context.set_offline(False)
    while not reached:
        page.wait_for_timeout(20)
    context.close()
    assert reached == [200]
    assert ledger(live_server, admin)["served"] == 5
    context = phone(browser, profile)
    page = context.pages[0]
    open_app(page, sign_in_link(live_server).split("#")[0])
    waiting(page, 0)
    assert set(sent(page).values()) == {"duplicate"}
    assert page.locator("#outbox .answer").first.inner_text() == "Already recorded (counted once)"
    found = ledger(live_server, admin)
    assert found["served"] == 5 and set(found["by"].values()) == set(sent(page))
    context.close()


def test_two_phones_serve_one_household_offline_the_ledger_counts_one(
    browser: Any, live_server: LiveServer, store_settings: Settings
) -> None:
    from playwright.sync_api import expect

    admin, vouchers = listed_campaign(live_server, 2)
    phones = [browser.new_context(viewport=PHONE, timezone_id=CASABLANCA) for _ in range(2)]
    first, second = (p.new_page() for p in phones)
    open_app(first, sign_in_link(live_server, "en"))
    open_app(second, sign_in_link(live_server, "fr"))
    for context, page in zip(phones, (first, second), strict=True):
        context.set_offline(True)
        serve(page, vouchers[0])
        waiting(page, 1)
    phones[0].set_offline(False)
    waiting(first, 0)
    phones[1].set_offline(False)
    waiting(second, 0)
    (winner,) = first.evaluate("FieldStore.all('outbox')")
    day = datetime.fromisoformat(winner["delivered_at"]).astimezone(ZoneInfo(CASABLANCA))
    expect(second.locator("#review li .answer")).to_have_text(
        f"Refusée : Ménage déjà servi par la remise {winner['id']} le {day:%d/%m} du comité anfa."
        " Ne donnez pas un second panier."
    )
    assert second.locator("#outbox li").count() == 0
    found = ledger(live_server, admin)
    assert found["served"] == 1 and found["by"] == {vouchers[0]: winner["id"]}
    reverse = first.locator(f"#outbox li[data-id='{winner['id']}'] form.reverse")
    reverse.locator("input").fill("kit handed to the wrong family")
    reverse.locator("button").click()
    expect(first.locator("#outbox li")).to_have_count(2)
    reversal = first.locator("#outbox li").first
    expect(reversal.locator(".what")).to_have_text(f"Reversal of delivery {winner['id']}")
    expect(reversal).to_have_attribute("data-state", "recorded")
    assert ledger(live_server, admin) == {"served": 0, "by": {}}
    expect(first.locator("#n-served")).to_have_text("0")
    for context in phones:
        context.close()


@pytest.mark.parametrize("store_settings", ["sqlite"], indirect=True)  # the page, not the store
def test_each_language_fits_a_phone_and_arabic_is_right_to_left(
    browser: Any, live_server: LiveServer, store_settings: Settings
) -> None:
    from playwright.sync_api import expect

    _admin, vouchers = listed_campaign(live_server, 3)
    context = browser.new_context(viewport=PHONE, timezone_id=CASABLANCA)
    page = context.new_page()
    open_app(page, sign_in_link(live_server, "ar"))
    context.set_offline(True)
    serve(page, vouchers[0])
    page.fill("#in-find", vouchers[1])
    page.press("#in-find", "Enter")
    ARTIFACTS.mkdir(exist_ok=True)
    for lang, direction, tap in (("ar", "rtl", "تسليم القفة"), ("fr", "ltr", "Remettre le panier"),
                                 ("en", "ltr", "Hand over the kit")):  # fmt: skip
        page.select_option("#lang", lang)
        expect(page.locator("html")).to_have_attribute("dir", direction)
        expect(page.locator("#record")).to_have_text(tap)
        expect(page.locator("#n-listed")).to_have_text("3")  # ar-MA writes Western digits
        assert no_overflow(page)
        page.screenshot(path=str(ARTIFACTS / f"field-{lang}.png"), full_page=True)
    context.close()
