"""What the CLI and the GUI hold while a key is open: a token login (`TokenSigner`), a PKCS#12
file (`SoftSigner`) or a remote credential (`RemoteSigner`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer

    from app.signing.certinfo import CertificateInfo


class OpenedSigner(Protocol):
    """An open key: the pyHanko Signer that signs with it, and one confirmation for a whole batch
    where the backend asks for confirmations (remote signing). Closed once, by its opener."""

    certificate: CertificateInfo
    token_label: str

    @property
    def signer(self) -> Signer: ...

    def authorize_batch(self, count: int) -> bool:
        """Confirm `count` signatures at once; False when each is confirmed alone (or never)."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> OpenedSigner: ...

    def __exit__(self, *exc: object) -> None: ...
