"""verify_pdf on real signed PDFs: intact, changed, tampered, untrusted, expired, revoked, levels.

Inputs are signed with bare pyHanko by the demo PKI's users, timestamps come from its loopback TSA.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pymupdf
import pytest

from app.errors import BadInputError
from app.signing.trust import TrustStore
from app.signing.verify import verify_pdf
from app.signing.verify_report import Verdict
from tests.signing.verify_helpers import (
    embed_crl,
    flip_byte_in_signed_range,
    http_timestamper,
    make_pdf,
    sign_with,
    trust_store,
)

pdfsig = shutil.which("pdfsig")
LEADER = "Lê Văn Tuấn"
ORG = "Sở Thông tin và Truyền thông tỉnh Bình Định"


@pytest.fixture(scope="module")
def store(demo_pki, tmp_path_factory):
    return trust_store(demo_pki, tmp_path_factory.mktemp("verify-trust"))


@pytest.fixture(scope="module")
def two_signed(demo_pki, tmp_path_factory):
    d = tmp_path_factory.mktemp("two")
    make_pdf(d / "in.pdf", pages=2)
    sign_with(demo_pki, d / "in.pdf", d / "leader.pdf", timestamper=http_timestamper(demo_pki))
    sign_with(demo_pki, d / "leader.pdf", d / "both.pdf", user="clerk", field="Seal", page=1,
              box=(100, 700, 200, 800))
    return d


def test_two_signatures_all_fields(two_signed, store):
    report = verify_pdf(two_signed / "both.pdf", store)
    assert report.verdict is Verdict.VALID and report.all_valid
    assert report.status == ("Hợp lệ", "Valid")
    leader, seal = report.signatures
    assert (leader.field_name, seal.field_name) == ("Signature1", "Seal")
    assert leader.signer_name == LEADER and seal.signer_name == "Phạm Thị Mai"
    assert leader.organization == ORG
    assert leader.email == "tuanlv@stttt.binhdinh.gov.vn"
    assert leader.issuer and len(leader.certificate_sha256) == 64
    assert leader.intact and seal.intact
    assert leader.time_source == "timestamp" and leader.timestamp_valid is True
    assert seal.time_source == "signer_clock" and seal.timestamp_valid is None
    assert leader.level == "B-T" and seal.level == "B-B"
    assert leader.coverage == "entire_revision" and leader.modification == "form_filling"
    assert leader.modification_permitted
    assert seal.coverage == "entire_file" and seal.modification == "none"
    assert leader.trust == seal.trust == "trusted"
    assert (leader.page, seal.page) == (0, 1)
    assert leader.rect == (350.0, 80.0, 550.0, 160.0)
    assert not leader.certified and leader.docmdp_level is None
    now = dt.datetime.now(dt.timezone.utc)
    assert abs((leader.signing_time - now).total_seconds()) < 600
    assert leader.signing_time_local.utcoffset() == dt.timedelta(hours=7)


def test_json_has_every_field(two_signed, store):
    data = json.loads(verify_pdf(two_signed / "both.pdf", store).to_json())
    assert data["status"] == "valid" and data["status_vi"] == "Hợp lệ"
    sig = data["signatures"][0]
    for key in ("field_name", "signer_name", "organization", "email", "signing_time", "time_source",
                "timestamp_valid", "intact", "coverage", "modification", "trust", "trust_reason",
                "level", "certified", "docmdp_level", "page", "rect"):
        assert key in sig, key
    assert sig["signing_time"].endswith("+07:00")
    assert sig["page"] == 1 and sig["rect"] == [350.0, 80.0, 550.0, 160.0]


def test_untrusted_without_the_local_root(two_signed):
    report = verify_pdf(two_signed / "both.pdf", TrustStore.default())
    assert report.verdict is Verdict.UNTRUSTED
    assert report.status[0] == "Chưa được tin cậy"
    assert all(s.intact and s.trust == "untrusted" for s in report.signatures)
    assert "trusted certification authority" in report.signatures[0].trust_reason_en
    assert "timestamp_untrusted" in report.signatures[0].problems
    text = report.describe("vi")
    assert "Chưa được tin cậy" in text and LEADER in text


def test_flipped_byte_is_invalid(two_signed, store, tmp_path):
    bad = flip_byte_in_signed_range(two_signed / "both.pdf", tmp_path / "bad.pdf")
    report = verify_pdf(bad, store)
    assert report.verdict is Verdict.INVALID
    assert report.status == ("Không hợp lệ", "Invalid")
    assert not any(s.intact for s in report.signatures)


def test_content_changed_after_signing(two_signed, store, tmp_path):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    out = tmp_path / "changed.pdf"
    with open(two_signed / "leader.pdf", "rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        page_ref = writer.root["/Pages"]["/Kids"][0]
        page = page_ref.get_object()
        stream = generic.StreamObject(stream_data=b"BT /F1 30 Tf 72 400 Td (PAID) Tj ET")
        page["/Contents"] = writer.add_object(stream)
        writer.update_container(page)
        with open(out, "wb") as dst:
            writer.write(dst)
    report = verify_pdf(out, store)
    [sig] = report.signatures
    assert sig.intact and sig.coverage == "entire_revision"
    assert sig.modification == "other" and not sig.modification_permitted
    assert report.verdict is Verdict.CHANGED
    assert report.status[0] == "Đã bị thay đổi"


def test_certification_signature(demo_pki, store, tmp_path):
    make_pdf(tmp_path / "in.pdf")
    sign_with(demo_pki, tmp_path / "in.pdf", tmp_path / "cert.pdf", certify=True)
    [sig] = verify_pdf(tmp_path / "cert.pdf", store).signatures
    assert sig.certified and sig.docmdp_level == 2


def test_expired_signer(demo_pki, store, tmp_path):
    make_pdf(tmp_path / "in.pdf")
    sign_with(demo_pki, tmp_path / "in.pdf", tmp_path / "old.pdf", user="expired")
    report = verify_pdf(tmp_path / "old.pdf", store)
    [sig] = report.signatures
    assert sig.intact and sig.trust == "expired"
    assert report.verdict is Verdict.UNTRUSTED
    assert "hết hạn" in sig.trust_reason_vi


def test_expired_signer_with_timestamp_from_its_validity(tmp_path):
    """The timestamp proves the signature was made while the certificate was still valid.

    The demo PKI's CAs are younger than its expired user, so a small local CA with a long-lived
    hierarchy provides this case.
    """
    from tests.signing.local_ca import build_local_ca, sign_expired_with_backdated_timestamp

    ca = build_local_ca()
    local_store = TrustStore.default([ca.directory])
    make_pdf(tmp_path / "in.pdf")
    sign_expired_with_backdated_timestamp(ca, tmp_path / "in.pdf", tmp_path / "ts.pdf", days_ago=10)
    [sig] = verify_pdf(tmp_path / "ts.pdf", local_store).signatures
    assert sig.time_source == "timestamp" and sig.timestamp_valid
    assert sig.trust == "trusted", sig.trust_reason_en
    assert "expired after signing" in sig.trust_reason_en
    # A timestamp from after the expiry proves nothing: the certificate is simply expired.
    sign_expired_with_backdated_timestamp(ca, tmp_path / "in.pdf", tmp_path / "late.pdf", days_ago=0)
    [late] = verify_pdf(tmp_path / "late.pdf", local_store).signatures
    assert late.timestamp_valid and late.trust == "expired"


def test_revoked_signer_from_embedded_crl(demo_pki, store, tmp_path):
    make_pdf(tmp_path / "in.pdf")
    tsa = http_timestamper(demo_pki)
    sign_with(demo_pki, tmp_path / "in.pdf", tmp_path / "r.pdf", user="revoked", timestamper=tsa)
    assert verify_pdf(tmp_path / "r.pdf", store).signatures[0].trust == "trusted"  # offline, no data
    embed_crl(demo_pki, tmp_path / "r.pdf")
    report = verify_pdf(tmp_path / "r.pdf", store)
    [sig] = report.signatures
    assert sig.trust == "revoked" and sig.intact
    assert sig.level == "B-LT"
    assert report.verdict is Verdict.INVALID
    # The same CRL does not condemn a good signer.
    sign_with(demo_pki, tmp_path / "in.pdf", tmp_path / "ok.pdf", user="leader", timestamper=tsa)
    embed_crl(demo_pki, tmp_path / "ok.pdf")
    [good] = verify_pdf(tmp_path / "ok.pdf", store).signatures
    assert good.trust == "trusted" and good.level == "B-LT"


def test_document_timestamp_makes_lta(demo_pki, store, tmp_path):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    make_pdf(tmp_path / "in.pdf")
    tsa = http_timestamper(demo_pki)
    sign_with(demo_pki, tmp_path / "in.pdf", tmp_path / "lt.pdf", timestamper=tsa)
    embed_crl(demo_pki, tmp_path / "lt.pdf")
    with open(tmp_path / "lt.pdf", "rb") as fh, open(tmp_path / "lta.pdf", "wb") as out:
        signers.PdfTimeStamper(tsa).timestamp_pdf(IncrementalPdfFileWriter(fh), "sha256", output=out)
    report = verify_pdf(tmp_path / "lta.pdf", store)
    [sig] = report.signatures
    assert report.document_timestamps == 1
    assert sig.level == "B-LTA" and sig.modification == "none" and report.all_valid


def test_unsigned_pdf_has_no_signatures(tmp_path, store):
    report = verify_pdf(make_pdf(tmp_path / "plain.pdf"), store)
    assert report.signatures == () and report.verdict is Verdict.UNSIGNED
    assert json.loads(report.to_json())["signatures"] == []


def test_bad_inputs(tmp_path, store, two_signed):
    (tmp_path / "note.pdf").write_text("Đây không phải PDF")
    with pytest.raises(BadInputError) as not_pdf:
        verify_pdf(tmp_path / "note.pdf", store)
    assert not_pdf.value.code == "not_a_pdf"
    assert "không phải" in not_pdf.value.message_vi
    data = (two_signed / "both.pdf").read_bytes()
    (tmp_path / "cut.pdf").write_bytes(data[: len(data) // 3])
    with pytest.raises(BadInputError) as corrupt:
        verify_pdf(tmp_path / "cut.pdf", store)
    assert corrupt.value.code == "corrupt_pdf"
    with pytest.raises(BadInputError) as missing:
        verify_pdf(tmp_path / "absent.pdf", store)
    assert isinstance(missing.value, BadInputError)


def test_encrypted_pdf_needs_its_password(tmp_path, store):
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Mật")
    doc.save(str(tmp_path / "enc.pdf"), encryption=pymupdf.PDF_ENCRYPT_AES_256,
             user_pw="mo-khoa", owner_pw="chu-so-huu")
    with pytest.raises(BadInputError) as err:
        verify_pdf(tmp_path / "enc.pdf", store)
    assert "mật khẩu" in err.value.message_vi
    assert err.value.code == "pdf_password_required"
    with pytest.raises(BadInputError) as wrong:
        verify_pdf(tmp_path / "enc.pdf", store, password="sai")
    assert wrong.value.code == "pdf_password_wrong"
    assert verify_pdf(tmp_path / "enc.pdf", store, password="mo-khoa").signatures == ()


@pytest.mark.skipif(pdfsig is None, reason="poppler-utils not installed")
def test_pdfsig_agrees(two_signed, tmp_path):
    good = subprocess.run([pdfsig, str(two_signed / "both.pdf")], capture_output=True, text=True)
    assert good.stdout.count("Signature is Valid") == 2, good.stdout
    bad = flip_byte_in_signed_range(two_signed / "both.pdf", tmp_path / "bad.pdf")
    out = subprocess.run([pdfsig, str(bad)], capture_output=True, text=True).stdout
    assert "Signature is Valid" not in out and "Digest Mismatch" in out, out


def test_rect_on_a_rotated_page_is_reported_as_displayed(demo_pki, store, tmp_path):
    doc = pymupdf.open()
    doc.new_page(width=595, height=842).set_rotation(90)
    doc.save(str(tmp_path / "rot.pdf"))
    doc.close()
    # Box in unrotated PDF space: x 100..200, y 700..750 (near the top of the unrotated page).
    sign_with(demo_pki, tmp_path / "rot.pdf", tmp_path / "rot-signed.pdf", box=(100, 700, 200, 750))
    [sig] = verify_pdf(tmp_path / "rot-signed.pdf", store).signatures
    assert sig.rect == (100.0, 700.0, 200.0, 750.0)
    # Cross-check with MuPDF's own mapping from unrotated to displayed page space.
    with pymupdf.open(str(tmp_path / "rot-signed.pdf")) as signed:
        page = signed[0]
        unrotated = pymupdf.Rect(100, 842 - 750, 200, 842 - 700)
        shown = unrotated * page.rotation_matrix
    assert sig.rect_displayed == pytest.approx((shown.x0, shown.y0, shown.x1, shown.y1), abs=0.01)
    assert sig.rect_displayed == (700.0, 100.0, 750.0, 200.0)


def test_sha1_signature_is_not_trusted(demo_pki, store, tmp_path):
    make_pdf(tmp_path / "in.pdf")
    sign_with(demo_pki, tmp_path / "in.pdf", tmp_path / "sha1.pdf", md_algorithm="sha1")
    report = verify_pdf(tmp_path / "sha1.pdf", store)
    [sig] = report.signatures
    assert sig.intact and sig.trust == "untrusted"
    assert "sha1" in sig.trust_reason_en and "không còn an toàn" in sig.trust_reason_vi
    assert report.verdict is Verdict.UNTRUSTED


def test_unsupported_format_is_listed_not_dropped(two_signed, store, tmp_path):
    """An old adbe.x509.rsa_sha1 signature cannot be checked: it is reported, never accepted."""
    data = (two_signed / "both.pdf").read_bytes()
    assert data.count(b"/ETSI.CAdES.detached") == 2
    # Same length, so offsets and byte ranges stay valid for the other signature.
    altered = data.replace(b"/ETSI.CAdES.detached", b"/adbe.x509.rsa_sha1 ", 1)
    (tmp_path / "old.pdf").write_bytes(altered)
    report = verify_pdf(tmp_path / "old.pdf", store)
    assert len(report.signatures) == 2
    odd = [s for s in report.signatures if s.problems and s.problems[0].startswith("unsupported_format")]
    assert len(odd) == 1 and "adbe.x509.rsa_sha1" in odd[0].trust_reason_en
    assert odd[0].verdict is Verdict.UNTRUSTED
    assert report.verdict in (Verdict.UNTRUSTED, Verdict.INVALID) and not report.all_valid
