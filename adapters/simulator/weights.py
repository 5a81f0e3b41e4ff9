"""Plausible weights to share the 600,000 households among the 75 provinces.

The report does not publish its quotas by province. These weights are the
2014 census populations of the prefectures and provinces, in thousands,
rounded (HCP, RGPH 2014): plausible, not the operation's actual allocation.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

POPULATION_THOUSANDS: Final[Mapping[str, int]] = MappingProxyType(
    {
        "MA-AGD": 600, "MA-AOU": 19, "MA-ASZ": 44, "MA-AZI": 554, "MA-BEM": 550,
        "MA-BER": 289, "MA-BES": 233, "MA-BOD": 51, "MA-BOM": 197, "MA-BRR": 484,
        "MA-CAS": 3360, "MA-CHE": 457, "MA-CHI": 369, "MA-CHT": 371, "MA-DRI": 211,
        "MA-ERR": 418, "MA-ESI": 451, "MA-ESM": 67, "MA-FAH": 76, "MA-FES": 1150,
        "MA-FIG": 138, "MA-FQH": 502, "MA-GUE": 187, "MA-GUF": 216, "MA-HAJ": 247,
        "MA-HAO": 573, "MA-HOC": 399, "MA-IFR": 155, "MA-INE": 541, "MA-JDI": 786,
        "MA-JRA": 108, "MA-KEN": 1061, "MA-KES": 537, "MA-KHE": 542, "MA-KHN": 371,
        "MA-KHO": 498, "MA-LAA": 367, "MA-LAR": 496, "MA-MAR": 1330, "MA-MDF": 210,
        "MA-MED": 172, "MA-MEK": 835, "MA-MID": 289, "MA-MOH": 404, "MA-MOU": 174,
        "MA-NAD": 565, "MA-NOU": 333, "MA-OUA": 297, "MA-OUD": 143, "MA-OUJ": 552,
        "MA-OUZ": 300, "MA-RAB": 577, "MA-REH": 315, "MA-SAF": 691, "MA-SAL": 982,
        "MA-SEF": 286, "MA-SET": 634, "MA-SIB": 453, "MA-SIF": 115, "MA-SIK": 522,
        "MA-SIL": 321, "MA-SKH": 574, "MA-TAF": 17, "MA-TAI": 229, "MA-TAO": 662,
        "MA-TAR": 838, "MA-TAT": 117, "MA-TAZ": 528, "MA-TET": 550, "MA-TIN": 322,
        "MA-TIZ": 207, "MA-TNG": 1065, "MA-TNT": 86, "MA-YUS": 251, "MA-ZAG": 310,
    }
)  # fmt: skip
