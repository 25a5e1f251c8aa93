"""lookalike-domain and lookalike-contact over real parsed messages (ISO-2022-JP display names)."""

from __future__ import annotations

from email.header import Header

import idna
import pytest

from missend_guard.core.check.checker import check
from missend_guard.core.check.context import CheckContext, HistorySnapshot
from missend_guard.core.check.policy import Policy
from missend_guard.core.contacts.book import Contact, ContactBook
from missend_guard.core.message.model import Message, parse_message
from missend_guard.core.rules.lookalike.rules import lookalike_contacts, lookalike_domains

CONTACTS = [
    Contact("佐藤 花子", ("hanako.sato@abc-trading.co.jp",), company="ABC商事"),
    Contact("田中 太郎", ("taro.tanaka@abc-trading.co.jp",), company="ABC商事"),
    Contact("田中 次郎", ("jiro.tanaka@abc-trading.co.jp",), company="ABC商事"),
    Contact("田仲 太郎", ("t.tanaka@xyz-bank.co.jp",), company="XYZ銀行"),
    Contact("John Smith", ("john.smith@globex.com",), company="Globex"),
    Contact("Jon Smith", ("jon.smith@initech.com",), company="Initech"),
    Contact("Jan Smith", ("jan.smith@umbrella.com",), company="Umbrella"),
    Contact("斉藤 一郎", ("saito@foo-corp.co.jp",)),
    Contact("齋藤 一郎", ("ichiro.saito@bar-inc.co.jp",)),
    Contact("佐藤 優", ("yu.sato@qux.co.jp",), family_reading="サトウ", given_reading="ユウ"),
    Contact("佐藤 裕", ("sato.yu@quux.co.jp",), family_reading="さとう", given_reading="ゆう"),
    Contact("Sony", ("info@sony.co.jp",), company="Sony"),
    Contact("Canon", ("info@canon.co.jp",), company="Canon"),
    Contact("Toyota", ("info@toyota.co.jp",), company="Toyota"),
    Contact("PayPal", ("service@paypal.com",), company="PayPal"),
    Contact("Microsoft", ("support@microsoft.com",), company="Microsoft"),
    Contact("AB", ("x@ab.jp",), company="AB"),
]
HISTORY = ["someone@apple.com", "tanaka.t@kaisha-hoken.co.jp", "info@例え.jp"]


@pytest.fixture(scope="module")
def context() -> CheckContext:
    policy = Policy(internal_domains=frozenset({"example.co.jp"}))
    return CheckContext(policy=policy, contacts=ContactBook(CONTACTS), history=HistorySnapshot.of(HISTORY))


def _mailbox(name: str, address: str) -> str:
    local, _, domain = address.rpartition("@")
    address = f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}"  # IDN as clients send it
    return f"{Header(name, 'iso-2022-jp').encode()} <{address}>" if name else address


def mail(*to: tuple[str, str] | str) -> Message:
    """A real ISO-2022-JP message to the given recipients."""
    boxes = [_mailbox(*r) if isinstance(r, tuple) else _mailbox("", r) for r in to]
    raw = "\r\n".join([
        f"From: {_mailbox('山本 健', 'ken.yamamoto@example.co.jp')}",
        "To: " + ", ".join(boxes),
        f"Subject: {Header('お見積りの件', 'iso-2022-jp').encode()}",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=iso-2022-jp",
        "Content-Transfer-Encoding: 7bit",
        "",
        "お世話になっております。".encode("iso-2022-jp").decode("ascii"),
        "",
    ]).encode("ascii")
    message = parse_message(raw)
    assert not message.problems
    return message


@pytest.mark.parametrize(
    ("recipient", "similar_to", "reason"),
    [
        ("a@abc-tradlng.co.jp", "abc-trading.co.jp", "edit-distance"),
        ("a@abc-tradign.co.jp", "abc-trading.co.jp", "edit-distance"),
        ("a@abctrading.co.jp", "abc-trading.co.jp", "edit-distance"),
        ("a@cannon.co.jp", "canon.co.jp", "edit-distance"),
        ("a@abc-trading.com", "abc-trading.co.jp", "tld-swap"),
        ("a@abc-trading.jp", "abc-trading.co.jp", "tld-swap"),
        ("a@example.com", "example.co.jp", "tld-swap"),
        ("a@paypa1.com", "paypal.com", "confusable"),
        ("a@rnicrosoft.com", "microsoft.com", "confusable"),
        ("a@s0ny.co.jp", "sony.co.jp", "confusable"),
        ("a@аpple.com", "apple.com", "mixed-script"),  # Cyrillic а + Latin "pple"
        ("a@раураӏ.com", "paypal.com", "idn-homograph"),  # all Cyrillic
    ],
)
def test_lookalike_domain_fires(context: CheckContext, recipient: str, similar_to: str, reason: str) -> None:
    message = mail(("相手 様", "hanako.sato@abc-trading.co.jp"), ("", recipient))
    findings = list(lookalike_domains(message, context))
    assert [(f.target, f.params["similar_to"], f.params["reason"]) for f in findings] == [
        ("recipient:1", similar_to, reason)
    ]
    assert findings[0].params["domain"] == message.recipients[1].domain
    assert findings[0].severity.label == "warning"


