"""The field app for phones: its page, its service worker (scoped to /field/) and assets."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse
from pydantic import BaseModel, Field

from adapters.voucher_sheet import qr_data_uri
from api.deps import ActorDep
from api.routers.dashboard import PAGE_HEADERS, STATIC_DIR
from api.schemas.common import ErrorPublic, Slug, Strict
from domain.actors import Role

FIELD_DIR = STATIC_DIR / "field"
ASSETS = {
    "field.js": "text/javascript",
    "field-store.js": "text/javascript",
    "field-sync.js": "text/javascript",
    "field-scan.js": "text/javascript",
    "field-site.js": "text/javascript",
    "field-donations.js": "text/javascript",
    "sign-in.html": "text/html",
    "sign-in.js": "text/javascript",
    "field.css": "text/css",
    "manifest.webmanifest": "application/manifest+json",
    "icon.svg": "image/svg+xml",
}
router = APIRouter(tags=["field"])


@router.get(
    "/field",
    include_in_schema=False,
    responses={307: {"description": "to /field/, the app's scope"}},
)
def field_root() -> RedirectResponse:
    return RedirectResponse("/field/")


@router.get(
    "/field/", include_in_schema=False, responses={200: {"description": "the field app's page"}}
)
def field_page() -> FileResponse:
    """The phone app: #campaign=…&committee=…&token=… signs in once."""
    return FileResponse(FIELD_DIR / "index.html", headers=PAGE_HEADERS)


@router.get(
    "/field/sw.js", include_in_schema=False, responses={200: {"description": "the service worker"}}
)
def service_worker() -> FileResponse:
    # Served under /field/ so that its scope is the app's and nothing else of the site.
    headers = {**PAGE_HEADERS, "Service-Worker-Allowed": "/field/"}
    return FileResponse(FIELD_DIR / "sw.js", media_type="text/javascript", headers=headers)


@router.get(
    "/field/sign-in",
    include_in_schema=False,
    responses={200: {"description": "the sign-in QR page"}},
)
def sign_in_page() -> FileResponse:
    """Where an admin prints a phone's sign-in QR: token, campaign and committee typed."""
    return FileResponse(FIELD_DIR / "sign-in.html", headers=PAGE_HEADERS)


@router.get(
    "/field/{asset}",
    include_in_schema=False,
    responses={200: {"description": "a file of the app"}, 404: {"description": "no such file"}},
)
def field_asset(asset: str) -> FileResponse:
    if asset not in ASSETS:
        raise HTTPException(404, "no such file")
    return FileResponse(FIELD_DIR / asset, media_type=ASSETS[asset], headers=PAGE_HEADERS)


class SignInCreate(Strict):
    mode: Literal["committee", "site"] = "committee"
    scope: Slug = Field(description="the campaign (committee) or operation (site)")
    unit: Slug = Field(description="the committee or reception site the token is bound to")


class SignInPublic(BaseModel):
    link: str = Field(description="the app's address with the sign-in in its fragment")
    qr: str = Field(description="the link's QR code as an SVG data URI, to print")


@router.post(
    "/v1/field/sign-in",
    response_model=SignInPublic,
    responses={
        401: {"model": ErrorPublic, "description": "no token, or an unknown one"},
        403: {"model": ErrorPublic, "description": "not a token of that committee or site"},
        422: {"model": ErrorPublic, "description": "invalid input; the field and the reason"},
    },
)
def sign_in_qr(body: SignInCreate, request: Request, actor: ActorDep) -> SignInPublic:
    """A printable QR that signs a phone in with the token sent (never an admin's)."""
    role = Role.COMMITTEE if body.mode == "committee" else Role.SITE
    actor.check_role(role)  # an admin's token must never end up printed on paper
    actor.check_scope(role, body.scope, body.unit, "unit")
    token = request.headers["authorization"].split(" ", 1)[1]
    names = ("campaign", "committee") if body.mode == "committee" else ("operation", "site")
    fragment = urlencode({"mode": body.mode, names[0]: body.scope, names[1]: body.unit,
                          "token": token})  # fmt: skip
    link = f"{str(request.base_url).rstrip('/')}/field/#{fragment}"
    return SignInPublic(link=link, qr=qr_data_uri(link))
