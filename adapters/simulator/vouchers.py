"""What a driver learns of the vouchers: the codes the plan's placeholders stand for."""

from __future__ import annotations

from typing import Any

from adapters.simulator.enrolment import VoucherOf
from adapters.simulator.steps import Step


class VoucherBook:
    def __init__(self) -> None:
        self.current: dict[str, str] = {}
        self.revoked: dict[str, str] = {}

    def remember(self, step: Step, codes: list[str]) -> None:
        """Keep the answered codes of the items the step asks to remember."""
        for index in step.remember:
            self.current[step.items[index]["household"]] = codes[index]

    def code(self, ref: VoucherOf) -> str:
        return (self.revoked if ref.revoked else self.current)[ref.household]

    def reissued(self, ref: VoucherOf, new: str) -> None:
        self.revoked[ref.household] = self.current[ref.household]
        self.current[ref.household] = new

    def resolve_target(self, step: Step) -> tuple[str, ...]:
        return tuple(self.code(t) if isinstance(t, VoucherOf) else t for t in step.target)

    def resolve_items(self, step: Step) -> dict[str, Any]:
        """The step's body with every voucher placeholder replaced by its code."""
        if step.kind != "deliveries":
            return step.body
        items = [
            {**i, "voucher": self.code(i["voucher"])} if isinstance(i.get("voucher"), VoucherOf)
            else i
            for i in step.items
        ]  # fmt: skip
        return {**step.body, "items": items}
