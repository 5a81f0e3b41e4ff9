"""A committee's voucher sheet: each listed entry's code, printed form and QR code."""

from __future__ import annotations

from dataclasses import dataclass

import segno

from adapters.lists import ListEntries
from domain.distribution.vouchers import format_code


@dataclass(frozen=True, slots=True)
class SheetEntry:
    voucher: str
    printed: str
    household_size: int
    qr: str  # an SVG data URI: the page needs no script to draw it, and prints sharp


def sheet_entries(entries: ListEntries, campaign: str, committee: str) -> list[SheetEntry]:
    """Not yet served entries first (those are the ones to hand out), each by code."""
    page = entries.page(campaign, committee)
    ordered = sorted(page.entries, key=lambda e: (e[2] is not None, e[0]))
    return [
        SheetEntry(code, format_code(code), size, qr_data_uri(code))
        for code, size, _served in ordered
    ]


def qr_data_uri(code: str) -> str:
    # The raw code (no hyphen) in alphanumeric mode: version 1 at level M holds it.
    return str(segno.make(code, error="m", micro=False).svg_data_uri(scale=1, border=2))
