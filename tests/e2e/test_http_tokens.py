"""Tokens an admin can see and manage, over HTTP and on the command line, on both stores;
tokens from before scope binding are refused with the commands that reissue them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from adapters.settings import Settings
from adapters.token_tables import api_tokens
from adapters.tokens import digest
from api.cli import app
from domain.actors import Role
from tests.conftest import TEST_SECRET, LiveServer
from tests.e2e.test_http_distribution import setup_campaign

TOTALS = "/v1/campaigns/ramadan-1441/totals"


@pytest.fixture
def http(live_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=30)


def test_admin_lists_creates_and_revokes_tokens(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    body = {"role": "committee", "campaign": "ramadan-1441", "committee": "casa-anfa",
            "label": "Anfa phone"}  # fmt: skip
    made = http.post("/v1/tokens", json=body, headers=admin)
    assert made.status_code == 201, made.text
    issued = made.json()
    committee = {"Authorization": f"Bearer {issued['token']}"}
    assert http.get(TOTALS, headers=committee).status_code == 200

    listed = {t["id"]: t for t in http.get("/v1/tokens", headers=admin).json()}
    shown = listed[issued["id"]]
    assert (shown["role"], shown["scope"], shown["label"], shown["revoked_at"]) == (
        "committee",
        "ramadan-1441/casa-anfa",
        "Anfa phone",
        None,
    )
    assert shown["last_used_at"] is not None and "token" not in shown
    assert http.get("/v1/tokens", headers=committee).status_code == 403

    revoked = http.post(f"/v1/tokens/{issued['id']}/revocation", headers=admin)
    assert (revoked.status_code, revoked.json()["status"]) == (201, "revoked")
    again = http.post(f"/v1/tokens/{issued['id']}/revocation", headers=admin)
    assert (again.status_code, again.json()["status"]) == (200, "unchanged")
    assert http.get(TOTALS, headers=committee).status_code == 401
    assert http.post("/v1/tokens/nosuchid00/revocation", headers=admin).status_code == 404


REFUSED_ISSUES = [
    ({"role": "committee", "campaign": "ramadan-1441", "committee": "casa-nowhere"}, 404,
     "committee 'casa-nowhere' is not registered in campaign 'ramadan-1441'"),
    ({"role": "committee", "committee": "casa-anfa"}, 422,
     "a committee token needs a campaign and a committee (--campaign, --committee)"),
    ({"role": "site", "operation": "marhaba-2020", "site": "port-genoa"}, 404,
     "operation 'marhaba-2020' does not exist"),
    ({"role": "auditor", "campaign": "ramadan-1441"}, 422,
     "a token of role 'auditor' takes no campaign, operation, committee, site or province"),
]  # fmt: skip


def test_a_token_is_issued_only_for_what_exists(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    answers = [http.post("/v1/tokens", json=body, headers=admin) for body, _, _ in REFUSED_ISSUES]
    assert [(a.status_code, a.json()["message"]) for a in answers] == [
        (status, reason) for _, status, reason in REFUSED_ISSUES
    ]


def test_an_unbound_old_token_is_refused_with_the_reissue_command(
    live_server: LiveServer, http: httpx.Client
) -> None:
    old = "tdm_issued-before-binding"
    with live_server.container.engine.begin() as conn:
        conn.execute(api_tokens.insert().values(
            digest=digest(old), token_id="old0000001", role="committee", scope="casa-anfa",
            label="", created_at=datetime.now(UTC)))  # fmt: skip
    answer = http.get(TOTALS, headers={"Authorization": f"Bearer {old}"})
    assert (answer.status_code, answer.json()["message"]) == (401, (
        "this committee token (old0000001, for 'casa-anfa') was issued before tokens were "
        "bound to a campaign and no longer works; an admin reissues it with: tadamon tokens "
        "revoke old0000001 && tadamon tokens create --role committee --campaign CAMPAIGN "
        "--committee casa-anfa"))  # fmt: skip
    admin = live_server.token(Role.ADMIN)
    listed = {t["id"]: t for t in http.get("/v1/tokens", headers=admin).json()}
    assert listed["old0000001"]["scope"] == "casa-anfa (unbound)"


def test_tokens_on_the_command_line(store_settings: Settings, live_server: LiveServer,
                                    http: httpx.Client) -> None:  # fmt: skip
    setup_campaign(http, live_server.token(Role.ADMIN))
    env = {
        "TADAMON_DATABASE_URL": store_settings.database_url,
        "TADAMON_DATABASE_SCHEMA": store_settings.database_schema,
        "TADAMON_HASH_SECRET": TEST_SECRET,
        "TADAMON_SECRETS_DIR": str(store_settings.secrets_dir),
    }
    cli = CliRunner()
    args = ["tokens", "create", "--role", "committee", "--campaign", "ramadan-1441",
            "--committee", "casa-sidi", "--label", "Sidi"]  # fmt: skip
    made = cli.invoke(app, args, env=env)
    assert made.exit_code == 0, made.output
    token = made.stdout.strip()
    token_id = made.stderr.split()[1]
    assert http.get(TOTALS, headers={"Authorization": f"Bearer {token}"}).status_code == 200

    listed = cli.invoke(app, ["tokens", "list"], env=env)
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert rows[0] == ["id", "role", "scope", "label", "created", "last_used", "revoked"]
    mine = next(row for row in rows if row[0] == token_id)
    assert mine[1:4] == ["committee", "ramadan-1441/casa-sidi", "Sidi"]
    assert (mine[5] != "-", mine[6]) == (True, "-")

    revoked = cli.invoke(app, ["tokens", "revoke", token_id], env=env)
    assert (revoked.exit_code, revoked.stdout) == (0, f"token {token_id} revoked\n")
    assert http.get(TOTALS, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    unknown = cli.invoke(
        app, ["tokens", "create", "--role", "site", "--site", "port-genoa"], env=env
    )
    assert unknown.exit_code == 2


def _roles_table() -> dict[str, str]:
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    table = text.split("| role | may |\n| --- | --- |\n", 1)[1].split("\n\n", 1)[0]
    rows = [line.strip("|").split("|") for line in table.splitlines()]
    return {role.strip().strip("`"): may.strip() for role, may in rows}


def test_the_personal_data_read_log_is_the_auditors_alone(
    live_server: LiveServer, http: httpx.Client
) -> None:
    """The README's roles table, the code and this test say the same: auditors read the log
    of personal-data reads; admins, who read personal data, do not watch themselves."""
    roles = _roles_table()
    assert set(roles) == {role.value for role in Role}
    assert roles["admin"] == (
        "everything, except reading the personal-data read log (that is the auditor's check "
        "on admins)"
    )
    assert "`GET /v1/audit/personal-data-reads`" in roles["auditor"]
    answers = {
        role: http.get("/v1/audit/personal-data-reads", headers=live_server.token(role))
        for role in (Role.ADMIN, Role.AUDITOR)
    }
    assert (answers[Role.AUDITOR].status_code, answers[Role.AUDITOR].json()) == (200, [])
    assert (answers[Role.ADMIN].status_code, answers[Role.ADMIN].json()["message"]) == (
        403, "this token is for the admin role; this needs auditor")  # fmt: skip
