"""What the GUI loads in the background once the main window's first lists are in: the signing
stack, so the first "Áp dụng" waits for neither imports nor the signature's font."""

from __future__ import annotations

import logging
from typing import Sequence

log = logging.getLogger(__name__)

# Slow to import (seconds on a cold start): PDF rendering and PAdES signing.
# Through the app's own modules, so pyHanko comes without its aiohttp clients (app.signing).
# The signing workflow rules (with the Word conversion) are not needed for the first paint either.
HEAVY_MODULES = ("pymupdf", "app.signing.pades", "app.signing.verify", "app.services.workflow")


def preload(names: Sequence[str]) -> list[str]:
    """Import what is installed among `names`; returns the names imported."""
    import importlib
    import importlib.util

    done = []
    for name in names:
        try:
            if importlib.util.find_spec(name.split(".")[0]) is not None:
                importlib.import_module(name)
                done.append(name)
        except ImportError as exc:
            log.info("preload %s: %s", name, exc)
    return done


def warm_signing() -> None:
    """The appearance's font ready (read from the cache folder, cut there on the very first
    run), so the first "Áp dụng" waits for neither imports nor the font."""
    from app.signing.appearance import prepare_fonts
    from app.signing.asn1setup import set_up_loaded_classes

    prepare_fonts()
    # Once the signing stack is loaded and before the extensions start their threads.
    set_up_loaded_classes()


def warm_signing_stack() -> None:
    """Both, in that order; on a worker thread."""
    preload(HEAVY_MODULES)
    warm_signing()
