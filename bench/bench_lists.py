"""10,000 dossiers arriving page by page in the dossier list, sorted by a column, on the UI thread.

Run: QT_QPA_PLATFORM=offscreen python3 bench/bench_lists.py [--dossiers 10000] [--runs 3] [--json rows.json]
The list panel the main window shows (model, filter proxy, table view on screen) receives the
dossiers in pages of 200, as `PagedLoader` hands them over; each page's time runs from the model
taking it to the event loop being free again (the view repainted). The figure is the slowest
page: the longest the officer's clicks wait while a list loads. Baseline: the same pages into
the same list in the server's order (no sort column), the least a page costs. Target: <= 50 ms.
The process collects its garbage as `lienthong gui` does (app/views/collector.py), and the
officer's mouse moves over the list as each page arrives, so no full collection is due to run.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from rows import Row, dossier_bench_arguments, write_rows  # noqa: E402

TARGET_MS = 50.0
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone(timedelta(hours=7)))
NAMES = ("Nguyễn Thị Hoa", "Trần Văn Bình", "Lê Thị Lan", "Phạm Quốc Đạt", "Đỗ Minh Châu", "Hoàng Thị Ưng")
SERVICES = ("Cấp giấy phép xây dựng", "Đăng ký hộ kinh doanh", "Cấp phép hoạt động in", "Chứng thực bản sao")


def dossiers(n: int, seed: int = 7) -> list:
    from app.domain import DossierSummary
    from tests.fixtures.states import PROCESSING, RETURNED, WAITING

    rng = random.Random(seed)
    states = [PROCESSING, WAITING, RETURNED]
    return [
        DossierSummary(
            id=f"id{i:06d}",
            code=f"000.00.20.H09-2612{i % 28 + 1:02d}-{i:05d}",
            procedure_name=rng.choice(SERVICES),
            applicant_name=rng.choice(NAMES),
            status=states[i % 3],
            appointment_date=NOW + timedelta(days=rng.randint(-30, 30), minutes=rng.randint(0, 600)),
        )
        for i in range(n)
    ]


def load(app, rows: list, column: int, page_size: int) -> list[float]:
    """Seconds of UI-thread time for each page, into a fresh panel sorted by `column` (-1: none)."""
    from app.views.list_panel import ListPanel
    from app.views.models import DossierTableModel, state_filter
    from app.views.qt import QCoreApplication, QEvent, QPointF, Qt, QtGui

    model = DossierTableModel("vi", now=lambda: NOW)
    panel = ListPanel("Hồ sơ", model, [("Tất cả", None), ("Đã xong", state_filter("finished"))],
                      search_placeholder="", object_name="bench")
    panel.resize(1000, 700)
    panel.show()
    app.processEvents()
    panel.sort_by(column)
    times = []
    viewport = panel.view.viewport()
    for start in range(0, len(rows), page_size):
        page = rows[start:start + page_size]
        at = QPointF(10 + start % 300, 50)
        QCoreApplication.sendEvent(viewport, QtGui.QMouseEvent(
            QEvent.Type.MouseMove, at, viewport.mapToGlobal(at), Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier))
        t0 = time.perf_counter()
        if start == 0:
            model.set_rows(page)
        else:
            model.append_rows(page)
        app.processEvents()
        times.append(time.perf_counter() - t0)
    if model.rowCount() != len(rows):
        raise RuntimeError(f"{model.rowCount()} rows loaded of {len(rows)}")
    panel.close()
    panel.deleteLater()
    app.processEvents()
    return times


def main() -> int:
    args = dossier_bench_arguments(__doc__)

    from app.views.collector import UiCollector
    from app.views.list_loader import PAGE_SIZE
    from app.views.models import DossierTableModel
    from app.views.qt import QApplication

    app = QApplication.instance() or QApplication(["bench"])
    rows = dossiers(args.dossiers)
    load(app, rows[:1000], DossierTableModel.APPOINTMENT_COLUMN, PAGE_SIZE)  # warm-up: imports, fonts
    collector = UiCollector(app)
    collector.start()
    sorted_runs, plain_runs = [], []
    for _ in range(args.runs):
        sorted_runs.append(load(app, rows, DossierTableModel.APPOINTMENT_COLUMN, PAGE_SIZE))
        plain_runs.append(load(app, rows, -1, PAGE_SIZE))
    collector.stop()
    worst = statistics.median(max(run) for run in sorted_runs) * 1000
    plain = statistics.median(max(run) for run in plain_runs) * 1000
    total = statistics.median(sum(run) for run in sorted_runs)
    plain_total = statistics.median(sum(run) for run in plain_runs)
    pages = len(sorted_runs[0])
    print(f"{args.dossiers} dossiers in {pages} pages of {PAGE_SIZE}, runs: {args.runs} (medians)")
    print(f"sorted by appointment: slowest page {worst:.1f} ms, all pages {total * 1000:.0f} ms of UI thread")
    print(f"server order (no sort): slowest page {plain:.1f} ms, all pages {plain_total * 1000:.0f} ms")
    print(f"target: slowest page <= {TARGET_MS:g} ms: {'ok' if worst <= TARGET_MS else 'OVER'}")
    write_rows(args.json, [
        Row(f"{args.dossiers:,} dossiers arriving by pages, sorted list: slowest page", worst, "ms", TARGET_MS,
            plain, "same pages, no sort", target_on="value",
            note=f"all {pages} pages {total * 1000:.0f} ms of UI thread, {plain_total * 1000:.0f} ms unsorted"),
    ])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
