"""Verify every signature in a PDF with pyHanko: integrity, coverage, later changes, trust, level."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509

from app.errors import BadInputError
from app.signing.damage import decode_limits, reading
from app.signing.errors import (
    NotAPdfError,
    PasswordRequiredError,
    WrongPdfPasswordError,
)
from app.signing.geometry import Rect
from app.signing.trust import TrustStore
from app.signing.verify_report import (
    PROBLEM_TIMESTAMP_BROKEN,
    PROBLEM_TIMESTAMP_UNTRUSTED,
    PROBLEM_UNSUPPORTED,
    SignatureReport,
    VerificationReport,
)

if TYPE_CHECKING:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
    from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel, TimestampSignatureStatus
    from pyhanko_certvalidator import ValidationContext

# A page: its object's (idnum, generation) when it is an indirect object, and its dictionary.
_Page = tuple[tuple[int, int] | None, "generic.DictionaryObject"]


class FileMissingError(BadInputError):
    code = "file_missing"

    def __init__(self, path: Path) -> None:
        super().__init__(f"Không tìm thấy tệp: {path}", f"File not found: {path}")


@dataclass(frozen=True)
class _Revinfo:
    certs: tuple[asn1_x509.Certificate, ...]
    crls: tuple[asn1_crl.CertificateList, ...]
    ocsps: tuple[asn1_ocsp.OCSPResponse, ...]

    @property
    def has_revocation_data(self) -> bool:
        return bool(self.crls or self.ocsps)


def verify_pdf(path: Path, trust: TrustStore, *, password: str | None = None,
               allow_fetching: bool = False) -> VerificationReport:
    """Validate every signature in `path`; raise a BadInputError subclass for unusable input."""
    from app.signing import byterange, hexstrings, pdfnames, pdfspace
    from app.signing.history import Reader

    hexstrings.install()
    pdfnames.install()
    pdfspace.install()
    path = Path(path)
    if not path.is_file():
        raise FileMissingError(path)
    with open(path, "rb") as fh:
        head = fh.read(1024)
        if b"%PDF-" not in head:
            raise NotAPdfError(path.name, detail="no %PDF- header")
        fh.seek(0)
        with reading(path.name):
            reader = Reader(fh, strict=False, decode_limits=decode_limits())
            _unlock(reader, path, password)
            revinfo = _read_dss(reader)
            embedded = list(reader.embedded_signatures)
            byterange.prime(reader.stream, embedded)
            pages = _pages(reader)
            regular = [e for e in embedded if e.sig_object_type == "/Sig"]
            doc_ts_revisions = [e.signed_revision for e in embedded if e.sig_object_type == "/DocTimeStamp"]
            reports = tuple(
                _verify_one(e, trust, revinfo, allow_fetching, pages, doc_ts_revisions)
                for e in regular
            ) + _unsupported(reader, {str(e.field_name) for e in embedded})
    return VerificationReport(
        path=str(path),
        signatures=reports,
        document_timestamps=len(doc_ts_revisions),
        trust_problems=tuple(p.message_en for p in trust.problems),
    )


def _unsupported(reader: PdfFileReader, known: set[str]) -> tuple[SignatureReport, ...]:
    """Filled signature fields pyHanko skipped because of their /SubFilter: report, do not drop."""
    from pyhanko.sign.fields import enumerate_sig_fields

    found = []
    for name, value, _ref in enumerate_sig_fields(reader, filled_status=True):
        if str(name) in known:
            continue
        sig = value.get_object()
        subfilter = str(sig.get("/SubFilter", "?")).lstrip("/")
        found.append(SignatureReport(
            field_name=str(name), signer_name=str(sig.get("/Name", "")), organization="", email="",
            signing_time=None, time_source="signer_clock", timestamp_valid=None, intact=False,
            coverage="partial", modification="other", modification_permitted=False, trust="unknown",
            trust_reason_vi=f"Không kiểm tra được chữ ký định dạng {subfilter}.",
            trust_reason_en=f"Signatures in the {subfilter} format cannot be checked.",
            level="B-B", certified=False, docmdp_level=None, page=None, rect=None,
            problems=(f"{PROBLEM_UNSUPPORTED}: {subfilter}",),
        ))
    return tuple(found)


def _unlock(reader: PdfFileReader, path: Path, password: str | None) -> None:
    from pyhanko.pdf_utils.crypt import AuthStatus

    if not reader.encrypted:
        return
    # Many "encrypted" PDFs only carry an owner password; the empty user password opens them.
    for candidate in ([password] if password is not None else []) + [""]:
        try:
            if reader.decrypt(candidate).status != AuthStatus.FAILED:
                return
        except Exception as exc:  # pyHanko raises varied errors for unsupported handlers
            raise PasswordRequiredError(path.name, detail=str(exc)) from exc
    if password is not None:
        raise WrongPdfPasswordError(path.name)
    raise PasswordRequiredError(path.name)


def _read_dss(reader: PdfFileReader) -> _Revinfo:
    """Certificates, CRLs and OCSP responses embedded in the document security store, if any."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    if "/DSS" not in reader.root:
        return _Revinfo((), (), ())
    dss = DocumentSecurityStore.read_dss(reader)
    certs = tuple(dss.load_certs())
    crls = tuple(asn1_crl.CertificateList.load(r.get_object().data) for r in dss.crls)
    ocsps = tuple(asn1_ocsp.OCSPResponse.load(r.get_object().data) for r in dss.ocsps)
    return _Revinfo(certs, crls, ocsps)


