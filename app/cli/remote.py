"""`lienthong remote login|logout|list PROVIDER`, and the remote signer behind `sign --remote`.

A provider is a `[remote.NAME]` table of the settings; "training" is the sandbox's service.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import signal
import sys
import threading
import webbrowser
from typing import TYPE_CHECKING, Callable, Iterator

if TYPE_CHECKING:
    from types import FrameType

    from app.cli import CliContext, Subparsers
    from app.config import RemoteProvider
    from app.signing.remote.csc_client import CredentialInfo
    from app.signing.remote.errors import RemoteOtpError
    from app.signing.remote.signer import RemoteSigner, WaitState


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "remote", help="ký số từ xa: đăng nhập nhà cung cấp (remote signing provider sign-in)")
    actions = parser.add_subparsers(dest="remote_action", metavar="ACTION")
    login = actions.add_parser("login", help="đăng nhập dịch vụ ký số từ xa (sign in to the provider)")
    login.add_argument("provider", help="tên dịch vụ trong cấu hình, hoặc training (provider name)")
    login.add_argument("--no-browser", action="store_true",
                       help="không mở trình duyệt: in địa chỉ đăng nhập rồi chờ (print the URL and wait)")
    login.add_argument("--timeout", type=float, default=300.0, help="giây chờ đăng nhập (seconds)")
    login.set_defaults(func=run_login)
    logout = actions.add_parser("logout", help="đăng xuất dịch vụ ký số từ xa (sign out)")
    logout.add_argument("provider")
    logout.set_defaults(func=run_logout)
    listing = actions.add_parser("list", help="liệt kê chứng thư ký số từ xa (list credentials)")
    listing.add_argument("provider")
    listing.set_defaults(func=run_list)
    def show_help(ctx: CliContext, args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    parser.set_defaults(func=show_help)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


@contextlib.contextmanager
def provider_for(ctx: CliContext, name: str) -> Iterator[RemoteProvider]:
    """The configured provider `name`; "training" (unless configured) is the sandbox's, whose
    servers are reused when running, else started for the command."""
    from app.config import load_settings
    from app.errors import ConfigError
    from app.signing.remote.provider import TRAINING, training_provider

    settings = load_settings(ctx.paths.config_file)
    if name in settings.remote:
        yield settings.remote[name]
        return
    if name != TRAINING:
        known = ", ".join(sorted([*settings.remote, TRAINING]))
        raise ConfigError(f"Không có dịch vụ ký số từ xa \"{name}\" trong cấu hình (có: {known}).",
                          f"There is no remote signing provider \"{name}\" in the settings (known: {known}).")
    from app.cli.training import open_training

    servers = open_training(ctx.paths.ensure())
    try:
        yield training_provider(servers.csc_url, servers.profile.issuer, servers.profile.client_id)
    finally:
        servers.stop()


def run_login(ctx: CliContext, args: argparse.Namespace) -> int:
    from app.signing.remote.provider import sign_in

    def show(url: str) -> None:
        _err(ctx.say("Mở địa chỉ sau trong trình duyệt để đăng nhập:", "Open this address in a browser to sign in:"))
        print(url, flush=True)

    with provider_for(ctx, args.provider) as provider:
        browser: Callable[[str], object] = (lambda url: False) if args.no_browser else webbrowser.open
        session = sign_in(provider, timeout=args.timeout, on_url=show, browser=browser)
        user = session.user
        print(ctx.say(f"Đã đăng nhập {provider.label}: {user.full_name} ({user.username})",
                      f"Signed in to {provider.label}: {user.full_name} ({user.username})"))
        if not session.remembered:
            _err(ctx.say("Không lưu được phiên vào kho mật khẩu.", "The session could not be saved in the keyring."))
    return 0


def run_logout(ctx: CliContext, args: argparse.Namespace) -> int:
    from app.signing.remote.provider import sign_out

    with provider_for(ctx, args.provider) as provider:
        sign_out(provider)
    print(ctx.say("Đã đăng xuất.", "Signed out."))
    return 0


def run_list(ctx: CliContext, args: argparse.Namespace) -> int:
    from app.signing.remote.provider import csc_client, list_credentials, restore_session

    with provider_for(ctx, args.provider) as provider:
        client = csc_client(provider, restore_session(provider))
        for info in list_credentials(client):
            leaf = info.certificates[0].subject.native
            pss = ", RSASSA-PSS" if info.supports_pss else ""
            print(f"{info.credential_id}: {leaf.get('common_name', '')}"
                  + ctx.say(f" (tối đa {info.multisign} chữ ký mỗi lần xác nhận{pss})",
                            f" (up to {info.multisign} signatures per confirmation{pss})"))
    return 0


class CliConfirmation:
    """The wait on the terminal: the fingerprint once, then the time left every 30 seconds."""

    def __init__(self, ctx: CliContext, *, step_s: int = 30) -> None:
        self.ctx = ctx
        self.step_s = step_s
        self._shown: tuple[str, int] | None = None
        self.in_wait = False

    def waiting(self, state: WaitState) -> None:
        self.in_wait = True
        bucket = int(state.remaining_s) // self.step_s
        if self._shown is not None and self._shown == (state.fingerprint, bucket):
            return
        first = self._shown is None or self._shown[0] != state.fingerprint
        self._shown = (state.fingerprint, bucket)
        if first:
            _err(self.ctx.say(
                f"Đang chờ xác nhận trên điện thoại… mã yêu cầu {state.fingerprint} "
                f"({state.signatures} chữ ký), còn {state.remaining_text}",
                f"Waiting for confirmation on the phone… request code {state.fingerprint} "
                f"({state.signatures} signatures), {state.remaining_text} left"))
        else:
            _err(self.ctx.say(f"… còn {state.remaining_text}", f"… {state.remaining_text} left"))

    def finished(self) -> None:
        self._shown = None
        self.in_wait = False

    def ask_otp(self, credential: CredentialInfo, error: RemoteOtpError | None = None) -> str | None:
        if error is None:
            _err(self.ctx.say("Mã OTP đã được gửi tới điện thoại của bạn.", "An OTP was sent to your phone."))
        elif error.expired:
            _err(self.ctx.say("Mã OTP đã hết hạn; một mã mới đã được gửi.", "The OTP expired; a new one was sent."))
        else:
            _err(self.ctx.say("Mã OTP không đúng. Hãy nhập lại.", "The OTP is wrong. Enter it again."))
        prompt = self.ctx.say("Mã OTP: ", "OTP: ")
        try:
            if sys.stdin.isatty():
                code = getpass.getpass(prompt)
            else:
                code = sys.stdin.readline()
        except EOFError:
            code = ""
        if not code.strip() and error is not None:
            raise error  # nothing more to read: the refused code is the outcome (exit code 3)
        return code.strip() or None


@contextlib.contextmanager
def ctrl_c_sets(cancel: threading.Event, confirmation: CliConfirmation) -> Iterator[None]:
    """Ctrl+C during the wait for the phone sets `cancel` (the remote signer then withdraws its
    request at the provider and stops); elsewhere, or pressed again, it interrupts at once.
    Without this, the asyncio runner inside pyHanko would take the first Ctrl+C and the wait
    would go on."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if cancel.is_set() or not confirmation.in_wait:
            raise KeyboardInterrupt
        cancel.set()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def open_remote_signer_for(ctx: CliContext, args: argparse.Namespace) -> Iterator[RemoteSigner]:
    """The remote signer of `sign --remote PROVIDER` for the whole command."""
    from app.signing.remote.provider import open_remote_signer, restore_session

    cancel = threading.Event()
    with provider_for(ctx, args.remote) as provider:
        session = restore_session(provider)
        pss = True if getattr(args, "pss", False) else None
        confirmation = CliConfirmation(ctx)
        with ctrl_c_sets(cancel, confirmation), open_remote_signer(provider, session, confirmation,
                                                     credential=args.credential or "", pss=pss,
                                                     cancel=cancel) as signer:
            yield signer
