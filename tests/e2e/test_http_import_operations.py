"""Movement and in-kind gift imports over real HTTP and from the command line,
on SQLite and PostgreSQL."""

from __future__ import annotations

import codecs
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from adapters.settings import Settings
from api import cli
from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.test_http_marhaba import BASE, GENOA, setup_operation

MOVEMENTS = f"{GENOA}/movements/import"
GIFTS = "/v1/donations/in-kind/import"
FRENCH_MOVES = "Référence;Sens;Mode de transport;Voyageurs;Date et heure"
ARABIC_GIFTS = "المتبرع;رقم الوصل;المخزن;تاريخ الاستلام;الصنف;الفئة;الوصف;الكمية;الوحدة;القيمة"


def sheet(header: str, *rows: str) -> bytes:
    return codecs.BOM_UTF8 + "\r\n".join((header, *rows)).encode() + b"\r\n"


MOVES = sheet(
    FRENCH_MOVES,
    "GNV-1;Arrivée;Bateau;120;20/07/2020 08h00",
    "GNV-2;départ;ferry;٨٠;21/07/2020 22h30",
)
GIFT_LINES = sheet(
    ARABIC_GIFTS,
    "nestle;r-002;casa-central;23/03/2020;milk;مواد غذائية;powdered milk;1000;kg;1 500 000,00",
    "nestle;r-002;casa-central;23/03/2020;biscuits;food;biscuits;500;box;500 000,00",
    "mohsin-1;r-004;casa-central;25/03/2020;ventilators;medical-equipment;v;1;lot;1,576,200.00",
)


@pytest.fixture
def http(live_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=30)


@pytest.fixture
def admin(live_server: LiveServer, http: httpx.Client) -> dict[str, str]:
    headers = live_server.token(Role.ADMIN)
    setup_operation(http, headers)
    store = {"code": "casa-central", "name": "Central store", "city": "Casablanca"}
    assert http.post("/v1/stores", json=store, headers=headers).status_code == 201
    for donor in (
        {"code": "nestle", "kind": "company", "name": "Nestlé"},
        {"code": "mohsin-1", "kind": "individual"},
    ):
        assert http.post("/v1/donors", json=donor, headers=headers).status_code == 201
    return headers


def test_a_site_imports_its_movements_then_reimports_nothing(
    live_server: LiveServer, http: httpx.Client, admin: dict[str, str]
) -> None:
    genoa = live_server.token(Role.SITE, "port-genoa", "marhaba-2020")
    files = {"file": ("mouvements.csv", MOVES, "text/csv")}
    first = http.post(MOVEMENTS + "?wait=true", files=files, headers=genoa)
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["kind"], body["scope"], body["recorded"], body["visible"]) == (
        "movements",
        "marhaba-2020",
        2,
        True,
    )
    totals = http.get(f"{BASE}/totals", headers=genoa).json()
    assert (totals["arrivals"], totals["departures"]) == (120, 80)
    again = http.post(MOVEMENTS, files=files, headers=genoa).json()
    assert (again["duplicate"], again["recorded"], again["position"]) == (2, 0, body["position"])
    assert again["items"][0]["original"]["travellers"] == 120
    sete = http.post(f"{BASE}/sites/port-sete/movements/import", files=files, headers=genoa)
    assert sete.status_code == 403  # a site token imports for its own site only


def test_movement_dry_run_reports_rows_and_records_nothing(
    http: httpx.Client, admin: dict[str, str]
) -> None:
    data = sheet(
        FRENCH_MOVES,
        "GNV-1;Arrivée;Bateau;cent;20/07/2020",
        "GNV-2;arrivée;dromadaire;10;20/07/2020",
        "GNV-3;arrivée;bateau;10;01/07/2020",
        "GNV-4;arrivée;bateau;10;20/07/2020",
    )
    answer = http.post(
        MOVEMENTS + "?dry_run=true", content=data, headers={**admin, "content-type": "text/csv"}
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["mode"], body["committed"], body["valid"], body["rejected"]) == (
        "dry_run",
        False,
        1,
        3,
    )
    assert [(e["row"], e["column"], e["value"]) for e in body["errors"]] == [
        (2, "travellers", "cent"),
        (3, "mode", "dromadaire"),
        (4, "moved_at", "01/07/2020"),
    ]
    assert http.get(f"{BASE}/totals", headers=admin).json()["movements"] == 0


