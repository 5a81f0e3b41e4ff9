"""One value for a dispatch: after a valuation correction, the store's page and the totals
both show the restated value, beside the value at dispatch and the correction that changed
it (issue 12 §7), on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.test_http_donations import MARCH, dispatch_body

STORE = "casa-central"
FIRST, CORRECTED = Decimal("10000.00"), Decimal("25000.00")  # for 1,000 boxes
RECEIVED = Decimal(1000)


def ok(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code in (200, 201), answer.text
    body: dict[str, Any] = answer.json()
    return body


def worth(boxes: int, value: Decimal) -> str:
    return str((value * boxes / RECEIVED).quantize(Decimal("0.01")))


def test_a_dispatch_shows_one_restated_value_everywhere(live_server: LiveServer) -> None:
    http = httpx.Client(base_url=live_server.url, timeout=30)
    officer = live_server.token(Role.DONATIONS)

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        return ok(http.post(path, json=body, headers=officer))

    post("/v1/stores", {"code": STORE, "name": "Central", "city": "Casablanca"})
    post("/v1/donors", {"code": "nestle", "kind": "company", "name": "Nestlé"})
    line = {"item": "milk", "category": "food", "description": "powdered milk",
            "quantity": str(RECEIVED), "unit": "box", "value_mad": str(FIRST)}  # fmt: skip
    gift = post("/v1/donations/in-kind", {"donor": "nestle", "receipt": "r-1", "store": STORE,
                                          "received_at": MARCH, "lines": [line]})  # fmt: skip
    donation = gift["detail"]["donation"]
    post(f"/v1/stores/{STORE}/dispatches", dispatch_body("bl-1", "chu-a", ("milk", "300")))
    post(f"/v1/donations/{donation}/lines/1/valuation-corrections",
         {"value_mad": str(CORRECTED), "reason": "invoice found"})  # fmt: skip
    last = post(f"/v1/stores/{STORE}/dispatches", dispatch_body("bl-2", "chu-b", ("milk", "200")))

    shown = {d["dispatch"]: d for d in ok(http.get(f"/v1/stores/{STORE}", headers=officer))[
        "dispatches"]}  # fmt: skip
    first, second = shown["bl-1"], shown["bl-2"]
    assert (first["value_mad"], first["value_at_dispatch_mad"]) == (
        worth(300, CORRECTED),
        worth(300, FIRST),
    )
    [correction] = first["corrections"]
    named = ("donation", "line", "previous_mad", "value_mad", "reason")
    assert {k: correction[k] for k in named} == {
        "donation": donation, "line": 1, "previous_mad": str(FIRST), "value_mad": str(CORRECTED),
        "reason": "invoice found"}  # fmt: skip
    assert (second["value_mad"], second["value_at_dispatch_mad"], second["corrections"]) == (
        worth(200, CORRECTED),
        worth(200, CORRECTED),
        [],
    )

    totals = ok(http.get("/v1/donations/totals", params={"min_position": last["position"]},
                         headers=officer))  # fmt: skip
    restated = Decimal(first["value_mad"]) + Decimal(second["value_mad"])
    original = Decimal(first["value_at_dispatch_mad"]) + Decimal(second["value_at_dispatch_mad"])
    assert (totals["value_dispatched_mad"], totals["value_at_dispatch_mad"],
            totals["restated_by_mad"], totals["dispatch_corrections"]) == (
        str(restated), str(original), str(restated - original), 1)  # fmt: skip
    recipients = {r["code"]: r for r in totals["recipients"]}
    assert recipients["chu-a"]["value_dispatched_mad"] == first["value_mad"]
    assert recipients["chu-a"]["value_at_dispatch_mad"] == first["value_at_dispatch_mad"]
    [store] = totals["stores"]
    assert (store["value_dispatched_mad"], store["value_at_dispatch_mad"]) == (
        str(restated),
        str(original),
    )
