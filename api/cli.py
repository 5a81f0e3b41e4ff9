"""The `tadamon` command line: serve, tokens, and the operator's other tools."""

from __future__ import annotations

import signal
import threading
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from adapters.bootstrap import Container, bootstrap
from adapters.heap import settle_heap
from adapters.prepare import STARTUP_ERRORS
from adapters.projection_set import all_projections
from adapters.settings import Settings
from api.cli_audit import audit_app
from api.cli_help import use_click_conventions
from api.cli_kobo import kobo_app
from api.presenters.tokens import TOKEN_COLUMNS, token_row
from api.simulate import simulate
from domain.actors import Role
from domain.errors import DomainError

use_click_conventions()
app = typer.Typer(help="Tadamon: event-sourced operations ledger.", no_args_is_help=True)
tokens_app = typer.Typer(help="Create, list and revoke API tokens.", no_args_is_help=True)
app.add_typer(tokens_app, name="tokens")
import_app = typer.Typer(help="Import records from CSV spreadsheets.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(kobo_app, name="kobo")
app.add_typer(audit_app)  # replay, totals, export, seal, verify, forget, keys
app.command()(simulate)


def _container() -> Container:
    try:
        return bootstrap(Settings())
    except STARTUP_ERRORS as error:
        _cannot_start(str(error))
    except Exception as error:  # whatever stops a start, the operator reads one line
        _cannot_start(f"cannot start: {type(error).__name__}: {error}")


def _cannot_start(message: str) -> NoReturn:
    # One line for logs and terminals; a driver's message spans several (SQL, hints).
    line = " ".join(part.strip() for part in message.splitlines() if part.strip())
    typer.secho(f"error: {line}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


def ensure_admin_token(container: Container) -> str | None:
    """On first start, make an admin token, print it once and keep it for the walkthrough."""
    if container.tokens.has_admin():
        return None
    issued = container.tokens.create(Role.ADMIN, label="first start")
    path = container.settings.admin_token_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(issued.token + "\n")
    path.chmod(0o600)
    return issued.token


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="bind address")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port")] = None,
) -> None:
    """Start the HTTP API with the projections running in-process."""
    import uvicorn

    from api.app import create_app
    from api.logs import configure_logging

    container = _container()
    configure_logging(container.settings.log_level)
    token = ensure_admin_token(container)
    if token and container.settings.environment == "production":
        # Container logs are collected and kept: a secret is never printed there.
        typer.echo(f"admin token saved to {container.settings.admin_token_file}")
    elif token:
        typer.echo(f"admin token (also saved to {container.settings.admin_token_file}): {token}")
    served = create_app(container)
    settle_heap()
    uvicorn.run(
        served,
        host=host or container.settings.host,
        port=port or container.settings.port,
        log_config=None,
        access_log=False,
    )


def _stop_on_signal() -> threading.Event:
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    return stop


@app.command()
def relay(
    republish_from: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="make the relay publish again every event after this position, then exit "
            "(the recovery /readyz names after a broker lost records)",
        ),
    ] = None,
) -> None:
    """Publish every stored event to Kafka, in order, resuming where the relay stopped."""
    from adapters.kafka.workers import relay_process
    from api.logs import configure_logging

    container = _container()
    if republish_from is not None:
        _republish(container, republish_from)
        return
    configure_logging(container.settings.log_level)
    settle_heap()
    try:
        relay_process(container, _stop_on_signal())
    finally:
        container.close()


def _republish(container: Container, position: int) -> None:
    """Rewind every relay of the topic (each shard) to ``position``, and say from where."""
    from adapters.lag import RelayPositions

    topic, shards = container.settings.kafka_topic, container.settings.relay_shards
    try:
        was = RelayPositions(container.engine).rewind(topic, position)
    finally:
        container.close()
    whose = f"{topic} (the lowest of its {shards} shards)" if shards > 1 else topic
    typer.echo(
        f"relay position of {whose}: {was} -> {min(was, position)}; "
        "the relay publishes everything after it again"
    )


class Source(StrEnum):
    kafka = "kafka"
    store = "store"


@app.command()
def project(
    source: Annotated[
        Source, typer.Option(help="kafka: consume the topic in a group; store: read the store")
    ] = Source.kafka,
) -> None:
    """Keep the totals views current, as a worker process (run several with kafka)."""
    from adapters.kafka.workers import project_process
    from api.logs import configure_logging

    container = _container()
    configure_logging(container.settings.log_level)
    settle_heap()
    try:
        project_process(container, source.value, _stop_on_signal())
    finally:
        container.close()


@app.command()
def refold(
    views: Annotated[
        list[str], typer.Argument(help="views to fold again, e.g. distribution donations")
    ],
) -> None:
    """Fold views again from the first event, after an upgrade changed what they count.

    Their rows, positions and checkpoints are dropped in one transaction; `tadamon serve`
    (or `tadamon project --source store`) folds them from the start while it runs, and
    `?min_position=` waits for them. Not for views fed from Kafka.
    """
    container = _container()
    try:
        if container.settings.projection_source == "kafka":
            _cannot_start("refold: the totals are fed from Kafka here; refold a store-fed view")
        known = {p.name for p in all_projections()}
        unknown = [v for v in views if v not in known]
        if unknown:
            _cannot_start(f"refold: no view {unknown[0]!r} (one of {', '.join(sorted(known))})")
        for view, rows in container.views.reset(views).items():
            typer.echo(f"view {view}: {rows:,} rows dropped; it is folded again from event 1")
    finally:
        container.close()


