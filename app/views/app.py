"""The GUI's composition root: builds the application, the windows and their controllers.

Nothing here is global: `GuiApp` receives the paths, settings, profiles and the services
factory, and hands them down. Extensions (the PDF preview, the signing views) are found by
`default_preview_factory` / `default_extensions` and may be replaced by the caller.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

# The service layer before the first Qt module (it imports no Qt).
import app.services.compose  # noqa: F401
from app import APP_AUTHOR, APP_NAME, __version__
from app.config import RemoteProvider, ServerProfile, Settings, chosen_profile, save_settings
from app.domain import UserInfo
from app.errors import AccountNotLinkedError, LienThongError, SessionExpiredError
from app.paths import AppPaths
from app.resources import icon_frames
from app.services.sso.idtoken import warm as warm_sign_in
from app.views.backend import Backend, EarlySignIn, ServicesFactory
from app.views.crash_dialog import CrashReporter
from app.views.error_dialog import ErrorPresenter
from app.views.i18n import install_translator, switch_language
from app.views.qt import (
    QApplication,
    QCoreApplication,
    QIcon,
    QObject,
    QSize,
    QThread,
    QThreadPool,
    QTimer,
    QWidget,
    Signal,
)
from app.views.sign_in import SignInController
from app.views.tasks import TaskRunner
from app.views.warmup import warm_signing_stack
from app.views.window_state import WindowState

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

    from app.services.journal import PendingTransfer
    from app.views.login_window import LoginWindow
    from app.views.main_window import MainWindow, PreviewFactory
    from app.views.pdf.preview import PdfPreview
    from app.views.pdf.render_service import RenderService

log = logging.getLogger(__name__)

Extension = Callable[["MainWindow", "GuiApp"], None]

PRELOAD_DELAY_MS = 300
# The signing stack's imports hold the interpreter lock for about half a second: they start when
# the first lists are in (loaded or failed), or this long after the main window shows.
PRELOAD_AT_LATEST_MS = 3000
BACKGROUND_THREADS = 8


def create_qapplication(argv: Sequence[str] = (), lang: str = "vi") -> QApplication:
    existing = QApplication.instance()
    if existing is None:
        app = QApplication(list(argv) or ["lienthong"])
    elif isinstance(existing, QApplication):
        app = existing
    else:
        raise RuntimeError("a QCoreApplication without widgets is already running")
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("Liên Thông Desk")
    app.setApplicationVersion(__version__)
    app.setQuitOnLastWindowClosed(True)
    # PNG frames, each read when a window first needs that size: an SVG icon would load Qt's SVG
    # plugin (and its library) before the first window shows.
    frames = [(size, path) for size, path in icon_frames() if path.exists()]
    if frames:
        icon = QIcon()
        for size, path in frames:
            icon.addFile(str(path), QSize(size, size))
        app.setWindowIcon(icon)
    install_translator(app, lang)
    return app


class PdfPreviewFactory:
    """Makes the PDF previews; all of them render through the one `renderer` (a worker process),
    made when first asked for: by the first preview, or once the main window's lists are in."""

    def __init__(self, renderer: RenderService | None = None) -> None:
        self._renderer = renderer

    @property
    def renderer(self) -> RenderService:
        if self._renderer is None:
            from app.views.pdf.render_service import RenderService

            self._renderer = RenderService()
        return self._renderer

    def __call__(self, parent: QWidget) -> PdfPreview:
        from app.views.pdf.preview import PdfPreview

        return PdfPreview(parent, renderer=self.renderer)


def default_preview_factory() -> PdfPreviewFactory | None:
    """The PDF preview of app.views.pdf. Its render worker process starts with the first preview,
    or once the main window's lists are in (`GuiApp`), whichever comes first."""
    import importlib.util

    if importlib.util.find_spec("app.views.pdf.preview") is None:
        return None
    return PdfPreviewFactory()


def default_extensions() -> list[Extension]:
    """`app.views.signing.install.install(main_window, gui_app)`, when present, imported when called."""
    import importlib.util

    if importlib.util.find_spec("app.views.signing.install") is None:
        return []

    def install_signing(window: MainWindow, gui: "GuiApp"):
        from app.views.signing.install import install

        return install(window, gui)

    return [install_signing]


def _succeeded(result: Future[Backend | None] | None) -> bool:
    """A sign-in that has finished with a backend."""
    return result is not None and result.done() and result.exception() is None and result.result() is not None


