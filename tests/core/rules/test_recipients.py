"""Recipient rules and the policy they read, over parsed messages."""

from __future__ import annotations

import pytest

from missend_guard.core.check.context import CheckContext, HistorySnapshot
from missend_guard.core.check.findings import Severity
from missend_guard.core.check.policy import PiiPattern, Policy
from missend_guard.core.contacts.book import Contact, ContactBook
from missend_guard.core.message.model import parse_message
from missend_guard.core.rules import recipients

POLICY = Policy(
    internal_domains={"example.co.jp"},
    blocked_domains={"rival.example"},
    blocked_addresses={"Leak@Partner.example"},
)
CONTACTS = ContactBook(
    [
        Contact("佐藤 花子", ("hanako.sato@abc-trading.co.jp", "hanako.sato@gmail.com"), company="ABC商事"),
        Contact("Private Person", ("friend@gmail.com",)),
    ]
)
CTX = CheckContext(POLICY, CONTACTS, HistorySnapshot.of(["sent.before@history.example"]))


def _msg(to: str = "", cc: str = "", bcc: str = "") -> bytes:
    lines = ["From: me@example.co.jp", f"To: {to}"]
    if cc:
        lines.append(f"Cc: {cc}")
    if bcc:
        lines.append(f"Bcc: {bcc}")
    return ("\r\n".join([*lines, "Subject: s", "", "body"])).encode()


def _codes(rule: object, raw: bytes, ctx: CheckContext = CTX) -> list[tuple[str, str]]:
    return [(f.code, f.target) for f in rule(parse_message(raw), ctx)]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("to", "expected"),
    [
        ("a@example.co.jp", []),
        ("a@tokyo.example.co.jp", []),  # subdomain of an internal domain is internal
        ("a@notexample.co.jp", [("external-recipient", "recipient:0")]),
        ("a@example.co.jp, b@abc-trading.co.jp", [("external-recipient", "recipient:1")]),
    ],
)
def test_external_recipient(to: str, expected: list[tuple[str, str]]) -> None:
    assert _codes(recipients.external_recipients, _msg(to)) == expected


@pytest.mark.parametrize(
    ("to", "expected"),
    [
        ("x@rival.example", [("blocked-recipient", "recipient:0")]),
        ("x@sales.rival.example", [("blocked-recipient", "recipient:0")]),
        ("leak@partner.example", [("blocked-recipient", "recipient:0")]),
        ("other@partner.example", []),
    ],
)
def test_blocked_recipient(to: str, expected: list[tuple[str, str]]) -> None:
    assert _codes(recipients.blocked_recipients, _msg(to)) == expected


def test_blocked_is_block_severity() -> None:
    (finding,) = recipients.blocked_recipients(parse_message(_msg("x@rival.example")), CTX)
    assert finding.severity is Severity.BLOCK


@pytest.mark.parametrize(
    ("to", "cc", "bcc", "fires"),
    [
        ("a@one.example, b@two.example", "c@three.example", "", True),  # 3 external domains visible
        ("a@one.example, b@two.example", "", "c@three.example", False),  # Bcc does not count
        ("a@one.example, b@two.example", "i@example.co.jp", "", False),  # internal does not count
        (", ".join(f"p{i}@one.example" for i in range(10)), "", "", True),  # 10 addresses, 1 domain
        (", ".join(f"p{i}@one.example" for i in range(9)), "", "", False),
    ],
)
def test_many_external_visible(to: str, cc: str, bcc: str, fires: bool) -> None:
    codes = _codes(recipients.many_external_visible, _msg(to, cc, bcc))
    assert codes == ([("many-external-visible", "message")] if fires else [])


def test_first_time_recipient_known_from_contacts_or_history() -> None:
    raw = _msg(
        "hanako.sato@abc-trading.co.jp, sent.before@history.example, new@abc-trading.co.jp, x@example.co.jp"
    )
    assert _codes(recipients.first_time_recipients, raw) == [("first-time-recipient", "recipient:2")]


@pytest.mark.parametrize(
    ("to", "params"),
    [
        ("stranger@gmail.com", {"domain": "gmail.com"}),
        (
            "hanako.sato@gmail.com",
            {"domain": "gmail.com", "business_address": "hanako.sato@abc-trading.co.jp"},
        ),
        ("friend@gmail.com", None),  # a known private contact with no business address
        ("someone@abc-trading.co.jp", None),
    ],
)
def test_free_mail_domain(to: str, params: dict[str, str] | None) -> None:
    found = list(recipients.free_mail_domains(parse_message(_msg(to)), CTX))
    assert [dict(f.params) for f in found] == ([params] if params else [])


def test_policy_severity_override_applies() -> None:
    ctx = CheckContext(Policy.from_mapping({"severity_overrides": {"external-recipient": "warning"}}))
    (finding,) = recipients.external_recipients(parse_message(_msg("a@b.example")), ctx)
    assert finding.severity is Severity.WARNING


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"nope": 1}, "unknown policy key"),
        ({"max_external_domains_visible": -1}, "non-negative"),
        ({"quiet_when_safe": "yes"}, "true or false"),
        ({"severity_overrides": {"x": "fatal"}}, "unknown severity"),
        ({"pii_patterns": [{"kind": "emp", "regex": "("}]}, "not a valid regex"),
    ],
)
def test_policy_from_mapping_rejects_bad_values(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Policy.from_mapping(data)


def test_policy_normalises_domains() -> None:
    policy = Policy.from_mapping(
        {
            "internal_domains": [" Example.CO.JP. ", "@corp.example"],
            "pii_patterns": [{"kind": "emp", "regex": r"E\d{6}"}],
        }
    )
    assert policy.is_internal("sub.example.co.jp")
    assert policy.is_internal("corp.example")
    assert not policy.is_internal("example.co.jp.evil.example")
    assert policy.pii_patterns == (PiiPattern("emp", r"E\d{6}"),)
