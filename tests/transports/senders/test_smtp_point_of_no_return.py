"""SMTP's point of no return is the final dot: a reply lost after it is uncertain, one before is not."""

from __future__ import annotations

import time

import pytest

from missend_guard.core.ports.outbox import StorageError
from missend_guard.core.ports.sending import DeliveryError
from missend_guard.transports.senders.smtp import SmtpAccount, SmtpSender
from tests.helpers.sender_contract import FROM, TO, jis_mail

RAW = jis_mail(cc=None, body_lines=200)


def sender_for(sink, timeout: float) -> SmtpSender:
    return SmtpSender(SmtpAccount("up", sink.host, sink.port, "none"), lambda: None, timeout=timeout)


def test_no_reply_to_the_final_dot_in_time_is_uncertain_and_the_mail_did_arrive(smtp_sink):
    smtp_sink.handler.delay = 3  # a queue-first server scanning the mail before it answers
    committed: list[bool] = []
    with pytest.raises(DeliveryError) as failure:
        sender_for(smtp_sink, 1).send(RAW, FROM, [TO], on_committing=lambda: committed.append(True))
    assert failure.value.uncertain is True
    assert "may have been delivered" in failure.value.reply
    assert committed == [True]
    assert [m.data for m in smtp_sink.messages] == [RAW]


def test_a_stall_before_the_message_went_out_is_a_plain_temporary_failure(smtp_sink):
    smtp_sink.handler.rcpt_delay = 3
    committed: list[bool] = []
    with pytest.raises(DeliveryError) as failure:
        sender_for(smtp_sink, 1).send(RAW, FROM, [TO], on_committing=lambda: committed.append(True))
    assert (failure.value.temporary, failure.value.uncertain) == (True, False)
    assert committed == []  # never reached the point of no return
    assert smtp_sink.messages == []


@pytest.mark.parametrize("reply", ["451 4.7.1 greylisted", "554 5.7.1 refused"])
def test_a_refusal_of_the_final_dot_is_certain(smtp_sink, reply):
    smtp_sink.handler.fail_next = reply
    with pytest.raises(DeliveryError) as failure:
        sender_for(smtp_sink, 5).send(RAW, FROM, [TO], on_committing=lambda: None)
    assert failure.value.uncertain is False
    assert failure.value.temporary is reply.startswith("4")


def test_a_record_that_fails_drops_the_session_at_once_without_the_dot(smtp_sink):
    def disk_full() -> None:
        raise StorageError("The disk holding the data folder is full")

    sender = sender_for(smtp_sink, 30)
    started = time.monotonic()
    with pytest.raises(StorageError):
        sender.send(RAW, FROM, [TO], on_committing=disk_full)
    # No QUIT inside DATA (it would be a line of the message, then a 30 s wait for a reply).
    assert time.monotonic() - started < 5
    time.sleep(0.5)
    assert smtp_sink.messages == []  # the server never saw the dot: nothing was delivered
    assert sender.send(RAW, FROM, [TO]).startswith("250")
    assert [m.data for m in smtp_sink.messages] == [RAW]
