"""`lienthong doc ...`: the whole story of a draft from the terminal, on a draft whose FIRST attachment
is the citizen's form and whose main document is the specialist's file."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pymupdf

from app.domain import AttachmentRole, DocumentStatus
from app.sandbox.seed_data import PROCESSING
from app.signing.trust import TrustStore
from app.signing.verify import verify_pdf
from tests.fixtures.pki import pdfsig
from tests.services.cli_helpers import _env, _login, _run, write_profile
from tests.signing.pdfs import admin_pdf

P12_PASS = {"LT_P12_PASS": "123456"}


def _profile_file(box, path):
    return write_profile(path, box.profile(), extra='place_name = "Bình Định"\nunit_symbol = "STTTT"\n')


def _p12(demo_pki, name):
    return ["--p12", str(demo_pki.user(name).p12_path), "--p12-pass-env", "LT_P12_PASS", "--no-tsa"]


def test_cli_walks_a_draft_and_signs_only_its_main_document(tmp_path, make_sandbox, connect_as, demo_pki,
                                                            demo_nssdb):
    box = make_sandbox()
    profile_file = _profile_file(box, tmp_path / "p.toml")
    envs = {}
    for user in ("hoant", "tuanlv", "maipt"):
        envs[user] = _env(tmp_path / user) | P12_PASS
        assert _login(envs[user], user, "--profile", str(profile_file)).returncode == 0

    def run(user, *args):
        done = _run(envs[user], *args)
        assert done.returncode == 0, done.stderr
        return done

    hoa = connect_as(box, "hoant")
    code = hoa.igate.search_dossiers(dossier_status=[PROCESSING], assignee="me", size=1).items[0].code
    own = admin_pdf(tmp_path / "to-trinh.pdf", symbol="KH-STTTT")
    sent = run("hoant", "transfer", "send", code, "--summary", "Kế hoạch chuyển đổi số", "--file", str(own),
               "--main", str(own))
    doc_id = re.search(r"Dự thảo iDesk: (\S+)", sent.stdout).group(1)
    draft = hoa.idesk.get_document(doc_id)
    citizen = draft.attachments[0]
    assert citizen.kind == "source" and citizen.role is AttachmentRole.MATERIAL
    assert draft.main_document.name == "to-trinh.pdf"

    shown = run("hoant", "doc", "show", doc_id).stdout
    assert f"* {draft.main_document.id}  to-trinh.pdf" in shown and "initials" in shown
    # The citizen's form is never signed, even when asked for by id.
    refused = _run(envs["hoant"], "doc", "initial", doc_id, "--file", citizen.id, *_p12(demo_pki, "specialist"))
    assert refused.returncode == 2 and "không ký hồ sơ kèm theo" in refused.stderr
    run("hoant", "doc", "initial", doc_id, *_p12(demo_pki, "specialist"))
    run("tuanlv", "doc", "sign", doc_id, *_p12(demo_pki, "leader"))
    run("tuanlv", "doc", "forward", doc_id)
    assert hoa.idesk.get_document(doc_id).summary.status is DocumentStatus.WITH_CLERK

    mai = connect_as(box, "maipt")
    expected = mai.idesk.next_number("KH-STTTT", date.today().year)
    # The draft was sent as a Công văn; the clerk gives the symbol printed on the plan.
    numbered = run("maipt", "doc", "number", doc_id, "--symbol", "KH-STTTT")
    assert expected in numbered.stdout
    run("maipt", "doc", "seal", doc_id, *_p12(demo_pki, "seal"))
    released = run("maipt", "doc", "release", doc_id)
    assert "Đã phát hành" in released.stdout

    final = mai.idesk.get_document(doc_id)
    assert final.summary.status is DocumentStatus.RELEASED and final.summary.number == expected
    # The citizen's form still has its one original version; the main document carries every step.
    assert [v.file.sha256 for v in final.attachment(citizen.id).versions] == [citizen.latest.file.sha256]
    main = final.main_document
    assert [v.note.split(":")[0] for v in main.versions] == ["", "initialed", "signed", "numbered", "sealed"]
    result = next(r for r in mai.idesk.result_files(code) if r.document_id == doc_id)
    assert result.file.sha256 == main.latest.file.sha256
    path = mai.idesk.download_file(main.latest.file, tmp_path / "final.pdf")
    assert pdfsig(path, demo_nssdb).count("Signature is Valid.") == 3
    trust = tmp_path / "trust"
    trust.mkdir()
    shutil.copy(demo_pki.root_cert_path, trust / "demo-root.pem")
    shutil.copy(demo_pki.intermediate_cert_path, trust / "demo-ca.pem")
    report = verify_pdf(path, TrustStore.default([trust]))
    assert len(report.signatures) == 3 and report.all_valid, report.describe("en")
    with pymupdf.open(path) as pdf:
        text = pdf[0].get_text()
        values = " ".join(str(w.field_value) for w in pdf[0].widgets() if w.field_type_string == "Text")
    # The printed number is the register's.
    assert expected.split("/")[0] in values and "KH-STTTT" in text

    # A number already taken is refused for another draft.
    other = hoa.transfers.send_to_idesk(hoa.igate.get_dossier_by_code(code), "Khác", [], [own], main=own)
    run("hoant", "doc", "initial", other.id, *_p12(demo_pki, "specialist"))
    run("tuanlv", "doc", "sign", other.id, *_p12(demo_pki, "leader"))
    taken = _run(envs["maipt"], "doc", "number", other.id, "--number", expected)
    assert taken.returncode == 5 and "đã được dùng" in taken.stderr
