"""The dashboard page (static files, no build step) and the activity feed it shows."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from api.deps import ActorDep, ContainerDep
from api.schemas.field import ActivityFeedPublic, ActivityPublic
from projections.activity import MAX_LIMIT, latest

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
# Everything the page loads comes from this server: no CDN, no web font, no tracker.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}

router = APIRouter()


@router.get("/", include_in_schema=False)
def dashboard() -> FileResponse:
    """The live dashboard: headline figures, progress by place, latest activity."""
    return FileResponse(STATIC_DIR / "index.html", headers=PAGE_HEADERS)


@router.get("/v1/activity", response_model=ActivityFeedPublic, tags=["dashboard"])
def activity(
    container: ContainerDep,
    actor: ActorDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
) -> ActivityFeedPublic:
    """The latest events, newest first: types, codes and counts only, no personal data."""
    source = container.runner.source
    items = [ActivityPublic(**item) for item in latest(source, limit)]
    return ActivityFeedPublic(head=source.head(), items=items)
