"""One thread per PKCS#11 module: it loads the module and makes every call into it.

Token drivers are rarely safe to call from several threads, and python-pkcs11 is initialized
without locking callbacks, so every object of the module (library, slots, sessions, keys) is
created, used and dropped on the module's own thread. Callers get plain data back.
"""

from __future__ import annotations

import itertools
import logging
import os
import queue
import threading
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Callable

from app.signing.token_errors import ModuleLoadError

if TYPE_CHECKING:
    from pkcs11._pkcs11 import lib as Pkcs11Lib

# A job for the worker thread: fn(worker, *args, **kwargs), its outcome set on the future.
_Job = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any], "Future[Any]"]

log = logging.getLogger(__name__)


class ModuleWorker:
    """Owns a loaded PKCS#11 module. `call(fn, *args)` runs `fn(worker, *args)` on its thread.

    State that holds PKCS#11 objects lives in `sessions` (handle -> object) and is touched only
    from functions run through `call`.
    """

    def __init__(self, module_path: str) -> None:
        self.module_path = module_path
        self._sessions: dict[int, Any] = {}
        self.calls = 0
        self.logins = 0
        self.job_threads: set[int] = set()  # where jobs ran: only ever the worker's own thread
        self._handles = itertools.count(1)
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._lib: Pkcs11Lib | None = None
        self._closed = False
        self._thread = threading.Thread(
            target=self._run, name=f"pkcs11:{os.path.basename(module_path)}", daemon=True
        )
        self._thread.start()
        self.thread_ident = self._thread.ident
        try:
            self.call(ModuleWorker._load)
        except BaseException:
            self._stop_thread()
            raise

    # ---- running jobs ---------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:  # the stop signal
                return
            fn, args, kwargs, future = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                self.calls += 1
                self.job_threads.add(threading.get_ident())
                future.set_result(fn(self, *args, **kwargs))
            except BaseException as exc:  # delivered to the caller, never lost
                future.set_exception(exc)
            finally:
                # Drop the job's arguments now rather than when the next job arrives.
                del job, fn, args, kwargs, future

    def on_worker_thread(self) -> bool:
        return threading.get_ident() == self.thread_ident

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run `fn(self, *args, **kwargs)` on the module's thread; return or raise its outcome."""
        if self.on_worker_thread():
            return fn(self, *args, **kwargs)
        if self._closed:
            raise RuntimeError(f"PKCS#11 worker for {self.module_path} is closed")
        future: Future[Any] = Future()
        self._jobs.put((fn, args, kwargs, future))
        return future.result()

    # ---- the module -----------------------------------------------------------------------

    def _load(self) -> None:
        import pkcs11

        if not os.path.isfile(self.module_path):
            raise ModuleLoadError(self.module_path, detail="file not found")
        try:
            self._lib = pkcs11.lib(self.module_path)
        except (pkcs11.PKCS11Error, OSError, RuntimeError) as exc:
            raise ModuleLoadError(self.module_path, detail=f"{type(exc).__name__}: {exc}") from exc

    @property
    def lib(self) -> Pkcs11Lib:
        if not self.on_worker_thread():
            raise RuntimeError("the PKCS#11 library may only be used on its worker thread")
        if self._lib is None:
            raise RuntimeError(f"the PKCS#11 module {self.module_path} is not loaded")
        return self._lib

    @property
    def sessions(self) -> dict[int, Any]:
        """Open logins (handle -> state holding PKCS#11 objects); worker thread only."""
        if not self.on_worker_thread():
            raise RuntimeError("PKCS#11 sessions may only be used on their worker thread")
        return self._sessions

    def add_session(self, state: Any) -> int:
        handle = next(self._handles)
        self.sessions[handle] = state
        return handle

    def rescan(self) -> bool:
        """Re-initialize the module so it enumerates readers again; only when no session is open,
        because C_Finalize closes every session. Some drivers (SoftHSM2 among them) only notice
        a token plugged in after this."""
        if self.sessions:
            return False
        self.lib.reinitialize()
        return True

    # ---- closing --------------------------------------------------------------------------

    def _shutdown(self) -> None:
        for state in list(self.sessions.values()):
            try:
                state.close()
            except Exception:  # a token pulled out cannot close its session; nothing to do
                log.debug("closing a PKCS#11 session failed", exc_info=True)
        self._sessions.clear()
        if self._lib is not None:
            try:
                self._lib.finalize()
            except Exception:
                log.debug("C_Finalize failed for %s", self.module_path, exc_info=True)
            self._lib = None

    def close(self) -> None:
        if self._closed:
            return
        try:
            self.call(ModuleWorker._shutdown)
        finally:
            self._stop_thread()

    def _stop_thread(self) -> None:
        self._closed = True
        self._jobs.put(None)
        if not self.on_worker_thread():
            self._thread.join(timeout=30)


class ModuleRegistry:
    """Shares one worker per module path among users, because a PKCS#11 library is initialized
    once per process: two workers on the same library would call it from two threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._workers: dict[str, tuple[ModuleWorker, int]] = {}

    def acquire(self, module_path: str) -> ModuleWorker:
        key = os.path.normcase(os.path.abspath(module_path))
        with self._lock:
            if key in self._workers:
                worker, users = self._workers[key]
                self._workers[key] = (worker, users + 1)
                return worker
            worker = ModuleWorker(module_path)
            self._workers[key] = (worker, 1)
            return worker

    def release(self, worker: ModuleWorker) -> None:
        key = os.path.normcase(os.path.abspath(worker.module_path))
        with self._lock:
            current, users = self._workers.get(key, (None, 0))
            if current is not worker:
                return
            if users > 1:
                self._workers[key] = (worker, users - 1)
                return
            del self._workers[key]
            # Closed under the lock: python-pkcs11 hands every loader of a path the same native
            # library object, so a new worker must not start until this one's C_Finalize is done.
            worker.close()


# The process-wide registry, mirroring the process-wide state of the native libraries.
PROCESS_MODULES = ModuleRegistry()
