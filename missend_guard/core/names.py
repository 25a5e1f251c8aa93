"""Normalised forms of names and text for matching: width, kana, case, spacing."""

from __future__ import annotations

import unicodedata

_KATAKANA_START, _KATAKANA_END = 0x30A1, 0x30F6
_SPACES_AND_DOTS = str.maketrans("", "", " \t\u3000・･.,、。_-‐")


def to_hiragana(text: str) -> str:
    """Katakana → hiragana (after NFKC, so half-width kana are covered)."""
    return "".join(
        chr(ord(c) - 0x60) if _KATAKANA_START <= ord(c) <= _KATAKANA_END else c for c in text
    )


def normalize_text(text: str) -> str:
    """NFKC, case-folded, katakana as hiragana; spacing kept (for phrase search)."""
    return to_hiragana(unicodedata.normalize("NFKC", text)).casefold()


def normalize_name(text: str) -> str:
    """Name key: normalize_text without spaces, dots and punctuation ("山田　太郎" == "山田太郎")."""
    return normalize_text(text).translate(_SPACES_AND_DOTS)
