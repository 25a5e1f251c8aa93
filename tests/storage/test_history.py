from __future__ import annotations

import time

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
    from missend_guard.storage.outbox.store import SqliteOutbox

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


# --- trust: suspects, days, vouches, forgetting --------------------------------------------------

DAY = 86_400.0
TYPO = "hanako.sato@abc-tradlng.co.jp"


def test_a_database_of_the_first_schema_is_migrated_and_keeps_what_it_knew(paths):
    from missend_guard.storage.history import MIGRATIONS
    from missend_guard.storage.sqlite import Database

    paths.root.mkdir(parents=True, exist_ok=True)
    old = Database(paths.database)
    old.migrate("history", MIGRATIONS[:1])  # as the previous release left it
    with old.transaction() as conn:
        conn.execute("INSERT INTO history_address VALUES (?, ?, 1, 1.0)", (TYPO, "abc-tradlng.co.jp"))
        conn.execute("INSERT INTO history_domain VALUES ('abc-tradlng.co.jp', 1, 1.0)")
    old.close()
    reader = SentHistory(paths, read_only=True)  # `check` before the app ran the migration
    assert reader.snapshot().addresses == {TYPO}
    assert reader.snapshot().suspects == {}
    reader.close()
    history = SentHistory(paths)
    snapshot = history.snapshot()
    assert snapshot.addresses == {TYPO}  # learnt before this release: stays known (forget it)
    assert snapshot.suspects == {}
    history.mark_suspect([TYPO])
    assert history.snapshot().suspects == {TYPO: 0}
    with history._db.reading() as conn:
        version = conn.execute("SELECT version FROM schema_versions WHERE module = 'history'").fetchone()
    assert version[0] == len(MIGRATIONS) == 2


def test_suspect_days_count_different_days_after_the_suspicion(paths):
    history = SentHistory(paths)
    start = time.mktime((2026, 11, 20, 9, 0, 0, 0, 0, -1))  # 09:00 local: hours later is the same day
    history.record([TYPO], when=start - 10 * DAY)  # before it was suspect: not counted
    history.mark_suspect([TYPO, "ABC-TRADLNG.CO.JP", "not an address@", ""])
    history.mark_suspect([TYPO])  # again: nothing changes
    assert history.snapshot().suspects == {TYPO: 0, "abc-tradlng.co.jp": 0}
    history.record([TYPO], when=start)
    history.record([TYPO.upper()], when=start + 8 * 3600)
    assert history.snapshot().suspects == {TYPO: 1, "abc-tradlng.co.jp": 1}
    history.record(["taro@abc-tradlng.co.jp"], when=start + DAY)  # another address, same domain
    assert history.snapshot().suspects == {TYPO: 1, "abc-tradlng.co.jp": 2}


def test_a_vouched_name_is_known_even_if_never_sent_to(paths):
    history = SentHistory(paths)
    history.mark_suspect([TYPO, "abc-tradlng.co.jp"])
    history.vouch(TYPO.upper())
    snapshot = history.snapshot()
    assert snapshot.suspects == {}
    assert TYPO in snapshot.addresses
    assert "abc-tradlng.co.jp" in snapshot.domains
    assert history.is_vouched(TYPO)
    assert not history.is_vouched("someone@else.example")
    [address, domain] = history.entries()
    assert (address.name, address.kind, address.count, address.vouched) == (TYPO, "address", 0, True)
    assert (domain.name, domain.kind, domain.suspect) == ("abc-tradlng.co.jp", "domain", True)


def test_an_idn_suspect_is_matched_in_both_spellings(paths):
    history = SentHistory(paths)
    history.mark_suspect(["taro@xn--wgv71a119e.jp"])
    history.record(["taro@xn--wgv71a119e.jp"], when=1_000 * DAY)
    suspects = history.snapshot().suspects
    assert suspects == {"taro@日本語.jp": 1, "taro@xn--wgv71a119e.jp": 1}
    assert not CheckContext(history=history.snapshot()).is_known_address("taro@xn--wgv71a119e.jp")
    assert not CheckContext(history=history.snapshot()).is_known_address("taro@日本語.jp")
    assert history.forget("taro@日本語.jp") == ["taro@日本語.jp", "日本語.jp"]
    assert history.snapshot().addresses == frozenset()


def test_forgetting_an_address_keeps_a_domain_other_addresses_still_use(paths):
    history = SentHistory(paths)
    history.record(["a@example.com", "b@example.com"])
    assert history.forget("A@Example.com") == ["a@example.com"]
    assert history.snapshot().addresses == {"b@example.com"}
    assert history.snapshot().domains == {"example.com"}
    assert history.domain_count("example.com") == 1
    assert history.forget("nobody@example.com") == []
    assert history.forget("not an address@") == []
