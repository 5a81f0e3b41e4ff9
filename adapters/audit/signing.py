"""Signed tree heads: the operator's Ed25519 key pair, issuing heads, keeping them.

The private key lives in a file the operator makes (`tadamon keys create`) and
names in settings; only a development setup gets one generated for it. Every
head issued is kept in ``tree_heads`` exactly as signed, so an auditor can ask
for any past head again and check the log only ever grew.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import BigInteger, Column, DateTime, Engine, Integer, String, Table, insert, select
from sqlalchemy.exc import IntegrityError

from adapters.audit.consistency import recomputed_root
from adapters.audit.findings import Finding, TamperedError
from adapters.audit.merkle import MerkleLog
from adapters.audit.verifier import key_id, sign_tree_head
from adapters.database import metadata

tree_heads = Table(
    "tree_heads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # One head per size, ever: a second root for a size is a fork by definition.
    Column("tree_size", BigInteger, nullable=False, unique=True),
    Column("root_hash", String(64), nullable=False),
    Column("timestamp", String(32), nullable=False),
    Column("key_id", String(16), nullable=False),
    Column("signature", String(100), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
)
HEAD_FIELDS = ("tree_size", "root_hash", "timestamp", "key_id", "signature")
log = logging.getLogger("tadamon.audit")
HeadSink = Callable[[dict[str, Any]], None]


def create_key_pair(private_path: Path, public_path: Path, overwrite: bool = False) -> str:
    """Write a new Ed25519 private key (mode 0600) and its public key; returns the key id."""
    for path in (private_path, public_path):
        if path.exists() and not overwrite:
            raise FileExistsError(f"{path} already exists; refusing to overwrite a key")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    private_path.parent.mkdir(parents=True, exist_ok=True)
    # Created 0600 from the start: never a moment where the key is world-readable.
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(private_pem)
    private_path.chmod(0o600)
    public_path.parent.mkdir(parents=True, exist_ok=True)
    public_path.write_bytes(public_pem(key))
    return key_id(key.public_key())


def public_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise ValueError(f"cannot read the signing key {path}: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"the signing key {path} is not an Ed25519 key")
    return key


def development_key(path: Path) -> Ed25519PrivateKey:
    """The generated development key, made on first use."""
    if not path.exists():
        create_key_pair(path, path.with_suffix(".pub.pem"))
    return load_private_key(path)


class TreeHeads:
    """Issues signed tree heads over the Merkle log and keeps every one issued."""

    def __init__(
        self,
        engine: Engine,
        log: MerkleLog,
        key: Ed25519PrivateKey,
        sinks: Sequence[HeadSink] = (),
        on_refused: Callable[[Finding], None] | None = None,
    ) -> None:
        self.engine = engine
        self.log = log
        self._key = key
        self.key_id = key_id(key.public_key())
        self.public_pem = public_pem(key).decode("ascii")
        self.sinks = list(sinks)  # copies off the database: a file, a Kafka topic
        self.on_refused = on_refused
        self.guard: Callable[[], None] = lambda: None  # the watch's refusal, once it found one

    def __repr__(self) -> str:
        return f"TreeHeads(key_id={self.key_id})"

    def issue(self, now: datetime | None = None) -> dict[str, Any]:
        """Sign the log as sealed now and keep the head, if it extends the last one.

        Raises TamperedError (and alerts) when the stored events, hashed afresh,
        do not extend the latest head; a head of this size already issued is
        answered again rather than signed twice.
        """
        size, root = self.log.head()
        latest = self.latest()
        try:
            self.guard()
            checked = recomputed_root(self.log, size, latest)
            if checked != root:
                raise TamperedError(Finding(None, "the recorded leaf hashes were rewritten"))
        except TamperedError as refusal:
            self._refused(refusal.finding)
            raise
        existing = self.of_size(size)
        if existing is not None:
            return existing
        return self._keep(sign_tree_head(self._key, size, root, now or datetime.now(UTC)))

    def _keep(self, head: dict[str, Any]) -> dict[str, Any]:
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(tree_heads).values(**head, issued_at=datetime.now(UTC)))
        except IntegrityError:
            kept = self.of_size(int(head["tree_size"]))  # another process signed it first
            assert kept is not None  # noqa: S101 - the unique key said it exists
            return kept
        for sink in self.sinks:
            try:
                sink(dict(head))
            except Exception:  # the head is kept; the copy is retried by the operator
                log.exception("could not copy tree head %s off the database", head["tree_size"])
        return dict(head)

    def close(self) -> None:
        for sink in self.sinks:
            close = getattr(sink, "close", None)
            if close is not None:
                close()

    def _refused(self, finding: Finding) -> None:
        log.error("ALERT: refusing to sign a tree head: %s", finding)
        if self.on_refused is not None:
            self.on_refused(finding)

    def issue_if_due(self, interval: timedelta) -> dict[str, Any] | None:
        """A scheduled head: only when the log grew and the last head is older than interval."""
        latest = self._latest_row()
        size, _root = self.log.head()
        if latest is not None:
            fresh = datetime.now(UTC) - _aware(latest.issued_at) < interval
            if fresh or latest.tree_size == size:
                return None
        return self.issue()

    def latest(self) -> dict[str, Any] | None:
        row = self._latest_row()
        return None if row is None else _head(row)

    def of_size(self, size: int) -> dict[str, Any] | None:
        query = select(tree_heads).where(tree_heads.c.tree_size == size)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _head(row)

    def all(self) -> list[dict[str, Any]]:
        """Every head issued, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(tree_heads).order_by(tree_heads.c.tree_size)).all()
        return [_head(row) for row in rows]

    def _latest_row(self) -> Any:
        query = select(tree_heads).order_by(tree_heads.c.id.desc()).limit(1)
        with self.engine.connect() as conn:
            return conn.execute(query).first()


def _head(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in HEAD_FIELDS}


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
