"""The relay cannot be starved or flooded: connection cap, idle timers, login throttling, quiet logs."""

from __future__ import annotations

import base64
import logging
import smtplib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from missend_guard.core.gate import Outcome
from missend_guard.core.message.envelope import Envelope
from missend_guard.transports.relay import RELAY_USER, Relay, RelayError, RelayLimits
from missend_guard.transports.relay.quiet_log import MAIL_LOG, RELAY_LOG, RateLimit
from tests.conftest import find_free_port
from tests.helpers.raw_smtp import RawSmtp

PASSWORD = "relay-Secret-123"
MAIL = b"From: ken@example.co.jp\r\nTo: ichiro@example.co.jp\r\nSubject: s\r\n\r\nbody\r\n"


def accept_all(raw: bytes, envelope: Envelope, cancelled: threading.Event | None = None, *,
               spool: object = None, crlf_only: bool = False) -> Outcome:
    return Outcome(250, "2.0.0 Queued")


def started(limits: RelayLimits | None = None, gate=accept_all, **kwargs) -> Relay:
    relay = Relay(gate, password=lambda: PASSWORD, port=find_free_port(), limits=limits, **kwargs)
    relay.start()
    return relay


@pytest.fixture
def relay_factory() -> Iterator:
    relays: list[Relay] = []

    def make(limits: RelayLimits | None = None, **kwargs) -> Relay:
        relays.append(started(limits, **kwargs))
        return relays[-1]

    yield make
    for relay in relays:
        relay.stop()


def send_one(port: int) -> tuple[int, bytes]:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.login(RELAY_USER, PASSWORD)
        smtp.mail("ken@example.co.jp")
        smtp.rcpt("ichiro@example.co.jp")
        return smtp.data(MAIL)


