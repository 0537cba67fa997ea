"""Seed data, reset, volume generation and the administrative PDF generator."""

from __future__ import annotations

import re

import pymupdf
import requests

from app.sandbox import seed
from app.sandbox.db import Database
from app.sandbox.documents import make_admin_pdf
from app.sandbox.server import Sandbox
from tests.fixtures.sandbox import sandbox_tokens

BODY = ["Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
        "Sở Thông tin và Truyền thông ban hành Kế hoạch triển khai ký số văn bản điện tử như sau."]


def test_admin_pdf_layout_and_vietnamese_text(tmp_path):
    target = tmp_path / "kh.pdf"
    data = make_admin_pdf(target, title="Kế hoạch", summary="Triển khai ký số năm 2026", body_paragraphs=BODY,
                          number_symbol="KH-STTTT", signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
                          signer_name="Lê Văn Tuấn", pages=3)
    assert target.read_bytes() == data
    doc = pymupdf.open(stream=data)
    assert doc.page_count == 3
    first, last = doc[0].get_text(), doc[2].get_text()
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
                 "/KH-STTTT", "Bình Định, ngày", "KẾ HOẠCH", "Triển khai ký số năm 2026", "Căn cứ Nghị định"):
        assert text in first, text
    assert "\xa0" not in first and "\xad" not in first
    assert re.search(r"Số:\s+/KH-STTTT", first)
    for page in doc:
        assert page.get_text().strip(), "every page has text"
    assert "KT. GIÁM ĐỐC" in last and "PHÓ GIÁM ĐỐC" in last and "Lê Văn Tuấn" in last
    assert "Lê Văn Tuấn" not in first
    title = doc[2].search_for("PHÓ GIÁM ĐỐC")[0]
    name = doc[2].search_for("Lê Văn Tuấn")[0]
    assert name.y0 - title.y1 > 60, "room for the signature image between title and name"
    assert title.x0 > doc[2].rect.width / 2, "signature block on the right"
    fonts = {f[3] for f in doc.get_page_fonts(0)}
    assert any("Liberation Serif" in font for font in fonts)


def test_single_page_pdf_without_path():
    data = make_admin_pdf(None, title="Công văn", summary="V/v cử cán bộ", body_paragraphs=BODY,
                          number_symbol="STTTT-BCVT", signer_title="GIÁM ĐỐC", signer_name="Lê Văn Tuấn")
    doc = pymupdf.open(stream=data)
    assert doc.page_count == 1
    text = doc[0].get_text()
    assert "GIÁM ĐỐC" in text and "Căn cứ Nghị định" in text and "Lê Văn Tuấn" in text


def test_seed_reset_and_volume(tmp_path):
    data_dir = tmp_path / "box"
    assert seed.ensure_seeded(data_dir) is True
    assert seed.ensure_seeded(data_dir) is False
    counts = seed.describe(data_dir)
    assert counts["dossiers"] >= 40 and counts["documents"] >= 12
    seed.add_dossiers(data_dir, 500)
    db = Database(data_dir / seed.DB_NAME)
    with db.connection() as conn:
        codes = [r[0] for r in conn.execute("SELECT code FROM dossiers")]
    assert len(codes) == counts["dossiers"] + 500 == len(set(codes))
    seed.reset(data_dir)
    assert seed.describe(data_dir)["dossiers"] == counts["dossiers"]


def test_restart_keeps_data_and_reset_wipes_it(tmp_path):
    data_dir = tmp_path / "box"
    with Sandbox(data_dir) as box:
        tokens = sandbox_tokens(box, "hoant")
        created = requests.post(box.idesk_url + "documents", json={"summary": "Văn bản giữ lại"},
                                headers={"Authorization": f"Bearer {tokens.access}"}, timeout=10).json()
    with Sandbox(data_dir) as box:
        tokens = sandbox_tokens(box, "hoant")
        headers = {"Authorization": f"Bearer {tokens.access}"}
        assert (
            requests.get(box.idesk_url + f"documents/{created['id']}", headers=headers, timeout=10).status_code == 200
        )
    seed.reset(data_dir)
    with Sandbox(data_dir) as box:
        tokens = sandbox_tokens(box, "hoant")
        headers = {"Authorization": f"Bearer {tokens.access}"}
        assert (
            requests.get(box.idesk_url + f"documents/{created['id']}", headers=headers, timeout=10).status_code == 404
        )


def test_profile_points_at_the_servers(sandbox):
    profile = sandbox.profile()
    assert profile.is_training
    assert (profile.issuer, profile.igate_url, profile.idesk_url) == (
        sandbox.issuer,
        sandbox.igate_url,
        sandbox.idesk_url,
    )
    assert profile.client_id == "lienthong-desktop"


def test_an_older_schema_is_reseeded(tmp_path):
    data_dir = tmp_path / "box"
    seed.ensure_seeded(data_dir)
    with Database(data_dir / seed.DB_NAME).connection() as conn:
        conn.execute("UPDATE meta SET value = 'old' WHERE key = 'schema'")
        conn.execute("DELETE FROM documents")
    assert seed.ensure_seeded(data_dir) is True
    assert seed.describe(data_dir)["documents"] >= 12


def test_reset_while_running(make_sandbox):
    box = make_sandbox()
    tokens = sandbox_tokens(box, "hoant")
    headers = {"Authorization": f"Bearer {tokens.access}"}
    created = requests.post(box.idesk_url + "documents", json={"summary": "Tạm"}, headers=headers, timeout=10).json()
    box.reset()
    assert requests.get(box.idesk_url + "me", headers=headers, timeout=10).status_code == 401
    headers = {"Authorization": f"Bearer {sandbox_tokens(box, 'hoant').access}"}
    assert requests.get(box.idesk_url + f"documents/{created['id']}", headers=headers, timeout=10).status_code == 404
    dossiers = requests.get(
        box.igate_url + "pa/dossier/search", params={"size": 200}, headers=headers, timeout=10
    ).json()
    assert len(dossiers["content"]) >= 40
    file_id = requests.get(
        box.igate_url + f"pa/dossier/{dossiers['content'][0]['id']}/--online", headers=headers, timeout=10
    ).json()["dossierFormFile"][0]["file"][0]["id"]
    assert requests.get(box.igate_url + f"fi/file/{file_id}", headers=headers, timeout=10).status_code == 200


def test_busy_port_fails_cleanly_and_fixed_ports_work(tmp_path):
    import socket

    import pytest

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(OSError):
            Sandbox(tmp_path / "a", ports=(0, port, 0)).start()
    free = []
    for _ in range(3):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            free.append(probe.getsockname()[1])
    with Sandbox(tmp_path / "a", ports=tuple(free)) as box:
        assert box.issuer == f"http://127.0.0.1:{free[0]}/auth/realms/digo"
        assert (
            box.igate_url == f"http://127.0.0.1:{free[1]}/" and box.idesk_url == f"http://127.0.0.1:{free[2]}/api/v1/"
        )
        assert requests.get(box.issuer + "/.well-known/openid-configuration", timeout=10).status_code == 200
    box.stop()


def test_data_seeded_by_an_older_seed_version_is_seeded_again(tmp_path):
    data_dir = tmp_path / "box"
    seed.ensure_seeded(data_dir)
    with Database(data_dir / seed.DB_NAME).connection() as conn:
        conn.execute("DELETE FROM meta WHERE key = 'seed'")  # as written before seed versions
        conn.execute("DELETE FROM documents")
    assert seed.ensure_seeded(data_dir) is True
    assert seed.describe(data_dir)["documents"] >= 12
    assert seed.ensure_seeded(data_dir) is False
