"""Checks that run inside the frozen program, for installer/smoke-windows.sh.

Built by lienthong.spec from the bundle's own Analysis as a third exe, smoke-probe.exe, which is
left out of the bundle and the installer; the smoke run puts it next to the installed exes for a
moment. It prints what it saw and exits 1 when a check fails.
  smoke-probe.exe tls           certifi's CA file is inside the program and an ssl context loads it
  smoke-probe.exe keep-alive    the HTTP client reuses idle connections and sees a server-closed
                                one before reusing it (select.select on Windows, which has no poll)
  smoke-probe.exe proxy HOST:PORT   the system's proxy (on Windows the Internet Options) for
                                example.org, none for 127.0.0.1 nor a dotless intranet name
  smoke-probe.exe render PDF    the preview's render worker, its child the installed
                                LienThongDesk.exe --render-child: page 1 lent from the shared
                                named mapping equals the copy; the mapping is gone after stop
"""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
import threading
import time
from types import ModuleType
from typing import Any


def load(name: str) -> ModuleType:
    # By name, not by import statement: PyInstaller must bundle these for the app's own imports,
    # so the probe cannot be what brought them in.
    return importlib.import_module(name)


def tls() -> bool:
    certifi, ssl = load("certifi"), load("ssl")
    path = os.path.abspath(certifi.where())
    root = os.path.abspath(getattr(sys, "_MEIPASS", os.path.dirname(certifi.__file__)))
    inside = os.path.normcase(path).startswith(os.path.normcase(root) + os.sep)
    context = ssl.create_default_context(cafile=path)
    roots = context.cert_store_stats()["x509_ca"]
    print(f"certifi.where(): {path} (exists: {os.path.isfile(path)}, inside {root}: {inside}); "
          f"ssl context: {roots} CA certificates")
    return os.path.isfile(path) and inside and roots > 50


