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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests

from app.config import ServerProfile, training_profile
from app.fileio import atomic_write_bytes
from app.paths import AppPaths
from app.sandbox.owner import PROOF_PATH, owner_proof, read_owner_key
from app.services.sso.discovery import well_known_url

if TYPE_CHECKING:
    from app.sandbox.server import Sandbox

log = logging.getLogger(__name__)

STATE_FILE = "training.json"


# What a reused sandbox must have recorded; an older record without the TSA is not reused.
REQUIRED = ("issuer", "igate_url", "idesk_url", "tsa_url", "pki_dir", "csc_url")


@dataclass(frozen=True)
class TrainingServers:
    profile: ServerProfile
    sandbox: Sandbox | None  # the in-process sandbox we started, if any
    pki_dir: Path
    csc_url: str = ""  # the sandbox's remote-signing (CSC) service
    phone_url: str = ""  # where the trainee approves remote signing requests

    def stop(self) -> None:
        if self.sandbox is not None:
            self.sandbox.stop()

    def wait_pki(self, timeout: float | None = None) -> None:
        """Return once the demo PKI under `pki_dir` is ready (an in-process sandbox started with
        `background=True` creates it on a thread)."""
        if self.sandbox is not None:
            self.sandbox.wait_pki(timeout)


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
    if key is None:
        return False
    parts = urlsplit(issuer)
    nonce = secrets.token_urlsafe(32)
    try:
        resp = requests.get(well_known_url(issuer), timeout=1.5)
        if resp.status_code != 200 or resp.json().get("issuer") != issuer:
            return False
        proof = requests.get(f"{parts.scheme}://{parts.netloc}{PROOF_PATH}", params={"nonce": nonce}, timeout=1.5)
        answer = proof.json().get("proof", "") if proof.status_code == 200 else ""
    except (requests.RequestException, ValueError, AttributeError):
        return False
    if not isinstance(answer, str) or not hmac.compare_digest(answer.encode(), owner_proof(key, nonce).encode()):
        log.warning("the server at %s is not this user's training sandbox; starting a new one", issuer)
        return False
    return True


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


def open_training(paths: AppPaths, *, background: bool = False) -> TrainingServers:
    """The training servers' profile; starts an in-process sandbox when none answers.

    With `background`, a sandbox started here creates its demo PKI on a thread (see
    `TrainingServers.wait_pki`), as the training data always is: the first start's sign-in
    window does not wait for a dozen RSA keys."""
    state = _read_state(paths)
    data_dir = Path(state.get("data_dir") or Path(state.get("pki_dir", ".")).parent)
    if all(state.get(k) for k in REQUIRED) and _answers(state["issuer"], data_dir):
        profile = training_profile(state["issuer"], state["igate_url"], state["idesk_url"], state["tsa_url"])
        return TrainingServers(profile, None, Path(state["pki_dir"]), state["csc_url"],
                               state.get("phone_url", ""))

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
