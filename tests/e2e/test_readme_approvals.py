"""The README's approvals walkthrough runs as written: committee to national, lock, release."""

from __future__ import annotations

import json
from pathlib import Path

from adapters.settings import Settings
from tests.conftest import LiveServer
from tests.e2e.test_readme import run_section, walkthrough_server  # noqa: F401 - fixture

LEVELS = [
    ("committee", "casa-maarif"),
    ("province", "MA-CAS"),
    ("region", "MA-06"),
    ("national", "national"),
]


def test_approvals_walkthrough_runs_as_written(
    walkthrough_server: tuple[LiveServer, Settings],  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    done = run_section("approvals", walkthrough_server, tmp_path)
    answers = [json.loads(line) for line in done.stdout.strip().splitlines()]
    assert len(answers) == 16 + 11
    assert answers[4]["recorded"] == 1
    early, approvals = answers[5], answers[6:10]
    assert (early["error"], early["fields"][0]["field"]) == ("conflict", "unit")
    assert [a["status"] for a in approvals] == ["recorded"] * 4
    reversal, late, held = answers[10], answers[11], answers[12]
    assert reversal["error"] == "conflict"
    assert reversal["message"].startswith("committee 'casa-maarif' period 2021-04-14 was approved")
    assert (late["rejected"], late["items"][0]["code"]) == (1, "held_for_approved_period")
    assert [(h["fact_id"], h["unit"], h["period"]) for h in held] == [
        ("maarif-2", "casa-maarif", "2021-04-14")
    ]
    assert "household_key" not in held[0]["facts"]
    unapproval, standing, totals = answers[13], answers[14], answers[15]
    assert unapproval["status"] == "recorded"
    assert standing["approvals"] == []  # the committee and every level above it unlocked
    assert (totals["households_served"], totals["people_reached"]) == (2, 4 + 6)
    operation, site, ferry = answers[16], answers[17], answers[19]
    assert (operation["status"], site["status"], ferry["recorded"]) == (
        "recorded",
        "recorded",
        1,
    )
    tanger, early, genoa, whole = answers[20:24]
    assert [tanger["status"], genoa["status"], whole["status"]] == ["recorded"] * 3
    assert (early["error"], early["message"]) == (
        "conflict",
        "not every site below is approved for this period (waiting for: port-genoa)",
    )
    late, case, figures = answers[24], answers[25], answers[26]
    assert (late["rejected"], late["items"][0]["code"]) == (1, "held_for_approved_period")
    assert (case["status"], case["code"]) == ("held_for_approved_period",) * 2
    assert "site 'port-tanger' period 2021-07-16 was approved" in case["reason"]
    assert [(f["level"], f["unit"], f["arrivals"], f["approved_level"]) for f in figures] == [
        ("site", "port-tanger", 420, "operation"),
        ("operation", "marhaba-2021", 420, "operation"),
    ]
