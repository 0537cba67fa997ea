"""USB tokens through PKCS#11: list tokens and certificates, watch for plug/unplug, log in to sign.

Every PKCS#11 call runs on the module's worker thread (`token_worker`). The PIN comes from a
callback, goes straight to C_Login and is not kept, logged or stored.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

from asn1crypto import x509 as asn1_x509

from app.signing.certinfo import CertificateInfo, check_signing_certificate
from app.signing.token_errors import (
    CertificateNotFoundError,
    ModuleLoadError,
    PinCancelledError,
    PinIncorrectError,
    PinLockedError,
    TokenError,
    TokenNotFoundError,
    TokenRemovedError,
    from_pkcs11,
)
from app.signing.token_signer import LoginState, TokenSigner
from app.signing.token_worker import PROCESS_MODULES, ModuleRegistry, ModuleWorker

if TYPE_CHECKING:
    from pkcs11 import Session, Token

    from app.config import Settings

log = logging.getLogger(__name__)

CKF_USER_PIN_COUNT_LOW = 0x00010000
CKF_USER_PIN_FINAL_TRY = 0x00020000
CKF_USER_PIN_LOCKED = 0x00040000
CKF_TOKEN_INITIALIZED = 0x00000400


@dataclass(frozen=True)
class TokenInfo:
    module_path: str
    slot_id: int
    label: str
    serial: str
    manufacturer: str
    model: str
    pin_count_low: bool
    pin_final_try: bool
    pin_locked: bool

    @property
    def key(self) -> tuple[str, str]:
        """What identifies the physical token across rescans."""
        return (self.module_path, self.serial)


@dataclass(frozen=True)
class PinRequest:
    """What the PIN dialog shows; read from the token's flags before logging in."""

    token_label: str
    warning: str | None  # None, "count_low" or "final_try"
    tries_left: int | None
    holder: str = ""


PinCallback = Callable[[PinRequest], "str | None"]


# ---- functions run on the module's worker thread ------------------------------------------


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("ascii", "replace").strip()
    return str(value or "").strip()


def _info(worker: ModuleWorker, slot_id: int, token: Token) -> TokenInfo:
    flags = int(token.flags)
    return TokenInfo(
        module_path=worker.module_path,
        slot_id=slot_id,
        label=_text(token.label),
        serial=_text(token.serial),
        manufacturer=_text(token.manufacturer_id),
        model=_text(token.model),
        pin_count_low=bool(flags & CKF_USER_PIN_COUNT_LOW),
        pin_final_try=bool(flags & CKF_USER_PIN_FINAL_TRY),
        pin_locked=bool(flags & CKF_USER_PIN_LOCKED),
    )


def _tokens(worker: ModuleWorker, rescan: bool) -> list[tuple[TokenInfo, Token]]:
    """(TokenInfo, pkcs11 Token) of every initialized token present."""
    import pkcs11

    if rescan:
        worker.rescan()
    found: list[tuple[TokenInfo, Token]] = []
    for slot in worker.lib.get_slots(token_present=True):
        try:
            token = slot.get_token()
        except pkcs11.PKCS11Error:  # a slot whose token is going away
            continue
        if int(token.flags) & CKF_TOKEN_INITIALIZED:
            found.append((_info(worker, slot.slot_id, token), token))
    return found


def _list_tokens(worker: ModuleWorker, rescan: bool) -> list[TokenInfo]:
    return [info for info, _ in _tokens(worker, rescan)]


def _find(worker: ModuleWorker, wanted: TokenInfo | str) -> tuple[TokenInfo, Token] | None:
    for info, token in _tokens(worker, rescan=False):
        if isinstance(wanted, TokenInfo):
            if info.serial == wanted.serial:
                return info, token
        elif wanted in (info.label, info.serial):
            return info, token
    return None


def _find_info(worker: ModuleWorker, wanted: "TokenInfo | str", rescan: bool) -> TokenInfo | None:
    """The token's info; a token plugged in since the last scan is looked for after a rescan."""
    match = _find(worker, wanted)
    if match is None and rescan and worker.rescan():
        match = _find(worker, wanted)
    return match[0] if match else None


def _read_certificates(session: Session) -> list[tuple[str, str, bytes]]:
    from pkcs11 import Attribute, CertificateType, ObjectClass

    out = []
    for obj in session.get_objects(
        {Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509}
    ):
        label, id_hex = _text(obj[Attribute.LABEL]), bytes(obj[Attribute.ID]).hex()
        out.append((label, id_hex, bytes(obj[Attribute.VALUE])))
    return out


def _certificates(worker: ModuleWorker, wanted: TokenInfo | str) -> tuple[TokenInfo, list[tuple[str, str, bytes]]]:
    import pkcs11

    match = _find(worker, wanted)
    if match is None:
        raise TokenNotFoundError(wanted.label if isinstance(wanted, TokenInfo) else wanted)
    info, token = match
    try:
        session = token.open()
        try:
            return info, _read_certificates(session)
        finally:
            session.close()
    except pkcs11.PKCS11Error as exc:
        raise from_pkcs11(exc) from exc


