"""Audit routes: the export, signed tree heads, proofs, the public key, personal-data reads."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status
from fastapi.responses import StreamingResponse

from api.answers import PemResponse
from api.deps import ActorDep, AuditorDep, ContainerDep
from api.schemas.audit import (
    ConsistencyProofPublic,
    InclusionProofPublic,
    PersonalDataReadPublic,
    ReceiptPublic,
    TreeHeadPublic,
)
from api.schemas.common import Count, Position
from domain.actors import Role
from domain.errors import DomainError, NotFoundError

router = APIRouter(prefix="/v1/audit", tags=["audit"])
NDJSON = "application/x-ndjson"
ALTERED: dict[int | str, dict[str, Any]] = {
    503: {"description": "the stored history was altered; the body names the position"}
}


@router.get("/events", response_class=StreamingResponse, responses={200: {"content": {NDJSON: {}}}})
def export_events(
    container: ContainerDep,
    actor: AuditorDep,
    after: Annotated[Position, Query(description="export the events after this position")] = 0,
) -> StreamingResponse:
    """The history as stored, in order, one record per line, with recorded leaf hashes."""
    return StreamingResponse(container.audit.export(after), media_type=NDJSON)


@router.post("/tree-heads", status_code=201, response_model=TreeHeadPublic, responses=ALTERED)
def issue_tree_head(container: ContainerDep, actor: ActorDep) -> TreeHeadPublic:
    """Seal what is new and sign a tree head now (admin)."""
    actor.check_role(Role.ADMIN)
    container.audit.merkle.seal()
    return TreeHeadPublic(**container.audit.heads.issue())


@router.get("/tree-heads/latest", response_model=TreeHeadPublic)
def latest_tree_head(container: ContainerDep, actor: ActorDep) -> TreeHeadPublic:
    """The most recent signed tree head."""
    head = container.audit.heads.latest()
    if head is None:
        raise NotFoundError("no tree head has been issued yet", "size")
    return TreeHeadPublic(**head)


@router.get("/tree-heads/{size}", response_model=TreeHeadPublic)
def tree_head_of_size(
    size: Annotated[Position, Path(description="how many leaves the head covers")],
    container: ContainerDep,
    actor: ActorDep,
) -> TreeHeadPublic:
    """The latest signed tree head covering exactly ``size`` leaves."""
    head = container.audit.heads.of_size(size)
    if head is None:
        raise NotFoundError(f"no tree head of size {size} was issued", "size")
    return TreeHeadPublic(**head)


@router.get("/proofs/inclusion", response_model=InclusionProofPublic, responses=ALTERED)
def inclusion_proof(
    container: ContainerDep,
    actor: ActorDep,
    position: Annotated[Count, Query(description="the event's ledger position")],
    tree_size: Annotated[Count, Query(description="size of a signed tree head")],
) -> InclusionProofPublic:
    """RFC 6962 audit path proving the event at ``position`` is in the tree of ``tree_size``."""
    container.audit.check_intact()
    merkle = container.audit.merkle
    leaf = merkle.leaf_at(position)
    if leaf is None:
        raise NotFoundError(f"position {position} is not sealed in the log", "position")
    _check_size(tree_size, merkle.size(), "tree_size")
    if leaf.leaf_index >= tree_size:
        raise DomainError(
            f"position {position} is leaf {leaf.leaf_index}, not in a tree of {tree_size}",
            "tree_size",
        )
    path = merkle.inclusion(leaf.leaf_index, tree_size)
    return InclusionProofPublic(
        position=position,
        leaf_index=leaf.leaf_index,
        tree_size=tree_size,
        leaf_hash=leaf.leaf_hash.hex(),
        audit_path=[node.hex() for node in path],
    )


@router.get(
    "/receipts/{position}",
    response_model=ReceiptPublic,
    responses={404: {"description": "no delivery, movement or gift there"}, **ALTERED},
)
def receipt(position: Position, container: ContainerDep, actor: ActorDep) -> ReceiptPublic:
    """A recorded delivery, movement or gift's receipt, checkable offline with the public key."""
    container.audit.check_intact()
    return ReceiptPublic(**container.audit.receipt(position))


@router.get("/proofs/consistency", response_model=ConsistencyProofPublic)
def consistency_proof(
    container: ContainerDep,
    actor: ActorDep,
    first: Annotated[Position, Query(description="size of the older tree head")],
    second: Annotated[Position, Query(description="size of the newer tree head")],
) -> ConsistencyProofPublic:
    """RFC 6962 proof that the tree of ``second`` leaves extends the tree of ``first``."""
    merkle = container.audit.merkle
    _check_size(second, merkle.size(), "second")
    if first > second:
        raise DomainError("must not be larger than second", "first")
    proof = merkle.consistency(first, second)
    return ConsistencyProofPublic(first=first, second=second, proof=[n.hex() for n in proof])


def _check_size(size: int, sealed: int, field: str) -> None:
    if size > sealed:
        raise DomainError(f"the log holds {sealed} sealed leaves, not {size}", field)


@router.get("/public-key", response_class=PemResponse)
def public_key(container: ContainerDep) -> PemResponse:
    """The Ed25519 public key (PEM) that verifies every tree head; public on purpose."""
    return PemResponse(
        container.audit.heads.public_pem,
        headers={"X-Key-Id": container.audit.heads.key_id},
    )


@router.get(
    "/personal-data-reads",
    response_model=list[PersonalDataReadPublic],
    status_code=status.HTTP_200_OK,
)
def personal_data_reads(
    container: ContainerDep,
    actor: ActorDep,
    after: Annotated[Position, Query(description="entries after this id")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[PersonalDataReadPublic]:
    """Who read or erased whose personal data, and when (auditor)."""
    actor.check_role(Role.AUDITOR)
    return [
        PersonalDataReadPublic(**entry) for entry in container.personal.access_log(after, limit)
    ]
