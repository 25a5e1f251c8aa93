"""SmtpSender keeps the promises every Sender keeps, against a real aiosmtpd upstream."""

from __future__ import annotations

import pytest

from missend_guard.transports.senders.smtp import SmtpAccount, SmtpSender
from tests.helpers.sender_contract import Delivered, SenderContract


class TestSmtpSenderContract(SenderContract):
    @pytest.fixture
    def sender(self, smtp_sink):
        return SmtpSender(SmtpAccount("test", smtp_sink.host, smtp_sink.port, "none"), lambda: None)

    @pytest.fixture
    def delivered(self, smtp_sink):
        return lambda: [
            Delivered(m.data, frozenset(r.lower() for r in m.rcpt_tos)) for m in smtp_sink.messages
        ]

    @pytest.fixture
    def make_temporary_failure(self, smtp_sink):
        def fail() -> None:
            smtp_sink.handler.fail_next = "451 4.3.0 try again later"
        return fail

    @pytest.fixture
    def make_permanent_failure(self, smtp_sink):
        def fail() -> None:
            smtp_sink.handler.fail_next = "554 5.7.1 message refused by policy"
        return fail

    @pytest.fixture
    def make_lost_reply(self, smtp_sink):
        def lose() -> None:
            smtp_sink.handler.drop_reply = True
        return lose
