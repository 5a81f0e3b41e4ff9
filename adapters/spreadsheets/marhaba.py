"""Passenger movements as reception staff write them down, in Arabic, French or English.

Direction and mode are words people type in any of the three languages. Marhaba's
own vocabulary counts too: its "aller" phase brings travellers home (arrivals)
and its "retour" phase takes them back abroad (departures), as the 2020 report says.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.spreadsheets import values
from adapters.spreadsheets.kinds import Column, FieldKind
from domain.actors import Role
from domain.marhaba.commands import RecordMovement, SiteMovement

DIRECTIONS = {
    **dict.fromkeys(
        ("arrival", "arrivals", "in", "inbound", "entry", "arrivée", "arrivées", "entrée",
         "aller", "وصول", "الوصول", "دخول", "الدخول", "قدوم"),
        "arrival",
    ),
    **dict.fromkeys(
        ("departure", "departures", "out", "outbound", "exit", "départ", "départs", "sortie",
         "retour", "مغادرة", "المغادرة", "خروج", "الخروج", "عودة", "العودة"),
        "departure",
    ),
}  # fmt: skip
MODES = {
    **dict.fromkeys(
        ("air", "plane", "flight", "avion", "aérien", "aérienne", "voie aérienne", "vol",
         "جوي", "جوا", "الجو", "طائرة", "الطائرة", "الجوي"),
        "air",
    ),
    **dict.fromkeys(
        ("sea", "ship", "boat", "ferry", "maritime", "mer", "bateau", "navire", "voie maritime",
         "بحري", "بحرا", "البحر", "باخرة", "الباخرة", "سفينة", "البحري"),
        "sea",
    ),
    **dict.fromkeys(
        ("road", "land", "car", "bus", "coach", "route", "routier", "routière", "terrestre",
         "voiture", "autocar", "voie terrestre", "بري", "برا", "البر", "طريق", "سيارة",
         "حافلة", "البري"),
        "road",
    ),
}  # fmt: skip


def _movement(parsed: Mapping[str, Any]) -> SiteMovement:
    return SiteMovement(
        site=parsed["site"],
        movement=RecordMovement(
            reference=parsed["reference"],
            direction=parsed["direction"],
            mode=parsed["mode"],
            travellers=parsed["travellers"],
            moved_at=parsed["moved_at"],
        ),
    )


MOVEMENTS = FieldKind(
    name="movements",
    columns=(
        Column(
            "reference",
            (
                "المرجع",
                "référence",
                "réf",
                "ref",
                "رقم الرحلة",
                "n° de vol",
                "numéro de vol",
                "flight",
                "vol",
                "traversée",
                "crossing",
            ),
            values.client_id,
        ),
        Column(
            "site",
            ("الموقع", "موقع الاستقبال", "site", "code site", "site code", "point d'accueil"),
            values.code,
        ),
        Column(
            "direction",
            ("الاتجاه", "وصول/مغادرة", "sens", "mouvement", "arrivée/départ", "phase"),
            values.one_of(DIRECTIONS, "arrival or departure (وصول / مغادرة, arrivée / départ)"),
        ),
        Column(
            "mode",
            ("وسيلة النقل", "النقل", "mode de transport", "transport", "moyen de transport"),
            values.one_of(MODES, "air, sea or road (جوي / بحري / بري, avion / bateau / route)"),
        ),
        Column(
            "travellers",
            (
                "عدد المسافرين",
                "المسافرون",
                "عدد الركاب",
                "voyageurs",
                "nombre de voyageurs",
                "passagers",
                "nombre de passagers",
                "passengers",
                "people",
            ),
            values.whole_number,
        ),
        Column(
            "moved_at",
            (
                "التاريخ",
                "تاريخ",
                "الوقت",
                "date",
                "date et heure",
                "date/heure",
                "heure",
                "moved at",
                "date and time",
                "time",
            ),
            values.moment,
        ),
    ),
    build=_movement,
    id_column="reference",
    scoped_by=(Role.SITE, "site"),
)
