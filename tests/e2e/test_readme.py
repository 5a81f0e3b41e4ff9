"""The README is tested: its walkthrough runs as written, its settings table is complete."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from api.cli import ensure_admin_token
from tests.conftest import LiveServer, sqlite_settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def section(name: str) -> str:
    match = re.search(f"<!-- {name}:start -->(.*?)<!-- {name}:end -->", README, re.S)
    assert match, f"README lost its {name} section"
    return match.group(1)


@pytest.fixture
def walkthrough_server(tmp_path: Path) -> Iterator[tuple[LiveServer, Settings]]:
    settings = sqlite_settings(tmp_path, admin_token_file=tmp_path / "var" / "admin-token")
    container = bootstrap(settings)
    ensure_admin_token(container)
    with LiveServer(container) as server:
        yield server, settings
    container.close()


def test_walkthrough_runs_as_written(
    walkthrough_server: tuple[LiveServer, Settings], tmp_path: Path
) -> None:
    done = run_section("walkthrough", walkthrough_server, tmp_path)
    totals = json.loads(done.stdout.strip().splitlines()[-1])
    assert (totals["households_served"], totals["people_reached"]) == (1, 5)
    assert totals["kits_in_stock"] == 499
    assert '"duplicate":2' in done.stdout.replace(" ", "")


def run_section(
    name: str, walkthrough_server: tuple[LiveServer, Settings], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    """Run a README section's shell block as written, against the live server; it must pass."""
    server, settings = walkthrough_server
    script = section(name).split("```sh", 1)[1].rsplit("```", 1)[0]
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parents[1])
    env = {
        **os.environ,
        "API": server.url,
        "TADAMON_DATABASE_URL": settings.database_url,
        "TADAMON_HASH_SECRET": "unused-by-the-cli-0123456789",
    }
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


def test_settings_table_lists_every_setting() -> None:
    documented = set(re.findall(r"`TADAMON_([A-Z_]+)`", section("settings")))
    assert documented == {name.upper() for name in Settings.model_fields}