def _context(
    trust: TrustStore, revinfo: _Revinfo, allow_fetching: bool, time: datetime | None = None
) -> ValidationContext:
    return trust.validation_context(
        allow_fetching=allow_fetching, time=time,
        crls=revinfo.crls, ocsps=revinfo.ocsps, other_certs=revinfo.certs,
    )


def _verify_one(
    emb: EmbeddedPdfSignature, trust: TrustStore, revinfo: _Revinfo, allow_fetching: bool, pages: list[_Page],
    doc_ts_revisions: list[int],
) -> SignatureReport:
    from pyhanko.sign.validation import validate_pdf_signature

    page, rect = _widget_location(emb, pages)
    rect_displayed = _displayed(pages, page, rect)
    try:
        cert = emb.signer_cert
    except Exception:
        cert = None
    base: dict[str, Any] = dict(
        field_name=str(emb.field_name),
        page=page,
        rect=rect,
        rect_displayed=rect_displayed,
        certified=emb.docmdp_level is not None and "/Reference" in emb.sig_object,
        docmdp_level=emb.docmdp_level.value if emb.docmdp_level is not None else None,
        **_signer_fields(cert),
    )
    try:
        status = validate_pdf_signature(
            emb, _context(trust, revinfo, allow_fetching),
            ts_validation_context=_context(trust, revinfo, allow_fetching),
        )
    except Exception as exc:  # a malformed CMS blob or byte range: report it, keep going
        return SignatureReport(
            signing_time=None, time_source="signer_clock", timestamp_valid=None, intact=False,
            coverage="partial", modification="other", modification_permitted=False, trust="unknown",
            trust_reason_vi="Không kiểm tra được chữ ký.", trust_reason_en="The signature could not be checked.",
            level="B-B", problems=(f"{type(exc).__name__}: {exc}",), **base,
        )
    trust_key, reason_vi, reason_en = _trust_of(status)
    tst = status.timestamp_validity
    problems: list[str] = []
    timestamp_valid = None
    if tst is not None:
        sound = tst.intact and tst.valid
        timestamp_valid = sound and tst.trusted
        if not sound:
            problems.append(PROBLEM_TIMESTAMP_BROKEN)
        elif not tst.trusted:
            problems.append(PROBLEM_TIMESTAMP_UNTRUSTED)
    if trust_key == "expired" and timestamp_valid and tst is not None:
        # Expired now, but a trusted timestamp proves it was signed while the certificate was valid.
        again = validate_pdf_signature(
            emb, _context(trust, revinfo, allow_fetching, time=tst.timestamp),
            ts_validation_context=_context(trust, revinfo, allow_fetching),
        )
        if again.trusted:
            trust_key = "trusted"
            reason_vi = "Chứng thư đã hết hạn sau thời điểm ký; dấu thời gian chứng minh thời điểm ký."
            reason_en = "The certificate expired after signing; the timestamp proves the signing time."
    signing_time: datetime | None
    if tst is not None and tst.intact and tst.valid:
        signing_time, time_source = tst.timestamp, "timestamp"
    else:
        signing_time, time_source = status.signer_reported_dt, "signer_clock"
    return SignatureReport(
        signing_time=signing_time,
        time_source=time_source,
        timestamp_valid=timestamp_valid,
        intact=bool(status.intact and status.valid),
        coverage=_coverage(status.coverage),
        modification=_modification(status.modification_level),
        modification_permitted=bool(status.docmdp_ok),
        trust=trust_key,
        trust_reason_vi=reason_vi,
        trust_reason_en=reason_en,
        level=_level(emb, tst is not None, revinfo, doc_ts_revisions),
        problems=tuple(problems),
        timestamp_authority=_tsa_name(tst),
        **base,
    )


