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
