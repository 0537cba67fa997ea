"""The SSO's RS256 signing key, kept under the data dir so tokens survive a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from joserfc.jwk import KeySet, RSAKey

from app.fileio import atomic_write_bytes


def load_or_create_signing_key(data_dir: Path) -> RSAKey:
    path = Path(data_dir) / "sso-signing-key.pem"
    if path.exists():
        pem = path.read_bytes()
    else:
        pem = RSAKey.generate_key(2048, private=True).as_pem(private=True)
        atomic_write_bytes(path, pem)
    # The sandbox's own key, written by it: loaded once and without the RSA consistency checks
    # (for keys from elsewhere), which took a tenth of a second of every start, on the way to
    # the first sign-in the sandbox answers. A damaged file makes signatures nobody accepts.
    raw = load_pem_private_key(pem, None, unsafe_skip_rsa_key_validation=True)
    if not isinstance(raw, RSAPrivateKey):
        raise ValueError(f"{path} does not hold an RSA private key")
    key = RSAKey(raw, pem, {"use": "sig", "alg": "RS256"})
    key.ensure_kid()  # the RFC 7638 thumbprint
    return key


def public_jwks(key: RSAKey) -> dict[str, Any]:
    return dict(KeySet([key]).as_dict(private=False))
