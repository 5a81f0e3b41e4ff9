"""Structured JSON logs, one object per line. Messages never carry personal data."""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

# Set by the request middleware; sync routes run in worker threads that copy the context.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
EXTRA_KEYS = ("view", "position", "method", "route", "status", "duration_ms")
UNMATCHED = "unmatched"
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_label(method: str) -> str:
    """A method from the fixed set, or ``other``: anyone can send ``FOOBAR1``."""
    return method if method in HTTP_METHODS else "other"


def route_template(scope: Any) -> str:
    """The route a request matched, as its template: no ids or stranger's text from the URL."""
    return str(getattr(scope.get("route"), "path", UNMATCHED))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        current = getattr(record, "request_id", None) or request_id.get()
        if current:
            entry["request_id"] = current
        for key in EXTRA_KEYS:
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
