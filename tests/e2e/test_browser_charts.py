"""The board's charts and its A4 print view in a real chromium, in Arabic, French and English.

Each chart's table (for screen readers) must say exactly what the totals endpoint says.
Screenshots are kept in docs/screenshots/ and shown in the README.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.bootstrap import bootstrap
from domain.actors import Role
from tests.conftest import LiveServer, sqlite_settings
from tests.e2e.test_browser_dashboard import _operations, browser, watch  # noqa: F401
from tests.e2e.test_http_distribution import delivery, setup_campaign

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    container = bootstrap(sqlite_settings(tmp_path_factory.mktemp("charts")))
    with LiveServer(container) as server:
        http = httpx.Client(base_url=server.url, timeout=30)
        admin = server.token(Role.ADMIN)
        setup_campaign(http, admin)
        items = [delivery(1, size=5), delivery(2, size=3)]
        items.append(delivery(3, size=6, when="2020-04-27T11:00:00+01:00"))
        http.post("/v1/campaigns/ramadan-1441/deliveries?wait=true", json={"items": items},
                  headers=admin)  # fmt: skip
        board = {"http": http, "admin": admin, "url": server.url}
        _operations(board)
        board["auditor"] = server.token(Role.AUDITOR)["Authorization"].split(" ", 1)[1]
        yield board
    container.close()


def table_rows(page: Any, chart: str) -> list[list[str]]:
    return list(page.eval_on_selector_all(
        f"#{chart} tbody tr",
        "rows => rows.map(r => [...r.cells].map(c => c.textContent))",
    ))  # fmt: skip


def formatted(page: Any, locale: str, value: int) -> str:
    return str(page.evaluate(f"new Intl.NumberFormat('{locale}').format({value})"))


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_charts_say_what_the_totals_say(
    browser: Any,  # noqa: F811 - the fixture
    board: dict[str, Any],
    lang: str,
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    problems = watch(page, board["url"])
    page.add_init_script(f"localStorage.setItem('tadamon.lang', '{lang}')")
    page.goto(f"{board['url']}/?poll=400#auditor={board['auditor']}")
    expect(page.locator("body")).to_have_attribute("data-charts", "drawn")
    expect(page.locator("#chart-travel")).to_be_visible()
    words = page.evaluate(f"window.TADAMON_I18N['{lang}']")
    locale = words["locale"]
    expect(page.locator("#chart-served figcaption")).to_have_text(words["chart_served"])
    expect(page.locator("#chart-gifts figcaption")).to_have_text(words["chart_gifts"])

    http, admin = board["http"], board["admin"]
    served = http.get("/v1/campaigns/ramadan-1441/totals", headers=admin).json()["days"]
    assert table_rows(page, "chart-served") == [
        [d["day"], formatted(page, locale, d["households_served"]),
         formatted(page, locale, d["people_reached"])] for d in served
    ]  # fmt: skip
    travel = http.get("/v1/operations/marhaba-2020/totals", headers=admin).json()["days"]
    assert table_rows(page, "chart-travel") == [
        [d["day"], formatted(page, locale, d["arrivals"]), formatted(page, locale, d["departures"])]
        for d in travel
    ]
    months = http.get("/v1/donations/totals", headers=admin).json()["months"]
    assert [r[0] for r in table_rows(page, "chart-gifts")] == [m["month"] for m in months]
    drawn = page.eval_on_selector("#chart-served svg", "svg => svg.getBBox().width")  # SVG, drawn
    assert drawn > 0
    assert page.locator("#chart-served rect.bar").count() == 2 * len(served)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a phone screen"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".charts").screenshot(path=str(SCREENSHOTS / f"charts-{lang}.png"))
    assert problems == [], problems
    context.close()


def test_the_print_view_is_an_a4_report(
    browser: Any,  # noqa: F811 - the fixture
    board: dict[str, Any],
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
    page = context.new_page()
    page.add_init_script("localStorage.setItem('tadamon.lang', 'fr')")
    page.goto(f"{board['url']}/?poll=400#auditor={board['auditor']}")
    expect(page.locator("body")).to_have_attribute("data-charts", "drawn")
    page.emulate_media(media="print")
    assert page.locator(".controls").is_hidden() and page.locator("#print").is_hidden()
    assert page.locator("#chart-served svg").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "print-fr.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-")
    (tmp_path / "board.pdf").write_bytes(pdf)
    context.close()
