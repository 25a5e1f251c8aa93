"""Attachment rules: unprotected files, hidden sheets, tracked changes, size, unreadable files, names."""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import MESSAGE, Finding, attachment_target
from missend_guard.core.contacts.names import normalize_name, normalize_text
from missend_guard.core.message.addresses import Address
from missend_guard.core.message.model import Message
from missend_guard.core.protect import containers
from missend_guard.core.rules import Rule


def _has_external(message: Message, context: CheckContext) -> bool:
    return any(not context.policy.is_internal(r.domain) for r in message.recipients)


def unprotected_attachments(message: Message, context: CheckContext) -> Iterator[Finding]:
    """`unprotected-attachment` for each file that is not encrypted when anyone outside will receive it."""
    if not _has_external(message, context):
        return
    for i, att in message.files:
        if not att.encrypted:
            kind = containers.expected_kind(att.filename, att.content_type)
            yield context.finding(
                "unprotected-attachment", attachment_target(i), filename=att.filename, kind=kind
            )


def attachment_contents(message: Message, context: CheckContext) -> Iterator[Finding]:
    """Look inside each file once: unreadable (`malformed-message`), `hidden-sheet`, `tracked-changes`."""
    for i, att in message.files:
        found = containers.inspect(att.filename, att.content_type, att.content, deep=True)
        target = attachment_target(i)
        if found.problem:
            yield context.finding("malformed-message", target, filename=att.filename, problem=found.problem)
        if found.hidden_sheets:
            yield context.finding(
                "hidden-sheet", target, filename=att.filename,
                sheets=[name for name, _ in found.hidden_sheets],
                states=[state for _, state in found.hidden_sheets],
            )
        changes = found.tracked_changes
        if changes:
            yield context.finding(
                "tracked-changes", target, filename=att.filename, insertions=changes.insertions,
                deletions=changes.deletions, comments=changes.comments,
            )


def large_attachment(message: Message, context: CheckContext) -> Iterator[Finding]:
    """`large-attachment` when all attachments (inline images too) exceed the policy's limit."""
    total = sum(att.size for att in message.attachments)
    limit = context.policy.large_attachment_bytes
    if total > limit:
        yield context.finding("large-attachment", MESSAGE, total_bytes=total, limit_bytes=limit)


# --- attachment-name-mismatch ----------------------------------------------------------------------

# Legal-form words say nothing about which company is meant: 株式会社ABC商事 and ABC商事 are one company.
_CORPORATE_FORMS = re.compile(
    r"株式会社|有限会社|合同会社|合資会社|合名会社|(?:一般|公益)?(?:社団|財団)法人|学校法人|医療法人"
    r"|社会福祉法人|特定非営利活動法人|npo法人|独立行政法人|国立大学法人|\((?:株|有|合|社|財)\)"
)
_LATIN_FORMS = re.compile(
    r"(?:[\s,]+(?:co\.?,?\s*ltd\.?|ltd\.?|limited|inc\.?|incorporated|corp\.?|corporation|llc|l\.l\.c\.|plc"
    r"|gmbh|k\.k\.|co\.))+$"
)
# Separators and the honorifics that close a name in a file name (御見積書_XYZ銀行様.pdf). Kana
# honorifics (さん, さま) are left out: katakana names become hiragana and could contain them.
_FILENAME_SPLIT = re.compile(
    r"[\s_\-‐−–—/\\,、。・()\[\]{}<>【】「」『』〔〕〈〉《》+&@#!=~;:'\"]+|様|御中|殿|宛|各位|向け"
)
_MEANINGLESS = frozenset(
    {"個人", "なし", "無し", "未設定", "不明", "その他", "self", "none", "personal", "n/a"}
)
_MAX_SEGMENT = 200  # file names are short; this bounds the substring search on hostile input
_MAX_JOINED_TOKENS = 4  # "ABC_Trading_Co" style names spread over several tokens


def _company_key(company: str) -> str:
    text = _CORPORATE_FORMS.sub(" ", normalize_text(company))
    return normalize_name(_LATIN_FORMS.sub("", text.strip()))


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _usable(key: str) -> bool:
    # Short Latin keys ("jp", "hr") and pure numbers would match half the file names in the world.
    if len(key) < 2 or key.isdigit() or key in _MEANINGLESS:
        return False
    return not (key.isascii() and len(key) < 3)


