"""A committee's voucher sheet in real chromium: A4 PDF, Arabic right to left, QR codes drawn.

Artifacts for a person to look at: test-artifacts/vouchers-<backend>.png and .pdf.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.settings import Settings
from domain.actors import Role
from domain.distribution.vouchers import format_code
from tests.conftest import LiveServer
from tests.e2e.test_browser_dashboard import ARTIFACTS, browser, watch  # noqa: F401 - fixture
from tests.e2e.test_http_lists import C, enrol, setup

pytestmark = pytest.mark.browser


def test_the_sheet_prints_every_voucher_with_its_qr(
    browser: Any,  # noqa: F811 - the fixture imported above
    live_server: LiveServer,
    store_settings: Settings,
) -> None:
    from playwright.sync_api import expect

    admin = live_server.token(Role.ADMIN)
    with httpx.Client(base_url=live_server.url) as http:
        setup(http, admin)
        rows = [(f"AB{n:06d}", "anfa", 1 + n % 6) for n in range(7)]
        items = enrol(http, admin, rows).json()["items"]
    sizes = {format_code(i["voucher"]): 1 + n % 6 for n, i in enumerate(items)}
    bearer = live_server.token(Role.COMMITTEE, "anfa", C.rsplit("/", 1)[1])["Authorization"]
    token = bearer.split(" ", 1)[1]
    page = browser.new_context(viewport={"width": 794, "height": 1123}).new_page()
    problems = watch(page, live_server.url)
    page.goto(f"{live_server.url}/vouchers?lang=ar#campaign={C.rsplit('/', 1)[1]}"
              f"&committee=anfa&token={token}")  # fmt: skip
    expect(page.locator("body")).to_have_attribute("data-ready", "yes")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("ورقة القسائم")
    cards = page.locator(".card").all()
    shown = {c.locator(".code").inner_text(): int(c.locator(".size").inner_text()) for c in cards}
    assert shown == sizes
    labels = page.locator(".card").first.locator(".labels").first.locator("li").all_inner_texts()
    assert labels == ["قسيمة", "Bon", "Voucher"]
    drawn = page.locator(".card img").evaluate_all("imgs => imgs.map(i => i.naturalWidth > 0)")
    assert drawn == [True] * 7
    assert problems == []
    ARTIFACTS.mkdir(exist_ok=True)
    backend = "sqlite" if store_settings.is_sqlite else "postgres"
    page.screenshot(path=str(ARTIFACTS / f"vouchers-{backend}.png"), full_page=True)
    if store_settings.is_sqlite:  # the README's picture of the sheet (the same on both)
        docs = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
        page.screenshot(path=str(docs / "vouchers-ar.png"), full_page=True)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / f"vouchers-{backend}.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF-")
