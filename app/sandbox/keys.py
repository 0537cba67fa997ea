"""The SSO's RS256 signing key, kept under the data dir so tokens survive a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from joserfc.jwk import KeySet, RSAKey

from app.fileio import atomic_write_bytes


def load_or_create_signing_key(data_dir: Path) -> RSAKey:
    path = Path(data_dir) / "sso-signing-key.pem"
    if path.exists():
        key = RSAKey.import_key(path.read_bytes())
    else:
        key = RSAKey.generate_key(2048, private=True)
        atomic_write_bytes(path, key.as_pem(private=True))
    kid = key.thumbprint()
    return RSAKey.import_key(key.as_pem(private=True), {"kid": kid, "use": "sig", "alg": "RS256"})


def public_jwks(key: RSAKey) -> dict[str, Any]:
    return dict(KeySet([key]).as_dict(private=False))
