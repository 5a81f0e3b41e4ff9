"""Marhaba's idempotency keys on SQLite and PostgreSQL (issue 12, points 1 and 3)."""

from __future__ import annotations

import pytest

from adapters.bootstrap import Container
from domain.actors import Actor
from domain.errors import ConflictError
from domain.marhaba.case import AssistanceCase
from domain.marhaba.commands import OpenCase
from domain.outcomes import ItemStatus
from tests.integration.test_marhaba_store import SITE, seed
from tests.marhaba_data import SLUG, moment, movement


def test_a_reference_is_one_movement_across_batches(container: Container, admin: Actor) -> None:
    seed(container, admin)
    service = container.marhaba
    assert service.record_movements(SLUG, "port-genoa", [movement(1)], SITE).items[0].status is (
        ItemStatus.RECORDED
    )
    later = service.record_movements(
        SLUG, "port-genoa", [movement(1), movement(1, travellers=7)], SITE
    )
    assert [(r.status, r.code) for r in later.items] == [
        (ItemStatus.DUPLICATE, None),
        (ItemStatus.REJECTED, "reference_reused"),
    ]
    assert later.position == 0


def test_a_case_id_is_one_case(container: Container, admin: Actor) -> None:
    seed(container, admin)
    cases = container.marhaba.cases
    opened = OpenCase("c-1", "medical", 2, moment(20), "ZX-998877")
    assert cases.open(SLUG, "port-genoa", opened, SITE).created
    # The traveller's number typed another way is the same traveller: a resend.
    retyped = OpenCase("c-1", "medical", 2, moment(20), "zx 998877")
    assert cases.open(SLUG, "port-genoa", retyped, SITE).created is False
    with pytest.raises(ConflictError) as caught:
        cases.open(SLUG, "port-genoa", OpenCase("c-1", "social", 2, moment(20)), SITE)
    assert caught.value.field == "case"


def test_a_case_opened_under_an_old_spelling_still_meets_its_resend(
    container: Container, admin: Actor
) -> None:
    seed(container, admin)
    hasher = container.marhaba.cases.hasher
    old_key = hasher.legacy_digest("ZX-998877")
    assert old_key is not None
    old = AssistanceCase(
        operation=SLUG,
        site="port-genoa",
        case="c-9",
        category="medical",
        people=2,
        opened_at=moment(20),
        traveller_key=old_key,
        opened_by="before",
    )
    container.ledger.save(old)
    resent = OpenCase("c-9", "medical", 2, moment(20), "ZX-998877")
    assert container.marhaba.cases.open(SLUG, "port-genoa", resent, SITE).created is False


def test_a_resent_closure_of_a_site_or_operation_is_unchanged(
    container: Container, admin: Actor
) -> None:
    seed(container, admin)
    service = container.marhaba
    assert service.close_site(SLUG, "port-genoa", "end of season", admin).created
    assert service.close_site(SLUG, "port-genoa", "end of season", admin).created is False
    with pytest.raises(ConflictError):
        service.close_site(SLUG, "port-genoa", "another reason", admin)
    assert service.close_operation(SLUG, "season over", admin).created
    assert service.close_operation(SLUG, "season over", admin).created is False
    with pytest.raises(ConflictError):
        service.close_operation(SLUG, "again", admin)
