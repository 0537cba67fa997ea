"""Typed settings and server profiles, read from a TOML file. No secret ever goes in it.

A profile names the SSO issuer, the iGate and iDesk base URLs and the vendor adapter that
speaks to them, so a province points the app at its own servers by configuration alone:

    [profiles.binhdinh]
    issuer = "https://sso.example.gov.vn/auth/realms/digo"
    client_id = "lienthong-desktop"
    igate_url = "https://igate.example.gov.vn/"
    idesk_url = "https://idesk.example.gov.vn/api/v1/"
    ca_bundle = "C:/ProgramData/LienThong/ca.pem"
    tsa_url = "http://tsa.ca.gov.vn"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from app.errors import ConfigError

TRAINING = "training"


@dataclass(frozen=True)
class ServerProfile:
    name: str
    issuer: str
    igate_url: str
    idesk_url: str
    client_id: str = "lienthong-desktop"
    scopes: tuple[str, ...] = ("openid", "profile", "email", "offline_access")
    adapter: str = "digo"
    ca_bundle: str | None = None
    tsa_url: str | None = None
    tsa_username: str | None = None
    # The TSA account over plain http (the government TSA is http only): an explicit choice.
    tsa_plain_http_credentials: bool = False
    timeout_s: float = 30.0
    max_upload_bytes: int = 100 * 1024 * 1024

    @property
    def is_training(self) -> bool:
        return self.name == TRAINING

    @property
    def verify(self) -> bool | str:
        """The `verify` argument for requests: always on, optionally a custom CA bundle."""
        return self.ca_bundle or True

    @classmethod
    def from_dict(cls, name: str, data: dict) -> "ServerProfile":
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(
                f"Cấu hình máy chủ \"{name}\" có mục không hợp lệ: {', '.join(sorted(unknown))}.",
                f"Server profile \"{name}\" has unknown keys: {', '.join(sorted(unknown))}.",
            )
        missing = {"issuer", "igate_url", "idesk_url"} - set(data)
        if missing:
            raise ConfigError(
                f"Cấu hình máy chủ \"{name}\" thiếu: {', '.join(sorted(missing))}.",
                f"Server profile \"{name}\" is missing: {', '.join(sorted(missing))}.",
            )
        values = dict(data)
        if "scopes" in values:
            values["scopes"] = tuple(values["scopes"])
        return cls(name=name, **values)


def training_profile(issuer: str, igate_url: str, idesk_url: str, tsa_url: str | None = None) -> ServerProfile:
    """The built-in profile of the training sandbox, whose URLs are known once it listens."""
    return ServerProfile(
        name=TRAINING, issuer=issuer, igate_url=igate_url, idesk_url=idesk_url, tsa_url=tsa_url
    )


@dataclass(frozen=True)
class Settings:
    language: str = "vi"
    profile: str = TRAINING
    pkcs11_modules: tuple[str, ...] = ()
    extra_trust_dir: str | None = None
    profiles: dict[str, ServerProfile] = field(default_factory=dict)

    def with_language(self, language: str) -> "Settings":
        return replace(self, language=language)


def load_settings(path: Path) -> Settings:
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"Tệp cấu hình {path} bị lỗi cú pháp.",
            f"The configuration file {path} cannot be parsed.",
            detail=str(exc),
        ) from exc
    return settings_from_dict(data)


def settings_from_dict(data: dict) -> Settings:
    profiles = {
        name: ServerProfile.from_dict(name, body) for name, body in data.get("profiles", {}).items()
    }
    return Settings(
        language=data.get("language", "vi"),
        profile=data.get("profile", TRAINING),
        pkcs11_modules=tuple(data.get("pkcs11_modules", ())),
        extra_trust_dir=data.get("extra_trust_dir"),
        profiles=profiles,
    )


def load_profile_file(path: Path) -> ServerProfile:
    """A standalone profile file (`lienthong login --profile FILE`): one table of profile keys."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"Không đọc được tệp cấu hình máy chủ {path}.",
            f"Cannot read the server profile file {path}.",
            detail=str(exc),
        ) from exc
    name = data.pop("name", Path(path).stem)
    return ServerProfile.from_dict(name, data)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def dump_settings(settings: Settings) -> str:
    lines = [
        f"language = {_toml_value(settings.language)}",
        f"profile = {_toml_value(settings.profile)}",
        f"pkcs11_modules = {_toml_value(settings.pkcs11_modules)}",
    ]
    if settings.extra_trust_dir:
        lines.append(f"extra_trust_dir = {_toml_value(settings.extra_trust_dir)}")
    for name, prof in settings.profiles.items():
        lines.append(f"\n[profiles.{name}]")
        for f in fields(prof):
            value = getattr(prof, f.name)
            if f.name == "name" or value is None:
                continue
            lines.append(f"{f.name} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def save_settings(settings: Settings, path: Path) -> None:
    from app.fileio import atomic_write_bytes

    atomic_write_bytes(path, dump_settings(settings).encode("utf-8"))
