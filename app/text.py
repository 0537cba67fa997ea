"""Messages of the core for the officer: Vietnamese (the source) with its English translation.

The core (services, signing, CLI) never picks a language: it hands a `Text` to whoever shows it.
The views render it in the interface's current language, the CLI in the one of `--lang`.
Interface strings of `app/views` go through Qt's catalog instead (resources/translations).
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class Text:
    """A message in Vietnamese and in English; `render` picks the officer's language."""

    vi: str
    en: str

    def render(self, lang: str = "vi") -> str:
        return self.en if lang.startswith("en") else self.vi

    def with_detail(self, detail: str) -> Text:
        """The same message followed by a technical detail, the same in both languages."""
        return Text(f"{self.vi} {detail}", f"{self.en} {detail}")


def render(message: Text | str, lang: str) -> str:
    """A `Text` in `lang`; a plain string (a file name, a number) as it is."""
    return message.render(lang) if isinstance(message, Text) else message