def wait_for(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


# -- connection cap --------------------------------------------------------------------------


def test_300_idle_connections_do_not_keep_a_logged_in_client_from_its_250(relay_factory):
    relay = relay_factory()  # the defaults: 16 connections, 30 s before login
    flood: list[socket.socket] = []
    try:
        for _ in range(300):
            flood.append(socket.create_connection(("127.0.0.1", relay.port), timeout=5))
        assert wait_for(lambda: relay.open_connections == 16)
        started_at = time.monotonic()
        code, text = send_one(relay.port)
        elapsed = time.monotonic() - started_at
        assert (code, text) == (250, b"2.0.0 Queued")
        assert elapsed < 3.0, f"the real client waited {elapsed:.2f} s"
        still_open = relay.open_connections
        assert still_open <= 16
        refused = 0
        for sock in flood:
            sock.settimeout(0.05)  # the 421 (if any) is already there
            if b"421 4.7.0" in _read_all(sock):
                refused += 1
        assert refused >= 300 - 16
        print(f"flood: 300 idle connections, {refused} answered 421, the real client got its "
              f"250 in {elapsed * 1000:.0f} ms, {still_open} connections open (cap 16)")
    finally:
        for sock in flood:
            sock.close()


def _read_all(sock: socket.socket) -> bytes:
    data = b""
    try:
        while chunk := sock.recv(4096):
            data += chunk
            if b"421" in data:
                break
    except TimeoutError:
        pass
    return data


def test_when_every_place_is_logged_in_a_new_connection_gets_421_at_connect(relay_factory):
    relay = relay_factory(RelayLimits(max_connections=2))
    clients = [RawSmtp(relay.port) for _ in range(2)]
    try:
        for client in clients:
            assert client.login(RELAY_USER, PASSWORD)[0] == 235
        with RawSmtp(relay.port) as late:
            assert late.greeting[0] == 421
            assert late.greeting[1].startswith("4.7.0")
            assert late.reply() == (0, "")  # closed
        clients.pop().command("QUIT")
        assert wait_for(lambda: relay.open_connections == 1)
        with RawSmtp(relay.port) as next_client:
            assert next_client.greeting[0] == 220
        assert clients[0].command("NOOP")[0] == 250  # logged-in clients were never displaced
    finally:
        for client in clients:
            client.close()


def test_a_flood_during_a_clients_handshake_does_not_cut_it(relay_factory):
    relay = relay_factory()
    flood: list[socket.socket] = []
    with RawSmtp(relay.port) as client:
        try:
            client.command("EHLO real")  # talking: no silent newcomer can take its place
            for _ in range(300):
                flood.append(socket.create_connection(("127.0.0.1", relay.port), timeout=5))
            assert client.command(f"AUTH PLAIN {_token(RELAY_USER, PASSWORD)}")[0] == 235
            assert client.command("MAIL FROM:<ken@example.co.jp>")[0] == 250
            assert client.command("RCPT TO:<ichiro@example.co.jp>")[0] == 250
            assert client.command("DATA")[0] == 354
            client.send(MAIL + b".\r\n")
            assert client.reply()[0] == 250
        finally:
            for sock in flood:
                sock.close()


def test_silent_connections_make_room_first_then_those_silent_for_the_grace(relay_factory):
    relay = relay_factory(RelayLimits(max_connections=2, handshake_grace=0.3))
    with RawSmtp(relay.port) as silent, RawSmtp(relay.port) as talking:
        talking.command("EHLO talking")
        with RawSmtp(relay.port) as newcomer:
            assert newcomer.greeting[0] == 220
            assert silent.reply()[0] == 421  # said nothing: displaced first
            assert talking.command("NOOP")[0] == 250
            newcomer.command("EHLO newcomer")
            with RawSmtp(relay.port) as too_soon:
                assert too_soon.greeting[0] == 421  # both are in their handshake: refused
            time.sleep(0.4)
            newcomer.command("NOOP")
            with RawSmtp(relay.port) as later:
                assert later.greeting[0] == 220
                assert talking.reply()[0] == 421  # silent for longer than the grace
                assert newcomer.command("NOOP")[0] == 250


def test_a_client_that_does_not_log_in_is_closed_after_the_pre_auth_timeout(relay_factory):
    relay = relay_factory(RelayLimits(pre_auth_timeout=0.5), idle_timeout=60)
    with RawSmtp(relay.port) as idle, RawSmtp(relay.port) as member:
        assert member.login(RELAY_USER, PASSWORD)[0] == 235
        started_at = time.monotonic()
        assert idle.reply() == (0, "")  # closed by the relay
        assert time.monotonic() - started_at < 5
        time.sleep(0.6)
        assert member.command("NOOP")[0] == 250  # logged in: the normal idle timeout applies


def test_max_connections_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        RelayLimits(max_connections=0)


# -- failed logins ---------------------------------------------------------------------------


def _token(user: str, password: str) -> str:
    return base64.b64encode(f"\0{user}\0{password}".encode()).decode()


def _plain(user: str, password: str) -> str:
    return "AUTH PLAIN " + _token(user, password)


def test_failed_logins_on_one_connection_are_answered_ever_slower_then_421(relay_factory):
    limits = RelayLimits(login_delay=0.2, login_delay_cap=0.4, failed_logins_per_connection=3)
    relay = relay_factory(limits)
    with RawSmtp(relay.port) as client:
        client.command("EHLO guesser")
        timings = []
        for _ in range(2):
            started_at = time.monotonic()
            assert client.command(_plain(RELAY_USER, "guess"))[0] == 535
            timings.append(time.monotonic() - started_at)
        assert timings[0] >= 0.2
        assert timings[1] >= 0.4
        code, text = client.command(_plain(RELAY_USER, "guess"))
        assert (code, text.split()[0]) == (421, "4.7.0")
        assert client.reply() == (0, "")


def test_too_many_failed_logins_in_a_minute_lock_every_login_with_454(relay_factory):
    relay = relay_factory(RelayLimits(login_delay=0.01, failed_logins_per_minute=4))
    for _ in range(4):
        with RawSmtp(relay.port) as client:
            client.command("EHLO guesser")
            assert client.command(_plain(RELAY_USER, "guess"))[0] == 535
    with RawSmtp(relay.port) as client:
        client.command("EHLO owner")
        code, text = client.command(_plain(RELAY_USER, PASSWORD))  # even the right password
        assert (code, text.split()[0]) == (454, "4.7.0")


def test_the_right_password_after_one_mistake_still_logs_in(relay_factory):
    relay = relay_factory(RelayLimits(login_delay=0.01))
    with RawSmtp(relay.port) as client:
        client.command("EHLO typo")
        assert client.command(_plain(RELAY_USER, "typo"))[0] == 535
        assert client.command(_plain(RELAY_USER, PASSWORD))[0] == 235


def test_an_unreadable_keychain_is_a_temporary_454_not_a_wrong_password():
    def locked() -> str:
        raise RuntimeError("keychain locked")

    relay = Relay(accept_all, password=locked, port=find_free_port())
    relay.start()
    try:
        with RawSmtp(relay.port) as client:
            client.command("EHLO owner")
            assert client.command(_plain(RELAY_USER, PASSWORD))[0] == 454
    finally:
        relay.stop()


# -- logs ------------------------------------------------------------------------------------


def test_rate_limit_lets_a_message_through_n_times_a_period_then_says_how_many_were_dropped(caplog):
    now = [0.0]
    logger = logging.getLogger("tests.relay.rate")
    limit = RateLimit(3, period=60, clock=lambda: now[0])
    logger.addFilter(limit)
    try:
        with caplog.at_level(logging.INFO, logger="tests.relay.rate"):
            for i in range(100):
                logger.warning("accept failed: %s", i)
            logger.warning("another message")
            assert [r.getMessage() for r in caplog.records] == [
                "accept failed: 0", "accept failed: 1", "accept failed: 2", "another message",
            ]
            now[0] = 61.0
            logger.warning("accept failed: %s", 100)
    finally:
        logger.removeFilter(limit)
    assert [r.getMessage() for r in caplog.records[4:]] == [
        "suppressed 97 similar messages in the last 60 s: accept failed: %s", "accept failed: 100",
    ]


def test_an_accept_storm_costs_a_few_lines_without_tracebacks(relay_factory, caplog):
    relay = relay_factory()
    storm = {"message": "socket.accept() out of system resource",
             "exception": OSError(24, "Too many open files")}
    with caplog.at_level(logging.INFO, logger=RELAY_LOG.name):
        for _ in range(500):
            relay.on_loop_error(None, storm)
        for _ in range(500):
            MAIL_LOG.warning("%r unrecognised: %s", ("127.0.0.1", 1), "GARBAGE")
        relay.stop()
    lines = [r for r in caplog.records if r.name in (RELAY_LOG.name, MAIL_LOG.name)
             and r.levelno >= logging.WARNING]
    assert len(lines) <= 25
    assert not any(r.exc_info for r in lines)
    summaries = [r.getMessage() for r in lines if r.getMessage().startswith("suppressed")]
    assert any("suppressed 490 similar" in s and "out of system resource" in s for s in summaries)
    assert any("suppressed 490 similar" in s and "unrecognised" in s for s in summaries)


def test_no_login_secret_reaches_the_log_files(tmp_path: Path):
    """A password typed into the user field (and every other AUTH input) never reaches a log."""
    secret = "Hunter2-Pässwörd!9"
    encoded = base64.b64encode(secret.encode()).decode()
    logs = tmp_path / "data" / "logs"
    logs.mkdir(parents=True)
    handler = logging.FileHandler(logs / "missend-guard.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s %(args)s"))
    root = logging.getLogger()
    saved = (root.level, MAIL_LOG.level)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    MAIL_LOG.setLevel(logging.DEBUG)  # stricter than the app, which keeps aiosmtpd at WARNING
    relay = started(RelayLimits(login_delay=0.01))
    try:
        with RawSmtp(relay.port) as client:
            client.command("EHLO typist")
            client.command("AUTH LOGIN")
            assert client.command(encoded)[0] == 334  # the password, typed as the user name
            assert client.command(base64.b64encode(b"whatever").decode())[0] == 535
            assert client.command(_plain(secret, secret))[0] == 535
            lower = "auth" + _plain(RELAY_USER, secret).removeprefix("AUTH")  # aiosmtpd masks AUTH only
            assert client.command(lower)[0] == 535
            client.command("AUTH LOGIN " + encoded)
            client.command(base64.b64encode(secret.encode()).decode())
        with RawSmtp(relay.port) as client:
            client.command("EHLO typist")
            client.command(secret)  # typed where a command was expected
            client.command(encoded)
        assert send_one(relay.port)[0] == 250  # and then a normal run
    finally:
        relay.stop()
        root.removeHandler(handler)
        handler.close()
        root.setLevel(saved[0])
        MAIL_LOG.setLevel(saved[1])
    text = "\n".join(p.read_text("utf-8", "replace") for p in (tmp_path / "data").rglob("*")
                     if p.is_file())
    assert "relay login refused" in text  # the failures are logged, without their content
    blobs = [_plain(secret, secret), _plain(RELAY_USER, secret), _plain(RELAY_USER, PASSWORD)]
    needles = [secret, "Hunter2", encoded, PASSWORD, *(blob.split()[-1] for blob in blobs)]
    for needle in needles:
        assert needle not in text
        assert needle.upper() not in text
        assert needle.lower() not in text


def test_port_taken_says_the_mail_client_may_be_talking_to_another_program():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        relay = Relay(accept_all, password=lambda: PASSWORD, port=port)
        with pytest.raises(RelayError) as error:
            relay.start()
        relay.stop()
    assert error.value.port_taken
    assert error.value.port == port
    message = str(error.value)
    assert f"127.0.0.1:{port}" in message
    assert "another program" in message
    assert "relay password" in message
    assert "--relay-port" in message
