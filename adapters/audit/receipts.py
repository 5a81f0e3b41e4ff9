"""Receipts: a delivery, movement or gift shown to be in the signed log, without personal data.

A receipt holds the event's position and leaf hash, an RFC 6962 inclusion proof
to a signed tree head, and a short code read aloud or printed for the person
served. It carries no state, so nothing about the household or traveller; the
standalone verifier checks it offline with the operator's public key alone
(``verifier.verify_receipt``).
"""

from __future__ import annotations

from typing import Any

from adapters.audit.findings import Finding, TamperedError
from adapters.audit.merkle import MerkleLog
from adapters.audit.signing import TreeHeads
from adapters.audit.verifier import receipt_code
from domain.errors import NotFoundError

# What people are handed a receipt for, by the event's "Aggregate.Event" topic name.
RECEIPT_KINDS = {
    "Household.KitDelivered": "delivery",
    "Household.KitDeliveredAfterReversal": "delivery",
    "Movement.Recorded": "movement",
    "InKindDonation.InKindDonationRecorded": "gift",
    "CashDonation.CashDonationRecorded": "gift",
}


def receipt(merkle: MerkleLog, heads: TreeHeads, position: int) -> dict[str, Any]:
    """The receipt of the event at ``position``, proven against the latest signed head.

    It never signs a head itself (each signing re-hashes the whole log): an event
    newer than the latest head gets its receipt once the next scheduled head is out.
    """
    row = next(merkle.stored.rows(position - 1, position), None)
    kind = None if row is None else RECEIPT_KINDS.get(row.topic.rpartition(":")[2])
    if row is None or kind is None:
        raise NotFoundError(f"no delivery, movement or gift at position {position}", "position")
    merkle.seal()
    leaf = merkle.leaf_at(position)
    if leaf is None:
        raise NotFoundError(f"position {position} is not sealed in the log", "position")
    if row.leaf_hash() != leaf.leaf_hash:
        raise TamperedError(Finding(position, "content altered", leaf.leaf_index))
    head = heads.latest()
    if head is None or int(head["tree_size"]) <= leaf.leaf_index:
        raise NotFoundError(
            f"position {position} is not yet covered by a signed tree head; "
            "ask again after the next one",
            "position",
        )
    path = merkle.inclusion(leaf.leaf_index, int(head["tree_size"]))
    return {
        "kind": kind,
        "position": position,
        "leaf_index": leaf.leaf_index,
        "leaf_hash": leaf.leaf_hash.hex(),
        "code": receipt_code(leaf.leaf_hash),
        "audit_path": [node.hex() for node in path],
        "tree_head": head,
    }
