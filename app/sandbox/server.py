"""`Sandbox`: the three training servers (SSO, iGate, iDesk) on 127.0.0.1, in background threads,
and optionally the demo PKI's TSA/OCSP/CRL server and the remote-signing (CSC) service, so signing
practice never leaves the machine."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable
from urllib.parse import urlsplit

from app.config import ServerProfile, training_profile
from app.sandbox import seed as seed_module
from app.sandbox.accounts import REALM
from app.sandbox.blobs import BlobStore
from app.sandbox.csc_state import CscState
from app.sandbox.db import Database
from app.sandbox.faults import REQUEST_LOG_LIMIT, FaultInjector, FaultMiddleware, RequestLog
from app.sandbox.owner import add_owner_proof, load_or_create_owner_key, make_private_dir
from app.sandbox.serving import BackgroundServer

if TYPE_CHECKING:
    from app.sandbox.bearer import AccessTokenVerifier
    from app.sandbox.demo_pki_services import DemoServices

DB_NAME = "sandbox.db"
PKI_DIR = seed_module.PKI_DIR
# How long a request waits for the training data being prepared before it is answered 503.
SEED_WAIT_S = 300.0

log = logging.getLogger(__name__)


class _SeedGate:
    """Holds requests until the training data is ready, so no client ever sees a half-seeded sandbox."""

    def __init__(self, app, ready: threading.Event, failure: list[BaseException]) -> None:
        self.app = app
        self.ready = ready
        self.failure = failure

    def __call__(self, environ, start_response):
        if not self.ready.wait(SEED_WAIT_S) or self.failure:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain; charset=utf-8")])
            return ["Dữ liệu tập huấn chưa sẵn sàng. / The training data is not ready.".encode("utf-8")]
        return self.app(environ, start_response)


class Sandbox:
    """Binds on start; `issuer`, `igate_url` and `idesk_url` are valid once started.

    With `pki=True` the demo PKI in `<data_dir>/pki` (created on first use) serves its TSA,
    OCSP and CRLs too: `tsa_url`, `ocsp_url` and `crl_url` are then set, and `profile()` carries
    the TSA. The remote-signing service runs with it: `csc_url` (CSC API base), `phone_url` (the
    signer's confirmation page) and `csc` (its state; `csc.policy` sets how requests are confirmed).
    Its port is `pki_port`, else the one the certificates were issued for when free
    (a new port means re-issuing every certificate below the root).

    The refresh-token lifetime plays the part of Keycloak's SSO session: once it has passed the
    officer must sign in again.

    With `seed_in_background=True` (the app's first start) the servers listen before the training
    data exists: it is created on a thread while requests wait for it, so the sign-in window does
    not wait for seeding. `wait_seeded()` returns once it is there (or raises why it is not).
    With `pki_in_background=True` as well, the demo PKI (a dozen RSA keys on a first start) is
    loaded or created on a thread too: its services and the remote-signing service have their
    ports and URLs at once and answer once it is ready (`wait_pki()`). With both, `start()` only
    binds the ports: the apps (Flask) and the SSO's signing key are made on the seeding thread,
    and requests wait in the listen queue meanwhile.
    `seeder(data_dir)` creates the data when missing.
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
        pki: bool = False,
        pki_port: int = 0,
        request_log_limit: int = REQUEST_LOG_LIMIT,
        csc_port: int = 0,
        seed_in_background: bool = False,
        pki_in_background: bool = False,
        seeder: Callable[[Path], object] = seed_module.ensure_seeded,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`clock` (wall-clock seconds) ages the SSO's tokens: a test moves it instead of sleeping."""
        self.data_dir = Path(data_dir)
        self.clock = clock
        self.access_token_ttl = int(access_token_ttl)
        self.refresh_token_ttl = int(refresh_token_ttl)
        self.seed = seed
        self.host = host
        self.ports = tuple(ports)
        self.pki_enabled = pki
        self.pki_port = int(pki_port)
        self.pki_dir = self.data_dir / PKI_DIR
        self.pki_services: DemoServices | None = None  # while running
        self.csc_port = int(csc_port)
        self.csc = CscState()
        self._csc_server: BackgroundServer | None = None
        self.csc_url = self.phone_url = ""
        self.faults = FaultInjector()
        self.request_log = RequestLog(request_log_limit)
        self.db = Database(self.data_dir / DB_NAME, keep=4)
        self.blobs = BlobStore(self.data_dir / "blobs")
        self._servers: list[BackgroundServer] = []
        self.apps: dict = {}
        self.issuer = self.igate_url = self.idesk_url = ""
        self.tsa_url = self.ocsp_url = self.crl_url = ""
        self.seed_in_background = seed_in_background
        self._seeder = seeder
        self._seeded = threading.Event()
        self._seed_failure: list[BaseException] = []
        self._seed_thread: threading.Thread | None = None
        self.pki_in_background = pki_in_background
        self._pki_ready = threading.Event()
        self._pki_failure: list[BaseException] = []
        self._pki_thread: threading.Thread | None = None

    def _seed_now(self) -> None:
        try:
            if self.seed:
                self._seeder(self.data_dir)
        except BaseException as exc:
            self._seed_failure.append(exc)
            log.exception("the training data could not be created")
        finally:
            self._seeded.set()

    def wait_seeded(self, timeout: float | None = None) -> None:
        """Return once the training data is ready; raise what stopped it from being created."""
        if not self._seeded.wait(timeout):
            raise TimeoutError("the training data is still being created")
        if self._seed_failure:
            raise self._seed_failure[0]

    def start(self) -> "Sandbox":
        if self._servers:
            return self
        # Accounts, dossiers and signing keys: nobody else on this computer reads them.
        make_private_dir(self.data_dir)
        self.db.create_schema()
        self._seeded.clear()
        self._seed_failure.clear()
        if not self.seed_in_background:
            if self.pki_enabled and not self.pki_in_background:
                # Seeding signs with the leader's certificate: the one issued for the services' port.
                self._start_pki()
            try:
                self._seed_now()
                self.wait_seeded()
            except BaseException:
                self.stop()
                raise
        servers: list[BackgroundServer] = []
        pki_server = None
        # The GUI's first start: every port is bound and every URL known now; the apps (Flask),
        # the signing key, the PKI and the data come on a thread while requests wait for them.
        booting = self.seed_in_background and self.pki_in_background
        try:
            for port in self.ports:
                servers.append(BackgroundServer(self.host, port))
            sso, igate, idesk = servers
            self.issuer = f"http://{self.host}:{sso.port}/auth/realms/{REALM}"
            self.igate_url = f"http://{self.host}:{igate.port}/"
            self.idesk_url = f"http://{self.host}:{idesk.port}/api/v1/"
            if self.pki_enabled and self.pki_in_background:
                pki_server = self._bind_pki()
                self._bind_csc()
            if not booting:
                verifier = self._serve(servers)
                if self.pki_enabled and not self.pki_in_background:
                    if self.pki_services is None:
                        self._start_pki()
                    self._start_csc(verifier)
        except BaseException:
            self._stop_csc()
            services, self.pki_services = self.pki_services, None
            if services is not None:
                services.stop()
            for server in [*servers, *([pki_server] if pki_server is not None else [])]:
                server.stop()
            raise
        self._servers = servers
        self._pki_failure.clear()
        if pki_server is not None:
            self._pki_ready.clear()
        else:
            self._pki_ready.set()
        if booting:
            self._seed_thread = threading.Thread(target=self._boot, args=(servers, pki_server),
                                                 name="sandbox-boot", daemon=True)
            self._seed_thread.start()
            return self
        if self.seed_in_background:
            self._seed_thread = threading.Thread(target=self._seed_now, name="sandbox-seed", daemon=True)
            self._seed_thread.start()
        if pki_server is not None:
            self._start_pki_thread(pki_server, verifier)
        return self

    def _serve(self, servers: list[BackgroundServer]) -> AccessTokenVerifier:
        """Create the SSO, iGate and iDesk apps and serve them on their bound servers."""
        from app.sandbox.bearer import AccessTokenVerifier  # joserfc
        from app.sandbox.idesk import create_idesk_app  # Flask, from here on
        from app.sandbox.igate import create_igate_app
        from app.sandbox.keys import load_or_create_signing_key
        from app.sandbox.sso import create_sso_app

        key = load_or_create_signing_key(self.data_dir)
        owner_key = load_or_create_owner_key(self.data_dir)
        verifier = AccessTokenVerifier(self.issuer, key, self.db, clock=self.clock)
        apps = {
            "sso": create_sso_app(
                self.issuer, key, self.db, self.access_token_ttl, self.refresh_token_ttl, clock=self.clock
            ),
            "igate": create_igate_app(self.db, self.blobs, verifier),
            "idesk": create_idesk_app(self.db, self.blobs, verifier),
        }
        add_owner_proof(apps["sso"], owner_key)
        self.apps = apps
        for name, server in zip(("sso", "igate", "idesk"), servers, strict=True):
            app = FaultMiddleware(apps[name], name, self.faults, self.request_log)
            server.set_app(_SeedGate(app, self._seeded, self._seed_failure))
            server.start(f"sandbox-{name}")
        return verifier

    def _boot(self, servers: list[BackgroundServer], pki_server: BackgroundServer | None) -> None:
        try:
            verifier = self._serve(servers)
        except BaseException as exc:
            # Nothing will answer: close the ports so that waiting clients fail now.
            log.exception("the training servers could not be started")
            self._seed_failure.append(exc)
            self._pki_failure.append(exc)
            for server in [*servers, *([pki_server] if pki_server is not None else [])]:
                server.stop()
            self._stop_csc()
            self._seeded.set()
            self._pki_ready.set()
            return
        if pki_server is not None:
            self._start_pki_thread(pki_server, verifier)
            if self._seeded_already():
                # Every start after the first: the servers answer now, the PKI's services and the
                # remote-signing service once it is loaded.
                self._seeded.set()
                return
            # Seeding signs with the leader's certificate: the one issued for the services' port.
            self._pki_ready.wait()
        self._seed_now()

    def _seeded_already(self) -> bool:
        """The default seeder would find nothing to do (another seeder is always run)."""
        if not self.seed:
            return True
        if self._seeder is not seed_module.ensure_seeded:
            return False
        try:
            return seed_module.is_seeded(self.data_dir)
        except Exception:  # noqa: BLE001 (the seeder runs and reports what is wrong)
            return False

    def _start_pki_thread(self, server: BackgroundServer, verifier: AccessTokenVerifier) -> None:
        self._pki_thread = threading.Thread(target=self._prepare_pki, args=(server, verifier),
                                            name="sandbox-pki", daemon=True)
        self._pki_thread.start()

    def _start_pki(self) -> None:
        from app.sandbox.demo_pki import DemoPki  # cryptography; only when signing practice is on

        pki = DemoPki.create(self.pki_dir)
        wanted = self.pki_port or urlsplit(pki.base_url).port or 0
        try:
            services = pki.services(wanted)
        except OSError:
            if self.pki_port or not wanted:
                raise
            services = pki.services(0)  # the remembered port is taken: re-issue for a new one
        self.pki_services = services
        self.tsa_url, self.ocsp_url, self.crl_url = services.tsa_url, services.ocsp_url, services.crl_url

    def _bind_pki(self) -> BackgroundServer:
        """Bind the PKI services' port and set their URLs; the PKI itself comes later (`_prepare_pki`),
        and so does cryptography, after the servers the sign-in needs."""
        from app.sandbox import demo_pki_urls

        wanted = self.pki_port or urlsplit(demo_pki_urls.recorded_base_url(self.pki_dir) or "").port or 0
        try:
            server = BackgroundServer("127.0.0.1", wanted)
        except OSError:
            if self.pki_port or not wanted:
                raise
            server = BackgroundServer("127.0.0.1", 0)  # the remembered port is taken: re-issued later
        base = f"http://127.0.0.1:{server.port}"
        self.tsa_url = demo_pki_urls.tsa_url(base)
        self.ocsp_url = demo_pki_urls.ocsp_url(base)
        self.crl_url = demo_pki_urls.crl_url(base)
        return server

    def _prepare_pki(self, server: BackgroundServer, verifier: AccessTokenVerifier) -> None:
        """Load or create the demo PKI (a dozen RSA keys on the first start), then serve it and
        the remote-signing service on the ports bound before: clients connecting meanwhile wait
        in the listen queue."""
        from app.sandbox.demo_pki import DemoPki

        try:
            self.pki_services = DemoPki.create(self.pki_dir).services(server=server)
            self._serve_csc(verifier)
        except BaseException as exc:
            self._pki_failure.append(exc)
            log.exception("the demo PKI could not be created")
            server.stop()
            self._stop_csc()
        finally:
            self._pki_ready.set()

    def wait_pki(self, timeout: float | None = None) -> None:
        """Return once the demo PKI and its services are ready; raise what stopped them."""
        if not self._pki_ready.wait(timeout):
            raise TimeoutError("the demo PKI is still being created")
        if self._pki_failure:
            raise self._pki_failure[0]

    def _start_csc(self, verifier: AccessTokenVerifier) -> None:
        self._bind_csc()
        self._serve_csc(verifier)

    def _bind_csc(self) -> None:
        from app.sandbox.csc_state import API, PHONE  # not csc.py: Flask, for the background

        server = BackgroundServer(self.host, self.csc_port)
        self._csc_server = server
        base = f"http://{self.host}:{server.port}"
        self.csc_url = base + API + "/"
        self.phone_url = base + PHONE + "/"

    def _serve_csc(self, verifier: AccessTokenVerifier) -> None:
        from app.sandbox.csc import create_csc_app

        server = self._csc_server
        assert server is not None, "bound by _bind_csc"
        services = self.pki_services
        if services is None:
            raise RuntimeError("the remote-signing service needs the demo PKI's services")
        app = create_csc_app(self.csc, services.pki, verifier, self.csc_url)
        self.apps["csc"] = app
        server.set_app(FaultMiddleware(app, "csc", self.faults, self.request_log))
        server.start("sandbox-csc")

    def _stop_csc(self) -> None:
        server, self._csc_server = self._csc_server, None
        self.csc.stop()
        if server is not None:
            server.stop()

    def stop(self) -> None:
        # Seeding writes one transaction: let it finish rather than leave it to be rolled back.
        # (On a first start this thread also starts the PKI's, so it is joined first.)
        seeding, self._seed_thread = self._seed_thread, None
        if seeding is not None:
            seeding.join()
        preparing, self._pki_thread = self._pki_thread, None
        if preparing is not None:
            preparing.join()
        self._stop_csc()
        servers, self._servers = self._servers, []
        services, self.pki_services = self.pki_services, None
        if services is not None:
            services.stop()
        for server in servers:
            server.stop()
        self.db.close()

    def __enter__(self) -> "Sandbox":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def reset(self) -> None:
        """Reseed the training data in place (the practice mode's "start over"); tokens issued
        before are forgotten, so clients sign in again."""
        self.wait_seeded()
        seed_module.reset(self.data_dir)
        self.request_log.clear()

    @property
    def running(self) -> bool:
        return bool(self._servers)

    def profile(self) -> ServerProfile:
        return training_profile(self.issuer, self.igate_url, self.idesk_url, self.tsa_url or None)
