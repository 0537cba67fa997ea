"""Language of the interface: the Qt translator and the labels of domain enums.

Source strings are Vietnamese; English comes from resources/translations/lienthong_en.qm.
A language change takes effect at the next start (windows are built once, in one language).
"""

from __future__ import annotations

import logging

from app.resources import resource
from app.views.qt import QCoreApplication, QTranslator

log = logging.getLogger(__name__)

LANGUAGES = ("vi", "en")
CATALOG = "lienthong"


def translations_dir():
    return resource("translations")


def install_translator(app: QCoreApplication, lang: str) -> QTranslator | None:
    """Load the catalog for `lang` into `app`; Vietnamese needs none (it is the source)."""
    if not lang.startswith("en"):
        return None
    translator = QTranslator(app)
    if not translator.load(f"{CATALOG}_en", str(translations_dir())):
        log.warning("English translation catalog not found in %s", translations_dir())
        return None
    app.installTranslator(translator)
    return translator


def enum_label(value, lang: str) -> str:
    """`label_vi`/`label_en` of a domain enum in the interface language."""
    return value.label_en if lang.startswith("en") else value.label_vi
