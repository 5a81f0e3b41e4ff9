"""`tadamon kobo sync FORM`: pull a form's edits and deletions from KoboToolbox."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from adapters.bootstrap import bootstrap, kobo_pull
from adapters.kobo.kobo_api import KoboApiError, KoboDataApi
from adapters.kobo.pull import SyncReport
from adapters.prepare import STARTUP_ERRORS
from adapters.settings import Settings
from domain.errors import DomainError

kobo_app = typer.Typer(help="Pull KoboToolbox forms' edits and deletions.", no_args_is_help=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code)


def _token(settings: Settings, token_file: Path | None) -> str:
    path = token_file or settings.kobo_api_token_file
    if path is None:
        raise _fail("give the form owner's API token: --token-file or TADAMON_KOBO_API_TOKEN_FILE")
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise _fail(f"cannot read the API token: {error}") from None


def _print(report: SyncReport) -> None:
    counts = dict(sorted(report.counts.items()))
    problems = [{"submission": n, "reason": r} for n, r in report.problems]
    summary = {"form": report.form, "since": report.since, **counts, "problems": problems}
    typer.echo(json.dumps(summary, ensure_ascii=False))


@kobo_app.command()
def sync(
    form: Annotated[str, typer.Argument(help="the Kobo form's asset uid, as mapped")],
    server: Annotated[str | None, typer.Option(help="KoboToolbox server URL")] = None,
    token_file: Annotated[Path | None, typer.Option(help="file holding the API token")] = None,
    every: Annotated[
        float | None, typer.Option(min=10, help="keep pulling, every this many seconds")
    ] = None,
) -> None:
    """Record submissions changed since the last sync: edits correct, deletions reverse."""
    try:
        container = bootstrap(Settings())
    except STARTUP_ERRORS as error:
        raise _fail(str(error)) from None
    settings = container.settings
    api = KoboDataApi(server or settings.kobo_server_url, _token(settings, token_file))
    pull = kobo_pull(container)
    try:
        while True:
            report = pull.sync(form, api)
            _print(report)
            if every is None:
                raise typer.Exit(1 if report.problems else 0)
            time.sleep(every)
    except (KoboApiError, DomainError) as error:
        raise _fail(str(error)) from None
    finally:
        container.close()
