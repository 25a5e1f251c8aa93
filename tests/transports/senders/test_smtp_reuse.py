"""SmtpSender keeps its upstream session between messages: RSET between, re-opened when dropped."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from missend_guard.core.ports.sending import DeliveryError
from missend_guard.transports.senders.smtp import SmtpAccount, SmtpSender
from tests.conftest import SINK_PASSWORD, SINK_USER, find_free_port
from tests.helpers.mails import jis_mail
from tests.helpers.sink import Sink, SinkHandler

FROM = "ken.yamamoto@example.co.jp"


def _mail(n: int) -> bytes:
    return jis_mail(to=[("佐藤 花子", "hanako@abc-trading.co.jp")], subject=f"見積書の件 {n}",
                    message_id=f"<reuse-{n}@example.co.jp>", padding=2000)


class PeerHandler(SinkHandler):
    """Also records which client connection (peer address) each message came over, and QUITs."""

    def __init__(self) -> None:
        super().__init__()
        self.peers: list[Any] = []
        self.quits = 0
        self.quit_seen = threading.Condition()

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str,
                          mail_options: list[str]) -> str:
        self.peers.append(session.peer)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        with self.quit_seen:
            self.quits += 1
            self.quit_seen.notify_all()
        return "221 Bye"

    def wait_quits(self, count: int) -> int:
        with self.quit_seen:
            self.quit_seen.wait_for(lambda: self.quits >= count, 10)
            return self.quits


@pytest.fixture
def sink() -> Iterator[Sink]:
    sink = Sink(find_free_port(), handler=PeerHandler()).start()
    try:
        yield sink
    finally:
        sink.stop()


def _sender(sink: Sink, **kw: Any) -> SmtpSender:
    return SmtpSender(SmtpAccount("x", "127.0.0.1", sink.port, "none"), lambda: None, timeout=10,
                      **kw)


def _handler(sink: Sink) -> PeerHandler:
    assert isinstance(sink.handler, PeerHandler)
    return sink.handler


def test_two_messages_share_one_session_and_keep_their_own_envelopes(sink):
    sender = _sender(sink, idle_timeout=60)
    try:
        sender.send(_mail(1), FROM, ["hanako@abc-trading.co.jp", "bcc@example.co.jp"])
        sender.send(_mail(2), FROM, ["jiro@abc-trading.co.jp"])
    finally:
        sender.close()
    first, second = sink.messages
    assert (first.data, second.data) == (_mail(1), _mail(2))
    assert first.rcpt_tos == ("hanako@abc-trading.co.jp", "bcc@example.co.jp")
    assert second.rcpt_tos == ("jiro@abc-trading.co.jp",)  # RSET: nothing carried over
    peers = _handler(sink).peers
    assert len(peers) == 2
    assert peers[0] == peers[1]
    assert _handler(sink).wait_quits(1) == 1  # close() said goodbye


def test_a_session_dropped_while_idle_is_reopened_transparently(sink):
    sender = _sender(sink, idle_timeout=60)
    try:
        sender.send(_mail(1), FROM, ["hanako@abc-trading.co.jp"])
        sink.stop()  # the server goes away and drops our idle session
        sink.start()
        reply = sender.send(_mail(2), FROM, ["hanako@abc-trading.co.jp"])
    finally:
        sender.close()
    assert reply.startswith("250")
    assert [m.data for m in sink.messages] == [_mail(1), _mail(2)]
    first, second = _handler(sink).peers
    assert first != second


def test_idle_session_is_closed_after_the_idle_timeout(sink):
    sender = _sender(sink, idle_timeout=0.2)
    sender.send(_mail(1), FROM, ["hanako@abc-trading.co.jp"])
    assert _handler(sink).wait_quits(1) == 1  # closed by the idle timer, not by us
    sender.send(_mail(2), FROM, ["hanako@abc-trading.co.jp"])
    sender.close()
    first, second = _handler(sink).peers
    assert first != second
    assert len(sink.messages) == 2


def test_a_burst_of_mail_starts_one_idle_timer_and_use_postpones_the_close(sink, monkeypatch):
    from missend_guard.transports.senders import smtp as smtp_module

    timers = []
    real_timer = smtp_module.threading.Timer

    def counting(delay, function):
        timers.append(delay)
        return real_timer(delay, function)

    monkeypatch.setattr(smtp_module.threading, "Timer", counting)
    sender = _sender(sink, idle_timeout=0.6)
    for n in range(10):
        sender.send(_mail(n), FROM, ["hanako@abc-trading.co.jp"])
    assert len(timers) == 1  # not a thread per mail
    threading.Event().wait(0.4)
    sender.send(_mail(10), FROM, ["hanako@abc-trading.co.jp"])  # used again before it fired
    threading.Event().wait(0.4)  # 0.8 s after the first timer started: it fired and re-armed
    assert _handler(sink).quits == 0
    assert len(timers) == 2
    assert _handler(sink).wait_quits(1) == 1  # idle for 0.6 s since the last mail: closed
    sender.close()
    assert len(set(_handler(sink).peers)) == 1  # all eleven over one session


def test_session_is_not_reused_after_a_failure(sink):
    sender = _sender(sink, idle_timeout=60)
    _handler(sink).fail_next = "452 4.3.1 insufficient storage"
    try:
        with pytest.raises(DeliveryError) as failure:
            sender.send(_mail(1), FROM, ["hanako@abc-trading.co.jp"])
        assert failure.value.temporary is True
        sender.send(_mail(2), FROM, ["hanako@abc-trading.co.jp"])
    finally:
        sender.close()
    assert [m.data for m in sink.messages] == [_mail(2)]
    first, second = _handler(sink).peers
    assert first != second


def test_without_idle_timeout_every_message_has_its_own_session(sink):
    sender = _sender(sink)  # the default: no reuse
    sender.send(_mail(1), FROM, ["hanako@abc-trading.co.jp"])
    assert _handler(sink).wait_quits(1) == 1
    sender.send(_mail(2), FROM, ["hanako@abc-trading.co.jp"])
    assert _handler(sink).wait_quits(2) == 2
    first, second = _handler(sink).peers
    assert first != second


def test_tls_session_with_auth_logs_in_once_for_two_messages(tls_sink_factory, ca_file):
    tls = tls_sink_factory("starttls")
    account = SmtpAccount("work", "127.0.0.1", tls.port, "starttls", SINK_USER)
    sender = SmtpSender(account, lambda: SINK_PASSWORD, cafile=ca_file, timeout=10,
                        idle_timeout=60)
    try:
        sender.send(_mail(1), FROM, ["hanako@abc-trading.co.jp"])
        sender.send(_mail(2), FROM, ["hanako@abc-trading.co.jp"])
    finally:
        sender.close()
    assert [m.data for m in tls.messages] == [_mail(1), _mail(2)]
    assert tls.auth_attempts == [(SINK_USER, SINK_PASSWORD)]
