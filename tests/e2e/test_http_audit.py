"""The audit routes over real HTTP, on SQLite and PostgreSQL: export, signed tree heads,
proofs checked with the standalone verifier, totals as of an instant, the sealer."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import quote

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from adapters.audit import verifier
from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from domain.actors import Role
from tests.conftest import LiveServer
from tests.e2e.test_http_distribution import delivery, setup_campaign

TOTALS = "/v1/campaigns/ramadan-1441/totals"


@pytest.fixture
def http(live_server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=60)


def public_key(http: httpx.Client) -> Ed25519PublicKey:
    answer = http.get("/v1/audit/public-key")  # published: no token needed
    assert answer.status_code == 200
    key = serialization.load_pem_public_key(answer.content)
    assert isinstance(key, Ed25519PublicKey)
    assert answer.headers["x-key-id"] == verifier.key_id(key)
    return key


def record(http: httpx.Client, headers: dict[str, str], numbers: range, **extra: object) -> int:
    items = [delivery(n) | extra for n in numbers]
    sent = http.post(
        "/v1/campaigns/ramadan-1441/deliveries?wait=true", json={"items": items}, headers=headers
    )
    assert sent.status_code == 200, sent.text
    return int(sent.json()["position"])


def export(http: httpx.Client, headers: dict[str, str], after: int = 0) -> list[str]:
    with http.stream("GET", f"/v1/audit/events?after={after}", headers=headers) as answer:
        assert answer.status_code == 200, answer.read()
        assert answer.headers["content-type"].startswith("application/x-ndjson")
        return list(answer.iter_lines())


def test_export_and_signed_heads_verify_with_the_standalone_verifier(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin, auditor = live_server.token(Role.ADMIN), live_server.token(Role.AUDITOR)
    setup_campaign(http, admin)
    record(http, admin, range(1, 30))
    issued = http.post("/v1/audit/tree-heads", headers=admin)
    assert issued.status_code == 201, issued.text
    head = issued.json()
    assert http.get("/v1/audit/tree-heads/latest", headers=auditor).json() == head
    assert http.get(f"/v1/audit/tree-heads/{head['tree_size']}", headers=auditor).json() == head
    lines = export(http, auditor)
    report = verifier.verify_export(lines, head, public_key(http))
    assert report.ok, str(report)
    assert report.records == head["tree_size"] == len(lines)
    last = json.loads(lines[-1])
    assert last["position"] == head["tree_size"]
    tail = export(http, admin, after=last["position"] - 3)
    assert [json.loads(line)["position"] for line in tail] == [
        last["position"] - 2,
        last["position"] - 1,
        last["position"],
    ]


def test_export_is_for_auditors_and_admins_only(
    live_server: LiveServer, http: httpx.Client
) -> None:
    committee = live_server.token(Role.COMMITTEE, "casa-anfa", "ramadan-1441")
    refused = http.get("/v1/audit/events", headers=committee)
    assert refused.status_code == 403
    assert http.get("/v1/audit/events").status_code == 401
    issuing = http.post("/v1/audit/tree-heads", headers=live_server.token(Role.AUDITOR))
    assert issuing.status_code == 403


def test_inclusion_and_consistency_proofs_verify(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    record(http, admin, range(1, 12))
    old = http.post("/v1/audit/tree-heads", headers=admin).json()
    record(http, admin, range(12, 40))
    new = http.post("/v1/audit/tree-heads", headers=admin).json()
    key = public_key(http)
    for head in (old, new):
        verifier.verify_tree_head(head, key)
    records = {json.loads(line)["position"]: json.loads(line) for line in export(http, admin)}
    for position in (1, 2, old["tree_size"], new["tree_size"] - 1, new["tree_size"]):
        proof = http.get(
            "/v1/audit/proofs/inclusion",
            params={"position": position, "tree_size": new["tree_size"]},
            headers=admin,
        ).json()
        row = records[position]
        leaf = verifier.leaf_hash(
            verifier.record_bytes(
                row["position"],
                uuid.UUID(row["originator_id"]),
                row["originator_version"],
                row["topic"],
                base64.b64decode(row["state"]),
            )
        )
        path = [bytes.fromhex(node) for node in proof["audit_path"]]
        root = bytes.fromhex(new["root_hash"])
        assert proof["leaf_hash"] == leaf.hex()
        assert verifier.verify_inclusion(leaf, proof["leaf_index"], new["tree_size"], path, root)
        assert not verifier.verify_inclusion(
            leaf, proof["leaf_index"] ^ 1, new["tree_size"], path, root
        )
    consistency = http.get(
        "/v1/audit/proofs/consistency",
        params={"first": old["tree_size"], "second": new["tree_size"]},
        headers=admin,
    ).json()
    nodes = [bytes.fromhex(node) for node in consistency["proof"]]
    roots = (bytes.fromhex(old["root_hash"]), bytes.fromhex(new["root_hash"]))
    assert verifier.verify_consistency(old["tree_size"], new["tree_size"], *roots, nodes)
    assert not verifier.verify_consistency(
        old["tree_size"], new["tree_size"], roots[1], roots[1], nodes
    )


@pytest.mark.parametrize(
    ("path", "status", "field"),
    [
        ("/v1/audit/proofs/inclusion?position=999999&tree_size=5", 404, "position"),
        ("/v1/audit/proofs/inclusion?position=1&tree_size=999999", 422, "tree_size"),
        ("/v1/audit/proofs/inclusion?position=one&tree_size=5", 422, "position"),
        ("/v1/audit/proofs/consistency?first=9&second=3", 422, "first"),
        ("/v1/audit/proofs/consistency?first=1&second=999999", 422, "second"),
        ("/v1/audit/tree-heads/999999", 404, "size"),
    ],
)
def test_bad_proof_requests_name_the_field(
    live_server: LiveServer, http: httpx.Client, path: str, status: int, field: str
) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    http.post("/v1/audit/tree-heads", headers=admin)
    answer = http.get(path, headers=admin)
    assert answer.status_code == status, answer.text
    assert field in [f["field"] for f in answer.json()["fields"]]


def test_totals_as_of_several_instants_over_http(
    live_server: LiveServer, http: httpx.Client
) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    seen: list[tuple[str, dict[str, object]]] = []
    for batch in (range(1, 4), range(4, 10), range(10, 11)):
        record(http, admin, batch)
        time.sleep(0.01)
        instant = datetime.now(UTC).isoformat()
        seen.append((instant, http.get(TOTALS, headers=admin).json()))
        time.sleep(0.01)
    for instant, live in seen:
        then = http.get(TOTALS, params={"as_of": instant}, headers=admin).json()
        assert then["as_of"] is not None and then["as_of_checkpoint"] == 0  # none written yet
        assert then | {"as_of": None, "as_of_checkpoint": None} == live
    served = [
        http.get(TOTALS, params={"as_of": instant}, headers=admin).json()["households_served"]
        for instant, _ in seen
    ]
    assert served == [3, 9, 10]
    local = datetime.fromisoformat(seen[1][0]).astimezone().strftime("%Y-%m-%dT%H:%M:%S.%f%z")
    local = local[:-2] + ":" + local[-2:]
    unencoded = http.get(f"{TOTALS}?as_of={local}", headers=admin)  # '+' arrives as a space
    assert unencoded.status_code == 200, unencoded.text
    assert unencoded.json()["households_served"] == 9
    encoded = http.get(f"{TOTALS}?as_of={quote(local)}", headers=admin)
    assert encoded.json()["households_served"] == 9


def test_as_of_without_an_offset_is_refused(live_server: LiveServer, http: httpx.Client) -> None:
    admin = live_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    answer = http.get(TOTALS, params={"as_of": "2020-04-26T10:00:00"}, headers=admin)
    assert answer.status_code == 422
    assert answer.json()["fields"][0]["field"] == "as_of"


@pytest.fixture
def sealing_server(store_settings: Settings) -> Iterator[LiveServer]:
    container = bootstrap(store_settings, seal_poll_seconds=0.05, tree_head_interval_seconds=0.2)
    with LiveServer(container) as server:
        yield server
    container.close()


def test_the_api_process_seals_and_issues_heads_on_its_own(sealing_server: LiveServer) -> None:
    http = httpx.Client(base_url=sealing_server.url, timeout=60)
    admin = sealing_server.token(Role.ADMIN)
    setup_campaign(http, admin)
    position = record(http, admin, range(1, 6))
    deadline = time.monotonic() + 10
    latest: dict[str, object] = {}
    while time.monotonic() < deadline:
        answer = http.get("/v1/audit/tree-heads/latest", headers=admin)
        latest = answer.json() if answer.status_code == 200 else {}
        if latest.get("tree_size") == position:
            break
        time.sleep(0.05)
    assert latest.get("tree_size") == position
    assert sealing_server.container.audit.merkle.size() == position
    report = verifier.verify_export(export(http, admin), latest, public_key(http))
    assert report.ok, str(report)
