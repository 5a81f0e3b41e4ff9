"""The KoboToolbox webhook over real HTTP, with payloads shaped as Kobo's REST Services send
them (flat JSON: ``group/question`` keys, ``meta/instanceID``, ``_id``, ``_uuid``...)."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from domain.actors import Role
from domain.spelling import SHAPE
from tests.conftest import LiveServer
from tests.e2e.test_http_distribution import setup_campaign

FORM = "aKq8fZ3rX7mTnY2bW9cD4e"  # a Kobo asset uid
HOOK = f"/v1/integrations/kobo/{FORM}"
MAPPING = {
    "kind": "deliveries",
    "scope": "ramadan-1441",
    "fields": {
        "committee": "livraison/comite",
        "household": "menage/cin",
        "household_size": "menage/taille",
        "delivered_at": "end",
    },
}
FIRST = "0341c08c-4816-4e2f-9937-be693e203047"
EDIT = "a29ae61e-a02b-4a3e-821d-a952df33f6b3"


def submission(
    instance: str,
    household: str = "BE123456",
    size: str = "5",
    deprecated: str | None = None,
    number: int = 43322108,
) -> dict[str, Any]:
    """One submission as Kobo's JSON REST service posts it (every value a string)."""
    payload: dict[str, Any] = {
        "_id": number,
        "formhub/uuid": "7440ab7d65d54c1aa549bdf173d2d4ae",
        "start": "2020-04-26T10:02:11.120+01:00",
        "end": "2020-04-26T10:15:42.310+01:00",
        "today": "2020-04-26",
        "deviceid": "collect:Xc8ne2kG5UX4bDzR",
        "__version__": "vQmT3nY7r2XbzyF8cPj9uK",
        "livraison/comite": "casa-anfa",
        "livraison/remarque": "Famille rencontrée à domicile",
        "menage/cin": household,
        "menage/taille": size,
        "meta/instanceID": f"uuid:{instance}",
        "meta/instanceName": "livraison-anfa",
        "_xform_id_string": FORM,
        "_uuid": instance,
        "_attachments": [],
        "_status": "submitted_via_web",
        "_geolocation": [33.5731, -7.5898],
        "_submission_time": "2020-04-26T09:15:44",
        "_tags": [],
        "_notes": [],
        "_validation_status": {},
        "_submitted_by": "comite_anfa",
    }
    if deprecated:
        payload["meta/deprecatedID"] = f"uuid:{deprecated}"
    return payload


def basic(secret: str, user: str = "kobo") -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()}


@pytest.fixture
def http(live_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=30)


@pytest.fixture
def admin(live_server: LiveServer, http: httpx.Client) -> dict[str, str]:
    headers = live_server.token(Role.ADMIN)
    setup_campaign(http, headers)
    return headers


@pytest.fixture
def secret(http: httpx.Client, admin: dict[str, str]) -> str:
    answer = http.put(HOOK, json=MAPPING, headers=admin)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["secret"])


def served(http: httpx.Client, admin: dict[str, str], position: int) -> dict[str, Any]:
    url = f"/v1/campaigns/ramadan-1441/totals?min_position={position}"
    return http.get(url, headers=admin).json()


def test_submission_then_kobo_retries_count_once(
    http: httpx.Client, admin: dict[str, str], secret: str
) -> None:
    first = http.post(HOOK, json=submission(FIRST), headers=basic(secret))
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "recorded"
    assert first.json()["id"] == f"kobo-{FIRST}"
    for _ in range(3):  # Kobo resends when it did not see the answer
        retry = http.post(HOOK, json=submission(FIRST), headers=basic(secret))
        assert (retry.status_code, retry.json()["status"]) == (200, "duplicate")
        assert retry.json()["original"]["delivery_id"] == f"kobo-{FIRST}"
    totals = served(http, admin, first.json()["position"])
    assert (totals["households_served"], totals["people_reached"]) == (1, 5)
    committee = totals["committee_totals"][0]
    assert (committee["code"], committee["households_served"]) == ("casa-anfa", 1)


