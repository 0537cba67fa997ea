"""Checks that run inside the frozen program, for installer/smoke-windows.sh.

Built by lienthong.spec from the bundle's own Analysis as a third exe, smoke-probe.exe, which is
left out of the bundle and the installer; the smoke run puts it next to the installed exes for a
moment. It prints what it saw and exits 1 when a check fails.
  smoke-probe.exe tls           certifi's CA file is inside the program and an ssl context loads it
  smoke-probe.exe keep-alive    the HTTP client reuses idle connections and sees a server-closed
                                one before reusing it (select.select on Windows, which has no poll)
  smoke-probe.exe proxy HOST:PORT   the system's proxy (on Windows the Internet Options) for
                                example.org, none for 127.0.0.1 nor a dotless intranet name
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
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


def main(argv: list[str]) -> int:
    checks = {"tls": tls, "keep-alive": keep_alive}
    if argv[:1] == ["proxy"] and len(argv) == 2:
        passed = proxy(argv[1])
    elif len(argv) == 1 and argv[0] in checks:
        passed = checks[argv[0]]()
    else:
        print(__doc__)
        return 2
    print("probe:", "ok" if passed else "FAILED")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
