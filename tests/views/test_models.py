"""Table models and proxies at volume (correctness here; timings are in bench/)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from app.domain import DossierSummary
from app.views.models import DossierTableModel, HighlightRole, RowFilterProxy, fold, state_filter
from app.views.qt import Qt
from tests.fixtures.states import PROCESSING, RETURNED, WAITING

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone(timedelta(hours=7)))
NAMES = ("Nguyễn Thị Hoa", "Trần Văn Bình", "Lê Thị Lan", "Phạm Quốc Đạt", "Đỗ Minh Châu")
SERVICES = ("Cấp giấy phép xây dựng", "Đăng ký hộ kinh doanh", "Cấp phép hoạt động in")


def generate(n: int, seed: int = 1) -> list[DossierSummary]:
    rng = random.Random(seed)
    statuses = [PROCESSING, WAITING, RETURNED]
    return [
        DossierSummary(
            id=f"id{i:05d}",
            code=f"000.00.20.H09-2611{i % 30:02d}-{i:04d}",
            procedure_name=rng.choice(SERVICES),
            applicant_name=rng.choice(NAMES),
            status=statuses[i % 3],
            appointment_date=NOW + timedelta(days=rng.randint(-20, 20)),
        )
        for i in range(n)
    ]


def test_ten_thousand_rows_filter_sort_and_search(qapp):
    rows = generate(10_000)
    model = DossierTableModel("vi", now=lambda: NOW)
    model.set_rows(rows)
    proxy = RowFilterProxy()
    proxy.setSourceModel(model)
    assert proxy.rowCount() == 10_000

    proxy.set_item_filter(state_filter("finished"))
    assert proxy.rowCount() == sum(1 for r in rows if r.status is RETURNED)
    proxy.set_search("dat   pham")  # no diacritics, any order
    expected = [r for r in rows if r.status is RETURNED and r.applicant_name == "Phạm Quốc Đạt"]
    assert sorted(proxy.items(), key=lambda r: r.id) == sorted(expected, key=lambda r: r.id)

    proxy.set_search("")
    proxy.set_item_filter(None)
    proxy.sort(DossierTableModel.APPOINTMENT_COLUMN, Qt.SortOrder.AscendingOrder)
    dates = [r.appointment_date for r in proxy.items()]
    assert dates == sorted(dates)
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    codes = [r.code for r in proxy.items()]
    assert codes == sorted(codes, reverse=True)


def test_overdue_highlight_and_counterpart(qapp):
    rows = generate(30)
    model = DossierTableModel("vi", now=lambda: NOW)
    model.set_rows(rows)
    col = DossierTableModel.APPOINTMENT_COLUMN
    for i, row in enumerate(rows):
        overdue = row.status is not RETURNED and row.appointment_date < NOW
        has_red = model.index(i, col).data(Qt.ItemDataRole.ForegroundRole) is not None
        assert has_red == overdue, row
    model.set_highlight([rows[3].code])
    flags = [model.index(i, 0).data(HighlightRole) for i in range(len(rows))]
    assert flags == [r.code == rows[3].code for r in rows]
    assert model.index(3, 1).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_append_and_replace_keep_rows_unique(qapp):
    rows = generate(10)
    model = DossierTableModel("en", now=lambda: NOW)
    model.set_rows(rows[:6])
    model.append_rows(rows[4:])
    assert model.rowCount() == 10
    changed = DossierSummary(**{**rows[2].__dict__, "status": RETURNED})
    assert model.replace_row(changed) == 2
    assert model.index(2, 4).data() == "Đã trả kết quả"  # the server's own name, in either language
    assert fold("Đỗ Minh Châu") == "do minh chau"


@pytest.mark.parametrize("column", [0, 2, DossierTableModel.APPOINTMENT_COLUMN, 4])
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_pages_appended_to_a_sorted_list_take_their_place_without_sorting_it_again(qapp, column, order):
    rows = generate(1_000, seed=5)
    model = DossierTableModel("vi", now=lambda: NOW)
    model.sort(column, order)
    layouts = []
    model.layoutChanged.connect(lambda *_args: layouts.append(1))
    model.set_rows(rows[:200])
    for start in range(200, len(rows), 200):
        model.append_rows([*rows[start:start + 200], rows[start - 1]])  # one already there
    # Equal keys keep their arrival order, as one stable sort of all the rows would.
    expected = DossierTableModel("vi", now=lambda: NOW)
    expected.set_rows(rows)
    expected.sort(column, order)
    assert model.rows() == expected.rows()
    assert layouts == [], "no page reordered the whole list"

    # A row whose key changes moves to its new place; -1 keeps the rows as they are.
    moved = DossierSummary(**{**model.item(0).__dict__, "code": "zzz", "applicant_name": "Ư", "status": WAITING,
                              "procedure_name": "Ư", "appointment_date": NOW + timedelta(days=99)})
    model.replace_row(moved)
    resorted = DossierTableModel("vi", now=lambda: NOW)
    resorted.set_rows(model.rows())
    resorted.sort(column, order)
    assert model.rows() == resorted.rows()
    newcomer = generate(1_001)[1_000]
    assert model.item(model.replace_row(newcomer)) == newcomer, "a new row goes to its place, and says where"
    model.sort(-1)
    before = model.rows()
    model.append_rows(generate(1_010)[1_001:])
    assert model.rows()[:1_001] == before and model.rowCount() == 1_010


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_ten_thousand_rows_in_the_list_panel(qtbot):
    from app.views.list_panel import ListPanel

    rows = generate(10_000, seed=3)
    model = DossierTableModel("vi", now=lambda: NOW)
    panel = ListPanel(
        "Hồ sơ", model, [("Tất cả", None), ("Đã xong", state_filter("finished"))],
        search_placeholder="", object_name="bulk",
    )
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    panel.sort_by(DossierTableModel.APPOINTMENT_COLUMN)
    layouts = []
    model.layoutChanged.connect(lambda *_args: layouts.append(1))
    for start in range(0, len(rows), 200):  # as the pages arrive
        model.append_rows(rows[start:start + 200])
    dates = [r.appointment_date for r in panel.proxy.items()]
    assert len(dates) == 10_000 and dates == sorted(dates)
    assert layouts == [], "each page took its place; the list was not sorted again"
    panel.set_filter_index(1)
    panel.search_edit.setText("chau")
    panel.apply_search()
    shown = panel.proxy.items()
    assert shown == sorted(shown, key=lambda r: r.appointment_date)
    assert shown and all(r.status is RETURNED and "Châu" in r.applicant_name for r in shown)
    assert panel.count_label.text() == f"{len(shown)} / 10000 dòng"
    target = shown[len(shown) // 2]
    assert panel.select_key(target.id)
    assert panel.current_item() == target


def test_times_read_in_vietnam_time_whatever_zone_they_were_written_in(qtbot):
    from app.services.journal import PendingTransfer
    from app.views.formatting import datetime_text
    from app.views.pending_dialog import PendingDialog

    # Due at 00:30 on 2 December in Vietnam, sent by the server in UTC: the list says 02/12.
    due = datetime(2026, 12, 1, 17, 30, tzinfo=timezone.utc)
    model = DossierTableModel("vi", now=lambda: NOW)
    model.set_rows([DossierSummary(id="a", code="000.00.20.H09-261201-0001", procedure_name=SERVICES[0],
                                   applicant_name=NAMES[0], status=PROCESSING, appointment_date=due)])
    assert model.index(0, DossierTableModel.APPOINTMENT_COLUMN).data() == "02/12/2026"
    # The journal writes UTC: a transfer started at 09:05 in Vietnam reads 09:05.
    started = datetime(2026, 12, 2, 2, 5, tzinfo=timezone.utc)
    dialog = PendingDialog([PendingTransfer("k", "send_to_idesk", "000.00.20.H09-261201-0001", started, 2, 1)], "vi")
    qtbot.addWidget(dialog)
    assert dialog.list.topLevelItem(0).text(3) == "02/12/2026 09:05"
    # A server's naive local time is shown as written.
    assert datetime_text(datetime(2026, 12, 2, 9, 5)) == "02/12/2026 09:05"
