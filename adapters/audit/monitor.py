"""The auditor's own monitor of a Tadamon server, in the manner of a CT monitor.

It runs on the auditor's machine, trusts nothing the server stores, and keeps
every tree head it has verified in its own folder (``heads.jsonl``), with the
operator's public key pinned there on first contact (or given by the auditor).
Each new head must carry a valid signature and extend the largest head seen
before (an RFC 6962 consistency proof the monitor checks itself); a second
root for a size already seen is a fork, a latest head smaller than one seen is
a rollback. Either raises an alarm: a loud line and a non-zero exit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from adapters.audit.verifier import VerificationError, verify_consistency, verify_tree_head


class MonitorError(RuntimeError):
    """The server could not be asked (unreachable, refused, unreadable)."""


@dataclass(frozen=True)
class Outcome:
    alarms: list[str]
    news: str


class HeadMonitor:
    def __init__(self, client: httpx.Client, folder: Path, public_key: Path | None = None) -> None:
        self.client = client
        self.folder = folder
        self.heads_path = folder / "heads.jsonl"
        self.key_path = public_key or folder / "public-key.pem"

    def check(self) -> Outcome:
        """Fetch the latest head and judge it against every head kept so far."""
        key = self._public_key()
        head = self._get("/v1/audit/tree-heads/latest")
        if head is None:
            return Outcome([], "no tree head issued yet")
        try:
            verify_tree_head(head, key)
        except VerificationError as error:
            return Outcome([f"ALARM: the latest head (size {head.get('tree_size')}): {error}"], "")
        seen = self.seen()
        alarms = self._judge(head, seen)
        if not alarms and all(h != head for h in seen):
            self._keep(head)
            return Outcome([], f"new head of size {head['tree_size']} verified and kept")
        return Outcome(alarms, "" if alarms else f"head of size {head['tree_size']} unchanged")

    def seen(self) -> list[dict[str, Any]]:
        if not self.heads_path.exists():
            return []
        return [json.loads(line) for line in self.heads_path.read_text().splitlines() if line]

    def _judge(self, head: dict[str, Any], seen: list[dict[str, Any]]) -> list[str]:
        size = int(head["tree_size"])
        for old in seen:
            if int(old["tree_size"]) == size and old["root_hash"] != head["root_hash"]:
                return [
                    f"ALARM: fork: two signed heads of size {size}: root {old['root_hash']} "
                    f"(kept {old['timestamp']}) and root {head['root_hash']} ({head['timestamp']})"
                ]
        if not seen:
            return []
        largest = max(seen, key=lambda h: int(h["tree_size"]))
        if size < int(largest["tree_size"]):
            return [
                f"ALARM: rollback: the latest head has size {size}, smaller than the head of "
                f"size {largest['tree_size']} signed {largest['timestamp']} and kept here"
            ]
        if size > int(largest["tree_size"]) and not self._extends(largest, head):
            return [
                f"ALARM: fork: the head of size {size} does not extend the head of size "
                f"{largest['tree_size']} kept here (its consistency proof fails)"
            ]
        return []

    def _extends(self, old: dict[str, Any], new: dict[str, Any]) -> bool:
        first, second = int(old["tree_size"]), int(new["tree_size"])
        answer = self._get(f"/v1/audit/proofs/consistency?first={first}&second={second}")
        proof = [bytes.fromhex(node) for node in (answer or {}).get("proof", [])]
        old_root, new_root = bytes.fromhex(old["root_hash"]), bytes.fromhex(new["root_hash"])
        return answer is not None and verify_consistency(first, second, old_root, new_root, proof)

    def _keep(self, head: dict[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.heads_path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(head, sort_keys=True) + "\n")

    def _public_key(self) -> Ed25519PublicKey:
        if not self.key_path.exists():  # first contact: pin what the server shows
            response = self._request("/v1/audit/public-key")
            self.folder.mkdir(parents=True, exist_ok=True)
            self.key_path.write_bytes(response.content)
        key = serialization.load_pem_public_key(self.key_path.read_bytes())
        if not isinstance(key, Ed25519PublicKey):
            raise MonitorError(f"{self.key_path} is not an Ed25519 public key")
        return key

    def _get(self, path: str) -> dict[str, Any] | None:
        response = self._request(path)
        return None if response.status_code == 404 else dict(response.json())

    def _request(self, path: str) -> httpx.Response:
        try:
            response = self.client.get(path)
        except httpx.HTTPError as error:
            raise MonitorError(f"cannot reach the server: {error}") from None
        if response.status_code not in (200, 404):
            raise MonitorError(f"GET {path} answered {response.status_code}: {response.text[:200]}")
        return response
