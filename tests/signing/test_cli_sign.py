"""`lienthong sign` as a subprocess with a training .p12: placement, TSA, exit codes, pdfsig."""

from __future__ import annotations

import pytest

from app.signing.trust import TrustStore
from app.signing.verify import verify_pdf
from tests.fixtures.pki import make_pdf
from tests.signing.cli_helpers import lienthong, pdfsig, trust_dir_with

P12_ENV = {"LT_P12_PASS": "123456"}


@pytest.fixture(scope="module")
def demo_trust(demo_pki, tmp_path_factory):
    return trust_dir_with(tmp_path_factory.mktemp("demo-trust"), demo_pki.root_cert_path)


def p12_args(demo_pki, name="leader"):
    return ["--p12", demo_pki.user(name).p12_path, "--p12-pass-env", "LT_P12_PASS"]


def test_sign_with_tsa_then_verify_and_pdfsig(demo_pki, demo_trust, tmp_path):
    src = make_pdf(tmp_path / "ke-hoach.pdf", pages=2)
    out = tmp_path / "ke-hoach-da-ky.pdf"
    done = lienthong("sign", src, "-o", out, "--page", "2", "--rect", "330,600,520,700",
                     "--tsa", demo_pki.tsa_url,
                     "--show", "signer,time,org", *p12_args(demo_pki), env=P12_ENV, home=tmp_path)
    assert done.code == 0, done.err
    assert "Đã ký" in done.out and str(out) in done.out
    report = verify_pdf(out, TrustStore.default([demo_trust]))
    [sig] = report.signatures
    assert report.all_valid, sig
    assert sig.page == 1 and sig.time_source == "timestamp"
    assert sig.level == "B-T" and sig.timestamp_valid
    # Displayed rect (top-left origin) 330,600,520,700 on an A4 page is 330,142,520,242 in PDF space.
    x0, y0, x1, y1 = sig.rect
    assert (round(x0), round(y0), round(x1), round(y1)) == (330, 142, 520, 242)
    assert tuple(round(v) for v in sig.rect_displayed) == (330, 600, 520, 700)
    info = pdfsig(out)
    if info:
        assert "Signature is Valid" in info and "Total document signed" in info
    assert src.read_bytes()[:5] == b"%PDF-"


def test_not_a_pdf_exits_two(demo_pki, tmp_path):
    (tmp_path / "to-trinh.pdf").write_text("không phải PDF", encoding="utf-8")
    done = lienthong("sign", tmp_path / "to-trinh.pdf", "-o", tmp_path / "out.pdf",
                     "--rect", "300,600,500,700", *p12_args(demo_pki), env=P12_ENV)
    assert done.code == 2
    assert "không phải là tệp PDF" in done.err
    assert not (tmp_path / "out.pdf").exists()


def test_bad_arguments_exit_two(demo_pki, tmp_path):
    src = make_pdf(tmp_path / "a.pdf")
    bad_rect = lienthong("sign", src, "-o", tmp_path / "o.pdf", "--rect", "1,2,3",
                         *p12_args(demo_pki), env=P12_ENV)
    assert bad_rect.code == 2 and "--rect" in bad_rect.err
    missing = lienthong("sign", tmp_path / "nope.pdf", "-o", tmp_path / "o.pdf", *p12_args(demo_pki),
                        env=P12_ENV)
    assert missing.code == 2 and "Không tìm thấy tệp" in missing.err


def test_wrong_p12_password_exits_three(demo_pki, tmp_path):
    src = make_pdf(tmp_path / "a.pdf")
    done = lienthong("sign", src, "-o", tmp_path / "o.pdf", "--rect", "300,600,500,700",
                     *p12_args(demo_pki), env={"LT_P12_PASS": "sai-mat-khau"})
    assert done.code == 3
    assert "không đúng" in done.err
    assert not (tmp_path / "o.pdf").exists()


def test_unreachable_tsa_exits_five(demo_pki, tmp_path):
    src = make_pdf(tmp_path / "a.pdf")
    done = lienthong("sign", src, "-o", tmp_path / "o.pdf", "--rect", "300,600,500,700",
                     "--tsa", "http://127.0.0.1:9/tsa", "--tsa-timeout", "5",
                     *p12_args(demo_pki), env=P12_ENV)
    assert done.code == 5, done.err
    assert "dấu thời gian" in done.err
    assert not (tmp_path / "o.pdf").exists()


def test_ltv_embeds_revocation_data(demo_pki, tmp_path):
    """With --ltv the loopback OCSP/CRL answers are embedded: PAdES B-LT, checkable offline."""
    trust = trust_dir_with(tmp_path, demo_pki.root_cert_path)
    src = make_pdf(tmp_path / "a.pdf")
    out = tmp_path / "a-ltv.pdf"
    done = lienthong("sign", src, "-o", out, "--rect", "330,600,520,700", "--tsa", demo_pki.tsa_url,
                     "--ltv", "--trust-dir", trust, *p12_args(demo_pki), env=P12_ENV)
    assert done.code == 0, done.err
    assert "B-LT" in done.out
    [sig] = verify_pdf(out, TrustStore.default([trust])).signatures
    assert sig.level == "B-LT" and sig.trust == "trusted" and sig.intact
    assert sig.coverage == "entire_revision" and sig.modification == "none"


