"""Request ids, metrics, body-size limit: a plain ASGI middleware, cheap on the hot path."""

from __future__ import annotations

import logging
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adapters.metrics import Metrics
from api.logs import method_label, route_template
from api.logs import request_id as current_request_id

log = logging.getLogger("tadamon.access")


class BodyTooLargeError(Exception):
    """The body went past the limit while it was being received."""


class _CountedBody:
    """The request's ``receive``, counting bytes as they arrive, chunked or not.

    A Content-Length is checked before the app runs; a chunked body has none, so the
    count is what stops it, before the app holds more than the limit in memory.
    """

    def __init__(self, receive: Receive, limit: int) -> None:
        self.inner = receive
        self.limit = limit
        self.received = 0
        self.exceeded = False

    async def receive(self) -> Message:
        if self.exceeded:
            raise BodyTooLargeError
        message = await self.inner()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                self.exceeded = True
                raise BodyTooLargeError
        return message


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
        started = time.perf_counter()
        if int(_header(scope, b"content-length") or 0) > self.max_body_bytes:
            await _too_large(send, request_id, self.max_body_bytes)
            self._observe(scope, 413, time.perf_counter() - started)
            return
        body = _CountedBody(receive, self.max_body_bytes)
        status = {"code": 500, "sent": 0}

        async def sending(message: Message) -> None:
            if body.exceeded:
                return  # the app's answer to a cut-off body: the 413 below replaces it
            if message["type"] == "http.response.start":
                status["code"], status["sent"] = message["status"], 1
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        token = current_request_id.set(request_id)
        try:
            await self.app(scope, body.receive, sending)
        except Exception:
            if not body.exceeded:  # however the app let the cut-off body fail, the 413 answers
                raise
        finally:
            if body.exceeded and not status["sent"]:
                await _too_large(send, request_id, self.max_body_bytes)
                status["code"] = 413
            self._observe(scope, status["code"], time.perf_counter() - started)
            current_request_id.reset(token)

    def _observe(self, scope: Scope, code: int, seconds: float) -> None:
        # Labels from a fixed set only: a stranger's method or path never makes a series.
        method, route = method_label(scope["method"]), route_template(scope)
        self.metrics.requests.labels(method, route, str(code)).inc()
        self.metrics.latency.labels(method, route).observe(seconds)
        log.info(
            "request",
            extra={
                "method": method,
                "route": route,
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
        f'{{"error":"too_large","code":null,"message":"request body over {limit} bytes",'
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
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
