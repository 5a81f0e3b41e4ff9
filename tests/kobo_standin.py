"""A small stand-in for KoboToolbox's data API (v2): the edge we don't own.

It serves ``GET /api/v2/assets/{uid}/data/`` as Kobo does: ``Authorization: Token …``,
JSON pages of ``count``/``next``/``previous``/``results`` (here at most ``page_size`` a
page, as Kobo caps ``limit``), a Mongo-style ``query`` with ``$or`` and ``$gte``, a
``fields`` projection and ``sort`` by ``_id``. Tests edit and delete its submissions.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.conftest import free_port


def matches(submission: dict[str, Any], query: dict[str, Any]) -> bool:
    if "$or" in query:
        return any(matches(submission, part) for part in query["$or"])
    for key, condition in query.items():
        value = submission.get(key)
        if isinstance(condition, dict):
            if value is None or not all(op == "$gte" and value >= v for op, v in condition.items()):
                return False
        elif value != condition:
            return False
    return True


class KoboStandIn:
    def __init__(self, form: str, token: str, page_size: int = 2) -> None:
        self.form, self.token, self.page_size = form, token, page_size
        self.submissions: dict[int, dict[str, Any]] = {}
        self.requests: list[dict[str, list[str]]] = []
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> KoboStandIn:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def page(self, path: str, params: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        if path != f"/api/v2/assets/{self.form}/data/":
            return 404, {"detail": "Not found."}
        self.requests.append(params)
        query = json.loads(params.get("query", ["{}"])[0])
        fields = json.loads(params.get("fields", ["[]"])[0])
        found = [s for _, s in sorted(self.submissions.items()) if matches(s, query)]
        start = int(params.get("start", ["0"])[0])
        limit = min(int(params.get("limit", ["100"])[0]), self.page_size)
        shown = [{k: s[k] for k in fields} if fields else s for s in found[start : start + limit]]
        later = {k: v[0] for k, v in params.items()} | {"start": start + limit, "limit": limit}
        more = start + limit < len(found)
        next_url = f"{self.url}{path}?{urlencode(later)}" if more else None
        return 200, {"count": len(found), "next": next_url, "previous": None, "results": shown}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.headers.get("Authorization") != f"Token {standin.token}":
                    code, body = 401, {"detail": "Invalid token."}
                else:
                    split = urlsplit(self.path)
                    code, body = standin.page(split.path, parse_qs(split.query))
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_: Any) -> None:
                pass

        return Handler
