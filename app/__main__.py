"""`python -m app` starts the desktop app (training sandbox by default)."""

import sys


def main() -> int:
    from app.cli import main as cli_main

    return cli_main(["gui", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
