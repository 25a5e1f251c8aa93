"""The relay on a real loopback port: AUTH, replies from the gate, size, long reviews, disconnects."""

from __future__ import annotations

import shutil
import smtplib
import socket
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import Future

import pytest

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.policy import Policy
from missend_guard.core.gate import Gate, GateSettings, HeadlessReviewer
from missend_guard.core.ports.review import Decision, ReviewRequest, Verdict
from missend_guard.transports.relay import RELAY_USER, Relay, RelayError
from tests.conftest import find_free_port
from tests.helpers.fake_ports import MemoryAudit, MemoryOutbox
from tests.helpers.mails import jis_mail, utf8_mail

PASSWORD = "relay-Secret-123"
POLICY = Policy(
    internal_domains=frozenset({"example.co.jp"}), blocked_domains=frozenset({"rival.example"})
)
CLEAN = jis_mail(to=[("鈴木 一郎", "ichiro@example.co.jp")])


class SlowReviewer:
    """A dialog the user answers only when the test says so."""

    def __init__(self) -> None:
        self.futures: list[Future[Decision]] = []
        self.asked = threading.Event()

    def review(self, request: ReviewRequest) -> Future[Decision]:
        future: Future[Decision] = Future()
        self.futures.append(future)
        self.asked.set()
        return future


class RelayRig:
    def __init__(self, reviewer: object, *, size: int = 50 * 1024 * 1024, idle: float = 300) -> None:
        self.outbox = MemoryOutbox()
        self.audit = MemoryAudit()
        context = CheckContext(policy=POLICY)
        self.gate = Gate(lambda: context, reviewer, self.outbox, self.audit,  # type: ignore[arg-type]
                         lambda: GateSettings(hold_seconds=5))
        self.relay = Relay(self.gate.process, password=lambda: PASSWORD, port=find_free_port(),
                           data_size_limit=size, idle_timeout=idle)

    def client(self, *, login: bool = True) -> smtplib.SMTP:
        smtp = smtplib.SMTP("127.0.0.1", self.relay.port, timeout=30)
        smtp.ehlo()
        if login:
            smtp.login(RELAY_USER, PASSWORD)
        return smtp


@pytest.fixture
def rig() -> Iterator[RelayRig]:
    rig = RelayRig(HeadlessReviewer())
    rig.relay.start()
    try:
        yield rig
    finally:
        rig.relay.stop()


def test_a_multi_line_reply_leaves_in_one_write(rig, monkeypatch):
    """EHLO's six lines in one write: each write is a wake-up of the client (0.2-0.3 ms)."""
    from aiosmtpd.smtp import SMTP

    writes: list[bytes] = []
    original = SMTP.push

    async def counting(self, status):
        writes.append(status if isinstance(status, bytes) else status.encode())
        await original(self, status)

    monkeypatch.setattr(SMTP, "push", counting)
    with rig.client(login=False) as smtp:
        writes.clear()
        assert smtp.ehlo("client.example")[0] == 250
        assert smtp.esmtp_features["size"]
        assert "auth" in smtp.esmtp_features
        assert len(writes) == 1
        lines = writes[0].split(b"\r\n")
        assert [line[:4] for line in lines] == [b"250-"] * (len(lines) - 1) + [b"250 "]
        assert len(lines) >= 6
        assert smtp.noop()[0] == 250  # nothing left over for the next reply
        assert len(writes) == 2


def test_a_login_costs_no_deprecation_warning(rig, monkeypatch):
    """aiosmtpd's own AUTH sets the deprecated Session.login_data: a log record per login."""
    import aiosmtpd.smtp

    warned: list[str] = []
    monkeypatch.setattr(aiosmtpd.smtp.log, "warning", lambda msg, *args, **kw: warned.append(msg))
    with rig.client() as smtp:  # logs in
        assert smtp.noop()[0] == 250
    assert not [w for w in warned if "login_data" in w]


def test_ehlo_announces_size_8bitmime_smtputf8_and_auth(rig):
    with rig.client(login=False) as smtp:
        assert smtp.esmtp_features["size"] == str(50 * 1024 * 1024)
        assert "8bitmime" in smtp.esmtp_features
        assert "smtputf8" in smtp.esmtp_features
        assert set(smtp.esmtp_features["auth"].split()) >= {"PLAIN", "LOGIN"}


