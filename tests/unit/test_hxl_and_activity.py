"""The HXL table builder and the activity feed's whitelist, in memory."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.distribution.service import DistributionService
from projections.activity import describe
from projections.hxl import HxlColumn, cell, field, table
from projections.ports import Positioned
from tests.unit.memory_service import memory_service  # noqa: F401 - the "service" fixture
from tests.unit.test_distribution_service import (
    ADMIN,
    C,
    item,
    stock,
)


def test_table_has_headers_then_tags_then_rows() -> None:
    columns = (field("Province code", "#adm2+code", "code"), field("Gifts", "#value+c_mad", "mad"))
    records = [{"code": "MA-CAS", "mad": Decimal("1576200")}, {"code": "MA-RAB", "mad": None}]
    assert table(columns, records) == [
        ["Province code", "Gifts"],
        ["#adm2+code", "#value+c_mad"],
        ["MA-CAS", "1576200.00"],
        ["MA-RAB", ""],
    ]
    assert table(columns, records, tags=False)[1] == ["MA-CAS", "1576200.00"]


@pytest.mark.parametrize("tag", ["adm1", "#Adm1", "#adm1 +name", "#adm1+", "#reached+hh+"])
def test_only_real_hashtags(tag: str) -> None:
    with pytest.raises(ValueError, match="not an HXL hashtag"):
        HxlColumn("x", tag, lambda r: None)


def test_no_float_ever_reaches_a_total() -> None:
    with pytest.raises(TypeError):
        cell(0.1)
    assert cell(600_000) == "600000"


def test_activity_shows_codes_and_counts_never_people(service: DistributionService) -> None:
    stock(service, "anfa", 5)
    service.record_deliveries(C, [item(1, household="BE123456")], ADMIN)
    service.reverse_delivery(C, "d1", "wrong card BE123456", ADMIN)
    ledger = service.ledger
    described = [
        describe(Positioned(n.id, ledger.mapper.to_domain_event(n), datetime.now(UTC)))
        for n in ledger.recorder.select_notifications(start=1, limit=100)
    ]
    types = [d["type"] for d in described]
    assert types[0] == "Campaign.Launched" and described[0]["details"] == {"campaign": C}
    delivered = described[types.index("Household.KitDelivered")]["details"]
    assert delivered == {
        "campaign": C,
        "committee": "anfa",
        "province": "MA-CAS",
        "region": "MA-06",
        "household_size": 4,
    }
    text = repr(described)
    household_key = service.hasher.digest("BE123456")
    assert "BE123456" not in text and household_key not in text
    assert "wrong card" not in text and "admin#" not in text
