"""Offline verifier for Tadamon's tamper-evident event log.

This file is deliberately standalone: it imports only the Python standard library
and ``cryptography``, so it can be handed to an auditor on its own and run as::

    python verifier.py --export FILE --tree-head FILE --public-key FILE
    python verifier.py --receipt FILE --public-key FILE

Hashing follows RFC 6962 section 2.1 (0x00/0x01 domain-separation prefixes, the
split at the largest power of two below n, SHA-256 of the empty string for the
empty tree); proof verification follows RFC 9162 sections 2.1.3.2 and 2.1.4.2.

Exit status: 0 verified, 1 verification failed, 2 unreadable input.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import hmac
import io
import json
import re
import struct
import sys
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "MalformedInputError",
    "Report",
    "TreeBuilder",
    "TreeHead",
    "VerificationError",
    "consistency_proof",
    "encode_record",
    "inclusion_proof",
    "key_id",
    "leaf_hash",
    "load_public_key",
    "main",
    "node_hash",
    "parse_tree_head",
    "receipt_code",
    "record_bytes",
    "root_hash",
    "sign_tree_head",
    "tree_head_message",
    "verify_consistency",
    "verify_export",
    "verify_inclusion",
    "verify_receipt",
    "verify_tree_head",
]


class VerificationError(Exception):
    """Something that was supposed to be proven could not be."""


class MalformedInputError(VerificationError):
    """An input is unreadable: not the format this verifier expects.

    Kept distinct from a failed check so the command line can answer 2
    ("cannot tell") rather than 1 ("tampered").
    """


# --------------------------------------------------------------------------
# RFC 6962 section 2.1: the Merkle tree hash
# --------------------------------------------------------------------------

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

# The prefixes keep a leaf from ever hashing like an interior node (second
# preimage resistance, RFC 6962 section 2.1).
_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"
_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    """MTH({d}) = SHA-256(0x00 || d)."""
    return _sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Interior node: SHA-256(0x01 || left || right)."""
    return _sha256(_NODE_PREFIX + left + right).digest()


class TreeBuilder:
    """The Merkle tree hash of a growing list of leaves, fed one leaf at a time.

    Only the roots of the perfect subtrees that the leaves so far decompose into
    are kept (the "compact range", or frontier): one per set bit of ``size``, so
    at most log2(n) + 1 hashes, largest subtree first.  Appending is amortised
    one node hash per leaf.
    """

    __slots__ = ("_frontier", "_size")

    def __init__(self) -> None:
        self._frontier: list[bytes] = []
        self._size = 0

    @property
    def size(self) -> int:
        """How many leaves have been appended."""
        return self._size

    def append(self, leaf_hash: bytes) -> None:
        """Add the next leaf, given as its leaf hash."""
        if len(leaf_hash) != HASH_SIZE:
            raise ValueError(f"a leaf hash is {HASH_SIZE} bytes, got {len(leaf_hash)}")
        frontier = self._frontier
        frontier.append(leaf_hash)
        carries = self._size
        self._size = carries + 1
        # Each trailing 1-bit of the old size is a pending perfect subtree as tall
        # as the one just completed: merge them, like carries in binary addition.
        while carries & 1:
            right = frontier.pop()
            frontier[-1] = _sha256(_NODE_PREFIX + frontier[-1] + right).digest()
            carries >>= 1

    def copy(self) -> TreeBuilder:
        """An independent builder in the same state (O(log n))."""
        twin = TreeBuilder()
        twin._frontier = self._frontier.copy()
        twin._size = self._size
        return twin

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        """Append several leaves, in order."""
        for one in leaf_hashes:
            self.append(one)

    def root(self) -> bytes:
        """MTH of the leaves appended so far."""
        frontier = self._frontier
        if not frontier:
            return EMPTY_ROOT
        # RFC 6962 splits at the largest power of two, so each smaller, later
        # subtree is the right child of everything to its left: fold right to left.
        root = frontier[-1]
        for index in range(len(frontier) - 2, -1, -1):
            root = node_hash(frontier[index], root)
        return root


def root_hash(leaf_hashes: Iterable[bytes]) -> bytes:
    """MTH(D[n]) over leaf hashes, in O(n) time and O(log n) memory."""
    builder = TreeBuilder()
    builder.extend(leaf_hashes)
    return builder.root()


# --------------------------------------------------------------------------
# Proofs: generation per RFC 6962 2.1.1/2.1.2, verification per RFC 9162
# --------------------------------------------------------------------------


def _split_point(size: int) -> int:
    """The largest power of two strictly smaller than ``size`` (size >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def _range_root(leaf_hashes: Sequence[bytes], start: int, end: int) -> bytes:
    """MTH(D[start:end]) without copying the slice."""
    builder = TreeBuilder()
    for index in range(start, end):
        builder.append(leaf_hashes[index])
    return builder.root()


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(index, D[n]): the audit path for leaf ``index``, leaf to root.

    Walks RFC 6962's recursion top-down, collecting the sibling subtree at each
    level; the RFC lists them bottom-up, hence the final reversal.
    """
    size = len(leaf_hashes)
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is not in a tree of size {size}")
    siblings: list[bytes] = []
    low, high = 0, size
    while high - low > 1:
        middle = low + _split_point(high - low)
        if index < middle:
            siblings.append(_range_root(leaf_hashes, middle, high))
            high = middle
        else:
            siblings.append(_range_root(leaf_hashes, low, middle))
            low = middle
    siblings.reverse()
    return siblings


