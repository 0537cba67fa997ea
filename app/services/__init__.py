"""Talking to the SSO, iGate and iDesk; the three transfers; the outbox. No Qt here.

Entry point: `connect(profile, paths)` (app.services.compose) returns `Services`; signing in
gives `Connected` with `.igate`, `.idesk`, `.transfers`, `.outbox` and `.user`.
"""

from __future__ import annotations

_LAZY = {"connect", "Services", "Connected"}


def __getattr__(name: str) -> object:
    # Lazy so that importing one submodule (e.g. app.services.http) does not load them all.
    if name in _LAZY:
        from app.services import compose

        return getattr(compose, name)
    raise AttributeError(name)


__all__ = sorted(_LAZY)
