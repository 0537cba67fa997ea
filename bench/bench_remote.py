"""Time the remote (CSC) path adds over the token path, the human wait excluded.

Run: python3 bench/bench_remote.py [--docs 20] [--rounds 3] [--json rows.json]
The same PDFs are signed with the same leader key through the app's PAdES engine (no TSA):
on a SoftHSM2 token (one login), through the sandbox's remote-signing service on 127.0.0.1
with confirmations approved at once ("auto" with no delay, so no human wait), one confirmation
per document, and with one confirmation for the whole batch. The three alternate in each
round (the machine's load hits them alike) and the median round counts. Reported: opening the
signer, and milliseconds per document; the difference is what the remote path adds (HTTP round
trips, the confirmation request and its long poll, the server's signature). Target: the remote
path at most 1.5x the token's time per document, the token measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


class _Session:
    """An SSO session stand-in holding a token from the sandbox's login page."""

    def __init__(self, issuer: str) -> None:
        from app.sandbox.tokens_helper import login_with_password

        self._issuer = issuer
        self._token = login_with_password(issuer, "tuanlv").access

    def access_token(self) -> str:
        return self._token

    def force_refresh(self, stale: str | None = None) -> str:
        return self._token


class _NoWait:
    def waiting(self, state) -> None:
        pass

    def finished(self) -> None:
        pass

    def ask_otp(self, credential, error=None):
        return None


def make_pdf(path: Path) -> bytes:
    import pymupdf

    doc = pymupdf.open()
    for number in range(2):
        page = doc.new_page(width=595, height=842)
        page.insert_text((72, 100), f"Kế hoạch số 05/KH-STTTT - trang {number + 1}", fontsize=12)
    doc.save(path)
    doc.close()
    return path.read_bytes()


def sign_all(signer, sources: list[tuple[Path, bytes]]) -> float:
    from app.signing.options import Profile, SigningRequest
    from app.signing.pades import sign_bytes

    t0 = time.perf_counter()
    for path, data in sources:
        sign_bytes(data, SigningRequest(path, path.with_suffix(".out.pdf"), Profile.APPENDIX,
                                        reserve_number_fields=False), signer)
    return time.perf_counter() - t0


TARGET_RATIO = 1.5


def main() -> int:
    import statistics

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the rows for bench/run_all.py")
    args = parser.parse_args()
    n = args.docs

    from tests.fixtures.token import write_softhsm_conf

    work = Path(tempfile.mkdtemp(prefix="bench-remote-"))
    conf, _tokens = write_softhsm_conf(work)
    os.environ["SOFTHSM2_CONF"] = str(conf)

    from app.sandbox.server import Sandbox
    from app.signing.remote.provider import open_remote_signer, training_provider
    from app.signing.token import TokenService
    from tests.fixtures.token import SoftHsmEnvironment, softhsm_module

    module = softhsm_module()
    if module is None:
        print("SoftHSM2 is not installed", file=sys.stderr)
        return 2
    box = Sandbox(work / "sandbox", pki=True).start()
    times: dict[str, list[float]] = {"token": [], "remote": [], "batch": []}
    try:
        box.csc.policy.mode = "auto"
        pki = box.pki_services.pki
        token = SoftHsmEnvironment(module, conf, work / "tokens", pki).new_token("Bench", {"leader": "01"})
        sources = [(work / f"doc{i}.pdf", make_pdf(work / f"doc{i}.pdf")) for i in range(n)]
        warm = sources[:1]
        provider = training_provider(box.csc_url, box.issuer)
        session = _Session(box.issuer)

        with TokenService([module], extra_certs=[pki.intermediate_cert, pki.root_cert]) as service:
            t0 = time.perf_counter()
            with service.open_signer(token.token_label, "leader", lambda request: token.user_pin) as tok:
                token_open = time.perf_counter() - t0
                t0 = time.perf_counter()
                remote = open_remote_signer(provider, session, _NoWait())
                remote_open = time.perf_counter() - t0
                with remote, open_remote_signer(provider, session, _NoWait()) as batch:
                    for signer in (tok.signer, remote.signer, batch.signer):
                        sign_all(signer, warm)
                    each_before, batch_before = remote.authorizations, batch.authorizations
                    for _ in range(args.rounds):
                        times["token"].append(sign_all(tok.signer, sources))
                        times["remote"].append(sign_all(remote.signer, sources))
                        t0 = time.perf_counter()
                        batch.authorize_batch(n)
                        sign_all(batch.signer, sources)
                        times["batch"].append(time.perf_counter() - t0)
                    each = (remote.authorizations - each_before) // args.rounds
                    batch_auth = (batch.authorizations - batch_before) // args.rounds
    finally:
        box.stop()
        shutil.rmtree(work, ignore_errors=True)

    per = {name: statistics.median(values) / n * 1000 for name, values in times.items()}
    print(f"documents: {n}, rounds: {args.rounds} (median), no TSA, confirmations approved at once (no human wait)")
    print(f"token (SoftHSM2):             open {token_open * 1000:.0f} ms, {per['token']:.1f} ms/doc")
    print(f"remote, one confirmation/doc: open {remote_open * 1000:.0f} ms, {per['remote']:.1f} ms/doc "
          f"({each} confirmations for {n} docs)")
    print(f"remote, one for the batch:    {per['batch']:.1f} ms/doc ({batch_auth} confirmation for {n} docs)")
    print(f"added by the remote path: {per['remote'] - per['token']:.1f} ms/doc "
          f"({per['remote'] / per['token']:.2f}x) with a confirmation per document, "
          f"{per['batch'] - per['token']:.1f} ms/doc ({per['batch'] / per['token']:.2f}x) with one for the batch")
    if args.json:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from rows import Row, write_rows

        token_label = "token (SoftHSM2), ms/doc"
        write_rows(args.json, [
            Row("remote signing, one confirmation per doc (ms/doc)", per["remote"], "ms", TARGET_RATIO,
                per["token"], token_label, note=f"{n} docs, no TSA, approval at once"),
            Row("remote signing, one confirmation per batch (ms/doc)", per["batch"], "ms", TARGET_RATIO,
                per["token"], token_label, note=f"{n} docs, {batch_auth} confirmation"),
        ])
    return 0


if __name__ == "__main__":
    sys.exit(main())