@tokens_app.command("create")
def tokens_create(
    role: Annotated[
        Role,
        typer.Option(
            help="admin, committee, site, donations, auditor, registrar, chair, coordinator, "
            "supervisor, storekeeper, national"
        ),
    ],
    campaign: Annotated[
        str | None,
        typer.Option(help="campaign of the committee, registrar, chair or coordinator"),
    ] = None,
    committee: Annotated[
        str | None, typer.Option(help="committee code (committee and chair roles)")
    ] = None,
    operation: Annotated[
        str | None, typer.Option(help="operation of the site; 'donations' for a store")
    ] = None,
    site: Annotated[
        str | None, typer.Option(help="reception site code (site and supervisor roles)")
    ] = None,
    store: Annotated[str | None, typer.Option(help="store code (storekeeper role)")] = None,
    label: Annotated[str, typer.Option(help="who the token is for")] = "",
    province: Annotated[
        str | None,
        typer.Option(help="ISO 3166-2:MA province code, e.g. MA-CAS (registrar, coordinator)"),
    ] = None,
) -> None:
    """Print a new bearer token, then its id on stderr; only its SHA-256 digest is stored."""
    container = _container()
    try:
        within = campaign or operation
        scope = committee or site or province or store
        issued = container.tokens.issue(role, within, scope, label)
    except DomainError as error:
        typer.secho(f"error: {error.reason}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    typer.echo(issued.token)
    # stderr, so that TOKEN=$(tadamon tokens create ...) still captures the token alone
    typer.echo(
        f"id {issued.actor.token_id} (revoke with: tadamon tokens revoke {issued.actor.token_id})",
        err=True,
    )


@tokens_app.command("list")
def tokens_list() -> None:
    """Every token: id, role, scope, label, created, last used, revoked (never the secret)."""
    typer.echo("\t".join(TOKEN_COLUMNS))
    for info in _container().tokens.list():
        typer.echo("\t".join(token_row(info)))


@tokens_app.command("revoke")
def tokens_revoke(token_id: Annotated[str, typer.Argument(help="the token's id")]) -> None:
    """Revoke a token by its id (from `tokens list`; shown in events as role@scope#id)."""
    revoked = _container().tokens.revoke(token_id)
    if revoked is None:
        typer.secho(f"error: no token with id {token_id}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    typer.echo(f"token {token_id} " + ("revoked" if revoked else "was already revoked"))


CsvFile = Annotated[Path, typer.Argument(help="CSV file as Excel or LibreOffice saves it")]
DryRun = Annotated[bool, typer.Option(help="check every row; record nothing")]
AllOrNothing = Annotated[bool, typer.Option(help="record nothing unless every row can be recorded")]


def _import(
    kind: str,
    scope: str,
    file: Path,
    dry_run: bool,
    all_or_nothing: bool,
    shared: dict[str, str] | None = None,
) -> None:
    from api.importing import run_import

    container = _container()
    try:
        code = run_import(container, kind, scope, file, dry_run, all_or_nothing, shared)
    finally:
        container.close()
    raise typer.Exit(code)


@import_app.command("deliveries")
def import_deliveries(
    file: CsvFile,
    campaign: Annotated[str, typer.Option(help="campaign slug, e.g. ramadan-1441")],
    dry_run: DryRun = False,
    all_or_nothing: AllOrNothing = False,
) -> None:
    """Record a committee's deliveries from a spreadsheet (exit 1 if any row is refused)."""
    _import("deliveries", campaign, file, dry_run, all_or_nothing)


@import_app.command("enrolments")
def import_enrolments(
    file: CsvFile,
    campaign: Annotated[str, typer.Option(help="campaign slug, e.g. ramadan-1441")],
    dry_run: DryRun = False,
    all_or_nothing: AllOrNothing = False,
) -> None:
    """Put households on committees' lists from a spreadsheet (exit 1 if any row is refused)."""
    _import("enrolments", campaign, file, dry_run, all_or_nothing)


@import_app.command("movements")
def import_movements(
    file: CsvFile,
    operation: Annotated[str, typer.Option(help="Marhaba operation slug, e.g. marhaba-2020")],
    site: Annotated[
        str | None, typer.Option(help="the reception site of every row (else a site column)")
    ] = None,
    dry_run: DryRun = False,
    all_or_nothing: AllOrNothing = False,
) -> None:
    """Record passenger movements from a spreadsheet (exit 1 if any row is refused)."""
    _import("movements", operation, file, dry_run, all_or_nothing, {"site": site} if site else None)


@import_app.command("donations")
def import_donations(
    file: CsvFile, dry_run: DryRun = False, all_or_nothing: AllOrNothing = False
) -> None:
    """Record in-kind gifts line by line; rows of one donor's receipt make one gift."""
    _import("donation_lines", "all", file, dry_run, all_or_nothing)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
