"""Liveness, readiness and metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import ContainerDep

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Alive: the process answers."""
    return {"status": "ok"}


@router.get("/metrics", response_class=Response)
def metrics(container: ContainerDep) -> Response:
    """Prometheus metrics: events appended, requests, latency, projection lag."""
    return Response(container.metrics.render(), media_type="text/plain; version=0.0.4")
