"""Attachment protection, the pure part: passwords, PDF/ZIP encryption, and splicing the MIME.

Only the bytes of a replaced (or removed) part change; headers, bodies and other attachments
stay byte-identical, so signatures over other parts and the user's formatting survive.
"""

from __future__ import annotations

import io
import math
import re
import secrets
import string
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

import pyzipper
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from missend_guard.core.check.policy import Policy
from missend_guard.core.message.model import Attachment, Message, parse_message
from missend_guard.core.message.splice import (
    SpliceError,
    attachment_parts,
    cuts,
    replacement_part,
    same_file,
    scan,
    splice,
)
from missend_guard.core.ports.review import NoteAction, ReviewNote

# No 0/O/o, 1/l/I: the password is read out over the phone or typed from a chat window.
UPPER = "".join(c for c in string.ascii_uppercase if c not in "IO")
LOWER = "".join(c for c in string.ascii_lowercase if c not in "lo")
DIGITS = "23456789"
ALPHABET = UPPER + LOWER + DIGITS
MIN_GENERATED_LENGTH = 16


class Choice(Enum):
    """What to do with one attachment."""

    ENCRYPT_PDF = "encrypt-pdf"
    ENCRYPT_ZIP = "encrypt-zip"
    SEND_AS_IS = "send-as-is"
    REMOVE = "remove"


class ProtectError(ValueError):
    """A file or message cannot be protected; `code` is a stable reason for the UI's text."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


# ---- passwords ----------------------------------------------------------------------------


def generate_password(length: int = MIN_GENERATED_LENGTH) -> str:
    """A random password from an unambiguous alphabet with upper, lower and digit (`secrets`)."""
    if length < MIN_GENERATED_LENGTH:
        raise ValueError(f"generated passwords have at least {MIN_GENERATED_LENGTH} characters")
    while True:
        password = "".join(secrets.choice(ALPHABET) for _ in range(length))
        if all(any(c in cls for c in password) for cls in (UPPER, LOWER, DIGITS)):
            return password


@dataclass(frozen=True)
class Strength:
    """A typed password's strength: level, reason codes for the UI, estimated bits."""

    level: Literal["weak", "fair", "strong"]
    reasons: tuple[str, ...] = ()
    bits: float = 0.0


_COMMON = frozenset(
    {
        "password", "passw0rd", "p@ssw0rd", "qwerty", "letmein", "welcome", "admin", "secret",
        "iloveyou", "monkey", "dragon", "abc123", "111111", "123123", "000000", "changeme",
        "pass", "test", "guest", "master", "sunshine", "football", "baseball", "login",
    }
)
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "l", "3": "e", "$": "s", "5": "s",
                       "7": "t", "!": "i"})
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def _has_sequence(text: str, run: int = 4) -> bool:
    lowered = text.lower()
    for seq in _SEQUENCES:
        for source in (seq, seq[::-1]):
            if any(source[i : i + run] in lowered for i in range(len(source) - run + 1)):
                return True
    return False


def password_strength(password: str) -> Strength:
    """Judge a typed password; reasons are codes ("too-short", "common", ...), never sentences."""
    if not password:
        return Strength("weak", ("empty",), 0.0)
    reasons: list[str] = []
    classes = {
        "lower": any(c.islower() and c.isascii() for c in password),
        "upper": any(c.isupper() and c.isascii() for c in password),
        "digit": any(c.isdigit() and c.isascii() for c in password),
        "symbol": any(c.isascii() and not c.isalnum() for c in password),
        "other": any(not c.isascii() for c in password),
    }
    pool = sum(size for name, size in (("lower", 26), ("upper", 26), ("digit", 10), ("symbol", 33),
                                       ("other", 100)) if classes[name])
    bits = len(password) * math.log2(max(pool, 2))
    # Leet spellings and a year or "!" tacked on do not make a common word uncommon.
    plain = password.lower().translate(_LEET)
    stem = re.sub(r"[\W\d_]+$", "", plain)
    common = plain in _COMMON or stem in _COMMON or any(w in plain for w in ("password", "qwerty"))
    if common:
        reasons.append("common")
    if len(password) < 12:
        reasons.append("too-short")
    if sum(classes.values()) < 3:
        reasons.append("few-classes")
    if re.search(r"(.)\1\1", password) or len(set(password)) <= len(password) // 2:
        reasons.append("repetitive")
        bits = len(set(password)) * math.log2(max(pool, 2))
    if _has_sequence(password):
        reasons.append("sequence")
        bits -= 10
    if classes["other"]:
        reasons.append("non-ascii")  # the recipient may not be able to type it into an unzip tool
    if common or len(password) < 8 or bits < 40:
        level: Literal["weak", "fair", "strong"] = "weak"
    elif (len(password) >= 12 and bits >= 70 and not {"repetitive", "sequence"} & set(reasons)
          and (sum(classes.values()) >= 3 or len(password) >= 20)):
        level = "strong"
    else:
        level = "fair"
    return Strength(level, tuple(reasons), round(max(bits, 0.0), 1))


