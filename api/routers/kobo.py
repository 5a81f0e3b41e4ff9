"""KoboToolbox REST Services: form mappings (admin) and the webhook Kobo posts to."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Response

from adapters.kobo.forms import FormMapping
from api.deps import ActorDep, ContainerDep, VisibilityDep
from api.errors import UnauthorizedError
from api.schemas.field import KoboAnswerPublic, KoboFormCreate, KoboFormPublic
from api.statuses import responses_for
from domain.actors import Role

router = APIRouter(prefix="/v1/integrations/kobo", tags=["field tools"])

FormId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{2,100}$", description="Kobo asset uid")]


class KoboAuthError(UnauthorizedError):
    challenge = 'Basic realm="tadamon-kobo"'


def kobo_secret(authorization: str | None) -> str:
    """The form's secret from basic auth (as the password) or a bearer/token header."""
    scheme, _, value = (authorization or "").strip().partition(" ")
    if scheme.lower() in ("bearer", "token") and value.strip():
        return value.strip()
    if scheme.lower() == "basic":
        try:
            _user, sep, password = base64.b64decode(value, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            sep, password = "", ""
        if sep and password:
            return password
    raise KoboAuthError("send the form's secret: basic auth password, or 'Bearer <secret>'")


def _public(mapping: FormMapping, secret: str | None = None) -> KoboFormPublic:
    return KoboFormPublic(
        form=mapping.form,
        kind=mapping.kind,
        scope=mapping.scope,
        fields=mapping.fields,
        constants=mapping.constants,
        secret=secret,
    )


@router.put("/{form}", response_model=KoboFormPublic, status_code=201)
def map_form(
    form: FormId, body: KoboFormCreate, container: ContainerDep, actor: ActorDep, response: Response
) -> KoboFormPublic:
    """Map a Kobo form's fields to records (admin); the answer shows its secret once."""
    mapping = FormMapping(form, body.kind, body.scope, dict(body.fields), dict(body.constants))
    created, secret = container.kobo.configure(mapping, actor, body.rotate_secret)
    response.status_code = 201 if created else 200
    return _public(mapping, secret)


@router.get("/{form}", response_model=KoboFormPublic)
def get_form(form: FormId, container: ContainerDep, actor: ActorDep) -> KoboFormPublic:
    """Show a Kobo form's mapping (never its secret)."""
    actor.check_role(Role.ADMIN, Role.AUDITOR)
    return _public(container.kobo.mapping(form))


@router.post(
    "/{form}", response_model=KoboAnswerPublic, status_code=201, responses=responses_for(401)
)
def receive_submission(
    form: FormId,
    payload: Annotated[dict[str, Any], Body(description="the submission as Kobo sends it")],
    container: ContainerDep,
    visibility: VisibilityDep,
    response: Response,
    authorization: Annotated[str | None, Header()] = None,
) -> KoboAnswerPublic:
    """Take a KoboToolbox REST-service submission: retries count once, edits correct."""
    mapping = container.kobo.mapping(form)
    if not mapping.accepts(kobo_secret(authorization)):
        raise KoboAuthError("wrong secret for this form")
    answer = container.kobo.receive(form, payload)
    response.status_code = 200 if answer.status == "duplicate" else 201
    return KoboAnswerPublic(
        status=answer.status,
        id=answer.item_id,
        replaces=answer.replaces,
        position=visibility.position(answer.position, [answer.at]),
        original=answer.original,
    )
