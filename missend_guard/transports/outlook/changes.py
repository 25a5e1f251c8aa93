"""The review's changes (Bcc move, protected or removed files) found in its rebuilt MIME, made on the item."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from missend_guard.core.message.model import Attachment, Message, parse_message
from missend_guard.core.ports.review import Decision, ReviewNote
from missend_guard.transports.outlook.reader import OutlookMail
from missend_guard.transports.outlook.recipients import OL_BCC

OL_BY_VALUE = 1
_NOT_IN_NAMES = frozenset('<>:"/\\|?*')
_CHANGED_FILE = frozenset({"removed", "encrypted-zip", "encrypted-pdf"})


class ChangeError(ValueError):
    """The decision asks for something that cannot be done to this item; the item is kept."""


@dataclass(frozen=True)
class Replacement:
    """An attachment to swap for a protected file."""

    index: int  # 1-based position in item.Attachments
    filename: str
    data: bytes


@dataclass(frozen=True)
class ItemChanges:
    """What the review changed, in item terms."""

    to_bcc: tuple[int, ...] = ()  # item.Recipients positions whose Type becomes Bcc
    removed: tuple[int, ...] = ()  # item.Attachments positions to delete
    replaced: tuple[Replacement, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the item is sent as it is."""
        return not (self.to_bcc or self.removed or self.replaced)


def _fields(message: Message) -> dict[str, str]:
    return {r.address.lower(): r.field for r in message.recipients}


def _bcc_moves(mail: OutlookMail, after: Message) -> tuple[int, ...]:
    before, now = _fields(mail.message), _fields(after)
    if set(now) - set(before):
        raise ChangeError("the review added recipients")
    moved = {a for a, f in before.items() if f in ("to", "cc") and now.get(a, "bcc") == "bcc"}
    if not moved:
        return ()
    if mail.meeting:
        raise ChangeError("a meeting invitation has no Bcc")
    return tuple(r.index for r in mail.recipients if r.field in ("to", "cc")
                 and any(a.lower() in moved for a in r.addresses))


def _same(a: Attachment, b: Attachment) -> bool:
    # Sizes first: `data` decodes the file, which two different files need not do.
    return a.filename == b.filename and a.size == b.size and a.data == b.data


def _file_changes(mail: OutlookMail, after: Message, notes: Sequence[ReviewNote]
                  ) -> tuple[tuple[int, ...], tuple[Replacement, ...]]:
    """Walk the files in order: each is kept, removed or replaced (the rebuild keeps the order)."""
    before, now = mail.message.attachments, after.attachments
    pending = [n for n in notes if n.action in _CHANGED_FILE]
    removed: list[int] = []
    replaced: list[Replacement] = []
    j = 0
    for i, original in enumerate(before):
        if j < len(now) and _same(original, now[j]):
            j += 1
            continue
        note = next((n for n in pending if n.file_name == original.filename), None)
        if note is None:
            raise ChangeError(f"{original.filename}: changed without a note")
        pending.remove(note)
        if i >= len(mail.attachments):
            raise ChangeError("the attachments of this item could not be mapped")
        slot = mail.attachments[i]
        if note.action == "removed":
            removed.append(slot.index)
        elif j < len(now):
            replaced.append(Replacement(slot.index, now[j].filename, now[j].data))
            j += 1
        else:
            raise ChangeError(f"{original.filename}: its protected file is missing")
    if j != len(now):
        raise ChangeError("the review added attachments")
    return tuple(removed), tuple(replaced)


def changes_for(mail: OutlookMail, decision: Decision) -> ItemChanges:
    """What to do to the item for `decision` (nothing when the review rebuilt nothing)."""
    if decision.replacement is None:
        return ItemChanges()
    after = parse_message(decision.replacement, mail.envelope.rcpt_tos)
    removed, replaced = _file_changes(mail, after, decision.notes)
    return ItemChanges(_bcc_moves(mail, after), removed, replaced)


def file_name(name: str) -> str:
    """`name` as a single Windows file name (no folders, no reserved characters)."""
    cleaned = "".join("_" if c in _NOT_IN_NAMES or not c.isprintable() else c for c in name)
    cleaned = cleaned.strip(" .")
    return cleaned or "attachment"


def apply_changes(item: Any, changes: ItemChanges, folder: Path) -> None:
    """Make `changes` on the item: new files attached first, then old ones deleted from the end."""
    if changes.empty:
        return
    recipients = item.Recipients
    for index in changes.to_bcc:
        recipients.Item(index).Type = OL_BCC
    attachments = item.Attachments
    for number, replacement in enumerate(changes.replaced):
        # Outlook names an attached file after its path: one subfolder each keeps names apart.
        path = folder / str(number) / file_name(replacement.filename)
        path.parent.mkdir(mode=0o700)
        path.write_bytes(replacement.data)
        attachments.Add(str(path), OL_BY_VALUE)
    gone = sorted({*changes.removed, *(r.index for r in changes.replaced)}, reverse=True)
    for index in gone:
        attachments.Item(index).Delete()
