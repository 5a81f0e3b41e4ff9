"""The activity feed for Marhaba and donation events, in memory: codes, kinds and figures
only; no traveller, no donor, no free text."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.domain import Aggregate, CanMutateAggregate

import domain
from domain.actors import Actor, Role
from domain.donations.cash import donation_id
from domain.donations.commands import (
    CorrectValuation,
    DispatchGoods,
    DispatchLine,
    GiftLine,
    OpenStore,
    RecordCash,
    RecordInKind,
    RegisterDonor,
)
from domain.donations.service import DonationService
from domain.ids import IdentityHasher
from domain.ledger import Ledger
from domain.marhaba.commands import (
    AdjustMovement,
    LaunchOperation,
    OpenCase,
    ReferCase,
    RegisterSite,
)
from domain.marhaba.service import MarhabaService
from projections.activity import BOOKKEEPING, describe
from projections.ports import Positioned
from tests.marhaba_data import ENDS, SLUG, STARTS, moment, movement
from tests.unit.memory_service import RecorderStreams

ADMIN = Actor(Role.ADMIN, "tests")
MARCH = datetime(2020, 3, 23, 10, tzinfo=UTC)


@pytest.fixture
def ledger() -> Iterator[Ledger]:
    built = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    yield built
    built.close()


def feed(ledger: Ledger) -> list[dict[str, Any]]:
    return [
        describe(Positioned(n.id, ledger.mapper.to_domain_event(n), datetime.now(UTC)))
        for n in ledger.recorder.select_notifications(start=1, limit=1000)
    ]


def details(found: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    return next(item["details"] for item in found if item["type"] == kind)


def test_marhaba_events_show_sites_directions_and_counts(ledger: Ledger) -> None:
    hasher = IdentityHasher(b"s" * 32)
    service = MarhabaService(ledger, hasher, RecorderStreams(ledger))
    service.launch_operation(LaunchOperation(SLUG, "Marhaba 2020", STARTS, ENDS), ADMIN)
    site = RegisterSite("port-tanger", "Tanger Med", "port", "Tanger", "MA", province="MA-FAH")
    service.register_site(SLUG, site, ADMIN)
    service.record_movements(SLUG, "port-tanger", [movement(1, travellers=120)], ADMIN)
    service.adjust_movement(
        SLUG, "port-tanger", "m-1", AdjustMovement("fix", -3, "Karim counted twice"), ADMIN
    )
    case = OpenCase("c-1", "medical", 2, moment(20), traveller="PASSPORT-XK123456")
    service.cases.open(SLUG, "port-tanger", case, ADMIN)
    refer = ReferCase("moh_hospital", "Dr Amina Benali, Hôpital Mohammed VI", moment(20, hour=12))
    service.cases.refer(SLUG, "port-tanger", "c-1", refer, ADMIN)
    found = feed(ledger)
    assert details(found, "Operation.Launched") == {"operation": SLUG}
    assert details(found, "Site.Registered") == {
        "operation": SLUG,
        "site": "port-tanger",
        "site_kind": "port",
        "province": "MA-FAH",
        "region": "MA-01",
    }
    assert details(found, "Movement.Recorded") == {
        "operation": SLUG,
        "site": "port-tanger",
        "direction": "arrival",
        "mode": "sea",
        "travellers": 120,
    }
    assert details(found, "Movement.Adjusted")["delta"] == -3
    assert details(found, "AssistanceCase.Opened") == {
        "operation": SLUG,
        "site": "port-tanger",
        "category": "medical",
        "people": 2,
    }
    assert details(found, "AssistanceCase.Referred")["destination"] == "moh_hospital"
    text = repr(found)
    for secret in ("XK123456", hasher.digest("PASSPORT-XK123456"), "Karim", "Amina", "admin#"):
        assert secret not in text


def test_donation_events_show_stores_kinds_and_amounts_never_donors(ledger: Ledger) -> None:
    service = DonationService(ledger, clock=lambda: datetime(2020, 12, 31, tzinfo=UTC))
    service.open_store(OpenStore("casa-central", "Central store", "Casablanca"), ADMIN)
    service.register_donor(RegisterDonor("nestle", "company", "Nestlé"), ADMIN)
    service.register_donor(RegisterDonor("benefactor-ahmed", "individual", None), ADMIN)
    service.record_cash(
        RecordCash("benefactor-ahmed", "c-1", "received", 500_000_00, "covid-fund", MARCH), ADMIN
    )
    lines = [
        GiftLine("milk", "food", "powdered milk", Decimal(10), "kg", 1_500_000_00),
        GiftLine("masks", "protective-equipment", "masks", Decimal(100), "piece", None),
    ]
    service.record_in_kind(RecordInKind("nestle", "r-2", "casa-central", MARCH, lines), ADMIN)
    service.correct_valuation(
        donation_id("nestle", "r-2").hex, CorrectValuation(2, 250_00, "as Ahmed said"), ADMIN
    )
    dispatch = DispatchGoods(
        "bl-1", "chu-rabat", "hospital", "CHU Ibn Sina", MARCH, [DispatchLine("milk", Decimal(4))]
    )
    service.dispatch("casa-central", dispatch, ADMIN)
    found = feed(ledger)
    assert [d["details"] for d in found if d["type"] == "Donor.DonorRegistered"] == [
        {"donor_kind": "company"},
        {"donor_kind": "individual"},
    ]
    assert details(found, "CashDonation.CashDonationRecorded") == {
        "fund": "covid-fund",
        "direction": "received",
        "amount_centimes": 500_000_00,
    }
    assert details(found, "InKindDonation.InKindDonationRecorded") == {
        "store": "casa-central",
        "lines": 2,
        "value_centimes": 1_500_000_00,
    }
    assert details(found, "InKindDonation.ValuationCorrected") == {
        "store": "casa-central",
        "category": "protective-equipment",
        "value_centimes": 250_00,
    }
    dispatched = details(found, "Store.GoodsDispatched")
    assert dispatched == {
        "store": "casa-central",
        "recipient": "chu-rabat",
        "recipient_kind": "hospital",
        "value_centimes": 600_000_00,
    }
    text = repr(found)
    for secret in ("ahmed", "Ahmed", "nestle", "Nestlé", "r-2", "c-1", "powdered", "admin#"):
        assert secret not in text


def _event_types() -> set[str]:
    """Every event an aggregate of the domain records, by the name the feed gives it."""
    found = set()
    for info in pkgutil.walk_packages(domain.__path__, "domain."):
        module = importlib.import_module(info.name)
        for kind in vars(module).values():
            if isinstance(kind, type) and issubclass(kind, Aggregate) and kind is not Aggregate:
                found.update(
                    e.__qualname__
                    for name, e in vars(kind).items()
                    if isinstance(e, type)
                    and issubclass(e, CanMutateAggregate)
                    and name not in ("Created", "Event")
                )
    return found - BOOKKEEPING


def test_every_event_has_a_label_in_three_languages() -> None:
    text = (Path(__file__).resolve().parents[2] / "api" / "static" / "i18n.js").read_text()
    blocks = re.split(r"\n  (ar|fr|en): \{\n", text)[1:]
    labelled = {lang: set(re.findall(r'"([A-Za-z]+\.[A-Za-z]+)":', body)) for lang, body in
                zip(blocks[::2], blocks[1::2], strict=True)}  # fmt: skip
    wanted = _event_types()
    assert len(wanted) == 50  # 32, closed books' 2, lists and vouchers' 11, approvals' 5
    assert labelled == {"ar": wanted, "fr": wanted, "en": wanted}
