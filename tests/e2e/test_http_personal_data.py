"""Contacts encrypted per household, reads logged for the auditor, and forgetting a person:
the contact becomes unreadable while every total and every proof stays the same."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from adapters.audit import verifier
from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.test_http_audit import export, public_key, record
from tests.e2e.test_http_distribution import delivery, setup_campaign
from tests.integration.test_audit_cli import run

NAME, PHONE = "Fatima Zahra El Idrissi", "+212 661 234 567"
DELIVERY = "/v1/campaigns/ramadan-1441/deliveries"


@pytest.fixture
def http(live_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=60)


@pytest.fixture
def recorded(live_server: LiveServer, http: httpx.Client) -> dict[str, dict[str, str]]:
    tokens = {role: live_server.token(role) for role in (Role.ADMIN, Role.AUDITOR)}
    tokens[Role.COMMITTEE] = live_server.token(Role.COMMITTEE, "casa-anfa", "ramadan-1441")
    setup_campaign(http, tokens[Role.ADMIN])
    record(http, tokens[Role.COMMITTEE], range(1, 2), contact={"name": NAME, "phone": PHONE})
    record(http, tokens[Role.COMMITTEE], range(2, 3), contact={"phone": "0522 44 55 66"})
    record(http, tokens[Role.COMMITTEE], range(3, 6))
    return {role.value: headers for role, headers in tokens.items()}


def test_a_contact_enters_the_log_only_encrypted(
    http: httpx.Client, recorded: dict[str, dict[str, str]]
) -> None:
    lines = export(http, recorded["auditor"])
    states = [base64.b64decode(json.loads(line)["state"]) for line in lines]
    everything = b"".join(states)
    # Whole values only: short digit runs turn up by chance in hex hashes and ciphertext.
    assert b"Fatima" not in everything and PHONE.encode() not in everything
    assert b"661 234 567" not in everything and b"661234567" not in everything
    assert b"BK000001" not in everything  # the household number itself is only hashed
    sealed = [json.loads(s)["contact"] for s in states if b'"contact":{' in s]
    assert len(sealed) == 2
    assert {c["scheme"] for c in sealed} == {"aes256gcm-v1"}
    assert sealed[0]["key"] != sealed[1]["key"]  # one key per household


def test_admins_and_auditors_read_contacts_and_every_read_is_logged(
    http: httpx.Client, recorded: dict[str, dict[str, str]]
) -> None:
    shown = http.get(f"{DELIVERY}/d-1", headers=recorded["admin"]).json()
    assert (shown["contact_status"], shown["contact"]) == ("shown", {"name": NAME, "phone": PHONE})
    assert shown["household_size"] == 5 and shown["committee"] == "casa-anfa"
    by_auditor = http.get(f"{DELIVERY}/d-2", headers=recorded["auditor"]).json()
    assert by_auditor["contact"] == {"name": None, "phone": "0522 44 55 66"}
    none = http.get(f"{DELIVERY}/d-3", headers=recorded["admin"]).json()
    assert (none["contact_status"], none["contact"]) == ("none", None)
    assert http.get(f"{DELIVERY}/d-1", headers=recorded["committee"]).status_code == 403
    assert http.get(f"{DELIVERY}/nope", headers=recorded["admin"]).status_code == 404
    trail = http.get("/v1/audit/personal-data-reads", headers=recorded["auditor"]).json()
    assert [(e["action"], e["record"]) for e in trail] == [
        ("read", "ramadan-1441/d-1"),
        ("read", "ramadan-1441/d-2"),
    ]
    assert trail[0]["actor"].startswith("admin#") and trail[1]["actor"].startswith("auditor#")
    assert http.get("/v1/audit/personal-data-reads", headers=recorded["admin"]).status_code == 403
    later = http.get("/v1/audit/personal-data-reads?after=1", headers=recorded["auditor"]).json()
    assert [e["record"] for e in later] == ["ramadan-1441/d-2"]


def test_forgetting_a_person_erases_them_and_keeps_totals_and_proofs(
    live_server: LiveServer, http: httpx.Client, recorded: dict[str, dict[str, str]]
) -> None:
    admin = recorded["admin"]
    head = http.post("/v1/audit/tree-heads", headers=admin).json()
    totals = http.get("/v1/campaigns/ramadan-1441/totals", headers=admin).json()
    before = export(http, admin)
    position = next(
        json.loads(line)["position"]
        for line in before
        if b'"delivery_id":"d-1"' in base64.b64decode(json.loads(line)["state"])
    )

    forgotten = run(live_server.container.settings, "forget", "BK000001")
    assert forgotten.exit_code == 0, forgotten.output
    assert "BK000001" not in forgotten.stdout

    erased = http.get(f"{DELIVERY}/d-1", headers=admin).json()
    assert (erased["contact_status"], erased["contact"]) == ("erased", None)
    other = http.get(f"{DELIVERY}/d-2", headers=admin).json()
    assert other["contact_status"] == "shown"  # only that person is gone
    assert http.get("/v1/campaigns/ramadan-1441/totals", headers=admin).json() == totals

    after = export(http, admin)
    assert after == before  # the log itself is untouched...
    key = public_key(http)
    assert verifier.verify_export(after, head, key).ok  # ...so the old head still verifies
    newer = http.post("/v1/audit/tree-heads", headers=admin).json()
    assert newer["root_hash"] == head["root_hash"]
    proof = http.get(
        "/v1/audit/proofs/inclusion",
        params={"position": position, "tree_size": head["tree_size"]},
        headers=admin,
    ).json()
    assert verifier.verify_inclusion(
        bytes.fromhex(proof["leaf_hash"]),
        proof["leaf_index"],
        head["tree_size"],
        [bytes.fromhex(n) for n in proof["audit_path"]],
        bytes.fromhex(head["root_hash"]),
    )
    trail = http.get("/v1/audit/personal-data-reads", headers=recorded["auditor"]).json()
    hasher = live_server.container.distribution.hasher
    # Erased contacts are not logged as reads: nothing personal was shown.
    assert [(e["action"], e["actor"], e["record"]) for e in trail] == [
        ("forget", "operator@command-line", f"person {hasher.digest('BK000001')[:12]}"),
        ("read", trail[1]["actor"], "ramadan-1441/d-2"),
    ]
    again = run(live_server.container.settings, "forget", "BK000001")
    assert again.exit_code == 1 and "no personal data key" in again.stderr


def test_forgetting_by_person_id_and_a_new_contact_gets_a_new_key(
    live_server: LiveServer, http: httpx.Client, recorded: dict[str, dict[str, str]]
) -> None:
    person = live_server.container.distribution.hasher.digest("BK000002")
    assert run(live_server.container.settings, "forget", person).exit_code == 0
    admin = recorded["admin"]
    assert http.get(f"{DELIVERY}/d-2", headers=admin).json()["contact_status"] == "erased"
    reversed_ = http.post(f"{DELIVERY}/d-2/reversal", json={"reason": "typo"}, headers=admin)
    assert reversed_.status_code == 201
    item = delivery(9, household="BK000002") | {"contact": {"name": "New consent"}}
    sent = http.post(f"{DELIVERY}?wait=true", json={"items": [item]}, headers=admin).json()
    assert sent["recorded"] == 1
    fresh = http.get(f"{DELIVERY}/d-9", headers=admin).json()
    assert fresh["contact"] == {"name": "New consent", "phone": None}


def test_a_sealed_contact_moved_to_another_record_reads_as_erased(
    live_server: LiveServer, recorded: dict[str, dict[str, str]]
) -> None:
    from domain.actors import Actor

    container = live_server.container
    household = container.distribution.delivery("ramadan-1441", "d-1", Actor(Role.ADMIN, "t"))
    assert household.contact is not None
    personal = container.personal
    assert not personal.reveal(household.contact, "ramadan-1441/d-1", "test").erased
    assert personal.reveal(household.contact, "ramadan-1441/d-3", "test").erased


@pytest.mark.parametrize(
    ("contact", "field"),
    [
        ({}, "items.0.contact"),
        ({"phone": "call me maybe"}, "items.0.contact.phone"),
        ({"name": "x", "email": "a@b"}, "items.0.contact.email"),
    ],
)
def test_bad_contacts_are_refused_without_echoing_them(
    live_server: LiveServer, http: httpx.Client, contact: dict[str, Any], field: str
) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    answer = http.post(
        DELIVERY, json={"items": [delivery(1) | {"contact": contact}]}, headers=admin
    )
    assert answer.status_code == 422, answer.text
    assert field in [f["field"] for f in answer.json()["fields"]]
    assert "call me" not in answer.text and "a@b" not in answer.text
