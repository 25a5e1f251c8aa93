"""Hard-wrapped lines joined back into sentences, Japanese and English."""

# ruff: noqa: E501  (mail text is data: splitting Japanese sentences mid-phrase hurts reading)

from __future__ import annotations

import re

import pytest

from missend_guard.core.message.sentences import (
    _ABBREVIATION,
    _CJK_OR_MARK,
    _continues,
    iter_sentences,
    logical_lines,
    sentences,
)
from tests.helpers.corpus_texts import corpus_texts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # wrapped after 、 and after a particle
        ("資料は容量が大きく添付できなかったため、\nURLにてお送りいたします。", ["資料は容量が大きく添付できなかったため、URLにてお送りいたします。"]),
        ("添付ファイルは\n削除されました。", ["添付ファイルは削除されました。"]),
        # wrapped at the client's fixed width (Becky!, Outlook plain text: about 36 full-width characters)
        ("本日の打ち合わせでご説明いたしました新サービスの概要資料につきまして、社内でご検討いただく際\nの参考としてお使いください。",
         ["本日の打ち合わせでご説明いたしました新サービスの概要資料につきまして、社内でご検討いただく際の参考としてお使いください。"]),
        ("The slides could not be attached because of the size limit,\nso I uploaded them.",
         ["The slides could not be attached because of the size limit, so I uploaded them."]),
        ("Please find attached\nthe report.", ["Please find attached the report."]),
        # not joined: a finished line, a salutation, a list item, a label, an English capital after a short line
        ("佐藤様\nいつもお世話になっております。", ["佐藤様", "いつもお世話になっております。"]),
        ("資料を添付します\nご確認ください", ["資料を添付します", "ご確認ください"]),
        ("議題は以下の通りです：\n・予算\n・人員", ["議題は以下の通りです：", "・予算", "・人員"]),
        ("ご確認をお願いします、\n日時：11月20日", ["ご確認をお願いします、", "日時：11月20日"]),
        ("Hi Maria,\nThanks for the call.", ["Hi Maria,", "Thanks for the call."]),
    ],
)
def test_logical_lines(text: str, expected: list[str]) -> None:
    assert [ln for ln in logical_lines(text) if ln] == expected


def test_an_exclamation_mark_inside_a_word_does_not_end_the_sentence() -> None:
    assert sentences("The password is Hq7!pZ2m. Thanks! OK? 承知しました！はい") == [
        "The password is Hq7!pZ2m.", "Thanks!", "OK?", "承知しました！", "はい"]


def test_sentences_split_after_full_stops_but_not_inside_company_names() -> None:
    assert sentences("承知しました。資料を\n添付します。ABC Co., Ltd. will reply. Thanks!") == [
        "承知しました。", "資料を添付します。", "ABC Co., Ltd. will reply.", "Thanks!"]


# The cut as first written (whole lists, three look-behinds tried at every character, the abbreviation
# searched in every piece): the faster, lazy cut must give exactly the same lines and sentences.
_REFERENCE_SPLIT = re.compile(r"(?<=[。．！？])|(?<=[!?])\s+|(?<=[a-z0-9)]\.)\s+", re.IGNORECASE)


def _reference_logical_lines(text: str) -> list[str]:
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if out and _continues(out[-1], line):
            glue = "" if _CJK_OR_MARK.match(out[-1][-1]) or _CJK_OR_MARK.match(line) else " "
            out[-1] += glue + line
        else:
            out.append(line)
    return out


def _reference_sentences(text: str) -> list[str]:
    out: list[str] = []
    for line in _reference_logical_lines(text):
        current = ""
        for piece in _REFERENCE_SPLIT.split(line):
            if not piece.strip():
                continue
            if current and _ABBREVIATION.search(current):
                current += " " + piece
                continue
            if current:
                out.append(current)
            current = piece
        if current:
            out.append(current)
    return out


_EDGES = [
    "", "。", "。。！？", "Hi! Bye? ok!no", "Co. Ltd. will reply. Mr. Smith. e.g. this. i.e. that.",
    "資料です。 次です！　その次？ (注) 以上.", "ver 1.2. Next", "A.\nB.", "終わり。\n\n始まり",
    "Inc.  Sato", "No. 5 is fine. vs. 6", "x)\u3000. y", "見積書を送付します。Please see attached. Thanks!",
    "ＡＢＣ．ＤＥＦ。end.", "ſt. Co.\u2028Next", "abc.\u0085def",
]


def test_sentences_equal_the_reference_cut_on_the_corpus_and_edge_cases() -> None:
    texts = [*_EDGES, *corpus_texts()]
    assert len(texts) > 400
    for text in texts:
        assert logical_lines(text) == _reference_logical_lines(text), text
        assert sentences(text) == _reference_sentences(text), text
        assert list(iter_sentences(text)) == sentences(text)
