"""The thread model: quoted messages and their people, as Outlook, Gmail, Thunderbird, Apple and Becky! write them."""

# ruff: noqa: E501  (mail text is data: splitting quoted headers mid-line hurts reading)

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missend_guard.core.check.checker import check
from missend_guard.core.check.context import CheckContext
from missend_guard.core.message.bodytext import quoted_line_flags
from missend_guard.core.message.markers import history_marker, marker_candidates, unquote
from missend_guard.core.message.model import parse_message
from missend_guard.core.message.thread import body_lines, mailboxes, parse_thread
from tests.helpers.corpus_texts import corpus_texts
from tests.helpers.cpython_corpus import cpython_email_corpus

OWN = "佐藤様\n\n承知しました。"
KATO = ("加藤 美穂", "miho.kato@sakura-sys.co.jp")
SATO = ("佐藤 花子", "hanako.sato@abc-trading.co.jp")

# client -> (history below the own text, [(role, name, address) of the first quoted message])
HISTORIES: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "outlook-ja-365": (
        "________________________________\n差出人: 加藤 美穂 <miho.kato@sakura-sys.co.jp>\n"
        "送信日時: 2026年11月20日 10:00\n宛先: 山本 健 <ken@sakura-sys.co.jp>; 田中 次郎\n"
        "CC: 森 直樹 <naoki.mori@sakura-sys.co.jp>\n件名: RE: 価格\n\n旧本文",
        [("from", *KATO), ("to", "山本 健", "ken@sakura-sys.co.jp"), ("to", "田中 次郎", ""),
         ("cc", "森 直樹", "naoki.mori@sakura-sys.co.jp")],
    ),
    "outlook-en-mailto": (
        "-----Original Message-----\nFrom: Sato, Hanako [mailto:hanako.sato@abc-trading.co.jp]\n"
        "Sent: Thursday, November 19, 2026 6:00 PM\nTo: Yamamoto Ken <ken@sakura-sys.co.jp>\n"
        "Cc: jiro@sakura-sys.co.jp, Mori <naoki.mori@sakura-sys.co.jp>\nSubject: price\n\n旧本文",
        [("from", "Sato, Hanako", SATO[1]), ("to", "Yamamoto Ken", "ken@sakura-sys.co.jp"),
         ("cc", "", "jiro@sakura-sys.co.jp"), ("cc", "Mori", "naoki.mori@sakura-sys.co.jp")],
    ),
    "outlook-names-only": (
        "-----Original Message-----\n差出人: 加藤 美穂\n送信日時: 2026年11月20日 10:00\n宛先: 山本 健\n"
        "件名: 価格\n\n旧本文",
        [("from", "加藤 美穂", ""), ("to", "山本 健", "")],
    ),
    "gmail-ja": ("2026年11月20日(金) 10:02 佐藤 花子 <hanako.sato@abc-trading.co.jp>:\n\n> 旧本文",
                 [("from", *SATO)]),
    "gmail-en-wrapped": ("On Fri, Nov 20, 2026 at 10:00 AM Hanako Sato <hanako.sato@abc-trading.co.jp>\n"
                         "wrote:\n> 旧本文", [("from", "Hanako Sato", SATO[1])]),
    "gmail-forward": (
        "---------- Forwarded message ---------\nFrom: 佐藤 花子 <hanako.sato@abc-trading.co.jp>\n"
        "Date: 2026年11月20日(金) 10:02\nSubject: 見積\nTo: 山本 健 <ken@sakura-sys.co.jp>, "
        "鈴木 一郎 <suzuki@xyz-bank.co.jp>\n\n\n旧本文",
        [("from", *SATO), ("to", "山本 健", "ken@sakura-sys.co.jp"), ("to", "鈴木 一郎", "suzuki@xyz-bank.co.jp")],
    ),
    "thunderbird-ja": ("佐藤 花子 さんは書きました:\n> 旧本文", [("from", "佐藤 花子", "")]),
    "thunderbird-en": ("On 11/20/2026 10:00 AM, Hanako Sato wrote:\n> 旧本文", [("from", "Hanako Sato", "")]),
    "thunderbird-forward-ja": (
        "-------- 転送メッセージ --------\n件名: 見積\n日付: Fri, 20 Nov 2026 10:00:00 +0900\n"
        "差出人: 佐藤 花子 <hanako.sato@abc-trading.co.jp>\n宛先: 山本 健 <ken@sakura-sys.co.jp>\n\n旧本文",
        [("from", *SATO), ("to", "山本 健", "ken@sakura-sys.co.jp")],
    ),
    "apple-ja": ("2026/11/20 10:00、佐藤 花子 <hanako.sato@abc-trading.co.jp>のメール:\n\n> 旧本文",
                 [("from", *SATO)]),
    "apple-en": ("On Nov 20, 2026, at 10:00, Hanako Sato <hanako.sato@abc-trading.co.jp> wrote:\n\n> 旧本文",
                 [("from", "Hanako Sato", SATO[1])]),
    "apple-forward": (
        "Begin forwarded message:\n\nFrom: 佐藤 花子 <hanako.sato@abc-trading.co.jp>\nSubject: 見積\n"
        "Date: November 20, 2026 at 10:00:00 GMT+9\nTo: 山本 健 <ken@sakura-sys.co.jp>\n\n旧本文",
        [("from", *SATO), ("to", "山本 健", "ken@sakura-sys.co.jp")],
    ),
    "becky": ("On Fri, 20 Nov 2026 10:00:00 +0900\n佐藤 花子 <hanako.sato@abc-trading.co.jp> wrote:\n> 旧本文",
              [("from", *SATO)]),
}


