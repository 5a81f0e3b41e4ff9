"""`tadamon simulate`: the 2020 season generated through the services or the HTTP API."""

from __future__ import annotations

from typing import Annotated

import httpx
import typer

from adapters.bootstrap import bootstrap
from adapters.prepare import StoreUnavailableError
from adapters.settings import Settings
from adapters.simulator import readback
from adapters.simulator.figures import MIN_SCALE, SEASON
from adapters.simulator.http_driver import HttpDriver, SimulationError
from adapters.simulator.noise import QUIET, Noise
from adapters.simulator.ramadan import CAMPAIGN
from adapters.simulator.season import DEFAULT_SEED, Driver, Season, plan, run
from adapters.simulator.service_driver import ServiceDriver
from adapters.simulator.steps import Tally

HTTP_BATCH = 500


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code)


def simulate(
    season: Annotated[int, typer.Option(help="the season to generate")] = SEASON,
    scale: Annotated[
        float, typer.Option(min=MIN_SCALE, max=1.0, help="share of every published count")
    ] = 1.0,
    seed: Annotated[int, typer.Option(help="same seed, same events")] = DEFAULT_SEED,
    via_http: Annotated[
        str | None, typer.Option("--via-http", help="base URL of a running API")
    ] = None,
    token: Annotated[str | None, typer.Option(help="admin token, with --via-http")] = None,
    batch: Annotated[
        int | None, typer.Option(min=1, max=1000, help="items per batch (1000; 500 over HTTP)")
    ] = None,
    noise: Annotated[bool, typer.Option(help="the field's resends and mistakes")] = True,
    replay: Annotated[bool, typer.Option(help="also replay every event in memory")] = True,
) -> None:
    """Generate the 2020 season into an empty store, then show its totals beside the report's."""
    if season != SEASON:
        raise _fail(f"only the {SEASON} season is published")
    if via_http is not None and token is None:
        raise _fail("--via-http needs --token (an admin token)")
    size = batch or (HTTP_BATCH if via_http else 1000)
    planned = plan(scale, seed, Noise() if noise else QUIET, size)
    if via_http is not None and token is not None:
        _over_http(planned, via_http, token)
    else:
        _through_services(planned, replay)


def _through_services(planned: Season, replay: bool) -> None:
    try:
        container = bootstrap(Settings())
    except (StoreUnavailableError, ValueError) as error:
        raise _fail(str(error)) from None
    try:
        if container.runner.source.head() > 0:
            raise _fail("the store is not empty: point TADAMON_DATABASE_URL at a fresh one")
        tally = _generate(planned, ServiceDriver(container))
        sources = {"read back": readback.from_views(container)}
        if replay:
            sources["replayed"] = readback.from_replay(container)
        _conclude(planned, tally, sources)
    finally:
        container.close()


def _over_http(planned: Season, url: str, token: str) -> None:
    with httpx.Client(base_url=url, timeout=120) as client:
        headers = {"Authorization": f"Bearer {token}"}
        try:
            if client.get(f"/v1/campaigns/{CAMPAIGN}", headers=headers).status_code != 404:
                raise _fail(
                    f"{url} already holds campaign '{CAMPAIGN}', or refused the token: serve an"
                    " empty store (e.g. TADAMON_DATABASE_URL=sqlite:///./var/season-http.db)"
                    " and pass its admin token"
                )
            tally = _generate(planned, HttpDriver(client, token))
            totals = readback.from_http(client, token, tally.position)
        except (httpx.HTTPError, SimulationError) as error:
            raise _fail(str(error), 1) from None
    _conclude(planned, tally, {"read back": totals})


def _generate(planned: Season, driver: Driver) -> Tally:
    label = f"season {SEASON} x{planned.targets.scale}"
    with typer.progressbar(length=planned.units, label=label) as bar:
        return run(planned, driver, bar.update)


def _conclude(planned: Season, tally: Tally, sources: dict[str, readback.Totals]) -> None:
    typer.echo("\nanswers (planned -> answered):")
    for kind in sorted(tally.expected):
        typer.echo(f"  {kind:<22} {dict(tally.expected[kind])} -> {dict(tally.answered[kind])}")
    for surprise in tally.surprises:
        typer.secho(f"  unexpected: {surprise}", fg=typer.colors.RED)
    columns = {name: readback.figures(planned.targets, t) for name, t in sources.items()}
    typer.echo(f"\n{'figure':<34}{'published x scale':>20}" + "".join(f"{n:>20}" for n in columns))
    failed = tally.surprise_count > 0
    first = next(iter(columns.values()))
    for row, figure in enumerate(first):
        cells = [columns[name][row] for name in columns]
        failed |= not all(cell.ok for cell in cells)
        marks = "".join(f"{cell.actual + ('' if cell.ok else ' !'):>20}" for cell in cells)
        typer.echo(f"{figure.name:<34}{figure.expected:>20}{marks}")
    if failed:
        raise _fail("the season does not reproduce the published figures", 1)
    typer.secho("every published figure reproduced", fg=typer.colors.GREEN)
