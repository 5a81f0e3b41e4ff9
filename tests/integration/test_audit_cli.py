"""The audit commands (replay, totals --as-of, export, seal, keys, forget) on both stores."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner, Result

from adapters.audit import verifier
from adapters.bootstrap import Container
from adapters.settings import Settings
from api.cli import app as cli
from domain.actors import Actor
from domain.distribution.commands import RecordDelivery
from projections import distribution
from tests.integration.test_audit_replay import _pause
from tests.integration.test_distribution_store import START, C, prepare, random_history


def cli_env(settings: Settings) -> dict[str, str | None]:
    """The environment that points the command line at the same store and secrets."""
    secret = settings.hash_secret
    return {
        "TADAMON_ENVIRONMENT": settings.environment,
        "TADAMON_DATABASE_URL": settings.database_url,
        "TADAMON_DATABASE_SCHEMA": settings.database_schema,
        "TADAMON_SECRETS_DIR": str(settings.secrets_dir),
        "TADAMON_HASH_SECRET": secret.get_secret_value() if secret else None,
        "TADAMON_ADMIN_TOKEN_FILE": str(settings.admin_token_file),
    }


def run(settings: Settings, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=cli_env(settings))


def test_replay_command_passes_then_names_an_altered_row(
    container: Container, admin: Actor
) -> None:
    prepare(container, admin)
    random_history(container, admin, batches=2)
    clean = run(container.settings, "replay", "--batch-size", "50")
    assert clean.exit_code == 0, clean.output
    assert "no difference" in clean.stdout
    assert "events/s" in clean.stderr and "replaying:" in clean.stderr
    with container.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE view_counts SET value = value - 1 WHERE view = 'distribution' "
                "AND dimension = 'campaign' AND measure = 'people_reached'"
            )
        )
    live = container.views.table(distribution.VIEW, C).value("campaign", "", "people_reached")
    broken = run(container.settings, "replay")
    assert broken.exit_code == 1
    assert "1 differences" in broken.stdout
    assert (
        f"distribution '{C}' campaign '' people_reached: live {live}, replayed {live + 1}"
        in broken.stdout
    )


def test_totals_command_live_and_as_of(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    first = [RecordDelivery(f"a{i}", "c0", f"A{i}", 2, START) for i in range(7)]
    container.distribution.record_deliveries(C, first, admin)
    between = _pause()
    second = [RecordDelivery(f"b{i}", "c1", f"B{i}", 3, START) for i in range(5)]
    container.distribution.record_deliveries(C, second, admin)
    live = run(container.settings, "totals", C)
    then = run(container.settings, "totals", C, "--as-of", between.isoformat())
    assert live.exit_code == then.exit_code == 0, live.output + then.output
    assert json.loads(live.stdout)["people_reached"] == 7 * 2 + 5 * 3
    replayed = json.loads(then.stdout)
    assert (replayed["households_served"], replayed["as_of"]) == (7, between.isoformat())
    naive = run(container.settings, "totals", C, "--as-of", "2020-04-26T10:00:00")
    assert naive.exit_code == 2 and "UTC offset" in naive.stderr


def test_export_seal_and_verify_commands(
    container: Container, admin: Actor, tmp_path: Path
) -> None:
    prepare(container, admin)
    random_history(container, admin, batches=1)
    sealed = run(container.settings, "seal", "--output", str(tmp_path / "head.json"))
    assert sealed.exit_code == 0, sealed.output
    head = json.loads((tmp_path / "head.json").read_text())
    assert head["tree_size"] == container.ledger.recorder.max_notification_id()
    exported = run(container.settings, "export", "--output", str(tmp_path / "export.ndjson"))
    assert exported.exit_code == 0, exported.output
    (tmp_path / "key.pem").write_text(container.audit.heads.public_pem)
    files = [
        "--export",
        str(tmp_path / "export.ndjson"),
        "--tree-head",
        str(tmp_path / "head.json"),
    ]
    verified = run(container.settings, "verify", *files, "--public-key", str(tmp_path / "key.pem"))
    assert verified.exit_code == 0 and verified.stdout.startswith("verified:"), verified.output
    tail = run(container.settings, "export", "--after", str(head["tree_size"] - 2))
    positions = [json.loads(line)["position"] for line in tail.stdout.splitlines()]
    assert positions == [head["tree_size"] - 1, head["tree_size"]]


def test_keys_create_writes_a_private_key_only_its_owner_reads(
    tmp_path: Path, store_settings: Settings
) -> None:
    private = tmp_path / "keys" / "sth.pem"
    made = run(store_settings, "keys", "create", "--private-key", str(private))
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    public = verifier.load_public_key(str(private.with_suffix(".pub.pem")))
    assert verifier.key_id(public) in made.stdout
    again = run(store_settings, "keys", "create", "--private-key", str(private))
    assert again.exit_code == 2 and "already exists" in again.stderr
    secret = run(store_settings, "keys", "secret", "--output", str(tmp_path / "master.key"))
    assert secret.exit_code == 0
    assert len(bytes.fromhex((tmp_path / "master.key").read_text().strip())) == 32
    assert stat.S_IMODE((tmp_path / "master.key").stat().st_mode) == 0o600


def test_tree_heads_signed_with_the_operators_key(
    tmp_path: Path, store_settings: Settings, admin: Actor
) -> None:
    from adapters.bootstrap import bootstrap

    private = tmp_path / "operator" / "sth.pem"
    run(store_settings, "keys", "create", "--private-key", str(private))
    container = bootstrap(store_settings, signing_key_file=private)
    try:
        prepare(container, admin)
        container.audit.merkle.seal()
        head = container.audit.heads.issue(datetime(2020, 5, 1, tzinfo=UTC))
        public = verifier.load_public_key(str(private.with_suffix(".pub.pem")))
        verifier.verify_tree_head(head, public)
        assert head["timestamp"] == "2020-05-01T00:00:00.000Z"
        assert container.audit.heads.latest() == head
        assert container.audit.heads.of_size(head["tree_size"]) == head
    finally:
        container.close()