def test_mail_without_auth_is_530(rig):
    with rig.client(login=False) as smtp:
        code, text = smtp.mail("ken@example.co.jp")
    assert code == 530
    assert b"Authentication required" in text
    assert rig.outbox.items() == []


def test_wrong_password_is_535(rig):
    with rig.client(login=False) as smtp, pytest.raises(smtplib.SMTPAuthenticationError) as exc:
        smtp.login(RELAY_USER, "guess")
    assert exc.value.smtp_code == 535


def test_wrong_user_is_535(rig):
    with rig.client(login=False) as smtp, pytest.raises(smtplib.SMTPAuthenticationError) as exc:
        smtp.login("admin", PASSWORD)
    assert exc.value.smtp_code == 535


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_clean_mail_is_stored_exactly_and_answered_250(rig, mechanism):
    with rig.client(login=False) as smtp:
        smtp.user, smtp.password = RELAY_USER, PASSWORD
        smtp.auth(mechanism, getattr(smtp, f"auth_{mechanism.lower()}"))
        refused = smtp.sendmail("ken@example.co.jp", ["ichiro@example.co.jp", "bcc@example.co.jp"],
                                CLEAN)
    assert refused == {}
    [item] = rig.outbox.items()
    assert rig.outbox.read(item.id) == CLEAN
    assert item.rcpt_tos == ("ichiro@example.co.jp", "bcc@example.co.jp")
    assert item.mail_from == "ken@example.co.jp"


def test_data_reply_carries_the_queue_id_and_hold(rig):
    with rig.client() as smtp:
        smtp.mail("ken@example.co.jp")
        smtp.rcpt("ichiro@example.co.jp")
        code, text = smtp.data(CLEAN)
    [item] = rig.outbox.items()
    assert (code, text.decode()) == (250, f"2.0.0 Queued as {item.id}, held for 5 s")


def test_blocked_recipient_is_550_with_codes_and_nothing_stored(rig):
    raw = jis_mail(to=[("", "ceo@rival.example")])
    with rig.client() as smtp, pytest.raises(smtplib.SMTPDataError) as exc:
        smtp.sendmail("ken@example.co.jp", ["ceo@rival.example"], raw)
    assert exc.value.smtp_code == 550
    assert exc.value.smtp_error.startswith(b"5.7.1 Missend Guard: ")
    assert b"blocked-recipient" in exc.value.smtp_error
    assert rig.outbox.items() == []


def test_storage_failure_is_451_and_the_session_goes_on(rig):
    rig.outbox.fail_store = "[Errno 28] No space left on device: '/data/outbox'"
    with rig.client() as smtp:
        with pytest.raises(smtplib.SMTPDataError) as exc:
            smtp.sendmail("ken@example.co.jp", ["ichiro@example.co.jp"], CLEAN)
        assert exc.value.smtp_code == 451
        assert b"No space left on device" in exc.value.smtp_error
        rig.outbox.fail_store = None
        smtp.sendmail("ken@example.co.jp", ["ichiro@example.co.jp"], CLEAN)  # same session
    assert len(rig.outbox.items()) == 1


def test_smtputf8_message_is_accepted_byte_exact(rig):
    raw = utf8_mail(to=["ichiro@example.co.jp"])
    with rig.client() as smtp:
        smtp.sendmail("ken@example.co.jp", ["ichiro@example.co.jp"], raw,
                      mail_options=["SMTPUTF8", "BODY=8BITMIME"])
    [item] = rig.outbox.items()
    assert rig.outbox.read(item.id) == raw


def test_message_over_the_size_limit_is_refused_552():
    rig = RelayRig(HeadlessReviewer(), size=20_000)
    rig.relay.start()
    try:
        with rig.client() as smtp, pytest.raises(smtplib.SMTPException) as exc:
            smtp.sendmail("ken@example.co.jp", ["ichiro@example.co.jp"],
                          jis_mail(to=[("", "ichiro@example.co.jp")], padding=40_000))
        assert "552" in str(exc.value)
        assert rig.outbox.items() == []
    finally:
        rig.relay.stop()


