"""The field app's routes over real HTTP: its files, the worker's scope, the sign-in QR."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
import pytest

from domain.actors import Role
from tests.conftest import LiveServer

SIGN_IN = {"scope": "ramadan-1441", "unit": "anfa"}


@pytest.mark.parametrize("store_settings", ["sqlite"], indirect=True)  # routes, not the store
def test_the_app_and_its_service_worker_are_served_under_field(live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.url) as http:
        assert http.get("/field").headers["location"] == "/field/"
        page = http.get("/field/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert page.headers["content-security-policy"].startswith("default-src 'self'")
        worker = http.get("/field/sw.js")
        assert worker.headers["service-worker-allowed"] == "/field/"
        assert worker.headers["content-type"].startswith("text/javascript")
        manifest = http.get("/field/manifest.webmanifest").json()
        assert (manifest["start_url"], manifest["scope"]) == ("/field/", "/field/")
        assert http.get("/field/secrets.txt").status_code == 404


@pytest.mark.parametrize("store_settings", ["sqlite"], indirect=True)  # routes, not the store
def test_the_sign_in_qr_holds_the_phone_token_and_never_an_admins(
    live_server: LiveServer,
) -> None:
    committee = live_server.token(Role.COMMITTEE, "anfa", "ramadan-1441")
    token = committee["Authorization"].split(" ", 1)[1]
    with httpx.Client(base_url=live_server.url) as http:
        made = http.post("/v1/field/sign-in", json=SIGN_IN, headers=committee)
        assert made.status_code == 200
        fragment = urlencode({"mode": "committee", "campaign": "ramadan-1441",
                              "committee": "anfa", "token": token})  # fmt: skip
        assert made.json()["link"] == f"{live_server.url}/field/#{fragment}"
        assert made.json()["qr"].startswith("data:image/svg+xml")
        admin = http.post("/v1/field/sign-in", json=SIGN_IN, headers=live_server.token(Role.ADMIN))
        assert admin.status_code == 403
        other = http.post("/v1/field/sign-in", json={**SIGN_IN, "unit": "sidi"}, headers=committee)
        assert (other.status_code, other.json()["fields"][0]["field"]) == (403, "unit")
        site = http.post("/v1/field/sign-in", json={**SIGN_IN, "mode": "site"}, headers=committee)
        assert site.status_code == 403
        assert http.post("/v1/field/sign-in", json=SIGN_IN).status_code == 401
        bad = http.post("/v1/field/sign-in", json={**SIGN_IN, "unit": "Not A Slug"},
                        headers=committee)  # fmt: skip
        assert (bad.status_code, bad.json()["fields"][0]["field"]) == (422, "unit")
