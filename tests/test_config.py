from pathlib import Path

import pytest

from app.config import (
    ServerProfile,
    Settings,
    dump_settings,
    load_profile_file,
    load_settings,
    save_settings,
)
from app.errors import ConfigError
from app.fileio import atomic_write_chunks, sha256_file


def test_settings_round_trip(tmp_path: Path):
    prof = ServerProfile(
        name="binhdinh",
        issuer="https://sso.example/auth/realms/digo",
        igate_url="https://igate.example/",
        idesk_url="https://idesk.example/api/v1/",
        ca_bundle="C:\\ca\\bundle.pem",
        tsa_url="http://tsa.ca.gov.vn",
    )
    settings = Settings(language="en", profile="binhdinh", pkcs11_modules=("a.dll",), profiles={"binhdinh": prof})
    path = tmp_path / "config.toml"
    save_settings(settings, path)
    assert load_settings(path) == settings


def test_unknown_profile_key_is_refused_in_both_languages(tmp_path: Path):
    path = tmp_path / "p.toml"
    path.write_text('issuer="x"\nigate_url="y"\nidesk_url="z"\nclient_secret="s"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_profile_file(path)
    assert "client_secret" in info.value.message("vi")
    assert "unknown keys" in info.value.message("en")


def test_broken_toml_gives_clear_error(tmp_path: Path):
    path = tmp_path / "config.toml"
    path.write_text("language = [", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_settings(path)


def test_atomic_write_leaves_no_partial_file_on_error(tmp_path: Path):
    target = tmp_path / "out.pdf"
    target.write_bytes(b"original")

    def chunks():
        yield b"new data"
        raise OSError("disk full")

    with pytest.raises(OSError):
        atomic_write_chunks(target, chunks())
    assert target.read_bytes() == b"original"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]
    digest = atomic_write_chunks(target, [b"a", b"b"])
    assert digest == sha256_file(target)
    assert "profile" in dump_settings(Settings())
