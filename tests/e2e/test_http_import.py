"""Spreadsheet imports over real HTTP and from the command line, on SQLite and PostgreSQL."""

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
from tests.e2e.test_http_distribution import setup_campaign
from tests.leaks import said

URL = "/v1/campaigns/ramadan-1441/deliveries/import"
FRENCH = "Identifiant;Comité;CIN;Taille du ménage;Date de livraison"


def sheet(*rows: str, header: str = FRENCH) -> bytes:
    return codecs.BOM_UTF8 + "\r\n".join((header, *rows)).encode() + b"\r\n"


GOOD = sheet(
    "anfa-1;casa-anfa;BE123456;5;26/04/2020 10h15",
    "anfa-2;casa-anfa;BE654321;٣;26/04/2020 10h40",
)


@pytest.fixture
def http(live_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=30)


@pytest.fixture
def admin(live_server: LiveServer, http: httpx.Client) -> dict[str, str]:
    headers = live_server.token(Role.ADMIN)
    setup_campaign(http, headers)
    return headers


def totals(http: httpx.Client, admin: dict[str, str], position: int = 0) -> dict[str, int]:
    answer = http.get(f"/v1/campaigns/ramadan-1441/totals?min_position={position}", headers=admin)
    return answer.json()


def test_multipart_upload_then_reimport_changes_nothing(
    http: httpx.Client, admin: dict[str, str]
) -> None:
    files = {"file": ("livraisons.csv", GOOD, "text/csv")}
    first = http.post(URL + "?wait=true", files=files, headers=admin)
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["recorded"], body["rejected"], body["committed"], body["visible"]) == (
        2,
        0,
        True,
        True,
    )
    assert [(i["row"], i["id"], i["status"]) for i in body["items"]] == [
        (2, "anfa-1", "recorded"),
        (3, "anfa-2", "recorded"),
    ]
    assert totals(http, admin)["people_reached"] == 8
    again = http.post(URL, files=files, headers=admin).json()
    assert (again["duplicate"], again["recorded"]) == (2, 0)
    assert 0 < again["position"] <= body["position"]  # the originals', not 0
    assert totals(http, admin)["households_served"] == 2


def test_text_csv_body_dry_run_reports_rows_and_records_nothing(
    http: httpx.Client, admin: dict[str, str]
) -> None:
    data = sheet(
        "anfa-1;casa-anfa;BE123456;cinq;26/04/2020",
        "anfa-2;casa-ghost;BE654321;3;31/04/2020",
        "anfa-3;casa-anfa;BE000003;3;26/04/2020",
    )
    answer = http.post(
        URL + "?dry_run=true",
        content=data,
        headers={**admin, "content-type": "text/csv; charset=utf-8"},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["mode"], body["committed"], body["valid"], body["rejected"]) == (
        "dry_run",
        False,
        1,
        2,
    )
    assert body["errors"] == [
        {"row": 2, "column": "household_size", "value": "cinq", "reason": "is not a whole number"},
        {
            "row": 3,
            "column": "delivered_at",
            "value": "31/04/2020",
            "reason": "is not a date that exists (day/month/year)",
        },
    ]
    assert totals(http, admin)["households_served"] == 0


def test_all_or_nothing_over_http(http: httpx.Client, admin: dict[str, str]) -> None:
    bad = sheet("anfa-1;casa-anfa;BE123456;5;26/04/2020", "anfa-2;casa-ghost;BE654321;3;26/04/2020")
    body = http.post(URL + "?all_or_nothing=true", files={"file": ("f.csv", bad)}, headers=admin)
    assert body.json()["committed"] is False
    assert [i["status"] for i in body.json()["items"]] == ["valid", "rejected"]
    assert body.json()["errors"][0]["column"] == "committee"
    assert totals(http, admin)["households_served"] == 0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (b"", "file"),
        ("identifiant;comité\n1;é\n".encode("cp1252"), "file"),
        (sheet("a;b;c;d", header="Identifiant;Comité;CIN;Date"), "header.household_size"),
        (sheet("a;b;c;d;e;f", header=FRENCH + ";Téléphone"), "header.Téléphone"),
    ],
)
def test_file_level_problems_are_a_422_naming_the_field(
    http: httpx.Client, admin: dict[str, str], data: bytes, field: str
) -> None:
    answer = http.post(URL, files={"file": ("f.csv", data)}, headers=admin)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "rejected"
    assert field in [f["field"] for f in answer.json()["fields"]]


def test_id_numbers_never_come_back(http: httpx.Client, admin: dict[str, str]) -> None:
    data = sheet("anfa-1;casa-anfa;SECRET#1234;5;26/04/2020")
    answer = http.post(URL, files={"file": ("f.csv", data)}, headers=admin)
    assert answer.json()["errors"][0]["value"] == "(hidden)"
    assert "SECRET" not in said(answer) and "1234" not in said(answer)


def test_multipart_without_a_file_field(http: httpx.Client, admin: dict[str, str]) -> None:
    answer = http.post(URL, files={"upload": ("f.csv", GOOD)}, headers=admin)
    assert answer.status_code == 422
    assert answer.json()["fields"][0]["field"] == "file"


def test_imports_need_a_token_and_a_known_campaign(
    live_server: LiveServer, http: httpx.Client, admin: dict[str, str]
) -> None:
    assert http.post(URL, files={"file": ("f.csv", GOOD)}).status_code == 401
    auditor = live_server.token(Role.AUDITOR)
    assert http.post(URL, files={"file": ("f.csv", GOOD)}, headers=auditor).status_code == 403
    missing = http.post(
        "/v1/campaigns/nope-2020/deliveries/import", files={"file": ("f.csv", GOOD)}, headers=admin
    )
    assert missing.status_code == 404


def test_cli_import_with_progress_bar(
    live_server: LiveServer, admin: dict[str, str], tmp_path: Path, store_settings: Settings
) -> None:
    path = tmp_path / "livraisons.csv"
    path.write_bytes(GOOD)
    env = {
        "TADAMON_DATABASE_URL": store_settings.database_url,
        "TADAMON_DATABASE_SCHEMA": store_settings.database_schema,
        "TADAMON_HASH_SECRET": store_settings.identity_secret().decode(),
        "TADAMON_SECRETS_DIR": str(tmp_path / "cli-secrets"),
    }
    runner = CliRunner()
    args = ["import", "deliveries", str(path), "--campaign", "ramadan-1441"]
    dry = runner.invoke(cli.app, [*args, "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert "2 rows (dry_run): 2 valid" in dry.output
    done = runner.invoke(cli.app, args, env=env)
    assert done.exit_code == 0, done.output
    assert "deliveries from livraisons.csv" in done.output  # the progress bar's label
    assert "2 rows (record): 2 recorded" in done.output
    again = runner.invoke(cli.app, args, env=env)
    assert "2 rows (record): 2 duplicate" in again.output
    path.write_bytes(sheet("anfa-9;casa-anfa;BE999999;neuf;26/04/2020"))
    refused = runner.invoke(cli.app, [*args, "--all-or-nothing"], env=env)
    assert refused.exit_code == 1
    assert "row 2, household_size = 'neuf': is not a whole number" in refused.output
    path.write_bytes(b"")
    assert runner.invoke(cli.app, args, env=env).exit_code == 2
