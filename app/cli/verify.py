"""`lienthong verify FILE.pdf [--json] [--trust-dir DIR]`: check every signature in a PDF."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from app.cli import collector_paused, exit_codes
from app.errors import BadInputError, LienThongError

if TYPE_CHECKING:
    from app.cli import CliContext, Subparsers

EPILOG = """\
exit codes / mã thoát:
  0    every signature is intact and trusted, no unpermitted change (mọi chữ ký hợp lệ)
  2    bad input: missing file, not a PDF, damaged, wrong password (tệp đầu vào không dùng được)
  4    a signature is invalid, changed, untrusted, or the file is unsigned (chữ ký không hợp lệ)
"""


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="kiểm tra chữ ký số trong tệp PDF (verify the signatures in a PDF)",
        description="Kiểm tra mọi chữ ký số trong tệp PDF: toàn vẹn, thay đổi sau khi ký, độ tin "
                    "cậy của chứng thư số, dấu thời gian. / Check every signature in a PDF.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", type=Path, help="tệp PDF cần kiểm tra (the PDF to check)")
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON (print JSON)")
    parser.add_argument("--trust-dir", type=Path, action="append", default=[],
                        help="thư mục chứng thư tin cậy bổ sung, lặp lại được "
                             "(extra folder of trusted .pem/.cer/.crt; repeatable)")
    parser.add_argument("--password-env", metavar="VAR",
                        help="biến môi trường chứa mật khẩu PDF (env var holding the PDF password)")
    parser.add_argument("--online", action="store_true",
                        help="tải CRL/OCSP qua mạng để kiểm tra thu hồi (fetch revocation data online)")
    parser.set_defaults(func=run)


def trust_dirs(ctx: CliContext, given: Sequence[Path] | None) -> list[Path]:
    """Folders from the command line plus the administrator's `extra_trust_dir` setting."""
    from app.config import load_settings

    settings = load_settings(ctx.paths.config_file)
    dirs = list(given or ())
    if settings.extra_trust_dir:
        dirs.append(Path(settings.extra_trust_dir))
    return dirs


def run(ctx: CliContext, args: argparse.Namespace) -> int:
    exit_codes.quiet_pyhanko_logs()
    try:
        with collector_paused():
            return _verify(ctx, args)
    except LienThongError as exc:
        if args.json:
            import json

            # Scripts reading stdout get a parseable answer for bad input too.
            print(json.dumps({"error": exc.code, "message_vi": exc.message_vi, "message_en": exc.message_en,
                              "detail": exc.detail}, ensure_ascii=False))
        return exit_codes.report_error(exc, ctx.lang)


def _verify(ctx: CliContext, args: argparse.Namespace) -> int:
    from app.signing.trust import TrustStore
    from app.signing.verify import verify_pdf

    password = None
    if args.password_env:
        password = os.environ.get(args.password_env)
        if password is None:
            raise BadInputError(
                f"Biến môi trường {args.password_env} chưa được đặt.",
                f"Environment variable {args.password_env} is not set.",
            )
    trust = TrustStore.default(trust_dirs(ctx, args.trust_dir))
    for problem in trust.problems:
        print(ctx.say(problem.message_vi, problem.message_en), file=sys.stderr)
    report = verify_pdf(args.file, trust, password=password, allow_fetching=args.online)
    if args.json:
        print(report.to_json())
    else:
        print(report.describe(ctx.lang))
    return exit_codes.OK if report.all_valid else exit_codes.INVALID_SIGNATURE