class PinBox:
    """Carries the PIN to C_Login and is emptied there, so no frame kept by a traceback (nor a
    log line: see `__repr__`) still holds the PIN afterwards."""

    __slots__ = ("_value",)

    def __init__(self, value: str | None) -> None:
        self._value = value

    @property
    def empty(self) -> bool:
        return self._value is None

    def take(self) -> str:
        value, self._value = self._value, None
        if value is None:
            raise PinCancelledError()
        return value

    def __repr__(self) -> str:
        return "PinBox(***)"


def _open_logged_in(token: Token, box: PinBox) -> Session:
    import pkcs11

    secret: str | None = box.take()
    try:
        return token.open(user_pin=secret)
    except pkcs11.UserAlreadyLoggedIn:
        return token.open()  # another login of this app on the token already covers us
    finally:
        secret = None


def _login(worker: ModuleWorker, wanted: TokenInfo, box: PinBox, id_hex: str) -> int:
    import pkcs11
    from pkcs11 import Attribute, KeyType, ObjectClass

    match = _find(worker, wanted)
    if match is None:
        box.take()
        raise TokenRemovedError(detail=f"token {wanted.label!r} is gone")
    info, token = match
    try:
        session = _open_logged_in(token, box)
    except (pkcs11.PinIncorrect, pkcs11.PinLenRange, pkcs11.PinInvalid) as exc:
        after = _find(worker, info)
        now = after[0] if after else info
        if now.pin_locked:
            raise PinLockedError(detail=type(exc).__name__) from exc
        raise PinIncorrectError(
            1 if now.pin_final_try else None, count_low=now.pin_count_low, detail=type(exc).__name__
        ) from exc
    except pkcs11.PKCS11Error as exc:
        raise from_pkcs11(exc) from exc
    try:
        keys = list(
            session.get_objects(
                {Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.ID: bytes.fromhex(id_hex)}
            )
        )
        if not keys:
            raise CertificateNotFoundError(id_hex, detail="no private key with this CKA_ID")
        key = keys[0]
        if not isinstance(key, pkcs11.PrivateKey):
            raise CertificateNotFoundError(id_hex, detail="the object with this CKA_ID is not a private key")
        key_type = "ec" if key.key_type == KeyType.EC else "rsa"
        mechanisms = frozenset(token.slot.get_mechanisms())
    except BaseException:
        session.close()
        raise
    worker.logins += 1
    return worker.add_session(LoginState(session, key, key_type, mechanisms, info.serial, info.slot_id))


# ---- the service -----------------------------------------------------------------------------


