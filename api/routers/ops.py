"""Liveness, readiness and metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status
from fastapi.responses import JSONResponse

from adapters.health import readiness
from api.deps import ContainerDep

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Alive: the process answers."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "not ready"}})
def readyz(container: ContainerDep) -> Any:
    """Ready: the store answers and this process's views lag by less than the bound."""
    ready, body = readiness(container)
    code = status.HTTP_200_OK if ready else status.HTTP_503_SERVICE_UNAVAILABLE
    return JSONResponse(body, status_code=code)


@router.get("/metrics", response_class=Response)
def metrics(container: ContainerDep) -> Response:
    """Prometheus metrics: events appended, requests, latency, projection lag."""
    return Response(container.metrics.render(), media_type="text/plain; version=0.0.4")
