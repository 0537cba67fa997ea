"""Training mode trusts the demo root, so a trainee sees a good signature in green; real servers never do."""

from __future__ import annotations

from dataclasses import replace

from app.config import Settings, training_profile
from app.signing.trust import TrustStore
from app.signing.verify import verify_pdf
from tests.signing.verify_helpers import make_pdf, sign_with


def test_training_trusts_the_demo_root_and_real_profiles_do_not(tmp_path, demo_pki):
    from app.cli.gui import training_trust_dir
    from app.views.signing.install import trust_dirs

    folder = training_trust_dir(demo_pki.directory)
    assert sorted(p.name for p in folder.iterdir()) == ["training-ca.pem", "training-root.pem"]
    training = training_profile("i", "g", "d")
    assert trust_dirs(Settings(), training, folder) == (folder,)
    assert trust_dirs(Settings(extra_trust_dir=str(tmp_path)), training, folder) == (tmp_path, folder)
    assert trust_dirs(Settings(), replace(training, name="binhdinh"), folder) == ()

    signed = sign_with(demo_pki, make_pdf(tmp_path / "a.pdf"), tmp_path / "signed.pdf")
    assert [s.trust for s in verify_pdf(signed, TrustStore.default([folder])).signatures] == ["trusted"]
    assert [s.trust for s in verify_pdf(signed, TrustStore.default([])).signatures] != ["trusted"]