def test_review_longer_than_the_idle_timeout_keeps_the_session():
    reviewer = SlowReviewer()
    rig = RelayRig(reviewer, idle=1.0)
    rig.relay.start()
    result: list[object] = []
    try:
        def submit() -> None:
            with rig.client() as smtp:
                result.append(smtp.sendmail("ken@example.co.jp", ["x@abc-trading.co.jp"], CLEAN))

        client = threading.Thread(target=submit)
        client.start()
        assert reviewer.asked.wait(10)
        threading.Event().wait(2.5)  # the user reads the dialog for longer than the idle timeout
        reviewer.futures[0].set_result(Decision(Verdict.SEND, "user"))
        client.join(30)
        assert result == [{}]
        assert len(rig.outbox.items()) == 1
    finally:
        rig.relay.stop()


def test_client_disconnect_during_review_withdraws_it():
    reviewer = SlowReviewer()
    rig = RelayRig(reviewer)
    rig.relay.start()
    try:
        smtp = rig.client()
        smtp.mail("ken@example.co.jp")
        smtp.rcpt("x@abc-trading.co.jp")
        smtp.putcmd("data")
        assert smtp.getreply()[0] == 354
        smtp.send(CLEAN + b".\r\n")
        assert reviewer.asked.wait(10)
        smtp.sock.shutdown(socket.SHUT_RDWR)  # the mail client gives up (crash, timeout, quit)
        smtp.close()
        cancelled = threading.Event()
        reviewer.futures[0].add_done_callback(lambda f: cancelled.set())
        assert cancelled.wait(10)
        assert reviewer.futures[0].cancelled()
        assert rig.outbox.items() == []
    finally:
        rig.relay.stop()


def test_relay_refuses_a_non_loopback_address():
    with pytest.raises(RelayError):
        Relay(lambda *a: None, password=lambda: "x", host="0.0.0.0")  # type: ignore[arg-type,return-value]


def test_port_in_use_is_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        relay = Relay(lambda *a: None, password=lambda: "x",  # type: ignore[arg-type,return-value]
                      port=taken.getsockname()[1])
        with pytest.raises(RelayError, match="--relay-port"):
            relay.start()
        relay.stop()


@pytest.mark.skipif(shutil.which("swaks") is None, reason="swaks not installed (apt-get install swaks)")
def test_swaks_a_non_python_client_submits_with_auth(rig, tmp_path):
    eml = tmp_path / "mail.eml"
    eml.write_bytes(CLEAN.removesuffix(b"\r\n"))  # swaks ends the data with its own CRLF
    done = subprocess.run(
        ["swaks", "--server", "127.0.0.1", "--port", str(rig.relay.port), "--auth", "LOGIN",
         "--auth-user", RELAY_USER, "--auth-password", PASSWORD, "--from", "ken@example.co.jp",
         "--to", "ichiro@example.co.jp,bcc@example.co.jp", "--data", str(eml)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "<-  250 2.0.0 Queued as" in done.stdout
    [item] = rig.outbox.items()
    assert item.rcpt_tos == ("ichiro@example.co.jp", "bcc@example.co.jp")
    assert rig.outbox.read(item.id) == CLEAN


def test_each_connection_gets_a_fresh_session_the_next_one_built_while_idle(rig):
    controller = rig.relay._controller
    with rig.client() as smtp:
        assert smtp.sendmail("ken@example.co.jp", ["ichiro@example.co.jp"], CLEAN) == {}
        first = controller.smtpd
    deadline = threading.Event()
    for _ in range(200):  # the spare is built on the loop once the first connection closed
        if controller._spare is not None:
            break
        deadline.wait(0.01)
    spare = controller._spare
    assert spare is not None
    assert spare is not first
    with rig.client() as smtp:  # served by the spare, which was never connected before
        assert controller.smtpd is spare
        assert smtp.sendmail("ken@example.co.jp", ["ichiro@example.co.jp"], CLEAN) == {}
    assert [rig.outbox.read(item.id) for item in rig.outbox.items()] == [CLEAN, CLEAN]


def test_a_burst_of_connections_never_shares_a_session(rig):
    clients = [rig.client() for _ in range(6)]
    try:
        for smtp in clients:
            assert smtp.noop()[0] == 250
        sessions = set(rig.relay._guard.admission._open)
        assert len(sessions) == len(clients)
    finally:
        for smtp in clients:
            smtp.quit()
