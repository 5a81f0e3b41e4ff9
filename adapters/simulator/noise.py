"""How often the field gets things wrong, and a quiet field for clean measurements."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Noise:
    batch_resend: float = 0.02  # a whole batch sent again: the phone never saw the answer
    item_resend: float = 0.3  # a batch also carries a few items of the one before it
    other_committee: float = 0.1  # a batch tries a household another committee served
    reversal: float = 0.005  # deliveries reversed, then delivered again correctly
    late_batch: float = 0.05  # a batch held back one to three days (no network)
    command_resend: float = 0.2  # a single command (stock, adjustment, referral) sent twice
    wrong_quota: int = 2  # provinces whose quota is first keyed too low, then corrected
    miscount: float = 0.03  # movements first recorded with a wrong count, then adjusted
    case_resend: float = 0.03  # an assistance case opened twice
    # Issue 14: the lists. A batch may try a household on no list, or one listed at
    # another committee (both refused); households named by voucher; vouchers reissued
    # (a card lost) and the revoked code then tried once (refused).
    unlisted: float = 0.05
    wrong_committee: float = 0.05
    by_voucher: float = 0.1
    reissue: float = 0.002


QUIET = Noise(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
