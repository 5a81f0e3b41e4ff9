"""Long-running processes tell the garbage collector what start-up built for good."""

from __future__ import annotations

import gc


def settle_heap() -> None:
    """Exempt every object alive now (modules, classes, the container) from collection.

    Python's full collections re-scan every tracked object; after start-up that is some
    90,000 objects that live as long as the process. An ingest batch makes thousands of
    objects at once and triggers full collections often enough that re-scanning them took
    about a tenth of its time. Called once by ``tadamon serve``, ``relay`` and ``project``
    when they are ready, never by library code or tests (what is frozen is never collected).
    """
    gc.collect()
    gc.freeze()
