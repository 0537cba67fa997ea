"""RSASSA-PSS parameters, shared by the signer backends and the CSC wire (no pyHanko here: the
sandbox and the CSC client load this without the signing stack)."""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import algos


@dataclass(frozen=True)
class PssParams:
    """RSASSA-PSS parameters with MGF1 over the message digest (the only form we sign or accept)."""

    digest: str = "sha256"
    salt_length: int = 32

    def dump(self) -> bytes:
        der: bytes = algos.RSASSAPSSParams({
            "hash_algorithm": {"algorithm": self.digest},
            "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": self.digest}},
            "salt_length": self.salt_length,
            "trailer_field": "trailer_field_bc",
        }).dump()
        return der

    @classmethod
    def load(cls, der: bytes) -> PssParams:
        params = algos.RSASSAPSSParams.load(der)
        digest = params["hash_algorithm"]["algorithm"].native
        mgf_digest = params["mask_gen_algorithm"]["parameters"]["algorithm"].native
        if mgf_digest != digest:
            raise ValueError("MGF1 digest differs from the message digest")
        return cls(digest, int(params["salt_length"].native))