def consistency_proof(leaf_hashes: Sequence[bytes], old_size: int, new_size: int) -> list[bytes]:
    """PROOF(old_size, D[new_size]) of RFC 6962 section 2.1.2, as a loop.

    ``known`` is the RFC's flag b: it stays true while the subtree being
    descended is still the old tree itself, whose root the verifier already has.
    """
    if not 0 <= old_size <= new_size <= len(leaf_hashes):
        raise ValueError(
            f"no consistency proof from size {old_size} to size {new_size} "
            f"over {len(leaf_hashes)} leaves"
        )
    if old_size in (0, new_size):
        return []
    nodes: list[bytes] = []
    low, high, remaining, known = 0, new_size, old_size, True
    while remaining != high - low:
        split = _split_point(high - low)
        if remaining <= split:
            nodes.append(_range_root(leaf_hashes, low + split, high))
            high = low + split
        else:
            nodes.append(_range_root(leaf_hashes, low, low + split))
            low += split
            remaining -= split
            known = False
    if not known:
        nodes.append(_range_root(leaf_hashes, low, high))
    nodes.reverse()
    return nodes


def _all_hashes(values: Iterable[bytes]) -> bool:
    return all(len(value) == HASH_SIZE for value in values)


def _shift_while_right_child_of_rightmost(first: int, second: int) -> tuple[int, int]:
    """RFC 9162: 'right-shift both fn and sn equally until either LSB(fn) is set
    or fn is 0' -- skips the levels where the node has no sibling in the proof."""
    while not first & 1 and first:
        first >>= 1
        second >>= 1
    return first, second


def verify_inclusion(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 section 2.1.3.2: does ``proof`` put ``leaf_hash`` at ``index``?"""
    if not 0 <= index < tree_size or not _all_hashes(proof):
        return False
    fn, sn = index, tree_size - 1
    result = leaf_hash
    for sibling in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            fn, sn = _shift_while_right_child_of_rightmost(fn, sn)
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    return sn == 0 and hmac.compare_digest(result, root)


def verify_consistency(
    old_size: int,
    new_size: int,
    old_root: bytes,
    new_root: bytes,
    proof: Sequence[bytes],
) -> bool:
    """RFC 9162 section 2.1.4.2: is the tree of ``new_size`` an extension of
    the tree of ``old_size``?"""
    if not 0 <= old_size <= new_size or not _all_hashes(proof):
        return False
    if old_size == new_size:
        return not proof and hmac.compare_digest(old_root, new_root)
    if old_size == 0:
        # Every tree extends the empty one; we still insist the old root is the
        # empty tree's, since a size-0 head claiming anything else is forged.
        return not proof and hmac.compare_digest(old_root, EMPTY_ROOT)
    return _verify_nonempty_consistency(old_size, new_size, old_root, new_root, proof)


def _verify_nonempty_consistency(
    old_size: int,
    new_size: int,
    old_root: bytes,
    new_root: bytes,
    proof: Sequence[bytes],
) -> bool:
    """Steps 1-7 of RFC 9162 section 2.1.4.2, for 0 < old_size < new_size."""
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        # The old tree is a perfect subtree of the new one, so the minimal proof
        # omits its root; the verifier supplies it.
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    old_result = new_result = path[0]
    for node in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            old_result = node_hash(node, old_result)
            new_result = node_hash(node, new_result)
            fn, sn = _shift_while_right_child_of_rightmost(fn, sn)
        else:
            new_result = node_hash(new_result, node)
        fn >>= 1
        sn >>= 1
    return (
        sn == 0
        and hmac.compare_digest(old_result, old_root)
        and hmac.compare_digest(new_result, new_root)
    )


# --------------------------------------------------------------------------
# Record encoding: what a leaf commits to
# --------------------------------------------------------------------------

_RECORD_HEADER = struct.Struct(">Q16sQ")
_LENGTH = struct.Struct(">I")


def record_bytes(
    position: int,
    originator_id: uuid.UUID,
    originator_version: int,
    topic: str,
    state: bytes,
) -> bytes:
    """The unambiguous binary form of one stored event.

    Fixed-width integers and length-prefixed strings, so no two different
    records can encode to the same bytes (a delimiter could be smuggled into
    a topic or state; a length cannot).
    """
    return encode_record(position, originator_id.bytes, originator_version, topic, state)


def encode_record(
    position: int, originator_id: bytes, originator_version: int, topic: str, state: bytes
) -> bytes:
    """record_bytes with the UUID already as its 16 bytes (the export hot path)."""
    topic_bytes = topic.encode("utf-8")
    try:
        return b"".join(
            (
                _RECORD_HEADER.pack(position, originator_id, originator_version),
                _LENGTH.pack(len(topic_bytes)),
                topic_bytes,
                _LENGTH.pack(len(state)),
                state,
            )
        )
    except struct.error as exc:
        raise ValueError(f"record field out of range: {exc}") from None


# --------------------------------------------------------------------------
# Signed tree heads
# --------------------------------------------------------------------------

_TREE_HEAD_DOMAIN = b"tadamon-sth-v1\x00"
_TREE_HEAD_FIELDS = struct.Struct(">QQ")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)
_KEY_ID_LENGTH = 16
_SIGNATURE_INVALID = "tree head signature invalid"


@dataclass(frozen=True)
class TreeHead:
    """A tree head, parsed and shape-checked but not yet verified."""

    tree_size: int
    root_hash: bytes
    timestamp: datetime
    key_id: str
    signature: bytes


def _milliseconds_since_epoch(timestamp: datetime) -> int:
    if timestamp.utcoffset() is None:
        raise ValueError("a tree head timestamp must carry a time zone")
    # Integer division of timedeltas is exact, unlike going through float seconds.
    return (timestamp - _EPOCH) // _MILLISECOND


def tree_head_message(tree_size: int, root_hash: bytes, timestamp: datetime) -> bytes:
    """The bytes an Ed25519 tree-head signature covers."""
    if len(root_hash) != HASH_SIZE:
        raise ValueError(f"a root hash is {HASH_SIZE} bytes, got {len(root_hash)}")
    try:
        fields = _TREE_HEAD_FIELDS.pack(tree_size, _milliseconds_since_epoch(timestamp))
    except struct.error as exc:
        raise ValueError(f"tree head field out of range: {exc}") from None
    return _TREE_HEAD_DOMAIN + fields + root_hash


def key_id(public_key: Ed25519PublicKey) -> str:
    """First 16 hex digits of SHA-256 over the raw 32-byte public key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:_KEY_ID_LENGTH]


