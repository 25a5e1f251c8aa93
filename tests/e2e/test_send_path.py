"""End to end in one process: mail client → relay → gate → outbox → delivery → real upstream."""

from __future__ import annotations

import shutil
import smtplib
import subprocess
from concurrent.futures import ThreadPoolExecutor
from email.utils import make_msgid

import pytest

from missend_guard.core.gate import NO_ACCOUNT_REPLY, ApproveAllReviewer, HeadlessReviewer
from missend_guard.core.ports.outbox import OutboxState
from missend_guard.storage.settings.store import Account
from missend_guard.transports.relay import RELAY_USER
from tests.conftest import find_free_port
from tests.helpers.mails import jis_mail
from tests.helpers.rig import AppRig
from tests.helpers.sink import Sink

pytestmark = pytest.mark.slow

COLLEAGUE = "ichiro.suzuki@example.co.jp"
HIDDEN = "bucho@example.co.jp"
CLEAN = jis_mail(to=[("鈴木 一郎", COLLEAGUE)], sender=("山本 健", "ken@example.co.jp"))


def test_clean_mail_arrives_byte_identical_with_bcc_honoured(tmp_path, memory_keyring, smtp_sink):
    with AppRig(tmp_path, HeadlessReviewer(), upstream_port=smtp_sink.port) as app:
        app.submit(CLEAN, [COLLEAGUE, HIDDEN])
        [got] = smtp_sink.handler.wait_for(1)
        assert app.wait_until(lambda: bool(app.items(OutboxState.SENT)))
        # the delivery thread records history right after marking the item sent
        assert app.wait_until(lambda: app.services.store.history.count(HIDDEN) == 1)
        rows = app.services.store.audit.query()
    assert got.data == CLEAN
    assert got.rcpt_tos == (COLLEAGUE, HIDDEN)
    assert HIDDEN.encode() not in got.data  # the Bcc stays hidden in the delivered bytes
    assert [e.kind for e in app.events] == ["sent"]
    assert [(r.kind, r.decision) for r in rows] == [("decision", "send"), ("delivery", "sent")]
    assert rows[0].subject.startswith("sha256:")  # audit_subject "hash" by default


