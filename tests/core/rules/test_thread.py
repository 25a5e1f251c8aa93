"""Reply context: `new-domain-in-reply` and `internal-thread-to-external` over real parsed replies."""

# ruff: noqa: E501  (mail text is data: splitting quoted headers mid-line hurts reading)

from __future__ import annotations

from typing import Any

import pytest

from missend_guard.core.check.checker import check
from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.policy import Policy
from missend_guard.core.contacts.book import Contact, ContactBook
from missend_guard.core.message.model import parse_message
from missend_guard.core.rules.registry import ALL_RULES
from missend_guard.core.rules.thread import RULES, is_reply_or_forward
from tests.helpers.mailbuild import jis_mail

CONTACTS = ContactBook([
    Contact("佐藤 花子", ("hanako.sato@abc-trading.co.jp",), company="ABC商事株式会社", family="佐藤", given="花子"),
    Contact("加藤 美穂", ("miho.kato@sakura-sys.co.jp",), company="桜システム株式会社", family="加藤", given="美穂"),
    Contact("Kevin Brown", ("kevin.brown@abc-trading.com",), company="ABC Trading America Inc."),
])
CTX = CheckContext(Policy(internal_domains={"sakura-sys.co.jp"}), CONTACTS)
ME = ("山本 健", "ken.yamamoto@sakura-sys.co.jp")
SATO = ("佐藤 花子", "hanako.sato@abc-trading.co.jp")
SUZUKI = ("鈴木 一郎", "ichiro.suzuki@abc-trading.co.jp")
TANAKA = ("田中 太郎", "taro.tanaka@midori-bussan.co.jp")
KATO = ("加藤 美穂", "miho.kato@sakura-sys.co.jp")
CODES = {"new-domain-in-reply", "internal-thread-to-external"}


def _thread_findings(body: str, to: list[tuple[str, str]], cc: list[tuple[str, str]] | None = None,
                     subject: str = "RE: お見積りの件") -> list[tuple[str, str, dict[str, Any]]]:
    raw = jis_mail(subject=subject, body=body, to=to, cc=cc or [], sender=ME)
    report = check(parse_message(raw), CTX)
    return [(f.code, f.target, dict(f.params)) for f in report.findings if f.code in CODES]


CUSTOMER_THREAD = """佐藤様

いつもお世話になっております。
承知いたしました。

________________________________
差出人: 佐藤 花子 <hanako.sato@abc-trading.co.jp>
送信日時: 2026年11月20日 10:00
宛先: 山本 健 <ken.yamamoto@sakura-sys.co.jp>
CC: 鈴木 一郎 <ichiro.suzuki@abc-trading.co.jp>
件名: お見積りの件

山本様

お見積りをお願いいたします。
"""

INTERNAL_THREAD = """佐藤様

いつもお世話になっております。
お見積りを下記の通りご提示いたします。

-----Original Message-----
From: 加藤 美穂 <miho.kato@sakura-sys.co.jp>
Sent: Friday, November 20, 2026 10:00 AM
To: 山本 健 <ken.yamamoto@sakura-sys.co.jp>
Subject: RE: ABC商事様 見積

山本さん

お疲れ様です。ABC商事様向けは1台85,000円までなら値引き可能です。
"""

INTERNAL_NAMES_ONLY = """佐藤様

いつもお世話になっております。

-----Original Message-----
差出人: 加藤 美穂
送信日時: 2026年11月20日 10:00
宛先: 山本 健
件名: RE: ABC商事様 見積

山本さん

お疲れ様です。値引きは85,000円までです。
"""

INTERNAL_GMAIL = """Sato-san,

Please see our offer below.

2026年11月20日(金) 10:02 加藤 美穂 <miho.kato@sakura-sys.co.jp>:
> 山本さん
>
> お疲れ様です。値引きは85,000円までです。
"""

COLLEAGUE_TO_CUSTOMER = """佐藤様

いつもお世話になっております。
加藤に代わりましてご連絡いたします。

2026年11月20日(金) 10:02 加藤 美穂 <miho.kato@sakura-sys.co.jp>:
> 佐藤様
>
> いつもお世話になっております。
> お見積りは来週お送りします。
"""


def test_reply_inside_its_thread_is_quiet() -> None:
    assert _thread_findings(CUSTOMER_THREAD, to=[SATO], cc=[SUZUKI]) == []


