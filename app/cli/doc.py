"""`lienthong doc ...`: walk an iDesk draft through its signing steps from the terminal.

The same rules as the GUI (app.services.workflow): every step acts on the main document unless
`--file ATTACHMENT_ID` picks another PDF of the draft (which then becomes the main document);
the clerk's number comes from the iDesk register and is registered before it is printed.

    lienthong doc list [--folder drafts|outgoing-processing|outgoing-tracking|archive] [--dossier CODE]
    lienthong doc show DOC
    lienthong doc initial|sign|seal|appendix DOC [--file ID] (--p12 FILE | token options) [--no-tsa]
    lienthong doc forward DOC
    lienthong doc number DOC [--number 06/KH-STTTT] [--symbol KH-STTTT] [--date YYYY-MM-DD]
    lienthong doc release DOC
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from app.cli.auth import open_profile
from app.errors import BadInputError, NotFoundError

if TYPE_CHECKING:
    from app.cli import CliContext, Subparsers
    from app.cli.training import TrainingServers
    from app.config import ServerProfile
    from app.domain import Attachment, AttachmentVersion, IDeskDocument
    from app.services.compose import Connected
    from app.services.workflow import Action

SIGN_STEPS = {"initial": "initials", "sign": "sign", "seal": "seal", "appendix": "appendix"}


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("doc", help="văn bản iDesk: ký nháy, ký, cấp số, đóng dấu, phát hành "
                                               "(walk an iDesk draft through its signing steps)")
    parser.add_argument("--profile", type=Path, help="tệp cấu hình máy chủ (server profile file, TOML)")
    sub = parser.add_subparsers(dest="doc_command", metavar="ACTION", required=True)

    listing = sub.add_parser("list", help="danh sách văn bản (list documents)")
    listing.add_argument("--folder", choices=("drafts", "outgoing-processing", "outgoing-tracking", "archive"))
    listing.add_argument("--dossier", help="mã hồ sơ (dossier code)")
    listing.set_defaults(func=run_list)

    show = sub.add_parser("show", help="chi tiết văn bản và các tệp (document and its files)")
    show.add_argument("document")
    show.set_defaults(func=run_show)

    for name, help_text in (("initial", "Ký nháy (specialist's initials)"), ("sign", "Ký số (leader's signature)"),
                            ("seal", "Ký số cơ quan, đóng dấu (organization's signature)"),
                            ("appendix", "Ký số phụ lục (sign an appendix)")):
        step = sub.add_parser(name, help=help_text)
        step.add_argument("document")
        step.add_argument("--file", help="mã tệp đính kèm cần ký; mặc định văn bản chính (attachment id)")
        _signer_options(step)
        if name == "seal":
            _number_options(step)
        step.set_defaults(func=run_sign, step=name)

    forward = sub.add_parser("forward", help="Chuyển Văn thư (forward to the clerk)")
    forward.add_argument("document")
    forward.set_defaults(func=run_forward)

    number = sub.add_parser("number", help="Chỉ điền số KH, ngày tháng năm (number and date only)")
    number.add_argument("document")
    number.add_argument("--file", help="mã tệp đính kèm; mặc định văn bản chính (attachment id)")
    _number_options(number)
    number.set_defaults(func=run_number)

    release = sub.add_parser("release", help="Phát hành (release; the main document becomes the result)")
    release.add_argument("document")
    release.set_defaults(func=run_release)


def _signer_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--p12", type=Path, help="tệp .p12 để tập huấn (training software key)")
    p.add_argument("--p12-pass-env", metavar="VAR", help="biến môi trường chứa mật khẩu .p12")
    p.add_argument("--module", action="append", default=[], help="thư viện PKCS#11 (PKCS#11 module)")
    p.add_argument("--token", help="nhãn token (token label)")
    p.add_argument("--cert", help="nhãn hoặc ID hex của chứng thư (certificate label or hex id)")
    p.add_argument("--pin-env", metavar="VAR", help="biến môi trường chứa PIN (env var holding the PIN)")
    p.add_argument("--no-tsa", action="store_true", help="không gắn nhãn thời gian (no timestamp)")


def _number_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--number", help="số, ký hiệu; mặc định số kế tiếp trong sổ (default: the register's next)")
    p.add_argument("--symbol", help="ký hiệu, ví dụ KH-STTTT (default: from the form and the unit)")
    p.add_argument("--date", help="ngày ban hành YYYY-MM-DD; mặc định hôm nay (default: today)")


def _connected(
    ctx: CliContext, args: argparse.Namespace
) -> tuple[ServerProfile, Connected, TrainingServers | None]:
    from app.errors import NotSignedInError
    from app.services.compose import connect

    profile, servers = open_profile(ctx, args)
    connected = connect(profile, ctx.paths.ensure()).restore()
    if connected is None:
        if servers is not None:
            servers.stop()
        raise NotSignedInError("run `lienthong login` first")
    return profile, connected, servers


def _with_connection(
    func: Callable[[CliContext, argparse.Namespace, ServerProfile, Connected], int]
) -> Callable[[CliContext, argparse.Namespace], int]:
    def run(ctx: CliContext, args: argparse.Namespace) -> int:
        profile, connected, servers = _connected(ctx, args)
        try:
            return func(ctx, args, profile, connected)
        finally:
            if servers is not None:
                servers.stop()

    return run


def _print_document(ctx: CliContext, doc: IDeskDocument) -> None:
    from app.services.workflow import Action, refusal

    s = doc.summary
    status = s.status.label_en if ctx.lang.startswith("en") else s.status.label_vi
    print(f"{doc.id}  {s.form}  [{status}]  {s.summary}")
    if s.number:
        print(ctx.say(f"  Số: {s.number}, ngày {s.release_date:%d/%m/%Y}" if s.release_date else f"  Số: {s.number}",
                      f"  Number: {s.number}" + (f", dated {s.release_date:%Y-%m-%d}" if s.release_date else "")))
    for att in doc.attachments:
        role = att.role.label_en if ctx.lang.startswith("en") else att.role.label_vi
        latest = att.latest
        version = f"v{latest.version} {latest.file.sha256[:12]}" if latest else "-"
        print(f"  {'*' if att.role.value == 'main' else '-'} {att.id}  {att.name}  ({role}, {version})")
    allowed = [a.value for a in Action if refusal(a, doc) is None]
    print(ctx.say("  Làm được: ", "  Possible: ") + ", ".join(allowed))


@_with_connection
def run_list(ctx: CliContext, args: argparse.Namespace, profile: ServerProfile, c: Connected) -> int:
    page = c.idesk.list_documents(folder=args.folder, dossier_code=args.dossier, size=200)
    for s in page.items:
        status = s.status.label_en if ctx.lang.startswith("en") else s.status.label_vi
        print(f"{s.id}  {s.number or '-':>14}  [{status}]  {s.dossier_code or '-'}  {s.summary}")
    return 0


@_with_connection
def run_show(ctx: CliContext, args: argparse.Namespace, profile: ServerProfile, c: Connected) -> int:
    _print_document(ctx, c.idesk.get_document(args.document))
    return 0


def _check_step(document: IDeskDocument, action: Action) -> None:
    from app.errors import WrongStepError
    from app.services.workflow import refusal

    why = refusal(action, document)
    if why is not None:
        raise WrongStepError(why.vi, why.en)


def _fetch(
    ctx: CliContext, c: Connected, document: IDeskDocument, action: Action, attachment_id: str | None
) -> tuple[Attachment, AttachmentVersion, Path]:
    """The chosen file (adopted as the main document where the step needs it): its latest version,
    downloaded."""
    from app.services import workflow

    attachment = workflow.choose_file(document, action, attachment_id)
    if workflow.adopt(c.idesk, document, action, attachment):
        print(ctx.say(f"\"{attachment.name}\" là văn bản chính của dự thảo.",
                      f"\"{attachment.name}\" is now the draft's main document."), file=sys.stderr)
    folder = ctx.paths.ensure().data_dir / "signed"
    folder.mkdir(parents=True, exist_ok=True)
    latest = attachment.latest
    if latest is None:
        raise NotFoundError(f"Tệp \"{attachment.name}\" chưa có phiên bản nào.",
                            f"The file \"{attachment.name}\" has no version yet.", detail=attachment.id)
    # The local name comes from ids only, never from a server file name.
    key = hashlib.sha256(f"{document.id}/{attachment.id}/{latest.version}".encode()).hexdigest()[:24]
    path = c.idesk.download_file(latest.file, folder / f"{key}.pdf")
    return attachment, latest, Path(path)


def _number_for(
    ctx: CliContext, args: argparse.Namespace, profile: ServerProfile, c: Connected, document: IDeskDocument
) -> tuple[str, date]:
    """The registered number and date: the document's own, else registered now."""
    from app.services import workflow

    if document.summary.number and not args.number:
        return document.summary.number, document.summary.release_date or date.today()
    day = date.fromisoformat(args.date) if args.date else date.today()
    number = args.number or workflow.propose_number(c.idesk, document, workflow.Province.of(profile), day,
                                                    args.symbol).number
    fresh = workflow.register_number(c.idesk, document, number, day)
    print(ctx.say(f"Đã cấp số {fresh.summary.number} trong sổ iDesk.",
                  f"Registered number {fresh.summary.number} in iDesk."), file=sys.stderr)
    return fresh.summary.number, fresh.summary.release_date or day


