"""What a verification found, as plain data, and how it reads to an officer (vi + en) or as JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from app.vntime import VN_TZ

# A timestamp whose bytes do not match is tampering; one from an unknown TSA is only a trust matter.
PROBLEM_TIMESTAMP_BROKEN = "timestamp_broken"
PROBLEM_TIMESTAMP_UNTRUSTED = "timestamp_untrusted"
# A signature in a format pyHanko cannot check (e.g. adbe.x509.rsa_sha1): listed, never accepted.
PROBLEM_UNSUPPORTED = "unsupported_format"


class Verdict(Enum):
    """One verdict per signature and one for the file; ordered from best to worst."""

    VALID = ("valid", "Hợp lệ", "Valid")
    UNTRUSTED = ("untrusted", "Chưa được tin cậy", "Not trusted")
    CHANGED = ("changed", "Đã bị thay đổi", "Changed after signing")
    INVALID = ("invalid", "Không hợp lệ", "Invalid")
    UNSIGNED = ("unsigned", "Không có chữ ký số", "No digital signature")

    def __init__(self, key: str, label_vi: str, label_en: str) -> None:
        self.key = key
        self.label_vi = label_vi
        self.label_en = label_en

    @property
    def rank(self) -> int:
        return list(Verdict).index(self)

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang.startswith("en") else self.label_vi


TRUST_LABELS = {
    "trusted": ("tin cậy", "trusted"),
    "untrusted": ("chưa được tin cậy", "not trusted"),
    "revoked": ("đã bị thu hồi", "revoked"),
    "expired": ("hết hạn hoặc chưa có hiệu lực", "expired or not yet valid"),
    "unknown": ("không xác định được", "could not be determined"),
}
COVERAGE_LABELS = {
    "entire_file": ("toàn bộ tệp", "the entire file"),
    "entire_revision": ("toàn bộ phiên bản đã ký (có cập nhật sau đó)", "the signed revision (updated later)"),
    "partial": ("một phần tệp", "part of the file"),
}
MODIFICATION_LABELS = {
    "none": ("không thay đổi", "no change"),
    "form_filling": ("chỉ thêm chữ ký / điền biểu mẫu", "only signatures added / form filled"),
    "annotations": ("thêm ghi chú", "annotations added"),
    "other": ("nội dung bị sửa đổi", "content modified"),
}


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer_name: str
    organization: str
    email: str
    signing_time: datetime | None
    time_source: str  # "timestamp" | "signer_clock"
    timestamp_valid: bool | None
    intact: bool
    coverage: str  # "entire_file" | "entire_revision" | "partial"
    modification: str  # "none" | "form_filling" | "annotations" | "other"
    modification_permitted: bool
    trust: str  # "trusted" | "untrusted" | "revoked" | "expired" | "unknown"
    trust_reason_vi: str
    trust_reason_en: str
    level: str  # "B-B" | "B-T" | "B-LT" | "B-LTA"
    certified: bool
    docmdp_level: int | None
    page: int | None  # 0-based
    rect: tuple[float, float, float, float] | None  # PDF user space, bottom-left origin
    rect_displayed: tuple[float, float, float, float] | None = None  # as shown: top-left origin
    issuer: str = ""
    serial_hex: str = ""
    certificate_sha256: str = ""
    problems: tuple[str, ...] = ()
    timestamp_authority: str = ""  # the TSA that stamped the signature (its certificate's name)

    @property
    def verdict(self) -> Verdict:
        if any(p.startswith(PROBLEM_UNSUPPORTED) for p in self.problems):
            return Verdict.UNTRUSTED
        if not self.intact or self.trust == "revoked" or PROBLEM_TIMESTAMP_BROKEN in self.problems:
            return Verdict.INVALID
        if self.coverage == "partial" or not self.modification_permitted:
            return Verdict.CHANGED
        if self.trust != "trusted" or self.timestamp_valid is False:
            return Verdict.UNTRUSTED
        return Verdict.VALID

    @property
    def signing_time_local(self) -> datetime | None:
        return self.signing_time.astimezone(VN_TZ) if self.signing_time else None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        local = self.signing_time_local
        d["signing_time"] = local.isoformat() if local is not None else None
        d["rect"] = list(self.rect) if self.rect is not None else None
        d["rect_displayed"] = list(self.rect_displayed) if self.rect_displayed is not None else None
        d["page"] = self.page + 1 if self.page is not None else None
        d["problems"] = list(self.problems)
        d["trust_reason"] = self.trust_reason_en
        d["status"] = self.verdict.key
        d["status_vi"] = self.verdict.label_vi
        d["status_en"] = self.verdict.label_en
        return d

    def describe(self, lang: str = "vi") -> list[str]:
        en = lang.startswith("en")

        def pick(pair: tuple[str, str]) -> str:
            return pair[1] if en else pair[0]

        t = self.signing_time_local
        when = t.strftime("%Y-%m-%d %H:%M:%S %z") if t else pick(("không rõ", "unknown"))
        source = pick(("dấu thời gian", "timestamp")) if self.time_source == "timestamp" else pick(
            ("đồng hồ máy người ký", "signer's clock"))
        lines = [
            f"{pick(('Chữ ký', 'Signature'))} {self.field_name}: {self.verdict.label(lang)}",
            f"  {pick(('Ký bởi', 'Signed by'))}: {self.signer_name}"
            + (f" ({self.organization})" if self.organization else "")
            + (f" <{self.email}>" if self.email else ""),
            f"  {pick(('Thời gian ký', 'Signing time'))}: {when} ({source})",
            f"  {pick(('Toàn vẹn', 'Integrity'))}: "
            + pick(("nguyên vẹn", "intact") if self.intact else ("bị hỏng hoặc bị sửa", "broken or altered")),
            f"  {pick(('Phạm vi ký', 'Covers'))}: {pick(COVERAGE_LABELS[self.coverage])}; "
            f"{pick(('thay đổi sau khi ký', 'changes after signing'))}: "
            f"{pick(MODIFICATION_LABELS[self.modification])}"
            + ("" if self.modification_permitted else pick((" (không được phép)", " (not permitted)"))),
            f"  {pick(('Chứng thư số', 'Certificate'))}: {pick(TRUST_LABELS[self.trust])}"
            + (f" — {self.trust_reason_en if en else self.trust_reason_vi}"
               if (self.trust_reason_en if en else self.trust_reason_vi) else ""),
            f"  {pick(('Định dạng', 'Level'))}: PAdES {self.level}"
            + (pick((", chữ ký chứng thực", ", certification signature")) if self.certified else ""),
        ]
        if self.timestamp_valid is not None:
            if self.timestamp_valid:
                ts_state = ("hợp lệ", "valid")
            elif PROBLEM_TIMESTAMP_UNTRUSTED in self.problems:
                ts_state = ("máy chủ cấp dấu thời gian chưa được tin cậy", "the timestamp authority is not trusted")
            else:
                ts_state = ("không hợp lệ", "invalid")
            lines.append(f"  {pick(('Dấu thời gian', 'Timestamp'))}: {pick(ts_state)}"
                         + (f" ({pick(('cấp bởi', 'by'))} {self.timestamp_authority})"
                            if self.timestamp_authority else ""))
        if self.page is not None:
            lines.append(f"  {pick(('Trang', 'Page'))}: {self.page + 1}")
        return lines


@dataclass(frozen=True)
class VerificationReport:
    path: str
    signatures: tuple[SignatureReport, ...]
    document_timestamps: int = 0
    trust_problems: tuple[str, ...] = field(default=())

    @property
    def verdict(self) -> Verdict:
        if not self.signatures:
            return Verdict.UNSIGNED
        return max((s.verdict for s in self.signatures), key=lambda v: v.rank)

    @property
    def status(self) -> tuple[str, str]:
        """(Vietnamese, English) summary of the whole file."""
        return self.verdict.label_vi, self.verdict.label_en

    @property
    def all_valid(self) -> bool:
        return self.verdict is Verdict.VALID

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.verdict.key,
            "status_vi": self.verdict.label_vi,
            "status_en": self.verdict.label_en,
            "document_timestamps": self.document_timestamps,
            "signatures": [s.to_dict() for s in self.signatures],
        }

    def to_json(self, indent: int | None = 2) -> str:
        import json

        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def describe(self, lang: str = "vi") -> str:
        en = lang.startswith("en")
        head = f"{'File' if en else 'Tệp'}: {self.path}\n{'Result' if en else 'Kết quả'}: {self.verdict.label(lang)}"
        if not self.signatures:
            return head
        count = len(self.signatures)
        head += f" ({count} {'signature(s)' if en else 'chữ ký'})"
        blocks = ["\n".join(s.describe(lang)) for s in self.signatures]
        return head + "\n\n" + "\n\n".join(blocks)
