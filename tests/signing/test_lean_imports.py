"""A command loads only what it uses: `lienthong sign` without a TSA never loads aiohttp (and
keeps the font it cuts for the next run, after which fontTools' subsetter stays unloaded),
`lienthong verify` loads neither aiohttp, requests, PyMuPDF, fontTools nor pyHanko's signing
stack, and neither command loads the other commands. The stand-ins still give pyHanko's real
clients, fontTools' real subsetter and the whole `pyhanko.sign` package to whoever uses them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.signing.cli_helpers import REPO, trust_dir_with
from tests.signing.verify_helpers import make_pdf, sign_with

# The CLI's own entry, recording the modules loaded by the time the process exits (a stand-in
# that was never used is not loaded).
ENTRY = (
    "import atexit, json, os, sys\n"
    "def record():\n"
    "    from app.signing.pyhanko_lean import is_standin\n"
    "    names = sorted(n for n, m in list(sys.modules.items()) if not is_standin(m))\n"
    "    open(os.environ['LT_MODULES'], 'w').write(json.dumps(names))\n"
    "atexit.register(record)\n"
    "from app.cli import main\n"
    "raise SystemExit(main())\n"
)


def _loaded(tmp_path, *args, env: dict | None = None) -> set[str]:
    return {name.split(".")[0] for name in _loaded_modules(tmp_path, *args, env=env)}


def _loaded_modules(tmp_path, *args, env: dict | None = None) -> set[str]:
    record = tmp_path / "modules.json"
    child_env = dict(os.environ, LT_MODULES=str(record), LIENTHONG_LANG="vi", LIENTHONG_HOME=str(tmp_path / "home"),
                     PYTHONPATH=str(REPO), **(env or {}))
    done = subprocess.run([sys.executable, "-c", ENTRY, *map(str, args)], capture_output=True, text=True,
                          env=child_env, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(json.loads(record.read_text()))


def test_sign_without_tsa_leaves_aiohttp_unloaded(demo_pki, tmp_path):
    make_pdf(tmp_path / "in.pdf")
    loaded = _loaded(tmp_path, "sign", tmp_path / "in.pdf", "-o", tmp_path / "out.pdf", "--rect", "330,600,520,700",
                     "--p12", demo_pki.user("leader").p12_path, "--p12-pass-env", "LT_P12_PASS",
                     env={"LT_P12_PASS": "123456"})
    assert (tmp_path / "out.pdf").exists()
    assert "aiohttp" not in loaded
    # The signature's font is cut once per installation, into the cache folder.
    assert len(list((tmp_path / "home" / "cache" / "fonts").glob("LiberationSerif-Regular-*.ttf"))) == 2


def test_verify_loads_no_network_rendering_or_font_library(demo_pki, tmp_path):
    make_pdf(tmp_path / "in.pdf")
    sign_with(demo_pki, tmp_path / "in.pdf", tmp_path / "signed.pdf")
    trust = trust_dir_with(tmp_path, demo_pki.root_cert_path)
    loaded = _loaded(tmp_path, "verify", tmp_path / "signed.pdf", "--trust-dir", trust)
    assert not loaded & {"aiohttp", "requests", "pymupdf", "fitz", "fontTools", "PySide6"}
    # No settings file in this home: no TOML parser either.
    assert "tomllib" not in loaded


def test_verify_leaves_the_signing_stack_and_the_other_commands_unloaded(demo_pki, tmp_path):
    make_pdf(tmp_path / "in.pdf")
    sign_with(demo_pki, tmp_path / "in.pdf", tmp_path / "signed.pdf")
    trust = trust_dir_with(tmp_path, demo_pki.root_cert_path)
    loaded = _loaded_modules(tmp_path, "verify", tmp_path / "signed.pdf", "--trust-dir", trust)
    assert "pyhanko.sign.validation" in loaded
    assert not loaded & {"cryptography.x509", "cryptography.hazmat.primitives.serialization.pkcs12", "lxml"}
    assert not {name for name in loaded if name.startswith(("pyhanko.sign.signers", "pyhanko.stamp"))}
    assert not {name for name in loaded if name.startswith("app.cli.")} - {"app.cli.verify", "app.cli.exit_codes"}


def test_a_second_sign_leaves_the_font_subsetter_unloaded(demo_pki, tmp_path):
    make_pdf(tmp_path / "in.pdf")
    args = ("--rect", "330,600,520,700", "--p12", demo_pki.user("leader").p12_path, "--p12-pass-env", "LT_P12_PASS")
    env = {"LT_P12_PASS": "123456"}
    first = _loaded_modules(tmp_path, "sign", tmp_path / "in.pdf", "-o", tmp_path / "one.pdf", *args, env=env)
    assert "fontTools.subset" in first  # the first run cuts the font
    again = _loaded_modules(tmp_path, "sign", tmp_path / "one.pdf", "-o", tmp_path / "two.pdf", *args, env=env)
    assert (tmp_path / "two.pdf").exists()
    assert "fontTools.subset" not in again
    assert "fontTools.ttLib.tables.otTables" not in again  # the font's name is read without the layout tables
    assert "PIL.Image" not in again  # the signature image comes from the cache too
    assert "lxml" not in again  # the document carries no XMP metadata
    assert not {name for name in again if name.startswith("app.cli.")} - {
        "app.cli.sign", "app.cli.sign_signer", "app.cli.exit_codes"}


GC_ENTRY = (
    "import gc, json, os, sys\n"
    "during = []\n"
    "def seen(phase, info):\n"
    "    frame = sys._getframe()\n"
    "    while frame is not None and frame.f_code.co_name != os.environ['LT_FRAME']:\n"
    "        frame = frame.f_back\n"
    "    if phase == 'start' and frame is not None:\n"
    "        during.append(info['generation'])\n"
    "gc.callbacks.append(seen)\n"
    "from app.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "open(os.environ['LT_GC'], 'w').write(json.dumps([during, gc.isenabled()]))\n"
    "raise SystemExit(code)\n"
)


def test_one_document_is_signed_without_cyclic_collections(demo_pki, tmp_path):
    """The collector no longer walks the signing stack's objects while they load (a tenth of the CPU
    time); an in-process caller gets its collector back, enabled."""
    make_pdf(tmp_path / "in.pdf")
    record = tmp_path / "gc.json"
    env = dict(os.environ, LT_GC=str(record), LIENTHONG_LANG="vi", LIENTHONG_HOME=str(tmp_path / "home"),
               PYTHONPATH=str(REPO), LT_P12_PASS="123456", LT_FRAME="_sign")
    args = ["sign", str(tmp_path / "in.pdf"), "-o", str(tmp_path / "o.pdf"), "--rect", "330,600,520,700",
            "--p12", str(demo_pki.user("leader").p12_path), "--p12-pass-env", "LT_P12_PASS"]
    done = subprocess.run([sys.executable, "-c", GC_ENTRY, *args], capture_output=True, text=True, env=env, cwd=REPO,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    during, enabled = json.loads(record.read_text())
    assert during == [] and enabled


def test_one_document_is_verified_without_cyclic_collections(demo_pki, tmp_path):
    """As for signing: the validation stack loads without the collector walking it again and again."""
    make_pdf(tmp_path / "in.pdf")
    sign_with(demo_pki, tmp_path / "in.pdf", tmp_path / "signed.pdf")
    record = tmp_path / "gc.json"
    env = dict(os.environ, LT_GC=str(record), LIENTHONG_LANG="vi", LIENTHONG_HOME=str(tmp_path / "home"),
               PYTHONPATH=str(REPO), LT_FRAME="_verify")
    trust = trust_dir_with(tmp_path, demo_pki.root_cert_path)
    args = ["verify", str(tmp_path / "signed.pdf"), "--trust-dir", str(trust)]
    done = subprocess.run([sys.executable, "-c", GC_ENTRY, *args], capture_output=True, text=True, env=env, cwd=REPO,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    during, enabled = json.loads(record.read_text())
    assert during == [] and enabled


STANDIN_CHECK = """
import sys
import app.signing.pades
assert "aiohttp" not in sys.modules
from fontTools import subset
options = subset.Options(layout_closure=False)
assert type(options).__module__ == "fontTools.subset", type(options)
assert type(subset.Subsetter(options=options)).__module__ == "fontTools.subset"
from app.signing.pyhanko_lean import is_standin
from cryptography.hazmat.primitives.serialization import pkcs12
assert callable(pkcs12.load_key_and_certificates) and callable(pkcs12.serialize_key_and_certificates)
assert not is_standin(sys.modules["cryptography.hazmat.primitives.serialization.pkcs12"])
from pyhanko.pdf_utils.metadata.xmp_xml import MetadataStream
assert MetadataStream.__module__ == "pyhanko.pdf_utils.metadata.xmp_xml"
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend
stamper = HTTPTimeStamper("http://127.0.0.1:9/tsa", timeout=3)
assert type(stamper).__module__ == "pyhanko.sign.timestamps.aiohttp_client", type(stamper)
backend = AIOHttpFetcherBackend()
assert type(backend).__module__ == "pyhanko_certvalidator.fetchers.aiohttp_fetchers", type(backend)
from pyhanko_certvalidator.fetchers.aiohttp_fetchers.util import LazySession
import pyhanko.sign.timestamps.aiohttp_client as client
assert client.AIOHttpTimeStamper is not None and "aiohttp" in sys.modules
print("ok")
"""

LAZY_PACKAGE_CHECK = """
import sys
import app.signing
import pyhanko.sign.validation
assert "pyhanko.sign.signers" not in sys.modules
import pyhanko.sign
from pyhanko.sign import PdfSigner, fields, signers
assert PdfSigner is signers.PdfSigner and pyhanko.sign.signers is signers
assert pyhanko.sign.PdfSignatureMetadata is signers.PdfSignatureMetadata
assert fields is sys.modules["pyhanko.sign.fields"]
try:
    pyhanko.sign.no_such_name
