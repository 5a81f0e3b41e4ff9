"""Every route documents every status it can answer, with the one error shape.

The statuses follow from what an operation takes, so a new route is documented without
anyone remembering to: a token (401, 403), a parameter or a write naming a thing (404),
a write (400 malformed JSON, 413 too large, 409 contradicting what happened), any input
(422); an operation that answers 201 when it records answers 200 to a resend.
Routes with an answer of their own (the Kobo webhook's 401) say so with ``responses_for``;
those that may hold a new fact for an approved period (a 202) with ``HELD``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from api.schemas.common import CommandPublic, ErrorPublic

WRITES = frozenset({"post", "put", "patch", "delete"})
ERROR_REF = {"$ref": "#/components/schemas/ErrorPublic"}
REASONS = {
    400: "the body is not valid JSON (or not the CSV the route reads)",
    401: "no token, or an unknown or revoked one",
    403: "the token's role or scope does not allow this",
    404: "a thing the request names does not exist",
    409: "the request contradicts what already happened",
    413: "the request body is larger than TADAMON_MAX_BODY_BYTES",
    422: "an input is invalid: the answer names the field and the reason",
}


# A route that records a new fact into a period that can be approved (a case, a gift in
# kind, a dispatch) answers 202 while that period is approved: the fact is held, not lost.
HELD: dict[int | str, dict[str, Any]] = {
    202: {
        "model": CommandPublic,
        "description": "held for an approved period (code held_for_approved_period, the "
        "reason naming the approval): kept, not counted, until an admin un-approves it; "
        "its id sent again with other details while held answers 409 (code "
        "held_with_other_details)",
    }
}


def _error(code: int) -> dict[str, Any]:
    return {"description": REASONS[code], "content": {"application/json": {"schema": ERROR_REF}}}


def responses_for(*codes: int) -> dict[int | str, dict[str, Any]]:
    """A route's own ``responses=``: these error statuses, with the one error schema."""
    return {code: {"model": ErrorPublic, "description": REASONS[code]} for code in codes}


def error_statuses(method: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses an operation can answer, from what it takes."""
    params = {p["in"] for p in operation.get("parameters", [])}
    codes: set[int] = set()
    if operation.get("security"):
        codes |= {401, 403}
    if method in WRITES:
        codes |= {400, 404, 409, 413, 422}
    if params or "requestBody" in operation:
        codes |= {404, 422}  # a parameter names a campaign, a position, a tree size...
    return codes


def _document(method: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    for code in sorted(error_statuses(method, operation)):
        responses[str(code)] = _error(code)  # FastAPI's own 422 shape is not what we answer
    created = responses.get("201")
    if created and "200" not in responses:
        responses["200"] = {**created, "description": "already recorded: unchanged"}


def _with_statuses(app: FastAPI, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = build()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(_error_schemas())
        for path_item in schema["paths"].values():
            for method, operation in path_item.items():
                _document(method, operation)
        if "#/components/schemas/HTTPValidationError" not in json.dumps(schema["paths"]):
            components.pop("HTTPValidationError", None)  # FastAPI's shape, never answered
            components.pop("ValidationError", None)
        app.openapi_schema = schema
    return app.openapi_schema


def _error_schemas() -> dict[str, Any]:
    found = ErrorPublic.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = found.pop("$defs", {})
    return {"ErrorPublic": found, **defs}


def document_statuses(app: FastAPI) -> None:
    """Make ``app.openapi()`` document every status of every operation."""
    build = app.openapi
    app.openapi = lambda: _with_statuses(app, build)  # type: ignore[method-assign]
