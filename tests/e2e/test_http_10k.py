"""10,000 deliveries over HTTP with resends, duplicates and reversals, against an own count."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.test_http_distribution import CAMPAIGN

COMMITTEES = {"anfa": "MA-CAS", "sidi": "MA-CAS", "agdal": "MA-RAB", "medina": "MA-FES"}


class Model:
    """The test's own bookkeeping of what the totals must say."""

    def __init__(self) -> None:
        self.by_household: dict[str, tuple[str, str, int]] = {}  # household -> delivery, c, size
        self.reversed = Counter[str]()

    def apply(self, item: dict[str, object], status: str) -> None:
        if status == "recorded":
            size = int(str(item["household_size"]))
            self.by_household[str(item["household"])] = (
                str(item["delivery_id"]),
                str(item["committee"]),
                size,
            )

    def reverse(self, household: str) -> None:
        _, committee, _ = self.by_household.pop(household)
        self.reversed[committee] += 1

    def served(self, committee: str | None = None) -> tuple[int, int]:
        rows = [v for v in self.by_household.values() if committee in (None, v[1])]
        return len(rows), sum(v[2] for v in rows)


@pytest.mark.slow
def test_ten_thousand_deliveries_match_an_independent_count(live_server: LiveServer) -> None:
    rng = random.Random(2020)
    http = httpx.Client(base_url=live_server.url, timeout=60)
    admin = live_server.token(Role.ADMIN)
    http.post("/v1/campaigns", json=CAMPAIGN, headers=admin).raise_for_status()
    for province in set(COMMITTEES.values()):
        http.put(
            f"/v1/campaigns/ramadan-1441/quotas/{province}",
            json={"households": 9000},
            headers=admin,
        ).raise_for_status()
    for code, province in COMMITTEES.items():
        http.post(
            "/v1/campaigns/ramadan-1441/committees",
            headers=admin,
            json={"code": code, "name": code, "province": province},
        ).raise_for_status()
        http.post(
            f"/v1/campaigns/ramadan-1441/committees/{code}/stock",
            headers=admin,
            json={"quantity": 4000, "reference": "bl-1"},
        ).raise_for_status()
    model, sent = Model(), []
    start = datetime(2020, 4, 25, 8, tzinfo=UTC)
    for b in range(20):
        batch = [
            {
                "delivery_id": f"d{b}-{i}",
                "committee": rng.choice(list(COMMITTEES)),
                "household": f"CIN{rng.randrange(12_000):06d}",
                "household_size": rng.randint(1, 12),
                "delivered_at": (start + timedelta(minutes=rng.randrange(50_000))).isoformat(),
            }
            for i in range(500)
        ]
        batch += rng.sample(sent, min(25, len(sent)))  # resent from a phone that lost the answer
        answer = http.post(
            "/v1/campaigns/ramadan-1441/deliveries", json={"items": batch}, headers=admin
        )
        assert answer.status_code == 200, answer.text
        for item, result in zip(batch, answer.json()["items"], strict=True):
            model.apply(item, result["status"])
        sent += batch
        if b % 4 == 3:
            for household in rng.sample(sorted(model.by_household), 15):
                delivery_id = model.by_household[household][0]
                http.post(
                    f"/v1/campaigns/ramadan-1441/deliveries/{delivery_id}/reversal",
                    json={"reason": "audit"},
                    headers=admin,
                ).raise_for_status()
                model.reverse(household)
    http.post(
        "/v1/campaigns/ramadan-1441/deliveries", json={"items": sent[:500]}, headers=admin
    ).raise_for_status()  # a whole batch resent changes nothing
    head = live_server.container.runner.source.head()
    totals = http.get(
        f"/v1/campaigns/ramadan-1441/totals?min_position={head}", headers=admin
    ).json()
    assert (totals["households_served"], totals["people_reached"]) == model.served()
    assert totals["deliveries_reversed"] == sum(model.reversed.values())
    for row in totals["committee_totals"]:
        assert (row["households_served"], row["people_reached"]) == model.served(row["code"])
        assert row["kits_in_stock"] == 4000 - row["households_served"]
    assert model.served()[0] > 5000  # the mix really exercised thousands of households
