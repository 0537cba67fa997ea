"""The training profile: reuse a sandbox that is already listening, else start one in-process.

The sandbox's addresses are kept in <config dir>/training.json (no secrets), and a restart
asks for the same ports, so the SSO issuer, and with it the refresh token stored under that
issuer in the keyring, stays valid from one run to the next.

The sandbox always runs the demo PKI's TSA, OCSP and CRL server as well: the training profile's
`tsa_url` points at it, so practice signatures never reach the government TSA. `pki_dir` is the
demo PKI those services answer for; the training soft signer takes its .p12 from there, so the
OCSP and CRL addresses in the certificate are the ones listening.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urlsplit

from app.config import ServerProfile, training_profile
from app.fileio import atomic_write_bytes
from app.paths import AppPaths
from app.sandbox.owner import PROOF_PATH, owner_proof, read_owner_key

if TYPE_CHECKING:
    from app.sandbox.server import Sandbox

log = logging.getLogger(__name__)

STATE_FILE = "training.json"
CHILD_LOG = "training-sandbox.log"
# How long the GUI waits for a training sandbox process to report its addresses.
CHILD_START_S = 60.0


# How long a recorded sandbox that accepts connections has to answer. Generous: an officer's busy
# old PC must not start a second sandbox beside a slow first one; after a restart nothing listens
# at the address and the socket check answers at once.
ANSWER_TIMEOUT_S = 10.0
# What a reused sandbox must have recorded; an older record without the TSA is not reused.
REQUIRED = ("issuer", "igate_url", "idesk_url", "tsa_url", "pki_dir", "csc_url")


@dataclass
class SandboxProcess:
    """The training sandbox in a child process (`start_process`): it stops when its stdin
    closes, so it never outlives the app, even one that crashed."""

    process: subprocess.Popen[str]
    _pki_ready: threading.Event = field(default_factory=threading.Event)
    _pki_failure: list[str] = field(default_factory=list)

    def read_addresses(self, timeout: float = CHILD_START_S) -> dict[str, Any]:
        """The child's first line: its `_record`; then its later lines are read on a thread."""
        found: list[dict[str, Any]] = []
        got = threading.Event()

        def read() -> None:
            stdout = self.process.stdout
            assert stdout is not None, "started with stdout=PIPE"
            for line in stdout:
                if not got.is_set():
                    try:
                        found.append(json.loads(line))
                    except ValueError:
                        log.warning("training sandbox process: %s", line.strip()[:200])
                    got.set()
                elif line.startswith("pki-failed"):
                    self._pki_failure.append(line.strip())
                    self._pki_ready.set()
                elif line.startswith("pki-ready"):
                    self._pki_ready.set()
            got.set()  # the child has gone
            if not self._pki_ready.is_set():
                self._pki_failure.append("the training sandbox process has exited")
                self._pki_ready.set()

        threading.Thread(target=read, name="training-sandbox-out", daemon=True).start()
        if not got.wait(timeout) or not found or not isinstance(found[0], dict):
            raise RuntimeError("the training sandbox process did not report its addresses")
        return found[0]

    def wait_pki(self, timeout: float | None = None) -> None:
        if not self._pki_ready.wait(timeout):
            raise TimeoutError("the demo PKI is still being created")
        if self._pki_failure:
            raise RuntimeError(self._pki_failure[0])

    def stop(self, timeout: float = 30.0) -> None:
        stdin = self.process.stdin
        if stdin is not None and not stdin.closed:
            try:
                stdin.close()
            except OSError:
                pass
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass(frozen=True)
class TrainingServers:
    """The training sandbox the GUI talks to: its server profile, the demo PKI's folder, the
    remote-signing addresses, and the sandbox or process this run started (None when reused)."""

    profile: ServerProfile
    sandbox: Sandbox | None  # the in-process sandbox we started, if any
    pki_dir: Path
    csc_url: str = ""  # the sandbox's remote-signing (CSC) service
    phone_url: str = ""  # where the trainee approves remote signing requests
    process: SandboxProcess | None = None  # the sandbox process we started, if any

    def stop(self) -> None:
        if self.sandbox is not None:
            self.sandbox.stop()
        if self.process is not None:
            self.process.stop()

    def wait_pki(self, timeout: float | None = None) -> None:
        """Return once the demo PKI under `pki_dir` is ready (a sandbox started with
        `background=True`, or in a process, creates it on a thread)."""
        if self.sandbox is not None:
            self.sandbox.wait_pki(timeout)
        if self.process is not None:
            self.process.wait_pki(timeout)


def _state_path(paths: AppPaths) -> Path:
    return paths.config_dir / STATE_FILE


def _read_state(paths: AppPaths) -> dict[str, Any]:
    try:
        data = json.loads(_state_path(paths).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _answers(issuer: str, data_dir: Path) -> bool:
    """The recorded sandbox answers, and proves it holds this user's owner key (see
    app.sandbox.owner): anything else at that address gets no password and no token."""
    key = read_owner_key(data_dir)
    if key is None or not _listening(issuer):
        return False
    # Here, not at the top: the sandbox process (training_child) uses this module without them.
    from app.services.httpclient import HttpClient, TransportError
    from app.services.sso.discovery import well_known_url

    parts = urlsplit(issuer)
    nonce = secrets.token_urlsafe(32)
    http = HttpClient()
    try:
        resp = http.get(well_known_url(issuer), timeout=ANSWER_TIMEOUT_S)
        if resp.status_code != 200 or resp.json().get("issuer") != issuer:
            return False
        proof = http.get(f"{parts.scheme}://{parts.netloc}{PROOF_PATH}", params={"nonce": nonce},
                         timeout=ANSWER_TIMEOUT_S)
        answer = proof.json().get("proof", "") if proof.status_code == 200 else ""
    except (TransportError, ValueError, AttributeError):
        return False
    finally:
        http.close()
    if not isinstance(answer, str) or not hmac.compare_digest(answer.encode(), owner_proof(key, nonce).encode()):
        log.warning("the server at %s is not this user's training sandbox; starting a new one", issuer)
        return False
    return True


def _listening(url: str) -> bool:
    """Something accepts connections at `url`'s address: a socket, before loading an HTTP client
    to ask it (after a restart nothing does, and the GUI starts its sandbox at once)."""
    import socket

    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=1.5):
            return True
    except OSError:
        return False


