"""A settled heap leaves start-up's objects out of the collector's scans."""

from __future__ import annotations

import gc

from adapters.heap import settle_heap


def test_settling_freezes_what_is_alive() -> None:
    gc.unfreeze()
    try:
        settle_heap()
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0
