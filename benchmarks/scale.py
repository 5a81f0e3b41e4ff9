"""The scale run: the season at several sizes on each store, and what each size costs.

    python -m benchmarks --scales 0.1,1,5,10 [--backends sqlite,postgres] [--keep]

For each store and season scale: the season generated through the services (ingest),
the rebuild and the in-memory replay in their own processes (rate and peak RSS), the
export's verification, as-of latency from the nearest checkpoint, and the database's
bytes per stored event; beside the rates, the cores the replay and the verification kept
busy and what the replay read from storage, which tell a fold that waited from one that
worked harder. Written as a table between markers in RESULTS.md (the rest of
the file is the full-season run's) and as a chart, ``scale.png``, cost against events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import psycopg

from adapters.settings import Settings
from adapters.store import ledger_env
from benchmarks import as_of, memory, season, verify
from benchmarks.report import markdown
from benchmarks.stores import fresh_store
from domain.ledger import Ledger

CHART = Path(__file__).with_name("scale.png")
START, END = "<!-- scale:start -->", "<!-- scale:end -->"
FIGURES = (
    ("ingest", "events/s", "season through the services"),
    ("rebuild", "events/s", "Runner into fresh views"),
    ("replay", "events/s", "in-memory replay"),
    ("verify", "records/s", "verify_export"),
    ("as-of", "s", "worst as-of from a checkpoint"),
    ("bytes", "B/event", "database bytes per event"),
    ("rss", "MB", "peak RSS, rebuild or replay"),
    ("replay state", "MB", "the replay's tallies, held"),
    ("rebuild end/start", "x", "rebuild: last tenth / first tenth"),
    ("replay end/start", "x", "replay: last tenth / first tenth"),
    ("verify end/start", "x", "verify: last tenth / first tenth"),
    ("replay cores", "cores", "replay: CPU s / wall s"),
    ("verify cores", "cores", "verify: CPU s / wall s"),
    ("replay reads", "MB", "replay: read from storage (SQLite)"),
)


@dataclass(frozen=True, slots=True)
class Point:
    backend: str
    scale: float
    events: int
    figures: dict[str, float]
    not_shown: str = ""  # the published figures its replay or totals did not show, if any


def measure(backend: str, scale: float, postgres_url: str, where: Path) -> Point:
    with fresh_store(backend, where / f"scale-{scale:g}", postgres_url) as settings:
        events, rows = season.generate(backend, settings, scale)
        replay = memory.in_child("replay", settings, where)
        rebuilt = memory.in_child("rebuild", settings, where)
        ledger = Ledger(env=ledger_env(settings))
        try:
            verified = verify.run(backend, ledger, where)
        finally:
            ledger.close()
        asked = next(r for r in as_of.run(backend, settings) if "worst" in r.measure)
        size = store_bytes(settings)
    figures = {
        "ingest": rows[0].value,
        "rebuild": rebuilt["events"] / rebuilt["seconds"],
        "replay": replay["events"] / replay["seconds"],
        "verify": verified[0].value,
        "as-of": asked.value,
        "bytes": size / events,
        "rss": max(replay["peak_rss_mb"], rebuilt["peak_rss_mb"]),
        "replay state": replay["state_mb"],
        "rebuild end/start": rebuilt["last_over_first"],
        "replay end/start": replay["last_over_first"],
        "verify end/start": next(r.value for r in verified if r.measure == verify.TENTHS),
        "replay cores": replay["cores"],
        "verify cores": next(r.value for r in verified if r.measure == verify.CORES),
        "replay reads": replay["read_mb"],
    }
    return Point(backend, scale, events, figures, "" if rows[1].met else rows[1].target)


def store_bytes(settings: Settings) -> int:
    """The database's size: the SQLite file and its WAL, or the schema's relations."""
    if settings.is_sqlite:
        path = settings.sqlite_path
        return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    query = (
        "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'"
    )
    with psycopg.connect(settings.database_url) as conn:
        row = conn.execute(query, (settings.database_schema,)).fetchone()
    return int(row[0]) if row else 0


def earlier(path: Path) -> list[Point]:
    """The points the scale section of ``path`` holds (``--keep``: a run adds to them).

    Read by the header's names: a figure the earlier run did not measure stays absent."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    section = text.partition(START)[2].partition(END)[0]
    known = {f"{name} ({unit})": name for name, unit, _ in FIGURES}
    header: list[str] = []
    points = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[:3] == ["store", "scale", "events"]:
            header = cells
        elif header and len(cells) == len(header) and cells[1].startswith("x"):
            figures = {
                known[h]: float(v.replace(",", ""))
                for h, v in zip(header[3:], cells[3:], strict=True)
                if h in known and v != MISSING
            }
            points.append(
                Point(cells[0], float(cells[1][1:]), int(cells[2].replace(",", "")), figures)
            )
    return points


