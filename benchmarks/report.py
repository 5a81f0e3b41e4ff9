"""Rows of results, the table they make, and RESULTS.md."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HEADER = ("benchmark", "backend", "measure", "value", "target", "met")
LIMITS = Path(__file__).with_name("limits.md")


@dataclass(frozen=True, slots=True)
class Row:
    bench: str
    backend: str
    measure: str
    value: float
    unit: str
    target: str = ""
    met: bool | None = None

    def cells(self) -> tuple[str, ...]:
        whole = abs(self.value) >= 100 or float(self.value).is_integer()
        shown = f"{self.value:,.0f}" if whole else f"{self.value:,.2f}"
        verdict = "" if self.met is None else ("yes" if self.met else "**no**")
        return (
            self.bench,
            self.backend,
            self.measure,
            f"{shown} {self.unit}".strip(),
            self.target,
            verdict,
        )


# The issue sets its targets on SQLite; PostgreSQL reports the same figures beside them.
TARGETS_BACKEND = "sqlite"


def at_least(bench: str, backend: str, measure: str, value: float, unit: str, floor: float) -> Row:
    return _against(bench, backend, measure, value, unit, f">= {floor:,g} {unit}", value >= floor)


def at_most(bench: str, backend: str, measure: str, value: float, unit: str, ceiling: float) -> Row:
    return _against(
        bench, backend, measure, value, unit, f"<= {ceiling:,g} {unit}", value <= ceiling
    )


def _against(
    bench: str, backend: str, measure: str, value: float, unit: str, target: str, met: bool
) -> Row:
    if backend != TARGETS_BACKEND:
        return Row(bench, backend, measure, value, unit, f"({TARGETS_BACKEND}: {target.strip()})")
    return Row(bench, backend, measure, value, unit, target.strip(), met)


WIDTHS = (12, 8, 62, 20, 22, 6)


def plain_line(cells: Sequence[str]) -> str:
    """A row as a fixed-width line, to print results as they come."""
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, WIDTHS, strict=True))


def markdown(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = (str(c).ljust(w) for c, w in zip(cells, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def results_table(rows: Sequence[Row]) -> str:
    return markdown([r.cells() for r in rows], HEADER)


def write(
    path: Path,
    command: str,
    machine: dict[str, str],
    workload: dict[str, str],
    rows: Sequence[Row],
    notes: Sequence[str],
) -> None:
    parts = [
        "# Benchmark results",
        f"Written by `{command}`. Every ratio compares two runs made in the same process, one "
        "after the other, so it holds on a busy machine better than the absolute figures.",
        "## Machine",
        markdown(list(machine.items()), ("", "")),
        "## Workload",
        markdown(list(workload.items()), ("", "")),
        "## Results",
        results_table(rows),
    ]
    if notes:
        parts += ["## Notes", "\n".join(f"- {note}" for note in notes)]
    if LIMITS.exists():
        parts.append(LIMITS.read_text(encoding="utf-8").strip())
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
