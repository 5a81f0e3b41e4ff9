"""What the field app's browser tests share: a listed campaign running today, phones, taps."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from domain.actors import Role
from domain.distribution.vouchers import format_code
from tests.conftest import LiveServer

SLUG = "ramadan-field"
C = f"/v1/campaigns/{SLUG}"
PHONE = {"width": 390, "height": 844}
WAIT_MS = 15_000


def listed_campaign(live_server: LiveServer, households: int) -> tuple[dict[str, str], list[str]]:
    """A listed campaign open today, committee anfa with kits, and its households' vouchers."""
    admin = live_server.token(Role.ADMIN)
    today = datetime.now(ZoneInfo("Africa/Casablanca")).date()  # campaign days are Casablanca's
    campaign = {"slug": SLUG, "name": "Field", "target_households": 1000, "budget_mad": "0",
                "starts_on": str(today - timedelta(days=2)),
                "ends_on": str(today + timedelta(days=30)), "admission": "listed"}  # fmt: skip
    with httpx.Client(base_url=live_server.url, headers=admin) as http:
        assert http.post("/v1/campaigns", json=campaign).status_code == 201
        assert http.put(f"{C}/quotas/MA-CAS", json={"households": 1000}).status_code == 200
        for code in ("anfa", "sidi"):
            body = {"code": code, "name": code.title(), "province": "MA-CAS"}
            assert http.post(f"{C}/committees", json=body).status_code == 201
            stock = {"quantity": 100, "reference": "bl-1"}
            assert http.post(f"{C}/committees/{code}/stock", json=stock).status_code == 201
        items = [{"household": f"AB{n:06d}", "committee": "anfa", "household_size": 1 + n % 5}
                 for n in range(households)]  # fmt: skip
        enrolled = http.post(f"{C}/enrolments", json={"items": items}).json()["items"]
    return admin, [i["voucher"] for i in enrolled]


def sign_in_link(live_server: LiveServer, lang: str = "en") -> str:
    token = live_server.token(Role.COMMITTEE, "anfa", SLUG)["Authorization"].split(" ", 1)[1]
    return f"{live_server.url}/field/?lang={lang}#campaign={SLUG}&committee=anfa&token={token}"


def open_app(page: Any, url: str) -> None:
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-ready", "yes", timeout=WAIT_MS)


def wait_controlled(page: Any) -> None:
    """The service worker has cached the shell and controls the page: it opens offline."""
    # A function, not an expression: polling an expression would need eval, which the CSP forbids.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=WAIT_MS)


def serve(page: Any, voucher: str) -> None:
    """Type the printed code, find the household, tap once."""
    page.fill("#in-find", format_code(voucher))
    page.press("#in-find", "Enter")
    page.click("#record")


def waiting(page: Any, count: int) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#n-waiting")).to_have_text(str(count), timeout=WAIT_MS)


def sent(page: Any) -> dict[str, str]:
    """Each outbox delivery's id and state, as the phone shows them."""
    rows = page.locator("#outbox li, #review li").evaluate_all(
        "items => items.map(i => [i.dataset.id, i.dataset.state])"
    )
    return dict(rows)


def ledger(live_server: LiveServer, admin: dict[str, str]) -> dict[str, Any]:
    """Totals that include every event so far, and who served each listed household."""
    with httpx.Client(base_url=live_server.url, headers=admin) as http:
        head = http.get("/v1/activity", params={"limit": 1}).json()["head"]
        totals = http.get(f"{C}/totals", params={"min_position": head}).json()
        listed = http.get(f"{C}/committees/anfa/list").json()["entries"]
    return {"served": totals["households_served"], "by": {v: d for v, _s, d in listed if d}}


def no_overflow(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


class Wire:
    """What went over the network to a path: each send, its answer or why it failed.

    Passive (listeners, not a route): routing a request changes how chromium sends it.
    """

    def __init__(self, context: Any, path: str) -> None:
        self.path = path
        self.answers: list[int] = []
        self.failures: list[str] = []
        context.on("requestfinished", self._finished)
        context.on("requestfailed", self._failed)

    def _ours(self, request: Any) -> bool:
        return bool(request.method == "POST" and self.path in request.url)

    def _finished(self, request: Any) -> None:
        if self._ours(request):
            answer = request.response()
            self.answers.append(answer.status if answer else 0)

    def _failed(self, request: Any) -> None:
        if self._ours(request):
            self.failures.append(str(request.failure))

    def explains(self, states: Iterable[str]) -> None:
        """The phone's states are what the wire allows. With every send answered, each item
        is recorded; a send the phone never heard the end of may have been recorded all the
        same, so its resend is answered duplicate."""
        allowed = {"recorded"} if not self.failures else {"recorded", "duplicate"}
        shown = set(states)
        heard = self.answers[-1:] and self.answers[-1] < 300
        assert heard and shown and shown <= allowed, (shown, self.answers, self.failures)
