"""Which views each process keeps: the command side's, the totals, and what Kafka feeds."""

from __future__ import annotations

from adapters.lag import LagProbe
from adapters.settings import Settings
from adapters.views import SqlViewStore
from domain.ledger import Ledger
from projections import approval, completeness, delivery_index, distribution, donations, marhaba
from projections.ports import Projection

# Views that commands read: always kept by the API process, straight from the store.
# (completeness: the figures an approval names and the units it waits for.)
COMMAND_PROJECTIONS: tuple[Projection, ...] = (delivery_index.PROJECTION, completeness.PROJECTION)
# Views people read: fed in-process, or by Kafka workers in the scaled-out deployment.
TOTALS_PROJECTIONS: tuple[Projection, ...] = (
    distribution.PROJECTION,
    marhaba.PROJECTION,
    donations.PROJECTION,
    approval.PROJECTION,
)


def all_projections() -> tuple[Projection, ...]:
    """Every read model of every operation: what a replay rebuilds."""
    return COMMAND_PROJECTIONS + TOTALS_PROJECTIONS


def projections_for(settings: Settings) -> tuple[Projection, ...]:
    """What the API's own runner keeps current."""
    if settings.projection_source == "kafka":
        return COMMAND_PROJECTIONS
    return COMMAND_PROJECTIONS + TOTALS_PROJECTIONS


def fed_elsewhere(settings: Settings) -> tuple[Projection, ...]:
    """Views other processes keep (Kafka workers), which the API reads and waits for."""
    return TOTALS_PROJECTIONS if settings.projection_source == "kafka" else ()


def lag_probe(settings: Settings, ledger: Ledger, views: SqlViewStore) -> LagProbe:
    """Lag of every view the API serves, and of the relay when Kafka feeds the totals."""
    names = [p.name for p in projections_for(settings) + fed_elsewhere(settings)]
    topic = settings.kafka_topic if settings.projection_source == "kafka" else None
    return LagProbe(ledger, views, names, topic, settings.relay_shards)
