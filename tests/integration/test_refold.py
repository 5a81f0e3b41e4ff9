"""`tadamon refold VIEW`: a view whose fold changed is folded again from the first event.

An upgrade that makes a fold count something new (the board's per-region days, the
dispatches per month) leaves the live rows written by the old fold; `tadamon replay`
then names them as differences. Refolding drops the view's rows, position and
checkpoints at once, and the runner folds it from the start, on both stores.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from adapters.bootstrap import Container
from adapters.settings import Settings
from projections import distribution
from tests.integration.test_audit_cli import run
from tests.workload import CAMPAIGN, assert_totals_exact, deliver, launch


def old_fold_rows(container: Container) -> None:
    """What an older fold left: one dimension missing, one count off."""
    with container.engine.begin() as conn:
        conn.execute(
            text("DELETE FROM view_counts WHERE \"view\" = :v AND dimension = 'region_day'"),
            {"v": distribution.VIEW},
        )
        conn.execute(
            text(
                'UPDATE view_counts SET value = value + 7 WHERE "view" = :v AND scope = :c '
                "AND dimension = 'campaign' AND measure = 'households_served'"
            ),
            {"v": distribution.VIEW, "c": CAMPAIGN},
        )


def test_a_refolded_view_equals_the_fold_of_the_whole_history(
    container: Container, store_settings: Settings
) -> None:
    launch(container)
    deliver(container, 0, 600)
    container.runner.catch_up()
    assert_totals_exact(container)
    old_fold_rows(container)
    with pytest.raises(AssertionError):
        assert_totals_exact(container)

    answer = run(store_settings, "refold", distribution.VIEW)

    assert answer.exit_code == 0, answer.output
    assert f"view {distribution.VIEW}:" in answer.output
    assert container.views.positions([distribution.VIEW])[distribution.VIEW] == 0
    container.runner.catch_up()
    assert_totals_exact(container)
    assert container.views.positions([distribution.VIEW])[distribution.VIEW] > 0


def test_an_unknown_view_is_named_and_nothing_is_dropped(
    container: Container, store_settings: Settings
) -> None:
    launch(container)
    deliver(container, 0, 50)
    container.runner.catch_up()
    before = container.views.dump()

    answer = run(store_settings, "refold", "distributon")

    assert answer.exit_code != 0
    assert "no view 'distributon'" in answer.output
    assert container.views.dump() == before
