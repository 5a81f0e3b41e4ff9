"""The COVID-19 mobilisation and the Beirut airlift (FACTS-2020 §3-4), as the officers key them.

Gifts are keyed as printed in the report, including the endoscopy unit's
"61 948 075" and the masks' missing value; the reconciliation against the
declared 17,760,000 MAD then shows the gap, and two valuation corrections close
it. Money is never scaled: these are a handful of events at any scale.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from adapters.simulator.figures import BEIRUT_TONNES, CASH_TO_SPECIAL_FUND_MAD, IN_KIND_MAD
from adapters.simulator.steps import Step, command
from adapters.simulator.timeline import local

APPEAL = "covid-19-2020"
STORE = "casa-central"
SPECIAL_FUND = "covid-19-special-fund"
FOUNDATION = "foundation"
BEIRUT_AIRLIFT = "beirut-airlift-2020"

# donor, kind, name, receipt, received, item, category, description, quantity, unit, printed MAD
GIFTS: tuple[tuple[str, str, str | None, str, date, str, str, str, str, str, str | None], ...] = (
    ("alaa-timark", "company", "Alaa & Timark", "r-001", date(2020, 3, 23), "masks",
     "protective-equipment", "protective masks", "80000", "piece", None),
    ("nestle", "company", "Nestlé", "r-002", date(2020, 3, 26), "nestle-food", "food",
     "powdered milk, instant coffee, instant coffee with milk, biscuits", "1", "lot", "2000000"),
    ("auto-hall", "company", "Auto Hall", "r-003", date(2020, 4, 2), "ambulances", "vehicles",
     "ambulances (DFSK, Opel, Mitsubishi)", "50", "vehicle", "11500000"),
    ("mohsin-1", "individual", None, "r-004", date(2020, 4, 6), "ventilators",
     "medical-equipment", "artificial-respiration ventilators", "1", "lot", "1576200"),
    ("mohsin-2", "individual", None, "r-005", date(2020, 4, 9), "medical-equipment-a",
     "medical-equipment", "medical equipment", "1", "lot", "1007000"),
    ("mohsin-3", "individual", None, "r-006", date(2020, 4, 14), "medical-equipment-b",
     "medical-equipment", "medical equipment", "1", "lot", "740000"),
    ("mohsin-4", "individual", None, "r-007", date(2020, 4, 20), "endoscopy-unit",
     "medical-equipment", "endoscopy unit with pump", "1", "unit", "61948075"),
)  # fmt: skip
ENDOSCOPY_CORRECTED = Decimal("619480.75")  # the printed 61 948 075 with its decimal comma back
BEIRUT_FOODS = (
    ("water", "mineral water"), ("food", "lentils"), ("food", "chickpeas"),
    ("food", "white beans"), ("food", "tomatoes"), ("food", "potatoes"),
    ("food", "onions"), ("food", "flour"), ("food", "rice"), ("food", "sugar"),
    ("food", "vegetable oil"), ("food", "pasta"), ("food", "tea"),
)  # fmt: skip
# (dispatch, recipient, kind, name, day, [(item, quantity)])
DISPATCHES = (
    ("bl-h-001", "chu-ibn-rochd", "hospital", "CHU Ibn Rochd, Casablanca", date(2020, 4, 8),
     [("ambulances", "20"), ("ventilators", "1")]),
    ("bl-h-002", "chu-hassan-ii-fes", "hospital", "CHU Hassan II, Fès", date(2020, 4, 10),
     [("ambulances", "15"), ("medical-equipment-a", "1")]),
    ("bl-h-003", "chu-mohammed-vi-marrakech", "hospital", "CHU Mohammed VI, Marrakech",
     date(2020, 4, 16), [("ambulances", "15"), ("medical-equipment-b", "1")]),
    ("bl-h-004", "chu-ibn-sina-rabat", "hospital", "CHU Ibn Sina, Rabat", date(2020, 4, 27),
     [("endoscopy-unit", "1")]),
    ("bl-e-001", "dar-al-mousinine-casa", "elderly-centre", "Dar Al Mousinine, Casablanca",
     date(2020, 3, 30), [("masks", "30000")]),
    ("bl-c-001", "lalla-hasna-children", "children-centre", "Centre Lalla Hasna, Rabat",
     date(2020, 4, 1), [("masks", "20000"), ("nestle-food", "0.5")]),
    ("bl-c-002", "dar-al-atfal-fes", "children-centre", "Dar Al Atfal, Fès", date(2020, 4, 3),
     [("masks", "30000"), ("nestle-food", "0.5")]),
)  # fmt: skip


def at(day: date, hour: int = 10) -> datetime:
    return local(day, hour * 60)


def gift_line(gift: tuple[Any, ...]) -> dict[str, Any]:
    *_, item, category, description, quantity, unit, printed = gift
    value = None if printed is None else Decimal(printed)
    return {
        "item": item,
        "category": category,
        "description": description,
        "quantity": Decimal(quantity),
        "unit": unit,
        "value_mad": value,
    }


def masks_value() -> Decimal:
    """What the masks are worth for the listed gifts to make the declared total."""
    listed = sum(Decimal(g[-1]) for g in GIFTS if g[-1] is not None and g[5] != "endoscopy-unit")
    return IN_KIND_MAD - listed - ENDOSCOPY_CORRECTED


class DonationsPlan:
    def steps(self) -> Iterator[Step]:
        yield command(
            "open_store", (), {"code": STORE, "name": "Central store", "city": "Casablanca"}
        )
        body = {
            "name": "COVID-19 mobilisation",
            "declared_total_mad": IN_KIND_MAD,
            "source": "2020 activity report",
        }
        yield command("declare_appeal", (APPEAL,), body)
        yield command(
            "register_donor",
            (),
            {"code": FOUNDATION, "kind": "association", "name": "The foundation (own funds)"},
        )
        yield from self.cash()
        yield from self.gifts()
        yield from self.corrections()
        yield from self.dispatches()

    @staticmethod
    def cash() -> Iterator[Step]:
        body = {
            "donor": FOUNDATION,
            "receipt": "fsc-2020-03-18",
            "direction": "paid-out",
            "amount_mad": CASH_TO_SPECIAL_FUND_MAD,
            "fund": SPECIAL_FUND,
            "occurred_at": at(date(2020, 3, 18), 12),
        }
        yield command("record_cash", (), body)
        yield command("record_cash", (), body, fresh=False)

    @staticmethod
    def gifts() -> Iterator[Step]:
        for gift in GIFTS:
            donor, kind, name, receipt, received = gift[:5]
            yield command("register_donor", (), {"code": donor, "kind": kind, "name": name})
            body = {
                "donor": donor,
                "receipt": receipt,
                "store": STORE,
                "appeal": APPEAL,
                "received_at": at(received),
                "lines": [gift_line(gift)],
            }
            yield command("record_in_kind", (), body)
            if donor == "auto-hall":  # the officer's form timed out: sent again
                yield command("record_in_kind", (), body, fresh=False)

    @staticmethod
    def corrections() -> Iterator[Step]:
        endoscopy = {
            "value_mad": ENDOSCOPY_CORRECTED,
            "reason": "decimal comma lost in print: 61 948 075 is 619 480.75",
        }
        masks = {
            "value_mad": masks_value(),
            "reason": "value not printed: the remainder of the declared total",
        }
        yield command("correct_valuation", ("mohsin-4", "r-007", "1"), endoscopy)
        yield command("correct_valuation", ("mohsin-4", "r-007", "1"), endoscopy, fresh=False)
        yield command("correct_valuation", ("alaa-timark", "r-001", "1"), masks)

    @staticmethod
    def dispatches() -> Iterator[Step]:
        for number, recipient, kind, name, day, lines in DISPATCHES:
            body = {
                "dispatch": number,
                "recipient": recipient,
                "recipient_kind": kind,
                "recipient_name": name,
                "dispatched_at": at(day),
                "lines": [{"item": i, "quantity": Decimal(q)} for i, q in lines],
            }
            yield command("dispatch_goods", (STORE,), body)
            ack = {"received_at": at(day, 16), "reference": f"ar-{number}"}
            yield command("acknowledge_dispatch", (STORE, number), ack)


def beirut_airlift() -> Iterator[Step]:
    """300 t of 13 kinds of food, flown out on 6 August; the form is sent twice."""
    kilograms = int(BEIRUT_TONNES * 1000)
    each, extra = divmod(kilograms, len(BEIRUT_FOODS))
    items = [
        {
            "category": category,
            "description": food,
            "tonnes": Decimal(each + (extra if n == 0 else 0)) / 1000,
        }
        for n, (category, food) in enumerate(BEIRUT_FOODS)
    ]
    body = {
        "code": BEIRUT_AIRLIFT,
        "destination_country": "LB",
        "destination": "Beirut",
        "departed_at": at(date(2020, 8, 6), 8),
        "items": items,
    }
    yield command("send_shipment", (), body)
    yield command("send_shipment", (), body, fresh=False)
