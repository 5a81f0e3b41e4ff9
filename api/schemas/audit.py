"""Shapes of the audit routes: tree heads exactly as signed, proofs in hex."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class TreeHeadPublic(BaseModel):
    """A signed tree head; save it as JSON and hand it to `tadamon verify` as is."""

    tree_size: int = Field(description="how many leaves (stored events) the head covers")
    root_hash: str = Field(description="RFC 6962 Merkle tree hash, 64 hex digits")
    timestamp: str = Field(description="when it was signed, UTC, to the millisecond")
    key_id: str = Field(description="first 16 hex digits of SHA-256 of the raw public key")
    signature: str = Field(description="Ed25519 signature, base64")


class ReceiptPublic(BaseModel):
    """Proof that one delivery, movement or gift is in the signed log; no personal data."""

    kind: str = Field(description="delivery, movement or gift")
    position: int = Field(description="the event's ledger position")
    leaf_index: int
    leaf_hash: str = Field(description="RFC 6962 leaf hash of the stored event, hex")
    code: str = Field(description="short code for the person served: the leaf hash's first 40 bits")
    audit_path: list[str] = Field(description="RFC 6962 audit path to the tree head's root, hex")
    tree_head: TreeHeadPublic


class InclusionProofPublic(BaseModel):
    position: int
    leaf_index: int
    tree_size: int
    leaf_hash: str
    audit_path: list[str] = Field(description="RFC 6962 audit path, leaf to root, hex")


class ConsistencyProofPublic(BaseModel):
    first: int
    second: int
    proof: list[str] = Field(description="RFC 6962 consistency proof, hex")


class PersonalDataReadPublic(BaseModel):
    id: int
    at: datetime
    actor: str = Field(description="role@scope#token-id of whoever read or erased")
    action: str = Field(description="read (a contact was shown) or forget (a key destroyed)")
    record: str = Field(description="which record: campaign/delivery, or the person's hash prefix")
