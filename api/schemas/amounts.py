"""Exact amounts in a request: a decimal string with a pattern, or an integer; never a float.

The schema states the same pattern and bounds the server checks, so a generated client, a
fuzzer and the server agree on what is valid (``""``, ``"1e3"`` and ``5.0`` are not).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

FLOAT_REFUSED = (
    'send money as a string such as "619480.75" or as an integer, never as a floating-point number'
)


def _pattern(integer_digits: int, places: int, positive: bool) -> str:
    fraction = rf"(\.[0-9]{{1,{places}}})?"
    if not positive:
        return rf"^(0|[1-9][0-9]{{0,{integer_digits - 1}}}){fraction}$"
    # a positive amount: a non-zero integer part, or 0 followed by a non-zero fraction
    small = "|".join(
        f"{'0' * zeros}[1-9][0-9]{{0,{places - zeros - 1}}}" for zeros in range(places)
    )
    return rf"^([1-9][0-9]{{0,{integer_digits - 1}}}{fraction}|0\.({small}))$"


class ExactDecimal:
    """Parses and documents one kind of exact amount (digits before and after the point)."""

    def __init__(self, integer_digits: int, places: int, *, positive: bool, example: str) -> None:
        self.pattern = _pattern(integer_digits, places, positive)
        self.matches = re.compile(self.pattern).fullmatch
        self.low, self.high = (1 if positive else 0), 10**integer_digits - 1
        kind = "a positive amount" if positive else "an amount"
        self.rule = f"{kind} with at most {places} decimals, e.g. {example!r}"
        self.example = example

    def parse(self, value: object) -> object:
        if isinstance(value, float):
            if not (value.is_integer() and abs(value) < 2**53):
                raise ValueError(FLOAT_REFUSED)
            value = int(value)  # JSON's 5.0 is the integer 5, exactly
        if isinstance(value, int) and not isinstance(value, bool):
            if not self.low <= value <= self.high:
                raise ValueError(f"must be between {self.low} and {self.high}")
            return Decimal(value)
        if not isinstance(value, str) or not self.matches(value):
            raise ValueError(f"must be {self.rule}, written as digits")
        return Decimal(value)

    def schema(self) -> dict[str, Any]:
        return {
            "anyOf": [
                {"type": "string", "pattern": self.pattern, "examples": [self.example]},
                {"type": "integer", "minimum": self.low, "maximum": self.high},
            ]
        }


_MONEY = ExactDecimal(13, 2, positive=False, example="619480.75")
_QUANTITY = ExactDecimal(12, 3, positive=True, example="2.5")
Money = Annotated[
    Decimal, BeforeValidator(_MONEY.parse), WithJsonSchema(_MONEY.schema(), mode="validation")
]
Quantity = Annotated[
    Decimal,
    BeforeValidator(_QUANTITY.parse),
    WithJsonSchema(_QUANTITY.schema(), mode="validation"),
]
