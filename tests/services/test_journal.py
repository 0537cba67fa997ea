"""The transfer journal's plan: a typed TransferPlan in memory, the same JSON on disk."""

from __future__ import annotations

import json
import logging

from app.domain import AttachmentRole, FileRef
from app.services.journal import Journal, PlanSource, TransferPlan

STORED = {
    "key": "abc123",
    "action": "send-to-idesk",
    "startedAt": "2026-12-01T08:00:00+00:00",
    "plan": {
        "dossierId": "d1",
        "dossierCode": "000.00.20.H09-261201-0001",
        "summary": "Cấp giấy phép",
        "into": "doc9",
        "sources": [
            {"src": "igate:f1", "origin": "igate", "role": "main",
             "file": {"id": "f1", "name": "don.pdf", "size": 10, "sha256": "aa", "mime_type": "application/pdf"}},
            {"src": "local:bb", "origin": "local", "role": "reference", "staged": "local-00",
             "file": {"id": "local:bb", "name": "ghichu.pdf", "size": 5, "sha256": "bb",
                      "mime_type": "application/pdf"}},
        ],
    },
    "steps": {},
    "done": False,
}


def test_a_stored_journal_loads_as_a_typed_plan(tmp_path):
    (tmp_path / "abc123.json").write_text(json.dumps(STORED), encoding="utf-8")
    entry = Journal(tmp_path).load("abc123")
    assert entry is not None
    plan = entry.plan
    assert (plan.dossier_id, plan.dossier_code, plan.summary, plan.into) == (
        "d1", "000.00.20.H09-261201-0001", "Cấp giấy phép", "doc9")
    main, note = plan.sources
    assert main == PlanSource("igate:f1", "igate", FileRef("f1", "don.pdf", 10, "aa", "application/pdf"),
                              role=AttachmentRole.MAIN)
    assert (note.origin, note.staged, note.role) == ("local", "local-00", AttachmentRole.REFERENCE)
    assert plan.to_json() == STORED["plan"]
    assert entry.to_pending().files_total == 2


def test_a_new_plan_is_written_and_read_back(tmp_path):
    ref = FileRef("r1", "ketqua.pdf", 3, "cc", "application/pdf")
    plan = TransferPlan("d2", "CODE", (PlanSource("idesk:doc:att:v2", "idesk", ref, attachment_id="att"),),
                        document_id="doc")
    journal = Journal(tmp_path)
    journal.create("k1", "transfer-to-igate", plan)
    loaded = journal.load("k1")
    assert loaded is not None and loaded.plan == plan


def test_a_journal_without_a_usable_plan_is_skipped(tmp_path, caplog):
    broken = dict(STORED, plan={"dossierId": "d1", "sources": [{"src": "x"}]})
    (tmp_path / "abc123.json").write_text(json.dumps(broken), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="app.services.journal"):
        assert Journal(tmp_path).load("abc123") is None
        assert Journal(tmp_path).entries() == []
    assert "unreadable transfer journal" in caplog.text
