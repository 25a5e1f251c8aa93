"""After a lost reply to Graph's send request: uncertain, and found again (Sent Items, the draft)
without sending a second time."""

from __future__ import annotations

import httpx
import pytest

from missend_guard.core.ports.sending import DeliveryError, DeliveryLookup
from missend_guard.transports.senders.graph.sender import GraphSender
from tests.helpers.big_mail import MiB, big_mail
from tests.helpers.fake_graph import FakeGraph
from tests.helpers.sender_contract import CC, FROM, TO, jis_mail


@pytest.fixture
def fake_graph():
    fake = FakeGraph().start()
    yield fake
    fake.stop()
    assert fake.errors == []


@pytest.fixture
def sender(fake_graph):
    with httpx.Client(timeout=10) as client:
        yield GraphSender(lambda: "good-token", base_url=fake_graph.url, http_client=client)


def lost(sender: GraphSender, raw: bytes, rcpts: list[str]) -> DeliveryError:
    with pytest.raises(DeliveryError) as failure:
        sender.send(raw, FROM, rcpts, on_committing=lambda: None)
    assert failure.value.uncertain is True
    return failure.value


def test_graph_can_look_for_a_mail_whose_reply_was_lost(sender):
    assert isinstance(sender, DeliveryLookup)


def test_a_lost_sendmail_reply_is_found_in_sent_items(fake_graph, sender):
    raw = jis_mail()
    fake_graph.fail_next(202, drop_reply_after_processing=True, path_suffix="/sendMail")
    assert "may have been sent" in lost(sender, raw, [TO, CC]).reply
    found = sender.find_delivered(raw, FROM, [TO, CC])
    assert found is not None
    assert found.startswith("Microsoft Graph: already sent before a lost reply (sent-")
    assert sender.state == {}  # nothing left to resume
    assert len(fake_graph.deliveries) == 1


def test_a_send_graph_never_acted_on_is_not_found(fake_graph, sender):
    raw = jis_mail()
    fake_graph.fail_next(504, code="GatewayTimeout", path_suffix="/sendMail")
    lost(sender, raw, [TO, CC])  # a gateway gave up: Exchange may or may not have sent it
    assert sender.find_delivered(raw, FROM, [TO, CC]) is None
    assert fake_graph.deliveries == []
    assert sender.state  # a later "Send again" still looks in Sent Items first


def test_a_lost_reply_to_the_draft_send_is_found_on_the_draft(fake_graph, sender):
    raw, _ = big_mail(sizes=(4 * MiB,), names=("a.bin",))
    fake_graph.fail_next(202, drop_reply_after_processing=True, path_suffix="/send")
    lost(sender, raw, [TO])
    found = sender.find_delivered(raw, FROM, [TO])
    assert found is not None
    assert "already sent before a lost reply (message AAMk-" in found
    assert len(fake_graph.deliveries) == 1


def test_a_draft_not_yet_sent_is_not_found(fake_graph, sender):
    raw, _ = big_mail(sizes=(4 * MiB,), names=("a.bin",))
    fake_graph.fail_next(504, code="GatewayTimeout", path_suffix="/send")
    lost(sender, raw, [TO])
    assert sender.find_delivered(raw, FROM, [TO]) is None
    assert fake_graph.deliveries == []


def test_failures_before_the_send_request_are_never_uncertain(fake_graph, sender):
    fake_graph.fail_next(503, code="ServiceUnavailable", path_suffix="/sendMail")
    with pytest.raises(DeliveryError) as failure:
        sender.send(jis_mail(), FROM, [TO, CC], on_committing=lambda: None)
    assert (failure.value.temporary, failure.value.uncertain) == (True, False)
    raw, _ = big_mail(sizes=(4 * MiB,), names=("a.bin",))
    fake_graph.fail_next(202, drop_reply_after_processing=True, path_suffix="/createUploadSession")
    committed: list[bool] = []
    with pytest.raises(DeliveryError) as failure:
        sender.send(raw, FROM, [TO], on_committing=lambda: committed.append(True))
    assert failure.value.uncertain is False  # an attachment upload is not the send
    assert committed == []
