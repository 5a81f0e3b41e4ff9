"""The verifier's fast path for canonical export lines agrees with its strict JSON path.

verify_export reads a line the exporter wrote (compact JSON, keys in a fixed
order) with one regular expression instead of the JSON decoder.  Every export
here is verified twice, fast path on and off, and must give the same Report, or
the same MalformedInputError; lines the fast path must not take are checked to
fall through to the strict reading.
"""

from __future__ import annotations

import base64
import json
import random
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.audit import verifier
from adapters.audit.verifier import (
    MalformedInputError,
    Report,
    leaf_hash,
    record_bytes,
    root_hash,
    sign_tree_head,
)

_WHEN = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
_KEY = Ed25519PrivateKey.generate()
_TOPICS = ["domain.distribution:Household.KitDelivered", "domain.campaign:Campaign.Opened"]
_Row = dict[str, object]


def _rows(count: int, seed: int = 3) -> list[_Row]:
    """Export records as the exporter builds them, for a made-up history."""
    rng = random.Random(seed)
    rows: list[_Row] = []
    streams = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(3)]
    versions = dict.fromkeys(streams, 0)  # each stream's versions run 1, 2, 3...
    for i in range(count):
        originator = rng.choice(streams)
        versions[originator] += 1
        position, version, topic = 3 * i + 2, versions[originator], _TOPICS[i % 2]
        state = json.dumps({"kit": rng.randrange(1000), "note": "تضامن"}).encode()
        rows.append(
            {
                "leaf_index": i,
                "position": position,
                "originator_id": str(originator),
                "originator_version": version,
                "topic": topic,
                "state": base64.b64encode(state).decode(),
                "leaf_hash": leaf_hash(
                    record_bytes(position, originator, version, topic, state)
                ).hex(),
            }
        )
    return rows


def _canonical(row: _Row) -> str:
    """A line as adapters/audit/export.py writes it."""
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"


_ROWS = _rows(40)
_HEAD = sign_tree_head(
    _KEY, len(_ROWS), root_hash(bytes.fromhex(str(r["leaf_hash"])) for r in _ROWS), _WHEN
)


def _outcome(lines: list[str], fast: bool, monkeypatch: pytest.MonkeyPatch) -> Report | str:
    monkeypatch.setattr(verifier, "_FAST_PATH", fast)
    try:
        return verifier.verify_export(lines, _HEAD, _KEY.public_key())
    except MalformedInputError as exc:
        return f"unreadable: {exc}"


def _both(lines: list[str], monkeypatch: pytest.MonkeyPatch) -> Report | str:
    """The outcome, after checking the fast and the strict path agree on it."""
    fast = _outcome(lines, True, monkeypatch)
    assert _outcome(lines, False, monkeypatch) == fast
    return fast


def test_the_exporters_lines_take_the_fast_path() -> None:
    assert all(verifier._canonical_fields(_canonical(row)) is not None for row in _ROWS)


def test_fast_fields_are_what_the_strict_reading_finds() -> None:
    for number, row in enumerate(_ROWS, start=1):
        line = _canonical(row)
        fields = verifier._canonical_fields(line)
        assert fields is not None
        strict = verifier._parse_record(line, number)
        assert verifier._Record(*fields) == strict
        assert fields[4] == strict.content


def test_an_untouched_export_gives_the_same_report(monkeypatch: pytest.MonkeyPatch) -> None:
    report = _both([_canonical(row) for row in _ROWS], monkeypatch)
    assert isinstance(report, Report)
    assert report.ok
    assert report.records == len(_ROWS)


def test_records_beyond_the_tree_head_are_noted_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    covered = _ROWS[:30]
    head = sign_tree_head(
        _KEY, 30, root_hash(bytes.fromhex(str(r["leaf_hash"])) for r in covered), _WHEN
    )
    lines = [_canonical(row) for row in _ROWS]
    reports = []
    for fast in (True, False):
        monkeypatch.setattr(verifier, "_FAST_PATH", fast)
        reports.append(verifier.verify_export(lines, head, _KEY.public_key()))
    assert reports[0] == reports[1]
    assert reports[0].ok
    assert reports[0].notes == ["leaves 30..39 (10 records) are not yet covered by this tree head"]


def _flip_state(rows: list[_Row]) -> None:
    state = bytearray(base64.b64decode(str(rows[7]["state"])))
    state[2] ^= 0x01
    rows[7]["state"] = base64.b64encode(bytes(state)).decode()


def _set(index: int, name: str, value: object) -> Callable[[list[_Row]], None]:
    def change(rows: list[_Row]) -> None:
        rows[index][name] = value

    return change


