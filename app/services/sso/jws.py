"""Compact JWS (RFC 7515) checked with the provider's JWKS keys (RFC 7517, 7518), on
cryptography's primitives: what an ID token's signature check needs.

PyJWT did this before; loading it loads cryptography's X.509 and every key type, about 35 ms of
every sign-in on a 2-core PC, where an ID token needs one key type. RSA loads with this module,
EC and Ed25519 when a provider's keys use them. Only asymmetric algorithms exist here: an HMAC
"signature" keyed with a public client's id would prove nothing.
"""

from __future__ import annotations

import base64
import binascii
import json
import string
from typing import TYPE_CHECKING, Any, Callable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

_HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512,
}
_EC_CURVES = {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}
_BASE64URL = frozenset(string.ascii_letters + string.digits + "-_")
ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"})


class JwsError(ValueError):
    """The token or the key is malformed, unsupported, or the signature does not verify."""


def b64url_decode(text: object) -> bytes:
    """Unpadded base64url (RFC 7515 section 2) only: no padding, no "+" or "/"."""
    if not isinstance(text, str) or not _BASE64URL.issuperset(text):
        raise JwsError("not base64url")
    try:
        return base64.b64decode(text.translate(str.maketrans("-_", "+/")) + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise JwsError(f"not base64url: {exc}") from exc


def _json_object(data: bytes, what: str) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise JwsError(f"{what} is not JSON: {exc}") from exc
    except RecursionError as exc:  # nested deeper than the parser goes: a hostile token, not a crash
        raise JwsError(f"{what} is nested too deeply") from exc
    if not isinstance(value, dict):
        raise JwsError(f"{what} is not a JSON object")
    return value


class CompactJws:
    """A compact JWS split and decoded, its signature not yet checked."""

    def __init__(self, token: object) -> None:
        parts = token.split(".") if isinstance(token, str) else []
        if len(parts) != 3:
            raise JwsError("not a compact JWS (three dot-separated parts)")
        self.header = _json_object(b64url_decode(parts[0]), "header")
        self.payload = _json_object(b64url_decode(parts[1]), "payload")
        self.signature = b64url_decode(parts[2])
        self.signing_input = f"{parts[0]}.{parts[1]}".encode("ascii")
        if "crit" in self.header:
            raise JwsError("critical header extensions are not supported")

    @property
    def alg(self) -> str:
        return str(self.header.get("alg", ""))

    @property
    def kid(self) -> str:
        return str(self.header.get("kid", ""))

    def verify(self, key: PublicKeyTypes) -> None:
        """Raises JwsError unless the signature is the header's algorithm's, by `key`."""
        verify_signature(self.alg, key, self.signing_input, self.signature)


def _uint(jwk: dict[str, Any], name: str) -> int:
    return int.from_bytes(b64url_decode(jwk.get(name, "")), "big")


def key_from_jwk(jwk: dict[str, Any]) -> PublicKeyTypes:
    """The public key of one JWK (RSA, EC or OKP); JwsError for anything else."""
    kty = jwk.get("kty")
    try:
        if kty == "RSA":
            return rsa.RSAPublicNumbers(_uint(jwk, "e"), _uint(jwk, "n")).public_key()
        if kty == "EC":
            from cryptography.hazmat.primitives.asymmetric import ec

            curves: dict[str, Callable[[], ec.EllipticCurve]] = {
                "P-256": ec.SECP256R1, "P-384": ec.SECP384R1, "P-521": ec.SECP521R1,
            }
            curve = curves.get(str(jwk.get("crv")))
            if curve is None:
                raise JwsError(f"unsupported EC curve {jwk.get('crv')!r}")
            return ec.EllipticCurvePublicNumbers(_uint(jwk, "x"), _uint(jwk, "y"), curve()).public_key()
        if kty == "OKP" and jwk.get("crv") == "Ed25519":
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

            return Ed25519PublicKey.from_public_bytes(b64url_decode(jwk.get("x", "")))
    except ValueError as exc:  # cryptography's own checks (a point off its curve, a bad size...)
        raise JwsError(f"unusable {kty} key: {exc}") from exc
    raise JwsError(f"unsupported key type {kty!r}")


class SigningKey:
    """A JWKS signing key, and the one algorithm its "alg" member restricts it to (or none)."""

    __slots__ = ("key", "alg")

    def __init__(self, key: PublicKeyTypes, alg: str | None) -> None:
        self.key = key
        self.alg = alg

    def verify(self, jws: CompactJws) -> None:
        if self.alg is not None and jws.alg != self.alg:
            raise JwsError(f"the key is for {self.alg}, the token says {jws.alg}")
        jws.verify(self.key)


def keys_from_jwks(jwks: object) -> dict[str, SigningKey]:
    """The signing keys of a JWK set by key id; keys for encryption or of unknown types are skipped
    (Keycloak publishes its encryption key beside its signing keys)."""
    keys: dict[str, SigningKey] = {}
    for jwk in jwks.get("keys", ()) if isinstance(jwks, dict) else ():
        if not isinstance(jwk, dict) or jwk.get("use", "sig") != "sig":
            continue
        try:
            alg = jwk.get("alg")
            keys[str(jwk.get("kid", ""))] = SigningKey(key_from_jwk(jwk), alg if isinstance(alg, str) else None)
        except JwsError:
            continue
    if not keys:
        raise JwsError("the JWK set has no usable signing key")
    return keys


def verify_signature(alg: str, key: PublicKeyTypes, data: bytes, signature: bytes) -> None:
    """Raises JwsError unless `signature` is `alg`'s signature of `data` by `key`, and the key's
    type is the one `alg` names (an RSA key never checks an EC algorithm, and so on)."""
    if alg not in ALGORITHMS:
        raise JwsError(f"algorithm {alg!r} not supported")
    try:
        if alg[:2] in ("RS", "PS"):
            if not isinstance(key, rsa.RSAPublicKey):
                raise JwsError(f"{alg} needs an RSA key")
            digest = _HASHES[alg[2:]]()
            pad: padding.AsymmetricPadding = (
                padding.PKCS1v15() if alg[:2] == "RS"
                else padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size)
            )
            key.verify(signature, data, pad, digest)
        elif alg[:2] == "ES":
            _verify_ec(alg, key, data, signature)
        else:
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

            if not isinstance(key, Ed25519PublicKey):
                raise JwsError("EdDSA needs an Ed25519 key")
            key.verify(signature, data)
    except InvalidSignature as exc:
        raise JwsError("the signature does not verify") from exc


def _verify_ec(alg: str, key: PublicKeyTypes, data: bytes, signature: bytes) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    names = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
    if not isinstance(key, ec.EllipticCurvePublicKey) or names.get(key.curve.name) != _EC_CURVES[alg]:
        raise JwsError(f"{alg} needs an EC key on {_EC_CURVES[alg]}")
    size = (key.curve.key_size + 7) // 8
    # JWS carries r and s side by side, each of the curve's size (RFC 7518 3.4); cryptography takes DER.
    if len(signature) != 2 * size:
        raise JwsError("the signature does not verify")
    r, s = int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
    key.verify(encode_dss_signature(r, s), data, ec.ECDSA(_HASHES[alg[2:]]()))