def sign_out_remote(providers: Sequence[RemoteProvider], keyring: KeyringBackend | None) -> None:
    from app.signing.remote.provider import sign_out

    for provider in providers:
        sign_out(provider, keyring_backend=keyring)


class GuiApp(QObject):
    """Start screen → sign-in → main window; sign-out goes back; an expired session asks to sign in again."""

    main_window_shown = Signal(object)
    extensions_installed = Signal(object)
    language_changed = Signal(str)

    def __init__(
        self,
        paths: AppPaths,
        settings: Settings,
        profiles: dict[str, ServerProfile],
        services_factory: ServicesFactory,
        *,
        default_profile: str | None = None,
        window_state: WindowState | None = None,
        preview_factory: PreviewFactory | None = None,
        extensions: Sequence[Extension] = (),
        open_external: Callable[[Path], bool] | None = None,
        install_hooks: bool = True,
        training_signer: Callable[[UserInfo], Path | None] | None = None,
        training_trust_dir: Path | None = None,
        remote_providers: Sequence[RemoteProvider] = (),
        remote_keyring: KeyringBackend | None = None,
        after_first_show: Sequence[Callable[[], None]] = (),
        after_lists: Sequence[Callable[[], None]] = (),
        early_sign_in: EarlySignIn | None = None,
        parent=None,
    ) -> None:
        """`after_first_show`: called once on the UI thread, shortly after the first main window
        has painted; each returns at once (slow work goes to a thread of its own).
        `after_lists`: the same, once that window's lists are in (or PRELOAD_AT_LATEST_MS after
        it shows): for work whose imports would take the interpreter from the UI thread while
        pages of rows arrive.
        `early_sign_in`: a silent sign-in already under way; `start()` takes its outcome when it
        is for the profile the sign-in window opens with."""
        super().__init__(parent)
        self.paths = paths
        self.settings = settings
        self.lang = settings.language
        self.profiles = dict(profiles)
        self.window_state = window_state or WindowState.in_folder(paths.config_dir)
        self.preview_factory = preview_factory
        self.extensions = list(extensions)
        self.open_external = open_external
        self._training_signer = training_signer
        self.training_trust_dir = training_trust_dir  # the demo root, trusted in training mode only
        # Remote signing services besides those of the settings (the training sandbox's).
        self.remote_providers = tuple(remote_providers)
        self.remote_keyring = remote_keyring  # where their sessions are kept (None: the system keyring)
        self._settings_pages: list[tuple[Callable[[QWidget], QWidget], str]] = []
        self._after_first_show = tuple(after_first_show)
        self._after_lists_jobs = tuple(after_lists)
        self._early_sign_in = early_sign_in
        self.crash = CrashReporter(self._active_window)
        if install_hooks:
            self.crash.install()
        self.errors = ErrorPresenter(self.lang, self.crash.show, self._active_window, self._session_expired)
        # Background work is mostly waiting on the network and the disk: more threads than cores,
        # so a sign-out or a list page never queues behind a warm-up or a long signing.
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max(BACKGROUND_THREADS, QThread.idealThreadCount()))
        self.runner = TaskRunner(on_error=self.errors, pool=self.pool, parent=self)
        self._retired: list[MainWindow] = []
        self.runner.busy_changed.connect(lambda busy: None if busy else self._delete_retired())
        self.sign_in = SignInController(self.runner, services_factory, parent=self)
        self.sign_in.signed_in.connect(self._signed_in)
        self.sign_in.failed.connect(self._sign_in_failed)
        self.sign_in.idle.connect(lambda: self._login.set_ready() if self._login is not None else None)
        self.sign_in.waiting_for_browser.connect(
            lambda url: self._login.set_waiting(url) if self._login is not None else None)
        # Once the browser is opening: the sign-in's own work (discovery, the listener) is done.
        self.sign_in.waiting_for_browser.connect(lambda _url: QTimer.singleShot(0, self._prepare_main_window))
        self._login_default = default_profile or settings.profile
        self._login: LoginWindow | None = None
        self.main_window: MainWindow | None = None
        # Built while a sign-in waits, for the officer it signs in (see _prepare_main_window).
        self._spare_window: MainWindow | None = None
        self.backend: Backend | None = None
        self._relogin = False
        self._sign_in_warmed = False

    @property
    def login_window(self) -> LoginWindow:
        """The sign-in window, built when first needed: a start whose silent sign-in has already
        succeeded goes to the main window without it."""
        if self._login is None:
            self._login = self._build_login_window(self._login_default)
        return self._login

    @property
    def built_login_window(self) -> LoginWindow | None:
        """The sign-in window if it has been built; asking does not build it."""
        return self._login

    def _build_login_window(self, default: str | None) -> LoginWindow:
        from app.views.login_window import LoginWindow

        window = LoginWindow(self.profiles, default, self.lang)
        window.sign_in_requested.connect(self.login)
        window.cancel_requested.connect(self.sign_in.cancel)
        return window

    # -- flow -------------------------------------------------------------------------------

    def start(self, silent: bool = True) -> None:
        early, self._early_sign_in = self._early_sign_in, None
        if self._login is not None:
            profile = self._login.current_profile()
        else:
            key = chosen_profile(self.profiles, self._login_default)
            profile = self.profiles[key] if key is not None else None
        started = None
        if silent and early is not None and profile is not None and early.profile == profile:
            started = early.result
        # A silent sign-in that has already succeeded goes straight to the main window: the
        # sign-in window would only flash.
        if not _succeeded(started):
            self.window_state.restore("login", self.login_window)
            self.login_window.show()
        if silent and profile is not None:
            if self._login is not None:
                self._login.set_checking()
            self.sign_in.restore(profile, started=started)
            self._warm_sign_in()
            if started is None or not started.done():
                QTimer.singleShot(0, self._prepare_main_window)

    def login(self, profile: ServerProfile) -> None:
        self.login_window.set_waiting()
        self.sign_in.login(profile)
        self._warm_sign_in()

    def _prepare_main_window(self) -> None:
        """Build the main window, hidden, while the sign-in waits on the servers or the officer:
        it shows as soon as the sign-in ends instead of being built then. It holds nobody's data
        until `attach`."""
        if self._spare_window is None and self.main_window is None and self.sign_in.busy:
            self._spare_window = self._build_main_window(None)

    def _build_main_window(self, backend: Backend | None) -> MainWindow:
        from app.views.main_window import MainWindow  # loaded once a sign-in is under way

        return MainWindow(
            backend,
            self.runner,
            lang=self.lang,
            cache_dir=self.paths.cache_dir,
            preview_factory=self.preview_factory,
            window_state=self.window_state,
            open_external=self.open_external,
        )

    def _drop_spare_window(self) -> None:
        window, self._spare_window = self._spare_window, None
        if window is not None:
            window.shutdown()
            window.deleteLater()

    def _warm_sign_in(self) -> None:
        """The sign-in's last steps (ID token checks, the keyring) load on another worker while
        it waits for the provider and the officer, rather than before the sign-in window shows."""
        if self._sign_in_warmed:
            return
        self._sign_in_warmed = True
        self.runner.run(
            lambda op: warm_sign_in(), receiver=self,
            # Should it fail, the sign-in imports them itself and reports why.
            on_failure=lambda exc: log.info("loading the sign-in's modules: %r", exc),
            label="sign-in modules",
        )

    def _signed_in(self, backend: Backend) -> None:
        log.info("signed in as %s on %s", backend.user.username, backend.profile.name)
        if self._relogin and self.main_window is not None and self.backend is not None:
            self._relogin = False
            if backend.user.subject == self.backend.user.subject:
                # Same officer, fresh session: the window and what was being done stay.
                self.backend.connected = backend.connected
                if self._login is not None:
                    self._login.hide()
                # Lists that failed with the old session load again; rows and selection stay meanwhile.
                self.main_window.refresh()
                self.main_window.statusBar().showMessage(
                    QCoreApplication.translate("GuiApp", "Đã đăng nhập lại."), 5000
                )
                return
            # Another officer signed in: the old window's data is not theirs.
            self._retire_main_window()
        login = self._login
        if login is not None:
            if login.isVisible():
                self.window_state.save("login", login)
                login.hide()
            login.set_ready()
        self._open_main_window(backend)
        QTimer.singleShot(0, self.offer_pending)

    def _open_main_window(self, backend: Backend, chosen: tuple[str, str] | None = None) -> None:
        self.backend = backend
        window, self._spare_window = self._spare_window, None
        if window is None:
            window = self._build_main_window(backend)
        else:
            window.attach(backend)
        window.logout_requested.connect(self.logout)
        window.settings_requested.connect(self.open_settings)
        self.main_window = window
        window.show()
        window.choose_when_loaded(chosen)
        window.refresh()
        self.main_window_shown.emit(window)
        factory = self.preview_factory
        if isinstance(factory, PdfPreviewFactory):
            # Once the lists are in, the render worker imports PyMuPDF in its own process, so the
            # first document opens without waiting for that. Started with the lists, its imports
            # on the UI thread added to the blocks of a page of rows going in.
            self._after_lists(window, lambda: factory.renderer.start())
        if self._after_first_show:
            jobs, self._after_first_show = self._after_first_show, ()
            QTimer.singleShot(PRELOAD_DELAY_MS, lambda: self._run_jobs(jobs))
        if self._after_lists_jobs:
            # Taken when they run: a window signed out of before its lists came leaves them to the next.
            self._after_lists(window, self._run_after_lists_jobs)
        # Extensions (the signing views) need heavy libraries: import those on a worker once the
        # lists are in, so the window answers while they load, then plug the extensions in.
        # Started with the lists, the imports took the interpreter lock from the UI thread as the
        # pages arrived: 60-170 ms blocks with 10,000 dossiers, 35-50 ms once they waited.
        if self.extensions:
            self._after_lists(window, lambda: self._preload_then_install(window))

    def _after_lists(self, window: MainWindow, job: Callable[[], object]) -> None:
        """`job` once, when the window's lists have settled or PRELOAD_AT_LATEST_MS after now."""
        pending = [job]

        def run() -> None:
            if pending:
                pending.pop()()

        window.lists_settled.connect(run)
        QTimer.singleShot(PRELOAD_AT_LATEST_MS, window, run)  # not once the window is gone

    def _run_after_lists_jobs(self) -> None:
        jobs, self._after_lists_jobs = self._after_lists_jobs, ()
        self._run_jobs(jobs)

    def _run_jobs(self, jobs: Sequence[Callable[[], None]]) -> None:
        for job in jobs:
            try:
                job()
            except Exception as exc:  # noqa: BLE001 (the window stays usable without it)
                self.crash.report(exc)

    def _preload_then_install(self, window: MainWindow) -> None:
        if window is not self.main_window:
            return
        self.runner.run(
            lambda _op: warm_signing_stack(), receiver=self,
            on_success=lambda _r: self._install_extensions(window),
            on_failure=lambda _e: self._install_extensions(window),
            label="preload",
        )

    def _install_extensions(self, window: MainWindow) -> None:
        if window is not self.main_window:
            return
        for extension in self.extensions:
            try:
                extension(window, self)
            except Exception as exc:  # noqa: BLE001 (a broken extension must not block the lists)
                self.crash.report(exc)
        # Late subscribers learn what is already selected.
        if window.current_document is not None:
            window.document_selected.emit(window.current_document)
        if window.current_dossier is not None:
            window.dossier_selected.emit(window.current_dossier)
        self.extensions_installed.emit(window)

    def _sign_in_failed(self, exc: BaseException) -> None:
        if isinstance(exc, LienThongError):
            self.login_window.show_error(exc)
            if not isinstance(exc, AccountNotLinkedError):
                log.info("sign-in failed: %s %s", exc.code, exc.detail)
        else:
            self.login_window.set_ready()
            self.errors.present(exc)
        if self._relogin:
            self.login_window.show()

    def logout(self) -> None:
        backend = self.backend
        if backend is not None:
            self.runner.run(lambda op: backend.logout(), receiver=self, label="sign-out")
        # The remote-signing sessions are this officer's: whoever signs in next at this computer
        # must not sign with them.
        providers = (*self.settings.remote.values(), *self.remote_providers)
        if providers:
            keyring = self.remote_keyring
            self.runner.run(lambda op: sign_out_remote(providers, keyring), receiver=self, label="remote sign-out")
        self._retire_main_window()
        self.login_window.clear_error()
        self.login_window.set_ready()
        self.login_window.show()

    def _retire_main_window(self) -> None:
        window = self.main_window
        self.main_window, self.backend = None, None
        if window is not None:
            window.save_layout()
            window.shutdown()
            window.hide()
            # Results still on their way would reach a deleted window; delete it once idle.
            self._retired.append(window)
            self._delete_retired()

    def _delete_retired(self) -> None:
        if self.runner.active:
            return
        retired, self._retired = self._retired, []
        for window in retired:
            window.deleteLater()

    def _session_expired(self, exc: LienThongError) -> None:
        if self.main_window is None or self._relogin:
            return
        self._relogin = True
        # Whichever list noticed first, the officer reads the same thing: the session has ended.
        if not isinstance(exc, SessionExpiredError):
            exc = SessionExpiredError(exc.detail)
        self.login_window.show_error(exc)
        self.login_window.show()
        self.login_window.raise_()

    # -- pending transfers and settings -------------------------------------------------------

    def offer_pending(self) -> None:
        window, backend = self.main_window, self.backend
        if window is None or backend is None or backend.transfers is None:
            return
        self.runner.run(
            lambda op: backend.transfers.pending(), receiver=self, on_success=self._show_pending, label="pending"
        )

    def _show_pending(self, pending: list[PendingTransfer]) -> None:
        backend = self.backend
        if not pending or self.main_window is None or backend is None:
            return
        from app.views.pending_dialog import PendingDialog

        window = self.main_window
        dialog = PendingDialog(pending, self.lang, window)
        dialog.resume_requested.connect(self.resume_transfer)
        dialog.discard_requested.connect(
            lambda key: self.runner.run(lambda op: backend.transfers.discard(key), receiver=self, label="discard")
        )
        window.dialogs["pending"] = dialog
        dialog.open()

    def resume_transfer(self, key: str) -> None:
        window, backend = self.main_window, self.backend
        if window is None or backend is None:
            return
        transfers = backend.transfers

        def done(result) -> None:
            from app.domain import Dossier, IDeskDocument

            if isinstance(result, IDeskDocument):
                window.show_new_document(result)
            elif isinstance(result, Dossier):
                window.show_updated_dossier(result)

        self.runner.run(
            lambda op: transfers.resume(key, progress=op.progress, cancel=op.cancel_event),
            receiver=window,
            on_success=done,
            label="resume",
        )

    def add_settings_page(self, factory: Callable[[QWidget], QWidget], title: str) -> None:
        """Extensions add a page (e.g. the signing profile) built by `factory(parent)` to Settings."""
        self._settings_pages.append((factory, title))

    def open_settings(self):
        from app.views.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self._save_settings, self.main_window)
        for factory, title in self._settings_pages:
            dialog.add_tab(factory(dialog), title)
        if self.main_window is not None:
            self.main_window.dialogs["settings"] = dialog
        dialog.open()
        return dialog

    def _save_settings(self, settings: Settings) -> None:
        self.settings = settings
        save_settings(settings, self.paths.config_file)
        if settings.language != self.lang:
            # Once the settings dialog has closed: the window it belongs to is built again.
            QTimer.singleShot(0, lambda: self.set_language(settings.language))

    def set_language(self, lang: str) -> None:
        """Apply an interface language now: the catalog is swapped and the open windows are built
        again in it. The session stays; the main window reloads its lists and its layout."""
        if lang == self.lang:
            return
        qapp = QCoreApplication.instance()
        if qapp is not None:
            switch_language(qapp, lang)
        self.lang = lang
        self.errors.lang = lang
        self._drop_spare_window()  # built in the other language
        old = self._login
        if old is not None:
            profile = old.current_profile()
            self._login = self._build_login_window(profile.name if profile is not None else None)
            if old.isVisible():
                self.window_state.save("login", old)
                self.window_state.restore("login", self._login)
                self._login.show()
            old.hide()
            old.deleteLater()
        backend = self.backend
        if self.main_window is not None and backend is not None:
            chosen = self.main_window.chosen
            self._retire_main_window()
            self._open_main_window(backend, chosen)
        self.language_changed.emit(lang)

    @property
    def training_p12(self) -> Path | None:
        """Training mode only: a demo PKCS#12 for the signed-in user, so signing works without a token."""
        if self._training_signer is None or self.backend is None:
            return None
        return self._training_signer(self.backend.user)

    def _active_window(self):
        return QApplication.activeWindow() or self.main_window or self._login

    def shutdown(self) -> None:
        self._drop_spare_window()
        self.sign_in.cancel()
        self.runner.wait(5000)
        self.crash.uninstall()
