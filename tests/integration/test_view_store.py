"""The view store's compare-and-set, on SQLite and PostgreSQL: one winner per move."""

from __future__ import annotations

import threading

from adapters.bootstrap import Container
from projections.tally import Delta


def one(amount: int) -> Delta:
    delta = Delta()
    delta.add("s", "d", "m", "k", amount)
    return delta


def test_a_first_batch_committed_twice_is_refused_the_second_time(container: Container) -> None:
    views = container.views
    assert views.commit({"v": (one(5), 0, 9)}) is True
    assert views.commit({"v": (one(5), 0, 9)}) is False
    assert views.positions(["v"]) == {"v": 9}
    assert views.table("v", "s").value("d", "m", "k") == 5


def test_racing_first_batches_have_exactly_one_winner(container: Container) -> None:
    views, barrier, won = container.views, threading.Barrier(4), []

    def commit() -> None:
        barrier.wait()
        won.append(views.commit({"v": (one(1), 0, 9), "w": (one(1), 0, 9)}))

    threads = [threading.Thread(target=commit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == [False, False, False, True]
    assert views.table("v", "s").value("d", "m", "k") == 1
    assert views.table("w", "s").value("d", "m", "k") == 1
