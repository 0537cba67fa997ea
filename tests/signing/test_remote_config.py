"""Settings: remote signing providers and a profile's TSA list survive a save and a load."""

from __future__ import annotations

import pytest

from app.config import RemoteProvider, dump_settings, load_settings, save_settings, settings_from_dict
from app.errors import ConfigError


def test_remote_providers_and_tsa_list_round_trip(tmp_path):
    settings = settings_from_dict({
        "profiles": {"binhdinh": {
            "issuer": "https://sso.example.vn/auth/realms/digo", "igate_url": "https://igate.example.vn/",
            "idesk_url": "https://idesk.example.vn/api/v1/", "tsa_url": "http://tsa.ca.gov.vn",
            "tsa_fallback_urls": ["https://tsa2.example.vn/", "https://tsa3.example.vn/"],
        }},
        "remote": {"smartca": {"csc_url": "https://rs.example.vn/csc/v1/", "issuer": "https://id.example.vn/realms/x",
                               "display_name": "VNPT SmartCA", "signature_scheme": "pss"}},
    })
    assert settings.profiles["binhdinh"].tsa_fallback_urls == ("https://tsa2.example.vn/", "https://tsa3.example.vn/")
    provider = settings.remote["smartca"]
    assert provider == RemoteProvider("smartca", "https://rs.example.vn/csc/v1/", "https://id.example.vn/realms/x",
                                      display_name="VNPT SmartCA", signature_scheme="pss")
    assert provider.label == "VNPT SmartCA"
    path = tmp_path / "config.toml"
    save_settings(settings, path)
    assert "[remote.smartca]" in dump_settings(settings)
    assert load_settings(path) == settings


@pytest.mark.parametrize(
    "body",
    [
        {"csc_url": "https://x/"},
        {"csc_url": "https://x/", "issuer": "https://y/", "pin": "1"},
        {"csc_url": "https://x/", "issuer": "https://y/", "signature_scheme": "md5"},
    ],
)
def test_bad_provider_settings_are_refused(body):
    with pytest.raises(ConfigError):
        settings_from_dict({"remote": {"p": body}})


def test_signing_out_forgets_the_token_before_the_provider_answers(file_keyring):
    # A provider that accepts connections and never answers: the token must still leave at once.
    import socket
    import threading

    from app.signing.remote.provider import oidc_client, sign_out, training_provider

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    provider = training_provider(f"{url}/csc/v2/", f"{url}/auth/realms/digo")
    store = oidc_client(provider, keyring_backend=file_keyring).store
    store.save("refresh-token-of-the-last-officer")
    finished = threading.Event()
    worker = threading.Thread(target=lambda: (sign_out(provider, keyring_backend=file_keyring), finished.set()),
                              daemon=True)
    worker.start()
    try:
        deadline = threading.Event()
        for _ in range(50):  # the store is a file: read it until it is empty, for 5 s at most
            if store.load() is None:
                break
            deadline.wait(0.1)
        assert store.load() is None
        assert not finished.is_set()  # the provider has not answered: the token left first
    finally:
        listener.close()
    worker.join(60)
