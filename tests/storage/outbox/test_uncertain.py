"""UNCERTAIN: mail that may have reached the server is never claimed again; only the user (or a
look upstream) moves it on. Retention of sent mail."""

from __future__ import annotations

import pytest

from missend_guard.core.message.envelope import Envelope
from missend_guard.core.ports.audit import AuditEvent
from missend_guard.core.ports.outbox import OutboxState
from missend_guard.storage.audit import SqliteAuditLog
from missend_guard.storage.outbox.schema import MIGRATIONS
from missend_guard.storage.outbox.store import (
    MARKED_SENT,
    STOPPED_BEFORE_SENDING,
    STOPPED_WHILE_SENDING,
    OutboxError,
    SqliteOutbox,
)
from missend_guard.storage.sqlite import Database

UN, RT, OK = OutboxState.UNCERTAIN, OutboxState.RETRY, OutboxState.SENT
ENV = Envelope("ken.yamamoto@example.co.jp", ("hanako.sato@abc-trading.co.jp",))


def eml(n: int) -> bytes:
    return f"Subject: =?utf-8?b?6KaL56mN?= {n}\r\nMessage-ID: <{n}@x>\r\n\r\nbody {n}\r\n".encode()


def store(outbox, n=0, hold=10.0):
    return outbox.store(eml(n), ENV, subject=f"お見積りの件 {n}", message_id=f"<{n}@x>",
                        account="会社", hold_seconds=hold,
                        decision=lambda item: AuditEvent(kind="decision", decision="send"))


@pytest.fixture
def outbox(paths, clock):
    box = SqliteOutbox(paths, clock=clock)
    yield box
    box.close()


@pytest.fixture
def shared(paths, clock):
    db = Database(paths.database)
    audit = SqliteAuditLog(paths, subject_mode="plain", clock=clock, database=db)
    box = SqliteOutbox(paths, clock=clock, database=db, audit=audit.insert)
    yield box, audit
    db.close()


def delivering(box, n=0):
    """An item whose try passed its point of no return (the final dot is on its way)."""
    item = store(box, n, hold=0)
    box.claim_due()
    box.begin_attempt(item.id)
    box.mark_delivering(item.id)
    return item


def uncertain(box, n=0):
    item = delivering(box, n)
    return box.mark_uncertain(item.id, "no reply after the final dot", None)


def test_recovery_makes_a_try_past_the_point_of_no_return_uncertain_and_never_claims_it(
        paths, clock):
    box = SqliteOutbox(paths, clock=clock)
    past = delivering(box, 1)
    before = store(box, 2, hold=0)
    box.claim_due()
    box.begin_attempt(before.id)  # still connecting when the app died
    tried_at = clock.now
    box.close()

    clock.now += 60
    box = SqliteOutbox(paths, clock=clock)
    recovery = box.recover()
    assert (recovery.resumed, recovery.uncertain) == ((before.id,), (past.id,))
    doubtful = box.get(past.id)
    assert doubtful.state is UN
    assert doubtful.last_error == STOPPED_WHILE_SENDING
    assert (doubtful.attempts, doubtful.tried_at) == (1, tried_at)
    assert doubtful.next_retry == clock.now  # looked for upstream at once (where possible)
    resumed = box.get(before.id)
    assert (resumed.state, resumed.attempts, resumed.last_error) == (RT, 0, STOPPED_BEFORE_SENDING)
    assert [i.id for i in box.claim_due(now=clock.now + 1e9)] == [before.id]
    assert box.get(past.id).state is UN  # not claimed, however late
    assert box.recover().uncertain == ()  # and a second start leaves it alone
    box.close()


def test_an_uncertain_item_is_due_only_for_a_look_upstream(outbox, clock):
    item = delivering(outbox)
    outbox.mark_uncertain(item.id, "lost reply", clock.now + 30)
    assert outbox.next_due() == clock.now + 30
    assert outbox.claim_due(now=clock.now + 100) == []
    outbox.mark_uncertain(item.id, "lost reply", None)  # only the user decides now
    assert outbox.next_due() is None


def test_resend_makes_it_due_now_and_the_next_try_counts(shared, clock):
    box, audit = shared
    item = uncertain(box)
    clock.now += 10
    again = box.resend(item.id)
    assert (again.state, again.next_retry, again.attempts) == (RT, clock.now, 1)
    assert again.tried_at is None
    [claimed] = box.claim_due()
    assert box.begin_attempt(claimed.id).attempts == 2
    decision = audit.query()[-1]
    assert (decision.kind, decision.decision, decision.decided_by) == ("delivery", "resend", "user")
    assert decision.subject == "お見積りの件 0"


