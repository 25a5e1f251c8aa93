"""Findings about a file's content outlive its encryption: the recipient decrypts the very same file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from missend_guard.core.check.findings import MESSAGE, Finding, Report, attachment_target
from missend_guard.core.message.model import Message
from missend_guard.core.protect.encrypt import Action, Choice

# What the decrypted file still holds. Encryption only hides it from the re-check, which cannot look inside.
CONTENT_CODES = frozenset({"hidden-sheet", "tracked-changes", "malformed-message"})

_ENCRYPTING = (Choice.ENCRYPT_PDF, Choice.ENCRYPT_ZIP)


def _new_index(action: Action, actions: Sequence[Action], after: Message) -> int | None:
    """Where the encrypted file sits in the rebuilt mail (removed files before it shift it up)."""
    shift = sum(1 for a in actions if a.choice is Choice.REMOVE and a.index < action.index)
    name = action.new_filename or action.filename
    guess = action.index - shift
    if 0 <= guess < len(after.attachments) and after.attachments[guess].filename == name:
        return guess
    matches = [i for i, att in enumerate(after.attachments) if att.filename == name]
    return matches[0] if len(matches) == 1 else None


def carry_content_findings(
    before: Report, after: Report, after_message: Message, actions: Sequence[Action]
) -> Report:
    """`after` plus the content findings of each encrypted file that its re-check could no longer see."""
    carried: list[Finding] = []
    for action in actions:
        if action.choice not in _ENCRYPTING:
            continue  # a removed file is gone; a file sent as is was checked again as it is
        old = before.for_target(attachment_target(action.index))
        index = _new_index(action, actions, after_message)
        # A file we cannot place any more keeps its warnings on the mail: never drop one silently.
        target = attachment_target(index) if index is not None else MESSAGE
        present = {f.code for f in after.for_target(target)}
        carried += [replace(f, target=target) for f in old
                    if f.code in CONTENT_CODES and f.code not in present]
    return Report.of((*after.findings, *carried)) if carried else after
