"""Resident memory of the idle main window with 10,000 dossiers loaded, against a bare Qt window.

The training servers run in this process with 10,000 iGate dossiers; the app runs `lienthong gui`
in a child process (`bench/gui_driver.py --until idle`), signs in through the SSO page, loads
every list page, installs the signing views, idles a second, then reports VmRSS. The baseline is
a bare QApplication showing a QMainWindow. Target: <= 250 MB. While the lists load, the driver
moves the mouse over the window and reports how long the lists took, how long the UI thread was
blocked at worst and the full garbage collections of that time (printed, no target).

    python3 bench/bench_memory.py [--dossiers 10000] [--runs 3] [--json rows.json]
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from rows import Row, dossier_bench_arguments, write_rows  # noqa: E402

TARGET_MB = 250.0
BARE = r"""
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtCore import QTimer
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1280, 800)
window.show()
def report():
    rss = next(int(l.split()[1]) for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmRSS:"))
    print(f"idle rss_mb={rss / 1024:.1f}", flush=True)
    app.quit()
QTimer.singleShot(1000, report)
app.exec()
"""


def _env() -> dict:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def idle_line(args: list[str]) -> dict[str, float]:
    done = subprocess.run(args, cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=600)
    for line in done.stdout.splitlines():
        if line.startswith("idle "):
            return {k: float(v) for k, v in (item.split("=") for item in line.split()[1:])}
    raise SystemExit(f"{args[:3]} did not report idle ({done.returncode}): {done.stderr[-2000:]}")


def main() -> int:
    args = dossier_bench_arguments(__doc__)

    from app.cli.training import remember
    from app.paths import AppPaths
    from app.sandbox.seed import SEED_DOSSIERS, add_dossiers
    from app.sandbox.server import Sandbox

    home = Path(tempfile.mkdtemp(prefix="lienthong-bench-memory-"))
    paths = AppPaths.under(home).ensure()
    box = Sandbox(paths.sandbox_dir, pki=True)
    box.start()
    try:
        if args.dossiers > SEED_DOSSIERS:
            add_dossiers(paths.sandbox_dir, args.dossiers - SEED_DOSSIERS)
        remember(paths, box)
        driver = [sys.executable, str(ROOT / "bench" / "gui_driver.py"), "--until", "idle", "--", "--home", str(home)]
        app_runs, bare_runs = [], []
        for _ in range(args.runs):
            app_runs.append(idle_line(driver))
            bare_runs.append(idle_line([sys.executable, "-c", BARE]))
    finally:
        box.stop()
        shutil.rmtree(home, ignore_errors=True)
    rss = statistics.median(r["rss_mb"] for r in app_runs)
    bare = statistics.median(r["rss_mb"] for r in bare_runs)
    rows = int(app_runs[-1]["dossiers"])
    print(f"idle main window, {rows} dossiers and {int(app_runs[-1]['documents'])} documents loaded: "
          f"{rss:.0f} MB RSS (median of {[round(r['rss_mb']) for r in app_runs]})")
    print(f"bare QApplication + QMainWindow: {bare:.0f} MB RSS")
    blocks = [round(r["load_block_ms"]) for r in app_runs]
    full = [int(r["full_collections"]) for r in app_runs]
    longest = max(r["longest_full_ms"] for r in app_runs)
    elsewhere = sum(int(r["full_elsewhere"]) for r in app_runs)
    took = [round(r["load_ms"]) for r in app_runs]
    print(f"lists loaded {statistics.median(took):.0f} ms after the main window showed (median of {took})")
    print(f"while the lists loaded, the officer moving the mouse: UI thread blocked at worst "
          f"{statistics.median(blocks):.0f} ms (median of {blocks}); full garbage collections {full}, "
          f"longest {longest:.0f} ms, {elsewhere} of them off the UI thread")
    print(f"target <= {TARGET_MB:.0f} MB: {'ok' if rss <= TARGET_MB else 'OVER'}")
    write_rows(args.json, [Row(f"idle main window RSS, {rows:,} dossiers loaded", rss, "MB", TARGET_MB, bare,
                               "bare Qt window", target_on="value")])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
