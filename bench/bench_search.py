"""iGate dossier search on a 10,000-dossier sandbox against the 45-dossier seed, same run.

    python3 bench/bench_search.py [--dossiers 10000] [--runs 15]

Both sandboxes run in this process on 127.0.0.1; every query goes through raw `requests`
with a real token, so the numbers include HTTP, auth and JSON. Prints the median time per
query on each sandbox and the ratio large / baseline (1.00 = no slowdown with volume).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUERIES = {
    "my processing dossiers, page 0": {"dossier-status": "2,9", "task-assignee-id": "me", "page": 0, "size": 20},
    "applicant without accents": {"applicant-name": "tran thi", "size": 20},
    "code fragment": {"code": "H09-26", "size": 20},
    "by due date": {"sort": "appointmentDate,asc", "size": 20},
    "deep page (page 40, 50 a page)": {"page": 40, "size": 50},
}


def _median_ms(session, url: str, params: dict, runs: int) -> float:
    session.get(url, params=params, timeout=60).raise_for_status()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        answer = session.get(url, params=params, timeout=60)
        answer.raise_for_status()
        answer.json()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    import requests

    from app.sandbox import accounts, seed
    from app.sandbox.server import Sandbox
    from app.sandbox.tokens_helper import login_with_password

    with tempfile.TemporaryDirectory() as tmp:
        small_dir, large_dir = Path(tmp) / "small", Path(tmp) / "large"
        start = time.perf_counter()
        seed.ensure_seeded(small_dir)
        seed_small = time.perf_counter() - start
        seed.ensure_seeded(large_dir)
        start = time.perf_counter()
        seed.add_dossiers(large_dir, args.dossiers)
        seed_large = time.perf_counter() - start
        print(f"seed: 45 dossiers {seed_small * 1000:.0f} ms (first, with PDF generation); "
              f"+{args.dossiers} dossiers {seed_large * 1000:.0f} ms")
        results = {}
        for name, data_dir in (("baseline", small_dir), ("large", large_dir)):
            with Sandbox(data_dir) as box:
                session = requests.Session()
                session.headers["Authorization"] = "Bearer " + login_with_password(box.issuer, "hoant").access
                url = box.igate_url + "pa/dossier/search"
                me = accounts.by_username("hoant").igate_id
                queries = {q: {k: (me if v == "me" else v) for k, v in p.items()} for q, p in QUERIES.items()}
                # DIGO's page gives no element count: one dossier a page counts them.
                total = session.get(url, params={"size": 1}, timeout=60).json()["totalPages"]
                results[name] = (total, {q: _median_ms(session, url, p, args.runs) for q, p in queries.items()})
        base_total, base = results["baseline"]
        large_total, large = results["large"]
        print(f"{'query':34} {base_total:>7} dossiers {large_total:>7} dossiers   ratio")
        for query in QUERIES:
            print(f"{query:34} {base[query]:>9.1f} ms {large[query]:>10.1f} ms   {large[query] / base[query]:5.2f}")
        worst = max(large[q] / base[q] for q in QUERIES)
        print(f"worst ratio {worst:.2f}; worst large-sandbox median {max(large.values()):.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
