"""Expected failures of the signing engine, each with a Vietnamese and an English message."""

from __future__ import annotations

from app.errors import BadInputError, LienThongError


class SigningError(LienThongError):
    """A signing could not be completed; nothing was written."""

    code = "signing"


class NotAPdfError(BadInputError):
    code = "not_a_pdf"

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(
            f"Tệp \"{name}\" không phải là tệp PDF.",
            f"File \"{name}\" is not a PDF file.",
            detail=detail,
        )


class CorruptPdfError(BadInputError):
    code = "corrupt_pdf"

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(
            f"Tệp PDF \"{name}\" bị hỏng hoặc không đầy đủ (có thể tải về chưa xong) nên không đọc được. "
            "Hãy xin người gửi một bản mới, hoặc mở tệp bằng phần mềm đọc PDF rồi lưu lại thành tệp khác "
            "và dùng tệp đó.",
            f"PDF file \"{name}\" is damaged or incomplete (perhaps a partial download), so it cannot be "
            "read. Ask the sender for a new copy, or open it in a PDF reader, save it as a new file and "
            "use that file.",
            detail=detail,
        )


class PasswordRequiredError(BadInputError):
    """The PDF is encrypted: the caller asks for the password and retries with it."""

    code = "pdf_password_required"

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(
            f"Tệp PDF \"{name}\" được bảo vệ bằng mật khẩu. Hãy nhập mật khẩu để mở tệp.",
            f"PDF file \"{name}\" is password-protected. Enter the password to open it.",
            detail=detail,
        )


class WrongPdfPasswordError(PasswordRequiredError):
    code = "pdf_password_wrong"

    def __init__(self, name: str, detail: str = "") -> None:
        BadInputError.__init__(
            self,
            f"Mật khẩu của tệp PDF \"{name}\" không đúng. Hãy thử lại.",
            f"The password for PDF file \"{name}\" is wrong. Please try again.",
            detail=detail,
        )


class UnsupportedEncryptionError(BadInputError):
    code = "pdf_encryption_unsupported"

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(
            f"Tệp \"{name}\" được mã hóa theo cách chưa ký được. Hãy lưu một bản không đặt mật khẩu rồi ký bản đó.",
            f"File \"{name}\" is encrypted in a way that cannot be signed. Save a copy without a password "
            "and sign that copy.",
            detail=detail,
        )


class SigningNotPermittedError(BadInputError):
    code = "pdf_signing_not_permitted"

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(
            f"Người tạo tệp \"{name}\" đã đặt quyền không cho điền biểu mẫu hay ký vào tệp. "
            "Hãy xin người gửi một bản cho phép ký (hoặc không đặt mật khẩu).",
            f"The author of \"{name}\" set permissions that forbid filling forms or signing. "
            "Ask the sender for a copy that allows signing (or has no password).",
            detail=detail,
        )


class CertificationLockedError(BadInputError):
    code = "certification_locked"

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(
            f"Tệp \"{name}\" đã được chứng thực và khóa mọi thay đổi (DocMDP P=1); "
            "ký thêm sẽ làm chữ ký chứng thực mất hiệu lực nên không thể ký.",
            f"File \"{name}\" is certified with all changes forbidden (DocMDP P=1); "
            "another signature would invalidate the certification, so it cannot be signed.",
            detail=detail,
        )


class NoLeaderSignatureError(BadInputError):
    code = "no_leader_signature"

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(
            f"Tệp \"{name}\" chưa có chữ ký của người có thẩm quyền. Theo Nghị định 30/2020 "
            "(Điều 32.2.d), chỉ ký số của cơ quan (đóng dấu) sau khi lãnh đạo đã ký.",
            f"File \"{name}\" has no signature of the authorized person yet. Under Decree 30/2020 "
            "(Art. 32.2.d) the organization's signature (seal) comes only after the leader's.",
            detail=detail,
        )


class NoReservedFieldsError(BadInputError):
    code = "no_reserved_fields"

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(
            f"Tệp \"{name}\" không có ô dành sẵn cho số và ngày ban hành, nên không thể điền số, "
            "ngày sau khi đã ký. Cần chuẩn bị dự thảo (dành ô số, ngày) trước khi lãnh đạo ký.",
            f"File \"{name}\" has no reserved fields for the number and release date, so they "
            "cannot be filled after signing. The draft must be prepared (number and date fields "
            "reserved) before the leader signs.",
            detail=detail,
        )


class PlacementOutOfPageError(BadInputError):
    code = "placement_out_of_page"

    def __init__(self, page: int, detail: str = "") -> None:
        super().__init__(
            f"Vị trí chữ ký nằm ngoài trang {page + 1}. Hãy chọn lại vị trí trong trang.",
            f"The signature position is outside page {page + 1}. Choose a position inside the page.",
            detail=detail,
        )


