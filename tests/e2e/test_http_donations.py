"""Donation intake over real HTTP (uvicorn), on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from domain.actors import Role
from tests import report_2020 as report
from tests.conftest import LiveServer

MARCH = "2020-03-23T10:00:00+01:00"


@pytest.fixture
def http(live_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=30)


@pytest.fixture
def officer(live_server: LiveServer) -> dict[str, str]:
    return live_server.token(Role.DONATIONS)


def created(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


def gift_body(gift: report.Gift) -> dict[str, Any]:
    value = None if gift.printed_mad is None else str(gift.printed_mad)
    return {
        "donor": gift.donor,
        "receipt": gift.receipt,
        "store": report.STORE,
        "received_at": MARCH,
        "appeal": report.APPEAL,
        "lines": [
            {
                "item": gift.item,
                "category": gift.category,
                "description": gift.description,
                "quantity": gift.quantity,
                "unit": gift.unit,
                "value_mad": value,
            }
        ],
    }


def record_report_gifts(http: httpx.Client, officer: dict[str, str]) -> dict[str, str]:
    store = {"code": report.STORE, "name": "Central store", "city": "Casablanca"}
    created(http.post("/v1/stores", json=store, headers=officer))
    appeal = {
        "name": "COVID-19 mobilisation",
        "declared_total_mad": str(report.DECLARED_IN_KIND),
        "source": "2020 activity report",
    }
    assert http.put(f"/v1/appeals/{report.APPEAL}", json=appeal, headers=officer).status_code == 200
    ids = {}
    for gift in report.GIFTS:
        donor = {"code": gift.donor, "kind": gift.kind, "name": gift.name}
        created(http.post("/v1/donors", json=donor, headers=officer))
        answer = created(
            http.post("/v1/donations/in-kind?wait=true", json=gift_body(gift), headers=officer)
        )
        ids[gift.item] = answer["detail"]["donation"]
    return ids


def reconciliation(http: httpx.Client, headers: dict[str, str], **query: str) -> dict[str, Any]:
    params = {"appeal": report.APPEAL, **query}
    answer = http.get("/v1/donations/totals", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()["reconciliation"]
    return result


def correct(
    http: httpx.Client, officer: dict[str, str], donation: str, value: Decimal, reason: str
) -> httpx.Response:
    return http.post(
        f"/v1/donations/{donation}/lines/1/valuation-corrections?wait=true",
        json={"value_mad": str(value), "reason": reason},
        headers=officer,
    )


def test_report_gift_list_gap_then_correction_and_valuation(
    live_server: LiveServer, http: httpx.Client, officer: dict[str, str]
) -> None:
    ids = record_report_gifts(http, officer)
    auditor = live_server.token(Role.AUDITOR)
    before = reconciliation(http, auditor)
    assert Decimal(before["declared_mad"]) == report.DECLARED_IN_KIND
    assert Decimal(before["listed_mad"]) == report.printed_sum()
    assert Decimal(before["gap_mad"]) == report.DECLARED_IN_KIND - report.printed_sum()
    assert [line["donor"] for line in before["unvalued_lines"]] == [report.MASKS.donor]
    assert len(before["lines"]) == len(report.GIFTS)

    endoscopy, masks = ids[report.ENDOSCOPY.item], ids[report.MASKS.item]
    forbidden = correct(http, auditor, endoscopy, report.ENDOSCOPY_CORRECTED, "auditor tries")
    assert forbidden.status_code == 403
    fixed = correct(http, officer, endoscopy, report.ENDOSCOPY_CORRECTED, "decimal comma lost")
    assert (fixed.status_code, fixed.json()["visible"]) == (201, True)
    middle = reconciliation(http, auditor)
    assert Decimal(middle["gap_mad"]) == report.masks_remainder()
    valued = correct(http, officer, masks, report.masks_remainder(), "remainder of 17.76 M")
    assert valued.status_code == 201
    after = reconciliation(http, auditor)
    assert (Decimal(after["gap_mad"]), after["unvalued_lines"], after["balanced"]) == (0, [], True)

    shown = http.get(f"/v1/donations/{endoscopy}", headers=auditor).json()
    line = shown["lines"][0]
    assert Decimal(line["declared_value_mad"]) == report.ENDOSCOPY.printed_mad
    assert Decimal(line["value_mad"]) == report.ENDOSCOPY_CORRECTED
    (correction,) = shown["corrections"]
    assert Decimal(correction["previous_mad"]) == report.ENDOSCOPY.printed_mad
    assert correction["reason"] == "decimal comma lost"
    assert correction["corrected_by"].startswith("donations#")
    assert correct(http, officer, endoscopy, report.ENDOSCOPY_CORRECTED, "again").status_code == 200


def test_totals_by_donor_category_month_and_declared_total_in_the_query(
    http: httpx.Client, officer: dict[str, str]
) -> None:
    record_report_gifts(http, officer)
    totals = http.get(
        "/v1/donations/totals", params={"declared_mad": "17760000"}, headers=officer
    ).json()
    assert (
        Decimal(totals["reconciliation"]["gap_mad"]) == Decimal("17760000") - report.printed_sum()
    )
    assert totals["reconciliation"]["declared_source"] == "declared_mad query parameter"
    donors = {d["code"]: d for d in totals["donors"]}
    for gift in report.GIFTS:
        expected = gift.printed_mad or Decimal(0)
        assert Decimal(donors[gift.donor]["value_received_mad"]) == expected
    anonymous = [d for d in totals["donors"] if d["kind"] == "individual"]
    assert len(anonymous) == 4 and {d["name"] for d in anonymous} == {"محسن"}
    by_category = {c["category"]: Decimal(c["in_kind_mad"]) for c in totals["categories"]}
    for category in {g.category for g in report.GIFTS}:
        listed = [g.printed_mad for g in report.GIFTS if g.category == category and g.printed_mad]
        assert by_category[category] == sum(listed, Decimal(0))
    assert [m["month"] for m in totals["months"]] == ["2020-03"]
    assert totals["position"] > 0


def test_a_gift_resent_under_the_same_receipt_counts_once(
    http: httpx.Client, officer: dict[str, str]
) -> None:
    record_report_gifts(http, officer)
    again = http.post("/v1/donations/in-kind", json=gift_body(report.GIFTS[1]), headers=officer)
    assert (again.status_code, again.json()["status"]) == (200, "unchanged")
    changed = gift_body(report.GIFTS[1])
    changed["lines"][0]["value_mad"] = "2000001"
    conflict = http.post("/v1/donations/in-kind", json=changed, headers=officer)
    assert (conflict.status_code, conflict.json()["fields"][0]["field"]) == (409, "receipt")
    cash = {
        "donor": "nestle",
        "receipt": "c-1",
        "amount_mad": "2500.50",
        "fund": "covid-19-special-fund",
        "occurred_at": MARCH,
    }
    first = created(http.post("/v1/donations/cash", json=cash, headers=officer))
    resent = http.post("/v1/donations/cash", json=cash, headers=officer)
    assert (resent.status_code, resent.json()["position"]) == (200, first["position"])
    totals = http.get(
        "/v1/donations/totals", params={"min_position": first["position"]}, headers=officer
    ).json()
    assert totals["position"] >= first["position"]
    assert Decimal(totals["in_kind_mad"]) == report.printed_sum()
    assert totals["cash_received_mad"] == "2500.50"
    assert totals["funds"][0]["received_mad"] == "2500.50"
    shown = http.get(f"/v1/donations/{first['detail']['donation']}", headers=officer).json()
    assert (shown["type"], shown["amount_mad"], shown["direction"]) == (
        "cash",
        "2500.50",
        "received",
    )


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("cash", "amount_mad"),
        ("in-kind", "lines.0.value_mad"),
    ],
)
def test_money_sent_as_a_json_float_is_refused(
    http: httpx.Client, officer: dict[str, str], path: str, field: str
) -> None:
    record_report_gifts(http, officer)
    if path == "cash":
        body: dict[str, Any] = {
            "donor": "nestle",
            "receipt": "c-9",
            "amount_mad": 619480.75,
            "fund": "covid-19",
            "occurred_at": MARCH,
        }
    else:
        body = gift_body(report.GIFTS[1])
        body["receipt"], body["lines"][0]["value_mad"] = "r-99", 619480.75
    answer = http.post(f"/v1/donations/{path}", json=body, headers=officer)
    assert answer.status_code == 422, answer.text
    assert field in [f["field"] for f in answer.json()["fields"]]
    assert "floating-point" in answer.text
    if path == "cash":
        body["amount_mad"] = 619480
        created(http.post("/v1/donations/cash", json=body, headers=officer))


def dispatch_body(ref: str, recipient: str, *lines: tuple[str, str]) -> dict[str, Any]:
    return {
        "dispatch": ref,
        "recipient": recipient,
        "recipient_kind": "hospital",
        "recipient_name": recipient.upper(),
        "dispatched_at": "2020-04-01T09:00:00+01:00",
        "lines": [{"item": item, "quantity": quantity} for item, quantity in lines],
    }


def test_dispatch_never_more_than_the_store_holds_and_acknowledgement(
    http: httpx.Client, officer: dict[str, str]
) -> None:
    record_report_gifts(http, officer)
    ambulances = report.GIFTS[2]
    total, sent = Decimal(ambulances.quantity), Decimal(30)
    url = f"/v1/stores/{report.STORE}/dispatches?wait=true"
    first = created(
        http.post(
            url, json=dispatch_body("bl-1", "chu-casa", ("ambulances", str(sent))), headers=officer
        )
    )
    assert Decimal(first["detail"]["value_mad"]) == ambulances.printed_mad * sent / total  # type: ignore[operator]
    too_many = http.post(
        url,
        json=dispatch_body("bl-2", "chu-rabat", ("ambulances", str(total - sent + 1))),
        headers=officer,
    )
    assert too_many.status_code == 409
    assert too_many.json()["fields"][0]["field"] == "lines.0.quantity"
    ack = {"received_at": "2020-04-01T15:00:00+01:00", "reference": "stamp-42"}
    ack_url = f"/v1/stores/{report.STORE}/dispatches/bl-1/acknowledgement?wait=true"
    created(http.post(ack_url, json=ack, headers=officer))
    assert http.post(ack_url, json=ack, headers=officer).status_code == 200
    missing = http.post(
        f"/v1/stores/{report.STORE}/dispatches/bl-9/acknowledgement", json=ack, headers=officer
    )
    assert missing.status_code == 404
    store = http.get(f"/v1/stores/{report.STORE}", headers=officer).json()
    stock = {s["item"]: s for s in store["stock"]}
    assert Decimal(stock["ambulances"]["quantity"]) == total - sent
    assert store["dispatches"][0]["acknowledgement_reference"] == "stamp-42"
    totals = http.get("/v1/donations/totals", headers=officer).json()
    (recipient,) = totals["recipients"]
    assert (recipient["code"], recipient["acknowledged"]) == ("chu-casa", 1)
    assert recipient["value_dispatched_mad"] == first["detail"]["value_mad"]
    listed = next(s for s in totals["stock"] if s["item"] == "ambulances")
    assert Decimal(listed["quantity"]) == total - sent


def test_beirut_airlift(http: httpx.Client, officer: dict[str, str]) -> None:
    kilograms = int(report.BEIRUT_TONNES * 1000)
    each, extra = divmod(kilograms, len(report.BEIRUT_FOODS))
    items = [
        {
            "category": category,
            "description": food,
            "tonnes": str(Decimal(each + (extra if n == 0 else 0)) / 1000),
        }
        for n, (category, food) in enumerate(report.BEIRUT_FOODS)
    ]
    body = {
        "code": "beirut-airlift-2020",
        "destination_country": "LB",
        "destination": "Beirut",
        "departed_at": "2020-08-06T08:00:00+01:00",
        "items": items,
    }
    created(http.post("/v1/shipments?wait=true", json=body, headers=officer))
    assert http.post("/v1/shipments", json=body, headers=officer).status_code == 200
    totals = http.get("/v1/donations/totals", headers=officer).json()
    assert Decimal(totals["shipped_tonnes"]) == sum(Decimal(i["tonnes"]) for i in items)
    assert Decimal(totals["shipped_tonnes"]) == report.BEIRUT_TONNES
    (shipment,) = totals["shipments"]
    assert shipment["kinds"] == len(report.BEIRUT_FOODS)
    shown = http.get("/v1/shipments/beirut-airlift-2020", headers=officer).json()
    assert (Decimal(shown["tonnes"]), shown["kinds"]) == (report.BEIRUT_TONNES, 13)


def test_roles_auditor_reads_only_and_other_roles_are_kept_out(
    live_server: LiveServer, http: httpx.Client, officer: dict[str, str]
) -> None:
    record_report_gifts(http, officer)
    auditor = live_server.token(Role.AUDITOR)
    committee = live_server.token(Role.COMMITTEE, "casa-anfa", "ramadan-1441")
    admin = live_server.token(Role.ADMIN)
    donor = {"code": "new-donor", "kind": "company", "name": "New"}
    assert http.post("/v1/donors", json=donor, headers=auditor).status_code == 403
    assert http.post("/v1/donors", json=donor, headers=admin).status_code == 201
    assert http.get("/v1/donations/totals", headers=auditor).status_code == 200
    assert http.get("/v1/donations/totals", headers=committee).status_code == 403
    assert http.get(f"/v1/stores/{report.STORE}", headers=committee).status_code == 403
    assert http.get("/v1/donations/totals").status_code == 401
    assert http.get("/v1/donors/mohsin-1", headers=auditor).json() == {
        "code": "mohsin-1",
        "kind": "individual",
        "name": "محسن",
        "anonymous": True,
    }


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"donor": "nobody"}, 422, "donor"),
        ({"store": "nowhere"}, 422, "store"),
        ({"appeal": "no-appeal"}, 422, "appeal"),
        ({"received_at": "2020-03-23T10:00:00"}, 422, "received_at"),
        ({"received_at": "2999-03-23T10:00:00+00:00"}, 422, "received_at"),
        ({"lines": []}, 422, "lines"),
        ({"line": {"category": "toys"}}, 422, "lines.0.category"),
        ({"line": {"quantity": "0.0001"}}, 422, "lines.0.quantity"),
        ({"line": {"value_mad": "10.001"}}, 422, "lines.0.value_mad"),
        ({"line": {"item": "Masks!"}}, 422, "lines.0.item"),
    ],
)
def test_bad_gift_is_a_4xx_naming_the_field(
    http: httpx.Client, officer: dict[str, str], change: dict[str, Any], status: int, field: str
) -> None:
    record_report_gifts(http, officer)
    body = gift_body(report.GIFTS[1])
    body["receipt"] = "r-new"
    line_change = change.get("line", {})
    body.update({k: v for k, v in change.items() if k != "line"})
    if line_change:
        body["lines"][0].update(line_change)
    answer = http.post("/v1/donations/in-kind", json=body, headers=officer)
    assert answer.status_code == status, answer.text
    assert field in [f["field"] for f in answer.json()["fields"]]


def test_a_private_donors_name_is_refused_and_never_echoed(
    http: httpx.Client, officer: dict[str, str]
) -> None:
    donor = {"code": "mohsin-9", "kind": "individual", "name": "Fatima Zahra El Idrissi"}
    answer = http.post("/v1/donors", json=donor, headers=officer)
    assert answer.status_code == 422
    assert answer.json()["fields"][0]["field"] == "name"
    assert "Fatima" not in answer.text


def test_unknown_donation_or_line_is_404(http: httpx.Client, officer: dict[str, str]) -> None:
    ids = record_report_gifts(http, officer)
    malformed = http.get("/v1/donations/not-a-uuid", headers=officer)  # the path's own pattern
    assert (malformed.status_code, malformed.json()["fields"][0]["field"]) == (422, "donation")
    assert http.get("/v1/donations/" + "0" * 32, headers=officer).status_code == 404
    wrong_line = http.post(
        f"/v1/donations/{ids['masks']}/lines/2/valuation-corrections",
        json={"value_mad": "1", "reason": "x"},
        headers=officer,
    )
    assert (wrong_line.status_code, wrong_line.json()["fields"][0]["field"]) == (404, "line")
