"""The training servers as a start uses them: 10,000 dossiers listed page by page from iGate.

Run: python3 bench/bench_training.py [--dossiers 10000] [--runs 3] [--json rows.json]
The training servers run in a process of their own, started as the app's training launcher
starts them (`training.open_training_process`), with the dossiers added to the training data.
This process signs in through the training SSO page and reads every page of 200 through
`IGateClient.search_dossiers`, one after another, as `PagedLoader` does; the figure is the time
for all of them. Baseline: as many requests for the first page, what a page costs at the top of
the list. Target: ratio <= 1.5, a page deep in the list costs about what the first one does.
Printed too: the SSO token refresh and one page of the iDesk list, the other requests of a start.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from rows import Row, dossier_bench_arguments, timed, write_rows  # noqa: E402

TARGET_RATIO = 1.5
PAGE = 200


def main() -> int:
    args = dossier_bench_arguments(__doc__)

    from keyrings.alt.file import PlaintextKeyring

    from app.cli.training import open_training_process
    from app.paths import AppPaths
    from app.sandbox.seed import SEED_DOSSIERS, add_dossiers, ensure_seeded
    from app.services.compose import connect
    from tests.fixtures.browser import scripted_browser

    with tempfile.TemporaryDirectory() as tmp:
        paths = AppPaths.under(Path(tmp)).ensure()
        ensure_seeded(paths.sandbox_dir)
        add_dossiers(paths.sandbox_dir, max(0, args.dossiers - SEED_DOSSIERS))
        servers = open_training_process(paths)()
        try:
            servers.wait_pki()
            keyring = PlaintextKeyring()
            keyring.file_path = str(Path(tmp) / "keyring.cfg")
            services = connect(servers.profile, paths, keyring_backend=keyring,
                               browser=scripted_browser("hoant", "Hoa@2024"))
            connected = services.login()
            igate = connected.igate
            total = igate.search_dossiers(page=0, size=PAGE).total
            pages = -(-min(total, args.dossiers) // PAGE)
            whole, first, deepest = [], [], []
            for _ in range(args.runs):
                per_page = [timed(lambda n=n: igate.search_dossiers(page=n, size=PAGE)) for n in range(pages)]
                whole.append(sum(per_page))
                deepest.append(per_page[-1])
                first.append(sum(timed(lambda: igate.search_dossiers(page=0, size=PAGE)) for _ in range(pages)))
            refresh = statistics.median(timed(connected.session.force_refresh) for _ in range(9))
            idesk = statistics.median(
                timed(lambda: connected.idesk.list_documents(page=1, size=PAGE)) for _ in range(9))
        finally:
            servers.stop()
    value, baseline = statistics.median(whole), statistics.median(first)
    print(f"{total} dossiers in {pages} pages of {PAGE}, runs: {args.runs} (medians)")
    print(f"all pages one after another: {value * 1000:.0f} ms; the last page alone "
          f"{statistics.median(deepest) * 1000:.1f} ms")
    print(f"{pages} requests for the first page: {baseline * 1000:.0f} ms; ratio {value / baseline:.2f}x "
          f"(target <= {TARGET_RATIO:g}x)")
    print(f"SSO token refresh: {refresh * 1000:.1f} ms; one page of the iDesk list: {idesk * 1000:.1f} ms")
    write_rows(args.json, [
        Row(f"{total:,} dossiers listed by pages from the training iGate", value, "s", TARGET_RATIO, baseline,
            "as many requests for page 1",
            note=f"last page {statistics.median(deepest) * 1000:.1f} ms; token refresh {refresh * 1000:.1f} ms; "
                 f"iDesk list page {idesk * 1000:.1f} ms"),
    ])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
