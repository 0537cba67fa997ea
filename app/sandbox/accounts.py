"""The demo organization and its four training accounts (passwords are listed in the README)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

ORGANIZATION = "Sở Thông tin và Truyền thông tỉnh Bình Định"
ORG_SYMBOL = "STTTT"
PLACE_NAME = "Bình Định"
CLIENT_ID = "lienthong-desktop"
REALM = "digo"

_NAMESPACE = uuid.UUID("6f1c1d2e-52a4-4c1b-9d6e-1f0b7a7c2b10")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    full_name: str
    title: str
    igate_linked: bool
    unit: str = "Phòng Bưu chính, Viễn thông"

    @property
    def subject(self) -> str:
        """Stable SSO subject id, like Keycloak's user UUID."""
        return str(uuid.uuid5(_NAMESPACE, "sso:" + self.username))

    @property
    def igate_id(self) -> str:
        return uuid.uuid5(_NAMESPACE, "igate:" + self.username).hex[:24]

    @property
    def idesk_id(self) -> str:
        return uuid.uuid5(_NAMESPACE, "idesk:" + self.username).hex[:24]

    @property
    def email(self) -> str:
        return f"{self.username}@binhdinh.gov.vn"

    def get_user_id(self) -> str:
        # Authlib asks the resource owner for its id through this method.
        return self.subject


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("hoant", "Hoa@2024", "specialist", "Nguyễn Thị Hoa", "Chuyên viên", True),
    DemoAccount("tuanlv", "Tuan@2024", "leader", "Lê Văn Tuấn", "Giám đốc", True, "Ban Giám đốc"),
    DemoAccount("maipt", "Mai@2024", "clerk", "Phạm Thị Mai", "Văn thư", True, "Văn phòng Sở"),
    DemoAccount("khanhdq", "Khanh@2024", "specialist", "Đỗ Quốc Khánh", "Chuyên viên", False),
)

_BY_USERNAME = {a.username: a for a in ACCOUNTS}
_BY_SUBJECT = {a.subject: a for a in ACCOUNTS}
_BY_IGATE_ID = {a.igate_id: a for a in ACCOUNTS}


def by_username(username: str) -> DemoAccount | None:
    return _BY_USERNAME.get((username or "").strip().lower())


def named(username: str) -> DemoAccount:
    """A demo account the seed data names (KeyError for a typo in the seed data)."""
    account = by_username(username)
    if account is None:
        raise KeyError(username)
    return account


def by_subject(subject: str) -> DemoAccount | None:
    return _BY_SUBJECT.get(subject)


def by_igate_id(igate_id: str) -> DemoAccount | None:
    return _BY_IGATE_ID.get(igate_id)


def check_password(username: str, password: str) -> DemoAccount | None:
    account = by_username(username)
    if account is None or account.password != password:
        return None
    return account
