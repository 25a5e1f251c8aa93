"""Reply context: who took part in the quoted thread, and who a reply or forward brings in.

`new-domain-in-reply` (target the first new recipient; params `domain`, `thread_domains`, `addresses`):
a reply or forward adds an outside recipient whose organisation appears nowhere in the quoted thread.
`internal-thread-to-external` (target body; params `recipients`, `quoted_from`, `messages`): someone
outside receives quoted messages that were exchanged only among internal addresses.
People shown by name only (Exchange headers, 「… さんは書きました:」) are matched by name against the
mail's own sender and recipients, the thread's addressed people and the contacts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import BODY, Finding, recipient_target
from missend_guard.core.contacts.names import is_cjk, name_tokens, normalize_text
from missend_guard.core.message.addresses import Address
from missend_guard.core.message.model import Message
from missend_guard.core.message.people import contact_directory, place_people
from missend_guard.core.message.thread import QuotedBlock, Thread, organisation, parse_thread
from missend_guard.core.rules import Rule

_REPLY_SUBJECT = re.compile(
    r"^\s*(?:re|fw|fwd|aw|wg|tr|sv|vs|rv|返信|転送|答复|回复|转发)\s*(?:\[\d+\]|\(\d+\)|\^\d+)?\s*:",
    re.IGNORECASE,
)
# How colleagues and customers are greeted: 「お疲れ様です」 is said inside the company, 「お世話になって
# おります」 and "Dear" to the outside.
_INSIDE_GREETING = re.compile(r"お疲れ(?:様|さま)|おつかれさま|お疲れです")
# Own words that bring someone into the thread on purpose.
_INTRODUCED = re.compile(
    r"(?<![a-z])cc(?![a-z])|追加|ご紹介|紹介|加えて|お繋ぎ|おつなぎ|\badd(?:ed|ing)?\b|\bloop(?:ed|ing)?\s+in|\bintroduc|\bcopy(?:ing)?\b"
    r"|\bcopied\b",
    re.IGNORECASE,
)
_OUTSIDE_GREETING = re.compile(r"お世話にな|ご担当者|御中|^\s*dear\b", re.IGNORECASE | re.MULTILINE)


def is_reply_or_forward(message: Message) -> bool:
    """In-Reply-To/References, or a Re:/Fw:/転送:/返信: subject."""
    subject = unicodedata.normalize("NFKC", message.subject)
    return bool(message.references) or bool(_REPLY_SUBJECT.match(subject))


def new_domain_in_reply(message: Message, context: CheckContext) -> Iterator[Finding]:
    """`new-domain-in-reply` per outside organisation that the quoted thread never shows."""
    if not is_reply_or_forward(message):
        return
    thread = parse_thread(message.body)
    placed = _placed(thread, message, context)
    domains = sorted({d for d in placed.values() if d})
    if not domains:
        return  # no one in the quoted thread could be placed: nothing to compare with
    quoted = thread.quoted.lower()
    # Attributions name only the author: whom the quoted mail greeted or named took part too.
    greeted = "" if any(b.lists_recipients for b in thread.blocks) else normalize_text(thread.quoted)
    seen = _Seen(domains, {p.address.lower() for p in thread.participants if p.address}, quoted, context)
    own = normalize_text(thread.own)
    # An author shown by a name nothing places ("On …, Hanako Sato wrote:") is most likely the To.
    unplaced_author = any(p.role == "from" and not placed.get(id(p)) for p in thread.participants)
    new: dict[str, list[int]] = {}
    for i, recipient in enumerate(message.recipients):
        if not recipient.domain or context.policy.is_internal(recipient.domain) or seen.took_part(recipient):
            continue
        if unplaced_author and recipient.field == "to":
            continue
        words = list(_name_words(recipient, context))
        if greeted and any(_mentioned(word, greeted) for word in words):
            continue
        if _INTRODUCED.search(own) and any(_mentioned(word, own) for word in words):
            continue  # 「CCに田中様を追加いたしました」: the sender brings them in on purpose
        new.setdefault(recipient.domain, []).append(i)
    for domain, indexes in new.items():
        yield context.finding(
            "new-domain-in-reply", recipient_target(indexes[0]), domain=domain, thread_domains=domains,
            addresses=[message.recipients[i].address for i in indexes],
        )


@dataclass(frozen=True)
class _Seen:
    """The organisations and addresses a quoted thread shows."""

    domains: Sequence[str]
    addresses: set[str]
    quoted: str  # the quoted text, lower-cased
    context: CheckContext

    def took_part(self, recipient: Address) -> bool:
        """The recipient's organisation (its very address, for free mail) appears in the thread."""
        if self.context.policy.is_free_mail(recipient.domain):
            address = recipient.address.lower()
            return address in self.addresses or address in self.quoted
        org = organisation(recipient.domain)
        if org in self.quoted or any(organisation(d) == org for d in self.domains):
            return True
        # The same company under another top-level domain (abc-trading.co.jp / abc-trading.com), once known.
        label = org.partition(".")[0]
        return recipient.domain in self.context.known_domains and any(
            organisation(d).partition(".")[0] == label for d in self.domains
        )


