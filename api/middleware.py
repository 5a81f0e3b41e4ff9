"""Request ids, metrics, body-size limit: a plain ASGI middleware, cheap on the hot path."""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adapters.metrics import Metrics
from api.logs import request_id as current_request_id

log = logging.getLogger("tadamon.access")


class RequestContext:
    def __init__(self, app: ASGIApp, metrics: Metrics, max_body_bytes: int) -> None:
        self.app = app
        self.metrics = metrics
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _header(scope, b"x-request-id") or uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id
        if int(_header(scope, b"content-length") or 0) > self.max_body_bytes:
            await _too_large(send, request_id, self.max_body_bytes)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        token = current_request_id.set(request_id)
        try:
            await self.app(scope, receive, sending)
        finally:
            self._observe(scope, status["code"], time.perf_counter() - started)
            current_request_id.reset(token)

    def _observe(self, scope: Scope, code: int, seconds: float) -> None:
        route: Any = scope.get("route")
        path = getattr(route, "path", "unmatched")  # the template: no ids from the URL
        self.metrics.requests.labels(scope["method"], path, str(code)).inc()
        self.metrics.latency.labels(scope["method"], path).observe(seconds)
        log.info(
            "request",
            extra={
                "method": scope["method"],
                "route": path,
                "status": code,
                "duration_ms": round(seconds * 1000, 1),
            },
        )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))[:64]
    return None


async def _too_large(send: Send, request_id: str, limit: int) -> None:
    body = (
        f'{{"error":"too_large","message":"request body over {limit} bytes",'
        f'"fields":[{{"field":"body","reason":"over {limit} bytes"}}],'
        f'"request_id":"{request_id}"}}'
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"x-request-id", request_id.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
