"""`lienthong transfer ...`: the three iGate–iDesk transfers from the command line.

Uses the session saved by `lienthong login` (silent sign-in); prints progress on stderr and the
result on stdout:

    lienthong transfer send <dossier code> [--summary TEXT] [--file PATH ...]
    lienthong transfer fetch <dossier code>
    lienthong transfer push <iDesk document id> [--attachment ID ...]
    lienthong transfer pending
    lienthong transfer resume <key>
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from app.cli.auth import open_profile
from app.text import Text

if TYPE_CHECKING:
    from app.cli import CliContext, Subparsers
    from app.cli.training import TrainingServers
    from app.domain import Dossier, IDeskDocument, ResultFile
    from app.services.compose import Connected


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("transfer", help="liên thông iGate ⇄ iDesk (transfers between iGate and iDesk)")
    parser.add_argument("--profile", type=Path, help="tệp cấu hình máy chủ (server profile file, TOML)")
    sub = parser.add_subparsers(dest="transfer_command", metavar="ACTION", required=True)

    send = sub.add_parser("send", help="Gửi sang iDesk (send a dossier's files to a new iDesk draft)")
    send.add_argument("code", help="mã hồ sơ (dossier code)")
    send.add_argument("--summary", help="trích yếu; mặc định là tên dịch vụ công (default: the service name)")
    send.add_argument("--file", type=Path, action="append", default=[], help="thêm tệp từ máy (add a local file)")
    send.add_argument("--no-dossier-files", action="store_true", help="không gửi các tệp của hồ sơ (local files only)")
    send.add_argument("--main", help="văn bản chính: một tệp --file hoặc tên một tệp của hồ sơ "
                                     "(the main document: a --file path or a dossier file name)")
    send.set_defaults(func=run_send)

    fetch = sub.add_parser("fetch", help="Lấy từ iDesk (attach the latest iDesk result files to the dossier)")
    fetch.add_argument("code", help="mã hồ sơ (dossier code)")
    fetch.set_defaults(func=run_fetch)

    push = sub.add_parser("push", help="Chuyển đến phần mềm iGate (send an iDesk document's files to its dossier)")
    push.add_argument("document", help="mã văn bản iDesk (document id)")
    push.add_argument("--attachment", action="append", default=[], help="tệp đính kèm (attachment id); "
                      "mặc định các tệp kết quả (default: the result files)")
    push.set_defaults(func=run_push)

    pending = sub.add_parser("pending", help="các lượt chuyển chưa xong (unfinished transfers)")
    pending.set_defaults(func=run_pending)

    resume = sub.add_parser("resume", help="làm tiếp một lượt chuyển (finish an unfinished transfer)")
    resume.add_argument("key")
    resume.set_defaults(func=run_resume)


class _Printer:
    """Progress on stderr: one line per step, with the percentage."""

    def __init__(self, lang: str) -> None:
        self._lang = lang
        self._last: Text | None = None

    def __call__(self, done: int, total: int, label: Text) -> None:
        if label != self._last:
            self._last = label
            print(f"[{100 * done // max(total, 1):3d}%] {label.render(self._lang)}", file=sys.stderr, flush=True)


def _connected(ctx: CliContext, args: argparse.Namespace) -> tuple[Connected, TrainingServers | None]:
    from app.errors import NotSignedInError
    from app.services.compose import connect

    profile, servers = open_profile(ctx, args)
    connected = connect(profile, ctx.paths.ensure()).restore()
    if connected is None:
        if servers is not None:
            servers.stop()
        raise NotSignedInError("run `lienthong login` first")
    return connected, servers


def _with_connection(
    func: Callable[[CliContext, argparse.Namespace, Connected], int]
) -> Callable[[CliContext, argparse.Namespace], int]:
    def run(ctx: CliContext, args: argparse.Namespace) -> int:
        connected, servers = _connected(ctx, args)
        try:
            return func(ctx, args, connected)
        finally:
            if servers is not None:
                servers.stop()

    return run


def _print_document(ctx: CliContext, doc: IDeskDocument) -> None:
    print(ctx.say(f"Dự thảo iDesk: {doc.id}", f"iDesk draft: {doc.id}"))
    print(f"  {doc.summary.summary}")
    for att in doc.attachments:
        print(f"  - {att.name} ({att.kind}, {att.role.value})")


def _print_dossier(ctx: CliContext, dossier: Dossier) -> None:
    print(ctx.say(f"Hồ sơ {dossier.code}: {len(dossier.result_files)} tệp kết quả",
                  f"Dossier {dossier.code}: {len(dossier.result_files)} result files"))
    for f in dossier.result_files:
        print(f"  - {f.name} ({f.sha256[:12]})")


@_with_connection
def run_send(ctx: CliContext, args: argparse.Namespace, c: Connected) -> int:
    dossier = c.igate.get_dossier_by_code(args.code)
    chosen = [] if args.no_dossier_files else [f for comp in dossier.components for f in comp.files]
    summary = args.summary if args.summary is not None else dossier.summary.procedure_name
    main = None
    if args.main:
        wanted = Path(args.main)
        main = next((p for p in args.file if Path(p) == wanted), None) or \
            next((f for f in chosen if f.name == args.main), None)
        if main is None:
            from app.errors import BadInputError

            raise BadInputError(f"Văn bản chính \"{args.main}\" không nằm trong các tệp gửi đi.",
                                f"The main document \"{args.main}\" is not among the files sent.")
    doc = c.transfers.send_to_idesk(dossier, summary, chosen, args.file, main=main, progress=_Printer(ctx.lang))
    _print_document(ctx, doc)
    return 0


@_with_connection
def run_fetch(ctx: CliContext, args: argparse.Namespace, c: Connected) -> int:
    from app.errors import NotFoundError

    dossier = c.igate.get_dossier_by_code(args.code)
    latest: dict[tuple[str, str], ResultFile] = {}
    for r in c.idesk.result_files(args.code):
        key = (r.document_id, r.attachment_id)
        if key not in latest or r.version > latest[key].version:
            latest[key] = r
    if not latest:
        raise NotFoundError(
            f"iDesk không có tệp kết quả nào cho hồ sơ {args.code}.",
            f"iDesk has no result files for dossier {args.code}.",
        )
    _print_dossier(ctx, c.transfers.fetch_from_idesk(dossier, list(latest.values()), progress=_Printer(ctx.lang)))
    return 0


@_with_connection
def run_push(ctx: CliContext, args: argparse.Namespace, c: Connected) -> int:
    doc = c.idesk.get_document(args.document)
    ids = args.attachment or [a.id for a in doc.attachments if a.kind == "result"]
    _print_dossier(ctx, c.transfers.transfer_to_igate(doc, ids, progress=_Printer(ctx.lang)))
    return 0


@_with_connection
def run_pending(ctx: CliContext, args: argparse.Namespace, c: Connected) -> int:
    items = c.transfers.pending()
    if not items:
        print(ctx.say("Không có lượt chuyển nào đang dở.", "No unfinished transfers."))
    from app.vntime import in_vietnam

    for p in items:
        label = p.label_en if ctx.lang.startswith("en") else p.label_vi
        started = in_vietnam(p.started_at)  # the journal writes UTC
        print(f"{p.key}  {label}  {p.dossier_code}  {p.files_done}/{p.files_total}  {started:%Y-%m-%d %H:%M}")
    return 0


@_with_connection
def run_resume(ctx: CliContext, args: argparse.Namespace, c: Connected) -> int:
    from app.domain import IDeskDocument

    result = c.transfers.resume(args.key, progress=_Printer(ctx.lang))
    if isinstance(result, IDeskDocument):
        _print_document(ctx, result)
    else:
        _print_dossier(ctx, result)
    return 0
