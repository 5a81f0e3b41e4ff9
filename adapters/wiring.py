"""How the services are joined: approvals' locks on the write paths, what spreadsheets and
field forms record, which units a token may be bound to, and the voucher key."""

from __future__ import annotations

import hmac

from adapters.approvals import CompletenessFigures, CompletenessUnits
from adapters.settings import Settings
from adapters.spreadsheets.distribution import DELIVERIES
from adapters.spreadsheets.donations import DONATION_LINES
from adapters.spreadsheets.kinds import Target
from adapters.spreadsheets.marhaba import MOVEMENTS
from adapters.tokens import BindingCheck
from adapters.views import SqlViewStore
from domain.actors import Role
from domain.approval.gate import DeliveryGate
from domain.approval.locks import PeriodLocks
from domain.approval.service import ApprovalService
from domain.approval.workflow import DONATIONS, MARHABA
from domain.distribution.service import DistributionService
from domain.distribution.vouchers import VoucherMinter
from domain.donations.service import DonationService
from domain.errors import DomainError
from domain.geography import check_province
from domain.ledger import Ledger
from domain.marhaba.service import MarhabaService
from projections.runner import Runner


def binding_check(
    distribution: DistributionService, marhaba: MarhabaService, donations: DonationService
) -> BindingCheck:
    """A token is issued only for a committee, site, province or store that exists."""

    def check(role: Role, within: str, scope: str) -> None:
        if role in (Role.COMMITTEE, Role.CHAIR):
            distribution.committee(within, scope)
        elif role in (Role.REGISTRAR, Role.COORDINATOR):
            distribution.campaign(within, to_change=False)
            check_province(scope, "province")
        elif role is Role.STOREKEEPER:
            if within != DONATIONS.operation:
                raise DomainError(
                    f"a store belongs to operation '{DONATIONS.operation}'", "operation"
                )
            donations.store(scope)
        else:
            marhaba.site(within, scope)

    return check


def approvals_over(
    ledger: Ledger, views: SqlViewStore, runner: Runner, distribution: DistributionService
) -> ApprovalService:
    """Approvals, and their lock on the write paths that change approved figures."""
    approvals = ApprovalService(
        ledger,
        CompletenessUnits(views, runner.catch_up),
        CompletenessFigures(views, runner.catch_up),
    )
    distribution.gate = DeliveryGate(approvals, distribution._record_batch)
    return approvals


def lock_sites_and_stores(
    approvals: ApprovalService, marhaba: MarhabaService, donations: DonationService
) -> None:
    """Marhaba's sites' days and donations' stores' months lock like committees' days."""
    marhaba.lock_with(PeriodLocks(approvals.ledger, MARHABA.operation))
    approvals.releasers[MARHABA.operation] = marhaba.release_held
    donations.locks = PeriodLocks(approvals.ledger, DONATIONS.operation)
    approvals.releasers[DONATIONS.operation] = donations.release_held


def field_targets(
    distribution: DistributionService, marhaba: MarhabaService, donations: DonationService
) -> dict[str, Target]:
    """Records that come in from spreadsheets and field forms, and who records each kind."""
    return {
        "deliveries": Target(
            DELIVERIES,
            submit=distribution.record_deliveries,
            correct=distribution.correct_delivery,
            check_scope=distribution.campaign,
            reverse=distribution.reverse_delivery,
        ),
        "movements": Target(
            MOVEMENTS,
            submit=marhaba.record_site_movements,
            check_scope=marhaba.operation,
            check_shared=lambda slug, shared: (
                "site" in shared and marhaba.site(slug, shared["site"])
            ),
        ),
        "donation_lines": Target(
            DONATION_LINES,
            # one intake for every gift: the scope a route or form names plays no part
            submit=lambda _scope, items, actor, mode: donations.record_in_kind_lines(
                items, actor, mode
            ),
        ),
    }


def voucher_minter(settings: Settings) -> VoucherMinter:
    """Voucher codes are keyed with a secret derived from the identity hash secret.

    A separate key (not the hash secret itself) so that a code and a household's
    hash are unrelated even to someone who holds both.
    """
    return VoucherMinter(hmac.digest(settings.identity_secret(), b"tadamon/vouchers", "sha256"))