@pytest.mark.parametrize("client", sorted(HISTORIES))
def test_each_clients_quoted_message_knows_its_people(client: str) -> None:
    history, people = HISTORIES[client]
    thread = parse_thread(f"{OWN}\n\n{history}")
    assert thread.own == OWN
    assert [(p.role, p.name, p.address) for p in thread.blocks[0].participants] == people
    assert thread.blocks[0].text == "旧本文"
    assert thread.blocks[0].kind == ("forward" if "forward" in client else "reply")


@pytest.mark.parametrize("client", sorted(HISTORIES))
def test_flags_are_the_thread_models(client: str) -> None:
    lines = body_lines(f"{OWN}\n\n{HISTORIES[client][0]}")
    assert quoted_line_flags(lines) == list(parse_thread("\n".join(lines)).flags)
    assert quoted_line_flags(lines)[: len(OWN.split("\n"))] == [False] * len(OWN.split("\n"))


def test_nested_outlook_chain_gives_one_block_per_message() -> None:
    body = (f"{OWN}\n\n-----Original Message-----\nFrom: 加藤 美穂 <miho.kato@sakura-sys.co.jp>\n"
            "Sent: Friday\nTo: 山本 健 <ken@sakura-sys.co.jp>\nSubject: RE: 価格\n\n山本さん\n下限は85,000円です。\n"
            "\n-----Original Message-----\nFrom: 佐藤 花子 <hanako.sato@abc-trading.co.jp>\nSent: Thursday\n"
            "To: 加藤 美穂 <miho.kato@sakura-sys.co.jp>\nSubject: 価格\n\n加藤様\nお見積りをお願いします。\n"
            "--\nABC商事 佐藤\nTEL 03-0000-0000\n")
    blocks = parse_thread(body).blocks
    assert [(b.sender.address if b.sender else "", b.text) for b in blocks] == [
        (KATO[1], "山本さん\n下限は85,000円です。"), (SATO[1], "加藤様\nお見積りをお願いします。")]
    assert blocks[1].footer.startswith("--\nABC商事")
    assert all(b.lists_recipients for b in blocks)


def test_nested_gt_quotes_and_inline_answers() -> None:
    body = ("Hi Maria,\n\nOn Fri, Nov 20, 2026 at 10:00 AM Maria Garcia <maria@globex.example> wrote:\n"
            "> Question 1?\nAnswer 1.\n> Question 2?\n>\n> On Thu, Nov 19, 2026 at 9:00 AM Ken <ken@sakura-sys.co.jp> wrote:\n"
            ">> Original.\nAnswer 2.")
    thread = parse_thread(body)
    assert thread.own == "Hi Maria,\n\nAnswer 1.\nAnswer 2."
    assert [(b.depth, b.sender.address if b.sender else "", b.text) for b in thread.blocks] == [
        (1, "maria@globex.example", "Question 1?\nQuestion 2?"), (2, "ken@sakura-sys.co.jp", "Original.")]
    assert not thread.blocks[0].lists_recipients