class TokenService:
    """The tokens of the configured PKCS#11 modules. Modules load on first use; a module that
    cannot load is skipped and its error kept in `module_errors`."""

    def __init__(
        self,
        module_paths: Sequence[str],
        extra_certs: Sequence[asn1_x509.Certificate] = (),
        registry: ModuleRegistry | None = None,
        rescan_when_idle: bool = True,
    ) -> None:
        self.module_paths = tuple(dict.fromkeys(module_paths))
        self.rescan_when_idle = rescan_when_idle
        self.extra_certs = tuple(extra_certs)
        self.module_errors: dict[str, ModuleLoadError] = {}
        self._registry = registry or PROCESS_MODULES
        self._workers: dict[str, ModuleWorker] = {}
        self._lock = threading.Lock()
        self._closed = False

    def _worker(self, path: str) -> ModuleWorker | None:
        with self._lock:
            if self._closed:
                raise RuntimeError("the token service is closed")
            if path not in self._workers:
                try:
                    self._workers[path] = self._registry.acquire(path)
                    self.module_errors.pop(path, None)
                except ModuleLoadError as exc:
                    self.module_errors[path] = exc
                    return None
            return self._workers[path]

    @property
    def closed(self) -> bool:
        return self._closed

    def workers(self) -> list[ModuleWorker]:
        return [w for w in (self._worker(p) for p in self.module_paths) if w is not None]

    def list_tokens(self, rescan: bool = True) -> list[TokenInfo]:
        """Tokens present now. With `rescan`, idle modules are re-initialized first so that
        drivers which enumerate readers only at initialization see newly plugged tokens."""
        found: list[TokenInfo] = []
        workers = self.workers()
        if not workers and self.module_errors:
            raise next(iter(self.module_errors.values()))
        for worker in workers:
            try:
                found += worker.call(_list_tokens, rescan and self.rescan_when_idle)
            except TokenError:
                raise
            except Exception as exc:
                raise from_pkcs11(exc) from exc
        return found

    def _locate(self, token: "TokenInfo | str") -> tuple[ModuleWorker, TokenInfo]:
        paths = [token.module_path] if isinstance(token, TokenInfo) else list(self.module_paths)
        for path in paths:
            worker = self._worker(path)
            if worker is None:
                continue
            match = worker.call(_find_info, token, self.rescan_when_idle)
            if match is not None:
                return worker, match
        raise TokenNotFoundError(token.label if isinstance(token, TokenInfo) else token)

    def list_certificates(self, token: "TokenInfo | str") -> list[CertificateInfo]:
        """End-entity certificates on the token (CA certificates stored there are left out)."""
        worker, info = self._locate(token)
        _, found = worker.call(_certificates, info)
        certs = [CertificateInfo.from_der(der, label, id_hex) for label, id_hex, der in found]
        return [c for c in certs if not c.certificate.ca]

    def _chain(
        self, worker: ModuleWorker, info: TokenInfo, leaf: CertificateInfo
    ) -> tuple[asn1_x509.Certificate, ...]:
        """Issuers of the signing certificate found on the token or among `extra_certs`."""
        _, found = worker.call(_certificates, info)
        pool = [asn1_x509.Certificate.load(der) for _, _, der in found] + list(self.extra_certs)
        chain = [leaf.certificate]
        while len(chain) < 8:
            current = chain[-1]
            if current.self_signed != "no":
                break
            taken = {x.dump() for x in chain}
            issuer = next(
                (c for c in pool if c.subject == current.issuer and c.dump() not in taken), None
            )
            if issuer is None:
                break
            chain.append(issuer)
        return tuple(chain)

    def open_signer(
        self, token: "TokenInfo | str", cert: str, pin_callback: PinCallback
    ) -> TokenSigner:
        """Log in to sign with `cert` (its CKA_LABEL or CKA_ID in hex). The certificate is checked
        before the PIN is asked for; the PIN dialog is told about low or final tries.

        `pin_callback` runs on the calling thread (never on the module's thread, which stays free
        for the watch); it may block until the officer answers. None means cancelled."""
        worker, info = self._locate(token)
        certs = self.list_certificates(info)
        chosen = next((c for c in certs if cert in (c.label, c.id_hex)), None)
        if chosen is None:
            raise CertificateNotFoundError(cert)
        check_signing_certificate(chosen)
        if info.pin_locked:
            raise PinLockedError(detail=f"token {info.label!r} reports CKF_USER_PIN_LOCKED")
        warning = "final_try" if info.pin_final_try else "count_low" if info.pin_count_low else None
        request = PinRequest(info.label, warning, 1 if info.pin_final_try else None, chosen.holder)
        box = PinBox(pin_callback(request))
        if box.empty:
            raise PinCancelledError()
        # The signer holds its own reference to the module, so it outlives this service.
        signer_worker = self._registry.acquire(worker.module_path)
        try:
            chain = self._chain(signer_worker, info, chosen)
            handle = signer_worker.call(_login, info, box, chosen.id_hex)
        except BaseException:
            self._registry.release(signer_worker)
            raise
        finally:
            if not box.empty:
                box.take()
        return TokenSigner(self._registry, signer_worker, handle, chosen, chain, info.label)

    @classmethod
    def from_settings(
        cls, settings: Settings, extra_certs: Sequence[asn1_x509.Certificate] = ()
    ) -> TokenService:
        """The modules configured in `Settings.pkcs11_modules` plus those of the built-in table
        found on this computer."""
        from app.signing.modules import find_modules

        paths = [c.path for c in find_modules(settings.pkcs11_modules)]
        return cls(paths, extra_certs=extra_certs)

    def watch(
        self,
        callback: Callable[[list[TokenInfo]], None],
        interval: float = 1.0,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> "Watch":
        return Watch(self, callback, interval, on_error)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._workers = list(self._workers.values()), {}
        for worker in workers:
            self._registry.release(worker)

    def __enter__(self) -> "TokenService":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Watch:
    """Polls the tokens every `interval` seconds on its own thread and calls `callback` with the
    list at start and whenever a token is plugged in, pulled out or changes its PIN state.
    A failure is reported to `on_error` once when it starts; the watch keeps polling, and the
    first good poll after it reports the list again."""

    def __init__(
        self,
        service: TokenService,
        callback: Callable[[list[TokenInfo]], None],
        interval: float,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._service = service
        self._callback = callback
        self._on_error = on_error
        self._interval = interval
        self._stop = threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="token-watch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        last = None
        while not self._stop.is_set():
            try:
                tokens = self._service.list_tokens(rescan=True)
                state = sorted(
                    (t.key, t.label, t.pin_count_low, t.pin_final_try, t.pin_locked) for t in tokens
                )
                if state != last:
                    last = state
                    self._callback(tokens)
                self.error = None
            except Exception as exc:  # reported once per outage and logged; the watch keeps going
                if self._service.closed:
                    return  # the app is shutting down: nothing left to watch
                starting = self.error is None
                self.error = exc
                last = None
                if not starting:
                    log.debug("token watch still failing: %s", exc)
                else:
                    log.warning("token watch: %s", exc, exc_info=not isinstance(exc, TokenError))
                    if self._on_error is not None:
                        try:
                            self._on_error(exc)
                        except Exception:  # a receiver that is gone; the watch is about to be stopped
                            log.debug("token watch: the error report failed", exc_info=True)
            self._stop.wait(self._interval)

    def stop(self, wait: bool = True) -> None:
        """Stop polling; with `wait`, return once the thread has finished its current poll."""
        self._stop.set()
        if wait and threading.current_thread() is not self._thread:
            self._thread.join(timeout=10)

    def __enter__(self) -> "Watch":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
