"""The Windows build's guard against PyInstaller's silent omissions (installer/check_bundle.py), and
the smoke run's checks inside the frozen program (installer/smoke_probe.py), run here unfrozen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "installer"))

import check_bundle  # noqa: E402
import smoke_probe  # noqa: E402

from app.services import httpclient  # noqa: E402


def make_build(tmp_path: Path, modules, log: str) -> tuple[Path, Path, Path]:
    work, bundle = tmp_path / "work", tmp_path / "bundle"
    work.mkdir()
    entries = [(name, f"C:\\src\\{name}.py", "PYMODULE") for name in modules]
    (work / "PYZ-00.toc").write_text(repr(("C:\\work\\PYZ-00.pyz", entries)), encoding="utf-8")
    for name in check_bundle.REQUIRED_FILES:
        (bundle / name).parent.mkdir(parents=True, exist_ok=True)
        (bundle / name).write_bytes(b"MZ")
    ext = bundle / "_internal" / "pkcs11" / "_pkcs11.cp311-win_amd64.pyd"
    ext.parent.mkdir(parents=True, exist_ok=True)
    ext.write_bytes(b"MZ")
    rust = bundle / "_internal" / "cryptography" / "hazmat" / "bindings" / "_rust.pyd"
    rust.parent.mkdir(parents=True, exist_ok=True)
    rust.write_bytes(b"MZ")
    log_file = tmp_path / "pyinstaller.log"
    log_file.write_text(log, encoding="utf-8")
    return log_file, work, bundle


PURE = [name for name in check_bundle.REQUIRED_MODULES
        if name not in ("pkcs11._pkcs11", "cryptography.hazmat.bindings._rust")]


def test_a_complete_bundle_passes(tmp_path, capsys):
    args = make_build(tmp_path, PURE, "7594 INFO: PyInstaller: 6.22.3\n")
    assert check_bundle.main([str(a) for a in args]) == 0
    assert "bundle:" in capsys.readouterr().out


@pytest.mark.parametrize("line", [
    "36477 WARNING: Failed to collect submodules for 'pyhanko.stamp' because importing 'pyhanko.stamp' "
    "raised: ImportError: DLL load failed while importing _rust",
    "Hidden import 'pyhanko_certvalidator' not found",
])
def test_a_log_line_of_a_silent_omission_fails_the_build(tmp_path, capsys, line):
    args = make_build(tmp_path, PURE, f"7594 INFO: PyInstaller: 6.22.3\n{line}\n")
    assert check_bundle.main([str(a) for a in args]) == 1
    assert "build log:" in capsys.readouterr().err


def test_a_module_missing_from_the_bundle_fails_the_build(tmp_path, capsys):
    args = make_build(tmp_path, [m for m in PURE if m != "app.services.sso"], "")
    assert check_bundle.main([str(a) for a in args]) == 1
    assert "module missing from the bundle: app.services.sso" in capsys.readouterr().err


@pytest.mark.parametrize("stale", ["oauthlib.oauth2", "requests_oauthlib"])
def test_a_module_the_app_no_longer_uses_fails_the_build(tmp_path, capsys, stale):
    args = make_build(tmp_path, [*PURE, stale], "")
    assert check_bundle.main([str(a) for a in args]) == 1
    assert f"module the app no longer uses, bundled: {stale.split('.')[0]}" in capsys.readouterr().err


def test_the_probe_passes_on_the_http_client_and_certifi_here(capsys):
    assert smoke_probe.main(["tls"]) == 0
    assert smoke_probe.main(["keep-alive"]) == 0
    assert "connections: 1 for the first 3 requests, 2 in all" in capsys.readouterr().out


def test_the_probe_fails_when_a_server_closed_connection_is_taken_for_open(monkeypatch, capsys):
    monkeypatch.setattr(httpclient, "_still_open", lambda conn: conn.sock is not None)
    assert smoke_probe.main(["keep-alive"]) == 1
    assert "POST after the server hung up" in capsys.readouterr().out


@pytest.mark.parametrize(("proxy_env", "code"), [
    ({"HTTPS_PROXY": "http://proxy.lienthong.test:3128", "NO_PROXY": "intranet"}, 0),
    ({}, 1),
])
def test_the_probe_reads_the_system_proxy(proxy_env, code):
    # A process of its own: the client reads the system's proxies once per process.
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(proxy_env, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, str(ROOT / "installer" / "smoke_probe.py"), "proxy", "proxy.lienthong.test:3128"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == code, done.stdout + done.stderr


@pytest.fixture
def pdf(tmp_path: Path) -> str:
    import smoke_checks

    path = tmp_path / "Xem trước.pdf"
    smoke_checks.make_pdf(path)
    return str(path)


def test_the_probe_renders_page_one_lent_from_the_shared_buffer_here(pdf, capsys):
    assert smoke_probe.main(["render", pdf]) == 0
    out = capsys.readouterr().out
    assert "render_with: memoryview on mmap" in out and "released after use: True" in out
    assert "mapping closed cleanly after stop: True" in out


def test_the_probe_fails_when_a_lent_view_outlives_the_render(monkeypatch, pdf, capsys):
    from app.services import render_worker

    kept = []
    real = render_worker.RenderWorker.render_with

    def keeping(self, handle, page, scale, use, **kwargs):
        def use_and_keep(pixels):
            kept.append(memoryview(pixels.data))  # a second view: the buffer cannot be closed
            return use(pixels)
        return real(self, handle, page, scale, use_and_keep, **kwargs)

    monkeypatch.setattr(render_worker.RenderWorker, "render_with", keeping)
    assert smoke_probe.main(["render", pdf]) == 1
    assert "after stop: mmap closed False" in capsys.readouterr().out
    kept[0].release()


def test_the_probe_fails_when_the_pixels_come_through_the_pipe(monkeypatch, pdf, capsys):
    from app.services import render_worker

    monkeypatch.setattr(render_worker._SharedPixels, "make", classmethod(lambda cls, size: None))
    assert smoke_probe.main(["render", pdf]) == 1
    assert "the child was not given one shared buffer" in capsys.readouterr().out
