"""One row of the bench table: a figure, its baseline measured in the same run, and its target.

Every bench can write its rows as JSON (`--json FILE`); `bench/run_all.py` gathers them into
one table. A target applies to the ratio when there is a baseline, else to the value itself.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Row:
    figure: str
    value: float
    unit: str  # "s", "ms", "MB"
    target: float
    baseline: float | None = None  # same unit as value, measured in the same run
    baseline_label: str = ""
    target_on: str = "ratio"  # "ratio" (value / baseline) or "value"
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline <= 0:
            return None
        return self.value / self.baseline

    @property
    def ok(self) -> bool:
        measured = self.ratio if self.target_on == "ratio" else self.value
        return measured is not None and measured <= self.target

    def target_text(self) -> str:
        if self.target_on == "ratio":
            return f"<= {self.target:g}x"
        return f"<= {self.target:g} {self.unit}"


def timed(call) -> float:
    """Seconds `call()` took."""
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def dossier_bench_arguments(doc: str) -> argparse.Namespace:
    """--dossiers, --runs and --json, for the benches that load a list of 10,000 dossiers."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the table rows to this file")
    return parser.parse_args()


def write_rows(path: Path | None, rows: list[Row]) -> None:
    if path is not None:
        Path(path).write_text(json.dumps([asdict(r) for r in rows], indent=1), encoding="utf-8")


def read_rows(path: Path) -> list[Row]:
    return [Row(**item) for item in json.loads(Path(path).read_text(encoding="utf-8"))]


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    return f"{value:.0f} {unit}"


def format_table(rows: list[Row]) -> str:
    header = ("figure", "value", "baseline", "ratio", "target", "")
    body = []
    for r in rows:
        base = _num(r.baseline, r.unit) + (f" ({r.baseline_label})" if r.baseline_label else "")
        ratio = "-" if r.ratio is None else f"{r.ratio:.2f}x"
        body.append((r.figure, _num(r.value, r.unit), base if r.baseline is not None else "-", ratio,
                     r.target_text(), "ok" if r.ok else "OVER"))
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in [header, *body]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