def _to_millisecond(timestamp: datetime) -> datetime:
    """UTC, truncated to what the signed message can carry."""
    if timestamp.utcoffset() is None:
        raise ValueError("a tree head timestamp must carry a time zone")
    utc = timestamp.astimezone(UTC)
    return utc.replace(microsecond=utc.microsecond - utc.microsecond % 1000)


def _format_timestamp(timestamp: datetime) -> str:
    return f"{timestamp:%Y-%m-%dT%H:%M:%S}.{timestamp.microsecond // 1000:03d}Z"


def sign_tree_head(
    private_key: Ed25519PrivateKey, tree_size: int, root_hash: bytes, timestamp: datetime
) -> dict[str, int | str]:
    """A signed tree head as the JSON-ready dictionary auditors receive.

    The timestamp is truncated to the millisecond first, because that is all
    the signed message carries and the written form must not say more.
    """
    stamp = _to_millisecond(timestamp)
    message = tree_head_message(tree_size, root_hash, stamp)
    return {
        "tree_size": tree_size,
        "root_hash": root_hash.hex(),
        "timestamp": _format_timestamp(stamp),
        "key_id": key_id(private_key.public_key()),
        "signature": base64.b64encode(private_key.sign(message)).decode("ascii"),
    }


def parse_tree_head(head: Mapping[str, object]) -> TreeHead:
    """Shape-check a tree head; raises MalformedInputError naming the bad field."""
    if not isinstance(head, Mapping):
        raise MalformedInputError("tree head: not a JSON object")
    return TreeHead(
        tree_size=_uint64_field(head, "tree_size", "tree head"),
        root_hash=_hash_field(head, "root_hash", "tree head"),
        timestamp=_timestamp_field(head, "timestamp"),
        key_id=_key_id_field(head, "key_id"),
        signature=_base64_field(head, "signature", "tree head"),
    )


def _check_tree_head(head: TreeHead, public_key: Ed25519PublicKey) -> None:
    expected = key_id(public_key)
    if not hmac.compare_digest(head.key_id, expected):
        raise VerificationError(
            f"{_SIGNATURE_INVALID}: the head names key {head.key_id}, "
            f"the public key given is {expected}"
        )
    message = tree_head_message(head.tree_size, head.root_hash, head.timestamp)
    try:
        public_key.verify(head.signature, message)
    except InvalidSignature:
        raise VerificationError(_SIGNATURE_INVALID) from None


def verify_tree_head(head: Mapping[str, object], public_key: Ed25519PublicKey) -> None:
    """Raise VerificationError unless ``public_key`` signed exactly this head."""
    _check_tree_head(parse_tree_head(head), public_key)