def test_an_edit_corrects_instead_of_counting_twice(
    http: httpx.Client, admin: dict[str, str], secret: str
) -> None:
    http.post(HOOK, json=submission(FIRST, household="BE12345G"), headers=basic(secret))
    edited = submission(EDIT, household="BE123456", size="7", deprecated=FIRST)
    answer = http.post(HOOK, json=edited, headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 201, answer.text
    assert answer.json() | {"position": 0} == {
        "status": "corrected",
        "id": f"kobo-{EDIT}",
        "replaces": f"kobo-{FIRST}",
        "position": 0,
        "original": None,
    }
    totals = served(http, admin, answer.json()["position"])
    assert (totals["households_served"], totals["people_reached"]) == (1, 7)
    assert totals["deliveries_reversed"] == 1
    assert totals["kits_in_stock"] == 2 * 100 - 1  # two committees got 100 kits each
    retried = http.post(HOOK, json=edited, headers=basic(secret))  # Kobo retries the edit
    assert (retried.status_code, retried.json()["status"]) == (200, "duplicate")
    later = http.post(HOOK, json=submission(FIRST, household="BE12345G"), headers=basic(secret))
    assert later.json()["status"] == "duplicate"  # a late retry of the first version
    again = served(http, admin, 0)
    assert (again["households_served"], again["deliveries_reversed"]) == (1, 1)


def test_an_edit_of_an_edit_chains(http: httpx.Client, admin: dict[str, str], secret: str) -> None:
    third = "5b0e9a52-8f0c-4b7e-9a3b-2d9c1f7e6a10"
    http.post(HOOK, json=submission(FIRST, size="4"), headers=basic(secret))
    http.post(HOOK, json=submission(EDIT, size="6", deprecated=FIRST), headers=basic(secret))
    last = http.post(HOOK, json=submission(third, size="2", deprecated=EDIT), headers=basic(secret))
    assert last.json()["replaces"] == f"kobo-{EDIT}"
    totals = served(http, admin, last.json()["position"])
    assert (totals["households_served"], totals["people_reached"]) == (1, 2)
    assert totals["deliveries_reversed"] == 2


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic " + base64.b64encode(b"kobo:kobo_wrong").decode()},
        {"Authorization": "Bearer kobo_wrong"},
        {"Authorization": "Basic not-base64!"},
        {"Authorization": "Digest username=kobo"},
    ],
)
def test_bad_auth_is_401_with_a_basic_challenge(
    http: httpx.Client, admin: dict[str, str], secret: str, headers: dict[str, str]
) -> None:
    answer = http.post(HOOK, json=submission(FIRST), headers=headers)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Basic")
    assert served(http, admin, 0)["households_served"] == 0


def test_an_api_token_is_not_a_form_secret(
    live_server: LiveServer, http: httpx.Client, admin: dict[str, str], secret: str
) -> None:
    answer = http.post(HOOK, json=submission(FIRST), headers=admin)
    assert answer.status_code == 401


def test_unmapped_form_is_404(http: httpx.Client, admin: dict[str, str], secret: str) -> None:
    other = http.post(
        "/v1/integrations/kobo/zzUnmappedForm1", json=submission(FIRST), headers=basic(secret)
    )
    assert other.status_code == 404
    assert other.json()["fields"][0]["field"] == "form"


def test_a_submission_from_another_form_is_refused(
    http: httpx.Client, admin: dict[str, str], secret: str
) -> None:
    payload = submission(FIRST) | {"_xform_id_string": "someOtherForm"}
    answer = http.post(HOOK, json=payload, headers=basic(secret))
    assert answer.status_code == 422
    assert answer.json()["fields"][0]["field"] == "_xform_id_string"


def test_bad_answers_name_the_kobo_field_never_the_id_number(
    http: httpx.Client, admin: dict[str, str], secret: str
) -> None:
    payload = submission(FIRST, household="SECRET#77", size="cinq")
    answer = http.post(HOOK, json=payload, headers=basic(secret))
    assert answer.status_code == 422
    assert answer.json()["fields"] == [
        {"field": "menage/cin", "reason": SHAPE},
        {"field": "menage/taille", "reason": "is not a whole number"},
    ]
    assert "SECRET" not in answer.text
    missing = submission(FIRST)
    del missing["menage/taille"]
    answer = http.post(HOOK, json=missing, headers=basic(secret))
    assert answer.json()["fields"] == [
        {"field": "menage/taille", "reason": "is missing or empty in the submission"}
    ]
    del missing["meta/instanceID"], missing["_uuid"]
    assert http.post(HOOK, json=missing, headers=basic(secret)).status_code == 422


