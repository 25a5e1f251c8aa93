"""SmtpSender against real loopback servers: TLS (trustme), AUTH, failure classes, exact bytes."""

from __future__ import annotations

import socket

import pytest

from missend_guard.core.ports.sending import DeliveryError
from missend_guard.transports.senders.smtp import SmtpAccount, SmtpSender, check_account
from tests.conftest import SINK_PASSWORD, SINK_USER, find_free_port
from tests.helpers.mails import jis_mail, utf8_mail

FROM = "ken.yamamoto@example.co.jp"
RAW = jis_mail(to=[("佐藤 花子", "hanako@abc-trading.co.jp")], padding=4000)


def tls_sender(sink, ca_file, password=SINK_PASSWORD, **kw) -> SmtpSender:
    account = SmtpAccount("work", "127.0.0.1", sink.port, sink.security, SINK_USER)
    return SmtpSender(account, lambda: password, cafile=ca_file, timeout=10, **kw)


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_with_auth_delivers_exact_bytes_to_envelope_recipients(
    tls_sink_factory, ca_file, security
):
    sink = tls_sink_factory(security)
    reply = tls_sender(sink, ca_file).send(RAW, FROM, ["hanako@abc-trading.co.jp", "bcc@example.co.jp"])
    assert reply == "250 2.0.0 Ok: queued as SINK1"
    [got] = sink.messages
    assert got.data == RAW
    assert got.rcpt_tos == ("hanako@abc-trading.co.jp", "bcc@example.co.jp")
    assert b"bcc@example.co.jp" not in got.data
    assert sink.auth_attempts == [(SINK_USER, SINK_PASSWORD)]


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_wrong_password_is_a_permanent_failure_with_the_servers_reply(
    tls_sink_factory, ca_file, security
):
    sink = tls_sink_factory(security)
    with pytest.raises(DeliveryError) as failure:
        tls_sender(sink, ca_file, password="wrong").send(RAW, FROM, ["a@abc-trading.co.jp"])
    assert failure.value.temporary is False
    assert failure.value.reply.startswith("login refused: 535")
    assert sink.messages == []


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_untrusted_certificate_is_refused_without_sending(tls_sink_factory, security):
    sink = tls_sink_factory(security)
    with pytest.raises(DeliveryError) as failure:
        tls_sender(sink, None).send(RAW, FROM, ["a@abc-trading.co.jp"])  # system store only
    assert failure.value.temporary is False
    assert "could not be verified" in failure.value.reply
    assert sink.auth_attempts == []  # the password never went to an unverified server


def test_missing_keychain_password_is_a_clear_permanent_failure(tls_sink_factory, ca_file):
    sink = tls_sink_factory("starttls")
    account = SmtpAccount("work", "127.0.0.1", sink.port, "starttls", SINK_USER)
    sender = SmtpSender(account, lambda: None, cafile=ca_file)
    with pytest.raises(DeliveryError) as failure:
        sender.send(RAW, FROM, ["a@abc-trading.co.jp"])
    assert failure.value.temporary is False
    assert "no password for account work" in failure.value.reply


def test_starttls_required_but_not_offered_refuses_clear_text(smtp_sink):
    account = SmtpAccount("x", "127.0.0.1", smtp_sink.port, "starttls", "")
    with pytest.raises(DeliveryError) as failure:
        SmtpSender(account, lambda: None).send(RAW, FROM, ["a@abc-trading.co.jp"])
    assert failure.value.temporary is False
    assert "STARTTLS" in failure.value.reply
    assert smtp_sink.messages == []


def test_security_none_is_refused_for_a_remote_host_before_connecting():
    assert check_account("smtp.example.com", "none") is not None
    assert check_account("127.0.0.1", "none") is None
    assert check_account("localhost", "none") is None
    assert check_account("::1", "none") is None
    assert check_account("smtp.example.com", "tls") is not None
    sender = SmtpSender(SmtpAccount("x", "smtp.example.com", 25, "none"), lambda: None)
    with pytest.raises(DeliveryError) as failure:
        sender.send(RAW, FROM, ["a@b.example"])
    assert failure.value.temporary is False
    assert "only for a server on this computer" in failure.value.reply


def test_connection_refused_is_temporary():
    account = SmtpAccount("x", "127.0.0.1", find_free_port(), "none")
    with pytest.raises(DeliveryError) as failure:
        SmtpSender(account, lambda: None, timeout=5).send(RAW, FROM, ["a@b.example"])
    assert failure.value.temporary is True
    assert "cannot reach 127.0.0.1" in failure.value.reply


def test_plain_server_spoken_to_with_implicit_tls_is_temporary(smtp_sink):
    # A TLS handshake against a plain server ends in a protocol error / EOF: not the mail's fault.
    account = SmtpAccount("x", "127.0.0.1", smtp_sink.port, "ssl")
    with pytest.raises(DeliveryError) as failure:
        SmtpSender(account, lambda: None, timeout=5).send(RAW, FROM, ["a@b.example"])
    assert failure.value.temporary is True


