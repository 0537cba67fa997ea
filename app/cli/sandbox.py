"""`lienthong sandbox serve|reset`: the training servers (SSO, iGate, iDesk, demo TSA) on 127.0.0.1."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.cli import CliContext, Subparsers


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "sandbox", help="máy chủ luyện tập / training servers (SSO, iGate, iDesk, TSA) on 127.0.0.1"
    )
    actions = parser.add_subparsers(dest="sandbox_action", metavar="ACTION")
    serve = actions.add_parser("serve", help="chạy máy chủ luyện tập / run the training servers")
    serve.add_argument("--port-sso", type=int, default=0, help="SSO port (default: any free port)")
    serve.add_argument("--port-igate", type=int, default=0, help="iGate port (default: any free port)")
    serve.add_argument("--port-idesk", type=int, default=0, help="iDesk port (default: any free port)")
    serve.add_argument(
        "--port-tsa", type=int, default=0,
        help="port of the demo TSA/OCSP/CRL server (default: the last one if free, else any)",
    )
    serve.add_argument("--token-ttl", type=int, default=300, help="access-token lifetime in seconds")
    serve.set_defaults(func=serve_command)
    approve = actions.add_parser(
        "approve", help="xác nhận yêu cầu ký số từ xa đang chờ / approve a pending remote signing request")
    approve.add_argument("--reject", action="store_true", help="từ chối thay vì đồng ý (reject instead)")
    approve.add_argument("--fingerprint", help="mã yêu cầu, ví dụ AB12-CD34 (the request's code)")
    approve.set_defaults(func=approve_command)
    reset = actions.add_parser("reset", help="xóa và tạo lại dữ liệu mẫu / wipe and reseed the data")
    reset.add_argument("--extra-dossiers", type=int, default=0, help="add N generated dossiers")
    reset.set_defaults(func=reset_command)
    def show_help(ctx: CliContext, args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    parser.set_defaults(func=show_help)


def serve_command(ctx: CliContext, args: argparse.Namespace) -> int:
    from app.cli.training import remember
    from app.sandbox.server import Sandbox

    box = Sandbox(
        ctx.paths.sandbox_dir,
        access_token_ttl=args.token_ttl,
        ports=(args.port_sso, args.port_igate, args.port_idesk),
        pki=True,
        pki_port=args.port_tsa,
    )
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    try:
        box.start()
        # The GUI and `lienthong login` of the same user then use these servers instead of their own.
        remember(ctx.paths, box)
        print(f"sso {box.issuer}", flush=True)
        print(f"igate {box.igate_url}", flush=True)
        print(f"idesk {box.idesk_url}", flush=True)
        print(f"tsa {box.tsa_url}", flush=True)
        print(f"csc {box.csc_url}", flush=True)
        print(f"phone {box.phone_url}", flush=True)
        print(
            ctx.say("Máy chủ luyện tập đang chạy; nhấn Ctrl+C để dừng.",
                    "Training servers are running; press Ctrl+C to stop."),
            file=sys.stderr, flush=True,
        )
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    finally:
        box.stop()
        signal.signal(signal.SIGTERM, previous)
    return 0


def approve_command(ctx: CliContext, args: argparse.Namespace) -> int:
    """Approve (or reject) the one pending request, or the one with --fingerprint, on the phone
    page of the running sandbox."""
    import json

    import requests

    from app.cli import exit_codes
    from app.cli.training import STATE_FILE

    try:
        state = json.loads((ctx.paths.config_dir / STATE_FILE).read_text(encoding="utf-8"))
        phone = str(state["phone_url"])
        pending = requests.get(phone + "requests.json", timeout=10).json()["requests"]
    except (OSError, ValueError, KeyError, requests.RequestException) as exc:
        print(ctx.say("Không tìm thấy máy chủ luyện tập đang chạy (lienthong sandbox serve).",
                      "No running training sandbox found (lienthong sandbox serve)."), file=sys.stderr)
        print(f"  ({exc})", file=sys.stderr)
        return exit_codes.SERVICE
    wanted = (args.fingerprint or "").strip().upper()
    chosen = [r for r in pending if not wanted or r["fingerprint"] == wanted]
    if len(chosen) != 1:
        codes = ", ".join(r["fingerprint"] for r in pending) or "-"
        print(ctx.say(f"Cần đúng một yêu cầu đang chờ (đang có: {codes}); chọn bằng --fingerprint.",
                      f"Need exactly one pending request (there are: {codes}); choose with --fingerprint."),
              file=sys.stderr)
        return exit_codes.BAD_INPUT
    [req] = chosen
    decision = "reject" if args.reject else "approve"
    answer = requests.post(phone + "decide", data={"requestID": req["requestID"], "decision": decision,
                                                   "json": "1"}, timeout=10).json()
    print(ctx.say(f"Yêu cầu {req['fingerprint']}: {answer['status']}",
                  f"Request {req['fingerprint']}: {answer['status']}"))
    return 0


def reset_command(ctx: CliContext, args: argparse.Namespace) -> int:
    from app.sandbox.seed import describe, reset

    reset(ctx.paths.sandbox_dir, extra_dossiers=max(0, args.extra_dossiers))
    counts = describe(ctx.paths.sandbox_dir)
    print(ctx.say(
        f"Đã tạo lại dữ liệu luyện tập: {counts['dossiers']} hồ sơ, {counts['documents']} văn bản.",
        f"Training data reseeded: {counts['dossiers']} dossiers, {counts['documents']} documents.",
    ))
    return 0
