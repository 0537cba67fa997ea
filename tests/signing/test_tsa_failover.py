"""A list of TSAs: the first one down, the second stamps; the answering one is asked first next
time; verification names the TSA that stamped."""

from __future__ import annotations

import threading

import pytest

from app.sandbox.serving import BackgroundServer
from app.signing.errors import TsaError
from app.signing.geometry import Placement
from app.signing.options import Profile, SigningRequest, TsaConfig
from app.signing.pades import sign_document
from app.signing.trust import TrustStore
from app.signing.verify import verify_pdf
from tests.fixtures.pki import simple_signer
from tests.signing.cli_helpers import lienthong, trust_dir_with
from tests.signing.pdfs import admin_pdf

BOX = Placement(0, (330.0, 560.0, 500.0, 640.0))


class DeadTsa:
    """A TSA that answers every request with 503, counting them."""

    def __init__(self) -> None:
        self.hits = 0
        self._lock = threading.Lock()
        self.server = BackgroundServer("127.0.0.1", 0)
        self.server.set_app(self._app)
        self.server.start("dead-tsa")
        self.url = f"http://127.0.0.1:{self.server.port}/tsa"

    def _app(self, environ, start_response):
        with self._lock:
            self.hits += 1
        start_response("503 Service Unavailable", [("Content-Type", "text/html")])
        return [b"<html>down</html>"]


@pytest.fixture
def dead_tsa():
    tsa = DeadTsa()
    yield tsa
    tsa.server.stop()


@pytest.fixture(scope="module")
def trust(demo_pki, tmp_path_factory):
    return trust_dir_with(tmp_path_factory.mktemp("tsa-trust"), demo_pki.root_cert_path)


def test_first_down_second_stamps_and_is_remembered(demo_pki, dead_tsa, trust, tmp_path):
    tsa = TsaConfig(url=dead_tsa.url, fallback_urls=(demo_pki.tsa_url,), timeout_s=10)
    signer = simple_signer(demo_pki, "leader")
    results = []
    for n in range(2):
        src = admin_pdf(tmp_path / f"in-{n}.pdf")
        results.append(sign_document(SigningRequest(src, tmp_path / f"out-{n}.pdf", Profile.LEADER, (BOX,), tsa=tsa),
                                     signer))
    assert [r.level for r in results] == ["B-T", "B-T"]
    assert [r.tsa_url for r in results] == [demo_pki.tsa_url] * 2
    assert dead_tsa.hits == 1  # the second document went to the TSA that answered first
    [sig] = verify_pdf(tmp_path / "out-1.pdf", TrustStore.default([trust])).signatures
    assert sig.timestamp_valid and sig.timestamp_authority == "LienThong Demo TSA"
    assert "(cấp bởi LienThong Demo TSA)" in "\n".join(sig.describe("vi"))


def test_every_tsa_down_names_them_all(demo_pki, dead_tsa, tmp_path):
    tsa = TsaConfig(url=dead_tsa.url, fallback_urls=("http://127.0.0.1:9/tsa",), timeout_s=5)
    src = admin_pdf(tmp_path / "in.pdf")
    with pytest.raises(TsaError) as caught:
        sign_document(SigningRequest(src, tmp_path / "out.pdf", Profile.LEADER, (BOX,), tsa=tsa),
                      simple_signer(demo_pki, "leader"))
    assert dead_tsa.url in caught.value.message("vi") and "127.0.0.1:9" in caught.value.message("vi")
    assert not (tmp_path / "out.pdf").exists()


def test_cli_tsa_list_and_verify_shows_the_tsa(demo_pki, dead_tsa, trust, tmp_path):
    src = admin_pdf(tmp_path / "in.pdf")
    out = tmp_path / "out.pdf"
    done = lienthong("sign", src, "-o", out, "--rect", "330,200,500,280", "--tsa", dead_tsa.url,
                     "--tsa", demo_pki.tsa_url, "--tsa-timeout", "10", "--p12", demo_pki.user("leader").p12_path,
                     "--p12-pass-env", "P", env={"P": "123456"}, home=tmp_path)
    assert done.code == 0, done.err
    assert f"Dấu thời gian từ: {demo_pki.tsa_url}" in done.out
    shown = lienthong("verify", out, "--trust-dir", trust)
    assert shown.code == 0, shown.err
    assert "Dấu thời gian: hợp lệ (cấp bởi LienThong Demo TSA)" in shown.out
