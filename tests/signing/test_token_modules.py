"""Finding PKCS#11 modules on disk, and the PKCS#12 signer of the training mode."""

from __future__ import annotations

import pytest

from app.signing.modules import WINDOWS_MODULES, ModuleCandidate, find_modules, vendor_of
from app.signing.soft_signer import open_soft_signer
from app.signing.token_errors import CertificateRejectedError, PinIncorrectError
from tests.fixtures.pki import make_pdf, pdfsig
from tests.signing.token_helpers import sign_pdf, validate


def test_finds_vendor_modules_in_search_dirs(tmp_path):
    system32 = tmp_path / "System32"
    system32.mkdir()
    for name in ("bit4xpki.dll", "viettel-ca_v6.dll", "unrelated.dll"):
        (system32 / name).write_bytes(b"MZ")
    configured = tmp_path / "custom" / "vgca_csp11.dll"
    configured.parent.mkdir()
    configured.write_bytes(b"MZ")
    found = find_modules(
        configured=[str(configured), str(tmp_path / "missing.dll")],
        search_dirs=[str(system32)],
        table=WINDOWS_MODULES,
    )
    assert found == [
        ModuleCandidate(str(configured), "Ban Cơ yếu Chính phủ (VGCA)"),
        ModuleCandidate(str(system32 / "bit4xpki.dll"), "Bit4ID"),
        ModuleCandidate(str(system32 / "viettel-ca_v6.dll"), "Viettel-CA"),
    ]


def test_configured_module_listed_once(tmp_path):
    lib = tmp_path / "eTPKCS11.dll"
    lib.write_bytes(b"MZ")
    found = find_modules(configured=[str(lib)], search_dirs=[str(tmp_path)], table=WINDOWS_MODULES)
    assert found == [ModuleCandidate(str(lib), "SafeNet eToken")]


def test_table_lists_vietnamese_vendors():
    names = {n.lower() for names in WINDOWS_MODULES.values() for n in names}
    for expected in ("bit4ipki.dll", "etpkcs11.dll", "vnpt-ca_v34.dll", "viettel-ca_v6.dll"):
        assert expected in names
    assert vendor_of(r"C:\Windows\System32\VNPT-CA_v5.dll") == "VNPT-CA"
    assert vendor_of("/opt/other/libfoo.so") == ""


def test_default_table_finds_softhsm_here(softhsm_token):
    assert softhsm_token.module_path in [c.path for c in find_modules()]


def test_soft_signer_signs_like_a_token(demo_pki, demo_nssdb, tmp_path):
    with open_soft_signer(demo_pki.user("clerk").p12_path, "123456") as soft:
        assert soft.certificate.holder == "Phạm Thị Mai"
        assert len(soft.cert_chain) == 3
        out = sign_pdf(soft.signer, make_pdf(tmp_path / "in.pdf"), tmp_path / "out.pdf")
    status = validate(demo_pki, out)
    assert status.intact and status.valid and status.trusted
    assert "Signature is Valid." in pdfsig(out, demo_nssdb)


def test_soft_signer_refuses_wrong_passphrase_and_bad_certificates(demo_pki):
    with pytest.raises(PinIncorrectError):
        open_soft_signer(demo_pki.user("leader").p12_path, "000000")
    with pytest.raises(CertificateRejectedError) as caught:
        open_soft_signer(demo_pki.user("expired").p12_path, "123456")
    assert caught.value.reason == "expired"


def test_service_from_settings_uses_configured_and_found_modules(softhsm_token, tmp_path):
    from app.config import Settings
    from app.signing.token import TokenService

    extra = tmp_path / "opensc-pkcs11.dll"
    extra.write_bytes(b"MZ")
    service = TokenService.from_settings(Settings(pkcs11_modules=(str(extra),)))
    try:
        assert service.module_paths[0] == str(extra)
        assert softhsm_token.module_path in service.module_paths
        assert softhsm_token.token_label in [t.label for t in service.list_tokens()]
        assert str(extra) in service.module_errors
    finally:
        service.close()
