"""Releasing a signed document makes its signed file the dossier's result, once."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain import DocumentStatus
from app.sandbox.server import Sandbox
from app.services.release import attach_signed_result, release_with_result, signable_attachment


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    box = Sandbox(tmp_path_factory.mktemp("release-sandbox")).start()
    yield box
    box.stop()


def test_release_attaches_the_signed_file_as_the_result_once(box, connect_as):
    clerk = connect_as(box, "maipt")
    summaries = clerk.idesk.list_documents(size=100).items
    summary = next(d for d in summaries
                   if d.status in (DocumentStatus.SIGNED, DocumentStatus.WITH_CLERK) and d.dossier_code)
    document = clerk.idesk.get_document(summary.id)
    signed = signable_attachment(document)
    assert signed is not None and signed.kind != "result"
    before = {r.file.id for r in clerk.idesk.result_files(summary.dossier_code)}
    number = clerk.idesk.next_number("QĐ-STTTT", date.today().year)

    released = release_with_result(clerk.idesk, summary.id, number, date.today())

    assert released.summary.status is DocumentStatus.RELEASED and released.summary.number == number
    results = [r for r in clerk.idesk.result_files(summary.dossier_code) if r.file.id not in before]
    assert [(r.document_id, r.file.sha256) for r in results] == [(summary.id, signed.latest.file.sha256)]
    # A repeat after a lost answer adds no second result.
    attach_signed_result(clerk.idesk, clerk.idesk.get_document(summary.id))
    again = [r for r in clerk.idesk.result_files(summary.dossier_code) if r.file.id not in before]
    assert len(again) == 1
