"""Proof that a training sandbox belongs to this user.

The app reuses a sandbox recorded in training.json when one answers at the recorded address.
Once that sandbox has stopped, another account on the same computer could listen there and
collect the officer's training password (and the stored refresh token). So the sandbox keeps a
random key in a file only its user can read, and answers a challenge with HMAC-SHA256(key,
nonce); the app checks the answer against the same file before it sends anything else.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

OWNER_FILE = "owner.key"
PROOF_PATH = "/lienthong/owner-proof"
KEY_BYTES = 32


def make_private_dir(path: Path) -> None:
    """Create `path` readable by its user only (0700 on POSIX; on Windows the data folder lives in
    the user's profile, which other accounts cannot open)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name != "nt":
        os.chmod(path, 0o700)


def owner_key_path(data_dir: Path) -> Path:
    return Path(data_dir) / OWNER_FILE


def load_or_create_owner_key(data_dir: Path) -> bytes:
    path = owner_key_path(data_dir)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if os.name != "nt":
            os.chmod(path, 0o600)
        return path.read_bytes()
    key = secrets.token_bytes(KEY_BYTES)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


def read_owner_key(data_dir: Path) -> bytes | None:
    try:
        key = owner_key_path(data_dir).read_bytes()
    except OSError:
        return None
    return key if len(key) == KEY_BYTES else None


def owner_proof(key: bytes, nonce: str) -> str:
    return hmac.new(key, nonce.encode("utf-8"), hashlib.sha256).hexdigest()


def add_owner_proof(app, key: bytes) -> None:
    """The challenge endpoint on a Flask app: GET PROOF_PATH?nonce=… → {"proof": …}."""
    from flask import jsonify, request

    def proof():
        nonce = request.args.get("nonce", "")
        if not 16 <= len(nonce) <= 128:
            return jsonify({"error": "bad nonce"}), 400
        return jsonify({"proof": owner_proof(key, nonce)})

    app.add_url_rule(PROOF_PATH, "owner_proof", proof)
