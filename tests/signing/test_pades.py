"""PAdES levels, incremental updates and the untouched original, on real PDFs and real signatures."""

from __future__ import annotations

import threading
from io import BytesIO

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from app.errors import CancelledError
from app.fileio import sha256_file
from app.signing.errors import TsaError
from app.signing.geometry import Placement
from app.signing.options import AppearanceOptions, Profile, SigningRequest, TsaConfig
from app.signing.pades import sign_document
from tests.fixtures.pki import simple_signer, validation_context
from tests.signing.checks import assert_all_valid
from tests.signing.pdfs import admin_pdf

BOX = Placement(0, (330.0, 560.0, 500.0, 640.0))


def _req(src, out, **kw):
    return SigningRequest(src, out, Profile.LEADER, (BOX,), **kw)


def test_b_b_without_tsa_is_incremental_and_keeps_original(draft, tmp_path, leader, demo_pki):
    before = sha256_file(draft)
    original = draft.read_bytes()
    out = tmp_path / "signed.pdf"
    res = sign_document(_req(draft, out), leader)
    assert res.level == "B-B"
    assert sha256_file(draft) == before
    signed = out.read_bytes()
    # Incremental: the original bytes are an exact prefix of the output.
    assert signed.startswith(original)
    assert res.sha256 == sha256_file(out)
    assert res.field_name == "leader_1"
    assert res.signing_time.utcoffset().total_seconds() == 7 * 3600
    assert any("B-B" in w.en for w in res.warnings)
    statuses = assert_all_valid(out, 1, vc=validation_context(demo_pki))
    sig = PdfFileReader(BytesIO(signed)).embedded_signatures[0]
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert statuses[0][1].signer_reported_dt.replace(microsecond=0) == res.signing_time
    assert list(tmp_path.iterdir()) == [out]


def test_b_t_with_demo_tsa(draft, tmp_path, leader, demo_pki):
    out = tmp_path / "signed-t.pdf"
    res = sign_document(_req(draft, out, tsa=TsaConfig(demo_pki.tsa_url, timeout_s=10)), leader)
    assert res.level == "B-T"
    statuses = assert_all_valid(out, 1, vc=validation_context(demo_pki))
    assert statuses[0][1].timestamp_validity is not None
    assert statuses[0][1].timestamp_validity.intact


def test_b_t_with_basic_auth_tsa(draft, tmp_path, leader, demo_pki):
    out = tmp_path / "signed-auth.pdf"
    tsa = TsaConfig(demo_pki.tsa_auth_url, demo_pki.tsa_username, demo_pki.tsa_password, timeout_s=10)
    assert sign_document(_req(draft, out, tsa=tsa), leader).level == "B-T"
    assert_all_valid(out, 1, vc=validation_context(demo_pki))
    with pytest.raises(TsaError) as info:
        sign_document(_req(draft, tmp_path / "x.pdf", tsa=TsaConfig(demo_pki.tsa_auth_url, "sai", "sai", 5)), leader)
    assert demo_pki.tsa_auth_url in info.value.message_vi
    assert not (tmp_path / "x.pdf").exists()


def test_b_lt_with_revocation_data(draft, tmp_path, leader, demo_pki):
    out = tmp_path / "signed-lt.pdf"
    vc = validation_context(demo_pki)
    res = sign_document(_req(draft, out, tsa=TsaConfig(demo_pki.tsa_url, timeout_s=10)), leader,
                        validation_context=vc)
    assert res.level == "B-LT", res.warnings
    reader = PdfFileReader(BytesIO(out.read_bytes()))
    dss = reader.root["/DSS"]
    assert "/OCSPs" in dss or "/CRLs" in dss
    assert_all_valid(out, 1, vc=validation_context(demo_pki))


def test_b_lt_falls_back_to_b_t_with_warning(draft, tmp_path, leader, demo_pki):
    from pyhanko_certvalidator import ValidationContext

    # A context that cannot fetch anything: no revocation data can be embedded.
    vc = ValidationContext(trust_roots=[demo_pki.root_cert], other_certs=[demo_pki.intermediate_cert],
                           allow_fetching=False, crls=[], ocsps=[], revocation_mode="hard-fail")
    out = tmp_path / "signed-fallback.pdf"
    res = sign_document(_req(draft, out, tsa=TsaConfig(demo_pki.tsa_url, timeout_s=10)), leader,
                        validation_context=vc)
    assert res.level == "B-T"
    assert any("B-LT" in w.en for w in res.warnings)
    assert_all_valid(out, 1, vc=validation_context(demo_pki))


def test_unreachable_tsa_is_a_clear_error_and_writes_nothing(draft, tmp_path, leader):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/tsa"
    with pytest.raises(TsaError) as info:
        sign_document(_req(draft, tmp_path / "out.pdf", tsa=TsaConfig(url, timeout_s=2)), leader)
    assert url in info.value.message_en
    assert list(tmp_path.iterdir()) == []


def test_cancel_before_signing_writes_nothing(draft, tmp_path, leader):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(CancelledError):
        sign_document(_req(draft, tmp_path / "out.pdf"), leader, cancel=cancel)
    assert list(tmp_path.iterdir()) == []


def test_progress_reports_stages(draft, tmp_path, leader, demo_pki):
    seen = []
    sign_document(_req(draft, tmp_path / "out.pdf", options=AppearanceOptions(show_org=True)), leader,
                  progress=seen.append)
    assert_all_valid(tmp_path / "out.pdf", 1, vc=validation_context(demo_pki))
    # Each stage in both languages, rendered by whoever shows it.
    assert [s.render("en") for s in seen] == ["Signing…", "Checking the signature…", "Saving the signed file…"]
    assert [s.render("vi") for s in seen][0] == "Đang ký số…"


