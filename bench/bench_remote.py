"""Time the remote (CSC) path adds over the token path, the human wait excluded.

Run: python3 bench/bench_remote.py [--docs 20] [--rounds 3] [--server process|thread] [--json rows.json]
The same PDFs are signed with the same leader key as the app signs a batch (`batch.sign_many`,
no TSA, files written and checked): on a SoftHSM2 token (one login), through the sandbox's
remote-signing service on 127.0.0.1 with confirmations approved at once ("auto" with no delay,
so no human wait), one confirmation per document, and with one confirmation for the whole
batch. The service runs in a process of its own, as the GUI's training sandbox does and as a
provider's server is not on the officer's computer (`--server thread`: in this process, where
its work takes Python's lock from the app's). The three alternate in each round (the machine's
load hits them alike) and the median round counts. Reported: opening the signer, and
milliseconds per document; the difference is what the remote path adds (HTTP round trips, the
confirmation request and its long poll, the server's signature). Target: the remote path at
most 1.5x the token's time per document, the token measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
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
    from app.signing.batch import sign_many
    from app.signing.options import Profile, SigningRequest

    requests = [SigningRequest(path, path.with_suffix(".out.pdf"), Profile.APPENDIX, reserve_number_fields=False)
                for path, _data in sources]
    t0 = time.perf_counter()
    results = sign_many(requests, signer)
    elapsed = time.perf_counter() - t0
    failed = [r.error for r in results if not r.ok]
    if failed:
        raise RuntimeError(f"{len(failed)} documents not signed: {failed[0]!r}")
    return elapsed


def serve(directory: Path) -> int:
    """The child of `--server process`: the sandbox with confirmations approved at once, until
    stdin closes; its addresses as one JSON line on stdout."""
    from app.sandbox.server import Sandbox

    box = Sandbox(directory, pki=True).start()
    try:
        box.csc.policy.mode = "auto"
        print(json.dumps({"issuer": box.issuer, "csc_url": box.csc_url, "pki_dir": str(box.pki_dir)}), flush=True)
        sys.stdin.read()
    finally:
        box.stop()
    return 0


class _Service:
    """The sandbox's issuer, CSC address and demo PKI, served here or by a child process."""

    def __init__(self, work: Path, where: str) -> None:
        from app.sandbox.demo_pki import DemoPki

        self._box = None
        self._child: subprocess.Popen[str] | None = None
        if where == "thread":
            from app.sandbox.server import Sandbox

            box = self._box = Sandbox(work / "sandbox", pki=True).start()
            box.csc.policy.mode = "auto"
            self.issuer, self.csc_url, self.pki = box.issuer, box.csc_url, box.pki_services.pki
            return
        child = self._child = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--serve", str(work / "sandbox")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        line = child.stdout.readline()
        if not line:
            raise RuntimeError(f"the sandbox process stopped: exit code {child.wait()}")
        addresses = json.loads(line)
        self.issuer, self.csc_url = addresses["issuer"], addresses["csc_url"]
        self.pki = DemoPki.create(Path(addresses["pki_dir"]))

    def stop(self) -> None:
        if self._box is not None:
            self._box.stop()
        if self._child is not None:
            assert self._child.stdin is not None
            self._child.stdin.close()
            self._child.wait()


TARGET_RATIO = 1.5


def main() -> int:
    import statistics

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--server", choices=("process", "thread"), default="process",
                        help="the remote-signing service in a process of its own (default) or in this one")
    parser.add_argument("--json", type=Path, help="write the rows for bench/run_all.py")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        return serve(args.serve)
    n = args.docs

    from tests.fixtures.token import write_softhsm_conf

    work = Path(tempfile.mkdtemp(prefix="bench-remote-"))
    conf, _tokens = write_softhsm_conf(work)
    os.environ["SOFTHSM2_CONF"] = str(conf)

    from app.signing.remote.provider import open_remote_signer, training_provider
    from app.signing.token import TokenService
    from tests.fixtures.token import SoftHsmEnvironment, softhsm_module

    module = softhsm_module()
    if module is None:
        print("SoftHSM2 is not installed", file=sys.stderr)
        return 2
    box = _Service(work, args.server)
    times: dict[str, list[float]] = {"token": [], "remote": [], "batch": []}
    cpu: dict[str, list[float]] = {"token": [], "remote": [], "batch": []}  # this process's
    try:
        pki = box.pki
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
                    def whole_batch() -> float:
                        t0 = time.perf_counter()
                        batch.authorize_batch(n)
                        sign_all(batch.signer, sources)
                        return time.perf_counter() - t0

                    paths = {"token": lambda: sign_all(tok.signer, sources),
                             "remote": lambda: sign_all(remote.signer, sources), "batch": whole_batch}
                    for _ in range(args.rounds):
                        for name, run in paths.items():
                            c0 = time.process_time()
                            times[name].append(run())
                            cpu[name].append(time.process_time() - c0)
                    each = (remote.authorizations - each_before) // args.rounds
                    batch_auth = (batch.authorizations - batch_before) // args.rounds
    finally:
        box.stop()
        shutil.rmtree(work, ignore_errors=True)

    per = {name: statistics.median(values) / n * 1000 for name, values in times.items()}
    where = "its own process" if args.server == "process" else "this process"
    print(f"documents: {n}, rounds: {args.rounds} (median), no TSA, confirmations approved at once (no human wait), "
          f"remote-signing service in {where}")
    print(f"token (SoftHSM2):             open {token_open * 1000:.0f} ms, {per['token']:.1f} ms/doc")
    print(f"remote, one confirmation/doc: open {remote_open * 1000:.0f} ms, {per['remote']:.1f} ms/doc "
          f"({each} confirmations for {n} docs)")
    print(f"remote, one for the batch:    {per['batch']:.1f} ms/doc ({batch_auth} confirmation for {n} docs)")
    cpu_per = {name: statistics.median(values) / n * 1000 for name, values in cpu.items()}
    print(f"cpu of this process, ms/doc: token {cpu_per['token']:.1f}, remote {cpu_per['remote']:.1f} "
          f"({cpu_per['remote'] / cpu_per['token']:.2f}x), one for the batch {cpu_per['batch']:.1f} "
          f"({cpu_per['batch'] / cpu_per['token']:.2f}x)")
    print(f"added by the remote path: {per['remote'] - per['token']:.1f} ms/doc "
          f"({per['remote'] / per['token']:.2f}x) with a confirmation per document, "
          f"{per['batch'] - per['token']:.1f} ms/doc ({per['batch'] / per['token']:.2f}x) with one for the batch")
    if args.json:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from rows import Row, write_rows

        token_label = "token (SoftHSM2), ms/doc"
        write_rows(args.json, [
            Row("remote signing, one confirmation per doc (ms/doc)", per["remote"], "ms", TARGET_RATIO,
                per["token"], token_label, note=f"{n} docs, no TSA, approval at once, provider in {where}"),
            Row("remote signing, one confirmation per batch (ms/doc)", per["batch"], "ms", TARGET_RATIO,
                per["token"], token_label, note=f"{n} docs, {batch_auth} confirmation"),
        ])
    return 0


if __name__ == "__main__":
    sys.exit(main())