except AttributeError:
    print("ok")
"""


def test_the_lazy_pyhanko_sign_package_still_offers_all_of_it():
    done = subprocess.run([sys.executable, "-c", LAZY_PACKAGE_CHECK], capture_output=True, text=True, cwd=REPO,
                          env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_standins_build_pyhankos_real_aiohttp_clients():
    done = subprocess.run([sys.executable, "-c", STANDIN_CHECK], capture_output=True, text=True, cwd=REPO,
                          env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


GUI_START = """
import sys
from types import SimpleNamespace
import app.views.app, app.cli.gui, app.cli.training
profile = SimpleNamespace(issuer="http://127.0.0.1:9/auth/realms/x", client_id="lienthong-desktop")
assert app.cli.gui._training_remote(SimpleNamespace(csc_url="http://127.0.0.1:9/csc/v1/", profile=profile))
from app.signing.pyhanko_lean import is_standin
loaded = {name.split(".")[0] for name, module in sys.modules.items() if not is_standin(module)}
print(sorted(loaded & {"pyhanko", "pymupdf", "fontTools", "aiohttp"}))
"""


def test_the_gui_start_path_leaves_the_signing_stack_for_later():
    done = subprocess.run([sys.executable, "-c", GUI_START], capture_output=True, text=True, cwd=REPO,
                          env=dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen"), timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


XMP = """<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Kế hoạch</rdf:li></rdf:Alt></dc:title>
<xmp:ModifyDate>2020-01-01T00:00:00+07:00</xmp:ModifyDate>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""