def test_reply_adding_another_company_warns_with_the_thread_domains() -> None:
    assert _thread_findings(CUSTOMER_THREAD, to=[SATO], cc=[TANAKA]) == [
        ("new-domain-in-reply", "recipient:1",
         {"domain": "midori-bussan.co.jp", "thread_domains": ["abc-trading.co.jp", "sakura-sys.co.jp"],
          "addresses": [TANAKA[1]]})]


def test_not_a_reply_or_no_quote_no_warning() -> None:
    assert _thread_findings(CUSTOMER_THREAD, to=[SATO], cc=[TANAKA], subject="お見積りの件") == []
    assert _thread_findings("佐藤様\n\n承知しました。", to=[SATO], cc=[TANAKA]) == []


def test_forward_to_a_new_company_warns() -> None:
    body = ("田中様\n\nご参考までに転送いたします。\n\n---------- Forwarded message ---------\n"
            "From: 佐藤 花子 <hanako.sato@abc-trading.co.jp>\nDate: 2026年11月20日(金) 10:02\nSubject: 仕様\n"
            "To: 山本 健 <ken.yamamoto@sakura-sys.co.jp>\n\n\n山本様 仕様です\n")
    found = _thread_findings(body, to=[TANAKA], subject="Fwd: 仕様")
    assert [(c, t) for c, t, _ in found] == [("new-domain-in-reply", "recipient:0")]


@pytest.mark.parametrize(
    "quote",
    [
        # Gmail shows only the author: whom the quoted mail greets took part
        "> 山本様、田中様\n>\n> 日程の件、承知しました。\n",
        # a domain named in the quoted text took part
        "> 山本様\n>\n> 弊社パートナー（www.midori-bussan.co.jp）にも共有しております。\n",
    ],
)
def test_people_and_domains_named_in_the_quote_took_part(quote: str) -> None:
    body = f"佐藤様\n\n承知しました。\n\n2026年11月20日(金) 10:02 佐藤 花子 <hanako.sato@abc-trading.co.jp>:\n{quote}"
    assert _thread_findings(body, to=[SATO], cc=[TANAKA]) == []
    assert _thread_findings(body.replace("田中", "中村").replace("midori", "aoba"), to=[SATO], cc=[TANAKA]) != []


def test_a_known_person_at_a_new_domain_is_new() -> None:
    # 田中 太郎 took part at midori-bussan.co.jp; the reply goes to a .com that never did (a slip of auto-complete)
    body = CUSTOMER_THREAD.replace("CC: 鈴木 一郎 <ichiro.suzuki@abc-trading.co.jp>", "CC: 田中 太郎 <taro.tanaka@midori-bussan.co.jp>")
    assert _thread_findings(body, to=[SATO], cc=[TANAKA]) == []
    wrong = ("田中 太郎", "taro.tanaka@midori-bussan.com")
    assert [c for c, _, _ in _thread_findings(body, to=[SATO], cc=[wrong])] == ["new-domain-in-reply"]


@pytest.mark.parametrize(
    ("own", "fires"),
    [("佐藤様\n\nCCにミドリ物産の田中様を追加させていただきました。", False),
     ("佐藤様\n\n本件、田中様にもご紹介いたします。", False),
     ("佐藤様\n\n承知いたしました。", True),
     ("佐藤様\n\n田中様にもよろしくお伝えください。", True)],  # named, but not brought in
)
def test_a_recipient_introduced_in_the_own_text_is_intended(own: str, fires: bool) -> None:
    body = CUSTOMER_THREAD.replace("佐藤様\n\nいつもお世話になっております。\n承知いたしました。", own)
    found = _thread_findings(body, to=[SATO], cc=[TANAKA])
    assert (found != []) is fires


@pytest.mark.parametrize(
    ("recipient", "fires"),
    [(("鈴木 一郎", "ichiro.suzuki@tokyo.abc-trading.co.jp"), False),  # a subdomain of a thread domain
     (("Kevin Brown", "kevin.brown@abc-trading.com"), False),  # the same company's known .com
     (("", "sales@abc-trading.net"), True),  # the same name under an unknown top-level domain
     (("", "someone.else@gmail.com"), True)],  # free mail: the address itself must have taken part
)
def test_organisations_and_free_mail(recipient: tuple[str, str], fires: bool) -> None:
    body = CUSTOMER_THREAD.replace("CC: 鈴木 一郎 <ichiro.suzuki@abc-trading.co.jp>", "CC: 伊藤 <yumi.ito.0412@gmail.com>")
    found = _thread_findings(body, to=[SATO], cc=[recipient])
    assert ("new-domain-in-reply" in [c for c, _, _ in found]) is fires


