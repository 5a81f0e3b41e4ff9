"""Every event a season stores is the library's own JSON: its transcoder reads it the same."""

from __future__ import annotations

from eventsourcing.persistence import JSONTranscoder

from adapters.bootstrap import Container
from adapters.codec import FastJSONTranscoder
from adapters.simulator.season import plan, run
from adapters.simulator.service_driver import ServiceDriver


def test_stored_events_are_the_librarys_json(container: Container) -> None:
    run(plan(0.0005, seed=5, batch_size=50), ServiceDriver(container))
    assert isinstance(container.ledger.mapper.transcoder, FastJSONTranscoder)
    library = JSONTranscoder()
    container.ledger.register_transcodings(library)
    notifications = container.ledger.recorder.select_notifications(start=1, limit=100_000)
    topics = {n.topic for n in notifications}

    for n in notifications:
        state = bytes(n.state)
        assert library.encode(library.decode(state)) == state, n.topic
        assert container.ledger.mapper.transcoder.decode(state) == library.decode(state)
    assert len(notifications) > 500 and len(topics) > 20  # every kind of fact, not a few
