"""What the CSC client and the sandbox CSC service agree on: algorithm OIDs, the request
fingerprint the signer matches on the phone, and the names of the confirmation states."""

from __future__ import annotations

import hashlib

from app.signing.pss import PssParams as PssParams  # the CSC wire carries it as signAlgoParams

SPECS = "1.0.4.0"

OID_SHA256 = "2.16.840.1.101.3.4.2.1"
OID_SHA384 = "2.16.840.1.101.3.4.2.2"
OID_SHA512 = "2.16.840.1.101.3.4.2.3"
OID_RSA = "1.2.840.113549.1.1.1"
OID_SHA256_RSA = "1.2.840.113549.1.1.11"
OID_RSA_PSS = "1.2.840.113549.1.1.10"

HASH_OIDS = {"sha256": OID_SHA256, "sha384": OID_SHA384, "sha512": OID_SHA512}
HASH_NAMES = {oid: name for name, oid in HASH_OIDS.items()}

PENDING, APPROVED, REJECTED, EXPIRED = "pending", "approved", "rejected", "expired"
WITHDRAWN = "withdrawn"  # the app cancelled the request: the phone no longer offers it


def fingerprint(hashes: list[bytes], description: str = "") -> str:
    """Eight hex digits the app and the phone both show, so the signer approves the request
    that the app sent: over the hashes when the request carries them, else its description."""
    h = hashlib.sha256()
    if hashes:
        for value in hashes:
            h.update(value)
    else:
        h.update(description.encode("utf-8"))
    digits = h.hexdigest()[:8].upper()
    return f"{digits[:4]}-{digits[4:]}"
