"""A spreadsheet's row limit is checked while it is read, not after (issue 12, point 9)."""

from __future__ import annotations

import pytest

from adapters.spreadsheets.sheet import MAX_ROWS, UnreadableInputError, read


def _fields(data: bytes) -> list[dict[str, str]]:
    with pytest.raises(UnreadableInputError) as refused:
        read(data)
    return refused.value.fields


def test_rows_past_the_limit_are_never_parsed() -> None:
    # The last line is a cell past the csv module's field limit: reading it would fail.
    rows = "".join(f"r{n};{n}\n" for n in range(MAX_ROWS + 1))
    data = ("id;n\n" + rows + "x;" + "9" * 200_000 + "\n").encode()
    assert _fields(data) == [
        {"field": "file", "reason": f"more than {MAX_ROWS} rows; split the file"}
    ]


def test_the_limit_itself_is_allowed() -> None:
    rows = "".join(f"r{n};{n}\n" for n in range(MAX_ROWS))
    sheet = read(("id;n\n" + rows).encode())
    assert (len(sheet.records), sheet.records[-1].number) == (MAX_ROWS, MAX_ROWS + 1)
