"""`lienthong sign`: sign one PDF, or many with one PIN login, with a USB token or a .p12 file."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from app.cli import collector_paused, exit_codes
from app.errors import BadInputError, LienThongError
from app.fileio import same_file

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer
    from pyhanko_certvalidator import ValidationContext

    from app.cli import CliContext, Subparsers
    from app.signing.geometry import Placement
    from app.signing.options import AppearanceOptions, Profile, SigningRequest, SigningResult, TsaConfig
    from app.signing.token import TokenService

SHOW_KEYS = ("image", "signer", "time", "org", "email")
PROFILES = ("leader", "seal", "initials", "appendix", "copy")
# Default box for --auto, in points (width, height): about 6 x 3 cm for a leader's signature.
AUTO_BOX = {"leader": (170.0, 85.0), "seal": (102.0, 102.0), "initials": (60.0, 30.0),
            "appendix": (170.0, 45.0), "copy": (170.0, 45.0)}

EPILOG = """\
exit codes / mã thoát:
  0    signed (đã ký)
  2    bad input: file, PDF, password or arguments (đầu vào không dùng được)
  3    token problem: wrong PIN, token missing/locked/removed, certificate rejected (lỗi token)
  4    the new signature did not verify (chữ ký vừa tạo không hợp lệ)
  5    TSA or another service unreachable (không kết nối được TSA / dịch vụ)
  130  cancelled (đã hủy)

examples / ví dụ:
  lienthong sign --list-tokens
  lienthong sign to-trinh.pdf -o to-trinh-da-ky.pdf --page 1 --rect 330,600,520,700 \\
      --image chu-ky.png --pin-env TOKEN_PIN --tsa http://tsa.ca.gov.vn
  lienthong sign --batch a.pdf b.pdf c.pdf --out-dir da-ky --profile appendix --doc-number 05/KH-STTTT
