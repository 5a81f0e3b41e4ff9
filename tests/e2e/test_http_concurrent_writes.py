"""Writers racing on the same records over real HTTP: none is told to retry, none counts twice.

Lost races are decided again inside the server (``Ledger.retrying``) until
TADAMON_WRITE_RETRY_SECONDS; only a conflict that outlasts it is a 503 with
Retry-After. Both stores.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import text

from adapters.bootstrap import Container, bootstrap
from adapters.settings import Settings
from adapters.store import events_table
from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.test_http_distribution import setup_campaign

COMMITTEES = ("casa-anfa", "casa-sidi")
WRITERS = 8
BATCHES = 5
POOL = 90  # households shared by every writer, so batches overlap
STOCK = 100
TOP_UPS = 6


@contextmanager
def serving(settings: Settings) -> Iterator[LiveServer]:
    built = bootstrap(settings)
    try:
        with LiveServer(built) as live:
            yield live
    finally:
        built.close()


@pytest.fixture
def server(store_settings: Settings) -> Iterator[LiveServer]:
    """The default write deadline (10 s): what the field gets."""
    with serving(store_settings) as live:
        yield live


@pytest.fixture
def impatient_server(store_settings: Settings) -> Iterator[LiveServer]:
    """A write deadline of half a second, so a conflict can outlast it quickly."""
    with serving(store_settings.model_copy(update={"write_retry_seconds": 0.5})) as live:
        yield live


def writer(url: str, admin: dict[str, str], seed: int, answers: list[httpx.Response]) -> None:
    pick = random.Random(seed)
    with httpx.Client(base_url=url, timeout=60) as http:
        for batch in range(BATCHES):
            committee = COMMITTEES[(seed + batch) % 2]
            items = [
                {
                    "delivery_id": f"w{seed}-b{batch}-{n}",
                    "committee": committee,
                    "household": f"HH{n:05d}",
                    "household_size": 1 + n % 7,
                    "delivered_at": "2020-04-26T10:00:00+01:00",
                }
                for n in pick.sample(range(POOL), 12)
            ]
            answers.append(
                http.post(
                    "/v1/campaigns/ramadan-1441/deliveries", json={"items": items}, headers=admin
                )
            )


def top_up(url: str, admin: dict[str, str], answers: list[httpx.Response]) -> None:
    with httpx.Client(base_url=url, timeout=60) as http:
        for n in range(TOP_UPS):
            answers.append(
                http.post(
                    f"/v1/campaigns/ramadan-1441/committees/{COMMITTEES[n % 2]}/stock",
                    json={"quantity": 10, "reference": f"top-up-{n}"},
                    headers=admin,
                )
            )


def test_overlapping_batches_and_top_ups_never_409_and_count_once(server: LiveServer) -> None:
    admin = server.token(Role.ADMIN)
    with httpx.Client(base_url=server.url, timeout=30) as http:
        setup_campaign(http, admin, stock=STOCK)
    batches: list[httpx.Response] = []
    top_ups: list[httpx.Response] = []
    threads = [
        threading.Thread(target=writer, args=(server.url, admin, seed, batches))
        for seed in range(WRITERS)
    ]
    threads.append(threading.Thread(target=top_up, args=(server.url, admin, top_ups)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Counter(a.status_code for a in batches) == Counter({200: WRITERS * BATCHES})
    assert Counter(a.status_code for a in top_ups) == Counter({201: TOP_UPS})
    # Our own count: which households were sent at all, and which committee each answer
    # says recorded it. Every household fits the stock, so each is served exactly once.
    sent, recorded_by = set(), Counter()
    for answer in batches:
        request = answer.request.read()
        items = httpx.Response(200, content=request).json()["items"]
        sent.update(item["household"] for item in items)
        for item, result in zip(items, answer.json()["items"], strict=True):
            if result["status"] == "recorded":
                recorded_by[item["committee"]] += 1
    assert sum(recorded_by.values()) == len(sent)
    with httpx.Client(base_url=server.url, timeout=30) as http:
        totals = http.get(
            "/v1/campaigns/ramadan-1441/totals",
            params={"min_position": max(a.json()["position"] for a in batches)},
            headers=admin,
        ).json()
    people = sum(1 + int(h[2:]) % 7 for h in sent)
    given = len(COMMITTEES) * STOCK + 10 * TOP_UPS
    assert (totals["households_served"], totals["people_reached"]) == (len(sent), people)
    assert totals["kits_in_stock"] == given - len(sent)
    stock = {c["code"]: c["kits_in_stock"] for c in totals["committee_totals"]}
    top_ups_each = TOP_UPS // len(COMMITTEES) * 10
    assert stock == {c: STOCK + top_ups_each - recorded_by[c] for c in COMMITTEES}


def refuse_every_event(container: Container) -> None:
    """A trigger that fails every insert into the events table as a unique-key conflict."""
    settings = container.settings
    table = events_table(settings)
    with container.engine.begin() as conn:
        if settings.is_sqlite:
            conn.execute(
                text(
                    f"CREATE TRIGGER busy BEFORE INSERT ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: forced'); END"
                )
            )
            return
        schema = f'"{settings.database_schema}"'
        conn.execute(
            text(
                f"CREATE FUNCTION {schema}.busy() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = 'unique_violation'; END $$"
            )
        )
        conn.execute(
            text(
                f"CREATE TRIGGER busy BEFORE INSERT ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {schema}.busy()"
            )
        )


def allow_events_again(container: Container) -> None:
    table = events_table(container.settings)
    with container.engine.begin() as conn:
        conn.execute(
            text(f"DROP TRIGGER busy{'' if container.settings.is_sqlite else ' ON ' + table}")
        )


def test_a_conflict_past_the_deadline_is_503_with_retry_after_and_nothing_saved(
    impatient_server: LiveServer,
) -> None:
    server = impatient_server
    admin = server.token(Role.ADMIN)
    top_up_path = "/v1/campaigns/ramadan-1441/committees/casa-anfa/stock"
    body = {"quantity": 7, "reference": "bl-busy"}
    with httpx.Client(base_url=server.url, timeout=30) as http:
        setup_campaign(http, admin, stock=STOCK)
        refuse_every_event(server.container)
        busy = http.post(top_up_path, json=body, headers=admin)
        allow_events_again(server.container)
        again = http.post(top_up_path, json=body, headers=admin)
        totals = http.get(
            "/v1/campaigns/ramadan-1441/totals",
            params={"min_position": again.json()["position"]},
            headers=admin,
        ).json()

    assert (busy.status_code, busy.headers["Retry-After"]) == (503, "1")
    assert busy.json()["error"] == "busy"
    assert again.status_code == 201
    stock = {c["code"]: c["kits_in_stock"] for c in totals["committee_totals"]}
    assert stock == {"casa-anfa": STOCK + 7, "casa-sidi": STOCK}


GIVERS = 6
GIFTS_EACH = 4


def giver(url: str, officer: dict[str, str], n: int, answers: list[httpx.Response]) -> None:
    with httpx.Client(base_url=url, timeout=60) as http:
        for g in range(GIFTS_EACH):
            line = {"item": "flour", "category": "food", "description": "flour", "unit": "kg"}
            gift = {
                "donor": "donor-1",
                "receipt": f"r-{n}-{g}",
                "store": "central",
                "received_at": "2020-03-23T10:00:00+01:00",
                "lines": [line | {"quantity": str(n + 1), "value_mad": f"{g + 1}.50"}],
            }
            answers.append(http.post("/v1/donations/in-kind", json=gift, headers=officer))


def test_gifts_racing_into_one_store_are_each_recorded_once(server: LiveServer) -> None:
    officer = server.token(Role.DONATIONS)
    with httpx.Client(base_url=server.url, timeout=30) as http:
        store = {"code": "central", "name": "Central store", "city": "Casablanca"}
        assert http.post("/v1/stores", json=store, headers=officer).status_code == 201
        donor = {"code": "donor-1", "kind": "company", "name": "Donor One"}
        assert http.post("/v1/donors", json=donor, headers=officer).status_code == 201
    answers: list[httpx.Response] = []
    threads = [
        threading.Thread(target=giver, args=(server.url, officer, n, answers))
        for n in range(GIVERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Counter(a.status_code for a in answers) == Counter({201: GIVERS * GIFTS_EACH})
    kilos = GIFTS_EACH * sum(n + 1 for n in range(GIVERS))
    value = GIVERS * sum(Decimal(f"{g + 1}.50") for g in range(GIFTS_EACH))
    with httpx.Client(base_url=server.url, timeout=30) as http:
        last = max(a.json()["position"] for a in answers)
        totals = http.get(
            "/v1/donations/totals", params={"min_position": last}, headers=officer
        ).json()
        held = http.get("/v1/stores/central", headers=officer).json()["stock"]
    assert (totals["in_kind_lines"], Decimal(totals["in_kind_mad"])) == (GIVERS * GIFTS_EACH, value)
    assert [(s["item"], Decimal(s["quantity"]), Decimal(s["value_mad"])) for s in held] == [
        ("flour", kilos, value)
    ]
