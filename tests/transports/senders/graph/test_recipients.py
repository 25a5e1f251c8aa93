"""GraphSender writes envelope-only recipients into a Bcc field safely, or refuses the mail."""

from __future__ import annotations

import httpx
import pytest

from missend_guard.core.ports.sending import DeliveryError
from missend_guard.transports.senders.graph.mime import (
    bcc_problem,
    header_only,
    recipient_problems,
    with_bcc,
)
from missend_guard.transports.senders.graph.sender import GraphSender
from tests.helpers.fake_graph import FakeGraph

FROM = "ken@example.co.jp"
TO = "ichiro@example.co.jp"
RAW = f"From: {FROM}\r\nTo: {TO}\r\nSubject: s\r\n\r\nbody\r\n".encode()


@pytest.fixture
def fake_graph():
    fake = FakeGraph().start()
    yield fake
    fake.stop()
    assert fake.errors == []


def send(fake: FakeGraph, raw: bytes, rcpts: list[str]) -> str:
    with httpx.Client(timeout=10) as http:
        return GraphSender(base_url=fake.url, http_client=http,
                           token_provider=lambda: "good-token").send(raw, FROM, rcpts)


SMUGGLERS = [
    '"x\rBcc: spy@attacker.example"@example.co.jp',  # issue 12: the CR would start a header
    '"x\nBcc: spy@attacker.example"@example.co.jp',
    '"x\x00"@example.co.jp',
    '"a" <spy@attacker.example>@example.co.jp',  # reads back as spy@attacker.example
    "bcc@example.co.jp, spy@attacker.example",  # reads back as two recipients
    "kept(comment)@example.co.jp",  # reads back without the comment
]


@pytest.mark.parametrize("address", SMUGGLERS)
def test_a_bcc_that_would_not_read_back_unchanged_is_refused_and_nothing_is_posted(
    fake_graph, address
):
    with pytest.raises(DeliveryError) as refused:
        send(fake_graph, RAW, [TO, address])
    assert refused.value.temporary is False
    assert refused.value.reply.startswith("Not sent: ")
    assert fake_graph.requests == []


@pytest.mark.parametrize("address", SMUGGLERS[:3])
def test_with_bcc_never_writes_a_control_character_into_a_header(address):
    with pytest.raises(ValueError, match="control characters"):
        with_bcc(RAW, [address])


@pytest.mark.parametrize("address", [
    '"a b"@example.co.jp', '"a,b;c:d<e>"@example.co.jp', "o'brien+tag@example.co.jp",
    "山田@例え.jp", '"山 田"@example.co.jp', "a@[192.0.2.1]", '"a\\"b"@example.co.jp',
])
def test_unusual_but_valid_addresses_are_written_as_checked(fake_graph, address):
    assert bcc_problem(address) is None
    send(fake_graph, RAW, [TO, address])
    [delivery] = fake_graph.deliveries
    assert delivery.submitted == b"Bcc: " + address.encode() + b"\r\n" + RAW


def test_the_bcc_list_must_read_back_as_a_whole():
    # Each address reads back alone; in one field the stdlib parser fails: refuse, never guess.
    assert recipient_problems(RAW, [TO, '":"@0.jp', ".@0.jp"]) != []
    assert recipient_problems(RAW, [TO, '":"@0.jp', "x@0.jp"]) == []


def test_a_control_character_in_a_header_named_recipient_is_refused_too():
    raw = b'To: "x\\\rBcc: spy@attacker.example"@example.co.jp\r\n\r\nbody\r\n'
    assert recipient_problems(raw, ['"x\rBcc: spy@attacker.example"@example.co.jp']) != []


def test_non_ascii_header_recipients_match_the_envelope(fake_graph):
    raw = "From: ken@example.co.jp\r\nTo: 山田 <山田@例え.jp>\r\nSubject: s\r\n\r\nbody\r\n".encode()
    assert header_only(raw, ["山田@例え.jp"]) == []
    send(fake_graph, raw, ["山田@例え.jp"])
    [delivery] = fake_graph.deliveries
    assert delivery.submitted == raw  # named in To: no Bcc added, nothing refused
