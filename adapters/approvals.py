"""What approvals read from the completeness view: the units of a campaign and their figures.

Both catch the view up first, so an approval names the figures of everything stored
before it, and a committee registered a moment ago is among the units below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date

from sqlalchemy import select

from adapters.database import view_counts, view_labels
from adapters.views import SqlViewStore
from domain.approval.workflow import NATIONAL, RAMADAN, days_of, workflow
from projections import approval
from projections.approved_figures import MEASURES, period_kind, standing
from projections.completeness import VIEW, unit_day


class CompletenessUnits:
    """Each operation's hierarchy: committee -> province -> region -> national for a
    campaign, site -> operation for a Marhaba operation, store -> national for donations."""

    def __init__(self, views: SqlViewStore, catch_up: Callable[[], object]) -> None:
        self.views = views
        self.catch_up = catch_up

    def committees(self, scope: str) -> dict[str, dict[str, str]]:
        """Each registered committee of the campaign with its province and region."""
        return self.labelled(scope, "committee")

    def labelled(self, scope: str, dimension: str) -> dict[str, dict[str, str]]:
        """Each unit the view labels in ``dimension`` (committees, sites, stores)."""
        self.catch_up()
        query = select(view_labels.c.member, view_labels.c.name, view_labels.c.value).where(
            view_labels.c.view == VIEW,
            view_labels.c.scope == scope,
            view_labels.c.dimension == dimension,
        )
        found: dict[str, dict[str, str]] = {}
        with self.views.engine.connect() as conn:
            for member, name, value in conn.execute(query):
                found.setdefault(member, {})[name] = value
        return found

    def _places(self, operation: str, scope: str) -> list[dict[str, str]]:
        """Each lowest-level unit with the unit it belongs to at every level above."""
        if operation == RAMADAN.operation:
            return [
                {"committee": code, "national": NATIONAL, **places}
                for code, places in self.committees(scope).items()
            ]
        flow = workflow(operation)
        top = flow.levels[-1].name
        whole = NATIONAL if top == NATIONAL else scope  # a Marhaba operation: its slug
        return [
            {flow.lowest.name: code, top: whole} for code in self.labelled(scope, flow.lowest.name)
        ]

    def exists(self, operation: str, scope: str, level: str, unit: str) -> bool:
        return any(place.get(level) == unit for place in self._places(operation, scope))

    def children(self, operation: str, scope: str, level: str, unit: str) -> list[str]:
        below = workflow(operation).below(level)
        if below is None:
            return []
        places = self._places(operation, scope)
        return sorted({p[below.name] for p in places if p.get(level) == unit})

    def parent(self, operation: str, scope: str, level: str, unit: str) -> str | None:
        above = workflow(operation).above(level)
        if above is None:
            return None
        for place in self._places(operation, scope):
            if place.get(level) == unit:
                return place[above.name]
        return None


class CompletenessFigures:
    """A unit's households served and people reached over some days, as the view holds them."""

    def __init__(self, views: SqlViewStore, catch_up: Callable[[], object]) -> None:
        self.views = views
        self.catch_up = catch_up

    def at(
        self, operation: str, scope: str, level: str, unit: str, days: Sequence[date]
    ) -> tuple[dict[str, int], int]:
        self.catch_up()
        figures = dict.fromkeys(MEASURES[operation], 0)
        members = [unit_day(unit, day.isoformat()) for day in days]
        query = select(view_counts.c.measure, view_counts.c.value).where(
            view_counts.c.view == VIEW,
            view_counts.c.scope == scope,
            view_counts.c.dimension == level,
            view_counts.c.member.in_(members),
            view_counts.c.measure.in_(list(figures)),
        )
        with self.views.engine.connect() as conn:
            position = self.views.positions([VIEW])[VIEW]
            for measure, value in conn.execute(query):
                figures[measure] += int(value)
        return figures, position


DifferenceRow = tuple[str, str, str, str, str, int | None, int | None]


def approved_differences(views: SqlViewStore) -> Iterator[DifferenceRow]:
    """Every standing approval whose figures differ from its unit's period in ``views``.

    Run on a replay's views (rebuilt from the events alone): while approved, a period's
    figures cannot change, so the figures approved must equal those the events give.
    A row reads (view, scope, level, UNIT|PERIOD, figure:MEASURE, approved, replayed).
    """
    figures = CompletenessFigures(views, lambda: None)
    query = select(view_labels.c.scope, view_labels.c.value).where(
        view_labels.c.view == approval.VIEW,
        view_labels.c.dimension == "workflow",
        view_labels.c.name == "operation",
    )
    with views.engine.connect() as conn:
        books = sorted((str(scope), str(operation)) for scope, operation in conn.execute(query))
    for scope, operation in books:
        table = views.table(approval.VIEW, scope)
        kind = period_kind(table)
        for found in standing(table):
            days = days_of(found["period"], kind)
            counted, _ = figures.at(operation, scope, found["level"], found["unit"], days)
            for measure, value in sorted(found["figures"].items()):
                if counted.get(measure) != value:
                    at = approval.member(found["unit"], found["period"])
                    yield (approval.VIEW, scope, found["level"], at, approval.FIGURE + measure,
                           value, counted.get(measure))  # fmt: skip
