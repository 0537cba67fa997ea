"""The demo PKI's service addresses, without the PKI itself (no cryptography): the training
sandbox binds its ports and reports its addresses before it loads anything heavy."""

from __future__ import annotations

import json
from pathlib import Path

STATE_FILE = "pki.json"
FORMAT = 1


def recorded_base_url(directory: Path) -> str | None:
    """The services' address the PKI in `directory` was issued for, if there is one."""
    try:
        state = json.loads((Path(directory) / STATE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return state.get("base_url") if isinstance(state, dict) and state.get("format") == FORMAT else None


def tsa_url(base_url: str) -> str:
    return f"{base_url}/tsa"


def ocsp_url(base_url: str) -> str:
    return f"{base_url}/ocsp"


def crl_url(base_url: str) -> str:
    """The CRL of the intermediate CA, which issues every end entity."""
    return f"{base_url}/crl/intermediate.crl"
