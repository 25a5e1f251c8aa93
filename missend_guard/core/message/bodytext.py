"""Split a plain-text body into the sender's own new text, quoted history and signature."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from missend_guard.core.message.thread import body_lines, parse_thread, thread_of_lines

__all__ = ["BodyParts", "body_lines", "own_text", "quoted_line_flags", "split_body"]


@dataclass(frozen=True)
class BodyParts:
    """The body cut in three: what the sender wrote now, their signature, and earlier mail."""

    own: str
    signature: str
    quoted: str


# The one definition of "quoted": the rules (through the thread model) and the review preview both use it.
def quoted_line_flags(lines: Sequence[str]) -> list[bool]:
    """One flag per line: True where the line is earlier mail (`>` quotes, attributions, replied history)."""
    return list(thread_of_lines(tuple(lines)).flags)


def split_body(body: str) -> BodyParts:
    """Cut `body` into own text, signature (incl. legal footers) and quoted/forwarded history."""
    thread = parse_thread(body)
    return BodyParts(own=thread.own, signature=thread.signature, quoted=thread.quoted)


def own_text(body: str) -> str:
    """Only what the sender wrote in this message (no quotes, no signature, no legal footer)."""
    return parse_thread(body).own
