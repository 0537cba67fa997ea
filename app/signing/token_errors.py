"""Expected failures of USB tokens and signing certificates, with messages for the officer."""

from __future__ import annotations

from app.errors import LienThongError


class TokenError(LienThongError):
    """Anything that goes wrong with the PKCS#11 module, the token or its login."""

    code = "token"


class ModuleLoadError(TokenError):
    code = "token_module"

    def __init__(self, module_path: str, detail: str = "") -> None:
        super().__init__(
            f"Không nạp được thư viện PKCS#11 của token ({module_path}). Hãy cài lại driver của "
            "thiết bị ký số hoặc chọn đúng tệp thư viện trong phần Cài đặt.",
            f"Cannot load the token's PKCS#11 library ({module_path}). Reinstall the signing "
            "device driver or choose the right library file in Settings.",
            detail=detail,
        )
        self.module_path = module_path


class TokenNotFoundError(TokenError):
    code = "token_not_found"

    def __init__(self, wanted: str = "", detail: str = "") -> None:
        what_vi = f" \"{wanted}\"" if wanted else ""
        super().__init__(
            f"Không tìm thấy token{what_vi}. Hãy cắm USB token vào máy rồi thử lại.",
            f"Token{' ' + repr(wanted) if wanted else ''} not found. Plug the USB token in and try again.",
            detail=detail,
        )
        self.wanted = wanted


class CertificateNotFoundError(TokenError):
    code = "token_cert_not_found"

    def __init__(self, wanted: str, detail: str = "") -> None:
        super().__init__(
            f"Không tìm thấy chứng thư số \"{wanted}\" (kèm khóa bí mật) trên token.",
            f"Certificate \"{wanted}\" (with its private key) is not on the token.",
            detail=detail,
        )
        self.wanted = wanted


class PinIncorrectError(TokenError):
    code = "pin_incorrect"

    def __init__(self, tries_left: int | None = None, *, count_low: bool = False, detail: str = "") -> None:
        if tries_left is None:
            vi, en = "Mã PIN không đúng.", "The PIN is incorrect."
            if count_low:
                vi += " Chỉ còn ít lần thử trước khi token bị khóa."
                en += " Only a few tries are left before the token locks."
        else:
            vi = f"Mã PIN không đúng. Còn {tries_left} lần thử."
            en = f"The PIN is incorrect. {tries_left} {'try' if tries_left == 1 else 'tries'} left."
        if tries_left == 1:
            vi += " Nếu nhập sai lần nữa, token sẽ bị khóa."
            en += " One more wrong PIN locks the token."
        super().__init__(vi, en, detail=detail)
        self.tries_left = tries_left


class PinLockedError(TokenError):
    code = "pin_locked"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Token đã bị khóa PIN do nhập sai quá số lần cho phép. Hãy liên hệ bộ phận quản trị "
            "chữ ký số của đơn vị hoặc nhà cung cấp chứng thư số để mở khóa.",
            "The token's PIN is locked after too many wrong attempts. Contact your organization's "
            "digital signature administrator or the certificate provider to unlock it.",
            detail=detail,
        )


class PinCancelledError(TokenError):
    code = "pin_cancelled"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Đã hủy nhập mã PIN; văn bản chưa được ký.",
            "PIN entry was cancelled; nothing was signed.",
            detail=detail,
        )


class TokenRemovedError(TokenError):
    code = "token_removed"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Token đã bị rút ra hoặc mất kết nối. Hãy cắm lại token rồi ký lại; văn bản chưa ký "
            "không bị thay đổi.",
            "The token was pulled out or lost its connection. Plug it back in and sign again; "
            "unsigned documents were not changed.",
            detail=detail,
        )


class TokenOperationError(TokenError):
    """A PKCS#11 failure with no more specific meaning for the officer."""

    code = "token_operation"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Token báo lỗi khi thực hiện thao tác. Hãy rút token ra, cắm lại rồi thử lại.",
            "The token reported an error. Pull it out, plug it back in and try again.",
            detail=detail,
        )


# Reasons a certificate cannot sign, with their messages.
_REASONS = {
    "expired": (
        "Chứng thư số \"{holder}\" đã hết hạn ngày {date}. Hãy gia hạn chứng thư số với nhà cung cấp.",
        "Certificate \"{holder}\" expired on {date}. Renew it with the certificate provider.",
    ),
    "not_yet_valid": (
        "Chứng thư số \"{holder}\" chưa có hiệu lực (có hiệu lực từ {date}). Kiểm tra lại ngày giờ của máy tính.",
        "Certificate \"{holder}\" is not valid yet (valid from {date}). Check the computer's date and time.",
    ),
    "no_signing_usage": (
        "Chứng thư số \"{holder}\" không dùng để ký số (thiếu mục đích digitalSignature/nonRepudiation). "
        "Hãy chọn chứng thư số khác.",
        "Certificate \"{holder}\" is not for signing (no digitalSignature/nonRepudiation key usage). "
        "Choose another certificate.",
    ),
}


class CertificateRejectedError(TokenError):
    """The certificate cannot be used to sign; `reason` is "expired", "not_yet_valid" or
    "no_signing_usage"."""

    code = "certificate_rejected"

    def __init__(self, reason: str, holder: str = "", date: str = "", detail: str = "") -> None:
        vi, en = _REASONS[reason]
        super().__init__(
            vi.format(holder=holder, date=date), en.format(holder=holder, date=date), detail=detail
        )
        self.reason = reason


# PKCS#11 failures that mean the token is gone (pulled out, or its session went with it).
_REMOVED = (
    "TokenNotPresent",
    "DeviceRemoved",
    "DeviceError",
    "SessionClosed",
    "SessionHandleInvalid",
    "TokenNotRecognised",
    "SlotIDInvalid",
)


def from_pkcs11(exc: BaseException, tries_left: int | None = None, count_low: bool = False) -> TokenError:
    """The officer-facing error for a python-pkcs11 exception."""
    name = type(exc).__name__
    detail = f"{name}: {exc}" if str(exc) else name
    if name in ("PinIncorrect", "PinLenRange", "PinInvalid"):
        return PinIncorrectError(tries_left, count_low=count_low, detail=detail)
    if name == "PinLocked":
        return PinLockedError(detail=detail)
    if name == "FunctionCancelled":
        return PinCancelledError(detail=detail)
    if name in _REMOVED:
        return TokenRemovedError(detail=detail)
    return TokenOperationError(detail=detail)
