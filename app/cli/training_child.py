"""The training sandbox in a process of its own, started by the GUI (`training.open_training_process`):

    python -m app.cli.training_child '["<config dir>", "<data dir>", "<log dir>", "<cache dir>"]'

or the frozen exe with `--training-sandbox` first. Once its ports are bound it writes its
addresses (one JSON line) to stdout, then `pki-ready` (or `pki-failed …`) once the demo PKI
serves; it stops when its stdin closes: the app exited, or crashed. It logs to its own file in
the log folder.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from pathlib import Path
from typing import BinaryIO

from app.paths import AppPaths

# The frozen exes run the training sandbox process as themselves with this flag first.
CHILD_FLAG = "--training-sandbox"

log = logging.getLogger(__name__)


def _say(out: BinaryIO, line: str) -> None:
    try:
        out.write(line.encode("utf-8") + b"\n")
        out.flush()
    except OSError:  # the app has gone; stdin's end stops this process
        pass


def main(argv: list[str] | None = None) -> int:
    from app import codecache

    # As `lienthong` does: the dataclasses' methods come compiled by an earlier run.
    codecache.install()
    from app.cli.training import CHILD_LOG, _read_state, _record, _start_here
    from app.views.logsetup import setup_logging

    args = [a for a in (sys.argv[1:] if argv is None else argv) if a != CHILD_FLAG]
    config, data, logs, cache = (Path(p) for p in json.loads(args[0]))
    paths = AppPaths(config, data, logs, cache).ensure()
    setup_logging(paths.log_dir, file_name=CHILD_LOG)
    # File descriptors, not sys.stdin/stdout: a windowed exe may have no sys.stdout although its
    # parent gave it pipes; and nothing a library prints reaches the app's pipe.
    out = os.fdopen(os.dup(1), "wb")
    inp = os.fdopen(0, "rb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    try:
        servers = _start_here(paths, _read_state(paths), background=True)
    except Exception:
        log.exception("the training sandbox could not start")
        return 1
    box = servers.sandbox
    assert box is not None, "started here"
    _say(out, json.dumps(_record(box)))

    def report_pki() -> None:
        try:
            box.wait_pki()
        except Exception as exc:  # noqa: BLE001 (the sandbox logged it; the app hears the reason)
            _say(out, f"pki-failed {exc}")
        else:
            _say(out, "pki-ready")

    threading.Thread(target=report_pki, name="report-pki", daemon=True).start()
    while inp.read(4096):
        pass
    box.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
