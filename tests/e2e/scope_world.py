"""A small world every role can be tried against: two campaigns that both have a committee
`casa-anfa`, two operations that both have a site `port-genoa`, a store with rice in it,
and one token per role, each bound where it should be."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import httpx

from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.test_http_distribution import CAMPAIGN, delivery, setup_campaign
from tests.e2e.test_http_donations import MARCH, dispatch_body
from tests.e2e.test_http_marhaba import BASE, case, movement, setup_operation
from tests.marhaba_data import OPERATION, SITES

RAMADAN, ELSEWHERE = "ramadan-1441", "ramadan-1442"
MARHABA, LATER = "marhaba-2020", "marhaba-2021"
CAMPAIGN_URL = f"/v1/campaigns/{RAMADAN}"
GENOA = f"{BASE}/sites/port-genoa"
STORE = "casa-central"
# Each role under its name in the matrix, and the bearer it gets.
ROLES = ("admin", "committee", "committee_elsewhere", "site", "site_elsewhere", "donations",
         "auditor")  # fmt: skip
DESCRIBED = {
    "admin": "the admin role",
    "committee": f"committee 'casa-anfa' of campaign '{RAMADAN}'",
    "committee_elsewhere": f"committee 'casa-anfa' of campaign '{ELSEWHERE}'",
    "site": f"site 'port-genoa' of operation '{MARHABA}'",
    "site_elsewhere": f"site 'port-genoa' of operation '{LATER}'",
    "donations": "the donations role",
    "auditor": "the auditor role",
}


def ok(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code in (200, 201), answer.text
    body: dict[str, Any] = answer.json()
    return body


@dataclass
class World:
    http: httpx.Client
    tokens: dict[str, dict[str, str]]
    donation: str = ""
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def admin(self) -> dict[str, str]:
        return self.tokens["admin"]

    def fresh(self) -> int:
        return next(self.counter)

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        return ok(self.http.post(path, json=body, headers=self.admin))


def _second_campaign(world: World) -> None:
    world.post("/v1/campaigns", {**CAMPAIGN, "slug": ELSEWHERE, "name": "Ramadan 1442"})
    ok(world.http.put(f"/v1/campaigns/{ELSEWHERE}/quotas/MA-RAB", json={"households": 50},
                      headers=world.admin))  # fmt: skip
    committee = {"code": "casa-anfa", "name": "Agdal", "province": "MA-RAB", "commune": "Agdal"}
    world.post(f"/v1/campaigns/{ELSEWHERE}/committees", committee)
    world.post(f"/v1/campaigns/{ELSEWHERE}/committees/casa-anfa/stock",
               {"quantity": 10, "reference": "bl-1"})  # fmt: skip


def _donations(world: World) -> None:
    world.post("/v1/stores", {"code": STORE, "name": "Central store", "city": "Casablanca"})
    world.post("/v1/donors", {"code": "giver", "kind": "company", "name": "Giver SA"})
    recorded = world.post("/v1/donations/in-kind", gift(0))
    world.donation = recorded["detail"]["donation"]


def gift(n: int) -> dict[str, Any]:
    line = {"item": "rice", "category": "food", "description": "rice", "quantity": "1000",
            "unit": "kg", "value_mad": "5000.00"}  # fmt: skip
    return {"donor": "giver", "receipt": f"r-{n}", "store": STORE, "received_at": MARCH,
            "lines": [line]}  # fmt: skip


def build_world(server: LiveServer, http: httpx.Client) -> World:
    tokens = {
        "admin": server.token(Role.ADMIN),
        "committee": server.token(Role.COMMITTEE, "casa-anfa", RAMADAN),
        "committee_elsewhere": server.token(Role.COMMITTEE, "casa-anfa", ELSEWHERE),
        "site": server.token(Role.SITE, "port-genoa", MARHABA),
        "site_elsewhere": server.token(Role.SITE, "port-genoa", LATER),
        "donations": server.token(Role.DONATIONS),
        "auditor": server.token(Role.AUDITOR),
    }
    world = World(http, tokens)
    setup_campaign(http, world.admin)
    _second_campaign(world)
    setup_operation(http, world.admin)
    world.post("/v1/operations", {**OPERATION, "slug": LATER, "name": "Marhaba 2021",
                                  "starts_on": "2021-07-15", "ends_on": "2021-09-15"})  # fmt: skip
    world.post(f"/v1/operations/{LATER}/sites", {"code": "port-genoa", **SITES["port-genoa"]})
    _donations(world)
    return world


def recorded_delivery(world: World, n: int) -> str:
    world.post(f"{CAMPAIGN_URL}/deliveries", {"items": [delivery(1000 + n)]})
    return f"d-{1000 + n}"


def recorded_movement(world: World, n: int) -> str:
    world.post(f"{GENOA}/movements", {"items": [movement(1000 + n)]})
    return f"GNV-{1000 + n}"


def opened_case(world: World, n: int) -> str:
    world.post(f"{GENOA}/cases", case(1000 + n))
    return f"c-{1000 + n}"


def made_dispatch(world: World, n: int) -> str:
    world.post(f"/v1/stores/{STORE}/dispatches", dispatch_body(f"ack-{n}", "chu", ("rice", "1")))
    return f"ack-{n}"


def spare_token(world: World) -> str:
    return str(world.post("/v1/tokens", {"role": "auditor", "label": "spare"})["id"])


def registered_site(world: World, n: int) -> str:
    world.post(f"{BASE}/sites", {**SITES["port-sete"], "code": f"close-{n}"})
    return f"close-{n}"
