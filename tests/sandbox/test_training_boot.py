"""The training profile: its own TSA/OCSP/CRL server, recorded in training.json and reused."""

from __future__ import annotations

import json
from types import SimpleNamespace

from cryptography import x509

from app.cli.gui import training_signer
from app.cli.training import STATE_FILE, open_training
from app.domain import Role
from app.sandbox.demo_pki import P12_PASSPHRASE, DemoPki
from app.signing.options import Profile, SigningRequest, TsaConfig
from app.signing.pades import sign_document
from app.signing.soft_signer import open_soft_signer
from tests.fixtures.pki import make_pdf


def _ocsp_url(cert: x509.Certificate) -> str:
    aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    return next(d.access_location.value for d in aia if d.access_method == x509.AuthorityInformationAccessOID.OCSP)


def test_training_profile_timestamps_with_its_own_tsa(app_paths, tmp_path):
    from pyhanko_certvalidator import ValidationContext

    from tests.signing.checks import hanko_statuses

    servers = open_training(app_paths)
    try:
        box, profile = servers.sandbox, servers.profile
        assert profile.is_training and profile.tsa_url == box.tsa_url
        assert profile.tsa_url.startswith("http://127.0.0.1:") and "ca.gov.vn" not in profile.tsa_url
        # The GUI's training signer reads the p12 from the PKI the running services answer for.
        leader = SimpleNamespace(roles=(Role.LEADER,))
        p12 = training_signer(servers.pki_dir)(leader)
        pki = DemoPki.create(servers.pki_dir)
        assert p12 == pki.user("leader").p12_path
        assert _ocsp_url(pki.user("leader").x509) == box.ocsp_url

        before = box.pki_services.counts["tsa"]
        out = tmp_path / "signed.pdf"
        with open_soft_signer(p12, P12_PASSPHRASE) as soft:
            request = SigningRequest(make_pdf(tmp_path / "in.pdf"), out, Profile.LEADER, tsa=TsaConfig(profile.tsa_url))
            result = sign_document(request, soft.signer)
        assert result.level == "B-T"
        assert box.pki_services.counts["tsa"] > before

        # Trust only the demo root; revocation is fetched from the addresses in the certificates.
        vc = ValidationContext(trust_roots=[pki.root_cert], other_certs=[pki.intermediate_cert], allow_fetching=True)
        [(_, status)] = hanko_statuses(out, vc)
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()
        stamp = status.timestamp_validity
        assert stamp is not None and stamp.intact and stamp.valid and stamp.trusted
        assert box.pki_services.counts["ocsp"] + box.pki_services.counts["crl"] > 0
    finally:
        servers.stop()


def test_training_json_carries_the_tsa_and_a_restart_keeps_its_address(app_paths):
    first = open_training(app_paths)
    try:
        state = json.loads((app_paths.config_dir / STATE_FILE).read_text(encoding="utf-8"))
        assert state["tsa_url"] == first.profile.tsa_url
        assert state["ocsp_url"] == first.sandbox.ocsp_url and state["pki_dir"] == str(first.pki_dir)
        reused = open_training(app_paths)  # answers at the recorded addresses: not started again
        assert reused.sandbox is None
        assert reused.profile == first.profile and reused.pki_dir == first.pki_dir
        cert_before = DemoPki.create(first.pki_dir).user("specialist").x509
    finally:
        first.stop()

    again = open_training(app_paths)  # a new in-process sandbox on the remembered ports
    try:
        assert again.sandbox is not None and again.profile == first.profile
        # Same port, so the certificates were not re-issued.
        assert DemoPki.create(again.pki_dir).user("specialist").x509 == cert_before
    finally:
        again.stop()


def test_a_record_without_a_tsa_is_not_reused(app_paths, sandbox):
    # A sandbox started without the demo PKI offers no TSA: training would fall back to the real one.
    assert sandbox.tsa_url == "" and sandbox.profile().tsa_url is None
    record = {"issuer": sandbox.issuer, "igate_url": sandbox.igate_url, "idesk_url": sandbox.idesk_url}
    (app_paths.config_dir / STATE_FILE).write_text(json.dumps(record), encoding="utf-8")
    servers = open_training(app_paths)
    try:
        assert servers.sandbox is not None and servers.profile.issuer != sandbox.issuer
        assert servers.profile.tsa_url == servers.sandbox.tsa_url != ""
    finally:
        servers.stop()


def test_a_first_start_in_the_background_still_gives_the_trainee_a_certificate(app_paths):
    servers = open_training(app_paths, background=True)
    try:
        leader = SimpleNamespace(roles=(Role.LEADER,))
        # The signer waits for the PKI being made on the sandbox's thread.
        p12 = training_signer(servers.pki_dir, servers.wait_pki)(leader)
        assert p12 is not None and p12.exists()
        assert _ocsp_url(DemoPki.create(servers.pki_dir).user("leader").x509) == servers.sandbox.ocsp_url
    finally:
        servers.stop()


def test_a_recorded_sandbox_that_answers_slowly_is_still_reused(tmp_path):
    # A busy PC answers late; a second sandbox beside the first would split the officer's data.
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qs, urlsplit

    from app.cli.training import _answers
    from app.sandbox.owner import PROOF_PATH, load_or_create_owner_key, owner_proof

    key = load_or_create_owner_key(tmp_path)

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            time.sleep(2.0)  # longer than the old 1.5 s limit
            url = urlsplit(self.path)
            if url.path == PROOF_PATH:
                body = {"proof": owner_proof(key, parse_qs(url.query)["nonce"][0])}
            else:
                body = {"issuer": issuer}
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    issuer = f"http://127.0.0.1:{server.server_address[1]}/auth/realms/digo"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert _answers(issuer, tmp_path)
    finally:
        server.shutdown()
        server.server_close()
