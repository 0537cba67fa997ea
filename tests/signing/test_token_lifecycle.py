"""Tokens pulled out and plugged in while the app runs, and the one-thread-per-module rule."""

from __future__ import annotations

import threading
import time

import pytest

from app.signing.token import TokenService
from app.signing.token_errors import (
    PinIncorrectError,
    PinLockedError,
    TokenOperationError,
    TokenRemovedError,
    from_pkcs11,
)
from tests.fixtures.pki import make_pdf
from tests.signing.token_helpers import PinDialog, sign_pdf


def test_token_pulled_out_while_signing(softhsm_token_factory, tmp_path):
    token = softhsm_token_factory()
    src = make_pdf(tmp_path / "in.pdf")
    with TokenService([token.module_path]) as service:
        signer = service.open_signer(token.token_label, "leader", PinDialog())
        try:
            sign_pdf(signer.signer, src, tmp_path / "one.pdf")
            token.remove()
            with pytest.raises(TokenRemovedError) as info:
                sign_pdf(signer.signer, src, tmp_path / "two.pdf")
            assert "rút ra" in info.value.message_vi
            assert not (tmp_path / "two.pdf").exists() or (tmp_path / "two.pdf").stat().st_size == 0
        finally:
            signer.close()
        assert token.token_label not in [t.label for t in service.list_tokens()]


def test_watch_sees_token_plugged_in_and_pulled_out(softhsm_token, softhsm_token_factory):
    seen: list[set[str]] = []
    changed = threading.Condition()

    def on_change(tokens):
        with changed:
            seen.append({t.label for t in tokens})
            changed.notify_all()

    def wait_for(predicate, timeout=10.0):
        deadline = time.monotonic() + timeout
        with changed:
            while not (seen and predicate(seen[-1])):
                left = deadline - time.monotonic()
                assert left > 0, f"watch did not report the change; saw {seen}"
                changed.wait(left)

    with TokenService([softhsm_token.module_path]) as service:
        with service.watch(on_change, interval=0.1) as watch:
            wait_for(lambda labels: softhsm_token.token_label in labels)
            plugged = softhsm_token_factory()
            wait_for(lambda labels: plugged.token_label in labels)
            plugged.remove()
            wait_for(lambda labels: plugged.token_label not in labels)
            assert watch.error is None
    assert softhsm_token.token_label in seen[-1]


def test_every_job_runs_on_the_module_thread(softhsm_token, tmp_path):
    src = make_pdf(tmp_path / "in.pdf")
    errors: list[BaseException] = []
    with TokenService([softhsm_token.module_path]) as service:
        signer = service.open_signer(softhsm_token.token_label, "clerk", PinDialog())
        worker = signer._worker

        def busy(index: int) -> None:
            try:
                service.list_tokens(rescan=False)
                service.list_certificates(softhsm_token.token_label)
                sign_pdf(signer.signer, src, tmp_path / f"out{index}.pdf")
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=busy, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        signer.close()
        assert errors == []
        assert worker.job_threads == {worker.thread_ident}
        assert threading.get_ident() not in worker.job_threads
        with pytest.raises(RuntimeError):
            _ = worker.lib
        with pytest.raises(RuntimeError):
            _ = worker.sessions


def test_errors_raised_on_the_worker_reach_the_caller(softhsm_token):
    with TokenService([softhsm_token.module_path]) as service:
        worker = service.workers()[0]

        def boom(_worker):
            raise ValueError("from the worker")

        with pytest.raises(ValueError, match="from the worker"):
            worker.call(boom)
        assert worker.call(lambda w: threading.get_ident()) == worker.thread_ident


def test_pkcs11_exceptions_map_to_officer_errors():
    import pkcs11

    assert isinstance(from_pkcs11(pkcs11.PinLocked()), PinLockedError)
    assert isinstance(from_pkcs11(pkcs11.TokenNotPresent()), TokenRemovedError)
    assert isinstance(from_pkcs11(pkcs11.DeviceRemoved()), TokenRemovedError)
    assert isinstance(from_pkcs11(pkcs11.SessionHandleInvalid()), TokenRemovedError)
    assert isinstance(from_pkcs11(pkcs11.SessionClosed()), TokenRemovedError)
    wrong = from_pkcs11(pkcs11.PinIncorrect(), tries_left=2)
    assert isinstance(wrong, PinIncorrectError) and wrong.message_vi == "Mã PIN không đúng. Còn 2 lần thử."
    assert isinstance(from_pkcs11(pkcs11.MechanismInvalid()), TokenOperationError)


def test_token_plugged_in_after_first_scan_can_sign(softhsm_token, softhsm_token_factory, tmp_path):
    with TokenService([softhsm_token.module_path]) as service:
        before = {t.label for t in service.list_tokens()}
        late = softhsm_token_factory()
        assert late.token_label not in before
        with service.open_signer(late.token_label, "leader", PinDialog()) as signer:
            sign_pdf(signer.signer, make_pdf(tmp_path / "in.pdf"), tmp_path / "out.pdf")
            assert signer.signatures == 1


def test_signer_outlives_its_service(softhsm_token, tmp_path):
    service = TokenService([softhsm_token.module_path])
    signer = service.open_signer(softhsm_token.token_label, "clerk", PinDialog())
    service.close()
    try:
        sign_pdf(signer.signer, make_pdf(tmp_path / "in.pdf"), tmp_path / "out.pdf")
    finally:
        signer.close()
    assert signer.closed



def test_a_module_released_while_another_user_arrives_stays_initialized(softhsm_token):
    """python-pkcs11 hands every loader of a path the same native library: a worker created while
    the previous one is still finalizing would find its library finalized under it."""
    from app.signing.token import _list_tokens
    from app.signing.token_worker import ModuleRegistry

    registry = ModuleRegistry()
    first = registry.acquire(softhsm_token.module_path)
    assert first.call(_list_tokens, False)
    gate, finalizing = threading.Event(), threading.Event()
    close = first.close
    first.close = lambda: (finalizing.set(), gate.wait(10), close())  # a slow C_Finalize
    releasing = threading.Thread(target=registry.release, args=(first,))
    releasing.start()
    assert finalizing.wait(10)
    threading.Timer(0.3, gate.set).start()
    second = registry.acquire(softhsm_token.module_path)
    releasing.join(timeout=30)
    try:
        assert second is not first
        labels = [t.label for t in second.call(_list_tokens, False)]
        assert softhsm_token.token_label in labels
    finally:
        registry.release(second)
