"""KoboToolbox's data API (v2), read with a form owner's API token.

``GET /api/v2/assets/{uid}/data/?format=json`` pages its answer (``count``, ``next``,
``results``); ``query`` is a Mongo-style filter on the submissions' fields, ``fields`` a
projection. Kobo's REST Services only fire on creation (kpi issue 2781), so edits and
deletions are found here: edited submissions by ``_last_edited``, deleted ones by absence.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx

PAGE = 500  # Kobo answers at most 1,000 submissions a page when asked for JSON


class KoboApiError(RuntimeError):
    pass


class KoboDataApi:
    def __init__(self, server: str, token: str, client: httpx.Client | None = None) -> None:
        self.server = server.rstrip("/")
        self.client = client or httpx.Client(timeout=60)
        self.headers = {"Authorization": f"Token {token}", "Accept": "application/json"}

    def changed_since(self, form: str, since: str | None) -> Iterator[dict[str, Any]]:
        """Every submission created or edited at or after ``since`` (all of them without)."""
        query = (
            {"$or": [{"_submission_time": {"$gte": since}}, {"_last_edited": {"$gte": since}}]}
            if since
            else {}
        )
        params = {"query": json.dumps(query), "sort": json.dumps({"_id": 1})}
        yield from self._pages(form, params)

    def submission_ids(self, form: str) -> set[int]:
        """The ``_id`` of every submission the form still holds."""
        params = {"fields": json.dumps(["_id"]), "sort": json.dumps({"_id": 1})}
        return {int(row["_id"]) for row in self._pages(form, params)}

    def _pages(self, form: str, params: dict[str, str]) -> Iterator[dict[str, Any]]:
        url: str | None = f"{self.server}/api/v2/assets/{form}/data/"
        first: dict[str, str] | None = {"format": "json", "limit": str(PAGE), **params}
        while url:
            page = self._get(url, first)
            yield from page.get("results", [])
            url, first = page.get("next"), None  # ``next`` already carries the parameters

    def _get(self, url: str, params: dict[str, str] | None) -> dict[str, Any]:
        try:
            answer = self.client.get(url, params=params, headers=self.headers)
        except httpx.HTTPError as error:
            raise KoboApiError(f"KoboToolbox did not answer: {error}") from None
        if answer.status_code in (401, 403):
            raise KoboApiError("KoboToolbox refused the API token (401/403)")
        if answer.status_code != 200:
            raise KoboApiError(f"KoboToolbox answered {answer.status_code} for {url[:120]}")
        found: dict[str, Any] = answer.json()
        return found