def test_leader_then_seal_both_valid(demo_pki, demo_trust, tmp_path):
    src = make_pdf(tmp_path / "qd.pdf")
    leader = tmp_path / "qd-lanh-dao.pdf"
    sealed = tmp_path / "qd-dong-dau.pdf"
    first = lienthong("sign", src, "-o", leader, "--rect", "330,600,520,700", *p12_args(demo_pki),
                      env=P12_ENV)
    assert first.code == 0, first.err
    second = lienthong("sign", leader, "-o", sealed, "--profile", "seal", *p12_args(demo_pki, "seal"),
                       env=P12_ENV)
    assert second.code == 0, second.err
    report = verify_pdf(sealed, TrustStore.default([demo_trust]))
    assert report.all_valid
    first_sig, seal_sig = report.signatures
    assert first_sig.modification == "form_filling" and seal_sig.coverage == "entire_file"
    assert seal_sig.page == 0
    info = pdfsig(sealed)
    if info:
        assert info.count("Signature is Valid") == 2


def test_clerk_fills_number_and_date_with_the_seal(demo_pki, demo_trust, tmp_path):
    """Specialist reserves the fields, the leader signs (--auto), the clerk seals with number and date."""
    import pymupdf

    from app.sandbox.documents import make_admin_pdf
    from app.signing.fields import prepare_draft

    draft = tmp_path / "du-thao.pdf"
    make_admin_pdf(draft, title="KẾ HOẠCH", summary="Chuyển đổi số năm 2026",
                   body_paragraphs=["Triển khai các nhiệm vụ chuyển đổi số."], number_symbol="KH-STTTT",
                   signer_title="GIÁM ĐỐC", signer_name="Lê Văn Tuấn")
    prepare_draft(draft, tmp_path / "prepared.pdf")
    leader = lienthong("sign", tmp_path / "prepared.pdf", "-o", tmp_path / "leader.pdf", "--auto",
                       *p12_args(demo_pki), env=P12_ENV)
    assert leader.code == 0, leader.err
    clerk = lienthong("sign", tmp_path / "leader.pdf", "-o", tmp_path / "released.pdf", "--profile", "seal",
                      "--number", "05/KH-STTTT", "--date", "05/05/2026", *p12_args(demo_pki, "seal"),
                      env=P12_ENV)
    assert clerk.code == 0, clerk.err
    report = verify_pdf(tmp_path / "released.pdf", TrustStore.default([demo_trust]))
    assert report.all_valid, report.describe("en")
    assert report.signatures[0].modification == "form_filling"
    with pymupdf.open(str(tmp_path / "released.pdf")) as doc:
        values = sorted(str(w.field_value) for page in doc for w in page.widgets() or () if w.field_value)
    # Number 05 (the symbol is printed already), day 05, month 5.
    assert values == ["05", "05", "5"]


def test_tsa_account_and_signature_image(demo_pki, demo_trust, tmp_path):
    """The TSA behind basic auth: the right account gives B-T, a wrong password exits 5."""
    import pymupdf

    from app.resources import resource

    src = make_pdf(tmp_path / "cv.pdf")
    image = resource("images", "signature-sample.png")
    common = ["--rect", "330,600,520,700", "--image", image, "--tsa", demo_pki.tsa_auth_url,
              "--tsa-user", demo_pki.tsa_username, "--tsa-password-env", "LT_TSA", *p12_args(demo_pki)]
    good = lienthong("sign", src, "-o", tmp_path / "ok.pdf", *common,
                     env={**P12_ENV, "LT_TSA": demo_pki.tsa_password})
    assert good.code == 0, good.err
    [sig] = verify_pdf(tmp_path / "ok.pdf", TrustStore.default([demo_trust])).signatures
    assert sig.level == "B-T" and sig.timestamp_valid and sig.trust == "trusted"
    with pymupdf.open(str(tmp_path / "ok.pdf")) as doc:
        # The appearance carries the PNG: the signed file has image XObjects, the input had none.
        images = [x for x in range(1, doc.xref_length()) if _is_image(doc, x)]
    assert images
    wrong = lienthong("sign", src, "-o", tmp_path / "no.pdf", *common, env={**P12_ENV, "LT_TSA": "sai"})
    assert wrong.code == 5, wrong.err
    assert not (tmp_path / "no.pdf").exists()


def _is_image(doc, xref: int) -> bool:
    try:
        return doc.xref_get_key(xref, "Subtype") == ("name", "/Image")
    except Exception:  # MuPDF raises its own error types for free xref entries
        return False
