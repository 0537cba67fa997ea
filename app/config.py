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
    tsa_fallback_urls = ["https://tsa.example.vn/tsa"]
    place_name = "Bình Định"      # the date line: "Bình Định, ngày 05 tháng 5 năm 2026"
    unit_symbol = "STTTT"         # the unit's part of document symbols: "KH-STTTT"

Remote signing providers (CSC API services such as SmartCA or MySign), several allowed:

    [remote.smartca]
    display_name = "VNPT SmartCA"
    csc_url = "https://rs.example.vn/csc/v1/"
    issuer = "https://id.example.vn/realms/smartca"
    client_id = "lienthong-desktop"
    signature_scheme = "pss"
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from app.errors import ConfigError

TRAINING = "training"
# The training sandbox plays a department of Bình Định province.
TRAINING_PLACE, TRAINING_UNIT = "Bình Định", "STTTT"


@dataclass(frozen=True)
class ServerProfile:
    """One set of servers the app signs in to: the SSO issuer, iGate, iDesk, how to talk to them
    (client id, scopes, the vendor adapter, CA bundle, timeouts, upload limit), the timestamp
    authority, and the place of the date line and the unit's part of document symbols."""

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
    # Tried in order when `tsa_url` does not answer (a dead national TSA must not stop signing).
    tsa_fallback_urls: tuple[str, ...] = ()
    # The TSA account over plain http (the government TSA is http only): an explicit choice.
    tsa_plain_http_credentials: bool = False
    timeout_s: float = 30.0
    max_upload_bytes: int = 100 * 1024 * 1024
    place_name: str = ""
    unit_symbol: str = ""

    @property
    def is_training(self) -> bool:
        return self.name == TRAINING

    @property
    def verify(self) -> bool | str:
        """The `verify` argument for requests: always on, optionally a custom CA bundle."""
        return self.ca_bundle or True

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> "ServerProfile":
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
        if "tsa_fallback_urls" in values:
            values["tsa_fallback_urls"] = tuple(values["tsa_fallback_urls"])
        return cls(name=name, **values)


def training_profile(issuer: str, igate_url: str, idesk_url: str, tsa_url: str | None = None) -> ServerProfile:
    """The built-in profile of the training sandbox, whose URLs are known once it listens."""
    return ServerProfile(
        name=TRAINING, issuer=issuer, igate_url=igate_url, idesk_url=idesk_url, tsa_url=tsa_url,
        place_name=TRAINING_PLACE, unit_symbol=TRAINING_UNIT,
    )


SIGNATURE_SCHEMES = ("pkcs1v15", "pss")


@dataclass(frozen=True)
class RemoteProvider:
    """A remote signing service: its CSC API and the OAuth/OIDC issuer that signs officers in.
    Only the refresh token of that sign-in is kept, in the keyring."""

    name: str
    csc_url: str
    issuer: str
    display_name: str = ""
    client_id: str = "lienthong-desktop"
    scopes: tuple[str, ...] = ("openid", "profile", "offline_access")
    credential: str = ""
    # RSASSA-PSS is used only when the provider advertises it; PKCS#1 v1.5 stays the default.
    signature_scheme: str = "pkcs1v15"
    ca_bundle: str | None = None
    timeout_s: float = 30.0

    @property
    def label(self) -> str:
        return self.display_name or self.name

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> "RemoteProvider":
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        missing = {"csc_url", "issuer"} - set(data)
        if unknown or missing:
            what = ", ".join(sorted(unknown | missing))
            raise ConfigError(
                f"Cấu hình dịch vụ ký số từ xa \"{name}\" thiếu hoặc có mục không hợp lệ: {what}.",
                f"Remote signing provider \"{name}\" has missing or unknown keys: {what}.",
            )
        values = dict(data)
        if "scopes" in values:
            values["scopes"] = tuple(values["scopes"])
        if values.get("signature_scheme", "pkcs1v15") not in SIGNATURE_SCHEMES:
            raise ConfigError(
                f"signature_scheme của \"{name}\" phải là pkcs1v15 hoặc pss.",
                f"signature_scheme of \"{name}\" must be pkcs1v15 or pss.",
            )
        return cls(name=name, **values)


@dataclass(frozen=True)
class Settings:
    """The officer's settings (config.toml): language, the chosen server profile, token drivers,
    extra trusted certificates, and the server and remote-signing profiles they added."""

    language: str = "vi"
    profile: str = TRAINING
    pkcs11_modules: tuple[str, ...] = ()
    extra_trust_dir: str | None = None
    profiles: dict[str, ServerProfile] = field(default_factory=dict)
    remote: dict[str, RemoteProvider] = field(default_factory=dict)

    def with_language(self, language: str) -> "Settings":
        return replace(self, language=language)


def chosen_profile(profiles: dict[str, ServerProfile], name: str | None) -> str | None:
    """The key of the profile a sign-in starts with: `name` when there is one so named, else the first."""
    return name if name is not None and name in profiles else next(iter(profiles), None)


def load_settings(path: Path) -> Settings:
    if not path.exists():
        return Settings()
    # Here, not at the top: compiling its patterns is most of reading a settings file, and a
    # command run where there is none (a verification on a fresh install) never needs it.
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"Tệp cấu hình {path} bị lỗi cú pháp.",
            f"The configuration file {path} cannot be parsed.",
            detail=str(exc),
        ) from exc
    return settings_from_dict(data)


def settings_from_dict(data: dict[str, Any]) -> Settings:
    profiles = {
        name: ServerProfile.from_dict(name, body) for name, body in data.get("profiles", {}).items()
    }
    return Settings(
        language=data.get("language", "vi"),
        profile=data.get("profile", TRAINING),
        pkcs11_modules=tuple(data.get("pkcs11_modules", ())),
        extra_trust_dir=data.get("extra_trust_dir"),
        profiles=profiles,
        remote={name: RemoteProvider.from_dict(name, body) for name, body in data.get("remote", {}).items()},
    )


def load_profile_file(path: Path) -> ServerProfile:
    """A standalone profile file (`lienthong login --profile FILE`): one table of profile keys."""
    import tomllib

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


def _toml_value(value: object) -> str:
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
    for name, provider in settings.remote.items():
        lines.append(f"\n[remote.{name}]")
        for f in fields(provider):
            value = getattr(provider, f.name)
            if f.name == "name" or value is None:
                continue
            lines.append(f"{f.name} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def save_settings(settings: Settings, path: Path) -> None:
    from app.fileio import atomic_write_bytes

    atomic_write_bytes(path, dump_settings(settings).encode("utf-8"))
