"""`missing-attachment` reads sentences: wrapped negations, other channels and earlier mails stay quiet."""

# ruff: noqa: E501  (mail text is data: splitting Japanese sentences mid-phrase hurts reading)

from __future__ import annotations

import pytest

from missend_guard.core.check.policy import DEFAULT_ATTACHMENT_PHRASES
from missend_guard.core.rules.content.mentions import attachment_mention


@pytest.mark.parametrize(
    "text",
    [
        # could not attach, went another way (hard-wrapped after 、)
        "資料のファイルサイズが大きく添付できなかったため、\nギガファイル便のURLにてお送りいたします。",
        "お見積書は容量の関係で添付できませんでしたので、\n共有フォルダに格納いたしました。",
        "データは容量が大きいため添付せず、\nOneDriveのリンクでお送りします。",
        "お見積書をお送りいたしますが、\nファイルが大きいため\nギガファイル便にてお送りします。",
        # a client's notice that an attachment was removed, quoted in own words
        "お送りいただいたメールですが、弊社システムにて\n「添付ファイルは削除されました」と表示され、\n開くことができませんでした。",
        # earlier mails
        "先日、\nお送りした資料について\nご質問はございますか。",
        "11月20日に送付した見積書について、\nご検討状況はいかがでしょうか。",
        "前回のメールにてお送りした資料の\n3ページ目をご覧ください。",
        "The file I sent yesterday has all the details.",
        "As attached to my previous email, the prices are unchanged.",
        "Please see the attachment in my previous email.",
        "The deck we shared last week is still valid.",
        "I attached the proposal to my email of May 10, please refer to it.",
        "先ほどお送りしました見積書に誤りがございました。\n正しい金額は150,000円です。",
        "The slides could not be attached because of the size limit,\nso I uploaded them to our shared folder.",
    ],
)
def test_no_mention_of_a_file_in_this_mail(text: str) -> None:
    assert attachment_mention(text, DEFAULT_ATTACHMENT_PHRASES) is None


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("資料を添付いたします。", "添付"),
        ("先日お送りした資料の修正版を添付いたします。", "添付"),
        ("本日の会議資料を、\n添付にてお送りいたします。", "添付"),
        ("Please find attached the revised version of the deck I sent yesterday.", "attached"),
        ("I have attached the\nquote for your review.", "I have attached"),
    ],
)
def test_mentions_still_found(text: str, phrase: str) -> None:
    assert attachment_mention(text, DEFAULT_ATTACHMENT_PHRASES) == phrase
