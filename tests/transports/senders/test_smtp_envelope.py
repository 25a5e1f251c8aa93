"""SmtpSender writes MAIL FROM/RCPT TO with exactly the checked addresses, never a re-parsed one."""

from __future__ import annotations

import pytest

from missend_guard.core.ports.sending import DeliveryError
from missend_guard.transports.senders.smtp import SmtpAccount, SmtpSender
from tests.helpers.mails import jis_mail

FROM = "ken@example.co.jp"
RAW = jis_mail(to=[("", "ichiro@example.co.jp")])


def sender(sink) -> SmtpSender:
    return SmtpSender(SmtpAccount("up", "127.0.0.1", sink.port, "none"), lambda: None, timeout=10)


@pytest.mark.parametrize("address", [
    '"x\rBcc: spy@attacker.example"@example.co.jp',  # issue 12: smtplib sent RCPT TO:<spy@…>
    '"x\nRCPT TO:<spy@attacker.example>"@example.co.jp',
    '"x\x00y"@example.co.jp',
    "x\x7fy@example.co.jp",
])
def test_control_characters_are_a_permanent_failure_and_nothing_is_sent(smtp_sink, address):
    with pytest.raises(DeliveryError) as refused:
        sender(smtp_sink).send(RAW, FROM, ["ichiro@example.co.jp", address])
    assert refused.value.temporary is False
    assert "control characters" in refused.value.reply
    assert smtp_sink.messages == []


@pytest.mark.parametrize("address", [
    '"a" <spy@attacker.example>@example.co.jp',  # a re-parse (smtplib's quoteaddr) picks spy@
    "spy@attacker.example, ichiro@example.co.jp",
])
def test_an_address_is_never_re_parsed_into_another_recipient(smtp_sink, address):
    with pytest.raises(DeliveryError):
        sender(smtp_sink).send(RAW, FROM, [address])  # the upstream cannot parse it: refused
    assert smtp_sink.messages == []


@pytest.mark.parametrize("address", [
    '"a b"@example.co.jp', '"a,b;c:d<e>"@example.co.jp', '"a\\"b"@example.co.jp',
    "o'brien+tag@example.co.jp", "a@[192.0.2.1]",
])
def test_unusual_addresses_arrive_exactly(smtp_sink, address):
    sender(smtp_sink).send(RAW, address, [address])
    [got] = smtp_sink.messages
    assert (got.mail_from, got.rcpt_tos) == (address, (address,))
    assert got.mail_options == ()


def test_non_ascii_addresses_go_with_smtputf8_as_before(smtp_sink):
    sender(smtp_sink).send(RAW, "山田@例え.jp", ["佐藤@例え.jp"])
    [got] = smtp_sink.messages
    assert (got.mail_from, got.rcpt_tos) == ("山田@例え.jp", ("佐藤@例え.jp",))
    assert "SMTPUTF8" in got.mail_options
