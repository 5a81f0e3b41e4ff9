"""Operating the store: clear start-up errors, prompt wake-ups on PostgreSQL, readiness."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from adapters.bootstrap import bootstrap
from adapters.database import schema_versions
from adapters.health import readiness
from adapters.prepare import StoreUnavailableError
from adapters.schema import SchemaTooNewError
from adapters.settings import Settings
from api.cli import app
from tests.conftest import PG_URL, TEST_SECRET, free_port
from tests.workload import launch

PASSWORD = "pw-never-shown-42"


def test_an_unreachable_database_is_a_clear_error_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql://tadamon:{PASSWORD}@127.0.0.1:{free_port()}/tadamon"
    with pytest.raises(StoreUnavailableError) as raised:
        bootstrap(Settings(database_url=url, hash_secret=TEST_SECRET, secrets_dir=tmp_path))
    message = str(raised.value)
    assert message.startswith("cannot open PostgreSQL (postgresql://***@127.0.0.1:")
    assert PASSWORD not in message
    answer = CliRunner().invoke(
        app,
        ["tokens", "create", "--role", "admin"],
        env={"TADAMON_DATABASE_URL": url, "TADAMON_HASH_SECRET": TEST_SECRET},
    )
    assert answer.exit_code == 2
    assert "cannot open PostgreSQL" in answer.output
    assert PASSWORD not in answer.output


def test_a_schema_from_a_newer_version_is_refused(store_settings: Settings) -> None:
    first = bootstrap(store_settings)
    with first.engine.begin() as conn:
        conn.execute(update(schema_versions).values(version=99))
    first.close()
    with pytest.raises(SchemaTooNewError, match="newer Tadamon \\(schema 99"):
        bootstrap(store_settings)
    env = {
        "TADAMON_DATABASE_URL": store_settings.database_url,
        "TADAMON_DATABASE_SCHEMA": store_settings.database_schema,
        "TADAMON_HASH_SECRET": TEST_SECRET,
    }
    answer = CliRunner().invoke(app, ["tokens", "create", "--role", "admin"], env=env)
    assert answer.exit_code == 2
    assert "upgrade the application" in answer.output


@pytest.mark.postgres
def test_postgres_views_follow_writes_from_another_process_without_polling(
    pg_schema: str, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=PG_URL,
        database_schema=pg_schema,
        hash_secret=TEST_SECRET,
        secrets_dir=tmp_path,
        projection_poll_seconds=120,  # a poll would come far too late: only NOTIFY can wake it
    )
    reader, writer = bootstrap(settings), bootstrap(settings)
    try:
        reader.live.start()
        listener = reader.live._listener
        assert listener is not None and listener.listening.wait(10)  # type: ignore[attr-defined]
        time.sleep(0.3)  # the runner has gone back to waiting
        launch(writer)  # another Ledger: this process's save callback never fires
        target = writer.ledger.recorder.max_notification_id()
        started = time.monotonic()
        while min(reader.views.positions(reader.runner.names).values()) < target:
            assert time.monotonic() - started < 5, "not woken by LISTEN/NOTIFY"
            time.sleep(0.01)
    finally:
        reader.close()
        writer.close()


def test_readiness_needs_the_store_and_caught_up_views(store_settings: Settings) -> None:
    container = bootstrap(store_settings, ready_max_lag_seconds=0.05)
    try:
        ready, body = readiness(container)
        assert ready and body["store"] == "ok"
        launch(container)
        time.sleep(0.1)
        ready, body = readiness(container)
        assert not ready and body["status"] == "lagging"
        assert body["views"]["distribution"]["lag_events"] > 0
        container.runner.catch_up()
        assert readiness(container)[0]
        container.engine.dispose()
        container.ledger.close()
        container.views.engine = _unreachable_engine()
        ready, body = readiness(container)
        assert not ready and body["store"].startswith("unreachable")
    finally:
        container.engine.dispose()


def _unreachable_engine():  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    return create_engine(
        f"postgresql+psycopg://x@127.0.0.1:{free_port()}/x", connect_args={"connect_timeout": 2}
    )


def test_a_store_fed_worker_process_keeps_the_totals(store_settings: Settings) -> None:
    import threading

    from adapters.kafka.workers import project_process
    from tests.workload import assert_totals_exact, deliver

    api = bootstrap(store_settings, projection_source="kafka", projection_poll_seconds=0.05)
    port = free_port()
    worker = bootstrap(store_settings, projection_poll_seconds=0.05, metrics_port=port)
    stop = threading.Event()
    thread = threading.Thread(target=project_process, args=(worker, "store", stop))
    thread.start()
    try:
        launch(api)
        head = deliver(api, 0, 300)
        deadline = time.monotonic() + 20
        while worker.views.positions(["distribution"])["distribution"] < head:
            assert time.monotonic() < deadline, "the store worker did not catch up"
            time.sleep(0.02)
        assert_totals_exact(api)
        scraped = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
        assert 'tadamon_projection_lag_events{view="distribution"} 0.0' in scraped
    finally:
        stop.set()
        thread.join(timeout=10)
        api.close()
        worker.close()
