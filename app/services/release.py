"""The document rules the signing steps share: which file is signed, and what releasing yields.

iDesk lists a dossier's result files as the "result" attachments of its documents, so releasing
a document also attaches its signed file as a result: that is what "Lấy từ iDesk" and
"Chuyển đến phần mềm iGate" then offer for the dossier.
"""

from __future__ import annotations

from datetime import date

from app.domain import Attachment, IDeskDocument


def signable_attachment(document: IDeskDocument) -> Attachment | None:
    """The PDF to sign: the newest draft, else a result, else any PDF attachment."""
    pdfs = [a for a in document.attachments
            if a.latest is not None and a.latest.file.name.lower().endswith(".pdf")]
    for kind in ("draft", "result"):
        for attachment in pdfs:
            if attachment.kind == kind:
                return attachment
    return pdfs[0] if pdfs else None


def attach_signed_result(idesk, document: IDeskDocument) -> IDeskDocument:
    """Attach the document's signed file as its result. The idempotency key names the exact
    version, so a repeat (after a lost answer, or a second click) adds nothing."""
    signed = signable_attachment(document)
    if signed is None or signed.kind == "result":
        return document
    latest = signed.latest
    idesk.add_attachment(document.id, latest.file.id, latest.file.name, "result",
                         key=f"release-result-{document.id}-{signed.id}-{latest.version}")
    return idesk.get_document(document.id)


def release_with_result(idesk, doc_id: str, number: str, day: date) -> IDeskDocument:
    """Release with the clerk's number and date, then attach the signed file as the result."""
    return attach_signed_result(idesk, idesk.release(doc_id, number, day))
