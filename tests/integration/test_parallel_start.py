"""Processes starting together on one fresh store (issue 12, point 9), real processes.

On PostgreSQL two processes creating the same tables, types and functions at once
crashed one with "tuple concurrently updated" (2 of 40 parallel `tokens create`).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.settings import Settings
from api import cli
from tests.conftest import PG_URL, TEST_SECRET

PROCESSES = 12


def _env(settings: Settings) -> dict[str, str]:
    assert settings.hash_secret is not None
    return os.environ | {
        "TADAMON_DATABASE_URL": settings.database_url,
        "TADAMON_DATABASE_SCHEMA": settings.database_schema,
        "TADAMON_HASH_SECRET": settings.hash_secret.get_secret_value(),
        "TADAMON_SECRETS_DIR": str(settings.secrets_dir),
        "TADAMON_ADMIN_TOKEN_FILE": str(settings.admin_token_file),
    }


def _tokens_create(env: dict[str, str], out: Path) -> None:
    """In a forked child: ``tadamon tokens create`` as the command line runs it."""
    os.environ.update(env)
    sys.stdout = sys.stderr = out.open("w", buffering=1)
    cli.app(["tokens", "create", "--role", "admin"])  # exits with the command's code


@pytest.mark.slow
def test_processes_starting_together_on_a_fresh_store_all_succeed(
    store_settings: Settings, tmp_path: Path
) -> None:
    # Forked after the imports, the children reach the set-up within milliseconds.
    fork = multiprocessing.get_context("fork")
    env, outs = _env(store_settings), [tmp_path / f"{n}.out" for n in range(PROCESSES)]
    children = [fork.Process(target=_tokens_create, args=(env, out)) for out in outs]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
    failures = [o.read_text() for c, o in zip(children, outs, strict=True) if c.exitcode != 0]
    assert failures == []
    tokens = {out.read_text().strip() for out in outs}
    assert len(tokens) == PROCESSES  # each process made and printed its own token


@pytest.mark.postgres
def test_a_start_up_failure_is_one_line(pg_schema: str, tmp_path: Path) -> None:
    settings = Settings(
        database_url=PG_URL,
        database_schema="pg_tadamon",  # PostgreSQL reserves pg_ names: the set-up fails
        hash_secret=TEST_SECRET,  # type: ignore[arg-type]
        secrets_dir=tmp_path / "s",
    )
    done = CliRunner().invoke(cli.app, ["tokens", "create", "--role", "admin"], env=_env(settings))
    assert (done.exit_code, done.stdout) == (2, "")
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("error: cannot start: ProgrammingError: ")
