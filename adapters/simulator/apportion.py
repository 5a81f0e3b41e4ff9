"""Sharing a whole number among weighted members exactly (largest remainders)."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction


def largest_remainders(total: int, weights: Mapping[str, int], minimum: int = 0) -> dict[str, int]:
    """Shares summing exactly to ``total``, each at least ``minimum``, otherwise proportional.

    Every member first gets ``minimum``; the rest is shared by Hamilton's method:
    integer parts first, then one more to the largest remainders. Ties go to the
    earlier key in sorted order, so the result depends on nothing but the input.
    """
    members = sorted(weights)
    rest = total - minimum * len(members)
    if rest < 0:
        raise ValueError(f"{total} cannot give {minimum} to each of {len(members)} members")
    whole = sum(weights[m] for m in members)
    if whole <= 0:
        raise ValueError("weights must have a positive sum")
    exact = {m: Fraction(rest * weights[m], whole) for m in members}
    shares = {m: minimum + int(exact[m]) for m in members}
    short = total - sum(shares.values())
    by_remainder = sorted(members, key=lambda m: (-(exact[m] - int(exact[m])), m))
    for member in by_remainder[:short]:
        shares[member] += 1
    return shares
