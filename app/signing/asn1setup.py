"""asn1crypto's class tables, built once on one thread before threads share the classes.

asn1crypto builds each ASN.1 class's field tables the first time an instance of it is made
(`Asn1Value.__init__` -> `_setup`), without a lock: two threads making the first instance of the
same class at once can read half-built tables (a KeyError or IndexError deep in a parse). The GUI
parses certificates and signatures on several pool threads, so after the signing stack is loaded
and before those threads start, `set_up_loaded_classes()` makes one instance of every class loaded.
"""

from __future__ import annotations

import threading

from asn1crypto import core

_LOCK = threading.Lock()


def _subclasses() -> list[type[core.Asn1Value]]:
    seen: set[type[core.Asn1Value]] = set()
    stack: list[type[core.Asn1Value]] = [core.Asn1Value]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return sorted(seen, key=lambda c: (c.__module__, c.__qualname__))


def pending_classes() -> list[type[core.Asn1Value]]:
    """The loaded classes whose tables are not built yet."""
    done = core._SETUP_CLASSES  # asn1crypto's own record of the classes set up
    return [cls for cls in _subclasses() if cls not in done]


def set_up_loaded_classes() -> int:
    """Build the tables of every loaded class not set up yet; how many were built."""
    built = 0
    with _LOCK:
        for cls in pending_classes():
            try:
                cls()
            except Exception:  # noqa: BLE001 (a class that needs arguments is set up by its first real use)
                continue
            built += 1
    return built
