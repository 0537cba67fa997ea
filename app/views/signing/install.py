"""Plugs the signing views into the main window: role actions, "Ảnh ký số", the signature panel.

`install(main_window, gui_app)` is found by app.views.app.default_extensions(). The main window
is reached only through `MainWindowHost`, so the actions can be tested with any host.
"""

from __future__ import annotations

import logging
from pathlib import Path

from app.services.workflow import Province, tsa_url_for
from app.views.qt import QAction, QCoreApplication, QDialog, QSettings, QtWidgets
from app.views.signing.context import SigningContext
from app.views.signing.images import SignatureImagePage
from app.views.signing.pin import PinBroker
from app.views.signing.role_actions import SigningActions
from app.views.signing.sign_dialog import show_signature
from app.views.signing.verification_panel import VerificationPanel

log = logging.getLogger(__name__)


class MainWindowHost:
    """What the signing actions need from the main window."""

    def __init__(self, window, panel=None) -> None:
        self.w = window
        self.panel = panel  # the signature panel, told about every signed file shown

    def current_document(self):
        return self.w.current_document

    def fetch(self, ref, on_ready, on_failure=None) -> None:
        self.w.file_opener.fetch(ref, "idesk", on_ready, on_failure)

    def idesk(self):
        return self.w.backend.idesk

    def outbox(self):
        return self.w.backend.outbox

    def parent_widget(self):
        return self.w

    def organization(self) -> str:
        return getattr(self.w.backend.user, "organization", "") or ""

    def show_signed(self, path) -> None:
        self.w.open_file_preview(Path(path))
        if self.panel is not None:
            self.panel.show_file(Path(path))

    def document_changed(self, document) -> None:
        self.w.show_new_document(document)
        # The row may already be selected: reload so the actions follow the document's new step.
        self.w.load_document(document.id)

    def refresh_document(self, doc_id: str) -> None:
        self.w.load_document(doc_id)

    def refresh_list(self) -> None:
        self.w.document_loader.reload()

    def batch_candidates(self):
        """The iDesk documents in the list (summaries), for batch signing."""
        return list(self.w.document_model.rows())


def trust_dirs(settings, profile, training_dir) -> tuple[Path, ...]:
    """The officer's extra trust folder; in training mode also the demo root (never on real servers)."""
    dirs = [Path(settings.extra_trust_dir)] if settings.extra_trust_dir else []
    if profile.is_training and training_dir is not None:
        dirs.append(Path(training_dir))
    return tuple(dirs)


def build_context(main_window, gui_app) -> SigningContext:
    from app.services.render_worker import RenderWorker, placement_proposer, repairer
    from app.signing.convert import PdfConversions, available_converters
    from app.signing.modules import find_modules
    from app.signing.placement_memory import PlacementMemory
    from app.signing.token import TokenService

    settings = gui_app.settings
    paths = gui_app.paths
    modules = [m.path for m in find_modules(tuple(settings.pkcs11_modules))]
    profile = main_window.backend.profile
    # Auto-placement reads the text with MuPDF, and a repaired copy is MuPDF's rewrite of a damaged
    # file: both in a worker process of their own (started on first use), so a document that
    # crashes or hangs MuPDF costs the proposal or the copy, not the app.
    mupdf_jobs = RenderWorker()
    return SigningContext(
        runner=main_window.runner,
        broker=PinBroker(main_window, lang=gui_app.lang, parent=main_window),
        service=TokenService(modules),
        settings=QSettings(str(Path(paths.config_dir) / "signing.ini"), QSettings.Format.IniFormat),
        config_dir=Path(paths.config_dir),
        work_dir=Path(paths.data_dir) / "signed",
        tsa_url=tsa_url_for(profile),
        tsa_username=profile.tsa_username or "",
        tsa_fallback_urls=tuple(profile.tsa_fallback_urls),
        tsa_verify=profile.verify,
        tsa_plain_http_credentials=profile.tsa_plain_http_credentials,
        extra_trust_dirs=trust_dirs(settings, profile, getattr(gui_app, "training_trust_dir", None)),
        # Training mode: the demo PKCS#12 is looked up (perhaps made) when the picker scans.
        p12_path=lambda: getattr(gui_app, "training_p12", None),
        memory=PlacementMemory(Path(paths.config_dir) / "placements.json"),
        proposer=placement_proposer(mupdf_jobs),
        repairer=repairer(mupdf_jobs),
        place_name=profile.place_name,
        lang=gui_app.lang,
        user=main_window.backend.user,
        # Kept with the data, not the cache: the converted PDF is what the officer previewed and signs.
        conversions=PdfConversions(Path(paths.data_dir) / "converted", available_converters(Path(paths.data_dir))),
        remote_sources=remote_sources_for(gui_app),
        renderer=getattr(main_window.preview_factory, "renderer", None),
    )


def remote_sources_for(gui_app) -> tuple:
    """"Ký số từ xa" for each provider in the settings, and the training sandbox's service."""
    from app.views.signing.remote import RemoteSignerSource

    providers = [*gui_app.settings.remote.values(), *getattr(gui_app, "remote_providers", ())]
    return tuple(RemoteSignerSource(p, keyring_backend=getattr(gui_app, "remote_keyring", None)) for p in providers)


def open_image_settings(ctx, parent, roles) -> QDialog:
    from app.domain import Role

    dialog = QDialog(parent)
    dialog.setWindowTitle(QCoreApplication.translate("SigningInstall", "Ảnh ký số"))
    page = SignatureImagePage(ctx.config_dir, clerk=Role.CLERK in roles, parent=dialog)
    box = QtWidgets.QVBoxLayout(dialog)
    box.addWidget(page)
    page.saved.connect(lambda _images: dialog.accept())
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def install(main_window, gui_app) -> SigningActions:
    ctx = build_context(main_window, gui_app)
    roles = tuple(main_window.backend.user.roles)
    panel = VerificationPanel(ctx.runner, extra_trust_dirs=ctx.extra_trust_dirs, lang=ctx.lang, parent=main_window)
    actions = SigningActions(MainWindowHost(main_window, panel), ctx, roles,
                             province=Province.of(main_window.backend.profile), parent=main_window)
    images = QAction(QCoreApplication.translate("SigningInstall", "Ảnh ký số…"), main_window)
    images.triggered.connect(lambda _c=False: open_image_settings(ctx, main_window, roles))
    menu = QCoreApplication.translate("SigningInstall", "Ký số")
    main_window.register_actions(actions.actions() + [images], menu_title=menu, toolbar=True)
    actions.message.connect(lambda text: main_window.statusBar().showMessage(text, 8000))
    main_window.document_selected.connect(actions.update_enabled)

    panel.signature_activated.connect(
        lambda page, rect: show_signature(main_window.preview, page, rect) if main_window.preview is not None else None)
    main_window.add_detail_tab(panel, QCoreApplication.translate("SigningInstall", "Chữ ký số"))
    main_window.file_opener.opened.connect(
        lambda path, _how: panel.show_file(path) if str(path).lower().endswith(".pdf") else None)
    app = QtWidgets.QApplication.instance()
    if app is not None and ctx.service is not None:
        app.aboutToQuit.connect(ctx.service.close)
    main_window.signing_actions = actions
    main_window.signature_panel = panel
    return actions