def test_movement_imports_need_a_known_operation_and_site(
    http: httpx.Client, admin: dict[str, str]
) -> None:
    files = {"file": ("m.csv", MOVES)}
    assert http.post(MOVEMENTS, files=files).status_code == 401
    for url, field in (
        ("/v1/operations/nope-2020/sites/port-genoa/movements/import", "operation"),
        (f"{BASE}/sites/port-nowhere/movements/import", "site"),
    ):
        answer = http.post(url, files=files, headers=admin)
        assert answer.status_code == 404, answer.text
        assert answer.json()["fields"][0]["field"] == field


def test_gift_lines_import_all_or_nothing_then_record(
    live_server: LiveServer, http: httpx.Client, admin: dict[str, str]
) -> None:
    officer = live_server.token(Role.DONATIONS)
    bad = sheet(
        ARABIC_GIFTS,
        *GIFT_LINES.decode("utf-8-sig").splitlines()[1:],
        "ghost;r-9;casa-central;23/03/2020;x1;food;x;1;lot;",
    )
    refused = http.post(
        GIFTS + "?all_or_nothing=true", files={"file": ("g.csv", bad)}, headers=officer
    )
    assert refused.status_code == 200, refused.text
    assert refused.json()["committed"] is False
    assert [i["status"] for i in refused.json()["items"]] == ["valid"] * 3 + ["rejected"]
    assert refused.json()["errors"] == [
        {"row": 5, "column": "donor", "value": "ghost", "reason": "donor 'ghost' is not registered"}
    ]
    done = http.post(GIFTS + "?wait=true", files={"file": ("g.csv", GIFT_LINES)}, headers=officer)
    assert (done.json()["recorded"], done.json()["committed"]) == (3, True)
    totals = http.get("/v1/donations/totals", headers=officer).json()
    assert (totals["in_kind_mad"], totals["in_kind_lines"]) == ("3576200.00", 3)
    again = http.post(GIFTS, files={"file": ("g.csv", GIFT_LINES)}, headers=officer).json()
    assert again["duplicate"] == 3
    assert 0 < again["position"] <= done.json()["position"]  # the gifts' (with their store)
    site = live_server.token(Role.SITE, "port-genoa", "marhaba-2020")
    assert http.post(GIFTS, files={"file": ("g.csv", GIFT_LINES)}, headers=site).status_code == 403


def test_cli_imports_movements_and_gifts_with_progress(
    live_server: LiveServer, admin: dict[str, str], tmp_path: Path, store_settings: Settings
) -> None:
    env = {
        "TADAMON_DATABASE_URL": store_settings.database_url,
        "TADAMON_DATABASE_SCHEMA": store_settings.database_schema,
        "TADAMON_HASH_SECRET": store_settings.identity_secret().decode(),
        "TADAMON_SECRETS_DIR": str(tmp_path / "cli-secrets"),
    }
    runner = CliRunner()
    moves, gifts = tmp_path / "mouvements.csv", tmp_path / "dons.csv"
    moves.write_bytes(MOVES)
    gifts.write_bytes(GIFT_LINES)
    move_args = ["import", "movements", str(moves), "--operation", "marhaba-2020"]
    dry = runner.invoke(cli.app, [*move_args, "--site", "port-genoa", "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert "2 rows (dry_run): 2 valid" in dry.output
    no_site = runner.invoke(cli.app, move_args, env=env)  # no --site and no site column
    assert no_site.exit_code == 2 and "header.site: missing column" in no_site.output
    done = runner.invoke(cli.app, [*move_args, "--site", "port-genoa"], env=env)
    assert done.exit_code == 0, done.output
    assert "movements from mouvements.csv" in done.output  # the progress bar's label
    assert "2 rows (record): 2 recorded" in done.output
    gift_args = ["import", "donations", str(gifts)]
    assert "3 rows (record): 3 recorded" in runner.invoke(cli.app, gift_args, env=env).output
    again = runner.invoke(cli.app, gift_args, env=env)
    assert again.exit_code == 0 and "3 rows (record): 3 duplicate" in again.output
    gifts.write_bytes(
        sheet(ARABIC_GIFTS, "nestle;r-7;casa-central;23/03/2020;tea;food;t;1;kg;500 €")
    )
    refused = runner.invoke(cli.app, [*gift_args, "--all-or-nothing"], env=env)
    assert refused.exit_code == 1
    assert "row 2, value_mad = '500 €': must be an amount in MAD (dirhams)" in refused.output
