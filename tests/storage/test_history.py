from __future__ import annotations

import pytest

from missend_guard.core.check.context import CheckContext
from missend_guard.core.ports.outbox import StorageError
from missend_guard.storage.history import SentHistory


def test_counts_and_last_sent(paths):
    history = SentHistory(paths)
    history.record(["Hanako.Sato@ABC-Trading.co.jp", "ken@example.co.jp"], when=100.0)
    history.record(["hanako.sato@abc-trading.co.jp", "hanako.sato@abc-trading.co.jp"], when=200.0)
    assert history.count("HANAKO.SATO@abc-trading.co.jp") == 2  # once per message
    assert history.count("ken@example.co.jp") == 1
    assert history.count("nobody@example.com") == 0
    assert history.count("not an address") == 0
    assert history.last_sent("hanako.sato@abc-trading.co.jp") == 200.0
    history.record(["hanako.sato@abc-trading.co.jp"], when=150.0)  # out of order
    assert history.last_sent("hanako.sato@abc-trading.co.jp") == 200.0
    assert history.domain_count("abc-trading.co.jp") == 3
    history.record(["", "no-at-sign", "@nodomain"])
    assert history.snapshot().addresses == {"hanako.sato@abc-trading.co.jp", "ken@example.co.jp"}


def test_idn_domains_in_unicode(paths):
    history = SentHistory(paths)
    history.record(["taro@xn--wgv71a119e.jp", "hanako@日本語.jp"])
    snap = history.snapshot()
    assert snap.domains == {"日本語.jp"}
    assert history.domain_count("xn--wgv71a119e.jp") == 1  # one message, one domain
    history.record(["jiro@XN--WGV71A119E.JP"])
    assert history.domain_count("xn--wgv71a119e.jp") == 2
    assert history.domain_count("日本語.jp") == 2
    # the punycode address is known in both spellings
    context = CheckContext(history=snap)
    assert context.is_known_address("taro@xn--wgv71a119e.jp")
    assert context.is_known_address("taro@日本語.jp")
    assert context.is_known_address("hanako@日本語.jp")


def test_snapshot_with_100k_rows(paths):
    history = SentHistory(paths)
    addresses = [f"user{n}@d{n % 1000}.example.com" for n in range(100_000)]
    history.record(addresses, when=1.0)
    snap = history.snapshot()
    assert len(snap.addresses) == 100_000
    assert len(snap.domains) == 1000
    assert "user99999@d999.example.com" in snap.addresses
    assert "d0.example.com" in snap.domains
    assert history.domain_count("d7.example.com") == 1  # one message, counted once per domain


def test_history_survives_reopen_and_shares_database_with_outbox(paths):
    from missend_guard.storage.audit import SqliteAuditLog
    from missend_guard.storage.outbox import SqliteOutbox

    SentHistory(paths).record(["a@example.com"])
    SqliteOutbox(paths)
    SqliteAuditLog(paths)
    assert SentHistory(paths).count("a@example.com") == 1
    assert paths.database.exists()


def test_read_only_writes_nothing(tmp_path):
    from missend_guard.storage.paths import DataPaths

    root = tmp_path / "data"
    paths = DataPaths.resolve(root, policy_file=tmp_path / "p.json", create=False)
    assert not root.exists()  # `check` without --record creates no data dir

    root.mkdir()
    writer = SentHistory(DataPaths.resolve(root, policy_file=tmp_path / "p.json"))
    writer.record(["a@example.com"])
    writer.close()
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}

    reader = SentHistory(paths, read_only=True)
    assert reader.snapshot().addresses == {"a@example.com"}
    assert reader.count("a@example.com") == 1
    with pytest.raises(StorageError, match="read-only"):
        reader.record(["b@example.com"])
    reader.close()
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert after == before


def test_read_only_while_the_app_has_the_database_open(paths):
    app = SentHistory(paths)
    app.record(["a@example.com"])
    reader = SentHistory(paths, read_only=True)
    app.record(["b@example.com"])
    assert reader.snapshot().addresses == {"a@example.com", "b@example.com"}
    reader.close()
    app.close()


def test_read_only_on_a_database_without_history(paths):
    from missend_guard.storage.audit import SqliteAuditLog

    SqliteAuditLog(paths).close()
    reader = SentHistory(paths, read_only=True)
    assert reader.snapshot().addresses == frozenset()
    assert reader.count("a@example.com") == 0


def test_snapshot_cache_sees_own_and_other_connections_commits(paths):
    history = SentHistory(paths)
    history.record(["a@example.com"])
    first = history.snapshot()
    assert history.snapshot() is first  # unchanged database: the cached snapshot
    history.record(["b@example.com"])
    assert history.snapshot().addresses == {"a@example.com", "b@example.com"}
    other = SentHistory(paths)  # e.g. `check --record` in another process
    other.record(["c@example.com"])
    assert "c@example.com" in history.snapshot().addresses
    other.close()
    history.close()


def test_history_is_recorded_without_fsync_and_read_back(tmp_path):
    from missend_guard.storage.paths import DataPaths
    from missend_guard.storage.sqlite import Database

    paths = DataPaths.resolve(tmp_path / "data", policy_file=tmp_path / "p.json")
    paths.root.mkdir(parents=True, exist_ok=True)
    db = Database(paths.database)
    history = SentHistory(paths, database=db)
    modes = []
    real = db.transaction

    def spying(*, durable=True):
        modes.append(durable)
        return real(durable=durable)

    db.transaction = spying
    history.record(["Hanako.Sato@abc-trading.co.jp"])
    assert modes == [False]
    assert history.count("hanako.sato@abc-trading.co.jp") == 1
    db.close()
