"""Receipts of deliveries: fetched over HTTP, checked offline with the public key alone
(verifier module and command line), free of personal data; heads copied off the database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from adapters.audit import verifier
from adapters.audit.heads_file import HeadsFile
from adapters.bootstrap import Container, bootstrap
from adapters.settings import Settings
from api.app import create_app
from api.cli import app as cli
from domain.actors import Actor, Role
from tests.integration.test_audit_tamper import Tamperer, label
from tests.integration.test_distribution_store import prepare, random_history
from tests.kafka_broker import kafka_broker, read_topic  # noqa: F401 - a fixture


def _delivery_position(container: Container) -> int:
    rows = container.audit.merkle.stored.rows()
    return next(r.position for r in rows if r.topic.endswith(":Household.KitDelivered"))


def _public_key(container: Container) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(container.audit.heads.public_pem.encode())
    assert isinstance(key, Ed25519PublicKey)
    return key


@pytest.fixture
def history(container: Container, admin: Actor) -> Container:
    prepare(container, admin)
    random_history(container, admin, batches=1)
    container.audit.merkle.seal()
    container.audit.heads.issue()
    return container


def _fetch(container: Container, position: int) -> Any:
    with TestClient(create_app(container)) as client:
        token = container.tokens.create(Role.COMMITTEE, "c0", within="ramadan-1441").token
        return client.get(
            f"/v1/audit/receipts/{position}", headers={"Authorization": f"Bearer {token}"}
        )


def test_a_delivery_receipt_checks_offline_and_holds_no_personal_data(
    history: Container, tmp_path: Path
) -> None:
    position = _delivery_position(history)
    answer = _fetch(history, position)
    assert answer.status_code == 200, answer.text
    receipt = answer.json()
    leaf = history.audit.merkle.leaf_at(position)
    assert leaf is not None
    assert set(receipt) == {
        "kind", "position", "leaf_index", "leaf_hash", "code", "audit_path", "tree_head"
    }  # fmt: skip
    assert (receipt["kind"], receipt["position"], receipt["leaf_hash"]) == (
        "delivery",
        position,
        leaf.leaf_hash.hex(),
    )
    assert receipt["code"] == verifier.receipt_code(leaf.leaf_hash)
    assert verifier.verify_receipt(receipt, _public_key(history)) == []
    files = {"receipt": tmp_path / "receipt.json", "key": tmp_path / "key.pem"}
    files["receipt"].write_text(json.dumps(receipt))
    files["key"].write_text(history.audit.heads.public_pem)
    args = ["--receipt", str(files["receipt"]), "--public-key", str(files["key"])]
    ok = CliRunner().invoke(cli, ["verify-receipt", *args])
    assert (ok.exit_code, ok.stdout.strip()) == (
        0,
        f"receipt verified: code {receipt['code']}, position {position}, leaf "
        f"{leaf.leaf_index} of the signed tree of size {receipt['tree_head']['tree_size']}",
    )
    forged = {**receipt, "leaf_index": receipt["leaf_index"] + 1}
    files["receipt"].write_text(json.dumps(forged))
    refused = CliRunner().invoke(cli, ["verify-receipt", *args])
    size = receipt["tree_head"]["tree_size"]
    assert (refused.exit_code, refused.stdout.strip()) == (
        1,
        f"leaf {leaf.leaf_index + 1} is not proven in the tree of size {size}: "
        "the audit path does not lead to the signed root",
    )


def test_no_receipt_for_what_is_not_a_delivery_movement_or_gift(history: Container) -> None:
    answer = _fetch(history, 1)  # the campaign's launch
    assert (answer.status_code, answer.json()["fields"]) == (
        404,
        [{"field": "position", "reason": "no delivery, movement or gift at position 1"}],
    )


def test_no_receipt_before_a_signed_head_covers_the_event(history: Container, admin: Actor) -> None:
    signed = history.ledger.recorder.max_notification_id()  # the last head covers up to here
    assert signed is not None
    random_history(history, admin, seed=31, batches=1)
    answer = _fetch(history, _delivery_position_after(history, signed))
    assert answer.status_code == 404
    assert answer.json()["message"].endswith(
        "is not yet covered by a signed tree head; ask again after the next one"
    )


def _delivery_position_after(container: Container, after: int) -> int:
    rows = container.audit.merkle.stored.rows(after)
    return next(r.position for r in rows if r.topic.endswith(":Household.KitDelivered"))


def test_no_receipt_over_an_altered_delivery(history: Container) -> None:
    position = _delivery_position(history)
    Tamperer(history).change_a_byte(position)
    answer = _fetch(history, position)
    assert (answer.status_code, answer.json()["message"]) == (
        503,
        f"the stored history was altered at {label(history, position)}: content altered",
    )


def test_every_signed_head_is_appended_to_the_heads_file(
    store_settings: Settings, admin: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "offsite" / "heads.jsonl"
    container = bootstrap(store_settings, tree_heads_file=path)
    try:
        prepare(container, admin)
        container.audit.merkle.seal()
        first = container.audit.heads.issue()
        random_history(container, admin, batches=1)
        container.audit.merkle.seal()
        second = container.audit.heads.issue()
        assert container.audit.heads.issue() == second  # the same head again: no second line
    finally:
        container.close()
    assert HeadsFile(path).read() == [first, second]


@pytest.mark.kafka
def test_every_signed_head_is_published_on_its_own_topic(
    store_settings: Settings,
    admin: Actor,
    kafka_broker: Any,  # noqa: F811
) -> None:
    topic = f"tadamon.test.heads.{store_settings.database_schema}"
    container = bootstrap(
        store_settings,
        publish_tree_heads=True,
        tree_heads_topic=topic,
        kafka_bootstrap_servers=kafka_broker.servers,
    )
    try:
        prepare(container, admin)
        container.audit.merkle.seal()
        head = container.audit.heads.issue()
    finally:
        container.close()
    records = read_topic(kafka_broker.servers, topic)
    assert [(r.key, json.loads(r.value)) for r in records] == [
        (str(head["tree_size"]).encode(), head)
    ]
