"""Lines of in-kind gifts as donations officers list them, in Arabic, French or English.

One row per line of goods; rows with the same donor and receipt are one gift. Values
are MAD amounts as typed (``1 576 200,00``, ``1,576,200.00``...), read exactly as a
Decimal and recorded in integer centimes; an empty value is a line still unvalued.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.spreadsheets import numbers, values
from adapters.spreadsheets.kinds import Column, FieldKind
from domain.actors import Role
from domain.donations.commands import GiftLine, InKindLine

CATEGORIES = {
    **dict.fromkeys(("food", "alimentation", "alimentaire", "denrées alimentaires", "vivres",
                     "غذاء", "أغذية", "مواد غذائية", "المواد الغذائية"), "food"),
    **dict.fromkeys(("water", "eau", "ماء", "مياه", "الماء"), "water"),
    **dict.fromkeys(("medical-equipment", "medical equipment", "équipement médical",
                     "équipements médicaux", "matériel médical", "معدات طبية", "تجهيزات طبية",
                     "أجهزة طبية"), "medical-equipment"),
    **dict.fromkeys(("medicines", "medicine", "médicaments", "أدوية", "الأدوية"), "medicines"),
    **dict.fromkeys(("protective-equipment", "protective equipment", "ppe", "epi",
                     "équipement de protection", "équipements de protection", "معدات الوقاية",
                     "وسائل الوقاية"), "protective-equipment"),
    **dict.fromkeys(("vehicles", "vehicle", "véhicules", "véhicule", "سيارات", "مركبات",
                     "عربات"), "vehicles"),
    **dict.fromkeys(("hygiene", "hygiène", "produits d'hygiène", "نظافة", "مواد النظافة"),
                    "hygiene"),
    **dict.fromkeys(("shelter", "abri", "hébergement", "مأوى", "إيواء"), "shelter"),
    **dict.fromkeys(("clothing", "clothes", "vêtements", "ملابس", "ألبسة"), "clothing"),
    **dict.fromkeys(("other", "others", "autre", "autres", "أخرى", "أخرى متنوعة"), "other"),
}  # fmt: skip


def _optional_centimes(amount: Any) -> int | None:
    # numbers.money gives at most two decimals, so this product is an exact integer.
    return None if amount is None else int(amount * 100)


def _line(parsed: Mapping[str, Any]) -> InKindLine:
    return InKindLine(
        donor=parsed["donor"],
        receipt=parsed["receipt"],
        store=parsed["store"],
        received_at=parsed["received_at"],
        appeal=parsed.get("appeal"),
        line=GiftLine(
            item=parsed["item"],
            category=parsed["category"],
            description=parsed["description"],
            quantity=parsed["quantity"],
            unit=parsed["unit"],
            value_centimes=_optional_centimes(parsed.get("value_mad")),
        ),
    )


DONATION_LINES = FieldKind(
    name="donation_lines",
    columns=(
        Column(
            "donor",
            ("المتبرع", "المحسن", "رمز المتبرع", "donateur", "code donateur", "donor code"),
            values.code,
        ),
        Column(
            "receipt",
            (
                "رقم الوصل",
                "الوصل",
                "reçu",
                "n° reçu",
                "numéro de reçu",
                "receipt number",
                "bon",
                "n° bon",
            ),
            values.client_id,
        ),
        Column(
            "store",
            ("المخزن", "entrepôt", "magasin", "dépôt", "store code", "warehouse"),
            values.code,
        ),
        Column(
            "received_at",
            ("تاريخ الاستلام", "date de réception", "reçu le", "received on", "date"),
            values.moment,
        ),
        Column("item", ("الصنف", "رمز الصنف", "article", "code article", "item code"), values.code),
        Column(
            "category",
            ("الفئة", "catégorie", "type"),
            values.one_of(
                CATEGORIES,
                "a category such as food, medical-equipment, "
                "vehicles (مواد غذائية, معدات طبية; alimentaire, équipement médical)",
            ),
        ),
        Column("description", ("الوصف", "البيان", "désignation", "libellé"), values.text),
        Column("quantity", ("الكمية", "quantité", "qté", "qty"), numbers.quantity),
        Column("unit", ("الوحدة", "unité"), values.text),
        Column(
            "value_mad",
            (
                "القيمة",
                "القيمة بالدرهم",
                "valeur",
                "valeur (MAD)",
                "valeur déclarée",
                "montant",
                "value",
                "value (MAD)",
                "declared value",
            ),
            numbers.money,
            required=False,
        ),
        Column("appeal", ("النداء", "appel", "appel aux dons"), values.code, required=False),
    ),
    build=_line,
    id_column="receipt",
    scoped_by=(Role.DONATIONS, None),
    group_by=("donor", "receipt"),
)