def _upload(
    c: Connected, document: IDeskDocument, attachment: Attachment, path: Path, note: str | None
) -> AttachmentVersion:
    """Through the outbox: the signed file is kept until iDesk confirms the new version."""
    if note is None:  # workflow.version_note: this step's result is not uploaded
        raise ValueError("this step keeps its result on this computer")
    return c.outbox.upload(c.outbox.put(document.id, attachment.id, path, note))


@_with_connection
def run_sign(ctx: CliContext, args: argparse.Namespace, profile: ServerProfile, c: Connected) -> int:
    from app.cli.sign_signer import open_signer_for
    from app.services import workflow
    from app.services.workflow import Action
    from app.signing.options import Profile, SigningRequest, TsaConfig
    from app.signing.pades import sign_document

    action = Action(SIGN_STEPS[args.step])
    profile_of = {Action.INITIALS: Profile.INITIALS, Action.LEADER: Profile.LEADER, Action.SEAL: Profile.SEAL,
                  Action.APPENDIX: Profile.APPENDIX}
    document = c.idesk.get_document(args.document)
    _check_step(document, action)
    if args.p12 is None and not args.module and not args.token and args.pin_env is None:
        raise BadInputError("Hãy chọn chứng thư: --p12 (tập huấn) hoặc các tùy chọn token.",
                            "Choose a certificate: --p12 (training) or the token options.")
    number = day = None
    if action is Action.SEAL:
        number, day = _number_for(ctx, args, profile, c, document)
        document = c.idesk.get_document(document.id)
    attachment, latest, path = _fetch(ctx, c, document, action, args.file)
    tsa_url = "" if args.no_tsa else workflow.tsa_url_for(profile)
    request = SigningRequest(
        input_path=path, output_path=path.with_name(f"{path.stem}_da_ky.pdf"), profile=profile_of[action],
        tsa=TsaConfig(tsa_url) if tsa_url else None, number=number, release_date=day,
        place_name=profile.place_name, expected_sha256=latest.file.sha256 or None,
    )
    if action is Action.APPENDIX:
        from dataclasses import replace

        request = replace(request, options=replace(request.options, document_number=document.summary.number))
    with open_signer_for(ctx, args) as opened:
        result = sign_document(request, opened.signer)
    version = _upload(c, document, attachment, result.output_path, workflow.version_note(action, number or ""))
    print(ctx.say(f"Đã ký \"{attachment.name}\" ({result.level}), phiên bản {version.version} trên iDesk.",
                  f"Signed \"{attachment.name}\" ({result.level}), version {version.version} in iDesk."))
    _print_document(ctx, c.idesk.get_document(document.id))
    return 0