# ---- encryption ---------------------------------------------------------------------------


def is_pdf(data: bytes) -> bool:
    """PDF header within the first KiB (the spec allows leading junk)."""
    return b"%PDF-" in data[:1024]


def encrypt_pdf(data: bytes, password: str) -> bytes:
    """The PDF encrypted with AES-256 (pypdf); pages, metadata and permissions kept."""
    if not password:
        raise ProtectError("empty-password")
    if not is_pdf(data):
        raise ProtectError("not-a-pdf")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ProtectError("already-encrypted")
        writer = PdfWriter(clone_from=reader)  # cloning keeps the /Info metadata and structure
        # Default permissions_flag grants everything, as the unencrypted original did.
        writer.encrypt(user_password=password, algorithm="AES-256")
        out = io.BytesIO()
        writer.write(out)
    except ProtectError:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise ProtectError("pdf-unreadable", type(exc).__name__) from None
    return out.getvalue()


def _zip_name(name: str) -> str:
    # A path in a name would unpack outside the folder the recipient chose.
    base = re.split(r"[\\/]", name)[-1].strip()
    return base or "file"


def encrypt_zip(files: Sequence[tuple[str, bytes]], password: str) -> bytes:
    """An AES-256 (WinZip AES) ZIP; names in UTF-8 with general-purpose bit 11 set."""
    if not password:
        raise ProtectError("empty-password")
    if not files:
        raise ProtectError("nothing-to-zip")
    names = [_zip_name(n) for n, _ in files]
    if len({n.casefold() for n in names}) != len(names):
        raise ProtectError("duplicate-name")
    out = io.BytesIO()
    stamp = time.localtime()[:6]
    with pyzipper.AESZipFile(
        out, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(password.encode("utf-8"))
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        for name, (_, data) in zip(names, files, strict=True):
            info = archive.zipinfo_cls(name, date_time=stamp)
            info.compress_type = pyzipper.ZIP_DEFLATED
            # Bit 11 (UTF-8 name) is set by the writer for every non-ASCII name; for an ASCII
            # name UTF-8 and CP437 are the same bytes, so every reader agrees either way.
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()


# ---- recommendations for the dialog -------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    """What the dialog proposes for one file, and what it may offer."""

    choice: Choice
    options: tuple[Choice, ...]
    zip_refused_by: tuple[str, ...] = ()  # recipient domains known to strip encrypted ZIPs
    send_as_is_allowed: bool = True


def _under(domain: str, roots: frozenset[str]) -> bool:
    labels = domain.lower().rstrip(".").split(".")
    return any(".".join(labels[i:]) in roots for i in range(len(labels)))


def recommend(attachment: Attachment, recipient_domains: Iterable[str], policy: Policy) -> Recommendation:
    """PDF → encrypted PDF first; others → ZIP, flagged when a recipient domain refuses ZIPs."""
    refusing = tuple(sorted({d.lower() for d in recipient_domains
                             if _under(d, policy.zip_refusing_domains)}))
    as_is = not policy.require_protection
    if attachment.encrypted:
        return Recommendation(Choice.SEND_AS_IS, (Choice.SEND_AS_IS, Choice.REMOVE), (), True)
    options: list[Choice] = []
    if is_pdf(attachment.head(1024)):
        options.append(Choice.ENCRYPT_PDF)
    options.append(Choice.ENCRYPT_ZIP)
    if as_is:
        options.append(Choice.SEND_AS_IS)
    options.append(Choice.REMOVE)
    return Recommendation(options[0], tuple(options), refusing, as_is)


@dataclass(frozen=True)
class PlanItem:
    """One file going out unprotected to external recipients."""

    index: int
    attachment: Attachment
    recommendation: Recommendation


def plan(message: Message, policy: Policy) -> tuple[PlanItem, ...]:
    """The files the protection dialog lists (none when no recipient is external)."""
    external = sorted({r.domain for r in message.recipients if not policy.is_internal(r.domain)})
    if not external:
        return ()
    return tuple(
        PlanItem(i, a, recommend(a, external, policy)) for i, a in message.files if not a.encrypted
    )


# ---- rebuilding the message ---------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """What was done to one attachment (for the audit: names and choice, never the password)."""

    index: int
    filename: str
    choice: Choice
    new_filename: str = ""


@dataclass(frozen=True)
class ProtectedMessage:
    """The rebuilt message and what happened to each chosen attachment."""

    raw: bytes = field(repr=False)
    actions: tuple[Action, ...]

    def notes(self) -> tuple[ReviewNote, ...]:
        """The audit's notes: one per chosen file, under its original name (never the password)."""
        return tuple(ReviewNote(_NOTE_ACTIONS[a.choice], a.filename) for a in self.actions)


_NOTE_ACTIONS: dict[Choice, NoteAction] = {
    Choice.SEND_AS_IS: "sent-as-is",
    Choice.ENCRYPT_PDF: "encrypted-pdf",
    Choice.ENCRYPT_ZIP: "encrypted-zip",
    Choice.REMOVE: "removed",
}


def _zip_filename(name: str, taken: set[str]) -> str:
    stem, dot, _ext = name.rpartition(".")
    candidate = f"{stem}.zip" if dot and stem else f"{name}.zip"
    return candidate if candidate.casefold() not in taken else f"{name}.zip"


def protect_message(raw: bytes, choices: Mapping[int, Choice], password: str) -> ProtectedMessage:
    """Rebuild `raw` with each chosen attachment encrypted, removed or left; indexes as parsed."""
    message = parse_message(raw)
    try:
        root = scan(raw)
        parts = attachment_parts(root)
    except (ValueError, TypeError, AttributeError, LookupError, RecursionError) as exc:
        raise ProtectError("structure-not-understood", type(exc).__name__) from None
    if len(parts) != len(message.attachments):
        raise ProtectError("structure-not-understood", "attachment count differs")
    for index in choices:
        if not 0 <= index < len(parts):
            raise ProtectError("no-such-attachment", str(index))
        if not same_file(raw, parts[index], message.attachments[index]):
            raise ProtectError("structure-not-understood", f"attachment {index}")
    if any(c in (Choice.ENCRYPT_PDF, Choice.ENCRYPT_ZIP) for c in choices.values()) and not password:
        raise ProtectError("empty-password")

    names = {a.filename.casefold() for i, a in enumerate(message.attachments)
             if choices.get(i) is not Choice.REMOVE}
    edits: dict[int, tuple[int, int, bytes]] = {}  # keyed by id of the part cut or replaced
    removed: set[int] = set()
    actions: list[Action] = []
    for index in sorted(choices):
        choice, part, att = choices[index], parts[index], message.attachments[index]
        if choice is Choice.SEND_AS_IS:
            actions.append(Action(index, att.filename, choice))
        elif choice is Choice.REMOVE:
            removed.add(id(part))
            actions.append(Action(index, att.filename, choice))
        else:
            if att.encrypted:
                raise ProtectError("already-encrypted", att.filename)
            if choice is Choice.ENCRYPT_PDF:
                new_name, ctype, data = att.filename, "application/pdf", encrypt_pdf(att.data, password)
            else:
                new_name = _zip_filename(att.filename, names - {att.filename.casefold()})
                names.add(new_name.casefold())
                ctype, data = "application/zip", encrypt_zip([(att.filename, att.data)], password)
            edits[id(part)] = (part.start, part.end, replacement_part(raw, part, ctype, new_name, data))
            actions.append(Action(index, att.filename, choice, new_name))

    try:
        removals = cuts(root, removed)
    except SpliceError as exc:
        raise ProtectError(exc.code, exc.detail) from None
    result = ProtectedMessage(splice(raw, [*edits.values(), *removals]), tuple(actions))
    _verify(message, result)
    return result


def _verify(before: Message, result: ProtectedMessage) -> None:
    """The rebuilt message must parse to what we meant; a mismatch is our bug, never sent."""
    after = parse_message(result.raw)
    dropped = sum(1 for a in result.actions if a.choice is Choice.REMOVE)
    if len(after.attachments) != len(before.attachments) - dropped:
        raise ProtectError("rebuild-failed", "attachment count")
    names = [a.filename for a in after.attachments]
    for action in result.actions:
        if action.new_filename and action.new_filename not in names:
            raise ProtectError("rebuild-failed", "new file name not found")
