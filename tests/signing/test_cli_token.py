"""`lienthong sign` against SoftHSM2 tokens in a child process: list, sign, wrong PIN, locks."""

from __future__ import annotations

import os

import pytest

from app.signing.trust import TrustStore
from app.signing.verify import verify_pdf
from tests.fixtures.pki import make_pdf
from tests.fixtures.token import CKF_USER_PIN_FINAL_TRY
from tests.signing.cli_helpers import lienthong, pdfsig, trust_dir_with


def token_env(token, pin=None) -> dict:
    return {"SOFTHSM2_CONF": os.environ["SOFTHSM2_CONF"], "LT_PIN": pin or token.user_pin}


def token_args(token, cert="leader"):
    return ["--module", token.module_path, "--token", token.token_label, "--cert", cert,
            "--pin-env", "LT_PIN"]


@pytest.fixture(scope="module")
def demo_trust(demo_pki, tmp_path_factory):
    # The demo token holds no CA certificates, so the issuing CA comes from the trust folder.
    return trust_dir_with(tmp_path_factory.mktemp("token-trust"), demo_pki.root_cert_path,
                          demo_pki.intermediate_cert_path)


def test_list_tokens_shows_certificates(softhsm_token):
    done = lienthong("sign", "--list-tokens", "--module", softhsm_token.module_path,
                     env=token_env(softhsm_token))
    assert done.code == 0, done.err
    assert f"Token \"{softhsm_token.token_label}\"" in done.out
    assert "leader" in done.out and "Lê Văn Tuấn" in done.out
    assert "Cấp bởi" in done.out and "hiệu lực" in done.out


def test_sign_with_token_then_verify(softhsm_token, demo_trust, tmp_path):
    src = make_pdf(tmp_path / "quyet-dinh.pdf")
    out = tmp_path / "quyet-dinh-da-ky.pdf"
    done = lienthong("sign", src, "-o", out, "--rect", "330,600,520,700", *token_args(softhsm_token),
                     env=token_env(softhsm_token))
    assert done.code == 0, done.err
    report = verify_pdf(out, TrustStore.default([demo_trust]))
    [sig] = report.signatures
    assert report.all_valid and sig.signer_name == "Lê Văn Tuấn"
    info = pdfsig(out)
    if info:
        assert "Signature is Valid" in info


def test_wrong_pin_exits_three_in_vietnamese(softhsm_token_factory, tmp_path):
    token = softhsm_token_factory({"leader": "01"})
    src = make_pdf(tmp_path / "a.pdf")
    done = lienthong("sign", src, "-o", tmp_path / "o.pdf", "--rect", "330,600,520,700",
                     *token_args(token), env=token_env(token, pin="000000"))
    assert done.code == 3, done.err
    assert "Mã PIN không đúng" in done.err
    assert not (tmp_path / "o.pdf").exists()


def test_final_try_warns_and_locked_token_refuses(softhsm_token_factory, tmp_path):
    token = softhsm_token_factory({"leader": "01"})
    token.set_flags(CKF_USER_PIN_FINAL_TRY)
    src = make_pdf(tmp_path / "a.pdf")
    done = lienthong("sign", src, "-o", tmp_path / "o.pdf", "--rect", "330,600,520,700",
                     *token_args(token), env=token_env(token))
    assert done.code == 0, done.err
    assert "MỘT lần nhập PIN" in done.err
    token.lock_user_pin()
    locked = lienthong("sign", src, "-o", tmp_path / "o2.pdf", "--rect", "330,600,520,700",
                       *token_args(token), env=token_env(token))
    assert locked.code == 3
    assert "khóa" in locked.err


def test_certificate_without_signing_usage_is_rejected(softhsm_token, tmp_path):
    src = make_pdf(tmp_path / "a.pdf")
    done = lienthong("sign", src, "-o", tmp_path / "o.pdf", "--rect", "330,600,520,700",
                     *token_args(softhsm_token, cert="no_sign_usage"), env=token_env(softhsm_token))
    assert done.code == 3, done.err
    assert not (tmp_path / "o.pdf").exists()


