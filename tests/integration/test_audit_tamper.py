"""Tamper evidence against a store altered behind the app's back, on SQLite and PostgreSQL.

Each test seals the log and signs a tree head, then changes the events table
(or the Merkle log) with plain SQL, exports, and runs the standalone verifier:
every kind of damage must be named, at the right position.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import text
from typer.testing import CliRunner

from adapters.audit import verifier
from adapters.audit.findings import TamperedError
from adapters.audit.merkle import merkle_leaves
from adapters.bootstrap import Container
from adapters.store import events_table
from api.cli import app as cli
from domain.actors import Actor
from tests.integration.test_distribution_store import prepare, random_history


class Tamperer:
    """Plain SQL on the events table, as someone with database access could do."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.table = events_table(container.settings)
        self.id = "rowid" if container.settings.is_sqlite else "notification_id"

    def sql(self, statement: str, **params: Any) -> None:
        with self.container.engine.begin() as conn:
            conn.execute(text(statement.format(table=self.table, id=self.id)), params)

    def state(self, position: int) -> bytes:
        query = f"SELECT state FROM {self.table} WHERE {self.id} = :p"  # noqa: S608
        with self.container.engine.connect() as conn:
            return bytes(conn.execute(text(query), {"p": position}).scalar_one())

    def set_state(self, position: int, state: bytes) -> None:
        self.sql("UPDATE {table} SET state = :s WHERE {id} = :p", s=state, p=position)

    def change_a_byte(self, position: int) -> None:
        state = bytearray(self.state(position))
        index = state.index(b'"') + 1  # inside the first JSON key: still valid JSON
        state[index] ^= 0x20
        self.set_state(position, bytes(state))

    def delete(self, position: int) -> None:
        self.sql("DELETE FROM {table} WHERE {id} = :p", p=position)

    def swap_states(self, a: int, b: int) -> None:
        first, second = self.state(a), self.state(b)
        self.set_state(a, second)
        self.set_state(b, first)

    def swap_rows(self, a: int, b: int) -> None:
        """Exchange two rows' places in the log's order (their notification ids)."""
        self.sql("UPDATE {table} SET {id} = :t WHERE {id} = :a", t=10**9, a=a)
        self.sql("UPDATE {table} SET {id} = :a WHERE {id} = :b", a=a, b=b)
        self.sql("UPDATE {table} SET {id} = :b WHERE {id} = :t", b=b, t=10**9)

    def alter_with_its_leaf(self, position: int) -> None:
        """Change a byte and recompute the row's leaf, as anyone with SQL access can (no key)."""
        self.change_a_byte(position)
        row = next(self.container.audit.merkle.stored.rows(position - 1, position))
        with self.container.engine.begin() as conn:
            conn.execute(
                merkle_leaves.update()
                .where(merkle_leaves.c.position == position)
                .values(leaf_hash=row.leaf_hash())
            )

    def truncate_after(self, position: int) -> None:
        self.sql("DELETE FROM {table} WHERE {id} > :p", p=position)


def seal_a_history(container: Container, admin: Actor) -> tuple[Container, dict[str, Any]]:
    prepare(container, admin)
    random_history(container, admin, batches=3)
    container.audit.merkle.seal()
    return container, container.audit.heads.issue()


@pytest.fixture
def sealed(container: Container, admin: Actor) -> tuple[Container, dict[str, Any]]:
    return seal_a_history(container, admin)


def verify(container: Container, head: dict[str, Any]) -> verifier.Report:
    public = serialization.load_pem_public_key(container.audit.heads.public_pem.encode())
    assert isinstance(public, Ed25519PublicKey)
    export = "".join(container.audit.export())
    return verifier.verify_export(io.StringIO(export), head, public)


def label(container: Container, position: int) -> str:
    leaf = container.audit.merkle.leaf_at(position)
    assert leaf is not None
    return f"position {position} (leaf {leaf.leaf_index})"


def middle(head: dict[str, Any], share: float) -> int:
    """A position inside the sealed history (positions start at 1 and have no gaps here)."""
    return max(2, int(head["tree_size"] * share))


def test_an_untouched_store_verifies(sealed: tuple[Container, dict[str, Any]]) -> None:
    container, head = sealed
    report = verify(container, head)
    assert report.ok, report
    assert report.records == head["tree_size"] == container.ledger.recorder.max_notification_id()


def test_a_changed_byte_in_one_state(sealed: tuple[Container, dict[str, Any]]) -> None:
    container, head = sealed
    position = middle(head, 0.4)
    Tamperer(container).change_a_byte(position)
    assert verify(container, head).failures == [f"{label(container, position)}: content altered"]


def test_a_deleted_row(sealed: tuple[Container, dict[str, Any]]) -> None:
    container, head = sealed
    position = middle(head, 0.5)
    Tamperer(container).delete(position)
    report = verify(container, head)
    assert report.failures == [f"{label(container, position)}: record deleted from the store"]
    assert report.records == head["tree_size"]


