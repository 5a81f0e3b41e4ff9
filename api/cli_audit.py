"""Auditor's and operator's commands: replay, totals as of, export, seal, verify, keys, forget."""

from __future__ import annotations

import json
import re
import secrets
import sys
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, TextIO

import httpx
import typer

from adapters.audit import verifier
from adapters.audit.findings import TamperedError
from adapters.audit.monitor import HeadMonitor, MonitorError
from adapters.audit.replay import ReplayReport
from adapters.audit.signing import create_key_pair
from adapters.bootstrap import Container, bootstrap
from adapters.prepare import StoreUnavailableError
from adapters.settings import Settings
from api.schemas.common import INT64_MAX, mad
from domain.errors import DomainError
from projections.distribution import VIEW
from projections.distribution_report import campaign_totals
from projections.rebuild import RebuildProgress

audit_app = typer.Typer()
keys_app = typer.Typer(help="Make the operator's keys and secrets.", no_args_is_help=True)
audit_app.add_typer(keys_app, name="keys")
monitor_app = typer.Typer(help="The auditor's own checks of a server.", no_args_is_help=True)
audit_app.add_typer(monitor_app, name="audit")

PERSON_ID = re.compile(r"^[0-9a-f]{64}$")
OPERATOR = "operator@command-line"


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code)


@contextmanager
def _opened() -> Any:
    try:
        container = bootstrap(Settings())
    except (StoreUnavailableError, ValueError) as error:
        raise _fail(str(error)) from None
    try:
        yield container
    finally:
        container.close()


class _ProgressLine:
    """One stderr line, rewritten in place: events read, position, events/s."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stderr
        self.started = time.perf_counter()
        self.shown = 0.0

    def __call__(self, progress: RebuildProgress) -> None:
        now = time.perf_counter()
        if now - self.shown < 0.5 and progress.position < progress.target:
            return
        self.shown = now
        rate = progress.events / max(now - self.started, 1e-9)
        share = 100 * progress.position / progress.target if progress.target else 100
        self.out.write(
            f"\rreplaying: {progress.events:,} events, position {progress.position:,}"
            f"/{progress.target:,} ({share:.0f}%), {rate:,.0f} events/s"
        )
        self.out.flush()

    def done(self) -> None:
        self.out.write("\n")


@audit_app.command()
def replay(
    batch_size: Annotated[int, typer.Option(min=1, help="events per section")] = 5000,
) -> None:
    """Rebuild every read model in a fresh store and compare it with the live one.

    Every view of every operation is rebuilt from the first event, up to the
    position its live copy reached, then compared field by field; exit status
    0 only when nothing differs, 1 otherwise.
    """
    with _opened() as container:
        progress = _ProgressLine()
        report = container.audit.replay(batch_size, progress)
        progress.done()
    _print_replay(report)
    if not report.ok:
        raise typer.Exit(1)


def _print_replay(report: ReplayReport) -> None:
    typer.echo(
        f"replayed {report.events:,} events in {report.seconds:.1f} s "
        f"({report.rate:,.0f} events/s) into a fresh {report.where}"
    )
    for view, position in report.positions.items():
        typer.echo(f"  view {view}: compared at position {position:,}")
    if report.ok:
        typer.echo("no difference: every live read model equals its replay")
        return
    typer.echo(f"{report.difference_count:,} differences (view scope dimension member measure):")
    for d in report.differences:
        typer.echo(
            f"  {d.view} {d.scope!r} {d.dimension} {d.member!r} {d.measure}: "
            f"live {d.live!r}, replayed {d.replayed!r}"
        )
    if report.difference_count > len(report.differences):
        typer.echo(f"  … and {report.difference_count - len(report.differences):,} more")


@audit_app.command()
def totals(
    campaign: Annotated[str, typer.Argument(help="campaign slug")],
    as_of: Annotated[
        str | None,
        typer.Option(help="RFC 3339 instant with its offset, e.g. 2020-04-26T18:00:00Z"),
    ] = None,
) -> None:
    """Print a campaign's totals as JSON: live, or as the ledger showed them at --as-of."""
    instant = _instant(as_of) if as_of else None
    with _opened() as container:
        try:
            rows, position = _totals_rows(container, campaign, instant)
        except DomainError as error:
            raise _fail(f"{error.field}: {error.reason}" if error.field else error.reason) from None
    report = campaign_totals(campaign, rows)
    report["budget_mad"] = mad(report.pop("budget_centimes"))
    report["position"] = position
    report["as_of"] = instant.isoformat() if instant else None
    typer.echo(json.dumps(report, ensure_ascii=False))


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _fail(f"--as-of: {text!r} is not an RFC 3339 instant") from None
    if moment.utcoffset() is None:
        raise _fail("--as-of: give the UTC offset, e.g. 2020-04-26T18:00:00+01:00 or …Z")
    return moment


def _totals_rows(container: Container, campaign: str, as_of: datetime | None) -> tuple[Any, int]:
    container.distribution.campaign(campaign)
    if as_of is None:
        container.runner.catch_up()
        return container.views.table(VIEW, campaign), container.views.positions([VIEW])[VIEW]
    replayed = container.audit.as_of(VIEW, campaign, as_of)
    return replayed.table, replayed.position


