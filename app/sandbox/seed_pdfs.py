"""The files the seed puts in the sandbox: citizens' forms, receipts, decisions, drafts (PDFs in
Vietnamese, cached per process), and the leader's signature on the drafts the history says he signed.
"""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable

from app.sandbox import seed_data

LeaderSign = Callable[[bytes], bytes]


def make_admin_pdf(*args, **kwargs) -> bytes:
    # PyMuPDF takes ~0.5 s to import and only seeding needs it, not every sandbox start.
    from app.sandbox.documents import make_admin_pdf as make

    return make(*args, **kwargs)


# The kinds of citizen's forms (the title printed on them); other components are named for what they are.
_FORM_KINDS = ("Đơn đề nghị", "Giấy đề nghị", "Văn bản đề nghị", "Tờ khai")


def component_title(component: str) -> tuple[str, str]:
    """(title, summary) printed on a dossier component: "Đơn đề nghị" / "cấp giấy phép xây dựng"."""
    kind = next((k for k in _FORM_KINDS if component.startswith(k)), None)
    if kind is None:
        return component, ""
    return kind, component[len(kind):].strip()


@lru_cache(maxsize=None)
def application_pdf(procedure_id: str, component: str) -> bytes:
    procedure = next(p for p in seed_data.PROCEDURES if p.id == procedure_id)
    title, what = component_title(component)
    # A citizen's form carries only the national motto: there is no issuing agency.
    return make_admin_pdf(
        None, title=title, summary=f"{what[:1].upper()}{what[1:]}" if what else procedure.name,
        body_paragraphs=seed_data.APPLICATION_PARAGRAPHS, number_symbol="ĐĐN",
        signer_title="NGƯỜI ĐỀ NGHỊ", signer_name="(Ký, ghi rõ họ tên)", organization=None,
    )


@lru_cache(maxsize=None)
def check_record_pdf(procedure_id: str) -> bytes:
    procedure = next(p for p in seed_data.PROCEDURES if p.id == procedure_id)
    return make_admin_pdf(
        None, title="Biên bản thẩm định hồ sơ", summary=procedure.name,
        body_paragraphs=("Phòng chuyên môn đã kiểm tra thành phần, nội dung hồ sơ theo quy định.",
                         "Hồ sơ đủ điều kiện; đề nghị Lãnh đạo Sở xem xét, quyết định."),
        number_symbol="BB-STTTT", signer_title="NGƯỜI THẨM ĐỊNH", signer_name="Nguyễn Thị Hoa",
    )


@lru_cache(maxsize=None)
def receipt_pdf() -> bytes:
    return make_admin_pdf(
        None, title="Giấy tiếp nhận hồ sơ và hẹn trả kết quả", summary="Bộ phận Một cửa",
        body_paragraphs=("Bộ phận Một cửa đã tiếp nhận hồ sơ đầy đủ thành phần theo quy định.",
                         "Thời gian trả kết quả theo ngày hẹn ghi trên hồ sơ điện tử."),
        number_symbol="TNHS", signer_title="NGƯỜI TIẾP NHẬN", signer_name="Võ Thị Lan",
    )


@lru_cache(maxsize=None)
def result_pdf(procedure_id: str, pages: int = 1) -> bytes:
    procedure = next(p for p in seed_data.PROCEDURES if p.id == procedure_id)
    return make_admin_pdf(
        None, title="Quyết định", summary=f"Về việc {procedure.result_title[0].lower()}{procedure.result_title[1:]}",
        body_paragraphs=seed_data.RESULT_PARAGRAPHS, number_symbol="QĐ-STTTT",
        signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", signer_name="Lê Văn Tuấn", pages=pages,
    )


@lru_cache(maxsize=None)
def document_pdf(form: str, summary: str, symbol: str, pages: int) -> bytes:
    paragraphs = (
        seed_data.PLAN_PARAGRAPHS if form in ("Kế hoạch", "Báo cáo", "Tờ trình") else seed_data.LETTER_PARAGRAPHS
    )
    return make_admin_pdf(
        None,
        title=form if form != "Công văn" else "",
        summary=summary,
        body_paragraphs=paragraphs,
        number_symbol=symbol,
        signer_title="GIÁM ĐỐC",
        signer_name="Lê Văn Tuấn",
        pages=pages,
    )


def leader_signer(pki_dir: Path) -> LeaderSign:
    """Signs a draft as the app's leader step does (reserved number/date fields, the signature
    between the signer's title and name) with the demo PKI's leader certificate."""
    # The signing stack and the PKI load only for seeding, not with every sandbox start.
    from pyhanko.sign.signers import SimpleSigner

    from app.sandbox.demo_pki import P12_PASSPHRASE, DemoPki
    from app.signing.options import Profile, SigningRequest
    from app.signing.pades import sign_document

    user = DemoPki.create(pki_dir).user("leader")
    signer = SimpleSigner.load_pkcs12(str(user.p12_path), passphrase=P12_PASSPHRASE.encode())

    def sign(data: bytes) -> bytes:
        with tempfile.TemporaryDirectory(prefix="lienthong-seed-") as folder:
            source, target = Path(folder) / "du-thao.pdf", Path(folder) / "du-thao-ky.pdf"
            source.write_bytes(data)
            request = SigningRequest(input_path=source, output_path=target, profile=Profile.LEADER,
                                     reason="Lãnh đạo ký số", location="Bình Định")
            sign_document(request, signer)
            return target.read_bytes()

    return sign