@pytest.mark.skipif(shutil.which("swaks") is None, reason="swaks not installed (apt-get install swaks)")
def test_swaks_submission_is_delivered_to_every_envelope_recipient(tmp_path, memory_keyring,
                                                                    smtp_sink):
    eml = tmp_path / "mail.eml"
    eml.write_bytes(CLEAN.removesuffix(b"\r\n"))  # swaks ends the data with its own CRLF
    with AppRig(tmp_path, HeadlessReviewer(), upstream_port=smtp_sink.port) as app:
        done = subprocess.run(
            ["swaks", "--server", "127.0.0.1", "--port", str(app.port), "--auth", "PLAIN",
             "--auth-user", RELAY_USER, "--auth-password", app.password,
             "--from", "ken@example.co.jp", "--to", f"{COLLEAGUE},{HIDDEN}", "--data", str(eml)],
            capture_output=True, text=True, timeout=60, check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        [got] = smtp_sink.handler.wait_for(1)
    assert got.data == CLEAN
    assert got.rcpt_tos == (COLLEAGUE, HIDDEN)


def test_blocked_mail_is_refused_550_and_nothing_goes_upstream(tmp_path, memory_keyring, smtp_sink):
    raw = jis_mail(to=[("", "ceo@rival.example")])
    with AppRig(tmp_path, HeadlessReviewer(), upstream_port=smtp_sink.port,
                blocked_domains=["rival.example"]) as app:
        with pytest.raises(smtplib.SMTPDataError) as refused:
            app.submit(raw, ["ceo@rival.example"])
        app.submit(CLEAN, [COLLEAGUE])  # the next, clean one still goes
        smtp_sink.handler.wait_for(1)
        assert app.wait_until(lambda: bool(app.items(OutboxState.SENT)))
        assert len(app.items()) == 1
    assert refused.value.smtp_code == 550
    assert b"blocked-recipient" in refused.value.smtp_error
    assert [m.data for m in smtp_sink.messages] == [CLEAN]


def test_first_delivery_teaches_the_history_used_by_later_checks(tmp_path, memory_keyring,
                                                                  smtp_sink):
    partner = "hanako@abc-trading.co.jp"
    raw = jis_mail(to=[("佐藤 花子", partner)])
    with AppRig(tmp_path, ApproveAllReviewer(), upstream_port=smtp_sink.port) as app:
        app.submit(raw, [partner])
        assert app.wait_until(lambda: bool(app.items(OutboxState.SENT)))
        assert app.wait_until(lambda: partner in app.services.context().history.addresses)
    with AppRig(tmp_path, HeadlessReviewer(), upstream_port=smtp_sink.port) as known:
        known.submit(raw, [partner])  # strict policy, but the partner is no longer first-time
    fresh = AppRig(tmp_path / "fresh", HeadlessReviewer(), upstream_port=smtp_sink.port)
    with fresh, pytest.raises(smtplib.SMTPDataError) as first_time:
        fresh.submit(raw, [partner])
    assert b"first-time-recipient" in first_time.value.smtp_error


def test_upstream_down_retries_then_delivers_once_it_comes_up(tmp_path, memory_keyring):
    port = find_free_port()
    with AppRig(tmp_path, HeadlessReviewer(), upstream_port=port, retry_backoff_base_seconds=1,
                retry_backoff_cap_seconds=1) as app:
        app.submit(CLEAN, [COLLEAGUE])
        assert app.wait_until(lambda: any(i.attempts >= 2 for i in app.items(OutboxState.RETRY)))
        [waiting] = app.items(OutboxState.RETRY)
        assert "Connection refused" in waiting.last_error
        sink = Sink(port).start()
        try:
            assert [m.data for m in sink.handler.wait_for(1)] == [CLEAN]
            assert app.wait_until(lambda: bool(app.items(OutboxState.SENT)))
            assert len(sink.messages) == 1
        finally:
            sink.stop()
    assert [e.kind for e in app.events][-1] == "sent"
    assert "retry" in [e.kind for e in app.events]


def test_upstream_5xx_fails_with_the_reason_and_keeps_the_mail(tmp_path, memory_keyring, smtp_sink):
    smtp_sink.handler.reply = "554 5.7.1 <ichiro.suzuki@example.co.jp>: Relay access denied"
    with AppRig(tmp_path, HeadlessReviewer(), upstream_port=smtp_sink.port) as app:
        app.submit(CLEAN, [COLLEAGUE])
        assert app.wait_until(lambda: bool(app.items(OutboxState.FAILED)))
        [failed] = app.items(OutboxState.FAILED)
        assert "554 5.7.1 <ichiro.suzuki@example.co.jp>: Relay access denied" in failed.last_error
        assert app.services.store.outbox.read(failed.id) == CLEAN
        # the delivery thread writes the audit row right after marking the item failed
        assert app.wait_until(lambda: ("delivery", "failed") in
                              [(r.kind, r.decision) for r in app.services.store.audit.query()])


def test_no_account_answers_451_and_the_client_keeps_the_mail_until_set_up(
        tmp_path, memory_keyring, smtp_sink):
    with AppRig(tmp_path, HeadlessReviewer(), upstream_port=None) as app:
        with pytest.raises(smtplib.SMTPDataError) as deferred:
            app.submit(CLEAN, [COLLEAGUE])
        assert app.items() == []  # nothing parked that cannot be sent
        # The set-up is finished (wizard or `account add`): the client's retry goes through.
        app.store.save(app.store.load().with_accounts((
            Account("up", host="127.0.0.1", port=smtp_sink.port, security="none", default=True),
        )))
        app.submit(CLEAN, [COLLEAGUE])
        [got] = smtp_sink.handler.wait_for(1)
    assert deferred.value.smtp_code == 451
    assert deferred.value.smtp_error.decode() == f"4.3.0 {NO_ACCOUNT_REPLY}"
    assert got.data == CLEAN


def test_unwritable_outbox_answers_451_and_sends_nothing(tmp_path, memory_keyring, smtp_sink):
    with AppRig(tmp_path, HeadlessReviewer(), upstream_port=smtp_sink.port) as app:
        outbox_dir = app.paths.outbox_dir
        shutil.rmtree(outbox_dir)
        outbox_dir.write_bytes(b"")  # a file where the folder should be: every write fails
        with pytest.raises(smtplib.SMTPDataError) as deferred:
            app.submit(CLEAN, [COLLEAGUE])
        assert app.items() == []
    assert deferred.value.smtp_code == 451
    assert deferred.value.smtp_error.startswith(b"4.3.0 ")
    assert smtp_sink.messages == []


def test_relay_auth_through_the_app(tmp_path, memory_keyring, smtp_sink):
    with AppRig(tmp_path, HeadlessReviewer(), upstream_port=smtp_sink.port) as app:
        with smtplib.SMTP("127.0.0.1", app.port) as smtp:
            smtp.ehlo()
            assert smtp.mail("ken@example.co.jp")[0] == 530
        with smtplib.SMTP("127.0.0.1", app.port) as smtp, pytest.raises(
            smtplib.SMTPAuthenticationError
        ) as wrong:
            smtp.login(RELAY_USER, app.password + "x")
    assert wrong.value.smtp_code == 535


def test_hundred_concurrent_senders_all_delivered_none_duplicated(tmp_path, memory_keyring,
                                                                  smtp_sink):
    ids = [make_msgid(domain="example.co.jp") for _ in range(100)]
    # 20 clients at once is more than the default cap of 16 (one person's mail programs).
    with AppRig(tmp_path, ApproveAllReviewer(), upstream_port=smtp_sink.port,
                relay_max_connections=32) as app:
        def send(message_id: str) -> None:
            app.submit(jis_mail(to=[("", COLLEAGUE)], message_id=message_id), [COLLEAGUE])

        with ThreadPoolExecutor(max_workers=20) as pool:
            list(pool.map(send, ids))
        smtp_sink.handler.wait_for(100, timeout=120)
        assert app.wait_until(lambda: len(app.items(OutboxState.SENT)) == 100, timeout=120)
    delivered = [m.data.split(b"Message-ID: ")[1].split(b"\r\n")[0].decode() for m in smtp_sink.messages]
    assert sorted(delivered) == sorted(ids)


def test_context_after_a_delivery_is_published_warm(tmp_path, memory_keyring, smtp_sink):
    """A new sent history needs new indexes: the builder prepares them before the gate sees it."""
    partner = "hanako@abc-trading.co.jp"
    with AppRig(tmp_path, ApproveAllReviewer(), upstream_port=smtp_sink.port) as app:
        first = app.services.context()
        app.submit(jis_mail(to=[("佐藤 花子", partner)]), [partner])
        assert app.wait_until(lambda: partner in app.services.context().history.addresses)
        current = app.services.context()
        assert current is not first
        built = current.__dict__.get("_derived", {})
        assert {"lookalike-index", "attachment-names"} <= built.keys()
