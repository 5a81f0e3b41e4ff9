"""`tadamon replay` checks every standing approval's figures against the events."""

from __future__ import annotations

from adapters.audit.replay import Difference
from adapters.bootstrap import Container
from domain.approval.book import ApprovalBook
from domain.approval.commands import ApprovePeriod
from tests.integration.test_approvals_store import CHAIR, DAY, delivery
from tests.workload import ADMIN, CAMPAIGN, launch


def test_approved_figures_equal_the_events_and_a_forged_approval_is_reported(
    container: Container,
) -> None:
    launch(container)
    sizes = [2, 6]
    items = [delivery(n, size=s) for n, s in enumerate(sizes)]
    container.distribution.record_deliveries(CAMPAIGN, items, ADMIN)
    approve = ApprovePeriod("distribution", CAMPAIGN, "committee", "casa-anfa", DAY)
    container.approvals.approve(approve, CHAIR)
    container.runner.catch_up()
    assert container.audit.replay().ok
    # An approval saved past the service (a bug, or a hand in the database) with figures
    # the events do not give.
    book: ApprovalBook = container.ledger.repository.get(
        ApprovalBook.create_id("distribution", CAMPAIGN)
    )
    forged = {"households_served": len(sizes), "people_reached": sum(sizes) + 10}
    book.approve("province", "MA-CAS", DAY, "admin#x", forged, 0)
    container.ledger.save(book)
    container.runner.catch_up()
    report = container.audit.replay()
    assert report.differences == [
        Difference(
            "approval",
            CAMPAIGN,
            "province",
            f"MA-CAS|{DAY}",
            "figure:people_reached",
            sum(sizes) + 10,
            sum(sizes),
        )
    ]
