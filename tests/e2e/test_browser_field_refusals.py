"""The field app says a refusal in the phone's language from the server's code, not from
its English (issue 17): a voucher revoked while the phone was offline."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from adapters.settings import Settings
from tests.conftest import LiveServer
from tests.e2e.field_phone import (
    PHONE,
    C,
    listed_campaign,
    open_app,
    serve,
    sign_in_link,
    waiting,
)
from tests.e2e.test_browser_dashboard import browser  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser
CASABLANCA = "Africa/Casablanca"


def test_a_voucher_revoked_while_offline_is_refused_in_french(
    browser: Any,  # noqa: F811 - the fixture
    live_server: LiveServer,
    store_settings: Settings,
) -> None:
    from playwright.sync_api import expect

    admin, vouchers = listed_campaign(live_server, 2)
    context = browser.new_context(viewport=PHONE, timezone_id=CASABLANCA)
    page = context.new_page()
    open_app(page, sign_in_link(live_server, "fr"))
    context.set_offline(True)
    serve(page, vouchers[0])
    waiting(page, 1)
    with httpx.Client(base_url=live_server.url, headers=admin) as http:
        reissued = http.post(f"{C}/vouchers/{vouchers[0]}/reissue", json={"reason": "lost"})
        assert reissued.status_code == 201, reissued.text
    context.set_offline(False)
    waiting(page, 0)
    words = page.evaluate("window.TADAMON_I18N.fr")
    expect(page.locator("#review li .answer")).to_have_text(
        f"{words['f_state_rejected']} : {words['f_reason_unknown_voucher']}"
    )
    (item,) = page.evaluate("FieldStore.all('outbox')")
    assert (item["state"], item["code"]) == ("rejected", "revoked_voucher")
    context.close()
