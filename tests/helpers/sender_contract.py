"""Promises every Sender keeps (cf. keyring's BackendBasicTests); each transport subclasses this.

A subclass provides four fixtures:
- `sender`: the Sender under test, pointed at a local upstream.
- `delivered`: a callable returning what the upstream delivered so far, as a list of `Delivered`
  (the bytes a recipient gets and the recipients, lower-cased).
- `make_temporary_failure`: a callable that makes the *next* send attempt fail in a way that
  must be retried (SMTP 4xx, Graph 503), after which the upstream works again.
- `make_permanent_failure`: likewise for a failure that must not be retried (SMTP 5xx, Graph 400).
- `make_lost_reply`: the upstream takes the next message, then its reply is lost (connection
  dropped after the final dot, or after Graph acted on the send request).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from email.header import Header

import pytest

from missend_guard.core.ports.sending import DeliveryError, Sender

FROM = "ken.yamamoto@example.co.jp"
TO = "sato@example.co.jp"
CC = "tanaka@partner.example.com"
BCC = "boss@example.co.jp"


@dataclass(frozen=True)
class Delivered:
    """One message as it reached the upstream's recipients."""

    raw: bytes
    recipients: frozenset[str]


def jis_mail(*, to: str = TO, cc: str | None = CC, message_id: str = "<c-1@example.co.jp>",
             body_lines: int = 2) -> bytes:
    """An ISO-2022-JP mail with encoded-word names and subject, CRLF ends, as Japanese mailers write."""
    body = "お世話になっております。\n見積書の件、よろしくお願いいたします。\n"
    body += "".join(f".{i:05d} ドットで始まる行\n" for i in range(body_lines))
    headers = [
        f"From: {Header('山本 健', 'iso-2022-jp').encode()} <{FROM}>",
        f"To: {Header('佐藤 様', 'iso-2022-jp').encode()} <{to}>",
        *([f"Cc: {cc}"] if cc else []),
        f"Subject: {Header('【至急】見積書の送付について', 'iso-2022-jp').encode()}",
        "Date: Fri, 20 Nov 2026 10:00:00 +0900",
        f"Message-ID: {message_id}",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=ISO-2022-JP",
        "Content-Transfer-Encoding: 7bit",
    ]
    text = body.encode("iso-2022-jp").decode("ascii").replace("\n", "\r\n")
    return ("\r\n".join(headers) + "\r\n\r\n" + text).encode("ascii")


class SenderContract:
    """Subclass and provide the fixtures named in the module docstring."""

    @pytest.fixture
    def sender(self) -> Sender:
        raise NotImplementedError

    @pytest.fixture
    def delivered(self) -> Callable[[], list[Delivered]]:
        raise NotImplementedError

    @pytest.fixture
    def make_temporary_failure(self) -> Callable[[], None]:
        raise NotImplementedError

    @pytest.fixture
    def make_permanent_failure(self) -> Callable[[], None]:
        raise NotImplementedError

    @pytest.fixture
    def make_lost_reply(self) -> Callable[[], None]:
        raise NotImplementedError

    def test_japanese_mail_arrives_byte_exact(self, sender, delivered):
        raw = jis_mail()
        reply = sender.send(raw, FROM, [TO, CC])
        assert isinstance(reply, str)
        assert reply
        assert delivered() == [Delivered(raw, frozenset({TO, CC}))]

    def test_lines_starting_with_a_dot_survive(self, sender, delivered):
        raw = jis_mail(cc=None, body_lines=3000)  # ~100 KB, every line after the greeting starts "."
        sender.send(raw, FROM, [TO])
        assert [d.raw for d in delivered()] == [raw]

    def test_envelope_only_recipient_gets_it_and_stays_hidden(self, sender, delivered):
        raw = jis_mail(cc=None)
        sender.send(raw, FROM, [TO, BCC])
        arrived = delivered()
        assert frozenset().union(*(d.recipients for d in arrived)) == {TO, BCC}
        for copy in arrived:
            assert copy.raw == raw
            assert BCC.encode() not in copy.raw

    def test_temporary_failure_is_temporary(self, sender, delivered, make_temporary_failure):
        make_temporary_failure()
        with pytest.raises(DeliveryError) as failure:
            sender.send(jis_mail(), FROM, [TO, CC])
        assert failure.value.temporary is True
        assert failure.value.uncertain is False  # the server answered: it does not have it
        assert failure.value.reply
        assert delivered() == []

    def test_permanent_failure_is_permanent(self, sender, delivered, make_permanent_failure):
        make_permanent_failure()
        with pytest.raises(DeliveryError) as failure:
            sender.send(jis_mail(), FROM, [TO, CC])
        assert failure.value.temporary is False
        assert failure.value.uncertain is False
        assert failure.value.reply
        assert delivered() == []

    def test_retry_after_temporary_failure_delivers_exactly_once(
        self, sender, delivered, make_temporary_failure,
    ):
        raw = jis_mail()
        make_temporary_failure()
        with pytest.raises(DeliveryError):
            sender.send(raw, FROM, [TO, CC])
        sender.send(raw, FROM, [TO, CC])
        assert delivered() == [Delivered(raw, frozenset({TO, CC}))]

    def test_two_messages_are_two_deliveries(self, sender, delivered):
        first, second = jis_mail(message_id="<c-a@example.co.jp>"), jis_mail(message_id="<c-b@x.jp>")
        sender.send(first, FROM, [TO, CC])
        sender.send(second, FROM, [TO, CC])
        assert [d.raw for d in delivered()] == [first, second]

    # -- the point of no return ----------------------------------------------------------------

    def test_the_point_of_no_return_is_announced_once_before_anything_arrives(
        self, sender, delivered,
    ):
        raw = jis_mail()
        seen: list[int] = []
        sender.send(raw, FROM, [TO, CC], on_committing=lambda: seen.append(len(delivered())))
        assert seen == [0]
        assert [d.raw for d in delivered()] == [raw]

    def test_a_failing_record_at_the_point_of_no_return_sends_nothing(self, sender, delivered):
        class DiskFullError(Exception):
            pass

        def refuse() -> None:
            raise DiskFullError

        raw = jis_mail()
        with pytest.raises(DiskFullError):
            sender.send(raw, FROM, [TO, CC], on_committing=refuse)
        assert delivered() == []
        sender.send(raw, FROM, [TO, CC])  # the sender is still usable
        assert [d.raw for d in delivered()] == [raw]

    def test_a_reply_lost_after_the_point_of_no_return_is_uncertain(
        self, sender, delivered, make_lost_reply,
    ):
        raw = jis_mail()
        seen: list[int] = []
        make_lost_reply()
        with pytest.raises(DeliveryError) as failure:
            sender.send(raw, FROM, [TO, CC], on_committing=lambda: seen.append(len(delivered())))
        assert failure.value.uncertain is True
        assert failure.value.reply
        assert seen == [0]
        assert [d.raw for d in delivered()] == [raw]  # it did arrive: sending again would duplicate
