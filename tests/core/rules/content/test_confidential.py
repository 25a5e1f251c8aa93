"""`confidential-keyword` by sentence, in own text and in quoted mail; footers and negations stay quiet."""

# ruff: noqa: E501  (mail text is data: splitting Japanese sentences mid-phrase hurts reading)

from __future__ import annotations

from typing import Any

import pytest

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.policy import Policy
from missend_guard.core.message.model import parse_message
from missend_guard.core.rules.content.confidential import confidential_keyword
from tests.helpers.mailbuild import jis_mail

CTX = CheckContext(Policy(internal_domains={"sakura-sys.co.jp"}))
SATO = ("佐藤 花子", "hanako.sato@abc-trading.co.jp")
TANAKA = ("田中 太郎", "taro.tanaka@midori-bussan.co.jp")
KATO = ("加藤 美穂", "miho.kato@sakura-sys.co.jp")
ME = ("山本 健", "ken.yamamoto@sakura-sys.co.jp")


def _found(body: str, to: tuple[str, str] = SATO, cc: tuple[tuple[str, str], ...] = ()) -> list[tuple[str, dict[str, Any]]]:
    raw = jis_mail(subject="RE: お見積りの件", body=body, to=[to], cc=list(cc), sender=ME)
    return [(f.target, dict(f.params)) for f in confidential_keyword(parse_message(raw), CTX)]


INTERNAL_OUTLOOK = """佐藤様

いつもお世話になっております。
お見積りの件、下記の通りご提示いたします。

山本
-----Original Message-----
From: 加藤 美穂 <miho.kato@sakura-sys.co.jp>
Sent: Friday, November 20, 2026 10:00 AM
To: 山本 健 <ken.yamamoto@sakura-sys.co.jp>
Subject: RE: ABC商事様 見積

山本さん

お疲れ様です。
ABC商事様向けの下限価格は1台85,000円です。
社外秘でお願いします。
"""

INTERNAL_GMAIL = """Hi Hanako,

Please see our offer below.

On Fri, Nov 20, 2026 at 10:00 AM Miho Kato <miho.kato@sakura-sys.co.jp> wrote:
> Ken,
> our floor price for ABC is 85,000 yen per unit, so do not go below that.
"""

CUSTOMER_REPLY = """佐藤様

ご連絡ありがとうございます。承知いたしました。

2026年11月20日(金) 10:02 佐藤 花子 <hanako.sato@abc-trading.co.jp>:
> 山本様
>
> 次期モデルの情報は公表前のため社外秘でお願いいたします。
"""

CUSTOMER_DISCLAIMER = """Dear Hanako,

Thank you, noted.

On Fri, Nov 20, 2026 at 10:00 AM Hanako Sato <hanako.sato@abc-trading.co.jp> wrote:
> Dear Ken,
> Please find the schedule below.
> Best regards,
> Hanako Sato
> CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and intended solely for the addressee.
"""


def test_marker_in_a_quoted_internal_message_counts_with_its_author() -> None:
    assert _found(INTERNAL_OUTLOOK) == [
        ("body", {"keyword": "社外秘", "location": "quoted", "quoted_from": "加藤 美穂"})]


def test_internal_price_floor_in_quoted_internal_mail_counts() -> None:
    found = _found(INTERNAL_GMAIL)
    assert found == [("body", {"keyword": "floor price", "location": "quoted", "quoted_from": "Miho Kato"})]
    # The same words in own text are the sender's business: only policy keywords count there.
    assert _found("佐藤様\n\n最低価格での入札となります。") == []


def test_a_customers_own_marker_going_back_to_them_is_quiet() -> None:
    assert _found(CUSTOMER_REPLY) == []
    # Thunderbird names the author without an address: the name places them at the recipient's company.
    thunderbird = CUSTOMER_REPLY.replace("2026年11月20日(金) 10:02 佐藤 花子 <hanako.sato@abc-trading.co.jp>:",
                                         "On 2026/11/20 10:02, 佐藤 花子 wrote:")
    assert _found(thunderbird) == []
    # ...but not when the reply takes it to another company.
    assert _found(CUSTOMER_REPLY, cc=(TANAKA,)) == [
        ("body", {"keyword": "社外秘", "location": "quoted", "quoted_from": "佐藤 花子"})]


def test_quoted_disclaimer_is_quiet() -> None:
    assert _found(CUSTOMER_DISCLAIMER, to=("Hanako Sato", SATO[1]), cc=(TANAKA,)) == []


def test_own_text_marker_says_own() -> None:
    assert _found("佐藤様\n\n本資料は社外秘です。\nよろしくお願いいたします。") == [
        ("body", {"keyword": "社外秘", "location": "own"})]


@pytest.mark.parametrize(
    "body",
    [
        "佐藤様\n\nこちらの資料は社外秘ではありませんので、\n社内でご自由に共有ください。",
        "佐藤様\n\n本メールには機密情報が含まれている場合があります。\n誤って受信された場合は削除してください。",
        "Dear Hanako,\n\nThe deck is no longer confidential, feel free to share it.",
        "佐藤様\n\n機密保持\n契約書の件、承知しました。",
        "Dear Hanako,\n\nThis message is intended only for the addressee and may contain confidential information.",
    ],
)
def test_negations_footers_and_wrapped_compounds_are_quiet(body: str) -> None:
    assert _found(body) == []


def test_internal_mail_never_fires() -> None:
    assert _found(INTERNAL_OUTLOOK, to=KATO) == []


@pytest.mark.parametrize(
    ("talk", "keyword"),
    [
        ("値引きは10%が限度です。", "10%が限度"),
        ("原価は1台6万円なので、それ以下では出せません。", "原価"),
        ("最低ラインは単価4,500円です。", "最低ライン"),
        ("Our floor is 45 USD per unit.", "our floor"),
        ("Please don't go below 12% off.", "don't go below"),
    ],
)
def test_colleagues_price_talk_in_quoted_internal_mail(talk: str, keyword: str) -> None:
    body = ("佐藤様\n\nいつもお世話になっております。\n\n2026年11月20日(金) 10:02 加藤 美穂 <miho.kato@sakura-sys.co.jp>:\n"
            f"> 山本さん\n>\n> {talk}\n")
    assert _found(body) == [("body", {"keyword": keyword, "location": "quoted", "quoted_from": "加藤 美穂"})]