def test_a_service_refusal_is_a_422_kobo_shows_in_its_log(
    http: httpx.Client, admin: dict[str, str], secret: str
) -> None:
    http.post(HOOK, json=submission(FIRST), headers=basic(secret))
    twin = submission(EDIT, household="be 123456")  # same card, new submission
    answer = http.post(HOOK, json=twin, headers=basic(secret))
    assert answer.status_code == 422
    assert answer.json()["fields"] == [
        {"field": "household", "reason": f"household already served by delivery 'kobo-{FIRST}'"}
    ]


def test_mapping_rules_and_secret_rotation(
    live_server: LiveServer, http: httpx.Client, admin: dict[str, str], secret: str
) -> None:
    shown = http.get(HOOK, headers=admin).json()
    assert shown["fields"] == MAPPING["fields"] and shown["secret"] is None
    updated = http.put(HOOK, json=MAPPING | {"constants": {}}, headers=admin)
    assert (updated.status_code, updated.json()["secret"]) == (200, None)
    rotated = http.put(HOOK, json=MAPPING | {"rotate_secret": True}, headers=admin).json()
    assert rotated["secret"] and rotated["secret"] != secret
    assert http.post(HOOK, json=submission(FIRST), headers=basic(secret)).status_code == 401
    ok = http.post(HOOK, json=submission(FIRST), headers=basic(rotated["secret"]))
    assert ok.status_code == 201
    bad = [
        (MAPPING | {"scope": "no-such-campaign"}, 404, "campaign"),
        (MAPPING | {"kind": "parcels"}, 422, "kind"),
        ({**MAPPING, "fields": {"committee": "livraison/comite"}}, 422, "fields.household"),
        (MAPPING | {"constants": {"household": "BE1"}}, 422, "constants.household"),
        (MAPPING | {"constants": {"nickname": "x"}}, 422, "constants.nickname"),
    ]
    for body, status, field in bad:
        answer = http.put(HOOK, json=body, headers=admin)
        assert (answer.status_code, answer.json()["fields"][0]["field"]) == (status, field)
    committee = live_server.token(Role.COMMITTEE, "casa-anfa", "ramadan-1441")
    assert http.put(HOOK, json=MAPPING, headers=committee).status_code == 403


def test_a_form_per_committee_with_a_constant_and_bare_question_names(
    http: httpx.Client, admin: dict[str, str]
) -> None:
    mapping = {
        "scope": "ramadan-1441",
        "fields": {"household": "cin", "household_size": "taille", "delivered_at": "today"},
        "constants": {"committee": "casa-sidi"},
    }
    secret = http.put(HOOK, json=mapping, headers=admin).json()["secret"]
    payload = submission(FIRST)
    del payload["livraison/comite"]
    answer = http.post(HOOK, json=payload, headers=basic(secret))
    assert answer.status_code == 201, answer.text
    totals = served(http, admin, answer.json()["position"])
    sidi = {c["code"]: c for c in totals["committee_totals"]}["casa-sidi"]
    assert sidi["households_served"] == 1
    assert totals["days"] == [{"day": "2020-04-26", "households_served": 1, "people_reached": 5}]


def test_submission_time_is_read_as_utc(http: httpx.Client, admin: dict[str, str]) -> None:
    # Kobo's _submission_time has no offset and is UTC; on 10 June 2020 Morocco was at
    # UTC+1, so 23:30 UTC is already 11 June in Casablanca.
    mapping = MAPPING | {"fields": {**MAPPING["fields"], "delivered_at": "_submission_time"}}
    secret = http.put(HOOK, json=mapping, headers=admin).json()["secret"]
    payload = submission(FIRST) | {"_submission_time": "2020-06-10T23:30:00"}
    answer = http.post(HOOK, json=payload, headers=basic(secret))
    assert answer.status_code == 201, answer.text
    days = served(http, admin, answer.json()["position"])["days"]
    assert [d["day"] for d in days] == ["2020-06-11"]


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
