"""Expected failures: one family, each carrying a message for the officer and a technical detail.

Anything that is not a `LienThongError` is a bug: it is logged with its traceback and shown in
the crash dialog. Every `LienThongError` has a Vietnamese message (the default) and its English
translation; `detail` is for the log and the "technical detail" pane, never shown alone.
"""

from __future__ import annotations

from app.text import Text


class LienThongError(Exception):
    """Base of every expected failure. `code` is stable (for tests, logs and CLI exit codes)."""

    code = "error"

    def __init__(self, message_vi: str, message_en: str, *, detail: str = "") -> None:
        super().__init__(message_en if not detail else f"{message_en} ({detail})")
        self.message_vi = message_vi
        self.message_en = message_en
        self.detail = detail

    @property
    def text(self) -> Text:
        return Text(self.message_vi, self.message_en)

    def message(self, lang: str = "vi") -> str:
        return self.text.render(lang)


def error_text(exc: BaseException, lang: str = "vi") -> str:
    """What the officer reads for a failure: the message of an expected failure, else its string."""
    return exc.message(lang) if isinstance(exc, LienThongError) else str(exc)


class BadInputError(LienThongError):
    """The user's input (a file, a value) cannot be used."""

    code = "bad_input"


class ConfigError(LienThongError):
    code = "config"


class AuthError(LienThongError):
    """Signing in or the session: the user must act (sign in again, link the account)."""

    code = "auth"


class NotSignedInError(AuthError):
    code = "not_signed_in"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Bạn chưa đăng nhập. Hãy đăng nhập qua SSO.",
            "You are not signed in. Please sign in through SSO.",
            detail=detail,
        )


class SessionExpiredError(AuthError):
    code = "session_expired"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại; công việc đang làm không bị mất.",
            "Your session has expired. Please sign in again; nothing you were doing is lost.",
            detail=detail,
        )


class AccountNotLinkedError(AuthError):
    """iGate answered "ERR: Không thể xác thực người dùng!": the SSO account is not linked."""

    code = "account_not_linked"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "iGate báo: \"ERR: Không thể xác thực người dùng!\". Tài khoản SSO của bạn chưa được "
            "liên kết với tài khoản iGate. Hãy vào Trang cá nhân trên iGate, bấm \"Cập nhật\", "
            "điền tài khoản SSO vào ô \"Tài khoản liên kết cổng CBCC\" rồi đăng nhập lại.",
            "iGate answered \"ERR: Không thể xác thực người dùng!\" (cannot authenticate the user). "
            "Your SSO account is not linked to an iGate account. In iGate, open your personal "
            "page, press \"Cập nhật\", enter your SSO account in \"Tài khoản liên kết cổng CBCC\" "
            "and sign in again.",
            detail=detail,
        )


class ServiceError(LienThongError):
    """A server refused or failed a request."""

    code = "service"


class ServiceUnavailableError(ServiceError):
    code = "unavailable"

    def __init__(self, system: str, detail: str = "") -> None:
        super().__init__(
            f"Không kết nối được tới {system}. Kiểm tra mạng rồi thử lại; dữ liệu chưa gửi vẫn được giữ.",
            f"Cannot reach {system}. Check the network and try again; unsent data is kept.",
            detail=detail,
        )


class NotFoundError(ServiceError):
    code = "not_found"


class WrongStepError(ServiceError):
    """The dossier or document is not at a step that allows the action."""

    code = "wrong_step"


class NumberTakenError(ServiceError):
    """The document number is already registered to another document this year."""

    code = "number_taken"


class NumberOutOfSequenceError(ServiceError):
    """The register gives numbers in order: the number is behind its counter or leaves a gap."""

    code = "number_out_of_sequence"


class FileTooLargeError(BadInputError):
    code = "file_too_large"

    def __init__(self, name: str, size: int, limit: int) -> None:
        super().__init__(
            f"Tệp \"{name}\" quá lớn ({size / 1e6:.1f} MB); giới hạn là {limit / 1e6:.0f} MB.",
            f"File \"{name}\" is too large ({size / 1e6:.1f} MB); the limit is {limit / 1e6:.0f} MB.",
            detail=f"size={size} limit={limit}",
        )


class IntegrityError(ServiceError):
    """A transferred file's SHA-256 differs from what the server reported."""

    code = "integrity"

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(
            f"Tệp \"{name}\" bị lỗi khi truyền (mã kiểm tra không khớp). Hãy thử lại.",
            f"File \"{name}\" was damaged in transfer (checksum mismatch). Please try again.",
            detail=detail,
        )


class CancelledError(LienThongError):
    code = "cancelled"

    def __init__(self, detail: str = "") -> None:
        super().__init__("Đã hủy.", "Cancelled.", detail=detail)


class SignInError(AuthError):
    """Signing in through the SSO failed: refused, or its answer did not pass the checks."""

    code = "sign_in"


class ForbiddenError(ServiceError):
    """The server refused the action for this user's role (HTTP 403)."""

    code = "forbidden"
