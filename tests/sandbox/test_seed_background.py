"""First start: the training servers listen at once and the training data is created behind them."""

from __future__ import annotations

import threading

import pytest
import requests

from app.sandbox.seed import ensure_seeded
from app.sandbox.server import Sandbox
from tests.fixtures.sandbox import sandbox_tokens
from tests.sandbox.conftest import Api


def test_start_does_not_wait_for_seeding_and_requests_wait_for_the_data(tmp_path):
    seeding, release = threading.Event(), threading.Event()

    def held_seeder(data_dir):
        seeding.set()
        assert release.wait(120)
        return ensure_seeded(data_dir)

    box = Sandbox(tmp_path / "box", seed_in_background=True, seeder=held_seeder).start()
    try:
        # start() returned while the data is still being created.
        assert seeding.wait(60) and box.issuer
        answers: list[object] = []

        def search() -> list:
            api = Api(box.igate_url, sandbox_tokens(box, "hoant").access)
            reply = api.get("pa/dossier/search", params={"spec": "page", "page": 0, "size": 200})
            assert reply.status_code == 200, reply.text
            return sorted(d["id"] for d in reply.json()["content"])

        def officer() -> None:
            try:
                answers.append(search())
            except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread below
                answers.append(exc)

        thread = threading.Thread(target=officer)
        thread.start()
        release.set()
        thread.join(120)
        box.wait_seeded(0)
        # The request sent while seeding saw the same, complete data as one sent afterwards.
        [first] = answers
        if isinstance(first, BaseException):
            raise first
        assert first and first == search()
    finally:
        release.set()
        box.stop()


@pytest.mark.log_warnings
def test_a_failed_seeding_is_reported_not_served(tmp_path):
    def broken_seeder(_data_dir):
        raise OSError("disk full")

    box = Sandbox(tmp_path / "box", seed_in_background=True, seeder=broken_seeder).start()
    try:
        with pytest.raises(OSError, match="disk full"):
            box.wait_seeded(60)
        assert requests.get(box.igate_url + "pa/dossier/search", timeout=30).status_code == 503
    finally:
        box.stop()


def test_the_demo_pki_is_made_behind_listening_services(tmp_path, monkeypatch):
    from cryptography import x509

    from app.sandbox.demo_pki import DemoPki

    making, release = threading.Event(), threading.Event()
    create = DemoPki.create.__func__

    def held_create(cls, directory, *args, **kwargs):
        making.set()
        assert release.wait(120)
        return create(cls, directory, *args, **kwargs)

    monkeypatch.setattr(DemoPki, "create", classmethod(held_create))
    box = Sandbox(tmp_path / "box", pki=True, seed_in_background=True, pki_in_background=True).start()
    try:
        # start() returned with every address known while the PKI is still being made.
        assert making.wait(60) and box.tsa_url and box.crl_url and box.csc_url
        assert not (box.pki_dir / "pki.json").exists()
        answers: list[object] = []

        def fetch_crl() -> None:
            try:
                answers.append(requests.get(box.crl_url, timeout=120))
            except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread below
                answers.append(exc)

        thread = threading.Thread(target=fetch_crl)
        thread.start()
        release.set()
        thread.join(120)
        box.wait_pki(60)
        [reply] = answers
        if isinstance(reply, BaseException):
            raise reply
        assert reply.status_code == 200 and reply.content
        # The certificates point at the port bound before the PKI existed.
        cert = DemoPki.create(box.pki_dir).user("leader").x509
        points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        assert points[0].full_name[0].value == box.crl_url
        assert requests.post(box.csc_url + "info", json={}, timeout=30).status_code == 200
    finally:
        release.set()
        box.stop()


def test_a_first_start_binds_at_once_and_builds_the_servers_behind_the_ports(tmp_path, monkeypatch):
    from app.sandbox import keys

    building, release = threading.Event(), threading.Event()
    make_key = keys.load_or_create_signing_key

    def held_key(data_dir):
        building.set()
        assert release.wait(30), "start() waited for the servers to be built"
        return make_key(data_dir)

    monkeypatch.setattr(keys, "load_or_create_signing_key", held_key)
    box = Sandbox(tmp_path / "box", pki=True, seed_in_background=True, pki_in_background=True).start()
    try:
        assert building.wait(60) and box.issuer and box.igate_url and box.tsa_url and box.csc_url
        assert box.apps == {}
        answers: list[object] = []

        def discover() -> None:
            try:
                answers.append(requests.get(box.issuer + "/.well-known/openid-configuration", timeout=120))
            except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread below
                answers.append(exc)

        thread = threading.Thread(target=discover)
        thread.start()
        release.set()
        thread.join(120)
        [reply] = answers
        if isinstance(reply, BaseException):
            raise reply
        assert reply.status_code == 200 and reply.json()["issuer"] == box.issuer
        box.wait_seeded(120)
        box.wait_pki(120)
    finally:
        release.set()
        box.stop()


@pytest.mark.log_warnings
def test_servers_that_cannot_be_built_close_their_ports(tmp_path, monkeypatch):
    from app.sandbox import keys

    def broken_key(_data_dir):
        raise OSError("disk full")

    monkeypatch.setattr(keys, "load_or_create_signing_key", broken_key)
    box = Sandbox(tmp_path / "box", pki=True, seed_in_background=True, pki_in_background=True).start()
    try:
        with pytest.raises(OSError, match="disk full"):
            box.wait_seeded(60)
        with pytest.raises(OSError, match="disk full"):
            box.wait_pki(60)
        with pytest.raises(requests.ConnectionError):
            requests.get(box.igate_url, timeout=30)
    finally:
        box.stop()


def test_a_seeded_sandbox_answers_before_its_demo_pki_is_loaded(tmp_path, monkeypatch):
    """Every start after the first: sign-in and the lists do not wait for the demo PKI (only
    seeding signs with it); its services follow once it is loaded."""
    from app.sandbox import demo_pki

    Sandbox(tmp_path / "box", pki=True).start().stop()  # the first start: the data and the PKI
    loading, release = threading.Event(), threading.Event()
    create = demo_pki.DemoPki.create.__func__

    def held_create(cls, *args, **kwargs):
        loading.set()
        assert release.wait(120)
        return create(cls, *args, **kwargs)

    monkeypatch.setattr(demo_pki.DemoPki, "create", classmethod(held_create))
    box = Sandbox(tmp_path / "box", pki=True, seed_in_background=True, pki_in_background=True).start()
    try:
        assert loading.wait(60)
        reply = requests.get(box.issuer + "/.well-known/openid-configuration", timeout=10)
        assert reply.status_code == 200 and reply.json()["issuer"] == box.issuer
        api = Api(box.igate_url, sandbox_tokens(box, "hoant").access)
        assert api.get("pa/dossier/search", params={"spec": "page", "page": 0, "size": 5}).status_code == 200
        release.set()
        box.wait_pki(120)
        assert box.pki_services is not None and "csc" in box.apps
    finally:
        release.set()
        box.stop()
