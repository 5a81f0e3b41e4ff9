"""`tadamon kobo sync`: edits and deletions made in Kobo reach the ledger, once.

Against a stand-in for Kobo's data API (tests/kobo_standin.py) and the real API server on
both stores: a submission the webhook already took, two it never got (over two pages), an
edit, a deletion, and pulls repeated with nothing new.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from adapters.bootstrap import kobo_pull
from adapters.kobo.kobo_api import KoboApiError, KoboDataApi
from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.test_http_distribution import setup_campaign
from tests.e2e.test_http_kobo import EDIT, FIRST, FORM, HOOK, MAPPING, basic, submission
from tests.kobo_standin import KoboStandIn

TOKEN = "0123456789abcdef0123456789abcdef01234567"  # a Kobo API token's shape
SECOND = "8c1f7e0a-2b3d-4e5f-8a9b-0c1d2e3f4a5b"
THIRD = "d4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70"
NINE_FORTY, TEN_FIVE = "2020-04-26T09:40:02", "2020-04-26T10:05:19"  # Kobo: UTC, no offset


def at(payload: dict[str, Any], submitted: str, edited: str | None = None) -> dict[str, Any]:
    payload["_submission_time"] = submitted
    if edited:
        payload["_last_edited"] = edited
    return payload


@pytest.fixture
def kobo(live_server: LiveServer) -> Any:
    http = httpx.Client(base_url=live_server.url, timeout=30)
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    secret = http.put(HOOK, json=MAPPING, headers=admin).json()["secret"]
    with KoboStandIn(FORM, TOKEN) as standin:
        yield http, admin, secret, standin


def totals(http: httpx.Client, admin: dict[str, str], position: int) -> dict[str, Any]:
    params = {"min_position": position}
    return dict(http.get("/v1/campaigns/ramadan-1441/totals", params=params, headers=admin).json())


def expected(standin: KoboStandIn) -> tuple[int, int]:
    """Households and people of the submissions Kobo still holds, as Kobo holds them."""
    held = standin.submissions.values()
    return len(held), sum(int(s["menage/taille"]) for s in held)


def test_sync_takes_edits_and_deletions_once(kobo: Any, live_server: LiveServer) -> None:
    http, admin, secret, standin = kobo
    first = at(submission(FIRST, "BE123456", "5", number=1), "2020-04-26T09:15:44")
    assert http.post(HOOK, json=first, headers=basic(secret)).status_code == 201
    standin.submissions[1] = first
    standin.submissions[2] = at(
        submission(SECOND, "BE654321", "3", number=2), "2020-04-26T09:40:02"
    )
    standin.submissions[3] = at(submission(THIRD, "BK111222", "4", number=3), TEN_FIVE)
    pull, api = kobo_pull(live_server.container), KoboDataApi(standin.url, TOKEN)

    report = pull.sync(FORM, api)
    assert dict(report.counts) == {"duplicate": 1, "recorded": 2}
    assert report.since == TEN_FIVE
    assert [r.get("start", ["0"]) for r in standin.requests] == [["0"], ["2"]]  # two pages

    edited = submission(EDIT, "BE123456", "7", deprecated=FIRST, number=1)
    standin.submissions[1] = at(edited, "2020-04-26T09:15:44", "2020-04-27T08:00:00")
    del standin.submissions[3]
    report = pull.sync(FORM, api)
    assert dict(report.counts) == {"corrected": 1, "reversed": 1}
    assert report.problems == []
    shown = totals(http, admin, live_server.container.ledger.recorder.max_notification_id() or 0)
    assert (shown["households_served"], shown["people_reached"]) == expected(standin)
    assert shown["deliveries_reversed"] == 2  # the first version, and the deleted one

    again = pull.sync(FORM, api)  # Kobo lists the edit again (same timestamp): counted once
    assert dict(again.counts) == {"duplicate": 1}
    resent = http.post(HOOK, json=standin.submissions[1], headers=basic(secret))
    assert (resent.status_code, resent.json()["status"]) == (200, "duplicate")
    final = totals(http, admin, 0)
    assert (final["households_served"], final["people_reached"]) == expected(standin)
    assert final["deliveries_reversed"] == 2


def test_a_query_asks_for_what_changed_since_the_last_pull(
    kobo: Any, live_server: LiveServer
) -> None:
    _http, _admin, _secret, standin = kobo
    standin.submissions[2] = at(
        submission(SECOND, "BE654321", "3", number=2), "2020-04-26T09:40:02"
    )
    pull, api = kobo_pull(live_server.container), KoboDataApi(standin.url, TOKEN)
    pull.sync(FORM, api)
    pull.sync(FORM, api)
    since = {"_submission_time": {"$gte": NINE_FORTY}}
    changed = {"$or": [since, {"_last_edited": {"$gte": NINE_FORTY}}]}
    queries = [json.loads(r["query"][0]) for r in standin.requests if "query" in r]
    assert queries == [{}, changed]


def test_a_refused_token_is_said(kobo: Any, live_server: LiveServer) -> None:
    _http, _admin, _secret, standin = kobo
    with pytest.raises(KoboApiError, match="refused the API token"):
        kobo_pull(live_server.container).sync(FORM, KoboDataApi(standin.url, "wrong"))