@pytest.mark.parametrize(
    "recipient",
    [
        "x@abc-trading.co.jp",  # known itself
        "x@mail.abc-trading.co.jp",  # another host of a known organisation
        "x@sub.example.co.jp",  # internal subdomain
        "x@sompo.co.jp",  # a different company, not a slip of sony
        "x@ac.jp",  # two letters: ab.jp / ac.jp are just different names
        "x@toyoda.co.jp",  # t/d in a six-letter name: a real other name
        "x@abc-consulting.co.jp",
        "x@例え.jp",  # a known Japanese IDN
        "x@日本語.jp",  # Japanese IDN, no mixed scripts, nothing it imitates
        "x@スーパーabc.jp",  # kana with ー and Latin: normal Japanese naming
        "x@佐々木工業.jp",
        "x@gmail.com",  # a real free-mail provider
    ],
)
def test_lookalike_domain_quiet(context: CheckContext, recipient: str) -> None:
    assert list(lookalike_domains(mail(recipient), context)) == []


def _contact_findings(message: Message, context: CheckContext) -> list[dict[str, object]]:
    return [{"target": f.target, **f.params} for f in lookalike_contacts(message, context)]


@pytest.mark.parametrize(
    ("recipient", "similar_to", "similar_name"),
    [
        (("田中 太郎", "taro.tanake@abc-trading.co.jp"), "taro.tanaka@abc-trading.co.jp", "田中 太郎"),
        (("", "hanako.sata@abc-trading.co.jp"), "hanako.sato@abc-trading.co.jp", "佐藤 花子"),
        (("", "tanaka.y@kaisha-hoken.co.jp"), "tanaka.t@kaisha-hoken.co.jp", ""),  # from history
        (("田中 太郎", "taro.tanaka@abc-tradlng.co.jp"), "taro.tanaka@abc-trading.co.jp", "田中 太郎"),
    ],
)
def test_lookalike_contact_address(
    context: CheckContext, recipient: tuple[str, str], similar_to: str, similar_name: str
) -> None:
    found = _contact_findings(mail(recipient), context)
    assert found == [{
        "target": "recipient:0", "address": recipient[1], "similar_to": similar_to,
        "name": recipient[0], "similar_name": similar_name, "reason": "address",
    }]


@pytest.mark.parametrize(
    ("address", "similar_to", "name", "similar_name"),
    [
        ("jon.smith@initech.com", "john.smith@globex.com", "Jon Smith", "John Smith"),
        ("t.tanaka@xyz-bank.co.jp", "taro.tanaka@abc-trading.co.jp", "田仲 太郎", "田中 太郎"),
        ("ichiro.saito@bar-inc.co.jp", "saito@foo-corp.co.jp", "齋藤 一郎", "斉藤 一郎"),
        ("sato.yu@quux.co.jp", "yu.sato@qux.co.jp", "佐藤 裕", "佐藤 優"),  # same kana reading
    ],
)
def test_lookalike_contact_name(
    context: CheckContext, address: str, similar_to: str, name: str, similar_name: str
) -> None:
    found = _contact_findings(mail((name, address)), context)
    assert found == [{
        "target": "recipient:0", "address": address, "similar_to": similar_to, "name": name,
        "similar_name": similar_name, "reason": "name",
    }]


@pytest.mark.parametrize(
    "recipients",
    [
        [("田中 次郎", "jiro.tanaka@abc-trading.co.jp")],  # shares only the family name with 田中 太郎
        [("Jan Smith", "jan.smith@umbrella.com")],  # Jan/Jon: different names
        [("", "hanako.sato@abc-trading.co.jp")],  # known, nobody like her
        [("", "ab@abc-trading.co.jp")],  # too short to call a typo
        [("", "suzuki.ichiro@abc-trading.co.jp")],  # a new person, not a slip
        [("", "someone@apple.com")],  # known from history
        # both look-alikes addressed on purpose
        [("Jon Smith", "jon.smith@initech.com"), ("John Smith", "john.smith@globex.com")],
    ],
)
def test_lookalike_contact_quiet(context: CheckContext, recipients: list[tuple[str, str]]) -> None:
    assert _contact_findings(mail(*recipients), context) == []


def test_checker_runs_both_rules(context: CheckContext) -> None:
    report = check(mail(("田中 太郎", "taro.tanaka@abc-tradlng.co.jp")), context)
    assert {"lookalike-domain", "lookalike-contact"} <= set(report.codes())


def test_index_is_built_once_per_context(context: CheckContext) -> None:
    calls: list[int] = []
    fresh = CheckContext(policy=context.policy, contacts=context.contacts, history=context.history)
    original = fresh.derived

    def counting(key, build):  # type: ignore[no-untyped-def]
        return original(key, lambda ctx: calls.append(1) or build(ctx))

    object.__setattr__(fresh, "derived", counting)
    for _ in range(3):
        list(lookalike_domains(mail("a@abc-tradlng.co.jp"), fresh))
    assert calls == [1]