def test_quoted_disclaimer_is_the_blocks_footer() -> None:
    body = (f"{OWN}\n\n2026年11月20日(金) 10:02 佐藤 花子 <hanako.sato@abc-trading.co.jp>:\n> 山本様\n>\n"
            "> 承知しました。\n>\n> This e-mail is confidential and intended solely for the addressee.\n")
    (block,) = parse_thread(body).blocks
    assert block.text == "山本様\n\n承知しました。"
    assert "confidential" in block.footer


def test_own_lines_before_an_attribution_are_not_part_of_it() -> None:
    # HTML bodies have no blank line between paragraphs: "Thanks." must stay own text.
    lines = ["Hi Maria,", "Thanks.", "On Fri, Nov 20, 2026 at 10:00 AM Maria <maria@globex.example> wrote:", "> x"]
    assert quoted_line_flags(lines) == [False, False, True, True]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("佐藤 花子 <h@abc.example>; 鈴木 一郎 <s@abc.example>", [("佐藤 花子", "h@abc.example"), ("鈴木 一郎", "s@abc.example")]),
        ('"Chen, David" <david@northwind.example>, maria@globex.example',
         [("Chen, David", "david@northwind.example"), ("", "maria@globex.example")]),
        ("Sato, Hanako", [("Sato, Hanako", "")]),
        ("加藤 美穂、田中 次郎", [("加藤 美穂", ""), ("田中 次郎", "")]),
        ("佐藤 花子 (H.Sato@ABC.example)", [("佐藤 花子", "h.sato@abc.example")]),
        ("", []),
    ],
)
def test_mailboxes(value: str, expected: list[tuple[str, str]]) -> None:
    assert mailboxes(value) == expected


