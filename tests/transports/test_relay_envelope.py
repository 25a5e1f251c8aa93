"""Checked == sent: envelope addresses and DATA reach the upstream exactly as the gate saw them.

Talks to the relay on a bare socket (smtplib re-parses addresses and refuses CR/LF), passes what
the gate saw to the real senders, and compares with what a real aiosmtpd sink or the fake Graph
received. The smuggling probes come from issue 12.
"""

from __future__ import annotations

import email
import email.policy
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from missend_guard.core.gate import Outcome
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.ports.sending import DeliveryError
from missend_guard.transports.relay import RELAY_USER, Relay
from missend_guard.transports.senders.graph.sender import GraphSender
from missend_guard.transports.senders.smtp import SmtpAccount, SmtpSender
from tests.conftest import find_free_port
from tests.helpers.fake_graph import FakeGraph
from tests.helpers.raw_smtp import RawSmtp
from tests.helpers.sink import Sink

PASSWORD = "relay-Secret-123"
FROM = "ken@example.co.jp"
TO = "ichiro@example.co.jp"
MAIL = (f"From: {FROM}\r\nTo: {TO}\r\nSubject: test\r\nMessage-ID: <t1@example.co.jp>\r\n"
        "\r\nHello\r\n").encode()


@dataclass(frozen=True)
class Seen:
    """One message as the gate saw it."""

    raw: bytes
    envelope: Envelope