def load_public_key(path: str) -> Ed25519PublicKey:
    """Read an Ed25519 public key from a PEM (SubjectPublicKeyInfo) file."""
    with open(path, "rb") as handle:
        pem = handle.read()
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise MalformedInputError(f"public key {path}: not a PEM public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise MalformedInputError(f"public key {path}: not an Ed25519 key")
    return key


# --------------------------------------------------------------------------
# Field readers: every refusal says where and why
# --------------------------------------------------------------------------


_ABSENT = object()


def _field(obj: Mapping[str, object], name: str, where: str) -> object:
    value = obj.get(name, _ABSENT)
    if value is _ABSENT:
        raise MalformedInputError(f"{where}: no {name!r}")
    return value


def _uint64_field(obj: Mapping[str, object], name: str, where: str) -> int:
    value = _field(obj, name, where)
    # bool is an int in Python, and JSON true is not a number.
    if type(value) is not int or not 0 <= value < 1 << 64:
        raise MalformedInputError(f"{where}: {name!r} is not an integer in 0..2^64-1")
    return value


def _str_field(obj: Mapping[str, object], name: str, where: str) -> str:
    value = obj.get(name)
    if type(value) is str:  # the common case, without a call to _field
        return value
    _field(obj, name, where)  # raises if absent
    raise MalformedInputError(f"{where}: {name!r} is not a string")


def _hash_field(obj: Mapping[str, object], name: str, where: str) -> bytes:
    text = _str_field(obj, name, where)
    try:
        value = bytes.fromhex(text)
    except ValueError:
        value = b""
    # Checking the text length too rules out the spaces bytes.fromhex tolerates.
    if len(text) != 2 * HASH_SIZE or len(value) != HASH_SIZE:
        raise MalformedInputError(f"{where}: {name!r} is not {2 * HASH_SIZE} hex digits")
    return value


def _base64_field(obj: Mapping[str, object], name: str, where: str) -> bytes:
    text = _str_field(obj, name, where)
    try:
        # strict_mode refuses stray characters and bad padding, which the
        # default decoder would silently skip -- a second spelling of the state.
        return binascii.a2b_base64(text, strict_mode=True)
    except (binascii.Error, ValueError):
        raise MalformedInputError(f"{where}: {name!r} is not base64") from None


def _uuid_bytes_field(obj: Mapping[str, object], name: str, where: str) -> bytes:
    """The 16 bytes of a UUID written in the canonical 8-4-4-4-12 form.

    Parsed by hand because uuid.UUID() dominated the per-record cost, and
    stricter on purpose: one spelling per identifier.
    """
    text = _str_field(obj, name, where)
    value = b""
    if len(text) == 36 and text[8] == text[13] == text[18] == text[23] == "-":
        hex_digits = text.replace("-", "")
        try:
            value = bytes.fromhex(hex_digits) if len(hex_digits) == 32 else b""
        except ValueError:
            value = b""
    if len(value) != 16:
        raise MalformedInputError(f"{where}: {name!r} is not a UUID (8-4-4-4-12 hex digits)")
    return value


def _key_id_field(obj: Mapping[str, object], name: str) -> str:
    text = _str_field(obj, name, "tree head")
    if len(text) != _KEY_ID_LENGTH or any(c not in "0123456789abcdef" for c in text):
        raise MalformedInputError(
            f"tree head: {name!r} is not {_KEY_ID_LENGTH} lowercase hex digits"
        )
    return text


def _timestamp_field(obj: Mapping[str, object], name: str) -> datetime:
    text = _str_field(obj, name, "tree head")
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        raise MalformedInputError(f"tree head: {name!r} is not an RFC 3339 time") from None
    if stamp.utcoffset() is None:
        raise MalformedInputError(f"tree head: {name!r} has no time zone")
    if stamp < _EPOCH:
        raise MalformedInputError(f"tree head: {name!r} is before 1970")
    if stamp.microsecond % 1000:
        # The signature covers whole milliseconds; finer digits would be unsigned
        # text that could be changed without anyone noticing.
        raise MalformedInputError(f"tree head: {name!r} is finer than a millisecond")
    return stamp


def _object_without_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    # With duplicate keys, what gets verified (the last value) and what another
    # tool shows (maybe the first) could differ: refuse rather than pick one.
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise MalformedInputError("duplicate key in a JSON object")
    return obj


# Built once: json.loads with a hook would build a new decoder for every line.
_JSON_DECODER = json.JSONDecoder(object_pairs_hook=_object_without_duplicate_keys)


def _load_json_object(text: str, where: str) -> dict[str, object]:
    try:
        value = _JSON_DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise MalformedInputError(f"{where}: not JSON ({exc.msg})") from None
    except MalformedInputError as exc:
        raise MalformedInputError(f"{where}: {exc}") from None
    if not isinstance(value, dict):
        raise MalformedInputError(f"{where}: not a JSON object")
    return value


# --------------------------------------------------------------------------
# Verifying an export
# --------------------------------------------------------------------------

_MAX_LISTED = 100
_Item = TypeVar("_Item")


# What a record holds besides its position: originator id (16 bytes),
# originator version, topic, state.
_Content = tuple[bytes, int, str, bytes]


@dataclass(frozen=True)
class _Record:
    """One export line, reduced to what the checks need.

    The content is kept only while its line is checked; just the mismatched
    records (capped) outlive it, to tell what was exchanged with what.
    """

    leaf_index: int
    position: int
    recorded_hash: bytes
    content_hash: bytes | None  # None: the stored row is gone
    content: _Content | None = field(default=None, repr=False, compare=False)
    respelled: str | None = None  # the originator id as stored, when not canonical


@dataclass(frozen=True)
class _Loose:
    """A stored row with no leaf: never sealed, or in the place of a leaf the log lost."""

    position: int
    content: _Content | None
    lost_leaf: int | None = None  # the leaf index missing from the log, if it is one
    respelled: str | None = None


def _hash_content(position: int, content: _Content, where: str) -> bytes:
    try:
        return leaf_hash(encode_record(position, *content))
    except ValueError as exc:
        raise MalformedInputError(f"{where}: {exc}") from None


def _parse_content(obj: Mapping[str, object], where: str) -> tuple[_Content, str | None]:
    """The content, and the stored id's text when it is not the canonical spelling."""
    identifier, respelled = _spelled_uuid_field(obj, "originator_id", where)
    content = (
        identifier,
        _uint64_field(obj, "originator_version", where),
        _str_field(obj, "topic", where),
        _base64_field(obj, "state", where),
    )
    return content, respelled


def _spelled_uuid_field(
    obj: Mapping[str, object], name: str, where: str
) -> tuple[bytes, str | None]:
    """A UUID in its one canonical spelling, or any other the store can parse, named."""
    try:
        value = _uuid_bytes_field(obj, name, where)
        text = _str_field(obj, name, where)
        return value, None if text == text.lower() else text
    except MalformedInputError:
        text = _str_field(obj, name, where)
        try:
            return uuid.UUID(text).bytes, text
        except ValueError:
            raise MalformedInputError(f"{where}: {name!r} is not a UUID") from None


def _flag(obj: Mapping[str, object], name: str, where: str) -> bool:
    value = obj.get(name, False)
    if not isinstance(value, bool):
        raise MalformedInputError(f"{where}: {name!r} is not true or false")
    return value


def _parse_record(line: str, line_number: int) -> _Record | _Loose:
    where = f"export line {line_number}"
    obj = _load_json_object(line, where)
    if _flag(obj, "unsealed", where) or _flag(obj, "leaf_missing", where):
        return _parse_loose(obj, where)
    position = _uint64_field(obj, "position", where)
    content, respelled = (
        (None, None) if _flag(obj, "missing", where) else _parse_content(obj, where)
    )
    return _Record(
        leaf_index=_uint64_field(obj, "leaf_index", where),
        position=position,
        recorded_hash=_hash_field(obj, "leaf_hash", where),
        content_hash=None if content is None else _hash_content(position, content, where),
        content=content,
        respelled=respelled,
    )


def _parse_loose(obj: Mapping[str, object], where: str) -> _Loose:
    lost = _uint64_field(obj, "leaf_index", where) if obj.get("leaf_missing") else None
    if "position" not in obj:  # a lost leaf with no row in its place
        return _Loose(-1, None, lost)
    position = obj["position"]
    if type(position) is not int:  # may be 0 or below: a row in front of the log
        raise MalformedInputError(f"{where}: 'position' is not an integer")
    content, respelled = _parse_content(obj, where)
    return _Loose(position, content, lost, respelled)


# --------------------------------------------------------------------------
# Fast path: the canonical line the exporter writes
# --------------------------------------------------------------------------

# One line exactly as the exporter writes it (compact separators, keys in this
# order), read without the JSON decoder.  A match means the strict reading would
# find the same values, so the fast path can only agree with it:
#   - every key is spelled once, in a fixed order: no duplicate, no extra key,
#     and no "missing" (so the record is present);
#   - integers are JSON integers of at most 19 digits, hence below 2^64 (longer
#     ones go to the strict reading, which checks the range);
#   - the topic has no quote, backslash, control character or lone surrogate, so
#     its text is its value, with nothing to unescape and always encodable;
#   - the state is decoded by strict base64, which refuses a backslash or any
#     other character outside the alphabet, so its text is its value too;
#   - the UUID and the leaf hash are lowercase hex, no white space anywhere.
# Whatever does not match, or matches but fails a later check, is read again by
# the strict path, which names the line and the field at fault.
_CANONICAL_LINE = re.compile(
    r"""
    \{"leaf_index":(0|[1-9][0-9]{0,18})
    ,"position":(0|[1-9][0-9]{0,18})
    ,"originator_id":"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
    ,"originator_version":(0|[1-9][0-9]{0,18})
    ,"topic":"([^"\\\x00-\x1f\ud800-\udfff]*)"
    ,"state":"([^"]*)"
    ,"leaf_hash":"([0-9a-f]{64})"
    \}\n?
    """,
    re.VERBOSE,
)
# The leaf prefix (the pad byte, always zero), _RECORD_HEADER and the topic's
# length in one pack: the first bytes of what leaf_hash(encode_record(...)) hashes.
_CANONICAL_LEAF_HEAD = struct.Struct(">xQ16sQI")
_CanonicalFields = tuple[int, int, bytes, bytes, _Content]


def _canonical_fields(line: str) -> _CanonicalFields | None:
    """(leaf index, position, recorded hash, content hash, content) of a canonical
    line; None sends the line to the strict path."""
    match = _CANONICAL_LINE.fullmatch(line)
    if match is None:
        return None
    leaf_index, position_text, originator_id, version_text, topic, state_text, recorded = (
        match.groups()
    )
    position, version = int(position_text), int(version_text)
    try:
        state = binascii.a2b_base64(state_text, strict_mode=True)
        identifier = bytes.fromhex(originator_id.replace("-", ""))
        topic_bytes = topic.encode("utf-8")
        head = _CANONICAL_LEAF_HEAD.pack(position, identifier, version, len(topic_bytes))
        state_length = _LENGTH.pack(len(state))
    except (ValueError, struct.error):
        return None
    content_hash = _sha256(head + topic_bytes + state_length + state).digest()
    content = (identifier, version, topic, state)
    return int(leaf_index), position, bytes.fromhex(recorded), content_hash, content


@dataclass(frozen=True)
class _Mismatch:
    """A record whose content does not hash to its recorded leaf hash."""

    record: _Record

    @property
    def deleted(self) -> bool:
        return self.record.content_hash is None

    def label(self) -> str:
        return f"position {self.record.position} (leaf {self.record.leaf_index})"


class _Capped(Generic[_Item]):
    """A list that keeps its first entries and counts the rest, so memory stays
    constant however badly an export is damaged."""

    def __init__(self, limit: int = _MAX_LISTED) -> None:
        self.items: list[_Item] = []
        self.dropped = 0
        self._limit = limit

    def add(self, item: _Item) -> None:
        if len(self.items) < self._limit:
            self.items.append(item)
        else:
            self.dropped += 1


@dataclass
class Report:
    """The outcome of verifying one export against one signed tree head."""

    ok: bool
    records: int
    tree_size: int
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    root_hash: str = ""

    def __str__(self) -> str:
        if self.ok:
            lines = [
                f"verified: {self.records} records, tree size {self.tree_size}, "
                f"root {self.root_hash}"
            ]
        else:
            lines = list(self.failures)
        lines.extend(f"note: {note}" for note in self.notes)
        return "\n".join(lines)


class _ExportAudit:
    """Streams over an export's records, keeping two Merkle frontiers and the
    capped lists of what failed."""

    def __init__(self, tree_size: int) -> None:
        self.tree_size = tree_size
        self.records = 0
        self.previous_leaf = -1
        self.order: _Capped[str] = _Capped()
        self.mismatches: _Capped[_Mismatch] = _Capped()
        # Recorded hashes are what the log claims; content hashes are what the
        # store holds now.  Folding both lets the end tell which one the signed
        # root vouches for.  The two agree until the first mismatch, so the
        # content fold starts then, as a copy of the recorded one.
        self.recorded_tree = TreeBuilder()
        self.content_tree: TreeBuilder | None = None
        # Rows no leaf holds, re-spelled ids, and each stream's versions 1, 2, 3...
        self.loose: _Capped[str] = _Capped()
        self.spelling: _Capped[str] = _Capped()
        self.duplicates: _Capped[str] = _Capped()
        self.version_gaps: _Capped[str] = _Capped()
        self.versions: dict[bytes, int] = {}
        self.last_covered = -1  # position of the last leaf the head covers, seen so far
        self.beyond = 0  # unsealed rows after everything the head covers
        self.unfoldable = False  # a lost leaf left nothing to fold in its place

    def add(self, record: _Record) -> None:
        slot = self.records
        self.records = slot + 1
        in_order = self._check_order(record.leaf_index, slot)
        content = record.content_hash
        if record.respelled is not None:
            self._respelled(record.position, record.respelled)
        if content != record.recorded_hash:
            self.mismatches.add(_Mismatch(record))
            if self.content_tree is None:
                self.content_tree = self.recorded_tree.copy()
        elif in_order and record.content is not None:
            self._stream(record.content[0], record.content[1], record.position)
        if slot < self.tree_size:
            self.last_covered = record.position
            self.recorded_tree.append(record.recorded_hash)
            if self.content_tree is not None:
                self.content_tree.append(record.recorded_hash if content is None else content)

    def add_verified(
        self, leaf_index: int, leaf_hash: bytes, identifier: bytes, version: int, position: int
    ) -> None:
        """add() for a record whose content hashes to its recorded leaf hash, the
        usual case, without building a _Record."""
        slot = self.records
        self.records = slot + 1
        if leaf_index == slot:  # in place: _check_order would pass, without the call
            self.previous_leaf = leaf_index
            in_order = True
        else:
            in_order = self._check_order(leaf_index, slot)
        if in_order:
            if self.versions.get(identifier, 0) + 1 == version:  # the usual case, inline
                self.versions[identifier] = version
            else:
                self._stream(identifier, version, position)
        if slot < self.tree_size:
            self.last_covered = position
            self.recorded_tree.append(leaf_hash)
            if self.content_tree is not None:
                self.content_tree.append(leaf_hash)

    def add_loose(self, row: _Loose) -> None:
        """A stored row with no leaf, or a leaf index the log lost."""
        if row.lost_leaf is not None:
            self._lost_leaf(row)
        elif self.records < self.tree_size or row.position < self.last_covered:
            self.loose.add(
                f"position {row.position}: stored but not covered by the signed tree head "
                "(never sealed: written behind the app)"
            )
        else:
            self.beyond += 1
        if row.respelled is not None:
            self._respelled(row.position, row.respelled)
        if row.content is not None:
            self._stream(row.content[0], row.content[1], row.position)

    def _lost_leaf(self, row: _Loose) -> None:
        slot, index = self.records, row.lost_leaf
        assert index is not None  # noqa: S101 - only called for a lost leaf
        self.records = slot + 1
        self._check_order(index, slot)
        where = "" if row.content is None else f" (position {row.position} is stored in its place)"
        self.loose.add(f"leaf {index}: deleted from the Merkle log{where}")
        if slot >= self.tree_size:
            return
        if row.content is None:
            self.unfoldable = True
            return
        # Fold what is stored in its place: if the root still matches, the content is authentic.
        content = leaf_hash(encode_record(row.position, *row.content))
        self.last_covered = row.position
        self.recorded_tree.append(content)
        if self.content_tree is not None:
            self.content_tree.append(content)

    def _respelled(self, position: int, text: str) -> None:
        self.spelling.add(
            f"position {position}: originator_id stored as {text!r}, not in its canonical spelling"
        )

    def _stream(self, identifier: bytes, version: int, position: int) -> None:
        last = self.versions.get(identifier, 0)
        stream = uuid.UUID(bytes=identifier)
        if version <= last:
            self.duplicates.add(
                f"position {position}: stream {stream} version {version} is stored twice"
            )
            return
        if version != last + 1:
            self.version_gaps.add(
                f"position {position}: stream {stream} jumps from version {last} to {version}"
            )
        self.versions[identifier] = version

    def _check_order(self, leaf_index: int, slot: int) -> bool:
        # A leaf is in place if it sits at its own slot or directly follows its
        # predecessor.  The first departure from 0, 1, 2, ... always fails both
        # tests, so nothing slips through; and a swap flags exactly the two leaves
        # moved, a duplicate or a dropped line just one, not every line after it.
        in_order = leaf_index == slot or leaf_index == self.previous_leaf + 1
        if not in_order:
            self.order.add(f"leaf {leaf_index}: out of order / duplicated")
        self.previous_leaf = leaf_index
        return in_order


def _rehash(record: _Record, content: _Content) -> bytes:
    return leaf_hash(encode_record(record.position, *content))


def _exchange(a: _Record, b: _Record) -> str | None:
    """How two altered records' contents were exchanged, if they were.

    "swapped": whole records changed places, whether the positions moved with
    them (lines of an export exchanged) or stayed (rows exchanged in a store
    that orders by position).  "states swapped": only the event states moved.
    """
    if a.content_hash == b.recorded_hash and b.content_hash == a.recorded_hash:
        return "swapped"
    if a.content is None or b.content is None:
        return None
    if _rehash(a, b.content) == a.recorded_hash and _rehash(b, a.content) == b.recorded_hash:
        return "swapped"
    a_with_b_state = (*a.content[:3], b.content[3])
    b_with_a_state = (*b.content[:3], a.content[3])
    if (
        _rehash(a, a_with_b_state) == a.recorded_hash
        and _rehash(b, b_with_a_state) == b.recorded_hash
    ):
        return "states swapped"
    return None


def _swapped_pairs(mismatches: list[_Mismatch]) -> dict[int, tuple[int, str]]:
    """Pairs of altered records that are each other's content exchanged.  Maps each
    member's index to its partner's and how they were exchanged.  Quadratic, but
    over the capped list of at most 100 mismatches."""
    partners: dict[int, tuple[int, str]] = {}
    for i, first in enumerate(mismatches):
        for j in range(i + 1, len(mismatches)):
            if i in partners or j in partners or first.deleted or mismatches[j].deleted:
                continue
            how = _exchange(first.record, mismatches[j].record)
            if how is not None:
                partners[i], partners[j] = (j, how), (i, how)
    return partners


def _deleted_run(mismatches: list[_Mismatch], start: int) -> int:
    """How many deleted records follow one another in the log from ``start``."""
    end = start + 1
    while (
        end < len(mismatches)
        and mismatches[end].deleted
        and mismatches[end].record.leaf_index == mismatches[end - 1].record.leaf_index + 1
    ):
        end += 1
    return end - start


def _describe_deleted_run(run: list[_Mismatch]) -> str:
    if len(run) == 1:
        return f"{run[0].label()}: record deleted from the store"
    first, last = run[0].record, run[-1].record
    return (
        f"positions {first.position}..{last.position} (leaves {first.leaf_index}.."
        f"{last.leaf_index}): {len(run)} records deleted from the store"
    )


def _describe_mismatches(mismatches: list[_Mismatch], content_is_authentic: bool) -> list[str]:
    partners = _swapped_pairs(mismatches)
    lines: list[str] = []
    skip_to = 0
    for i, mismatch in enumerate(mismatches):
        if i < skip_to:
            continue  # inside a run of deletions already described
        if i in partners:
            partner, how = partners[i]
            if partner > i:
                a, b = sorted((mismatch.record.position, mismatches[partner].record.position))
                lines.append(f"positions {a} and {b}: {how}")
        elif mismatch.deleted:
            skip_to = i + _deleted_run(mismatches, i)
            lines.append(_describe_deleted_run(mismatches[i:skip_to]))
        elif content_is_authentic:
            lines.append(
                f"{mismatch.label()}: recorded leaf hash altered "
                "(the content itself matches the signed tree head)"
            )
        else:
            lines.append(f"{mismatch.label()}: content altered")
    return lines


def _records(count: int) -> str:
    return f"{count} record" if count == 1 else f"{count} records"


def _leaf_range(first: int, last: int) -> str:
    return f"leaf {first}" if first == last else f"leaves {first}..{last}"


def _dropped_note(count: int, what: str) -> list[str]:
    return [f"{count} further {what} not listed"] if count else []


def _assemble_report(audit: _ExportAudit, head: TreeHead, signature_failure: str | None) -> Report:
    failures: list[str] = [signature_failure] if signature_failure else []
    notes: list[str] = []
    failures.extend(audit.order.items)
    notes.extend(_dropped_note(audit.order.dropped, "out-of-order leaves"))
    for found, what in (
        (audit.loose, "unsealed rows or lost leaves"),
        (audit.spelling, "re-spelled originator ids"),
    ):
        failures.extend(found.items)
        notes.extend(_dropped_note(found.dropped, what))

    mismatches = audit.mismatches.items
    truncated = audit.records < head.tree_size
    root_failure, content_is_authentic = _compare_roots(
        audit, head, signature_failure, truncated, notes
    )
    failures.extend(_describe_mismatches(mismatches, content_is_authentic))
    notes.extend(_dropped_note(audit.mismatches.dropped, "altered or deleted records"))
    if root_failure and mismatches and not content_is_authentic:
        notes.append(
            "the recorded leaf hashes are not vouched for by the tree head, so the "
            "per-record findings compare content against unauthenticated hashes"
        )
    if root_failure:
        failures.append(root_failure)
    if truncated:
        failures.append(
            f"export truncated: has {audit.records} records, tree head covers {head.tree_size}"
            f" ({_leaf_range(audit.records, head.tree_size - 1)} absent)"
        )
    elif audit.records > head.tree_size:
        extra = audit.records - head.tree_size
        notes.append(
            f"leaves {head.tree_size}..{audit.records - 1} ({_records(extra)}) "
            "are not yet covered by this tree head"
        )
    if audit.beyond:
        notes.append(f"{_records(audit.beyond)} stored after the log's end, not yet sealed")
    _stream_findings(audit, failures, notes)
    return Report(
        ok=not failures,
        records=audit.records,
        tree_size=head.tree_size,
        failures=failures,
        notes=notes,
        root_hash=head.root_hash.hex(),
    )


def _stream_findings(audit: _ExportAudit, failures: list[str], notes: list[str]) -> None:
    """Duplicates always fail; a version gap is explained when records are missing."""
    failures.extend(audit.duplicates.items)
    notes.extend(_dropped_note(audit.duplicates.dropped, "duplicate versions"))
    # An altered, deleted, lost or misplaced record is left out of its stream's
    # count, so the gaps it leaves are already explained by the failure naming it.
    if not (audit.mismatches.items or audit.loose.items or audit.order.items):
        failures.extend(audit.version_gaps.items)
        notes.extend(_dropped_note(audit.version_gaps.dropped, "version gaps"))


def _compare_roots(
    audit: _ExportAudit,
    head: TreeHead,
    signature_failure: str | None,
    truncated: bool,
    notes: list[str],
) -> tuple[str | None, bool]:
    """The root failure (if any), and whether the content alone folds to the
    signed root -- which proves every mismatch is in the recorded hashes."""
    if truncated:
        return None, False  # the truncation failure already says why
    if signature_failure:
        notes.append("Merkle root not compared: the tree head is not authentic")
        return None, False
    if audit.order.items:
        notes.append("Merkle root not compared: the export is not in leaf order")
        return None, False
    if audit.unfoldable:
        notes.append("Merkle root not compared: a lost leaf left nothing to fold in its place")
        return None, False
    if hmac.compare_digest(audit.recorded_tree.root(), head.root_hash):
        return None, False
    content_root = (
        audit.recorded_tree.root() if audit.content_tree is None else audit.content_tree.root()
    )
    content_is_authentic = hmac.compare_digest(content_root, head.root_hash)
    return (
        "recorded leaf hashes do not match the signed tree head: the Merkle log itself was altered",
        content_is_authentic,
    )


def _signature_failure(head: TreeHead, public_key: Ed25519PublicKey) -> str | None:
    try:
        _check_tree_head(head, public_key)
    except VerificationError as exc:
        return str(exc)
    return None


def verify_export(
    lines: Iterable[str], head: Mapping[str, object], public_key: Ed25519PublicKey
) -> Report:
    """Check an NDJSON export against a signed tree head, streaming.

    Memory grows with the streams, not the records: each stream's last version is
    kept to check that its versions run 1, 2, 3 (about 130 bytes a stream: 57 MB
    peak for 300,000 streams, 440 MB for 3,000,000); beside it, the two Merkle
    frontiers (O(log n)) and the failure lists (capped at 100 entries each).
    Raises MalformedInputError for
    input that cannot be read; everything else ends up in the Report.  Lines as
    the exporter writes them take a fast path (_canonical_fields) that reads
    exactly what the strict JSON path would; all others take the strict path.
    """
    tree_head = parse_tree_head(head)
    signature_failure = _signature_failure(tree_head, public_key)
    audit = _ExportAudit(tree_head.tree_size)
    _read_export(audit, lines)
    return _assemble_report(audit, tree_head, signature_failure)


# Off only in the tests, to check that the fast path agrees with the strict one.
_FAST_PATH = True


def _read_export(audit: _ExportAudit, lines: Iterable[str]) -> None:
    canonical = _canonical_fields if _FAST_PATH else _no_fields
    add, add_verified = audit.add, audit.add_verified
    for line_number, line in enumerate(lines, start=1):
        fields = canonical(line)
        if fields is None:
            if line.strip():  # tolerate blank lines, e.g. a trailing newline
                record = _parse_record(line, line_number)
                if isinstance(record, _Loose):
                    audit.add_loose(record)
                else:
                    add(record)
        elif fields[2] == fields[3]:
            content = fields[4]
            add_verified(fields[0], fields[2], content[0], content[1], fields[1])
        else:
            add(_Record(*fields))


def _no_fields(line: str) -> None:
    return None


# --------------------------------------------------------------------------
# Receipts: one event shown to be in a signed tree, with the public key alone
# --------------------------------------------------------------------------

_CODE_BYTES = 5  # 40 bits: eight base32 letters and digits, read as two groups of four


def receipt_code(leaf_hash: bytes) -> str:
    """The short code printed on a receipt: the leaf hash's first 40 bits in base32."""
    letters = base64.b32encode(leaf_hash[:_CODE_BYTES]).decode("ascii")
    return f"{letters[:4]}-{letters[4:]}"


def verify_receipt(receipt: Mapping[str, object], public_key: Ed25519PublicKey) -> list[str]:
    """What is wrong with a receipt; an empty list means it is proven.

    The head must be signed by ``public_key``, the audit path must put the leaf
    hash at its leaf index in that head's tree, and the code must be the leaf's.
    """
    where = "receipt"
    head = receipt.get("tree_head")
    if not isinstance(head, Mapping):
        raise MalformedInputError("receipt: no 'tree_head' object")
    tree_head = parse_tree_head(head)
    leaf = _hash_field(receipt, "leaf_hash", where)
    index = _uint64_field(receipt, "leaf_index", where)
    path = receipt.get("audit_path")
    if not isinstance(path, list) or not all(isinstance(node, str) for node in path):
        raise MalformedInputError("receipt: 'audit_path' is not a list of hex hashes")
    nodes = [_hash_field({"node": node}, "node", where) for node in path]
    failures = [failure for failure in [_signature_failure(tree_head, public_key)] if failure]
    if not verify_inclusion(leaf, index, tree_head.tree_size, nodes, tree_head.root_hash):
        failures.append(
            f"leaf {index} is not proven in the tree of size {tree_head.tree_size}: "
            "the audit path does not lead to the signed root"
        )
    if _str_field(receipt, "code", where) != receipt_code(leaf):
        failures.append(f"code {receipt['code']!r} is not this leaf's ({receipt_code(leaf)})")
    return failures


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def _read_tree_head(path: str) -> dict[str, object]:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except UnicodeDecodeError as exc:
        raise MalformedInputError(f"tree head {path}: not UTF-8 text ({exc.reason})") from None
    return _load_json_object(text, f"tree head {path}")


def _lines_of(stream: Iterable[str], name: str) -> Iterator[str]:
    try:
        yield from stream
    except UnicodeDecodeError as exc:
        raise MalformedInputError(f"export {name}: not UTF-8 text ({exc.reason})") from None


def _export_lines(path: str) -> Iterator[str]:
    """Lines of the export file, or of standard input for '-', read strictly as UTF-8."""
    if path == "-":
        stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
        try:
            yield from _lines_of(stream, "<stdin>")
        finally:
            stream.detach()  # leave sys.stdin open for whoever owns it
        return
    with open(path, encoding="utf-8") as handle:
        yield from _lines_of(handle, path)


def _parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="verifier.py",
        description="Verify a Tadamon event-log export against a signed tree head.",
    )
    parser.add_argument("--export", help="NDJSON export; '-' for stdin")
    parser.add_argument("--tree-head", help="signed tree head (JSON)")
    parser.add_argument("--receipt", help="a receipt (JSON) to check instead of an export")
    parser.add_argument("--public-key", required=True, help="Ed25519 public key (PEM)")
    arguments = parser.parse_args(argv)
    if arguments.receipt is None and (arguments.export is None or arguments.tree_head is None):
        parser.error("give --export and --tree-head, or --receipt")
    return arguments


