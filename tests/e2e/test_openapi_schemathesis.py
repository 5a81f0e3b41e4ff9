"""schemathesis, with all its checks and its stateful phase, over the API as served.

A bounded number of examples per operation and a fixed seed keep the run short and
repeatable; every relaxation is named, with its reason, in schemathesis.toml beside this file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from adapters.bootstrap import bootstrap
from domain.actors import Role
from tests.conftest import LiveServer, sqlite_settings

CONFIG = Path(__file__).with_name("schemathesis.toml")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.mark.slow
def test_schemathesis_finds_nothing_undocumented(tmp_path: Path) -> None:
    container = bootstrap(sqlite_settings(tmp_path))  # on SQLite: the schema, not the store
    try:
        with LiveServer(container) as live_server:
            run = schemathesis(live_server, tmp_path)
    finally:
        container.close()
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-2000:]


def schemathesis(live_server: LiveServer, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    admin = live_server.token(Role.ADMIN)["Authorization"]
    command = [
        str(SCHEMATHESIS), "--config-file", str(CONFIG), "run", f"{live_server.url}/openapi.json",
        "--phases", "examples,fuzzing,stateful", "--max-examples", "5",
        "--seed", "20200426", "--header", f"Authorization: {admin}", "--no-color",
        "--report-dir", str(tmp_path / "report"),
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