@_with_connection
def run_number(ctx: CliContext, args: argparse.Namespace, profile: ServerProfile, c: Connected) -> int:
    from app.services import workflow
    from app.services.workflow import Action
    from app.signing.fields import fill_number_and_date

    document = c.idesk.get_document(args.document)
    _check_step(document, Action.NUMBER)
    number, day = _number_for(ctx, args, profile, c, document)
    document = c.idesk.get_document(document.id)
    attachment, _, path = _fetch(ctx, c, document, Action.NUMBER, args.file)
    out = path.with_name(f"{path.stem}_so.pdf")
    fill_number_and_date(path, out, number=number, release_date=day)
    _upload(c, document, attachment, out, workflow.version_note(Action.NUMBER, number))
    print(ctx.say(f"Đã điền số {number} và ngày {day:%d/%m/%Y} vào \"{attachment.name}\".",
                  f"Filled number {number} and date {day:%Y-%m-%d} into \"{attachment.name}\"."))
    return 0


@_with_connection
def run_forward(ctx: CliContext, args: argparse.Namespace, profile: ServerProfile, c: Connected) -> int:
    from app.services.workflow import Action

    document = c.idesk.get_document(args.document)
    _check_step(document, Action.FORWARD_CLERK)
    _print_document(ctx, c.idesk.forward(document.id, "clerk", "Chuyển Văn thư phát hành"))
    return 0


@_with_connection
def run_release(ctx: CliContext, args: argparse.Namespace, profile: ServerProfile, c: Connected) -> int:
    from app.services import workflow

    document = c.idesk.get_document(args.document)
    pending = [i.document_id for i in c.outbox.pending()]
    _print_document(ctx, workflow.release(c.idesk, document, pending))
    return 0
