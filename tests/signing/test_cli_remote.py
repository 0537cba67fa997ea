"""`lienthong remote login` and `lienthong sign --remote training` as real subprocesses against the
sandbox's remote-signing service: phone approval, OTP, rejection, timeout, a 20-document batch
with one confirmation; outputs checked by pdfsig and pyHanko, and drawn like a .p12 signature."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest
import requests

from app.cli.training import remember
from app.paths import AppPaths
from app.sandbox import accounts
from app.sandbox.browser import login_via_form
from app.sandbox.documents import make_admin_pdf
from app.signing.trust import TrustStore
from app.signing.verify import verify_pdf
from tests.fixtures.pki import pdfsig
from tests.signing.cli_helpers import ENTRY, REPO, lienthong, trust_dir_with
from tests.signing.render import assert_same_pixels, page_pixels

FINGERPRINT = re.compile(r"mã yêu cầu ([0-9A-F]{4}-[0-9A-F]{4})")


@pytest.fixture(scope="module")
def home(box, tmp_path_factory):
    """An officer's home whose training servers are `box`, signed in to its remote service."""
    root = tmp_path_factory.mktemp("remote-home")
    remember(AppPaths.under(root).ensure(), box)
    env = child_env(root)
    proc = subprocess.Popen([sys.executable, "-c", ENTRY, "remote", "login", "training", "--no-browser",
                             "--timeout", "60"], env=env, cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        url = next(line.strip() for line in proc.stdout if line.startswith("http://"))
        location = login_via_form(url, "tuanlv", accounts.by_username("tuanlv").password)
        assert "Đăng nhập thành công" in requests.get(location, timeout=30).text
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "Đã đăng nhập Ký số từ xa (tập huấn): Lê Văn Tuấn (tuanlv)" in out
    return root


def child_env(root) -> dict:
    return {"PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
            "XDG_DATA_HOME": str(root / "xdg"), "LIENTHONG_HOME": str(root), "LIENTHONG_LANG": "vi",
            "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
            **{k: v for k, v in os.environ.items() if k not in ("LIENTHONG_HOME", "PYTHONPATH")}}


@pytest.fixture(scope="module")
def trust(box, tmp_path_factory):
    return trust_dir_with(tmp_path_factory.mktemp("remote-trust"), box.pki_services.pki.root_cert_path)


def decision_pdf(path, pages: int = 2):
    make_admin_pdf(path, title="QUYẾT ĐỊNH", summary="Về việc cấp giấy phép bưu chính",
                   body_paragraphs=["Căn cứ Luật Bưu chính ngày 17 tháng 6 năm 2010."] * 6,
                   number_symbol="QĐ-STTTT", signer_title="GIÁM ĐỐC", signer_name="Lê Văn Tuấn", pages=pages)
    return path


SIGN_ARGS = ("--auto", "--show", "signer,org")


def start_sign(home, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", ENTRY, "sign", *map(str, args)], env=child_env(home), cwd=REPO,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def read_until(stream, pattern: re.Pattern | str) -> tuple[str, re.Match | None]:
    seen = ""
    for line in stream:
        seen += line
        found = re.search(pattern, line)
        if found:
            return seen, found
    return seen, None


def assert_valid(path, trust, box):
    report = verify_pdf(path, TrustStore.default([trust]))
    assert report.all_valid, report.signatures
    [sig] = report.signatures
    assert sig.level == "B-T" and sig.timestamp_valid
    info = pdfsig(path)
    assert "Signature is Valid" in info and "Total document signed" in info
    return sig


def test_phone_approval_via_sandbox_approve_same_look_as_p12(home, box, policy, trust, tmp_path):
    src = decision_pdf(tmp_path / "du-thao-quyet-dinh.pdf")
    out = tmp_path / "remote.pdf"
    proc = start_sign(home, src, "-o", out, "--remote", "training", "--tsa", box.tsa_url, *SIGN_ARGS)
    try:
        seen, found = read_until(proc.stderr, FINGERPRINT)
        assert found, seen
        assert "Đang chờ xác nhận trên điện thoại" in seen and re.search(r"còn [45]:[0-5]\d", seen)
        [pending] = box.csc.pending()
        assert pending.fingerprint == found.group(1) and pending.num_signatures == 1
        approved = lienthong("sandbox", "approve", "--fingerprint", found.group(1), home=home)
        assert approved.code == 0 and "approved" in approved.out, approved.err
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, seen + stderr
    assert "Đã ký" in stdout
    sig = assert_valid(out, trust, box)
    assert sig.signer_name == "Lê Văn Tuấn"
    # The same leader's appearance as with a .p12 (token path): identical pixels on the page.
    p12 = tmp_path / "p12.pdf"
    done = lienthong("sign", src, "-o", p12, "--p12", box.pki_services.pki.user("leader").p12_path,
                     "--p12-pass-env", "P", *SIGN_ARGS, env={"P": "123456"}, home=home)
    assert done.code == 0, done.err
    assert_same_pixels(out, p12, 1)
    assert page_pixels(out, 1) != page_pixels(src, 1)


def test_otp(home, box, policy, trust, tmp_path):
    policy.mode = "otp"
    out = tmp_path / "otp.pdf"
    proc = start_sign(home, decision_pdf(tmp_path / "a.pdf"), "-o", out, "--remote", "training",
                      "--tsa", box.tsa_url, *SIGN_ARGS)
    try:
        seen, found = read_until(proc.stderr, "OTP đã được gửi")
        assert found, seen
        stdout, stderr = proc.communicate(box.csc.last_otp("tuanlv-leader") + "\n", timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert_valid(out, trust, box)


def test_a_wrong_otp_is_asked_again(home, box, policy, trust, tmp_path):
    policy.mode = "otp"
    out = tmp_path / "otp-again.pdf"
    proc = start_sign(home, decision_pdf(tmp_path / "a.pdf"), "-o", out, "--remote", "training",
                      "--tsa", box.tsa_url, *SIGN_ARGS)
    try:
        seen, found = read_until(proc.stderr, "OTP đã được gửi")
        assert found, seen
        right = box.csc.last_otp("tuanlv-leader")
        proc.stdin.write(("000000" if right != "000000" else "111111") + "\n")
        proc.stdin.flush()
        seen, found = read_until(proc.stderr, "Mã OTP không đúng. Hãy nhập lại.")
        assert found, seen
        stdout, stderr = proc.communicate(right + "\n", timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert_valid(out, trust, box)


def test_wrong_otp_exits_three(home, box, policy, tmp_path):
    policy.mode = "otp"
    out = tmp_path / "otp.pdf"
    done = lienthong("sign", decision_pdf(tmp_path / "a.pdf"), "-o", out, "--remote", "training", *SIGN_ARGS,
                     env=child_env(home), home=home, stdin="999999x\n")
    assert done.code == 3 and "Mã OTP không đúng" in done.err
    assert not out.exists()


def test_rejection_exits_three(home, box, policy, tmp_path):
    policy.mode, policy.reject = "auto", True
    out = tmp_path / "o.pdf"
    done = lienthong("sign", decision_pdf(tmp_path / "a.pdf"), "-o", out, "--remote", "training", *SIGN_ARGS,
                     env=child_env(home), home=home)
    assert done.code == 3, done.err
    assert "bị từ chối trên điện thoại" in done.err and not out.exists()


def test_ctrl_c_while_waiting_withdraws_the_request(home, box, policy, tmp_path):
    out = tmp_path / "o.pdf"
    proc = start_sign(home, decision_pdf(tmp_path / "a.pdf"), "-o", out, "--remote", "training", *SIGN_ARGS)
    try:
        seen, found = read_until(proc.stderr, r"mã yêu cầu (\w{4}-\w{4})")
        assert found, seen
        [pending] = [r for r in box.csc.pending() if r.fingerprint == found.group(1)]
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert pending.status == "withdrawn" and not out.exists()
    assert pending.fingerprint not in requests.get(box.phone_url, timeout=10).text


def test_timeout_exits_three(home, box, policy, tmp_path):
    policy.expires_in = 2
    out = tmp_path / "o.pdf"
    done = lienthong("sign", decision_pdf(tmp_path / "a.pdf"), "-o", out, "--remote", "training", *SIGN_ARGS,
                     env=child_env(home), home=home)
    assert done.code == 3, done.err
    assert "Hết thời gian chờ xác nhận" in done.err and not out.exists()


def test_unreachable_provider_exits_five(home, box, policy, tmp_path):
    box.faults.add("csc", "POST", "^/csc/", "error-503", count=1000)
    try:
        done = lienthong("sign", decision_pdf(tmp_path / "a.pdf"), "-o", tmp_path / "o.pdf", "--remote",
                         "training", *SIGN_ARGS, env=child_env(home), home=home)
    finally:
        box.faults.clear()
    assert done.code == 5, done.err
    assert "Không kết nối được tới dịch vụ ký số từ xa" in done.err


def test_batch_of_twenty_with_one_confirmation(home, box, policy, trust, tmp_path):
    policy.mode = "auto"
    before = len(box.csc.all_requests())
    made = box.csc.signatures_made
    files = [decision_pdf(tmp_path / f"qd-{n:02d}.pdf", pages=1) for n in range(20)]
    done = lienthong("sign", "--batch", *files, "--out-dir", tmp_path / "da-ky", "--remote", "training",
                     "--tsa", box.tsa_url, *SIGN_ARGS, env=child_env(home), home=home, timeout=600)
    assert done.code == 0, done.err
    assert "Đã ký 20/20 tệp." in done.out
    requests_made = box.csc.all_requests()[before:]
    assert [r.num_signatures for r in requests_made] == [20]
    assert box.csc.signatures_made - made == 20
    for n in range(20):
        assert_valid(tmp_path / "da-ky" / f"qd-{n:02d}.pdf", trust, box)
