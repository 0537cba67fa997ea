"""`lienthong verify` as a subprocess: text, JSON, exit codes for valid, tampered, untrusted, bad input."""

from __future__ import annotations

import json

import pytest

from tests.signing.cli_helpers import lienthong, trust_dir_with
from tests.signing.verify_helpers import http_timestamper, make_pdf, sign_with

LEADER = "Lê Văn Tuấn"


@pytest.fixture(scope="module")
def signed(demo_pki, tmp_path_factory):
    d = tmp_path_factory.mktemp("cli-verify")
    make_pdf(d / "in.pdf")
    sign_with(demo_pki, d / "in.pdf", d / "a.pdf", timestamper=http_timestamper(demo_pki))
    sign_with(demo_pki, d / "a.pdf", d / "signed.pdf", user="clerk", field="Seal")
    trust = trust_dir_with(d, demo_pki.root_cert_path)
    return d / "signed.pdf", trust


def test_json_fields_and_exit_zero(signed):
    pdf, trust = signed
    done = lienthong("verify", pdf, "--json", "--trust-dir", trust)
    assert done.code == 0, done.err
    data = json.loads(done.out)
    assert data["status"] == "valid" and data["status_vi"] == "Hợp lệ"
    first, second = data["signatures"]
    assert first["signer_name"] == LEADER and second["signer_name"] == "Phạm Thị Mai"
    assert first["time_source"] == "timestamp" and first["timestamp_valid"] is True
    assert first["level"] == "B-T" and second["level"] == "B-B"
    assert first["modification"] == "form_filling" and second["coverage"] == "entire_file"
    assert first["trust"] == "trusted" and first["intact"] is True
    assert first["signing_time"].endswith("+07:00")
    assert "Traceback" not in done.err


def test_text_in_vietnamese_and_english(signed):
    pdf, trust = signed
    vi = lienthong("verify", pdf, "--trust-dir", trust)
    assert vi.code == 0
    assert "Kết quả: Hợp lệ" in vi.out and f"Ký bởi: {LEADER}" in vi.out
    en = lienthong("--lang", "en", "verify", pdf, "--trust-dir", trust)
    assert "Result: Valid" in en.out and f"Signed by: {LEADER}" in en.out


def test_untrusted_exits_four(signed):
    pdf, _trust = signed
    done = lienthong("verify", pdf)
    assert done.code == 4
    assert "Chưa được tin cậy" in done.out
    assert "Traceback" not in done.err


def test_tampered_exits_four(signed, tmp_path):
    pdf, trust = signed
    data = bytearray(pdf.read_bytes())
    at = data.index(b"\n") + 2
    data[at] ^= 0x01
    bad = tmp_path / "tampered.pdf"
    bad.write_bytes(bytes(data))
    done = lienthong("verify", bad, "--json", "--trust-dir", trust)
    assert done.code == 4
    report = json.loads(done.out)
    assert report["status"] == "invalid"
    assert [s["intact"] for s in report["signatures"]] == [False, False]


def test_bad_input_exits_two(tmp_path):
    (tmp_path / "letter.pdf").write_text("Kính gửi ...", encoding="utf-8")
    done = lienthong("verify", tmp_path / "letter.pdf")
    assert done.code == 2
    assert "không phải là tệp PDF" in done.err
    missing = lienthong("--lang", "en", "verify", tmp_path / "absent.pdf")
    assert missing.code == 2 and "File not found" in missing.err
    as_json = lienthong("verify", tmp_path / "letter.pdf", "--json")
    assert as_json.code == 2 and json.loads(as_json.out)["error"] == "not_a_pdf"


def test_unsigned_file_is_not_valid(tmp_path):
    done = lienthong("verify", make_pdf(tmp_path / "plain.pdf"), "--json")
    assert done.code == 4
    assert json.loads(done.out)["signatures"] == []


def test_online_revocation_with_demo_pki(demo_pki, tmp_path):
    """A revoked signer passes offline (no revocation data) and fails with --online (loopback OCSP/CRL)."""
    trust = trust_dir_with(tmp_path, demo_pki.root_cert_path)
    src = make_pdf(tmp_path / "a.pdf")
    out = tmp_path / "revoked.pdf"
    signed = lienthong("sign", src, "-o", out, "--rect", "330,600,520,700",
                       "--p12", demo_pki.user("revoked").p12_path, "--p12-pass-env", "P",
                       env={"P": "123456"})
    assert signed.code == 0, signed.err
    offline = lienthong("verify", out, "--json", "--trust-dir", trust)
    assert offline.code == 0, offline.out
    online = lienthong("verify", out, "--json", "--trust-dir", trust, "--online")
    assert online.code == 4
    [sig] = json.loads(online.out)["signatures"]
    assert sig["trust"] == "revoked" and sig["intact"] is True
    assert json.loads(online.out)["status_vi"] == "Không hợp lệ"


def test_trust_folder_from_settings(signed, tmp_path):
    """The administrator's `extra_trust_dir` setting is honoured without --trust-dir."""
    pdf, trust = signed
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(
        f"extra_trust_dir = {json.dumps(str(trust))}\n", encoding="utf-8")
    assert lienthong("verify", pdf, home=home).code == 0
    assert lienthong("verify", pdf, home=tmp_path / "empty-home").code == 4


def test_verify_loads_no_time_zone_database_or_temp_file_machinery(signed, tmp_path):
    """A verification neither asks the local time zone (pyHanko imports tzlocal, and with it
    zoneinfo, along with its reader) nor writes a file (tempfile)."""
    from tests.signing.test_lean_imports import _loaded_modules

    pdf, trust = signed
    loaded = _loaded_modules(tmp_path, "verify", pdf, "--trust-dir", trust)
    assert "pyhanko.sign.validation" in loaded
    assert not loaded & {"tzlocal", "zoneinfo", "tempfile", "importlib.resources"}


def test_tzlocal_behind_its_standin_is_the_real_one():
    import os
    import subprocess
    import sys

    from tests.signing.cli_helpers import REPO

    check = ("import sys\nimport app.signing\nimport pyhanko.pdf_utils.reader\n"
             "from app.signing.pyhanko_lean import is_standin\n"
             "assert is_standin(sys.modules['tzlocal'])\n"
             "from pyhanko.pdf_utils.metadata import info\n"
             "import tzlocal\n"
             "zone = tzlocal.get_localzone()\n"
             "assert zone is not None and not is_standin(sys.modules['tzlocal'])\n"
             "assert info.tzlocal.get_localzone() is not None\n"
             "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, cwd=REPO,
                          env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
