"""PagedLoader: every page of a list, in order, into the model."""

from __future__ import annotations

import threading

from app.domain import Page
from app.views.list_loader import PagedLoader
from app.views.models import DossierTableModel
from app.views.tasks import TaskRunner
from tests.fixtures.states import PROCESSING


def _dossiers(start: int, n: int) -> tuple:
    from app.domain import DossierSummary

    return tuple(DossierSummary(id=f"id{i:05d}", code=f"000.00.20.H09-261201-{i:04d}", procedure_name="Cấp phép",
                                applicant_name="Nguyễn Thị Hoa", status=PROCESSING) for i in range(start, start + n))


def test_the_server_is_asked_for_the_next_page_while_this_one_goes_into_the_list(qtbot):
    """While the UI thread lists a page's rows, the next page is already being fetched."""
    total, size = 23, 5
    pages = -(-total // size)
    asked = [threading.Event() for _ in range(pages + 1)]
    numbers: list[int] = []

    def fetch(number: int, page_size: int) -> Page:
        numbers.append(number)
        asked[number].set()
        start = number * page_size
        return Page(items=_dossiers(start, max(0, min(page_size, total - start))), total=total, page=number,
                    size=page_size)

    model = DossierTableModel("vi")
    overlapped: list[bool] = []

    def listed(*_args: object) -> None:
        page = (model.rowCount() - 1) // size
        if page + 1 < pages:
            # Bounded: without the overlap the next request only goes out after this returns.
            overlapped.append(asked[page + 1].wait(timeout=2))

    model.rowsInserted.connect(listed)
    model.modelReset.connect(listed)
    errors: list[BaseException] = []
    loader = PagedLoader(TaskRunner(on_error=errors.append), model, fetch, page_size=size)
    loader.failed.connect(errors.append)
    with qtbot.waitSignal(loader.finished, timeout=20000) as finished:
        loader.reload()
    assert errors == []
    assert finished.args == [total]
    assert model.rowCount() == total and not loader.loading
    assert numbers == list(range(pages))  # no page asked for twice, none past the last
    assert overlapped == [True] * (pages - 1)


def test_a_server_that_answers_smaller_pages_than_asked_still_gives_every_row(qtbot):
    total, cap = 11, 3

    def fetch(number: int, page_size: int) -> Page:
        start = number * cap
        return Page(items=_dossiers(start, max(0, min(cap, total - start))), total=total, page=number, size=cap)

    model = DossierTableModel("vi")
    errors: list[BaseException] = []
    loader = PagedLoader(TaskRunner(on_error=errors.append), model, fetch, page_size=5)
    loader.failed.connect(errors.append)
    with qtbot.waitSignal(loader.finished, timeout=20000):
        loader.reload()
    assert errors == [] and model.rowCount() == total