@audit_app.command()
def export(
    after: Annotated[
        int, typer.Option(min=0, max=INT64_MAX, help="export the events after this position")
    ] = 0,
    output: Annotated[
        Path | None, typer.Option(help="file to write; standard output if not")
    ] = None,
) -> None:
    """Write the history as stored, in order, as NDJSON with recorded leaf hashes."""
    with _opened() as container:
        chunks = container.audit.export(after)
        if output is None:
            for chunk in chunks:
                sys.stdout.write(chunk)
            return
        with output.open("w", encoding="utf-8") as handle:
            for chunk in chunks:
                handle.write(chunk)


@audit_app.command()
def seal(
    sign: Annotated[bool, typer.Option(help="also issue a signed tree head")] = False,
    output: Annotated[Path | None, typer.Option(help="write the signed tree head here")] = None,
) -> None:
    """Extend the Merkle log with every event stored since the last seal."""
    with _opened() as container:
        added = container.audit.merkle.seal()
        typer.echo(f"sealed {added:,} new leaves; the log holds {container.audit.merkle.size():,}")
        if sign or output:
            try:
                head = json.dumps(container.audit.heads.issue(), indent=2)
            except TamperedError as refusal:
                raise _fail(refusal.reason, 1) from None
            if output:
                output.write_text(head + "\n")
            else:
                typer.echo(head)


@audit_app.command()
def verify(
    export_file: Annotated[str, typer.Option("--export", help="NDJSON export; '-' for stdin")],
    tree_head: Annotated[str, typer.Option("--tree-head", help="signed tree head (JSON)")],
    public_key: Annotated[str, typer.Option("--public-key", help="Ed25519 public key (PEM)")],
) -> None:
    """Check an export against a signed tree head: "verified", or which position fails and how."""
    code = verifier.main(
        ["--export", export_file, "--tree-head", tree_head, "--public-key", public_key]
    )
    raise typer.Exit(code)


@audit_app.command("verify-receipt")
def verify_receipt(
    receipt: Annotated[str, typer.Option("--receipt", help="receipt (JSON) from the server")],
    public_key: Annotated[str, typer.Option("--public-key", help="Ed25519 public key (PEM)")],
) -> None:
    """Check a delivery's, movement's or gift's receipt offline, with the public key alone."""
    raise typer.Exit(verifier.main(["--receipt", receipt, "--public-key", public_key]))


@monitor_app.command("watch")
def watch(
    url: Annotated[str, typer.Option(help="the server, e.g. https://tadamon.example")],
    state_dir: Annotated[Path, typer.Option(help="where every verified head is kept")] = Path(
        "./var/monitor"
    ),
    public_key: Annotated[
        Path | None, typer.Option(help="the operator's public key; else pinned on first contact")
    ] = None,
    token_file: Annotated[Path | None, typer.Option(help="file holding an auditor token")] = None,
    interval: Annotated[float, typer.Option(min=0.1, help="seconds between checks")] = 60.0,
    once: Annotated[bool, typer.Option(help="check once and exit")] = False,
) -> None:
    """Follow a server's signed tree heads; alarm and exit 1 on a fork or a rollback."""
    headers = {"Authorization": f"Bearer {token_file.read_text().strip()}"} if token_file else {}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        monitor = HeadMonitor(client, state_dir, public_key)
        while True:
            try:
                outcome = monitor.check()
            except MonitorError as error:
                raise _fail(str(error)) from None
            for alarm in outcome.alarms:
                typer.secho(alarm, fg=typer.colors.RED, bold=True, err=True)
            if outcome.alarms:
                raise typer.Exit(1)
            typer.echo(f"{datetime.now().astimezone():%Y-%m-%dT%H:%M:%S%z} {outcome.news}")
            if once:
                return
            time.sleep(interval)


@audit_app.command()
def forget(
    person: Annotated[str, typer.Argument(help="household number, or the person's 64-hex id")],
) -> None:
    """Destroy a person's key: their contact becomes unreadable; totals and proofs stay."""
    with _opened() as container:
        if PERSON_ID.match(person):
            person_id = person
        else:
            person_id = container.distribution.hasher.digest(person)
        forgotten = container.personal.forget(person_id, OPERATOR)
    if not forgotten:
        raise _fail(f"no personal data key for person {person_id[:12]}…", 1)
    typer.echo(f"forgotten: person {person_id[:12]}…; their key is destroyed")


@keys_app.command("create")
def keys_create(
    private_key: Annotated[Path, typer.Option(help="where to write the private key (0600)")],
    public_key: Annotated[Path | None, typer.Option(help="public key PEM to publish")] = None,
    force: Annotated[bool, typer.Option(help="overwrite existing files")] = False,
) -> None:
    """Make the Ed25519 key pair that signs tree heads; set TADAMON_SIGNING_KEY_FILE to it."""
    public = public_key or private_key.with_suffix(".pub.pem")
    try:
        key_id = create_key_pair(private_key, public, overwrite=force)
    except FileExistsError as error:
        raise _fail(str(error)) from None
    typer.echo(f"key {key_id}: private {private_key} (0600), public {public}")


@keys_app.command("secret")
def keys_secret(
    output: Annotated[Path, typer.Option(help="file to write (0600), e.g. the master key file")],
    force: Annotated[bool, typer.Option(help="overwrite an existing file")] = False,
) -> None:
    """Write 32 random bytes as 64 hex digits: a master key or a hash secret file."""
    if output.exists() and not force:
        raise _fail(f"{output} already exists")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.touch(mode=0o600)
    output.chmod(0o600)
    output.write_text(secrets.token_hex(32) + "\n")
    typer.echo(f"wrote {output}")
