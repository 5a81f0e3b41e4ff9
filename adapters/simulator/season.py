"""The whole 2020 season: the plans of the three operations, in the order they happened."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from adapters.simulator.donations import DonationsPlan, beirut_airlift
from adapters.simulator.figures import Targets, targets
from adapters.simulator.marhaba import MarhabaPlan
from adapters.simulator.noise import Noise
from adapters.simulator.ramadan import RamadanPlan
from adapters.simulator.steps import Step, Tally

DEFAULT_SEED = 2020
DEFAULT_BATCH = 1000


class Plan(Protocol):
    def steps(self) -> Iterator[Step]: ...


class Driver(Protocol):
    def send(self, step: Step) -> tuple[dict[str, int], int]: ...


@dataclass
class Season:
    targets: Targets
    seed: int
    ramadan: RamadanPlan
    marhaba: MarhabaPlan
    donations: DonationsPlan

    @property
    def units(self) -> int:
        """Households delivered, movements recorded and cases opened: the progress bar's length."""
        return self.ramadan.units + self.marhaba.units

    def steps(self) -> Iterator[Step]:
        """March's gifts, Ramadan's kits, then the summer: Marhaba and the Beirut airlift."""
        yield from self.donations.steps()
        yield from self.ramadan.steps()
        yield from self.marhaba.steps()
        yield from beirut_airlift()


def plan(
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    noise: Noise | None = None,
    batch_size: int = DEFAULT_BATCH,
) -> Season:
    """The season at ``scale``; the same seed always gives the same steps."""
    goal = targets(scale)
    field = Noise() if noise is None else noise
    return Season(
        goal,
        seed,
        RamadanPlan(goal.households, seed, field, batch_size),
        MarhabaPlan(goal, seed, field, batch_size),
        DonationsPlan(),
    )


def run(season: Plan, driver: Driver, progress: Callable[[int], None] | None = None) -> Tally:
    """Send every step in order; the tally says what was answered against what was planned."""
    tally = Tally()
    for step in season.steps():
        answer, position = driver.send(step)
        tally.add(step, answer, position)
        if progress is not None and step.units:
            progress(step.units)
    return tally
