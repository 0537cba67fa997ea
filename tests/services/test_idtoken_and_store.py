"""ID token checks with tokens signed by a key made here, and the keyring's size limit handling."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from app.domain import Role
from app.errors import ConfigError, SignInError
from app.services.sso import IdTokenValidator, RefreshTokenStore, TokenTooLongError, user_from_claims
from app.services.sso.store import PART_CHARS
from app.services.transport import is_allowed_url, require_allowed_url

ISSUER = "http://127.0.0.1:1/auth/realms/digo"
CLIENT = "lienthong-desktop"


@pytest.fixture(scope="module")
def keys():
    good = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(good.public_key()))
    jwk.update(kid="k1", use="sig", alg="RS256")
    return good, other, {"keys": [jwk]}


def _token(key, kid="k1", alg="RS256", **over):
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": CLIENT, "sub": "s1", "iat": now, "exp": now + 300, "nonce": "n1",
              "preferred_username": "hoant", "name": "Nguyễn Thị Hoa", "roles": ["specialist", "other"]}
    claims.update(over)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid})


@pytest.fixture
def validator(keys):
    fetches = []

    def fetch():
        fetches.append(1)
        return keys[2]

    v = IdTokenValidator(ISSUER, CLIENT, fetch)
    v.fetches = fetches
    return v


def test_valid_token_passes_and_maps_to_user(keys, validator):
    claims = validator.validate(_token(keys[0]), nonce="n1")
    user = user_from_claims(claims)
    assert user.username == "hoant" and user.roles == (Role.SPECIALIST,)


@pytest.mark.parametrize(
    "override, nonce",
    [
        ({"nonce": "other"}, "n1"),
        ({"aud": "someone-else"}, "n1"),
        ({"iss": "http://127.0.0.1:2/auth/realms/digo"}, "n1"),
        ({"exp": int(time.time()) - 3600}, "n1"),
        ({"sub": None}, "n1"),
        ({"aud": [CLIENT, "other"], "azp": "other"}, "n1"),
    ],
)
def test_bad_claims_are_refused(keys, validator, override, nonce):
    with pytest.raises(SignInError):
        validator.validate(_token(keys[0], **override), nonce=nonce)


def test_wrong_key_unknown_kid_and_symmetric_alg_are_refused(keys, validator):
    with pytest.raises(SignInError):
        validator.validate(_token(keys[1]), nonce="n1")
    with pytest.raises(SignInError):
        validator.validate(_token(keys[0], kid="rotated"), nonce="n1")
    assert len(validator.fetches) == 2  # an unknown kid reloads the JWKS once
    with pytest.raises(SignInError):
        validator.validate(jwt.encode({"iss": ISSUER}, "secret" * 8, algorithm="HS256"), nonce="n1")


def test_long_refresh_token_is_split_under_the_windows_limit(file_keyring):
    store = RefreshTokenStore("LienThongDesk/test", "issuer", file_keyring)
    token = "r" * 3500
    store.save(token)
    assert store.load() == token
    names = ["issuer"] + [f"issuer#{i}" for i in range(1, 6)]
    stored = [file_keyring.get_password("LienThongDesk/test", a) for a in names]
    assert stored[5] is None and all(s and len(s) < 1280 for s in stored[:5])
    store.save("short")  # a shorter token afterwards removes the stale parts
    assert store.load() == "short"
    assert file_keyring.get_password("LienThongDesk/test", "issuer#1") is None
    store.save(token)
    file_keyring.set_password("LienThongDesk/test", "issuer#2", "x" * PART_CHARS)  # torn write
    assert store.load() is None
    with pytest.raises(TokenTooLongError) as info:
        store.save("t" * (PART_CHARS * 17))
    assert "quá dài" in info.value.message_vi
    assert store.load() is None
    store.clear()
    assert file_keyring.get_password("LienThongDesk/test", "issuer") is None


def test_transport_rule_allows_http_only_on_loopback():
    assert is_allowed_url("https://sso.example.gov.vn/auth")
    assert is_allowed_url("http://127.0.0.1:8080/cb") and is_allowed_url("http://[::1]:9/x")
    assert not is_allowed_url("http://sso.example.gov.vn/auth")
    assert not is_allowed_url("http://127.0.0.1.example.com/")
    with pytest.raises(ConfigError):
        require_allowed_url("http://10.0.0.1/", "SSO")


def test_two_threads_clearing_two_tokens_clear_both(file_keyring):
    # A file keyring rewrites its whole file on every change: two sign-outs at once (the app's and
    # a remote provider's) must not bring back the token the other one removed.
    import threading

    from app.services.sso.store import RefreshTokenStore

    issuer = "http://127.0.0.1:1/auth/realms/digo"
    app = RefreshTokenStore("LienThongDesk/training", issuer, file_keyring)
    remote = RefreshTokenStore("LienThongDesk/remote-training", issuer, file_keyring)
    for _ in range(40):
        app.save("a" * 50)
        remote.save("r" * 50)
        start = threading.Barrier(2)
        workers = [threading.Thread(target=lambda s=s, b=start: (b.wait(), s.clear())) for s in (app, remote)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        assert app.load() is None and remote.load() is None