def test_missing_token_and_module(softhsm_token, tmp_path):
    src = make_pdf(tmp_path / "a.pdf")
    gone = lienthong("sign", src, "-o", tmp_path / "o.pdf", "--module", softhsm_token.module_path,
                     "--token", "Khong Co", "--pin-env", "LT_PIN", env=token_env(softhsm_token))
    assert gone.code == 3 and "Không tìm thấy token" in gone.err
    bad_module = lienthong("sign", src, "-o", tmp_path / "o.pdf", "--module", tmp_path / "none.so",
                           "--pin-env", "LT_PIN", env=token_env(softhsm_token))
    assert bad_module.code == 3, bad_module.err
    assert "PKCS#11" in bad_module.err


def test_batch_one_login_with_a_bad_file(softhsm_token, demo_trust, tmp_path):
    from app.sandbox.documents import make_admin_pdf

    files = []
    for n in range(3):
        path = tmp_path / f"van-ban-{n}.pdf"
        make_admin_pdf(path, title="KẾ HOẠCH", summary=f"Triển khai nhiệm vụ {n}",
                       body_paragraphs=["Nội dung kế hoạch."], number_symbol="KH-STTTT",
                       signer_title="GIÁM ĐỐC", signer_name="Lê Văn Tuấn")
        files.append(path)
    (tmp_path / "hong.pdf").write_text("không phải PDF", encoding="utf-8")
    out_dir = tmp_path / "da-ky"
    done = lienthong("sign", "--batch", *files, tmp_path / "hong.pdf", "--out-dir", out_dir, "--auto",
                     *token_args(softhsm_token), env=token_env(softhsm_token))
    assert done.code == 2, done.err
    assert done.out.count("Đã ký:") == 3 and "Đã ký 3/4 tệp." in done.out
    assert "hong.pdf" in done.err and "không phải là tệp PDF" in done.err
    assert not (out_dir / "hong.pdf").exists()
    store = TrustStore.default([demo_trust])
    for path in files:
        report = verify_pdf(out_dir / path.name, store)
        [sig] = report.signatures
        assert report.all_valid and sig.rect_displayed is not None


def test_pin_prompt_reads_the_pin_or_cancels(softhsm_token, tmp_path):
    """Without --pin-env the PIN is prompted for (stdin here, as no terminal is attached)."""
    src = make_pdf(tmp_path / "a.pdf")
    args = ["--module", softhsm_token.module_path, "--token", softhsm_token.token_label, "--cert", "leader",
            "--rect", "330,600,520,700"]
    env = {"SOFTHSM2_CONF": os.environ["SOFTHSM2_CONF"]}
    typed = lienthong("sign", src, "-o", tmp_path / "typed.pdf", *args, env=env,
                      stdin=softhsm_token.user_pin + "\n")
    assert typed.code == 0, typed.err
    assert "Mã PIN của token" in typed.err
    cancelled = lienthong("sign", src, "-o", tmp_path / "none.pdf", *args, env=env, stdin="\n")
    assert cancelled.code == 130
    assert "Đã hủy nhập mã PIN" in cancelled.err
    assert not (tmp_path / "none.pdf").exists()


def test_a_named_module_needs_no_settings(softhsm_token, tmp_path):
    """--module replaces the search for modules, so the settings (which only add to that search)
    are not read: a damaged settings file does not stop a scripted signature."""
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text("pkcs11_modules = [unclosed\n", encoding="utf-8")
    src = make_pdf(tmp_path / "in.pdf")
    done = lienthong("sign", src, "-o", tmp_path / "out.pdf", "--rect", "330,600,520,700",
                     *token_args(softhsm_token), env=token_env(softhsm_token), home=home)
    assert done.code == 0, done.err
    assert (tmp_path / "out.pdf").exists()
