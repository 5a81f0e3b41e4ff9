"""Every role against every write endpoint, on SQLite and PostgreSQL: each is allowed
exactly where the README's roles table says, and refused with 403 saying what the token
is for everywhere else; then closed books refuse committees and sites but take an
admin's correction, shown apart in the totals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from tests.conftest import TEST_SECRET, LiveServer
from tests.e2e import scope_world as w
from tests.e2e.test_http_distribution import CAMPAIGN, delivery
from tests.e2e.test_http_donations import MARCH, dispatch_body
from tests.e2e.test_http_kobo import MAPPING
from tests.e2e.test_http_lists_scope import LIST_WRITES
from tests.e2e.test_http_marhaba import BASE, case, movement
from tests.marhaba_data import OPERATION, SITES

Request = tuple[str, str, Any]  # method, path, JSON body or (content type, bytes)
Make = Callable[[w.World, int], Request]
ADMIN = {"admin"}
COMMITTEE = {"admin", "committee"}
SITE = {"admin", "site"}
DONATIONS = {"admin", "donations"}
C = w.CAMPAIGN_URL
DELIVERIES_CSV = "delivery_id;committee;household;household_size;delivered_at\n"
MOVEMENTS_CSV = "reference;direction;mode;travellers;moved_at\n"
GIFTS_CSV = "donor;receipt;store;received_at;item;category;description;quantity;unit\n"


def csv(text: str) -> tuple[str, bytes]:
    return ("text/csv", text.encode())


# (endpoint as the app declares it, who may call it, one fresh request for call n)
ENDPOINTS: list[tuple[str, set[str], Make]] = [
    ("POST /v1/campaigns", ADMIN,
     lambda _, n: ("POST", "/v1/campaigns", {**CAMPAIGN, "slug": f"c-{n}"})),
    ("PUT /v1/campaigns/{campaign}/quotas/{province}", ADMIN,
     lambda _, n: ("PUT", f"{C}/quotas/MA-RAB", {"households": n})),
    ("POST /v1/campaigns/{campaign}/committees", ADMIN, lambda _, n: ("POST", f"{C}/committees", {
        "code": f"k-{n}", "name": "K", "province": "MA-CAS", "commune": "Anfa"})),
    ("POST /v1/campaigns/{campaign}/committees/{committee}/stock", ADMIN, lambda _, n: (
        "POST", f"{C}/committees/casa-anfa/stock", {"quantity": 1, "reference": f"bl-s{n}"})),
    ("POST /v1/campaigns/{campaign}/deliveries", COMMITTEE,
     lambda _, n: ("POST", f"{C}/deliveries", {"items": [delivery(n)]})),
    ("POST /v1/campaigns/{campaign}/deliveries/{delivery_id}/reversal", COMMITTEE,
     lambda world, n: ("POST", f"{C}/deliveries/{w.recorded_delivery(world, n)}/reversal",
                       {"reason": "wrong"})),
    ("POST /v1/campaigns/{campaign}/deliveries/import", COMMITTEE, lambda _, n: (
        "POST", f"{C}/deliveries/import",
        csv(DELIVERIES_CSV + f"i-{n};casa-anfa;BI{n:06d};3;2020-04-26 10:00\n"))),
    ("POST /v1/operations", ADMIN,
     lambda _, n: ("POST", "/v1/operations", {**OPERATION, "slug": f"op-{n}"})),
    ("POST /v1/operations/{operation}/sites", ADMIN, lambda _, n: (
        "POST", f"{BASE}/sites", {**SITES["port-sete"], "code": f"s-{n}"})),
    ("POST /v1/operations/{operation}/sites/{site}/closure", ADMIN, lambda world, n: (
        "POST", f"{BASE}/sites/{w.registered_site(world, n)}/closure", {})),
    ("POST /v1/operations/{operation}/sites/{site}/movements", SITE,
     lambda _, n: ("POST", f"{w.GENOA}/movements", {"items": [movement(n)]})),
    ("POST /v1/operations/{operation}/sites/{site}/movements/{movement}/adjustments", SITE,
     lambda world, n: ("POST", f"{w.GENOA}/movements/{w.recorded_movement(world, n)}/adjustments",
                       {"adjustment_id": f"a-{n}", "delta": 1, "reason": "recount"})),
    ("POST /v1/operations/{operation}/sites/{site}/movements/import", SITE, lambda _, n: (
        "POST", f"{w.GENOA}/movements/import",
        csv(MOVEMENTS_CSV + f"IMP-{n};arrival;sea;4;2020-07-20 08:00\n"))),
    ("POST /v1/operations/{operation}/sites/{site}/cases", SITE,
     lambda _, n: ("POST", f"{w.GENOA}/cases", case(n))),
    ("POST /v1/operations/{operation}/sites/{site}/cases/{case}/referral", SITE, lambda world, n: (
        "POST", f"{w.GENOA}/cases/{w.opened_case(world, n)}/referral",
        {"destination": "moh_hospital"})),
    ("POST /v1/operations/{operation}/sites/{site}/cases/{case}/closure", SITE, lambda world, n: (
        "POST", f"{w.GENOA}/cases/{w.opened_case(world, n)}/closure", {})),
    ("POST /v1/donors", DONATIONS, lambda _, n: (
        "POST", "/v1/donors", {"code": f"donor-{n}", "kind": "company", "name": "D"})),
    ("POST /v1/donations/cash", DONATIONS, lambda _, n: ("POST", "/v1/donations/cash", {
        "donor": "giver", "receipt": f"c-{n}", "amount_mad": "10.00",
        "fund": "covid-19-special-fund", "occurred_at": MARCH})),
    ("POST /v1/donations/in-kind", DONATIONS,
     lambda _, n: ("POST", "/v1/donations/in-kind", w.gift(n))),
    ("POST /v1/donations/in-kind/import", DONATIONS, lambda _, n: (
        "POST", "/v1/donations/in-kind/import",
        csv(GIFTS_CSV + f"giver;ri-{n};{w.STORE};2020-03-23 10:00;tea;food;tea;5;kg\n"))),
    ("POST /v1/donations/{donation}/lines/{line}/valuation-corrections", DONATIONS,
     lambda world, n: ("POST", f"/v1/donations/{world.donation}/lines/1/valuation-corrections",
                       {"value_mad": f"{5000 + n}.00", "reason": "invoice"})),
    ("PUT /v1/appeals/{appeal}", DONATIONS, lambda _, n: ("PUT", f"/v1/appeals/appeal-{n}", {
        "name": "Appeal", "declared_total_mad": "100.00", "source": "report"})),
    ("POST /v1/stores", DONATIONS, lambda _, n: (
        "POST", "/v1/stores", {"code": f"st-{n}", "name": "S", "city": "Rabat"})),
    ("POST /v1/stores/{store}/dispatches", DONATIONS, lambda _, n: (
        "POST", f"/v1/stores/{w.STORE}/dispatches",
        dispatch_body(f"bl-{n}", "chu", ("rice", "1")))),
    ("POST /v1/stores/{store}/dispatches/{dispatch}/acknowledgement", DONATIONS, lambda world, n: (
        "POST", f"/v1/stores/{w.STORE}/dispatches/{w.made_dispatch(world, n)}/acknowledgement",
        {"received_at": "2020-04-01T15:00:00+01:00", "reference": f"stamp-{n}"})),
    ("POST /v1/shipments", DONATIONS, lambda _, n: ("POST", "/v1/shipments", {
        "code": f"ship-{n}", "destination_country": "LB", "destination": "Beirut",
        "departed_at": "2020-08-06T08:00:00+01:00",
        "items": [{"category": "food", "description": "lentils", "tonnes": "1"}]})),
    ("PUT /v1/integrations/kobo/{form}", ADMIN,
     lambda _, n: ("PUT", f"/v1/integrations/kobo/form{n:06d}abc", MAPPING)),
    ("POST /v1/audit/tree-heads", ADMIN, lambda _, n: ("POST", "/v1/audit/tree-heads", None)),
    ("POST /v1/tokens", ADMIN, lambda _, n: ("POST", "/v1/tokens", {"role": "auditor"})),
    ("POST /v1/tokens/{token_id}/revocation", ADMIN, lambda world, n: (
        "POST", f"/v1/tokens/{w.spare_token(world)}/revocation", None)),
]  # fmt: skip
# Closing a campaign or an operation ends what the matrix can try: they run last.
CLOSING: list[tuple[str, set[str], Make]] = [
    ("POST /v1/campaigns/{campaign}/closure", ADMIN,
     lambda _, n: ("POST", f"{C}/closure", {"reason": "season over"})),
    ("POST /v1/operations/{operation}/closure", ADMIN,
     lambda _, n: ("POST", f"{BASE}/closure", {})),
]  # fmt: skip
# Kobo's own POST is authenticated by the form's secret, never by a token.
NOT_TOKEN_AUTHENTICATED = {"POST /v1/integrations/kobo/{form}"}


def send(world: w.World, role: str, request: Request) -> httpx.Response:
    method, path, body = request
    headers = world.tokens[role]
    if isinstance(body, tuple):
        return world.http.request(method, path, content=body[1],
                                  headers={**headers, "Content-Type": body[0]})  # fmt: skip
    return world.http.request(method, path, json=body, headers=headers)


@pytest.fixture
def world(live_server: LiveServer) -> w.World:
    http = httpx.Client(base_url=live_server.url, timeout=60)
    return w.build_world(live_server, http)


def _refusal(role: str, answer: httpx.Response) -> tuple[int, str, bool]:
    body = answer.json()
    said = body["message"].startswith(f"this token is for {w.DESCRIBED[role]}")
    return answer.status_code, body["error"], said


def _try_all(world: w.World, endpoints: list[tuple[str, set[str], Make]]) -> list[str]:
    """Every role on every endpoint; the list of what did not answer as the table says."""
    wrong = []
    for name, allowed, make in endpoints:
        for role in w.ROLES:
            answer = send(world, role, make(world, world.fresh()))
            if role in allowed and answer.status_code not in (200, 201):
                wrong.append(f"{role} {name}: {answer.status_code} {answer.text}")
            if role not in allowed and _refusal(role, answer) != (403, "forbidden", True):
                wrong.append(f"{role} {name}: {answer.status_code} {answer.text}")
    return wrong


# Write routes whose roles and scopes another matrix tries, named with it.
COVERED_ELSEWHERE = {
    "POST /v1/field/sign-in": "test_http_field: committee, other committee, site, admin, none",
    "PUT /v1/approvals/{operation}/{scope}/workflow": "test_approvals_store: roles",
    "POST /v1/approvals/{operation}/{scope}/{level}/{unit}/{period}": (
        "test_approvals_store: chair, other chair, coordinator, wrong coordinator, national; "
        "test_approvals_sites_store: supervisor, other site's, other operation's, site desk, "
        "storekeeper, other store's, national"
    ),
    "POST /v1/approvals/{operation}/{scope}/{level}/{unit}/{period}/unapproval": (
        "test_approvals_store: only an admin un-approves"
    ),
}


def test_every_write_endpoint_is_in_the_matrix(tmp_path: Path) -> None:
    from api.app import create_app

    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/t.db",
        secrets_dir=tmp_path,
        hash_secret=TEST_SECRET,
        run_projections=False,
        run_sealer=False,
    )
    container = bootstrap(settings)
    paths = create_app(container).openapi()["paths"]
    container.close()
    declared = {f"{m.upper()} {p}" for p, ops in paths.items() for m in ops if m != "get"}
    tried = {name for name, _, _ in ENDPOINTS + CLOSING} | NOT_TOKEN_AUTHENTICATED | LIST_WRITES
    tried |= set(COVERED_ELSEWHERE)
    assert declared == tried


def test_every_role_on_every_write_endpoint(world: w.World) -> None:
    """First the flaw the trial found: a committee code names another committee elsewhere."""
    answer = send(world, "committee_elsewhere", ("POST", f"{C}/deliveries",
                                                 {"items": [delivery(1)]}))  # fmt: skip
    assert answer.status_code == 403
    assert answer.json()["message"] == (
        f"this token is for committee 'casa-anfa' of campaign '{w.ELSEWHERE}' and cannot act "
        f"for committee 'casa-anfa' of campaign '{w.RAMADAN}'"
    )
    totals = world.http.get(f"{C}/totals", headers=world.admin).json()
    assert totals["households_served"] == 0
    assert _try_all(world, ENDPOINTS + CLOSING) == []


def test_closed_books_refuse_committees_and_sites_and_take_an_admins_correction(
    world: w.World,
) -> None:
    http, admin = world.http, world.admin
    ok = w.ok
    ok(http.post(f"{C}/deliveries", json={"items": [delivery(1), delivery(2)]},
                 headers=world.tokens["committee"]))  # fmt: skip
    ok(
        http.post(
            f"{w.GENOA}/movements", json={"items": [movement(1)]}, headers=world.tokens["site"]
        )
    )
    ok(http.post(f"{C}/closure", json={"reason": "season over"}, headers=admin))
    ok(http.post(f"{BASE}/closure", json={}, headers=admin))

    late = http.post(f"{C}/deliveries/d-1/reversal", json={"reason": "late"},
                     headers=world.tokens["committee"])  # fmt: skip
    assert (late.status_code, late.json()["message"]) == (
        409,
        (
            f"campaign '{w.RAMADAN}' is closed: its books take no more changes from committee "
            f"'casa-anfa' of campaign '{w.RAMADAN}'; an admin may correct them, giving a reason"
        ),
    )
    ok(http.post(f"{C}/deliveries/d-1/reversal?wait=true", json={"reason": "audit finding"},
                 headers=admin))  # fmt: skip
    totals = ok(http.get(f"{C}/totals", headers=admin))
    assert (totals["households_served"], totals["people_reached"]) == (1, 5)
    assert totals["after_closure"] == {
        "deliveries_reversed": 1,
        "households_served": -1,
        "people_reached": -5,
    }

    adjust = f"{w.GENOA}/movements/GNV-1/adjustments"
    recount = {"adjustment_id": "a-late", "delta": -3, "reason": "recount"}
    refused = http.post(adjust, json=recount, headers=world.tokens["site"])
    said = (
        f"operation '{w.MARHABA}' is closed: its books take no more changes from site "
        f"'port-genoa' of operation '{w.MARHABA}'; an admin may correct them, giving a reason"
    )
    assert (refused.status_code, refused.json()["fields"]) == (
        409,
        [{"field": "operation", "reason": said}],
    )
    ok(http.post(f"{adjust}?wait=true", json=recount, headers=admin))
    marhaba = ok(http.get(f"{BASE}/totals", headers=admin))
    assert marhaba["arrivals"] == movement(1)["travellers"] - 3
    assert marhaba["after_closure"] == {"adjustments": 1, "arrivals": -3, "departures": 0}
