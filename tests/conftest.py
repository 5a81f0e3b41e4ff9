"""Shared fixtures: one store fixture over SQLite and PostgreSQL, and a real server.

PostgreSQL tests get a fresh schema each, in the server named by
TADAMON_TEST_POSTGRES_URL (default: this machine's trust-auth server, database
``test``). Without the server they skip with a reason, unless
TADAMON_REQUIRE_SERVICES=1 (CI), where a missing service fails the run.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.bootstrap import Container, bootstrap
from adapters.settings import Settings
from domain.actors import Actor, Role

PG_URL = os.environ.get("TADAMON_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRED = os.environ.get("TADAMON_REQUIRE_SERVICES") == "1"
TEST_SECRET = "tests-only-hash-secret-0123456789"


def service_missing(name: str, reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where every service must be there."""
    message = f"{name} unavailable: {reason}"
    if REQUIRED:
        pytest.fail(message + " (TADAMON_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(message)


_pg_state: dict[str, str | None] = {}


def postgres_problem() -> str | None:
    if "problem" not in _pg_state:
        import psycopg

        try:
            psycopg.connect(PG_URL, connect_timeout=3).close()
            _pg_state["problem"] = None
        except psycopg.Error as error:
            _pg_state["problem"] = str(error).strip().splitlines()[0]
    return _pg_state["problem"]


def sqlite_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": f"sqlite:///{tmp_path / 'tadamon.db'}",
        "secrets_dir": tmp_path / "secrets",
        "hash_secret": TEST_SECRET,
        "admin_token_file": tmp_path / "admin-token",
    }
    return Settings(**(values | overrides))  # type: ignore[arg-type]


@pytest.fixture
def pg_schema() -> Iterator[str]:
    problem = postgres_problem()
    if problem:
        service_missing("PostgreSQL", problem)
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield schema
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a fresh, empty store: every behaviour runs on both backends."""
    if request.param == "sqlite":
        return sqlite_settings(tmp_path)
    schema = request.getfixturevalue("pg_schema")
    return Settings(
        database_url=PG_URL,
        database_schema=schema,
        secrets_dir=tmp_path / "s",
        hash_secret=TEST_SECRET,
        admin_token_file=tmp_path / "admin-token",
    )


@pytest.fixture
def container(store_settings: Settings) -> Iterator[Container]:
    built = bootstrap(store_settings)
    yield built
    built.close()


@pytest.fixture
def admin() -> Actor:
    return Actor(Role.ADMIN, "tests")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """The API under a real uvicorn server on a free loopback port, in a thread."""

    def __init__(self, container: Container) -> None:
        import uvicorn

        from api.app import create_app

        self.container = container
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(container),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            access_log=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def token(
        self, role: Role, scope: str | None = None, within: str | None = None
    ) -> dict[str, str]:
        """A bearer header; a committee or site ``scope`` needs its campaign or operation."""
        issued = self.container.tokens.create(role, scope, within=within)
        return {"Authorization": f"Bearer {issued.token}"}


@pytest.fixture
def live_server(container: Container) -> Iterator[LiveServer]:
    with LiveServer(container) as server:
        yield server


from tests.kafka_broker import (  # noqa: E402, F401 - fixtures
    kafka_broker,
    kafka_client,
    kafka_container,
    kafka_overrides,
    own_broker,
)
