"""`tadamon audit watch`, the auditor's monitor, against a real server: it keeps the heads
it verified on its own disk and alarms on a fork and on a rollback."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete
from typer.testing import CliRunner, Result

from adapters.audit.signing import development_key, tree_heads
from adapters.audit.verifier import sign_tree_head
from adapters.bootstrap import Container
from api.cli import app as cli
from domain.actors import Actor, Role
from tests.conftest import LiveServer
from tests.integration.test_audit_tamper import Tamperer
from tests.integration.test_distribution_store import prepare, random_history


def _monitor(server: LiveServer, folder: Path) -> Result:
    token = folder.parent / "auditor-token"
    token.write_text(server.token(Role.AUDITOR)["Authorization"].split()[1])
    args = ["audit", "watch", "--url", server.url, "--state-dir", str(folder)]
    return CliRunner().invoke(cli, [*args, "--token-file", str(token), "--once"])


def _kept_sizes(folder: Path) -> list[int]:
    lines = (folder / "heads.jsonl").read_text().splitlines()
    return [json.loads(line)["tree_size"] for line in lines]


def _grow(container: Container, admin: Actor, seed: int) -> dict[str, object]:
    random_history(container, admin, seed=seed, batches=1)
    container.audit.merkle.seal()
    return container.audit.heads.issue()


def _two_heads_seen(
    container: Container, admin: Actor, server: LiveServer, folder: Path
) -> tuple[dict[str, object], dict[str, object]]:
    """Two heads issued, each seen and kept by the monitor as it came out."""
    prepare(container, admin)
    first = _grow(container, admin, seed=20)
    assert _monitor(server, folder).exit_code == 0
    second = _grow(container, admin, seed=21)
    ok = _monitor(server, folder)
    assert (ok.exit_code, _kept_sizes(folder)) == (0, [first["tree_size"], second["tree_size"]])
    return first, second


def test_the_monitor_alarms_on_a_fork(
    container: Container, admin: Actor, live_server: LiveServer, tmp_path: Path
) -> None:
    """A key holder rewrites an event and its leaf, drops the heads and signs the new root."""
    folder = tmp_path / "monitor"
    first, second = _two_heads_seen(container, admin, live_server, folder)
    Tamperer(container).alter_with_its_leaf(2)
    with container.engine.begin() as conn:
        conn.execute(delete(tree_heads))
    container.audit.merkle.forget_cached_roots()  # as the forger's restarted server would
    size, root = container.audit.merkle.head()
    key = development_key(container.settings.signing_key_path())
    forged = sign_tree_head(key, size, root, datetime.now(UTC))
    with container.engine.begin() as conn:
        conn.execute(tree_heads.insert().values(**forged, issued_at=datetime.now(UTC)))
    alarm = _monitor(live_server, folder)
    assert alarm.exit_code == 1
    assert alarm.stderr.strip() == (
        f"ALARM: fork: two signed heads of size {size}: root {second['root_hash']} "
        f"(kept {second['timestamp']}) and root {forged['root_hash']} ({forged['timestamp']})"
    )
    assert _kept_sizes(folder) == [first["tree_size"], second["tree_size"]]


def test_the_monitor_alarms_on_a_rollback(
    container: Container, admin: Actor, live_server: LiveServer, tmp_path: Path
) -> None:
    folder = tmp_path / "monitor"
    first, second = _two_heads_seen(container, admin, live_server, folder)
    with container.engine.begin() as conn:  # the newest head hidden from the server's answers
        conn.execute(delete(tree_heads).where(tree_heads.c.tree_size == second["tree_size"]))
    alarm = _monitor(live_server, folder)
    assert alarm.exit_code == 1
    assert alarm.stderr.strip() == (
        f"ALARM: rollback: the latest head has size {first['tree_size']}, smaller than the head "
        f"of size {second['tree_size']} signed {second['timestamp']} and kept here"
    )
