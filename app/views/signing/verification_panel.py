"""`VerificationPanel`: the signatures of a PDF, like Acrobat's signature panel, in Vietnamese.

`show_file(path)` verifies in the background (TaskRunner); a newer call wins over an older one.
Each signature shows who signed, the organization, when (and whether the time comes from a
timestamp or the signer's clock) and its state: valid, changed after signing, or not trusted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from app.errors import error_text
from app.safe_names import display_text
from app.text import Text
from app.views.plain import tooltip
from app.views.qt import QColor, QLabel, Qt, QtWidgets, QWidget, Signal

COLOURS = {"valid": "#1b7f3b", "untrusted": "#a86400", "changed": "#b00020", "invalid": "#b00020",
           "unsigned": "#555555"}


class VerificationPanel(QWidget):
    verified = Signal(object)  # VerificationReport
    failed = Signal(object)
    signature_activated = Signal(int, object)  # page (0-based), rect as displayed (points, top-left origin)

    def __init__(self, runner, *, trust=None, extra_trust_dirs=(), verify: Callable | None = None,
                 lang: str = "vi", parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.trust = trust
        self.extra_trust_dirs = tuple(Path(d) for d in extra_trust_dirs)  # the officer's "extra_trust_dir"
        self._verify = verify
        self.lang = lang
        self.report = None
        self.converter: str | None = None  # the word processor that made the shown PDF, if any
        self.notes: tuple[Text, ...] = ()  # what the app knows of the shown file besides its signatures
        self._request = 0
        self.summary = QLabel(self.tr("Chưa mở tệp."), self)
        self.summary.setObjectName("verificationSummary")
        self.summary.setWordWrap(True)
        self.tree = QtWidgets.QTreeWidget(self)
        self.tree.setColumnCount(1)
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(self.tr("Danh sách chữ ký số"))
        box = QtWidgets.QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.summary)
        box.addWidget(self.tree, 1)
        self.tree.itemActivated.connect(self._activated)

    def _verifier(self):
        if self._verify is None:
            from app.signing.verify import verify_pdf

            self._verify = verify_pdf
        return self._verify

    def show_file(self, path, password: str | None = None, notes: Sequence[Text] = ()) -> None:
        """`notes`: shown under the verdict (e.g. that the signed file is a repaired copy)."""
        self._request += 1
        request = self._request
        self.report = None
        self.notes = tuple(notes)
        self.tree.clear()
        self.summary.setText(self.tr("Đang kiểm tra chữ ký số…"))
        self.summary.setStyleSheet("")
        verify, panel = self._verifier(), self
        path = Path(path)

        def work(op):
            from app.signing.convert import converted_by

            # The trust store reads certificate files, so it is loaded here, off the UI thread.
            if panel.trust is None:
                from app.signing.trust import TrustStore

                panel.trust = TrustStore.default(panel.extra_trust_dirs)
            trust = panel.trust
            report = verify(path, trust, password=password) if password else verify(path, trust)
            return report, converted_by(path)

        self.runner.run(work, receiver=self, on_success=lambda r: self._done(request, *r),
                        on_failure=lambda e: self._failed(request, e), label="verify pdf")

    def clear(self) -> None:
        self._request += 1
        self.report = None
        self.tree.clear()
        self.summary.setText(self.tr("Chưa mở tệp."))

    # ---- results -------------------------------------------------------------------------

    def _done(self, request: int, report, converter: str | None = None) -> None:
        if request != self._request:
            return
        self.report = report
        self.converter = converter
        verdict = report.verdict
        n = len(report.signatures)
        if n:
            text = self.tr("%1 — %2 chữ ký").replace("%1", verdict.label(self.lang)).replace("%2", str(n))
        else:
            text = self.tr("Tệp không có chữ ký số.")
        if converter:
            # A Word draft's PDF: say what made it, since that is what was signed.
            text += "\n" + self.tr("Bản PDF được tạo từ văn bản soạn thảo bằng %1.").replace("%1", converter)
        for note in self.notes:
            text += "\n" + note.render(self.lang)
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {COLOURS.get(verdict.key, '#000')}; font-weight: bold;")
        for sig in report.signatures:
            self._add(sig)
        self.tree.expandAll()
        self.verified.emit(report)

    def _add(self, sig) -> None:
        item = QtWidgets.QTreeWidgetItem(self.tree)
        # Names come from the certificates inside a PDF someone else made.
        who = display_text(sig.signer_name, limit=200) or self.tr("(không rõ)")
        item.setText(0, f"{sig.verdict.label(self.lang)}: {who}")
        item.setForeground(0, QColor(COLOURS.get(sig.verdict.key, "#000")))
        # The preview scrolls in displayed space, which differs from user space on rotated or cropped pages.
        item.setData(0, Qt.ItemDataRole.UserRole, (sig.page, sig.rect_displayed))
        t = sig.signing_time_local
        when = t.strftime("%d/%m/%Y %H:%M:%S") if t else self.tr("không rõ")
        source = self.tr("dấu thời gian") if sig.time_source == "timestamp" else self.tr("đồng hồ máy người ký")
        lines = []
        if sig.organization:
            lines.append(self.tr("Cơ quan: %1").replace("%1", display_text(sig.organization, limit=300)))
        lines.append(self.tr("Thời gian ký: %1 (%2)").replace("%1", when).replace("%2", source))
        lines.append(self.tr("Toàn vẹn: %1").replace("%1", self.tr("nguyên vẹn") if sig.intact
                                                    else self.tr("bị hỏng hoặc bị sửa")))
        if sig.modification not in ("none",):
            lines.append(self.tr("Thay đổi sau khi ký: %1").replace("%1", self._modification(sig)))
        lines.append(self.tr("Chứng thư số: %1").replace("%1", self._trust(sig)))
        lines.append(f"PAdES {sig.level}")
        if sig.page is not None:
            lines.append(self.tr("Trang %1").replace("%1", str(sig.page + 1)))
        for line in lines:
            child = QtWidgets.QTreeWidgetItem(item, [line])
            child.setToolTip(0, tooltip(line))

    def _trust(self, sig) -> str:
        labels = {"trusted": self.tr("tin cậy"), "untrusted": self.tr("chưa được tin cậy"),
                  "revoked": self.tr("đã bị thu hồi"), "expired": self.tr("hết hạn hoặc chưa có hiệu lực"),
                  "unknown": self.tr("không xác định được")}
        reason = sig.trust_reason_en if self.lang.startswith("en") else sig.trust_reason_vi
        text = labels.get(sig.trust, sig.trust)
        return f"{text} — {reason}" if reason else text

    def _modification(self, sig) -> str:
        labels = {"form_filling": self.tr("chỉ thêm chữ ký / điền biểu mẫu"),
                  "annotations": self.tr("thêm ghi chú"), "other": self.tr("nội dung bị sửa đổi")}
        return labels.get(sig.modification, sig.modification)

    def _failed(self, request: int, exc: BaseException) -> None:
        if request != self._request:
            return
        message = error_text(exc, self.lang)
        self.summary.setText(self.tr("Không kiểm tra được chữ ký: %1").replace("%1", message))
        self.summary.setStyleSheet(f"color: {COLOURS['invalid']};")
        self.failed.emit(exc)

    def _activated(self, item, _column) -> None:
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if data and data[0] is not None:
            self.signature_activated.emit(data[0], data[1])
