"""Word drafts for the conversion tests, written with python-docx: Decree 30 layout, Times New Roman."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

BODY = (
    ("Thực hiện Kế hoạch số 12/KH-UBND ngày 05 tháng 01 năm 2026 của Ủy ban nhân dân tỉnh về việc "
    "tổ chức Tết trồng cây đời đời nhớ ơn Bác Hồ, Sở Thông tin và Truyền thông xây dựng kế hoạch như sau."),
    ("1. Mục đích, yêu cầu: nâng cao nhận thức của công chức, viên chức và người lao động về ý nghĩa "
    "của việc trồng, chăm sóc và bảo vệ cây xanh; bảo đảm tiết kiệm, hiệu quả, an toàn."),
    ("2. Nội dung: mỗi phòng, trung tâm đăng ký số lượng cây, vị trí trồng và người phụ trách chăm sóc; "
    "gửi về Văn phòng Sở trước ngày 20 tháng 02 năm 2026 để tổng hợp."),
    ("3. Tổ chức thực hiện: Văn phòng Sở chủ trì, phối hợp với các đơn vị triển khai; trong quá trình "
    "thực hiện nếu có khó khăn, vướng mắc, báo cáo Giám đốc Sở xem xét, giải quyết."),
)
SIGNER_TITLE = "GIÁM ĐỐC"
SIGNER_NAME = "Lê Văn Tuấn"


def _font(run_or_style, size: float, bold: bool = False, italic: bool = False) -> None:
    font = run_or_style.font
    font.name = "Times New Roman"
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), "Times New Roman")


def _para(container, text: str, size: float = 13, *, bold: bool = False, italic: bool = False,
          align=WD_ALIGN_PARAGRAPH.CENTER, space_after: float = 0):
    p = container.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.space_before = Pt(0)
    if text:
        _font(p.add_run(text), size, bold, italic)
    return p


def _borderless(table) -> None:
    borders = table._tbl.tblPr.first_child_found_in("w:tblBorders")
    if borders is not None:
        table._tbl.tblPr.remove(borders)
    table.style = None


def decree30_docx(path: Path, *, paragraphs: int = 1, symbol: str = "KH-STTTT") -> Path:
    """A plan ("KẾ HOẠCH") of the provincial information department, laid out as Decree 30 Appendix I.

    `paragraphs` repeats the body so the document runs over several pages."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    _font(normal, 13)

    head = doc.add_table(rows=2, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borderless(head)
    for row in head.rows:
        row.cells[0].width, row.cells[1].width = Mm(65), Mm(100)
    left, right = head.rows[0].cells
    left.paragraphs[0].text = ""
    _font(left.paragraphs[0].add_run("UBND TỈNH BÌNH ĐỊNH"), 12)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(left, "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", 12, bold=True)
    _font(right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), 12, bold=True)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    number, date = head.rows[1].cells
    _font(number.paragraphs[0].add_run(f"Số:          /{symbol}"), 13)
    number.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(date.paragraphs[0].add_run("Bình Định, ngày        tháng        năm 2026"), 13, italic=True)
    date.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    _para(doc, "", 13)
    _para(doc, "KẾ HOẠCH", 14, bold=True)
    _para(doc, "Tham gia hưởng ứng Tết trồng cây đời đời nhớ ơn Bác Hồ", 14, bold=True, space_after=12)
    for n in range(paragraphs):
        for text in BODY:
            p = _para(doc, text, 14, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6)
            p.paragraph_format.first_line_indent = Mm(10)
        if n + 1 < paragraphs:
            _para(doc, f"Phần {n + 2}: tiếp theo nội dung kế hoạch.", 14, align=WD_ALIGN_PARAGRAPH.LEFT)

    sign = doc.add_table(rows=1, cols=2)
    _borderless(sign)
    recipients, signer = sign.rows[0].cells
    _font(recipients.paragraphs[0].add_run("Nơi nhận:"), 12, bold=True, italic=True)
    recipients.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    _para(recipients, "- UBND tỉnh (b/c);", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(recipients, "- Lưu: VT, VP.", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _font(signer.paragraphs[0].add_run(SIGNER_TITLE), 13, bold=True)
    signer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for _ in range(5):
        _para(signer, "", 13)
    _para(signer, SIGNER_NAME, 13, bold=True)
    doc.save(str(path))
    return Path(path)


def set_saved_pages(path: Path, pages: int) -> None:
    """Write the page count into docProps/app.xml, as Word does when it saves."""
    tmp = Path(str(path) + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/app.xml":
                text = data.decode("utf-8")
                if "<Pages>" in text:
                    text = re.sub(r"<Pages>\d*</Pages>", f"<Pages>{pages}</Pages>", text)
                else:
                    text = text.replace("</Properties>", f"<Pages>{pages}</Pages></Properties>")
                data = text.encode("utf-8")
            dst.writestr(info, data)
    shutil.move(tmp, path)