class _Counting:
    """A keep-alive HTTP/1.1 server on loopback that counts the connections it accepts; /close
    answers and then hangs up without saying so (as a server's idle timeout does)."""

    def __init__(self) -> None:
        server_mod = load("http.server")
        self.connections = 0
        self.hung_up = threading.Event()
        outer = self

        class Handler(server_mod.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                outer.connections += 1
                super().setup()

            def _any(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
                self.close_connection = self.path == "/close"

            do_GET = do_POST = _any  # noqa: N815

            def log_message(self, *args: Any) -> None:
                return

        class Server(server_mod.ThreadingHTTPServer):
            daemon_threads = True

            def shutdown_request(self, request: Any) -> None:
                super().shutdown_request(request)
                outer.hung_up.set()

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


def keep_alive() -> bool:
    httpclient, select = load("app.services.httpclient"), load("select")
    server = _Counting()
    client = httpclient.HttpClient()
    statuses = [client.get(f"{server.url}/").status_code for _ in range(3)]
    reused = server.connections
    statuses.append(client.get(f"{server.url}/close").status_code)
    if not server.hung_up.wait(30):
        print("the server did not hang up")
        return False
    # A POST is never sent twice: it succeeds only if the client saw the hang-up before using
    # that connection again.
    try:
        statuses.append(client.post(f"{server.url}/", data=b"after the hang-up").status_code)
    except httpclient.TransportError as exc:
        print(f"POST after the server hung up: {type(exc).__name__}: {exc}")
        return False
    finally:
        client.close()
        server.httpd.shutdown()
    print(f"select.poll: {hasattr(select, 'poll')}; answers {statuses}; connections: {reused} for the "
          f"first 3 requests, {server.connections} in all")
    return statuses == [200] * 5 and reused == 1 and server.connections == 2


def proxy(server: str) -> bool:
    httpclient, urllib_request = load("app.services.httpclient"), load("urllib.request")
    print(f"urllib.request.getproxies(): {urllib_request.getproxies()}")
    seen = {host: httpclient.system_proxy("https", host) for host in ("example.org", "127.0.0.1", "intranet")}
    print(f"system_proxy('https', host): {seen}")
    return seen == {"example.org": f"http://{server}", "127.0.0.1": "", "intranet": ""}


def _named_mapping_exists(name: str) -> bool | None:
    """Whether a file mapping of that name exists (OpenFileMappingW); None when it cannot tell."""
    ctypes = load("ctypes")
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenFileMappingW.restype = ctypes.c_void_p
    handle = kernel32.OpenFileMappingW(0x0004, False, name)  # FILE_MAP_READ
    if handle:
        kernel32.CloseHandle(ctypes.c_void_p(handle))
        return True
    error = ctypes.get_last_error()
    if error == 2:  # ERROR_FILE_NOT_FOUND: every handle on it is closed
        return False
    print(f"OpenFileMappingW({name}): Windows error {error}")
    return None


def render(pdf: str) -> bool:
    """The preview's render path as the windowed program runs it: RenderWorker's own command for a
    frozen program (sys.executable --render-child) with this probe's exe swapped for the installed
    LienThongDesk.exe next to it, so the child is the real program's. Unfrozen (the tests), the
    module's child and, off Windows, a buffer passed by descriptor, which has no name to look up."""
    worker_mod, child_mod, mmap = load("app.services.render_worker"), load("app.services.render_child"), load("mmap")
    windows = sys.platform == "win32"
    command = worker_mod.child_command()
    if getattr(sys, "frozen", False):
        if command != [sys.executable, child_mod.CHILD_FLAG]:
            print(f"child_command() in a frozen program: {command}")
            return False
        command[0] = os.path.join(os.path.dirname(sys.executable), "LienThongDesk.exe")
    # What the child is given, seen where it is given: the environment passed to Popen.
    specs: list[str | None] = []
    real_popen = subprocess.Popen

    def recording_popen(*args: Any, **kwargs: Any) -> Any:
        specs.append((kwargs.get("env") or {}).get(child_mod.PIXELS_ENV))
        return real_popen(*args, **kwargs)

    lent: dict[str, Any] = {"by_name": None}

    def use(pixels: Any) -> bytes:
        # Lent, not copied: a view on the mmap the worker made; on Windows the same bytes through
        # the mapping's name, as the child opened it.
        lent["view"], lent["map"] = pixels.data, getattr(pixels.data, "obj", None)
        lent["shape"] = (pixels.width, pixels.height, pixels.stride)
        data = bytes(pixels.data)
        if windows:
            _, name, size = str(specs[0]).split(":")
            by_name = mmap.mmap(-1, int(size), tagname=name)
            try:
                lent["by_name"] = by_name[:len(data)] == data
            finally:
                by_name.close()
        return data

    setattr(subprocess, "Popen", recording_popen)  # noqa: B010 (the module attribute the worker calls)
    worker = worker_mod.RenderWorker(command)
    present: bool | None = None
    try:
        started = time.monotonic()
        handle, count, size = worker.open(pdf)
        opened = time.monotonic() - started
        print(f"child: {os.path.basename(command[0])} {' '.join(command[1:])} with {child_mod.PIXELS_ENV}={specs}; "
              f"{count} page(s) of {size[0]:.0f}x{size[1]:.0f} pt opened in {opened:.1f} s")
        if len(specs) != 1 or not (specs[0] or "").startswith("tag:" if windows else "fd:"):
            print("the child was not given one shared buffer")
            return False
        name = str(specs[0]).split(":")[1]
        started = time.monotonic()
        borrowed = worker.render_with(handle, 0, 2.0, use)
        lent_ms = (time.monotonic() - started) * 1000
        started = time.monotonic()
        copy = worker.render(handle, 0, 2.0)
        copy_ms = (time.monotonic() - started) * 1000
        if windows:
            present = _named_mapping_exists(name)
    except (worker_mod.RenderFailed, OSError) as exc:  # OSError: the child could not be started
        print(f"{type(exc).__name__}: {getattr(exc, 'kind', '')} {exc}")
        return False
    finally:
        setattr(subprocess, "Popen", real_popen)  # noqa: B010
        worker.stop()
    shared = isinstance(lent["map"], mmap.mmap)
    try:
        len(lent["view"])
        released = False
    except ValueError:  # a released memoryview refuses every use
        released = True
    closed = shared and lent["map"].closed
    gone = _named_mapping_exists(name) is False if windows else None
    width, height, stride = lent["shape"]
    equal = borrowed == copy.data and (copy.width, copy.height, copy.stride) == lent["shape"]
    ink = re.search(rb"[^\xff]", copy.data)
    where = f"({ink.start() % stride // 3}, {ink.start() // stride})" if ink else "none"
    print(f"render_with: {type(lent['view']).__name__} on {type(lent['map']).__name__}, {width}x{height} "
          f"stride {stride}, {lent_ms:.0f} ms; the same bytes through the mapping's name: {lent['by_name']}; "
          f"released after use: {released}; render(): {type(copy.data).__name__}, {copy_ms:.0f} ms")
    print(f"named mapping while running: {present}; after stop: mmap closed {closed}, name gone {gone}; "
          f"restarts {worker.restarts}")
    named_ok = not windows or bool(lent["by_name"] and present and gone)
    clean = closed and (gone is not False)
    # The first render of a page also loads its fonts: the two timings are not lending against copying.
    print(f"page 1 {width}x{height} lent through shm (first render, {lent_ms:.0f} ms) equals render()'s copy "
          f"({copy_ms:.0f} ms): {equal}; first non-white pixel {where}; mapping closed cleanly after stop: {clean}")
    return bool(shared and released and equal and ink and named_ok and closed and worker.restarts == 0)


def main(argv: list[str]) -> int:
    checks = {"tls": tls, "keep-alive": keep_alive}
    if argv[:1] == ["proxy"] and len(argv) == 2:
        passed = proxy(argv[1])
    elif argv[:1] == ["render"] and len(argv) == 2:
        passed = render(argv[1])
    elif len(argv) == 1 and argv[0] in checks:
        passed = checks[argv[0]]()
    else:
        print(__doc__)
        return 2
    print("probe:", "ok" if passed else "FAILED")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
