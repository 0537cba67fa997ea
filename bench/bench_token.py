"""100 PDF signatures on SoftHSM2 with one login: our TokenSigner vs pyHanko's own PKCS11Signer.

Run: python3 bench/bench_token.py [--docs 100]
Both sign the same PDFs with the same key on the same token in the same process, through
pyHanko's `sign_pdf`, one login each. Ours makes every PKCS#11 call on the module's worker
thread; pyHanko's signer calls the module from the calling thread. Target: 100 signatures in
at most 15 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_S = 15.0


def make_pdf(path: Path) -> bytes:
    import pymupdf

    doc = pymupdf.open()
    for number in range(2):
        page = doc.new_page(width=595, height=842)
        page.insert_text((72, 100), f"Kế hoạch số 05/KH-STTTT - trang {number + 1}", fontsize=12)
    doc.save(path)
    doc.close()
    return path.read_bytes()


def sign_all(signer, sources: list[bytes]) -> list[bytes]:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    outputs = []
    for data in sources:
        out = BytesIO()
        signers.sign_pdf(
            IncrementalPdfFileWriter(BytesIO(data)),
            signers.PdfSignatureMetadata(field_name="Sig1"),
            signer=signer,
            output=out,
        )
        outputs.append(out.getvalue())
    return outputs


def check(outputs: list[bytes], pki) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    vc = ValidationContext(trust_roots=[pki.root_cert], other_certs=[pki.intermediate_cert])
    for data in (outputs[0], outputs[-1]):
        status = validate_pdf_signature(PdfFileReader(BytesIO(data)).embedded_signatures[0], vc)
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100)
    args = parser.parse_args()

    from tests.fixtures.token import write_softhsm_conf

    work = Path(tempfile.mkdtemp(prefix="bench-token-"))
    conf, _tokens = write_softhsm_conf(work)
    os.environ["SOFTHSM2_CONF"] = str(conf)

    from app.sandbox.demo_pki import DemoPki
    from app.signing.token import TokenService
    from tests.fixtures.token import SoftHsmEnvironment, softhsm_module

    module = softhsm_module()
    if module is None:
        print("SoftHSM2 is not installed", file=sys.stderr)
        return 2
    pki = DemoPki.create(work / "pki")
    env = SoftHsmEnvironment(module, conf, work / "tokens", pki)
    token = env.new_token("Bench", {"leader": "01"})
    sources = [make_pdf(work / f"doc{i}.pdf") for i in range(args.docs)]

    with TokenService([module], extra_certs=[pki.intermediate_cert, pki.root_cert]) as service:
        t0 = time.perf_counter()
        with service.open_signer(token.token_label, "leader", lambda request: token.user_pin) as ours:
            t1 = time.perf_counter()
            ours_out = sign_all(ours.signer, sources)
            t2 = time.perf_counter()
    ours_login, ours_sign = t1 - t0, t2 - t1

    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    t0 = time.perf_counter()
    session = open_pkcs11_session(
        module, token_criteria=TokenCriteria(label=token.token_label), user_pin=token.user_pin
    )
    try:
        theirs = PKCS11Signer(
            session, cert_label="leader", key_label="leader", other_certs_to_pull=None,
            ca_chain=[pki.intermediate_cert, pki.root_cert],
        )
        t1 = time.perf_counter()
        theirs_out = sign_all(theirs, sources)
        t2 = time.perf_counter()
    finally:
        session.close()
    theirs_login, theirs_sign = t1 - t0, t2 - t1

    check(ours_out, pki)
    check(theirs_out, pki)
    shutil.rmtree(work, ignore_errors=True)
    n = args.docs
    print(f"documents: {n} (one login each)")
    print(f"TokenSigner (worker thread): login {ours_login * 1000:.0f} ms, "
          f"sign {ours_sign:.2f} s, {ours_sign / n * 1000:.1f} ms/doc")
    print(f"pyHanko PKCS11Signer:        login {theirs_login * 1000:.0f} ms, "
          f"sign {theirs_sign:.2f} s, {theirs_sign / n * 1000:.1f} ms/doc")
    print(f"ratio ours/pyHanko: {ours_sign / theirs_sign:.2f}")
    ok = ours_sign <= TARGET_S * n / 100
    print(f"target <= {TARGET_S * n / 100:.1f} s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
