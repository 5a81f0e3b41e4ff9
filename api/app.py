"""The FastAPI application, built around a container from the composition root."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from adapters.bootstrap import Container
from api import errors, statuses
from api.middleware import RequestContext
from api.routers import (
    approvals,
    audit,
    campaigns,
    dashboard,
    donations,
    exports,
    field,
    imports,
    kobo,
    lists,
    operations,
    ops,
    reception,
    stores,
    tokens,
    vouchers,
)


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

    # /docs and /redoc load Swagger UI and ReDoc from this server: a field office has no CDN.
    app: FastAPI = FastAPIOffline(
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
    app.include_router(lists.router)
    app.include_router(vouchers.router)
    app.include_router(operations.router)
    app.include_router(reception.router)
    app.include_router(exports.router)  # before donations: totals.csv is not a donation id
    app.include_router(donations.router)
    app.include_router(stores.router)
    app.include_router(imports.router)
    app.include_router(kobo.router)
    app.include_router(audit.router)
    app.include_router(tokens.router)
    app.include_router(approvals.router)
    app.include_router(dashboard.router)
    app.include_router(field.router)
    statuses.document_statuses(app)
    app.mount("/static", StaticFiles(directory=dashboard.STATIC_DIR), name="static")
    app.add_middleware(
        RequestContext, metrics=container.metrics, max_body_bytes=container.settings.max_body_bytes
    )
    return app