def _delete(rows: list[_Row]) -> None:
    row = rows[12]
    rows[12] = {k: row[k] for k in ("leaf_index", "position", "leaf_hash")} | {"missing": True}


def _swap(rows: list[_Row]) -> None:
    rows[3], rows[30] = rows[30], rows[3]


def _swap_states(rows: list[_Row]) -> None:
    rows[4]["state"], rows[25]["state"] = rows[25]["state"], rows[4]["state"]


def _truncate(rows: list[_Row]) -> None:
    del rows[35:]


def _forge_leaf_hash(rows: list[_Row]) -> None:
    rows[20]["leaf_hash"] = "ab" * 32


_TAMPERINGS: dict[str, Callable[[list[_Row]], None]] = {
    "state": _flip_state,
    "topic": _set(9, "topic", "domain.distribution:Household.Forged"),
    "position": _set(10, "position", 31),
    "originator id": _set(11, "originator_id", str(uuid.UUID(int=5))),
    "originator version": _set(13, "originator_version", 1000),
    "deleted record": _delete,
    "lines swapped": _swap,
    "states swapped": _swap_states,
    "truncated": _truncate,
    "recorded leaf hash": _forge_leaf_hash,
}


@pytest.mark.parametrize("tamper", list(_TAMPERINGS))
def test_tampering_is_reported_alike_on_both_paths(
    tamper: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = json.loads(json.dumps(_ROWS))
    _TAMPERINGS[tamper](rows)
    report = _both([_canonical(row) for row in rows], monkeypatch)
    assert isinstance(report, Report)
    assert not report.ok


@pytest.mark.parametrize(
    ("index", "name", "value"),
    [(7, "state", None), (9, "topic", "x"), (10, "position", 31)],
)
def test_tampered_content_on_the_fast_path_is_named(
    index: int, name: str, value: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = json.loads(json.dumps(_ROWS))
    change = _flip_state if value is None else _set(index, name, value)
    change(rows)
    lines = [_canonical(row) for row in rows]
    assert verifier._canonical_fields(lines[index]) is not None  # the fast path reads it
    report = _outcome(lines, True, monkeypatch)
    assert isinstance(report, Report)
    assert report.failures == [
        f"position {rows[index]['position']} (leaf {index}): content altered"
    ]


def _respelled(line: str, old: str, new: str) -> str:
    assert old in line
    return line.replace(old, new, 1)


_LINE = _canonical(_ROWS[5])
_ROW = _ROWS[5]
_HASH = str(_ROW["leaf_hash"])
_ID = str(_ROW["originator_id"])
_STATE = str(_ROW["state"])
# Lines the fast path must hand to the strict reading: some still mean the same
# record (and verify), the others are unreadable.
_NOT_CANONICAL = {
    "duplicate key": _respelled(_LINE, "}", f',"leaf_hash":"{_HASH}"}}'),
    "extra key": _respelled(_LINE, "}", ',"missing":false}'),
    "keys reordered": _canonical({"position": _ROW["position"]} | _ROW),
    "escaped topic": _respelled(_LINE, "domain.", "domain\\u002e"),
    "escaped state": _respelled(
        _LINE, f'"state":"{_STATE[0]}', f'"state":"\\u{ord(_STATE[0]):04x}'
    ),
    "spaced separators": json.dumps(_ROW) + "\n",
    "leading space": " " + _LINE,
    "crlf": _LINE.replace("\n", "\r\n"),
    "huge integer": _respelled(_LINE, '"position":17', f'"position":{2**64}'),
    "20-digit integer": _respelled(_LINE, '"position":17', f'"position":{2**64 - 1}'),
    "leading zero": _respelled(_LINE, '"position":17', '"position":017'),
    "float": _respelled(_LINE, '"position":17', '"position":17.0'),
    "negative": _respelled(_LINE, '"position":17', '"position":-17'),
    "boolean": _respelled(_LINE, '"leaf_index":5', '"leaf_index":true'),
    "bad base64": _respelled(_LINE, '"state":"', '"state":"A'),
    "base64 with a space": _respelled(_LINE, '"state":"', '"state":"AAAA '),
    "base64 with a newline escape": _respelled(_LINE, '"state":"', '"state":"AAAA\\n'),
    "uppercase uuid": _respelled(_LINE, _ID, _ID.upper()),
    "uuid without hyphens": _respelled(_LINE, _ID, _ID.replace("-", "")),
    "uuid in braces": _respelled(_LINE, f'"{_ID}"', f'"{{{_ID}}}"'),
    "uppercase leaf hash": _respelled(_LINE, _HASH, _HASH.upper()),
    "short leaf hash": _respelled(_LINE, _HASH, _HASH[:-2]),
    "control character in topic": _respelled(_LINE, "domain.", "domain\x01"),
    "lone surrogate in topic": _respelled(_LINE, "domain.", "domain\ud800"),
    "topic not a string": _respelled(_LINE, f'"{_ROW["topic"]}"', "7"),
}


def test_the_respelled_lines_are_row_fives() -> None:
    # _respelled finds '"position":17' and '"leaf_index":5' in row 5's line.
    assert _ROW["position"] == 17
    assert _ROW["leaf_index"] == 5


@pytest.mark.parametrize("name", list(_NOT_CANONICAL))
def test_lines_off_the_fast_path_get_the_strict_answer(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = _NOT_CANONICAL[name]
    assert verifier._canonical_fields(line) is None
    lines = [_canonical(row) for row in _ROWS]
    lines[5] = line
    _both(lines, monkeypatch)


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("duplicate key", "export line 6: duplicate key in a JSON object"),
        ("huge integer", "export line 6: 'position' is not an integer in 0..2^64-1"),
        ("bad base64", "export line 6: 'state' is not base64"),
        ("short leaf hash", "export line 6: 'leaf_hash' is not 64 hex digits"),
    ],
)
def test_unreadable_lines_keep_their_strict_message(
    name: str, error: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [_canonical(row) for row in _ROWS]
    lines[5] = _NOT_CANONICAL[name]
    outcome = _both(lines, monkeypatch)
    assert isinstance(outcome, str)
    assert outcome.startswith(f"unreadable: {error}")


@pytest.mark.parametrize("name", ["uppercase uuid", "uuid without hyphens"])
def test_a_second_spelling_of_an_id_fails_naming_its_position(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: the leaf hashes the id's value, so only its spelling can tell."""
    lines = [_canonical(row) for row in _ROWS]
    lines[5] = _NOT_CANONICAL[name]
    spelled = json.loads(lines[5])["originator_id"]
    report = _both(lines, monkeypatch)
    assert isinstance(report, Report)
    assert report.failures == [
        f"position 17: originator_id stored as {spelled!r}, not in its canonical spelling"
    ]


@pytest.mark.parametrize("name", ["extra key", "escaped topic", "crlf"])
def test_respelled_records_still_verify(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [_canonical(row) for row in _ROWS]
    lines[5] = _NOT_CANONICAL[name]
    report = _both(lines, monkeypatch)
    assert isinstance(report, Report)
    assert report.ok


_NOISE = st.sampled_from(list('"\\ ,:{}[]0159aAfz=+/-.\n\r\t\x00é\u2028'))


@settings(max_examples=300, deadline=None)
@given(line=st.integers(0, 3), at=st.integers(0, 2000), cut=st.integers(0, 2), noise=_NOISE)
def test_any_edit_to_a_line_gets_the_same_answer_on_both_paths(
    line: int, at: int, cut: int, noise: str
) -> None:
    lines = [_canonical(row) for row in _ROWS[:4]]
    text = lines[line]
    at %= len(text)
    lines[line] = text[:at] + noise + text[at + cut :]
    with pytest.MonkeyPatch.context() as monkeypatch:
        _both(lines, monkeypatch)


@settings(max_examples=200, deadline=None)
@given(
    topic=st.text(max_size=40),
    state=st.binary(max_size=60),
    position=st.integers(0, 2**64 - 1),
    version=st.integers(0, 2**64 - 1),
    ascii_only=st.booleans(),
)
def test_generated_records_read_alike(
    topic: str, state: bytes, position: int, version: int, ascii_only: bool
) -> None:
    originator = uuid.UUID(int=position ^ version)
    row = {
        "leaf_index": 0,
        "position": position,
        "originator_id": str(originator),
        "originator_version": version,
        "topic": topic,
        "state": base64.b64encode(state).decode(),
        "leaf_hash": leaf_hash(record_bytes(position, originator, version, topic, state)).hex(),
    }
    line = json.dumps(row, ensure_ascii=ascii_only, separators=(",", ":")) + "\n"
    fields = verifier._canonical_fields(line)
    strict = verifier._parse_record(line, 1)
    assert strict.content_hash == strict.recorded_hash
    # The fast path takes every line with nothing escaped and no integer of 20
    # digits (2^64 - 1 has 20).  json.dumps escapes quotes, backslashes, control
    # characters and, with ensure_ascii, everything outside " ".."~".
    escaped = any(c in '"\\' or c < " " or (ascii_only and not " " <= c <= "~") for c in topic)
    long_integer = max(position, version) >= 10**19
    assert (fields is None) == (escaped or long_integer)
    if fields is not None:
        assert verifier._Record(*fields) == strict
        assert fields[4] == strict.content
