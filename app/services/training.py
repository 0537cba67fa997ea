"""The training profile: reuse a sandbox that is already listening, else start one in-process.

The sandbox's addresses are kept in <config dir>/training.json (no secrets), and a restart
asks for the same ports, so the SSO issuer, and with it the refresh token stored under that
issuer in the keyring, stays valid from one run to the next.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests

from app.config import ServerProfile, training_profile
from app.fileio import atomic_write_bytes
from app.paths import AppPaths
from app.services.sso.discovery import well_known_url

log = logging.getLogger(__name__)

STATE_FILE = "training.json"


@dataclass(frozen=True)
class TrainingServers:
    profile: ServerProfile
    sandbox: object | None  # the in-process app.sandbox.server.Sandbox we started, if any

    def stop(self) -> None:
        if self.sandbox is not None:
            self.sandbox.stop()


def _state_path(paths: AppPaths) -> Path:
    return paths.config_dir / STATE_FILE


def _read_state(paths: AppPaths) -> dict:
    try:
        data = json.loads(_state_path(paths).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _answers(issuer: str) -> bool:
    try:
        resp = requests.get(well_known_url(issuer), timeout=1.5)
        return resp.status_code == 200 and resp.json().get("issuer") == issuer
    except (requests.RequestException, ValueError):
        return False


def _port(url: str) -> int:
    return urlsplit(url).port or 0


def open_training(paths: AppPaths) -> TrainingServers:
    """The training servers' profile; starts an in-process sandbox when none answers."""
    state = _read_state(paths)
    keys = ("issuer", "igate_url", "idesk_url")
    if all(state.get(k) for k in keys) and _answers(state["issuer"]):
        return TrainingServers(training_profile(*(state[k] for k in keys)), None)

    from app.sandbox.server import Sandbox  # heavy (Flask); only when the sandbox is needed

    wanted = tuple(_port(state.get(k, "")) for k in keys)
    try:
        box = Sandbox(paths.sandbox_dir, ports=wanted).start()
    except OSError as exc:
        log.info("training ports %s busy (%s); taking new ones", wanted, exc)
        box = Sandbox(paths.sandbox_dir).start()
    profile = box.profile()
    record = {"issuer": profile.issuer, "igate_url": profile.igate_url, "idesk_url": profile.idesk_url}
    atomic_write_bytes(_state_path(paths), json.dumps(record, indent=1).encode("utf-8"))
    return TrainingServers(profile, box)
