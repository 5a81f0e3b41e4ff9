"""A CSV file as Excel or LibreOffice saves it, read into numbered rows.

Handles UTF-8 with or without a byte-order mark, UTF-16 ("Unicode text"), the
``;`` that French and Arabic locales use as separator (or ``,`` or tab, sniffed
from the header line, or named by an Excel ``sep=`` line), and quoted cells
spanning lines. Row numbers are the ones the spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from domain.errors import DomainError

SEPARATORS = (";", ",", "\t")
MAX_ROWS = 100_000


class UnreadableInputError(DomainError):
    """A file (or a form submission) cannot be read; ``fields`` names every problem found."""

    def __init__(self, fields: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in fields), fields[0][0])
        self.fields = [{"field": field, "reason": reason} for field, reason in fields]


@dataclass(frozen=True, slots=True)
class Record:
    number: int
    cells: list[str]


@dataclass(frozen=True, slots=True)
class Sheet:
    header: list[str]
    records: list[Record]


def decode(data: bytes) -> str:
    """The file's text; UTF-8 (BOM or not) or UTF-16 with a BOM, nothing else guessed."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[len(codecs.BOM_UTF8) :], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16")
    return _decode(data, "utf-8")


def _decode(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise UnreadableInputError(
            [
                (
                    "file",
                    "wrong encoding: the file is not UTF-8; in Excel choose "
                    "'CSV UTF-8', in LibreOffice the character set 'Unicode (UTF-8)'",
                )
            ]
        ) from None
    if "\x00" in text:
        raise UnreadableInputError(
            [("file", "wrong encoding or not a CSV file (it holds NUL bytes)")]
        )
    return text


def read(data: bytes) -> Sheet:
    """Split a file into its header and numbered, non-blank records."""
    text = decode(data)
    first, _, rest = text.partition("\n")
    if first.lower().startswith("sep=") and len(first.strip()) == 5:
        # Excel's own hint line; Excel does not show it, so the header stays row 1.
        separator, text = first[4], rest
    else:
        separator = max(SEPARATORS, key=first.count)
    # The header and one row past the limit are enough to refuse: never read further.
    records = list(islice(_records(text, separator), MAX_ROWS + 2))
    if not records:
        raise UnreadableInputError([("file", "the file is empty")])
    header, rows = records[0], records[1:]
    if not rows:
        raise UnreadableInputError([("file", "the file has a header row but no data rows")])
    if len(rows) > MAX_ROWS:
        raise UnreadableInputError([("file", f"more than {MAX_ROWS} rows; split the file")])
    return Sheet(header.cells, rows)


def _records(text: str, separator: str) -> Iterator[Record]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        for index, cells in enumerate(reader, start=1):
            if any(cell.strip() for cell in cells):
                yield Record(index, cells)
    except csv.Error as error:
        raise UnreadableInputError([("file", f"not a readable CSV file ({error})")]) from None
