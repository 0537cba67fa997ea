"""Time the remote (CSC) path adds over the token path, the human wait excluded.

Run: python3 bench/bench_remote.py [--docs 20]
The same PDFs are signed with the same leader key through the app's PAdES engine (no TSA):
once on a SoftHSM2 token (one login), once through the sandbox's remote-signing service on
127.0.0.1 with confirmations approved at once ("auto" with no delay, so no human wait), one
confirmation per document, and once more with one confirmation for the whole batch. Reported:
opening the signer, and milliseconds per document; the difference is what the remote path adds
(HTTP round trips, the confirmation request and its long poll, the server's signature).
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20)
    args = parser.parse_args()
    n = args.docs

    work = Path(tempfile.mkdtemp(prefix="bench-remote-"))
    (work / "tokens").mkdir()
    conf = work / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {work / 'tokens'}\nobjectstore.backend = file\n")
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
    try:
        box.csc.policy.mode = "auto"
        pki = box.pki_services.pki
        token = SoftHsmEnvironment(module, conf, work / "tokens", pki).new_token("Bench", {"leader": "01"})
        sources = [(work / f"doc{i}.pdf", make_pdf(work / f"doc{i}.pdf")) for i in range(n)]
        sign_all_warm = sources[:1]

        with TokenService([module], extra_certs=[pki.intermediate_cert, pki.root_cert]) as service:
            t0 = time.perf_counter()
            with service.open_signer(token.token_label, "leader", lambda request: token.user_pin) as tok:
                token_open = time.perf_counter() - t0
                sign_all(tok.signer, sign_all_warm)
                token_sign = sign_all(tok.signer, sources)

        provider = training_provider(box.csc_url, box.issuer)
        session = _Session(box.issuer)
        t0 = time.perf_counter()
        with open_remote_signer(provider, session, _NoWait()) as remote:
            remote_open = time.perf_counter() - t0
            sign_all(remote.signer, sign_all_warm)
            remote_sign = sign_all(remote.signer, sources)
            each = remote.authorizations
        with open_remote_signer(provider, session, _NoWait()) as remote:
            t0 = time.perf_counter()
            remote.authorize_batch(n)
            sign_all(remote.signer, sources)
            batch_sign = time.perf_counter() - t0
            batch_auth = remote.authorizations
    finally:
        box.stop()
        shutil.rmtree(work, ignore_errors=True)

    per = {name: value / n * 1000 for name, value in
           (("token", token_sign), ("remote", remote_sign), ("batch", batch_sign))}
    print(f"documents: {n}, no TSA, confirmations approved at once (no human wait)")
    print(f"token (SoftHSM2):            open {token_open * 1000:.0f} ms, {per['token']:.1f} ms/doc")
    print(f"remote, one confirmation/doc: open {remote_open * 1000:.0f} ms, {per['remote']:.1f} ms/doc "
          f"({each - 1} confirmations for {n} docs + 1 warm-up)")
    print(f"remote, one for the batch:    {per['batch']:.1f} ms/doc ({batch_auth} confirmation)")
    print(f"added by the remote path: {per['remote'] - per['token']:.1f} ms/doc per-document confirmation, "
          f"{per['batch'] - per['token']:.1f} ms/doc batch")
    return 0


if __name__ == "__main__":
    sys.exit(main())
