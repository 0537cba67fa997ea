"""Every call the adapters make is declared in their ENDPOINTS and exists in docs/api/*.yaml."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from app.domain import AttachmentRole, DocumentFolder
from app.errors import ForbiddenError
from app.sandbox.seed_data import PROCESSING
from app.services.digo.idesk import IDeskClient
from app.services.digo.igate import IGateClient

API_DIR = Path(__file__).resolve().parents[2] / "docs" / "api"


def _template(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _pattern(template: str) -> re.Pattern:
    parts = [re.escape(p) for p in _template(template).split("{}")]
    return re.compile("^" + "[^/]+".join(parts) + "$")


def _declared(client_cls, prefix: str = ""):
    return [(m, prefix + p) for m, p in client_cls.ENDPOINTS]


def test_every_request_the_clients_make_is_declared(make_sandbox, connect_as, tmp_path):
    box = make_sandbox()
    hoa = connect_as(box, "hoant")
    ig, idk = hoa.igate, hoa.idesk
    # A tour of every client method.
    ig.me()
    page = ig.search_dossiers(dossier_status=[PROCESSING], assignee="me", size=3)
    dossier = ig.get_dossier(page.items[0].id)
    ig.get_dossier_by_code(dossier.code)
    src = tmp_path / "a.pdf"
    src.write_bytes(b"%PDF-1.4 contract")
    [iref] = ig.upload_files([src])
    ig.upload_file(src)
    ig.file_info(iref.id)
    ig.download_file(iref, tmp_path / "b.pdf")
    ig.attach_result_files(dossier.id, [iref])
    ig.history(dossier.id)
    ig.append_log(dossier.id, dossier.code, "send-to-idesk", {"note": "contract"}, "contract-key")
    ig.list_log(dossier.id)
    idk.me()
    drafts = idk.list_documents(folder=DocumentFolder.DRAFTS)
    idk.get_document(drafts.items[0].id)
    dref = idk.upload_file(src)
    idk.download_file(dref, tmp_path / "c.pdf")
    doc = idk.create_draft("Hợp đồng thử", dossier.code, [dref], key="contract-draft")
    att = idk.add_attachment(doc.id, dref.id, "phu-luc.pdf", "draft", key="contract-att")
    assert idk.set_attachment_role(doc.id, att.id, AttachmentRole.MAIN).role is AttachmentRole.MAIN
    idk.upload_version(doc.id, att.id, src, "initialed", key="contract-ver")
    idk.result_files(dossier.code)
    idk.forward(doc.id, "leader", "Kính trình")
    assert re.match(r"^\d{2,}/KH-STTTT$", connect_as(box, "maipt").idesk.next_number("KH-STTTT", date.today().year))
    with pytest.raises(ForbiddenError):
        idk.release(doc.id, "99/KH-STTTT", date.today())  # a specialist may not release
    with pytest.raises(ForbiddenError):
        idk.register_number(doc.id, "99/KH-STTTT", date.today())
    idk.record_igate_transfer(doc.id, dossier.code, [att.id], [iref.id], key="contract-transfer")

    declared = {
        "igate": [(m, _pattern(p)) for m, p in _declared(IGateClient)],
        "idesk": [(m, _pattern(p)) for m, p in _declared(IDeskClient, "/api/v1")],
    }
    calls = {(r.server, r.method, r.path) for r in box.request_log if r.server in declared}
    undeclared = [c for c in calls if not any(m == c[1] and pat.match(c[2]) for m, pat in declared[c[0]])]
    assert undeclared == []
    used = {(s, m, pat.pattern) for s, m, path in calls for m2, pat in declared[s] if m2 == m and pat.match(path)}
    assert len(used) == len(IGateClient.ENDPOINTS) + len(IDeskClient.ENDPOINTS)


def _spec_paths(name: str) -> set[tuple[str, str]]:
    yaml = pytest.importorskip("yaml")
    spec = yaml.safe_load((API_DIR / name).read_text(encoding="utf-8"))
    base = ""
    for server in spec.get("servers") or ():
        match = re.match(r"^(?:https?://[^/]+)?(/.*?)/?$", str(server.get("url", "")))
        if match:
            base = match.group(1)
    found = set()
    for path, item in (spec.get("paths") or {}).items():
        for method in item:
            if method.lower() in ("get", "post", "put", "delete", "patch", "head"):
                full = path if path.startswith(base) else base + path
                found.add((method.upper(), _template(full)))
    return found


@pytest.mark.parametrize("client_cls, spec, prefix", [(IGateClient, "igate.yaml", ""),
                                                      (IDeskClient, "idesk.yaml", "/api/v1")])
def test_declared_calls_exist_in_the_api_description(client_cls, spec, prefix):
    if not (API_DIR / spec).is_file():
        pytest.skip(f"docs/api/{spec} is not written yet (the sandbox's API description)")
    paths = _spec_paths(spec)
    bare = {(m, p.removeprefix(prefix)) for m, p in paths}
    missing = [(m, p) for m, p in client_cls.ENDPOINTS
               if (m, _template(prefix + p)) not in paths and (m, _template(p)) not in bare]
    assert missing == []