class RecordingGate:
    """A gate that accepts everything and remembers exactly what it was given."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self._lock = threading.Lock()

    def __call__(self, raw: bytes, envelope: Envelope, cancelled: threading.Event | None = None,
                 *, spool: object = None, crlf_only: bool = False) -> Outcome:
        with self._lock:
            self.seen.append(Seen(raw, envelope))
        return Outcome(250, "2.0.0 Queued")


@dataclass
class Rig:
    gate: RecordingGate
    relay: Relay
    sink: Sink
    smtp: SmtpSender
    graph: FakeGraph
    graph_sender: GraphSender

    def client(self) -> RawSmtp:
        client = RawSmtp(self.relay.port)
        assert client.login(RELAY_USER, PASSWORD)[0] == 235
        return client


@pytest.fixture(scope="module")
def rig() -> Iterator[Rig]:
    gate = RecordingGate()
    relay = Relay(gate, password=lambda: PASSWORD, port=find_free_port())
    sink = Sink(find_free_port()).start()
    graph = FakeGraph().start()
    http = httpx.Client(timeout=10)
    relay.start()
    try:
        yield Rig(gate, relay, sink,
                  SmtpSender(SmtpAccount("up", "127.0.0.1", sink.port, "none"), lambda: None),
                  graph, GraphSender(base_url=graph.url, http_client=http,
                                     token_provider=lambda: "good-token"))
    finally:
        relay.stop()
        sink.stop()
        graph.stop()
        http.close()


def submit(rig: Rig, mail_from: str, rcpts: list[str], data: bytes = MAIL) -> list[int]:
    """One transaction on the raw socket; the reply codes of MAIL, each RCPT and (if sent) DATA."""
    params = "" if (mail_from + "".join(rcpts)).isascii() else " SMTPUTF8"
    with rig.client() as client:
        codes = [client.command(f"MAIL FROM:<{mail_from}>{params}")[0]]
        codes += [client.command(f"RCPT TO:<{rcpt}>")[0] for rcpt in rcpts]
        if codes[0] == 250 and 250 in codes[1:]:
            assert client.command("DATA")[0] == 354
            client.send(data + b".\r\n")
            codes.append(client.reply()[0])
        client.command("QUIT")
    return codes


# -- smuggling probes: control characters are refused with 501 5.1.3 -----------------------

PROBES = [
    '"x\rBcc: spy@attacker.example"@example.co.jp',  # the probe: was sent to spy@
    '"x\x00y"@example.co.jp',
    "x\x00y@example.co.jp",
    '"tab\there"@example.co.jp',
    '"esc\x1b[2J"@example.co.jp',
    '"del\x7f"@example.co.jp',
    '"nel\x85Bcc: spy@attacker.example"@example.co.jp',
    '"ls\u2028Bcc: spy@attacker.example"@example.co.jp',
]


@pytest.mark.parametrize("address", PROBES)
def test_control_character_in_rcpt_is_501_and_nothing_reaches_the_gate(rig, address):
    before = len(rig.gate.seen)
    with rig.client() as client:
        assert client.command(f"MAIL FROM:<{FROM}>")[0] == 250
        code, text = client.command(f"RCPT TO:<{address}>")
        assert (code, text.split()[0]) == (501, "5.1.3")
        assert "control characters" in text
        assert client.command("DATA")[0] == 503  # no recipient: the mail stays in the client
    assert len(rig.gate.seen) == before


def test_control_character_in_mail_from_is_501(rig):
    with rig.client() as client:
        code, text = client.command('MAIL FROM:<"a\rRCPT TO:<spy@attacker.example>"@example.co.jp>')
        assert (code, text.split()[0]) == (501, "5.1.3")
        assert client.command(f"RCPT TO:<{TO}>")[0] == 503  # no transaction was opened


def test_bytes_that_are_not_utf8_are_501(rig):
    with rig.client() as client:
        assert client.command(f"MAIL FROM:<{FROM}> SMTPUTF8")[0] == 250
        code, text = client.command(b"RCPT TO:<caf\xe9@example.co.jp>")
        assert (code, text.split()[0]) == (501, "5.1.3")
        assert "UTF-8" in text


def test_a_refused_recipient_does_not_end_the_transaction(rig):
    before = len(rig.gate.seen)
    codes = submit(rig, FROM, ['"x\rBcc: spy@attacker.example"@example.co.jp', TO])
    assert codes == [250, 501, 250, 250]
    assert rig.gate.seen[before].envelope == Envelope(FROM, (TO,))


def test_before_login_the_reply_stays_530(rig):
    with RawSmtp(rig.relay.port) as client:
        client.command("EHLO raw.test")
        assert client.command('MAIL FROM:<"a\rb"@example.co.jp>')[0] == 530


# -- bare CR / LF end-of-data look-alikes --------------------------------------------------

SMUGGLED = (b"MAIL FROM:<ceo@example.co.jp>\rRCPT TO:<spy@attacker.example>\rDATA\r"
            b"Subject: smuggled\r\rsecret\r")


@pytest.mark.parametrize("end", [b"\r.\r", b"\n.\n", b"\r\n.\r", b"\r.\r\n", b"\n.\r\n"])
def test_bare_cr_or_lf_dot_is_made_crlf_before_the_gate_and_upstream_gets_the_same(rig, end):
    before, delivered = len(rig.gate.seen), len(rig.sink.messages)
    data = MAIL[:-2] + end + SMUGGLED + b"\r\n"
    assert submit(rig, FROM, [TO], data) == [250, 250, 250]
    seen = rig.gate.seen[before]
    assert b"\r" not in seen.raw.replace(b"\r\n", b"")
    assert b"\n" not in seen.raw.replace(b"\r\n", b"")
    if not end.startswith(b"\r\n"):  # (after a real CRLF the client's lone dot was un-stuffed)
        assert b"\r\n.\r\n" in seen.raw  # now a plain line, which the sender dot-stuffs
    rig.smtp.send(seen.raw, seen.envelope.mail_from, seen.envelope.rcpt_tos)
    [got] = rig.sink.messages[delivered:]
    assert got.data == seen.raw
    assert got.rcpt_tos == (TO,)


def test_a_crlf_mail_reaches_the_gate_byte_exact(rig):
    before = len(rig.gate.seen)
    submit(rig, FROM, [TO])
    assert rig.gate.seen[before].raw == MAIL


# -- property: what the gate saw is what the upstream received -----------------------------

ATEXT = st.sampled_from(list("abcxyzABZ0189!#$%&'*+-/=?^_`{|}~"))
UNICODE = st.characters(categories=("Lu", "Ll", "Lo", "Nd"), min_codepoint=0xA0,
                        max_codepoint=0x2FFFF)
QTEXT = st.one_of(st.sampled_from(list(' ()<>[]:;@,."\\ab')), UNICODE)
DOT_ATOM = st.lists(st.text(st.one_of(ATEXT, UNICODE), min_size=1, max_size=6),
                    min_size=1, max_size=3).map(".".join)
QUOTED = st.text(QTEXT, min_size=1, max_size=10).map(
    lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
LABEL = st.text(st.one_of(st.sampled_from(list("abz09")), UNICODE), min_size=1, max_size=8)
DOMAIN = st.one_of(
    st.lists(LABEL, min_size=1, max_size=3).map(lambda labels: ".".join([*labels, "jp"])),
    st.tuples(*[st.integers(0, 255)] * 4).map(lambda ip: "[{}.{}.{}.{}]".format(*ip)),
)
ADDRESS = st.builds(lambda local, domain: f"{local}@{domain}", st.one_of(DOT_ATOM, QUOTED), DOMAIN)
CONTROL = st.one_of(st.characters(max_codepoint=0x1F).filter(lambda c: c not in "\r\n"),
                    st.sampled_from(["\x7f", "\x85", "\u2028"]))
PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def gate_saw(rig: Rig, mail_from: str, rcpts: list[str]) -> Seen | None:
    """Submit; what the gate saw, or None when the relay refused every recipient (or the sender)."""
    before = len(rig.gate.seen)
    codes = submit(rig, mail_from, rcpts)
    for code in codes:
        assert code in (250, 553), codes  # 553: aiosmtpd cannot parse it, nothing is taken
    if len(rig.gate.seen) == before:
        assert codes[-1] != 250 or codes[0] != 250 or 250 not in codes[1:], codes
        return None
    return rig.gate.seen[before]


@PROPERTY
@given(mail_from=ADDRESS, rcpts=st.lists(ADDRESS, min_size=1, max_size=3))
def test_smtp_upstream_receives_exactly_the_checked_envelope(rig, mail_from, rcpts):
    seen = gate_saw(rig, mail_from, rcpts)
    if seen is None:
        return
    delivered = len(rig.sink.messages)
    rig.smtp.send(seen.raw, seen.envelope.mail_from, seen.envelope.rcpt_tos)
    [got] = rig.sink.messages[delivered:]
    assert (got.mail_from, got.rcpt_tos) == (seen.envelope.mail_from, seen.envelope.rcpt_tos)
    assert got.data == seen.raw


def mime_recipients(mime: bytes) -> set[str]:
    """To, Cc and Bcc as a modern RFC 5322/6532 parser reads them (not the sender's own parser)."""
    head = mime.split(b"\r\n\r\n", 1)[0].decode("utf-8")
    message = email.message_from_string(head + "\r\n\r\n", policy=email.policy.default)
    return {mailbox.addr_spec for name in ("to", "cc", "bcc")
            for header in message.get_all(name, []) for mailbox in header.addresses}


@PROPERTY
@given(rcpts=st.lists(ADDRESS, min_size=1, max_size=3))
@example(rcpts=['":"@0.jp', '"."@0.jp'])  # each reads back alone; together the stdlib parser fails
def test_graph_receives_exactly_the_checked_recipients(rig, rcpts):
    seen = gate_saw(rig, FROM, [TO, *rcpts])
    assert seen is not None  # TO is always accepted
    posted = len(rig.graph.deliveries)
    refusal: DeliveryError | None = None
    try:
        rig.graph_sender.send(seen.raw, seen.envelope.mail_from, seen.envelope.rcpt_tos)
    except DeliveryError as exc:
        refusal = exc
    if refusal is not None:
        # Refusing is safe (nothing went out, the mail is kept as failed); sending elsewhere is not.
        assert not refusal.temporary
        assert "does not read back unchanged" in refusal.reply
        assert len(rig.graph.deliveries) == posted
        return
    [delivery] = rig.graph.deliveries[posted:]
    assert mime_recipients(delivery.submitted) == set(seen.envelope.rcpt_tos)


@PROPERTY
@given(address=ADDRESS, control=CONTROL, where=st.floats(0, 1), field=st.sampled_from(["MAIL", "RCPT"]))
def test_a_control_character_anywhere_in_an_address_is_refused(rig, address, control, where, field):
    at = int(where * len(address))
    bad = address[:at] + control + address[at:]
    with rig.client() as client:
        if field == "MAIL":
            code, text = client.command(f"MAIL FROM:<{bad}> SMTPUTF8")
        else:
            assert client.command(f"MAIL FROM:<{FROM}> SMTPUTF8")[0] == 250
            code, text = client.command(f"RCPT TO:<{bad}>")
        assert (code, text.split()[0]) == (501, "5.1.3")


ARGUMENT = st.one_of(
    st.builds(lambda a, params: f"<{a}>{params}", ADDRESS,
              st.sampled_from(["", " SIZE=100", " BODY=8BITMIME SMTPUTF8", " x"])),
    ADDRESS,
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
    st.sampled_from(["", "<>", "< >", "<@route:a@b.c>", '<"a b"@c.d>', "a@b@c", "<a@b", "@",
                     "<" + "x" * 70 + "@example.co.jp>"]),
)


@settings(max_examples=400, deadline=None)
@given(arg=ARGUMENT)
@example(arg='"')  # found by Hypothesis: the stdlib parser raises IndexError
def test_the_relay_parses_mail_and_rcpt_arguments_as_aiosmtpd_does(arg):
    """RelaySession._getaddr (no class per call) answers exactly as aiosmtpd's own."""
    import asyncio

    from aiosmtpd.smtp import SMTP

    from missend_guard.transports.relay.limits import RelayLimits
    from missend_guard.transports.relay.session import Login, RelaySession, SessionGuard

    loop = asyncio.new_event_loop()
    try:
        session = RelaySession(object(), guard=SessionGuard(RelayLimits(), lambda *_: Login.REFUSED),
                               hostname="relay.localhost", loop=loop)
        session.local_part_limit = 64
        try:
            expected = SMTP._getaddr(session, arg)
        except IndexError:  # the stdlib parser fails on some inputs ('"'): a syntax error for us
            expected = (None, None)
        assert session._getaddr(arg) == expected
    finally:
        loop.close()


@pytest.mark.parametrize("arg", ['"', ' "'])
def test_an_argument_the_stdlib_parser_chokes_on_is_a_malformed_address_not_a_crash(rig, arg):
    with rig.client() as client:
        assert client.command(f"MAIL FROM:{arg}") == (553, "5.1.3 Error: malformed address")
        assert client.command("MAIL FROM:<ken@example.co.jp>")[0] == 250  # the session goes on
        assert client.command(f"RCPT TO:{arg}") == (553, "5.1.3 Error: malformed address")
