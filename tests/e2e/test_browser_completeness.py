"""The dashboard's completeness tables and charts in chromium: silent committees and
reception sites first."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.test_browser_charts import SCREENSHOTS
from tests.e2e.test_browser_dashboard import ARTIFACTS, browser, watch  # noqa: F401 - fixture
from tests.e2e.test_http_distribution import delivery, setup_campaign
from tests.e2e.test_http_marhaba import GENOA, movement, setup_operation
from tests.marhaba_data import SITES

pytestmark = pytest.mark.browser
# casa-sidi delivered on the 26th and the 28th (silent on the 27th); casa-anfa on the 26th.
PLAN = [
    (1, "casa-anfa", "2020-04-26T10:00:00+01:00"),
    (2, "casa-sidi", "2020-04-26T11:00:00+01:00"),
    (3, "casa-sidi", "2020-04-28T11:00:00+01:00"),
]


def test_completeness_lists_silent_committees_first_in_three_languages(
    browser: Any,  # noqa: F811 - the fixture
    live_server: LiveServer,
) -> None:
    from playwright.sync_api import expect

    admin = live_server.token(Role.ADMIN)
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        setup_campaign(http, admin)
        items = [delivery(n, code, when=when) for n, code, when in PLAN]
        sent = http.post(
            "/v1/campaigns/ramadan-1441/deliveries?wait=true", json={"items": items}, headers=admin
        )
        assert sent.json()["recorded"] == len(PLAN)
    auditor = live_server.token(Role.AUDITOR)["Authorization"].split(" ", 1)[1]
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = context.new_page()
    problems = watch(page, live_server.url)
    page.goto(f"{live_server.url}/?poll=400#auditor={auditor}")
    rows = page.locator("#completeness tr")
    expect(rows).to_have_count(2)
    cells = page.locator("#completeness tr:first-child td")
    # Recorded years after these 2020 days: every report is late.
    expect(cells).to_have_text(["3", "2", "0", "2", "1"])
    assert rows.nth(0).get_attribute("data-unit") == "casa-sidi"
    assert rows.nth(1).get_attribute("data-unit") == "casa-anfa"
    expect(page.locator("#completeness-panel h2")).to_have_text("Who has reported")
    expect(page.locator("#completeness-chart li")).to_have_count(2)
    silent = page.locator("#completeness-chart li:first-child .silent")
    share = silent.evaluate("e => parseFloat(e.style.inlineSize)")
    assert round(share, 2) == round(100 / 3, 2)  # 1 silent day of 3 expected
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False  # phone-first: no horizontal scrolling at 390 px
    wrap = page.locator("#completeness-panel .table-wrap")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth")  # nor inside the table
    panel = page.locator("#completeness-panel")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(SCREENSHOTS / "completeness-en.png"))
    page.get_by_role("button", name="العربية").click()
    expect(page.locator("#completeness-panel thead th").last).to_have_text("صامتة")
    panel.screenshot(path=str(SCREENSHOTS / "completeness-ar.png"))
    page.get_by_role("button", name="Français").click()
    expect(page.locator("#completeness-panel thead th").last).to_have_text("Silencieux")
    panel.screenshot(path=str(SCREENSHOTS / "completeness-fr.png"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-completeness-phone.png"), full_page=True)
    context.close()
    assert problems == []


def test_reception_sites_silent_days_first_in_three_languages(
    browser: Any,  # noqa: F811 - the fixture
    live_server: LiveServer,
) -> None:
    """Each site is expected every day it is open (the operation's 63 days in 2020)."""
    from playwright.sync_api import expect

    admin = live_server.token(Role.ADMIN)
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        setup_operation(http, admin)
        sent = http.post(f"{GENOA}/movements?wait=true", json={"items": [movement(1)]},
                         headers=admin)  # fmt: skip
        assert sent.json()["recorded"] == 1
    auditor = live_server.token(Role.AUDITOR)["Authorization"].split(" ", 1)[1]
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = context.new_page()
    problems = watch(page, live_server.url)
    page.goto(f"{live_server.url}/?poll=400#auditor={auditor}")
    rows = page.locator("#site-completeness tr")
    expect(rows).to_have_count(len(SITES))
    assert rows.last.get_attribute("data-unit") == "port-genoa"  # the only one that reported
    expect(page.locator("#site-completeness tr:last-child td")).to_have_text(
        ["63", "1", "0", "1", "62"]
    )
    expect(page.locator("#site-completeness tr:first-child td").last).to_have_text("63")
    expect(page.locator("#site-completeness-panel h2")).to_have_text(
        "Which reception sites have reported"
    )
    assert page.evaluate("document.documentElement.scrollWidth > window.innerWidth") is False
    panel = page.locator("#site-completeness-panel")
    panel.screenshot(path=str(SCREENSHOTS / "site-completeness-en.png"))
    page.get_by_role("button", name="العربية").click()
    expect(page.locator("#site-completeness-panel thead th").first).to_have_text("الموقع")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("document.documentElement.scrollWidth > window.innerWidth") is False
    panel.screenshot(path=str(SCREENSHOTS / "site-completeness-ar.png"))
    page.get_by_role("button", name="Français").click()
    expect(page.locator("#site-completeness-panel h2")).to_have_text(
        "Quels sites d\u2019accueil ont rendu compte"
    )
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    panel.screenshot(path=str(SCREENSHOTS / "site-completeness-fr.png"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-site-completeness-phone.png"), full_page=True)
    context.close()
    assert problems == []
