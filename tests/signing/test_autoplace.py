"""Proposed positions between the signer's title and name; remembered positions per document form."""

from __future__ import annotations

import json

import pymupdf
import pytest

from app.sandbox.documents import make_admin_pdf
from app.signing.autoplace import is_title_line, propose_placement
from app.signing.geometry import Placement
from app.signing.options import Profile
from app.signing.placement_memory import PlacementMemory
from tests.signing.pdfs import admin_pdf

BODY = ["Các phòng, trung tâm sắp xếp công việc để tham gia đầy đủ, đúng thời gian."] * 5


def _line_rect(path, page, text):
    with pymupdf.open(str(path)) as doc:
        hits = doc[page].search_for(text)
        return hits[-1]


@pytest.mark.parametrize("title,last", [
    ("GIÁM ĐỐC", "GIÁM ĐỐC"),
    ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    ("TRƯỞNG PHÒNG", "TRƯỞNG PHÒNG"),
])
def test_box_centred_between_title_and_name(tmp_path, title, last):
    path = tmp_path / "doc.pdf"
    make_admin_pdf(path, title="KẾ HOẠCH", summary="Tết trồng cây", body_paragraphs=BODY,
                   number_symbol="KH-STTTT", signer_title=title, signer_name="Lê Văn Tuấn", pages=2)
    p = propose_placement(path, Profile.LEADER, box_size=(150, 70))
    assert p is not None and p.page == 1
    t = _line_rect(path, 1, last)
    n = _line_rect(path, 1, "Lê Văn Tuấn")
    x0, y0, x1, y1 = p.rect
    assert y0 >= t.y1 - 0.5 and y1 <= n.y0 + 0.5
    assert abs((y0 + y1) / 2 - (t.y1 + n.y0) / 2) < 1
    assert abs((x0 + x1) / 2 - (n.x0 + n.x1) / 2) < 20


def test_no_signer_block_gives_none(tmp_path):
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Hello")
    path = tmp_path / "plain.pdf"
    doc.save(str(path))
    assert propose_placement(path) is None
    assert propose_placement(tmp_path / "missing.pdf") is None


def test_only_leader_is_proposed(tmp_path):
    path = admin_pdf(tmp_path / "d.pdf")
    assert propose_placement(path, Profile.LEADER) is not None
    assert propose_placement(path, Profile.SEAL) is None


def test_title_line_detection():
    assert is_title_line("KT. CHỦ TỊCH")
    assert is_title_line("PHÓ GIÁM ĐỐC")
    assert not is_title_line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert not is_title_line("Giám đốc Sở")


def test_memory_remembers_per_form_and_profile(tmp_path):
    path = tmp_path / "mem" / "placements.json"
    mem = PlacementMemory(path)
    assert mem.recall("Kế hoạch", Profile.LEADER) is None
    p = Placement(1, (300.0, 500.0, 450.0, 570.0))
    mem.remember("Kế hoạch", Profile.LEADER, p, page_count=2)
    mem.remember("Quyết định", Profile.LEADER, Placement(0, (1.0, 2.0, 3.0, 4.0)), page_count=3)
    again = PlacementMemory(path)
    assert again.recall("Kế  hoạch", Profile.LEADER) == p
    assert again.recall("Kế hoạch", Profile.INITIALS) is None
    # Remembered on the last page: a three-page document of the same form gets it on page 3.
    assert again.recall("Kế hoạch", Profile.LEADER, page_count=3) == Placement(2, p.rect)
    assert again.recall("Quyết định", Profile.LEADER, page_count=1).page == 0
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 1
    assert [f.name for f in path.parent.iterdir()] == ["placements.json"]
    again.forget("Kế hoạch", Profile.LEADER)
    assert PlacementMemory(path).recall("Kế hoạch", Profile.LEADER) is None


def test_memory_survives_a_damaged_file(tmp_path):
    path = tmp_path / "placements.json"
    path.write_text("{not json", encoding="utf-8")
    mem = PlacementMemory(path)
    assert mem.recall("Kế hoạch", Profile.LEADER) is None
    mem.remember("Kế hoạch", Profile.LEADER, Placement(0, (1.0, 2.0, 3.0, 4.0)))
    assert mem.recall("Kế hoạch", Profile.LEADER) == Placement(0, (1.0, 2.0, 3.0, 4.0))