def test_two_rows_states_swapped(sealed: tuple[Container, dict[str, Any]]) -> None:
    container, head = sealed
    a, b = middle(head, 0.3), middle(head, 0.7)
    Tamperer(container).swap_states(a, b)
    assert verify(container, head).failures == [f"positions {a} and {b}: states swapped"]


def test_two_rows_exchanged_in_the_order(sealed: tuple[Container, dict[str, Any]]) -> None:
    container, head = sealed
    a, b = middle(head, 0.2), middle(head, 0.6)
    Tamperer(container).swap_rows(a, b)
    assert verify(container, head).failures == [f"positions {a} and {b}: swapped"]


def test_a_truncated_tail_is_reported_as_the_missing_positions(
    sealed: tuple[Container, dict[str, Any]],
) -> None:
    container, head = sealed
    keep, size = middle(head, 0.9), head["tree_size"]
    Tamperer(container).truncate_after(keep)
    assert verify(container, head).failures == [
        f"positions {keep + 1}..{size} (leaves {keep}..{size - 1}): "
        f"{size - keep} records deleted from the store"
    ]


def test_a_deleted_leaf_row_is_reported_as_such(
    sealed: tuple[Container, dict[str, Any]],
) -> None:
    container, head = sealed
    position = middle(head, 0.5)
    leaf = container.audit.merkle.leaf_at(position)
    assert leaf is not None
    with container.engine.begin() as conn:
        conn.execute(merkle_leaves.delete().where(merkle_leaves.c.position == position))
    report = verify(container, head)
    assert report.failures == [
        f"leaf {leaf.leaf_index}: deleted from the Merkle log "
        f"(position {position} is stored in its place)"
    ]


def test_a_rewritten_event_with_its_leaf_rewritten_too(
    sealed: tuple[Container, dict[str, Any]],
) -> None:
    container, head = sealed
    position = middle(head, 0.5)
    Tamperer(container).alter_with_its_leaf(position)
    assert verify(container, head).failures == [
        "recorded leaf hashes do not match the signed tree head: the Merkle log itself was altered"
    ]


def test_a_forged_leaf_hash_alone(sealed: tuple[Container, dict[str, Any]]) -> None:
    container, head = sealed
    position = middle(head, 0.6)
    with container.engine.begin() as conn:
        conn.execute(
            merkle_leaves.update()
            .where(merkle_leaves.c.position == position)
            .values(leaf_hash=b"\x07" * 32)
        )
    assert verify(container, head).failures == [
        f"{label(container, position)}: recorded leaf hash altered "
        "(the content itself matches the signed tree head)",
        "recorded leaf hashes do not match the signed tree head: the Merkle log itself was altered",
    ]


def test_the_verify_command_names_the_failure(
    sealed: tuple[Container, dict[str, Any]], tmp_path: Path
) -> None:
    container, head = sealed
    files = {
        "export": tmp_path / "export.ndjson",
        "head": tmp_path / "head.json",
        "key": tmp_path / "key.pem",
    }
    files["head"].write_text(json.dumps(head))
    files["key"].write_text(container.audit.heads.public_pem)
    args = ["--export", str(files["export"]), "--tree-head", str(files["head"])]
    args += ["--public-key", str(files["key"])]
    files["export"].write_text("".join(container.audit.export()))
    ok = CliRunner().invoke(cli, ["verify", *args])
    assert (ok.exit_code, ok.stdout.split(":")[0]) == (0, "verified")
    position = middle(head, 0.5)
    Tamperer(container).delete(position)
    files["export"].write_text("".join(container.audit.export()))
    failed = CliRunner().invoke(cli, ["verify", *args])
    assert failed.exit_code == 1
    assert failed.stdout.strip() == f"{label(container, position)}: record deleted from the store"


def test_sealing_again_after_tampering_keeps_the_evidence(
    sealed: tuple[Container, dict[str, Any]],
) -> None:
    """The sealer only appends, and the next head is refused: nothing launders an altered row."""
    container, head = sealed
    position = middle(head, 0.4)
    Tamperer(container).change_a_byte(position)
    container.audit.merkle.seal()
    with pytest.raises(TamperedError) as refused:
        container.audit.heads.issue()
    assert str(refused.value.finding) == f"{label(container, position)}: content altered"
    assert container.audit.heads.latest() == head
    assert verify(container, head).failures == [f"{label(container, position)}: content altered"]


def test_the_exports_lines_take_the_verifiers_fast_path_and_agree_with_the_strict_one(
    sealed: tuple[Container, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    container, head = sealed
    tamper = Tamperer(container)
    tamper.change_a_byte(middle(head, 0.3))
    tamper.delete(middle(head, 0.6))
    lines = "".join(container.audit.export()).splitlines(keepends=True)
    present = [line for line in lines if '"missing":true' not in line]
    assert len(present) == len(lines) - 1 == head["tree_size"] - 1
    assert all(verifier._canonical_fields(line) is not None for line in present)
    fast = verify(container, head)
    monkeypatch.setattr(verifier, "_FAST_PATH", False)
    assert verify(container, head) == fast
    assert len(fast.failures) == 2