def test_a_document_with_xmp_metadata_is_signed_with_its_metadata_updated(demo_pki, tmp_path):
    import pymupdf

    doc = pymupdf.open(make_pdf(tmp_path / "plain.pdf"))
    doc.set_xml_metadata(XMP)
    doc.save(tmp_path / "in.pdf")
    doc.close()
    loaded = _loaded_modules(tmp_path, "sign", tmp_path / "in.pdf", "-o", tmp_path / "out.pdf",
                             "--rect", "330,600,520,700", "--p12", demo_pki.user("leader").p12_path,
                             "--p12-pass-env", "LT_P12_PASS", env={"LT_P12_PASS": "123456"})
    assert "pyhanko.pdf_utils.metadata.xmp_xml" in loaded  # used, so loaded for real
    with pymupdf.open(tmp_path / "out.pdf") as out:
        xmp = out.get_xml_metadata()
    assert "Kế hoạch" in xmp and "2020-01-01T00:00:00" not in xmp


def test_a_module_loading_behind_its_standin_is_never_handed_out_half_made(tmp_path, monkeypatch):
    """Two threads wanting a stand-in's module at once (the two documents of a batch, the GUI's
    warm-up beside a signing): the second waits until the first has run the module, where it was
    given the module half executed (fontTools.subset without Options)."""
    import importlib._bootstrap as bootstrap
    import threading
    import types

    from app.signing import pyhanko_lean

    package = tmp_path / "lt_standin_race"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "slow.py").write_text("import lt_race_events as e\ne.running.set()\ne.proceed.wait(60)\nVALUE = 42\n")
    events = types.SimpleNamespace(running=threading.Event(), proceed=threading.Event())
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "lt_race_events", events)
    name = "lt_standin_race.slow"
    monkeypatch.setitem(sys.modules, name, pyhanko_lean._standin(name, ()))
    second: list[threading.Thread] = []
    real_acquire = bootstrap._ModuleLock.acquire

    def acquire(lock, *args, **kwargs):
        # The second thread now waits for the module: let the first one finish running it.
        if second and threading.current_thread() is second[0] and lock.name == name:
            events.proceed.set()
        return real_acquire(lock, *args, **kwargs)

    monkeypatch.setattr(bootstrap._ModuleLock, "acquire", acquire)
    seen = {}
    first = threading.Thread(target=lambda: seen.setdefault("first", pyhanko_lean.load(name)))
    first.start()
    try:
        assert events.running.wait(60)
        second.append(threading.Thread(target=lambda: seen.setdefault("second", pyhanko_lean.load(name)) and
                                       seen.setdefault("value", getattr(seen["second"], "VALUE", None))))
        second[0].start()
        second[0].join()
    finally:
        events.proceed.set()
        first.join()
        for mod in ("lt_standin_race", name):
            sys.modules.pop(mod, None)
    assert seen["value"] == 42  # as the second thread got it
    assert seen["first"] is seen["second"]


