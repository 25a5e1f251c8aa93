"""The one lookup for text outside Qt widgets: the language choice and `text(key, lang, **params)`.

Keys are namespaced by the module that owns them: `report.*` (texts.cli), `setting.*` and
`setting-group.*` (texts.settings), `protect-error*` and `strength*` (texts.protect), `outlook.*`
(texts.outlook), `punct.*` (texts.punctuation). Finding sentences have several templates per code,
so they have their own entry point, `texts.findings.finding_text`.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping
from typing import Any

from missend_guard.texts import cli, outlook, protect, punctuation, settings

LANGUAGES = ("ja", "en")
FALLBACK = "en"

# key -> language -> template; the owners' namespaces never overlap (tests/texts checks it).
TEXTS: Mapping[str, Mapping[str, str]] = {
    **cli.TEXTS,
    **settings.TEXTS,
    **protect.TEXTS,
    **outlook.TEXTS,
    **punctuation.TEXTS,
}


def language(lang: str | None) -> str:
    """'ja' for any Japanese tag ('ja', 'ja_JP.UTF-8', 'ja-JP', 'Japanese'), else the fallback 'en'."""
    return "ja" if lang and lang.lower().startswith("ja") else FALLBACK


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of the user's locale: the first set of LC_ALL, LC_MESSAGES, LANG, LANGUAGE."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var)
        if value:
            return language(value)
    return language(locale.getlocale()[0])


def has_text(key: str) -> bool:
    """Whether the catalog knows `key` (for codes that arrive as data, e.g. protection errors)."""
    return key in TEXTS


def text(key: str, lang: str | None, /, **params: Any) -> str:
    """The text of `key` in `lang` (normalised by `language`), with `params` filled in."""
    return TEXTS[key][language(lang)].format(**params)
