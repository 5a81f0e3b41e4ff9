"""The field app for phones: its page, its service worker (scoped to /field/) and assets."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, RedirectResponse

from api.routers.dashboard import PAGE_HEADERS, STATIC_DIR

FIELD_DIR = STATIC_DIR / "field"
ASSETS = {
    "field.js": "text/javascript",
    "field-store.js": "text/javascript",
    "field-sync.js": "text/javascript",
    "field-scan.js": "text/javascript",
    "field-site.js": "text/javascript",
    "field.css": "text/css",
    "manifest.webmanifest": "application/manifest+json",
    "icon.svg": "image/svg+xml",
}
router = APIRouter(tags=["field"], include_in_schema=False)


@router.get("/field", responses={307: {"description": "to /field/, the app's scope"}})
def field_root() -> RedirectResponse:
    return RedirectResponse("/field/")


@router.get("/field/", responses={200: {"description": "the field app's page"}})
def field_page() -> FileResponse:
    """The phone app: #campaign=…&committee=…&token=… signs in once."""
    return FileResponse(FIELD_DIR / "index.html", headers=PAGE_HEADERS)


@router.get("/field/sw.js", responses={200: {"description": "the service worker"}})
def service_worker() -> FileResponse:
    # Served under /field/ so that its scope is the app's and nothing else of the site.
    headers = {**PAGE_HEADERS, "Service-Worker-Allowed": "/field/"}
    return FileResponse(FIELD_DIR / "sw.js", media_type="text/javascript", headers=headers)


@router.get(
    "/field/{asset}",
    responses={200: {"description": "a file of the app"}, 404: {"description": "no such file"}},
)
def field_asset(asset: str) -> FileResponse:
    if asset not in ASSETS:
        raise HTTPException(404, "no such file")
    return FileResponse(FIELD_DIR / asset, media_type=ASSETS[asset], headers=PAGE_HEADERS)