def test_a_lazy_package_running_its_init_is_waited_for_by_another_thread(tmp_path, monkeypatch):
    """A name of a lazy package asked for by a second thread while the first runs the package's
    __init__ (a warm-up beside a signing) is given once the __init__ is done, not refused as missing."""
    import importlib
    import threading
    import types

    from app.signing import pyhanko_lean

    package = tmp_path / "lt_lazy_race"
    package.mkdir()
    (package / "__init__.py").write_text(
        "import lt_lazy_events as e\ne.running.set()\ne.proceed.wait(60)\nVALUE = 42\n")
    (package / "sub.py").write_text("SUB = 1\n")
    events = types.SimpleNamespace(running=threading.Event(), proceed=threading.Event())
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "lt_lazy_events", events)
    monkeypatch.setattr(pyhanko_lean, "LAZY_PACKAGES", ("lt_lazy_race",))
    pyhanko_lean.install()
    seen: dict[str, object] = {}
    second: list[threading.Thread] = []

    class Signalling:
        """The init lock; the second thread reaching it lets the first finish the __init__."""

        def __init__(self, real):
            self.real = real

        def __enter__(self):
            if second and threading.current_thread() is second[0]:
                events.proceed.set()
            self.real.acquire()

        def __exit__(self, *exc):
            self.real.release()

    monkeypatch.setattr(pyhanko_lean, "_INIT_LOCK", Signalling(pyhanko_lean._INIT_LOCK))

    def ask(key: str) -> None:
        try:
            seen[key] = importlib.import_module("lt_lazy_race").VALUE
        except AttributeError as exc:
            seen[key] = exc

    first = threading.Thread(target=ask, args=("first",))
    try:
        package_module = importlib.import_module("lt_lazy_race")
        assert importlib.import_module("lt_lazy_race.sub").SUB == 1  # a submodule: no __init__ run
        assert not events.running.is_set()
        first.start()
        assert events.running.wait(60)
        second.append(threading.Thread(target=ask, args=("second",)))
        second[0].start()
        second[0].join(60)
    finally:
        events.proceed.set()
        if first.is_alive():
            first.join(60)
        for name in ("lt_lazy_race", "lt_lazy_race.sub"):
            sys.modules.pop(name, None)
    assert seen == {"first": 42, "second": 42}
    assert package_module.VALUE == 42
