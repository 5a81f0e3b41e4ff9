"""Issue 13's holes, each closed on SQLite and PostgreSQL: what the verifier, the
signer and the watch now say about rows below the tail, re-spelled ids and a seal
over a recomputed leaf.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from adapters.audit.findings import Finding, TamperedError
from adapters.audit.signing import development_key, tree_heads
from adapters.audit.verifier import sign_tree_head
from adapters.audit.watch import AuditWatch
from adapters.bootstrap import Container
from domain.actors import Actor
from tests.integration.test_audit_cli import run
from tests.integration.test_audit_tamper import Tamperer, label, middle, seal_a_history, verify
from tests.integration.test_distribution_store import random_history

NEVER_SEALED = (
    "stored but not covered by the signed tree head (never sealed: written behind the app)"
)


@pytest.fixture
def sealed(container: Container, admin: Actor) -> tuple[Container, dict[str, Any]]:
    return seal_a_history(container, admin)


def _copy_behind_the_app(tamper: Tamperer, source: int, position: int) -> None:
    """A new stream's first event, copied from a stored one, written at ``position``."""
    fresh = uuid.uuid4()
    identifier = fresh.hex if tamper.container.settings.is_sqlite else str(fresh)
    tamper.sql(
        "INSERT INTO {table} ({id}, originator_id, originator_version, topic, state) "
        "SELECT :p, :o, 1, topic, state FROM {table} WHERE {id} = :s",
        p=position,
        o=identifier,
        s=source,
    )


def _a_real_gap(container: Container, admin: Actor, tamper: Tamperer) -> int:
    """A position the store skipped: PostgreSQL's sequence after a rolled-back insert;
    SQLite has none, so the row goes in front of the log, at rowid 0."""
    if container.settings.is_sqlite:
        return 0
    insert = text(
        f"INSERT INTO {tamper.table} (originator_id, originator_version, topic, state) "  # noqa: S608
        "VALUES (:o, 1, 't', '')"
    )
    with container.engine.connect() as conn, conn.begin() as transaction:
        conn.execute(insert, {"o": str(uuid.uuid4())})
        gap = int(conn.execute(text("SELECT lastval()")).scalar_one())
        transaction.rollback()
    random_history(container, admin, seed=11, batches=1)  # later events pass the gap by
    container.audit.merkle.seal()
    return gap


def test_a_row_hidden_below_the_sealed_tail_is_exported_and_named(
    sealed: tuple[Container, dict[str, Any]], admin: Actor
) -> None:
    container, _ = sealed
    tamper = Tamperer(container)
    gap = _a_real_gap(container, admin, tamper)
    head = container.audit.heads.issue()
    assert verify(container, head).ok
    _copy_behind_the_app(tamper, middle(head, 0.5), gap)
    report = verify(container, head)
    assert report.failures == [f"position {gap}: {NEVER_SEALED}"]
    if not container.settings.is_sqlite:
        assert container.audit.merkle.gap_holding(gap) == (gap, gap)
    container.audit.watch.run_pass()
    assert [str(f) for f in container.audit.watch.findings.values()] == [
        str(Finding(gap, _hidden_problem(container, gap)))
    ]


def _hidden_problem(container: Container, position: int) -> str:
    if container.settings.is_sqlite:
        return "stored but never sealed: written behind the app"
    return (
        f"appeared in the gap {position}..{position} the sealer recorded as empty: "
        "written behind the app"
    )


def test_a_re_spelled_originator_id_is_named(sealed: tuple[Container, dict[str, Any]]) -> None:
    container, head = sealed
    position = middle(head, 0.4)
    tamper = Tamperer(container)
    upper = (
        "upper(originator_id)"
        if container.settings.is_sqlite
        else "upper(originator_id::text)::uuid"
    )
    tamper.sql(f"UPDATE {{table}} SET originator_id = {upper} WHERE {{id}} = :p", p=position)  # noqa: S608
    report = verify(container, head)
    if not container.settings.is_sqlite:
        # A uuid column has one spelling: the upper-cased text is stored as the same value.
        assert report.ok, report
        return
    stored = _stored_id(tamper, position)
    assert stored == stored.upper() != stored.lower()
    assert report.failures == [
        f"position {position}: originator_id stored as {stored!r}, not in its canonical spelling"
    ]
    container.audit.watch.run_pass()
    assert str(container.audit.watch.first()) == (
        f"{label(container, position)}: originator_id stored as {stored!r}, "
        "not in its canonical spelling"
    )


def _stored_id(tamper: Tamperer, position: int) -> str:
    query = f"SELECT originator_id FROM {tamper.table} WHERE {tamper.id} = :p"  # noqa: S608
    with tamper.container.engine.connect() as conn:
        return str(conn.execute(text(query), {"p": position}).scalar_one())


