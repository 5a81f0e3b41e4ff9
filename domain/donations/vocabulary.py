"""The closed lists of the donation operation, so totals group on known values only."""

from __future__ import annotations

from enum import StrEnum

from domain.errors import DomainError
from domain.ids import check_code

ANONYMOUS = "محسن"  # "benefactor": how the report names a private donor who stays anonymous
MAX_ITEM_CODE = 40  # a stock key is "<store>/<item>" and must fit the view's member column


class DonorKind(StrEnum):
    COMPANY = "company"
    ASSOCIATION = "association"
    INDIVIDUAL = "individual"


class CashDirection(StrEnum):
    RECEIVED = "received"
    PAID_OUT = "paid-out"


class RecipientKind(StrEnum):
    HOSPITAL = "hospital"
    ELDERLY_CENTRE = "elderly-centre"
    CHILDREN_CENTRE = "children-centre"
    ASSOCIATION = "association"


CATEGORIES = (
    "food",
    "water",
    "medical-equipment",
    "medicines",
    "protective-equipment",
    "vehicles",
    "hygiene",
    "shelter",
    "clothing",
    "other",
)


def check_category(value: str, field: str) -> str:
    if value not in CATEGORIES:
        raise DomainError(f"unknown category; valid categories: {', '.join(CATEGORIES)}", field)
    return value


def check_item_code(value: str, field: str) -> str:
    check_code(value, field)
    if len(value) > MAX_ITEM_CODE:
        raise DomainError(f"must be at most {MAX_ITEM_CODE} characters", field)
    return value


def check_text(value: str, field: str, limit: int = 200) -> str:
    text = value.strip()
    if not text:
        raise DomainError("must not be empty", field)
    if len(text) > limit:
        raise DomainError(f"must be at most {limit} characters", field)
    return text
