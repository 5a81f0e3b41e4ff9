"""Lists over real HTTP: enrolment batches, delivery by voucher, a committee's list and deltas."""

from __future__ import annotations

import json
import threading

import httpx

from domain.actors import Role
from tests.conftest import LiveServer

C = "/v1/campaigns/ramadan-1441"
CAMPAIGN = {
    "slug": "ramadan-1441",
    "name": "Ramadan 1441",
    "starts_on": "2020-04-25",
    "ends_on": "2020-06-30",
    "target_households": 10000,
    "budget_mad": "0",
    "admission": "listed",
}
WHEN = "2020-04-26T10:00:00+01:00"


def setup(http: httpx.Client, admin: dict[str, str]) -> None:
    assert http.post("/v1/campaigns", json=CAMPAIGN, headers=admin).status_code == 201
    for province in ("MA-CAS", "MA-RAB"):
        quota = http.put(f"{C}/quotas/{province}", json={"households": 3000}, headers=admin)
        assert quota.status_code == 200
    for code, province in (("anfa", "MA-CAS"), ("sidi", "MA-CAS"), ("agdal", "MA-RAB")):
        body = {"code": code, "name": code.title(), "province": province}
        assert http.post(f"{C}/committees", json=body, headers=admin).status_code == 201
        stock = {"quantity": 1000, "reference": "bl-1"}
        assert (
            http.post(f"{C}/committees/{code}/stock", json=stock, headers=admin).status_code == 201
        )


def enrol(
    http: httpx.Client, token: dict[str, str], rows: list[tuple[str, str, int]]
) -> httpx.Response:
    items = [{"household": h, "committee": c, "household_size": s} for h, c, s in rows]
    return http.post(f"{C}/enrolments", json={"items": items}, headers=token)


def kit(n: int, committee: str, **who: object) -> dict[str, object]:
    return {"delivery_id": f"d-{n}", "committee": committee, "household_size": 4,
            "delivered_at": WHEN, **who}  # fmt: skip


def test_enrol_then_deliver_by_voucher_and_read_the_list(live_server: LiveServer) -> None:
    admin = live_server.token(Role.ADMIN)
    anfa = live_server.token(Role.COMMITTEE, "anfa", "ramadan-1441")
    with httpx.Client(base_url=live_server.url) as http:
        setup(http, admin)
        enrolled = enrol(http, live_server.token(Role.REGISTRAR, "MA-CAS", "ramadan-1441"),
                         [("AB100001", "anfa", 4), ("AB100002", "anfa", 2)])  # fmt: skip
        assert enrolled.status_code == 200
        first, second = (item["voucher"] for item in enrolled.json()["items"])
        listed = http.get(f"{C}/committees/anfa/list", headers=anfa)
        assert listed.status_code == 200
        body = listed.json()
        assert sorted(body["entries"]) == sorted([[first, 4, None], [second, 2, None]])
        assert "AB100001" not in listed.text and body["removed"] == []
        served = http.post(f"{C}/deliveries", json={"items": [kit(1, "anfa", voucher=first)]},
                           headers=anfa)  # fmt: skip
        assert served.json()["items"][0]["status"] == "recorded"
        delta = http.get(f"{C}/committees/anfa/list", params={"since": body["position"]},
                         headers=anfa)  # fmt: skip
        assert delta.json()["entries"] == [[first, 4, "d-1"]]
        etag = delta.headers["ETag"]
        again = http.get(f"{C}/committees/anfa/list", params={"since": body["position"]},
                         headers={**anfa, "If-None-Match": etag})  # fmt: skip
        assert again.status_code == 304


