"""A logged-in token key as the backend of a pyHanko Signer (app.signing.backend_signer); its raw
signatures are made on the module's thread.

One `TokenSigner` is one PIN login: batch signing reuses it for every document.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from asn1crypto import algos
from asn1crypto import x509 as asn1_x509

from app.signing.backend_signer import BackendPdfSigner
from app.signing.certinfo import CertificateInfo
from app.signing.pss import PssParams
from app.signing.token_errors import TokenError, TokenRemovedError, from_pkcs11
from app.signing.token_worker import ModuleRegistry, ModuleWorker

log = logging.getLogger(__name__)


@dataclass
class LoginState:
    """PKCS#11 objects of one login; created, used and closed on the worker thread only."""

    session: Any
    key: Any
    key_type: str  # "rsa" or "ec"
    mechanisms: frozenset[Any]  # pkcs11.Mechanism values the token offers
    serial: str
    slot_id: int
    signatures: int = 0

    def close(self) -> None:
        self.session.close()


def _token_present(worker: ModuleWorker, slot_id: int, serial: str) -> bool:
    import pkcs11

    try:
        for slot in worker.lib.get_slots(token_present=True):
            if slot.slot_id == slot_id:
                return bool(slot.get_token().serial.decode("ascii", "replace").strip() == serial)
    except pkcs11.PKCS11Error:
        return False
    return False


_PSS_COMBINED = ("SHA256_RSA_PKCS_PSS", "SHA384_RSA_PKCS_PSS", "SHA512_RSA_PKCS_PSS")


def _supports_pss(worker: ModuleWorker, handle: int) -> bool:
    from pkcs11 import Mechanism

    state: LoginState | None = worker.sessions.get(handle)
    if state is None or state.key_type != "rsa":
        return False
    wanted = {Mechanism.RSA_PKCS_PSS, *(getattr(Mechanism, name) for name in _PSS_COMBINED)}
    return bool(wanted & state.mechanisms)


def _pss_sign(state: LoginState, data: bytes, digest_algorithm: str, pss: PssParams) -> bytes:
    from pkcs11 import MGF, Mechanism

    name = pss.digest.upper()
    param = (getattr(Mechanism, name), getattr(MGF, name), pss.salt_length)
    combined = getattr(Mechanism, f"{name}_RSA_PKCS_PSS", None)
    if pss.digest == digest_algorithm and combined in state.mechanisms:
        signature: bytes = state.key.sign(data, mechanism=combined, mechanism_param=param)
        return signature
    # Tokens that only offer the raw PSS mechanism sign the digest.
    signature = state.key.sign(hashlib.new(pss.digest, data).digest(), mechanism=Mechanism.RSA_PKCS_PSS,
                               mechanism_param=param)
    return signature


def _raw_sign(worker: ModuleWorker, handle: int, data: bytes, digest_algorithm: str,
              pss: PssParams | None = None) -> bytes:
    import pkcs11
    from pkcs11 import Mechanism

    state: LoginState | None = worker.sessions.get(handle)
    if state is None:
        raise TokenRemovedError(detail="the token session is closed")
    digest_algorithm = digest_algorithm.lower()
    try:
        if pss is not None:
            signature = _pss_sign(state, data, digest_algorithm, pss)
        elif state.key_type == "ec":
            from pkcs11.util.ec import encode_ecdsa_signature

            digest = hashlib.new(digest_algorithm, data).digest()
            signature = encode_ecdsa_signature(state.key.sign(digest, mechanism=Mechanism.ECDSA))
        else:
            combined = {
                "sha1": Mechanism.SHA1_RSA_PKCS,
                "sha256": Mechanism.SHA256_RSA_PKCS,
                "sha384": Mechanism.SHA384_RSA_PKCS,
                "sha512": Mechanism.SHA512_RSA_PKCS,
            }.get(digest_algorithm)
            if combined is not None and combined in state.mechanisms:
                signature = state.key.sign(data, mechanism=combined)
            else:
                # Tokens that only sign a prepared DigestInfo (CKM_RSA_PKCS).
                info = algos.DigestInfo(
                    {
                        "digest_algorithm": {"algorithm": digest_algorithm},
                        "digest": hashlib.new(digest_algorithm, data).digest(),
                    }
                )
                signature = state.key.sign(info.dump(), mechanism=Mechanism.RSA_PKCS)
    except pkcs11.PKCS11Error as exc:
        if not _token_present(worker, state.slot_id, state.serial):
            raise TokenRemovedError(detail=f"{type(exc).__name__}: {exc}") from exc
        raise from_pkcs11(exc) from exc
    state.signatures += 1
    return bytes(signature)


def _logout(worker: ModuleWorker, handle: int) -> None:
    state = worker.sessions.pop(handle, None)
    if state is not None:
        try:
            state.close()
        except Exception:  # the token may be gone; its session is gone with it
            log.debug("logout failed", exc_info=True)


class TokenSigner:
    """An open login on a token for one certificate. Use as a context manager; `close()` logs out."""

    def __init__(
        self,
        registry: ModuleRegistry,
        worker: ModuleWorker,
        handle: int,
        certificate: CertificateInfo,
        chain: tuple[asn1_x509.Certificate, ...],
        token_label: str = "",
    ) -> None:
        self._registry = registry
        self._worker = worker
        self._handle = handle
        self.certificate = certificate
        self.token_label = token_label
        self.cert_chain = chain
        self.signer = BackendPdfSigner(self, certificate.certificate, chain)
        self.closed = False

    @property
    def module_path(self) -> str:
        return self._worker.module_path

    def use_pss(self) -> bool:
        """Sign with RSASSA-PSS from now on if the token offers it; False (PKCS#1 v1.5 kept) if not."""
        if not self._worker.call(_supports_pss, self._handle):
            return False
        self.signer = BackendPdfSigner(self, self.certificate.certificate, self.cert_chain, prefer_pss=True)
        return True

    def authorize_batch(self, count: int) -> bool:
        """Nothing to ask: the PIN login already covers every signature of a batch."""
        return False

    def sign_raw(self, data: bytes, digest_algorithm: str, pss: PssParams | None = None) -> bytes:
        if self.closed:
            raise TokenRemovedError(detail="the signer is closed")
        try:
            signature: bytes = self._worker.call(_raw_sign, self._handle, data, digest_algorithm, pss)
            return signature
        except TokenError:
            raise
        except RuntimeError as exc:
            raise TokenRemovedError(detail=str(exc)) from exc

    @property
    def signatures(self) -> int:
        """How many raw signatures this login made."""
        count: int = self._worker.call(lambda w: getattr(w.sessions.get(self._handle), "signatures", 0))
        return count

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self._worker.call(_logout, self._handle)
        finally:
            self._registry.release(self._worker)

    def __enter__(self) -> "TokenSigner":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
