"""Folds that dispatch on the event's class: the shape every view here takes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from projections.ports import Projection
from projections.tally import Delta

Handler = Callable[[Delta, Any], None]


def dispatching(view: str, handlers: Mapping[tuple[type, str], Handler]) -> Projection:
    """A projection whose fold hands each event to the handler of its class.

    Keys name an aggregate and one of its events, e.g. ``(Campaign, "Launched")``:
    the @event decorator makes those classes at import time, so they are looked up
    by name here (and mypy cannot see them as attributes).
    """
    by_class = {
        getattr(aggregate, name): handler for (aggregate, name), handler in handlers.items()
    }

    def fold(state: Delta, event: object) -> Delta:
        handler = by_class.get(type(event))
        if handler is not None:
            handler(state, event)
        return state

    return Projection(view, fold, frozenset(by_class))
