"""`lienthong gui [--profile FILE] [--training]`: the desktop app.

Without --profile the app runs against the training sandbox, started in-process under the
data folder, so an officer can practise without touching real dossiers.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from app.cli import CliContext, Subparsers
    from app.cli.training import TrainingServers
    from app.config import RemoteProvider, ServerProfile
    from app.domain import UserInfo


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("gui", help="mở ứng dụng (start the desktop app)")
    parser.add_argument("--profile", type=Path, help="server profile file (TOML); default: the training sandbox")
    parser.add_argument(
        "--training", action="store_true", help="also offer the training sandbox (default without --profile)"
    )
    parser.set_defaults(func=run)


def _training_remote(servers: TrainingServers | None) -> tuple[RemoteProvider, ...]:
    """The training sandbox's remote-signing service, as a "Ký số từ xa" provider."""
    if servers is None or not servers.csc_url:
        return ()
    from app.signing.remote.provider import training_provider

    return (training_provider(servers.csc_url, servers.profile.issuer, servers.profile.client_id),)


def training_signer(pki_dir: Path, ready: Callable[[], None] = lambda: None) -> Callable[[UserInfo], Path | None]:
    """The demo certificate matching the signed-in user's role (training sandbox only);
    `ready` returns once the demo PKI exists (it may still be in the making on a first start)."""

    def p12_for(user: UserInfo) -> Path | None:
        from app.domain import Role
        from app.sandbox.demo_pki import DemoPki

        roles = set(getattr(user, "roles", ()) or ())
        name = "seal" if Role.CLERK in roles else "leader" if Role.LEADER in roles else "specialist"
        ready()
        return DemoPki.create(pki_dir).user(name).p12_path

    return p12_for


def training_trust_dir(pki_dir: Path) -> Path:
    """A folder with the demo root and CA only (training sandbox): a trainee sees a good signature as trusted."""
    import shutil

    from app.sandbox.demo_pki import DemoPki

    pki = DemoPki.create(pki_dir)
    folder = Path(pki_dir) / "trust"
    folder.mkdir(parents=True, exist_ok=True)
    for source, name in ((pki.root_cert_path, "training-root.pem"), (pki.intermediate_cert_path, "training-ca.pem")):
        shutil.copyfile(source, folder / name)
    return folder


def training_trust_dir_later(servers: TrainingServers) -> tuple[Path, Callable[[], None]]:
    """The folder of `training_trust_dir` at once, and `start()`, which fills it on a thread once
    the demo PKI exists. The GUI starts it once its main window's lists are in: reading the demo
    PKI loads the certificate libraries, which neither the sign-in nor the lists need."""
    import threading

    def fill() -> None:
        try:
            servers.wait_pki()
        except Exception:  # noqa: BLE001 - the sandbox logged why; the trainee sees untrusted signatures
            return
        training_trust_dir(servers.pki_dir)

    def start() -> None:
        threading.Thread(target=fill, name="training-trust", daemon=True).start()

    return Path(servers.pki_dir) / "trust", start


def _with_training(
    profiles: dict[str, ServerProfile], default: str | None, servers: TrainingServers | None, chosen: bool
) -> tuple[dict[str, ServerProfile], str | None]:
    """The profiles with the training sandbox's first, and the one the sign-in window opens with:
    the training sandbox's unless a profile file was `chosen`."""
    from app.config import TRAINING

    if servers is not None:
        profiles = {TRAINING: servers.profile, **profiles}
        if not chosen:
            default = TRAINING
    if default not in profiles:
        default = next(iter(profiles), None)
    return profiles, default


def run(ctx: CliContext, args: argparse.Namespace) -> int:
    # Until the first main window shows (UiCollector.start below), no cyclic garbage collection:
    # what the start allocates lives as long as the app, and CPython's young collections walked
    # it again and again on the way to the window.
    gc.disable()
    try:
        return _run(ctx, args)
    finally:
        gc.enable()


def _run(ctx: CliContext, args: argparse.Namespace) -> int:
    from app.config import load_profile_file, load_settings
    from app.errors import ConfigError
    from app.views.logsetup import setup_logging

    paths = ctx.paths.ensure()
    setup_logging(paths.log_dir)
    training = args.training or args.profile is None
    servers_later = None
    if training:
        from app.cli.training import open_training_process

        # Reuses a running training sandbox, else starts one in a process of its own (under
        # paths.sandbox_dir), first thing: it starts while this one loads the windows.
        servers_later = open_training_process(paths)
    settings = load_settings(paths.config_file)
    lang = ctx.lang if ctx.lang != "vi" else settings.language
    profiles = dict(settings.profiles)
    default: str | None = settings.profile
    if args.profile is not None:
        profile = load_profile_file(args.profile)
        profiles[profile.name] = profile
        default = profile.name

    if not training and not profiles:
        raise ConfigError("Chưa có cấu hình máy chủ nào.", "No server profile is configured.")

    import webbrowser  # pulls in subprocess; every other command builds this parser too

    from app.services.compose import connector
    from app.services.sso.idtoken import warm as load_sign_in_modules
    from app.views.backend import start_silent_sign_in

    services = connector(paths, browser=webbrowser.open)

    # Most starts sign in silently, and the keyring is the first thing that needs: its modules
    # and the ID token checks load here, before Qt, because PySide6 reads the source of every
    # module imported after it. The sign-in window shows a little later, the main window sooner.
    load_sign_in_modules()
    # The silent sign-in starts now, when the profile it is for is already known: the provider
    # and iGate answer while Qt and the windows load.
    known = servers_later.known if servers_later is not None else None
    early = None
    if servers_later is None or known is not None or args.profile is not None:
        first_profiles, first = _with_training(profiles, default, known, args.profile is not None)
        if first is not None:
            early = start_silent_sign_in(services, first_profiles[first])
    from app.views.app import GuiApp, create_qapplication, default_extensions, default_preview_factory
    from app.views.collector import UiCollector

    qapp = create_qapplication(sys.argv[:1], lang)
    collector = UiCollector(qapp)
    servers = servers_later() if servers_later is not None else None
    profiles, default = _with_training(profiles, default, servers, args.profile is not None)
    trust_dir, fill_trust_dir = training_trust_dir_later(servers) if servers is not None else (None, None)
    gui = GuiApp(
        paths,
        settings.with_language(lang),
        profiles,
        services,
        default_profile=default,
        preview_factory=default_preview_factory(),
        extensions=default_extensions(),
        # The same demo PKI the training TSA/OCSP/CRL server answers for.
        training_signer=training_signer(servers.pki_dir, servers.wait_pki) if servers is not None else None,
        training_trust_dir=trust_dir,
        after_first_show=(collector.start,),
        # Reading the demo PKI imports the certificate libraries: with 10,000 dossiers arriving,
        # that held the UI thread up to 100 ms at a time.
        after_lists=(fill_trust_dir,) if fill_trust_dir is not None else (),
        remote_providers=_training_remote(servers),
        early_sign_in=early,
    )
    gui.start()
    try:
        return int(qapp.exec())
    finally:
        collector.stop()
        gui.shutdown()
        if servers is not None:
            servers.stop()
