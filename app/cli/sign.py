"""`lienthong sign`."""

from __future__ import annotations


def register(subparsers) -> None:
    parser = subparsers.add_parser("sign", help="(not available yet)")
    parser.set_defaults(func=run)


def run(ctx, args) -> int:
    print("not available yet")
    return 3
