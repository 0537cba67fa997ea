"""Language of the interface: the Qt translator, the core's messages and the labels of domain enums.

Interface strings are Vietnamese in the source; English comes from resources/translations/lienthong_en.qm.
The core's messages (`app.text.Text`) carry both languages and are rendered in the current one.
The language is the application's, like its installed translators; `switch_language` changes it
(`GuiApp.set_language` then builds the open windows again in it).
"""

from __future__ import annotations

import logging

from app.resources import resource
from app.text import Text
from app.text import render as render_in
from app.views.qt import QCoreApplication, QTranslator

log = logging.getLogger(__name__)

LANGUAGES = ("vi", "en")
CATALOG = "lienthong"

_state: dict[str, object] = {"lang": "vi", "translator": None}


def translations_dir():
    return resource("translations")


def current_language() -> str:
    return str(_state["lang"])


def render(message: Text | str) -> str:
    """A core message in the interface's current language."""
    return render_in(message, current_language())


def install_translator(app: QCoreApplication, lang: str) -> QTranslator | None:
    """Load the catalog for `lang` into `app`; Vietnamese needs none (it is the source)."""
    _state["lang"] = "en" if lang.startswith("en") else "vi"
    if not lang.startswith("en"):
        return None
    translator = QTranslator(app)
    if not translator.load(f"{CATALOG}_en", str(translations_dir())):
        log.warning("English translation catalog not found in %s", translations_dir())
        return None
    app.installTranslator(translator)
    _state["translator"] = translator
    return translator


def switch_language(app: QCoreApplication, lang: str) -> None:
    """Replace the installed catalog; Qt then sends LanguageChange to every widget."""
    old = _state["translator"]
    _state["translator"] = None
    if isinstance(old, QTranslator):
        app.removeTranslator(old)
        old.deleteLater()
    install_translator(app, lang)


def enum_label(value, lang: str) -> str:
    """`label_vi`/`label_en` of a domain enum in the interface language."""
    return value.label_en if lang.startswith("en") else value.label_vi
