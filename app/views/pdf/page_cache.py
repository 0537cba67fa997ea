"""Rendered page images kept within a memory budget, least recently used dropped first."""

from __future__ import annotations

from collections import OrderedDict

from app.views.qt import QImage

DEFAULT_BUDGET = 192 * 1024 * 1024


class PageCache:
    """Keyed by (doc_id, tag, page); one zoom per key, since an old zoom is only a fallback."""

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET) -> None:
        self.budget = budget_bytes
        self.used = 0
        self._items: OrderedDict[tuple, tuple[float, QImage]] = OrderedDict()

    def put(self, key: tuple, zoom: float, image: QImage) -> None:
        self.remove(key)
        self._items[key] = (zoom, image)
        self.used += image.sizeInBytes()
        while self.used > self.budget and len(self._items) > 1:
            _, (_, old) = self._items.popitem(last=False)
            self.used -= old.sizeInBytes()

    def get(self, key: tuple) -> tuple[float, QImage] | None:
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
        return item

    def remove(self, key: tuple) -> None:
        old = self._items.pop(key, None)
        if old is not None:
            self.used -= old[1].sizeInBytes()

    def drop_document(self, doc_id: int) -> None:
        for key in [k for k in self._items if k[0] == doc_id]:
            self.remove(key)

    def __len__(self) -> int:
        return len(self._items)