def test_an_author_nothing_places_may_be_the_to_recipient() -> None:
    body = ("Hi Hanako,\n\nNoted, thanks.\n\nOn Mon, May 13, 2024 at 6:12 PM Hanako Sato wrote:\n> Ken,\n> noted.\n"
            ">\n> On Mon, May 13, 2024 at 9:00 AM Ken Yamamoto <ken.yamamoto@sakura-sys.co.jp> wrote:\n>> Hello.\n")
    assert _thread_findings(body, to=[SATO]) == []  # 佐藤 花子 is "Hanako Sato", which the names do not say
    assert [c for c, _, _ in _thread_findings(body, to=[SATO], cc=[TANAKA])] == ["new-domain-in-reply"]


def test_names_only_header_matches_recipients_by_name() -> None:
    body = ("佐藤様\n\n承知しました。\n\n-----Original Message-----\n差出人: 佐藤 花子 <hanako.sato@abc-trading.co.jp>\n送信日時: 2026年11月20日\n"
            "宛先: 山本 健\nCC: 田中 太郎\n件名: 見積\n\n山本様 見積です\n")
    assert _thread_findings(body, to=[SATO], cc=[TANAKA]) == []


@pytest.mark.parametrize(
    ("body", "author"),
    [(INTERNAL_THREAD, "加藤 美穂"), (INTERNAL_NAMES_ONLY, "加藤 美穂"), (INTERNAL_GMAIL, "加藤 美穂"),
     # Exchange shows colleagues by name only, even one the contacts do not know
     (INTERNAL_NAMES_ONLY.replace("加藤 美穂", "森 直樹"), "森 直樹")],
)
def test_internal_thread_quoted_to_a_customer(body: str, author: str) -> None:
    found = [(c, t, p) for c, t, p in _thread_findings(body, to=[SATO]) if c == "internal-thread-to-external"]
    assert found == [("internal-thread-to-external", "body",
                      {"recipients": [SATO[1]], "quoted_from": [author], "messages": 1})]


EN_QUOTE = """Hi Hanako,

Thanks for the call today. We can offer 10% off for the renewal.

On May 13, 2024, at 18:12, Miho Kato <miho.kato@sakura-sys.co.jp> wrote:

> {greeting}
>
> We can go down to 15% off for ABC, not more.
> Miho
"""


@pytest.mark.parametrize(("greeting", "fires"), [("Ken,", True), ("山本さん", True), ("Hi Hanako,", False),
                                                 ("Dear Ms. Sato,", False), ("Quick note:", False)])
def test_english_attribution_quotes_addressed_to_the_sender_are_internal(greeting: str, fires: bool) -> None:
    sender = ("Ken Yamamoto", ME[1]) if greeting.isascii() else ME
    raw = jis_mail(subject="Re: renewal", body=EN_QUOTE.format(greeting=greeting), to=[("Hanako Sato", SATO[1])],
                   sender=sender, charset="iso-2022-jp")
    codes = [f.code for f in check(parse_message(raw), CTX).findings]
    assert ("internal-thread-to-external" in codes) is fires


def test_internal_thread_kept_internal_is_quiet() -> None:
    assert _thread_findings(INTERNAL_THREAD, to=[KATO]) == []


def test_colleagues_mail_to_the_customer_is_not_internal() -> None:
    assert _thread_findings(COLLEAGUE_TO_CUSTOMER, to=[SATO]) == []


def test_customer_thread_is_not_internal() -> None:
    found = _thread_findings(CUSTOMER_THREAD, to=[SATO])
    assert "internal-thread-to-external" not in [c for c, _, _ in found]


@pytest.mark.parametrize(
    ("subject", "references", "expected"),
    [("RE: 件", "", True), ("Ｒｅ：件", "", True), ("転送: 件", "", True), ("Fwd: x", "", True),
     ("AW: x", "", True), ("Re[2]: x", "", True), ("件", "<a@b.example>", True), ("Regarding x", "", False),
     ("件", "", False)],
)
def test_reply_or_forward(subject: str, references: str, expected: bool) -> None:
    head = f"In-Reply-To: {references}\r\n" if references else ""
    raw = (f"From: a@b.example\r\nTo: c@d.example\r\n{head}Subject: =?utf-8?b?"
           + __import__("base64").b64encode(subject.encode()).decode() + "?=\r\n\r\nx\r\n")
    assert is_reply_or_forward(parse_message(raw.encode("ascii"))) is expected


def test_registered() -> None:
    assert all(rule in ALL_RULES for rule in RULES)
