"""The 2020 activity report's own figures for donation intake (FACTS-2020 §3-4).

Values are as printed, including the endoscopy unit's "61 948 075", whose lost
decimal comma the tests restore by a valuation correction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

APPEAL = "covid-19-2020"
DECLARED_IN_KIND = Decimal("17760000")
CASH_TO_SPECIAL_FUND = Decimal("10000000")
STORE = "casa-central"


@dataclass(frozen=True)
class Gift:
    donor: str
    kind: str
    name: str | None
    receipt: str
    item: str
    category: str
    description: str
    quantity: str
    unit: str
    printed_mad: Decimal | None


GIFTS = (
    Gift("alaa-timark", "company", "Alaa & Timark", "r-001", "masks", "protective-equipment",
         "protective masks", "80000", "piece", None),
    Gift("nestle", "company", "Nestlé", "r-002", "nestle-food", "food",
         "powdered milk, instant coffee, instant coffee with milk, biscuits", "1", "lot",
         Decimal("2000000")),
    Gift("auto-hall", "company", "Auto Hall", "r-003", "ambulances", "vehicles",
         "ambulances (DFSK, Opel, Mitsubishi)", "50", "vehicle", Decimal("11500000")),
    Gift("mohsin-1", "individual", None, "r-004", "ventilators", "medical-equipment",
         "artificial-respiration ventilators", "1", "lot", Decimal("1576200")),
    Gift("mohsin-2", "individual", None, "r-005", "medical-equipment-a", "medical-equipment",
         "medical equipment", "1", "lot", Decimal("1007000")),
    Gift("mohsin-3", "individual", None, "r-006", "medical-equipment-b", "medical-equipment",
         "medical equipment", "1", "lot", Decimal("740000")),
    Gift("mohsin-4", "individual", None, "r-007", "endoscopy-unit", "medical-equipment",
         "endoscopy unit with pump", "1", "unit", Decimal("61948075")),
)  # fmt: skip

MASKS = GIFTS[0]
ENDOSCOPY = GIFTS[-1]

# The printed endoscopy value with its decimal comma restored: 61 948 075 -> 619 480.75.
ENDOSCOPY_CORRECTED = ENDOSCOPY.printed_mad / 100 if ENDOSCOPY.printed_mad else Decimal(0)


def printed_sum() -> Decimal:
    return sum((g.printed_mad for g in GIFTS if g.printed_mad is not None), Decimal(0))


def masks_remainder() -> Decimal:
    """What the masks must be worth for the listed gifts to make the declared total."""
    others = sum(
        (g.printed_mad for g in GIFTS if g.printed_mad is not None and g is not ENDOSCOPY),
        Decimal(0),
    )
    return DECLARED_IN_KIND - others - ENDOSCOPY_CORRECTED


BEIRUT_FOODS = (
    ("water", "mineral water"), ("food", "lentils"), ("food", "chickpeas"),
    ("food", "white beans"), ("food", "tomatoes"), ("food", "potatoes"),
    ("food", "onions"), ("food", "flour"), ("food", "rice"), ("food", "sugar"),
    ("food", "vegetable oil"), ("food", "pasta"), ("food", "tea"),
)  # fmt: skip
BEIRUT_TONNES = Decimal("300")
