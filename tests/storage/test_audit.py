from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from missend_guard.core.ports.audit import AuditEvent
from missend_guard.storage.audit import SqliteAuditLog, subject_fingerprint

EVENT = AuditEvent(
    kind="decision", message_id="<1@example.co.jp>", subject="【社外秘】御見積書の件",
    recipients=("hanako.sato@abc-trading.co.jp", "山田@例え.jp"),
    codes=("external-recipient", "confidential-keyword"), decision="send", decided_by="user",
    detail="sent-as-is: 見積書.xlsx",
)


@pytest.fixture
def log(paths, clock):
    audit = SqliteAuditLog(paths, subject_mode="plain", clock=clock)
    yield audit
    audit.close()


def test_csv_has_bom_and_japanese_survives(log, tmp_path):
    log.record(EVENT)
    text = SqliteAuditLog.to_csv(log.query())
    out = tmp_path / "audit.csv"
    out.write_text(text, encoding="utf-8", newline="")
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert not data.startswith(b"\xef\xbb\xbf\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0]["subject"] == "【社外秘】御見積書の件"
    assert rows[0]["recipients"] == "hanako.sato@abc-trading.co.jp; 山田@例え.jp"
    assert rows[0]["codes"] == "external-recipient; confidential-keyword"
    assert rows[0]["time"] == "2023-11-14T22:13:20.000Z"
    assert b"\r\n" in data  # Excel's line ends


def test_hash_mode_never_stores_the_subject(paths, clock):
    audit = SqliteAuditLog(paths, clock=clock)
    audit.record(EVENT)
    (row,) = audit.query()
    assert row.subject == subject_fingerprint("【社外秘】御見積書の件")
    assert row.subject.startswith("sha256:")
    assert len(row.subject) == len("sha256:") + 16
    assert "社外秘".encode() not in paths.database.read_bytes()
    audit.close()


def test_bad_subject_mode_refused(paths):
    with pytest.raises(ValueError, match="hash"):
        SqliteAuditLog(paths, subject_mode="clear")


def test_query_since_and_limit(log, clock):
    start = datetime.fromtimestamp(clock.now, UTC)
    for n in range(5):
        log.record(AuditEvent(kind="delivery", message_id=f"<{n}>", detail="250 OK"))
        clock.now += 60
    assert [r.message_id for r in log.query()] == [f"<{n}>" for n in range(5)]
    assert [r.message_id for r in log.query(since=start + timedelta(minutes=3))] == ["<3>", "<4>"]
    assert [r.message_id for r in log.query(limit=2)] == ["<3>", "<4>"]
    assert log.query(since=start + timedelta(days=1)) == []
    assert log.query()[0].time == start
    # naive datetimes are local time: the same instant expressed without tzinfo
    local_naive = (start + timedelta(minutes=3)).astimezone().replace(tzinfo=None)
    assert len(log.query(since=local_naive)) == 2


def test_json_export(log):
    log.record(EVENT)
    (item,) = SqliteAuditLog.to_json(log.query())
    assert item == {
        "time": "2023-11-14T22:13:20.000Z", "kind": "decision", "message_id": "<1@example.co.jp>",
        "subject": "【社外秘】御見積書の件",
        "recipients": ["hanako.sato@abc-trading.co.jp", "山田@例え.jp"],
        "codes": ["external-recipient", "confidential-keyword"], "decision": "send",
        "decided_by": "user", "detail": "sent-as-is: 見積書.xlsx",
    }


def test_csv_formula_injection_neutralised(log):
    log.record(AuditEvent(kind="delivery", subject="=HYPERLINK(\"http://evil\")", detail="-1"))
    text = SqliteAuditLog.to_csv(log.query())
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert row["subject"] == "'=HYPERLINK(\"http://evil\")"
    assert row["detail"] == "'-1"


def test_rows_survive_reopen(paths, clock):
    SqliteAuditLog(paths, clock=clock).record(EVENT)
    assert len(SqliteAuditLog(paths, clock=clock).query()) == 1


def test_delivery_rows_skip_the_fsync_decisions_do_not(paths, clock):
    from missend_guard.storage.sqlite import Database

    db = Database(paths.database)
    audit = SqliteAuditLog(paths, clock=clock, database=db)
    modes = []
    real = db.transaction

    def spying(*, durable=True):
        modes.append(durable)
        return real(durable=durable)

    db.transaction = spying
    audit.record(EVENT)
    audit.record(AuditEvent(kind="delivery", message_id="<1@example.co.jp>", decision="sent",
                            decided_by="会社", detail="250 2.0.0 Ok"))
    assert modes == [True, False]
    assert [r.kind for r in audit.query()] == ["decision", "delivery"]
    db.close()