def _check_receipt(path: str, public_key: Ed25519PublicKey) -> int:
    try:
        with open(path, encoding="utf-8") as handle:
            receipt = _load_json_object(handle.read(), f"receipt {path}")
    except UnicodeDecodeError as exc:
        raise MalformedInputError(f"receipt {path}: not UTF-8 text ({exc.reason})") from None
    failures = verify_receipt(receipt, public_key)
    if failures:
        print("\n".join(failures))
        return 1
    head = receipt["tree_head"]
    assert isinstance(head, Mapping)  # noqa: S101 - verify_receipt checked it
    print(
        f"receipt verified: code {receipt['code']}, position {receipt.get('position')}, "
        f"leaf {receipt['leaf_index']} of the signed tree of size {head['tree_size']}"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the verifier; 0 verified, 1 not verified, 2 unreadable input."""
    arguments = _parse_arguments(argv)
    try:
        public_key = load_public_key(arguments.public_key)
        if arguments.receipt is not None:
            return _check_receipt(arguments.receipt, public_key)
        head = _read_tree_head(arguments.tree_head)
        report = verify_export(_export_lines(arguments.export), head, public_key)
    except (MalformedInputError, OSError, UnicodeDecodeError) as exc:
        message = " ".join(str(exc).split())  # one line, whatever the cause says
        print(f"verifier: unreadable input: {message}", file=sys.stderr)
        return 2
    print(report)
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
