"""The demo PKI: certificates as specified, and its TSA / OCSP / CRL services over real HTTP."""

from __future__ import annotations

import urllib.error
import urllib.request
from io import BytesIO

import pytest
from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.sandbox.demo_pki import DemoPki
from tests.fixtures.pki import make_pdf, simple_signer, validation_context


def _ext(cert: x509.Certificate, cls):
    return cert.extensions.get_extension_for_class(cls)


def test_leader_certificate_fields(demo_pki):
    user = demo_pki.user("leader")
    cert = user.x509
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Lê Văn Tuấn"
    assert cert.subject.get_attributes_for_oid(NameOID.TITLE)[0].value == "Giám đốc"
    assert (
        cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
        == "Sở Thông tin và Truyền thông tỉnh Bình Định"
    )
    usage = _ext(cert, x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert _ext(cert, x509.SubjectAlternativeName).value.get_values_for_type(x509.RFC822Name) == [
        "tuanlv@stttt.binhdinh.gov.vn"
    ]
    aia = _ext(cert, x509.AuthorityInformationAccess).value
    assert demo_pki.ocsp_url in [d.access_location.value for d in aia]
    dps = _ext(cert, x509.CRLDistributionPoints).value
    assert dps[0].full_name[0].value == demo_pki.crl_url
    assert demo_pki.crl_url.startswith(demo_pki.running_services.base_url)
    assert user.cert.issuer == demo_pki.intermediate_cert.subject
    assert user.key_path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")


def test_seal_and_bad_certificates(demo_pki):
    seal = demo_pki.user("seal").x509
    org = "Sở Thông tin và Truyền thông tỉnh Bình Định"
    assert seal.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == org
    assert seal.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == org
    from datetime import datetime, timezone

    now = datetime.now(timezone.utc)
    assert demo_pki.user("expired").x509.not_valid_after_utc < now
    assert demo_pki.user("not_yet_valid").x509.not_valid_before_utc > now
    usage = _ext(demo_pki.user("no_sign_usage").x509, x509.KeyUsage).value
    assert not usage.digital_signature and not usage.content_commitment
    tsa = x509.load_pem_x509_certificate(demo_pki.tsa_cert_path.read_bytes())
    eku = _ext(tsa, x509.ExtendedKeyUsage)
    assert eku.critical and list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]


def test_pkcs12_opens_with_demo_passphrase(demo_pki):
    from cryptography.hazmat.primitives.serialization import pkcs12

    user = demo_pki.user("clerk")
    key, cert, extra = pkcs12.load_key_and_certificates(user.p12_path.read_bytes(), b"123456")
    assert cert == user.x509 and len(extra) == 2
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(user.p12_path.read_bytes(), b"000000")


def test_create_is_idempotent(demo_pki):
    again = DemoPki.create(demo_pki.directory)
    assert again.user("leader").x509 == demo_pki.user("leader").x509
    assert again.root_cert.dump() == demo_pki.root_cert.dump()
    assert again.base_url == demo_pki.base_url


def _ocsp_status(demo_pki, name):
    cert = demo_pki.user(name).x509
    issuer = x509.load_pem_x509_certificate(demo_pki.intermediate_cert_path.read_bytes())
    req = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA1()).build()
    http = urllib.request.Request(
        demo_pki.ocsp_url,
        data=req.public_bytes(serialization.Encoding.DER),
        headers={"Content-Type": "application/ocsp-request"},
    )
    resp = ocsp.load_der_ocsp_response(urllib.request.urlopen(http, timeout=10).read())
    assert resp.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    return resp.certificate_status


def test_ocsp_answers_good_and_revoked(demo_pki):
    assert _ocsp_status(demo_pki, "leader") == ocsp.OCSPCertStatus.GOOD
    assert _ocsp_status(demo_pki, "revoked") == ocsp.OCSPCertStatus.REVOKED


def test_crl_lists_only_the_revoked_user(demo_pki):
    der = urllib.request.urlopen(demo_pki.crl_url, timeout=10).read()
    crl = x509.load_der_x509_crl(der)
    inter = x509.load_pem_x509_certificate(demo_pki.intermediate_cert_path.read_bytes())
    assert crl.is_signature_valid(inter.public_key())
    assert crl.get_revoked_certificate_by_serial_number(demo_pki.user("revoked").x509.serial_number)
    assert crl.get_revoked_certificate_by_serial_number(demo_pki.user("leader").x509.serial_number) is None


class _Tsa:
    def __init__(self, url, auth=None):
        from pyhanko.sign.timestamps import HTTPTimeStamper

        self.stamper = HTTPTimeStamper(url, auth=auth, timeout=10)

    def timestamp(self, digest, md):
        import asyncio

        return asyncio.run(self.stamper.async_timestamp(digest, md))


def _tsa_request(url, auth=None):
    return _Tsa(url, auth)


