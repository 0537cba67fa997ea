"""Every seeded PDF looks like the document it is (Decree 30/2020 header, the title of its kind),
and every document waiting for the clerk carries what that step implies."""

from __future__ import annotations

import io

import pymupdf
import pytest

from app.sandbox import seed, seed_pdfs
from app.sandbox.blobs import BlobStore
from app.sandbox.db import Database

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
AGENCY = ("UBND TỈNH BÌNH ĐỊNH", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("seeded")
    seed.ensure_seeded(data_dir)
    return data_dir


def _files(data_dir, sql):
    blobs = BlobStore(data_dir / "blobs")
    with Database(data_dir / seed.DB_NAME).connection() as conn:
        rows = [dict(r) for r in conn.execute(sql)]
    for row in rows:
        row["data"] = blobs.path(row["sha256"]).read_bytes()
    return rows


def _left_column(data: bytes) -> list[str]:
    with pymupdf.open(stream=data) as doc:
        page = doc[0]
        half = page.rect.width / 2
        return [w[4] for w in page.get_text("words") if w[2] < half and w[1] < 140]


def _assert_header(data: bytes, *, agency: bool) -> str:
    with pymupdf.open(stream=data) as doc:
        text = doc[0].get_text()
    for line in MOTTO:
        assert text.count(line) == 1, (line, text[:300])
    left = " ".join(_left_column(data))
    if agency:
        assert AGENCY[0] in left and AGENCY[1] in left, left
    else:
        assert "CỘNG" not in left and "SỞ" not in left and "UBND" not in left, left
    return text


def test_dossier_components_are_citizen_forms_with_their_own_title(seeded):
    rows = _files(seeded, "SELECT c.name, f.sha256 FROM components c JOIN component_files cf ON cf.component_id = c.id"
                          " JOIN files f ON f.id = cf.file_id")
    assert rows
    for row in rows:
        text = _assert_header(row["data"], agency=False)
        title, _ = seed_pdfs.component_title(row["name"])
        assert title.upper() in text, (row["name"], text[:300])
        if not title.startswith("Đơn"):
            assert "ĐƠN ĐỀ NGHỊ" not in text, row["name"]


def test_step_files_carry_the_agency_and_their_kind(seeded):
    rows = _files(seeded, "SELECT s.step, f.filename, f.sha256 FROM step_files s JOIN files f ON f.id = s.file_id")
    titles = {"Tiếp nhận hồ sơ": "GIẤY TIẾP NHẬN HỒ SƠ", "Thẩm định hồ sơ": "BIÊN BẢN THẨM ĐỊNH HỒ SƠ"}
    assert {r["step"] for r in rows} == set(titles)
    for row in rows:
        text = _assert_header(row["data"], agency=True)
        assert titles[row["step"]] in text, (row["step"], text[:300])
        assert "ĐƠN ĐỀ NGHỊ" not in text


def test_results_and_idesk_drafts_carry_the_agency_and_their_form(seeded):
    results = _files(seeded, "SELECT f.sha256 FROM result_files r JOIN files f ON f.id = r.file_id")
    assert results
    for row in results:
        assert "QUYẾT ĐỊNH" in _assert_header(row["data"], agency=True)
    drafts = _files(seeded, "SELECT d.form, f.sha256 FROM documents d JOIN attachments a ON a.document_id = d.id"
                            " AND a.role = 'main' JOIN versions v ON v.attachment_id = a.id"
                            " JOIN files f ON f.id = v.file_id")
    assert len(drafts) >= 12
    for row in drafts:
        text = _assert_header(row["data"], agency=True)
        if row["form"] != "Công văn":  # a letter has no title of its form, only "V/v ..."
            assert row["form"].upper() in text, (row["form"], text[:300])


def test_documents_waiting_for_the_clerk_are_signed_by_the_leader_with_reserved_fields(seeded, tmp_path):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from app.sandbox.demo_pki import DemoPki
    from app.signing.fields import DAY_FIELD, MONTH_FIELD, NUMBER_FIELD
    from tests.fixtures.pki import pdfsig

    pki = DemoPki.create(seeded / seed.PKI_DIR)
    leader = pki.user("leader").cert
    rows = _files(seeded, "SELECT d.summary, d.status, v.version, v.note, f.sha256 FROM documents d"
                          " JOIN attachments a ON a.document_id = d.id AND a.role = 'main'"
                          " JOIN versions v ON v.attachment_id = a.id JOIN files f ON f.id = v.file_id"
                          " WHERE d.status IN ('signed', 'with-clerk') ORDER BY d.id, v.version")
    latest = {row["summary"]: row for row in rows}
    assert len(latest) >= 3  # "signed", and "with-clerk" from a dossier and not
    for row in latest.values():
        assert row["note"] == "signed:leader", row
        reader = PdfFileReader(io.BytesIO(row["data"]))
        [signature] = reader.embedded_signatures
        assert signature.signer_cert.dump() == leader.dump()
        context = ValidationContext(trust_roots=[pki.root_cert], other_certs=[pki.intermediate_cert],
                                    allow_fetching=False, revocation_mode="soft-fail")
        status = validate_pdf_signature(signature, context)
        assert status.intact and status.valid and status.trusted, (row["summary"], status.pretty_print_details())
        names = {str(ref.get_object().get("/T")) for ref in reader.root["/AcroForm"]["/Fields"]}
        assert {NUMBER_FIELD, DAY_FIELD, MONTH_FIELD} <= names, names
        path = tmp_path / "signed.pdf"
        path.write_bytes(row["data"])
        report = pdfsig(path)
        assert "Lê Văn Tuấn" in report and "Signature is Valid" in report, report


def test_the_clerk_numbers_and_seals_a_seeded_document_waiting_for_the_clerk(seeded, tmp_path):
    """The walk-through's failure: "Cấp phép hoạt động in" with the clerk had no reserved fields."""
    from datetime import date

    import pymupdf as fitz
    from pyhanko.sign.signers import SimpleSigner

    from app.sandbox.demo_pki import P12_PASSPHRASE, DemoPki
    from app.signing.options import Profile, SigningRequest
    from app.signing.pades import sign_document

    rows = _files(seeded, "SELECT d.dossier_code, v.version, f.sha256 FROM documents d"
                          " JOIN attachments a ON a.document_id = d.id AND a.role = 'main'"
                          " JOIN versions v ON v.attachment_id = a.id JOIN files f ON f.id = v.file_id"
                          " WHERE d.status = 'with-clerk' AND d.dossier_code != '' ORDER BY v.version")
    source = tmp_path / "du-thao.pdf"
    source.write_bytes(rows[-1]["data"])
    seal = DemoPki.create(seeded / seed.PKI_DIR).user("seal")
    signer = SimpleSigner.load_pkcs12(str(seal.p12_path), passphrase=P12_PASSPHRASE.encode())
    request = SigningRequest(input_path=source, output_path=tmp_path / "sealed.pdf", profile=Profile.SEAL,
                             number="07/QĐ-STTTT", release_date=date(2026, 12, 1))
    sign_document(request, signer)
    with fitz.open(tmp_path / "sealed.pdf") as doc:
        values = {w.field_name: w.field_value for w in doc[0].widgets() if w.field_type_string == "Text"}
    assert values["so_van_ban"] == "07" and values["ngay"] == "01" and values["thang"] == "12", values


@pytest.mark.parametrize("background", [False, True])
def test_the_seeded_leader_signature_checks_online_against_the_running_demo_pki(tmp_path, background):
    """The seeded signature's certificate points at the PKI services the sandbox runs (OCSP, CRL),
    so an officer's validation of it finds its revocation status."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from app.sandbox.demo_pki import DemoPki
    from app.sandbox.server import Sandbox

    box = Sandbox(tmp_path / "box", pki=True, seed_in_background=background, pki_in_background=background)
    with box:
        box.wait_seeded(120)
        box.wait_pki(120)
        rows = _files(box.data_dir, "SELECT f.sha256 FROM documents d JOIN attachments a ON a.document_id = d.id"
                                    " AND a.role = 'main' JOIN versions v ON v.attachment_id = a.id"
                                    " JOIN files f ON f.id = v.file_id WHERE v.note = 'signed:leader'")
        assert rows
        pki = DemoPki.create(box.pki_dir)
        for row in rows:
            [signature] = PdfFileReader(io.BytesIO(row["data"])).embedded_signatures
            context = ValidationContext(trust_roots=[pki.root_cert], other_certs=[pki.intermediate_cert],
                                        allow_fetching=True, revocation_mode="hard-fail")
            status = validate_pdf_signature(signature, context)
            assert status.intact and status.valid and status.trusted, status.pretty_print_details()