def _port(url: str) -> int:
    return urlsplit(url).port or 0


def _record(box: Sandbox) -> dict[str, Any]:
    return {
        "issuer": box.issuer, "igate_url": box.igate_url, "idesk_url": box.idesk_url,
        "tsa_url": box.tsa_url, "ocsp_url": box.ocsp_url, "crl_url": box.crl_url,
        "pki_dir": str(box.pki_dir), "data_dir": str(box.data_dir),
        "csc_url": box.csc_url, "phone_url": box.phone_url,
    }


def remember(paths: AppPaths, box: Sandbox) -> None:
    """Record a running sandbox (with its demo PKI) as the training servers of `paths`."""
    atomic_write_bytes(_state_path(paths), json.dumps(_record(box), indent=1).encode("utf-8"))


def _running(paths: AppPaths, state: dict[str, Any]) -> TrainingServers | None:
    """The recorded training servers, when they answer and prove they are this user's."""
    data_dir = Path(state.get("data_dir") or Path(state.get("pki_dir", ".")).parent)
    if all(state.get(k) for k in REQUIRED) and _answers(state["issuer"], data_dir):
        profile = training_profile(state["issuer"], state["igate_url"], state["idesk_url"], state["tsa_url"])
        return TrainingServers(profile, None, Path(state["pki_dir"]), state["csc_url"],
                               state.get("phone_url", ""))
    return None


def open_training(paths: AppPaths, *, background: bool = False) -> TrainingServers:
    """The training servers' profile; starts an in-process sandbox when none answers.

    With `background`, a sandbox started here creates its demo PKI on a thread (see
    `TrainingServers.wait_pki`), as the training data always is: the first start's sign-in
    window does not wait for a dozen RSA keys."""
    state = _read_state(paths)
    return _running(paths, state) or _start_here(paths, state, background=background)


def child_command(paths: AppPaths) -> list[str]:
    """How to start the sandbox process: the frozen exe runs itself with a flag, Python the module."""
    from app.cli.training_child import CHILD_FLAG

    folders = json.dumps([str(paths.config_dir), str(paths.data_dir), str(paths.log_dir), str(paths.cache_dir)])
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG, folders]
    return [sys.executable, "-m", "app.cli.training_child", folders]


@dataclass(frozen=True)
class ServersLater:
    """The training servers of `open_training_process`: `known` at once when running ones were
    reused, else the wait for the process started for them. Calling it returns them either way."""

    wait: Callable[[], TrainingServers]
    known: TrainingServers | None = None

    def __call__(self) -> TrainingServers:
        return self.known if self.known is not None else self.wait()


def open_training_process(paths: AppPaths) -> ServersLater:
    """For the GUI: reuse the training servers that answer, else start them in a process of
    their own now, where importing, serving and seeding them runs beside the app's own start
    (threads would take turns with it). Returns the wait for their addresses; should the
    process not start, the sandbox runs in-process as before."""
    state = _read_state(paths)
    running = _running(paths, state)
    if running is not None:
        return ServersLater(lambda: running, running)
    try:
        # It logs to a file of its own (CHILD_LOG).
        process = subprocess.Popen(
            child_command(paths), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8", creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
    except OSError as exc:
        log.warning("the training sandbox process did not start (%s); running it in-process", exc)
        return ServersLater(lambda: _start_here(paths, state, background=True))
    child = SandboxProcess(process)

    def wait() -> TrainingServers:
        try:
            record = child.read_addresses()
        except RuntimeError as exc:
            log.warning("%s; running the training sandbox in-process", exc)
            child.stop(timeout=5)
            return _start_here(paths, _read_state(paths), background=True)
        profile = training_profile(record["issuer"], record["igate_url"], record["idesk_url"], record["tsa_url"])
        return TrainingServers(profile, None, Path(record["pki_dir"]), record["csc_url"], record["phone_url"],
                               process=child)

    return ServersLater(wait)


def _start_here(paths: AppPaths, state: dict[str, Any], *, background: bool) -> TrainingServers:
    from app.sandbox.server import Sandbox  # heavy (Flask); only when the sandbox is needed

    issuer, igate, idesk = (_port(state.get(k, "")) for k in REQUIRED[:3])
    wanted = (issuer, igate, idesk)
    try:
        # The first start creates the training data while the sign-in window is already up.
        box = Sandbox(paths.sandbox_dir, ports=wanted, pki=True, csc_port=_port(state.get("csc_url", "")),
                      seed_in_background=True, pki_in_background=background).start()
    except OSError as exc:
        log.info("training ports %s busy (%s); taking new ones", wanted, exc)
        box = Sandbox(paths.sandbox_dir, pki=True, seed_in_background=True, pki_in_background=background).start()
    remember(paths, box)
    return TrainingServers(box.profile(), box, box.pki_dir, box.csc_url, box.phone_url)