def test_mark_sent_by_user_records_who_decided(shared, clock):
    box, audit = shared
    item = uncertain(box)
    sent = box.mark_sent_by_user(item.id)
    assert (sent.state, sent.next_retry, sent.tried_at) == (OK, None, None)
    decision = audit.query()[-1]
    assert (decision.decision, decision.decided_by, decision.detail) == ("sent", "user",
                                                                       MARKED_SENT)
    with pytest.raises(OutboxError, match="already been sent"):
        box.resend(item.id)


def test_a_look_upstream_that_finds_it_records_it_as_sent(outbox):
    item = uncertain(outbox)
    assert outbox.mark_sent(item.id, "found in Sent Items").state is OK


@pytest.mark.parametrize("action", ["retry", "undo", "release", "begin_attempt", "mark_failed"])
def test_nothing_but_the_user_or_a_look_moves_uncertain_mail(outbox, action):
    item = uncertain(outbox)
    args = ("550",) if action == "mark_failed" else ()
    with pytest.raises(OutboxError, match="may already have reached the server"):
        getattr(outbox, action)(item.id, *args)
    assert outbox.get(item.id).state is UN


@pytest.mark.parametrize("setup", ["held", "sent", "retry"])
@pytest.mark.parametrize("action", ["resend", "mark_sent_by_user"])
def test_the_user_actions_are_only_for_uncertain_mail(outbox, setup, action):
    item = store(outbox, hold=0 if setup != "held" else 10)
    if setup != "held":
        outbox.claim_due()
        if setup == "sent":
            outbox.mark_sent(item.id, "250")
        else:
            outbox.mark_retry(item.id, "451", 1e12)
    with pytest.raises(OutboxError):
        getattr(outbox, action)(item.id)
    assert outbox.get(item.id).state.value == setup


def test_the_point_of_no_return_is_a_durable_commit(paths, clock):
    db = Database(paths.database)
    box = SqliteOutbox(paths, clock=clock, database=db)
    item = store(box, hold=0)
    box.claim_due()
    box.begin_attempt(item.id)
    modes = []
    real = db.transaction

    def spying(*, durable=True):
        modes.append(durable)
        return real(durable=durable)

    db.transaction = spying
    box.mark_delivering(item.id)
    box.mark_uncertain(item.id, "lost", None)
    assert modes == [True, True]
    db.close()


def test_a_version_2_database_gains_the_phase_column(paths, clock):
    db = Database(paths.database)
    db.migrate("outbox", MIGRATIONS[:2])
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO outbox (id, state, mail_from, rcpt_tos, subject, message_id, account,"
            " created_at, hold_until, attempts, path, size, updated_at, trying_since) VALUES"
            " ('old', 'sending', 'a@x.jp', '[\"b@y.jp\"]', 's', '', '', 1, 1, 1,"
            " 'outbox/old.eml', 1, 1, 5)")
    db.close()
    (paths.outbox_dir / "old.eml").write_bytes(b"x")
    box = SqliteOutbox(paths, clock=clock)
    assert box.recover().resumed == ("old",)  # an old try had no point of no return recorded
    box.close()


# -- retention -----------------------------------------------------------------------------------


def test_purge_deletes_old_sent_mail_and_its_file_but_not_the_audit(shared, paths, clock):
    box, audit = shared
    day = 86400.0
    old, recent, failed, doubtful = (store(box, n, hold=0) for n in range(4))
    box.claim_due()
    for item in (old, recent, failed, doubtful):
        box.begin_attempt(item.id)
    box.mark_sent(old.id, "250")
    box.mark_failed(failed.id, "550")
    box.mark_delivering(doubtful.id)
    box.mark_uncertain(doubtful.id, "lost", None)
    clock.now += 20 * day
    box.mark_sent(recent.id, "250")
    audit_rows = len(audit.query())
    old_file = box.message_file(old.id)

    assert box.purge_sent(before=clock.now - 10 * day) == 1
    assert box.get(old.id) is None
    assert not old_file.exists()
    assert {i.id for i in box.items()} == {recent.id, failed.id, doubtful.id}
    assert box.read(recent.id) == eml(1)
    assert len(audit.query()) == audit_rows
    assert box.purge_sent(before=clock.now - 10 * day) == 0
    box.close()
    reopened = SqliteOutbox(paths, clock=clock)
    assert reopened.recover().orphans == ()  # no file left behind for the start-up sweep
    reopened.close()
