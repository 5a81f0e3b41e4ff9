"""Assistance cases: the social and medical help given at the sites, summing to 9,841 people.

A case covers one traveller or a family. COVID-positive returnees are referred
to Ministry of Health hospitals; the consular desks abroad mostly handle
papers. Most cases are closed within the day or the next.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from adapters.simulator.marhaba_sites import ABROAD, COUNTED, DAYS, OPERATION, SITES, day_weights
from adapters.simulator.noise import Noise
from adapters.simulator.steps import Step, command
from adapters.simulator.timeline import Entry, local

PEOPLE = {1: 55, 2: 15, 3: 10, 4: 9, 5: 7, 6: 4}
CATEGORIES = {"medical": 35, "social": 30, "administrative": 15, "covid": 20}
CATEGORIES_ABROAD = {"administrative": 60, "social": 30, "medical": 10}
ABROAD_DESK = 8  # a consular desk abroad sees about as many cases as a small airport
CASE_WEIGHTS = {code: ABROAD_DESK if code in ABROAD else sum(COUNTED[code]) for code, *_ in SITES}
CITIES = {code: city for code, _, _, city, *_ in SITES}
CONSULATES = {"port-sete": "Montpellier", "port-genoa": "Gênes", "abroad-orly": "Orly"}
CLOSED_SHARE = 0.92
CASE_ORDER = 1_000_000  # timeline tie-break: on the same minute, movements first


@dataclass(frozen=True, slots=True)
class Case:
    site: str
    opening: dict[str, Any]
    referral: dict[str, Any] | None
    closure: dict[str, Any] | None

    @property
    def opened_at(self) -> datetime:
        moment: datetime = self.opening["opened_at"]
        return moment


def referral(rng: random.Random, site: str, category: str) -> tuple[str, str] | None:
    """Where a case of ``category`` at ``site`` is sent, if anywhere."""
    city = CITIES[site]
    chance = {"covid": 1.0, "medical": 0.4, "social": 0.2, "administrative": 0.2}[category]
    if rng.random() >= chance:
        return None
    if category == "covid":
        return "moh_hospital", f"Centre hospitalier provincial, {city}"
    if category == "medical":
        if rng.random() < 0.7:
            return "moh_hospital", f"Centre hospitalier provincial, {city}"
        return "other_hospital", f"Clinique, {city}"
    if category == "social":
        return "social_services", f"Entraide Nationale, {city}"
    if site in CONSULATES:
        return "consulate", f"Consulat général du Maroc à {CONSULATES[site]}"
    return "local_authority", f"Autorité locale, {city}"


class CasePlan:
    def __init__(self, people: int, seed: int, noise: Noise) -> None:
        self.rng = random.Random(f"{seed}/marhaba/cases")
        self.noise = noise
        self.cases = self.plan(people)
        self.count = len(self.cases)

    def plan(self, people: int) -> list[Case]:
        both = zip(day_weights("arrival"), day_weights("departure"), strict=True)
        weights = [arrivals + departures for arrivals, departures in both]
        sites = list(CASE_WEIGHTS)
        made: list[Case] = []
        while people > 0:
            size = min(people, self.rng.choices(list(PEOPLE), list(PEOPLE.values()))[0])
            people -= size
            site = self.rng.choices(sites, list(CASE_WEIGHTS.values()))[0]
            day = self.rng.choices(DAYS, weights)[0]
            opened_at = local(day, self.rng.randrange(7 * 60, 21 * 60))
            made.append(self.case(len(made) + 1, site, size, opened_at))
        return made

    def case(self, number: int, site: str, people: int, opened_at: datetime) -> Case:
        kinds = CATEGORIES_ABROAD if site in ABROAD else CATEGORIES
        category = self.rng.choices(list(kinds), list(kinds.values()))[0]
        opening: dict[str, Any] = {
            "case_id": f"case-{number:05d}",
            "category": category,
            "people": people,
            "opened_at": opened_at,
        }
        if self.rng.random() < 0.5:
            opening["traveller"] = f"P{self.rng.randrange(10**8):08d}"
        after = opened_at + timedelta(minutes=self.rng.randint(30, 180))
        sent = referral(self.rng, site, category)
        referred = None
        if sent:
            referred = {"destination": sent[0], "institution": sent[1], "referred_at": after}
            after += timedelta(minutes=self.rng.randint(60, 24 * 60))
        closed = None
        if self.rng.random() < CLOSED_SHARE:
            closed = {"reason": "assistance completed", "closed_at": after}
        return Case(site, opening, referred, closed)

    def entries(self) -> Iterator[Entry]:
        for n, case in enumerate(self.cases):
            target = (OPERATION, case.site)
            order = CASE_ORDER + n
            opened = [command("open_case", target, case.opening, units=1)]
            if self.rng.random() < self.noise.case_resend:
                opened.append(command("open_case", target, case.opening, fresh=False))
            yield Entry(case.opened_at, order, tuple(opened))
            path = (*target, case.opening["case_id"])
            if case.referral:
                steps = self.referral_steps(path, case.referral)
                yield Entry(case.referral["referred_at"], order, steps)
            if case.closure:
                step = command("close_case", path, case.closure)
                yield Entry(case.closure["closed_at"], order, (step,))

    def referral_steps(self, path: tuple[str, ...], body: dict[str, Any]) -> tuple[Step, ...]:
        steps = [command("refer_case", path, body)]
        if self.rng.random() < self.noise.command_resend:
            steps.append(command("refer_case", path, body, fresh=False))
        return tuple(steps)