def _tsa_name(tst: TimestampSignatureStatus | None) -> str:
    cert = getattr(tst, "signing_cert", None) if tst is not None else None
    if cert is None:
        return ""
    subject = cert.subject.native
    return str(subject.get("common_name") or cert.subject.human_friendly)


def _trust_of(status: PdfSignatureStatus) -> tuple[str, str, str]:
    from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate

    indic = status.trust_problem_indic
    if not (status.intact and status.valid):
        return "unknown", "Chữ ký không toàn vẹn nên không xét độ tin cậy.", \
            "The signature is not intact, so trust was not assessed."
    if status.trusted:
        return "trusted", "", ""
    if status.revoked or indic in (AdESFailure.REVOKED, AdESIndeterminate.REVOKED_NO_POE,
                                   AdESIndeterminate.REVOKED_CA_NO_POE):
        when = status.revocation_details.revocation_date if status.revocation_details else None
        suffix = f" ({when:%Y-%m-%d})" if when else ""
        return "revoked", f"Chứng thư số đã bị thu hồi{suffix}.", f"The certificate was revoked{suffix}."
    if indic in (AdESIndeterminate.EXPIRED, AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
                 AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED, AdESFailure.NOT_YET_VALID,
                 AdESIndeterminate.NOT_YET_VALID):
        return "expired", "Chứng thư số đã hết hạn hoặc chưa có hiệu lực tại thời điểm kiểm tra.", \
            "The certificate is expired or not yet valid at validation time."
    if indic in (AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND,
                 AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE,
                 AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE):
        return "untrusted", "Chứng thư số không thuộc tổ chức cung cấp dịch vụ chứng thực được tin cậy.", \
            "The certificate does not chain to a trusted certification authority."
    if indic in (AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE,
                 AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE_NO_POE):
        algo = f"{status.md_algorithm}, {status.pkcs7_signature_mechanism}"
        return "untrusted", f"Chữ ký dùng thuật toán không còn an toàn ({algo}).", \
            f"The signature uses an algorithm that is no longer considered secure ({algo})."
    if indic is AdESIndeterminate.SIG_CONSTRAINTS_FAILURE:
        return "untrusted", "Chứng thư số không được phép dùng để ký.", \
            "The certificate is not allowed for signing (key usage)."
    name = getattr(indic, "name", str(indic))
    return "unknown", f"Không xác định được trạng thái chứng thư ({name}).", \
        f"The certificate status could not be determined ({name})."


def _coverage(level: SignatureCoverageLevel | None) -> str:
    from pyhanko.sign.validation.status import SignatureCoverageLevel as C

    if level is None:
        return "partial"
    return {C.ENTIRE_FILE: "entire_file", C.ENTIRE_REVISION: "entire_revision"}.get(level, "partial")


