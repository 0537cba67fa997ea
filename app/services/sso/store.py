"""The refresh token in the OS keyring, the only secret the app keeps between runs.

Windows Credential Manager holds at most 2,560 bytes per secret (1,280 UTF-16 characters), and
Keycloak refresh tokens can be longer. A long token is split over numbered entries
("<account>#1", "<account>#2", ...); the main entry then holds "split:<n>:<sha256 prefix>" so a
torn write (some parts from an older token) is detected and treated as no token at all.

keyring loads when a token is first read or written, not with this module (`lienthong gui`
loads it before Qt: `idtoken.warm`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from typing import TYPE_CHECKING

from app.errors import AuthError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

# Keyring backends are not all thread-safe: a file keyring rewrites its whole file on every change,
# so two sign-outs at once could each write back the token the other removed. Every access of
# every store in this process takes this lock (reentrant: save() clears on its way).
_KEYRING_LOCK = threading.RLock()

PART_CHARS = 1000
MAX_PARTS = 16
SPLIT_PREFIX = "split:"


def service_name(profile_name: str) -> str:
    return f"LienThongDesk/{profile_name}"


class TokenTooLongError(AuthError):
    code = "token_too_long"

    def __init__(self, length: int) -> None:
        super().__init__(
            "Mã làm mới phiên đăng nhập quá dài để lưu vào kho mật khẩu của Windows; "
            "lần sau bạn sẽ phải đăng nhập lại.",
            "The session's refresh token is too long for the Windows credential store; "
            "you will have to sign in again next time.",
            detail=f"length={length} max={PART_CHARS * MAX_PARTS}",
        )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class RefreshTokenStore:
    """One refresh token under (service, account) in a keyring backend (the system one by default)."""

    def __init__(self, service: str, account: str, backend: KeyringBackend | None = None) -> None:
        self.service = service
        self.account = account
        self._backend = backend

    @property
    def backend(self) -> KeyringBackend:
        import keyring.errors

        return self._backend or keyring.get_keyring()

    def _part(self, i: int) -> str:
        return f"{self.account}#{i}"

    def load(self) -> str | None:
        with _KEYRING_LOCK:
            import keyring.errors

            try:
                head = self.backend.get_password(self.service, self.account)
                if not head or not head.startswith(SPLIT_PREFIX):
                    return head or None
                _, count, digest = head.split(":", 2)
                parts = [self.backend.get_password(self.service, self._part(i)) for i in range(1, int(count) + 1)]
            except (keyring.errors.KeyringError, ValueError) as exc:
                log.warning("cannot read the keyring: %s", exc)
                return None
            present = [p for p in parts if p is not None]
            if len(present) != len(parts):
                return None
            token = "".join(present)
            return token if _digest(token) == digest else None

    def save(self, token: str) -> None:
        """Store `token`; raises TokenTooLongError (after clearing the old one) when it cannot fit."""
        with _KEYRING_LOCK:
            import keyring.errors

            parts = [token[i : i + PART_CHARS] for i in range(0, len(token), PART_CHARS)] or [""]
            if len(parts) > MAX_PARTS:
                self.clear()
                raise TokenTooLongError(len(token))
            old_count = self._stored_parts()
            try:
                if len(parts) == 1:
                    self.backend.set_password(self.service, self.account, token)
                else:
                    for i, part in enumerate(parts, 1):
                        self.backend.set_password(self.service, self._part(i), part)
                    head = f"{SPLIT_PREFIX}{len(parts)}:{_digest(token)}"
                    self.backend.set_password(self.service, self.account, head)
            except keyring.errors.KeyringError as exc:
                log.warning("cannot write the keyring: %s", exc)
                return
            first_stale = len(parts) + 1 if len(parts) > 1 else 1
            self._delete_parts(first_stale, old_count)

    def clear_if(self, token: str) -> None:
        """Clear only if `token` is what is stored (another session may have stored a newer one)."""
        with _KEYRING_LOCK:
            if self.load() == token:
                self.clear()

    def clear(self) -> None:
        with _KEYRING_LOCK:
            count = self._stored_parts()
            self._delete(self.account)
            self._delete_parts(1, count)

    def _stored_parts(self) -> int:
        import keyring.errors

        try:
            head = self.backend.get_password(self.service, self.account)
        except keyring.errors.KeyringError:
            return 0
        if head and head.startswith(SPLIT_PREFIX):
            try:
                return int(head.split(":", 2)[1])
            except (IndexError, ValueError):
                return MAX_PARTS
        return 0

    def _delete_parts(self, first: int, last: int) -> None:
        for i in range(first, last + 1):
            self._delete(self._part(i))

    def _delete(self, account: str) -> None:
        import keyring.errors

        try:
            self.backend.delete_password(self.service, account)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            log.warning("cannot delete from the keyring: %s", exc)
