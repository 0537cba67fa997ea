"""ID token signatures checked on cryptography's primitives (app.services.sso.jws): the algorithms
a provider may use, the forgeries it must refuse, and what a sign-in loads for it."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from app.errors import SignInError
from app.services.sso import IdTokenValidator
from tests.fixtures.imports import loaded_by

ISSUER = "http://127.0.0.1:1/auth/realms/digo"
CLIENT = "lienthong-desktop"
REPO = Path(__file__).resolve().parents[2]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(**over):
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": CLIENT, "sub": "s1", "iat": now, "exp": now + 300, "nonce": "n1"}
    claims.update(over)
    return claims


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _rsa_jwk(key, kid="r1", **extra):
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update(kid=kid, **extra)
    return jwk


def _validator(jwks, algorithms=("RS256",), clock=time.time):
    return IdTokenValidator(ISSUER, CLIENT, lambda: jwks, algorithms, clock=clock)


@pytest.mark.parametrize("alg", ["RS256", "RS512", "PS256", "ES256", "ES384", "EdDSA"])
def test_each_asymmetric_algorithm_a_provider_may_use_verifies(rsa_key, alg):
    if alg.startswith(("RS", "PS")):
        key, jwk = rsa_key, _rsa_jwk(rsa_key)
    elif alg.startswith("ES"):
        key = ec.generate_private_key(ec.SECP256R1() if alg == "ES256" else ec.SECP384R1())
        jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
        jwk["kid"] = "r1"
    else:
        key = ed25519.Ed25519PrivateKey.generate()
        raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64(raw), "kid": "r1"}
    token = jwt.encode(_claims(), key, algorithm=alg, headers={"kid": "r1"})
    assert _validator({"keys": [jwk]}, (alg,)).validate(token, nonce="n1")["sub"] == "s1"


def _forge(token: str, header=None, payload=None, signature=None) -> str:
    h, p, s = token.split(".")
    if header is not None:
        h = _b64(json.dumps(header).encode())
    if payload is not None:
        p = _b64(json.dumps(payload).encode())
    if signature is not None:
        s = signature
    return f"{h}.{p}.{s}"


def test_forgeries_are_refused(rsa_key):
    validator = _validator({"keys": [_rsa_jwk(rsa_key)]}, ("RS256", "ES256"))
    good = jwt.encode(_claims(), rsa_key, algorithm="RS256", headers={"kid": "r1"})
    assert validator.validate(good, nonce="n1")
    forged = [
        _forge(good, payload=_claims(sub="someone-else")),  # the payload changed under the signature
        _forge(good, header={"alg": "none", "kid": "r1"}, signature=""),
        _forge(good, header={"alg": "ES256", "kid": "r1"}),  # an RSA key never checks an EC algorithm
        _forge(good, header={"alg": "RS256", "kid": "r1", "crit": ["exp"]}),
        jwt.encode(_claims(), "k" * 32, algorithm="HS256", headers={"kid": "r1"}),
        good + "=",  # padding is not base64url
        good.rsplit(".", 1)[0],
        "not a token",
    ]
    for token in forged:
        with pytest.raises(SignInError):
            validator.validate(token, nonce="n1")


@pytest.mark.parametrize("over", [{"iat": 10**10}, {"nbf": 10**10}, {"exp": "tomorrow"}, {"iat": True},
                                  {"aud": 42}, {"sub": ""}])
def test_times_and_claims_of_the_wrong_kind_are_refused(rsa_key, over):
    token = jwt.encode(_claims(**over), rsa_key, algorithm="RS256", headers={"kid": "r1"})
    with pytest.raises(SignInError):
        _validator({"keys": [_rsa_jwk(rsa_key)]}).validate(token, nonce="n1")


def test_the_clock_decides_expiry_with_a_minute_of_leeway(rsa_key):
    now = 1_900_000_000
    token = jwt.encode(_claims(iat=now, exp=now + 300), rsa_key, algorithm="RS256", headers={"kid": "r1"})
    jwks = {"keys": [_rsa_jwk(rsa_key)]}
    assert _validator(jwks, clock=lambda: now + 359).validate(token, nonce="n1")
    with pytest.raises(SignInError):
        _validator(jwks, clock=lambda: now + 361).validate(token, nonce="n1")


def test_encryption_keys_and_unknown_key_types_in_the_jwks_are_skipped(rsa_key):
    enc = _rsa_jwk(rsa.generate_private_key(public_exponent=65537, key_size=2048), kid="r1", use="enc")
    jwks = {"keys": [enc, {"kty": "oct", "k": "c2VjcmV0", "kid": "s"}, _rsa_jwk(rsa_key, kid="r1", use="sig")]}
    token = jwt.encode(_claims(), rsa_key, algorithm="RS256", headers={"kid": "r1"})
    assert _validator(jwks).validate(token, nonce="n1")
    with pytest.raises(SignInError):
        _validator({"keys": [enc]}).validate(token, nonce="n1")


def test_the_sign_in_loads_neither_a_jwt_library_nor_x509():
    code = "from app.services.sso.idtoken import warm; warm()"
    assert loaded_by(code, {"jwt", "cryptography.x509", "cryptography.hazmat.primitives.asymmetric.ec"}) == []


def test_a_key_announced_for_one_algorithm_checks_no_other(rsa_key):
    jwks = {"keys": [_rsa_jwk(rsa_key, alg="PS256")]}
    token = jwt.encode(_claims(), rsa_key, algorithm="RS256", headers={"kid": "r1"})
    with pytest.raises(SignInError):
        _validator(jwks, ("RS256", "PS256")).validate(token, nonce="n1")
    pss = jwt.encode(_claims(), rsa_key, algorithm="PS256", headers={"kid": "r1"})
    assert _validator(jwks, ("RS256", "PS256")).validate(pss, nonce="n1")


def test_standard_base64_in_place_of_base64url_is_refused(rsa_key):
    good = jwt.encode(_claims(name="Ngô Thị Ánh ~~~>>>???"), rsa_key, algorithm="RS256", headers={"kid": "r1"})
    header, payload, signature = good.split(".")
    assert "-" in payload + signature or "_" in payload + signature
    standard = f"{header}.{payload.replace('-', '+').replace('_', '/')}.{signature.replace('-', '+').replace('_', '/')}"
    with pytest.raises(SignInError):
        _validator({"keys": [_rsa_jwk(rsa_key)]}).validate(standard, nonce="n1")


def test_a_token_nested_deeper_than_the_parser_goes_is_refused_not_a_crash(rsa_key):
    good = jwt.encode(_claims(), rsa_key, algorithm="RS256", headers={"kid": "r1"})
    header, _payload, signature = good.split(".")
    deep = _b64(b'{"a":' * 100_000 + b"1" + b"}" * 100_000)
    with pytest.raises(SignInError):
        _validator({"keys": [_rsa_jwk(rsa_key)]}).validate(f"{header}.{deep}.{signature}", nonce="n1")
