"""Content rules over subject, body and attachment names: missing files, wrong names, templates, secrets."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import BODY, SUBJECT, Finding, attachment_target
from missend_guard.core.message.bodytext import BodyParts, split_body
from missend_guard.core.message.model import Message
from missend_guard.core.rules import Rule
from missend_guard.core.rules.content.addressees import Verdict, judge, recipient_names
from missend_guard.core.rules.content.confidential import confidential_keyword
from missend_guard.core.rules.content.mentions import attachment_mention
from missend_guard.core.rules.content.pii import find_numbers
from missend_guard.core.rules.content.placeholders import find_placeholders
from missend_guard.core.rules.content.salutation import extract_salutation

# Reply prefixes: such a subject was written by the other side, so its wording is not ours.
_REPLY_PREFIX = re.compile(r"^\s*(?:re|答复|回复|返信|ＲＥ)\s*[:：]", re.IGNORECASE)
_BLANK = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


def _parts(message: Message) -> BodyParts:
    return split_body(message.body)


def missing_attachment(message: Message, context: CheckContext) -> Iterator[Finding]:
    """`missing-attachment` when the subject or own text says a file is attached and none is."""
    if message.files:
        return
    phrases = context.policy.attachment_phrases
    if message.subject and not _REPLY_PREFIX.match(message.subject):
        phrase = attachment_mention(message.subject, phrases)
        if phrase:
            yield context.finding("missing-attachment", SUBJECT, phrase=phrase)
            return
    phrase = attachment_mention(_parts(message).own, phrases)
    if phrase:
        yield context.finding("missing-attachment", BODY, phrase=phrase)


def salutation_mismatch(message: Message, context: CheckContext) -> Iterator[Finding]:
    """`salutation-mismatch` when the salutation names nobody among the To recipients."""
    to = [r for r in message.recipients if r.field == "to"]
    if not to:
        return
    salutation = extract_salutation(_parts(message).own)
    if salutation is None:
        return
    names = [recipient_names(r, context.contacts.by_address(r.address)) for r in to]
    if judge(salutation, names) is Verdict.MISMATCH:
        yield context.finding(
            "salutation-mismatch",
            BODY,
            salutation=salutation.text,
            kind=salutation.kind,
            recipients=[r.name or r.address for r in to],
        )


def placeholder_left(message: Message, context: CheckContext) -> Iterator[Finding]:
    """`placeholder-left` for unfilled template text in subject, own text or an attachment name."""
    for target, text, is_name in _texts(message, include_files=True):
        found = find_placeholders(text, filename=is_name)
        if found:
            yield context.finding("placeholder-left", target, text=found[0])


def pii_in_body(message: Message, context: CheckContext) -> Iterator[Finding]:
    """`pii-in-body` per kind in the subject or body (quoted history leaves with the mail too)."""
    parts = _parts(message)
    compiled = [(p.kind, p.compiled()) for p in context.policy.pii_patterns]
    for target, text in ((SUBJECT, message.subject), (BODY, "\n".join((parts.own, parts.quoted)))):
        counts: dict[str, int] = {}
        for kind in find_numbers(text):
            counts[kind] = counts.get(kind, 0) + 1
        normal = unicodedata.normalize("NFKC", text) if compiled else ""
        for kind, regex in compiled:
            n = sum(1 for _ in regex.finditer(normal))
            if n:
                counts[kind] = counts.get(kind, 0) + n
        for kind, count in counts.items():
            yield context.finding("pii-in-body", target, kind=kind, count=count)


def empty_subject(message: Message, context: CheckContext) -> Iterator[Finding]:
    """`empty-subject` for a missing or blank subject (full-width and zero-width spaces count as blank)."""
    if not _BLANK.sub("", message.subject):
        yield context.finding("empty-subject", SUBJECT)


def _texts(message: Message, include_files: bool) -> Iterator[tuple[str, str, bool]]:
    """(target, text, is_filename) for subject, the sender's own text and attachment names."""
    yield SUBJECT, message.subject, False
    yield BODY, _parts(message).own, False
    if include_files:
        for i, attachment in message.files:
            yield attachment_target(i), attachment.filename, True


RULES: tuple[Rule, ...] = (
    missing_attachment,
    salutation_mismatch,
    placeholder_left,
    confidential_keyword,
    pii_in_body,
    empty_subject,
)
