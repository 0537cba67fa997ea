"""The trust store: shipped Vietnamese anchors, administrator folders, validation contexts."""

from __future__ import annotations

import asyncio
import hashlib
import re
import shutil

import pytest

from app.resources import trust_dir
from app.signing.trust import TrustStore, load_certificates

# The published fingerprints (resources/trust/README.md, from the issuers' public downloads).
SHIPPED = {
    "vgca-rootca-g2.pem": ("f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8", True),
    "vgca-cpca-g2.pem": ("d8cab7a4aef92e6bb2509d7c61cee7b44f3731b2d21074963530277b366fae4b", False),
    "vietnam-national-root-ca.pem": ("bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7", True),
    "vnpt-ca-sha2.pem": ("7d6ba5245317f9ed5d8bc765a4634d26ac6340d36b9f584df3b52d9c4a81a306", False),
}


def _paths(ctx, cert):
    async def collect():
        return [p async for p in ctx.path_builder.async_build_paths_lazy(cert)]

    return asyncio.run(collect())


def test_shipped_anchor_fingerprints_match_the_published_ones():
    store = TrustStore.default()
    by_fp = {a.fingerprint_sha256: a for a in store.anchors}
    assert len(store.anchors) == 4
    for fp, is_root in SHIPPED.values():
        assert fp in by_fp, fp
        assert by_fp[fp].is_root is is_root
        assert by_fp[fp].source == "shipped"
    assert not store.problems
    subjects = {a.subject for a in store.anchors if a.is_root}
    assert any("RootCA chuyên dùng Chính phủ G2" in s for s in subjects)
    assert any("Vietnam National Root CA" in s for s in subjects)


def test_shipped_intermediates_chain_to_their_roots():
    store = TrustStore.default()
    vnpt = load_certificates((trust_dir() / "vnpt-ca-sha2.pem").read_bytes())[0]
    cpca = load_certificates((trust_dir() / "vgca-cpca-g2.pem").read_bytes())[0]
    [vnpt_path] = _paths(store.validation_context(), vnpt)
    assert "Vietnam National Root CA" in vnpt_path.first.subject.human_friendly
    [cpca_path] = _paths(store.validation_context(), cpca)
    assert "RootCA chuyên dùng Chính phủ G2" in cpca_path.first.subject.human_friendly


def test_admin_folder_pem_der_bundle_and_bad_files(demo_pki, tmp_path):
    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "root.cer").write_bytes(demo_pki.root_cert.dump())
    (folder / "bundle.pem").write_bytes(demo_pki.intermediate_cert_path.read_bytes()
                                        + demo_pki.tsa_cert_path.read_bytes())
    (folder / "broken.crt").write_bytes(b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    (folder / "garbage.pem").write_bytes(b"\x00\x01 definitely not a certificate")
    (folder / "readme.txt").write_text("ignored")
    store = TrustStore.default([folder])
    names = {p.path.name for p in store.problems}
    assert names == {"broken.crt", "garbage.pem"}
    assert all(p.message_vi and p.message_en for p in store.problems)
    added = {a.fingerprint_sha256: a for a in store.anchors if a.source != "shipped"}
    assert len(added) == 3
    # Self-signed root is an anchor; CAs whose issuer is present only help path building.
    assert added[demo_pki.root_cert.sha256.hex()].is_root is True
    assert added[demo_pki.intermediate_cert.sha256.hex()].is_root is False
    assert added[demo_pki.cert("tsa").sha256.hex()].is_root is False
    [path] = _paths(store.validation_context(), demo_pki.cert("leader"))
    assert path.first.dump() == demo_pki.root_cert.dump()


def test_admin_issuing_ca_without_its_root_is_trusted_directly(demo_pki, tmp_path):
    folder = tmp_path / "only-issuing-ca"
    folder.mkdir()
    (folder / "issuing.pem").write_bytes(demo_pki.intermediate_cert_path.read_bytes())
    store = TrustStore.default([folder])
    [entry] = [a for a in store.anchors if a.source != "shipped"]
    assert entry.is_root is True
    assert _paths(store.validation_context(), demo_pki.cert("leader"))


def test_missing_admin_folder_is_reported_not_fatal(tmp_path):
    store = TrustStore.default([tmp_path / "nope"])
    assert len(store.anchors) == 4
    [problem] = store.problems
    assert "nope" in problem.message_en and "Không tìm thấy" in problem.message_vi


def test_unknown_leaf_has_no_path_and_extra_roots_add_one(demo_pki):
    from pyhanko_certvalidator.errors import PathBuildingError

    store = TrustStore.default()
    leaf = demo_pki.cert("leader")
    with pytest.raises(PathBuildingError):
        _paths(store.validation_context(), leaf)
    ctx = store.validation_context(extra_roots=[demo_pki.root_cert_path.read_bytes()],
                                   other_certs=[demo_pki.intermediate_cert])
    assert _paths(ctx, leaf)


def test_duplicate_of_shipped_anchor_is_not_listed_twice(tmp_path):
    folder = tmp_path / "dup"
    folder.mkdir()
    shutil.copy(trust_dir() / "vgca-rootca-g2.pem", folder / "again.crt")
    store = TrustStore.default([folder])
    assert len(store.anchors) == 4


def test_fingerprints_match_the_published_ones_in_the_trust_readme():
    """The README shipped beside the anchors names each file's fingerprint; files and notes agree."""
    readme = trust_dir() / "README.md"
    published = dict(re.findall(r"\|\s*([\w.-]+\.pem)\s*\|.*?`([0-9a-f]{64})`", readme.read_text("utf-8")))
    assert set(published) == set(SHIPPED)
    for name, fingerprint in published.items():
        assert SHIPPED[name][0] == fingerprint
        [cert] = load_certificates((trust_dir() / name).read_bytes())
        assert hashlib.sha256(cert.dump()).hexdigest() == fingerprint


def test_verifications_running_at_once_never_parse_the_stores_certificates_together(demo_pki):
    """The verification panel's job and another verification share one store; asn1crypto parses
    lazily without locks, so shared certificates used to fail validation now and then
    ("No field numbered 0 is present in this asn1crypto.x509.NameTypeAndValue")."""
    import sys
    import threading

    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator import CertificateValidator

    def fresh(name):  # unparsed, as a store just loaded from files holds them
        return asn1_x509.Certificate.load(demo_pki.cert(name).dump())

    errors: list[BaseException] = []
    paths: list[int] = []

    def validate(store, start):
        start.wait()
        try:
            validator = CertificateValidator(fresh("leader"), validation_context=store.validation_context())
            path = asyncio.run(validator.async_validate_usage(set()))
            paths.append(len(path))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, so a race shows every run
    try:
        for _ in range(30):
            store = TrustStore.from_certificates([fresh("root")], [fresh("intermediate")])
            start = threading.Barrier(4)
            threads = [threading.Thread(target=validate, args=(store, start)) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
    assert paths == [3] * 120
