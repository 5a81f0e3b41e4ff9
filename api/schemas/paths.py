"""Path parameters with the patterns the domain enforces, so the schema and server agree."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from api.schemas.common import CLIENT_ID_PATTERN, SLUG_PATTERN

SlugPath = Annotated[str, Path(pattern=SLUG_PATTERN, description="a code: a-z, 0-9 and '-'")]
ClientIdPath = Annotated[
    str, Path(pattern=CLIENT_ID_PATTERN, description="the id the client gave when recording it")
]
ProvincePath = Annotated[
    str, Path(pattern=r"^MA-[A-Z0-9]{2,3}$", description="ISO 3166-2:MA code, e.g. MA-CAS")
]
DonationPath = Annotated[
    str,
    Path(
        pattern=r"^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$",
        description="the donation's id, as its recording answered",
    ),
]
VoucherPath = Annotated[
    str,
    Path(
        pattern=r"^[0-9A-Za-z*~$= -]{10,20}$",
        description="a voucher code as printed or read out (any case, hyphens allowed)",
    ),
]