def _html(html: str) -> str:
    payload = base64.encodebytes(html.encode("utf-8")).decode("ascii")
    raw = ("From: ken@sakura-sys.co.jp\r\nTo: hanako.sato@abc-trading.co.jp\r\nSubject: RE: x\r\nMIME-Version: 1.0\r\n"
           "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + payload)
    return parse_message(raw.encode("ascii")).body


HTML_REPLIES = {
    "outlook-web": ('<div dir="ltr">佐藤様<br>承知しました。</div><hr style="display:inline-block;width:98%">'
                    '<div id="divRplyFwdMsg" dir="ltr"><font><b>差出人:</b> 加藤 美穂 &lt;miho.kato@sakura-sys.co.jp&gt;'
                    '<br><b>送信日時:</b> 2026年11月20日 10:00<br><b>宛先:</b> 山本 健 &lt;ken@sakura-sys.co.jp&gt;<br>'
                    '<b>件名:</b> 価格</font><div>&nbsp;</div></div><div>下限価格は85,000円です。</div>'),
    "outlook-desktop": ("<div class=WordSection1><p class=MsoNormal>佐藤様</p><p class=MsoNormal>承知しました。</p>"
                        "<div style='border:none;border-top:solid #E1E1E1 1.0pt'><p class=MsoNormal><b>From:</b> "
                        "Kato Miho &lt;miho.kato@sakura-sys.co.jp&gt;<br><b>Sent:</b> Friday, November 20, 2026<br>"
                        "<b>To:</b> Yamamoto Ken &lt;ken@sakura-sys.co.jp&gt;<br><b>Subject:</b> price</p></div>"
                        "<p class=MsoNormal>下限価格は85,000円です。</p></div>"),
    "gmail": ('<div dir="ltr">佐藤様<div>承知しました。</div></div><div class="gmail_quote"><div dir="ltr" '
              'class="gmail_attr">2026年11月20日(金) 10:02 加藤 美穂 &lt;<a href="mailto:miho.kato@sakura-sys.co.jp">'
              'miho.kato@sakura-sys.co.jp</a>&gt;:<br></div><blockquote class="gmail_quote">'
              '<div dir="ltr">下限価格は85,000円です。</div></blockquote></div>'),
    "thunderbird": ('<p>佐藤様</p><p>承知しました。</p><div class="moz-cite-prefix">2026/11/20 10:00, 加藤 美穂 '
                    '&lt;miho.kato@sakura-sys.co.jp&gt; wrote:<br></div><blockquote type="cite">'
                    "下限価格は85,000円です。</blockquote>"),
    "apple": ('<div>佐藤様<div>承知しました。</div><div><br><blockquote type="cite"><div>2026/11/20 10:00、加藤 美穂 '
              '&lt;miho.kato@sakura-sys.co.jp&gt;のメール:</div><br><div><div>下限価格は85,000円です。</div></div>'
              "</blockquote></div></div>"),
}


@pytest.mark.parametrize("client", sorted(HTML_REPLIES))
def test_html_quotes_become_blocks(client: str) -> None:
    thread = parse_thread(_html(HTML_REPLIES[client]))
    assert thread.own == "佐藤様\n承知しました。"
    (block,) = thread.blocks
    assert block.sender is not None
    assert block.sender.address == KATO[1]
    assert block.text.strip() == "下限価格は85,000円です。"


def test_deep_nesting_and_long_histories_stay_bounded() -> None:
    deep = "\n".join(">" * n + " x" for n in range(1, 300))
    assert len(parse_thread(deep).blocks) <= 13
    chain = "本文\n" + "\n-----Original Message-----\nFrom: a@b.example\nSent: x\nTo: c@d.example\n\n旧本文" * 400
    assert len(parse_thread(chain).blocks) == 400




@pytest.mark.skipif(not cpython_email_corpus(), reason="CPython's test/test_email/data is not installed")
def test_cpython_email_corpus_threads_and_checks_without_crash() -> None:
    failed = []
    for path in cpython_email_corpus():
        message = parse_message(path.read_bytes())
        parse_thread(message.body)
        report = check(message, CheckContext())
        if any("check_failed" in f.params for f in report.findings):
            failed.append(path.name)
    assert failed == []


_FRAGMENTS = [
    "佐藤様", "", "> 引用", ">> 深い引用", "-----Original Message-----", "From: 加藤 美穂 <miho.kato@sakura-sys.co.jp>",
    "差出人: 佐藤 花子", "送信日時: 2026年11月20日", "宛先: 山本 健; 田中", "To: a@b.example, \"Chen, David\" <d@n.example>",
    "Cc:", "件名: RE: 件", "Subject:", "On Fri, Nov 20, 2026 at 10:00 AM Hanako <h@abc.example>", "wrote:",
    "佐藤 花子 さんは書きました:", "2026/11/20 10:00、佐藤 花子 <h@abc.example>のメール:", "________________________________",
    "---------- Forwarded message ---------", "Begin forwarded message:", "--", "TEL: 03-1234-5678", ":", "<>", "[mailto:]",
    "本メールは機密情報を含む場合があります。", "|", "＞ 全角", "From: From: From:", "\t", "\x00", "\u3000",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=30)), max_size=40))
def test_any_body_gives_one_flag_per_line_and_never_raises(parts: list[str]) -> None:
    body = "\n".join(parts)
    thread = parse_thread(body)
    lines = body_lines(body)
    assert len(thread.flags) == len(lines)
    assert quoted_line_flags(lines) == list(thread.flags)
    for block in thread.blocks:
        assert block.depth >= 1
        assert all(p.role in ("from", "to", "cc") for p in block.participants)


def _assert_only_candidates_mark(lines: list[str]) -> None:
    maybe = marker_candidates(lines)
    for i in range(len(lines)):
        if i not in maybe:
            assert history_marker(lines, i) == ("", 0), (i, lines)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=30)), max_size=40))
def test_history_marker_finds_nothing_outside_the_candidate_lines(parts: list[str]) -> None:
    _assert_only_candidates_mark(body_lines("\n".join(parts)))


def test_history_marker_candidates_on_the_corpus() -> None:
    # An attribution whose only colon is on its third line (dated, name, 「さんは書きました:」).
    three = ["本文", "2026年11月20日 金曜日", "佐藤 花子 <h@abc.example>", "さんは書きました:", "> 引用"]
    assert history_marker(three, 1) == ("attribution", 3)
    _assert_only_candidates_mark(three)
    bodies = [t for t in corpus_texts() if "\n" in t]
    assert len(bodies) > 100
    for body in bodies:
        lines = body_lines(body)
        _assert_only_candidates_mark(lines)
        _assert_only_candidates_mark([unquote(ln) for ln in lines])
