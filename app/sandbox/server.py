"""`Sandbox`: the three training servers (SSO, iGate, iDesk) on 127.0.0.1, in background threads."""

from __future__ import annotations

from pathlib import Path

from app.config import ServerProfile, training_profile
from app.sandbox import seed as seed_module
from app.sandbox.accounts import REALM
from app.sandbox.bearer import AccessTokenVerifier
from app.sandbox.blobs import BlobStore
from app.sandbox.db import Database
from app.sandbox.faults import FaultInjector, FaultMiddleware, RequestLog
from app.sandbox.idesk import create_idesk_app
from app.sandbox.igate import create_igate_app
from app.sandbox.keys import load_or_create_signing_key
from app.sandbox.serving import BackgroundServer
from app.sandbox.sso import create_sso_app

DB_NAME = "sandbox.db"


class Sandbox:
    """Binds on start; `issuer`, `igate_url` and `idesk_url` are valid once started.

    The refresh-token lifetime plays the part of Keycloak's SSO session: once it has passed the
    officer must sign in again.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        access_token_ttl: int = 300,
        refresh_token_ttl: int = 8 * 3600,
        seed: bool = True,
        host: str = "127.0.0.1",
        ports: tuple[int, int, int] = (0, 0, 0),
    ) -> None:
        self.data_dir = Path(data_dir)
        self.access_token_ttl = int(access_token_ttl)
        self.refresh_token_ttl = int(refresh_token_ttl)
        self.seed = seed
        self.host = host
        self.ports = tuple(ports)
        self.faults = FaultInjector()
        self.request_log = RequestLog()
        self.db = Database(self.data_dir / DB_NAME)
        self.blobs = BlobStore(self.data_dir / "blobs")
        self._servers: list[BackgroundServer] = []
        self.apps: dict = {}
        self.issuer = self.igate_url = self.idesk_url = ""

    def start(self) -> "Sandbox":
        if self._servers:
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.db.create_schema()
        if self.seed:
            seed_module.ensure_seeded(self.data_dir)
        key = load_or_create_signing_key(self.data_dir)
        servers: list[BackgroundServer] = []
        try:
            for port in self.ports:
                servers.append(BackgroundServer(self.host, port))
            sso, igate, idesk = servers
            self.issuer = f"http://{self.host}:{sso.port}/auth/realms/{REALM}"
            self.igate_url = f"http://{self.host}:{igate.port}/"
            self.idesk_url = f"http://{self.host}:{idesk.port}/api/v1/"
            verifier = AccessTokenVerifier(self.issuer, key, self.db)
            apps = {
                "sso": create_sso_app(
                    self.issuer, key, self.db, self.access_token_ttl, self.refresh_token_ttl
                ),
                "igate": create_igate_app(self.db, self.blobs, verifier),
                "idesk": create_idesk_app(self.db, self.blobs, verifier),
            }
            self.apps = apps
            for name, server in zip(("sso", "igate", "idesk"), servers):
                server.set_app(FaultMiddleware(apps[name], name, self.faults, self.request_log))
                server.start(f"sandbox-{name}")
        except BaseException:
            for server in servers:
                server.stop()
            raise
        self._servers = servers
        return self

    def stop(self) -> None:
        servers, self._servers = self._servers, []
        for server in servers:
            server.stop()

    def __enter__(self) -> "Sandbox":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def reset(self) -> None:
        """Reseed the training data in place (the practice mode's "start over"); tokens issued
        before are forgotten, so clients sign in again."""
        seed_module.reset(self.data_dir)
        self.request_log.clear()

    @property
    def running(self) -> bool:
        return bool(self._servers)

    def profile(self) -> ServerProfile:
        return training_profile(self.issuer, self.igate_url, self.idesk_url)
