"""Characters that look alike: a TR39-style skeleton of domain labels and mixed-script detection."""

from __future__ import annotations

import functools
import json
import unicodedata
from importlib import resources

# Non-ASCII letters that render like an ASCII letter in common mail-client fonts (Cyrillic, Greek,
# Armenian, Latin extensions). The confusable-homoglyphs data, when installed, adds the rest of TR39.
_COMPACT = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ь": "b", "к": "k", "м": "m",
    "н": "h", "т": "t", "в": "b", "г": "r", "п": "n", "ɡ": "g", "ɑ": "a", "ı": "i", "ł": "l",
    "ο": "o", "α": "a", "ν": "v", "ρ": "p", "υ": "u", "ι": "i", "κ": "k", "τ": "t", "χ": "x",
    "օ": "o", "հ": "h", "ս": "u", "ց": "g", "ո": "n", "ɩ": "l", "ǀ": "l", "ℓ": "l",
}
# ASCII sequences a reader takes for another: rn/m, vv/w, cl/d, 1/l, 0/o. Longest first.
_ASCII_FOLDS = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("1", "l"), ("0", "o"))
# ー (KATAKANA-HIRAGANA prolonged sound mark) and 々 (IDEOGRAPHIC iteration mark) belong with kana/kanji.
_JAPANESE_SCRIPTS = frozenset({"LATIN", "CJK", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA", "IDEOGRAPHIC"})
_ALLOWED_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-.")


@functools.cache
def _tr39_prototypes() -> dict[str, str]:
    """Non-ASCII → ASCII prototype from confusable-homoglyphs' TR39 data (empty when not installed)."""
    try:
        text = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return {}
    table: dict[str, str] = {}
    for char, entries in json.loads(text).items():
        if len(char) != 1 or char.isascii():
            continue
        for entry in entries:
            proto = str(entry.get("c", "")).lower()
            if len(proto) == 1 and proto in _ALLOWED_CHARS and proto != ".":
                table[char] = proto
                break
    return table


def _char_prototype(char: str) -> str:
    if char.isascii():
        return char
    if char in _COMPACT:
        return _COMPACT[char]
    base = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in base if not unicodedata.combining(c))
    if stripped.isascii() and stripped:
        return stripped.lower()  # é → e, ｍ → m
    return _tr39_prototypes().get(char, char)


def fold_ascii(text: str) -> str:
    """rn→m, vv→w, cl→d, 1→l, 0→o: the ASCII look-alikes of a lower-case label."""
    for seq, proto in _ASCII_FOLDS:
        text = text.replace(seq, proto)
    return text


def skeleton(text: str) -> str:
    """What a reader sees: every character mapped to its ASCII look-alike, then ASCII folds applied."""
    if text.isascii():
        return fold_ascii(text.lower())
    lowered = unicodedata.normalize("NFKC", text).lower()
    return fold_ascii("".join(_char_prototype(c) for c in lowered))


def _script(char: str) -> str:
    if not char.isalpha():
        return ""  # digits, hyphen, marks: common to every script
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def scripts(label: str) -> frozenset[str]:
    """The scripts of the letters in a label ("LATIN", "CYRILLIC", "CJK", ...)."""
    return frozenset(s for s in (_script(c) for c in label) if s)


def is_mixed_script(label: str) -> bool:
    """True when a label mixes scripts a real name would not (Latin+Cyrillic); Latin+kana+kanji is normal."""
    found = scripts(label)
    return len(found) > 1 and not found <= _JAPANESE_SCRIPTS
