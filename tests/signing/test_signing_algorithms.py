"""Algorithm agility on a SoftHSM token: RSASSA-PSS when asked and offered, ECDSA P-256 keys;
the outputs validate with pyHanko and pdfsig."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader

from app.signing.backend_signer import BackendPdfSigner
from app.signing.geometry import Placement
from app.signing.options import Profile, SigningRequest, TsaConfig
from app.signing.pades import sign_document
from app.signing.token import TokenService
from app.signing.trust import TrustStore
from app.signing.verify import verify_pdf
from tests.fixtures.pki import pdfsig
from tests.fixtures.token import _run
from tests.signing.cli_helpers import trust_dir_with
from tests.signing.pdfs import admin_pdf

BOX = Placement(0, (330.0, 560.0, 500.0, 640.0))
SHARED = "LienThong Test"


@pytest.fixture(scope="module")
def trust(demo_pki, tmp_path_factory):
    return trust_dir_with(tmp_path_factory.mktemp("algo-trust"), demo_pki.root_cert_path)


@pytest.fixture
def service(softhsm_token, demo_pki):
    svc = TokenService([softhsm_token.module_path], extra_certs=[demo_pki.intermediate_cert, demo_pki.root_cert])
    yield svc
    svc.close()


def signature_algorithm(path) -> str:
    with open(path, "rb") as fh:
        sig = PdfFileReader(fh).embedded_signatures[-1]
        return sig.signer_info["signature_algorithm"]["algorithm"].native


def sign_and_check(signer, demo_pki, trust, tmp_path, nssdb) -> str:
    src = admin_pdf(tmp_path / "in.pdf")
    out = tmp_path / "out.pdf"
    result = sign_document(SigningRequest(src, out, Profile.LEADER, (BOX,), tsa=TsaConfig(demo_pki.tsa_url)), signer)
    assert result.level == "B-T"
    report = verify_pdf(out, TrustStore.default([trust]))
    assert report.all_valid, report.signatures
    info = pdfsig(out, nssdb)
    assert "Signature is Valid." in info
    return signature_algorithm(out)


def test_rsassa_pss_on_the_token(service, softhsm_token, demo_pki, demo_nssdb, trust, tmp_path):
    with service.open_signer(SHARED, "leader", lambda request: softhsm_token.user_pin) as opened:
        assert opened.use_pss()
        assert sign_and_check(opened.signer, demo_pki, trust, tmp_path, demo_nssdb) == "rsassa_pss"


def test_pkcs1_stays_the_default(service, softhsm_token, demo_pki, demo_nssdb, trust, tmp_path):
    with service.open_signer(SHARED, "leader", lambda request: softhsm_token.user_pin) as opened:
        assert isinstance(opened.signer, BackendPdfSigner)  # the same pyHanko Signer as a remote credential
        assert sign_and_check(opened.signer, demo_pki, trust, tmp_path, demo_nssdb) == "sha256_rsa"


def test_ecdsa_p256_key_on_a_token(softhsm_env, demo_pki, demo_nssdb, trust, tmp_path):
    key_pem, cert = demo_pki.issue_ec("leader", "leader_ec")
    token = softhsm_env.new_token(softhsm_env.unique_label(), {})
    try:
        (tmp_path / "key.pem").write_bytes(key_pem)
        (tmp_path / "cert.der").write_bytes(cert.public_bytes(serialization.Encoding.DER))
        _run(["softhsm2-util", "--import", str(tmp_path / "key.pem"), "--token", token.token_label,
              "--label", "leader_ec", "--id", "11", "--pin", token.user_pin])
        _run(["pkcs11-tool", "--module", token.module_path, "--token-label", token.token_label, "--login",
              "--pin", token.user_pin, "--write-object", str(tmp_path / "cert.der"), "--type", "cert",
              "--id", "11", "--label", "leader_ec"])
        with TokenService([token.module_path], extra_certs=[demo_pki.intermediate_cert, demo_pki.root_cert]) as svc:
            with svc.open_signer(token.token_label, "leader_ec", lambda request: token.user_pin) as opened:
                assert not opened.use_pss()  # an EC key: PSS does not apply, ECDSA it is
                assert sign_and_check(opened.signer, demo_pki, trust, tmp_path, demo_nssdb) == "sha256_ecdsa"
    finally:
        token.remove()