def test_refusals_over_http(live_server: LiveServer) -> None:
    admin = live_server.token(Role.ADMIN)
    with httpx.Client(base_url=live_server.url) as http:
        setup(http, admin)
        code = enrol(http, admin, [("AB100001", "anfa", 4)]).json()["items"][0]["voucher"]
        registrar = live_server.token(Role.REGISTRAR, "MA-CAS", "ramadan-1441")
        other = enrol(http, registrar, [("AB100009", "agdal", 4)])
        assert (other.status_code, other.json()["fields"]) == (
            403,
            [{"field": "items.0.committee",
              "reason": "this token is for registrar 'MA-CAS' of campaign 'ramadan-1441' "
                        "and cannot act for registrar 'MA-RAB' of campaign 'ramadan-1441'"}],
        )  # fmt: skip
        items = [kit(1, "sidi", voucher=code), kit(2, "anfa", household="ZZ999999")]
        answers = http.post(f"{C}/deliveries", json={"items": items}, headers=admin).json()
        assert [(i["status"], i["reason"]) for i in answers["items"]] == [
            ("rejected", "listed_elsewhere: on the list of committee 'anfa'"),
            ("rejected", "not_on_list: this household is on no list"),
        ]
        twice = kit(3, "anfa", voucher=code, household="AB100001")
        both = http.post(f"{C}/deliveries", headers=admin, json={"items": [twice]})
        assert both.status_code == 422
        sidi = live_server.token(Role.COMMITTEE, "sidi", "ramadan-1441")
        foreign = http.get(f"{C}/committees/anfa/list", headers=sidi)
        assert foreign.status_code == 403


def test_deltas_under_concurrent_deliveries(live_server: LiveServer) -> None:
    """Phones poll with ?since= while deliveries land: the deltas add up to the final list."""
    admin = live_server.token(Role.ADMIN)
    anfa = live_server.token(Role.COMMITTEE, "anfa", "ramadan-1441")
    with httpx.Client(base_url=live_server.url) as http:
        setup(http, admin)
        rows = [(f"AB{n:06d}", "anfa", 1 + n % 5) for n in range(200)]
        codes = [i["voucher"] for i in enrol(http, admin, rows).json()["items"]]
        start = http.get(f"{C}/committees/anfa/list", headers=anfa).json()
        phone = {entry[0]: entry for entry in start["entries"]}
        position, done = start["position"], threading.Event()

        def deliver(offset: int) -> None:
            with httpx.Client(base_url=live_server.url) as client:
                for b in range(5):
                    ns = [offset + b * 10 + i for i in range(10)]
                    batch = [kit(n, "anfa", voucher=codes[n], household_size=1 + n % 5) for n in ns]
                    client.post(f"{C}/deliveries", json={"items": batch}, headers=anfa)

        writers = [threading.Thread(target=deliver, args=(o,)) for o in (0, 50, 100)]
        for writer in writers:
            writer.start()
        while not done.is_set():
            done.set() if not any(w.is_alive() for w in writers) else None
            delta = http.get(f"{C}/committees/anfa/list", params={"since": position},
                             headers={**anfa, "Accept-Encoding": "gzip"})  # fmt: skip
            page = delta.json()
            phone.update({entry[0]: entry for entry in page["entries"]})
            position = page["position"]
        for writer in writers:
            writer.join()
        final = http.get(f"{C}/committees/anfa/list", headers=anfa).json()
        assert sorted(phone.values()) == sorted(final["entries"])
        served = sorted(e[2] for e in final["entries"] if e[2])
        assert served == sorted(f"d-{n}" for n in range(150))


def test_a_large_list_is_compressed_on_request(live_server: LiveServer) -> None:
    admin = live_server.token(Role.ADMIN)
    with httpx.Client(base_url=live_server.url) as http:
        setup(http, admin)
        enrol(http, admin, [(f"AB{n:06d}", "anfa", 3) for n in range(100)])
        raw = http.get(f"{C}/committees/anfa/list", headers={**admin, "Accept-Encoding": "gzip"})
        assert raw.headers["Content-Encoding"] == "gzip"
        assert len(json.loads(raw.content)["entries"]) == 100  # httpx decoded it
        assert raw.num_bytes_downloaded < len(raw.content) // 2
