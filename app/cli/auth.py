"""`lienthong login`, `lienthong whoami`, `lienthong logout`: SSO sign-in from the command line.

With --profile FILE the server profile is read from that file and remembered in the settings as
the current profile; without it the current profile is used, and for the training profile the
sandbox (started in-process when none is running).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from app.cli import CliContext, Subparsers
    from app.cli.training import TrainingServers
    from app.config import ServerProfile
    from app.services.sso import OidcClient


def register(subparsers: Subparsers) -> None:
    for name, func, help_text in (
        ("login", run_login, "đăng nhập qua SSO (sign in through the SSO)"),
        ("whoami", run_whoami, "người đang đăng nhập (who is signed in)"),
        ("logout", run_logout, "đăng xuất và xóa phiên đã lưu (sign out, forget the session)"),
    ):
        parser = subparsers.add_parser(name, help=help_text)
        parser.add_argument("--profile", type=Path, help="tệp cấu hình máy chủ (server profile file, TOML)")
        if name == "login":
            parser.add_argument(
                "--no-browser",
                action="store_true",
                help="không mở trình duyệt: in địa chỉ đăng nhập rồi chờ (print the URL and wait)",
            )
            parser.add_argument("--timeout", type=float, default=300.0, help="giây chờ đăng nhập (seconds)")
        parser.set_defaults(func=func)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def open_profile(ctx: CliContext, args: argparse.Namespace) -> tuple[ServerProfile, TrainingServers | None]:
    """(profile, servers-to-stop or None). Only `login` makes a --profile file the current one."""
    from dataclasses import replace

    from app.config import TRAINING, load_profile_file, load_settings, save_settings
    from app.errors import ConfigError

    settings = load_settings(ctx.paths.config_file)
    if args.profile is not None:
        profile = load_profile_file(args.profile)
        if getattr(args, "command", None) == "login":
            profiles = {**settings.profiles, profile.name: profile}
            save_settings(replace(settings, profile=profile.name, profiles=profiles), ctx.paths.config_file)
        return profile, None
    if settings.profile != TRAINING:
        if settings.profile not in settings.profiles:
            raise ConfigError(
                f"Không có cấu hình máy chủ \"{settings.profile}\".",
                f"There is no server profile \"{settings.profile}\".",
            )
        return settings.profiles[settings.profile], None
    from app.cli.training import open_training

    servers = open_training(ctx.paths.ensure())
    return servers.profile, servers


def _client(
    ctx: CliContext, args: argparse.Namespace, browser: Callable[[str], object] | None = None
) -> tuple[OidcClient, TrainingServers | None]:
    import webbrowser

    from app.services.sso import OidcClient

    profile, servers = open_profile(ctx, args)
    return OidcClient(profile, browser=browser or webbrowser.open), servers


def run_login(ctx: CliContext, args: argparse.Namespace) -> int:
    def no_browser(url: str) -> bool:
        return False

    client, servers = _client(ctx, args, no_browser if args.no_browser else None)
    try:

        def show(url: str) -> None:
            _err(
                ctx.say(
                    "Mở địa chỉ sau trong trình duyệt để đăng nhập:",
                    "Open this address in a browser to sign in:",
                )
            )
            print(url, flush=True)

        session = client.login(timeout=args.timeout, on_url=show)
        user = session.user
        print(
            ctx.say(
                f"Đã đăng nhập: {user.full_name} ({user.username})", f"Signed in: {user.full_name} ({user.username})"
            )
        )
        if not session.remembered:
            _err(ctx.say("Không lưu được phiên vào kho mật khẩu.", "The session could not be saved in the keyring."))
        return 0
    finally:
        if servers is not None:
            servers.stop()


def run_whoami(ctx: CliContext, args: argparse.Namespace) -> int:
    from app.errors import AccountNotLinkedError, NotSignedInError
    from app.services.adapters import adapter_for

    client, servers = _client(ctx, args)
    try:
        session = client.restore()
        if session is None:
            raise NotSignedInError("no stored session")
        user = session.user
        roles = ", ".join(r.value for r in user.roles) or "-"
        print(f"{user.full_name} ({user.username})")
        print(f"{user.title} — {user.organization}")
        print(ctx.say(f"Vai trò: {roles}", f"Roles: {roles}"))
        profile = client.profile
        igate = adapter_for(profile).igate(profile.igate_url, session, timeout=profile.timeout_s, verify=profile.verify)
        try:
            igate.me()
            print(ctx.say("iGate: tài khoản đã liên kết", "iGate: account linked"))
        except AccountNotLinkedError as exc:
            print(ctx.say("iGate: chưa liên kết — ", "iGate: not linked — ") + exc.message(ctx.lang))
        return 0
    finally:
        if servers is not None:
            servers.stop()


def run_logout(ctx: CliContext, args: argparse.Namespace) -> int:
    from app.errors import LienThongError

    client, servers = _client(ctx, args)
    try:
        try:
            session = client.restore()
        except LienThongError as exc:
            # Offline: the provider cannot be told, but the stored session is still removed.
            _err(exc.message(ctx.lang))
            session = None
        if session is not None:
            session.logout()
        else:
            client.forget()
        print(ctx.say("Đã đăng xuất.", "Signed out."))
        return 0
    finally:
        if servers is not None:
            servers.stop()
