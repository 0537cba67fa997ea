"""Start-up of two checkouts, interleaved: whether a change to the start path makes it faster on a
host whose speed drifts, over an hour, by more than such a change.

    python3 bench/startup_ab.py OTHER_CHECKOUT [--runs 15]

OTHER_CHECKOUT is another checkout of the app (a `git worktree` at the commit to compare with);
this checkout is the second. Each round times the bare Qt window, then each checkout's scripted
and silent starts as `bench_startup.py` times them (each with its own driver), alternating which
checkout goes first. Prints the medians, their ratios to the bare window, and the median of the
paired differences (this checkout minus the other, within a round), which the drift affects least.
No target: a tool for deciding about a change, not a row of `run_all.py`.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from bench_startup import BARE, _app_cmd, start_browser, stop_browser, time_until_shown  # noqa: E402


def compare(other: Path, runs: int) -> dict[str, dict[str, list[float]]]:
    sys.path.insert(0, str(ROOT))
    from app.cli.training import open_training_process
    from app.paths import AppPaths

    work = Path(tempfile.mkdtemp(prefix="lienthong-startup-ab-"))
    trees = {"other": other.resolve(), "this": ROOT}
    try:
        home = work / "home"
        paths = AppPaths.under(home).ensure()
        servers = open_training_process(paths)()
        servers.wait_pki()
        keyring_dir = work / "keyring"
        keyring_dir.mkdir()
        seen: dict[str, dict[str, list[float]]] = {
            name: {"scripted": [], "silent": []} for name in trees}
        seen["bare"] = {"bare": []}
        browser, port = start_browser()
        try:
            for root in trees.values():
                # Warm each checkout's bytecode; the first one also stores the session silent starts use.
                time_until_shown(_app_cmd(home, root=root), keyring_dir=keyring_dir, root=root)
            for round_ in range(runs):
                seen["bare"]["bare"].append(time_until_shown([sys.executable, "-c", BARE]))
                order = list(trees.items()) if round_ % 2 == 0 else list(trees.items())[::-1]
                for name, root in order:
                    seen[name]["scripted"].append(
                        time_until_shown(_app_cmd(home, browser=port, root=root), root=root))
                    seen[name]["silent"].append(time_until_shown(
                        _app_cmd(home, scripted=False, root=root), keyring_dir=keyring_dir, root=root))
        finally:
            stop_browser(browser)
            servers.stop()
        return seen
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Liên Thông Desk: start-up of two checkouts, interleaved")
    parser.add_argument("other", type=Path, help="the other checkout (e.g. a git worktree)")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    seen = compare(args.other, args.runs)
    bare = statistics.median(seen["bare"]["bare"])
    print(f"bare QApplication + QMainWindow: median {bare * 1000:.1f} ms")
    for kind in ("scripted", "silent"):
        for name in ("other", "this"):
            values = seen[name][kind]
            median = statistics.median(values)
            print(f"{kind:8} {name:5}: median {median * 1000:6.1f} ms, {median / bare:.2f}x the bare window")
        paired = [b - a for a, b in zip(seen["other"][kind], seen["this"][kind], strict=True)]
        print(f"{kind:8} this - other, same round: median {statistics.median(paired) * 1000:+.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
