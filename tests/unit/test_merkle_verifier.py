"""The standalone audit verifier: RFC 6962 hashing, RFC 9162 proofs, signed tree
heads, and the export check an auditor runs.

Known answers are the RFC 6962 test vectors published by Certificate
Transparency: google/certificate-transparency cpp/merkletree/merkle_tree_test.cc
(kInputs, kSHA256Roots, kSHA256Paths, kSHA256Proofs) and, identically,
transparency-dev/merkle testonly/constants.go and proof/verify_test.go, which adds
the 6 -> 7 consistency proof.  The proof vectors there number leaves from 1; here
they are 0-based.
"""

from __future__ import annotations

import ast
import base64
import copy
import hashlib
import io
import json
import random
import subprocess
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.audit import verifier
from adapters.audit.verifier import (
    EMPTY_ROOT,
    MalformedInputError,
    TreeBuilder,
    VerificationError,
    consistency_proof,
    inclusion_proof,
    key_id,
    leaf_hash,
    main,
    node_hash,
    record_bytes,
    root_hash,
    sign_tree_head,
    tree_head_message,
    verify_consistency,
    verify_export,
    verify_inclusion,
    verify_tree_head,
)

# ---------------------------------------------------------------------------
# Reference: RFC 6962 section 2.1 written out literally, recursion and all,
# so the iterative code is checked against the definitions and not itself.
# ---------------------------------------------------------------------------


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(d: Sequence[bytes]) -> bytes:
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return d[0]
    k = _k(len(d))
    return node_hash(ref_mth(d[:k]), ref_mth(d[k:]))


