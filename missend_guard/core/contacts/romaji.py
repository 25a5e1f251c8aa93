"""Kana readings to romaji, and a loose romaji key so Satou/Sato/Satoh and Shinji/Sinzi compare equal."""

from __future__ import annotations

import re

from missend_guard.core.contacts.names import normalize_text

_ROWS = {
    "": "あいうえお", "k": "かきくけこ", "s": "さしすせそ", "t": "たちつてと", "n": "なにぬねの",
    "h": "はひふへほ", "m": "まみむめも", "r": "らりるれろ", "g": "がぎぐげご", "z": "ざじずぜぞ",
    "d": "だぢづでど", "b": "ばびぶべぼ", "p": "ぱぴぷぺぽ",
}
_KANA: dict[str, str] = {}
for _consonant, _row in _ROWS.items():
    for _vowel, _char in zip("aiueo", _row, strict=True):
        _KANA[_char] = _consonant + _vowel
_KANA.update({
    "や": "ya", "ゆ": "yu", "よ": "yo", "わ": "wa", "を": "o", "ん": "n", "ゐ": "i", "ゑ": "e", "ゔ": "vu",
    "ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o",
})
_SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
_KANA_RUN = re.compile(r"^[\u3041-\u3096ー・\s]+$")


def is_kana(text: str) -> bool:
    """True when `text` (after width/kana normalising) is only kana."""
    return bool(text.strip()) and bool(_KANA_RUN.match(normalize_text(text)))


def kana_to_romaji(text: str) -> str:
    """Rough Hepburn-like romaji of a kana string; unknown characters are dropped."""
    out: list[str] = []
    double_next = False
    for ch in normalize_text(text):
        if ch == "っ":
            double_next = True
            continue
        if ch in _SMALL_Y and out:
            # きゃ → kya: drop the vowel of the previous syllable.
            out[-1] = out[-1][:-1] + "y" + _SMALL_Y[ch]
            continue
        if ch == "ー" and out:
            out.append(out[-1][-1])
            continue
        syllable = _KANA.get(ch)
        if syllable is None:
            continue
        if double_next and syllable[0] not in "aiueo":
            syllable = syllable[0] + syllable
        double_next = False
        out.append(syllable)
    return "".join(out)


_LOOSE = (
    ("tch", "t"), ("sh", "s"), ("ch", "t"), ("ts", "t"), ("dz", "z"), ("j", "z"), ("f", "h"),
    ("ou", "o"), ("oo", "o"), ("oh", "o"), ("uu", "u"), ("ei", "e"), ("ii", "i"), ("aa", "a"),
    ("mb", "nb"), ("mp", "np"), ("nn", "n"),
)


def loose_key(romaji: str) -> str:
    """A forgiving key for Latin-script Japanese names (Hepburn, kunrei, long-vowel spellings)."""
    key = re.sub(r"[^a-z]", "", normalize_text(romaji))
    for old, new in _LOOSE:
        key = key.replace(old, new)
    key = re.sub(r"([bcdghkmnprstvwz])y", r"\1", key)  # sya/sha, kyo/kio differences
    return re.sub(r"([bcdfghjklmnpqrstvwxz])\1", r"\1", key)
