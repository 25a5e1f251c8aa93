"""`confidential-keyword`: 社外秘, internal only… in what goes outside, own text and quoted mail alike.

Read by sentence: a legal footer's "may contain confidential information" and 「社外秘ではありません」 are not
markers. A quoted message counts when the mail takes it to someone outside who was not among its
people (a customer's own 社外秘 sent back to the customer is theirs already); `params.location` says
where the marker is ("own" or "quoted", then `quoted_from`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import BODY, SUBJECT, Finding, attachment_target
from missend_guard.core.message.folding import fold, folded
from missend_guard.core.message.markers import DISCLAIMER_SENTENCE
from missend_guard.core.message.model import Message
from missend_guard.core.message.people import contact_directory, place_people
from missend_guard.core.message.sentences import sentences
from missend_guard.core.message.thread import QuotedBlock, Thread, organisation, parse_thread

# Compounds that contain a keyword but mean something routine (機密保持契約 = an NDA being signed).
_KEYWORD_EXCEPTIONS = ("機密保持", "秘密保持", "confidentiality agreement", "non-disclosure")
_NEGATED = re.compile(
    r"(?:社外秘|部外秘|極秘|機密|confidential)[^。.]{0,6}(?:ではありません|ではない|ではございません|扱いではな|(?:を|は)?解除)"
    r"|\b(?:not|no\s+longer|non-?)\s*confidential",
)
# What colleagues write to each other and never to a customer: counted in quoted internal mail only.
_INTERNAL_ONLY = re.compile(
    r"下限価格|最低価格|最低ライン|底値|限界価格|仕切り?(?:値|価格)|原価|粗利|利益率|マージン"
    r"|値引き?(?:の|は)?(?:上限|限度|下限)|(?:\d+|[０-９]+)[%％](?:まで|が(?:限度|上限|限界))|社内(?:限り|のみ|向け)|内密"
    r"|(?:社外|先方|お客様|お客さま|顧客)(?:に|へ|には|へは)(?:出さない|出せない|出さず|伝えない|言わない|見せない|開示しない|内緒)"
    r"|\b(?:floor\s+price|price\s+floor|(?:our|the)\s+floor\b(?!\s+price)|walk-?away\s+price|bottom\s+line\s+price"
    r"|lowest\s+we\s+can\s+go|(?:do\s+not|don't|never)\s+go\s+below|internal\s+pricing|our\s+(?:margin|cost)"
    r"|max(?:imum)?\s+discount|(?:do\s+not|don't)\s+(?:share|forward)\s+(?:this\s+)?(?:with|to)\s+(?:the\s+)?"
    r"(?:customer|client)s?|not\s+for\s+(?:the\s+)?(?:customer|client)s?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Keywords:
    """The policy's keywords compiled once per context (first word for a cheap substring test)."""

    patterns: tuple[tuple[str, str, re.Pattern[str]], ...]
    firsts: re.Pattern[str]  # any first word: literals, no flags, so a match is a first word `in` the text

    @classmethod
    def of(cls, context: CheckContext) -> _Keywords:
        """Compile the context policy's keywords."""
        words = [k for k in context.policy.confidential_keywords if k.strip()]
        patterns = tuple((k, fold(k).split()[0], _keyword_pattern(k)) for k in words)
        # One scan of the folded text for all first words, instead of one `in` per keyword.
        firsts = re.compile("|".join(re.escape(first) for _, first, _ in patterns) or "(?!)")
        return cls(patterns, firsts)

    def first(self, text: str, *, by_sentence: bool, internal_talk: bool = False) -> str | None:
        """The keyword met first in `text` (per sentence for running text), or None.

        With `internal_talk`, colleagues' price and secrecy talk counts when no policy keyword does.
        """
        whole = folded(text)  # the own text is folded by the attachment-mention rule too
        candidates = self.firsts.search(whole) is not None
        internal_talk = internal_talk and _INTERNAL_ONLY.search(whole) is not None
        if not candidates and not internal_talk:
            return None  # the usual case: no keyword anywhere
        parts = []
        for sentence in sentences(text) if by_sentence else [text]:
            part = fold(sentence)
            for exception in _KEYWORD_EXCEPTIONS:
                part = part.replace(exception, " " * len(exception))
            if not (by_sentence and (DISCLAIMER_SENTENCE.search(part) or _NEGATED.search(part))):
                parts.append(part)
        for part in parts if candidates else ():
            hits = [(m.start(), k) for k, first, pattern in self.patterns
                    if first in part and (m := pattern.search(part))]
            if hits:
                return min(hits)[1]
        for part in parts if internal_talk else ():
            if m := _INTERNAL_ONLY.search(part):
                return m.group()
        return None


def confidential_keyword(message: Message, context: CheckContext) -> Iterator[Finding]:
    """`confidential-keyword` in subject, own or quoted text or a file name, when anyone outside gets it."""
    outside = {organisation(r.domain) for r in message.recipients if not context.policy.is_internal(r.domain)}
    if not outside:
        return
    keywords = context.derived("confidential-keywords", _Keywords.of)
    found = keywords.first(message.subject, by_sentence=False)
    if found:
        yield context.finding("confidential-keyword", SUBJECT, keyword=found)
    thread = parse_thread(message.body)
    found = keywords.first(thread.own, by_sentence=True)
    if found:
        yield context.finding("confidential-keyword", BODY, keyword=found, location="own")
    else:
        placed = _placed(thread, message, context) if thread.blocks else {}
        quoted = _in_quoted(thread.blocks, placed, outside, keywords, context)
        if quoted is not None:
            keyword, block = quoted
            author = block.sender.label if block.sender else ""
            yield context.finding("confidential-keyword", BODY, keyword=keyword, location="quoted",
                                  quoted_from=author)
    for i, attachment in message.files:
        found = keywords.first(attachment.filename, by_sentence=False)
        if found:
            yield context.finding("confidential-keyword", attachment_target(i), keyword=found)


def _placed(thread: Thread, message: Message, context: CheckContext) -> dict[int, str]:
    def directory() -> dict[str, str]:
        return context.derived("contact-name-directory", lambda c: contact_directory(c.contacts.contacts))

    return place_people(thread, message, context.contacts, directory)


def _in_quoted(
    blocks: Sequence[QuotedBlock], placed: Mapping[int, str], outside: set[str], keywords: _Keywords,
    context: CheckContext,
) -> tuple[str, QuotedBlock] | None:
    """The first marker in a quoted message that reaches someone outside its own people."""
    for block in blocks:
        domains = [d for p in block.participants if (d := placed.get(id(p), ""))]
        author = placed.get(id(block.sender), "") if block.sender else ""
        theirs = {organisation(d) for d in domains}
        if author and not context.policy.is_internal(author) and outside <= theirs:
            continue  # their own words going back to them
        internal = bool(domains) and all(context.policy.is_internal(d) for d in domains)
        found = keywords.first(block.text, by_sentence=True, internal_talk=internal)
        if found:
            return found, block
    return None


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    body = r"[\s_\-]+".join(re.escape(w) for w in fold(keyword).split())
    if keyword.isascii():
        # Word boundaries: "confidential" must not fire on "confidentiality"; "_" is a gap in file names.
        return re.compile(r"(?<![a-z0-9])" + body + r"(?![a-z0-9])")
    return re.compile(body)
