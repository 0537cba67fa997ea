"""Test documents for the signing tests: real PDFs written with PyMuPDF, qpdf or by hand."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from app.resources import font_path

A4 = (595.276, 841.89)


def admin_pdf(
    path: Path,
    *,
    signer_title: str = "GIÁM ĐỐC",
    deputy_line: str = "",
    signer_name: str = "Lê Văn Tuấn",
    symbol: str = "KH-STTTT",
    place: str = "Bình Định",
    pages: int = 1,
    rotate: int = 0,
    mediabox: tuple[float, float, float, float] | None = None,
    cropbox: tuple[float, float, float, float] | None = None,
) -> Path:
    """A Vietnamese administrative document laid out like Decree 30 Appendix I."""
    doc = pymupdf.open()
    regular = pymupdf.Font(fontfile=str(font_path("Regular")))
    bold = pymupdf.Font(fontfile=str(font_path("Bold")))
    for n in range(pages):
        page = doc.new_page(width=A4[0], height=A4[1])
        writer = pymupdf.TextWriter(page.rect)

        def put(x, y, text, size=13, bold_font=False, writer=writer):
            writer.append((x, y), text, font=bold if bold_font else regular, fontsize=size)

        if n == 0:
            put(70, 60, "UBND TỈNH BÌNH ĐỊNH", 12)
            put(50, 76, "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", 12, True)
            put(300, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, True)
            put(340, 76, "Độc lập - Tự do - Hạnh phúc", 13, True)
            put(80, 110, f"Số:        /{symbol}")
            put(300, 110, f"{place}, ngày      tháng      năm 2026")
            put(250, 160, "KẾ HOẠCH", 14, True)
            put(120, 180, "Tham gia hưởng ứng Tết trồng cây đời đời nhớ ơn Bác Hồ")
        body_top = 220 if n == 0 else 80
        for i in range(8):
            put(70, body_top + 22 * i, f"Đoạn {n + 1}.{i + 1}: Các phòng, trung tâm sắp xếp công việc đầy đủ.")
        if n == pages - 1:
            y = 520
            if deputy_line:
                put(350, y, deputy_line, 13, True)
                y += 18
            put(370, y, signer_title, 13, True)
            put(360, y + 110, signer_name, 13, True)
            put(70, 520, "Nơi nhận:", 12, True)
            put(70, 536, "- UBND tỉnh (b/c);", 11)
            put(70, 550, "- Lưu: VT.", 11)
        writer.write_text(page)
    for page in doc:
        if mediabox is not None:
            doc.xref_set_key(page.xref, "MediaBox", "[%g %g %g %g]" % mediabox)
        if cropbox is not None:
            doc.xref_set_key(page.xref, "CropBox", "[%g %g %g %g]" % cropbox)
        if rotate:
            page.set_rotation(rotate)
    doc.subset_fonts()
    doc.save(str(path), garbage=3, deflate=True)
    doc.close()
    return Path(path)


def hybrid_xref_pdf(path: Path) -> Path:
    """A hybrid-reference file: a classic xref table plus an /XRefStm holding a compressed object.

    The font lives only in an object stream listed by the xref stream, as in files written by
    Word and other tools for backward compatibility (ISO 32000-1, 7.5.8.4).
    """
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}

    def obj(num: int, body: bytes) -> None:
        offsets[num] = len(out)
        out.extend(b"%d 0 obj\n" % num + body + b"\nendobj\n")

    def stream(extra: bytes, data: bytes) -> bytes:
        return b"<< " + extra + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
           b"/Resources << /Font << /F1 5 0 R >> >> >>")
    obj(4, stream(b"", b"BT /F1 24 Tf 72 700 Td (Hybrid xref) Tj ET"))
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    head = b"5 0 "
    obj(6, stream(b"/Type /ObjStm /N 1 /First %d" % len(head), head + font))
    # The xref stream lists object 5 as compressed in object stream 6, index 0.
    xref_stream_data = bytes([2]) + (6).to_bytes(4, "big") + (0).to_bytes(2, "big")
    obj(7, stream(b"/Type /XRef /Size 8 /W [1 4 2] /Index [5 1]", xref_stream_data))
    xref_at = len(out)
    # The table skips object 5 (two subsections), so only the xref stream knows where it is.
    out.extend(b"xref\n0 5\n0000000000 65535 f \n")
    for num in range(1, 5):
        out.extend(b"%010d 00000 n \n" % offsets[num])
    out.extend(b"6 2\n")
    for num in (6, 7):
        out.extend(b"%010d 00000 n \n" % offsets[num])
    out.extend(b"trailer\n<< /Size 8 /Root 1 0 R /XRefStm %d >>\nstartxref\n%d\n%%%%EOF\n" % (offsets[7], xref_at))
    Path(path).write_bytes(bytes(out))
    return Path(path)


def encrypted_pdf(src: Path, path: Path, user_pw: str = "matkhau", owner_pw: str = "chuso") -> Path:
    """AES-256 encryption as qpdf writes it (the /Encrypt dictionary is an indirect object)."""
    import subprocess

    subprocess.run(["qpdf", "--encrypt", user_pw, owner_pw, "256", "--", str(src), str(path)],
                   check=True, capture_output=True, timeout=60)
    return Path(path)


def upright_rotated_pdf(src: Path, path: Path, rotate: int) -> Path:
    """The first page of `src` on a page with /Rotate whose content is turned back: upright as shown.

    This is how scanners and office tools produce rotated pages that read normally.
    """
    with pymupdf.open(str(src)) as source:
        w, h = source[0].rect.width, source[0].rect.height
        doc = pymupdf.open()
        page = doc.new_page(width=h if rotate in (90, 270) else w, height=w if rotate in (90, 270) else h)
        page.set_rotation(rotate)
        # The target is given in unrotated page coordinates.
        page.show_pdf_page(page.mediabox, source, 0, rotate=rotate)
        doc.save(str(path), garbage=3, deflate=True)
        doc.close()
    return Path(path)