def internal_thread_to_external(message: Message, context: CheckContext) -> Iterator[Finding]:
    """`internal-thread-to-external` when outside recipients get quoted internal-only messages."""
    outside = [r for r in message.recipients if r.domain and not context.policy.is_internal(r.domain)]
    if not outside:
        return
    thread = parse_thread(message.body)
    if not thread.blocks:
        return
    placed = _placed(thread, message, context)
    internal = [b for b in thread.blocks if _internal_only(b, placed, context)]
    if not internal:
        return
    if not any(b.lists_recipients for b in internal) and not _looks_internal(thread, message, context):
        return  # attributions name only the author: a colleague's mail to this customer looks the same
    senders = dict.fromkeys(b.sender.label for b in internal if b.sender and b.sender.label)
    yield context.finding(
        "internal-thread-to-external", BODY, recipients=[r.address for r in outside],
        quoted_from=list(senders), messages=len(internal),
    )


def _internal_only(block: QuotedBlock, placed: Mapping[int, str], context: CheckContext) -> bool:
    """Every person the block's header names is internal (names only: none placed outside)."""
    if not block.participants:
        return False
    domains = [placed.get(id(p), "") for p in block.participants]
    if any(d and not context.policy.is_internal(d) for d in domains):
        return False
    if all(domains):
        return True
    # Exchange shows colleagues by name only; outside people come with their address.
    return any(domains) and not any(p.address for p in block.participants)


def _looks_internal(thread: Thread, message: Message, context: CheckContext) -> bool:
    """Attribution-only quotes read as colleagues talking: no outside person, company or greeting in them."""
    if any(b.lists_recipients for b in thread.blocks):
        return False
    text = "\n".join(b.text for b in thread.blocks)
    folded = normalize_text(text)
    if _OUTSIDE_GREETING.search(text):
        return False
    if not (_INSIDE_GREETING.search(text) or _greets_sender(thread, message)):
        return False
    for recipient in (r for r in message.recipients if r.domain and not context.policy.is_internal(r.domain)):
        if organisation(recipient.domain) in folded:
            return False
        if any(_mentioned(word, folded) for word in _name_words(recipient, context)):
            return False
    return True


def _greets_sender(thread: Thread, message: Message) -> bool:
    """Every quoted message opens with this mail's sender's name ("Ken,", 「山本さん」): written to them."""
    if message.sender is None:
        return False
    words = [w for w in name_tokens(message.sender.name) if (is_cjk(w) and len(w) >= 2) or len(w) >= 3]
    if not words:
        return False
    for block in thread.blocks:
        opening = normalize_text(" ".join(ln for ln in block.text.splitlines() if ln.strip())[:40])
        if not any(_mentioned(w, opening) for w in words):
            return False
    return True


def _placed(thread: Thread, message: Message, context: CheckContext) -> dict[int, str]:
    def directory() -> dict[str, str]:
        return context.derived("contact-name-directory", lambda c: contact_directory(c.contacts.contacts))

    return place_people(thread, message, context.contacts, directory)


def _name_words(address: Address, context: CheckContext) -> Iterable[str]:
    """Words of a recipient's names worth finding in a text: 佐藤 (family names), Maria (3+ letters)."""
    contact = context.contacts.by_address(address.address)
    for name in (address.name, contact.name if contact else "", contact.family if contact else ""):
        for token in name_tokens(name):
            if (is_cjk(token) and len(token) >= 2) or len(token) >= 3:
                yield token


def _mentioned(word: str, folded: str) -> bool:
    if is_cjk(word):
        return word in folded
    return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", folded) is not None


RULES: tuple[Rule, ...] = (new_domain_in_reply, internal_thread_to_external)
