"""The signer behind `lienthong sign`: a token login (PIN from an env var or a prompt) or a .p12."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from typing import TYPE_CHECKING, Callable, Iterator

from app.errors import BadInputError
from app.signing.token_errors import PinIncorrectError, TokenNotFoundError

if TYPE_CHECKING:
    from app.cli import CliContext
    from app.signing.opened import OpenedSigner
    from app.signing.token import PinRequest, TokenInfo, TokenService
    pass

SIGNING_USAGES = ("non_repudiation", "content_commitment", "digital_signature")


def token_service(ctx: CliContext, args: argparse.Namespace) -> TokenService:
    from app.signing.token import TokenService

    # Explicit modules replace the search, so a wrong path is reported rather than skipped;
    # otherwise the modules configured in Settings come before the known driver locations.
    modules = [str(m) for m in args.module] or _found_modules(ctx)
    if not modules:
        raise TokenNotFoundError(detail="no PKCS#11 module found; use --module")
    return TokenService(modules)


def _found_modules(ctx: CliContext) -> list[str]:
    from app.config import load_settings
    from app.signing.modules import find_modules

    return [c.path for c in find_modules(load_settings(ctx.paths.config_file).pkcs11_modules)]


class PinSource:
    """Answers the token's PIN requests: the env var once, else an interactive prompt."""

    def __init__(
        self, ctx: CliContext, env_var: str | None, prompt: Callable[[str], str] = getpass.getpass
    ) -> None:
        self.ctx = ctx
        self.env_var = env_var
        self.prompt = prompt
        self.asked = 0

    def __call__(self, request: PinRequest) -> str | None:
        self.asked += 1
        warning = getattr(request, "warning", None)
        if warning == "final_try":
            print(self.ctx.say(
                "Cảnh báo: token chỉ còn MỘT lần nhập PIN; nhập sai lần này token sẽ bị khóa.",
                "Warning: the token allows ONE more PIN try; a wrong PIN now locks it.",
            ), file=sys.stderr)
        elif warning == "count_low":
            print(self.ctx.say(
                "Cảnh báo: token báo đã có lần nhập sai PIN; còn ít lần thử trước khi bị khóa.",
                "Warning: the token reports wrong PINs before; few tries are left before it locks.",
            ), file=sys.stderr)
        tries = getattr(request, "tries_left", None)
        if self.env_var:
            if self.asked > 1:
                # The PIN from the environment was refused; asking again would only lock the token.
                raise PinIncorrectError(tries_left=tries)
            pin = os.environ.get(self.env_var)
            if pin is None:
                raise BadInputError(f"Biến môi trường {self.env_var} (mã PIN) chưa được đặt.",
                                    f"Environment variable {self.env_var} (the PIN) is not set.")
            return pin
        label = getattr(request, "token_label", "")
        try:
            pin = self.prompt(self.ctx.say(f"Mã PIN của token \"{label}\": ", f"PIN of token \"{label}\": "))
        except EOFError:
            return None
        return pin or None


def _pick_token(ctx: CliContext, service: TokenService, wanted: str | None) -> TokenInfo:
    tokens = service.list_tokens()
    if wanted:
        for token in tokens:
            if token.label == wanted:
                return token
        raise TokenNotFoundError(wanted)
    if not tokens:
        raise TokenNotFoundError()
    if len(tokens) > 1:
        names = ", ".join(f"\"{t.label}\"" for t in tokens)
        raise BadInputError(f"Có nhiều token ({names}); hãy chọn bằng --token.",
                            f"Several tokens are plugged in ({names}); choose one with --token.")
    return tokens[0]


def _pick_cert(service: TokenService, token: TokenInfo, wanted: str | None) -> str:
    if wanted:
        return wanted
    certs = service.list_certificates(token)
    usable = [c for c in certs if any(u in (c.key_usage or ()) for u in SIGNING_USAGES)] or certs
    if len(usable) == 1:
        return usable[0].label or usable[0].id_hex
    names = ", ".join(f"\"{c.label}\"" for c in usable) or "-"
    raise BadInputError(f"Token có nhiều chứng thư ({names}); hãy chọn bằng --cert.",
                        f"The token holds several certificates ({names}); choose one with --cert.")


@contextlib.contextmanager
def open_signer_for(ctx: CliContext, args: argparse.Namespace) -> Iterator[OpenedSigner]:
    """Yield the opened key for the whole command: one login serves every file of a batch."""
    if getattr(args, "remote", None):
        from app.cli.remote import open_remote_signer_for

        if args.p12:
            raise BadInputError("Chỉ dùng một trong --remote hoặc --p12.", "Use either --remote or --p12, not both.")
        with open_remote_signer_for(ctx, args) as remote:
            yield remote
        return
    if args.p12:
        from app.signing.soft_signer import open_soft_signer

        if not args.p12.is_file():
            raise BadInputError(f"Không tìm thấy tệp khóa: {args.p12}", f"Key file not found: {args.p12}")
        passphrase = os.environ.get(args.p12_pass_env) if args.p12_pass_env else None
        if passphrase is None:
            passphrase = getpass.getpass(ctx.say(f"Mật khẩu tệp {args.p12.name}: ",
                                                 f"Password of {args.p12.name}: "))
        with open_soft_signer(args.p12, passphrase) as soft:
            yield soft
        return
    service = token_service(ctx, args)
    try:
        token = _pick_token(ctx, service, args.token)
        cert = _pick_cert(service, token, args.cert)
        # The service checks the certificate and the lock state before asking for the PIN.
        with service.open_signer(token, cert, PinSource(ctx, args.pin_env)) as opened:
            if getattr(args, "pss", False) and not opened.use_pss():
                print(ctx.say("Token không hỗ trợ RSASSA-PSS; ký bằng PKCS#1 v1.5.",
                              "The token does not offer RSASSA-PSS; signing with PKCS#1 v1.5."), file=sys.stderr)
            yield opened
    finally:
        service.close()