def test_leader_without_position_is_placed_between_title_and_name(draft, tmp_path, leader, demo_pki):
    from app.signing.autoplace import propose_placement

    out = tmp_path / "auto.pdf"
    res = sign_document(SigningRequest(draft, out, Profile.LEADER), leader)
    assert any("chức danh" in w.vi for w in res.warnings)
    reader = PdfFileReader(BytesIO(out.read_bytes()))
    widget = next(a.get_object() for a in reader.root["/Pages"]["/Kids"][0].get_object()["/Annots"]
                  if a.get_object().get("/FT") == "/Sig")
    x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
    expected = propose_placement(draft)
    assert (x0, 841.89 - y1) == pytest.approx(expected.rect[:2], abs=0.01)
    assert_all_valid(out, 1, vc=validation_context(demo_pki))


def test_self_check_refuses_output_that_breaks_an_earlier_signature(draft, tmp_path, leader):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from app.signing.errors import WouldInvalidateSignatureError
    from app.signing.original import Original
    from app.signing.selfcheck import check_earlier_signatures

    signed = tmp_path / "signed.pdf"
    sign_document(_req(draft, signed), leader)
    original = signed.read_bytes()
    # Writing into the page content after a signature is not a permitted change.
    writer = IncrementalPdfFileWriter(BytesIO(original))
    writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=b"BT ET")))
    buf = BytesIO()
    writer.write(buf)
    tampered = buf.getvalue()
    with pytest.raises(WouldInvalidateSignatureError) as info:
        check_earlier_signatures(Original(original), tampered, None)
    assert "leader_1" in info.value.message_vi
    # Already damaged before us: not our change, not refused.
    check_earlier_signatures(Original(tampered), tampered, None)
    # A permitted change passes.
    check_earlier_signatures(Original(original), original, None)


def test_cancel_between_signing_and_writing_writes_nothing(draft, tmp_path, leader):
    cancel = threading.Event()

    def progress(message):
        # Cancel while the signature is being made: the check before writing stops it.
        if message.vi.startswith("Đang ký"):
            cancel.set()

    with pytest.raises(CancelledError):
        sign_document(_req(draft, tmp_path / "out.pdf"), leader, cancel=cancel, progress=progress)
    assert list(tmp_path.iterdir()) == []


def test_tsa_that_never_answers_times_out(draft, tmp_path, leader):
    import socket
    import time

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        url = f"http://127.0.0.1:{server.getsockname()[1]}/tsa"
        started = time.monotonic()
        with pytest.raises(TsaError) as info:
            sign_document(_req(draft, tmp_path / "out.pdf", tsa=TsaConfig(url, timeout_s=1.0)), leader)
        assert time.monotonic() - started < 10
    assert url in info.value.message_vi
    assert list(tmp_path.iterdir()) == []


def test_a_signature_that_does_not_verify_is_never_written(draft, tmp_path, demo_pki):
    """A token whose key does not belong to the chosen certificate yields a CMS signature that
    fails its own check: the engine refuses it and leaves nothing behind."""
    from pyhanko.sign.signers import SimpleSigner

    from app.signing.errors import SignatureCheckError

    leader_key = simple_signer(demo_pki, "leader").signing_key
    wrong = SimpleSigner(signing_cert=demo_pki.user("specialist").cert, signing_key=leader_key,
                         cert_registry=simple_signer(demo_pki, "specialist").cert_registry)
    out = tmp_path / "signed.pdf"
    with pytest.raises(SignatureCheckError):
        sign_document(_req(draft, out), wrong)
    assert list(tmp_path.iterdir()) == []


def _tampered(signed_path, dst):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(signed_path.read_bytes()))
    writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=b"BT ET")))
    with open(dst, "wb") as fh:
        writer.write(fh)
    return dst


@pytest.mark.parametrize("damage, why", [("content", "có thay đổi sau khi ký"), ("byte", "không còn nguyên vẹn")],
                         ids=["changed-content", "flipped-byte"])
def test_refuses_to_sign_over_a_broken_earlier_signature(draft, tmp_path, leader, damage, why):
    from app.signing.errors import BrokenSignatureError
    from tests.signing.verify_helpers import flip_byte_in_signed_range

    signed = tmp_path / "signed.pdf"
    sign_document(_req(draft, signed), leader)
    broken = tmp_path / "broken.pdf"
    if damage == "content":
        _tampered(signed, broken)
    else:
        flip_byte_in_signed_range(signed, broken)
    before = sha256_file(broken)
    out = tmp_path / "sealed.pdf"
    with pytest.raises(BrokenSignatureError) as info:
        sign_document(SigningRequest(broken, out, Profile.SEAL), leader)
    assert "leader_1" in info.value.message_vi and why in info.value.message_vi
    assert info.value.signature == "leader_1"
    assert not out.exists() and sha256_file(broken) == before
    # The clean signed file is sealed as before.
    sign_document(SigningRequest(signed, out, Profile.SEAL), leader)
    assert_all_valid(out, 2)


def test_refuses_a_file_changed_since_its_preview(draft, tmp_path, leader):
    from app.signing.errors import ChangedSincePreviewError

    src = tmp_path / "draft.pdf"
    src.write_bytes(draft.read_bytes())
    previewed = sha256_file(src)
    src.write_bytes(admin_pdf(tmp_path / "other.pdf", signer_name="Trần Văn Khác").read_bytes())
    out = tmp_path / "signed.pdf"
    with pytest.raises(ChangedSincePreviewError) as info:
        sign_document(_req(src, out, expected_sha256=previewed), leader)
    assert "đã thay đổi sau khi được hiển thị" in info.value.message_vi
    assert not out.exists()
    src.write_bytes(draft.read_bytes())
    assert sign_document(_req(src, out, expected_sha256=previewed), leader).level == "B-B"
