"""Every error answer has one JSON shape naming the field and the reason.

Validation errors never echo the submitted value: it may be a household's ID number.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException
from starlette.routing import Match

from api.logs import method_label, route_template
from domain.errors import BusyError, DomainError

log = logging.getLogger("tadamon.api")


class UnauthorizedError(DomainError):
    status = 401


def error_body(
    request: Request,
    code: str,
    message: str,
    fields: list[dict[str, str]] | None = None,
    reason_code: str | None = None,
) -> dict[str, Any]:
    """``code`` is the kind of error; ``reason_code`` the domain's stable reason, if any."""
    return {
        "error": code,
        "code": reason_code,
        "message": message,
        "fields": fields or [],
        "request_id": getattr(request.state, "request_id", None),
    }


def _location(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        body = error_body(
            request,
            "malformed_json",
            "the request body is not valid JSON",
            [{"field": "body", "reason": "not valid JSON"}],
        )
        return JSONResponse(body, status_code=400)
    fields = [
        {"field": _location(tuple(e.get("loc", ()))), "reason": str(e.get("msg", ""))}
        for e in errors
    ]
    summary = "; ".join(f"{f['field']}: {f['reason']}" for f in fields[:5])
    return JSONResponse(error_body(request, "invalid_input", summary, fields), status_code=422)


def _on_domain(request: Request, exc: DomainError) -> JSONResponse:
    codes = {401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict", 503: "busy"}
    fields = getattr(exc, "fields", None) or (
        [{"field": exc.field, "reason": exc.reason}] if exc.field else []
    )
    headers = _headers(exc)
    return JSONResponse(
        error_body(request, codes.get(exc.status, "rejected"), exc.reason, fields, exc.code),
        status_code=exc.status,
        headers=headers,
    )


def _headers(exc: DomainError) -> dict[str, str] | None:
    if exc.status == 401:
        return {"WWW-Authenticate": getattr(exc, "challenge", "Bearer")}
    if isinstance(exc, BusyError):
        return {"Retry-After": str(exc.retry_after)}
    return None


def allowed_methods(request: Request) -> str:
    """Every method some route of this path answers (Starlette names only the first route's)."""
    methods: set[str] = set()
    for context in iter_route_contexts(request.app.routes):
        matches = getattr(context.route, "matches", None)
        if matches and context.methods and matches(request.scope)[0] != Match.NONE:
            methods |= context.methods
    return ", ".join(sorted(methods))


def _on_http(request: Request, exc: HTTPException) -> JSONResponse:
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = allowed_methods(request)
    return JSONResponse(
        error_body(request, "http_error", str(exc.detail)),
        status_code=exc.status_code,
        headers=headers or None,
    )


def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    # Runs outside the request middleware, whose context is gone: name the request here.
    request_id = getattr(request.state, "request_id", None)
    route = route_template(request.scope)
    log.error(
        "unhandled error",
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={"method": method_label(request.method), "route": route, "request_id": request_id},
    )
    return JSONResponse(
        error_body(
            request, "internal_error", "unexpected error; quote the request_id when reporting it"
        ),
        status_code=500,
        headers={"x-request-id": request_id} if request_id else None,
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(DomainError, _on_domain)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _on_http)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _on_unexpected)
