"""Sent history: addresses and domains the user has sent to, with counts, last-sent time and trust."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable
from typing import Any, Literal

from missend_guard.core.check.context import HistorySnapshot
from missend_guard.core.message.addresses import unicode_domain
from missend_guard.core.ports.history import HistoryEntry
from missend_guard.core.ports.outbox import StorageError
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.sqlite import Database

MIGRATIONS = (
    """
    CREATE TABLE history_address (
        address TEXT PRIMARY KEY,   -- lower-cased, as sent
        domain TEXT NOT NULL,       -- Unicode, lower-case
        count INTEGER NOT NULL,
        last_sent REAL NOT NULL
    );
    CREATE TABLE history_domain (
        domain TEXT PRIMARY KEY,
        count INTEGER NOT NULL,
        last_sent REAL NOT NULL
    );
    """,
    # Learning that cannot launder: a name confirmed past a look-alike warning stays suspect until
    # mail went to it on enough different days, or the user vouched for it.
    """
    CREATE TABLE history_trust (
        name TEXT PRIMARY KEY,      -- an address (lower-case) or a domain (Unicode)
        suspect_since REAL,         -- first confirmed past a look-alike warning; NULL = never
        vouched REAL                -- marked "This address is correct"; NULL = not
    );
    CREATE TABLE history_trust_day (
        name TEXT NOT NULL,         -- a suspect name
        day TEXT NOT NULL,          -- local date mail went to it (YYYY-MM-DD)
        PRIMARY KEY (name, day)
    ) WITHOUT ROWID;
    """,
)


def normalise(address: str) -> tuple[str, str] | None:
    """(address lower-cased, Unicode domain) or None when it is not an address."""
    address = address.strip().strip("<>").lower()
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return None
    return address, unicode_domain(domain)


def trust_name(name: str) -> str | None:
    """How the trust tables spell an address (`local@unicode-domain`) or a domain; None when neither."""
    if "@" in name:
        pair = normalise(name)
        return None if pair is None else f"{pair[0].rpartition('@')[0]}@{pair[1]}"
    domain = unicode_domain(name.strip().lstrip("@"))
    return domain or None


def _day(when: float) -> str:
    # The user's own calendar: "different days" are the days they sent on.
    return time.strftime("%Y-%m-%d", time.localtime(when))


class SentHistory:
    """Per-address and per-domain send counts in the shared database; implements RecipientTrust."""

    def __init__(self, paths: DataPaths, database: Database | None = None, *,
                 read_only: bool = False, clock: Callable[[], float] = time.time) -> None:
        """Open (and migrate) the history; `read_only` never writes (no history reads empty)."""
        self._where = paths.database
        self.read_only = read_only
        self._clock = clock
        self._cached: tuple[tuple[int, int], HistorySnapshot] | None = None
        try:
            self._db = database or Database(paths.database, read_only=read_only)
            if not read_only:
                self._db.migrate("history", MIGRATIONS)
        except sqlite3.Error as exc:
            raise StorageError(f"The history in {paths.database} cannot be opened: {exc}") from exc

    def _select(self, sql: str, args: tuple[str, ...] = ()) -> list[Any]:
        try:
            with self._db.reading() as conn:
                cursor = conn.cursor()
                cursor.row_factory = None  # plain tuples: 100k rows build noticeably faster
                return cursor.execute(sql, args).fetchall()
        except sqlite3.OperationalError as exc:
            if self.read_only and "no such table" in str(exc):
                return []  # a read-only open of a database that never held history
            raise StorageError(f"The sent history in {self._where} cannot be read: {exc}") from exc
        except sqlite3.Error as exc:
            raise StorageError(f"The sent history in {self._where} cannot be read: {exc}") from exc

    def _write(self) -> Any:
        if self.read_only:
            raise StorageError("The sent history was opened read-only; nothing can be recorded.")
        # Not fsynced: the history only sharpens later checks. kill -9 cannot lose a commit; a
        # power loss before the next durable commit could, and then a later mail to these
        # addresses is merely flagged again.
        return self._db.transaction(durable=False)

    def _failed(self, exc: sqlite3.Error) -> StorageError:
        return StorageError(f"The sent history in {self._where} could not be updated: {exc}")

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def record(self, addresses: Iterable[str], when: float | None = None) -> None:
        """Count one sent message to `addresses` (each address and domain once per call)."""
        when = self._clock() if when is None else when
        pairs = dict(p for p in map(normalise, addresses) if p is not None)
        domains = set(pairs.values())
        if not pairs:
            return
        # A suspect's days are counted under the names the trust tables use.
        names = {trust_name(a) for a in pairs} | domains
        try:
            with self._write() as conn:
                conn.executemany(
                    "INSERT INTO history_address (address, domain, count, last_sent)"
                    " VALUES (?, ?, 1, ?) ON CONFLICT(address) DO UPDATE SET"
                    " count = count + 1, last_sent = MAX(last_sent, excluded.last_sent)",
                    [(a, d, when) for a, d in pairs.items()],
                )
                conn.executemany(
                    "INSERT INTO history_domain (domain, count, last_sent) VALUES (?, 1, ?)"
                    " ON CONFLICT(domain) DO UPDATE SET"
                    " count = count + 1, last_sent = MAX(last_sent, excluded.last_sent)",
                    [(d, when) for d in domains],
                )
                conn.executemany(
                    "INSERT OR IGNORE INTO history_trust_day (name, day) SELECT name, ?"
                    " FROM history_trust WHERE name = ? AND suspect_since IS NOT NULL",
                    [(_day(when), n) for n in names if n],
                )
        except sqlite3.Error as exc:
            raise self._failed(exc) from exc

    def mark_suspect(self, names: Iterable[str], when: float | None = None) -> None:
        """Addresses or domains confirmed past a look-alike warning: not known until trusted."""
        when = self._clock() if when is None else when
        keys = {k for k in map(trust_name, names) if k}
        try:
            with self._write() as conn:
                conn.executemany(
                    "INSERT INTO history_trust (name, suspect_since) VALUES (?, ?)"
                    " ON CONFLICT(name) DO UPDATE SET"
                    " suspect_since = COALESCE(suspect_since, excluded.suspect_since)",
                    [(k, when) for k in keys],
                )
        except sqlite3.Error as exc:
            raise self._failed(exc) from exc

    def vouch(self, address: str, when: float | None = None) -> None:
        """"This address is correct": the address (or domain) and its domain are trusted at once."""
        when = self._clock() if when is None else when
        key = trust_name(address)
        if key is None:
            return
        keys = {key, key.rpartition("@")[2]}
        try:
            with self._write() as conn:
                conn.executemany(
                    "INSERT INTO history_trust (name, vouched) VALUES (?, ?)"
                    " ON CONFLICT(name) DO UPDATE SET vouched = COALESCE(vouched, excluded.vouched)",
                    [(k, when) for k in keys],
                )
        except sqlite3.Error as exc:
            raise self._failed(exc) from exc

    def is_vouched(self, address: str) -> bool:
        """True once the address (or domain) was marked correct."""
        key = trust_name(address)
        rows = self._select("SELECT 1 FROM history_trust WHERE name = ? AND vouched IS NOT NULL",
                            (key,)) if key else []
        return bool(rows)

    def forget(self, name: str) -> list[str]:
        """Remove an address (its domain too once no address of it is left) or a whole domain.

        Forgotten names are first-time recipients again; returns them (empty: nothing known).
        """
        key = trust_name(name)
        if key is None:
            return []
        is_address, domain = "@" in key, key.rpartition("@")[2]
        rows = [r[0] for r in self._select(
            "SELECT address FROM history_address WHERE domain = ?", (domain,))]
        spellings = [a for a in rows if not is_address or trust_name(a) == key]
        # An address's domain is known through the addresses sent to: with the last one it goes too.
        whole_domain = len(spellings) == len(rows)
        gone = [n for (n,) in self._select("SELECT name FROM history_trust")
                if n == key or (whole_domain and n == domain)
                or (not is_address and n.endswith("@" + domain))]
        try:
            with self._write() as conn:
                conn.executemany("DELETE FROM history_address WHERE address = ?",
                                 [(a,) for a in spellings])
                dropped = whole_domain and conn.execute(
                    "DELETE FROM history_domain WHERE domain = ?", (domain,)).rowcount > 0
                conn.executemany("DELETE FROM history_trust WHERE name = ?", [(n,) for n in gone])
                conn.executemany("DELETE FROM history_trust_day WHERE name = ?", [(n,) for n in gone])
        except sqlite3.Error as exc:
            raise self._failed(exc) from exc
        return sorted({trust_name(a) or a for a in spellings} | set(gone) | ({domain} if dropped else set()))

    def snapshot(self) -> HistorySnapshot:
        """Every known address and domain, for a CheckContext (one query; cached until a commit)."""
        try:
            marker = self._db.change_marker()
        except sqlite3.Error as exc:
            raise StorageError(f"The sent history in {self._where} cannot be read: {exc}") from exc
        if self._cached is not None and self._cached[0] == marker:
            return self._cached[1]
        rows = self._select("SELECT address, domain FROM history_address")
        trust = self._trust_rows()
        addresses = {r[0] for r in rows}
        domains = {r[1] for r in rows}
        # Message addresses keep the domain as written (punycode stays punycode), so an IDN
        # address is matched in both forms.
        written = {f"{a.rpartition('@')[0]}@{d}": a for a, d in rows if "xn--" in a}
        addresses.update(written)
        suspects: dict[str, int] = {}
        for name, (_, vouched, days) in trust.items():
            if vouched:  # known even if the mail it was vouched in never went
                (addresses if "@" in name else domains).add(name)
            else:
                suspects[name] = days
                if name in written:
                    suspects[written[name]] = days
        snapshot = HistorySnapshot(frozenset(addresses), frozenset(domains), suspects)
        self._cached = (marker, snapshot)
        return snapshot

    def _trust_rows(self) -> dict[str, tuple[bool, bool, int]]:
        """name → (suspect, vouched, different days sent since suspect)."""
        rows = self._select(
            "SELECT t.name, t.suspect_since IS NOT NULL, t.vouched IS NOT NULL, COUNT(d.day)"
            " FROM history_trust t LEFT JOIN history_trust_day d ON d.name = t.name GROUP BY t.name"
        )
        return {r[0]: (bool(r[1]), bool(r[2]), int(r[3])) for r in rows}

    def entries(self) -> list[HistoryEntry]:
        """Every remembered address and domain (vouched ones never sent to as well), addresses first."""
        trust = self._trust_rows()
        sent = [(a, int(c), float(t)) for a, c, t in
                self._select("SELECT address, count, last_sent FROM history_address")]
        sent += [(d, int(c), float(t)) for d, c, t in
                 self._select("SELECT domain, count, last_sent FROM history_domain")]
        seen = {trust_name(name) for name, _, _ in sent}
        rows: list[tuple[str, int, float | None]] = [*sent]
        rows += [(n, 0, None) for n in trust if n not in seen]
        entries = []
        for name, count, last in rows:
            suspect, vouched, days = trust.get(trust_name(name) or name, (False, False, 0))
            kind: Literal["address", "domain"] = "address" if "@" in name else "domain"
            entries.append(HistoryEntry(name, kind, count, last, suspect, vouched, days))
        return sorted(entries, key=lambda e: (e.kind != "address", e.name))

    def count(self, address: str) -> int:
        """How many messages went to `address` (0 when never)."""
        pair = normalise(address)
        if pair is None:
            return 0
        rows = self._select("SELECT count FROM history_address WHERE address = ?", (pair[0],))
        return int(rows[0][0]) if rows else 0

    def domain_count(self, domain: str) -> int:
        """How many messages went to `domain` (Unicode or punycode; 0 when never)."""
        rows = self._select(
            "SELECT count FROM history_domain WHERE domain = ?", (unicode_domain(domain),)
        )
        return int(rows[0][0]) if rows else 0

    def last_sent(self, address: str) -> float | None:
        """When `address` last received mail from the user (epoch seconds), or None."""
        pair = normalise(address)
        if pair is None:
            return None
        rows = self._select("SELECT last_sent FROM history_address WHERE address = ?", (pair[0],))
        return float(rows[0][0]) if rows else None
