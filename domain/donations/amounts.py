"""Exact arithmetic for money and quantities: integers only, never floating point.

Money is counted in integer centimes. Quantities are Decimals with at most three
decimals, counted internally in integer thousandths ("milli") so stock sums are exact.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from domain.errors import DomainError

MILLI = 1000
MAX_CENTIMES = 10**17  # a quadrillion dirhams: far above any gift, far below int64 limits


def check_centimes(value: object, field: str) -> int:
    """Money must arrive as integer centimes; a float would already have lost a centime."""
    if type(value) is not int:
        raise DomainError("money is counted in integer centimes, never floating point", field)
    if not 0 <= value < MAX_CENTIMES:
        raise DomainError("must be between 0 and 10^15 MAD", field)
    return value


def check_optional_centimes(value: object, field: str) -> int | None:
    return None if value is None else check_centimes(value, field)


def to_milli(quantity: Decimal, field: str) -> int:
    """A positive quantity with at most three decimals, as integer thousandths."""
    try:
        scaled = Decimal(quantity) * MILLI
        exact = scaled == scaled.to_integral_value()
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError("must be a decimal number", field) from None
    if not scaled.is_finite() or scaled <= 0:
        raise DomainError("must be a positive quantity", field)
    if not exact:
        raise DomainError("must have at most 3 decimals", field)
    return int(scaled)


def quantity_text(milli: int) -> str:
    """Thousandths back to a plain decimal string: 80000000 -> '80000', 2500 -> '2.5'."""
    return f"{(Decimal(milli).scaleb(-3)).normalize():f}"


def mad_text(centimes: int) -> str:
    """Centimes as a MAD amount string with two decimals: 61948075 -> '619480.75'."""
    sign = "-" if centimes < 0 else ""
    whole, cents = divmod(abs(centimes), 100)
    return f"{sign}{whole}.{cents:02d}"


def share(value: int, part: int, whole: int) -> int:
    """``value * part / whole`` rounded half to even, in integers (no Decimal context limit)."""
    quotient, remainder = divmod(value * part, whole)
    if 2 * remainder > whole or (2 * remainder == whole and quotient % 2):
        quotient += 1
    return quotient


def milli(text: str) -> int:
    """A quantity string written by ``quantity_text`` back to thousandths."""
    return int(Decimal(text) * MILLI)
