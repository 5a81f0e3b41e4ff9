"""Commands of the approval workflow (imperative: what a caller asks for)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ConfigureApprovals:
    operation: str  # distribution, marhaba, donations
    scope: str  # the campaign or operation slug; 'donations' for the one intake
    period: str  # day, week or month, as the workflow allows


@dataclass(frozen=True, slots=True)
class ApprovePeriod:
    operation: str
    scope: str
    level: str
    unit: str
    period: str


@dataclass(frozen=True, slots=True)
class UnapprovePeriod:
    operation: str
    scope: str
    level: str
    unit: str
    period: str
    reason: str
