"""The sandbox SSO's signing key: kept across restarts, loaded once per start without the RSA
consistency checks meant for keys from elsewhere (a tenth of a second on the first sign-in's path)."""

from __future__ import annotations

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from app.sandbox import keys


def test_the_key_survives_a_restart_and_is_read_once_without_the_rsa_checks(tmp_path, monkeypatch):
    first = keys.load_or_create_signing_key(tmp_path)
    imports = []
    real_import = RSAKey.import_key.__func__  # type: ignore[attr-defined]
    counted = classmethod(lambda cls, *a, **kw: imports.append(a) or real_import(cls, *a, **kw))
    monkeypatch.setattr(RSAKey, "import_key", counted)

    again = keys.load_or_create_signing_key(tmp_path)

    assert imports == []
    assert again.kid == first.kid == first.thumbprint()
    assert (again.get("use"), again.get("alg")) == ("sig", "RS256")
    assert keys.public_jwks(again) == keys.public_jwks(first)
    token = jwt.encode({"alg": "RS256", "kid": again.kid}, {"sub": "hoant"}, again)
    assert jwt.decode(token, KeySet.import_key_set(keys.public_jwks(first))).claims == {"sub": "hoant"}
