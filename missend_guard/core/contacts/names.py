"""Normalised forms of names and text for matching: width, kana, case, spacing, order, variant kanji."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from rapidfuzz.distance import DamerauLevenshtein

_KATAKANA_START, _KATAKANA_END = 0x30A1, 0x30F6
_SPACES_AND_DOTS = str.maketrans("", "", " \t\u3000・･.,、。_-‐")

# Variant (異体字) and old (旧字体) forms used in family names → the common form. Folding them lets
# 齋藤 match 斉藤: the same family name written with a different glyph.
_VARIANTS = {
    "斎": "斉", "齋": "斉", "齊": "斉", "邊": "辺", "邉": "辺", "澤": "沢", "﨑": "崎", "嵜": "崎",
    "碕": "崎", "髙": "高", "濱": "浜", "嶋": "島", "嶌": "島", "櫻": "桜", "廣": "広", "國": "国",
    "藏": "蔵", "德": "徳", "眞": "真", "惠": "恵", "榮": "栄", "實": "実", "壽": "寿", "龍": "竜",
    "瀨": "瀬", "淺": "浅", "兒": "児", "彌": "弥", "條": "条", "關": "関", "靜": "静", "鐵": "鉄",
    "圓": "円", "會": "会", "萬": "万", "與": "与", "學": "学", "樂": "楽", "黑": "黒", "𠮷": "吉",
    "槇": "槙", "邨": "村", "冨": "富", "峯": "峰", "舘": "館", "桒": "桑", "薗": "園", "籔": "薮",
    "藪": "薮", "穗": "穂", "檜": "桧", "曾": "曽", "恆": "恒", "龜": "亀", "凜": "凛", "遙": "遥",
    "晉": "晋", "堯": "尭", "淵": "渕", "莊": "荘", "冲": "沖", "篭": "籠", "巖": "巌", "來": "来",
    "團": "団", "豐": "豊", "鷗": "鴎", "將": "将", "驒": "騨", "栁": "柳",
}
# Different characters read the same way in names (田中/田仲 たなか, 新井/新居 あらい, 太郎/太朗).
# Used only for "same reading" detection, never for display.
_HOMOPHONES = {
    "仲": "中", "河": "川", "元": "本", "居": "井", "埜": "野", "邑": "村", "丘": "岡", "籐": "藤",
    "朗": "郎", "安": "阿", "雄": "夫", "男": "夫",
}
_VARIANT_TABLE = str.maketrans(_VARIANTS)
_READING_TABLE = str.maketrans({**_VARIANTS, **_HOMOPHONES})

# Honorifics and titles around a display name: they say nothing about who the person is.
_HONORIFIC_SUFFIXES = ("様", "さま", "サマ", "さん", "殿", "御中", "先生", "氏", "くん", "君")
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mx"})
_BRACKETED = re.compile(r"[(（\[［【<＜「『][^)）\]］】>＞」』]*[)）\]］】>＞」』]")
_LATIN_ACCENTED = re.compile("[\u00c0-\u024f\u1e00-\u1eff]")
_HAS_BRACKET = re.compile(r"[(（\[［【<＜「『]")
_TOKEN_SPLIT = re.compile(r"[\s\u3000・･.,、。_/]+")


_HIRAGANA_TABLE = {k: k - 0x60 for k in range(_KATAKANA_START, _KATAKANA_END + 1)}
_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def to_hiragana(text: str) -> str:
    """Katakana → hiragana (after NFKC, so half-width kana are covered)."""
    return text.translate(_HIRAGANA_TABLE)


def fold_variants(text: str) -> str:
    """Variant and old kanji forms → the common form (齋藤 → 斉藤, 髙橋 → 高橋)."""
    return text.translate(_VARIANT_TABLE)


def fold_reading(text: str) -> str:
    """Like fold_variants, and also same-reading name kanji (田仲 → 田中): for "sounds the same"."""
    return text.translate(_READING_TABLE)


def _strip_marks(text: str) -> str:
    # José == Jose: drop Latin diacritics only; kana voicing marks (U+3099) must stay.
    if not _LATIN_ACCENTED.search(text):
        return text
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if not "\u0300" <= c <= "\u036f")
    return unicodedata.normalize("NFC", kept)


def normalize_text(text: str) -> str:
    """NFKC, case-folded, katakana as hiragana; spacing kept (for phrase search)."""
    return to_hiragana(unicodedata.normalize("NFKC", text)).casefold()


def normalize_name(text: str) -> str:
    """normalize_text without spaces and punctuation, variant kanji folded ("山田　太郎" == "山田太郎")."""
    return fold_variants(normalize_text(text).translate(_SPACES_AND_DOTS))


def is_cjk(text: str) -> bool:
    """True when the text holds kanji or kana (a Japanese-written name)."""
    return _CJK.search(text) is not None


def name_tokens(name: str) -> tuple[str, ...]:
    """Normalised words of a person's name; honorifics, titles and bracketed notes dropped.

    "Smith, John" gives ("john", "smith"); "山田 太郎 様" gives ("山田", "太郎").
    """
    text = unicodedata.normalize("NFKC", name)
    if _HAS_BRACKET.search(text):
        text = _BRACKETED.sub(" ", text)
    cjk = is_cjk(text)
    if "," in text and not cjk:
        family, _, given = text.partition(",")
        text = f"{given} {family}"
    # already NFKC: the rest of normalize_text, then variant folding once for all words
    text = fold_variants(_strip_marks(to_hiragana(text).casefold()))
    words = [w for w in _TOKEN_SPLIT.split(text) if w]
    if cjk and words:
        while words and words[-1] in _HONORIFIC_SUFFIXES:
            words.pop()
        last = words[-1] if words else ""
        for suffix in _HONORIFIC_SUFFIXES if is_cjk(last) else ():
            if last.endswith(suffix) and len(last) > len(suffix):
                words[-1] = last[: -len(suffix)]
                break
    return tuple(w for w in words if w not in _TITLES and w.strip("-'"))


def name_key(name: str) -> str:
    """Order-free matching key: "Smith, John" == "John Smith"; "山田 太郎" == "山田太郎"; 田仲 == 田中."""
    return tokens_key(name_tokens(name))


def tokens_key(tokens: tuple[str, ...]) -> str:
    """name_key from already computed name_tokens."""
    if not tokens:
        return ""
    if is_cjk("".join(tokens)):
        # Japanese names are written family-first without reliable spacing: join in order.
        return fold_reading("".join(tokens))
    return " ".join(sorted(tokens))


def reading_key(family_reading: str, given_reading: str) -> str:
    """The full kana reading as hiragana without spaces; "" unless both parts are known."""
    family = normalize_name(family_reading)
    given = normalize_name(given_reading)
    return family + given if family and given else ""


def typo_level(a: str, b: str) -> bool:
    """Two words that differ by one slip of the keyboard, strict for short words (Jon/John, not Jan/Jon)."""
    if a == b:
        return True
    if DamerauLevenshtein.distance(a, b, score_cutoff=1) > 1:
        return False
    shorter = min(len(a), len(b))
    if len(a) != len(b):
        return shorter >= 3  # one letter added or dropped: Jon/John, Ann/Anne
    if sorted(a) == sorted(b):
        return shorter >= 3  # adjacent letters swapped
    return shorter >= 5  # one letter replaced: Smith/Smyth, but not Mark/Mary


def tokens_near_identical(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Same words, or the same words but one with a typo-level difference (Latin names)."""
    if not a or len(a) != len(b):
        return False
    left = Counter(a)
    left.subtract(Counter(b))
    only_a = [t for t, n in left.items() for _ in range(n) if n > 0]
    only_b = [t for t, n in left.items() for _ in range(-n) if n < 0]
    if not only_a:
        return True
    return len(only_a) == 1 and len(only_b) == 1 and typo_level(only_a[0], only_b[0])


def names_near_identical(a: str, b: str) -> bool:
    """Two display names a reader could take for the same person (not mere shared family names)."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    if is_cjk(ka) or is_cjk(kb):
        return False
    return tokens_near_identical(name_tokens(a), name_tokens(b))


# Surnames that end like a department or room (阿部, 服部, 岡部, 氷室, 長谷部): a department name is longer.
_SURNAME_LIKE_DEPT = re.compile(r"^(?:[^\sA-Za-z0-9][部室]|長谷部|日下部|宇佐部)$")


def looks_like_surname(token: str) -> bool:
    """True for a token like 阿部 or 氷室 that a department pattern (…部, …室) would otherwise take."""
    return bool(_SURNAME_LIKE_DEPT.match(token))
