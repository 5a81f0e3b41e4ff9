"""Before a head is signed: the stored events, hashed afresh, must extend the last head.

The recorded leaf hashes are not evidence here: whoever altered an event can
recompute its leaf without any key. So every leaf is recomputed from the row it
seals, folded, and compared with the latest signed root at that head's size; a
head is signed only over a log that provably extends it.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from adapters.audit.findings import Finding, TamperedError, judge
from adapters.audit.merkle import MerkleLog
from adapters.audit.verifier import TreeBuilder
from adapters.audit.walk import walk

log = logging.getLogger("tadamon.audit")


def recomputed_root(merkle: MerkleLog, size: int, latest: dict[str, Any] | None) -> bytes:
    """MTH of the first ``size`` leaves recomputed from storage; raises TamperedError."""
    tree = TreeBuilder()
    for entry in walk(merkle, merkle.stored):
        if entry.leaf_index is not None and entry.leaf_index >= size:
            break
        recomputed = None if entry.row is None else entry.row.leaf_hash()
        finding = judge(entry, recomputed)
        if finding is not None:
            raise TamperedError(finding)
        if recomputed is not None:
            tree.append(recomputed)
        if latest is not None and tree.size == latest["tree_size"]:
            _check_extends(tree.root(), latest)
    if latest is not None and tree.size < latest["tree_size"]:
        raise TamperedError(
            Finding(None, f"the log holds {tree.size} leaves, the last head {latest['tree_size']}")
        )
    return tree.root()


def _check_extends(root: bytes, latest: dict[str, Any]) -> None:
    if not hmac.compare_digest(root, bytes.fromhex(str(latest["root_hash"]))):
        raise TamperedError(
            Finding(
                None,
                f"the stored events no longer fold to the signed head of size "
                f"{latest['tree_size']}: an event and its leaf hash were rewritten; "
                "signing now would fork the log",
            )
        )
