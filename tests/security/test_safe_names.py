"""The shared sanitiser: a server-supplied name becomes one harmless local file-name component."""

from __future__ import annotations

import pytest

from app.motw import mark_from_internet, zone_identifier_path, zone_identifier_text
from app.safe_names import (
    MAX_NAME_BYTES,
    MAX_NAME_CHARS,
    display_text,
    file_extension,
    safe_file_name,
    safe_path,
    terminal_text,
    unique_name,
)

RLO = "\u202e"


@pytest.mark.parametrize("hostile, expected", [
    ("../../../etc/passwd", "passwd"),
    ("..\\..\\Windows\\System32\\evil.dll", "evil.dll"),
    ("C:\\Users\\Public\\evil.exe", "evil.exe"),
    ("C:evil.pdf", "C_evil.pdf"),
    ("\\\\attacker.example\\share\\leak.pdf", "leak.pdf"),
    ("/etc/cron.d/job", "job"),
    ("..", "tep"),
    (".", "tep"),
    ("", "tep"),
    (None, "tep"),
    (" . . ", "tep"),
    ("CON", "_CON"),
    ("nul.pdf", "_nul.pdf"),
    ("Com1.docx", "_Com1.docx"),
    ("LPT9", "_LPT9"),
    ("com²", "_com²"),
    ("aux .txt", "_aux.txt"),
    ("quyet-dinh.pdf:Zone.Identifier", "quyet-dinh.pdf_Zone.Identifier"),
    ("to-trinh.pdf::$DATA", "to-trinh.pdf__$DATA"),
    ("evil.exe. . .", "evil.exe"),
    ("  .hidden.pdf", "hidden.pdf"),
    (f"van-ban-{RLO}fdp.exe", "van-ban-_fdp.exe"),
    ("a\x00b\x07c\x1b[31m\x7f\x85\x9b.pdf", "a_b_c_[31m___.pdf"),
    ("tab\there\nnewline.pdf", "tab_here_newline.pdf"),
    ("zero\u200bwidth\ufeff.pdf", "zero_width_.pdf"),
    ("a<b>c|d?e*f\"g.pdf", "a_b_c_d_e_f_g.pdf"),
    ("Quyết định số 12.pdf", "Quyết định số 12.pdf"),
    ("Quye\u0302\u0301t.pdf", "Quyết.pdf"),  # NFD from a Mac becomes NFC
])
def test_hostile_names_become_one_harmless_component(hostile, expected):
    assert safe_file_name(hostile) == expected


def test_long_names_are_capped_keeping_the_extension():
    long_ascii = safe_file_name("x" * 1000 + ".pdf")
    assert len(long_ascii) == MAX_NAME_CHARS and long_ascii.endswith(".pdf")
    long_viet = safe_file_name("Quyết định " * 100 + ".docx")
    assert len(long_viet.encode("utf-8")) <= MAX_NAME_BYTES and long_viet.endswith(".docx")
    assert (
        safe_file_name("a." + "x" * 5000).startswith("a.") and len(safe_file_name("a." + "x" * 5000)) <= MAX_NAME_CHARS
    )


def test_collisions_are_numbered_without_regard_to_case():
    assert unique_name("a.pdf", []) == "a.pdf"
    assert unique_name("a.pdf", ["A.PDF"]) == "a (2).pdf"
    assert unique_name("a.pdf", ["a.pdf", "a (2).pdf"]) == "a (3).pdf"
    assert unique_name("CON", ["con"]) == "CON (2)"
    long = safe_file_name("y" * 500 + ".pdf")
    numbered = unique_name(long, [long])
    assert numbered.endswith(" (2).pdf") and len(numbered) <= MAX_NAME_CHARS


def test_safe_path_stays_in_its_folder_and_numbers_existing_files(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"x")
    assert safe_path(tmp_path, "../a.pdf") == tmp_path / "a (2).pdf"
    for hostile in ("../../x", "/abs/x", "C:\\x", "\\\\h\\s\\x", "..", "NUL"):
        assert safe_path(tmp_path, hostile).parent == tmp_path


def test_the_extension_is_the_one_the_system_acts_on():
    assert file_extension("thong-bao.pdf.exe") == ".exe"
    assert file_extension(f"van-ban-{RLO}fdp.exe") == ".exe"
    assert file_extension("scan.PDF") == ".pdf"
    assert file_extension("evil.exe.  ") == ".exe"
    assert file_extension("bao-cao.pdf:evil.exe") == ".exe"
    assert file_extension("README") == ""


def test_display_neutralises_bidi_and_control_characters():
    shown = display_text(f"van-ban-{RLO}fdp.exe")
    assert RLO not in shown and shown.endswith("fdp.exe") and "\ufffd" in shown
    assert display_text("a\nb") == "a b"
    assert display_text("a\r\nb", multiline=True) == "a\nb"
    assert display_text("x" * 50, limit=10) == "x" * 9 + "…"


def test_terminal_text_drops_escape_sequences():
    hostile = "\x1b[2J\x1b[31mĐÃ DUYỆT\x1b[0m \x1b]0;owned\x07 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ \x9b1;1H ok\r"
    shown = terminal_text(hostile)
    assert "\x1b" not in shown and "\x9b" not in shown and "\x07" not in shown and "\r" not in shown
    assert "ĐÃ DUYỆT" in shown and "link" in shown and shown.endswith("ok")


def test_mark_of_the_web_stream(tmp_path):
    assert zone_identifier_text() == "[ZoneTransfer]\r\nZoneId=3\r\n"
    target = tmp_path / "to-trinh.docx"
    target.write_bytes(b"PK")
    assert zone_identifier_path(target) == f"{target}:Zone.Identifier"
    assert mark_from_internet(target, windows=False) is False
    assert not (tmp_path / "to-trinh.docx:Zone.Identifier").exists()
    # Off Windows the stream name is an ordinary file name: what Windows would open as the stream.
    assert mark_from_internet(target, windows=True) is True
    assert (tmp_path / "to-trinh.docx:Zone.Identifier").read_bytes() == b"[ZoneTransfer]\r\nZoneId=3\r\n"


def test_the_pdf_made_from_a_word_draft_gets_a_windows_safe_name(tmp_path):
    from app.fileio import sha256_file
    from app.services.word_drafts import named_copy
    from app.signing.convert import Conversion

    pdf = tmp_path / "cache.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    conversion = Conversion("COM¹.docx", "ab" * 32, pdf, sha256_file(pdf), "LibreOffice", 1, 0.1)
    copy = named_copy(conversion, tmp_path / "named", "..\\..\\COM¹.docx")
    assert copy.parent.parent == tmp_path / "named" and copy.name == "_COM¹.pdf"
