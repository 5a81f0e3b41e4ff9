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
from tests.e2e.test_http_marhaba import movement

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}


# Five regions and five sites with distinct totals: each chart shows the three biggest
# by name and the other two as "other".
REGIONS = {"MA-RAB": (5, 7), "MA-MAR": (4, 2), "MA-FES": (2, 9), "MA-AGD": (1, 4)}
SITES_MORE = {"port-tanger": ("Port of Tanger Med", "MA"), "airport-rabat": ("Rabat airport", "MA")}
CAMPAIGN = "/v1/campaigns/ramadan-1441"


def _regions(http: httpx.Client, admin: dict[str, str]) -> None:
    """Committees in four more regions, each serving its number of households on the 26th."""
    n = 10
    for province, (households, size) in REGIONS.items():
        code = f"c-{province[3:].lower()}"
        assert http.put(f"{CAMPAIGN}/quotas/{province}", json={"households": 50},
                        headers=admin).is_success  # fmt: skip
        body = {"code": code, "name": code, "province": province, "commune": "x"}
        assert http.post(f"{CAMPAIGN}/committees", json=body, headers=admin).status_code == 201
        stock = {"quantity": 50, "reference": "bl-1"}
        assert http.post(f"{CAMPAIGN}/committees/{code}/stock", json=stock,
                         headers=admin).is_success  # fmt: skip
        items = []
        for _ in range(households):
            n += 1
            items.append(delivery(n, committee=code, size=size))
        answer = http.post(f"{CAMPAIGN}/deliveries", json={"items": items}, headers=admin)
        assert answer.json()["recorded"] == households, answer.text


def _sites(http: httpx.Client, admin: dict[str, str]) -> None:
    """Travellers at four more sites (Genoa has the board's own), biggest first."""
    base = "/v1/operations/marhaba-2020/sites"
    for code, (name, country) in SITES_MORE.items():
        site = {"code": code, "name": name, "kind": "port", "city": name, "country": country}
        assert http.post(base, json=site, headers=admin).status_code == 201
    flows = {"port-sete": (300, 20), "airport-casa": (200, 500), "port-tanger": (150, 10),
             "airport-rabat": (100, 30)}  # fmt: skip
    for code, (arrivals, departures) in flows.items():
        items = [movement(1, travellers=arrivals, reference=f"{code}-a"),
                 movement(2, travellers=departures, direction="departure",
                          reference=f"{code}-d", moved_at="2020-07-21T08:00:00+02:00")]  # fmt: skip
        answer = http.post(f"{base}/{code}/movements", json={"items": items}, headers=admin)
        assert answer.json()["recorded"] == 2, answer.text


def _dispatch(http: httpx.Client, admin: dict[str, str]) -> None:
    body = {"dispatch": "bl-1", "recipient": "chu-casa", "recipient_kind": "hospital",
            "recipient_name": "CHU", "dispatched_at": "2020-04-02T09:00:00+01:00",
            "lines": [{"item": "ambulances", "quantity": "10"}]}  # fmt: skip
    answer = http.post("/v1/stores/casa-central/dispatches?wait=true", json=body, headers=admin)
    assert answer.status_code == 201, answer.text


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    container = bootstrap(sqlite_settings(tmp_path_factory.mktemp("charts")))
    with LiveServer(container) as server:
        http = httpx.Client(base_url=server.url, timeout=30)
        admin = server.token(Role.ADMIN)
        setup_campaign(http, admin)
        items = [delivery(1, size=5), delivery(2, size=3)]
        items.append(delivery(3, size=6, when="2020-04-27T11:00:00+01:00"))
        http.post(f"{CAMPAIGN}/deliveries?wait=true", json={"items": items}, headers=admin)
        _regions(http, admin)
        board = {"http": http, "admin": admin, "url": server.url}
        _operations(board)
        _sites(http, admin)
        _dispatch(http, admin)
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


