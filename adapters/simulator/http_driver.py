"""Sends each planned step to the HTTP API, with a bearer token, as a field client would."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import httpx

from adapters.simulator.steps import RECORDED, UNCHANGED, Step
from adapters.simulator.vouchers import VoucherBook

Answer = tuple[dict[str, int], int]

# kind -> (method, path with the step's target filled in, whether it is a batch)
ROUTES: dict[str, tuple[str, str, bool]] = {
    "launch_campaign": ("POST", "/v1/campaigns", False),
    "set_quota": ("PUT", "/v1/campaigns/{0}/quotas/{1}", False),
    "register_committee": ("POST", "/v1/campaigns/{0}/committees", False),
    "dispatch_kits": ("POST", "/v1/campaigns/{0}/committees/{1}/stock", False),
    "deliveries": ("POST", "/v1/campaigns/{0}/deliveries", True),
    "enrolments": ("POST", "/v1/campaigns/{0}/enrolments", True),
    "reissue_voucher": ("POST", "/v1/campaigns/{0}/vouchers/{1}/reissue", False),
    "reverse_delivery": ("POST", "/v1/campaigns/{0}/deliveries/{1}/reversal", False),
    "launch_operation": ("POST", "/v1/operations", False),
    "register_site": ("POST", "/v1/operations/{0}/sites", False),
    "movements": ("POST", "/v1/operations/{0}/sites/{1}/movements", True),
    "adjust_movement": (
        "POST",
        "/v1/operations/{0}/sites/{1}/movements/{2}/adjustments",
        False,
    ),
    "open_case": ("POST", "/v1/operations/{0}/sites/{1}/cases", False),
    "refer_case": ("POST", "/v1/operations/{0}/sites/{1}/cases/{2}/referral", False),
    "close_case": ("POST", "/v1/operations/{0}/sites/{1}/cases/{2}/closure", False),
    "open_store": ("POST", "/v1/stores", False),
    "declare_appeal": ("PUT", "/v1/appeals/{0}", False),
    "register_donor": ("POST", "/v1/donors", False),
    "record_cash": ("POST", "/v1/donations/cash", False),
    "record_in_kind": ("POST", "/v1/donations/in-kind", False),
    "correct_valuation": (
        "POST",
        "/v1/donations/{0}/lines/{1}/valuation-corrections",
        False,
    ),
    "dispatch_goods": ("POST", "/v1/stores/{0}/dispatches", False),
    "acknowledge_dispatch": ("POST", "/v1/stores/{0}/dispatches/{1}/acknowledgement", False),
    "send_shipment": ("POST", "/v1/shipments", False),
}


class SimulationError(RuntimeError):
    """The API refused a step the plan expected it to take."""


def encode(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot send {type(value).__name__} as JSON")


class HttpDriver:
    def __init__(self, client: httpx.Client, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.donations: dict[tuple[str, str], str] = {}  # (donor, receipt) -> donation id
        self.book = VoucherBook()

    def send(self, step: Step) -> Answer:
        method, template, is_batch = ROUTES[step.kind]
        target = self.book.resolve_target(step)
        if step.kind == "correct_valuation":  # the API names a gift by the id it answered
            donor, receipt, line = target
            target = (self.donations[(donor, receipt)], line)
        body = self.book.resolve_items(step)
        content = json.dumps(body, default=encode, ensure_ascii=False).encode()
        answer = self.client.request(
            method, template.format(*target), content=content, headers=self.headers
        )
        if answer.status_code >= 400:
            raise SimulationError(
                f"{step.kind} {'/'.join(target)}: {answer.status_code} {answer.text[:500]}"
            )
        body = answer.json()
        self._learn(step, body)
        if step.kind == "record_in_kind":
            self.donations[(step.body["donor"], step.body["receipt"])] = body["detail"]["donation"]
        if is_batch:
            counts = {k: body[k] for k in ("recorded", "duplicate", "rejected")}
            return counts, body["position"]
        return {RECORDED if body["status"] == "recorded" else UNCHANGED: 1}, body["position"]

    def _learn(self, step: Step, body: dict[str, Any]) -> None:
        """Vouchers the answers name, for the later steps' placeholders."""
        if step.kind == "enrolments":
            self.book.remember(step, [item["voucher"] for item in body["items"]])
        elif step.kind == "reissue_voucher":
            self.book.reissued(step.target[1], body["voucher"])  # type: ignore[arg-type]
