"""Expected failures of remote signing, with messages for the officer.

They are token errors (exit code 3, the same dialogs) except an unreachable provider, which is a
service error (exit code 5) like an unreachable TSA, and a missing provider session, which is a
sign-in error (exit code 6).
"""

from __future__ import annotations

from app.errors import AuthError, ServiceUnavailableError
from app.signing.token_errors import TokenError


class RemoteError(TokenError):
    code = "remote"


class RemoteRejectedError(RemoteError):
    code = "remote_rejected"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Yêu cầu ký đã bị từ chối trên điện thoại. Văn bản chưa được ký.",
            "The signing request was rejected on the phone. The document was not signed.",
            detail=detail,
        )


class RemoteExpiredError(RemoteError):
    code = "remote_expired"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Hết thời gian chờ xác nhận trên điện thoại. Văn bản chưa được ký; hãy ký lại và xác "
            "nhận trong thời gian cho phép.",
            "The confirmation on the phone timed out. The document was not signed; sign again and "
            "confirm in time.",
            detail=detail,
        )


class RemoteOtpError(RemoteError):
    code = "remote_otp"

    def __init__(self, detail: str = "", *, expired: bool = False) -> None:
        super().__init__(
            "Mã OTP không đúng hoặc đã hết hạn. Văn bản chưa được ký.",
            "The OTP is wrong or has expired. The document was not signed.",
            detail=detail,
        )
        self.expired = expired  # a new code must be sent before the next try


class RemoteLockedError(RemoteError):
    code = "remote_locked"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Chứng thư ký số từ xa đang bị khóa (nhập sai OTP quá số lần cho phép). Hãy liên hệ nhà "
            "cung cấp dịch vụ để mở khóa.",
            "The remote signing credential is locked (too many wrong OTPs). Contact the provider to "
            "unlock it.",
            detail=detail,
        )


class RemoteRefusedError(RemoteError):
    code = "remote_refused"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Dịch vụ ký số từ xa từ chối yêu cầu ký.",
            "The remote signing service refused the signing request.",
            detail=detail,
        )


class RemoteNoCredentialError(RemoteError):
    code = "remote_no_credential"

    def __init__(self, provider: str, detail: str = "") -> None:
        super().__init__(
            f"Tài khoản của bạn ở dịch vụ ký số từ xa \"{provider}\" không có chứng thư ký số phù hợp.",
            f"Your account at the remote signing service \"{provider}\" has no suitable signing certificate.",
            detail=detail,
        )


class RemoteSignInError(AuthError):
    code = "remote_sign_in"

    def __init__(self, provider: str, detail: str = "") -> None:
        super().__init__(
            f"Chưa đăng nhập dịch vụ ký số từ xa \"{provider}\" hoặc phiên đã hết hạn. Hãy đăng nhập "
            f"lại (lienthong remote login {provider}).",
            f"Not signed in to the remote signing service \"{provider}\", or the session has expired. "
            f"Sign in again (lienthong remote login {provider}).",
            detail=detail,
        )


class RemoteUnreachableError(ServiceUnavailableError):
    code = "remote_unreachable"

    def __init__(self, provider: str, detail: str = "") -> None:
        super().__init__(f"dịch vụ ký số từ xa \"{provider}\"", detail=detail)
        self.message_en = (f"Cannot reach the remote signing service \"{provider}\". Check the network "
                           "and try again; unsent data is kept.")