def breakdown(
    rows: list[dict[str, Any]], key: str, measure: str, other: str
) -> tuple[list[str], list[str], list[list[int]]]:
    """What a chart by region or site must show: the three biggest, the rest as ``other``
    (four or fewer: each by name). Returns (series, days, one row of values per day)."""
    sums: dict[str, int] = {}
    for r in rows:
        sums[r[key]] = sums.get(r[key], 0) + r[measure]
    ranked = sorted((m for m in sums if sums[m] > 0), key=lambda m: (-sums[m], m))
    shown = ranked[:3] if len(ranked) > 4 else ranked
    days = sorted({r["day"] for r in rows})
    values = [[0] * (len(shown) + (len(ranked) > len(shown))) for _ in days]
    for r in rows:
        column = shown.index(r[key]) if r[key] in shown else len(shown)
        if column < len(values[0]):
            values[days.index(r["day"])][column] += r[measure]
    series = shown + ([other] if len(ranked) > len(shown) else [])
    return series, days, values


def shown_rows(page: Any, locale: str, days: list[str], values: list[list[int]]) -> list[list[str]]:
    return [[day, *(formatted(page, locale, v) for v in (*row, sum(row)))]
            for day, row in zip(days, values, strict=True)]  # fmt: skip


def check_breakdown(
    page: Any, chart: str, rows: list[dict[str, Any]], key: str, measure: str, names: Any
) -> list[str]:
    """The chart's legend and table say what the endpoint's rows say; returns the legend."""
    words = page.evaluate("window.TADAMON_I18N[document.documentElement.lang]")
    other = words["chart_other_regions" if key == "region" else "chart_other_sites"]
    series, days, values = breakdown(rows, key, measure, other)
    legend = [names.get(m, m) for m in series]
    assert page.locator(f"#{chart} .legend li").all_text_contents() == legend
    assert table_rows(page, chart) == shown_rows(page, words["locale"], days, values)
    assert 0 < len(legend) <= 4
    return legend


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
    for chart, title in (("chart-served", "chart_served"), ("chart-travel", "chart_travel"),
                         ("chart-gifts", "chart_gifts")):  # fmt: skip
        expect(page.locator(f"#{chart} figcaption")).to_have_text(words[title])

    http, admin = board["http"], board["admin"]
    served = http.get(f"{CAMPAIGN}/totals", headers=admin).json()
    regions = {r["code"]: r[f"name_{lang}"] for r in served["regions"]}
    by_households = check_breakdown(
        page, "chart-served", served["region_days"], "region", "households_served", regions
    )
    assert by_households[-1] == words["chart_other_regions"]
    # the table's total column is the day's total the board shows
    assert [r[-1] for r in table_rows(page, "chart-served")] == [
        formatted(page, locale, d["households_served"]) for d in served["days"]
    ]
    page.locator("#chart-served [data-measure=people_reached]").click()
    expect(page.locator("#chart-served [data-measure=people_reached]")).to_have_attribute(
        "aria-pressed", "true"
    )
    by_people = check_breakdown(
        page, "chart-served", served["region_days"], "region", "people_reached", regions
    )
    assert by_people != by_households  # the biggest by people are not the biggest by households

    travel = http.get("/v1/operations/marhaba-2020/totals", headers=admin).json()
    sites = {s["code"]: s["name"] for s in travel["sites"]}
    check_breakdown(page, "chart-travel", travel["site_days"], "site", "arrivals", sites)
    page.locator("#chart-travel [data-measure=departures]").click()
    check_breakdown(page, "chart-travel", travel["site_days"], "site", "departures", sites)

    months = http.get("/v1/donations/totals", headers=admin).json()["months"]
    assert table_rows(page, "chart-gifts") == [
        [m["month"], *(formatted(page, locale, round(float(m[k]))) for k in
                       ("cash_received_mad", "in_kind_mad", "value_at_dispatch_mad"))]
        for m in months
    ]  # fmt: skip
    assert [m["value_at_dispatch_mad"] != "0.00" for m in months] == [False, True]
    drawn = page.eval_on_selector("#chart-served svg", "svg => svg.getBBox().width")  # SVG, drawn
    assert drawn > 0
    # A phone zooms a page out to fit it: its layout must stay the screen's width.
    width = page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
    assert width == [PHONE["width"]] * 2, f"the page is {width[1]}px wide on a 390px screen"
    page.locator("#chart-served [data-measure=households_served]").click()
    page.locator("#chart-travel [data-measure=arrivals]").click()
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
    # the measure a chart shows is printed with it; the other choice is not
    assert page.locator("#chart-served [data-measure=households_served]").is_visible()
    assert page.locator("#chart-served [data-measure=people_reached]").is_hidden()
    page.screenshot(path=str(SCREENSHOTS / "print-fr.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-")
    (tmp_path / "board.pdf").write_bytes(pdf)
    context.close()