@pytest.mark.parametrize(
    ("reply", "temporary"),
    [("452 4.3.1 insufficient storage", True), ("552 5.3.4 message too big", False)],
)
def test_data_reply_class_decides_retry(smtp_sink, reply, temporary):
    smtp_sink.handler.reply = reply
    account = SmtpAccount("x", "127.0.0.1", smtp_sink.port, "none")
    with pytest.raises(DeliveryError) as failure:
        SmtpSender(account, lambda: None).send(RAW, FROM, ["a@abc-trading.co.jp"])
    assert failure.value.temporary is temporary
    assert reply in failure.value.reply


def test_all_recipients_refused_5xx_is_permanent_with_each_reply(smtp_sink):
    smtp_sink.handler.rcpt_replies = {
        "a@abc-trading.co.jp": "550 5.1.1 no such user a",
        "b@abc-trading.co.jp": "550 5.1.1 no such user b",
    }
    account = SmtpAccount("x", "127.0.0.1", smtp_sink.port, "none")
    with pytest.raises(DeliveryError) as failure:
        SmtpSender(account, lambda: None).send(RAW, FROM, ["a@abc-trading.co.jp", "b@abc-trading.co.jp"])
    assert failure.value.temporary is False
    assert "no such user a" in failure.value.reply
    assert "no such user b" in failure.value.reply
    assert smtp_sink.messages == []


def test_one_recipient_refused_still_delivers_to_the_others_once(smtp_sink):
    smtp_sink.handler.rcpt_replies = {"gone@abc-trading.co.jp": "550 5.1.1 no such user"}
    account = SmtpAccount("x", "127.0.0.1", smtp_sink.port, "none")
    reply = SmtpSender(account, lambda: None).send(
        RAW, FROM, ["gone@abc-trading.co.jp", "ok@abc-trading.co.jp"]
    )
    assert "refused recipients: gone@abc-trading.co.jp: 550 5.1.1 no such user" in reply
    assert [m.rcpt_tos for m in smtp_sink.messages] == [("ok@abc-trading.co.jp",)]


def test_utf8_headers_use_smtputf8_and_8bitmime_and_stay_exact(smtp_sink):
    raw = utf8_mail(to=["担当者@例え.jp"])
    account = SmtpAccount("x", "127.0.0.1", smtp_sink.port, "none")
    SmtpSender(account, lambda: None).send(raw, FROM, ["担当者@例え.jp"])
    [got] = smtp_sink.messages
    assert got.data == raw
    assert got.rcpt_tos == ("担当者@例え.jp",)
    assert "SMTPUTF8" in got.mail_options
    assert "BODY=8BITMIME" in got.mail_options


def test_account_test_reports_tls_login_and_features(tls_sink_factory, ca_file):
    sink = tls_sink_factory("starttls")
    answer = tls_sender(sink, ca_file).test()
    assert answer.startswith(f"127.0.0.1:{sink.port} OK, starttls verified, logged in as {SINK_USER}")
    assert "auth" in answer


def test_raw_utf8_headers_are_downgraded_for_a_server_without_smtputf8(free_port):
    """swaks sends raw UTF-8 headers; an older upstream must still get the mail, in RFC 2047."""
    import email
    import email.policy

    from tests.helpers.sink import Sink

    sink = Sink(free_port, smtputf8=False).start()
    try:
        raw = utf8_mail(to=["佐藤 花子 <hanako@abc-trading.co.jp>"], subject="会議資料の件")
        account = SmtpAccount("x", "127.0.0.1", sink.port, "none")
        SmtpSender(account, lambda: None).send(raw, FROM, ["hanako@abc-trading.co.jp"])
        [got] = sink.messages
    finally:
        sink.stop()
    head = got.data.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()
    assert "SMTPUTF8" not in got.mail_options
    sent = email.message_from_bytes(got.data, policy=email.policy.default)
    original = email.message_from_bytes(raw, policy=email.policy.default)
    assert sent["Subject"] == original["Subject"] == "会議資料の件"
    assert sent["To"].addresses[0].display_name == "佐藤 花子"
    assert got.data.split(b"\r\n\r\n", 1)[1] == raw.split(b"\r\n\r\n", 1)[1]


def test_non_ascii_address_to_a_server_without_smtputf8_is_a_permanent_failure(free_port):
    from tests.helpers.sink import Sink

    sink = Sink(free_port, smtputf8=False).start()
    try:
        account = SmtpAccount("x", "127.0.0.1", sink.port, "none")
        with pytest.raises(DeliveryError) as failed:
            SmtpSender(account, lambda: None).send(utf8_mail(to=["担当者@例え.jp"]), FROM,
                                                   ["担当者@例え.jp"])
    finally:
        sink.stop()
    assert not failed.value.temporary
    assert "SMTPUTF8" in str(failed.value)
    assert sink.messages == []


@pytest.mark.parametrize("security", ["ssl", "starttls", "none"])
def test_sessions_send_small_writes_at_once(tls_sink_factory, smtp_sink, ca_file, security):
    """The final dot is a write of its own: Nagle would hold it until the server's delayed ACK.

    (That cost every delivery 40 ms on Linux.) The option is checked, not timed.
    """
    if security == "none":
        sender = SmtpSender(SmtpAccount("plain", "127.0.0.1", smtp_sink.port, "none"), lambda: None)
    else:
        sender = tls_sender(tls_sink_factory(security), ca_file)
    smtp = sender.connect()
    try:
        assert smtp.sock is not None
        assert smtp.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        smtp.close()
