"""The paced HTTP load: four clients that together offer a fixed rate, evenly spaced."""

from __future__ import annotations

from itertools import pairwise

import pytest

from benchmarks.http_replicas import BATCH, schedule


def test_paced_clients_together_send_a_batch_every_batch_over_rate_seconds() -> None:
    clients, rate, count = 4, 5_000.0, 6

    due = sorted(t for c in range(clients) for t in schedule(10.0, c, clients, count, rate))

    gaps = {round(b - a, 9) for a, b in pairwise(due)}
    assert gaps == {BATCH / rate}
    assert due[0] == 10.0 and len(due) == clients * count
    assert BATCH * len(due) / (due[-1] - due[0] + BATCH / rate) == pytest.approx(rate)


def test_one_paced_client_keeps_its_own_share_of_the_rate() -> None:
    due = schedule(0.0, 2, 4, 3, 2_000.0)

    assert due == pytest.approx([0.5, 1.5, 2.5])  # 4 x 500 / 2,000 = 1 s apart, a quarter in