@dataclass(frozen=True)
class AttachmentNameIndex:
    """Normalised company and person names from contacts → the domains and display form of their owners."""

    domains: dict[str, frozenset[str]]
    display: dict[str, str]
    longest: int

    def keys_in(self, filename: str) -> list[str]:
        """Indexed names that appear in a file name, longest first, without ones inside longer matches."""
        stem = posixpath.splitext(filename)[0] if "." in filename else filename
        text = _CORPORATE_FORMS.sub(" ", normalize_text(stem))
        tokens = [normalize_name(t)[:_MAX_SEGMENT] for t in _FILENAME_SPLIT.split(text)]
        tokens = [t for t in tokens if t]
        found: set[str] = set()
        for start in range(len(tokens)):
            for end in range(start + 1, min(len(tokens), start + _MAX_JOINED_TOKENS) + 1):
                joined = "".join(tokens[start:end])
                if joined in self.domains:
                    found.add(joined)
            if not tokens[start].isascii():
                found.update(self._inside(tokens[start]))
        ordered = sorted(found, key=len, reverse=True)
        return [k for i, k in enumerate(ordered) if not any(k in longer for longer in ordered[:i])]

    def _inside(self, token: str) -> Iterator[str]:
        """Names written inside a longer token (御見積書xyz銀行), never cutting through a Latin word."""
        for i in range(len(token)):
            if i and _latin(token[i - 1]) and _latin(token[i]):
                continue
            for j in range(i + 2, min(len(token), i + self.longest) + 1):
                if j < len(token) and _latin(token[j - 1]) and _latin(token[j]):
                    continue
                if token[i:j] in self.domains:
                    yield token[i:j]


def build_name_index(context: CheckContext) -> AttachmentNameIndex:
    """Index every contact's company and full name once per context; internal-only names left out."""
    domains: dict[str, set[str]] = defaultdict(set)
    display: dict[str, str] = {}
    company_keys: dict[str, str] = {}  # many contacts share a company: normalise each once
    for contact in context.contacts.contacts:
        owner_domains = {a.rpartition("@")[2].lower() for a in contact.emails if "@" in a}
        if not owner_domains:
            continue  # a name we cannot tie to any address cannot be checked against recipients
        company = contact.company
        if company and company not in company_keys:
            company_keys[company] = _company_key(company)
        name_key = normalize_name(contact.name)
        names = [(company, company_keys.get(company, "")), (contact.name, name_key)]
        family, given = contact.family, contact.given
        if family and given:
            keys = [normalize_name(family + given)]
            if keys[0].isascii():  # Latin names are written in either order (John Smith, Smith John)
                keys.append(normalize_name(given + family))
            # Show the name as the contact writes it (John Smith, 鈴木 一郎) when it is the same person.
            full = contact.name if name_key in keys else f"{family} {given}"
            names += [(full, key) for key in keys]
        for shown, key in names:
            if shown and _usable(key):
                domains[key] |= owner_domains
                display.setdefault(key, shown)
    kept = {k: frozenset(d) for k, d in domains.items() if not all(context.policy.is_internal(x) for x in d)}
    return AttachmentNameIndex(kept, {k: display[k] for k in kept}, max(map(len, kept), default=0))


def _related(a: str, b: str) -> bool:
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def _recipient_keys(recipients: Iterable[Address], context: CheckContext) -> set[str]:
    keys: set[str] = set()
    for rcpt in recipients:
        keys.add(normalize_name(rcpt.name))
        contact = context.contacts.by_address(rcpt.address)
        if contact is not None:
            family, given = contact.family, contact.given
            keys |= {
                _company_key(contact.company), normalize_name(contact.name),
                normalize_name(family + given), normalize_name(given + family),
            }
    keys.discard("")
    return keys


def _recipient_companies(recipients: Iterable[Address], context: CheckContext) -> list[str]:
    companies: set[str] = set()
    for rcpt in recipients:
        contact = context.contacts.by_address(rcpt.address)
        company = contact.company if contact is not None and contact.company else ""
        companies.add(company or context.contacts.company_for_domain(rcpt.domain))
    companies.discard("")
    return sorted(companies)


def attachment_name_mismatch(message: Message, context: CheckContext) -> Iterator[Finding]:
    """`attachment-name-mismatch`: a file name names a known company or person no external recipient is.

    Internal-only mail is exempt (colleagues handle every customer's files), and a file name that
    also names one of the recipients is taken as meant for them.
    """
    external = [r for r in message.recipients if not context.policy.is_internal(r.domain)]
    if not external or not message.files:
        return
    index = context.derived("attachment-names", build_name_index)
    recipient_keys: set[str] | None = None
    for i, att in message.files:
        keys = index.keys_in(att.filename)
        if not keys:
            continue
        if recipient_keys is None:
            recipient_keys = _recipient_keys(message.recipients, context)
        absent: list[str] = []
        for key in keys:
            owners = index.domains[key]
            present = key in recipient_keys or any(_related(r.domain, d) for r in external for d in owners)
            if present:
                absent = []
                break
            absent.append(index.display[key])
        if absent:
            yield context.finding(
                "attachment-name-mismatch", attachment_target(i), filename=att.filename,
                names=absent, recipients_companies=_recipient_companies(external, context),
            )


RULES: tuple[Rule, ...] = (
    unprotected_attachments,
    attachment_contents,
    attachment_name_mismatch,
    large_attachment,
)
