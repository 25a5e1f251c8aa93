"""The Graph sender keeps the shared Sender promises against a validating fake Graph on 127.0.0.1."""

from __future__ import annotations

import httpx
import pytest

from missend_guard.transports.senders.graph.sender import GraphSender
from tests.helpers.fake_graph import FakeGraph
from tests.helpers.sender_contract import Delivered, SenderContract


@pytest.fixture
def fake_graph():
    fake = FakeGraph().start()
    yield fake
    fake.stop()
    assert fake.errors == []  # every request the sender made had a valid shape


class TestGraphSenderContract(SenderContract):
    """sendMail with MIME (messages under 4 MB, Sent Items copy kept)."""

    save_to_sent_items = True

    @pytest.fixture
    def sender(self, fake_graph):
        client = httpx.Client(timeout=10)
        yield GraphSender(lambda: "good-token", base_url=fake_graph.url, http_client=client,
                          save_to_sent_items=self.save_to_sent_items)
        client.close()

    @pytest.fixture
    def delivered(self, fake_graph):
        return lambda: [Delivered(d.mime, d.recipients) for d in fake_graph.deliveries]

    @pytest.fixture
    def make_temporary_failure(self, fake_graph):
        return lambda: fake_graph.fail_next(503, code="ServiceUnavailable", headers={"Retry-After": "3"})

    @pytest.fixture
    def make_permanent_failure(self, fake_graph):
        return lambda: fake_graph.fail_next(400, code="ErrorInvalidRecipients", message="bad")

    @pytest.fixture
    def make_lost_reply(self, fake_graph):
        suffix = "/sendMail" if self.save_to_sent_items else "/send"
        return lambda: fake_graph.fail_next(202, drop_reply_after_processing=True,
                                            path_suffix=suffix)


class TestGraphDraftSenderContract(TestGraphSenderContract):
    """The draft path (used for big mail, and whenever no Sent Items copy is wanted)."""

    save_to_sent_items = False