def test_a_stream_version_stored_twice_is_named(
    sealed: tuple[Container, dict[str, Any]],
) -> None:
    """A copy of a sealed event under a second spelling of its id, sealed as new: SQLite's
    text key lets both in; the verifier names the spelling and the duplicate version."""
    container, head = sealed
    source = middle(head, 0.3)
    tamper = Tamperer(container)
    copy_statement = (
        "INSERT INTO {table} (originator_id, originator_version, topic, state) "
        "SELECT upper(originator_id::text), originator_version, topic, state FROM {table} "
        "WHERE {id} = :s"
    )
    if not container.settings.is_sqlite:
        # The uuid primary key holds one spelling, so the copy is the same key: refused.
        with pytest.raises(IntegrityError):
            tamper.sql(
                copy_statement.replace("upper(originator_id::text)", "originator_id"), s=source
            )
        return
    tamper.sql(copy_statement.replace("::text", ""), s=source)
    container.audit.merkle.seal()
    with pytest.raises(TamperedError):
        container.audit.heads.issue()  # the app will not sign it; a key holder might
    size, root = container.audit.merkle.head()
    key = development_key(container.settings.signing_key_path())
    head_after = sign_tree_head(key, size, root, datetime.now(UTC))
    copy, stored = int(head_after["tree_size"]), _stored_id(tamper, source)
    stream = str(uuid.UUID(stored))
    version = _version(tamper, source)
    assert verify(container, head_after).failures == [
        f"position {copy}: originator_id stored as {stored.upper()!r}, "
        "not in its canonical spelling",
        f"position {copy}: stream {stream} version {version} is stored twice",
    ]


def _version(tamper: Tamperer, position: int) -> int:
    query = f"SELECT originator_version FROM {tamper.table} WHERE {tamper.id} = :p"  # noqa: S608
    with tamper.container.engine.connect() as conn:
        return int(conn.execute(text(query), {"p": position}).scalar_one())


def test_the_operators_seal_refuses_a_recomputed_leaf(
    sealed: tuple[Container, dict[str, Any]], caplog: pytest.LogCaptureFixture
) -> None:
    container, head = sealed
    position = middle(head, 0.5)
    Tamperer(container).alter_with_its_leaf(position)
    fork = (
        f"position unknown: the stored events no longer fold to the signed head of size "
        f"{head['tree_size']}: an event and its leaf hash were rewritten; "
        "signing now would fork the log"
    )
    with caplog.at_level(logging.ERROR, "tadamon.audit"), pytest.raises(TamperedError) as refused:
        container.audit.heads.issue()
    assert str(refused.value.finding) == fork
    assert caplog.messages == [f"ALERT: refusing to sign a tree head: {fork}"]
    assert container.metrics.audit_signing_refusals._value.get() == 1
    command = run(container.settings, "seal", "--sign")
    assert command.exit_code == 1
    assert command.stderr.strip().splitlines()[-1] == f"error: {refused.value.reason}"
    assert container.audit.heads.all() == [head]


def test_two_heads_of_one_size_never_exist(sealed: tuple[Container, dict[str, Any]]) -> None:
    container, head = sealed
    assert container.audit.heads.issue() == head  # asked again: the same head, not a second
    key = development_key(container.settings.signing_key_path())
    other = sign_tree_head(key, int(head["tree_size"]), b"\x01" * 32, datetime.now(UTC))
    with pytest.raises(IntegrityError), container.engine.begin() as conn:
        conn.execute(tree_heads.insert().values(**other, issued_at=datetime.now(UTC)))
    assert container.audit.heads.all() == [head]


def test_the_watch_names_an_event_rewritten_with_its_leaf(
    sealed: tuple[Container, dict[str, Any]],
) -> None:
    """Seen before: named by position. Never seen (a watch started afterwards): the fold
    against the signed head still fails, so nothing passes unseen."""
    container, head = sealed
    watch = container.audit.watch
    watch.run_pass()
    position = middle(head, 0.6)
    Tamperer(container).alter_with_its_leaf(position)
    watch.run_pass()
    fold = (
        f"position unknown: the stored events no longer fold to the signed head of size "
        f"{head['tree_size']}: an event and its leaf hash were rewritten below it"
    )
    assert [str(f) for f in watch.findings.values()] == [
        f"{label(container, position)}: content altered and its leaf hash rewritten",
        fold,
    ]
    late = AuditWatch(container.audit.merkle, container.audit.heads, rate=1000.0)
    late.run_pass()
    assert [str(f) for f in late.findings.values()] == [fold]
