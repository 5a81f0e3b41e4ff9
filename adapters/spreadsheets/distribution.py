"""Kit deliveries as committees write them down: column headers in Arabic, French, English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.spreadsheets import values
from adapters.spreadsheets.kinds import Column, FieldKind
from domain.actors import Role
from domain.distribution.commands import RecordDelivery


def _delivery(parsed: Mapping[str, Any]) -> RecordDelivery:
    return RecordDelivery(
        delivery_id=parsed["delivery_id"],
        committee=parsed["committee"],
        household=parsed["household"],
        household_size=parsed["household_size"],
        delivered_at=parsed["delivered_at"],
    )


DELIVERIES = FieldKind(
    name="deliveries",
    columns=(
        Column(
            "delivery_id",
            (
                "رقم_التسليم",
                "identifiant",
                "identifiant de livraison",
                "numéro de livraison",
                "n° livraison",
            ),
            values.client_id,
        ),
        Column(
            "committee",
            ("اللجنة", "comité", "committee code", "اللجنة المحلية", "code comité", "comite local"),
            values.code,
        ),
        Column(
            "household",
            (
                "رقم_البطاقة",
                "CIN",
                "ménage",
                "household id",
                "رقم البطاقة الوطنية",
                "numéro de carte",
                "N° CIN",
                "national id",
            ),
            values.identity_number,
            personal=True,
        ),
        Column(
            "household_size",
            (
                "عدد_الأفراد",
                "taille du ménage",
                "nombre de personnes",
                "taille ménage",
                "people",
            ),
            values.whole_number,
        ),
        Column(
            "delivered_at",
            (
                "تاريخ_التسليم",
                "date de livraison",
                "delivery date",
                "date",
                "التاريخ",
                "delivered on",
            ),
            values.moment,
        ),
    ),
    build=_delivery,
    id_column="delivery_id",
    scoped_by=(Role.COMMITTEE, "committee"),
)
