"""asn1crypto's lazily built class tables are built up front (they are not thread-safe)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_every_loaded_class_is_set_up_once_the_stack_is_loaded():
    # A fresh process: in this one, earlier tests have set most classes up already.
    script = textwrap.dedent("""
        import pyhanko.sign.validation, pyhanko.sign.signers, pyhanko_certvalidator  # noqa: F401
        from app.signing import asn1setup
        before = len(asn1setup.pending_classes())
        built = asn1setup.set_up_loaded_classes()
        after = asn1setup.pending_classes()
        print(before, built, [c.__qualname__ for c in after])
        assert before > 100 and built >= before - 5 and len(after) <= 5, (before, built, after)
        assert asn1setup.set_up_loaded_classes() == 0
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
