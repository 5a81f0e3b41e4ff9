"""Who may do what with the lists, every role against every list route, over real HTTP."""

from __future__ import annotations

import httpx

from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.test_http_lists import C, enrol, setup

ROLES: dict[str, tuple[Role, str | None, str | None]] = {
    "admin": (Role.ADMIN, None, None),
    "registrar of the province": (Role.REGISTRAR, "MA-CAS", "ramadan-1441"),
    "registrar of another province": (Role.REGISTRAR, "MA-RAB", "ramadan-1441"),
    "the committee": (Role.COMMITTEE, "anfa", "ramadan-1441"),
    "another committee": (Role.COMMITTEE, "sidi", "ramadan-1441"),
    "auditor": (Role.AUDITOR, None, None),
    "donations": (Role.DONATIONS, None, None),
    "site": (Role.SITE, "casa-port", "marhaba-2020"),
}
# The write routes this matrix covers (test_http_scope's guard counts them as tried).
LIST_WRITES = {
    "POST /v1/campaigns/{campaign}/enrolments",
    "POST /v1/campaigns/{campaign}/enrolments/import",
    "POST /v1/campaigns/{campaign}/vouchers/{voucher}/reissue",
    "POST /v1/campaigns/{campaign}/vouchers/{voucher}/move",
    "POST /v1/campaigns/{campaign}/vouchers/{voucher}/delisting",
}
# enrol at anfa, read anfa's list, print anfa's sheet, reissue, move to sidi, delist, import
EXPECTED = {
    "admin": [200, 200, 200, 201, 201, 201, 200],
    "registrar of the province": [200, 403, 200, 201, 201, 201, 200],
    "registrar of another province": [403, 403, 403, 403, 403, 403, 403],
    "the committee": [403, 200, 200, 403, 403, 403, 403],
    "another committee": [403, 403, 403, 403, 403, 403, 403],
    "auditor": [403, 403, 403, 403, 403, 403, 403],
    "donations": [403, 403, 403, 403, 403, 403, 403],
    "site": [403, 403, 403, 403, 403, 403, 403],
}


def _sheet(n: int) -> bytes:
    return f"N° CIN;comité;taille du ménage;commune\nSI{n:06d};anfa;2;\n".encode()


def attempts(http: httpx.Client, token: dict[str, str], n: int, vouchers: list[str]) -> list[int]:
    reason = {"reason": "card lost"}
    answers = [
        enrol(http, token, [(f"SC{n:06d}", "anfa", 3)]),
        http.get(f"{C}/committees/anfa/list", headers=token),
        http.get(f"{C}/committees/anfa/vouchers", headers=token),
        http.post(f"{C}/vouchers/{vouchers[0]}/reissue", json=reason, headers=token),
        http.post(f"{C}/vouchers/{vouchers[1]}/move", json={"committee": "sidi"}, headers=token),
        http.post(f"{C}/vouchers/{vouchers[2]}/delisting", json=reason, headers=token),
        http.post(f"{C}/enrolments/import", files={"file": ("l.csv", _sheet(n))}, headers=token),
    ]
    return [a.status_code for a in answers]


def test_every_role_against_every_list_route(live_server: LiveServer) -> None:
    admin = live_server.token(Role.ADMIN)
    with httpx.Client(base_url=live_server.url) as http:
        setup(http, admin)
        households = [(f"AB{n:06d}", "anfa", 2) for n in range(3 * len(ROLES))]
        codes = [i["voucher"] for i in enrol(http, admin, households).json()["items"]]
        found = {
            name: attempts(http, live_server.token(*role), n, codes[3 * n : 3 * n + 3])
            for n, (name, role) in enumerate(ROLES.items())
        }
        unauthenticated = http.get(f"{C}/committees/anfa/list").status_code
    assert found == EXPECTED
    assert unauthenticated == 401
