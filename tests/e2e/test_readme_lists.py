"""The README's lists walkthrough runs as written: enrolment, list, delivery by voucher, delta."""

from __future__ import annotations

import json
from pathlib import Path

from adapters.settings import Settings
from tests.conftest import LiveServer
from tests.e2e.test_readme import run_section, walkthrough_server  # noqa: F401 - fixture


def test_lists_walkthrough_runs_as_written(
    walkthrough_server: tuple[LiveServer, Settings],  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    done = run_section("lists-walkthrough", walkthrough_server, tmp_path)
    lines = [json.loads(line) for line in done.stdout.strip().splitlines()]
    enrolled, listed, served, delta, totals = lines[-5:]
    voucher = enrolled["items"][0]["voucher"]
    assert sorted(e[1] for e in listed["entries"]) == [3, 5]
    assert "BE123456" not in done.stdout
    assert [(i["status"], i["reason"]) for i in served["items"]] == [
        ("recorded", None),
        ("rejected", "not_on_list: this household is on no list"),
    ]
    assert delta["entries"] == [[voucher, 5, "anfa-0001"]]
    figures = [totals[k] for k in ("listed", "listed_served", "listed_remaining")]
    assert figures == [2, 1, 1]
