"""The command line prints server text without its terminal escape sequences."""

from __future__ import annotations

from app.sandbox.seed_data import PROCESSING
from tests.security.hostile import rename_component_files
from tests.services.cli_helpers import _env, _login, _run, write_profile

# Clear the screen, retitle the window, a fake green "approved", a hyperlink, an 8-bit CSI.
ESCAPES = "\x1b[2J\x1b]0;owned\x07\x1b[32mDA PHE DUYET\x1b[0m\x1b]8;;http://x.example\x1b\\link\x1b]8;;\x1b\\\x9b5n"


def test_transfer_output_has_no_escape_sequences(tmp_path, make_sandbox, connect_as):
    box = make_sandbox()
    rename_component_files(box, [f"{ESCAPES}giay-to.pdf"])
    profile_file = write_profile(tmp_path / "p.toml", box.profile())
    env = _env(tmp_path)
    assert _login(env, "hoant", "--profile", str(profile_file)).returncode == 0
    hoa = connect_as(box, "hoant")
    code = hoa.igate.search_dossiers(dossier_status=[PROCESSING], assignee="me", size=1).items[0].code

    sent = _run(env, "transfer", "send", code, "--summary", f"Trích yếu {ESCAPES}")
    assert sent.returncode == 0, sent.stderr
    assert "giay-to.pdf" in sent.stdout and "DA PHE DUYET" in sent.stdout
    for stream in (sent.stdout, sent.stderr):
        assert "\x1b" not in stream and "\x9b" not in stream and "\x07" not in stream