def earlier_cpu(path: Path) -> str | None:
    """The CPU the scale section of ``path`` names in its machine line, if any."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    found = re.search(r"CPU: ([^;\n]*)", text.partition(START)[2].partition(END)[0])
    return found.group(1).strip() if found else None


def merged(kept: list[Point], new: list[Point]) -> list[Point]:
    """``kept`` with ``new`` in the place of any point at the same store and scale."""
    measured = {(p.backend, p.scale) for p in new}
    together = [p for p in kept if (p.backend, p.scale) not in measured] + new
    return sorted(together, key=lambda p: (p.scale, p.backend))


def table(points: list[Point]) -> str:
    header = ("store", "scale", "events", *(f"{name} ({unit})" for name, unit, _ in FIGURES))
    rows = [
        (
            p.backend,
            f"x{p.scale:g}",
            f"{p.events:,}",
            *(_shown(p.figures.get(n)) for n, _, _ in FIGURES),
        )
        for p in points
    ]
    return markdown(rows, header)


MISSING = "-"  # a figure the run that measured this point did not take


def _shown(value: float | None) -> str:
    if value is None:
        return MISSING
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def write(path: Path, points: list[Point], machine: dict[str, str], notes: list[str]) -> None:
    """Put the scale section into ``path`` between its markers, the rest left as it is."""
    lines = [
        START,
        "## Scale run: cost against the history's size",
        "Chart: [scale.png](scale.png) (one line per store). Machine: "
        + "; ".join(f"{k}: {v}" for k, v in machine.items()),
        "",
        table(points),
        "",
        *(f"- {note}" for note in notes),
        END,
    ]
    section = "\n".join(lines)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    new = pattern.sub(lambda _: section, old) if START in old else old.rstrip() + "\n\n" + section
    path.write_text(new.strip() + "\n", encoding="utf-8")
    chart(points, path.with_name(CHART.name))


def chart(points: list[Point], where: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.ticker import NullFormatter

    figure, axes = pyplot.subplots(4, 4, figsize=(16, 13))
    for axis in axes.flat[len(FIGURES) :]:
        axis.set_visible(False)
    for axis, (name, unit, title) in zip(axes.flat, FIGURES, strict=False):
        for backend in sorted({p.backend for p in points}):
            mine = sorted((p for p in points if p.backend == backend), key=lambda p: p.events)
            mine = [p for p in mine if name in p.figures]
            xs, ys = [p.events for p in mine], [p.figures[name] for p in mine]
            axis.plot(xs, ys, marker="o", label=backend)
        axis.set_xscale("log")
        axis.xaxis.set_minor_formatter(NullFormatter())  # over a short span they overlap
        axis.set_ylim(bottom=0)  # from zero, so that a slope looks as large as it is
        if unit == "x":
            axis.axhline(0.8, color="grey", linestyle="--", linewidth=1)  # 20 % lower
        axis.set_title(title, fontsize=10)
        axis.set_xlabel("events stored")
        axis.set_ylabel(unit)
        axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(where, dpi=80)
    pyplot.close(figure)