def ref_path(m: int, d: Sequence[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = _k(len(d))
    if m < k:
        return [*ref_path(m, d[:k]), ref_mth(d[k:])]
    return [*ref_path(m - k, d[k:]), ref_mth(d[:k])]


def ref_subproof(m: int, d: Sequence[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [ref_mth(d)]
    k = _k(n)
    if m <= k:
        return [*ref_subproof(m, d[:k], b), ref_mth(d[k:])]
    return [*ref_subproof(m - k, d[k:], False), ref_mth(d[:k])]


def h(hex_digits: str) -> bytes:
    return bytes.fromhex(hex_digits)


# ---------------------------------------------------------------------------
# RFC 6962 known answers (Certificate Transparency test vectors)
# ---------------------------------------------------------------------------

CT_INPUTS = [
    h(""),
    h("00"),
    h("10"),
    h("2021"),
    h("3031"),
    h("40414243"),
    h("5051525354555657"),
    h("606162636465666768696a6b6c6d6e6f"),
]
CT_LEAVES = [leaf_hash(data) for data in CT_INPUTS]

# Root for tree size 0..8.
CT_ROOTS = [
    h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
    h("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
    h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    h("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
    h("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
    h("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
    h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
]

# transparency-dev/merkle testonly/constants.go NodeHashes(): level 0 is the
# leaf hashes, then the perfect subtrees above them.
CT_NODES = [
    [
        h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
        h("0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7"),
        h("07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7"),
        h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        h("4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658"),
        h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
        h("46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"),
    ],
    [
        h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
        h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
    ],
    [
        h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
    ],
    [h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")],
]

# (0-based leaf index, tree size, audit path)
CT_INCLUSION = [
    (0, 1, []),
    (
        0,
        8,
        [
            h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
    ),
    (
        5,
        8,
        [
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
    (2, 3, [h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (
        1,
        5,
        [
            h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ],
    ),
]

# (old size, new size, proof)
CT_CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
    ),
    (
        6,
        8,
        [
            h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
    (
        2,
        5,
        [
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ],
    ),
    (
        6,
        7,
        [
            h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
]

SOME_HASH = h("abacaba000000000000000000000000000000000000000000060061e00123456")


def test_hash_primitives_match_transparency_dev_known_answers() -> None:
    # rfc6962/rfc6962_test.go
    assert CT_ROOTS[0] == EMPTY_ROOT
    assert leaf_hash(b"") == h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    assert leaf_hash(b"L123456") == h(
        "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
    )
    assert node_hash(b"N123", b"N456") == h(
        "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"
    )


def test_leaf_hashes_and_subtrees_match_published_node_hashes() -> None:
    assert CT_NODES[0] == CT_LEAVES
    for level in range(1, len(CT_NODES)):
        below = CT_NODES[level - 1]
        computed = [node_hash(below[i], below[i + 1]) for i in range(0, len(below), 2)]
        assert computed == CT_NODES[level]


@pytest.mark.parametrize("size", range(len(CT_ROOTS)))
def test_roots_match_published_vectors(size: int) -> None:
    assert root_hash(CT_LEAVES[:size]) == CT_ROOTS[size]
    assert ref_mth(CT_LEAVES[:size]) == CT_ROOTS[size]


def test_tree_builder_gives_every_intermediate_root() -> None:
    builder = TreeBuilder()
    assert builder.size == 0
    assert builder.root() == CT_ROOTS[0]
    for size, leaf in enumerate(CT_LEAVES, start=1):
        builder.append(leaf)
        assert builder.size == size
        assert builder.root() == CT_ROOTS[size]
    # root() is a read, not a step: asking twice changes nothing.
    assert builder.root() == CT_ROOTS[8]


def test_tree_builder_refuses_anything_but_a_hash() -> None:
    with pytest.raises(ValueError):
        TreeBuilder().append(b"short")


def test_tree_builder_memory_is_logarithmic() -> None:
    builder = TreeBuilder()
    for i in range(1000):
        builder.append(leaf_hash(i.to_bytes(2, "big")))
    # One pending perfect subtree per set bit of the size.
    assert len(builder._frontier) == bin(1000).count("1")


@pytest.mark.parametrize(("index", "size", "path"), CT_INCLUSION)
def test_inclusion_proofs_match_published_vectors(index: int, size: int, path: list[bytes]) -> None:
    assert inclusion_proof(CT_LEAVES[:size], index) == path
    assert verify_inclusion(CT_LEAVES[index], index, size, path, CT_ROOTS[size])


@pytest.mark.parametrize(("old", "new", "proof"), CT_CONSISTENCY)
def test_consistency_proofs_match_published_vectors(old: int, new: int, proof: list[bytes]) -> None:
    assert consistency_proof(CT_LEAVES[:new], old, new) == proof
    assert verify_consistency(old, new, CT_ROOTS[old], CT_ROOTS[new], proof)


def _corrupted_inclusion(
    index: int, size: int, path: list[bytes], root: bytes, leaf: bytes
) -> list[tuple[str, tuple[bytes, int, int, list[bytes], bytes]]]:
    """The probes of transparency-dev/merkle corruptInclusionProof."""
    probes = [
        ("index - 1", (leaf, index - 1, size, path, root)),
        ("index + 1", (leaf, index + 1, size, path, root)),
        ("index ^ 2", (leaf, index ^ 2, size, path, root)),
        ("size * 2", (leaf, index, size * 2, path, root)),
        ("size // 2", (leaf, index, size // 2, path, root)),
        ("wrong leaf", (b"WrongLeaf", index, size, path, root)),
        ("empty root", (leaf, index, size, path, EMPTY_ROOT)),
        ("random root", (leaf, index, size, path, SOME_HASH)),
        ("trailing garbage", (leaf, index, size, [*path, b""], root)),
        ("trailing root", (leaf, index, size, [*path, root], root)),
        ("preceding garbage", (leaf, index, size, [b"", *path], root)),
        ("preceding root", (leaf, index, size, [root, *path], root)),
    ]
    for i in range(len(path)):
        flipped = [*path]
        flipped[i] = bytes([path[i][0] ^ 8]) + path[i][1:]
        probes.append((f"proof[{i}] bit 3", (leaf, index, size, flipped, root)))
    if path:
        probes.append(("removed component", (leaf, index, size, path[:-1], root)))
    if len(path) > 1:
        inserted = [path[0], SOME_HASH, *path[1:]]
        probes.append(("inserted component", (leaf, index, size, inserted, root)))
    return probes


@pytest.mark.parametrize(("index", "size", "path"), CT_INCLUSION[1:])
def test_corrupted_published_inclusion_proofs_fail(
    index: int, size: int, path: list[bytes]
) -> None:
    root, leaf = CT_ROOTS[size], CT_LEAVES[index]
    accepted = [
        name
        for name, args in _corrupted_inclusion(index, size, path, root, leaf)
        if verify_inclusion(*args)
    ]
    assert accepted == []


def _corrupted_consistency(
    old: int, new: int, old_root: bytes, new_root: bytes, proof: list[bytes]
) -> list[tuple[str, tuple[int, int, bytes, bytes, list[bytes]]]]:
    """The probes of transparency-dev/merkle corruptConsistencyProof."""
    probes = [
        ("old - 1", (old - 1, new, old_root, new_root, proof)),
        ("old + 1", (old + 1, new, old_root, new_root, proof)),
        ("old ^ 2", (old ^ 2, new, old_root, new_root, proof)),
        ("new * 2", (old, new * 2, old_root, new_root, proof)),
        ("new // 2", (old, new // 2, old_root, new_root, proof)),
        ("wrong old root", (old, new, b"WrongRoot", new_root, proof)),
        ("wrong new root", (old, new, old_root, b"WrongRoot", proof)),
        ("swapped roots", (old, new, new_root, old_root, proof)),
        ("empty proof", (old, new, old_root, new_root, [])),
        ("trailing garbage", (old, new, old_root, new_root, [*proof, b""])),
        ("trailing old root", (old, new, old_root, new_root, [*proof, old_root])),
        ("trailing new root", (old, new, old_root, new_root, [*proof, new_root])),
        ("preceding garbage", (old, new, old_root, new_root, [b"", *proof])),
        ("preceding old root", (old, new, old_root, new_root, [old_root, *proof])),
        ("preceding new root", (old, new, old_root, new_root, [new_root, *proof])),
        ("preceding proof[0]", (old, new, old_root, new_root, [proof[0], *proof])),
        ("truncated", (old, new, old_root, new_root, proof[:-1])),
    ]
    for i in range(len(proof)):
        flipped = [*proof]
        flipped[i] = bytes([proof[i][0] ^ 16]) + proof[i][1:]
        probes.append((f"proof[{i}] bit 4", (old, new, old_root, new_root, flipped)))
    return probes


@pytest.mark.parametrize(("old", "new", "proof"), CT_CONSISTENCY[1:])
def test_corrupted_published_consistency_proofs_fail(
    old: int, new: int, proof: list[bytes]
) -> None:
    probes = _corrupted_consistency(old, new, CT_ROOTS[old], CT_ROOTS[new], proof)
    accepted = [name for name, args in probes if verify_consistency(*args)]
    assert accepted == []


def test_inclusion_edge_cases() -> None:
    only = leaf_hash(b"data")
    assert verify_inclusion(only, 0, 1, [], only)
    assert not verify_inclusion(only, 0, 1, [], b"")
    assert not verify_inclusion(b"", 0, 1, [], only)
    for index, size in [(0, 0), (1, 0), (1, 1), (2, 1), (-1, 1)]:
        assert not verify_inclusion(SOME_HASH, index, size, [], EMPTY_ROOT)
    with pytest.raises(ValueError):
        inclusion_proof(CT_LEAVES, 8)


def test_consistency_edge_cases() -> None:
    # transparency-dev/merkle TestVerifyConsistency, with one deliberate
    # difference: from size 0 we insist the old root is the empty tree's.
    a, b = SOME_HASH, CT_ROOTS[5]
    assert not verify_consistency(0, 0, a, b, [])
    assert not verify_consistency(1, 1, a, b, [])
    assert verify_consistency(0, 0, a, a, [])
    assert verify_consistency(1, 1, b, b, [])
    assert verify_consistency(0, 1, EMPTY_ROOT, b, [])
    assert not verify_consistency(0, 1, a, b, [])
    assert not verify_consistency(1, 0, a, b, [])
    assert not verify_consistency(2, 1, a, b, [])
    assert not verify_consistency(1, 2, a, b, [])
    for old, new in [(0, 0), (0, 1), (1, 1)]:
        assert not verify_consistency(old, new, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])
    with pytest.raises(ValueError):
        consistency_proof(CT_LEAVES, 5, 9)
    assert consistency_proof(CT_LEAVES, 0, 8) == []


# ---------------------------------------------------------------------------
# RFC 6962 section 2.1.3 example: seven leaves d0..d6, named nodes a..l
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rfc_tree() -> dict[str, bytes]:
    """The named nodes of the RFC's drawing, computed from their definitions."""
    d = [leaf_hash(f"d{i}".encode()) for i in range(7)]
    n = dict(zip("abcdef", d[:6], strict=True))
    n["j"] = d[6]  # d6 has no sibling: j is its leaf hash, promoted
    n["g"], n["h"], n["i"] = (
        node_hash(n["a"], n["b"]),
        node_hash(n["c"], n["d"]),
        node_hash(n["e"], n["f"]),
    )
    n["k"], n["l"] = node_hash(n["g"], n["h"]), node_hash(n["i"], n["j"])
    n["hash"] = node_hash(n["k"], n["l"])
    n["hash0"] = node_hash(n["g"], n["c"])  # 3 leaves
    n["hash1"] = n["k"]  # 4 leaves
    n["hash2"] = node_hash(n["k"], n["i"])  # 6 leaves
    return {"leaves": b"".join(d), **n}


def _rfc_leaves(tree: dict[str, bytes]) -> list[bytes]:
    packed = tree["leaves"]
    return [packed[i : i + 32] for i in range(0, len(packed), 32)]


def test_rfc_example_roots(rfc_tree: dict[str, bytes]) -> None:
    leaves = _rfc_leaves(rfc_tree)
    assert root_hash(leaves) == rfc_tree["hash"]
    assert root_hash(leaves[:3]) == rfc_tree["hash0"]
    assert root_hash(leaves[:4]) == rfc_tree["hash1"]
    assert root_hash(leaves[:6]) == rfc_tree["hash2"]


@pytest.mark.parametrize(
    ("leaf", "names"),
    [(0, "b h l"), (3, "c g l"), (4, "f j k"), (6, "i k")],
)
def test_rfc_example_audit_paths(rfc_tree: dict[str, bytes], leaf: int, names: str) -> None:
    leaves = _rfc_leaves(rfc_tree)
    expected = [rfc_tree[name] for name in names.split()]
    assert inclusion_proof(leaves, leaf) == expected
    assert verify_inclusion(leaves[leaf], leaf, 7, expected, rfc_tree["hash"])


@pytest.mark.parametrize(
    ("old", "old_root", "names"),
    [(3, "hash0", "c d g l"), (4, "hash1", "l"), (6, "hash2", "i j k")],
)
def test_rfc_example_consistency_proofs(
    rfc_tree: dict[str, bytes], old: int, old_root: str, names: str
) -> None:
    leaves = _rfc_leaves(rfc_tree)
    expected = [rfc_tree[name] for name in names.split()]
    assert consistency_proof(leaves, old, 7) == expected
    assert verify_consistency(old, 7, rfc_tree[old_root], rfc_tree["hash"], expected)


# ---------------------------------------------------------------------------
# Properties, sizes up to 300
# ---------------------------------------------------------------------------

_MANY = [leaf_hash(i.to_bytes(2, "big")) for i in range(300)]


def _tampers(proof: list[bytes], rng: random.Random) -> list[tuple[str, list[bytes]]]:
    out: list[tuple[str, list[bytes]]] = [
        ("extra element", [*proof, rng.randbytes(32)]),
        ("extra element first", [rng.randbytes(32), *proof]),
    ]
    if proof:
        i = rng.randrange(len(proof))
        bit = 1 << rng.randrange(8)
        byte = rng.randrange(32)
        flipped = [*proof]
        flipped[i] = proof[i][:byte] + bytes([proof[i][byte] ^ bit]) + proof[i][byte + 1 :]
        out += [
            ("flipped bit", flipped),
            ("dropped last", proof[:-1]),
            ("dropped first", proof[1:]),
        ]
    if len(proof) > 1:
        out.append(("two swapped", [proof[1], proof[0], *proof[2:]]))
    return out


@settings(max_examples=40, deadline=None)
@given(size=st.integers(min_value=1, max_value=300), seed=st.integers(0, 2**32))
def test_every_inclusion_proof_verifies_and_tampering_fails(size: int, seed: int) -> None:
    rng = random.Random(seed)
    leaves = _MANY[:size]
    root = root_hash(leaves)
    assert root == ref_mth(leaves)
    for index in range(size):
        proof = inclusion_proof(leaves, index)
        assert verify_inclusion(leaves[index], index, size, proof, root)
    index = rng.randrange(size)
    proof = inclusion_proof(leaves, index)
    assert proof == ref_path(index, leaves)
    for name, bad in _tampers(proof, rng):
        assert not verify_inclusion(leaves[index], index, size, bad, root), name
    if size > 1:
        other = (index + 1 + rng.randrange(size - 1)) % size
        assert not verify_inclusion(leaves[index], other, size, proof, root)
        assert not verify_inclusion(leaves[other], index, size, proof, root)


@settings(max_examples=40, deadline=None)
@given(size=st.integers(min_value=1, max_value=300), seed=st.integers(0, 2**32))
def test_every_consistency_proof_verifies_and_tampering_fails(size: int, seed: int) -> None:
    rng = random.Random(seed)
    leaves = _MANY[:size]
    builder = TreeBuilder()
    roots = [builder.root()]
    for leaf in leaves:
        builder.append(leaf)
        roots.append(builder.root())
    for old in range(size + 1):
        proof = consistency_proof(leaves, old, size)
        assert verify_consistency(old, size, roots[old], roots[size], proof)
    old = rng.randrange(1, size + 1)
    proof = consistency_proof(leaves, old, size)
    assert proof == (ref_subproof(old, leaves, True) if old < size else [])
    for name, bad in _tampers(proof, rng):
        assert not verify_consistency(old, size, roots[old], roots[size], bad), name
    if size > 1:
        wrong = rng.choice([other for other in range(1, size + 1) if other != old])
        assert not verify_consistency(old, size, roots[wrong], roots[size], proof)


# ---------------------------------------------------------------------------
# Record encoding and signed tree heads
# ---------------------------------------------------------------------------

_ID = uuid.UUID("12345678-9abc-def0-1234-56789abcdef0")


def test_record_bytes_layout() -> None:
    encoded = record_bytes(258, _ID, 3, "a:B", b"\x00\xff")
    assert encoded == (
        (258).to_bytes(8, "big")
        + _ID.bytes
        + (3).to_bytes(8, "big")
        + (3).to_bytes(4, "big")
        + b"a:B"
        + (2).to_bytes(4, "big")
        + b"\x00\xff"
    )


def test_record_bytes_cannot_be_shifted_between_fields() -> None:
    # Moving bytes from the topic into the state changes the encoding.
    assert record_bytes(1, _ID, 1, "ab", b"c") != record_bytes(1, _ID, 1, "a", b"bc")
    assert record_bytes(1, _ID, 1, "é", b"") == record_bytes(1, _ID, 1, "é", b"")
    with pytest.raises(ValueError):
        record_bytes(-1, _ID, 1, "t", b"")


_WHEN = datetime(2025, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)


def test_tree_head_message_layout() -> None:
    root = CT_ROOTS[8]
    message = tree_head_message(8, root, _WHEN)
    millis = 1740830400123
    assert (
        message == b"tadamon-sth-v1\x00" + (8).to_bytes(8, "big") + millis.to_bytes(8, "big") + root
    )
    plus_two = datetime(2025, 3, 1, 14, 0, 0, 123000, tzinfo=timezone(timedelta(hours=2)))
    assert tree_head_message(8, root, plus_two) == message
    with pytest.raises(ValueError):
        tree_head_message(8, root, datetime(2025, 3, 1))  # naive: which instant?


@pytest.fixture(scope="module")
def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def test_signed_tree_head_round_trip(signing_key: Ed25519PrivateKey) -> None:
    head = sign_tree_head(signing_key, 8, CT_ROOTS[8], _WHEN)
    assert head["tree_size"] == 8
    assert head["root_hash"] == CT_ROOTS[8].hex()
    assert head["timestamp"] == "2025-03-01T12:00:00.123Z"
    raw = signing_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    assert head["key_id"] == hashlib.sha256(raw).hexdigest()[:16]
    assert len(base64.b64decode(str(head["signature"]))) == 64
    verify_tree_head(head, signing_key.public_key())
    verify_tree_head(json.loads(json.dumps(head)), signing_key.public_key())


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("tree_size", 9),
        ("root_hash", CT_ROOTS[7].hex()),
        ("timestamp", "2025-03-01T12:00:00.124Z"),
    ],
)
def test_any_altered_tree_head_field_breaks_the_signature(
    signing_key: Ed25519PrivateKey, name: str, value: object
) -> None:
    head: dict[str, object] = {**sign_tree_head(signing_key, 8, CT_ROOTS[8], _WHEN)}
    head[name] = value
    with pytest.raises(VerificationError, match=r"^tree head signature invalid$"):
        verify_tree_head(head, signing_key.public_key())


def test_tree_head_from_another_key_is_refused(signing_key: Ed25519PrivateKey) -> None:
    other = Ed25519PrivateKey.generate()
    head = sign_tree_head(other, 8, CT_ROOTS[8], _WHEN)
    with pytest.raises(VerificationError, match="names key"):
        verify_tree_head(head, signing_key.public_key())
    # Claiming the right key id does not help without the right key.
    forged = {**head, "key_id": key_id(signing_key.public_key())}
    with pytest.raises(VerificationError, match=r"^tree head signature invalid$"):
        verify_tree_head(forged, signing_key.public_key())


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("tree_size", -1),
        ("tree_size", True),
        ("tree_size", "8"),
        ("root_hash", "00" * 31),
        ("root_hash", "zz" * 32),
        ("timestamp", "yesterday"),
        ("timestamp", "2025-03-01T12:00:00.123"),  # no zone
        ("timestamp", "2025-03-01T12:00:00.123456Z"),  # finer than signed
        ("key_id", "ABCDEF0123456789"),
        ("signature", "not base64!"),
    ],
)
def test_malformed_tree_heads_are_unreadable_not_merely_invalid(
    signing_key: Ed25519PrivateKey, name: str, value: object
) -> None:
    head: dict[str, object] = {**sign_tree_head(signing_key, 8, CT_ROOTS[8], _WHEN)}
    head[name] = value
    with pytest.raises(MalformedInputError, match=name):
        verify_tree_head(head, signing_key.public_key())


# ---------------------------------------------------------------------------
# verify_export
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Event:
    position: int
    originator_id: uuid.UUID
    originator_version: int
    topic: str
    state: bytes

    def leaf_hash(self) -> bytes:
        return leaf_hash(
            record_bytes(
                self.position, self.originator_id, self.originator_version, self.topic, self.state
            )
        )


_TOPICS = [
    "domain.distribution:Household.KitDelivered",
    "domain.distribution:Household.Registered",
    "domain.campaign:Campaign.Opened",
]


def _events(count: int, seed: int = 7) -> list[_Event]:
    rng = random.Random(seed)
    households = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(8)]
    versions: dict[uuid.UUID, int] = {}
    events = []
    for i in range(count):
        household = rng.choice(households)
        versions[household] = versions.get(household, 0) + 1
        state = json.dumps({"kit": rng.randrange(1000), "note": "تضامن"}).encode()
        # Positions skip numbers so a message naming the position cannot be
        # confused with one naming the leaf.
        events.append(_Event(2 * i + 1, household, versions[household], _TOPICS[i % 3], state))
    return events


def _export(events: list[_Event]) -> list[dict[str, object]]:
    return [
        {
            "leaf_index": i,
            "position": e.position,
            "originator_id": str(e.originator_id),
            "originator_version": e.originator_version,
            "topic": e.topic,
            "state": base64.b64encode(e.state).decode(),
            "leaf_hash": e.leaf_hash().hex(),
        }
        for i, e in enumerate(events)
    ]


def _lines(rows: list[dict[str, object]]) -> list[str]:
    return [json.dumps(row) + "\n" for row in rows]


@dataclass
class _Case:
    rows: list[dict[str, object]]
    head: dict[str, int | str]
    key: Ed25519PrivateKey

    def verify(self, head: dict[str, int | str] | None = None) -> verifier.Report:
        return verify_export(_lines(self.rows), head or self.head, self.key.public_key())


@pytest.fixture
def case(signing_key: Ed25519PrivateKey) -> _Case:
    events = _events(50)
    root = root_hash([e.leaf_hash() for e in events])
    return _Case(_export(events), sign_tree_head(signing_key, 50, root, _WHEN), signing_key)


def _label(row: dict[str, object]) -> str:
    return f"position {row['position']} (leaf {row['leaf_index']})"


def test_untouched_export_verifies(case: _Case) -> None:
    report = case.verify()
    assert report.ok
    assert (report.records, report.tree_size, report.failures, report.notes) == (50, 50, [], [])
    assert str(report) == f"verified: 50 records, tree size 50, root {case.head['root_hash']}"


def test_one_changed_byte_in_a_state(case: _Case) -> None:
    row = case.rows[17]
    state = bytearray(base64.b64decode(str(row["state"])))
    state[3] ^= 0x01
    row["state"] = base64.b64encode(bytes(state)).decode()
    report = case.verify()
    assert not report.ok
    assert report.failures == [f"{_label(row)}: content altered"]
    assert str(report) == f"{_label(row)}: content altered"


def test_deleted_record(case: _Case) -> None:
    row = case.rows[23]
    case.rows[23] = {k: row[k] for k in ("leaf_index", "position", "leaf_hash")} | {"missing": True}
    assert case.verify().failures == [f"{_label(row)}: record deleted from the store"]


def test_two_records_swapped(case: _Case) -> None:
    a, b = case.rows[5], case.rows[31]
    positions = sorted([int(str(a["position"])), int(str(b["position"]))])
    for name in ("position", "originator_id", "originator_version", "topic", "state"):
        a[name], b[name] = b[name], a[name]
    assert case.verify().failures == [f"positions {positions[0]} and {positions[1]}: swapped"]


def test_two_records_states_swapped(case: _Case) -> None:
    """What a store-level swap of two rows' states looks like: positions stay put."""
    a, b = case.rows[6], case.rows[30]
    a["state"], b["state"] = b["state"], a["state"]
    assert case.verify().failures == [
        f"positions {a['position']} and {b['position']}: states swapped"
    ]


def test_two_rows_exchanged_with_positions_kept(case: _Case) -> None:
    """Two rows trading places in a store ordered by position (their ids exchanged)."""
    a, b = case.rows[4], case.rows[40]
    for name in ("originator_id", "originator_version", "topic", "state"):
        a[name], b[name] = b[name], a[name]
    assert case.verify().failures == [f"positions {a['position']} and {b['position']}: swapped"]


def test_two_independent_alterations_are_not_taken_for_a_swap(case: _Case) -> None:
    for row in (case.rows[8], case.rows[9]):
        row["state"] = base64.b64encode(b'{"kit": -1}').decode()
    assert case.verify().failures == [
        f"{_label(case.rows[8])}: content altered",
        f"{_label(case.rows[9])}: content altered",
    ]


def _resealed(events: list[_Event], key: Ed25519PrivateKey) -> _Case:
    """A history sealed and signed as it is: only the stream checks can object."""
    root = root_hash([e.leaf_hash() for e in events])
    return _Case(_export(events), sign_tree_head(key, len(events), root, _WHEN), key)


def test_a_stream_version_stored_twice_fails_even_when_signed(
    signing_key: Ed25519PrivateKey,
) -> None:
    events = _events(20)
    first = events[3]
    events.append(_Event(99, first.originator_id, first.originator_version, first.topic, b"{}"))
    assert _resealed(events, signing_key).verify().failures == [
        f"position 99: stream {first.originator_id} version {first.originator_version} "
        "is stored twice"
    ]


def test_a_gap_in_a_streams_versions_fails_even_when_signed(
    signing_key: Ed25519PrivateKey,
) -> None:
    events = _events(20)
    last = max(e.originator_version for e in events if e.originator_id == events[0].originator_id)
    events.append(_Event(99, events[0].originator_id, last + 2, events[0].topic, b"{}"))
    assert _resealed(events, signing_key).verify().failures == [
        f"position 99: stream {events[0].originator_id} jumps from version {last} to {last + 2}"
    ]


def test_an_unsealed_row_is_judged_by_what_the_head_covers(case: _Case) -> None:
    hidden = {k: v for k, v in case.rows[10].items() if k not in ("leaf_index", "leaf_hash")}
    late = {**hidden, "position": 1000, "originator_id": str(uuid.uuid4()), "unsealed": True}
    hidden = {**hidden, "position": 0, "originator_id": str(uuid.uuid4()), "unsealed": True}
    case.rows[:0] = [hidden]
    case.rows.append(late)
    report = case.verify()
    assert report.failures == [
        "position 0: stored but not covered by the signed tree head "
        "(never sealed: written behind the app)"
    ]
    assert report.notes == ["1 record stored after the log's end, not yet sealed"]


def test_truncated_tail(case: _Case) -> None:
    del case.rows[45:]
    report = case.verify()
    assert report.failures == [
        "export truncated: has 45 records, tree head covers 50 (leaves 45..49 absent)"
    ]
    assert report.records == 45


def test_records_out_of_order(case: _Case) -> None:
    case.rows[10], case.rows[20] = case.rows[20], case.rows[10]
    report = case.verify()
    assert report.failures == [
        "leaf 20: out of order / duplicated",
        "leaf 10: out of order / duplicated",
    ]
    assert "Merkle root not compared: the export is not in leaf order" in report.notes


def test_duplicated_record_is_named_once(case: _Case) -> None:
    case.rows.insert(8, copy.deepcopy(case.rows[7]))
    assert case.verify().failures == ["leaf 7: out of order / duplicated"]


def test_wrong_signature(case: _Case) -> None:
    signature = bytearray(base64.b64decode(str(case.head["signature"])))
    signature[10] ^= 0x40
    head = {**case.head, "signature": base64.b64encode(bytes(signature)).decode()}
    report = case.verify(head)
    assert report.failures == ["tree head signature invalid"]
    assert "Merkle root not compared: the tree head is not authentic" in report.notes


def test_wrong_key(case: _Case) -> None:
    other = Ed25519PrivateKey.generate()
    report = verify_export(_lines(case.rows), case.head, other.public_key())
    assert report.failures == [
        f"tree head signature invalid: the head names key {case.head['key_id']}, "
        f"the public key given is {key_id(other.public_key())}"
    ]


def test_altered_recorded_leaf_hash(case: _Case) -> None:
    row = case.rows[40]
    row["leaf_hash"] = hashlib.sha256(b"forged").hexdigest()
    assert case.verify().failures == [
        f"{_label(row)}: recorded leaf hash altered "
        "(the content itself matches the signed tree head)",
        "recorded leaf hashes do not match the signed tree head: the Merkle log itself was altered",
    ]


def test_content_rewritten_together_with_its_recorded_hash(case: _Case) -> None:
    row = case.rows[12]
    forged = _Event(
        int(str(row["position"])),
        uuid.UUID(str(row["originator_id"])),
        int(str(row["originator_version"])),
        str(row["topic"]),
        b'{"kit": 999}',
    )
    row["state"] = base64.b64encode(forged.state).decode()
    row["leaf_hash"] = forged.leaf_hash().hex()
    assert case.verify().failures == [
        "recorded leaf hashes do not match the signed tree head: the Merkle log itself was altered"
    ]


def test_records_beyond_the_tree_head_are_noted_not_failed(case: _Case) -> None:
    events = _events(50)
    root40 = root_hash([e.leaf_hash() for e in events[:40]])
    head = sign_tree_head(case.key, 40, root40, _WHEN)
    report = case.verify(head)
    assert report.ok
    assert report.notes == ["leaves 40..49 (10 records) are not yet covered by this tree head"]
    assert str(report).splitlines() == [
        f"verified: 50 records, tree size 40, root {root40.hex()}",
        "note: leaves 40..49 (10 records) are not yet covered by this tree head",
    ]


def test_empty_export_of_an_empty_log(signing_key: Ed25519PrivateKey) -> None:
    head = sign_tree_head(signing_key, 0, EMPTY_ROOT, _WHEN)
    assert verify_export(["\n"], head, signing_key.public_key()).ok


def test_failures_are_capped(signing_key: Ed25519PrivateKey) -> None:
    events = _events(160)
    head = sign_tree_head(signing_key, 160, root_hash([e.leaf_hash() for e in events]), _WHEN)
    rows = _export(events)
    for row in rows[:150]:
        row["topic"] = "domain.distribution:Household.Forged"
    report = verify_export(_lines(rows), head, signing_key.public_key())
    assert len(report.failures) == 100
    assert report.failures[0] == f"{_label(rows[0])}: content altered"
    assert "50 further altered or deleted records not listed" in report.notes


@pytest.mark.parametrize(
    "line",
    [
        "not json",
        "[1, 2]",
        '{"leaf_index": 0}',
        '{"leaf_index": 0, "position": 1, "leaf_hash": "00", "missing": true}',
        '{"leaf_index": 0, "leaf_index": 0, "position": 1, "missing": true, "leaf_hash": "%s"}'
        % ("00" * 32),
    ],
)
def test_unreadable_export_lines_are_reported_by_line_number(case: _Case, line: str) -> None:
    lines = [*_lines(case.rows[:3]), line + "\n"]
    with pytest.raises(MalformedInputError, match=r"^export line 4: "):
        verify_export(lines, case.head, case.key.public_key())


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path, case: _Case) -> dict[str, Path]:
    paths = {
        "export": tmp_path / "export.ndjson",
        "head": tmp_path / "tree-head.json",
        "key": tmp_path / "log-key.pem",
    }
    paths["export"].write_text("".join(_lines(case.rows)), encoding="utf-8")
    paths["head"].write_text(json.dumps(case.head), encoding="utf-8")
    paths["key"].write_bytes(
        case.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return paths


def _argv(files: dict[str, Path], export: str | None = None) -> list[str]:
    return [
        "--export",
        export or str(files["export"]),
        "--tree-head",
        str(files["head"]),
        "--public-key",
        str(files["key"]),
    ]


def test_cli_verified(
    files: dict[str, Path], case: _Case, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_argv(files)) == 0
    assert capsys.readouterr().out == (
        f"verified: 50 records, tree size 50, root {case.head['root_hash']}\n"
    )


def test_cli_tampered(
    files: dict[str, Path], case: _Case, capsys: pytest.CaptureFixture[str]
) -> None:
    del case.rows[49]
    files["export"].write_text("".join(_lines(case.rows)), encoding="utf-8")
    assert main(_argv(files)) == 1
    assert capsys.readouterr().out == (
        "export truncated: has 49 records, tree head covers 50 (leaf 49 absent)\n"
    )


def test_cli_reads_stdin(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(files["export"].read_bytes()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(_argv(files, export="-")) == 0
    assert capsys.readouterr().out.startswith("verified: 50 records")


@pytest.mark.parametrize(
    ("target", "content", "expected"),
    [
        ("export", None, "No such file"),
        ("export", b"\xff\xfe garbage\n", "not UTF-8"),
        ("export", b'{"leaf_index": 0}\n', "export line 1: no 'position'"),
        ("head", b"{not json", "not JSON"),
        ("head", b'{"tree_size": 1}', "no 'root_hash'"),
        ("key", b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "not a PEM"),
        ("key", None, "No such file"),
    ],
)
def test_cli_unreadable_input(
    files: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    target: str,
    content: bytes | None,
    expected: str,
) -> None:
    if content is None:
        files[target].unlink()
    else:
        files[target].write_bytes(content)
    assert main(_argv(files)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("verifier: unreadable input: ")
    assert expected in captured.err
    assert "Traceback" not in captured.err


def test_cli_refuses_a_key_of_another_kind(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1()).public_key()
    files["key"].write_bytes(
        other.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    assert main(_argv(files)) == 2
    assert "not an Ed25519 key" in capsys.readouterr().err


# ---------------------------------------------------------------------------
# Standalone: the file must work when handed to an auditor alone
# ---------------------------------------------------------------------------

_VERIFIER_FILE = Path(verifier.__file__)


def test_verifier_imports_only_the_standard_library_and_cryptography() -> None:
    tree = ast.parse(_VERIFIER_FILE.read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative import"
            imported.add((node.module or "").split(".")[0])
    allowed = set(sys.stdlib_module_names) | {"__future__", "cryptography"}
    assert imported <= allowed, imported - allowed


def test_verifier_runs_as_a_lone_script(files: dict[str, Path], tmp_path: Path) -> None:
    alone = tmp_path / "verifier.py"
    alone.write_bytes(_VERIFIER_FILE.read_bytes())
    result = subprocess.run(
        [sys.executable, "-I", str(alone), *_argv(files)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("verified: 50 records, tree size 50, root ")