"""


def register(subparsers: Subparsers) -> None:
    p = subparsers.add_parser(
        "sign",
        help="ký số tệp PDF bằng USB token (sign PDFs with a USB token)",
        description="Ký số PAdES tệp PDF bằng USB token (PKCS#11) hoặc tệp .p12 dùng để tập huấn. "
                    "/ PAdES-sign PDFs with a USB token (PKCS#11) or a training .p12 file.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("inputs", nargs="*", type=Path, metavar="IN.pdf", help="tệp cần ký (files to sign)")
    p.add_argument("-o", "--output", type=Path, help="tệp kết quả (output file)")
    p.add_argument("--batch", action="store_true", help="ký nhiều tệp, đăng nhập token một lần (many files, one login)")
    p.add_argument("--out-dir", type=Path, help="thư mục kết quả khi ký nhiều tệp (output folder for --batch)")
    where = p.add_argument_group("vị trí / placement")
    where.add_argument("--page", type=int, default=1, help="trang, đánh số từ 1 (1-based page)")
    where.add_argument("--pages", help="nhiều trang, ví dụ 1,3 (several pages, e.g. 1,3)")
    where.add_argument("--rect", help="X0,Y0,X1,Y1 theo điểm, gốc trên-trái của trang đang hiển thị "
                                      "(points, top-left origin of the displayed page)")
    where.add_argument("--auto", action="store_true", help="tự chọn vị trí (place automatically)")
    where.add_argument("--all-pages", action="store_true", help="hiện trên mọi trang (show on all pages)")
    look = p.add_argument_group("hiển thị / appearance")
    look.add_argument("--profile", choices=PROFILES, default="leader")
    look.add_argument("--image", type=Path, help="ảnh chữ ký PNG (signature image)")
    look.add_argument("--show", help="image,signer,time,org,email")
    look.add_argument("--font-size", type=float)
    look.add_argument("--number", help="số văn bản cho văn thư, ví dụ 05/KH-STTTT (clerk: number)")
    look.add_argument("--date", help="ngày ban hành YYYY-MM-DD hoặc DD/MM/YYYY (clerk: release date)")
    look.add_argument("--place", help="địa danh ghi ở dòng ngày tháng (place name on the date line)")
    look.add_argument("--doc-number", help="số, ký hiệu văn bản (appendix: document number)")
    look.add_argument("--copy-form", help="hình thức sao, ví dụ SAO Y (copy: copy form)")
    look.add_argument("--copy-org", help="cơ quan sao (copy: copying organization)")
    look.add_argument("--reason", default="", help="lý do ký (reason)")
    look.add_argument("--location", default="", help="nơi ký (location)")
    tok = p.add_argument_group("token / chứng thư")
    tok.add_argument("--list-tokens", action="store_true", help="liệt kê token và chứng thư (list tokens)")
    tok.add_argument("--module", action="append", default=[], help="thư viện PKCS#11, lặp lại được (repeatable)")
    tok.add_argument("--token", help="nhãn token (token label)")
    tok.add_argument("--cert", help="nhãn hoặc ID hex của chứng thư (certificate label or hex id)")
    tok.add_argument("--pin-env", metavar="VAR", help="biến môi trường chứa PIN (env var holding the PIN)")
    tok.add_argument("--p12", type=Path, help="tệp .p12 để tập huấn (training software key)")
    tok.add_argument("--p12-pass-env", metavar="VAR", help="biến môi trường chứa mật khẩu .p12")
    rem = p.add_argument_group("ký số từ xa / remote signing")
    rem.add_argument("--remote", metavar="PROVIDER",
                     help="ký bằng dịch vụ ký số từ xa trong cấu hình, hoặc training "
                          "(sign with a configured remote signing provider, or training)")
    rem.add_argument("--credential", help="ID chứng thư ở dịch vụ ký từ xa (remote credential ID)")
    rem.add_argument("--pss", action="store_true",
                     help="dùng RSASSA-PSS nếu token/dịch vụ hỗ trợ (use RSASSA-PSS when supported)")
    ts = p.add_argument_group("dấu thời gian / timestamp")
    ts.add_argument("--tsa", action="append",
                    help="máy chủ TSA RFC 3161, ví dụ http://tsa.ca.gov.vn; lặp lại để có máy chủ dự phòng, "
                         "thử lần lượt (repeat for fallback servers, tried in order)")
    ts.add_argument("--tsa-user")
    ts.add_argument("--tsa-password-env", metavar="VAR")
    ts.add_argument("--tsa-timeout", type=float, default=60.0, help="giây (seconds)")
    ts.add_argument("--ca-bundle", metavar="PEM",
                    help="chứng thư CA cho TSA, OCSP, CRL qua https (CA bundle for https TSA, OCSP and CRL)")
    ts.add_argument("--tsa-plain-http-credentials", action="store_true",
                    help="cho phép gửi tài khoản TSA qua http không mã hóa (allow the TSA account over plain http)")
    ts.add_argument("--ltv", action="store_true",
                    help="nhúng dữ liệu thu hồi (OCSP/CRL) để đạt PAdES B-LT; cần --tsa "
                         "(embed revocation data for PAdES B-LT; needs --tsa)")
    ts.add_argument("--trust-dir", type=Path, action="append", default=[],
                    help="chứng thư tin cậy bổ sung cho --ltv (extra trust folder for --ltv)")
    p.add_argument("--password-env", metavar="VAR", help="biến môi trường chứa mật khẩu PDF (PDF password)")
    p.add_argument("--repair", action="store_true",
                   help="tệp hỏng chưa có chữ ký: ký một bản sửa lại, tệp gốc giữ nguyên "
                        "(damaged unsigned file: sign a repaired copy, the original is kept)")
    p.set_defaults(func=run)


def run(ctx: CliContext, args: argparse.Namespace) -> int:
    exit_codes.quiet_pyhanko_logs()
    try:
        if args.list_tokens:
            return _list_tokens(ctx, args)
        with contextlib.nullcontext() if args.batch else collector_paused():
            return _sign(ctx, args)
    except LienThongError as exc:
        code = exit_codes.report_error(exc, ctx.lang)
        if exc.code == "corrupt_pdf" and not args.repair:
            print(ctx.say("Nếu tệp chưa có chữ ký, có thể ký một bản sửa lại (tệp gốc giữ nguyên): thêm --repair.",
                          "If the file has no signature yet, a repaired copy can be signed (the original is "
                          "kept): add --repair."), file=sys.stderr)
        return code


def bad(vi: str, en: str, detail: str = "") -> BadInputError:
    return BadInputError(vi, en, detail=detail)


def env_value(var: str | None, what_vi: str, what_en: str) -> str | None:
    if not var:
        return None
    value = os.environ.get(var)
    if value is None:
        raise bad(f"Biến môi trường {var} ({what_vi}) chưa được đặt.",
                  f"Environment variable {var} ({what_en}) is not set.")
    return value


def parse_rect(text: str) -> tuple[float, float, float, float]:
    try:
        x0, y0, x1, y1 = (float(v) for v in text.replace(" ", "").split(","))
    except ValueError:
        raise bad(f"--rect không hợp lệ: \"{text}\". Cần 4 số X0,Y0,X1,Y1.",
                  f"Invalid --rect \"{text}\": expected four numbers X0,Y0,X1,Y1.") from None
    if x1 <= x0 or y1 <= y0:
        raise bad("--rect phải có X1 > X0 và Y1 > Y0.", "--rect needs X1 > X0 and Y1 > Y0.")
    return x0, y0, x1, y1


def parse_pages(args: argparse.Namespace) -> list[int]:
    """0-based page indexes from --pages or --page."""
    text = args.pages or str(args.page)
    try:
        pages = [int(v) for v in text.replace(" ", "").split(",") if v]
    except ValueError:
        raise bad(f"Số trang không hợp lệ: \"{text}\".", f"Invalid page number(s): \"{text}\".") from None
    if not pages or min(pages) < 1:
        raise bad("Số trang đánh từ 1.", "Pages are numbered from 1.")
    return [n - 1 for n in pages]


def parse_date(text: str | None) -> date | None:
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise bad(f"Ngày không hợp lệ: \"{text}\" (dùng YYYY-MM-DD hoặc DD/MM/YYYY).",
              f"Invalid date \"{text}\" (use YYYY-MM-DD or DD/MM/YYYY).")


def appearance_options(args: argparse.Namespace) -> AppearanceOptions:
    from app.signing.options import AppearanceOptions

    kwargs: dict[str, Any] = {}
    if args.show is not None:
        chosen = {s.strip() for s in args.show.split(",") if s.strip()}
        unknown = chosen - set(SHOW_KEYS)
        if unknown:
            raise bad(f"--show không hiểu: {', '.join(sorted(unknown))}.",
                      f"Unknown --show item(s): {', '.join(sorted(unknown))}.")
        kwargs.update({f"show_{k}": k in chosen for k in SHOW_KEYS})
    if args.image is not None:
        if not args.image.is_file():
            raise bad(f"Không tìm thấy ảnh chữ ký: {args.image}", f"Signature image not found: {args.image}")
        kwargs["image_path"] = args.image
    if args.font_size is not None:
        kwargs["font_size"] = args.font_size
    for key in ("doc_number", "copy_form", "copy_org"):
        if getattr(args, key):
            kwargs["document_number" if key == "doc_number" else key] = getattr(args, key)
    return AppearanceOptions(**kwargs)


def placements_for(args: argparse.Namespace, pdf_path: Path, profile: Profile) -> tuple[Placement, ...]:
    from app.signing.geometry import Placement

    if args.rect and args.auto:
        raise bad("Chỉ dùng một trong --rect hoặc --auto.", "Use either --rect or --auto, not both.")
    if args.rect:
        rect = parse_rect(args.rect)
        return tuple(Placement(page, rect) for page in parse_pages(args))
    if args.auto and profile.value != "leader":
        return ()  # the engine places the seal, appendix, copy and initials by rule
    if args.auto:
        from app.signing.autoplace import propose_placement
        from app.signing.pdfopen import check_header

        with open(pdf_path, "rb") as fh:
            check_header(fh.read(1024), pdf_path.name)  # "not a PDF" beats "no place found"
        found = propose_placement(pdf_path, profile, AUTO_BOX[profile.value])
        if found is None:
            raise bad("Không tự tìm được vị trí ký; hãy chỉ định --page và --rect.",
                      "Could not find a place for the signature; give --page and --rect.")
        return (found,)
    # Profiles placed by rule (seal beside the leader's, appendix and copy top right) need none.
    return ()


def build_request(
    args: argparse.Namespace, input_path: Path, output_path: Path, *, tsa: TsaConfig | None, pdf_password: str | None
) -> SigningRequest:
    from app.signing.options import Profile, SigningRequest

    if not Path(input_path).is_file():
        raise bad(f"Không tìm thấy tệp: {input_path}", f"File not found: {input_path}")
    if same_file(Path(input_path), Path(output_path)):
        raise bad("Tệp kết quả phải khác tệp gốc.", "The output file must differ from the input file.")
    profile = Profile(args.profile)
    kwargs: dict[str, Any] = dict(
        input_path=Path(input_path), output_path=Path(output_path), profile=profile,
        placements=placements_for(args, Path(input_path), profile), options=appearance_options(args),
        tsa=tsa, reason=args.reason, location=args.location, pdf_password=pdf_password,
        number=args.number, release_date=parse_date(args.date), all_pages=args.all_pages,
        repair_damaged=args.repair,
    )
    if args.place:
        kwargs["place_name"] = args.place
    return SigningRequest(**kwargs)


def tsa_config(args: argparse.Namespace) -> TsaConfig | None:
    from app.signing.options import TsaConfig

    if not args.tsa:
        return None
    password = env_value(args.tsa_password_env, "mật khẩu TSA", "TSA password")
    first, *fallbacks = args.tsa
    return TsaConfig(url=first, username=args.tsa_user, password=password, timeout_s=args.tsa_timeout,
                     fallback_urls=tuple(fallbacks), verify=args.ca_bundle or True,
                     plain_http_credentials=args.tsa_plain_http_credentials)


def _sign(ctx: CliContext, args: argparse.Namespace) -> int:
    from app.cli.sign_signer import open_signer_for

    if not args.inputs:
        raise bad("Hãy chỉ định tệp PDF cần ký.", "Give the PDF file(s) to sign.")
    if not args.batch and len(args.inputs) > 1:
        raise bad("Nhiều tệp cần --batch và --out-dir.", "Several files need --batch and --out-dir.")
    if args.batch and not args.out_dir:
        raise bad("--batch cần --out-dir.", "--batch needs --out-dir.")
    names = [p.name for p in args.inputs]
    if len(set(names)) != len(names):
        raise bad("Các tệp cần ký trùng tên; kết quả sẽ ghi đè nhau trong --out-dir.",
                  "Several input files share a name; their outputs would overwrite each other in --out-dir.")
    tsa = tsa_config(args)
    if args.ltv and tsa is None:
        raise bad("--ltv cần --tsa.", "--ltv needs --tsa.")
    pdf_password = env_value(args.password_env, "mật khẩu PDF", "PDF password")
    if not args.batch:
        out = args.output or args.inputs[0].with_name(args.inputs[0].stem + "-da-ky.pdf")
        request = build_request(args, args.inputs[0], out, tsa=tsa, pdf_password=pdf_password)
        with open_signer_for(ctx, args) as opened:
            from app.signing.pades import sign_document

            vc = _ltv_context(ctx, args) if args.ltv else None
            _print_result(ctx, sign_document(request, opened.signer, validation_context=vc))
        return exit_codes.OK
    args.out_dir.mkdir(parents=True, exist_ok=True)
    requests, refused = [], []
    for path in args.inputs:
        # A file whose request cannot be built (e.g. no place found) fails alone, like in signing.
        try:
            requests.append(build_request(args, path, args.out_dir / path.name, tsa=tsa,
                                          pdf_password=pdf_password))
        except BadInputError as exc:
            refused.append((path, exc))
    worst = _report_failures(ctx, refused)
    if requests:
        with open_signer_for(ctx, args) as opened:
            # A remote credential confirms the whole batch once where the provider allows it.
            opened.authorize_batch(len(requests))
            vc = _ltv_context(ctx, args) if args.ltv else None
            worst = _run_batch(ctx, requests, opened.signer, vc, worst, len(args.inputs))
    return worst


def _ltv_context(ctx: CliContext, args: argparse.Namespace) -> ValidationContext:
    """Revocation data is fetched online for B-LT; the engine falls back to B-T when it cannot be."""
    from app.cli.verify import trust_dirs
    from app.signing.trust import TrustStore

    return TrustStore.default(trust_dirs(ctx, args.trust_dir)).validation_context(
        allow_fetching=True, verify=args.ca_bundle or True)


def _print_result(ctx: CliContext, result: SigningResult) -> None:
    print(ctx.say(
        f"Đã ký: {result.output_path} (PAdES {result.level}, trường {result.field_name}, "
        f"SHA-256 {result.sha256[:16]}…)",
        f"Signed: {result.output_path} (PAdES {result.level}, field {result.field_name}, "
        f"SHA-256 {result.sha256[:16]}…)",
    ))
    if result.tsa_url:
        print(ctx.say(f"Dấu thời gian từ: {result.tsa_url}", f"Timestamped by: {result.tsa_url}"))
    for warning in result.warnings:
        print(ctx.say("Cảnh báo: ", "Warning: ") + ctx.render(warning), file=sys.stderr)


def _report_failures(
    ctx: CliContext, failures: Sequence[tuple[Path, BaseException]], worst: int = exit_codes.OK
) -> int:
    for path, error in failures:
        message = error.message(ctx.lang) if isinstance(error, LienThongError) else repr(error)
        print(ctx.say(f"Lỗi: {path}: {message}", f"Failed: {path}: {message}"), file=sys.stderr)
        worst = worst or exit_codes.exit_code_for(error)
    return worst


def _run_batch(
    ctx: CliContext, requests: list[SigningRequest], signer: Signer, vc: ValidationContext | None, worst: int,
    total: int,
) -> int:
    from app.signing.batch import sign_many

    results = sign_many(requests, signer, validation_context=vc)
    for item in results:
        if item.result is not None:
            _print_result(ctx, item.result)
    failed = [(i.request.input_path, i.error) for i in results if i.result is None and i.error is not None]
    worst = _report_failures(ctx, failed, worst)
    done = sum(1 for item in results if item.ok)
    print(ctx.say(f"Đã ký {done}/{total} tệp.", f"Signed {done} of {total} files."))
    return worst


def _list_tokens(ctx: CliContext, args: argparse.Namespace) -> int:
    from app.cli.sign_signer import token_service

    with token_service(ctx, args) as service:
        return _print_tokens(ctx, service)


def _print_tokens(ctx: CliContext, service: TokenService) -> int:
    tokens = service.list_tokens()
    if not tokens:
        print(ctx.say("Không có token nào được cắm.", "No token is plugged in."))
        return exit_codes.TOKEN
    for token in tokens:
        flags = []
        if getattr(token, "pin_locked", False):
            flags.append(ctx.say("PIN đã bị khóa", "PIN locked"))
        elif getattr(token, "pin_final_try", False):
            flags.append(ctx.say("còn 1 lần nhập PIN", "last PIN try"))
        elif getattr(token, "pin_count_low", False):
            flags.append(ctx.say("đã nhập sai PIN", "wrong PINs entered"))
        suffix = f" [{', '.join(flags)}]" if flags else ""
        print(f"Token \"{token.label}\" (serial {token.serial}, slot {token.slot_id}, {token.module_path}){suffix}")
        with contextlib.suppress(LienThongError):
            for cert in service.list_certificates(token):
                usage = ", ".join(cert.key_usage)
                print(f"  - {cert.label} [id {cert.id_hex}]: {cert.holder}"
                      + (f", {cert.organization}" if cert.organization else "")
                      + (f" <{cert.email}>" if cert.email else ""))
                print("    " + ctx.say(
                    f"Cấp bởi: {cert.issuer}; hiệu lực {cert.not_before:%d/%m/%Y} – {cert.not_after:%d/%m/%Y}; "
                    f"mục đích: {usage}",
                    f"Issued by: {cert.issuer}; valid {cert.not_before:%Y-%m-%d} to {cert.not_after:%Y-%m-%d}; "
                    f"usage: {usage}"))
    return exit_codes.OK
