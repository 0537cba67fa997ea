"""`lienthong transfer send|fetch|push|pending` as subprocesses against a fresh sandbox."""

from __future__ import annotations

import re

from app.domain import DocumentFolder
from app.sandbox.seed_data import PROCESSING, WAITING
from tests.services.cli_helpers import _env, _login, _run, write_profile


def test_cli_transfers(tmp_path, make_sandbox, connect_as):
    box = make_sandbox()
    profile_file = write_profile(tmp_path / "p.toml", box.profile())
    env = _env(tmp_path)
    assert _login(env, "hoant", "--profile", str(profile_file)).returncode == 0
    hoa = connect_as(box, "hoant")
    code = hoa.igate.search_dossiers(dossier_status=[PROCESSING], assignee="me", size=1).items[0].code
    local = tmp_path / "ghi-chu.txt"
    local.write_text("Ghi chú kèm hồ sơ", encoding="utf-8")

    sent = _run(env, "transfer", "send", code, "--summary", "Trích yếu từ dòng lệnh", "--file", str(local))
    assert sent.returncode == 0, sent.stderr
    draft_id = re.search(r"Dự thảo iDesk: (\S+)", sent.stdout).group(1)
    assert "ghi-chu.txt" in sent.stdout and "[100%] Hoàn tất" in sent.stderr
    again = _run(env, "transfer", "send", code, "--summary", "Trích yếu từ dòng lệnh", "--file", str(local))
    assert re.search(r"Dự thảo iDesk: (\S+)", again.stdout).group(1) == draft_id
    assert [d.id for d in hoa.idesk.list_documents(folder=DocumentFolder.DRAFTS, dossier_code=code).items] == [draft_id]

    waiting = hoa.igate.search_dossiers(dossier_status=[WAITING], assignee="me", size=50).items
    with_results = next(s for s in waiting if hoa.idesk.result_files(s.code))
    fetched = _run(env, "transfer", "fetch", with_results.code)
    assert fetched.returncode == 0, fetched.stderr
    assert f"Hồ sơ {with_results.code}" in fetched.stdout

    pending = _run(env, "transfer", "pending")
    assert pending.returncode == 0 and "Không có lượt chuyển nào đang dở" in pending.stdout
    missing = _run(env, "transfer", "push", "no-such-document")
    assert missing.returncode == 5 and "Không tìm thấy" in missing.stderr