class TsaError(SigningError):
    code = "tsa"

    def __init__(self, url: str, detail: str = "") -> None:
        super().__init__(
            f"Không lấy được dấu thời gian từ máy chủ {url} (không kết nối được, quá thời gian "
            "chờ hoặc sai tài khoản). Kiểm tra mạng, tài khoản TSA rồi thử lại.",
            f"Could not get a timestamp from {url} (unreachable, timed out or wrong account). "
            "Check the network and the TSA account, then try again.",
            detail=detail,
        )
        self.url = url


class OutputWriteError(SigningError):
    code = "output_write"

    def __init__(self, path: str, detail: str = "") -> None:
        super().__init__(
            f"Không ghi được tệp đã ký \"{path}\" (ổ đĩa đầy, không có quyền ghi hoặc tệp đang mở).",
            f"Could not write the signed file \"{path}\" (disk full, no permission or file in use).",
            detail=detail,
        )


class SameFileError(BadInputError):
    code = "output_is_input"

    def __init__(self, path: str) -> None:
        super().__init__(
            f"Tệp đã ký phải được lưu thành tệp khác với tệp gốc \"{path}\"; tệp gốc luôn được giữ nguyên.",
            f"The signed file must be saved apart from the original \"{path}\"; the original is always kept.",
            detail="output path equals input path",
        )


class ImageError(BadInputError):
    code = "signature_image"

    def __init__(self, path: str, detail: str = "") -> None:
        super().__init__(
            f"Không đọc được ảnh chữ ký \"{path}\". Hãy chọn tệp PNG khác.",
            f"Cannot read the signature image \"{path}\". Choose another PNG file.",
            detail=detail,
        )


class SignatureCheckError(SigningError):
    """The freshly written signature did not verify; the output was not kept."""

    code = "signature_check"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Chữ ký vừa tạo không kiểm tra được nên tệp đã ký không được lưu. Hãy thử lại.",
            "The new signature did not verify, so the signed file was not saved. Please try again.",
            detail=detail,
        )


class WouldInvalidateSignatureError(SigningError):
    """Our update would turn an earlier, valid signature into one with unpermitted changes."""

    code = "would_invalidate_signature"

    def __init__(self, names: str, detail: str = "") -> None:
        super().__init__(
            f"Không ký được vì thay đổi này sẽ làm chữ ký đã có ({names}) mất hiệu lực. Tệp không bị thay đổi.",
            f"Not signed: this change would invalidate the existing signature ({names}). The file was not changed.",
            detail=detail,
        )


class SignerError(SigningError):
    """The signer (token or key) failed while producing the signature value."""

    code = "signer"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Thiết bị ký số không tạo được chữ ký. Kiểm tra USB token rồi thử lại.",
            "The signing device could not produce the signature. Check the USB token and try again.",
            detail=detail,
        )


class SymbolMismatchError(SigningError):
    """The symbol printed after "Số:" is not the symbol of the registered number."""

    code = "symbol_mismatch"
    exit_code = 2

    def __init__(self, printed: str, registered: str) -> None:
        super().__init__(
            f"Văn bản in ký hiệu \"/{printed}\" nhưng số đã cấp có ký hiệu \"{registered}\". Hãy kiểm tra đúng tệp "
            "văn bản chính, hoặc cấp số với đúng ký hiệu. Tệp không bị thay đổi.",
            f"The document prints the symbol \"/{printed}\" but the registered number has \"{registered}\". Check that "
            "this is the main document, or number it with the right symbol. The file was not changed.",
            detail=f"printed={printed} registered={registered}",
        )


class BrokenSignatureError(SigningError):
    """An earlier signature of the document is broken or shows changes it does not permit."""

    code = "broken_signature"
    exit_code = 2

    def __init__(self, name: str, why_vi: str, why_en: str, detail: str = "") -> None:
        super().__init__(
            f"Không ký được: chữ ký đã có \"{name}\" {why_vi}. Văn bản có thể đã bị sửa sau khi ký; "
            "hãy đề nghị người ký trước kiểm tra lại. Tệp không bị thay đổi.",
            f"Not signed: the existing signature \"{name}\" {why_en}. The document may have been changed after "
            "signing; ask the earlier signer to check it. The file was not changed.",
            detail=detail,
        )
        self.signature = name


class ChangedSincePreviewError(SigningError):
    """The file on disk is not the one the officer saw in the preview."""

    code = "changed_since_preview"
    exit_code = 2

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(
            f"Tệp \"{name}\" đã thay đổi sau khi được hiển thị nên không ký. Hãy đóng và mở lại để xem "
            "đúng nội dung sẽ ký. Không có gì được ghi.",
            f"File \"{name}\" changed after it was shown, so it was not signed. Close and open it again to see "
            "what will be signed. Nothing was written.",
            detail=detail,
        )


class BackendFailure(Exception):
    """An unexpected error of a key backend, carried out of pyHanko's signing as it is: the
    signing engine reads any other error on the way as damage in the document."""

    def __init__(self, error: Exception) -> None:
        super().__init__(repr(error))
        self.error = error
