"""One spelling per identity number, however it was typed.

People type the same ID card number as ``EA-000030``, ``ea 000030``, ``EA.000030``,
``EA/000030``, with Arabic-Indic (``٠٣٠``), Eastern Arabic-Indic (``۰۳۰``) or
full-width (U+FF10-FF19) digits, or pasted from a right-to-left field with invisible
direction marks. None of that is part of the number, so it is removed before the
number is hashed; letters and digits are all that remain, digits as ASCII and
letters in upper case. Two numbers that differ in a letter or a digit never meet.
"""

from __future__ import annotations

import re
import unicodedata

# Spaces, dashes and the dots and slashes people put between groups of digits.
_SEPARATORS = "./\\_\u2212\u00b7\u2027\u30fb"


def _is_ignored(ch: str) -> bool:
    category = unicodedata.category(ch)
    # Z*: spaces; Pd: dashes and hyphens; Cf: direction marks, zero-width joiners.
    return ch.isspace() or category[0] == "Z" or category in ("Pd", "Cf") or ch in _SEPARATORS


def _table() -> dict[int, str | None]:
    """Every ignored character removed, every decimal digit of any script made ASCII.

    The Basic Multilingual Plane holds every script's digits people type here; NFKC has
    already folded the mathematical digits beyond it.
    """
    table: dict[int, str | None] = {}
    for point in range(0x10000):
        ch = chr(point)
        if _is_ignored(ch):
            table[point] = None
        elif unicodedata.category(ch) == "Nd" and not ch.isascii():
            table[point] = str(unicodedata.decimal(ch))
    return table


_TABLE = _table()


def canonical_identifier(identifier: str) -> str:
    """The spelling a person's number is hashed under (NFKC, separators out, ASCII digits)."""
    if not identifier.isascii():
        # NFKC folds full-width and compatibility forms (U+FF25 -> E, U+2460 -> 1).
        identifier = unicodedata.normalize("NFKC", identifier)
    return identifier.translate(_TABLE).upper()


_PLAUSIBLE = re.compile(r"[A-Z0-9]{4,32}")
SHAPE = "must be 4-32 letters and digits (spaces, '-', '.', '/' between them are ignored)"


def is_plausible_identifier(identifier: str) -> bool:
    """Whether the number, once spelled canonically, is 4-32 Latin letters and digits."""
    return len(identifier) <= 64 and bool(_PLAUSIBLE.fullmatch(canonical_identifier(identifier)))


def legacy_spelling(identifier: str) -> str:
    """How numbers were spelled before: only white space removed and upper case.

    Households recorded then are keyed by this spelling; a number typed again exactly
    as it was typed then still finds them.
    """
    return "".join(identifier.split()).upper()