def _modification(level: ModificationLevel | None) -> str:
    from pyhanko.sign.diff_analysis import ModificationLevel as M

    if level is None:
        return "other"
    return {
        M.NONE: "none", M.LTA_UPDATES: "none", M.FORM_FILLING: "form_filling",
        M.ANNOTATIONS: "annotations",
    }.get(level, "other")


def _level(emb: EmbeddedPdfSignature, has_tst: bool, revinfo: _Revinfo, doc_ts_revisions: list[int]) -> str:
    if not has_tst:
        return "B-B"
    if not revinfo.has_revocation_data:
        return "B-T"
    if any(rev > emb.signed_revision for rev in doc_ts_revisions):
        return "B-LTA"
    return "B-LT"


def _signer_fields(cert: asn1_x509.Certificate | None) -> dict[str, str]:
    if cert is None:
        return dict(signer_name="", organization="", email="", issuer="", serial_hex="",
                    certificate_sha256="")
    subject = cert.subject.native
    email = subject.get("email_address", "")
    if not email and cert.subject_alt_name_value is not None:
        for general_name in cert.subject_alt_name_value:
            if general_name.name == "rfc822_name":
                email = general_name.native
                break
    issuer = cert.issuer.native
    return dict(
        signer_name=_first(subject.get("common_name", "")) or cert.subject.human_friendly,
        organization=_first(subject.get("organization_name", "")),
        email=_first(email),
        issuer=_first(issuer.get("common_name", "")) or cert.issuer.human_friendly,
        serial_hex=format(cert.serial_number, "x"),
        certificate_sha256=cert.sha256.hex(),
    )


def _first(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return str(value[0]) if value else ""
    return str(value or "")


def _pages(reader: PdfFileReader) -> list[_Page]:
    """((idnum, generation), page dictionary) of every page, in order."""
    pages: list[_Page] = []

    def walk(node_ref: generic.PdfObject, depth: int = 0) -> None:
        node = node_ref.get_object()
        if depth > 64:
            return
        if node.get("/Type") == "/Pages" or "/Kids" in node:
            for kid in node.raw_get("/Kids"):
                walk(kid, depth + 1)
        else:
            ref = getattr(node_ref, "reference", None)
            pages.append(((ref.idnum, ref.generation) if ref is not None else None, node))

    try:
        walk(reader.root.raw_get("/Pages"))
    except Exception:  # a broken page tree only costs us the page number
        return []
    return pages


def _displayed(pages: list[_Page], page: int | None, rect: Rect | None) -> Rect | None:
    """The widget rectangle as the officer sees the page (top-left origin, rotation, crop)."""
    from app.signing.geometry import PageGeometry, user_to_displayed_space

    if page is None or rect is None:
        return None
    try:
        geom = PageGeometry.from_pyhanko_page(pages[page][1])
        x0, y0, x1, y1 = (round(v, 2) for v in user_to_displayed_space(geom, rect))
        return x0, y0, x1, y1
    except (TypeError, ValueError, KeyError):
        return None


def _widget_location(emb: EmbeddedPdfSignature, pages: list[_Page]) -> tuple[int | None, Rect | None]:
    from pyhanko.pdf_utils import misc

    try:
        return _find_widget(emb, pages)
    except (misc.PdfError, KeyError, TypeError, ValueError, IndexError):
        return None, None  # a damaged widget must not hide the signature's verdict


def _find_widget(emb: EmbeddedPdfSignature, pages: list[_Page]) -> tuple[int | None, Rect | None]:
    field = emb.sig_field
    widget = field
    if "/Rect" not in field and "/Kids" in field:
        widget = field["/Kids"][0].get_object()
    rect = None
    if "/Rect" in widget:
        x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
        rect = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    refs = [ref for ref, _page in pages]
    if "/P" in widget:
        ref = getattr(widget.raw_get("/P"), "reference", None)
        if ref is not None and (ref.idnum, ref.generation) in refs:
            return refs.index((ref.idnum, ref.generation)), rect
    # No usable /P: look for the widget in each page's annotations.
    for index, (_ref, page) in enumerate(pages):
        for annot in page.get("/Annots", ()) or ():
            if annot.get_object() is widget:
                return index, rect
    return None, rect
