"""Protected sends: who received an encrypted file, when, and a salted hash of its password.

The password itself is never stored here (the OS keychain may keep it for a while; that is
storage.secrets' business). A row lives for a short window (24 h by default) so that a later
mail to the same people can be checked for the password.

Cost of the hash, and why: scrypt with n=2**12, r=8, p=1 (4 MiB, about 10 ms per try on a
laptop core). An attacker holding the encrypted ZIP can already guess at the ZIP's own cost
(WinZip AES: PBKDF2-SHA1, 1000 iterations, well under 1 ms), so a slower hash here would not
protect a weak password any better; without the file the password is worth nothing. The rule
tries only candidate tokens whose length equals the stored length, so a typical follow-up mail
costs a handful of hashes per recent entry (tens of milliseconds inside the SMTP transaction).
Storing the length leaks little: generated passwords all have the default length.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

DEFAULT_WINDOW = timedelta(hours=24)

# Parameters stored with each row ("scrypt:n=4096,r=8,p=1") so they can be raised later
# without breaking rows written before.
KDF_NAME = "scrypt"
KDF_N = 2**12
KDF_R = 8
KDF_P = 1
SALT_BYTES = 16
DIGEST_BYTES = 32


def normalise_password(password: str) -> str:
    """NFKC form, so a password retyped in full-width (Ａｂ３) in a mail still matches."""
    return unicodedata.normalize("NFKC", password).strip()


def kdf_label(n: int = KDF_N, r: int = KDF_R, p: int = KDF_P) -> str:
    """The text stored with a row that says how its digest was made."""
    return f"{KDF_NAME}:n={n},r={r},p={p}"


def _parse_kdf(label: str) -> tuple[int, int, int]:
    name, _, params = label.partition(":")
    if name != KDF_NAME:
        raise ValueError(f"unknown password hash {name!r}")
    values = dict(item.split("=", 1) for item in params.split(",") if "=" in item)
    try:
        return int(values["n"]), int(values["r"]), int(values["p"])
    except (KeyError, ValueError):
        raise ValueError(f"malformed password hash parameters {label!r}") from None


def hash_password(password: str, salt: bytes, kdf: str | None = None) -> bytes:
    """The salted digest of a (normalised) password."""
    n, r, p = _parse_kdf(kdf or kdf_label())
    secret = normalise_password(password).encode("utf-8")
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, maxmem=128 * r * n * p + 2**20,
                          dklen=DIGEST_BYTES)


def normalise_recipients(recipients: Iterable[str]) -> tuple[str, ...]:
    """Lower-cased, de-duplicated, sorted addresses."""
    return tuple(sorted({r.strip().lower() for r in recipients if r and r.strip()}))


@dataclass(frozen=True)
class LedgerEntry:
    """One protected send. `digest` is scrypt(password, salt); `length` narrows the candidates."""

    message_id: str
    recipients: tuple[str, ...]
    when: datetime
    salt: bytes
    digest: bytes
    kdf: str
    length: int

    @classmethod
    def create(
        cls, message_id: str, recipients: Iterable[str], password: str, when: datetime
    ) -> LedgerEntry:
        """A new entry with a fresh random salt; the password is hashed and forgotten."""
        if when.tzinfo is None:
            raise ValueError("ledger times must be timezone-aware")
        if not normalise_password(password):
            raise ValueError("empty password")
        salt = os.urandom(SALT_BYTES)
        kdf = kdf_label()
        return cls(
            message_id=message_id,
            recipients=normalise_recipients(recipients),
            when=when,
            salt=salt,
            digest=hash_password(password, salt, kdf),
            kdf=kdf,
            length=len(normalise_password(password)),
        )

    def matches(self, candidate: str) -> bool:
        """True when `candidate` is this entry's password (constant-time compare)."""
        if len(normalise_password(candidate)) != self.length:
            return False
        return hmac.compare_digest(hash_password(candidate, self.salt, self.kdf), self.digest)

    def shares_recipient(self, recipients: Iterable[str]) -> tuple[str, ...]:
        """The given recipients that received this protected file."""
        mine = set(self.recipients)
        return tuple(r for r in normalise_recipients(recipients) if r in mine)


class ProtectionLedger(Protocol):
    """Where protected sends are remembered for the `password-in-mail` check."""

    def record(
        self,
        message_id: str,
        recipients: Sequence[str],
        password: str,
        when: datetime | None = None,
    ) -> LedgerEntry:
        """Remember that `recipients` received a file protected by `password` (hashed, salted)."""
        ...

    def recent_for(
        self,
        recipients: Iterable[str],
        now: datetime | None = None,
        window: timedelta = DEFAULT_WINDOW,
    ) -> list[LedgerEntry]:
        """Entries within `window` before `now` sharing at least one recipient, newest first."""
        ...

    def matches(self, entry: LedgerEntry, candidate: str) -> bool:
        """True when `candidate` is the password of `entry`."""
        ...

    def forget(self, message_id: str) -> int:
        """Drop the entries of one message (the user undid the send); returns how many."""
        ...

    def purge(self, older_than: datetime) -> int:
        """Drop entries recorded before `older_than`; returns how many."""
        ...


class MemoryLedger:
    """In-memory ledger for tests and the headless `check` command (nothing persists)."""

    def __init__(self) -> None:
        self.entries: list[LedgerEntry] = []

    def record(
        self,
        message_id: str,
        recipients: Sequence[str],
        password: str,
        when: datetime | None = None,
    ) -> LedgerEntry:
        """Remember a protected send."""
        entry = LedgerEntry.create(message_id, recipients, password, when or _utcnow())
        self.entries.append(entry)
        return entry

    def recent_for(
        self,
        recipients: Iterable[str],
        now: datetime | None = None,
        window: timedelta = DEFAULT_WINDOW,
    ) -> list[LedgerEntry]:
        """Entries within the window that share a recipient, newest first."""
        now = now or _utcnow()
        wanted = normalise_recipients(recipients)
        found = [
            e for e in self.entries if now - window <= e.when <= now and e.shares_recipient(wanted)
        ]
        return sorted(found, key=lambda e: e.when, reverse=True)

    def matches(self, entry: LedgerEntry, candidate: str) -> bool:
        """Delegates to the entry."""
        return entry.matches(candidate)

    def forget(self, message_id: str) -> int:
        """Drop one message's entries."""
        before = len(self.entries)
        self.entries = [e for e in self.entries if e.message_id != message_id]
        return before - len(self.entries)

    def purge(self, older_than: datetime) -> int:
        """Drop old entries."""
        before = len(self.entries)
        self.entries = [e for e in self.entries if e.when >= older_than]
        return before - len(self.entries)


def _utcnow() -> datetime:
    return datetime.now(UTC)
