"""The FastAPI application, built around a container from the composition root."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from adapters.bootstrap import Container
from api import errors
from api.middleware import RequestContext
from api.routers import audit, campaigns, ops


def create_app(container: Container) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if container.settings.run_projections:
            container.live.start()
        if container.settings.run_sealer:
            container.audit.sealer.start()
        yield
        container.live.stop()
        container.audit.sealer.stop()

    app = FastAPI(
        title="Tadamon",
        version="0.1.0",
        lifespan=lifespan,
        description="Event-sourced operations ledger: every fact is an immutable "
        "event; totals are projections an auditor can replay.",
    )
    app.state.container = container
    errors.install(app)
    app.include_router(ops.router)
    app.include_router(campaigns.router)
    app.include_router(audit.router)
    app.add_middleware(
        RequestContext, metrics=container.metrics, max_body_bytes=container.settings.max_body_bytes
    )
    return app
