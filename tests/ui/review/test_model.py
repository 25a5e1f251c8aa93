"""What the review dialog shows, computed without Qt; the preview dims what core calls quoted."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTextBrowser

from missend_guard.core.message.bodytext import split_body
from missend_guard.core.message.envelope import Envelope
from missend_guard.ui.review.model import build_model, quoted_lines
from missend_guard.ui.review.widgets import body_preview
from tests.helpers import samples

REPLIES = {
    # Outlook: the history starts at the header block, not at a lone "From:" in own text.
    "outlook-ja": "佐藤様\n\nFrom: 営業部の山本です。\n資料をお送りします。\nご確認ください。\n\n山本\n\n"
                  "________________________________\n"
                  "差出人: 佐藤 花子\n送信日時: 2026年11月20日 10:00\n宛先: 山本 健\n件名: 資料\n\n旧本文\n",
    "gmail-ja": "佐藤様\n\n承知しました。\n\n2026年11月20日(金) 10:00 佐藤 花子 <h@abc.example>:\n> 旧本文\n",
    "inline": "佐藤様\n\nOn Fri, Nov 20, 2026, Hanako wrote:\n> 質問1\n回答1です。\n> 質問2\n回答2です。\n",
    "apple-ja": "了解です。\n\n2026/11/20 10:00、佐藤 花子 <h@abc.example>のメール:\n\n> 旧本文",
}


@pytest.mark.parametrize("name", sorted(REPLIES))
def test_preview_dims_exactly_what_the_rules_treat_as_quoted(name: str) -> None:
    body = REPLIES[name]
    lines = quoted_lines(body)
    assert "\n".join(text for text, quoted in lines if quoted) == split_body(body).quoted
    assert [text for text, _ in lines] == body.splitlines()


def test_inline_answers_stay_bright_between_quotes() -> None:
    flags = dict(quoted_lines(REPLIES["inline"]))
    assert flags["回答1です。"] is False
    assert flags["回答2です。"] is False
    assert flags["> 質問1"] is True


def test_envelope_only_address_gets_the_unicode_domain_like_header_rows() -> None:
    request = samples.request()
    request = type(request)(request.message, request.report,
                            Envelope(request.envelope.mail_from, ("x@xn--r8jz45g.example",)))
    model = build_model(request)
    [row] = [r for g in model.external_groups for r in g.rows if r.index is None]
    assert (row.field, row.address, row.domain) == ("bcc", "x@xn--r8jz45g.example", "例え.example")


def test_body_preview_greys_the_quoted_lines_only(qtbot) -> None:
    view = body_preview(REPLIES["outlook-ja"])
    qtbot.addWidget(view)
    assert isinstance(view, QTextBrowser)
    html = view.toHtml()
    own_at, quoted_at = html.index("From: 営業部の山本です。"), html.index("旧本文")
    grey = html.index("#808080")  # Qt writes "color: gray" back as #808080
    assert own_at < grey < quoted_at
