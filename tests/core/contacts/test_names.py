"""Name normalisation for matching: width, kana, case, spacing, order, variant kanji, near-identity."""

from __future__ import annotations

import pytest

from missend_guard.core.contacts.names import (
    fold_variants,
    name_key,
    name_tokens,
    names_near_identical,
    normalize_name,
    normalize_text,
    reading_key,
    to_hiragana,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("タナカ", "たなか"),
        ("ﾀﾅｶ", "たなか"),  # half-width: NFKC first
        ("ガッコウ", "がっこう"),
        ("ヴ", "ゔ"),
        ("abc", "abc"),
    ],
)
def test_to_hiragana(text: str, expected: str) -> None:
    assert to_hiragana(normalize_text(text)) == expected


def test_normalize_text_keeps_spacing() -> None:
    assert normalize_text("ＡＢＣ　Ｔｒａｄｉｎｇ") == "abc trading"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("山田　太郎", "山田太郎"),
        ("ヤマダ タロウ", "やまだたろう"),
        ("齋藤", "斉藤"),
        ("渡邊", "渡辺"),
        ("髙橋", "高橋"),
        ("山﨑", "山崎"),
        ("濱田", "浜田"),
        ("Ｊｏｈｎ　Ｓｍｉｔｈ", "john smith"),
    ],
)
def test_normalize_name_equal(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


def test_fold_variants_leaves_other_kanji() -> None:
    assert fold_variants("田中太郎") == "田中太郎"
    assert fold_variants("櫻井 廣") == "桜井 広"


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("Smith, John", ("john", "smith")),
        ("Mr. John Smith", ("john", "smith")),
        ("山田 太郎 様", ("山田", "太郎")),
        ("山田太郎様", ("山田太郎",)),
        ("田中 太郎 (ABC商事)", ("田中", "太郎")),
        ("José Núñez", ("jose", "nunez")),
        ("ガンダム", ("がんだむ",)),  # voicing marks survive accent stripping
    ],
)
def test_name_tokens(name: str, tokens: tuple[str, ...]) -> None:
    assert name_tokens(name) == tokens


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Smith, John", "John Smith"),
        ("山田 太郎", "山田太郎"),
        ("田中 太郎", "田仲 太郎"),
        ("斉藤 一郎", "齋藤 一郎"),
        ("新井 健", "新居 健"),
        ("山田 太郎", "山田 太朗"),
    ],
)
def test_name_key_same(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("Jon Smith", "John Smith", True),
        ("John Smith", "Smith, Jon", True),
        ("John Smith", "John Smyth", True),
        ("Ann Lee", "Anne Lee", True),
        ("Jan Smith", "Jon Smith", False),  # one letter replaced in a short name: another person
        ("Mark Smith", "Mary Smith", False),
        ("John Smith", "Jane Smith", False),
        ("John Smith", "John Brown", False),
        ("田中 太郎", "田仲 太郎", True),
        ("斉藤 一郎", "斎藤 一郎", True),
        ("田中 太郎", "田中 次郎", False),  # share only the family name
        ("佐藤 健一", "佐藤 健二", False),
        ("田中 太郎", "Taro Tanaka", False),
        ("", "John Smith", False),
    ],
)
def test_names_near_identical(a: str, b: str, near: bool) -> None:
    assert names_near_identical(a, b) is near
    assert names_near_identical(b, a) is near


def test_reading_key_needs_both_parts() -> None:
    assert reading_key("サトウ", "ﾕｳ") == reading_key("さとう", "ゆう") == "さとうゆう"
    assert reading_key("さとう", "") == ""
