"""Every `tadamon … --help` reads like a click CLI: CAMPAIGN in usage, TEXT, no <bool>."""

from __future__ import annotations

import re
from collections.abc import Iterator

import click
import pytest
import typer
from typer.testing import CliRunner

from api.cli import app

ROOT = typer.main.get_command(app)


def command_paths(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from command_paths(sub, (*path, name))


PATHS = list(command_paths(ROOT))


def help_of(path: tuple[str, ...]) -> str:
    wide = {"COLUMNS": "240", "TERMINAL_WIDTH": "240", "NO_COLOR": "1"}
    answer = CliRunner().invoke(app, [*path, "--help"], prog_name="tadamon", env=wide)
    assert answer.exit_code == 0, answer.output
    return answer.output


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "tadamon")
def test_help_has_click_conventions(path: tuple[str, ...]) -> None:
    shown = help_of(path)
    assert re.findall(r"<(bool|str|int|path|float)[^>]*>", shown) == []
    usage = next(line.strip() for line in shown.splitlines() if "Usage:" in line)
    assert "{" not in usage and "<" not in usage


def test_usage_names_the_argument_in_capitals() -> None:
    shown = help_of(("totals",))
    usage = next(line.strip() for line in shown.splitlines() if "Usage:" in line)
    assert usage == "Usage: tadamon totals [OPTIONS] CAMPAIGN"
    assert re.search(r"--as-of\s+TEXT\s", shown)


def test_choices_are_listed_as_typed() -> None:
    shown = help_of(("tokens", "create"))
    roles = (
        r"admin\|committee\|site\|donations\|auditor\|registrar\|chair\|coordinator\|"
        r"supervisor\|storekeeper\|national"
    )
    assert re.search(rf"--role\s+\[{roles}\]\s", shown)