def test_tsa_basic_auth_is_enforced(demo_pki):
    import hashlib

    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    digest = hashlib.sha256(b"x").digest()
    with pytest.raises(TimestampRequestError):
        _tsa_request(demo_pki.tsa_auth_url).timestamp(digest, "sha256")
    with pytest.raises(TimestampRequestError):
        _tsa_request(demo_pki.tsa_auth_url, auth=(demo_pki.tsa_username, "sai")).timestamp(digest, "sha256")
    token = _tsa_request(demo_pki.tsa_auth_url, auth=(demo_pki.tsa_username, demo_pki.tsa_password)).timestamp(
        digest, "sha256"
    )
    info = token["content"]["encap_content_info"]["content"].parsed
    assert isinstance(info, tsp.TSTInfo)
    assert info["message_imprint"]["hashed_message"].native == digest


def _validate(demo_pki, data: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    reader = PdfFileReader(BytesIO(data))
    vc = validation_context(demo_pki)
    return validate_pdf_signature(reader.embedded_signatures[0], vc)


def _sign(demo_pki, tmp_path, name):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps import HTTPTimeStamper

    pdf = make_pdf(tmp_path / "in.pdf")
    out = BytesIO()
    with open(pdf, "rb") as fh:
        signers.sign_pdf(
            IncrementalPdfFileWriter(fh),
            signers.PdfSignatureMetadata(field_name="Sig1"),
            signer=simple_signer(demo_pki, name),
            timestamper=HTTPTimeStamper(demo_pki.tsa_url, timeout=10),
            output=out,
        )
    return out.getvalue()


def test_signature_with_timestamp_validates_against_demo_root(demo_pki, tmp_path):
    before = dict(demo_pki.running_services.counts)
    status = _validate(demo_pki, _sign(demo_pki, tmp_path, "leader"))
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    counts = demo_pki.running_services.counts
    assert counts["tsa"] > before["tsa"]
    assert counts["ocsp"] + counts["crl"] > before["ocsp"] + before["crl"]


def test_revoked_signer_is_not_trusted(demo_pki, tmp_path):
    status = _validate(demo_pki, _sign(demo_pki, tmp_path, "revoked"))
    assert status.intact and status.valid and not status.trusted


def test_ports_rebound_reissue_certificates(tmp_path, demo_pki):
    import shutil

    copy = tmp_path / "pki"
    shutil.copytree(demo_pki.directory, copy)
    other = DemoPki.create(copy)
    root_before = other.root_cert.dump()
    with other.services() as running:
        assert running.base_url != demo_pki.base_url
        dps = _ext(other.user("leader").x509, x509.CRLDistributionPoints).value
        assert dps[0].full_name[0].value == running.crl_url
        assert other.root_cert.dump() == root_before
        assert urllib.request.urlopen(running.crl_url, timeout=10).status == 200
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(running.crl_url, timeout=2)


def test_outage_makes_services_unavailable_for_a_while(demo_pki):
    services = demo_pki.running_services
    with services.outage("ocsp", "crl"):
        for url in (demo_pki.crl_url, demo_pki.root_crl_url):
            with pytest.raises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(url, timeout=5)
            assert caught.value.code == 503
        with pytest.raises(urllib.error.HTTPError):
            _ocsp_status(demo_pki, "leader")
    assert urllib.request.urlopen(demo_pki.crl_url, timeout=5).status == 200
    assert _ocsp_status(demo_pki, "leader") == ocsp.OCSPCertStatus.GOOD
    with pytest.raises(ValueError):
        with services.outage("nothing"):
            pass


@pytest.fixture
def office_proxy(monkeypatch):
    """A fixed proxy in the system settings, as office PCs have, that answers nothing."""
    import socket

    from app.services.httpclient import _proxy_settings

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(name, dead)
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    _proxy_settings.cache_clear()
    yield dead
    _proxy_settings.cache_clear()


def test_time_stamps_and_revocation_fetches_on_this_machine_skip_the_office_proxy(demo_pki, office_proxy):
    """The training TSA, OCSP and CRL answer on 127.0.0.1: a proxy cannot reach them, and
    Windows never sends loopback through one (requests alone would)."""
    import asyncio
    import hashlib

    from app.services.httpclient import system_proxy
    from app.signing.fetchers import VerifyingFetcherBackend
    from app.signing.options import TsaConfig
    from app.signing.tsa import timestamper_for

    assert system_proxy("https", "tsa.ca.gov.vn") == office_proxy  # the setting is seen
    digest = hashlib.sha256(b"x").digest()
    token = asyncio.run(timestamper_for(TsaConfig(demo_pki.tsa_url, timeout_s=10)).async_timestamp(digest, "sha256"))
    info = token["content"]["encap_content_info"]["content"].parsed
    assert info["message_imprint"]["hashed_message"].native == digest
    crl = VerifyingFetcherBackend(verify=True).get_fetchers().crl_fetcher
    got = asyncio.run(crl._get(demo_pki.crl_url, acceptable_content_types=("application/pkix-crl",)))
    assert x509.load_der_x509_crl(got.content)
