"""Amounts and quantities as people type them, read exactly: a Decimal, never a float.

French and Arabic locales write ``1 576 200,00`` (spaces, or the Arabic thousands
separator, and a decimal comma), English ones ``1,576,200.00``; Excel saves
``1576200``. The decimal mark is told from thousands separators by position and
count; where a number could honestly be read both ways the cell is refused.
"""

from __future__ import annotations

import re
from decimal import Decimal

from adapters.spreadsheets.values import CellError, clean

# Dirhams as people write them around the number: "MAD", "DH", "Dhs", "درهم", "د.م."
_DIRHAMS = re.compile(
    r"^(?:mad|dhs?|dirhams?|درهم|دراهم|د\.?\s?م\.?)\s*|\s*(?:mad|dhs?|dirhams?|درهم|دراهم|د\.?\s?م\.?)$",
    re.I,
)
_OTHER_MONEY = re.compile(r"[€$£]|\b(?:eur|usd|gbp|euros?)\b", re.I)
_GROUPED = re.compile(r"\d{1,3}(?:[ ,.]\d{3})+")


def money(value: str) -> Decimal:
    """An amount in MAD as typed: ``1 576 200,00``, ``1,576,200.00``, ``1.576.200,00``,
    ``1576200``, ``١٥٧٦٢٠٠`` or ``1 576 200 DH``; exact (a Decimal), never a float."""
    found = clean(value)
    if _OTHER_MONEY.search(found):
        raise CellError("must be an amount in MAD (dirhams)")
    amount = _decimal(_DIRHAMS.sub("", found), 2)
    return amount


def quantity(value: str) -> Decimal:
    """A positive quantity with at most three decimals: ``80 000``, ``2,5``, ``0.250``."""
    found = _decimal(clean(value), 3)
    if found <= 0:
        raise CellError("must be more than zero")
    return found


def _decimal(found: str, places: int) -> Decimal:
    if not found:
        raise CellError("is empty")
    if found[0] in "-\u2212(":  # hyphen, minus sign, accountants' brackets
        raise CellError("must not be negative")
    if re.fullmatch(r"\d+([.,]\d+)?[eE][+-]?\d+", found):
        raise CellError(
            "is in scientific notation (e.g. 1.58E+06): format the column as a number "
            "showing every digit"
        )
    whole, fraction = _split_number(found, places)
    if len(fraction) > places:
        raise CellError(f"must have at most {places} decimals")
    return Decimal(f"{whole}.{fraction}" if fraction else whole)


def _decimal_mark(found: str, places: int) -> int:
    """Where the decimal mark is, or -1 when every ``.`` and ``,`` separates thousands."""
    marks = [c for c in found if c in ".,"]
    if not marks:
        return -1
    last = found.rfind(marks[-1])
    if len(set(marks)) == 2:  # 1,576,200.00 or 1.576.200,00: the last kind is the decimal
        return last
    if len(marks) > 1:  # 1,576,200 or 1.576.200: thousands only
        return -1
    before, after = found[:last].replace(" ", ""), found[last + 1 :]
    if len(after) != 3 or before in ("", "0"):
        return last  # 2,5 or 1576.20 or 0.250
    if places < 3:  # money never has three decimals: 1,576 is one thousand five hundred...
        return -1
    raise CellError(  # ...but a quantity of 2,500 could be either
        "is ambiguous (a thousands separator or a decimal mark?): write the number "
        "without separators, e.g. 2500 or 2.5"
    )


def _split_number(found: str, places: int) -> tuple[str, str]:
    """Whole digits and decimals, thousands separators (space, comma or dot) removed."""
    mark = _decimal_mark(found, places)
    whole, fraction = (found[:mark], found[mark + 1 :]) if mark >= 0 else (found, "")
    separators = {c for c in whole if c in " ,."}
    if len(separators) > 1 or (separators and not _GROUPED.fullmatch(whole)):
        raise CellError("is not a number (thousands are grouped by three digits)")
    digits = whole.translate(str.maketrans("", "", " ,."))
    if not re.fullmatch(r"\d+", digits) or not re.fullmatch(r"\d*", fraction):
        raise CellError("is not a number")
    return digits, fraction
