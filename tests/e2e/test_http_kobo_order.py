"""Kobo submissions out of order: an edit before its original (issue 12, point 1)."""

from __future__ import annotations

import httpx

from tests.e2e.test_http_kobo import (  # noqa: F401 - fixtures
    EDIT,
    FIRST,
    HOOK,
    admin,
    basic,
    http,
    secret,
    served,
    submission,
)


def test_an_original_arriving_after_its_edit_is_answered_not_failed(
    http: httpx.Client, admin: dict[str, str], secret: str
) -> None:
    edited = submission(EDIT, household="BE123456", size="7", deprecated=FIRST)
    first = http.post(HOOK, json=edited, headers=basic(secret))
    assert (first.status_code, first.json()["status"]) == (201, "corrected")
    for household in ("BE123456", "BE12345G"):  # the original, same or other household
        late = http.post(HOOK, json=submission(FIRST, household=household), headers=basic(secret))
        assert (late.status_code, late.json()["status"], late.json()["original"]) == (
            200,
            "duplicate",
            {"delivery_id": f"kobo-{FIRST}", "recorded": False, "superseded_by": f"kobo-{EDIT}"},
        )
    totals = served(http, admin, first.json()["position"])
    assert (totals["households_served"], totals["people_reached"]) == (1, 7)
    assert totals["deliveries_reversed"] == 0
