"""`tadamon import …`: a spreadsheet recorded from the command line, with a progress bar."""

from __future__ import annotations

from pathlib import Path

import typer

from adapters.bootstrap import Container
from adapters.spreadsheets.importer import ImportReport
from api.routers.imports import batch_mode
from domain.actors import Actor, Role
from domain.errors import DomainError

CLI_ACTOR = Actor(Role.ADMIN, "cli")


def run_import(
    container: Container,
    kind: str,
    scope: str,
    file: Path,
    dry_run: bool,
    all_or_nothing: bool,
    constants: dict[str, str] | None = None,
) -> int:
    """Exit code: 0 all rows fine, 1 some rows refused (or nothing saved), 2 file unusable."""
    try:
        data = file.read_bytes()
    except OSError as error:
        typer.secho(f"error: cannot read {file}: {error.strerror}", fg=typer.colors.RED, err=True)
        return 2
    mode = batch_mode(dry_run, all_or_nothing)
    with typer.progressbar(length=1, label=f"{kind} from {file.name}") as bar:

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        try:
            report = container.imports.run(kind, scope, data, CLI_ACTOR, mode, progress, constants)
        except DomainError as error:
            fields = getattr(error, "fields", None) or [{"field": error.field, "reason": error}]
            for problem in fields:
                typer.secho(f"error: {problem['field']}: {problem['reason']}", err=True)
            return 2
    return _print(report)


def _print(report: ImportReport) -> int:
    counts = {s: report.count(s) for s in ("recorded", "valid", "duplicate", "rejected")}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    typer.echo(f"{len(report.rows)} rows ({report.mode.value}): {summary or 'nothing'}")
    for row in report.rows:
        for p in row.problems:
            shown = f" = {p.value!r}" if p.value is not None else ""
            typer.echo(f"  row {row.row}, {p.column}{shown}: {p.reason}")
    if report.mode.value != "dry_run" and not report.committed and counts["rejected"]:
        typer.echo("nothing was recorded")
    return 1 if counts["rejected"] else 0
