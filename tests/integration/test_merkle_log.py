"""The app's Merkle log: sealing in order, roots and proofs equal to the verifier's own."""

from __future__ import annotations

import random

import pytest

from adapters.audit import merkle, verifier
from adapters.bootstrap import Container
from domain.actors import Actor
from tests.integration.test_distribution_store import prepare, random_history


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 4 leaves and queries of 16, so a small log exercises every path."""
    monkeypatch.setattr(merkle, "BLOCK", 4)
    monkeypatch.setattr(merkle, "CHUNK", 16)


def test_sealing_is_in_order_incremental_and_idempotent(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    first = container.audit.merkle.seal()
    assert first == container.ledger.recorder.max_notification_id()
    assert container.audit.merkle.seal() == 0
    random_history(container, admin, batches=1)
    added = container.audit.merkle.seal()
    leaves = list(container.audit.merkle.leaves())
    assert added > 0 and len(leaves) == first + added
    assert [leaf.leaf_index for leaf in leaves] == list(range(len(leaves)))
    notes = container.ledger.recorder.select_notifications(start=1, limit=len(leaves))
    assert [leaf.position for leaf in leaves] == [n.id for n in notes]
    assert [leaf.leaf_hash for leaf in leaves] == [merkle.stored_leaf_hash(n) for n in notes]


def test_a_second_sealer_racing_appends_nothing_twice(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    random_history(container, admin, batches=1)
    other = merkle.MerkleLog(
        container.engine, container.ledger.recorder, container.audit.merkle.stored, batch_size=7
    )
    other.seal()
    assert container.audit.merkle.seal() == 0
    size = container.audit.merkle.size()
    assert size == container.ledger.recorder.max_notification_id()
    assert container.audit.merkle.head() == other.head()


def test_roots_and_proofs_equal_the_verifiers(
    container: Container, admin: Actor, small_blocks: None
) -> None:
    prepare(container, admin)
    random_history(container, admin, batches=1)
    log = container.audit.merkle
    log.seal()
    hashes = [leaf.leaf_hash for leaf in log.leaves()]
    n = len(hashes)
    assert log.head() == (n, verifier.root_hash(hashes))
    rng = random.Random(6962)
    sizes = sorted({1, 2, 3, 4, 5, 8, 16, 17, 31, 33, 64, n - 1, n, *rng.sample(range(1, n), 8)})
    for size in sizes:
        assert log.root(size) == verifier.root_hash(hashes[:size])
        for index in {0, size - 1, size // 2, rng.randrange(size)}:
            path = log.inclusion(index, size)
            assert path == verifier.inclusion_proof(hashes[:size], index)
            assert verifier.verify_inclusion(hashes[index], index, size, path, log.root(size))
        for old in {0, 1, size // 3, size - 1, size}:
            proof = log.consistency(old, size)
            assert proof == verifier.consistency_proof(hashes, old, size)
            roots = (verifier.root_hash(hashes[:old]), log.root(size))
            assert verifier.verify_consistency(old, size, *roots, proof)
