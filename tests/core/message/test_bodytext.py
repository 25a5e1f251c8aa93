"""Splitting bodies into own text, signature and quoted history, as mail clients write them."""

from __future__ import annotations

import base64

import pytest

from missend_guard.core.message.bodytext import body_lines, quoted_line_flags, split_body
from missend_guard.core.message.model import parse_message
from tests.helpers.mailbuild import jis_mail

OWN = "佐藤様\n\n承知しました。"

HISTORIES = {
    "outlook-en": "-----Original Message-----\nFrom: a\nSent: b\nTo: c\nSubject: d\n\n旧本文",
    "outlook-ja-separator": "----- 元のメッセージ -----\n差出人: a\n送信日時: b\n\n旧本文",
    "outlook-ja-header-block": "________________________________\n差出人: 佐藤 花子\n"
                               "送信日時: 2026年11月20日 10:00\n"
                               "宛先: 山本 健\n件名: 資料\n\n旧本文",
    "outlook-ja-no-rule": "差出人: 佐藤 花子 <h@abc.example>\n送信日時: 2026年11月20日 10:00\n宛先: 山本 健\n"
                          "件名: 資料\n\n旧本文",
    "gmail-en": "On Fri, Nov 20, 2026 at 10:00 AM Hanako Sato <h@abc.example>\nwrote:\n> 旧本文",
    "gmail-ja": "2026年11月20日(金) 10:00 佐藤 花子 <h@abc.example>:\n> 旧本文",
    "thunderbird-ja": "佐藤 花子 さんは書きました:\n> 旧本文",
    "thunderbird-ja-dated": "2026/11/20 10:00, 佐藤 花子 wrote:\n> 旧本文",
    "apple-ja": "2026/11/20 10:00、佐藤 花子 <h@abc.example>のメール:\n\n> 旧本文",
    "gmail-forward": "---------- Forwarded message ---------\nFrom: a\nDate: b\n\n旧本文",
    "thunderbird-forward-ja": "-------- 転送メッセージ --------\n件名: a\n日付: b\n\n旧本文",
}


@pytest.mark.parametrize("client", sorted(HISTORIES))
def test_history_is_quoted(client: str) -> None:
    parts = split_body(f"{OWN}\n\n{HISTORIES[client]}")
    assert parts.own == OWN
    assert "旧本文" in parts.quoted
    assert "旧本文" not in parts.own


def test_inline_reply_keeps_own_text_between_quotes() -> None:
    body = "佐藤様\n\nOn Fri, Nov 20, 2026, Hanako wrote:\n> 質問1\n回答1です。\n> 質問2\n回答2です。"
    parts = split_body(body)
    assert parts.own.split("\n") == ["佐藤様", "", "回答1です。", "回答2です。"]
    assert "質問1" in parts.quoted
    assert "質問2" in parts.quoted


@pytest.mark.parametrize(
    ("body", "own", "signature_has"),
    [
        ("本文です。\n\n-- \n山本 健\nTEL 03-1234-5678", "本文です。", "TEL"),
        ("本文です。\n\n━━━━━━━━━━\n株式会社サンプル\n山本 健\nTEL: 03-1234-5678\n━━━━━━━━━━",
         "本文です。", "株式会社"),
        ("本文です。\n\n＝＝＝＝＝＝＝＝\n山本 健\nMail: ken@example.co.jp\n＝＝＝＝＝＝＝＝",
         "本文です。", "Mail"),
        ("本文です。\n\n山本 健\n株式会社サンプル 営業部\nTEL: 03-1234-5678", "本文です。", "TEL"),
        ("See you.\n\nThis email and any attachments are confidential and intended solely for the addressee.",
         "See you.", "confidential"),
        ("本文です。\n\n本メールは機密情報を含む場合があります。誤って受信された場合は破棄してください。",
         "本文です。", "機密"),
    ],
)
def test_signature_and_disclaimer(body: str, own: str, signature_has: str) -> None:
    parts = split_body(body)
    assert parts.own == own
    assert signature_has in parts.signature


@pytest.mark.parametrize(
    "body",
    [
        # a rule line without contact lines below it
        "■議題\n・予算\n・人員\n\n-----\n以上、よろしくお願いいたします。",
        "以下の通りです:\n\n日程: 11/20",  # a colon line is not an attribution
        "ご確認ください。\n\n山本 健",  # name only, no frame, no phone: keep it
    ],
)
def test_own_text_is_not_mistaken_for_history_or_signature(body: str) -> None:
    parts = split_body(body)
    assert parts.own == body
    assert parts.quoted == ""
    assert parts.signature == ""


def test_html_outlook_reply_body() -> None:
    html = ("<div><p>佐藤様</p><p>承知しました。</p><hr><p><b>差出人:</b> 佐藤 花子<br>"
            "<b>送信日時:</b> 2026年11月20日"
            "<br><b>宛先:</b> 山本 健<br><b>件名:</b> 資料</p><p>資料を添付します。</p></div>")
    payload = base64.encodebytes(html.encode("utf-8")).decode("ascii")
    raw = ("From: a@example.co.jp\r\nTo: b@abc.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
           "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + payload)
    parts = split_body(parse_message(raw.encode("ascii")).body)
    assert parts.own == "佐藤様\n承知しました。"
    assert "資料を添付します。" in parts.quoted


def test_iso_2022_jp_reply_parsed_then_split() -> None:
    raw = jis_mail(subject="RE: 件", body=f"{OWN}\n\n{HISTORIES['gmail-ja']}",
                   to=[("佐藤 花子", "h@abc.example")])
    parts = split_body(parse_message(raw).body)
    assert parts.own == OWN
    assert parts.quoted.endswith("> 旧本文")


def test_crlf_and_empty_bodies() -> None:
    assert split_body("").own == ""
    assert split_body("a\r\n> b\r\nc").own == "a\nc"


@pytest.mark.parametrize("client", sorted(HISTORIES))
def test_quoted_line_flags_mark_exactly_the_history_split_body_calls_quoted(client: str) -> None:
    lines = body_lines(f"{OWN}\r\n\r\n{HISTORIES[client]}".replace("\n", "\r\n"))
    flags = quoted_line_flags(lines)
    assert len(flags) == len(lines)
    assert flags[: len(OWN.split("\n"))] == [False] * len(OWN.split("\n"))
    assert flags[-1] is True  # 旧本文
    quoted = [ln for ln, q in zip(lines, flags, strict=True) if q]
    assert split_body("\n".join(lines)).quoted == "\n".join(quoted)


def test_quoted_line_flags_keep_inline_answers_own() -> None:
    lines = ["佐藤様", "", "On Fri, Nov 20, 2026, Hanako wrote:", "> 質問1", "回答1です。",
             "＞ 質問2", "回答2です。"]
    assert quoted_line_flags(lines) == [False, False, True, True, False, True, False]


def test_a_from_line_in_own_text_is_not_history() -> None:
    lines = ["From: 営業部の山本です。", "資料をお送りします。"]
    assert quoted_line_flags(lines) == [False, False]
