"""The training sandbox started by the GUI binds its ports and reports every address before it
loads the demo PKI's cryptography: that comes after the servers the sign-in needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

BIND_ONLY = r"""
import json, sys
from app.sandbox.server import Sandbox

Sandbox._boot = lambda self, servers, pki_server: None  # the apps, the key and the PKI: not wanted here
box = Sandbox(sys.argv[1], pki=True, seed_in_background=True, pki_in_background=True).start()
heavy = ("cryptography.x509", "app.sandbox.demo_pki")
print(json.dumps({"urls": [box.tsa_url, box.ocsp_url, box.crl_url],
                  "loaded": sorted(m for m in sys.modules if m.startswith(heavy))}))
box.stop()
"""


def test_the_pki_addresses_are_known_before_its_cryptography_loads(tmp_path):
    done = subprocess.run([sys.executable, "-c", BIND_ONLY, str(tmp_path / "sandbox")], capture_output=True,
                          text=True, cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["loaded"] == ["app.sandbox.demo_pki_urls"]
    tsa, ocsp, crl = seen["urls"]
    base = tsa.removesuffix("/tsa")
    assert base.startswith("http://127.0.0.1:") and not base.endswith(":0")
    assert (ocsp, crl) == (f"{base}/ocsp", f"{base}/crl/intermediate.crl")
