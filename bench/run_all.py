"""Runs every bench that has a target and prints one table: figure, value, baseline, ratio,
target, ok/OVER. Baselines are measured in the same run as the figures they divide.

    python3 bench/run_all.py [--quick] [--only startup,cli,...] [--json table.json]

Each bench runs in a process of its own (its output goes to the terminal as it runs) and writes
its rows to a temp file; the targets live in the benches. --quick runs fewer repetitions (a
smoke test, not a measurement). Exit status 1 when a row is over its target or a bench failed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from rows import Row, format_table, read_rows  # noqa: E402

# name: (script, arguments, arguments with --quick, option that names the rows file)
BENCHES = {
    "startup": ("bench_startup.py", ["--runs", "9"], ["--runs", "1"], "--json"),
    "memory": ("bench_memory.py", ["--runs", "3"], ["--runs", "1", "--dossiers", "2000"], "--json"),
    "preview": ("bench_preview.py", ["--runs", "15"], ["--runs", "2", "--pages", "100"], "--json"),
    "lists": ("bench_lists.py", ["--runs", "3"], ["--runs", "1", "--dossiers", "2000"], "--json"),
    "training": ("bench_training.py", ["--runs", "3"], ["--runs", "1", "--dossiers", "2000"], "--json"),
    "signing": ("bench_signing.py", ["--skip-memory"], ["--quick", "--skip-memory"], "--rows"),
    "cli": ("bench_cli.py", ["--runs", "5"], ["--runs", "2"], "--json"),
    "remote": ("bench_remote.py", ["--docs", "20", "--rounds", "3"], ["--docs", "3", "--rounds", "1"], "--json"),
}


def fresh_memory_cost_us(megabytes: int = 64) -> float:
    """Microseconds to first touch one page of fresh memory, in a child process (its pages are new to
    it), this loop's own cost included: well under a microsecond on a PC, up to 15 µs on a virtual
    machine that backs its memory on first use. Every row that allocates megabytes (a page image, a file read
    whole) moves with it, so the table says what it was."""
    probe = (
        "import mmap, time\n"
        f"n = {megabytes} << 20\n"
        "m = mmap.mmap(-1, n)\n"
        "t = time.perf_counter()\n"
        "for off in range(0, n, mmap.PAGESIZE):\n"
        "    m[off] = 1\n"
        "print((time.perf_counter() - t) / (n // mmap.PAGESIZE) * 1e6)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return float(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, smaller files")
    parser.add_argument("--only", help="comma-separated bench names: " + ", ".join(BENCHES))
    parser.add_argument("--json", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    names = [n.strip() for n in args.only.split(",")] if args.only else list(BENCHES)
    unknown = set(names) - set(BENCHES)
    if unknown:
        parser.error(f"unknown bench(es): {', '.join(sorted(unknown))}")
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    rows: list[Row] = []
    failed: list[str] = []
    started = time.perf_counter()
    load = os.getloadavg()[0]
    fault_us = fresh_memory_cost_us()
    with tempfile.TemporaryDirectory(prefix="lienthong-run-all-") as tmp:
        for name in names:
            script, full, quick, rows_option = BENCHES[name]
            out = Path(tmp) / f"{name}.json"
            cmd = [sys.executable, str(BENCH / script), *(quick if args.quick else full), rows_option, str(out)]
            print(f"== {name}: {' '.join(cmd[1:])}", flush=True)
            done = subprocess.run(cmd, env=env, cwd=BENCH.parent)
            if done.returncode != 0 or not out.exists():
                failed.append(name)
                continue
            rows.extend(read_rows(out))
    print()
    print(f"Liên Thông Desk benches ({'quick' if args.quick else 'full'}), {os.cpu_count()} CPUs, "
          f"load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at the end, "
          f"{time.perf_counter() - started:.0f} s, fresh memory {fault_us:.2f} µs a page at start "
          f"({fresh_memory_cost_us():.2f} at the end)")
    print(format_table(rows))
    for row in rows:
        if row.note:
            print(f"  {row.figure}: {row.note}")
    for name in failed:
        print(f"bench {name} FAILED (see its output above)")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) | {"ratio": r.ratio, "ok": r.ok} for r in rows], indent=1),
                             encoding="utf-8")
    return 1 if failed or not all(r.ok for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
